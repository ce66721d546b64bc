//! Tickets' short codes, on SQLite and PostgreSQL: one per registration, unique in its stage,
//! shown wherever the ticket is, and accepted at the door wherever the signed code is.

use crate::checkins::{door, stage_id};
use crate::support::{command_desk, on_both_engines, TestApp};
use app::db::{editions, registrations, sql, DbError};
use app::demo::UPCOMING_EDITION;
use app::domain::short_code::ShortCode;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::HashSet;

/// Registers `n` through the API; returns the registration's id and its ticket page's path.
async fn register(app: &TestApp, stage: &str, n: usize) -> (String, Option<String>) {
    let response = reqwest::Client::new()
        .post(app.url(&format!(
            "/api/v1/editions/{UPCOMING_EDITION}/stages/{stage}/registrations"
        )))
        .json(&json!({
            "name": format!("Personne {n}"),
            "email": format!("personne{n}@example.org"),
            "consent": true
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.unwrap();
    let ticket = body["ticket_url"]
        .as_str()
        .map(|url| reqwest::Url::parse(url).unwrap().path().to_owned());
    (body["id"].as_str().unwrap().to_owned(), ticket)
}

async fn stored_code(app: &TestApp, registration: &str) -> Option<String> {
    let (code,): (Option<String>,) = app
        .db
        .fetch_one(sql("SELECT short_code FROM registrations WHERE id = $1").bind(registration))
        .await
        .unwrap();
    code
}

async fn scan(app: &TestApp, secret: &str, code: &str) -> Value {
    let response = reqwest::Client::new()
        .post(app.url("/api/v1/checkins"))
        .bearer_auth(secret)
        .json(&json!({ "code": code }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{code}");
    response.json().await.unwrap()
}

/// The code as a hurried person types it: lower case, a space where the dash was.
fn typed(stored: &str) -> String {
    format!("{} {}", &stored[..4], &stored[4..]).to_lowercase()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_ticket_gets_a_short_code_unique_in_its_stage_shown_with_the_ticket() {
    on_both_engines(|app| async move {
        let mut seen = HashSet::new();
        let mut first_ticket = None;
        for n in 0..40 {
            let (id, ticket) = register(&app, "lyon", n).await;
            let code = stored_code(&app, &id).await.expect("a short code");
            assert!(ShortCode::from_stored(&code).is_some(), "{code}");
            assert!(seen.insert(code.clone()), "{code} given twice");
            if n == 0 {
                first_ticket = Some((code, ticket.expect("a seat")));
            }
        }
        let (code, ticket) = first_ticket.unwrap();
        let shown = ShortCode::from_stored(&code).unwrap().to_string();
        let page = reqwest::get(app.url(&ticket))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains(&shown), "the ticket page shows {shown}");

        // The index keeps it unique per stage: the same code in another stage is fine.
        let lyon = stage_id(&app, "lyon").await;
        let taken = app
            .db
            .execute(
                sql("UPDATE registrations SET short_code = $1 \
                     WHERE stage_id = $2 AND short_code <> $1")
                .bind(&code)
                .bind(&lyon),
            )
            .await;
        assert!(matches!(taken, Err(DbError::UniqueViolation)), "{taken:?}");
        let (paris_id, _) = register(&app, "paris", 100).await;
        app.db
            .execute(
                sql("UPDATE registrations SET short_code = $1 WHERE id = $2")
                    .bind(&code)
                    .bind(&paris_id),
            )
            .await
            .expect("another stage may hold the same code");
        app
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_typed_short_code_checks_in_like_the_qr_code_and_nowhere_else() {
    on_both_engines(|app| async move {
        let lyon = door(&app, "lyon", "Entrée").await;
        let paris = door(&app, "paris", "Entrée").await;
        let (id, _) = register(&app, "lyon", 1).await;
        let code = stored_code(&app, &id).await.unwrap();

        // At another stage's door, the code is nobody's.
        let answer = scan(&app, &paris, &code).await;
        assert_eq!(answer["result"], "invalid", "{answer}");
        assert!(answer.get("attendee").is_none());

        let answer = scan(&app, &lyon, &typed(&code)).await;
        assert_eq!(answer["result"], "admitted", "{answer}");
        assert_eq!(answer["attendee"]["name"], "Personne 1");
        let shown = ShortCode::from_stored(&code).unwrap().to_string();
        let answer = scan(&app, &lyon, &shown).await;
        assert_eq!(answer["result"], "already_checked_in", "{answer}");

        // The door phone keeps each registrant's code, to decide offline.
        let state: Value = reqwest::Client::new()
            .get(app.url("/api/v1/door"))
            .bearer_auth(&lyon)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(state["attendees"][0]["short_code"], code.as_str());

        // A cancelled ticket's code says so; an unknown one is invalid.
        let (other, _) = register(&app, "lyon", 2).await;
        let other_code = stored_code(&app, &other).await.unwrap();
        command_desk(&app.db)
            .cancel_for_organiser(
                UPCOMING_EDITION,
                "lyon",
                "personne2@example.org",
                chrono::Utc::now(),
            )
            .await
            .unwrap();
        assert_eq!(scan(&app, &lyon, &other_code).await["result"], "cancelled");
        let unknown = (0u8..=255)
            .map(|b| ShortCode::from_random([b, 1, 2, 3, 4]).as_stored())
            .find(|candidate| *candidate != code && *candidate != other_code)
            .unwrap();
        assert_eq!(scan(&app, &lyon, &unknown).await["result"], "invalid");
        app
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registrations_stored_before_short_codes_get_theirs_once() {
    on_both_engines(|app| async move {
        let mut ids = Vec::new();
        for n in 0..5 {
            ids.push(register(&app, "lyon", n).await.0);
        }
        let kept = stored_code(&app, &ids[0]).await.unwrap();
        app.db
            .execute(sql("UPDATE registrations SET short_code = NULL WHERE id <> $1").bind(&ids[0]))
            .await
            .unwrap();
        assert_eq!(registrations::fill_short_codes(&app.db).await.unwrap(), 4);
        let mut codes = HashSet::new();
        for id in &ids {
            codes.insert(stored_code(&app, id).await.expect("filled"));
        }
        assert_eq!(codes.len(), 5, "distinct");
        assert_eq!(stored_code(&app, &ids[0]).await.unwrap(), kept, "kept");
        assert_eq!(registrations::fill_short_codes(&app.db).await.unwrap(), 0);
        app
    })
    .await;
}

/// The texts of the QR codes in a PNG, read by a real decoder.
fn qr_texts(png_bytes: &[u8]) -> (u32, u32, Vec<String>) {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buffer = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buffer).unwrap();
    assert_eq!(info.color_type, png::ColorType::Grayscale);
    let (width, height) = (info.width as usize, info.height as usize);
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| buffer[y * width + x]);
    let texts = image
        .detect_grids()
        .into_iter()
        .filter_map(|grid| grid.decode().ok().map(|(_, text)| text))
        .collect();
    (info.width, info.height, texts)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ticket_image_carries_the_signed_code_while_the_ticket_is_valid() {
    on_both_engines(|app| async move {
        let (id, ticket) = register(&app, "lyon", 7).await;
        let ticket = ticket.unwrap();
        let image = |language: &'static str| {
            let url = app.url(&format!("{ticket}/ticket.png"));
            async move {
                reqwest::Client::new()
                    .get(url)
                    .header("Accept-Language", language)
                    .send()
                    .await
                    .unwrap()
            }
        };
        let response = image("fr").await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["content-type"], "image/png");
        assert_eq!(response.headers()["cache-control"], "private, no-store");
        let french = response.bytes().await.unwrap();
        let (width, height, texts) = qr_texts(&french);
        assert!(
            height > width,
            "the words under the QR code: {width}×{height}"
        );
        assert_eq!(texts.len(), 1, "one QR code");
        let edition = editions::find_edition(&app.db, UPCOMING_EDITION)
            .await
            .unwrap()
            .unwrap();
        let keys = app::db::ticket_keys::list_public_keys(&app.db, &edition.id)
            .await
            .unwrap();
        let payload = keys[0].verify(&texts[0]).expect("a signed ticket");
        let ticket_id = uuid::Uuid::from_bytes(payload.ticket_id);
        assert_eq!(ticket_id.to_string(), id);
        // Random, not time-ordered: a ticket tells nothing of when it was made.
        assert_eq!(ticket_id.get_version_num(), 4, "{ticket_id}");
        // In the reader's language: the same QR code, other words.
        let english = image("en").await.bytes().await.unwrap();
        assert_ne!(french, english);
        assert_eq!(qr_texts(&english).2, texts);

        command_desk(&app.db)
            .cancel_for_organiser(
                UPCOMING_EDITION,
                "lyon",
                "personne7@example.org",
                chrono::Utc::now(),
            )
            .await
            .unwrap();
        assert_eq!(image("fr").await.status(), StatusCode::NOT_FOUND);
        let page = reqwest::get(app.url(&ticket))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            !page.contains("ticket.png"),
            "a cancelled ticket offers no image"
        );
        assert!(!page.contains("ticket-code-value"), "nor its short code");
        app
    })
    .await;
}
