//! One module per page. Views only: data comes from `api`, words from `i18n`.

pub mod edition;
pub mod home;
pub mod not_found;
pub mod stage;

use crate::domain::edition::Phase;
use crate::i18n::Locale;

pub(crate) fn phase_label(locale: Locale, phase: Phase) -> &'static str {
    let messages = locale.messages();
    match phase {
        Phase::Upcoming => messages.phase_upcoming,
        Phase::Running => messages.phase_running,
        Phase::Past => messages.phase_past,
    }
}

pub(crate) fn phase_class(phase: Phase) -> &'static str {
    match phase {
        Phase::Upcoming => "phase phase-upcoming",
        Phase::Running => "phase phase-running",
        Phase::Past => "phase phase-past",
    }
}
