//! The public site over HTTP: pages render, drafts are hidden, 404s are 404s, languages switch.

// The server runs on the test's own runtime; a multi-threaded one, as in production (on a
// current-thread runtime, renders occasionally stalled when several tests ran at once).

use crate::support::{client, spawn_app, spawn_app_on, TestApp, TestDb};
use reqwest::header::{ACCEPT_LANGUAGE, CONTENT_TYPE, LOCATION, SET_COOKIE};
use reqwest::StatusCode;

/// The page's HTML as a browser with this `Accept-Language` would get it.
async fn page_in(
    client: &reqwest::Client,
    app: &TestApp,
    path: &str,
    accept_language: &str,
) -> String {
    let response = client
        .get(app.url(path))
        .header(ACCEPT_LANGUAGE, accept_language)
        .send()
        .await
        .unwrap();
    response.text().await.unwrap()
}

async fn get(app: &crate::support::TestApp, path: &str) -> (StatusCode, String) {
    let response = client().get(app.url(path)).send().await.unwrap();
    let status = response.status();
    (status, response.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_home_page_lists_published_editions() {
    let app = spawn_app().await;
    let (status, body) = get(&app, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<html lang=\"fr\""));
    assert!(body.contains("Social Good Week 2013"));
    assert!(body.contains("href=\"/social-good-week-demo\""));
    assert!(body.contains("<title>Les éditions — Étape</title>"));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_edition_page_lists_its_stages_and_filters_by_city_without_javascript() {
    let app = spawn_app().await;
    let (status, body) = get(&app, "/social-good-week-2013").await;
    assert_eq!(status, StatusCode::OK);
    for city in ["lyon", "paris", "lille", "bordeaux", "marseille"] {
        assert!(
            body.contains(&format!("href=\"/social-good-week-2013/{city}\"")),
            "{city} is listed"
        );
    }
    assert!(body.contains("Édition passée"));
    assert!(body.contains("<meta name=\"description\""));
    // A link pasted in a messaging app shows a preview with the dates.
    assert!(body.contains("<meta property=\"og:title\" content=\"Social Good Week 2013\""));
    assert!(body.contains("<meta property=\"og:url\" content=\"http"));
    assert!(body.contains("décembre 2013"));

    let (status, filtered) = get(&app, "/social-good-week-2013?city=lyon").await;
    assert_eq!(status, StatusCode::OK);
    assert!(filtered.contains("href=\"/social-good-week-2013/lyon\""));
    assert!(!filtered.contains("href=\"/social-good-week-2013/paris\""));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_lyon_stage_shows_its_keynote_projects_and_map() {
    let app = spawn_app().await;
    let (status, body) = get(&app, "/social-good-week-2013/lyon").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<meta property=\"og:title\" content=\"Lyon — Social Good Week 2013\""));
    let preview = body
        .split("<meta property=\"og:description\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("an Open Graph description");
    assert!(
        preview.contains("Lyon") && preview.contains("2013"),
        "{preview}"
    );
    let url = body
        .split("<meta property=\"og:url\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("an Open Graph address");
    assert!(
        url.starts_with("http") && url.ends_with("/social-good-week-2013/lyon"),
        "{url}"
    );
    for text in [
        "Yann Moulier-Boutang",
        "HelloAsso",
        "Arizuka",
        "ProBonoLab",
        "Travelwithamission",
        "Prêt de Chez Moi",
        "SFR",
        "Les Interconnectés",
        "Vieux Lyon",
        "18\u{a0}h\u{a0}30",
        "https://www.openstreetmap.org/?mlat=45.76220",
        // What each need is for, and a project's own site.
        "Ouvrir un entrepôt partagé avec les artisans de la région.",
        "<a href=\"https://www.helloasso.com\" rel=\"noopener\">www.helloasso.com</a>",
        "<title>Lyon — Social Good Week 2013 — Étape</title>",
    ] {
        assert!(body.contains(text), "the stage page shows {text}");
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drafts_and_unknown_addresses_answer_404() {
    let app = spawn_app().await;
    for path in [
        "/social-good-week-demo/grenoble",
        "/no-such-edition",
        "/social-good-week-2013/no-such-stage",
        "/a/b/c",
        "/social-good-week-2013/%3Cscript%3E",
    ] {
        let (status, body) = get(&app, path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            body.contains("Page introuvable"),
            "{path} shows the 404 page"
        );
        assert!(!body.contains("<script>"), "{path} does not echo markup");
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_browser_language_and_the_switch_choose_the_language() {
    let app = spawn_app().await;
    let english = page_in(
        &client(),
        &app,
        "/social-good-week-2013/lyon",
        "en-GB,en;q=0.9,fr;q=0.5",
    )
    .await;
    assert!(english.contains("<html lang=\"en\""));
    assert!(english.contains("Projects"));
    assert!(english.contains("Thursday 12 December 2013"));

    let client = client();
    let switch = client
        .get(app.url("/lang/en?next=%2Fsocial-good-week-2013%3Fcity%3Dlyon"))
        .send()
        .await
        .unwrap();
    assert_eq!(switch.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        switch.headers()[LOCATION],
        "/social-good-week-2013?city=lyon"
    );
    assert!(switch.headers()[SET_COOKIE]
        .to_str()
        .unwrap()
        .starts_with("lang=en"));
    let page = page_in(&client, &app, "/", "fr").await;
    assert!(
        page.contains("<html lang=\"en\""),
        "the cookie beats Accept-Language"
    );

    let open_redirect = client
        .get(app.url("/lang/fr?next=//evil.example/"))
        .send()
        .await
        .unwrap();
    assert_eq!(open_redirect.headers()[LOCATION], "/");
    let unknown = client.get(app.url("/lang/xx")).send().await.unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_health_check_reports_the_database() {
    let app = spawn_app().await;
    let response = client().get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()[CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"]["engine"], "sqlite");
    assert_eq!(body["database"]["ok"], true);

    app.db.close().await;
    let body: serde_json::Value = client()
        .get(app.url("/healthz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["database"]["ok"], false);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_functions_refuse_garbage_without_leaking_internals() {
    let app = spawn_app().await;
    let response = client()
        .post(app.url("/api/get_stage"))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body("edition=%FF%FE&&&stage")
        .send()
        .await
        .unwrap();
    let status = response.status();
    let body = response.text().await.unwrap();
    assert_ne!(status, StatusCode::OK);
    assert!(!body.to_lowercase().contains("sql"), "{body}");

    let missing = client()
        .post(app.url("/api/get_stage"))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body("edition=social-good-week-2013&stage=grenoble")
        .send()
        .await
        .unwrap();
    let body = missing.text().await.unwrap();
    assert!(body.contains("NotFound"), "{body}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_site_runs_on_postgresql_too() {
    let Some(test_db) = TestDb::postgres().await else {
        return;
    };
    let app = spawn_app_on(test_db).await;
    let (status, body) = get(&app, "/social-good-week-2013/lyon").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Yann Moulier-Boutang"));
    let body: serde_json::Value = client()
        .get(app.url("/healthz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["database"]["engine"], "postgres");
    let (status, _) = get(&app, "/social-good-week-demo/grenoble").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cached_page_is_never_served_in_the_wrong_language() {
    let app = spawn_app().await;
    for (accept, lang) in [("en", "en"), ("fr", "fr"), ("en", "en"), ("fr-FR", "fr")] {
        let body = page_in(&client(), &app, "/social-good-week-2013/lyon", accept).await;
        assert!(
            body.contains(&format!("<html lang=\"{lang}\"")),
            "Accept-Language {accept}"
        );
    }
    app.stop().await;
}
