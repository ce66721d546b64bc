//! An edition's team over HTTP, on SQLite and PostgreSQL: inviting by email (the link read from
//! the outbox), accepting with a new account or a signed-in one, withdrawing, and each team
//! inviting only within its reach.

use crate::support::{on_both_engines, TestApp};
use crate::workspace::{account, browser, log_in, PASSWORD};
use app::db::outbox;
use app::demo::UPCOMING_EDITION;
use reqwest::header::{LOCATION, SET_COOKIE};
use reqwest::StatusCode;

fn team() -> String {
    app::paths::workspace_team(UPCOMING_EDITION)
}

/// The invitation link of the last email sent to `address`, as a local path.
async fn invitation_link(app: &TestApp, address: &str) -> String {
    let emails = outbox::list_for_recipient(&app.db, address).await.unwrap();
    let text = &emails.last().expect("an invitation email").email.text;
    let at = text.find("/workspace/invitations/").expect("a link");
    text[at..]
        .split(|c: char| c.is_whitespace() || c == '>' || c == ')')
        .next()
        .unwrap()
        .to_owned()
}

async fn invite(
    app: &TestApp,
    http: &reqwest::Client,
    email: &str,
    role: &str,
) -> reqwest::Response {
    http.post(app.url(&team()))
        .form(&[("email", email), ("role", role)])
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invited_organiser_creates_an_account_and_sees_only_their_stage() {
    on_both_engines(|app| async move {
        account(&app, "national@example.org", "Camille Nationale", &[None]).await;
        let national = browser(&app);
        log_in(&app, &national, "national@example.org", PASSWORD).await;
        let page = national.get(app.url(&team())).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        assert!(page.text().await.unwrap().contains("Camille Nationale"));

        let wrong = invite(&app, &national, "léa at example", "lyon").await;
        assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = wrong.text().await.unwrap();
        assert!(body.contains("Cette adresse e-mail n'est pas valide"));
        assert!(body.contains("value=\"léa at example\""));

        let sent = invite(&app, &national, "Lea@Example.org", "lyon").await;
        assert_eq!(sent.status(), StatusCode::SEE_OTHER);
        assert_eq!(sent.headers()[LOCATION], format!("{}?invited", team()));
        let emails = outbox::list_for_recipient(&app.db, "lea@example.org")
            .await
            .unwrap();
        assert_eq!(emails.len(), 1);
        assert!(emails[0]
            .email
            .subject
            .starts_with("Camille Nationale vous invite à organiser l'étape de Lyon"));
        let link = invitation_link(&app, "lea@example.org").await;

        // Léa opens it without an account.
        let lea = browser(&app);
        let page = lea.get(app.url(&link)).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        assert!(page
            .text()
            .await
            .unwrap()
            .contains("Créer mon compte et rejoindre l'équipe"));
        let short = lea
            .post(app.url(&link))
            .form(&[
                ("with", "new-account"),
                ("name", "Léa Martin"),
                ("password", "court"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = short.text().await.unwrap();
        assert!(body.contains("Au moins 12 caractères"));
        assert!(body.contains("value=\"Léa Martin\""));
        assert!(!body.contains("court"), "the password is never sent back");

        let joined = lea
            .post(app.url(&link))
            .form(&[
                ("with", "new-account"),
                ("name", "Léa Martin"),
                ("password", PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(joined.status(), StatusCode::SEE_OTHER);
        assert_eq!(joined.headers()[LOCATION], "/workspace?joined");
        assert!(joined.headers()[SET_COOKIE]
            .to_str()
            .unwrap()
            .starts_with("etape_session="));
        let home = lea
            .get(app.url("/workspace?joined"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(home.contains("Bienvenue dans l'équipe"));
        assert!(home.contains("data-stage=\"lyon\""));
        assert!(!home.contains("data-stage=\"paris\""));

        // The link is spent.
        let again = lea.get(app.url(&link)).send().await.unwrap();
        assert!(again.text().await.unwrap().contains("déjà été acceptée"));
        let replay = browser(&app)
            .post(app.url(&link))
            .form(&[
                ("with", "new-account"),
                ("name", "Autre"),
                ("password", PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(replay.status(), StatusCode::FORBIDDEN);

        // Léa invites within Lyon only: Paris's stage is out of her sight.
        assert_eq!(
            invite(&app, &lea, "paul@example.org", "paris")
                .await
                .status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            invite(&app, &lea, "paul@example.org", "edition")
                .await
                .status(),
            StatusCode::FORBIDDEN
        );
        assert!(outbox::list_for_recipient(&app.db, "paul@example.org")
            .await
            .unwrap()
            .is_empty());
        assert_eq!(
            invite(&app, &lea, "paul@example.org", "lyon")
                .await
                .status(),
            StatusCode::SEE_OTHER
        );
        app
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_withdrawn_invitation_opens_nothing_and_an_existing_account_joins_as_itself() {
    on_both_engines(|app| async move {
        account(&app, "national@example.org", "Camille", &[None]).await;
        account(&app, "paul@example.org", "Paul", &[Some("paris")]).await;
        let national = browser(&app);
        log_in(&app, &national, "national@example.org", PASSWORD).await;

        invite(&app, &national, "intrus@example.org", "nantes").await;
        let link = invitation_link(&app, "intrus@example.org").await;
        let page = national
            .get(app.url(&team()))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let at = page.find("/team/invitations/").expect("a withdraw form");
        let withdraw = page[at..].split('"').next().unwrap();
        let withdraw = format!("/workspace/editions/{UPCOMING_EDITION}{withdraw}");
        let done = national.post(app.url(&withdraw)).send().await.unwrap();
        assert_eq!(done.status(), StatusCode::SEE_OTHER);
        let closed = browser(&app)
            .get(app.url(&link))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(closed.contains("a été retirée"));
        let refused = browser(&app)
            .post(app.url(&link))
            .form(&[
                ("with", "new-account"),
                ("name", "Intrus"),
                ("password", PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);

        // Paul, who runs Paris, is invited to Lyon too and joins with his account.
        invite(&app, &national, "paul@example.org", "lyon").await;
        let link = invitation_link(&app, "paul@example.org").await;
        let anonymous = browser(&app)
            .get(app.url(&link))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(anonymous.contains("Un compte existe déjà pour paul@example.org"));
        let paul = browser(&app);
        log_in(&app, &paul, "paul@example.org", PASSWORD).await;
        let joined = paul
            .post(app.url(&link))
            .form(&[("with", "my-account")])
            .send()
            .await
            .unwrap();
        assert_eq!(joined.status(), StatusCode::SEE_OTHER);
        let home = paul
            .get(app.url("/workspace"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(home.contains("data-stage=\"paris\"") && home.contains("data-stage=\"lyon\""));
        app
    })
    .await;
}

/// The reset link of the last email sent to `address`, as a local path.
async fn reset_link(app: &TestApp, address: &str) -> String {
    let emails = outbox::list_for_recipient(&app.db, address).await.unwrap();
    let text = &emails.last().expect("a reset email").email.text;
    let at = text.find("/workspace/password-reset/").expect("a link");
    text[at..]
        .split(|c: char| c.is_whitespace() || c == '>' || c == ')')
        .next()
        .unwrap()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forgotten_password_is_reset_once_and_ends_every_other_login() {
    on_both_engines(|app| async move {
        account(&app, "lyon@example.org", "Léa", &[Some("lyon")]).await;
        let laptop = browser(&app);
        log_in(&app, &laptop, "lyon@example.org", PASSWORD).await;

        let phone = browser(&app);
        for address in ["LYON@example.org", "personne@example.org"] {
            let asked = phone
                .post(app.url("/workspace/password-reset"))
                .form(&[("email", address)])
                .send()
                .await
                .unwrap();
            assert_eq!(
                asked.status(),
                StatusCode::SEE_OTHER,
                "the same answer for {address}"
            );
            assert_eq!(asked.headers()[LOCATION], "/workspace/password-reset?sent");
        }
        assert!(outbox::list_for_recipient(&app.db, "personne@example.org")
            .await
            .unwrap()
            .is_empty());
        let link = reset_link(&app, "lyon@example.org").await;

        let form = phone.get(app.url(&link)).send().await.unwrap();
        assert_eq!(form.status(), StatusCode::OK);
        assert!(form.text().await.unwrap().contains("Nouveau mot de passe"));
        let short = phone
            .post(app.url(&link))
            .form(&[("password", "court")])
            .send()
            .await
            .unwrap();
        assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let new_password = "une toute nouvelle phrase";
        let set = phone
            .post(app.url(&link))
            .form(&[("password", new_password)])
            .send()
            .await
            .unwrap();
        assert_eq!(set.status(), StatusCode::SEE_OTHER);
        assert_eq!(set.headers()[LOCATION], "/workspace?password-changed");
        let home = phone
            .get(app.url("/workspace?password-changed"))
            .send()
            .await
            .unwrap();
        let home = home.text().await.unwrap();
        assert!(home.contains("Mot de passe changé"), "{home}");

        let ended = laptop.get(app.url("/workspace")).send().await.unwrap();
        assert!(
            ended.status().is_redirection(),
            "the laptop's login is over"
        );
        assert_eq!(
            log_in(&app, &browser(&app), "lyon@example.org", PASSWORD)
                .await
                .status(),
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            log_in(&app, &browser(&app), "lyon@example.org", new_password)
                .await
                .status(),
            StatusCode::SEE_OTHER
        );

        let spent = browser(&app).get(app.url(&link)).send().await.unwrap();
        assert!(spent
            .text()
            .await
            .unwrap()
            .contains("Ce lien ne fonctionne plus"));
        let replay = browser(&app)
            .post(app.url(&link))
            .form(&[("password", "encore une autre phrase")])
            .send()
            .await
            .unwrap();
        assert_eq!(replay.status(), StatusCode::FORBIDDEN);
        app
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_role_is_taken_away_by_those_who_may_give_it() {
    on_both_engines(|app| async move {
        account(&app, "national@example.org", "Camille", &[None]).await;
        account(&app, "lea@example.org", "Léa", &[Some("lyon")]).await;
        account(&app, "paul@example.org", "Paul", &[Some("paris")]).await;
        let remove = app::paths::workspace_remove_member(UPCOMING_EDITION);
        let id = |email: &'static str| {
            let app = &app;
            async move {
                app::db::accounts::find_by_email(
                    &app.db,
                    &app::domain::registration::Email::parse(email).unwrap(),
                )
                .await
                .unwrap()
                .unwrap()
                .id
            }
        };
        let (lea_id, paul_id, national_id) = (
            id("lea@example.org").await,
            id("paul@example.org").await,
            id("national@example.org").await,
        );

        // Léa may not take Paris from Paul (a stage she does not even see), the edition from
        // Camille, nor a role she does not hold from herself.
        let lea = browser(&app);
        log_in(&app, &lea, "lea@example.org", PASSWORD).await;
        for (account, role, status) in [
            (&paul_id, "paris", StatusCode::NOT_FOUND),
            (&national_id, "edition", StatusCode::FORBIDDEN),
            (&lea_id, "paris", StatusCode::NOT_FOUND),
        ] {
            let refused = lea
                .post(app.url(&remove))
                .form(&[("account", account.as_str()), ("role", role)])
                .send()
                .await
                .unwrap();
            assert_eq!(refused.status(), status, "{role}");
        }

        let national = browser(&app);
        log_in(&app, &national, "national@example.org", PASSWORD).await;
        let page = national
            .get(app.url(&team()))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("Retirer Léa de ce rôle"));
        assert!(!page.contains("Retirer Camille"), "not oneself");
        let removed = national
            .post(app.url(&remove))
            .form(&[("account", lea_id.as_str()), ("role", "lyon")])
            .send()
            .await
            .unwrap();
        assert_eq!(removed.status(), StatusCode::SEE_OTHER);
        assert_eq!(removed.headers()[LOCATION], format!("{}?removed", team()));
        let home = lea
            .get(app.url("/workspace"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            !home.contains("data-stage=\"lyon\""),
            "Léa no longer sees Lyon"
        );
        let lineup = lea
            .get(app.url(&app::paths::workspace_lineup(UPCOMING_EDITION, "lyon")))
            .send()
            .await
            .unwrap();
        assert_eq!(lineup.status(), StatusCode::NOT_FOUND);

        // Paul leaves Paris on his own, from the team page.
        let paul = browser(&app);
        log_in(&app, &paul, "paul@example.org", PASSWORD).await;
        let page = paul
            .get(app.url(&team()))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("Quitter l'équipe de Paris"), "{page}");
        let left = paul
            .post(app.url(&remove))
            .form(&[("account", paul_id.as_str()), ("role", "paris")])
            .send()
            .await
            .unwrap();
        assert_eq!(left.status(), StatusCode::SEE_OTHER);
        assert_eq!(left.headers()[LOCATION], "/workspace?left");
        let home = paul
            .get(app.url("/workspace?left"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(home.contains("Vous avez quitté ce rôle."));
        assert!(
            !home.contains("data-stage=\"paris\""),
            "Paul no longer sees Paris"
        );
        app
    })
    .await;
}
