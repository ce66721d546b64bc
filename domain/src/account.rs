//! Organiser accounts: what a password must be, and how long a login lasts.

use super::text;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Shorter passwords are refused: 12 characters is the floor the issue and OWASP's guidance
/// for password-only logins agree on.
pub const PASSWORD_MIN_CHARS: usize = 12;
/// Longer ones are refused too, so that nobody can make the server hash a megabyte.
pub const PASSWORD_MAX_CHARS: usize = 256;

/// A password reset link works once, for this long.
pub const RESET_LIFETIME: Duration = Duration::hours(1);

/// An invitation can be accepted for this long after it is sent.
pub const INVITATION_LIFETIME: Duration = Duration::days(7);

/// Where an invitation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvitationState {
    Pending,
    Accepted,
    Withdrawn,
    Expired,
}

impl InvitationState {
    /// From what storage records; acceptance and withdrawal are final, whatever the time.
    pub fn at(
        accepted: bool,
        withdrawn: bool,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Self {
        if accepted {
            InvitationState::Accepted
        } else if withdrawn {
            InvitationState::Withdrawn
        } else if now >= expires_at {
            InvitationState::Expired
        } else {
            InvitationState::Pending
        }
    }
}

/// A login lasts this long without use…
pub const SESSION_IDLE: Duration = Duration::days(14);
/// …and never longer than this, used or not.
pub const SESSION_LIFETIME: Duration = Duration::days(60);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum PasswordError {
    #[error("a password has at least {PASSWORD_MIN_CHARS} characters")]
    TooShort,
    #[error("a password has at most {PASSWORD_MAX_CHARS} characters")]
    TooLong,
}

/// A password good enough to set. Counted in characters, not bytes, so that « é » counts once;
/// kept as typed (no trimming): spaces are part of a passphrase.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(raw: &str) -> Result<Self, PasswordError> {
        let chars = raw.chars().count();
        if chars < PASSWORD_MIN_CHARS {
            Err(PasswordError::TooShort)
        } else if chars > PASSWORD_MAX_CHARS {
            Err(PasswordError::TooLong)
        } else {
            Ok(NewPassword(raw.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Never printed, not even in a debug log.
impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(…)")
    }
}

/// The name an organiser shows to their team (invitations, "changed by").
pub fn person_name(raw: &str) -> Result<String, text::TextError> {
    text::required(raw, 120)
}

/// When a login made at `created_at` and last used at `last_seen_at` stops being valid.
pub fn session_expires_at(created_at: DateTime<Utc>, last_seen_at: DateTime<Utc>) -> DateTime<Utc> {
    (last_seen_at + SESSION_IDLE).min(created_at + SESSION_LIFETIME)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_password_has_twelve_characters_or_more() {
        assert_eq!(
            NewPassword::parse("elevenchars"),
            Err(PasswordError::TooShort)
        );
        assert_eq!(NewPassword::parse(""), Err(PasswordError::TooShort));
        assert!(NewPassword::parse("twelve chars").is_ok());
        // Characters, not bytes: eleven « é » are 22 bytes and still too short.
        assert_eq!(
            NewPassword::parse(&"é".repeat(11)),
            Err(PasswordError::TooShort)
        );
        assert!(NewPassword::parse(&"é".repeat(12)).is_ok());
        assert_eq!(
            NewPassword::parse(&"a".repeat(257)),
            Err(PasswordError::TooLong)
        );
    }

    #[test]
    fn a_password_is_kept_as_typed_and_never_printed() {
        let password = NewPassword::parse("  spaced out words  ").unwrap();
        assert_eq!(password.as_str(), "  spaced out words  ");
        assert!(!format!("{password:?}").contains("spaced"));
    }

    #[test]
    fn a_login_ends_after_two_idle_weeks_or_sixty_days() {
        let created = Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).unwrap();
        assert_eq!(
            session_expires_at(created, created),
            created + Duration::days(14)
        );
        let recent = created + Duration::days(55);
        assert_eq!(
            session_expires_at(created, recent),
            created + Duration::days(60)
        );
    }

    #[test]
    fn a_person_names_themselves() {
        assert_eq!(person_name("  Amina Diallo ").unwrap(), "Amina Diallo");
        assert!(person_name("   ").is_err());
    }

    #[test]
    fn an_invitation_is_open_until_accepted_withdrawn_or_expired() {
        let expires: DateTime<Utc> = "2027-11-08T12:00:00Z".parse().unwrap();
        let before = expires - Duration::seconds(1);
        assert_eq!(
            InvitationState::at(false, false, expires, before),
            InvitationState::Pending
        );
        assert_eq!(
            InvitationState::at(false, false, expires, expires),
            InvitationState::Expired
        );
        assert_eq!(
            InvitationState::at(true, false, expires, expires),
            InvitationState::Accepted
        );
        assert_eq!(
            InvitationState::at(false, true, expires, before),
            InvitationState::Withdrawn
        );
    }
}
