//! The header (site name, language switch) and footer of every page.

use crate::domain::stage::percent_encode;
use crate::i18n::use_locale;
use crate::i18n::Locale;
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::use_location;

#[component]
pub fn SiteHeader() -> impl IntoView {
    let locale = use_locale();
    let messages = locale.messages();
    view! {
        <a class="skip-link" href="#content">{messages.skip_to_content}</a>
        <header class="site-header">
            <a class="brand" href="/">
                <span class="brand-name">"Étape"</span>
                <span class="brand-tagline">{messages.tagline}</span>
            </a>
            <LanguageSwitch/>
        </header>
    }
}

/// Links that set the language cookie on the server and come back to the same page. They are
/// `rel="external"` so the client router lets the browser follow them.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let locale = use_locale();
    let location = use_location();
    let here = move || {
        let path = location.pathname.get();
        let search = location.search.get();
        let search = search.trim_start_matches('?');
        if search.is_empty() {
            path
        } else {
            format!("{path}?{search}")
        }
    };
    view! {
        <nav class="language-switch" aria-label=locale.messages().language>
            <ul>
                {Locale::ALL
                    .into_iter()
                    .map(|option| {
                        let href = move || format!("/lang/{}?next={}", option.code(), percent_encode(&here()));
                        view! {
                            <li>
                                <a
                                    href=href
                                    rel="external"
                                    hreflang=option.code()
                                    lang=option.code()
                                    aria-current=(option == locale).then_some("true")
                                >
                                    {option.native_name()}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}

#[component]
pub fn SiteFooter() -> impl IntoView {
    let messages = use_locale().messages();
    view! {
        <footer class="site-footer">
            <p>{messages.footer}</p>
            <p><a href="/lost-link">{messages.find_my_ticket}</a> " · " <a href="/privacy">{messages.privacy_link}</a></p>
        </footer>
    }
}

/// Open Graph tags, so that a link pasted in a messaging app shows a proper preview: the title,
/// a sentence with the dates and the city, and the page's address.
#[component]
pub fn LinkPreview(title: String, description: String, url: String) -> impl IntoView {
    let locale = crate::i18n::use_locale();
    let og_locale = match locale {
        crate::i18n::Locale::Fr => "fr_FR",
        crate::i18n::Locale::En => "en_GB",
    };
    view! {
        <Meta property="og:type" content="website"/>
        <Meta property="og:site_name" content="Étape"/>
        <Meta property="og:title" content=title/>
        <Meta property="og:description" content=description/>
        <Meta property="og:url" content=url/>
        <Meta property="og:locale" content=og_locale/>
    }
}
