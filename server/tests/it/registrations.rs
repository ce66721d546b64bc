//! Registrations on both engines, including the rush: capacity must hold under concurrency.

use crate::on_both_engines;
use crate::support::{edition_fixture, stage_fixture};
use app::db::registrations::{
    cancel, change_capacity, list_registrations, register, NewRegistration, RegisterError,
    Registered,
};
use app::db::{editions, stages, Db};
use app::domain::registration::{Attendee, Email, RegistrationRefused, RegistrationStatus};
use app::domain::{EditionStatus, Lineup, Stage, StageStatus};
use app::i18n::Locale;
use chrono::{Days, Utc};

/// Stores an edition starting in ten days with one stage of `capacity`, registrations open.
async fn open_stage(db: &Db, capacity: i64) -> (String, Stage) {
    let today = Utc::now().date_naive();
    let starts_on = today + Days::new(10);
    let edition = edition_fixture("rush-week", starts_on, EditionStatus::Published);
    let opens = (today - Days::new(1)).and_hms_opt(9, 0, 0).unwrap();
    let stage = stage_fixture(&edition, "lyon", capacity, StageStatus::Published, opens);
    editions::insert_edition_programme(db, &edition, &[(stage.clone(), Lineup::default())])
        .await
        .unwrap();
    let record = editions::find_published_edition(db, "rush-week")
        .await
        .unwrap()
        .unwrap();
    let stored = stages::find_public_stage(db, &record.id, "lyon")
        .await
        .unwrap()
        .unwrap();
    (stored.id, stored.stage)
}

fn attendee(n: usize) -> Attendee {
    Attendee {
        name: format!("Personne {n}"),
        email: Email::parse(&format!("personne{n}@example.org")).unwrap(),
        organisation: None,
    }
}

async fn register_one(
    db: &Db,
    stage_id: &str,
    stage: &Stage,
    who: &Attendee,
    token: &str,
) -> Result<Registered, RegisterError> {
    let id = app::db::new_id();
    let ticket_token = format!("ticket-{token}");
    register(
        db,
        NewRegistration {
            id: &id,
            stage_id,
            stage,
            attendee: who,
            language: Locale::Fr,
            manage_token_hash: token,
            ticket_token_hash: &ticket_token,
            now: Utc::now(),
        },
    )
    .await
}

async fn two_hundred_at_once_fill_fifty_seats_then_the_waiting_list(db: &Db) {
    let (stage_id, stage) = open_stage(db, 50).await;
    let mut rush = Vec::new();
    for n in 0..200 {
        let (db, stage_id, stage) = (db.clone(), stage_id.clone(), stage.clone());
        rush.push(tokio::spawn(async move {
            register_one(&db, &stage_id, &stage, &attendee(n), &format!("token-{n}")).await
        }));
    }
    for task in rush {
        assert!(matches!(task.await.unwrap(), Ok(Registered::New(_))));
    }
    let all = list_registrations(db, &stage_id).await.unwrap();
    assert_eq!(all.len(), 200);
    let confirmed = all
        .iter()
        .filter(|r| r.status == RegistrationStatus::Confirmed)
        .count();
    let waiting = all
        .iter()
        .filter(|r| r.status == RegistrationStatus::Waitlisted)
        .count();
    assert_eq!((confirmed, waiting), (50, 150));
    // Arrival numbers are 1..=200 without gaps, and the first fifty to arrive hold the seats.
    let arrivals: Vec<i64> = all.iter().map(|r| r.arrival).collect();
    assert_eq!(arrivals, (1..=200).collect::<Vec<_>>());
    assert!(all[..50]
        .iter()
        .all(|r| r.status == RegistrationStatus::Confirmed));
    assert!(all[50..]
        .iter()
        .all(|r| r.status == RegistrationStatus::Waitlisted));
}
on_both_engines!(two_hundred_at_once_fill_fifty_seats_then_the_waiting_list);

async fn the_same_email_twice_gets_its_first_registration_back(db: &Db) {
    let (stage_id, stage) = open_stage(db, 5).await;
    let first = register_one(db, &stage_id, &stage, &attendee(1), "t1")
        .await
        .unwrap();
    let Registered::New(first) = first else {
        panic!("the first registration is new")
    };
    let mut again = attendee(1);
    again.email = Email::parse(" PERSONNE1@Example.org ").unwrap();
    match register_one(db, &stage_id, &stage, &again, "t2")
        .await
        .unwrap()
    {
        Registered::AlreadyRegistered(existing) => assert_eq!(existing, first),
        other => panic!("expected the existing registration, got {other:?}"),
    }
    assert_eq!(list_registrations(db, &stage_id).await.unwrap().len(), 1);
}
on_both_engines!(the_same_email_twice_gets_its_first_registration_back);

async fn a_closed_stage_refuses_and_stores_nothing(db: &Db) {
    let (stage_id, mut stage) = open_stage(db, 5).await;
    stage.registration_closes_at = Utc::now() - chrono::Duration::minutes(1);
    let refused = register_one(db, &stage_id, &stage, &attendee(1), "t1").await;
    assert!(
        matches!(
            refused,
            Err(RegisterError::Refused(RegistrationRefused::Closed))
        ),
        "{refused:?}"
    );
    assert!(list_registrations(db, &stage_id).await.unwrap().is_empty());
}
on_both_engines!(a_closed_stage_refuses_and_stores_nothing);

async fn a_cancelled_seat_goes_to_the_first_on_the_waiting_list(db: &Db) {
    let (stage_id, stage) = open_stage(db, 2).await;
    let mut ids = Vec::new();
    for n in 1..=4 {
        let Registered::New(r) =
            register_one(db, &stage_id, &stage, &attendee(n), &format!("t{n}"))
                .await
                .unwrap()
        else {
            panic!("new registration expected")
        };
        ids.push(r.id);
    }
    let cancelled = cancel(db, &ids[0], stage.capacity, Utc::now())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(cancelled.registration.status, RegistrationStatus::Cancelled);
    let promoted: Vec<i64> = cancelled.promoted.iter().map(|r| r.arrival).collect();
    assert_eq!(promoted, [3], "the first waiting person gets the seat");

    let again = cancel(db, &ids[0], stage.capacity, Utc::now())
        .await
        .unwrap()
        .unwrap();
    assert!(
        again.promoted.is_empty(),
        "cancelling twice frees nothing more"
    );
    // A waiting person who cancels frees no seat.
    assert!(cancel(db, &ids[3], stage.capacity, Utc::now())
        .await
        .unwrap()
        .unwrap()
        .promoted
        .is_empty());
    assert!(cancel(db, "no-such-id", stage.capacity, Utc::now())
        .await
        .unwrap()
        .is_none());

    let statuses: Vec<_> = list_registrations(db, &stage_id)
        .await
        .unwrap()
        .iter()
        .map(|r| r.status)
        .collect();
    use RegistrationStatus::*;
    assert_eq!(statuses, [Cancelled, Confirmed, Confirmed, Cancelled]);
}
on_both_engines!(a_cancelled_seat_goes_to_the_first_on_the_waiting_list);

async fn a_raised_capacity_confirms_the_waiting_list_in_arrival_order(db: &Db) {
    let (stage_id, stage) = open_stage(db, 1).await;
    for n in 1..=4 {
        register_one(db, &stage_id, &stage, &attendee(n), &format!("t{n}"))
            .await
            .unwrap();
    }
    let promoted = change_capacity(db, &stage_id, 3, Utc::now()).await.unwrap();
    let arrivals: Vec<i64> = promoted.iter().map(|r| r.arrival).collect();
    assert_eq!(arrivals, [2, 3]);
    assert!(change_capacity(db, &stage_id, 3, Utc::now())
        .await
        .unwrap()
        .is_empty());
    let (_, stored) = stages::find_stage_by_id(db, &stage_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.stage.capacity, 3);
    assert!(matches!(
        change_capacity(db, "no-such-stage", 3, Utc::now()).await,
        Err(app::db::DbError::NotFound)
    ));
}
on_both_engines!(a_raised_capacity_confirms_the_waiting_list_in_arrival_order);
