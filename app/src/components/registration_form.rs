//! The registration form on a stage page. Without JavaScript it is a plain POST form that the
//! server answers with the page again (errors beside the fields, everything typed kept) or
//! with a redirect to "my registration". Hydrated, it calls the `register` server function
//! and shows the outcome in place, without a reload.

use crate::api::registration::RegistrationReceipt;
use crate::domain::registration::{FieldError, RegistrationForm, RegistrationStatus};
use crate::error::AppError;
use crate::i18n::Locale;
use leptos::prelude::*;

/// A form as it was sent, and what came of it: how the server re-renders a no-JS attempt.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RegistrationAttempt {
    pub form: RegistrationForm,
    pub outcome: Result<RegistrationReceipt, AppError>,
}

#[island]
pub fn RegistrationFormIsland(
    edition: String,
    stage: String,
    locale: Locale,
    attempt: Option<RegistrationAttempt>,
) -> impl IntoView {
    let m = locale.messages();
    let action = format!("/{edition}/{stage}/register");
    let initial = attempt.clone().map(|a| a.form).unwrap_or_default();
    // Rendered as `value`/`checked` attributes, so a no-JS answer shows what was typed; the
    // signals follow the inputs once hydrated.
    let initial_organisation = initial.organisation.clone().unwrap_or_default();
    let name = RwSignal::new(initial.name.clone());
    let email = RwSignal::new(initial.email.clone());
    let organisation = RwSignal::new(initial_organisation.clone());
    let consent = RwSignal::new(initial.consent);
    let outcome = RwSignal::new(attempt.map(|a| a.outcome));
    let pending = RwSignal::new(false);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        let form = RegistrationForm {
            name: name.get_untracked(),
            email: email.get_untracked(),
            organisation: Some(organisation.get_untracked()),
            consent: consent.get_untracked(),
        };
        let (edition, stage) = (edition.clone(), stage.clone());
        leptos::task::spawn_local(async move {
            let result = crate::api::registration::register(edition, stage, form).await;
            outcome.set(Some(result));
            pending.set(false);
        });
    };

    let field_error = move |field: &'static str| {
        outcome.with(|o| match o {
            Some(Err(AppError::Invalid(errors))) => errors
                .iter()
                .find(|e| e.field() == field)
                .map(|e: &FieldError| locale.field_error(e)),
            _ => None,
        })
    };
    let done = move || outcome.with(|o| matches!(o, Some(Ok(_))));

    view! {
        <section class="register" aria-labelledby="register-heading">
            <h2 id="register-heading">{m.register_heading}</h2>
            {move || outcome.get().map(|o| match o {
                Ok(receipt) => view! { <Receipt receipt locale/> }.into_any(),
                Err(AppError::Invalid(_)) => view! {
                    <p class="form-error" role="alert">{m.form_has_errors}</p>
                }.into_any(),
                Err(error) => view! {
                    <p class="form-error" role="alert">{error.message(locale)}</p>
                }.into_any(),
            })}
            <form method="post" action=action novalidate on:submit=on_submit hidden=done>
                <Field id="reg-name" label=m.field_name error=Signal::derive(move || field_error("name"))>
                    <input id="reg-name" name="name" type="text" autocomplete="name" maxlength="120"
                        required aria-invalid=move || field_error("name").is_some().to_string()
                        aria-describedby="reg-name-error" value=initial.name
                        on:input:target=move |ev| name.set(ev.target().value())/>
                </Field>
                <Field id="reg-email" label=m.field_email error=Signal::derive(move || field_error("email"))>
                    <input id="reg-email" name="email" type="email" autocomplete="email" inputmode="email"
                        maxlength="254" required aria-invalid=move || field_error("email").is_some().to_string()
                        aria-describedby="reg-email-error" value=initial.email
                        on:input:target=move |ev| email.set(ev.target().value())/>
                </Field>
                <Field id="reg-organisation" label=m.field_organisation error=Signal::derive(move || field_error("organisation"))>
                    <input id="reg-organisation" name="organisation" type="text" autocomplete="organization"
                        maxlength="120" aria-invalid=move || field_error("organisation").is_some().to_string()
                        aria-describedby="reg-organisation-error" value=initial_organisation
                        on:input:target=move |ev| organisation.set(ev.target().value())/>
                </Field>
                <div class="field field-consent">
                    <input id="reg-consent" name="consent" type="checkbox" value="true" required
                        aria-invalid=move || field_error("consent").is_some().to_string()
                        aria-describedby="reg-consent-error" checked=initial.consent
                        on:change:target=move |ev| consent.set(ev.target().checked())/>
                    <label for="reg-consent">
                        {m.consent_label} " "
                        <a href="/privacy" target="_blank" rel="noopener">{m.privacy_link}</a>
                    </label>
                    <p id="reg-consent-error" class="field-error">{move || field_error("consent")}</p>
                </div>
                <button type="submit" disabled=move || pending.get()>
                    {move || if pending.get() { m.submitting } else { m.submit_register }}
                </button>
            </form>
        </section>
    }
}

#[component]
fn Field(
    id: &'static str,
    label: &'static str,
    error: Signal<Option<String>>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {children()}
            <p id=format!("{id}-error") class="field-error">{move || error.get()}</p>
        </div>
    }
}

#[component]
fn Receipt(receipt: RegistrationReceipt, locale: Locale) -> impl IntoView {
    let m = locale.messages();
    let message = match (receipt.already_registered, receipt.status) {
        (true, _) => m.already_registered,
        (false, RegistrationStatus::Waitlisted) => m.registered_waitlisted,
        (false, _) => m.registered_confirmed,
    };
    view! {
        <div class="receipt" role="status">
            <p>{message}</p>
            <ul class="inline-list">
                {receipt.manage_url.map(|url| view! { <li><a href=url>{m.see_my_registration}</a></li> })}
                {receipt.ticket_url.map(|url| view! { <li><a href=url>{m.see_my_ticket}</a></li> })}
            </ul>
        </div>
    }
}
