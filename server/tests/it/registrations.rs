//! Registrations on both engines, including the rush: capacity must hold under concurrency.

use crate::on_both_engines;
use crate::support::{edition_fixture, stage_fixture};
use app::db::registrations::{
    cancel, change_capacity, list_by_email, list_registrations, register, register_and_notify,
    ComposeEmail, NewRegistration, RegisterError, Registered,
};
use app::db::{editions, outbox, stages, Db};
use app::domain::registration::{Attendee, Email, RegistrationRefused, RegistrationStatus};
use app::domain::{EditionStatus, Lineup, Stage, StageStatus};
use app::i18n::Locale;
use app::mail::OutgoingEmail;
use chrono::{Days, Utc};

/// Stores an edition starting in ten days with one stage of `capacity`, registrations open.
async fn open_stage(db: &Db, capacity: i64) -> (String, Stage) {
    open_stages(db, &[("lyon", capacity)]).await.remove(0)
}

/// `open_stage` for several stages of one edition, given as (slug, capacity).
async fn open_stages(db: &Db, wanted: &[(&str, i64)]) -> Vec<(String, Stage)> {
    let today = Utc::now().date_naive();
    let starts_on = today + Days::new(10);
    let edition = edition_fixture("rush-week", starts_on, EditionStatus::Published);
    let opens = (today - Days::new(1)).and_hms_opt(9, 0, 0).unwrap();
    let programme: Vec<_> = wanted
        .iter()
        .map(|(slug, capacity)| {
            let stage = stage_fixture(&edition, slug, *capacity, StageStatus::Published, opens);
            (stage, Lineup::default())
        })
        .collect();
    editions::insert_edition_programme(db, &edition, &programme)
        .await
        .unwrap();
    let record = editions::find_published_edition(db, "rush-week")
        .await
        .unwrap()
        .unwrap();
    let mut stored = Vec::new();
    for (slug, _) in wanted {
        let stage = stages::find_public_stage(db, &record.id, slug)
            .await
            .unwrap()
            .unwrap();
        stored.push((stage.id, stage.stage));
    }
    stored
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
    who: &Attendee,
    id: &str,
) -> Result<Registered, RegisterError> {
    register(
        db,
        NewRegistration {
            id,
            stage_id,
            attendee: who,
            language: Locale::Fr,
            confirm_token_hash: "",
            feed_salt: None,
            now: Utc::now(),
        },
    )
    .await
}

/// Registers people 1 to `count` one after the other; returns their ids in that order.
async fn register_people(db: &Db, stage_id: &str, count: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for n in 1..=count {
        match register_one(db, stage_id, &attendee(n), &format!("t{n}")).await {
            Ok(Registered::New(record)) => ids.push(record.id),
            other => panic!("a new registration expected for {n}, got {other:?}"),
        }
    }
    ids
}

async fn two_hundred_at_once_fill_fifty_seats_then_the_waiting_list(db: &Db) {
    let (stage_id, _) = open_stage(db, 50).await;
    let mut rush = Vec::new();
    for n in 0..200 {
        let (db, stage_id) = (db.clone(), stage_id.clone());
        rush.push(tokio::spawn(async move {
            register_one(&db, &stage_id, &attendee(n), &format!("token-{n}")).await
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
    let (stage_id, _) = open_stage(db, 5).await;
    let first = register_one(db, &stage_id, &attendee(1), "t1")
        .await
        .unwrap();
    let Registered::New(first) = first else {
        panic!("the first registration is new")
    };
    let mut again = attendee(1);
    again.email = Email::parse(" PERSONNE1@Example.org ").unwrap();
    match register_one(db, &stage_id, &again, "t2").await.unwrap() {
        Registered::AlreadyRegistered(existing) => assert_eq!(existing, first),
        other => panic!("expected the existing registration, got {other:?}"),
    }
    assert_eq!(list_registrations(db, &stage_id).await.unwrap().len(), 1);
}
on_both_engines!(the_same_email_twice_gets_its_first_registration_back);

async fn a_stage_closed_after_its_page_was_read_refuses_newcomers_only(db: &Db) {
    let (stage_id, _) = open_stage(db, 5).await;
    let Registered::New(first) = register_one(db, &stage_id, &attendee(0), "t0")
        .await
        .unwrap()
    else {
        panic!("the first registration is new")
    };
    // Registering reads the stage again under its lock: what is stored decides.
    let closed_at = (Utc::now() - chrono::Duration::minutes(1)).timestamp();
    let sql = "UPDATE stages SET registration_closes_at = $1 WHERE id = $2";
    let updated = match db {
        Db::Sqlite(pool, _) => sqlx::query(sql)
            .bind(closed_at)
            .bind(&stage_id)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()),
        Db::Postgres(pool, _) => sqlx::query(sql)
            .bind(closed_at)
            .bind(&stage_id)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()),
    };
    assert_eq!(updated.unwrap(), 1);
    let refused = register_one(db, &stage_id, &attendee(1), "t1").await;
    assert!(
        matches!(
            refused,
            Err(RegisterError::Refused(RegistrationRefused::Closed))
        ),
        "{refused:?}"
    );
    // Closed, a registered address hears what any other does: nothing tells who is on it.
    let known = register_one(db, &stage_id, &attendee(0), "t2").await;
    assert!(
        matches!(
            known,
            Err(RegisterError::Refused(RegistrationRefused::Closed))
        ),
        "{known:?}"
    );
    assert_eq!(
        list_registrations(db, &stage_id).await.unwrap()[0].id,
        first.id
    );
    assert_eq!(list_registrations(db, &stage_id).await.unwrap().len(), 1);
}
on_both_engines!(a_stage_closed_after_its_page_was_read_refuses_newcomers_only);

/// Holds back every admission that needs `stage_id`'s lock, as a long transaction would: on
/// SQLite this process's write turn, on PostgreSQL a row lock on the stage.
enum Hold<'a> {
    Sqlite(Option<tokio::sync::MutexGuard<'a, ()>>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

impl<'a> Hold<'a> {
    async fn take(db: &'a Db, stage_id: &str) -> Hold<'a> {
        match db {
            Db::Sqlite(..) => Hold::Sqlite(db.write_turn().await),
            Db::Postgres(pool, _) => {
                let mut tx = pool.begin().await.unwrap();
                sqlx::query("SELECT id FROM stages WHERE id = $1 FOR UPDATE")
                    .bind(stage_id)
                    .execute(&mut *tx)
                    .await
                    .unwrap();
                Hold::Postgres(tx)
            }
        }
    }

    async fn release(self) {
        match self {
            Hold::Sqlite(turn) => drop(turn),
            Hold::Postgres(tx) => tx.rollback().await.unwrap(),
        }
    }
}

async fn one_registration_the_database_refuses_does_not_fail_the_others(db: &Db) {
    let stages = open_stages(db, &[("lyon", 100), ("paris", 10)]).await;
    let (lyon, paris) = (stages[0].0.clone(), stages[1].0.clone());
    // A registration's id is its primary key, and the insert's `ON CONFLICT (stage_id, email)`
    // does not cover it: a second registration with this id is refused by the database itself,
    // past every check of the application.
    let taken = register_one(db, &paris, &attendee(100), "token-taken").await;
    assert!(matches!(taken, Ok(Registered::New(_))), "{taken:?}");

    // Make the rush one batch: a first registration takes the admission turn and waits for
    // the held lock, while the forty queue behind it; once it is through, the next turn takes
    // all forty into one transaction, which the bad one fails as a whole.
    let hold = Hold::take(db, &paris).await;
    let first = {
        let (db, paris) = (db.clone(), paris.clone());
        tokio::spawn(async move { register_one(&db, &paris, &attendee(101), "token-101").await })
    };
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let mut rush = Vec::new();
    for n in 0..40 {
        let (db, lyon) = (db.clone(), lyon.clone());
        let token = match n {
            7 => "token-taken".to_owned(),
            _ => format!("token-{n}"),
        };
        rush.push(tokio::spawn(async move {
            register_one(&db, &lyon, &attendee(n), &token).await
        }));
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    hold.release().await;

    let first = first.await.unwrap();
    assert!(matches!(first, Ok(Registered::New(_))), "{first:?}");
    for (n, task) in rush.into_iter().enumerate() {
        let outcome = task.await.unwrap();
        if n == 7 {
            assert!(
                matches!(outcome, Err(RegisterError::Db(_))),
                "the database refuses the taken id: {outcome:?}"
            );
        } else {
            assert!(
                matches!(outcome, Ok(Registered::New(_))),
                "{n}: {outcome:?}"
            );
        }
    }
    let all = list_registrations(db, &lyon).await.unwrap();
    let arrivals: Vec<i64> = all.iter().map(|r| r.arrival).collect();
    assert_eq!(arrivals, (1..=39).collect::<Vec<_>>(), "no gap, no seventh");
    assert!(all
        .iter()
        .all(|r| r.attendee.email.as_str() != "personne7@example.org"));
    assert!(
        app::db::registrations::list_by_email(db, &attendee(7).email)
            .await
            .unwrap()
            .is_empty(),
        "nothing of the refused registration is stored"
    );
    // The hash was the only fault: with its own, the same person registers, next in line.
    match register_one(db, &lyon, &attendee(7), "token-7").await {
        Ok(Registered::New(record)) => assert_eq!(record.arrival, 40),
        other => panic!("a new registration expected, got {other:?}"),
    }
}
on_both_engines!(one_registration_the_database_refuses_does_not_fail_the_others);

async fn a_cancelled_seat_goes_to_the_first_on_the_waiting_list(db: &Db) {
    let (stage_id, _) = open_stage(db, 2).await;
    let ids = register_people(db, &stage_id, 4).await;
    let cancelled = cancel(db, &ids[0], Utc::now()).await.unwrap().unwrap();
    assert_eq!(cancelled.registration.status, RegistrationStatus::Cancelled);
    let promoted: Vec<i64> = cancelled.promoted.iter().map(|r| r.arrival).collect();
    assert_eq!(promoted, [3], "the first waiting person gets the seat");

    let again = cancel(db, &ids[0], Utc::now()).await.unwrap().unwrap();
    assert!(
        again.promoted.is_empty(),
        "cancelling twice frees nothing more"
    );
    // A waiting person who cancels frees no seat.
    assert!(cancel(db, &ids[3], Utc::now())
        .await
        .unwrap()
        .unwrap()
        .promoted
        .is_empty());
    assert!(cancel(db, "no-such-id", Utc::now())
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
    let (stage_id, _) = open_stage(db, 1).await;
    for n in 1..=4 {
        register_one(db, &stage_id, &attendee(n), &format!("t{n}"))
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

/// Registers with an email whose subject says what registering did, as the desk does.
async fn register_with_email(db: &Db, stage_id: &str, who: &Attendee) -> Registered {
    let id = app::db::new_id();
    let compose: ComposeEmail = Box::new(|registered: &Registered| {
        let (what, record) = match registered {
            Registered::New(record) => (record.status.as_str(), record),
            Registered::AlreadyRegistered(record) => ("again", record),
        };
        Some(OutgoingEmail {
            to: record.attendee.email.as_str().to_owned(),
            to_name: record.attendee.name.clone(),
            subject: format!("{what} {}", record.arrival),
            text: String::new(),
            html: String::new(),
            ticket_code: None,
            to_write: None,
        })
    });
    register_and_notify(
        db,
        NewRegistration {
            id: &id,
            stage_id,
            attendee: who,
            language: Locale::Fr,
            confirm_token_hash: "",
            feed_salt: None,
            now: Utc::now(),
        },
        Some(compose),
    )
    .await
    .unwrap()
}

async fn a_rush_on_two_stages_with_repeated_addresses_keeps_every_rule(db: &Db) {
    let stages = open_stages(db, &[("lyon", 10), ("paris", 3)]).await;
    let (lyon, paris) = (stages[0].0.clone(), stages[1].0.clone());
    // Lyon: 30 people who each send the form twice at once; Paris: 20 people once each.
    let mut rush = Vec::new();
    for n in 0..80 {
        let (db, stage_id, who) = match n {
            0..60 => (db.clone(), lyon.clone(), attendee(n % 30)),
            _ => (db.clone(), paris.clone(), attendee(n)),
        };
        rush.push(tokio::spawn(async move {
            register_with_email(&db, &stage_id, &who).await
        }));
    }
    let mut outcomes = Vec::new();
    for task in rush {
        outcomes.push(task.await.unwrap());
    }
    let again = outcomes
        .iter()
        .filter(|o| matches!(o, Registered::AlreadyRegistered(_)))
        .count();
    assert_eq!(
        again, 30,
        "each Lyon address is registered once, then found again"
    );

    for (stage_id, people, seats) in [(&lyon, 30, 10), (&paris, 20, 3)] {
        let all = list_registrations(db, stage_id).await.unwrap();
        assert_eq!(all.len(), people);
        let arrivals: Vec<i64> = all.iter().map(|r| r.arrival).collect();
        assert_eq!(arrivals, (1..=people as i64).collect::<Vec<_>>());
        assert!(all[..seats]
            .iter()
            .all(|r| r.status == RegistrationStatus::Confirmed));
        assert!(all[seats..]
            .iter()
            .all(|r| r.status == RegistrationStatus::Waitlisted));
        // Each registration's email was stored with it, saying what happened.
        for record in &all {
            let emails = outbox::list_for_recipient(db, record.attendee.email.as_str())
                .await
                .unwrap();
            let subjects: Vec<&str> = emails.iter().map(|e| e.email.subject.as_str()).collect();
            let first = format!("{} {}", record.status.as_str(), record.arrival);
            let expected: Vec<String> = if stage_id == &lyon {
                vec![first, format!("again {}", record.arrival)]
            } else {
                vec![first]
            };
            let mut subjects = subjects;
            subjects.sort_unstable_by_key(|s| s.starts_with("again"));
            assert_eq!(
                subjects,
                expected,
                "emails of {}",
                record.attendee.email.as_str()
            );
        }
    }
}
on_both_engines!(a_rush_on_two_stages_with_repeated_addresses_keeps_every_rule);

fn statuses(all: &[app::db::registrations::RegistrationRecord]) -> Vec<RegistrationStatus> {
    all.iter().map(|r| r.status).collect()
}

/// Registers person `n` for the "rush-week" stage through the desk; returns the manage token.
async fn register_at_desk(desk: &app::api::registration::Desk, stage: &str, n: usize) -> String {
    let form = app::domain::registration::RegistrationForm {
        name: format!("Personne {n}"),
        email: format!("personne{n}@example.org"),
        organisation: None,
        consent: true,
    };
    let receipt = desk
        .register("rush-week", stage, &form, Locale::Fr, Utc::now())
        .await
        .unwrap();
    let manage_url = receipt.manage_url.expect("a new registration's link");
    manage_url.rsplit('/').next().unwrap().to_owned()
}

async fn subjects(db: &Db, n: usize) -> Vec<String> {
    outbox::list_for_recipient(db, &format!("personne{n}@example.org"))
        .await
        .unwrap()
        .into_iter()
        .map(|record| record.email.subject)
        .collect()
}

async fn a_cancel_on_a_cancelled_stage_promotes_nobody_and_emails_no_ticket(db: &Db) {
    let (stage_id, _) = open_stage(db, 1).await;
    let desk = crate::support::command_desk(db);
    let first = register_at_desk(&desk, "lyon", 1).await;
    register_at_desk(&desk, "lyon", 2).await;
    let told = desk
        .cancel_stage_by_slug("rush-week", "lyon", "La salle est fermée.", Utc::now())
        .await
        .unwrap();
    assert_eq!(told, Some(2), "both registrants are told");

    desk.cancel(&first, Utc::now()).await.unwrap();

    use RegistrationStatus::*;
    let all = list_registrations(db, &stage_id).await.unwrap();
    assert_eq!(statuses(&all), [Cancelled, Waitlisted]);
    let second = subjects(db, 2).await;
    assert_eq!(
        second.len(),
        2,
        "waiting list and stage cancelled: {second:?}"
    );
    assert!(
        second.iter().any(|s| s.starts_with("Liste d'attente")),
        "{second:?}"
    );
    assert!(
        second.iter().any(|s| s.starts_with("Étape annulée")),
        "{second:?}"
    );
    let first_told = subjects(db, 1).await;
    assert_eq!(
        first_told.len(),
        3,
        "confirmed, stage and registration cancelled"
    );
    assert!(
        first_told.iter().any(|s| s.starts_with("Étape annulée")),
        "{first_told:?}"
    );
}
on_both_engines!(a_cancel_on_a_cancelled_stage_promotes_nobody_and_emails_no_ticket);

async fn after_the_capacity_is_lowered_a_cancel_never_fills_beyond_it(db: &Db) {
    let (stage_id, _) = open_stage(db, 3).await;
    let ids = register_people(db, &stage_id, 5).await;
    assert!(change_capacity(db, &stage_id, 2, Utc::now())
        .await
        .unwrap()
        .is_empty());

    let cancelled = cancel(db, &ids[0], Utc::now()).await.unwrap().unwrap();
    assert!(
        cancelled.promoted.is_empty(),
        "two confirmed fill two seats"
    );
    let again = cancel(db, &ids[1], Utc::now()).await.unwrap().unwrap();
    let promoted: Vec<i64> = again.promoted.iter().map(|r| r.arrival).collect();
    assert_eq!(promoted, [4], "one seat free of two: the first waiting");

    use RegistrationStatus::*;
    let all = list_registrations(db, &stage_id).await.unwrap();
    assert_eq!(
        statuses(&all),
        [Cancelled, Cancelled, Confirmed, Confirmed, Waitlisted]
    );
}
on_both_engines!(after_the_capacity_is_lowered_a_cancel_never_fills_beyond_it);

/// Runs `count` copies of `work` at once, each in a task of its own, and waits for all.
async fn at_once<F, Fut, T>(count: usize, work: F) -> Vec<T>
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..count {
        tasks.spawn(work(n));
    }
    let mut results = Vec::with_capacity(count);
    while let Some(result) = tasks.join_next().await {
        results.push(result.expect("the task ran to its end"));
    }
    results
}

async fn eight_cancels_at_once_send_one_cancellation_and_one_promotion(db: &Db) {
    let (stage_id, _) = open_stage(db, 1).await;
    let desk = crate::support::command_desk(db);
    let first = register_at_desk(&desk, "lyon", 1).await;
    register_at_desk(&desk, "lyon", 2).await;

    let cancels = at_once(8, |_| {
        let desk = crate::support::command_desk(db);
        let token = first.clone();
        async move { desk.cancel(&token, Utc::now()).await }
    })
    .await;
    assert!(cancels.iter().all(Result::is_ok), "{cancels:?}");

    use RegistrationStatus::*;
    let all = list_registrations(db, &stage_id).await.unwrap();
    assert_eq!(statuses(&all), [Cancelled, Confirmed]);
    let first_told = subjects(db, 1).await;
    let cancelled = first_told
        .iter()
        .filter(|s| s.starts_with("Inscription annulée"));
    assert_eq!(cancelled.count(), 1, "{first_told:?}");
    let second_told = subjects(db, 2).await;
    let promoted = second_told.iter().filter(|s| s.starts_with("Une place"));
    assert_eq!(promoted.count(), 1, "{second_told:?}");
}
on_both_engines!(eight_cancels_at_once_send_one_cancellation_and_one_promotion);

async fn a_change_whose_emails_cannot_be_stored_is_not_made(db: &Db) {
    let (stage_id, _) = open_stage(db, 1).await;
    let desk = crate::support::command_desk(db);
    let first = register_at_desk(&desk, "lyon", 1).await;
    register_at_desk(&desk, "lyon", 2).await;
    // The outbox out of reach, as a full disk or a crash between two writes would leave it:
    // the cancellation and the promotion it announces must not happen without their emails.
    db.execute(app::db::sql("ALTER TABLE outbox RENAME TO outbox_away"))
        .await
        .unwrap();
    let cancelled = desk.cancel(&first, Utc::now()).await;
    let raised = desk
        .change_capacity("rush-week", "lyon", 5, Utc::now())
        .await;
    db.execute(app::db::sql("ALTER TABLE outbox_away RENAME TO outbox"))
        .await
        .unwrap();
    assert!(cancelled.is_err(), "{cancelled:?}");
    assert!(raised.is_err(), "{raised:?}");

    use RegistrationStatus::*;
    let all = list_registrations(db, &stage_id).await.unwrap();
    assert_eq!(statuses(&all), [Confirmed, Waitlisted], "nothing changed");
    let capacity: (i64,) = db
        .fetch_one(app::db::sql("SELECT capacity FROM stages WHERE id = $1").bind(&stage_id))
        .await
        .unwrap();
    assert_eq!(capacity.0, 1);
    // Once the outbox is back, the same cancel works and tells both people.
    desk.cancel(&first, Utc::now()).await.unwrap();
    assert_eq!(
        statuses(&list_registrations(db, &stage_id).await.unwrap()),
        [Cancelled, Confirmed]
    );
    assert!(subjects(db, 2)
        .await
        .iter()
        .any(|s| s.starts_with("Une place")));
}
on_both_engines!(a_change_whose_emails_cannot_be_stored_is_not_made);

async fn cancels_racing_capacity_changes_fill_exactly_the_seats(db: &Db) {
    let (stage_id, _) = open_stage(db, 2).await;
    let desk = crate::support::command_desk(db);
    let mut tokens = Vec::new();
    for n in 0..30 {
        tokens.push(register_at_desk(&desk, "lyon", n).await);
    }
    let mut capacity = 2u32;
    for (round, leaving) in tokens.iter().take(12).enumerate() {
        // A seat given back and a capacity raised (or set again) at the same moment: whatever
        // the order, the stage ends with exactly min(capacity, people still in) confirmed.
        capacity += u32::try_from(round % 2).unwrap();
        let raise = {
            let desk = crate::support::command_desk(db);
            tokio::spawn(async move {
                desk.change_capacity("rush-week", "lyon", capacity, Utc::now())
                    .await
            })
        };
        desk.cancel(leaving, Utc::now()).await.unwrap();
        raise.await.unwrap().unwrap();

        let all = list_registrations(db, &stage_id).await.unwrap();
        let confirmed = all
            .iter()
            .filter(|r| r.status == RegistrationStatus::Confirmed)
            .count();
        let still_in = all
            .iter()
            .filter(|r| r.status != RegistrationStatus::Cancelled)
            .count();
        assert_eq!(
            confirmed,
            usize::try_from(capacity).unwrap().min(still_in),
            "round {round}, capacity {capacity}"
        );
    }
    // Everyone promoted was told once.
    let all = list_registrations(db, &stage_id).await.unwrap();
    for (n, record) in all.iter().enumerate() {
        let told = subjects(db, n).await;
        let promotions = told.iter().filter(|s| s.starts_with("Une place")).count();
        let expected = usize::from(record.promoted_at.is_some());
        assert_eq!(promotions, expected, "person {n}: {told:?}");
    }
}
on_both_engines!(cancels_racing_capacity_changes_fill_exactly_the_seats);

/// Registers `who` for a stage as the desk does: a fresh salt for an address new to Étape, the
/// address's own salt otherwise.
async fn register_with_feed(db: &Db, stage_id: &str, who: &Attendee) -> Registered {
    let id = app::db::new_id();
    let salt = app::db::new_id();
    let outcome = register_and_notify(
        db,
        NewRegistration {
            id: &id,
            stage_id,
            attendee: who,
            language: Locale::Fr,
            confirm_token_hash: "",
            feed_salt: Some(&salt),
            now: Utc::now(),
        },
        None,
    )
    .await;
    outcome.unwrap()
}

/// One feed per address: the first registrations of one address, at the same moment on
/// several stages, share one salt, and a later one joins it.
async fn one_address_registering_on_several_stages_at_once_gets_one_feed(db: &Db) {
    let stages = open_stages(db, &[("lyon", 10), ("paris", 10), ("lille", 10)]).await;
    let who = attendee(1);
    let mut at_once = Vec::new();
    for (stage_id, _) in &stages[..2] {
        let (db, stage_id, who) = (db.clone(), stage_id.clone(), who.clone());
        at_once.push(tokio::spawn(async move {
            register_with_feed(&db, &stage_id, &who).await
        }));
    }
    for task in at_once {
        assert!(matches!(task.await.unwrap(), Registered::New(_)));
    }
    register_with_feed(db, &stages[2].0, &who).await;
    let records = list_by_email(db, &who.email).await.unwrap();
    assert_eq!(records.len(), 3);
    let salt = records[0].feed_salt.clone();
    assert!(salt.is_some());
    assert!(
        records.iter().all(|record| record.feed_salt == salt),
        "{records:?}"
    );
    // Nothing of the feed's token is stored: it seals the address (`links`).
    let (hashes,): (i64,) = db
        .fetch_one(
            app::db::sql("SELECT COUNT(feed_token_hash) FROM registrations WHERE email = $1")
                .bind(who.email.as_str()),
        )
        .await
        .unwrap();
    assert_eq!(hashes, 0, "no feed token hash stored");
}
on_both_engines!(one_address_registering_on_several_stages_at_once_gets_one_feed);
