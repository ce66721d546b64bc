//! The HTML shell, the application root and the route table.

use crate::components::islands::HydrationMark;
use crate::components::layout::{SiteFooter, SiteHeader};
use crate::i18n::use_locale;
use crate::pages::{
    confirm_address::ConfirmAddressPage,
    edition::EditionPage,
    home::HomePage,
    lost_link::LostLinkPage,
    not_found::NotFoundPage,
    privacy::PrivacyPage,
    registration::{CancelRegistrationPage, MyRegistrationPage},
    stage::StagePage,
    ticket::TicketPage,
    workspace::{
        cancel_stage::CancelStagePage,
        doors::DoorsPage,
        home::WorkspaceHomePage,
        invitation::InvitationPage,
        lineup::LineupPage,
        login::LoginPage,
        new_edition::{EditEditionPage, NewEditionPage},
        password_reset::{AskResetPage, NewPasswordPage},
        preview::StagePreviewPage,
        stage::StageFormPage,
        team::TeamPage,
        tokens::TokensPage,
    },
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// The document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let locale = use_locale();
    view! {
        <!DOCTYPE html>
        <html lang=locale.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#1d4e89"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options=options.clone() islands=true/>
                <leptos_meta::HashedStylesheet options id="leptos"/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(use_locale());

    view! {
        <Router>
            <SiteHeader/>
            <main id="content" tabindex="-1">
                <Routes fallback=|| view! { <NotFoundPage/> }>
                    <Route path=path!("") view=HomePage ssr=SsrMode::Async/>
                    // Étape's own paths first: their words are reserved slugs (domain::slug).
                    <Route path=path!("/privacy") view=PrivacyPage ssr=SsrMode::Async/>
                    <Route path=path!("/lost-link") view=LostLinkPage ssr=SsrMode::Async/>
                    <Route path=path!("/registrations/:token") view=MyRegistrationPage ssr=SsrMode::Async/>
                    <Route path=path!("/registrations/:token/cancel") view=CancelRegistrationPage ssr=SsrMode::Async/>
                    <Route path=path!("/tickets/:token") view=TicketPage ssr=SsrMode::Async/>
                    <Route path=path!("/confirm/:token") view=ConfirmAddressPage ssr=SsrMode::Async/>
                    <Route path=path!("/workspace") view=WorkspaceHomePage ssr=SsrMode::Async/>
                    <Route path=path!("/workspace/login") view=LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/workspace/editions/new") view=NewEditionPage ssr=SsrMode::Async/>
                    <Route path=path!("/workspace/invitations/:token") view=InvitationPage ssr=SsrMode::Async/>
                    <Route path=path!("/workspace/password-reset") view=AskResetPage ssr=SsrMode::Async/>
                    <Route path=path!("/workspace/tokens") view=TokensPage ssr=SsrMode::Async/>
                    <Route path=path!("/workspace/password-reset/:token") view=NewPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/workspace/editions/:edition/team") view=TeamPage ssr=SsrMode::Async/>
                    <Route path=path!("/workspace/editions/:edition") view=EditEditionPage ssr=SsrMode::Async/>
                    <Route path=path!("/workspace/editions/:edition/stages/new") view=StageFormPage ssr=SsrMode::Async/>
                    <Route path=path!("/workspace/editions/:edition/stages/:stage") view=StageFormPage ssr=SsrMode::Async/>
                    <Route path=path!("/workspace/editions/:edition/stages/:stage/cancel") view=CancelStagePage ssr=SsrMode::Async/>
                    <Route path=path!("/workspace/editions/:edition/stages/:stage/preview") view=StagePreviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/workspace/editions/:edition/stages/:stage/lineup") view=LineupPage ssr=SsrMode::Async/>
                    <Route path=path!("/workspace/editions/:edition/stages/:stage/doors") view=DoorsPage ssr=SsrMode::Async/>
                    <Route path=path!("/:edition") view=EditionPage ssr=SsrMode::Async/>
                    <Route path=path!("/:edition/:stage") view=StagePage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <SiteFooter/>
            <HydrationMark/>
        </Router>
    }
}
