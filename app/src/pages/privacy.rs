//! `/privacy`: what Étape keeps about attendees, why, and for how long.

use crate::i18n::use_locale;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PrivacyPage() -> impl IntoView {
    let m = use_locale().messages();
    view! {
        <Title text=format!("{} — Étape", m.privacy_title)/>
        <header class="page-header"><h1>{m.privacy_title}</h1></header>
        {m.privacy_body.iter().map(|paragraph| view! { <p>{*paragraph}</p> }).collect_view()}
        <p><a href="/lost-link">{m.lost_link}</a></p>
    }
}
