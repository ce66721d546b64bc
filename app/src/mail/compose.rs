//! The words of each email, in French and English.

use super::OutgoingEmail;
use crate::domain::registration::{Email, RegistrationStatus};
use crate::i18n::Locale;
use chrono::NaiveDateTime;

/// Why an attendee gets an email about one registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// Registered with a seat.
    Confirmed,
    /// Registered on the waiting list.
    Waitlisted,
    /// Moved from the waiting list to a seat.
    Promoted,
    /// The registration was cancelled.
    Cancelled,
    /// Tried to register again: here are the links once more.
    AlreadyRegistered,
}

/// Everything an email about one registration may say. Times are the stage's local times.
#[derive(Debug, Clone)]
pub struct RegistrationMail {
    pub locale: Locale,
    pub attendee_name: String,
    pub edition_name: String,
    pub city: String,
    pub venue_name: String,
    pub venue_address: String,
    pub starts: NaiveDateTime,
    pub ends: NaiveDateTime,
    pub time_zone: String,
    pub status: RegistrationStatus,
    /// Absolute URLs.
    pub stage_url: String,
    pub manage_url: String,
    pub ticket_url: Option<String>,
    /// The signed code for the QR image, when the registration is confirmed.
    pub ticket_code: Option<String>,
}

pub fn registration_email(notice: Notice, to: &Email, mail: &RegistrationMail) -> OutgoingEmail {
    let subject = match (mail.locale, notice) {
        (Locale::Fr, Notice::Confirmed) => format!("Inscription confirmée — {}", mail.city),
        (Locale::En, Notice::Confirmed) => format!("Registration confirmed — {}", mail.city),
        (Locale::Fr, Notice::Waitlisted) => format!("Liste d'attente — {}", mail.city),
        (Locale::En, Notice::Waitlisted) => format!("Waiting list — {}", mail.city),
        (Locale::Fr, Notice::Promoted) => format!("Une place s'est libérée — {}", mail.city),
        (Locale::En, Notice::Promoted) => format!("A seat is yours — {}", mail.city),
        (Locale::Fr, Notice::Cancelled) => format!("Inscription annulée — {}", mail.city),
        (Locale::En, Notice::Cancelled) => format!("Registration cancelled — {}", mail.city),
        (Locale::Fr, Notice::AlreadyRegistered) => format!("Vos liens — {}", mail.city),
        (Locale::En, Notice::AlreadyRegistered) => format!("Your links — {}", mail.city),
    };
    let text = format!("{subject}\n\n{}\n", mail.manage_url);
    OutgoingEmail {
        to: to.as_str().to_owned(),
        to_name: mail.attendee_name.clone(),
        subject,
        html: String::new(),
        text,
        ticket_code: None,
    }
}

/// "Lost my link": every registration of one address, in one email.
pub fn links_email(
    locale: Locale,
    to: &Email,
    registrations: &[RegistrationMail],
) -> OutgoingEmail {
    let subject = match locale {
        Locale::Fr => "Vos inscriptions".to_owned(),
        Locale::En => "Your registrations".to_owned(),
    };
    let text = registrations
        .iter()
        .map(|r| r.manage_url.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    OutgoingEmail {
        to: to.as_str().to_owned(),
        to_name: registrations
            .first()
            .map(|r| r.attendee_name.clone())
            .unwrap_or_default(),
        subject,
        text,
        html: String::new(),
        ticket_code: None,
    }
}
