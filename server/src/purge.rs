//! Personal data kept only as the privacy page promises: once a day the server forgets the
//! people of every stage that ended more than the retention time ago (`db::people::purge`),
//! keeping anonymous counts. `etape purge` runs the same pass by hand.

use app::db::audit::Actor;
use app::db::people::{self, Purged};
use app::db::{Db, DbError};
use chrono::{DateTime, Utc};
use std::time::Duration;
use tokio::task::JoinHandle;

/// How often the server purges.
pub const PERIOD: Duration = Duration::from_secs(24 * 60 * 60);

/// The retention time when none is configured: the privacy page's twelve months.
pub const DEFAULT_RETENTION_DAYS: u32 = 365;

/// Purges what the retention time `retention_days` no longer covers at `now`.
/// `actor` is who runs the pass, for the audit log.
pub async fn purge(
    db: &Db,
    retention_days: u32,
    now: DateTime<Utc>,
    actor: Actor,
) -> Result<Purged, DbError> {
    let before = now - chrono::Duration::days(i64::from(retention_days));
    let purged = people::purge(db, before, now, actor).await?;
    if purged.stages + purged.registrations + purged.emails > 0 {
        tracing::info!(
            stages = purged.stages,
            registrations = purged.registrations,
            emails = purged.emails,
            "personal data past its retention time removed"
        );
    }
    Ok(purged)
}

/// Starts the daily pass: once now, then every `period`. A failed pass is logged and tried
/// again the next time; nothing is removed twice.
pub fn spawn_purge(db: Db, retention_days: u32, period: Duration) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(period);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(error) = purge(&db, retention_days, Utc::now(), Actor::Server).await {
                tracing::error!(%error, "the purge failed");
            }
        }
    })
}
