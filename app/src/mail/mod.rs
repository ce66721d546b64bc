//! Emails to attendees: what each one says (`compose`), and the outbox they wait in until the
//! server's delivery worker sends them. Putting an email in the outbox is all a request does:
//! sending never blocks or fails a registration.

pub mod compose;
pub mod outbox;

pub use compose::{links_email, registration_email, Notice, RegistrationMail};
pub use outbox::Outbox;

/// An email ready to send: both a plain-text and an HTML part, in the attendee's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingEmail {
    pub to: String,
    pub to_name: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// A ticket code to attach as an inline QR image (confirmations and promotions).
    pub ticket_code: Option<String>,
}
