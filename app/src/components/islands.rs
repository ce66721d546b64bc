//! The interactive parts of the pages: the only components whose code ships to the browser.
//! Everything else is rendered on the server and stays plain HTML. Islands get what they need
//! as props (serialised into the page), never from server context.

use leptos::prelude::*;

/// Marks `<body data-hydrated="true">` once the WebAssembly client runs, so tests and
/// monitoring can tell a hydrated page from a static one.
#[island]
pub fn HydrationMark() -> impl IntoView {
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}

/// A form's submit button. Without JavaScript it is a plain button; hydrated, it says the form
/// is on its way (`pending`) and ignores a second press, which would post the form twice. It
/// writes to its own element rather than through signals: the client stays small.
#[island]
pub fn SubmitButton(
    label: String,
    pending: String,
    #[prop(optional)] class: Option<String>,
) -> impl IntoView {
    let on_click = move |_ev: leptos::ev::MouseEvent| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some(button) = _ev
                .current_target()
                .and_then(|target| target.dyn_into::<web_sys::HtmlElement>().ok())
            else {
                return;
            };
            if button.has_attribute("aria-busy") {
                _ev.prevent_default();
                return;
            }
            // Only words and `aria-busy` change (never `disabled`), so the submission this
            // click starts goes ahead.
            let _ = button.set_attribute("aria-busy", "true");
            button.set_text_content(Some(&pending));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &pending;
    };
    view! {
        <button type="submit" class=class on:click=on_click>{label}</button>
    }
}
