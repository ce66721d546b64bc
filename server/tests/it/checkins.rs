//! Door check-in over HTTP, on SQLite and PostgreSQL: door links, `POST /api/v1/checkins`,
//! idempotency under twenty racing doors, every refusal, offline resends, and garbage.

use crate::support::{command_desk, on_both_engines, TestApp};
use app::db::{editions, ticket_keys, workspace};
use app::demo::UPCOMING_EDITION;
use app::domain::ticket::{TicketKey, TicketPayload};
use reqwest::StatusCode;
use serde_json::{json, Value};

pub(crate) async fn stage_id(app: &TestApp, stage: &str) -> String {
    let edition = editions::find_edition(&app.db, UPCOMING_EDITION)
        .await
        .unwrap()
        .unwrap();
    workspace::stage_id(&app.db, &edition.id, stage)
        .await
        .unwrap()
        .unwrap()
}

/// A door link of the stage; returns its secret.
pub(crate) async fn door(app: &TestApp, stage: &str, label: &str) -> String {
    app::api::door::create_door_link(
        &app.db,
        &stage_id(app, stage).await,
        label,
        chrono::Utc::now(),
    )
    .await
    .unwrap()
    .secret
}

/// Registers `name` for the stage through the API; returns the registration's id and status.
async fn register(app: &TestApp, stage: &str, name: &str) -> (String, String) {
    let email = format!("{}@example.org", name.to_lowercase().replace(' ', "."));
    let response = reqwest::Client::new()
        .post(app.url(&format!(
            "/api/v1/editions/{UPCOMING_EDITION}/stages/{stage}/registrations"
        )))
        .json(&json!({"name": name, "email": email, "consent": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.unwrap();
    (
        body["id"].as_str().unwrap().to_owned(),
        body["status"].as_str().unwrap().to_owned(),
    )
}

async fn edition_key(app: &TestApp) -> TicketKey {
    let edition = editions::find_edition(&app.db, UPCOMING_EDITION)
        .await
        .unwrap()
        .unwrap();
    ticket_keys::find_active_key(&app.db, &edition.id)
        .await
        .unwrap()
        .expect("the edition's key")
}

fn bytes(uuid: &str) -> [u8; 16] {
    *uuid::Uuid::parse_str(uuid).unwrap().as_bytes()
}

/// The ticket code of a registration, signed as the ticket page signs it.
async fn ticket(app: &TestApp, stage: &str, registration_id: &str) -> String {
    edition_key(app).await.sign(&TicketPayload {
        ticket_id: bytes(registration_id),
        stage_id: bytes(&stage_id(app, stage).await),
    })
}

async fn scan(app: &TestApp, secret: &str, body: Value) -> (StatusCode, Value) {
    let response = reqwest::Client::new()
        .post(app.url("/api/v1/checkins"))
        .bearer_auth(secret)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"));
    (status, body)
}

/// `GET /api/v1/door` with a door's secret.
async fn read_door(app: &TestApp, secret: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(app.url("/api/v1/door"))
        .bearer_auth(secret)
        .send()
        .await
        .unwrap()
}

async fn count(app: &TestApp, table: &str) -> i64 {
    let (n,): (i64,) = app
        .db
        .fetch_one(app::db::sql(format!("SELECT COUNT(*) FROM {table}")))
        .await
        .unwrap();
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_is_admitted_once_and_every_later_scan_reports_the_first() {
    on_both_engines(|app| async move {
        let main = door(&app, "lyon", "Entrée principale").await;
        let side = door(&app, "lyon", "Porte latérale").await;
        let (id, status) = register(&app, "lyon", "Amina Diallo").await;
        assert_eq!(status, "confirmed");
        let code = ticket(&app, "lyon", &id).await;

        let (status, first) = scan(&app, &main, json!({"code": code})).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(first["result"], "admitted");
        assert_eq!(first["attendee"]["name"], "Amina Diallo");
        assert_eq!(first["door"], "Entrée principale");
        assert!(first["checked_in_at"].is_string(), "{first}");
        assert!(first.get("stage").is_none());

        let (_, again) = scan(&app, &side, json!({"code": code})).await;
        assert_eq!(again["result"], "already_checked_in");
        assert_eq!(again["door"], "Entrée principale", "the first door");
        assert_eq!(again["checked_in_at"], first["checked_in_at"]);
        // By hand, too: the same ticket, the same answer.
        let (_, by_hand) = scan(&app, &side, json!({"registration": id})).await;
        assert_eq!(by_hand["result"], "already_checked_in");

        assert_eq!(count(&app, "checkins").await, 1);
        assert_eq!(
            count(&app, "checkin_attempts").await,
            3,
            "every scan recorded"
        );
        let (total, per_door) = app::db::checkins::counts(&app.db, &stage_id(&app, "lyon").await)
            .await
            .unwrap();
        assert_eq!(total, 1);
        assert_eq!(
            per_door,
            [
                ("Entrée principale".to_owned(), 1),
                ("Porte latérale".to_owned(), 0)
            ]
        );
        app
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_doors_scanning_one_ticket_at_once_admit_it_exactly_once() {
    on_both_engines(|app| async move {
        let mut secrets = Vec::new();
        for n in 0..20 {
            secrets.push(door(&app, "lyon", &format!("Porte {n}")).await);
        }
        let (id, _) = register(&app, "lyon", "Zoé Martin").await;
        let code = ticket(&app, "lyon", &id).await;
        let app = std::sync::Arc::new(app);
        let scans = secrets.into_iter().map(|secret| {
            let (app, code) = (app.clone(), code.clone());
            tokio::spawn(async move { scan(&app, &secret, json!({"code": code})).await })
        });
        let mut results = Vec::new();
        for handle in scans {
            let (status, body) = handle.await.unwrap();
            assert_eq!(status, StatusCode::OK, "{body}");
            results.push(body);
        }
        let admitted: Vec<_> = results
            .iter()
            .filter(|r| r["result"] == "admitted")
            .collect();
        assert_eq!(admitted.len(), 1, "{results:?}");
        let winner = admitted[0]["door"].clone();
        for result in &results {
            assert!(
                result["result"] == "admitted" || result["result"] == "already_checked_in",
                "{result}"
            );
            assert_eq!(
                result["door"], winner,
                "every door names the one that admitted"
            );
        }
        let app = std::sync::Arc::into_inner(app).expect("every scan finished");
        assert_eq!(count(&app, "checkins").await, 1);
        assert_eq!(count(&app, "checkin_attempts").await, 20);
        app
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelled_waiting_foreign_and_forged_tickets_are_refused_with_their_reason() {
    on_both_engines(|app| async move {
        let desk = command_desk(&app.db);
        let now = chrono::Utc::now();
        let lyon = door(&app, "lyon", "Entrée").await;
        // Two seats taken, the third person waits.
        let (kept, _) = register(&app, "lyon", "Léa Petit").await;
        let (cancelled, _) = register(&app, "lyon", "Hugo Bernard").await;
        desk.change_capacity(UPCOMING_EDITION, "lyon", 2, now)
            .await
            .ok();
        let (waiting, status) = register(&app, "lyon", "Inès Roux").await;
        assert_eq!(status, "waitlisted");
        desk.cancel_for_organiser(UPCOMING_EDITION, "lyon", "hugo.bernard@example.org", now)
            .await
            .unwrap();
        // Hugo's seat went to Inès: make another person wait instead.
        let (still_waiting, status) = register(&app, "lyon", "Noah Blanc").await;
        assert_eq!(status, "waitlisted");
        let _ = waiting;

        let (_, answer) = scan(
            &app,
            &lyon,
            json!({"code": ticket(&app, "lyon", &cancelled).await}),
        )
        .await;
        assert_eq!(answer["result"], "cancelled");
        assert_eq!(answer["attendee"]["name"], "Hugo Bernard");
        let (_, answer) = scan(
            &app,
            &lyon,
            json!({"code": ticket(&app, "lyon", &still_waiting).await}),
        )
        .await;
        assert_eq!(answer["result"], "waitlisted");

        // A Paris ticket at the Lyon door: which stage it is for, and no name.
        let (paris_id, _) = register(&app, "paris", "Paul Lefèvre").await;
        let (_, answer) = scan(
            &app,
            &lyon,
            json!({"code": ticket(&app, "paris", &paris_id).await}),
        )
        .await;
        assert_eq!(answer["result"], "wrong_stage");
        assert_eq!(answer["stage"]["city"], "Paris");
        assert!(answer.get("attendee").is_none(), "{answer}");
        // By hand, a registration of another stage is nothing this door knows.
        let (_, answer) = scan(&app, &lyon, json!({"registration": paris_id})).await;
        assert_eq!(answer["result"], "invalid");

        // Forged with another key, altered, truncated, empty, foreign text, huge.
        let forged = TicketKey::from_seed([42; 32]).sign(&TicketPayload {
            ticket_id: bytes(&kept),
            stage_id: bytes(&stage_id(&app, "lyon").await),
        });
        let real = ticket(&app, "lyon", &kept).await;
        let mut altered = real.clone().into_bytes();
        altered[10] = if altered[10] == b'A' { b'B' } else { b'A' };
        let altered = String::from_utf8(altered).unwrap();
        for code in [
            forged.as_str(),
            altered.as_str(),
            &real[..real.len() - 5],
            "",
            "ET1",
            "Ceci n'est pas un billet — 🎟️",
            &"ET1".repeat(4000),
        ] {
            let (status, answer) = scan(&app, &lyon, json!({"code": code})).await;
            assert_eq!(status, StatusCode::OK, "{code:.30}");
            assert_eq!(answer["result"], "invalid", "{code:.30}");
            assert!(answer.get("attendee").is_none());
        }
        let (status, answer) = scan(&app, &lyon, json!({"code": "ET1".repeat(40_000)})).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{answer}");
        for garbage in [
            json!({}),
            json!({"code": real, "registration": kept}),
            json!({"code": 12}),
        ] {
            let (status, answer) = scan(&app, &lyon, garbage.clone()).await;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{garbage}: {answer}"
            );
        }
        let (status, _) = scan(&app, &lyon, json!({"registration": "pas-un-id"})).await;
        assert_eq!(status, StatusCode::OK);

        // The real ticket still goes in after all that.
        let (_, answer) = scan(&app, &lyon, json!({"code": real})).await;
        assert_eq!(answer["result"], "admitted");
        assert_eq!(answer["attendee"]["name"], "Léa Petit");
        app
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_door_link_or_any_other_credential_opens_nothing() {
    on_both_engines(|app| async move {
        let secret = door(&app, "lyon", "Entrée").await;
        let (id, _) = register(&app, "lyon", "Camille Noir").await;
        let code = ticket(&app, "lyon", &id).await;
        app::api::door::revoke_door_link(
            &app.db,
            &stage_id(&app, "lyon").await,
            "Entrée",
            chrono::Utc::now(),
        )
        .await
        .unwrap();
        for credential in [
            secret.clone(),
            format!("door_{}", "A".repeat(43)),
            format!("etape_{}", "A".repeat(43)),
            "door_".to_owned(),
        ] {
            let (status, answer) = scan(&app, &credential, json!({"code": code})).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{credential}");
            assert_eq!(answer["error"], "unauthorized");
        }
        let anonymous = reqwest::Client::new()
            .post(app.url("/api/v1/checkins"))
            .json(&json!({"code": code}))
            .send()
            .await
            .unwrap();
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(count(&app, "checkins").await, 0);
        assert_eq!(count(&app, "checkin_attempts").await, 0);
        // The label is free again for a new link.
        let again = door(&app, "lyon", "Entrée").await;
        let (_, answer) = scan(&app, &again, json!({"code": code})).await;
        assert_eq!(answer["result"], "admitted");
        app
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_offline_scan_sent_twice_counts_once_and_a_conflict_is_kept() {
    on_both_engines(|app| async move {
        let north = door(&app, "lyon", "Nord").await;
        let south = door(&app, "lyon", "Sud").await;
        let (id, _) = register(&app, "lyon", "Jade Morel").await;
        let code = ticket(&app, "lyon", &id).await;
        let earlier = (chrono::Utc::now() - chrono::Duration::minutes(5))
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let upload = json!({"code": code, "id": "nord-0001", "scanned_at": earlier, "door_result": "admitted"});
        let (_, first) = scan(&app, &north, upload.clone()).await;
        let (_, resent) = scan(&app, &north, upload).await;
        assert_eq!(first["result"], "admitted");
        assert_eq!(first["checked_in_at"], earlier.as_str(), "when it was scanned");
        assert_eq!(resent, first, "a resend is answered the same");
        assert_eq!(count(&app, "checkin_attempts").await, 1, "and recorded once");

        // The south door had admitted the same ticket offline too: the first admission stays,
        // and the disagreement is kept for the organisers.
        let (_, other) = scan(
            &app,
            &south,
            json!({"code": code, "id": "sud-0001", "door_result": "admitted"}),
        )
        .await;
        assert_eq!(other["result"], "already_checked_in");
        assert_eq!(other["door"], "Nord");
        // Every door hears of it on its next refresh, the one that admitted first included.
        for secret in [&north, &south] {
            let state: Value = read_door(&app, secret).await.json().await.unwrap();
            assert_eq!(
                state["conflicts"],
                json!([{"name": "Jade Morel", "checked_in_at": earlier, "door": "Nord",
                        "also_door": "Sud", "also_at": state["conflicts"][0]["also_at"]}]),
            );
            assert!(state["conflicts"][0]["also_at"].as_str().unwrap() > earlier.as_str());
        }
        // A scan from the future is counted when it arrived.
        let (id2, _) = register(&app, "lyon", "Léo Garnier").await;
        let future = (chrono::Utc::now() + chrono::Duration::days(3)).to_rfc3339();
        let (_, answer) = scan(
            &app,
            &south,
            json!({"code": ticket(&app, "lyon", &id2).await, "scanned_at": future}),
        )
        .await;
        let at: chrono::DateTime<chrono::Utc> =
            answer["checked_in_at"].as_str().unwrap().parse().unwrap();
        assert!(at <= chrono::Utc::now());
        let (status, _) = scan(&app, &south, json!({"code": code, "id": "x".repeat(101)})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        app
    })
    .await;
}

/// Runs `etape door-link …` on `url`; returns (success, stdout, stderr).
fn door_link_command(test_db: &crate::support::TestDb, args: &[&str]) -> (bool, String, String) {
    let out = test_db
        .etape_command()
        .arg("door-link")
        .args(args)
        .env("ETAPE_PUBLIC_URL", "https://etape.example")
        .output()
        .expect("run etape");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

async fn door_links_come_from_the_command_line(test_db: &crate::support::TestDb) {
    let db = &test_db.db;
    app::demo::load(db, chrono::Utc::now().date_naive())
        .await
        .unwrap();
    let (ok, out, err) = door_link_command(
        test_db,
        &[
            "create",
            UPCOMING_EDITION,
            "lyon",
            "--label",
            "Entrée principale",
        ],
    );
    assert!(ok, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    let secret = lines[1];
    assert!(app::api::door::looks_like_door_secret(secret), "{secret}");
    assert_eq!(lines[0], format!("https://etape.example/door#{secret}"));
    let hash = app::links::token_hash(secret);
    let door = app::db::doors::find_open(db, &hash).await.unwrap().unwrap();
    assert_eq!(door.label, "Entrée principale");
    let (stored,): (i64,) = db
        .fetch_one(
            app::db::sql("SELECT COUNT(*) FROM door_links WHERE secret_hash = $1").bind(&hash),
        )
        .await
        .unwrap();
    assert_eq!(stored, 1, "only the hash is kept");

    let (ok, _, err) = door_link_command(
        test_db,
        &[
            "create",
            UPCOMING_EDITION,
            "lyon",
            "--label",
            "Entrée principale",
        ],
    );
    assert!(!ok);
    assert!(err.contains("already has a door link"), "{err}");
    let (ok, _, err) = door_link_command(
        test_db,
        &["create", UPCOMING_EDITION, "nowhere", "--label", "A"],
    );
    assert!(!ok);
    assert!(err.contains("not found: stage"), "{err}");

    let (ok, out, _) = door_link_command(test_db, &["list", UPCOMING_EDITION, "lyon"]);
    assert!(ok);
    assert!(
        out.contains("Entrée principale") && out.contains("open"),
        "{out}"
    );
    assert!(!out.contains(secret), "a list never shows a secret");

    let (ok, out, err) = door_link_command(
        test_db,
        &["revoke", UPCOMING_EDITION, "lyon", "Entrée principale"],
    );
    assert!(ok, "{err}");
    assert!(out.contains("revoked"), "{out}");
    assert!(app::db::doors::find_open(db, &hash)
        .await
        .unwrap()
        .is_none());
    let (ok, out, _) = door_link_command(test_db, &["list", UPCOMING_EDITION, "lyon"]);
    assert!(ok && out.contains("revoked"), "{out}");
    let (ok, _, err) = door_link_command(
        test_db,
        &["revoke", UPCOMING_EDITION, "lyon", "Entrée principale"],
    );
    assert!(!ok);
    assert!(err.contains("not found"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn door_links_come_from_the_command_line_on_sqlite() {
    let test_db = crate::support::TestDb::sqlite().await;
    door_links_come_from_the_command_line(&test_db).await;
    test_db.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn door_links_come_from_the_command_line_on_postgres() {
    let Some(test_db) = crate::support::TestDb::postgres().await else {
        return;
    };
    door_links_come_from_the_command_line(&test_db).await;
    test_db.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_door_phone_gets_what_it_needs_to_decide_offline_and_no_email() {
    on_both_engines(|app| async move {
        let main = door(&app, "lyon", "Entrée principale").await;
        door(&app, "lyon", "Porte latérale").await;
        let (amina, _) = register(&app, "lyon", "Amina Diallo").await;
        let (_, _) = register(&app, "lyon", "Zoé Martin").await;
        scan(&app, &main, json!({"code": ticket(&app, "lyon", &amina).await})).await;

        let response = read_door(&app, &main).await;
        assert_eq!(response.status(), StatusCode::OK);
        let text = response.text().await.unwrap();
        assert!(!text.contains("@example.org"), "no email reaches a door: {text}");
        let state: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(state["door"], "Entrée principale");
        assert_eq!(state["stage"]["city"], "Lyon");
        assert_eq!(state["stage"]["id"], stage_id(&app, "lyon").await);
        // The edition's key, as the scanner will verify with it.
        let key = edition_key(&app).await.public_key();
        let sent = state["keys"][0].as_str().unwrap();
        use base64::Engine as _;
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(sent)
            .unwrap();
        assert_eq!(bytes, key.to_bytes());
        let attendees = state["attendees"].as_array().unwrap();
        let line = attendees
            .iter()
            .find(|a| a["registration"] == amina.as_str())
            .unwrap();
        assert_eq!(line["name"], "Amina Diallo");
        assert_eq!(line["status"], "confirmed");
        assert_eq!(line["door"], "Entrée principale");
        assert!(attendees.iter().any(|a| a["name"] == "Zoé Martin" && a.get("door").is_none()));
        // Only this stage's registrants.
        assert!(attendees.len() >= 2 && attendees.iter().all(|a| a["registration"].is_string()));
        assert_eq!(state["counts"]["checked_in"], 1);
        assert_eq!(
            state["counts"]["doors"],
            json!([{"door": "Entrée principale", "checked_in": 1}, {"door": "Porte latérale", "checked_in": 0}])
        );
        assert!(state["counts"]["confirmed"].as_u64().unwrap() >= 2);

        app::api::door::revoke_door_link(
            &app.db,
            &stage_id(&app, "lyon").await,
            "Entrée principale",
            chrono::Utc::now(),
        )
        .await
        .unwrap();
        assert_eq!(read_door(&app, &main).await.status(), StatusCode::UNAUTHORIZED);
        app
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_city_team_makes_shows_and_revokes_its_door_links_in_the_workspace() {
    use crate::workspace::{account, browser, log_in, PASSWORD};
    on_both_engines(|app| async move {
        account(&app, "lyon@example.org", "Léa", &[Some("lyon")]).await;
        account(&app, "paris@example.org", "Paul", &[Some("paris")]).await;
        let lea = browser(&app);
        log_in(&app, &lea, "lyon@example.org", PASSWORD).await;
        let doors = app::paths::workspace_doors(UPCOMING_EDITION, "lyon");

        let blank = lea
            .post(app.url(&doors))
            .form(&[("label", " ")])
            .send()
            .await
            .unwrap();
        assert_eq!(blank.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let made = lea
            .post(app.url(&doors))
            .form(&[("label", "Entrée <principale>")])
            .send()
            .await
            .unwrap();
        assert_eq!(made.status(), StatusCode::CREATED);
        let page = made.text().await.unwrap();
        assert!(
            page.contains("Entrée &lt;principale&gt;"),
            "the label, escaped"
        );
        let at = page.find("/door#door_").expect("the door link, shown once");
        let secret: String = page[at + "/door#".len()..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        assert!(app::api::door::looks_like_door_secret(&secret), "{secret}");
        assert!(
            page.contains("src=\"data:image/svg+xml;base64,"),
            "its QR code"
        );
        // The secret opens the door, and only it: the list never shows it again.
        let state = read_door(&app, &secret).await;
        assert_eq!(state.status(), StatusCode::OK);
        let list = lea
            .get(app.url(&doors))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(list.contains("Entrée &lt;principale&gt;"));
        assert!(!list.contains(&secret));
        assert!(!list.contains("Billets admis à deux portes hors ligne"));

        // Two doors that admitted one ticket while offline: the organisers see it.
        let side = door(&app, "lyon", "Porte <latérale>").await;
        let (id, _) = register(&app, "lyon", "Inès Roux").await;
        let code = ticket(&app, "lyon", &id).await;
        for (secret, scan_id) in [(&secret, "main-1"), (&side, "side-1")] {
            scan(
                &app,
                secret,
                json!({"code": code, "id": scan_id, "door_result": "admitted"}),
            )
            .await;
        }
        let list = lea
            .get(app.url(&doors))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            list.contains("Billets admis à deux portes hors ligne"),
            "{list}"
        );
        assert!(list.contains("Inès Roux\u{a0}: admis·e à"), "named: {list}");
        assert!(list.contains("(« Porte &lt;latérale&gt; »)"), "{list}");
        let again = lea
            .post(app.url(&doors))
            .form(&[("label", "Entrée <principale>")])
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(again
            .text()
            .await
            .unwrap()
            .contains("Une porte ouverte porte déjà ce nom"));

        // Paris's team sees nothing of Lyon's doors and revokes none.
        let paul = browser(&app);
        log_in(&app, &paul, "paris@example.org", PASSWORD).await;
        let page = paul.get(app.url(&doors)).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::NOT_FOUND);
        let revoke = app::paths::workspace_revoke_door(UPCOMING_EDITION, "lyon");
        let refused = paul
            .post(app.url(&revoke))
            .form(&[("label", "Entrée <principale>")])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), StatusCode::NOT_FOUND);

        let revoked = lea
            .post(app.url(&revoke))
            .form(&[("label", "Entrée <principale>")])
            .send()
            .await
            .unwrap();
        assert_eq!(revoked.status(), StatusCode::SEE_OTHER);
        let state = read_door(&app, &secret).await;
        assert_eq!(state.status(), StatusCode::UNAUTHORIZED);
        app
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_rush_at_twenty_doors_admits_every_ticket_once_even_within_one_batch() {
    on_both_engines(|app| async move {
        let desk = command_desk(&app.db);
        desk.change_capacity(UPCOMING_EDITION, "lyon", 400, chrono::Utc::now())
            .await
            .unwrap();
        let mut secrets = Vec::new();
        for n in 0..20 {
            secrets.push(door(&app, "lyon", &format!("Porte {n}")).await);
        }
        let mut codes = Vec::new();
        for n in 0..100 {
            let (id, status) = register(&app, "lyon", &format!("Personne {n}")).await;
            assert_eq!(status, "confirmed");
            codes.push(ticket(&app, "lyon", &id).await);
        }
        // Each ticket at two doors at once: the pairs land in the same batches.
        let app = std::sync::Arc::new(app);
        let mut tasks = Vec::new();
        for (n, code) in codes.iter().enumerate() {
            for door in [n % 20, (n + 7) % 20] {
                let (app, secret, code) = (app.clone(), secrets[door].clone(), code.clone());
                tasks.push(tokio::spawn(async move {
                    scan(&app, &secret, json!({"code": code})).await.1["result"].clone()
                }));
            }
        }
        let mut admitted = 0;
        let mut already = 0;
        for task in tasks {
            match task.await.unwrap().as_str() {
                Some("admitted") => admitted += 1,
                Some("already_checked_in") => already += 1,
                other => panic!("unexpected answer {other:?}"),
            }
        }
        assert_eq!((admitted, already), (100, 100));
        let app = std::sync::Arc::into_inner(app).expect("every scan finished");
        assert_eq!(count(&app, "checkins").await, 100);
        assert_eq!(count(&app, "checkin_attempts").await, 200);
        app
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_door_page_is_the_same_for_every_door_and_speaks_the_phones_language() {
    let app = crate::support::spawn_app().await;
    for (language, title, admitted) in [
        ("fr-FR,fr;q=0.9", "Contrôle des billets", "Entrée validée"),
        ("en-GB,en;q=0.9", "Ticket check-in", "Admitted"),
    ] {
        let response = reqwest::Client::new()
            .get(app.url("/door"))
            .header("accept-language", language)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["cache-control"], "no-cache");
        let page = response.text().await.unwrap();
        assert!(page.starts_with("<!DOCTYPE html>"), "{page:.80}");
        assert!(
            page.contains(&format!("<title>{title} — Étape</title>")),
            "{page}"
        );
        assert!(page.contains(r#"<script type="module" src="/door/scanner.js">"#));
        assert!(page.contains(r#"href="/door/manifest.webmanifest""#));
        // Not the public pages' client.
        assert!(!page.contains("/pkg/etape."), "{page}");
        // The script's words are JSON it can read, with nothing that could close the script.
        let words = page
            .split(r#"<script type="application/json" id="door-words">"#)
            .nth(1)
            .and_then(|rest| rest.split("</script>").next())
            .unwrap();
        let words: Value = serde_json::from_str(words).unwrap();
        assert_eq!(words["admitted"], admitted);
        assert!(words["already_detail"].as_str().unwrap().contains("{door}"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_offline_upload_resent_many_times_at_once_is_recorded_once() {
    on_both_engines(|app| async move {
        let north = door(&app, "lyon", "Nord").await;
        let mut scans = Vec::new();
        for n in 0..10 {
            let (id, _) = register(&app, "lyon", &format!("Personne {n}")).await;
            scans.push(json!({
                "code": ticket(&app, "lyon", &id).await,
                "id": format!("nord-{n}"),
                "door_result": "admitted",
            }));
        }
        // A door whose network came back sends its queue several times over, all at once:
        // resends land in the same batch as the scan they repeat.
        let mut tasks = Vec::new();
        for _ in 0..4 {
            for body in &scans {
                let (app_url, secret, body) =
                    (app.url("/api/v1/checkins"), north.clone(), body.clone());
                tasks.push(tokio::spawn(async move {
                    let answer: Value = reqwest::Client::new()
                        .post(app_url)
                        .bearer_auth(secret)
                        .json(&body)
                        .send()
                        .await
                        .unwrap()
                        .json()
                        .await
                        .unwrap();
                    (body["id"].as_str().unwrap().to_owned(), answer)
                }));
            }
        }
        let mut answers: std::collections::HashMap<String, Vec<Value>> = Default::default();
        for task in tasks {
            let (id, answer) = task.await.unwrap();
            answers.entry(id).or_default().push(answer);
        }
        for (id, same) in &answers {
            assert!(
                same.iter().all(|answer| answer == &same[0]),
                "{id}: {same:?}"
            );
            assert_eq!(same[0]["result"], "admitted", "{id}");
        }
        assert_eq!(count(&app, "checkins").await, 10);
        assert_eq!(
            count(&app, "checkin_attempts").await,
            10,
            "each scan recorded once"
        );
        app
    })
    .await;
}
