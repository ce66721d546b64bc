//! Organiser commands on the command line, until the organiser pages exist.

use crate::startup::{prepare_database, StartupError};
use app::api::limits::Limits;
use app::api::registration::Desk;
use app::error::AppError;
use app::i18n::Locale;
use app::links::{Links, LINK_SECRET};
use app::mail::Outbox;
use std::sync::Arc;

/// Sets a stage's capacity; the seats it frees go to the waiting list, whose emails wait in the
/// outbox for the serving process's delivery worker. Returns how many were confirmed.
pub async fn change_capacity(
    database_url: &str,
    public_url: &str,
    edition: &str,
    stage: &str,
    capacity: u32,
) -> Result<usize, StartupError> {
    let db = prepare_database(database_url).await?;
    let now = chrono::Utc::now();
    let secret = app::db::secrets::site_secret(&db, LINK_SECRET, now)
        .await
        .map_err(StartupError::Migrate)?;
    let desk = Desk {
        db: db.clone(),
        links: Arc::new(Links::new(public_url, secret)),
        outbox: Outbox::new(),
        limits: Arc::new(Limits::off()),
        client: None,
    };
    let outcome = desk.change_capacity(edition, stage, capacity, now).await;
    db.close().await;
    outcome.map_err(|error| match error {
        AppError::NotFound => {
            StartupError::Command(format!("no published stage {edition}/{stage}"))
        }
        other => StartupError::Command(other.message(Locale::En)),
    })
}
