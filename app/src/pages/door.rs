//! The door scanner's page, `/door`: a document of its own, outside the site's shell, so that it
//! loads the scanner's client (`door/web/`) and never the public pages' islands. The page holds
//! no secret and no personal data (the door link's secret stays in the fragment and the phone);
//! its script fills it from `GET /api/v1/door`, and its service worker keeps it for offline use.

use crate::i18n::Locale;
use leptos::prelude::*;

/// The files of the scanner's client, under `/door/` (see `scripts/build`).
pub const SCANNER_SCRIPT: &str = "/door/scanner.js";
pub const SCANNER_STYLE: &str = "/door/scanner.css";
pub const SCANNER_MANIFEST: &str = "/door/manifest.webmanifest";

/// The whole HTML document of `/door`, in `locale`.
pub fn door_document(locale: Locale) -> String {
    let s = locale.scanner();
    // The script's words, inside a JSON script element: `<` escaped so that no text can close it.
    let words = serde_json::to_string(s)
        .unwrap_or_else(|_| "{}".to_owned())
        .replace('<', "\\u003c");
    let page = view! {
        <html lang=locale.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover"/>
                <meta name="theme-color" content="#1d4e89"/>
                <meta name="referrer" content="no-referrer"/>
                <title>{format!("{} — Étape", s.title)}</title>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <link rel="manifest" href=SCANNER_MANIFEST/>
                <link rel="stylesheet" href=SCANNER_STYLE/>
                <script type="module" src=SCANNER_SCRIPT></script>
            </head>
            <body class="door">
                <header class="door-bar">
                    <h1 id="door-title">{s.title}</h1>
                    <p class="door-status">
                        <span id="door-online" data-state="online">{s.online}</span>
                        " · "
                        <span id="door-pending">{s.pending.replace("{count}", "0")}</span>
                    </p>
                    <p id="door-count" class="door-count"></p>
                    <p id="door-last" class="door-last"></p>
                </header>
                <main id="door-main">
                    <noscript><p class="door-notice">{s.no_script}</p></noscript>
                    <p id="door-notice" class="door-notice" role="alert" hidden></p>
                    <section id="door-camera" class="door-camera" aria-label=s.camera>
                        <video id="door-video" playsinline="" muted="" aria-hidden="true"></video>
                        <p id="door-aim" class="door-aim">{s.loading}</p>
                    </section>
                    <section class="door-manual" aria-labelledby="door-by-hand">
                        <h2 id="door-by-hand">{s.by_hand}</h2>
                        <form id="door-search-form" role="search">
                            <label for="door-search">{s.search_label}</label>
                            <p id="door-search-hint" class="door-hint">{s.search_hint}</p>
                            <input id="door-search" type="search" autocomplete="off" autocapitalize="words"
                                spellcheck="false" aria-describedby="door-search-hint"/>
                        </form>
                        <ul id="door-people" class="door-people" aria-live="polite"></ul>
                        <form id="door-code-form">
                            <label for="door-code">{s.code_label}</label>
                            <p id="door-code-hint" class="door-hint">{s.code_hint}</p>
                            <input id="door-code" type="text" autocomplete="off" autocapitalize="off"
                                spellcheck="false" aria-describedby="door-code-hint"/>
                            <button type="submit">{s.check_code}</button>
                        </form>
                    </section>
                    <section class="door-doors" aria-labelledby="door-per-door-title">
                        <h2 id="door-per-door-title">{s.per_door}</h2>
                        <ul id="door-per-door"></ul>
                    </section>
                    <section id="door-conflicts" class="door-conflicts" aria-labelledby="door-conflicts-title" hidden>
                        <h2 id="door-conflicts-title">{s.conflicts}</h2>
                        <ul id="door-conflict-list"></ul>
                    </section>
                </main>
                <div id="door-result" class="door-result" role="status" aria-live="assertive" hidden>
                    <p id="door-result-word" class="door-result-word"></p>
                    <p id="door-result-name" class="door-result-name"></p>
                    <p id="door-result-detail" class="door-result-detail"></p>
                    <button id="door-result-next" type="button">{s.dismiss}</button>
                </div>
                <script type="application/json" id="door-words" inner_html=words></script>
            </body>
        </html>
    };
    format!("<!DOCTYPE html>{}", page.to_html())
}
