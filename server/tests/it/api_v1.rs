//! The public JSON API under `/api/v1`: reading the programme (with stage times right in the
//! hour the clocks go back), registering, every kind of bad request answered with a JSON 4xx
//! (never a 500), and the generated OpenAPI document, whose schema a property-based test
//! checks against the server's own rules.

use crate::support::{
    client, edition_fixture, spawn_app, spawn_app_on, spawn_app_with, stage_fixture, TestApp,
    TestDb,
};
use app::domain::{Edition, EditionStatus, Lineup, NewStage, Stage, StageStatus};
use chrono::{Days, NaiveDate, NaiveDateTime, TimeZone, Utc};
use etape::config::LimitsConfig;
use proptest::prelude::{prop_assert, prop_assume};
use proptest::test_runner::{Config as ProptestConfig, TestRunner};
use reqwest::header::{ACCEPT_LANGUAGE, CACHE_CONTROL, CONTENT_TYPE, ORIGIN, RETRY_AFTER};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::HashSet;
use std::sync::Mutex;

const EDITION: &str = "social-good-week-demo";
const PAST_EDITION: &str = "social-good-week-2013";
const LYON: &str = "/api/v1/editions/social-good-week-demo/stages/lyon";
const LYON_REGISTRATIONS: &str = "/api/v1/editions/social-good-week-demo/stages/lyon/registrations";
const REGISTRATIONS: &str = "/api/v1/editions/{edition}/stages/{stage}/registrations";

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
    // The counts are read at most once per `cache::TTL`: at most that far behind.
    let (_, cached) = get_json(&app, LYON).await;
    let cached = cached["registrations"]["confirmed"].as_u64().unwrap();
    assert!(cached <= 1, "{cached}");
    tokio::time::sleep(app::api::cache::TTL + std::time::Duration::from_millis(100)).await;
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
    let (status, _) = register(&app, LYON_REGISTRATIONS, camille(), "fr").await;
    assert_eq!(status, StatusCode::CREATED);
    let mut again = camille();
    again["name"] = json!("Someone Else");
    again["email"] = json!("  CAMILLE@example.org ");
    let (status, body) = register(&app, LYON_REGISTRATIONS, again, "fr").await;
    assert_eq!(status, StatusCode::OK);
    // Whoever typed the address may not own it: nothing about that registration is said.
    assert!(body.get("id").is_none(), "{body}");
    assert!(body.get("status").is_none(), "{body}");
    assert_eq!(body["already_registered"], true);
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("ses liens viennent de lui être envoyés"));
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

    // A name that a right-to-left override would make read as another on the door's list.
    let spoofed = json!({
        "name": "Camille\u{202E}gnp.exe",
        "email": "camille@example.org",
        "organisation": "Asso\u{200B}ciation",
        "consent": true
    });
    let (status, body) = register(&app, LYON_REGISTRATIONS, spoofed, "fr").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    for field in ["name", "organisation"] {
        assert!(
            body["fields"][field]
                .as_str()
                .unwrap()
                .contains("caractères invisibles"),
            "{body}"
        );
    }

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
    ] {
        let (status, body) = get_json(&app, path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_error_shape(&body, "not_found");
    }
    // The list of an edition's stages is the edition itself; this path only takes new stages.
    let (status, body) = get_json(&app, "/api/v1/editions/social-good-week-demo/stages").await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_error_shape(&body, "method_not_allowed");
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
        logins_per_minute: 0,
        emails_per_address_per_minute: 0,
        trust_proxy: 0,
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
        "/api/v1/editions/{edition}/stages/{stage}/lineup",
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
    // Every parameter says what it is; every path parameter gives a slug that exists in the demo.
    for (path, item) in paths {
        for (method, operation) in item.as_object().unwrap() {
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                let name = parameter["name"].as_str().unwrap();
                assert!(
                    parameter["description"].is_string(),
                    "{method} {path} {name}"
                );
                if parameter["in"] != "path" {
                    continue;
                }
                assert!(
                    parameter["schema"]["pattern"].is_string(),
                    "{method} {path} {name}"
                );
                let example = parameter["example"].as_str().expect("an example slug");
                assert!(
                    [EDITION, "lyon"].contains(&example),
                    "{method} {path} {name}"
                );
            }
        }
    }
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
    assert_eq!(again["already_registered"], true);
    assert!(again.get("id").is_none(), "{again}");
    let (_, stage) = get_json(&app, LYON).await;
    assert_eq!(
        stage["registrations"],
        json!({"confirmed": 1, "waiting": 0})
    );
    app.stop().await;
}

/// A stage of `edition` in Paris at these local times, open for registrations from the
/// edition's first morning until `closes`.
fn paris_stage(
    edition: &Edition,
    slug: &str,
    starts: NaiveDateTime,
    ends: NaiveDateTime,
    closes: NaiveDateTime,
) -> Stage {
    Stage::parse(
        NewStage {
            slug,
            city: "Paris",
            venue_name: "La Gaîté Lyrique",
            venue_address: "3 bis rue Papin, 75003 Paris",
            coordinates: None,
            time_zone: "Europe/Paris",
            starts_local: starts,
            ends_local: ends,
            theme: "La nuit du changement d'heure",
            description: "",
            capacity: 50,
            registration_opens_local: edition.starts_on.and_hms_opt(9, 0, 0).unwrap(),
            registration_closes_local: closes,
            status: StageStatus::Published,
            co_organisers: vec![],
            confirm_email_minutes: None,
        },
        edition,
    )
    .expect("a valid stage")
}

/// On Sunday 25 October 2026 Paris's clocks go back from 03:00 summer time to 02:00, so 02:30
/// happens twice: at 00:30 UTC (+02:00), then at 01:30 UTC (+01:00). The API builds its times
/// from the stored instants, so each keeps its own offset; going through a wall-clock time
/// would give both the first one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stage_times_keep_their_offset_in_the_hour_the_clocks_go_back() {
    let app = spawn_app().await;
    let monday = NaiveDate::from_ymd_opt(2026, 10, 19).unwrap();
    let saturday = NaiveDate::from_ymd_opt(2026, 10, 24).unwrap();
    let sunday = NaiveDate::from_ymd_opt(2026, 10, 25).unwrap();
    let at = |day: NaiveDate, hour, minute| day.and_hms_opt(hour, minute, 0).unwrap();
    let edition = edition_fixture("autumn-week", monday, EditionStatus::Published);
    assert_eq!(edition.ends_on, sunday);
    // 02:30 is ambiguous; the domain stores the earlier instant.
    let night = paris_stage(
        &edition,
        "night",
        at(sunday, 2, 30),
        at(sunday, 4, 0),
        at(saturday, 20, 0),
    );
    assert_eq!(
        night.starts_at,
        Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).unwrap()
    );
    // A three-hour evening, moved to start at 00:30 (summer time) as `etape reschedule` does:
    // it keeps its length, so it ends at the second 02:30.
    let evening = paris_stage(
        &edition,
        "evening",
        at(saturday, 20, 0),
        at(saturday, 23, 0),
        at(saturday, 17, 0),
    );
    let moved_to = evening
        .rescheduled_start(&edition, at(sunday, 0, 30))
        .unwrap();
    let programme = vec![(night, Lineup::default()), (evening, Lineup::default())];
    app::db::editions::insert_edition_programme(&app.db, &edition, &programme)
        .await
        .unwrap();
    assert!(crate::support::command_desk(&app.db)
        .reschedule_stage("autumn-week", "evening", moved_to, Utc::now())
        .await
        .unwrap());

    let instant = |value: &Value| {
        chrono::DateTime::parse_from_rfc3339(value.as_str().expect("a time"))
            .expect("RFC 3339")
            .with_timezone(&Utc)
    };
    let (status, listed) = get_json(&app, "/api/v1/editions/autumn-week").await;
    assert_eq!(status, StatusCode::OK);
    let (status, night) = get_json(&app, "/api/v1/editions/autumn-week/stages/night").await;
    assert_eq!(status, StatusCode::OK);
    let stages = listed["stages"].as_array().unwrap();
    let listed_night = stages.iter().find(|s| s["slug"] == "night").unwrap();
    for stage in [listed_night, &night] {
        assert_eq!(stage["starts_at"], "2026-10-25T02:30:00+02:00", "{stage}");
        assert_eq!(
            instant(&stage["starts_at"]),
            Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).unwrap()
        );
        assert_eq!(
            stage["ends_at"], "2026-10-25T04:00:00+01:00",
            "after the change"
        );
        assert_eq!(
            instant(&stage["ends_at"]),
            Utc.with_ymd_and_hms(2026, 10, 25, 3, 0, 0).unwrap()
        );
        assert_eq!(stage["time_zone"], "Europe/Paris");
    }
    assert_eq!(night["registration_closes_at"], "2026-10-24T20:00:00+02:00");

    let (_, evening) = get_json(&app, "/api/v1/editions/autumn-week/stages/evening").await;
    let listed_evening = stages.iter().find(|s| s["slug"] == "evening").unwrap();
    for stage in [listed_evening, &evening] {
        assert_eq!(stage["starts_at"], "2026-10-25T00:30:00+02:00", "{stage}");
        assert_eq!(
            stage["ends_at"], "2026-10-25T02:30:00+01:00",
            "the second 02:30"
        );
        assert_eq!(
            instant(&stage["ends_at"]),
            Utc.with_ymd_and_hms(2026, 10, 25, 1, 30, 0).unwrap()
        );
    }
    app.stop().await;
}

/// The OpenAPI document states every rule the server checks on a registration, so a body that
/// satisfies its schema is never refused as invalid. 64 bodies are generated from the served
/// document itself (its `required`, `maxLength`, `pattern`, `enum`… read from the JSON, never
/// copied here, so the test fails as soon as the document and the server disagree) and
/// registered, each with a new address, for the stage the path parameters' examples name:
/// every one answers 201 (or 200), never 422.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_registration_the_openapi_document_allows_is_accepted() {
    let app = spawn_app_with(TestDb::sqlite().await, LimitsConfig::OFF).await;
    let (status, doc) = get_json(&app, "/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    let post = &doc["paths"][REGISTRATIONS]["post"];
    let mut path = REGISTRATIONS.to_owned();
    for parameter in post["parameters"].as_array().expect("parameters") {
        if parameter["in"] == "path" {
            let name = parameter["name"].as_str().unwrap();
            let example = parameter["example"].as_str().expect("an example slug");
            path = path.replace(&format!("{{{name}}}"), example);
        }
    }
    assert_eq!(path, LYON_REGISTRATIONS);
    let bodies = schema::values(
        &doc,
        &post["requestBody"]["content"]["application/json"]["schema"],
    );

    let handle = tokio::runtime::Handle::current();
    let sent = Mutex::new(HashSet::new());
    let mut runner = TestRunner::new(ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let outcome = tokio::task::block_in_place(|| {
        runner.run(&bodies, |body| {
            // Each address once (the server compares them trimmed and without case), so that
            // every registration is a new one.
            let email = body["email"].as_str().unwrap_or_default();
            prop_assume!(sent.lock().unwrap().insert(email.trim().to_lowercase()));
            let (status, answer) = handle.block_on(register(&app, &path, body.clone(), "en"));
            prop_assert!(
                status == StatusCode::CREATED || status == StatusCode::OK,
                "{status} {answer} for {body}"
            );
            Ok(())
        })
    });
    if let Err(failure) = outcome {
        panic!("a body the OpenAPI document allows was refused: {failure}");
    }
    let (_, stage) = get_json(&app, LYON).await;
    assert_eq!(stage["registrations"]["confirmed"], 64, "each one stored");
    app.stop().await;
}

/// Values that a JSON Schema (as utoipa writes it) allows, for a property-based test. It knows
/// the keywords below and refuses any other, so that no constraint is silently left out.
/// `format` is an annotation (JSON Schema 2020-12), not checked.
mod schema {
    use proptest::prelude::{any, Just, RngExt, Strategy};
    use proptest::sample::select;
    use proptest::strategy::{BoxedStrategy, NewTree, Union};
    use proptest::test_runner::{TestRng, TestRunner};
    use regex_syntax::hir::{Class, Hir, HirKind, Look};
    use serde_json::{Map, Value};

    const KEYWORDS: &[&str] = &[
        "type",
        "enum",
        "properties",
        "required",
        "minLength",
        "maxLength",
        "pattern",
        "format",
        "description",
        "example",
        "examples",
        "title",
    ];

    /// The longest string generated when a schema sets no `maxLength`.
    const DEFAULT_MAX_LENGTH: usize = 64;

    pub fn values(doc: &Value, schema: &Value) -> BoxedStrategy<Value> {
        if let Some(reference) = schema["$ref"].as_str() {
            let name = reference
                .strip_prefix("#/components/schemas/")
                .unwrap_or_else(|| panic!("a reference to a component: {reference}"));
            return values(doc, &doc["components"]["schemas"][name]);
        }
        if let Some(branches) = schema.get("oneOf").or_else(|| schema.get("anyOf")) {
            let branches = branches.as_array().expect("a list of schemas");
            return Union::new(branches.iter().map(|branch| values(doc, branch))).boxed();
        }
        let keywords = schema.as_object().expect("a schema object");
        for keyword in keywords.keys() {
            assert!(
                KEYWORDS.contains(&keyword.as_str()),
                "the generator does not know `{keyword}` in {schema}"
            );
        }
        if let Some(options) = schema["enum"].as_array() {
            return select(options.clone()).boxed();
        }
        let types: Vec<&str> = match &schema["type"] {
            Value::String(one) => vec![one],
            Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
            other => panic!("a schema without a type: {other} in {schema}"),
        };
        Union::new(types.into_iter().map(|kind| match kind {
            "null" => Just(Value::Null).boxed(),
            "boolean" => any::<bool>().prop_map(Value::Bool).boxed(),
            "string" => strings(schema).prop_map(Value::String).boxed(),
            "object" => objects(doc, schema),
            other => panic!("the generator does not know the type {other}"),
        }))
        .boxed()
    }

    /// Objects with every `required` property, and each other one present or absent.
    fn objects(doc: &Value, schema: &Value) -> BoxedStrategy<Value> {
        let required: Vec<&str> = schema["required"]
            .as_array()
            .map(|names| names.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let properties = schema["properties"].as_object().expect("properties");
        let fields: Vec<BoxedStrategy<Option<(String, Value)>>> = properties
            .iter()
            .map(|(name, property)| {
                let key = name.clone();
                let present =
                    values(doc, property).prop_map(move |value| Some((key.clone(), value)));
                if required.contains(&name.as_str()) {
                    present.boxed()
                } else {
                    Union::new([Just(None).boxed(), present.boxed()]).boxed()
                }
            })
            .collect();
        fields
            .prop_map(|fields| Value::Object(fields.into_iter().flatten().collect::<Map<_, _>>()))
            .boxed()
    }

    /// Strings that match `pattern` (any string without one), of `minLength` to `maxLength`
    /// characters.
    fn strings(schema: &Value) -> BoxedStrategy<String> {
        let length = |keyword: &str| schema[keyword].as_u64().map(|n| n as usize);
        let min = length("minLength").unwrap_or(0);
        let max = length("maxLength").unwrap_or(DEFAULT_MAX_LENGTH);
        let hir = match schema["pattern"].as_str() {
            Some(pattern) => anchored(pattern),
            None => regex_syntax::parse("(?s:.)*").unwrap(),
        };
        assert!(
            shortest(&hir) <= max,
            "no string of at most {max} characters matches {schema}"
        );
        Matching { hir, max }
            .prop_filter("at least minLength characters", move |text| {
                text.chars().count() >= min
            })
            .boxed()
    }

    /// A `pattern` without its `^` and `$`, which it must have: JSON Schema patterns are not
    /// anchored, so one without them would constrain nothing.
    fn anchored(pattern: &str) -> Hir {
        let hir = regex_syntax::parse(pattern)
            .unwrap_or_else(|error| panic!("{pattern} is not a regex: {error}"));
        let HirKind::Concat(parts) = hir.kind() else {
            panic!("{pattern} is not anchored with ^ and $");
        };
        let [first, inner @ .., last] = parts.as_slice() else {
            panic!("{pattern} is not anchored with ^ and $");
        };
        assert!(
            *first.kind() == HirKind::Look(Look::Start) && *last.kind() == HirKind::Look(Look::End),
            "{pattern} is not anchored with ^ and $"
        );
        Hir::concat(inner.to_vec())
    }

    /// Strings matching `hir`, of at most `max` characters. Each repetition takes its fewest
    /// items a quarter of the time, the most that still fit another quarter, else a count in
    /// between: strings often sit exactly at `maxLength`, where a document and a server that
    /// disagree show it. (Proptest's own regex strings stop at 32 repetitions, and would need
    /// filtering to fit.) Values do not shrink.
    #[derive(Debug)]
    struct Matching {
        hir: Hir,
        max: usize,
    }

    impl Strategy for Matching {
        type Tree = Just<String>;
        type Value = String;

        fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
            let mut text = String::new();
            write(&self.hir, self.max, runner.rng(), &mut text);
            Ok(Just(text))
        }
    }

    /// Appends a match of `hir` of at most `budget` characters (at least `shortest(hir)`) and
    /// returns its length.
    fn write(hir: &Hir, budget: usize, rng: &mut TestRng, text: &mut String) -> usize {
        match hir.kind() {
            HirKind::Empty => 0,
            HirKind::Literal(literal) => {
                let literal = std::str::from_utf8(&literal.0).expect("a UTF-8 pattern");
                text.push_str(literal);
                literal.chars().count()
            }
            HirKind::Class(Class::Unicode(class)) => {
                let ranges = class.ranges();
                let range = ranges[rng.random_range(0..ranges.len())];
                let code = rng.random_range(u32::from(range.start())..=u32::from(range.end()));
                text.push(char::from_u32(code).unwrap_or(range.start()));
                1
            }
            HirKind::Capture(capture) => write(&capture.sub, budget, rng, text),
            HirKind::Concat(parts) => {
                let mut used = 0;
                for (i, part) in parts.iter().enumerate() {
                    let reserved: usize = parts[i + 1..].iter().map(shortest).sum();
                    used += write(part, budget - used - reserved, rng, text);
                }
                used
            }
            HirKind::Alternation(parts) => {
                let fitting: Vec<&Hir> = parts.iter().filter(|p| shortest(p) <= budget).collect();
                write(
                    fitting[rng.random_range(0..fitting.len())],
                    budget,
                    rng,
                    text,
                )
            }
            HirKind::Repetition(repetition) => {
                let fewest = repetition.min as usize;
                let each = shortest(&repetition.sub);
                let fit = (budget - fewest * each)
                    .checked_div(each)
                    .map_or(usize::MAX, |more| fewest + more);
                let most = repetition.max.map_or(fit, |max| fit.min(max as usize));
                let most = most.min(fewest + budget);
                let count = match rng.random_range(0..4) {
                    0 => fewest,
                    1 => most,
                    _ => rng.random_range(fewest..=most),
                };
                let mut used = 0;
                for k in 0..count {
                    let reserved = (count - k - 1) * each;
                    used += write(&repetition.sub, budget - used - reserved, rng, text);
                }
                used
            }
            kind => panic!("cannot generate strings for {kind:?}"),
        }
    }

    /// The fewest characters `hir` matches.
    fn shortest(hir: &Hir) -> usize {
        match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => 0,
            HirKind::Literal(literal) => String::from_utf8_lossy(&literal.0).chars().count(),
            HirKind::Class(_) => 1,
            HirKind::Repetition(repetition) => repetition.min as usize * shortest(&repetition.sub),
            HirKind::Capture(capture) => shortest(&capture.sub),
            HirKind::Concat(parts) => parts.iter().map(shortest).sum(),
            HirKind::Alternation(parts) => parts.iter().map(shortest).min().unwrap_or(0),
        }
    }
}
