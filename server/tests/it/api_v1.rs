//! The public JSON API under `/api/v1`: reading the programme, registering, every kind of bad
//! request answered with a JSON 4xx (never a 500), and the generated OpenAPI document.

use crate::support::{
    client, edition_fixture, spawn_app, spawn_app_on, spawn_app_with, stage_fixture, TestApp,
    TestDb,
};
use app::domain::{EditionStatus, Lineup, StageStatus};
use chrono::{Days, Utc};
use etape::config::LimitsConfig;
use reqwest::header::{ACCEPT_LANGUAGE, CACHE_CONTROL, CONTENT_TYPE, ORIGIN, RETRY_AFTER};
use reqwest::StatusCode;
use serde_json::{json, Value};

const EDITION: &str = "social-good-week-demo";
const PAST_EDITION: &str = "social-good-week-2013";
const LYON: &str = "/api/v1/editions/social-good-week-demo/stages/lyon";
const LYON_REGISTRATIONS: &str = "/api/v1/editions/social-good-week-demo/stages/lyon/registrations";

/// `GET` a path; the status and the body, which must be JSON.
async fn get_json(app: &TestApp, path: &str) -> (StatusCode, Value) {
    let response = client().get(app.url(path)).send().await.unwrap();
    read_json(response).await
}

async fn read_json(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(
        content_type.as_deref(),
        Some("application/json"),
        "a JSON answer for {status}"
    );
    let body = response.text().await.unwrap();
    let value = serde_json::from_str(&body).unwrap_or_else(|_| panic!("JSON: {body}"));
    (status, value)
}

/// `POST`s a registration as JSON, with this `Accept-Language`.
async fn register(app: &TestApp, path: &str, body: Value, language: &str) -> (StatusCode, Value) {
    let response = client()
        .post(app.url(path))
        .header(ACCEPT_LANGUAGE, language)
        .json(&body)
        .send()
        .await
        .unwrap();
    read_json(response).await
}

fn camille() -> Value {
    json!({
        "name": "Camille Durand",
        "email": "camille@example.org",
        "organisation": "Les Petits Débrouillards",
        "consent": true
    })
}

/// An error body: the shared shape, and nothing from the server's insides.
fn assert_error_shape(body: &Value, code: &str) {
    assert_eq!(body["error"], code, "{body}");
    let message = body["message"].as_str().expect("a message");
    assert!(!message.is_empty());
    let text = body.to_string().to_lowercase();
    for leak in [
        "sqlx",
        "sqlite",
        "postgres",
        "panicked",
        "serde",
        "line 1 column",
    ] {
        assert!(!text.contains(leak), "{leak} in {body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_published_editions_are_listed_with_their_phase_and_page() {
    let app = spawn_app().await;
    let (status, body) = get_json(&app, "/api/v1/editions").await;
    assert_eq!(status, StatusCode::OK);
    let editions = body["editions"].as_array().expect("a list");
    let slugs: Vec<&str> = editions
        .iter()
        .map(|e| e["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, [EDITION, PAST_EDITION], "the most recent first");
    let demo = &editions[0];
    assert_eq!(demo["phase"], "upcoming");
    assert_eq!(demo["url"], app.url(&format!("/{EDITION}")));
    for field in ["name", "number", "starts_on", "ends_on", "theme"] {
        assert!(!demo[field].is_null(), "{field}");
    }
    assert_eq!(editions[1]["phase"], "past");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edition_lists_its_stages_by_slug_and_never_a_draft() {
    let app = spawn_app().await;
    let (status, body) = get_json(&app, &format!("/api/v1/editions/{EDITION}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["slug"], EDITION);
    let stages = body["stages"].as_array().unwrap();
    let slugs: Vec<&str> = stages.iter().map(|s| s["slug"].as_str().unwrap()).collect();
    assert!(slugs.contains(&"lyon"), "{slugs:?}");
    assert!(
        !slugs.contains(&"grenoble"),
        "the draft stage is not public"
    );
    let lyon = stages.iter().find(|s| s["slug"] == "lyon").unwrap();
    assert_eq!(lyon["city"], "Lyon");
    assert_eq!(lyon["city_slug"], "lyon");
    assert_eq!(lyon["venue"], "Vieux Lyon");
    assert_eq!(lyon["time_zone"], "Europe/Paris");
    assert_eq!(lyon["status"], "published");
    assert_eq!(lyon["url"], app.url(&format!("/{EDITION}/lyon")));
    let starts = lyon["starts_at"].as_str().unwrap();
    let parsed = chrono::DateTime::parse_from_rfc3339(starts).expect("RFC 3339");
    assert!(
        [3600, 7200].contains(&parsed.offset().local_minus_utc()),
        "Paris's offset, not UTC: {starts}"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stage_shows_its_capacity_and_counts_that_follow_registrations() {
    let app = spawn_app().await;
    let (status, before) = get_json(&app, LYON).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(before["slug"], "lyon");
    assert_eq!(before["capacity"], 120);
    assert_eq!(
        before["registrations"],
        json!({"confirmed": 0, "waiting": 0})
    );
    assert_eq!(before["registration_open"], true);
    assert!(before["registration_refused"].is_null());
    assert_eq!(before["edition"]["slug"], EDITION);
    for field in [
        "registration_opens_at",
        "registration_closes_at",
        "starts_at",
    ] {
        chrono::DateTime::parse_from_rfc3339(before[field].as_str().unwrap()).expect(field);
    }

    let (status, _) = register(&app, LYON_REGISTRATIONS, camille(), "fr").await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, after) = get_json(&app, LYON).await;
    assert_eq!(
        after["registrations"],
        json!({"confirmed": 1, "waiting": 0})
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registering_answers_201_with_private_links_that_open_the_pages() {
    let app = spawn_app().await;
    let response = client()
        .post(app.url(LYON_REGISTRATIONS))
        .json(&camille())
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()[CACHE_CONTROL], "no-store");
    let (status, body) = read_json(response).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(body["status"], "confirmed");
    assert_eq!(body["already_registered"], false);
    assert!(!body["id"].as_str().unwrap().is_empty());
    for link in ["manage_url", "ticket_url"] {
        let url = body[link].as_str().expect(link);
        assert!(url.starts_with(&app.url("/")), "{url}");
        let page = client().get(url).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK, "{link}");
        assert!(page.text().await.unwrap().contains("Camille Durand"));
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registering_the_same_address_again_answers_200_without_the_links() {
    let app = spawn_app().await;
    let (_, first) = register(&app, LYON_REGISTRATIONS, camille(), "fr").await;
    let mut again = camille();
    again["name"] = json!("Someone Else");
    again["email"] = json!("  CAMILLE@example.org ");
    let (status, body) = register(&app, LYON_REGISTRATIONS, again, "fr").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["id"], first["id"]);
    assert_eq!(body["status"], "confirmed");
    assert_eq!(body["already_registered"], true);
    assert!(body.get("manage_url").is_none(), "{body}");
    assert!(body.get("ticket_url").is_none(), "{body}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_fields_are_each_named_in_the_language_of_the_request() {
    let app = spawn_app().await;
    let bad = json!({"name": "", "email": "dominique@", "organisation": "o".repeat(121)});

    let (status, french) = register(&app, LYON_REGISTRATIONS, bad.clone(), "fr").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_error_shape(&french, "invalid");
    let fields = french["fields"].as_object().unwrap();
    let mut named: Vec<&str> = fields.keys().map(String::as_str).collect();
    named.sort_unstable();
    assert_eq!(named, ["consent", "email", "name", "organisation"]);
    assert!(fields["email"]
        .as_str()
        .unwrap()
        .contains("n'est pas valide"));
    assert!(fields["consent"]
        .as_str()
        .unwrap()
        .contains("Cochez la case"));

    let (status, english) = register(&app, LYON_REGISTRATIONS, bad.clone(), "en-GB,en;q=0.9").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(english["message"], "Some fields need correcting.");
    assert!(english["fields"]["email"]
        .as_str()
        .unwrap()
        .contains("not a valid email address"));

    // The body's language wins over the header's.
    let mut in_english = bad.clone();
    in_english["language"] = json!("en");
    let (_, chosen) = register(&app, LYON_REGISTRATIONS, in_english, "fr").await;
    assert!(chosen["fields"]["consent"]
        .as_str()
        .unwrap()
        .contains("Tick the box"));

    // An unknown language is one more wrong field, beside the others.
    let mut german = bad;
    german["language"] = json!("de");
    let (status, body) = register(&app, LYON_REGISTRATIONS, german, "fr").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["fields"]["language"].is_string());
    assert!(body["fields"]["email"].is_string());

    let (_, stage) = get_json(&app, LYON).await;
    assert_eq!(stage["registrations"]["confirmed"], 0, "nothing stored");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn garbage_bodies_get_a_json_4xx_and_never_a_500() {
    let app = spawn_app().await;
    let huge = json!({
        "name": "x".repeat(100 * 1024),
        "email": "big@example.org",
        "consent": true
    })
    .to_string();
    let deep = "[".repeat(10_000);
    let cases: Vec<(&str, Option<&str>, String, StatusCode, &str)> = vec![
        (
            "not JSON",
            Some("application/json"),
            "name=Camille".into(),
            StatusCode::BAD_REQUEST,
            "malformed_json",
        ),
        (
            "empty",
            Some("application/json"),
            String::new(),
            StatusCode::BAD_REQUEST,
            "malformed_json",
        ),
        (
            "cut short",
            Some("application/json"),
            "{\"name\": \"Cam".into(),
            StatusCode::BAD_REQUEST,
            "malformed_json",
        ),
        (
            "too deep",
            Some("application/json"),
            deep,
            StatusCode::BAD_REQUEST,
            "malformed_json",
        ),
        (
            "an array",
            Some("application/json"),
            camille().to_string().replace('{', "[{").replace('}', "}]"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_an_object",
        ),
        (
            "a string",
            Some("application/json"),
            "\"hello\"".into(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_an_object",
        ),
        (
            "null",
            Some("application/json"),
            "null".into(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_an_object",
        ),
        (
            "wrong types",
            Some("application/json"),
            json!({"name": 42, "email": ["a"], "consent": "yes"}).to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
        ),
        (
            "consent null",
            Some("application/json"),
            json!({"name": "A", "email": "a@example.org", "consent": null}).to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
        ),
        (
            "100 KiB",
            Some("application/json"),
            huge,
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        ),
        (
            "no content type",
            None,
            camille().to_string(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            "a form",
            Some("application/x-www-form-urlencoded"),
            "name=A&email=a%40example.org&consent=true".into(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            "plain text",
            Some("text/plain"),
            camille().to_string(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
    ];
    for (what, content_type, body, expected, code) in cases {
        let mut request = client().post(app.url(LYON_REGISTRATIONS)).body(body);
        if let Some(content_type) = content_type {
            request = request.header(CONTENT_TYPE, content_type);
        }
        let (status, body) = read_json(request.send().await.unwrap()).await;
        assert_eq!(status, expected, "{what}: {body}");
        assert_error_shape(&body, code);
    }
    // A wrong type names its field.
    let (_, wrong) = register(&app, LYON_REGISTRATIONS, json!({"name": 42}), "en").await;
    assert!(wrong["fields"]["name"].is_string(), "{wrong}");

    let (status, body) = get_json(&app, LYON_REGISTRATIONS).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_error_shape(&body, "method_not_allowed");

    let (_, stage) = get_json(&app, LYON).await;
    assert_eq!(stage["registrations"]["confirmed"], 0, "nothing stored");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_stage_refuses_with_a_reason() {
    let app = spawn_app().await;
    let path = format!("/api/v1/editions/{PAST_EDITION}/stages/lyon/registrations");
    let (status, body) = register(&app, &path, camille(), "en").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_error_shape(&body, "registration_refused");
    assert_eq!(body["reason"], "closed");
    assert_eq!(body["message"], "Registrations for this stage are closed.");

    let (_, stage) = get_json(
        &app,
        &format!("/api/v1/editions/{PAST_EDITION}/stages/lyon"),
    )
    .await;
    assert_eq!(stage["registration_open"], false);
    assert_eq!(stage["registration_refused"], "closed");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_or_not_yet_open_stage_refuses_with_its_reason() {
    let app = spawn_app().await;
    let today = Utc::now().date_naive();
    let edition = edition_fixture(
        "later-week",
        today + Days::new(20),
        EditionStatus::Published,
    );
    let later = (today + Days::new(10)).and_hms_opt(9, 0, 0).unwrap();
    let open = (today - Days::new(1)).and_hms_opt(9, 0, 0).unwrap();
    let stages = [
        stage_fixture(&edition, "soon", 10, StageStatus::Published, later),
        stage_fixture(&edition, "called-off", 10, StageStatus::Cancelled, open),
    ];
    let programme: Vec<_> = stages.into_iter().map(|s| (s, Lineup::default())).collect();
    app::db::editions::insert_edition_programme(&app.db, &edition, &programme)
        .await
        .unwrap();

    let (status, body) = register(
        &app,
        "/api/v1/editions/later-week/stages/soon/registrations",
        camille(),
        "fr",
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["reason"], "not_yet_open");
    assert!(body["message"].as_str().unwrap().contains("ouvriront le"));

    let (status, body) = register(
        &app,
        "/api/v1/editions/later-week/stages/called-off/registrations",
        camille(),
        "fr",
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["reason"], "stage_cancelled");
    let (_, edition) = get_json(&app, "/api/v1/editions/later-week").await;
    let cancelled = edition["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["slug"] == "called-off")
        .expect("a cancelled stage is listed");
    assert_eq!(cancelled["status"], "cancelled");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_editions_stages_and_paths_are_json_404s() {
    let app = spawn_app().await;
    for path in [
        "/api/v1/editions/nope",
        "/api/v1/editions/social-good-week-demo/stages/nope",
        "/api/v1/editions/social-good-week-demo/stages/grenoble",
        "/api/v1/editions/nope/stages/lyon",
        "/api/v1/editions/%FF%FE",
        "/api/v1/nothing-here",
        "/api/v1",
        "/api/v1/",
        "/api/v1/editions/social-good-week-demo/stages",
    ] {
        let (status, body) = get_json(&app, path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_error_shape(&body, "not_found");
    }
    let (status, body) = register(
        &app,
        "/api/v1/editions/social-good-week-demo/stages/grenoble/registrations",
        camille(),
        "en",
    )
    .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a draft takes no registration"
    );
    assert!(body["message"]
        .as_str()
        .unwrap()
        .starts_with("This address does not match any page"));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_registration_from_another_site_is_refused_in_json() {
    let app = spawn_app().await;
    let response = client()
        .post(app.url(LYON_REGISTRATIONS))
        .header(ORIGIN, "https://evil.example")
        .json(&camille())
        .send()
        .await
        .unwrap();
    let (status, body) = read_json(response).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_error_shape(&body, "cross_site");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_many_registrations_from_one_address_get_429_with_retry_after() {
    let limits = LimitsConfig {
        registrations_per_minute: 1,
        lost_links_per_minute: 1,
        trust_proxy: false,
    };
    let app = spawn_app_with(TestDb::sqlite().await, limits).await;
    let (status, _) = register(&app, LYON_REGISTRATIONS, camille(), "fr").await;
    assert_eq!(status, StatusCode::CREATED);
    let response = client()
        .post(app.url(LYON_REGISTRATIONS))
        .json(&json!({"name": "B", "email": "b@example.org", "consent": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()[RETRY_AFTER], "60");
    let (status, body) = read_json(response).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_error_shape(&body, "too_many_requests");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_describes_every_endpoint() {
    let app = spawn_app().await;
    let (status, doc) = get_json(&app, "/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/api/v1/editions",
        "/api/v1/editions/{edition}",
        "/api/v1/editions/{edition}/stages/{stage}",
        "/api/v1/editions/{edition}/stages/{stage}/registrations",
        "/api/v1/openapi.json",
    ] {
        assert!(paths.contains_key(path), "{path} in {:?}", paths.keys());
    }
    let post = &paths["/api/v1/editions/{edition}/stages/{stage}/registrations"]["post"];
    for status in ["200", "201", "409", "415", "422", "429"] {
        assert!(post["responses"][status].is_object(), "{status}");
    }
    assert!(post["description"]
        .as_str()
        .unwrap()
        .contains("emailed to that address again"));
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for schema in [
        "NewRegistration",
        "RegistrationReceipt",
        "ErrorBody",
        "StageDetail",
    ] {
        assert!(schemas.contains_key(schema), "{schema}");
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registering_through_the_api_works_on_postgres() {
    let Some(test_db) = TestDb::postgres().await else {
        return;
    };
    let app = spawn_app_on(test_db).await;
    let (status, body) = register(&app, LYON_REGISTRATIONS, camille(), "fr").await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(body["status"], "confirmed");
    let (status, again) = register(&app, LYON_REGISTRATIONS, camille(), "fr").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["id"], body["id"]);
    let (_, stage) = get_json(&app, LYON).await;
    assert_eq!(
        stage["registrations"],
        json!({"confirmed": 1, "waiting": 0})
    );
    app.stop().await;
}
