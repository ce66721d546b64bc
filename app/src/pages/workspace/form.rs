//! What every workspace form shares: a labelled field with its hint and its error (GOV.UK's
//! pattern: label above, hint, error, input), and the error summary that links to each field.

use leptos::prelude::*;

/// How a field is typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Text,
    Number,
    Date,
    Email,
    LongText,
    /// A day and a time, as `<input type="datetime-local">`.
    DateTime,
    /// A time zone name, searched in the page's `time-zones` list (`time_zone_list`).
    TimeZone,
    /// A password being chosen (never refilled).
    NewPassword,
}

/// One field of a form. `name` is the posted name; the element's id is `field-{name}`, which
/// the error summary links to.
pub fn field(
    name: &'static str,
    label: &'static str,
    hint: Option<&'static str>,
    input: Input,
    value: String,
    error: Option<String>,
) -> impl IntoView {
    field_in("field", name, label, hint, input, value, error)
}

/// A field of one of several forms on a page: its element's id is `{form}-{name}`, unique on
/// the page.
pub fn field_in(
    form: &str,
    name: &'static str,
    label: &'static str,
    hint: Option<&'static str>,
    input: Input,
    value: String,
    error: Option<String>,
) -> impl IntoView {
    let id = format!("{form}-{name}");
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = [
        hint.map(|_| hint_id.clone()),
        error.as_ref().map(|_| error_id.clone()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let invalid = error.is_some().to_string();
    let control = match input {
        Input::LongText => {
            // Leptos writes a textarea's children unescaped, as it does a script's: escaped
            // here, a typed "</textarea><script>" stays text.
            let text = escape_text(&value);
            view! {
                <textarea id=id.clone() name=name rows="6" maxlength="4000"
                    aria-invalid=invalid aria-describedby=described_by>{text}</textarea>
            }
            .into_any()
        }
        _ => {
            let (kind, mode) = match input {
                Input::Number => ("text", Some("numeric")),
                Input::Date => ("date", None),
                Input::DateTime => ("datetime-local", None),
                Input::Email => ("email", Some("email")),
                Input::NewPassword => ("password", None),
                _ => ("text", None),
            };
            let list = (input == Input::TimeZone).then_some(TIME_ZONE_LIST);
            let autocomplete = match input {
                Input::TimeZone => Some("off"),
                Input::NewPassword => Some("new-password"),
                _ => None,
            };
            view! {
                <input id=id.clone() name=name type=kind inputmode=mode value=value list=list
                    autocomplete=autocomplete aria-invalid=invalid aria-describedby=described_by/>
            }
            .into_any()
        }
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {hint.map(|text| view! { <p id=hint_id class="hint">{text}</p> })}
            {error.map(|text| view! { <p id=error_id class="field-error">{text}</p> })}
            {control}
        </div>
    }
}

/// Text as a `<textarea>`'s content: `&`, `<` and `>` as entities, which the browser turns back.
fn escape_text(raw: &str) -> String {
    raw.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

const TIME_ZONE_LIST: &str = "time-zones";

/// The list an `Input::TimeZone` searches: every IANA zone a stage may take. Once per page.
pub fn time_zone_list() -> impl IntoView {
    let options = crate::domain::stage::time_zone_names()
        .map(|name| view! { <option value=name></option> })
        .collect_view();
    view! { <datalist id=TIME_ZONE_LIST>{options}</datalist> }
}

/// The list of mistakes at the top of a form, each a link to its field; nothing when there is
/// none. `errors` are (field name, sentence) pairs.
pub fn error_summary(title: &'static str, errors: Vec<(&'static str, String)>) -> impl IntoView {
    error_summary_in("field", title, errors)
}

/// The error summary of the form whose fields are `field_in(form, …)`.
pub fn error_summary_in(
    form: &str,
    title: &'static str,
    errors: Vec<(&'static str, String)>,
) -> impl IntoView {
    let form = form.to_owned();
    (!errors.is_empty()).then(|| {
        let items = errors
            .into_iter()
            .map(|(field, text)| view! { <li><a href=format!("#{form}-{field}")>{text}</a></li> })
            .collect_view();
        view! {
            <div class="error-summary" role="alert" tabindex="-1">
                <h2>{title}</h2>
                <ul>{items}</ul>
            </div>
        }
    })
}
