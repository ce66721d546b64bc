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

/// "Partager": the phone's share sheet (the Web Share API) where there is one, else the page's
/// address copied, and said so. Hidden until the client runs: without JavaScript it could do
/// nothing the address bar does not.
#[island]
pub fn ShareButton(url: String, title: String, label: String, copied: String) -> impl IntoView {
    // Written to the element directly, as `SubmitButton` does: a `NodeRef` cost 7 KiB.
    Effect::new(move |_| {
        if let Ok(Some(button)) = document().query_selector("button.share") {
            let _ = button.remove_attribute("hidden");
        }
    });
    let on_click = move |_ev: leptos::ev::MouseEvent| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let button = _ev
                .current_target()
                .and_then(|target| target.dyn_into::<web_sys::HtmlElement>().ok());
            share::share_or_copy(&url, &title, &copied, button);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&url, &title, &copied);
    };
    view! {
        <button type="button" class="secondary share" hidden on:click=on_click>{label}</button>
    }
}

/// The browser side of `ShareButton`, through `Reflect` so that the client needs no more of
/// `web-sys` for two calls.
#[cfg(feature = "hydrate")]
mod share {
    use js_sys::{Function, Object, Promise, Reflect};
    use wasm_bindgen::{JsCast, JsValue};

    fn method(object: &JsValue, name: &str) -> Option<Function> {
        Reflect::get(object, &JsValue::from_str(name))
            .ok()
            .and_then(|value| value.dyn_into::<Function>().ok())
    }

    pub fn share_or_copy(
        url: &str,
        title: &str,
        copied: &str,
        button: Option<web_sys::HtmlElement>,
    ) {
        let window: JsValue = leptos::prelude::window().into();
        let Ok(navigator) = Reflect::get(&window, &"navigator".into()) else {
            return;
        };
        if let Some(share) = method(&navigator, "share") {
            let data = Object::new();
            let _ = Reflect::set(&data, &"url".into(), &JsValue::from_str(url));
            let _ = Reflect::set(&data, &"title".into(), &JsValue::from_str(title));
            // Closing the share sheet rejects the promise: nothing to say then.
            if let Ok(promise) = share.call1(&navigator, &data) {
                if let Ok(promise) = promise.dyn_into::<Promise>() {
                    leptos::task::spawn_local(async move {
                        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
                    });
                }
            }
            return;
        }
        let Ok(clipboard) = Reflect::get(&navigator, &"clipboard".into()) else {
            return;
        };
        let Some(write) = method(&clipboard, "writeText") else {
            return;
        };
        let Ok(promise) = write.call1(&clipboard, &JsValue::from_str(url)) else {
            return;
        };
        let Ok(promise) = promise.dyn_into::<Promise>() else {
            return;
        };
        let copied = copied.to_owned();
        leptos::task::spawn_local(async move {
            if wasm_bindgen_futures::JsFuture::from(promise).await.is_ok() {
                if let Some(button) = button {
                    button.set_text_content(Some(&copied));
                }
            }
        });
    }
}
