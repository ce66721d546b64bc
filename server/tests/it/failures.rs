//! When the database really fails (a table gone, the pool closed), a visitor gets a clean error
//! page in their language and a client gets the API's JSON 500, and neither reads a word of the
//! database's own error. Each test first checks that the same requests work (or answer 404)
//! while the database is sound, so the 500s can only come from the failure made here.

use crate::support::{client, spawn_app_with, TestApp, TestDb};
use app::db::Db;
use app::i18n::Locale;
use etape::config::LimitsConfig;
use reqwest::header::{ACCEPT_LANGUAGE, CONTENT_TYPE};
use reqwest::StatusCode;
use serde_json::{json, Value};

const STAGE_PAGE: &str = "/social-good-week-demo/lyon";
const STAGE_FORM: &str = "/social-good-week-demo/lyon/register";
const API_STAGE: &str = "/api/v1/editions/social-good-week-demo/stages/lyon";
const API_REGISTRATIONS: &str = "/api/v1/editions/social-good-week-demo/stages/lyon/registrations";
/// Well-formed, but no registration has it.
const UNKNOWN_TOKEN: &str = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

/// What the drivers and the database say when they fail; none of it may reach a response.
const DATABASE_TEXT: [&str; 9] = [
    "no such table",
    "sqlite",
    "SQLite",
    "pool",
    "relation",
    "database is closed",
    "PoolClosed",
    "error returned from database",
    "sqlx",
];

fn assert_no_database_text(body: &str, what: &str) {
    for text in DATABASE_TEXT {
        assert!(
            !body.contains(text),
            "{what}: « {text} » in the body:\n{body}"
        );
    }
}

fn content_type(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(CONTENT_TYPE)
        .map(|value| value.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// A browser's answer, in English: the status and the HTML, which must be HTML.
async fn page(response: reqwest::Response, what: &str) -> (StatusCode, String) {
    let status = response.status();
    let content_type = content_type(&response);
    let body = response.text().await.unwrap();
    assert!(
        content_type.starts_with("text/html"),
        "{what}: an HTML page, got {content_type:?} ({status}):\n{body}"
    );
    (status, body)
}

async fn get_page(app: &TestApp, path: &str) -> (StatusCode, String) {
    let response = client()
        .get(app.url(path))
        .header(ACCEPT_LANGUAGE, "en")
        .send()
        .await
        .unwrap();
    page(response, path).await
}

/// The registration form as a browser without JavaScript posts it.
async fn post_form(app: &TestApp, email: &str) -> (StatusCode, String) {
    let response = client()
        .post(app.url(STAGE_FORM))
        .header(ACCEPT_LANGUAGE, "en")
        .form(&[
            ("name", "Ada Lovelace"),
            ("email", email),
            ("consent", "on"),
        ])
        .send()
        .await
        .unwrap();
    page(response, STAGE_FORM).await
}

/// An API answer: the status and the raw body, which must be JSON.
async fn api(response: reqwest::Response, what: &str) -> (StatusCode, String) {
    let status = response.status();
    let content_type = content_type(&response);
    let body = response.text().await.unwrap();
    assert_eq!(
        content_type, "application/json",
        "{what}: a JSON answer ({status}):\n{body}"
    );
    (status, body)
}

async fn api_get_stage(app: &TestApp) -> (StatusCode, String) {
    let response = client()
        .get(app.url(API_STAGE))
        .header(ACCEPT_LANGUAGE, "en")
        .send()
        .await
        .unwrap();
    api(response, API_STAGE).await
}

async fn api_register(app: &TestApp, email: &str) -> (StatusCode, String) {
    let response = client()
        .post(app.url(API_REGISTRATIONS))
        .header(ACCEPT_LANGUAGE, "en")
        .header(CONTENT_TYPE, "application/json")
        .body(json!({"name": "A", "email": email, "consent": true}).to_string())
        .send()
        .await
        .unwrap();
    api(response, API_REGISTRATIONS).await
}

async fn health(app: &TestApp) -> Value {
    let response = client().get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

fn internal_sentence() -> &'static str {
    Locale::En.messages().error_internal
}

/// A page that failed: 500, in English, saying so, and nothing of the database.
fn assert_error_page(status: StatusCode, body: &str, what: &str) {
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{what}:\n{body}");
    assert!(
        body.contains("<html lang=\"en\""),
        "{what}: in the visitor's language"
    );
    assert!(
        body.contains(internal_sentence()),
        "{what}: the English sentence of AppError::Internal:\n{body}"
    );
    assert!(
        !body.contains(Locale::Fr.messages().error_internal),
        "{what}: not the French sentence"
    );
    assert_no_database_text(body, what);
}

/// An API call that failed: 500, `{"error": "internal", "message": …}` and nothing more.
fn assert_api_internal(status: StatusCode, body: &str, what: &str) {
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{what}: {body}");
    assert_no_database_text(body, what);
    let value: Value =
        serde_json::from_str(body).unwrap_or_else(|_| panic!("{what}: JSON: {body}"));
    let keys: Vec<&str> = value
        .as_object()
        .unwrap_or_else(|| panic!("{what}: an object: {body}"))
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["error", "message"], "{what}: {body}");
    assert_eq!(value["error"], "internal", "{what}: {body}");
    assert_eq!(value["message"], internal_sentence(), "{what}: {body}");
}

/// The "my registration" path in a registration's `manage_url`.
fn manage_path(body: &str) -> String {
    let value: Value = serde_json::from_str(body).unwrap();
    let url = value["manage_url"].as_str().expect("a manage_url");
    let at = url.find("/registrations/").expect("a private link");
    url[at..].to_owned()
}

async fn drop_registrations(db: &Db) {
    match db {
        Db::Sqlite(pool, _) => sqlx::query("DROP TABLE registrations")
            .execute(pool)
            .await
            .map(drop),
        // With what points at it (check-ins' foreign key): PostgreSQL refuses otherwise.
        Db::Postgres(pool, _) => sqlx::query("DROP TABLE registrations CASCADE")
            .execute(pool)
            .await
            .map(drop),
    }
    .expect("drop the registrations table");
}

async fn a_lost_table_answers_clean_500s(test_db: TestDb) {
    let app = spawn_app_with(test_db, LimitsConfig::OFF).await;

    // While the database is sound, every request below works.
    let (status, body) = api_register(&app, "first@example.org").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let mine = manage_path(&body);
    let (status, body) = get_page(&app, &mine).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = api_get_stage(&app).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = get_page(&app, STAGE_PAGE).await;
    assert_eq!(status, StatusCode::OK);
    assert_no_database_text(&body, "the sound stage page");

    drop_registrations(&app.db).await;
    // Public seat counts are read at most once per `cache::TTL`: past it, they are read again.
    tokio::time::sleep(app::api::cache::TTL + std::time::Duration::from_millis(100)).await;

    // "My registration" reads its registration.
    let (status, body) = get_page(&app, &mine).await;
    assert_error_page(status, &body, "my registration");

    // The form without JavaScript writes one: the stage page again, with the sentence by the
    // form and what was typed kept.
    let (status, body) = post_form(&app, "ada@example.org").await;
    assert_error_page(status, &body, "the no-JS form");
    assert!(
        body.contains("ada@example.org"),
        "the typed address is kept"
    );

    // The JSON API: registering writes one, the stage's counts read them.
    let (status, body) = api_register(&app, "second@example.org").await;
    assert_api_internal(status, &body, "POST registrations");
    let (status, body) = api_get_stage(&app).await;
    assert_api_internal(status, &body, "GET the stage");

    // What does not need the table still works: the failure stays where it is.
    let (status, _) = get_page(&app, "/").await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = api(
        client()
            .get(app.url("/api/v1/editions"))
            .send()
            .await
            .unwrap(),
        "GET editions",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_table_answers_clean_500s_on_sqlite() {
    a_lost_table_answers_clean_500s(TestDb::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_table_answers_clean_500s_on_postgres() {
    let Some(test_db) = TestDb::postgres().await else {
        return;
    };
    a_lost_table_answers_clean_500s(test_db).await;
}

async fn a_closed_pool_answers_clean_500s_and_degraded_health(test_db: TestDb) {
    let app = spawn_app_with(test_db, LimitsConfig::OFF).await;
    let engine = match &app.db {
        Db::Sqlite(..) => "sqlite",
        Db::Postgres(..) => "postgres",
    };

    // Sound: healthy, and an unknown private link is a plain 404. Nothing of the Lyon stage is
    // loaded here, so neither the programme cache nor the page cache can answer for it later.
    let body = health(&app).await;
    assert_eq!(body["status"], "ok", "{body}");
    assert_eq!(body["database"]["ok"], true, "{body}");
    let unknown = format!("/registrations/{UNKNOWN_TOKEN}");
    let (status, _) = get_page(&app, &unknown).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    app.db.close().await;

    let body = health(&app).await;
    assert_eq!(body["database"]["ok"], false, "{body}");
    assert_eq!(body["status"], "degraded", "{body}");
    assert_eq!(body["database"]["engine"], engine, "{body}");

    let (status, body) = get_page(&app, STAGE_PAGE).await;
    assert_error_page(status, &body, "the stage page");
    let (status, body) = get_page(&app, &unknown).await;
    assert_error_page(status, &body, "a private link");
    let (status, body) = post_form(&app, "ada@example.org").await;
    assert_error_page(status, &body, "the no-JS form");

    let (status, body) = api_register(&app, "a@example.org").await;
    assert_api_internal(status, &body, "POST registrations");
    let (status, body) = api_get_stage(&app).await;
    assert_api_internal(status, &body, "GET the stage");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_pool_answers_clean_500s_on_sqlite() {
    a_closed_pool_answers_clean_500s_and_degraded_health(TestDb::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_pool_answers_clean_500s_on_postgres() {
    let Some(test_db) = TestDb::postgres().await else {
        return;
    };
    a_closed_pool_answers_clean_500s_and_degraded_health(test_db).await;
}
