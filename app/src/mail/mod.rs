//! Emails to attendees: what each one says (`compose`), and the outbox they wait in until the
//! server's delivery worker sends them. Putting an email in the outbox is all a request does:
//! sending never blocks or fails a registration.

pub mod compose;

pub use compose::{
    escape_html, invitation_email, links_email, notice_to_write, password_reset_email,
    registration_email, Notice, RegistrationMail,
};

/// `email`, if the mailer (lettre) takes it as a recipient. Checked when a form is read, so an
/// address it would refuse is refused there, in the person's language, rather than failing
/// later in the outbox.
pub fn deliverable(
    email: crate::domain::registration::Email,
) -> Result<crate::domain::registration::Email, crate::domain::registration::EmailError> {
    match email.as_str().parse::<lettre::Address>() {
        Ok(_) => Ok(email),
        Err(_) => Err(crate::domain::registration::EmailError::Invalid),
    }
}

/// The Content-ID of the inline QR image: the HTML part shows it as `<img src="cid:…">`, and the
/// delivery worker attaches the PNG under this id.
pub const QR_CONTENT_ID: &str = "ticket-qr@etape";

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
    /// An email whose words are written when it is sent, from the registration as it then
    /// stands (`notice_to_write`): until then it has a recipient and a subject, no body.
    pub to_write: Option<ToWrite>,
}

/// What a registration email to be written at delivery is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToWrite {
    pub registration_id: String,
    pub notice: Notice,
}
