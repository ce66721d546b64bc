//! The registration form on a stage page. The form is server-rendered HTML that works without
//! JavaScript: a plain POST that the server answers with the page again (errors beside the
//! fields, everything typed kept) or with a redirect to "my registration".
//!
//! Once the client runs, the `RegistrationFormEnhancer` island takes the form over: it sends it
//! to the JSON API (`POST /api/v1/editions/{edition}/stages/{stage}/registrations`, the same
//! `Desk::register` path) and shows the outcome in place, without a reload. It works on the
//! form's DOM directly and reads the answer with the browser's own JSON parser, whose messages
//! the server has already written in the page's language. A reactive island that re-rendered
//! the whole form and decoded `AppError` with serde cost about 80 KB gzip of the client's
//! 100 KiB budget; this one costs a few (docs/benchmarks.md).

use crate::api::registration::RegistrationReceipt;
use crate::domain::registration::{RegistrationForm, RegistrationStatus};
use crate::error::AppError;
use crate::i18n::Locale;
use leptos::prelude::*;

/// A form as it was sent, and what came of it: how the server re-renders a no-JS attempt.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RegistrationAttempt {
    pub form: RegistrationForm,
    pub outcome: Result<RegistrationReceipt, AppError>,
}

/// The form's id: the server renders it, the island finds the form by it.
const FORM_ID: &str = "register-form";
/// The form's fields, by the name the form posts and the API's `fields` use.
const FIELDS: [&str; 4] = ["name", "email", "organisation", "consent"];
/// The section's id: a no-JS post comes back to it.
const SECTION_ID: &str = "register";
/// The error summary's id: the island moves focus to it.
const SUMMARY_ID: &str = "register-errors";

/// One sentence of the `Messages` table, read so that the browser client keeps only the
/// sentences it uses: a field of `FR` or `EN` folds to its text at compile time, whereas
/// through `locale.messages()` the client kept both whole tables (every page's sentences).
macro_rules! text {
    ($locale:expr, $field:ident) => {
        match $locale {
            Locale::Fr => crate::i18n::FR.$field,
            Locale::En => crate::i18n::EN.$field,
        }
    };
}

/// The "Register" section: where the stage stands, the outcome of a no-JS attempt, if any,
/// then the form. `joins_waiting_list`: the stage is full, and the button says so.
#[component]
pub fn RegistrationFormSection(
    edition: String,
    stage: String,
    locale: Locale,
    attempt: Option<RegistrationAttempt>,
    joins_waiting_list: bool,
    /// A sentence said before anyone types (seats left, the waiting list).
    standing: Option<String>,
) -> impl IntoView {
    let m = locale.messages();
    // Back at the form after a no-JS post, not at the top of a long page.
    let action = format!("{}#{SECTION_ID}", crate::paths::register(&edition, &stage));
    let (form, outcome) = match attempt {
        Some(attempt) => (attempt.form, Some(attempt.outcome)),
        None => (RegistrationForm::default(), None),
    };
    let field_error = |field: &str| match &outcome {
        Some(Err(AppError::Invalid(errors))) => errors
            .iter()
            .find(|e| e.field() == field)
            .map(|e| locale.field_error(e)),
        _ => None,
    };
    let [name_error, email_error, organisation_error, consent_error] = FIELDS.map(field_error);
    let summary_items: Vec<(&'static str, &'static str, String)> = FIELDS
        .iter()
        .zip([
            &name_error,
            &email_error,
            &organisation_error,
            &consent_error,
        ])
        .filter_map(|(field, error)| {
            error
                .clone()
                .map(|error| (*field, field_label(locale, field), error))
        })
        .collect();
    let done = matches!(outcome, Some(Ok(_)));
    let notice = outcome.map(|outcome| match outcome {
        Ok(receipt) => view! { <Receipt receipt locale/> }.into_any(),
        Err(error) => view! {
            <div id=SUMMARY_ID class="form-error" role="alert" tabindex="-1">
                <p>{error.message(locale)}</p>
                {(!summary_items.is_empty()).then(|| view! {
                    <ul>
                        {summary_items.into_iter().map(|(field, label, error)| view! {
                            <li><a href=format!("#reg-{field}")>{locale.label(label)} " " {error}</a></li>
                        }).collect_view()}
                    </ul>
                })}
            </div>
        }
        .into_any(),
    });
    let organisation = form.organisation.unwrap_or_default();
    let submit = if joins_waiting_list {
        m.submit_join_waiting_list
    } else {
        m.submit_register
    };

    view! {
        <section id=SECTION_ID class="register" aria-labelledby="register-heading">
            <h2 id="register-heading">{m.register_heading}</h2>
            {standing.map(|text| view! {
                <p class=if joins_waiting_list { "standing standing-full" } else { "standing" }>{text}</p>
            })}
            {notice}
            <form id=FORM_ID method="post" action=action novalidate hidden=done>
                <Field id="reg-name" label=m.field_name error=name_error.clone()>
                    <input id="reg-name" name="name" type="text" autocomplete="name" maxlength="120"
                        required aria-invalid=name_error.is_some().to_string()
                        aria-describedby="reg-name-error" value=form.name/>
                </Field>
                <Field id="reg-email" label=m.field_email error=email_error.clone()>
                    <input id="reg-email" name="email" type="email" autocomplete="email" inputmode="email"
                        maxlength="254" required aria-invalid=email_error.is_some().to_string()
                        aria-describedby="reg-email-error" value=form.email/>
                </Field>
                <Field id="reg-organisation" label=m.field_organisation error=organisation_error.clone()>
                    <input id="reg-organisation" name="organisation" type="text" autocomplete="organization"
                        maxlength="120" aria-invalid=organisation_error.is_some().to_string()
                        aria-describedby="reg-organisation-error" value=organisation/>
                </Field>
                <div class="field field-consent">
                    <input id="reg-consent" name="consent" type="checkbox" value="true" required
                        aria-invalid=consent_error.is_some().to_string()
                        aria-describedby="reg-consent-error" checked=form.consent/>
                    <label for="reg-consent">
                        {m.consent_label} " "
                        <a href="/privacy" target="_blank" rel="noopener">{m.privacy_link}</a>
                    </label>
                    <p id="reg-consent-error" class="field-error">{consent_error}</p>
                </div>
                <button type="submit">{submit}</button>
            </form>
            <p class="find-ticket"><a href="/lost-link">{m.find_my_ticket}</a></p>
            <RegistrationFormEnhancer edition stage locale/>
        </section>
    }
}

/// What a field is called in the error summary.
fn field_label(locale: Locale, field: &str) -> &'static str {
    match field {
        "name" => text!(locale, field_name),
        "email" => text!(locale, field_email),
        "organisation" => text!(locale, field_organisation),
        _ => text!(locale, field_consent),
    }
}

#[component]
fn Field(
    id: &'static str,
    label: &'static str,
    error: Option<String>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {children()}
            <p id=format!("{id}-error") class="field-error">{error}</p>
        </div>
    }
}

#[component]
fn Receipt(receipt: RegistrationReceipt, locale: Locale) -> impl IntoView {
    let m = locale.messages();
    let message = receipt_message(locale, receipt.already_registered, receipt.status);
    view! {
        <div class="receipt" role="status">
            <p>{message}</p>
            <ul class="inline-list">
                {receipt.manage_url.map(|url| view! { <li><a href=url>{m.see_my_registration}</a></li> })}
                {receipt.ticket_url.map(|url| view! { <li><a href=url>{m.see_my_ticket}</a></li> })}
            </ul>
        </div>
    }
}

/// What a receipt says: the same sentence on the server and in the browser. An address
/// already registered has no status to tell.
fn receipt_message(
    locale: Locale,
    already_registered: bool,
    status: Option<RegistrationStatus>,
) -> &'static str {
    match (already_registered, status) {
        (true, _) => text!(locale, already_registered),
        (false, Some(RegistrationStatus::Waitlisted)) => text!(locale, registered_waitlisted),
        (false, _) => text!(locale, registered_confirmed),
    }
}

/// Takes the server-rendered form over once the client runs (see the module's documentation).
/// Renders nothing of its own.
#[island]
pub fn RegistrationFormEnhancer(edition: String, stage: String, locale: Locale) -> impl IntoView {
    // Effects run only in the browser, after hydration.
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        enhance::take_over(&edition, &stage, locale);
        #[cfg(not(feature = "hydrate"))]
        let _ = (&edition, &stage, locale);
    });
}

/// The browser side: DOM and `fetch`, no view and no serde.
#[cfg(feature = "hydrate")]
mod enhance {
    use super::{field_label, receipt_message, FIELDS, FORM_ID, SUMMARY_ID};
    use crate::domain::registration::RegistrationStatus;
    use crate::i18n::Locale;
    use js_sys::{Object, Reflect, JSON};
    use leptos::prelude::document;
    use std::cell::Cell;
    use std::rc::Rc;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{Element, Event, HtmlButtonElement, HtmlFormElement, HtmlInputElement};

    /// What the API answered, read from its JSON.
    enum Answer {
        /// 200 or 201: the receipt.
        Registered(JsValue),
        /// Anything else: the sentence to show, and the wrong fields' sentences (`fields`).
        Refused { message: String, fields: JsValue },
    }

    pub fn take_over(edition: &str, stage: &str, locale: Locale) {
        let Some(form) = document()
            .get_element_by_id(FORM_ID)
            .and_then(|element| element.dyn_into::<HtmlFormElement>().ok())
        else {
            return;
        };
        let url = crate::paths::api_registrations(edition, stage);
        let pending = Rc::new(Cell::new(false));
        let listener = {
            let form = form.clone();
            Closure::<dyn Fn(Event)>::new(move |event: Event| {
                event.prevent_default();
                if pending.replace(true) {
                    return;
                }
                let button = submit_button(&form);
                // "Register" or "Join the waiting list", as the server wrote it.
                let label = button.as_ref().and_then(|button| button.text_content());
                if let Some(button) = &button {
                    button.set_disabled(true);
                    button.set_text_content(Some(text!(locale, submitting)));
                }
                let (form, url, pending) = (form.clone(), url.clone(), pending.clone());
                leptos::task::spawn_local(async move {
                    let body = request_body(locale);
                    let answer = send(&url, &body).await.unwrap_or_else(|_| Answer::Refused {
                        message: text!(locale, error_internal).to_owned(),
                        fields: JsValue::UNDEFINED,
                    });
                    if let Some(page) = registration_page(&answer) {
                        // The same ending as without JavaScript: "my registration", which a
                        // reload shows again rather than an empty form.
                        if leptos::prelude::window().location().assign(&page).is_ok() {
                            return;
                        }
                    }
                    show(&form, locale, answer);
                    if let Some(button) = &button {
                        button.set_disabled(false);
                        button.set_text_content(label.as_deref());
                    }
                    pending.set(false);
                });
            })
        };
        let _ = form.add_event_listener_with_callback("submit", listener.as_ref().unchecked_ref());
        // The form lives as long as the page.
        listener.forget();
    }

    fn submit_button(form: &HtmlFormElement) -> Option<HtmlButtonElement> {
        form.query_selector("button[type=submit]")
            .ok()
            .flatten()
            .and_then(|element| element.dyn_into().ok())
    }

    fn input(field: &str) -> Option<HtmlInputElement> {
        document()
            .get_element_by_id(&format!("reg-{field}"))
            .and_then(|element| element.dyn_into().ok())
    }

    /// The API's request: what is typed, and the page's language for the answer and the emails.
    fn request_body(locale: Locale) -> String {
        let body = Object::new();
        let set = |key: &str, value: JsValue| {
            let _ = Reflect::set(&body, &JsValue::from_str(key), &value);
        };
        for field in ["name", "email", "organisation"] {
            let value = input(field).map(|input| input.value()).unwrap_or_default();
            set(field, JsValue::from_str(&value));
        }
        let consent = input("consent").is_some_and(|input| input.checked());
        set("consent", JsValue::from_bool(consent));
        set("language", JsValue::from_str(locale.code()));
        JSON::stringify(&body)
            .ok()
            .and_then(|json| json.as_string())
            .unwrap_or_default()
    }

    async fn send(url: &str, body: &str) -> Result<Answer, JsValue> {
        let init = web_sys::RequestInit::new();
        init.set_method("POST");
        init.set_body(&JsValue::from_str(body));
        let headers = Object::new();
        Reflect::set(
            &headers,
            &JsValue::from_str("content-type"),
            &JsValue::from_str("application/json"),
        )?;
        init.set_headers(&headers);
        let response: web_sys::Response =
            JsFuture::from(leptos::prelude::window().fetch_with_str_and_init(url, &init))
                .await?
                .dyn_into()?;
        let json = JsFuture::from(response.json()?).await?;
        Ok(match response.status() {
            200 | 201 => Answer::Registered(json),
            _ => Answer::Refused {
                message: get(&json, "message")
                    .as_string()
                    .ok_or(JsValue::UNDEFINED)?,
                fields: get(&json, "fields"),
            },
        })
    }

    /// The path of "my registration" after a new registration (an address already
    /// registered gets no link here: it goes by email).
    fn registration_page(answer: &Answer) -> Option<String> {
        let Answer::Registered(receipt) = answer else {
            return None;
        };
        let url = get(receipt, "manage_url").as_string()?;
        // The API answers with the public address; stay on the origin the page came from.
        url.find("/registrations/").map(|at| url[at..].to_owned())
    }

    fn get(object: &JsValue, key: &str) -> JsValue {
        Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    }

    /// Shows an answer as the server renders it: the notice between the heading and the form,
    /// each field's sentence beside it, and no form once registered.
    fn show(form: &HtmlFormElement, locale: Locale, answer: Answer) {
        let document = document();
        let Some(section) = form.parent_element() else {
            return;
        };
        // The previous answer's notice, if any (the server's, or ours).
        if let Ok(Some(previous)) =
            section.query_selector(":scope > .form-error, :scope > .receipt")
        {
            previous.remove();
        }
        let element = |tag: &str| document.create_element(tag).ok();
        let notice = match &answer {
            Answer::Registered(receipt) => {
                let status = match get(receipt, "status").as_string().as_deref() {
                    Some("waitlisted") => Some(RegistrationStatus::Waitlisted),
                    Some(_) => Some(RegistrationStatus::Confirmed),
                    None => None,
                };
                let already = get(receipt, "already_registered").is_truthy();
                let notice = element("div");
                if let Some(div) = &notice {
                    div.set_class_name("receipt");
                    let _ = div.set_attribute("role", "status");
                    if let Some(p) = element("p") {
                        p.set_text_content(Some(receipt_message(locale, already, status)));
                        let _ = div.append_child(&p);
                    }
                    if let Some(list) = element("ul") {
                        list.set_class_name("inline-list");
                        let links = [
                            ("manage_url", text!(locale, see_my_registration)),
                            ("ticket_url", text!(locale, see_my_ticket)),
                        ];
                        for (key, label) in links {
                            if let Some(url) = get(receipt, key).as_string() {
                                append_link(&list, element("li"), element("a"), &url, label);
                            }
                        }
                        let _ = div.append_child(&list);
                    }
                }
                notice
            }
            Answer::Refused { message, fields } => {
                element("div").inspect(|div| summary(div, locale, message, fields))
            }
        };
        if let Some(notice) = notice {
            let _ = section.insert_before(&notice, Some(form));
            if let Some(summary) = notice.dyn_ref::<web_sys::HtmlElement>() {
                if summary.id() == SUMMARY_ID {
                    let _ = summary.focus();
                }
            }
        }
        let fields = match &answer {
            Answer::Refused { fields, .. } => fields.clone(),
            Answer::Registered(_) => JsValue::UNDEFINED,
        };
        for field in FIELDS {
            let error = get(&fields, field).as_string();
            if let Some(input) = input(field) {
                let invalid = if error.is_some() { "true" } else { "false" };
                let _ = input.set_attribute("aria-invalid", invalid);
            }
            if let Some(p) = document.get_element_by_id(&format!("reg-{field}-error")) {
                p.set_text_content(error.as_deref());
            }
        }
        form.set_hidden(matches!(answer, Answer::Registered(_)));
    }

    /// The error summary, as the server renders it: the message, then each wrong field with
    /// a link to it.
    fn summary(div: &Element, locale: Locale, message: &str, fields: &JsValue) {
        let document = document();
        div.set_id(SUMMARY_ID);
        div.set_class_name("form-error");
        let _ = div.set_attribute("role", "alert");
        let _ = div.set_attribute("tabindex", "-1");
        if let Ok(p) = document.create_element("p") {
            p.set_text_content(Some(message));
            let _ = div.append_child(&p);
        }
        let Ok(list) = document.create_element("ul") else {
            return;
        };
        for field in FIELDS {
            if let Some(error) = get(fields, field).as_string() {
                let text = format!("{} {error}", locale.label(field_label(locale, field)));
                let (li, a) = (
                    document.create_element("li").ok(),
                    document.create_element("a").ok(),
                );
                append_link(&list, li, a, &format!("#reg-{field}"), &text);
            }
        }
        if list.has_child_nodes() {
            let _ = div.append_child(&list);
        }
    }

    fn append_link(
        list: &Element,
        li: Option<Element>,
        a: Option<Element>,
        url: &str,
        label: &str,
    ) {
        if let (Some(li), Some(a)) = (li, a) {
            let _ = a.set_attribute("href", url);
            a.set_text_content(Some(label));
            let _ = li.append_child(&a);
            let _ = list.append_child(&li);
        }
    }
}
