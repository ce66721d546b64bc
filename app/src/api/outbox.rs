//! The outbox handle: requests put emails in the `outbox` table and wake the delivery worker.
//! This is all a request does about email; sending and retrying belong to the server's worker.
//! It lives here, not in `mail`, so that `mail` (what emails say) needs no storage and `db`
//! (which stores `mail::OutgoingEmail`) never imports back.

use crate::db::{self, Db, DbError};
use crate::mail::OutgoingEmail;
use chrono::{DateTime, Utc};
use std::sync::Arc;
use tokio::sync::Notify;

/// The handle requests use to queue an email and wake the delivery worker. Cheap to clone; one
/// per process, shared by the Leptos context and the worker.
#[derive(Clone, Default)]
pub struct Outbox {
    wake: Arc<Notify>,
}

impl std::fmt::Debug for Outbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Outbox")
    }
}

impl Outbox {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps the email for delivery and wakes the worker. Only the insert can fail: callers
    /// log the error and carry on, as an email must never fail a registration.
    #[tracing::instrument(skip_all)]
    pub async fn send(
        &self,
        db: &Db,
        email: OutgoingEmail,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        let id = db::outbox::enqueue(db, &email, now).await?;
        tracing::debug!(%id, "email queued");
        self.wake();
        Ok(())
    }

    /// Wakes the worker without queueing anything (it then looks for due emails).
    pub fn wake(&self) {
        // A stored permit: a worker that is busy now still wakes once it next waits.
        self.wake.notify_one();
    }

    /// Resolves when an email was queued since the last wake-up.
    pub async fn woken(&self) {
        self.wake.notified().await;
    }
}
