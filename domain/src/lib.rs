//! Pure rules of Étape: editions, organisations, stages and their line-ups.
//!
//! Nothing here performs I/O, reads the clock or depends on leptos, sqlx, axum or tokio
//! (`scripts/check-architecture` enforces it). Constructors validate once, at the edge, so
//! that code holding an `Edition` or a `Stage` can trust it. `now` is always an argument.

pub mod access;
pub mod account;
pub mod address_check;
pub mod calendar;
pub mod checkin;
pub mod edition;
pub mod edition_form;
pub mod entry;
pub mod lineup;
pub mod lineup_edit;
pub mod lineup_form;
pub mod organisation;
pub mod registration;
pub mod reminder;
pub mod short_code;
pub mod slug;
pub mod stage;
pub mod stage_form;
pub mod text;
pub mod ticket;

pub use edition::{Edition, EditionError, EditionStatus, NewEdition};
pub use lineup::{
    Lineup, LineupError, NewProgrammeItem, NewProject, NewSpeaker, ProgrammeItem, ProgrammeKind,
    Project, ScheduledItem, Speaker, SpeakerLink,
};
pub use organisation::{NewOrganisation, Organisation, OrganisationError};
pub use slug::{Slug, SlugError};
pub use stage::{NewStage, Stage, StageChanges, StageError, StageStatus, Venue};
