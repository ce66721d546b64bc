use super::{phase_class, phase_label};
use crate::api::programme::list_editions;
use crate::components::error_notice::ErrorNotice;
use crate::i18n::use_locale;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// `/`: the published editions, the most recent first.
#[component]
pub fn HomePage() -> impl IntoView {
    let locale = use_locale();
    let messages = locale.messages();
    let editions = Resource::new(|| (), |_| list_editions());
    view! {
        <Title text=format!("{} — Étape", messages.home_title)/>
        <Meta name="description" content=messages.home_description/>
        <h1>{messages.home_title}</h1>
        <p class="lead">{messages.home_intro}</p>
        <Suspense fallback=move || view! { <p>{messages.loading}</p> }>
            {move || Suspend::new(async move {
                match editions.await {
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p>{messages.no_editions}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="cards">
                            {list.into_iter().map(|edition| view! {
                                <li>
                                    <article class="card">
                                        <p class=phase_class(edition.phase)>{phase_label(locale, edition.phase)}</p>
                                        <h2><a href=crate::paths::edition(&edition.slug)>{edition.name.clone()}</a></h2>
                                        <p class="meta">
                                            {locale.edition_number(edition.number)} " · "
                                            {locale.date_range(edition.starts_on, edition.ends_on)}
                                        </p>
                                        <p>{edition.theme.clone()}</p>
                                    </article>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
