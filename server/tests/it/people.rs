//! A person's data: exported and erased on request (`etape person export|erase`), and purged
//! with everyone else's once the retention time after their stage has passed (`etape purge`).

use crate::on_both_engines;
use crate::support::{client, spawn_app_with, TestDb};
use app::db::audit::Actor;
use app::db::registrations::{list_by_email, list_registrations, register, NewRegistration};
use app::db::{editions, sql, stages, Db};
use app::domain::registration::{Attendee, Email, RegistrationStatus};
use app::i18n::Locale;
use chrono::{Duration, Utc};
use etape::config::LimitsConfig;
use reqwest::StatusCode;

const UPCOMING: &str = "social-good-week-demo";

async fn stage_id(db: &Db, edition: &str, stage: &str) -> String {
    let record = editions::find_published_edition(db, edition)
        .await
        .unwrap()
        .unwrap();
    stages::find_public_stage(db, &record.id, stage)
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn stored_registration(db: &Db, stage_id: &str, n: usize) {
    let id = app::db::new_ticket_id().unwrap();
    register(
        db,
        NewRegistration {
            id: &id,
            stage_id,
            attendee: &Attendee {
                name: format!("Personne {n}"),
                email: Email::parse(&format!("p{n}@example.org")).unwrap(),
                organisation: None,
            },
            language: Locale::Fr,
            confirm_token_hash: "",
            feed_salt: None,
            now: Utc::now(),
        },
    )
    .await
    .unwrap();
}

async fn count(db: &Db, query: &str) -> i64 {
    let (n,): (i64,) = db.fetch_one(sql(query)).await.unwrap();
    n
}

async fn a_purge_forgets_the_people_of_past_stages_and_keeps_their_counts(db: &Db) {
    let today = Utc::now().date_naive();
    app::demo::load(db, today).await.unwrap();
    // A stage of 2013's edition, long over, and one of the coming edition. The 2013 stage is
    // still open in storage, so registering straight through `register` works.
    let past = stage_id(db, app::demo::PAST_EDITION, "lyon").await;
    let coming = stage_id(db, UPCOMING, "lyon").await;
    db.execute(
        sql(
            "UPDATE stages SET registration_opens_at = 0, registration_closes_at = $2, \
             status = 'published' WHERE id = $1",
        )
        .bind(past.as_str())
        .bind((Utc::now() + Duration::days(1)).timestamp()),
    )
    .await
    .unwrap();
    for n in 0..3 {
        stored_registration(db, &past, n).await;
    }
    stored_registration(db, &coming, 9).await;
    // An email queued two years ago, and one today.
    for (id, age_days) in [("old", 730), ("new", 0)] {
        db.execute(
            sql(
                "INSERT INTO outbox (id, recipient, recipient_name, subject, text_body, \
                 html_body, status, attempts, next_attempt_at, created_at) \
                 VALUES ($1, 'p0@example.org', 'P', 'S', '', '', 'sent', 1, 0, $2)",
            )
            .bind(id)
            .bind((Utc::now() - Duration::days(age_days)).timestamp()),
        )
        .await
        .unwrap();
    }

    let purged = etape::purge::purge(db, 365, Utc::now(), Actor::Server)
        .await
        .unwrap();
    assert_eq!(purged.registrations, 3);
    assert_eq!(purged.emails, 1);
    assert!(list_registrations(db, &past).await.unwrap().is_empty());
    assert_eq!(list_registrations(db, &coming).await.unwrap().len(), 1);
    let (registered, confirmed): (i64, i64) = db
        .fetch_one(
            sql("SELECT registered, confirmed FROM stage_statistics WHERE stage_id = $1")
                .bind(past.as_str()),
        )
        .await
        .unwrap();
    assert_eq!((registered, confirmed), (3, 3));
    assert_eq!(count(db, "SELECT COUNT(*) FROM outbox").await, 1);

    // Again: nothing more goes, and the counts stay.
    let again = etape::purge::purge(db, 365, Utc::now(), Actor::Server)
        .await
        .unwrap();
    assert_eq!((again.registrations, again.emails), (0, 0));
    // Each pass is in the audit log, by whom and what it removed.
    let log = app::db::audit::list(db, None, 10).await.unwrap();
    let passes: Vec<(&str, &str, &serde_json::Value)> = log
        .iter()
        .map(|entry| {
            (
                entry.actor.as_str(),
                entry.action.as_str(),
                &entry.details["registrations"],
            )
        })
        .collect();
    assert_eq!(
        passes,
        [
            ("server", "purge", &serde_json::json!(0)),
            ("server", "purge", &serde_json::json!(3)),
        ]
    );
    assert_eq!(
        count(
            db,
            "SELECT CAST(SUM(registered) AS BIGINT) FROM stage_statistics"
        )
        .await,
        3
    );
}
on_both_engines!(a_purge_forgets_the_people_of_past_stages_and_keeps_their_counts);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_is_exported_then_erased_and_their_seat_goes_to_the_next_in_line() {
    let test_db = TestDb::sqlite().await;
    let storage = test_db.storage();
    let app = spawn_app_with(test_db, LimitsConfig::OFF).await;
    etape::admin::change_capacity(&storage, "https://etape.example", UPCOMING, "lyon", 1)
        .await
        .unwrap();
    for (name, email) in [
        ("Camille", "camille@example.org"),
        ("Dominique", "dominique@example.org"),
    ] {
        let answer = client()
            .post(app.url(&format!("/{UPCOMING}/lyon/register")))
            .header("origin", app.url(""))
            .form(&[("name", name), ("email", email), ("consent", "true")])
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    }

    let exported = etape::admin::person_export(&storage, "Camille@Example.org")
        .await
        .unwrap();
    let json = serde_json::to_value(&exported).unwrap();
    assert_eq!(json["email"], "camille@example.org");
    assert_eq!(json["registrations"][0]["stage"], "lyon");
    assert_eq!(json["registrations"][0]["status"], "confirmed");
    assert_eq!(json["registrations"][0]["name"], "Camille");
    assert!(json["registrations"][0]["short_code"].is_string());
    assert_eq!(json["emails"].as_array().unwrap().len(), 1);
    assert!(json["account"].is_null());
    assert!(
        !json.to_string().contains("dominique"),
        "nobody else's data"
    );

    let erased =
        etape::admin::person_erase(&storage, "https://etape.example", "camille@example.org")
            .await
            .unwrap();
    assert_eq!(erased.registrations, 1);
    let camille = Email::parse("camille@example.org").unwrap();
    assert!(list_by_email(&app.db, &camille).await.unwrap().is_empty());
    let outbox = app::db::outbox::list_for_recipient(&app.db, "camille@example.org")
        .await
        .unwrap();
    assert!(outbox.is_empty(), "no email to or about the person is left");
    let after = etape::admin::person_export(&storage, "camille@example.org")
        .await
        .unwrap();
    assert!(after.registrations.is_empty() && after.emails.is_empty());

    // The seat went to the next in line, who is told.
    let dominique = Email::parse("dominique@example.org").unwrap();
    let promoted = list_by_email(&app.db, &dominique).await.unwrap();
    assert_eq!(promoted[0].status, RegistrationStatus::Confirmed);
    let told = app::db::outbox::list_for_recipient(&app.db, "dominique@example.org")
        .await
        .unwrap();
    assert_eq!(told.len(), 2, "the waiting-list email, then the seat");

    assert!(etape::admin::person_export(&storage, "not an address")
        .await
        .is_err());
    app.stop().await;
}

async fn the_commands_print_what_they_did(test_db: &TestDb) {
    app::demo::load(&test_db.db, Utc::now().date_naive())
        .await
        .unwrap();
    let coming = stage_id(&test_db.db, UPCOMING, "lyon").await;
    stored_registration(&test_db.db, &coming, 1).await;
    let run = |args: &[&str]| {
        let out = test_db.etape_command().args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{args:?}: {stderr}");
        String::from_utf8(out.stdout).unwrap()
    };
    let exported: serde_json::Value =
        serde_json::from_str(&run(&["person", "export", "p1@example.org"])).unwrap();
    assert_eq!(exported["registrations"][0]["name"], "Personne 1");
    assert_eq!(
        run(&["person", "erase", "p1@example.org"]).trim(),
        // The cancellation notice the cancel queued goes with the rest.
        "p1@example.org: 1 registrations and 1 emails erased"
    );
    assert_eq!(
        run(&["purge", "--retention-days", "30"]).trim(),
        "purged: 0 stages counted, 0 registrations and 0 emails removed"
    );
    // The audit log has each, newest first; the person by a keyed hash, never the address.
    let log = run(&["audit"]);
    let entries: Vec<serde_json::Value> = log
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let actions: Vec<&str> = entries
        .iter()
        .map(|entry| entry["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["purge", "person.erase", "person.export"]);
    assert!(entries.iter().all(|entry| entry["actor"] == "command line"));
    assert_eq!(entries[1]["details"]["registrations"], 1);
    assert_eq!(entries[1]["subject"], entries[2]["subject"]);
    assert!(!log.contains("p1@"), "no address in the audit log: {log}");
    assert_eq!(
        run(&["audit", "--email", "P1@example.org"]).lines().count(),
        2
    );
    assert_eq!(
        run(&["audit", "--email", "p2@example.org"]).lines().count(),
        0
    );

    // A reader that stops at once, as `etape audit | head -0` does, is no failure.
    let mut cut_short = test_db
        .etape_command()
        .arg("audit")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(cut_short.stdout.take());
    let cut_short = cut_short.wait_with_output().unwrap();
    assert!(
        cut_short.status.success(),
        "{}",
        String::from_utf8_lossy(&cut_short.stderr)
    );

    let refused = test_db
        .etape_command()
        .args(["person", "export", "nobody"])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("not an email address"));
}
on_both_engines!(the_commands_print_what_they_did, test_db);
