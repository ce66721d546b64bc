//! Reminders on both engines: the pass (`Desk::send_due_reminders`) run at chosen instants, and
//! `etape reminders send --at` run as a process. The stage is on Tuesday 10 December 2030 at
//! 18:00 in Paris (17:00 UTC); its reminders are due from Monday 09:00 Paris time, 08:00 UTC.

use crate::on_both_engines;
use crate::support::{command_desk, command_links, store_december_stage, utc, TestDb};
use app::api::registration::Desk;
use app::db::registrations::{self, NewRegistration, Registered, RegistrationRecord};
use app::db::{editions, outbox, reminders, ticket_keys, Db};
use app::domain::registration::{Attendee, Email, RegistrationStatus};
use app::i18n::Locale;
use app::links::{LinkKey, LinkKind, Links};
use chrono::{DateTime, Utc};

const EDITION: &str = "reminder-week";
const STAGE: &str = "saint-etienne";

/// 09:00 in Paris the day before the stage.
fn due() -> DateTime<Utc> {
    utc("2030-12-09 08:00")
}

/// Well before the reminder: a registration made then is long past its confirmation.
fn long_ago() -> DateTime<Utc> {
    utc("2030-11-20 10:00")
}

/// Stores the published edition and its stage of `capacity` seats; returns the stage's id.
async fn stage(db: &Db, capacity: i64) -> String {
    store_december_stage(db, EDITION, STAGE, capacity, |stage| {
        assert_eq!(stage.starts_at, utc("2030-12-10 17:00"))
    })
    .await
}

fn address(n: usize) -> String {
    format!("personne{n}@example.org")
}

/// Registers person `n` at `now`, in `language`. Nothing of the private links is stored: any
/// `Links` makes them from the registration's id.
async fn register(
    db: &Db,
    stage_id: &str,
    n: usize,
    language: Locale,
    now: DateTime<Utc>,
) -> RegistrationRecord {
    let id = app::db::new_id();
    let attendee = Attendee {
        name: format!("Personne {n}"),
        email: Email::parse(&address(n)).unwrap(),
        organisation: None,
    };
    let registered = registrations::register(
        db,
        NewRegistration {
            id: &id,
            stage_id,
            attendee: &attendee,
            language,
            confirm_token_hash: "",
            feed_salt: None,
            now,
        },
    )
    .await
    .unwrap();
    match registered {
        Registered::New(record) => record,
        other => panic!("a new registration expected, got {other:?}"),
    }
}

/// The subjects of the reminders person `n` was sent.
async fn reminders_to(db: &Db, n: usize) -> Vec<app::mail::OutgoingEmail> {
    outbox::list_for_recipient(db, &address(n))
        .await
        .unwrap()
        .into_iter()
        .map(|record| record.email)
        .filter(|email| {
            email.subject.starts_with("Rappel") || email.subject.starts_with("Reminder")
        })
        .collect()
}

async fn pass(desk: &Desk, at: DateTime<Utc>) -> usize {
    desk.send_due_reminders(at).await.unwrap()
}

async fn a_reminder_is_queued_once_from_nine_the_day_before(db: &Db) {
    let stage_id = stage(db, 10).await;
    let person = register(db, &stage_id, 1, Locale::Fr, long_ago()).await;
    let desk = command_desk(db);

    assert_eq!(pass(&desk, due() - chrono::Duration::minutes(1)).await, 0);
    assert_eq!(reminders::reminded_at(db, &person.id).await.unwrap(), None);
    assert!(reminders_to(db, 1).await.is_empty());

    assert_eq!(pass(&desk, due()).await, 1);
    assert_eq!(
        reminders::reminded_at(db, &person.id).await.unwrap(),
        Some(due())
    );
    let sent = reminders_to(db, 1).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].subject,
        "Rappel\u{a0}: c'est demain — Saint-Étienne"
    );

    // Later passes, that day and the next, queue nothing more.
    for later in [
        due(),
        due() + chrono::Duration::hours(1),
        utc("2030-12-09 22:59"),
        utc("2030-12-10 08:00"),
    ] {
        assert_eq!(pass(&desk, later).await, 0, "{later}");
    }
    assert_eq!(reminders_to(db, 1).await.len(), 1);
    assert_eq!(
        reminders::reminded_at(db, &person.id).await.unwrap(),
        Some(due())
    );
}
on_both_engines!(a_reminder_is_queued_once_from_nine_the_day_before);

async fn passes_racing_each_other_queue_each_reminder_once(db: &Db) {
    let stage_id = stage(db, 40).await;
    for n in 1..=40 {
        register(db, &stage_id, n, Locale::Fr, long_ago()).await;
    }
    let mut racing = Vec::new();
    for _ in 0..4 {
        let desk = command_desk(db);
        racing.push(tokio::spawn(async move { pass(&desk, due()).await }));
    }
    let mut queued = 0;
    for pass in racing {
        queued += pass.await.unwrap();
    }
    assert_eq!(queued, 40);
    for n in 1..=40 {
        assert_eq!(reminders_to(db, n).await.len(), 1, "person {n}");
    }
}
on_both_engines!(passes_racing_each_other_queue_each_reminder_once);

async fn only_seats_are_reminded_not_the_waiting_list_nor_a_cancelled_registration(db: &Db) {
    let stage_id = stage(db, 2).await;
    let cancelled = register(db, &stage_id, 1, Locale::Fr, long_ago()).await;
    let seated = register(db, &stage_id, 2, Locale::Fr, long_ago()).await;
    let promoted = register(db, &stage_id, 3, Locale::Fr, long_ago()).await;
    let waiting = register(db, &stage_id, 4, Locale::Fr, long_ago()).await;
    assert_eq!(waiting.status, RegistrationStatus::Waitlisted);
    // Person 1 gives their seat back; person 3, first in line, gets it.
    let cancellation = registrations::cancel(db, &cancelled.id, utc("2030-11-25 10:00"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(cancellation.promoted[0].id, promoted.id);

    assert_eq!(pass(&command_desk(db), due()).await, 2);

    for (n, record, reminded) in [
        (1, &cancelled, false),
        (2, &seated, true),
        (3, &promoted, true),
        (4, &waiting, false),
    ] {
        assert_eq!(
            reminders::reminded_at(db, &record.id)
                .await
                .unwrap()
                .is_some(),
            reminded,
            "person {n}"
        );
        assert_eq!(
            reminders_to(db, n).await.len(),
            usize::from(reminded),
            "person {n}"
        );
    }
}
on_both_engines!(only_seats_are_reminded_not_the_waiting_list_nor_a_cancelled_registration);

async fn a_cancelled_stage_reminds_nobody(db: &Db) {
    let stage_id = stage(db, 10).await;
    let person = register(db, &stage_id, 1, Locale::Fr, long_ago()).await;
    let desk = command_desk(db);
    let told = desk
        .cancel_stage_by_slug(
            EDITION,
            STAGE,
            "La salle est fermée.",
            utc("2030-12-01 10:00"),
        )
        .await
        .unwrap();
    assert_eq!(told, Some(1));

    assert_eq!(pass(&desk, due()).await, 0);
    assert_eq!(pass(&desk, due() + chrono::Duration::hours(3)).await, 0);
    assert!(reminders_to(db, 1).await.is_empty());
    assert_eq!(reminders::reminded_at(db, &person.id).await.unwrap(), None);
}
on_both_engines!(a_cancelled_stage_reminds_nobody);

async fn a_registration_made_in_the_last_day_gets_no_reminder_yet(db: &Db) {
    let stage_id = stage(db, 10).await;
    let old = register(db, &stage_id, 1, Locale::Fr, long_ago()).await;
    // 20 hours before 09:00: its confirmation, with the ticket, has just gone.
    let recent = register(db, &stage_id, 2, Locale::Fr, utc("2030-12-08 12:00")).await;
    // The evening before: never a reminder, even the next morning.
    let late = register(db, &stage_id, 3, Locale::Fr, utc("2030-12-09 20:00")).await;
    let desk = command_desk(db);

    assert_eq!(pass(&desk, due()).await, 1);
    assert!(reminders::reminded_at(db, &old.id).await.unwrap().is_some());
    assert_eq!(reminders::reminded_at(db, &recent.id).await.unwrap(), None);
    assert_eq!(pass(&desk, utc("2030-12-09 11:59")).await, 0);
    // A day after registering, still the day before the stage: now it goes.
    assert_eq!(pass(&desk, utc("2030-12-09 12:00")).await, 1);
    assert_eq!(
        reminders::reminded_at(db, &recent.id).await.unwrap(),
        Some(utc("2030-12-09 12:00"))
    );

    for at in [utc("2030-12-09 22:00"), utc("2030-12-10 08:00")] {
        assert_eq!(pass(&desk, at).await, 0, "{at}");
    }
    assert_eq!(reminders::reminded_at(db, &late.id).await.unwrap(), None);
    assert!(reminders_to(db, 3).await.is_empty());
}
on_both_engines!(a_registration_made_in_the_last_day_gets_no_reminder_yet);

async fn a_stage_already_started_or_on_its_day_gets_no_reminder(db: &Db) {
    let stage_id = stage(db, 10).await;
    let person = register(db, &stage_id, 1, Locale::Fr, long_ago()).await;
    let desk = command_desk(db);
    // The server was down the whole day before: nothing goes out late.
    for at in [
        utc("2030-12-09 23:00"),
        utc("2030-12-10 16:59"),
        utc("2030-12-10 17:00"),
        utc("2030-12-10 19:00"),
    ] {
        assert_eq!(pass(&desk, at).await, 0, "{at}");
    }
    assert_eq!(reminders::reminded_at(db, &person.id).await.unwrap(), None);
    assert!(reminders_to(db, 1).await.is_empty());
}
on_both_engines!(a_stage_already_started_or_on_its_day_gets_no_reminder);

async fn the_reminder_speaks_the_persons_language_with_the_ticket_and_the_cancel_step(db: &Db) {
    let stage_id = stage(db, 10).await;
    let french = register(db, &stage_id, 1, Locale::Fr, long_ago()).await;
    let english = register(db, &stage_id, 2, Locale::En, long_ago()).await;
    assert_eq!(pass(&command_desk(db), due()).await, 2);

    let edition = editions::find_edition(db, EDITION).await.unwrap().unwrap();
    let keys = ticket_keys::list_public_keys(db, &edition.id)
        .await
        .unwrap();
    for (n, record, words, other_words) in [
        (
            1,
            &french,
            [
                "Rappel\u{a0}: c'est demain — Saint-Étienne",
                "Vous ne pouvez plus venir\u{a0}? Libérez votre place",
                "mardi 10 décembre 2030, 18\u{a0}h\u{a0}00 – 21\u{a0}h\u{a0}00",
            ],
            "Free your seat",
        ),
        (
            2,
            &english,
            [
                "Reminder: it's tomorrow — Saint-Étienne",
                "Can't come any more? Free your seat",
                "Tuesday 10 December 2030, 18:00 – 21:00",
            ],
            "Libérez",
        ),
    ] {
        let sent = reminders_to(db, n).await;
        assert_eq!(sent.len(), 1, "person {n}");
        let email = &sent[0];
        assert_eq!(email.subject, words[0]);
        for word in &words[1..] {
            assert!(email.text.contains(word), "{word}: {}", email.text);
        }
        assert!(!email.text.contains(other_words), "{}", email.text);
        assert!(email
            .text
            .contains("La Cité du design, 3 rue Javelin Pagnon"));

        // The cancel step of this very registration, as a link in both parts.
        let cancel_url = format!("{}/cancel", command_links().manage_url(&record.id));
        assert!(email.text.contains(&cancel_url), "{}", email.text);
        assert!(email.html.contains(&format!("href=\"{cancel_url}\"")));
        let token = cancel_url
            .trim_end_matches("/cancel")
            .rsplit('/')
            .next()
            .unwrap();
        assert_eq!(
            command_links().open(LinkKind::Manage, token),
            Some(LinkKey::Id(record.id.clone()))
        );

        // The ticket: its link, and the signed code for the QR image, of this registration.
        assert!(email.text.contains(&command_links().ticket_url(&record.id)));
        assert!(email.html.contains("cid:"));
        let code = email.ticket_code.as_deref().expect("a ticket code");
        let payload = keys
            .iter()
            .find_map(|key| key.verify(code).ok())
            .expect("signed by the edition's key");
        assert_eq!(
            uuid::Uuid::from_bytes(payload.ticket_id).to_string(),
            record.id
        );
        assert_eq!(
            uuid::Uuid::from_bytes(payload.stage_id).to_string(),
            stage_id
        );
    }
}
on_both_engines!(the_reminder_speaks_the_persons_language_with_the_ticket_and_the_cancel_step);

/// Runs `etape reminders send` on `url`; returns (success, stdout, stderr).
fn reminders_command(test_db: &crate::support::TestDb, args: &[&str]) -> (bool, String, String) {
    let out = test_db
        .etape_command()
        .args(["reminders", "send"])
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

async fn the_command_queues_the_reminders_due_at_the_time_given(test_db: &TestDb) {
    let db = &test_db.db;
    let stage_id = stage(db, 10).await;
    // The command makes links with the site's own secret, as the server does.
    let secret = app::db::secrets::site_secret(db, app::links::LINK_SECRET, Utc::now())
        .await
        .unwrap();
    let site_links = Links::new("https://etape.example", secret);
    let person = register(db, &stage_id, 1, Locale::En, long_ago()).await;

    let (ok, out, err) = reminders_command(test_db, &["--at", "2030-12-09T08:59:00+01:00"]);
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "reminders queued: 0");
    let (ok, out, err) = reminders_command(test_db, &["--at", "2030-12-09T09:00:00+01:00"]);
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "reminders queued: 1");
    let (ok, out, err) = reminders_command(test_db, &["--at", "2030-12-09T10:00:00Z"]);
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "reminders queued: 0");

    assert_eq!(
        reminders::reminded_at(db, &person.id).await.unwrap(),
        Some(due())
    );
    let sent = reminders_to(db, 1).await;
    assert_eq!(sent.len(), 1);
    // The cancel step's link starts with the public address the command was given, and its
    // token (made with the site's own secret) opens this registration.
    let prefix = "https://etape.example/registrations/";
    let start = sent[0]
        .text
        .find(prefix)
        .expect("a link to the registration")
        + prefix.len();
    let token = sent[0].text[start..].split("/cancel").next().unwrap();
    assert_eq!(
        site_links.open(LinkKind::Manage, token),
        Some(LinkKey::Id(person.id.clone())),
        "{}",
        sent[0].text
    );

    let (ok, _, err) = reminders_command(test_db, &["--at", "tomorrow"]);
    assert!(!ok);
    assert!(err.contains("RFC 3339"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_queues_the_reminders_due_at_the_time_given_on_sqlite() {
    let test_db = TestDb::sqlite().await;
    the_command_queues_the_reminders_due_at_the_time_given(&test_db).await;
    test_db.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_queues_the_reminders_due_at_the_time_given_on_postgres() {
    let Some(test_db) = TestDb::postgres().await else {
        return;
    };
    the_command_queues_the_reminders_due_at_the_time_given(&test_db).await;
    test_db.teardown().await;
}
