//! Whether a ticket lets its holder in: the one answer the ticket page, its QR images, the
//! emails and the door share. Check-in will add "not already checked in" here.

use super::registration::RegistrationStatus;
use super::stage::StageStatus;
use serde::{Deserialize, Serialize};

/// Why a ticket does not let its holder in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum EntryRefused {
    #[error("the stage is cancelled")]
    StageCancelled,
    #[error("the stage is not published")]
    StageNotPublished,
    #[error("the registration is cancelled")]
    RegistrationCancelled,
    #[error("the registration is on the waiting list: no seat")]
    Waitlisted,
    #[error("the email address is not confirmed yet: the seat is only held")]
    AwaitingConfirmation,
}

/// A ticket is good for entry when its registration holds a seat on a stage that is going
/// ahead, and whose address is confirmed where the stage asks (`awaiting_confirmation` while
/// the seat is only held). The stage comes first: when the evening is cancelled, that is what
/// a person needs to hear.
pub fn ticket_admits(
    registration: RegistrationStatus,
    awaiting_confirmation: bool,
    stage: StageStatus,
) -> Result<(), EntryRefused> {
    match stage {
        StageStatus::Cancelled => return Err(EntryRefused::StageCancelled),
        StageStatus::Draft => return Err(EntryRefused::StageNotPublished),
        StageStatus::Published => {}
    }
    match registration {
        RegistrationStatus::Confirmed if awaiting_confirmation => {
            Err(EntryRefused::AwaitingConfirmation)
        }
        RegistrationStatus::Confirmed => Ok(()),
        RegistrationStatus::Waitlisted => Err(EntryRefused::Waitlisted),
        RegistrationStatus::Cancelled => Err(EntryRefused::RegistrationCancelled),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seat_held_for_an_unconfirmed_address_has_no_ticket_yet() {
        assert_eq!(
            ticket_admits(RegistrationStatus::Confirmed, true, StageStatus::Published),
            Err(EntryRefused::AwaitingConfirmation)
        );
        assert_eq!(
            ticket_admits(RegistrationStatus::Confirmed, true, StageStatus::Cancelled),
            Err(EntryRefused::StageCancelled)
        );
    }

    #[test]
    fn a_confirmed_seat_on_a_published_stage_is_admitted() {
        assert_eq!(
            ticket_admits(RegistrationStatus::Confirmed, false, StageStatus::Published),
            Ok(())
        );
    }

    #[test]
    fn a_confirmed_seat_on_a_cancelled_stage_is_not() {
        assert_eq!(
            ticket_admits(RegistrationStatus::Confirmed, false, StageStatus::Cancelled),
            Err(EntryRefused::StageCancelled)
        );
        assert_eq!(
            ticket_admits(RegistrationStatus::Confirmed, false, StageStatus::Draft),
            Err(EntryRefused::StageNotPublished)
        );
    }

    #[test]
    fn a_waiting_or_cancelled_registration_is_not_admitted() {
        assert_eq!(
            ticket_admits(
                RegistrationStatus::Waitlisted,
                false,
                StageStatus::Published
            ),
            Err(EntryRefused::Waitlisted)
        );
        assert_eq!(
            ticket_admits(RegistrationStatus::Cancelled, false, StageStatus::Published),
            Err(EntryRefused::RegistrationCancelled)
        );
    }

    #[test]
    fn a_cancelled_stage_is_said_before_a_cancelled_registration() {
        assert_eq!(
            ticket_admits(RegistrationStatus::Cancelled, false, StageStatus::Cancelled),
            Err(EntryRefused::StageCancelled)
        );
    }
}
