//! The passes the serving process runs every minute: it gives back the seats held for an
//! address that was not confirmed in time (`Desk::release_expired_holds`), then queues the
//! reminders due (`Desk::send_due_reminders`), so that both happen within a minute of their
//! time. `etape reminders send` runs one reminder pass by hand, at a time of the operator's
//! choosing.

use app::api::registration::Desk;
use std::time::Duration;
use tokio::task::JoinHandle;

/// How often. A hold runs out to the minute and a reminder is due from 09:00 the day before
/// its stage until that day ends, so a minute is early enough; each pass is one indexed query
/// when there is nothing to do.
pub const PERIOD: Duration = Duration::from_secs(60);

/// Starts the passes: once now (a server started late catches up at once), then every
/// `period`, forever. A failed pass is logged; the next one tries again, and what was already
/// done is never done twice.
pub fn spawn_minute_passes(desk: Desk, period: Duration) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(period);
        // After a stall (a suspended machine), one pass, not a burst of them.
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            // Released first: a seat given back today is one fewer reminder to someone who
            // never confirmed.
            if let Err(error) = desk.release_expired_holds(chrono::Utc::now()).await {
                tracing::error!(%error, "the release of expired holds failed");
            }
            if let Err(error) = desk.send_due_reminders(chrono::Utc::now()).await {
                tracing::error!(%error, "the reminder pass failed");
            }
        }
    })
}
