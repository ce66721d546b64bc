//! Stages that ask registrants to confirm their address, on both engines: a held seat counts
//! and has no ticket, the emailed link's page changes nothing while its button keeps the seat,
//! and the release pass gives back what was not confirmed in time, to the waiting list.

use crate::on_both_engines;
use crate::support::{command_desk, command_links, emails_to, store_december_stage, utc, TestDb};
use app::api::registration::{AddressCheckState, Desk, RegistrationReceipt};
use app::db::registrations::{self, RegistrationRecord};
use app::db::{editions, outbox, stages, Db};
use app::domain::entry::EntryRefused;
use app::domain::registration::{RegistrationForm, RegistrationStatus};
use app::error::AppError;
use app::i18n::Locale;
use app::links::LinkKind;
use chrono::{DateTime, Duration, Utc};

const EDITION: &str = "confirm-week";
const STAGE: &str = "saint-etienne";

/// During registrations, three weeks before the stage.
fn t0() -> DateTime<Utc> {
    utc("2030-11-20 10:00")
}

/// The published stage, of `capacity` seats, held an hour for confirmation; returns its id.
async fn stage(db: &Db, capacity: i64) -> String {
    stage_holding(db, capacity, 60).await
}

/// `stage`, held `minutes` for confirmation.
async fn stage_holding(db: &Db, capacity: i64, minutes: u32) -> String {
    let id = store_december_stage(db, EDITION, STAGE, capacity, |stage| {
        stage.confirm_email_minutes = Some(minutes)
    })
    .await;
    let stored = stages::find_stage_by_id(db, &id).await.unwrap().unwrap().1;
    assert_eq!(stored.stage.confirm_email_minutes, Some(minutes));
    id
}

fn address(n: usize) -> String {
    format!("personne{n}@example.org")
}

async fn register(desk: &Desk, n: usize, now: DateTime<Utc>) -> RegistrationReceipt {
    let form = RegistrationForm {
        name: format!("Personne {n}"),
        email: address(n),
        organisation: None,
        consent: true,
    };
    desk.register(EDITION, STAGE, &form, Locale::Fr, now)
        .await
        .unwrap()
}

async fn record(db: &Db, stage_id: &str, n: usize) -> RegistrationRecord {
    registrations::list_registrations(db, stage_id)
        .await
        .unwrap()
        .into_iter()
        .find(|record| record.attendee.email.as_str() == address(n))
        .unwrap()
}

/// The subjects of the emails queued for person `n`, oldest first.
async fn subjects(db: &Db, n: usize) -> Vec<String> {
    outbox::list_for_recipient(db, &address(n))
        .await
        .unwrap()
        .into_iter()
        .map(|stored| stored.email.subject)
        .collect()
}

/// The stage's seats taken and held, as the organiser's workspace counts them.
async fn held_in_workspace(db: &Db) -> (u32, u32) {
    let edition = editions::find_edition(db, EDITION).await.unwrap().unwrap();
    let listed = app::db::workspace::stages(db, &edition.id).await.unwrap();
    (listed[0].confirmed, listed[0].held)
}

fn confirm_token(id: &str) -> String {
    command_links().token(LinkKind::Confirm, id)
}

async fn a_held_seat_counts_has_no_ticket_and_is_kept_by_the_link(test_db: &TestDb) {
    let db = &test_db.db;
    let stage_id = stage(db, 1).await;
    let desk = command_desk(db);

    let first = register(&desk, 1, t0()).await;
    assert_eq!(first.status, Some(RegistrationStatus::Confirmed));
    assert_eq!(
        first.ticket_url, None,
        "no ticket while the seat is only held"
    );
    assert_eq!(first.confirm_by, Some(t0() + Duration::minutes(60)));
    assert_eq!(held_in_workspace(db).await, (1, 1), "taken, and only held");
    let id = first.id.clone().unwrap();
    let held = record(db, &stage_id, 1).await;
    assert_eq!(held.confirm_by, Some(t0() + Duration::minutes(60)));
    assert_eq!(
        subjects(db, 1).await,
        ["Confirmez votre adresse — Saint-Étienne"]
    );
    let stored = &outbox::list_for_recipient(db, &address(1)).await.unwrap()[0].email;
    assert!(stored.text.is_empty(), "written when it is sent");
    let email = &emails_to(&desk, &address(1)).await[0];
    let link = format!("https://etape.example/confirm/{}", confirm_token(&id));
    assert!(email.text.contains(&link), "{}", email.text);
    assert_eq!(email.ticket_code, None);

    // The held seat counts: the next person waits.
    let second = register(&desk, 2, t0() + Duration::minutes(1)).await;
    assert_eq!(second.status, Some(RegistrationStatus::Waitlisted));
    assert_eq!(
        held_in_workspace(db).await,
        (1, 2),
        "a place in line is held too"
    );

    let ticket = desk
        .ticket(&command_links().token(LinkKind::Ticket, &id))
        .await
        .unwrap();
    assert_eq!(ticket.refused, Some(EntryRefused::AwaitingConfirmation));
    assert_eq!(ticket.short_code, None);
    assert!(matches!(
        desk.ticket_code(&command_links().token(LinkKind::Ticket, &id))
            .await,
        Err(AppError::NotFound)
    ));
    let page = desk
        .registration(&command_links().token(LinkKind::Manage, &id))
        .await
        .unwrap();
    assert!(page.held_until.is_some());
    assert_eq!(page.ticket_path, None);

    let at_the_door = |db: Db, stage_id: String| async move {
        app::db::checkins::roster(&db, &stage_id)
            .await
            .unwrap()
            .into_iter()
            .map(|line| line.name)
            .collect::<Vec<_>>()
    };
    assert!(
        !at_the_door(db.clone(), stage_id.clone())
            .await
            .contains(&"Personne 1".to_owned()),
        "a door never lets a held seat in by name"
    );

    // Opening the link changes nothing; the button confirms.
    let token = confirm_token(&id);
    let check = desk.address_check(&token, t0()).await.unwrap();
    assert!(matches!(check.state, AddressCheckState::Awaiting { .. }));
    assert!(record(db, &stage_id, 1).await.confirm_by.is_some());
    let next = desk
        .confirm_address(&token, t0() + Duration::minutes(30))
        .await
        .unwrap();
    let manage = command_links().manage_path(&id);
    assert_eq!(next, format!("{manage}?address_confirmed"));
    assert_eq!(record(db, &stage_id, 1).await.confirm_by, None);
    assert_eq!(
        held_in_workspace(db).await,
        (1, 1),
        "only the place in line is held now"
    );
    assert_eq!(
        subjects(db, 1).await,
        [
            "Confirmez votre adresse — Saint-Étienne",
            "Inscription confirmée — Saint-Étienne"
        ]
    );
    let confirmation = &emails_to(&desk, &address(1)).await[1];
    assert!(
        confirmation.ticket_code.is_some(),
        "the ticket comes once confirmed"
    );
    assert!(desk
        .ticket_code(&command_links().token(LinkKind::Ticket, &id))
        .await
        .is_ok());
    assert!(at_the_door(db.clone(), stage_id.clone())
        .await
        .contains(&"Personne 1".to_owned()));

    // A second tap (or a mail scanner's) sends nothing more.
    let again = desk
        .confirm_address(&token, t0() + Duration::minutes(31))
        .await
        .unwrap();
    assert_eq!(again, manage);
    assert_eq!(subjects(db, 1).await.len(), 2);
    assert!(matches!(
        desk.address_check(&token, t0()).await.unwrap().state,
        AddressCheckState::Confirmed { .. }
    ));
    assert!(matches!(
        desk.confirm_address("not-a-token", t0()).await,
        Err(AppError::NotFound)
    ));

    // The confirmed seat outlives the pass; the unconfirmed place in line does not.
    assert_eq!(
        desk.release_expired_holds(t0() + Duration::hours(3))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        record(db, &stage_id, 1).await.status,
        RegistrationStatus::Confirmed
    );
    assert_eq!(
        record(db, &stage_id, 2).await.status,
        RegistrationStatus::Cancelled
    );
}
on_both_engines!(
    a_held_seat_counts_has_no_ticket_and_is_kept_by_the_link,
    test_db
);

async fn an_unconfirmed_seat_goes_to_the_waiting_list_when_its_time_runs_out(test_db: &TestDb) {
    let db = &test_db.db;
    let stage_id = stage(db, 1).await;
    let desk = command_desk(db);
    let first = register(&desk, 1, t0()).await.id.unwrap();
    let second = register(&desk, 2, t0() + Duration::minutes(1))
        .await
        .id
        .unwrap();
    let next = desk
        .confirm_address(&confirm_token(&second), t0() + Duration::minutes(5))
        .await
        .unwrap();
    assert!(next.ends_with("?address_confirmed"));
    assert_eq!(
        subjects(db, 2).await,
        [
            "Confirmez votre adresse — Saint-Étienne",
            "Liste d'attente — Saint-Étienne"
        ]
    );

    let deadline = t0() + Duration::minutes(60);
    assert_eq!(
        desk.release_expired_holds(deadline - Duration::minutes(1))
            .await
            .unwrap(),
        0
    );
    // Past the deadline the link no longer confirms, even before the pass.
    let late = desk
        .confirm_address(&confirm_token(&first), deadline)
        .await
        .unwrap();
    assert_eq!(late, format!("/confirm/{}", confirm_token(&first)));
    assert_eq!(
        record(db, &stage_id, 1).await.status,
        RegistrationStatus::Confirmed
    );

    assert_eq!(desk.release_expired_holds(deadline).await.unwrap(), 1);
    assert_eq!(
        desk.release_expired_holds(deadline).await.unwrap(),
        0,
        "once"
    );
    let released = record(db, &stage_id, 1).await;
    assert_eq!(released.status, RegistrationStatus::Cancelled);
    let promoted = record(db, &stage_id, 2).await;
    assert_eq!(promoted.status, RegistrationStatus::Confirmed);
    assert!(promoted.promoted_at.is_some());
    assert_eq!(
        subjects(db, 2).await.last().map(String::as_str),
        Some("Une place s'est libérée — Saint-Étienne")
    );
    assert_eq!(
        subjects(db, 1).await.len(),
        1,
        "nothing more to a made-up address"
    );

    let page = desk
        .registration(&command_links().token(LinkKind::Manage, &first))
        .await
        .unwrap();
    assert!(page.released);
    assert_eq!(page.held_until, None);
    assert!(matches!(
        desk.address_check(&confirm_token(&first), deadline)
            .await
            .unwrap()
            .state,
        AddressCheckState::TooLate
    ));

    // Registering again holds a seat again, with a new time to confirm.
    let again_at = deadline + Duration::minutes(10);
    let again = register(&desk, 1, again_at).await;
    assert_eq!(again.status, Some(RegistrationStatus::Waitlisted));
    assert_eq!(
        record(db, &stage_id, 1).await.confirm_by,
        Some(again_at + Duration::minutes(60))
    );
}
on_both_engines!(
    an_unconfirmed_seat_goes_to_the_waiting_list_when_its_time_runs_out,
    test_db
);

async fn a_hold_ends_when_the_stage_starts(test_db: &TestDb) {
    let db = &test_db.db;
    // Ten hours to confirm, on a stage that starts at 18:00 Paris time (17:00 UTC).
    let stage_id = stage_holding(db, 5, 600).await;
    let desk = command_desk(db);
    let stage = stages::find_stage_by_id(db, &stage_id)
        .await
        .unwrap()
        .unwrap()
        .1;
    assert_eq!(stage.stage.starts_at, utc("2030-12-10 17:00"));
    register(&desk, 1, utc("2030-12-10 15:30")).await;
    assert_eq!(
        record(db, &stage_id, 1).await.confirm_by,
        Some(stage.stage.starts_at)
    );
    register(&desk, 2, utc("2030-12-10 06:00")).await;
    assert_eq!(
        record(db, &stage_id, 2).await.confirm_by,
        Some(utc("2030-12-10 16:00"))
    );
}
on_both_engines!(a_hold_ends_when_the_stage_starts, test_db);

async fn a_held_seat_is_reminded_only_once_confirmed(test_db: &TestDb) {
    let db = &test_db.db;
    // A week to confirm: the hold lasts past the reminder's time.
    stage_holding(db, 5, 10_080).await;
    let desk = command_desk(db);
    let id = register(&desk, 1, utc("2030-12-05 10:00"))
        .await
        .id
        .unwrap();
    // Reminders are due from 09:00 Paris time the day before (08:00 UTC).
    let due = utc("2030-12-09 08:00");
    assert_eq!(desk.send_due_reminders(due).await.unwrap(), 0);
    desk.confirm_address(&confirm_token(&id), due + Duration::minutes(30))
        .await
        .unwrap();
    assert_eq!(
        desk.send_due_reminders(due + Duration::hours(1))
            .await
            .unwrap(),
        1
    );
}
on_both_engines!(a_held_seat_is_reminded_only_once_confirmed, test_db);

/// Through HTTP, as an organiser's script and a browser without JavaScript do: the stage
/// asks through the JSON API, the person registers with the form, opens the emailed link
/// (which changes nothing) and presses its button.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organiser_asks_and_a_registrant_confirms_through_the_pages() {
    use crate::api_organising::token;
    use crate::support::{client, on_both_engines};
    use crate::workspace::account;
    use app::demo::UPCOMING_EDITION;
    use reqwest::header::{CACHE_CONTROL, LOCATION};
    use reqwest::StatusCode;
    use serde_json::{json, Value};

    on_both_engines(|app| async move {
        account(&app, "lyon@example.org", "Léa", &[Some("lyon")]).await;
        let (_, lyon) = token(&app, "lyon@example.org").await;
        let api = reqwest::Client::new();
        let lyon_stage = app.url(&format!("/api/v1/editions/{UPCOMING_EDITION}/stages/lyon"));
        let current: Value = api.get(&lyon_stage).send().await.unwrap().json().await.unwrap();
        assert_eq!(current["confirm_email_minutes"], Value::Null);
        let mut change = json!({
            "city": "Lyon", "venue_name": current["venue"], "venue_address": current["venue_address"],
            "time_zone": current["time_zone"], "starts": current["starts_at"].as_str().unwrap()[..16],
            "ends": current["ends_at"].as_str().unwrap()[..16],
            "theme": current["theme"], "capacity": current["capacity"],
            "registration_opens": current["registration_opens_at"].as_str().unwrap()[..16],
            "registration_closes": current["registration_closes_at"].as_str().unwrap()[..16],
            "confirm_email_minutes": 5,
        });
        let refused = api.put(&lyon_stage).bearer_auth(&lyon).json(&change).send().await.unwrap();
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body: Value = refused.json().await.unwrap();
        assert!(body["fields"]["confirm_email_minutes"].as_str().unwrap().contains("10080"), "{body}");
        change["confirm_email_minutes"] = json!(45);
        let saved = api.put(&lyon_stage).bearer_auth(&lyon).json(&change).send().await.unwrap();
        assert_eq!(saved.status(), StatusCode::OK, "{}", saved.text().await.unwrap());
        let stored = stages::find_stage_by_id(&app.db, &lyon_id(&app).await).await.unwrap().unwrap().1;
        assert_eq!(stored.stage.confirm_email_minutes, Some(45));

        let http = client();
        let registered = http
            .post(app.url(&format!("/{UPCOMING_EDITION}/lyon/register")))
            .form(&[("name", "Inès Martin"), ("email", "ines@example.org"), ("consent", "true")])
            .send()
            .await
            .unwrap();
        assert_eq!(registered.status(), StatusCode::SEE_OTHER);
        let manage = registered.headers()[LOCATION].to_str().unwrap().to_owned();
        let page = http.get(app.url(&manage)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Confirmez votre adresse e-mail avec le lien"), "{page}");
        assert!(!page.contains("href=\"/tickets/"), "no ticket while held");

        let emails = emails_to(&app.desk, "ines@example.org").await;
        let text = &emails.last().unwrap().text;
        let at = text.find("/confirm/").expect("the confirmation link");
        let confirm: String = text[at..].chars().take_while(|c| !c.is_whitespace()).collect();

        let opened = http.get(app.url(&confirm)).send().await.unwrap();
        assert_eq!(opened.status(), StatusCode::OK);
        assert_eq!(opened.headers()[CACHE_CONTROL], "private, no-store");
        let opened = opened.text().await.unwrap();
        assert!(opened.contains(&format!("action=\"{confirm}\"")), "{opened}");
        let still = http.get(app.url(&manage)).send().await.unwrap().text().await.unwrap();
        assert!(still.contains("Confirmez votre adresse e-mail avec le lien"), "opening changes nothing");

        let pressed = http.post(app.url(&confirm)).send().await.unwrap();
        assert_eq!(pressed.status(), StatusCode::SEE_OTHER);
        let next = pressed.headers()[LOCATION].to_str().unwrap().to_owned();
        assert_eq!(next, format!("{manage}?address_confirmed"));
        let done = http.get(app.url(&next)).send().await.unwrap().text().await.unwrap();
        assert!(done.contains("Adresse confirmée"), "{done}");
        assert!(done.contains("href=\"/tickets/"), "the ticket, now");

        // A script registering through the API learns the seat is only held, and until when.
        let by_api = api
            .post(app.url(&format!("/api/v1/editions/{UPCOMING_EDITION}/stages/lyon/registrations")))
            .json(&json!({"name": "Hugo Api", "email": "hugo@example.org", "consent": true}))
            .send()
            .await
            .unwrap();
        assert_eq!(by_api.status(), StatusCode::CREATED);
        let receipt: Value = by_api.json().await.unwrap();
        assert_eq!(receipt["status"], "confirmed", "{receipt}");
        assert_eq!(receipt.get("ticket_url"), None, "no ticket while held: {receipt}");
        let until = chrono::DateTime::parse_from_rfc3339(receipt["confirm_by"].as_str().unwrap()).unwrap();
        let minutes = (until.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_minutes();
        assert!((43..=45).contains(&minutes), "held about 45 minutes: {receipt}");

        let unknown = http.post(app.url("/confirm/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).send().await.unwrap();
        assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
        app
    })
    .await;
}

async fn lyon_id(app: &crate::support::TestApp) -> String {
    let edition = editions::find_edition(&app.db, app::demo::UPCOMING_EDITION)
        .await
        .unwrap()
        .unwrap();
    stages::find_public_stage(&app.db, &edition.id, "lyon")
        .await
        .unwrap()
        .unwrap()
        .id
}
