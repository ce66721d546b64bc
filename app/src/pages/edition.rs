use super::{phase_class, phase_label};
use crate::api::programme::get_edition;
use crate::api::views::{City, EditionView, StageCard};
use crate::components::calendar::FeedLinksList;
use crate::components::error_notice::ErrorNotice;
use crate::components::islands::ShareButton;
use crate::components::layout::LinkPreview;
use crate::components::organisation::OrganisationName;
use crate::i18n::use_locale;
use crate::i18n::Locale;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/{edition}`: every public stage right under the title, with a city filter of plain links
/// (chips), then the edition's description, its partners and calendars.
#[component]
pub fn EditionPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let edition = Resource::new(
        move || params.read().get("edition").unwrap_or_default(),
        get_edition,
    );
    view! {
        <Suspense fallback=move || view! { <p>{locale.messages().loading}</p> }>
            {move || Suspend::new(async move {
                match edition.await {
                    Ok(view) => view! { <EditionContent edition=view/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EditionContent(edition: EditionView) -> impl IntoView {
    let locale = use_locale();
    let messages = locale.messages();
    let query = use_query_map();
    let city = Memo::new(move |_| query.read().get("city").unwrap_or_default());
    let slug = edition.card.slug.clone();
    let stages = StoredValue::new(edition.stages.clone());
    let visible = move || {
        let city = city.get();
        stages.with_value(|all| {
            all.iter()
                .filter(|s| city.is_empty() || s.city_slug == city)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let title = format!("{} — Étape", edition.card.name);
    let description = format!(
        "{} · {} — {}",
        edition.card.name,
        locale.date_range(edition.card.starts_on, edition.card.ends_on),
        edition.card.theme
    );
    let edition_path = crate::paths::edition(&slug);
    view! {
        <Title text=title/>
        <Meta name="description" content=description.clone()/>
        <LinkPreview title=edition.card.name.clone() description url=edition.page_url.clone()/>
        <header class="page-header">
            <p class=phase_class(edition.card.phase)>{phase_label(locale, edition.card.phase)}</p>
            <h1>{edition.card.name.clone()}</h1>
            <p class="meta">
                {locale.edition_number(edition.card.number)} " · "
                {locale.date_range(edition.card.starts_on, edition.card.ends_on)}
            </p>
            <p class="lead">{edition.card.theme.clone()}</p>
            <ShareButton url=edition.page_url.clone() title=edition.card.name.clone() label=messages.share.to_owned() copied=messages.share_copied.to_owned()/>
        </header>
        // The stages first, right under the title: on a phone, what people came for.
        <section id="stages" aria-labelledby="stages-heading">
            <h2 id="stages-heading">{messages.stages}</h2>
            <CityChips path=edition_path cities=edition.cities.clone() selected=city.get_untracked() locale/>
            {move || {
                let list = visible();
                if list.is_empty() {
                    view! { <p>{messages.no_stage_here}</p> }.into_any()
                } else {
                    let slug = slug.clone();
                    view! {
                        <ul class="cards">
                            {list.into_iter().map(|stage| view! { <li><StageSummary edition=slug.clone() stage locale/></li> }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
        </section>
        <section class="about" aria-labelledby="about-heading">
            <h2 id="about-heading">{messages.about_edition}</h2>
            <div class="rich" inner_html=edition.description.html().to_owned()></div>
            <FeedLinksList feed=edition.feed.clone() subscribe_label=messages.calendar_subscribe/>
        </section>
        {(!edition.partners.is_empty()).then(|| view! {
            <section aria-labelledby="partners-heading">
                <h2 id="partners-heading">{messages.national_partners}</h2>
                <ul class="organisations">
                    {edition.partners.iter().map(|p| view! {
                        <li>
                            <OrganisationName organisation=p.clone()/>
                            {p.description.clone().map(|d| view! { <span class="muted">" — " {d}</span> })}
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        {(!edition.cities.is_empty()).then(|| view! {
            <section aria-labelledby="calendars-heading">
                <h2 id="calendars-heading">{messages.city_calendars_heading}</h2>
                <ul class="city-calendars">
                    {edition.cities.iter().map(|c| view! {
                        <li>
                            <FeedLinksList
                                feed=c.feed.clone()
                                subscribe_label=format!("{} {}", messages.city_calendar_subscribe, c.name)
                            />
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
    }
}

/// The city filter: one chip per city, plain links that work without JavaScript and come back
/// to the stages (`#stages`), the chosen one marked `aria-current`.
#[component]
fn CityChips(path: String, cities: Vec<City>, selected: String, locale: Locale) -> impl IntoView {
    let messages = locale.messages();
    let current = |is: bool| is.then_some("true");
    view! {
        <nav class="city-chips" aria-label=messages.filter_by_city>
            <ul>
                <li><a href=format!("{path}#stages") aria-current=current(selected.is_empty())>{messages.all_cities}</a></li>
                {cities.into_iter().map(|c| {
                    let href = format!("{path}?city={}#stages", c.slug);
                    let is = c.slug == selected;
                    view! { <li><a href=href aria-current=current(is)>{c.name}</a></li> }
                }).collect_view()}
            </ul>
        </nav>
    }
}

#[component]
fn StageSummary(edition: String, stage: StageCard, locale: Locale) -> impl IntoView {
    let messages = locale.messages();
    view! {
        <article class="card">
            <h3><a href=crate::paths::stage(&edition, &stage.slug)>{stage.city.clone()}</a></h3>
            {stage.cancelled.then(|| view! { <p class="badge badge-cancelled">{messages.cancelled}</p> })}
            <p class="meta">
                <time datetime=stage.starts.format("%Y-%m-%dT%H:%M").to_string()>
                    {locale.long_date(stage.starts.date())}
                </time>
                ", " {locale.time(stage.starts)} " – " {locale.time(stage.ends)}
            </p>
            <p>{stage.venue_name.clone()}</p>
            {(!stage.cancelled).then(|| view! {
                <p class=super::stage::availability_class(&stage.availability)>{locale.availability(&stage.availability, stage.registration_opens)}</p>
            })}
            <p class="muted">{stage.theme.clone()}</p>
        </article>
    }
}
