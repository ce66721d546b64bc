use super::{phase_class, phase_label};
use crate::api::programme::get_stage;
use crate::api::views::StageView;
use crate::components::calendar::StageCalendarLinks;
use crate::components::error_notice::ErrorNotice;
use crate::components::islands::ShareButton;
use crate::components::layout::LinkPreview;
use crate::components::organisation::OrganisationName;
use crate::components::registration_form::{RegistrationAttempt, RegistrationFormSection};
use crate::domain::registration::Availability;
use crate::domain::ProgrammeKind;
use crate::i18n::use_locale;
use crate::i18n::Locale;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

/// `/{edition}/{stage}`: one city's event — when, where, who, and what the projects need.
#[component]
pub fn StagePage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let stage = Resource::new(
        move || {
            let params = params.read();
            (
                params.get("edition").unwrap_or_default(),
                params.get("stage").unwrap_or_default(),
            )
        },
        |(edition, stage)| get_stage(edition, stage),
    );
    view! {
        <Suspense fallback=move || view! { <p>{locale.messages().loading}</p> }>
            {move || Suspend::new(async move {
                match stage.await {
                    Ok(view) => view! { <StageContent stage=view/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// What the form says before anyone types: how few seats are left, or that the stage is full
/// and the form joins its waiting list.
fn standing(locale: Locale, availability: &Availability) -> Option<String> {
    match availability {
        Availability::FewSeatsLeft { .. } => {
            Some(locale.availability(availability, Default::default()))
        }
        Availability::Full { waiting } => Some(locale.joins_waiting_list(*waiting)),
        _ => None,
    }
}

/// The class that colours a stage's availability on its page and card.
pub(super) fn availability_class(availability: &Availability) -> &'static str {
    match availability {
        Availability::Open { .. } => "availability availability-open",
        Availability::FewSeatsLeft { .. } => "availability availability-few",
        Availability::Full { .. } => "availability availability-full",
        Availability::Refused(_) => "availability availability-closed",
    }
}

fn kind_label(locale: Locale, kind: ProgrammeKind) -> &'static str {
    locale.messages().programme_kind(kind)
}

/// The stage page's content. `preview`: an organiser's look at it before it is public, with
/// the registration form shown as a note (nobody can register yet).
#[component]
pub(crate) fn StageContent(stage: StageView, #[prop(optional)] preview: bool) -> impl IntoView {
    let locale = use_locale();
    let m = locale.messages();
    let card = stage.card.clone();
    let title = format!("{} — {} — Étape", card.city, stage.edition.name);
    let description = format!(
        "{} · {} · {}, {} — {}",
        stage.edition.name,
        card.city,
        locale.long_date(card.starts.date()),
        card.venue_name,
        card.theme
    );
    let edition_href = crate::paths::edition(&stage.edition.slug);
    let attempt = use_context::<RegistrationAttempt>();
    let registration = match &stage.registration_refused {
        _ if preview => view! {
            <p class="notice registration-refused" role="note">{locale.workspace().preview_form_note}</p>
        }
        .into_any(),
        None => view! {
            <RegistrationFormSection
                edition=stage.edition.slug.clone()
                stage=card.slug.clone()
                locale
                attempt
                joins_waiting_list=card.availability.joins_waiting_list()
                standing=standing(locale, &card.availability)
            />
        }
        .into_any(),
        Some(reason) => view! {
            <p class="notice registration-refused" role="status">{locale.refusal(reason, Some(stage.registration_opens), &card.time_zone)}</p>
        }
        .into_any(),
    };
    view! {
        <Title text=title.clone()/>
        <Meta name="description" content=description.clone()/>
        <LinkPreview title=format!("{} — {}", card.city, stage.edition.name) description url=stage.page_url.clone()/>
        <nav class="breadcrumb"><a href=edition_href>{locale.all_stages_of(&stage.edition.name)}</a></nav>
        <header class="page-header">
            <p>
                <span class=phase_class(stage.edition.phase)>{phase_label(locale, stage.edition.phase)}</span>
                " " {stage.edition.name.clone()}
            </p>
            <h1>{card.city.clone()}</h1>
            <ShareButton url=stage.page_url.clone() title=title.clone() label=m.share.to_owned() copied=m.share_copied.to_owned()/>
            {card.cancelled.then(|| view! { <p class="badge badge-cancelled" role="status">{m.stage_cancelled_notice}</p> })}
        </header>
        {view! { <dl class="facts">
            <dt>{m.date}</dt>
            <dd>
                <time datetime=card.starts.format("%Y-%m-%dT%H:%M").to_string()>{locale.long_date(card.starts.date())}</time>
                ", " {locale.time(card.starts)} " – " {locale.time(card.ends)}
                <br/><small class="muted">{locale.times_in_zone(&card.time_zone)}</small>
            </dd>
            <dt>{m.venue}</dt>
            <dd>
                {card.venue_name.clone()}<br/>{stage.venue_address.clone()}<br/>
                <ul class="inline-list">
                    <li><a href=stage.geo_url.clone() class="map-app">{m.open_in_maps_app}</a></li>
                    <li><a href=stage.map_url.clone()>{m.view_on_map}</a></li>
                </ul>
            </dd>
            {(!stage.co_organisers.is_empty()).then(|| view! {
                <dt>{m.co_organised_by}</dt>
                <dd>
                    <ul class="inline-list">
                        {stage.co_organisers.iter().map(|o| view! {
                            <li><OrganisationName organisation=o.clone()/></li>
                        }).collect_view()}
                    </ul>
                </dd>
            })}
            <dt>{m.registrations}</dt>
            <dd>
                <span class=availability_class(&card.availability)>{locale.availability(&card.availability, card.registration_opens)}</span>
                " · " {locale.seats(stage.capacity)}
            </dd>
        </dl> }.into_any()}
        {registration}
        <StageCalendarLinks calendar=stage.calendar.clone()/>
        <section aria-labelledby="question-heading">
            <h2 id="question-heading">{m.guiding_question}</h2>
            <p class="question">{card.theme.clone()}</p>
            {(!stage.description.is_empty()).then(|| view! { <div class="rich" inner_html=stage.description.html().to_owned()></div> })}
        </section>
        <section aria-labelledby="programme-heading">
            <h2 id="programme-heading">{m.programme}</h2>
            {if stage.programme.is_empty() {
                view! { <p>{m.empty_programme}</p> }.into_any()
            } else {
                view! {
                    <ol class="programme">
                        {stage.programme.iter().map(|item| {
                            let people: Vec<String> = item.speakers.iter().chain(item.projects.iter()).filter(|name| **name != item.title).cloned().collect();
                            view! {
                                <li class=format!("item item-{}", item.kind.as_str())>
                                    <p class="when">
                                        <time datetime=item.starts.format("%Y-%m-%dT%H:%M").to_string()>{locale.time(item.starts)}</time>
                                        " – " {locale.time(item.ends)}
                                    </p>
                                    <p>
                                        <span class="kind">{kind_label(locale, item.kind)}</span> " "
                                        <strong>{item.title.clone()}</strong>
                                        {(!people.is_empty()).then(|| view! { <span>" — " {people.join(", ")}</span> })}
                                    </p>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
        {(!stage.speakers.is_empty()).then(|| view! {
            <section aria-labelledby="speakers-heading">
                <h2 id="speakers-heading">{m.speakers}</h2>
                <ul class="cards">
                    {stage.speakers.iter().map(|s| view! {
                        <li>
                            <article class="card">
                                <h3>{s.name.clone()}</h3>
                                {s.title.clone().map(|t| view! { <p class="meta">{t}</p> })}
                                {(!s.bio.is_empty()).then(|| view! { <div class="rich" inner_html=s.bio.html().to_owned()></div> })}
                                {(!s.links.is_empty()).then(|| view! {
                                    <ul class="inline-list">
                                        {s.links.iter().map(|l| view! { <li><a href=l.url.clone()>{l.label.clone()}</a></li> }).collect_view()}
                                    </ul>
                                })}
                            </article>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        }.into_any())}
        {(!stage.projects.is_empty()).then(|| view! {
            <section aria-labelledby="projects-heading">
                <h2 id="projects-heading">{m.projects}</h2>
                <ul class="cards">
                    {stage.projects.iter().map(|p| view! {
                        <li>
                            <article class="card">
                                <h3>{p.name.clone()}</h3>
                                <p class="meta">{m.presented_by} " " {p.holder.clone()}</p>
                                <div class="rich" inner_html=p.pitch.html().to_owned()></div>
                                <dl class="needs">
                                    {p.funding_goal_eur.map(|goal| view! {
                                        <dt>{m.funding_needed}</dt>
                                        <dd>{locale.euros(goal)}</dd>
                                        {p.funding_use.clone().map(|text| view! { <dd>{text}</dd> })}
                                    })}
                                    {(!p.skills_wanted.is_empty()).then(|| view! {
                                        <dt>{m.skills_wanted}</dt>
                                        <dd>{p.skills_wanted.join(", ")}</dd>
                                        {p.skills_use.clone().map(|text| view! { <dd>{text}</dd> })}
                                    })}
                                    {p.link.clone().map(|href| {
                                        let shown = href.trim_start_matches("https://").trim_start_matches("http://").trim_end_matches('/').to_owned();
                                        view! {
                                            <dt>{m.project_site}</dt>
                                            <dd><a href=href rel="noopener">{shown}</a></dd>
                                        }
                                    })}
                                </dl>
                            </article>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        }.into_any())}
    }
}
