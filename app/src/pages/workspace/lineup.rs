//! `/workspace/editions/{edition}/stages/{stage}/lineup`: a stage's speakers, projects and
//! programme. Every piece is its own small form (save, move, remove) and each list ends with
//! an "add" form; all post to the same path as plain forms, carrying the line-up's version.
//! A form that comes back with mistakes opens where it was, with what was typed.

use super::form::{error_summary_in, field_in, Input};
use super::home::GoToLogin;
use crate::api::workspace::{get_lineup_desk, LineupDesk};
use crate::components::error_notice::ErrorNotice;
use crate::components::islands::SubmitButton;
use crate::domain::lineup_form::{LineupFieldError, Op, Part, PieceForm};
use crate::domain::ProgrammeKind;
use crate::error::AppError;
use crate::i18n::{use_locale, Locale};
use crate::paths;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

/// A line-up form that came back: which one, what was typed, and what is wrong (or that the
/// line-up changed meanwhile).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineupAttempt {
    pub part: Part,
    pub op: Op,
    pub form: PieceForm,
    pub errors: Vec<LineupFieldError>,
    pub stale: bool,
}

#[component]
pub fn LineupPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let desk = Resource::new(
        move || {
            let params = params.read();
            (
                params.get("edition").unwrap_or_default(),
                params.get("stage").unwrap_or_default(),
            )
        },
        |(edition, stage)| get_lineup_desk(edition, stage),
    );
    view! {
        <Meta name="robots" content="noindex"/>
        <Suspense fallback=move || view! { <p>{locale.messages().loading}</p> }>
            {move || Suspend::new(async move {
                match desk.await {
                    Ok(desk) => view! { <LineupView desk/> }.into_any(),
                    Err(AppError::SignedOut) => view! { <GoToLogin/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Everything one piece's form needs to draw itself.
#[derive(Clone)]
struct Sheet {
    locale: Locale,
    action: String,
    version: String,
    /// Names of the line-up's speakers and projects, for an item's checkboxes.
    speakers: Vec<String>,
    projects: Vec<String>,
    attempt: Option<LineupAttempt>,
}

impl Sheet {
    /// The attempt that came back for this form, if any.
    fn attempt_for(&self, part: Part, op: Op) -> Option<&LineupAttempt> {
        self.attempt
            .as_ref()
            .filter(|a| !a.stale && a.part == part && a.op == op)
    }
}

#[component]
fn LineupView(desk: LineupDesk) -> impl IntoView {
    let locale = use_locale();
    let l = locale.lineup();
    let w = locale.workspace();
    let attempt = use_context::<LineupAttempt>();
    let saved = use_query_map().read_untracked().get("saved").is_some() && attempt.is_none();
    let sheet = Sheet {
        locale,
        action: paths::workspace_lineup(&desk.edition_slug, &desk.stage_slug),
        version: desk.version.clone(),
        speakers: desk.speakers.iter().map(|s| s.name.clone()).collect(),
        projects: desk.projects.iter().map(|p| p.name.clone()).collect(),
        attempt: attempt.clone(),
    };
    let stale = attempt
        .as_ref()
        .filter(|a| a.stale)
        .map(|_| view! { <p class="notice form-error" role="alert">{l.stale}</p> });
    let receipt = saved.then(|| view! { <p class="receipt" role="status">{l.saved}</p> });
    let summary = attempt.as_ref().filter(|a| !a.stale).map(|a| {
        error_summary_in(
            &form_id(a.part, a.op),
            w.errors_summary,
            a.errors
                .iter()
                .map(|e| (e.field(a.part), locale.lineup_field_error(e)))
                .collect(),
        )
    });
    let speakers = pieces(&sheet, Part::Speaker, &desk.speakers, l.no_speaker);
    let projects = pieces(&sheet, Part::Project, &desk.projects, l.no_project);
    let items = pieces(&sheet, Part::Item, &desk.items, l.no_item);
    let add_speaker = add_form(&sheet, Part::Speaker, PieceForm::default(), l.add_speaker);
    let add_project = add_form(&sheet, Part::Project, PieceForm::default(), l.add_project);
    let add_item = add_form(&sheet, Part::Item, desk.new_item.clone(), l.add_item);
    let back = paths::workspace_stage(&desk.edition_slug, &desk.stage_slug);
    let preview = paths::workspace_preview_stage(&desk.edition_slug, &desk.stage_slug);
    view! {
        <Title text=format!("{} — {} — Étape", l.lineup, desk.stage_city)/>
        <nav class="breadcrumb"><a href=back>{desk.stage_city.clone()}</a></nav>
        <header class="page-header">
            <p>{desk.edition_name.clone()}</p>
            <h1>{locale.lineup_of(&desk.stage_city)}</h1>
        </header>
        {receipt}
        {stale}
        {summary}
        <p class="muted">{l.intro}</p>
        <p><a href=preview>{w.preview_link}</a></p>
        <section aria-labelledby="speakers-heading">
            <h2 id="speakers-heading">{l.speakers}</h2>
            {speakers}
            {add_speaker}
        </section>
        <section aria-labelledby="projects-heading">
            <h2 id="projects-heading">{l.projects}</h2>
            {projects}
            {add_project}
        </section>
        <section aria-labelledby="programme-heading">
            <h2 id="programme-heading">{l.programme}</h2>
            <p class="hint">{l.times_in_zone} " (" {desk.time_zone.clone()} ")"</p>
            {items}
            {add_item}
        </section>
    }
}

/// The element id prefix of one form: unique on the page.
fn form_id(part: Part, op: Op) -> String {
    match op {
        Op::Add => format!("{}-new", part.as_str()),
        Op::Save(i) | Op::Remove(i) | Op::Move(i, _) => format!("{}-{i}", part.as_str()),
    }
}

/// What a piece is called in its list and on its buttons.
fn piece_name(locale: Locale, part: Part, form: &PieceForm) -> String {
    match part {
        Part::Speaker | Part::Project => form.name.clone(),
        Part::Item => {
            let time = form.starts.split('T').nth(1).unwrap_or_default();
            let kind = ProgrammeKind::parse(&form.kind)
                .map(|k| locale.messages().programme_kind(k))
                .unwrap_or_default();
            format!("{time} · {kind} · {}", form.title)
        }
    }
}

fn pieces(sheet: &Sheet, part: Part, forms: &[PieceForm], empty: &'static str) -> AnyView {
    if forms.is_empty() {
        return view! { <p class="empty-state">{empty}</p> }.into_any();
    }
    let count = forms.len();
    let items = forms
        .iter()
        .enumerate()
        .map(|(index, stored)| piece(sheet, part, index, count, stored))
        .collect_view();
    view! { <ol class="pieces">{items}</ol> }.into_any()
}

fn piece(
    sheet: &Sheet,
    part: Part,
    index: usize,
    count: usize,
    stored: &PieceForm,
) -> impl IntoView {
    let locale = sheet.locale;
    let op = Op::Save(index);
    let attempt = sheet.attempt_for(part, op);
    let form = attempt
        .map(|a| a.form.clone())
        .unwrap_or_else(|| stored.clone());
    let errors = attempt.map(|a| a.errors.clone()).unwrap_or_default();
    let name = piece_name(locale, part, stored);
    let small = |op_name: &'static str, label: String, text: &'static str| {
        view! {
            <form method="post" action=sheet.action.clone()>
                <input type="hidden" name="part" value=part.as_str()/>
                <input type="hidden" name="op" value=op_name/>
                <input type="hidden" name="index" value=index.to_string()/>
                <input type="hidden" name="version" value=sheet.version.clone()/>
                <button type="submit" class="secondary" aria-label=label>{text}</button>
            </form>
        }
    };
    // The programme keeps time order: its items move by changing their time.
    let moves = (part != Part::Item).then(|| {
        view! {
            {(index > 0).then(|| small("up", locale.move_piece_up(&name), "↑"))}
            {(index + 1 < count).then(|| small("down", locale.move_piece_down(&name), "↓"))}
        }
    });
    let remove_label = locale.remove_piece(&name);
    let remove_text = match locale {
        Locale::Fr => "Retirer",
        Locale::En => "Remove",
    };
    view! {
        <li class="piece">
            <details open=attempt.is_some()>
                <summary>{name.clone()}</summary>
                <form method="post" action=sheet.action.clone() class="stacked" novalidate>
                    <input type="hidden" name="part" value=part.as_str()/>
                    <input type="hidden" name="op" value="save"/>
                    <input type="hidden" name="index" value=index.to_string()/>
                    <input type="hidden" name="version" value=sheet.version.clone()/>
                    {fields(sheet, part, &form_id(part, op), &form, &errors)}
                    <SubmitButton label=locale.save_piece(&name) pending=locale.workspace().saving.to_owned()/>
                </form>
            </details>
            <div class="piece-actions">
                {moves}
                {small("remove", remove_label, remove_text)}
            </div>
        </li>
    }
}

fn add_form(sheet: &Sheet, part: Part, blank: PieceForm, heading: &'static str) -> impl IntoView {
    let attempt = sheet.attempt_for(part, Op::Add);
    let form = attempt.map(|a| a.form.clone()).unwrap_or(blank);
    let errors = attempt.map(|a| a.errors.clone()).unwrap_or_default();
    let l = sheet.locale.lineup();
    view! {
        <details class="add-piece" open=attempt.is_some()>
            <summary>{heading}</summary>
            <form method="post" action=sheet.action.clone() class="stacked" novalidate>
                <input type="hidden" name="part" value=part.as_str()/>
                <input type="hidden" name="op" value="add"/>
                <input type="hidden" name="version" value=sheet.version.clone()/>
                {fields(sheet, part, &form_id(part, Op::Add), &form, &errors)}
                <SubmitButton label=l.add_submit.to_owned() pending=sheet.locale.workspace().saving.to_owned()/>
            </form>
        </details>
    }
}

/// The fields of one piece's form, ids prefixed by `id`.
fn fields(
    sheet: &Sheet,
    part: Part,
    id: &str,
    form: &PieceForm,
    errors: &[LineupFieldError],
) -> AnyView {
    let locale = sheet.locale;
    let l = locale.lineup();
    let error_for = |name: &str| {
        errors
            .iter()
            .filter(|e| e.field(part) == name)
            .map(|e| locale.lineup_field_error(e))
            .reduce(|a, b| format!("{a} {b}"))
    };
    match part {
        Part::Speaker => view! {
            {field_in(id, "name", l.name, None, Input::Text, form.name.clone(), error_for("name"))}
            {field_in(id, "role", l.role, Some(l.role_hint), Input::Text, form.role.clone(), error_for("role"))}
            {field_in(id, "bio", l.bio, Some(l.markdown_hint), Input::LongText, form.bio.clone(), error_for("bio"))}
        }
        .into_any(),
        Part::Project => view! {
            {field_in(id, "name", l.project_name, None, Input::Text, form.name.clone(), error_for("name"))}
            {field_in(id, "holder", l.holder, None, Input::Text, form.holder.clone(), error_for("holder"))}
            {field_in(id, "pitch", l.pitch, Some(l.markdown_hint), Input::LongText, form.pitch.clone(), error_for("pitch"))}
            {field_in(id, "link", l.project_link, Some(l.project_link_hint), Input::Text, form.link.clone(), error_for("link"))}
            {field_in(id, "funding_goal", l.funding_goal, Some(l.funding_goal_hint), Input::Number, form.funding_goal.clone(), error_for("funding_goal"))}
            {field_in(id, "funding_use", l.funding_use, None, Input::LongText, form.funding_use.clone(), error_for("funding_use"))}
            {field_in(id, "skills", l.skills, Some(l.skills_hint), Input::Text, form.skills.clone(), error_for("skills"))}
            {field_in(id, "skills_use", l.skills_use, None, Input::LongText, form.skills_use.clone(), error_for("skills_use"))}
        }
        .into_any(),
        Part::Item => {
            let kind_id = format!("{id}-kind");
            let kinds = ProgrammeKind::ALL
                .into_iter()
                .map(|kind| {
                    view! {
                        <option value=kind.as_str() selected=form.kind == kind.as_str()>
                            {locale.messages().programme_kind(kind)}
                        </option>
                    }
                })
                .collect_view();
            let speakers = checkboxes(id, "speaker", l.with_speakers, &sheet.speakers, &form.speakers);
            let projects = checkboxes(id, "project", l.with_projects, &sheet.projects, &form.projects);
            view! {
                {field_in(id, "starts", l.starts, None, Input::DateTime, form.starts.clone(), error_for("starts"))}
                {field_in(id, "duration", l.duration, None, Input::Number, form.duration.clone(), error_for("duration"))}
                <div class="field">
                    <label for=kind_id.clone()>{l.kind}</label>
                    {error_for("kind").map(|text| view! { <p class="field-error">{text}</p> })}
                    <select id=kind_id name="kind">{kinds}</select>
                </div>
                {field_in(id, "title", l.title, None, Input::Text, form.title.clone(), error_for("title"))}
                {speakers}
                {projects}
            }
            .into_any()
        }
    }
}

/// Checkboxes naming `names` by position; `ticked` are checked.
fn checkboxes(
    id: &str,
    name: &'static str,
    legend: &'static str,
    names: &[String],
    ticked: &[usize],
) -> Option<impl IntoView> {
    (!names.is_empty()).then(|| {
        let boxes = names
            .iter()
            .enumerate()
            .map(|(i, label)| {
                let box_id = format!("{id}-{name}-{i}");
                view! {
                    <div class="check">
                        <input type="checkbox" id=box_id.clone() name=name value=i.to_string() checked=ticked.contains(&i)/>
                        <label for=box_id>{label.clone()}</label>
                    </div>
                }
            })
            .collect_view();
        view! {
            <fieldset class="checks">
                <legend>{legend}</legend>
                {boxes}
            </fieldset>
        }
    })
}
