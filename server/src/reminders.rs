//! The reminder pass on a timer: the serving process queues the reminders due each minute
//! (`Desk::send_due_reminders`), so they leave within a minute of their time. `etape reminders
//! send` runs one pass by hand, at a time of the operator's choosing.

use app::api::registration::Desk;
use std::time::Duration;
use tokio::task::JoinHandle;

/// How often the server looks for reminders due. A reminder is due from 09:00 the day before
/// its stage until that day ends, so a minute is early enough and costs one indexed query.
pub const PERIOD: Duration = Duration::from_secs(60);

/// Starts the pass: once now (a server started late in the day catches up at once), then
/// every `period`, forever. A failed pass is logged; the next one tries again, and what was
/// already queued is never queued twice.
pub fn spawn_reminders(desk: Desk, period: Duration) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(period);
        // After a stall (a suspended machine), one pass, not a burst of them.
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(error) = desk.send_due_reminders(chrono::Utc::now()).await {
                tracing::error!(%error, "the reminder pass failed");
            }
        }
    })
}
