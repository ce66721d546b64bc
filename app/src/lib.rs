//! Étape's application: domain rules, storage, server functions and pages. Compiled twice:
//! with `ssr` into the `etape` server, with `hydrate` into the browser's WebAssembly.

// Leptos views are deeply nested types; the release client build needs more room.
#![recursion_limit = "256"]

pub mod api;
pub mod app;
pub mod components;
pub use etape_domain as domain;
pub mod error;
pub mod i18n;
pub mod pages;
pub mod paths;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod links;
#[cfg(feature = "ssr")]
pub mod mail;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Islands: only the interactive parts of a page ship code and hydrate.
    leptos::mount::hydrate_islands();
}
