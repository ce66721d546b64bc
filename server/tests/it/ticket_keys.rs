//! Edition ticket keys on both engines: born with the edition, rotated without breaking tickets.

use crate::on_both_engines;
use app::db::ticket_keys::{ensure_active_key, find_active_key, list_public_keys, rotate_key};
use app::db::{editions, Db};
use app::domain::ticket::TicketPayload;
use chrono::Utc;

fn payload() -> TicketPayload {
    TicketPayload {
        ticket_id: [7; 16],
        stage_id: [9; 16],
    }
}

async fn demo_edition_id(db: &Db) -> String {
    app::demo::load(db, Utc::now().date_naive()).await.unwrap();
    editions::find_published_edition(db, "social-good-week-demo")
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn an_edition_is_born_with_its_signing_key(db: &Db) {
    let edition_id = demo_edition_id(db).await;
    let key = find_active_key(db, &edition_id)
        .await
        .unwrap()
        .expect("an active key");
    let public = list_public_keys(db, &edition_id).await.unwrap();
    assert_eq!(public.len(), 1);
    assert_eq!(public[0].verify(&key.sign(&payload())), Ok(payload()));
    // Another edition has another key.
    let other = editions::find_published_edition(db, "social-good-week-2013")
        .await
        .unwrap()
        .unwrap();
    let other_key = find_active_key(db, &other.id).await.unwrap().unwrap();
    assert!(public[0].verify(&other_key.sign(&payload())).is_err());
}
on_both_engines!(an_edition_is_born_with_its_signing_key);

async fn a_rotated_key_signs_new_tickets_and_old_ones_still_verify(db: &Db) {
    let edition_id = demo_edition_id(db).await;
    let old = find_active_key(db, &edition_id).await.unwrap().unwrap();
    let old_ticket = old.sign(&payload());
    let new_public = rotate_key(db, &edition_id, [5; 32], Utc::now())
        .await
        .unwrap();
    let active = find_active_key(db, &edition_id).await.unwrap().unwrap();
    assert_eq!(active.public_key(), new_public);
    let accepted = list_public_keys(db, &edition_id).await.unwrap();
    assert_eq!(accepted.len(), 2);
    assert_eq!(accepted[0], new_public, "the active key comes first");
    assert!(accepted.iter().any(|k| k.verify(&old_ticket).is_ok()));
    assert!(new_public.verify(&old_ticket).is_err());
    // ensure_active_key keeps the active key rather than making another.
    assert_eq!(
        ensure_active_key(db, &edition_id, Utc::now())
            .await
            .unwrap()
            .public_key(),
        new_public
    );
}
on_both_engines!(a_rotated_key_signs_new_tickets_and_old_ones_still_verify);
