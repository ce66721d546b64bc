//! Building a stage's line-up in the workspace over HTTP, on SQLite and PostgreSQL: adding,
//! saving, moving and removing speakers, projects and programme items, within reach, and never
//! over a change made meanwhile.

use crate::support::{on_both_engines, TestApp};
use crate::workspace::{account, browser, log_in, PASSWORD};
use app::db::{editions, stages, workspace};
use app::demo::UPCOMING_EDITION;
use app::domain::lineup::Lineup;
use reqwest::header::LOCATION;
use reqwest::StatusCode;

async fn stored(app: &TestApp, stage: &str) -> (stages::StageRecord, Lineup) {
    let edition = editions::find_edition(&app.db, UPCOMING_EDITION)
        .await
        .unwrap()
        .unwrap();
    let id = workspace::stage_id(&app.db, &edition.id, stage)
        .await
        .unwrap()
        .unwrap();
    let record = stages::find_stage_by_id(&app.db, &id)
        .await
        .unwrap()
        .unwrap()
        .1;
    let lineup = stages::get_lineup(&app.db, &id).await.unwrap();
    (record, lineup)
}

async fn version(app: &TestApp, stage: &str) -> String {
    app::api::workspace::lineup::version(&stored(app, stage).await.1)
}

fn path(stage: &str) -> String {
    app::paths::workspace_lineup(UPCOMING_EDITION, stage)
}

async fn send(
    app: &TestApp,
    http: &reqwest::Client,
    stage: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    http.post(app.url(&path(stage)))
        .form(fields)
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_city_team_builds_its_line_up_piece_by_piece() {
    on_both_engines(|app| async move {
        account(&app, "lyon@example.org", "Léa", &[Some("lyon")]).await;
        let http = browser(&app);
        log_in(&app, &http, "lyon@example.org", PASSWORD).await;
        let page = http.get(app.url(&path("lyon"))).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let (before, lineup) = stored(&app, "lyon").await;
        let speakers_before = lineup.speakers.len();

        // A speaker, with a bio in Markdown.
        let v = version(&app, "lyon").await;
        let response = send(
            &app,
            &http,
            "lyon",
            &[
                ("part", "speaker"),
                ("op", "add"),
                ("version", &v),
                ("name", "Amina Diallo"),
                ("role", "Directrice, La Ruche"),
                (
                    "bio",
                    "Fondatrice de **trois** tiers-lieux.<img src=x onerror=alert(1)>",
                ),
            ],
        )
        .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            response.headers()[LOCATION],
            format!("{}?saved", path("lyon"))
        );
        let (_, lineup) = stored(&app, "lyon").await;
        assert_eq!(lineup.speakers.len(), speakers_before + 1);
        let amina = speakers_before;

        // A project with a skills need.
        let v = version(&app, "lyon").await;
        let response = send(
            &app,
            &http,
            "lyon",
            &[
                ("part", "project"),
                ("op", "add"),
                ("version", &v),
                ("name", "Répar'Lyon"),
                ("holder", "Association Rebond"),
                ("pitch", "Réparer plutôt que jeter."),
                ("funding_goal", ""),
                ("skills", "électronique, communication"),
                (
                    "skills_use",
                    "Réparer avec les habitants, un samedi par mois.",
                ),
                ("link", "https://reparlyon.example.org"),
            ],
        )
        .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (_, lineup) = stored(&app, "lyon").await;
        let reparlyon = lineup.projects.len() - 1;
        let project = &lineup.projects[reparlyon];
        assert_eq!(project.skills_wanted, ["électronique", "communication"]);
        assert_eq!(
            project.skills_use.as_deref(),
            Some("Réparer avec les habitants, un samedi par mois.")
        );
        assert_eq!(
            project.link.as_deref(),
            Some("https://reparlyon.example.org")
        );

        // Describing a funding need without an amount comes back beside the field, as typed.
        let v = version(&app, "lyon").await;
        let response = send(
            &app,
            &http,
            "lyon",
            &[
                ("part", "project"),
                ("op", "save"),
                ("index", &reparlyon.to_string()),
                ("version", &v),
                ("name", "Répar'Lyon"),
                ("holder", "Association Rebond"),
                ("pitch", "Réparer plutôt que jeter."),
                ("skills", "électronique"),
                ("funding_use", "Un local <b>chauffé</b>"),
            ],
        )
        .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = response.text().await.unwrap();
        assert!(page.contains("Indiquez le montant recherché"), "{page}");
        assert!(
            page.contains("Un local &lt;b&gt;chauffé&lt;/b&gt;"),
            "{page}"
        );
        assert_eq!(stored(&app, "lyon").await.1.projects[reparlyon], *project);

        // A programme item outside the stage's hours comes back with what was typed.
        let zone = before.stage.zone();
        let local = |t: chrono::DateTime<chrono::Utc>| {
            t.with_timezone(&zone)
                .naive_local()
                .format("%Y-%m-%dT%H:%M")
                .to_string()
        };
        let too_late = local(before.stage.ends_at - chrono::Duration::minutes(10));
        let v = version(&app, "lyon").await;
        let amina_box = amina.to_string();
        let project_box = reparlyon.to_string();
        let response = send(
            &app,
            &http,
            "lyon",
            &[
                ("part", "item"),
                ("op", "add"),
                ("version", &v),
                ("starts", &too_late),
                ("duration", "30"),
                ("kind", "talk"),
                ("title", "Le numérique qui répare"),
                ("speaker", &amina_box),
                ("project", &project_box),
            ],
        )
        .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = response.text().await.unwrap();
        assert!(body.contains("pendant les heures de l'étape"), "{body}");
        assert!(body.contains("value=\"Le numérique qui répare\""));
        assert!(
            body.contains("href=\"#item-new-starts\""),
            "the summary links the field"
        );
        assert_eq!(version(&app, "lyon").await, v, "nothing stored");

        let in_time = local(before.stage.starts_at + chrono::Duration::minutes(15));
        let response = send(
            &app,
            &http,
            "lyon",
            &[
                ("part", "item"),
                ("op", "add"),
                ("version", &v),
                ("starts", &in_time),
                ("duration", "30"),
                ("kind", "talk"),
                ("title", "Le numérique qui répare"),
                ("speaker", &amina_box),
                ("project", &project_box),
            ],
        )
        .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (after, lineup) = stored(&app, "lyon").await;
        let talk = lineup
            .programme
            .iter()
            .find(|s| s.item.title == "Le numérique qui répare")
            .unwrap();
        assert_eq!(talk.speakers, [amina]);
        assert_eq!(talk.projects, [reparlyon]);
        assert!(
            after.sequence > before.sequence,
            "calendars take the new programme"
        );

        // Amina moves to the top; the talk still presents her.
        let v = version(&app, "lyon").await;
        let mut at = amina;
        while at > 0 {
            let index = at.to_string();
            let v = version(&app, "lyon").await;
            let moved = send(
                &app,
                &http,
                "lyon",
                &[
                    ("part", "speaker"),
                    ("op", "up"),
                    ("index", &index),
                    ("version", &v),
                ],
            )
            .await;
            assert_eq!(moved.status(), StatusCode::SEE_OTHER);
            at -= 1;
        }
        let (_, lineup) = stored(&app, "lyon").await;
        assert_eq!(lineup.speakers[0].name, "Amina Diallo");
        let talk = lineup
            .programme
            .iter()
            .find(|s| s.item.title == "Le numérique qui répare")
            .unwrap();
        assert_eq!(talk.speakers, [0]);

        // A form from before those moves changes nothing: the page says the line-up changed.
        let stale = send(
            &app,
            &http,
            "lyon",
            &[
                ("part", "speaker"),
                ("op", "remove"),
                ("index", "0"),
                ("version", &v),
            ],
        )
        .await;
        assert_eq!(stale.status(), StatusCode::CONFLICT);
        assert!(stale.text().await.unwrap().contains("a changé entre-temps"));
        assert_eq!(
            stored(&app, "lyon").await.1.speakers[0].name,
            "Amina Diallo"
        );

        // The public page shows her, the bio formatted and harmless.
        let public = app.url(&format!("/{UPCOMING_EDITION}/lyon"));
        let mut page = String::new();
        for _ in 0..30 {
            page = reqwest::get(&public).await.unwrap().text().await.unwrap();
            if page.contains("Amina Diallo") {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(
            page.contains("Fondatrice de <strong>trois</strong> tiers-lieux."),
            "{page}"
        );
        assert!(!page.contains("onerror"));

        // Removing her leaves the talk without a speaker, not with someone else.
        let v = version(&app, "lyon").await;
        let removed = send(
            &app,
            &http,
            "lyon",
            &[
                ("part", "speaker"),
                ("op", "remove"),
                ("index", "0"),
                ("version", &v),
            ],
        )
        .await;
        assert_eq!(removed.status(), StatusCode::SEE_OTHER);
        let (_, lineup) = stored(&app, "lyon").await;
        let talk = lineup
            .programme
            .iter()
            .find(|s| s.item.title == "Le numérique qui répare")
            .unwrap();
        assert!(talk.speakers.is_empty());
        app
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_city_cannot_touch_a_line_up() {
    on_both_engines(|app| async move {
        account(&app, "paris@example.org", "Paul", &[Some("paris")]).await;
        let http = browser(&app);
        log_in(&app, &http, "paris@example.org", PASSWORD).await;
        let page = http.get(app.url(&path("lyon"))).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::NOT_FOUND);
        let v = version(&app, "lyon").await;
        let response = send(
            &app,
            &http,
            "lyon",
            &[
                ("part", "speaker"),
                ("op", "add"),
                ("version", &v),
                ("name", "Intrus"),
            ],
        )
        .await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert_eq!(version(&app, "lyon").await, v);
        let garbage = send(&app, &http, "paris", &[("part", "guest"), ("op", "dance")]).await;
        assert_eq!(garbage.status(), StatusCode::BAD_REQUEST);
        app
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_functions_answer_another_city_as_the_pages_do() {
    on_both_engines(|app| async move {
        account(&app, "paris@example.org", "Paul", &[Some("paris")]).await;
        let http = browser(&app);
        log_in(&app, &http, "paris@example.org", PASSWORD).await;
        for (endpoint, fields) in [
            (
                "workspace_stage",
                vec![("edition", UPCOMING_EDITION), ("stage", "lyon")],
            ),
            (
                "workspace_lineup",
                vec![("edition", UPCOMING_EDITION), ("stage", "lyon")],
            ),
            (
                "workspace_stage_preview",
                vec![("edition", UPCOMING_EDITION), ("stage", "grenoble")],
            ),
        ] {
            let response = http
                .post(app.url(&format!("/api/{endpoint}")))
                .form(&fields)
                .send()
                .await
                .unwrap();
            assert!(
                !response.status().is_success(),
                "{endpoint}: {}",
                response.status()
            );
            let body = response.text().await.unwrap();
            assert!(body.contains("NotFound"), "{endpoint}: {body}");
            assert!(
                !body.contains("Vieux Lyon") && !body.contains("Casemate"),
                "{endpoint}: {body}"
            );
        }
        // Their own stage answers.
        let own = http
            .post(app.url("/api/workspace_lineup"))
            .form(&[("edition", UPCOMING_EDITION), ("stage", "paris")])
            .send()
            .await
            .unwrap();
        assert!(own.status().is_success(), "{}", own.status());
        app
    })
    .await;
}
