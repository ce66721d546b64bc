//! French and English. Every piece of interface text comes from a `Messages` table chosen by the
//! page's `Locale`; the compiler checks that both languages have every message. French first.
//!
//! - `locale`: the languages, and how a request or a page chooses one;
//! - `format`: dates, times, numbers and typography, the way each language writes them;
//! - `messages`: the `Messages` table, `FR` and `EN`;
//! - `registration`: sentences that depend on what went wrong with a registration;
//! - `workspace`: the organiser workspace's own table, `WorkspaceMessages`;
//! - `stage_form`: the stage form's labels and the sentences of its mistakes.
//!
//! A sentence written outside the table (an email, an API message) is one `match` on the
//! locale, so that the compiler refuses a missing language.

mod address_check;
mod doors;
mod format;
mod lineup;
mod locale;
mod messages;
mod registration;
mod scanner;
mod stage_form;
mod team;
mod workspace;

pub use address_check::AddressCheckMessages;
pub use doors::DoorMessages;
pub use lineup::LineupMessages;
#[cfg(feature = "ssr")]
pub use locale::RequestLocale;
pub use locale::{use_locale, Locale, LOCALE_COOKIE};
pub use messages::{Messages, EN, FR};
pub use scanner::ScannerMessages;
pub use stage_form::StageFormMessages;
pub use team::{PasswordMessages, TeamMessages, TokenMessages};
pub use workspace::WorkspaceMessages;
