//! Stages in the organiser workspace over HTTP, on SQLite and PostgreSQL: adding one, editing
//! it (a new time tells its registrants and its calendars), cancelling it with a reason, each
//! only within the person's reach.

use crate::support::{command_desk, on_both_engines, TestApp};
use crate::workspace::{account, browser, log_in, PASSWORD};
use app::db::{editions, outbox, stages, workspace};
use app::demo::UPCOMING_EDITION;
use app::domain::registration::RegistrationForm;
use app::domain::stage_form::StageForm;
use app::domain::StageStatus;
use app::i18n::Locale;
use chrono::{Duration, NaiveDateTime, Utc};
use reqwest::header::LOCATION;
use reqwest::StatusCode;

fn stage_path(stage: &str) -> String {
    app::paths::workspace_stage(UPCOMING_EDITION, stage)
}

/// The form of a demo stage as stored, as its page fills it.
async fn stored_form(app: &TestApp, stage: &str) -> StageForm {
    let record = stored(app, stage).await;
    StageForm::from_stage(&record.stage)
}

async fn stored(app: &TestApp, stage: &str) -> stages::StageRecord {
    let edition = editions::find_edition(&app.db, UPCOMING_EDITION)
        .await
        .unwrap()
        .unwrap();
    let id = workspace::stage_id(&app.db, &edition.id, stage)
        .await
        .unwrap()
        .expect("a stage");
    stages::find_stage_by_id(&app.db, &id)
        .await
        .unwrap()
        .unwrap()
        .1
}

async fn register(app: &TestApp, stage: &str, n: usize) {
    let form = RegistrationForm {
        name: format!("Personne {n}"),
        email: format!("personne{n}@example.org"),
        organisation: None,
        consent: true,
    };
    command_desk(&app.db)
        .register(UPCOMING_EDITION, stage, &form, Locale::Fr, Utc::now())
        .await
        .unwrap();
}

async fn subjects(app: &TestApp, n: usize) -> Vec<String> {
    outbox::list_for_recipient(&app.db, &format!("personne{n}@example.org"))
        .await
        .unwrap()
        .into_iter()
        .map(|record| record.email.subject)
        .collect()
}

fn later(local: &str, by: Duration) -> String {
    let time = NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M").unwrap();
    (time + by).format("%Y-%m-%dT%H:%M").to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_national_team_adds_a_draft_stage_keeping_what_was_typed_on_a_mistake() {
    on_both_engines(|app| async move {
        account(&app, "national@example.org", "Équipe", &[None]).await;
        let http = browser(&app);
        log_in(&app, &http, "national@example.org", PASSWORD).await;
        let new_path = app::paths::workspace_new_stage(UPCOMING_EDITION);

        let page = http.get(app.url(&new_path)).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let body = page.text().await.unwrap();
        assert!(
            body.contains("<datalist id=\"time-zones\">"),
            "a searchable zone list"
        );
        assert!(body.contains("value=\"America/Montreal\""));
        assert!(
            body.contains("value=\"Europe/Paris\""),
            "the edition's usual zone first"
        );

        let paris = stored_form(&app, "paris").await;
        let mut typed = StageForm {
            slug: String::new(),
            city: "Bordeaux".into(),
            venue_name: "Darwin".into(),
            venue_address: "87 quai des Queyries, 33100 Bordeaux".into(),
            latitude: "44.85".into(),
            longitude: String::new(),
            time_zone: "Europe/Paris".into(),
            starts: later(&paris.starts, Duration::days(2)),
            ends: later(&paris.starts, Duration::days(1)),
            theme: "Le numérique responsable".into(),
            description: "Une soirée </textarea><script>alert(1)</script> au bord de l'eau.".into(),
            capacity: "quatre-vingts".into(),
            registration_opens: String::new(),
            registration_closes: String::new(),
            co_organisers: "Darwin https://darwin.camp\nCap Sciences".into(),
            confirm_email_minutes: String::new(),
        };
        let response = http
            .post(app.url(&new_path))
            .form(&typed)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = response.text().await.unwrap();
        assert!(
            body.contains("Le formulaire contient des erreurs"),
            "{body}"
        );
        assert!(
            body.contains("ou laissez les deux vides"),
            "one coordinate alone"
        );
        assert!(body.contains("La fin vient après le début."));
        assert!(body.contains("par exemple 120"));
        assert!(
            body.contains("value=\"quatre-vingts\""),
            "what was typed is kept"
        );
        assert!(body.contains("87 quai des Queyries"));
        assert!(
            body.contains("&lt;/textarea&gt;&lt;script&gt;alert(1)"),
            "escaped back"
        );
        assert!(!body.contains("<script>alert(1)"));
        assert!(
            body.contains("href=\"#field-capacity\""),
            "the summary links the field"
        );

        typed.longitude = "-0.56".into();
        typed.ends = later(&paris.ends, Duration::days(2));
        typed.capacity = "80".into();
        let response = http
            .post(app.url(&new_path))
            .form(&typed)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            response.headers()[LOCATION],
            format!("{}?created", stage_path("bordeaux"))
        );
        let bordeaux = stored(&app, "bordeaux").await;
        assert_eq!(bordeaux.stage.status, StageStatus::Draft);
        assert_eq!(bordeaux.stage.capacity, 80);
        assert_eq!(bordeaux.stage.co_organisers.len(), 2);
        let page = http
            .get(app.url(&format!("{}?created", stage_path("bordeaux"))))
            .send()
            .await
            .unwrap();
        assert!(page
            .text()
            .await
            .unwrap()
            .contains("est créée, en brouillon"));
        let public = reqwest::get(app.url(&format!("/{UPCOMING_EDITION}/bordeaux")))
            .await
            .unwrap();
        assert_eq!(
            public.status(),
            StatusCode::NOT_FOUND,
            "a draft stays private"
        );

        // The same address twice is refused beside its field.
        let again = http
            .post(app.url(&new_path))
            .form(&typed)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(again
            .text()
            .await
            .unwrap()
            .contains("Une autre étape de l'édition a déjà cette adresse"));
        app
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_city_team_edits_its_own_stage_and_cannot_reach_another() {
    on_both_engines(|app| async move {
        account(&app, "lyon@example.org", "Léa", &[Some("lyon")]).await;
        let http = browser(&app);
        log_in(&app, &http, "lyon@example.org", PASSWORD).await;

        let own = http.get(app.url(&stage_path("lyon"))).send().await.unwrap();
        assert_eq!(own.status(), StatusCode::OK);
        let other = http
            .get(app.url(&stage_path("paris")))
            .send()
            .await
            .unwrap();
        assert_eq!(other.status(), StatusCode::NOT_FOUND, "not even seen");
        let draft = http
            .get(app.url(&stage_path("grenoble")))
            .send()
            .await
            .unwrap();
        assert_eq!(draft.status(), StatusCode::NOT_FOUND);

        let mut paris = stored_form(&app, "paris").await;
        paris.theme = "Pris par Lyon".into();
        let response = http
            .post(app.url(&stage_path("paris")))
            .form(&paris)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert_ne!(stored(&app, "paris").await.stage.theme, "Pris par Lyon");

        let new_path = app::paths::workspace_new_stage(UPCOMING_EDITION);
        let form_page = http.get(app.url(&new_path)).send().await.unwrap();
        assert_eq!(
            form_page.status(),
            StatusCode::FORBIDDEN,
            "the edition is theirs to see, not to grow"
        );
        let added = http
            .post(app.url(&new_path))
            .form(&stored_form(&app, "lyon").await)
            .send()
            .await
            .unwrap();
        assert_eq!(added.status(), StatusCode::FORBIDDEN);

        // Their own stage: a new description, nobody told (not a new time or place).
        register(&app, "lyon", 1).await;
        let mut lyon = stored_form(&app, "lyon").await;
        lyon.description =
            "Une **soirée** au Vieux Lyon.<script>alert(1)</script>[x](javascript:alert(2))".into();
        let response = http
            .post(app.url(&stage_path("lyon")))
            .form(&lyon)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            response.headers()[LOCATION],
            format!("{}?saved=0", stage_path("lyon"))
        );
        let saved = stored(&app, "lyon").await;
        assert!(
            saved.stage.description.starts_with("Une **soirée**"),
            "the source is kept"
        );
        // The public page shows it formatted, within the caches' second, and never the script.
        let public = app.url(&format!("/{UPCOMING_EDITION}/lyon"));
        let mut page = String::new();
        for _ in 0..30 {
            page = reqwest::get(&public).await.unwrap().text().await.unwrap();
            if page.contains("<strong>soirée</strong>") {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(
            page.contains("<p>Une <strong>soirée</strong> au Vieux Lyon."),
            "{page}"
        );
        assert!(!page.contains("alert(1)") && !page.contains("javascript:"));
        assert_eq!(saved.sequence, 0, "calendars keep their copy");
        assert_eq!(subjects(&app, 1).await.len(), 1, "only the confirmation");
        app
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_time_for_a_published_stage_tells_its_registrants_and_keeps_its_address() {
    on_both_engines(|app| async move {
        account(&app, "lyon@example.org", "Léa", &[Some("lyon")]).await;
        let http = browser(&app);
        log_in(&app, &http, "lyon@example.org", PASSWORD).await;
        {
            // One seat: the first holds it, the second waits.
            let desk = command_desk(&app.db);
            let edition = editions::find_edition(&app.db, UPCOMING_EDITION)
                .await
                .unwrap()
                .unwrap();
            let lyon = stored(&app, "lyon").await;
            let one_seat = app::domain::Stage {
                capacity: 1,
                ..lyon.stage.clone()
            };
            desk.edit_stage(&edition, &lyon.id, &one_seat, Utc::now())
                .await
                .unwrap();
        }
        register(&app, "lyon", 1).await;
        register(&app, "lyon", 2).await;
        let before = stored(&app, "lyon").await;

        let mut form = stored_form(&app, "lyon").await;
        form.slug = "lyon-bis".into();
        form.starts = later(&form.starts, Duration::days(1));
        form.ends = later(&form.ends, Duration::days(1));
        let page = http.get(app.url(&stage_path("lyon"))).send().await.unwrap();
        assert!(page
            .text()
            .await
            .unwrap()
            .contains("les 2 personnes inscrites recevront un e-mail"));
        let response = http
            .post(app.url(&stage_path("lyon")))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            response.headers()[LOCATION],
            format!("{}?saved=2", stage_path("lyon")),
            "a published stage keeps its address"
        );
        let after = stored(&app, "lyon").await;
        assert_eq!(
            after.stage.starts_at,
            before.stage.starts_at + Duration::days(1)
        );
        assert_eq!(
            after.sequence,
            before.sequence + 1,
            "calendars replace the old time"
        );
        for n in [1, 2] {
            let told = subjects(&app, n).await;
            assert!(
                told.iter().any(|s| s == "Nouvel horaire — Lyon"),
                "{told:?}"
            );
        }

        // More seats: the person waiting gets one, told once (with the new details).
        let mut form = stored_form(&app, "lyon").await;
        form.capacity = "2".into();
        let response = http
            .post(app.url(&stage_path("lyon")))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.headers()[LOCATION],
            format!("{}?saved=1", stage_path("lyon"))
        );
        let second = subjects(&app, 2).await;
        assert!(
            second
                .iter()
                .any(|s| s.starts_with("Une place s'est libérée")),
            "{second:?}"
        );
        app
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_asks_for_a_reason_then_tells_every_registrant() {
    on_both_engines(|app| async move {
        account(&app, "lyon@example.org", "Léa", &[Some("lyon")]).await;
        let http = browser(&app);
        log_in(&app, &http, "lyon@example.org", PASSWORD).await;
        register(&app, "lyon", 1).await;
        let cancel_path = app::paths::workspace_cancel_stage(UPCOMING_EDITION, "lyon");

        let page = http.get(app.url(&cancel_path)).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        assert!(page
            .text()
            .await
            .unwrap()
            .contains("Annuler l'étape de Lyon et prévenir la personne inscrite"));

        let blank = http
            .post(app.url(&cancel_path))
            .form(&[("reason", "  ")])
            .send()
            .await
            .unwrap();
        assert_eq!(blank.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(blank
            .text()
            .await
            .unwrap()
            .contains("Indiquez le motif de l'annulation."));
        assert_eq!(
            stored(&app, "lyon").await.stage.status,
            StageStatus::Published
        );

        let paris = http
            .post(app.url(&app::paths::workspace_cancel_stage(
                UPCOMING_EDITION,
                "paris",
            )))
            .form(&[("reason", "Pas à nous")])
            .send()
            .await
            .unwrap();
        assert_eq!(paris.status(), StatusCode::NOT_FOUND);
        assert_eq!(
            stored(&app, "paris").await.stage.status,
            StageStatus::Published
        );

        let reason = "La salle est inondée <b>ce soir</b>.";
        let response = http
            .post(app.url(&cancel_path))
            .form(&[("reason", reason)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            response.headers()[LOCATION],
            format!("{}?cancelled=1", stage_path("lyon"))
        );
        assert_eq!(
            stored(&app, "lyon").await.stage.status,
            StageStatus::Cancelled
        );
        let emails = outbox::list_for_recipient(&app.db, "personne1@example.org")
            .await
            .unwrap();
        let cancelled = emails
            .iter()
            .find(|e| e.email.subject == "Étape annulée — Lyon")
            .expect("the cancellation email");
        assert!(cancelled.email.text.contains(reason));
        assert!(cancelled.email.html.contains("&lt;b&gt;ce soir&lt;/b&gt;"));

        // Cancelled is final: a second cancellation changes nothing and tells nobody again.
        let again = http
            .post(app.url(&cancel_path))
            .form(&[("reason", "Encore")])
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::FORBIDDEN);
        assert_eq!(subjects(&app, 1).await.len(), 2);
        // And it is kept as it was: no new time for an evening that will not happen.
        let mut form = stored_form(&app, "lyon").await;
        form.starts = later(&form.starts, Duration::days(1));
        form.ends = later(&form.ends, Duration::days(1));
        let moved = http
            .post(app.url(&stage_path("lyon")))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(moved.status(), StatusCode::FORBIDDEN);
        assert_eq!(
            subjects(&app, 1).await.len(),
            2,
            "nobody told of a new time"
        );
        app
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_is_previewed_by_its_organisers_only() {
    on_both_engines(|app| async move {
        account(&app, "grenoble@example.org", "Inès", &[Some("grenoble")]).await;
        account(&app, "lyon@example.org", "Léa", &[Some("lyon")]).await;
        let preview = app::paths::workspace_preview_stage(UPCOMING_EDITION, "grenoble");

        let theirs = browser(&app);
        log_in(&app, &theirs, "grenoble@example.org", PASSWORD).await;
        let page = theirs.get(app.url(&preview)).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let body = page.text().await.unwrap();
        assert!(body.contains("Aperçu\u{a0}: voici la page telle que le public la verra"));
        assert!(
            body.contains("<h1>Grenoble</h1>"),
            "the public page's content"
        );
        assert!(body.contains("La Casemate"));
        assert!(
            !body.contains("name=\"email\""),
            "no registration form in a preview"
        );

        let other = browser(&app);
        log_in(&app, &other, "lyon@example.org", PASSWORD).await;
        let refused = other.get(app.url(&preview)).send().await.unwrap();
        assert_eq!(refused.status(), StatusCode::NOT_FOUND);
        let nobody = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let signed_out = nobody.get(app.url(&preview)).send().await.unwrap();
        assert!(signed_out.status().is_redirection());
        let public = reqwest::get(app.url(&format!("/{UPCOMING_EDITION}/grenoble")))
            .await
            .unwrap();
        assert_eq!(public.status(), StatusCode::NOT_FOUND);
        app
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_national_team_edits_its_edition_and_partners_keeping_its_stages_inside() {
    on_both_engines(|app| async move {
        account(&app, "national@example.org", "Équipe", &[None]).await;
        account(&app, "lyon@example.org", "Léa", &[Some("lyon")]).await;
        let path = app::paths::workspace_edition(UPCOMING_EDITION);
        let edition = editions::find_edition(&app.db, UPCOMING_EDITION)
            .await
            .unwrap()
            .unwrap();
        let mut form = app::domain::edition_form::EditionForm::from_edition(&edition.edition);

        let lyon = browser(&app);
        log_in(&app, &lyon, "lyon@example.org", PASSWORD).await;
        assert_eq!(lyon.get(app.url(&path)).send().await.unwrap().status(), StatusCode::FORBIDDEN);
        assert_eq!(
            lyon.post(app.url(&path)).form(&form).send().await.unwrap().status(),
            StatusCode::FORBIDDEN
        );

        let national = browser(&app);
        log_in(&app, &national, "national@example.org", PASSWORD).await;
        let page = national.get(app.url(&path)).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        assert!(page.text().await.unwrap().contains("garde son adresse"), "published: the slug is fixed");

        // Days that would leave stages outside are refused, naming them.
        let shorter = app::domain::edition_form::EditionForm {
            ends_on: form.starts_on.clone(),
            ..form.clone()
        };
        let refused = national.post(app.url(&path)).form(&shorter).send().await.unwrap();
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.text().await.unwrap().contains("L'étape de Lille sortirait de l'édition"));

        form.slug = "autre-adresse".into();
        form.theme = "Le numérique qui relie".into();
        form.partners = "HelloAsso https://www.helloasso.com\nLa Ruche https://la-ruche.example https://la-ruche.example/logo.png".into();
        let saved = national.post(app.url(&path)).form(&form).send().await.unwrap();
        assert_eq!(saved.status(), StatusCode::SEE_OTHER);
        assert_eq!(saved.headers()[LOCATION], format!("{path}?saved"));
        let stored = editions::find_edition(&app.db, UPCOMING_EDITION)
            .await
            .unwrap()
            .expect("the same address");
        assert_eq!(stored.edition.theme, "Le numérique qui relie");
        let names: Vec<_> = stored.edition.partners.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["HelloAsso", "La Ruche"]);
        app
    })
    .await;
}
