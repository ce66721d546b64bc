//! The words of each email, in French and English: a plain-text part and an HTML part written
//! from the same blocks, so the two always say the same thing. Pure: no I/O, no clock.
//!
//! Every interpolated value (names, cities, venues, URLs) goes through [`escape_html`] in the
//! HTML part; attendee names and city names are user data. Each sentence is a `match` on the
//! locale, so the compiler refuses a language that lacks one.

use super::{OutgoingEmail, QR_CONTENT_ID};
use crate::domain::registration::{Email, RegistrationStatus};
use crate::domain::StageChanges;
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
    /// The stage's time or place changed (the email gives the new ones).
    StageChanged(StageChanges),
    /// The organisers cancelled the stage.
    StageCancelled,
    /// The stage is tomorrow: the ticket again, and how to give the seat back.
    Reminder,
    /// Registered on a stage that asks for the address to be confirmed: the link to follow
    /// before the seat (or place in line) goes back.
    ConfirmAddress,
}

impl Notice {
    /// How the outbox stores a notice whose email is written when it is sent; `None` for
    /// one that carries more than its kind (a stage change says what changed).
    pub fn code(self) -> Option<&'static str> {
        Some(match self {
            Notice::Confirmed => "confirmed",
            Notice::Waitlisted => "waitlisted",
            Notice::Promoted => "promoted",
            Notice::Cancelled => "cancelled",
            Notice::AlreadyRegistered => "already_registered",
            Notice::StageCancelled => "stage_cancelled",
            Notice::Reminder => "reminder",
            Notice::ConfirmAddress => "confirm_address",
            Notice::StageChanged(_) => return None,
        })
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "confirmed" => Notice::Confirmed,
            "waitlisted" => Notice::Waitlisted,
            "promoted" => Notice::Promoted,
            "cancelled" => Notice::Cancelled,
            "already_registered" => Notice::AlreadyRegistered,
            "stage_cancelled" => Notice::StageCancelled,
            "reminder" => Notice::Reminder,
            "confirm_address" => Notice::ConfirmAddress,
            _ => return None,
        })
    }
}

/// The email for `notice` about registration `registration_id`, to be written when it is sent
/// (`registration_email` then, from the registration as it stands): what the outbox stores
/// meanwhile, its recipient and subject. Writing it at delivery keeps the work, and the bytes,
/// of two bodies and a signed ticket out of the transaction that registers.
pub fn notice_to_write(
    notice: Notice,
    to: &Email,
    to_name: &str,
    locale: Locale,
    city: &str,
    registration_id: &str,
) -> OutgoingEmail {
    OutgoingEmail {
        to: to.as_str().to_owned(),
        to_name: to_name.to_owned(),
        subject: subject(locale, notice, city),
        text: String::new(),
        html: String::new(),
        ticket_code: None,
        to_write: Some(super::ToWrite {
            registration_id: registration_id.to_owned(),
            notice,
        }),
    }
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
    /// The attendee's private calendar feed (`webcal://`), of all their registrations.
    pub feed_url: String,
    pub ticket_url: Option<String>,
    /// The signed code for the QR image, when the registration is confirmed.
    pub ticket_code: Option<String>,
    /// The ticket's short code as people see it (`K7QM-4XPD`), said under the QR image.
    pub short_code: Option<String>,
    /// Why the organisers cancelled the stage, as they wrote it.
    pub cancellation_reason: Option<String>,
    /// While the address is unconfirmed: the link that confirms it, and until when (local
    /// time) the seat is held.
    pub confirm: Option<(String, NaiveDateTime)>,
}

/// The email for one registration event, in the registration's language.
pub fn registration_email(notice: Notice, to: &Email, mail: &RegistrationMail) -> OutgoingEmail {
    let locale = mail.locale;
    let subject = subject(locale, notice, &mail.city);
    let mut body = Body::new(locale);
    body.para(&hello(locale, &mail.attendee_name));
    let place = Place {
        edition: &mail.edition_name,
        city: &mail.city,
    };
    // Confirmations and promotions carry the ticket; a repeated registration does too when it
    // holds a seat. Waiting lists and cancellations never do.
    let with_ticket = match notice {
        Notice::Confirmed | Notice::Promoted | Notice::Reminder => true,
        Notice::AlreadyRegistered => mail.status == RegistrationStatus::Confirmed,
        Notice::Waitlisted
        | Notice::Cancelled
        | Notice::StageChanged(_)
        | Notice::StageCancelled
        | Notice::ConfirmAddress => false,
    };
    match notice {
        Notice::Confirmed => body.para(&confirmed(locale, place)),
        Notice::Waitlisted => {
            body.para(&waitlisted(locale, place));
            body.para(waitlist_rule(locale));
        }
        Notice::Promoted => body.para(&promoted(locale, place)),
        Notice::Cancelled => body.para(&cancelled(locale, place)),
        Notice::AlreadyRegistered => {
            body.para(&already_registered(locale, place));
            body.para(status_sentence(locale, mail.status));
        }
        Notice::StageChanged(changes) => {
            body.para(&stage_changed(locale, place, changes));
            body.para(stage_changed_keeps(locale, mail.status));
        }
        Notice::StageCancelled => {
            body.para(&stage_cancelled(locale, place));
            if let Some(reason) = &mail.cancellation_reason {
                body.facts(&[(reason_label(locale), reason.clone())]);
            }
        }
        Notice::Reminder => body.para(&reminder(locale, place)),
        Notice::ConfirmAddress => body.para(&confirm_address(locale, place, mail.status)),
    }
    if let Some((url, until)) = &mail.confirm {
        body.para(&confirm_before(locale, *until, &mail.time_zone));
        body.link(confirm_label(locale), url);
    }
    body.facts(&when_and_where(locale, mail));
    let ticket_code = if with_ticket {
        ticket_block(&mut body, mail)
    } else {
        None
    };
    if notice == Notice::Promoted {
        body.para(promoted_cancel_hint(locale));
    }
    if notice == Notice::Reminder {
        body.link(free_seat_label(locale), &cancel_url(&mail.manage_url));
    }
    body.link(manage_label(locale, mail.status), &mail.manage_url);
    match notice {
        Notice::Cancelled => body.link(register_again_label(locale), &mail.stage_url),
        Notice::StageCancelled => body.link(stage_label(locale), &mail.stage_url),
        _ => {
            body.link(stage_label(locale), &mail.stage_url);
            body.link(feed_label(locale), &mail.feed_url);
        }
    }
    body.para(signature(locale));
    let (text, html) = body.finish(&subject);
    OutgoingEmail {
        to: to.as_str().to_owned(),
        to_name: mail.attendee_name.clone(),
        subject,
        text,
        html,
        ticket_code,
        to_write: None,
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
    let name = registrations
        .first()
        .map(|r| r.attendee_name.clone())
        .unwrap_or_default();
    let mut body = Body::new(locale);
    body.para(&hello(locale, &name));
    if registrations.is_empty() {
        body.para(match locale {
            Locale::Fr => "Aucune inscription n'est liée à cette adresse.",
            Locale::En => "No registration uses this address.",
        });
    } else {
        body.para(match locale {
            Locale::Fr => "Voici les inscriptions liées à cette adresse, avec leurs liens.",
            Locale::En => "Here are the registrations made with this address, with their links.",
        });
    }
    for registration in registrations {
        body.heading(&format!(
            "{} — {}",
            registration.edition_name, registration.city
        ));
        body.para(status_sentence(locale, registration.status));
        body.facts(&when_and_where(locale, registration));
        if registration.status == RegistrationStatus::Confirmed {
            if let Some(url) = &registration.ticket_url {
                body.link(ticket_label(locale), url);
            }
        }
        body.link(
            manage_label(locale, registration.status),
            &registration.manage_url,
        );
    }
    body.para(match locale {
        Locale::Fr => "Si vous n'avez pas demandé ces liens, vous pouvez ignorer ce message.",
        Locale::En => "If you did not ask for these links, you can ignore this email.",
    });
    body.para(signature(locale));
    let (text, html) = body.finish(&subject);
    OutgoingEmail {
        to: to.as_str().to_owned(),
        to_name: name,
        subject,
        text,
        html,
        ticket_code: None,
        to_write: None,
    }
}

/// An invitation to join an edition's team: who invites, to do what, the link and its end.
/// `what` is already a sentence's end ("l'étape de Lyon de Social Good Week 2027").
pub fn invitation_email(
    locale: Locale,
    to: &str,
    invited_by: &str,
    what: &str,
    url: &str,
    expires_on: chrono::NaiveDate,
) -> OutgoingEmail {
    let subject = match locale {
        Locale::Fr => format!("{invited_by} vous invite à organiser {what}"),
        Locale::En => format!("{invited_by} invites you to organise {what}"),
    };
    let mut body = Body::new(locale);
    body.para(&hello(locale, ""));
    body.para(&match locale {
        Locale::Fr => format!(
            "{invited_by} vous invite à rejoindre l'équipe qui organise {what}, dans l'espace \
             organisateur d'Étape."
        ),
        Locale::En => format!(
            "{invited_by} invites you to join the team organising {what}, in Étape's \
             organiser workspace."
        ),
    });
    body.link(
        match locale {
            Locale::Fr => "Accepter l'invitation",
            Locale::En => "Accept the invitation",
        },
        url,
    );
    body.para(&match locale {
        Locale::Fr => format!(
            "Ce lien est personnel et vaut jusqu'au {}. Si vous ne vous attendiez pas à cette \
             invitation, ignorez ce message.",
            locale.long_date(expires_on)
        ),
        Locale::En => format!(
            "This link is personal and holds until {}. If you did not expect this invitation, \
             ignore this message.",
            locale.long_date(expires_on)
        ),
    });
    body.para(signature(locale));
    let (text, html) = body.finish(&subject);
    OutgoingEmail {
        to: to.to_owned(),
        to_name: String::new(),
        subject,
        text,
        html,
        ticket_code: None,
        to_write: None,
    }
}

/// "Forgot my password": the single-use link, valid for an hour.
pub fn password_reset_email(locale: Locale, to: &str, name: &str, url: &str) -> OutgoingEmail {
    let subject = match locale {
        Locale::Fr => "Choisir un nouveau mot de passe".to_owned(),
        Locale::En => "Choose a new password".to_owned(),
    };
    let mut body = Body::new(locale);
    body.para(&hello(locale, name));
    body.para(match locale {
        Locale::Fr => {
            "Quelqu'un, sans doute vous, a demandé à changer le mot de passe de votre \
                       compte organisateur Étape."
        }
        Locale::En => {
            "Someone, probably you, asked to change the password of your Étape \
                       organiser account."
        }
    });
    body.link(
        match locale {
            Locale::Fr => "Choisir un nouveau mot de passe",
            Locale::En => "Choose a new password",
        },
        url,
    );
    body.para(match locale {
        Locale::Fr => {
            "Ce lien sert une fois et vaut une heure. Si vous n'avez rien demandé, \
                       ignorez ce message\u{a0}: votre mot de passe reste le même."
        }
        Locale::En => {
            "This link works once, for an hour. If you asked for nothing, ignore this \
                       message: your password stays as it is."
        }
    });
    body.para(signature(locale));
    let (text, html) = body.finish(&subject);
    OutgoingEmail {
        to: to.to_owned(),
        to_name: name.to_owned(),
        subject,
        text,
        html,
        ticket_code: None,
        to_write: None,
    }
}

/// Escapes text for HTML element content and double- or single-quoted attribute values.
pub fn escape_html(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The ticket link, and the QR image when there is a code. Returns the code to attach.
fn ticket_block(body: &mut Body, mail: &RegistrationMail) -> Option<String> {
    let locale = body.locale;
    if let Some(url) = &mail.ticket_url {
        body.link(ticket_label(locale), url);
    }
    let code = mail.ticket_code.clone()?;
    body.para(match locale {
        Locale::Fr => "Présentez ce QR code à l'entrée, sur votre téléphone ou imprimé.",
        Locale::En => "Show this QR code at the door, on your phone or on paper.",
    });
    body.qr(match locale {
        Locale::Fr => "QR code de votre billet",
        Locale::En => "Your ticket's QR code",
    });
    if let Some(short_code) = &mail.short_code {
        body.facts(&[(short_code_label(locale), short_code.clone())]);
    }
    Some(code)
}

/// The words before the short code: whoever reads it out at the door knows what it is.
fn short_code_label(locale: Locale) -> &'static str {
    match locale {
        Locale::Fr => "Code du billet (si le QR code ne passe pas)",
        Locale::En => "Ticket code (if the QR code will not scan)",
    }
}

#[derive(Clone, Copy)]
struct Place<'a> {
    edition: &'a str,
    city: &'a str,
}

fn subject(locale: Locale, notice: Notice, city: &str) -> String {
    match (locale, notice) {
        (Locale::Fr, Notice::Confirmed) => format!("Inscription confirmée — {city}"),
        (Locale::En, Notice::Confirmed) => format!("Registration confirmed — {city}"),
        (Locale::Fr, Notice::Waitlisted) => format!("Liste d'attente — {city}"),
        (Locale::En, Notice::Waitlisted) => format!("Waiting list — {city}"),
        (Locale::Fr, Notice::Promoted) => format!("Une place s'est libérée — {city}"),
        (Locale::En, Notice::Promoted) => format!("A seat is yours — {city}"),
        (Locale::Fr, Notice::Cancelled) => format!("Inscription annulée — {city}"),
        (Locale::En, Notice::Cancelled) => format!("Registration cancelled — {city}"),
        (Locale::Fr, Notice::AlreadyRegistered) => format!("Vos liens — {city}"),
        (Locale::En, Notice::AlreadyRegistered) => format!("Your links — {city}"),
        (Locale::Fr, Notice::StageChanged(c)) if c.time && c.place => {
            format!("Nouvel horaire et nouveau lieu — {city}")
        }
        (Locale::En, Notice::StageChanged(c)) if c.time && c.place => {
            format!("New time and place — {city}")
        }
        (Locale::Fr, Notice::StageChanged(c)) if c.time => format!("Nouvel horaire — {city}"),
        (Locale::En, Notice::StageChanged(c)) if c.time => format!("New time — {city}"),
        (Locale::Fr, Notice::StageChanged(_)) => format!("Nouveau lieu — {city}"),
        (Locale::En, Notice::StageChanged(_)) => format!("New place — {city}"),
        (Locale::Fr, Notice::StageCancelled) => format!("Étape annulée — {city}"),
        (Locale::En, Notice::StageCancelled) => format!("Cancelled — {city}"),
        (Locale::Fr, Notice::Reminder) => format!("Rappel\u{a0}: c'est demain — {city}"),
        (Locale::En, Notice::Reminder) => format!("Reminder: it's tomorrow — {city}"),
        (Locale::Fr, Notice::ConfirmAddress) => format!("Confirmez votre adresse — {city}"),
        (Locale::En, Notice::ConfirmAddress) => format!("Confirm your address — {city}"),
    }
}

fn confirm_address(locale: Locale, p: Place, status: RegistrationStatus) -> String {
    let waiting = status == RegistrationStatus::Waitlisted;
    match (locale, waiting) {
        (Locale::Fr, false) => format!(
            "Une place vous est réservée pour l'étape de {} de {}. Pour la garder, confirmez \
             votre adresse e-mail avec le lien ci-dessous.",
            p.city, p.edition
        ),
        (Locale::Fr, true) => format!(
            "L'étape de {} de {} est complète\u{a0}: une place sur la liste d'attente vous est \
             réservée. Pour la garder, confirmez votre adresse e-mail avec le lien ci-dessous.",
            p.city, p.edition
        ),
        (Locale::En, false) => format!(
            "A seat is held for you at {} in {}. To keep it, confirm your email address with \
             the link below.",
            p.edition, p.city
        ),
        (Locale::En, true) => format!(
            "{} in {} is full: a place on the waiting list is held for you. To keep it, confirm \
             your email address with the link below.",
            p.edition, p.city
        ),
    }
}

fn confirm_before(locale: Locale, until: NaiveDateTime, zone: &str) -> String {
    let deadline = locale.deadline(until, zone);
    match locale {
        Locale::Fr => {
            format!("Sans confirmation avant {deadline}, la place ira à quelqu'un d'autre.")
        }
        Locale::En => {
            format!("Without a confirmation by {deadline}, the place goes to someone else.")
        }
    }
}

fn confirm_label(locale: Locale) -> &'static str {
    match locale {
        Locale::Fr => "Confirmer mon adresse",
        Locale::En => "Confirm my address",
    }
}

fn hello(locale: Locale, name: &str) -> String {
    match (locale, name.trim().is_empty()) {
        (Locale::Fr, false) => format!("Bonjour {name},"),
        (Locale::Fr, true) => "Bonjour,".to_owned(),
        (Locale::En, false) => format!("Hello {name},"),
        (Locale::En, true) => "Hello,".to_owned(),
    }
}

fn confirmed(locale: Locale, p: Place) -> String {
    match locale {
        Locale::Fr => format!(
            "Votre inscription à l'étape de {} de {} est confirmée\u{a0}: une place vous attend.",
            p.city, p.edition
        ),
        Locale::En => format!(
            "Your registration for {} in {} is confirmed: a seat is waiting for you.",
            p.edition, p.city
        ),
    }
}

fn waitlisted(locale: Locale, p: Place) -> String {
    match locale {
        Locale::Fr => format!(
            "L'étape de {} de {} est complète\u{a0}: vous êtes sur la liste d'attente.",
            p.city, p.edition
        ),
        Locale::En => format!(
            "{} in {} is full: you are on the waiting list.",
            p.edition, p.city
        ),
    }
}

fn waitlist_rule(locale: Locale) -> &'static str {
    match locale {
        Locale::Fr => {
            "Si une place se libère, elle revient à la première personne de la liste. \
             Quand ce sera votre tour, vous recevrez un e-mail avec votre billet."
        }
        Locale::En => {
            "When a seat frees up, it goes to the first person on the list. When your turn \
             comes, you will get an email with your ticket."
        }
    }
}

fn promoted(locale: Locale, p: Place) -> String {
    match locale {
        Locale::Fr => format!(
            "Bonne nouvelle : une place s'est libérée pour l'étape de {} de {}, et elle est à \
             vous. Votre inscription est confirmée.",
            p.city, p.edition
        ),
        Locale::En => format!(
            "Good news: a seat freed up for {} in {}, and it is yours. Your registration is \
             confirmed.",
            p.edition, p.city
        ),
    }
}

fn reminder(locale: Locale, p: Place) -> String {
    match locale {
        Locale::Fr => format!(
            "C'est demain\u{a0}: l'étape de {} de {} vous attend. Voici votre billet et l'adresse.",
            p.city, p.edition
        ),
        Locale::En => format!(
            "It's tomorrow: {} in {} is expecting you. Here are your ticket and the address.",
            p.edition, p.city
        ),
    }
}

fn free_seat_label(locale: Locale) -> &'static str {
    match locale {
        Locale::Fr => "Vous ne pouvez plus venir\u{a0}? Libérez votre place",
        Locale::En => "Can't come any more? Free your seat",
    }
}

/// The step that asks "cancel this registration?" before cancelling: the "my registration"
/// page's own `/cancel`, so that a click in an email never cancels by itself.
fn cancel_url(manage_url: &str) -> String {
    format!("{}/cancel", manage_url.trim_end_matches('/'))
}

fn promoted_cancel_hint(locale: Locale) -> &'static str {
    match locale {
        Locale::Fr => {
            "Si vous ne pouvez plus venir, annulez votre inscription : la place ira à la \
             personne suivante."
        }
        Locale::En => {
            "If you can no longer come, please cancel: the seat will go to the next person."
        }
    }
}

fn cancelled(locale: Locale, p: Place) -> String {
    match locale {
        Locale::Fr => format!(
            "Votre inscription à l'étape de {} de {} est annulée.",
            p.city, p.edition
        ),
        Locale::En => format!(
            "Your registration for {} in {} is cancelled.",
            p.edition, p.city
        ),
    }
}

fn already_registered(locale: Locale, p: Place) -> String {
    match locale {
        Locale::Fr => format!(
            "Cette adresse est déjà inscrite à l'étape de {} de {}. Voici de nouveau vos liens.",
            p.city, p.edition
        ),
        Locale::En => format!(
            "This address is already registered for {} in {}. Here are your links again.",
            p.edition, p.city
        ),
    }
}

fn stage_changed(locale: Locale, p: Place, changes: StageChanges) -> String {
    let what = match (locale, changes.time, changes.place) {
        (Locale::Fr, true, true) => "d'horaire et de lieu",
        (Locale::Fr, true, false) => "d'horaire",
        (Locale::Fr, false, _) => "de lieu",
        (Locale::En, true, true) => "time and place",
        (Locale::En, true, false) => "time",
        (Locale::En, false, _) => "place",
    };
    match locale {
        Locale::Fr => format!(
            "L'étape de {} de {} change {what}. Voici ce qui vaut désormais.",
            p.city, p.edition
        ),
        Locale::En => format!(
            "{} in {} has a new {what}. Here is what now holds.",
            p.edition, p.city
        ),
    }
}

fn stage_changed_keeps(locale: Locale, status: RegistrationStatus) -> &'static str {
    match (locale, status) {
        (Locale::Fr, RegistrationStatus::Confirmed) => {
            "Votre place et votre billet restent valables\u{a0}; un agenda abonné se met à jour tout seul."
        }
        (Locale::En, RegistrationStatus::Confirmed) => {
            "Your seat and your ticket still hold; a subscribed calendar updates by itself."
        }
        (Locale::Fr, _) => "Votre place sur la liste d'attente reste la même.",
        (Locale::En, _) => "Your place on the waiting list stays the same.",
    }
}

fn stage_cancelled(locale: Locale, p: Place) -> String {
    match locale {
        Locale::Fr => format!(
            "Les organisateurs ont annulé l'étape de {} de {}. Votre inscription et votre \
             billet ne sont plus valables. Nous sommes désolés.",
            p.city, p.edition
        ),
        Locale::En => format!(
            "The organisers have cancelled {} in {}. Your registration and your ticket no \
             longer hold. We are sorry.",
            p.edition, p.city
        ),
    }
}

fn reason_label(locale: Locale) -> &'static str {
    match locale {
        Locale::Fr => "Motif",
        Locale::En => "Reason",
    }
}

fn status_sentence(locale: Locale, status: RegistrationStatus) -> &'static str {
    match (locale, status) {
        (Locale::Fr, RegistrationStatus::Confirmed) => "Votre place est confirmée.",
        (Locale::En, RegistrationStatus::Confirmed) => "Your seat is confirmed.",
        (Locale::Fr, RegistrationStatus::Waitlisted) => "Vous êtes sur la liste d'attente.",
        (Locale::En, RegistrationStatus::Waitlisted) => "You are on the waiting list.",
        (Locale::Fr, RegistrationStatus::Cancelled) => "Cette inscription est annulée.",
        (Locale::En, RegistrationStatus::Cancelled) => "This registration is cancelled.",
    }
}

fn when_and_where(locale: Locale, mail: &RegistrationMail) -> Vec<(&'static str, String)> {
    let (when_label, where_label) = match locale {
        Locale::Fr => ("Quand", "Où"),
        Locale::En => ("When", "Where"),
    };
    vec![
        (
            when_label,
            locale.stage_when(mail.starts, mail.ends, &mail.time_zone),
        ),
        (
            where_label,
            format!("{}, {}", mail.venue_name, mail.venue_address),
        ),
    ]
}

fn ticket_label(locale: Locale) -> &'static str {
    match locale {
        Locale::Fr => "Votre billet",
        Locale::En => "Your ticket",
    }
}

fn manage_label(locale: Locale, status: RegistrationStatus) -> &'static str {
    match (locale, status) {
        (Locale::Fr, RegistrationStatus::Cancelled) => "Mon inscription",
        (Locale::En, RegistrationStatus::Cancelled) => "My registration",
        (Locale::Fr, _) => "Mon inscription (la retrouver ou l'annuler)",
        (Locale::En, _) => "My registration (see or cancel it)",
    }
}

fn stage_label(locale: Locale) -> &'static str {
    match locale {
        Locale::Fr => "Le programme de l'étape",
        Locale::En => "The stage's programme",
    }
}

fn feed_label(locale: Locale) -> &'static str {
    match locale {
        Locale::Fr => "Mes inscriptions dans mon agenda (abonnement personnel)",
        Locale::En => "My registrations in my calendar (a personal subscription)",
    }
}

fn register_again_label(locale: Locale) -> &'static str {
    match locale {
        Locale::Fr => "Vous réinscrire, s'il reste des places",
        Locale::En => "Register again, while seats remain",
    }
}

fn signature(locale: Locale) -> &'static str {
    match locale {
        Locale::Fr => "— L'équipe Étape",
        Locale::En => "— The Étape team",
    }
}

/// The two parts of an email, written block by block.
struct Body {
    locale: Locale,
    text: String,
    html: String,
}

impl Body {
    fn new(locale: Locale) -> Self {
        Body {
            locale,
            text: String::new(),
            html: String::new(),
        }
    }

    fn para(&mut self, sentence: &str) {
        self.text.push_str(sentence);
        self.text.push_str("\n\n");
        self.html
            .push_str(&format!("<p>{}</p>\n", escape_html(sentence)));
    }

    fn heading(&mut self, title: &str) {
        self.text.push_str(&format!("## {title}\n\n"));
        self.html.push_str(&format!(
            "<h2 style=\"font-size:1.1em\">{}</h2>\n",
            escape_html(title)
        ));
    }

    fn facts(&mut self, rows: &[(&str, String)]) {
        let colon = match self.locale {
            Locale::Fr => "\u{a0}:",
            Locale::En => ":",
        };
        let mut html = Vec::with_capacity(rows.len());
        for (label, value) in rows {
            self.text.push_str(&format!("{label}{colon} {value}\n"));
            html.push(format!(
                "<strong>{}{colon}</strong> {}",
                escape_html(label),
                escape_html(value)
            ));
        }
        self.text.push('\n');
        self.html
            .push_str(&format!("<p>{}</p>\n", html.join("<br>\n")));
    }

    fn link(&mut self, label: &str, url: &str) {
        let colon = match self.locale {
            Locale::Fr => "\u{a0}:",
            Locale::En => ":",
        };
        self.text.push_str(&format!("{label}{colon}\n{url}\n\n"));
        self.html.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p>\n",
            escape_html(url),
            escape_html(label)
        ));
    }

    /// The inline QR image; HTML only (the text part has the ticket link).
    fn qr(&mut self, alt: &str) {
        self.html.push_str(&format!(
            "<p><img src=\"cid:{}\" alt=\"{}\" width=\"240\" height=\"240\"></p>\n",
            escape_html(QR_CONTENT_ID),
            escape_html(alt)
        ));
    }

    fn finish(self, subject: &str) -> (String, String) {
        let html = format!(
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <title>{}</title>\n</head>\n\
             <body style=\"font-family:sans-serif;line-height:1.5;max-width:36em\">\n{}</body>\n\
             </html>\n",
            self.locale.code(),
            escape_html(subject),
            self.html
        );
        (self.text.trim_end().to_owned() + "\n", html)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn mail(locale: Locale, status: RegistrationStatus) -> RegistrationMail {
        let day = NaiveDate::from_ymd_opt(2026, 12, 10).unwrap();
        RegistrationMail {
            locale,
            attendee_name: "Camille Martin".to_owned(),
            edition_name: "Social Good Week 2026".to_owned(),
            city: "Lyon".to_owned(),
            venue_name: "La Cordée".to_owned(),
            venue_address: "2 rue d'Italie, 69002 Lyon".to_owned(),
            starts: day.and_hms_opt(18, 30, 0).unwrap(),
            ends: day.and_hms_opt(21, 0, 0).unwrap(),
            time_zone: "Europe/Paris".to_owned(),
            status,
            stage_url: "https://etape.example/sgw-2026/lyon".to_owned(),
            manage_url: "https://etape.example/r/secret-token".to_owned(),
            feed_url: "webcal://etape.example/feeds/attendee/feed-token.ics".to_owned(),
            ticket_url: (status == RegistrationStatus::Confirmed)
                .then(|| "https://etape.example/t/ticket".to_owned()),
            ticket_code: (status == RegistrationStatus::Confirmed).then(|| "CODE.SIG".to_owned()),
            short_code: Some("K7QM-4XPD".to_owned()),
            cancellation_reason: None,
            confirm: None,
        }
    }

    fn to() -> Email {
        Email::parse("camille@example.org").unwrap()
    }

    #[test]
    fn confirmation_in_french_has_subject_date_time_and_every_link() {
        let email = registration_email(
            Notice::Confirmed,
            &to(),
            &mail(Locale::Fr, RegistrationStatus::Confirmed),
        );
        assert_eq!(email.subject, "Inscription confirmée — Lyon");
        assert_eq!(email.to, "camille@example.org");
        assert_eq!(email.to_name, "Camille Martin");
        for part in [&email.text, &email.html] {
            assert!(part.contains("Bonjour Camille Martin"), "{part}");
            assert!(part.contains("jeudi 10 décembre 2026"), "{part}");
            assert!(
                part.contains("18\u{a0}h\u{a0}30 – 21\u{a0}h\u{a0}00 (heure de Paris)"),
                "{part}"
            );
            assert!(
                part.contains("https://etape.example/r/secret-token"),
                "{part}"
            );
            assert!(part.contains("https://etape.example/t/ticket"), "{part}");
            assert!(part.contains("K7QM-4XPD"), "{part}");
        }
        assert!(email.html.contains("<html lang=\"fr\">"));
        assert_eq!(email.ticket_code.as_deref(), Some("CODE.SIG"));
        assert!(email.html.contains(&format!("src=\"cid:{QR_CONTENT_ID}\"")));
    }

    #[test]
    fn confirmation_in_english_uses_english_words_and_times() {
        let email = registration_email(
            Notice::Confirmed,
            &to(),
            &mail(Locale::En, RegistrationStatus::Confirmed),
        );
        assert_eq!(email.subject, "Registration confirmed — Lyon");
        assert!(email.text.contains("Hello Camille Martin"));
        assert!(email.text.contains("18:30 – 21:00"));
        assert!(email.text.contains("18:30 – 21:00 (Paris time)"));
        assert!(email.html.contains("<html lang=\"en\">"));
        assert!(!email.text.contains("Bonjour"));
    }

    #[test]
    fn emails_link_the_personal_calendar_except_a_cancellation() {
        for locale in Locale::ALL {
            let data = mail(locale, RegistrationStatus::Confirmed);
            for notice in [
                Notice::Confirmed,
                Notice::Promoted,
                Notice::AlreadyRegistered,
            ] {
                let email = registration_email(notice, &to(), &data);
                assert!(email.text.contains(&data.feed_url), "{notice:?}");
                assert!(email.html.contains(&format!("href=\"{}\"", data.feed_url)));
            }
            let cancelled = mail(locale, RegistrationStatus::Cancelled);
            let email = registration_email(Notice::Cancelled, &to(), &cancelled);
            assert!(!email.text.contains(&cancelled.feed_url));
        }
    }

    #[test]
    fn waiting_list_email_explains_the_list_and_carries_no_ticket() {
        for locale in Locale::ALL {
            let mut data = mail(locale, RegistrationStatus::Waitlisted);
            // Even if a caller passed ticket data, a waiting list email must not show it.
            data.ticket_url = Some("https://etape.example/t/nope".to_owned());
            data.ticket_code = Some("NOPE".to_owned());
            let email = registration_email(Notice::Waitlisted, &to(), &data);
            assert!(email.ticket_code.is_none());
            assert!(!email.text.contains("/t/nope"));
            assert!(!email.html.contains("cid:"));
            assert!(email.text.contains(&data.manage_url));
            let explains = match locale {
                Locale::Fr => "vous recevrez un e-mail",
                Locale::En => "you will get an email",
            };
            assert!(email.text.contains(explains), "{}", email.text);
        }
        let fr = registration_email(
            Notice::Waitlisted,
            &to(),
            &mail(Locale::Fr, RegistrationStatus::Waitlisted),
        );
        assert_eq!(fr.subject, "Liste d'attente — Lyon");
    }

    #[test]
    fn promotion_carries_the_ticket_link_and_code() {
        let email = registration_email(
            Notice::Promoted,
            &to(),
            &mail(Locale::En, RegistrationStatus::Confirmed),
        );
        assert_eq!(email.subject, "A seat is yours — Lyon");
        assert!(email.text.contains("https://etape.example/t/ticket"));
        assert_eq!(email.ticket_code.as_deref(), Some("CODE.SIG"));
    }

    #[test]
    fn cancellation_links_the_registration_page_but_no_ticket() {
        let mut data = mail(Locale::Fr, RegistrationStatus::Cancelled);
        data.ticket_url = Some("https://etape.example/t/old".to_owned());
        let email = registration_email(Notice::Cancelled, &to(), &data);
        assert_eq!(email.subject, "Inscription annulée — Lyon");
        assert!(email.text.contains(&data.manage_url));
        assert!(!email.text.contains("/t/old"));
        assert!(email.ticket_code.is_none());
        assert!(
            !email.text.contains("K7QM-4XPD"),
            "no short code without a ticket"
        );
    }

    #[test]
    fn repeated_registration_resends_the_ticket_only_when_confirmed() {
        let confirmed = registration_email(
            Notice::AlreadyRegistered,
            &to(),
            &mail(Locale::Fr, RegistrationStatus::Confirmed),
        );
        assert_eq!(confirmed.subject, "Vos liens — Lyon");
        assert!(confirmed.text.contains("https://etape.example/t/ticket"));
        assert!(confirmed
            .text
            .contains("https://etape.example/r/secret-token"));
        assert!(confirmed.ticket_code.is_some());

        let waiting = registration_email(
            Notice::AlreadyRegistered,
            &to(),
            &mail(Locale::Fr, RegistrationStatus::Waitlisted),
        );
        assert!(!waiting.text.contains("/t/"));
        assert!(waiting.text.contains("liste d'attente"));
        assert!(waiting.ticket_code.is_none());
    }

    #[test]
    fn a_script_in_a_name_or_city_is_escaped_in_html() {
        let mut data = mail(Locale::En, RegistrationStatus::Confirmed);
        data.attendee_name = "<script>alert(1)</script>".to_owned();
        data.city = "Lyon\" onload=\"x".to_owned();
        let email = registration_email(Notice::Confirmed, &to(), &data);
        assert!(!email.html.contains("<script>"), "{}", email.html);
        assert!(email.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!email.html.contains("Lyon\" onload"));
        assert!(email.html.contains("Lyon&quot; onload"));
        // The plain-text part is not HTML: it keeps the name as typed.
        assert!(email.text.contains("Hello <script>alert(1)</script>,"));
    }

    #[test]
    fn a_moved_stage_gives_the_new_time_and_keeps_the_seat_without_resending_the_ticket() {
        let changes = StageChanges {
            time: true,
            place: false,
        };
        let email = registration_email(
            Notice::StageChanged(changes),
            &to(),
            &mail(Locale::Fr, RegistrationStatus::Confirmed),
        );
        assert_eq!(email.subject, "Nouvel horaire — Lyon");
        assert!(email.text.contains("change d'horaire"));
        assert!(email.text.contains("18\u{a0}h\u{a0}30"), "{}", email.text);
        assert!(email.text.contains("billet restent valables"));
        assert!(email.ticket_code.is_none());
        let waiting = registration_email(
            Notice::StageChanged(StageChanges {
                time: true,
                place: true,
            }),
            &to(),
            &mail(Locale::En, RegistrationStatus::Waitlisted),
        );
        assert_eq!(waiting.subject, "New time and place — Lyon");
        assert!(waiting.text.contains("waiting list stays the same"));
    }

    #[test]
    fn a_cancelled_stage_says_why_with_the_reason_escaped() {
        let email = registration_email(
            Notice::StageCancelled,
            &to(),
            &RegistrationMail {
                cancellation_reason: Some("Salle <b>inondée</b>".into()),
                confirm: None,
                ..mail(Locale::Fr, RegistrationStatus::Confirmed)
            },
        );
        assert_eq!(email.subject, "Étape annulée — Lyon");
        assert!(email.text.contains("Motif"));
        assert!(email.text.contains("Salle <b>inondée</b>"));
        assert!(email.html.contains("Salle &lt;b&gt;inondée&lt;/b&gt;"));
        assert!(!email.html.contains("<b>inondée"));
        assert!(email.ticket_code.is_none());
        assert!(!email.text.contains("https://etape.example/t/"));
    }

    #[test]
    fn a_reminder_says_tomorrow_carries_the_ticket_and_links_the_cancel_step_in_french() {
        let data = mail(Locale::Fr, RegistrationStatus::Confirmed);
        let email = registration_email(Notice::Reminder, &to(), &data);
        assert_eq!(email.subject, "Rappel\u{a0}: c'est demain — Lyon");
        assert_eq!(email.ticket_code.as_deref(), Some("CODE.SIG"));
        assert!(email.html.contains(&format!("src=\"cid:{QR_CONTENT_ID}\"")));
        for part in [&email.text, &email.html] {
            assert!(part.contains("est demain"), "{part}");
            assert!(part.contains("jeudi 10 décembre 2026"), "{part}");
            assert!(part.contains("La Cordée, 2 rue d"), "{part}");
            assert!(part.contains("https://etape.example/t/ticket"), "{part}");
            assert!(
                part.contains("Vous ne pouvez plus venir\u{a0}? Libérez votre place"),
                "{part}"
            );
        }
        assert!(email
            .text
            .contains("Libérez votre place\u{a0}:\nhttps://etape.example/r/secret-token/cancel\n"));
        assert!(email.html.contains(
            "<a href=\"https://etape.example/r/secret-token/cancel\">Vous ne pouvez plus venir\u{a0}? \
             Libérez votre place</a>"
        ));
    }

    #[test]
    fn a_reminder_in_english_uses_english_words() {
        let data = mail(Locale::En, RegistrationStatus::Confirmed);
        let email = registration_email(Notice::Reminder, &to(), &data);
        assert_eq!(email.subject, "Reminder: it's tomorrow — Lyon");
        assert!(email.text.contains("It's tomorrow"));
        assert!(email.text.contains("18:30 – 21:00"));
        assert!(email.text.contains(
            "Can't come any more? Free your seat:\nhttps://etape.example/r/secret-token/cancel"
        ));
        assert!(!email.text.contains("Libérez"));
        assert_eq!(email.ticket_code.as_deref(), Some("CODE.SIG"));
    }

    #[test]
    fn only_a_reminder_links_the_cancel_step() {
        for notice in [
            Notice::Confirmed,
            Notice::Promoted,
            Notice::AlreadyRegistered,
        ] {
            let email = registration_email(
                notice,
                &to(),
                &mail(Locale::Fr, RegistrationStatus::Confirmed),
            );
            assert!(!email.text.contains("/cancel"), "{notice:?}");
        }
    }

    #[test]
    fn an_invitation_names_who_invites_to_what_and_until_when_escaped() {
        let email = invitation_email(
            Locale::Fr,
            "lea@example.org",
            "Amina <Diallo>",
            "l'étape de Lyon de Social Good Week 2027",
            "https://etape.example/workspace/invitations/TOKEN",
            chrono::NaiveDate::from_ymd_opt(2027, 11, 8).unwrap(),
        );
        assert_eq!(
            email.subject,
            "Amina <Diallo> vous invite à organiser l'étape de Lyon de Social Good Week 2027"
        );
        assert!(email
            .text
            .contains("https://etape.example/workspace/invitations/TOKEN"));
        assert!(email.text.contains("8 novembre 2027"), "{}", email.text);
        assert!(email.html.contains("Amina &lt;Diallo&gt;"));
        assert!(!email.html.contains("<Diallo>"));
    }

    #[test]
    fn escape_html_escapes_the_five_special_characters() {
        assert_eq!(
            escape_html("a & b < c > d \" e ' f"),
            "a &amp; b &lt; c &gt; d &quot; e &#39; f"
        );
    }

    #[test]
    fn links_email_lists_every_registration_with_its_links() {
        let registrations = [
            mail(Locale::Fr, RegistrationStatus::Confirmed),
            RegistrationMail {
                city: "Nantes".to_owned(),
                manage_url: "https://etape.example/r/other".to_owned(),
                feed_url: "webcal://etape.example/feeds/attendee/other.ics".to_owned(),
                ..mail(Locale::Fr, RegistrationStatus::Waitlisted)
            },
        ];
        let email = links_email(Locale::Fr, &to(), &registrations);
        assert_eq!(email.subject, "Vos inscriptions");
        for part in [&email.text, &email.html] {
            assert!(part.contains("https://etape.example/r/secret-token"));
            assert!(part.contains("https://etape.example/r/other"));
            assert!(part.contains("Nantes"));
            // Only the confirmed registration has a ticket.
            assert_eq!(part.matches("https://etape.example/t/").count(), 1);
        }
        assert!(email.ticket_code.is_none());

        let english = links_email(Locale::En, &to(), &registrations);
        assert_eq!(english.subject, "Your registrations");
        assert!(english.text.contains("You are on the waiting list."));
    }

    #[test]
    fn links_email_without_registrations_says_so() {
        let email = links_email(Locale::En, &to(), &[]);
        assert!(email.text.contains("No registration uses this address."));
        assert_eq!(email.to_name, "");
    }
}
