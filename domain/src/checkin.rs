//! Checking a ticket in at a door: whether what the camera read is a ticket for this stage, and
//! whether its holder may come in. Pure, so that the server and the scanner in the browser
//! (offline) decide with the same code: the signature is checked with the edition's public
//! keys, then the registration's state and the check-ins already known are asked.

use super::registration::RegistrationStatus;
use super::stage::StageStatus;
use super::ticket::{TicketError, TicketPayload, TicketPublicKey};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What a door answers for one scan: the words door staff read at arm's length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckinResult {
    Admitted,
    AlreadyCheckedIn,
    WrongStage,
    Cancelled,
    Waitlisted,
    Invalid,
}

impl CheckinResult {
    pub const ALL: [Self; 6] = [
        Self::Admitted,
        Self::AlreadyCheckedIn,
        Self::WrongStage,
        Self::Cancelled,
        Self::Waitlisted,
        Self::Invalid,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admitted => "admitted",
            Self::AlreadyCheckedIn => "already_checked_in",
            Self::WrongStage => "wrong_stage",
            Self::Cancelled => "cancelled",
            Self::Waitlisted => "waitlisted",
            Self::Invalid => "invalid",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|result| result.as_str() == raw)
    }

    /// Whether the person goes in.
    pub fn lets_in(self) -> bool {
        self == Self::Admitted
    }
}

/// What a scanned code turned out to be, before any registration is looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScannedCode {
    /// A ticket of this door's stage.
    ForThisStage(TicketPayload),
    /// A real ticket of the edition, for another of its stages (named by the payload).
    ForAnotherStage(TicketPayload),
    /// Not a ticket, altered, forged, or signed with a key this door does not hold.
    Invalid(TicketError),
}

/// Reads a scanned code at the door of `stage_id`, with every public key of the edition (the
/// active one and those retired by a rotation, whose tickets still hold).
pub fn read_code(code: &str, keys: &[TicketPublicKey], stage_id: &[u8; 16]) -> ScannedCode {
    let mut refusal = TicketError::BadSignature;
    for key in keys {
        match key.verify(code) {
            Ok(payload) if payload.stage_id == *stage_id => {
                return ScannedCode::ForThisStage(payload);
            }
            Ok(payload) => return ScannedCode::ForAnotherStage(payload),
            // The same text fails the same way under every key, unless it is the signature.
            Err(TicketError::BadSignature) => {}
            Err(error) => {
                refusal = error;
                break;
            }
        }
    }
    ScannedCode::Invalid(refusal)
}

/// The first check-in of a ticket: when, at which door.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirstCheckin {
    pub at: DateTime<Utc>,
    pub door: String,
}

/// Whether the holder of a real ticket for this stage comes in, from their registration, the
/// stage, and the first check-in of the ticket if there was one. A ticket is admitted once;
/// every later scan reports the first.
pub fn admit(
    registration: RegistrationStatus,
    stage: StageStatus,
    first: Option<&FirstCheckin>,
) -> CheckinResult {
    if registration == RegistrationStatus::Cancelled || stage == StageStatus::Cancelled {
        return CheckinResult::Cancelled;
    }
    if registration == RegistrationStatus::Waitlisted {
        return CheckinResult::Waitlisted;
    }
    match first {
        Some(_) => CheckinResult::AlreadyCheckedIn,
        None => CheckinResult::Admitted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ticket::TicketKey;

    const LYON: [u8; 16] = [7; 16];
    const PARIS: [u8; 16] = [9; 16];

    fn ticket(key: &TicketKey, stage: [u8; 16]) -> (TicketPayload, String) {
        let payload = TicketPayload {
            ticket_id: [1; 16],
            stage_id: stage,
        };
        (payload, key.sign(&payload))
    }

    #[test]
    fn a_ticket_is_for_this_stage_for_another_or_invalid() {
        let key = TicketKey::from_seed([3; 32]);
        let keys = [key.public_key()];
        let (payload, code) = ticket(&key, LYON);
        assert_eq!(
            read_code(&code, &keys, &LYON),
            ScannedCode::ForThisStage(payload)
        );
        let (paris, code) = ticket(&key, PARIS);
        assert_eq!(
            read_code(&code, &keys, &LYON),
            ScannedCode::ForAnotherStage(paris)
        );
        for garbage in ["", "ET1", "hello", &"ET1A".repeat(25_000), "ET1éèà"] {
            assert!(
                matches!(read_code(garbage, &keys, &LYON), ScannedCode::Invalid(_)),
                "{garbage:.20}"
            );
        }
    }

    #[test]
    fn a_ticket_signed_by_a_retired_key_still_reads_and_a_foreign_key_never() {
        let retired = TicketKey::from_seed([1; 32]);
        let active = TicketKey::from_seed([2; 32]);
        let keys = [active.public_key(), retired.public_key()];
        let (payload, code) = ticket(&retired, LYON);
        assert_eq!(
            read_code(&code, &keys, &LYON),
            ScannedCode::ForThisStage(payload)
        );
        let other_edition = TicketKey::from_seed([5; 32]);
        let (_, forged) = ticket(&other_edition, LYON);
        assert_eq!(
            read_code(&forged, &keys, &LYON),
            ScannedCode::Invalid(TicketError::BadSignature)
        );
        assert!(matches!(
            read_code(&code, &[], &LYON),
            ScannedCode::Invalid(_)
        ));
    }

    #[test]
    fn a_ticket_is_admitted_once_and_never_when_cancelled_or_waiting() {
        use RegistrationStatus::*;
        let first = FirstCheckin {
            at: "2027-10-07T18:31:00Z".parse().unwrap(),
            door: "Entrée principale".into(),
        };
        let published = StageStatus::Published;
        assert_eq!(admit(Confirmed, published, None), CheckinResult::Admitted);
        assert_eq!(
            admit(Confirmed, published, Some(&first)),
            CheckinResult::AlreadyCheckedIn
        );
        assert_eq!(
            admit(Waitlisted, published, None),
            CheckinResult::Waitlisted
        );
        assert_eq!(admit(Cancelled, published, None), CheckinResult::Cancelled);
        // A cancelled evening lets nobody in, not even someone already counted.
        assert_eq!(
            admit(Confirmed, StageStatus::Cancelled, Some(&first)),
            CheckinResult::Cancelled
        );
    }

    #[test]
    fn results_keep_their_api_names() {
        for result in CheckinResult::ALL {
            assert_eq!(CheckinResult::parse(result.as_str()), Some(result));
            assert_eq!(
                serde_json::to_value(result).unwrap(),
                serde_json::json!(result.as_str())
            );
        }
        assert!(CheckinResult::Admitted.lets_in());
        assert!(!CheckinResult::AlreadyCheckedIn.lets_in());
    }
}
