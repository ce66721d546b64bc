//! The serving process copies SQLite's write-ahead log into the database file itself, several
//! times a second, from a reading connection (`Db::checkpoint`): the writer then seldom pays
//! for it in the middle of a registration rush, and the log is emptied once it reaches
//! `RESTART_AT` pages. A PostgreSQL database needs nothing of the kind, and gets no task.

use app::db::{Db, Engine};
use std::time::Duration;
use tokio::task::JoinHandle;

/// How often. A rush writes a few thousand pages a second; copied this often, the log stays
/// below the writer's own bound (`WRITER_AUTOCHECKPOINT` in `app::db`).
pub const PERIOD: Duration = Duration::from_millis(250);

/// The log's size, in pages (16 MiB), from which a checkpoint also empties it, holding the
/// write turn meanwhile (`Db::checkpoint`): in a rush about every half second, each a pause
/// of the writes for the pages written since the passive copy just before.
pub const RESTART_AT: i64 = 4000;

/// Starts the checkpoints on SQLite, forever; `None` on PostgreSQL. A failed one is logged, and
/// the next tries again: the writer's own checkpoints still bound the log meanwhile.
pub fn spawn_checkpoints(db: Db, period: Duration) -> Option<JoinHandle<()>> {
    if db.engine() != Engine::Sqlite {
        return None;
    }
    Some(tokio::spawn(async move {
        let mut ticks = tokio::time::interval(period);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(error) = db.checkpoint(RESTART_AT).await {
                tracing::warn!(%error, "the write-ahead log checkpoint failed");
            }
        }
    }))
}
