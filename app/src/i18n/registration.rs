//! Sentences about registering that depend on what went wrong: one per field error and refusal.

use super::Locale;
use crate::domain::registration::{
    Availability, EmailError, FieldError, RegistrationRefused, RegistrationStatus,
};
use crate::domain::text::TextError;
use chrono::NaiveDateTime;

impl Locale {
    /// The message shown beside a field.
    pub fn field_error(self, error: &FieldError) -> String {
        match error {
            FieldError::Name(TextError::Required) => {
                match self {
                    Locale::Fr => "Indiquez votre nom.",
                    Locale::En => "Enter your name.",
                }
                .to_owned()
            }
            FieldError::Email(EmailError::Missing) => match self {
                Locale::Fr => "Indiquez votre adresse e-mail.",
                Locale::En => "Enter your email address.",
            }
            .to_owned(),
            FieldError::Email(EmailError::Invalid) => match self {
                Locale::Fr => "Cette adresse e-mail n'est pas valide (par exemple\u{a0}: prenom@exemple.fr).",
                Locale::En => "This is not a valid email address (for example: name@example.org).",
            }
            .to_owned(),
            FieldError::Email(EmailError::TooLong) => self.too_long(254),
            FieldError::Name(TextError::TooLong { max })
            | FieldError::Organisation(TextError::TooLong { max }) => self.too_long(*max),
            FieldError::Name(TextError::ControlCharacter)
            | FieldError::Organisation(TextError::ControlCharacter) => match self {
                Locale::Fr => "Ce texte contient des caractères invisibles\u{a0}: retapez-le.",
                Locale::En => "This text contains invisible characters: type it again.",
            }
            .to_owned(),
            FieldError::Name(_) | FieldError::Organisation(_) => match self {
                Locale::Fr => "Ce texte n'est pas accepté.",
                Locale::En => "This text is not accepted.",
            }
            .to_owned(),
            FieldError::ConsentMissing => match self {
                Locale::Fr => "Cochez la case pour accepter l'usage de vos données\u{a0}: sans elles, nous ne pouvons pas vous inscrire.",
                Locale::En => "Tick the box to accept the use of your data: without it we cannot register you.",
            }
            .to_owned(),
        }
    }

    fn too_long(self, max: usize) -> String {
        match self {
            Locale::Fr => format!("{max} caractères au plus."),
            Locale::En => format!("At most {max} characters."),
        }
    }

    /// Why registering is not possible now. For "not yet open", `opens_local` is the opening
    /// time already on the stage's clock and `time_zone` the name of that zone: converting is
    /// the server's job (`AppError::refused`), so the browser client needs no time-zone database.
    pub fn refusal(
        self,
        refused: &RegistrationRefused,
        opens_local: Option<NaiveDateTime>,
        time_zone: &str,
    ) -> String {
        match refused {
            RegistrationRefused::NotPublished => match self {
                Locale::Fr => {
                    "Cette étape n'est pas publiée\u{a0}: on ne peut pas encore s'y inscrire."
                }
                Locale::En => "This stage is not published: registrations are not possible yet.",
            }
            .to_owned(),
            RegistrationRefused::StageCancelled => match self {
                Locale::Fr => "Cette étape est annulée\u{a0}: les inscriptions sont fermées.",
                Locale::En => "This stage is cancelled: registrations are closed.",
            }
            .to_owned(),
            RegistrationRefused::Closed => match self {
                Locale::Fr => "Les inscriptions à cette étape sont closes.",
                Locale::En => "Registrations for this stage are closed.",
            }
            .to_owned(),
            RegistrationRefused::NotYetOpen { opens_at } => {
                // Without a converted time (never from our server), say it in UTC, truthfully.
                let (local, time_zone) = match opens_local {
                    Some(local) => (local, self.zone_place(time_zone)),
                    None => (opens_at.naive_utc(), "UTC".to_owned()),
                };
                let (date, time) = (self.long_date(local.date()), self.time(local));
                match self {
                    Locale::Fr => {
                        format!("Les inscriptions ouvriront le {date} à {time} ({time_zone}).")
                    }
                    Locale::En => format!("Registrations open on {date} at {time} ({time_zone})."),
                }
            }
        }
    }

    /// Where registrations for a stage stand, in a few words for its card and page.
    /// `opens_local`: when registrations open, on the stage's clock.
    pub fn availability(self, availability: &Availability, opens_local: NaiveDateTime) -> String {
        match (self, availability) {
            (Locale::Fr, Availability::Open { .. }) => "Inscriptions ouvertes".to_owned(),
            (Locale::En, Availability::Open { .. }) => "Registrations open".to_owned(),
            (Locale::Fr, Availability::FewSeatsLeft { seats_left: 1 }) => {
                "Plus qu'une place".to_owned()
            }
            (Locale::Fr, Availability::FewSeatsLeft { seats_left }) => {
                format!("Plus que {seats_left}\u{a0}places")
            }
            (Locale::En, Availability::FewSeatsLeft { seats_left: 1 }) => {
                "Only 1\u{a0}seat left".to_owned()
            }
            (Locale::En, Availability::FewSeatsLeft { seats_left }) => {
                format!("Only {seats_left}\u{a0}seats left")
            }
            (Locale::Fr, Availability::Full { waiting: 0 }) => {
                "Complet · liste d'attente".to_owned()
            }
            (Locale::Fr, Availability::Full { waiting: 1 }) => {
                "Complet · liste d'attente (1\u{a0}personne)".to_owned()
            }
            (Locale::Fr, Availability::Full { waiting }) => {
                format!("Complet · liste d'attente ({waiting}\u{a0}personnes)")
            }
            (Locale::En, Availability::Full { waiting: 0 }) => "Full · waiting list".to_owned(),
            (Locale::En, Availability::Full { waiting: 1 }) => {
                "Full · waiting list (1\u{a0}person)".to_owned()
            }
            (Locale::En, Availability::Full { waiting }) => {
                format!("Full · waiting list ({waiting}\u{a0}people)")
            }
            (_, Availability::Refused(RegistrationRefused::NotYetOpen { .. })) => {
                let date = self.short_date(opens_local.date());
                let time = self.time(opens_local);
                match self {
                    Locale::Fr => {
                        format!("Inscriptions pas encore ouvertes · dès le {date} à {time}")
                    }
                    Locale::En => format!("Registrations not open yet · from {date} at {time}"),
                }
            }
            (Locale::Fr, Availability::Refused(RegistrationRefused::Closed)) => {
                "Inscriptions fermées".to_owned()
            }
            (Locale::En, Availability::Refused(RegistrationRefused::Closed)) => {
                "Registrations closed".to_owned()
            }
            (Locale::Fr, Availability::Refused(RegistrationRefused::StageCancelled)) => {
                "Étape annulée".to_owned()
            }
            (Locale::En, Availability::Refused(RegistrationRefused::StageCancelled)) => {
                "Stage cancelled".to_owned()
            }
            (Locale::Fr, Availability::Refused(RegistrationRefused::NotPublished)) => {
                "Pas encore publiée".to_owned()
            }
            (Locale::En, Availability::Refused(RegistrationRefused::NotPublished)) => {
                "Not published yet".to_owned()
            }
        }
    }

    /// Above a full stage's form: what sending it will do.
    pub fn joins_waiting_list(self, waiting: u32) -> String {
        match (self, waiting) {
            (Locale::Fr, 0) => "Complet\u{a0}: en vous inscrivant, vous serez le premier ou la première sur la liste d'attente. Si une place se libère, elle est à vous et vous recevez un e-mail.".to_owned(),
            (Locale::Fr, n) => format!("Complet\u{a0}: en vous inscrivant, vous rejoignez la liste d'attente derrière {n}\u{a0}personne{}. Si une place se libère pour vous, vous recevez un e-mail.", if n > 1 { "s" } else { "" }),
            (Locale::En, 0) => "Full: registering puts you first on the waiting list. If a seat frees up, it is yours and you get an email.".to_owned(),
            (Locale::En, n) => format!("Full: registering puts you on the waiting list behind {n}\u{a0}{}. If a seat frees up for you, you get an email.", if n > 1 { "people" } else { "person" }),
        }
    }

    pub fn status(self, status: RegistrationStatus) -> &'static str {
        let m = self.messages();
        match status {
            RegistrationStatus::Confirmed => m.status_confirmed,
            RegistrationStatus::Waitlisted => m.status_waitlisted,
            RegistrationStatus::Cancelled => m.status_cancelled,
        }
    }

    pub fn waiting_position(self, position: u32) -> String {
        match (self, position) {
            (Locale::Fr, 1) => {
                "Vous êtes le premier ou la première sur la liste d'attente.".to_owned()
            }
            (Locale::Fr, n) => format!("Vous êtes en position {n} sur la liste d'attente."),
            (Locale::En, n) => format!("You are number {n} on the waiting list."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone, Utc};

    #[test]
    fn each_field_error_reads_in_the_page_language() {
        let error = FieldError::Email(EmailError::Invalid);
        assert!(Locale::Fr.field_error(&error).contains("n'est pas valide"));
        assert!(Locale::En.field_error(&error).contains("not a valid email"));
        assert_eq!(
            Locale::En.field_error(&FieldError::Name(TextError::TooLong { max: 120 })),
            "At most 120 characters."
        );
    }

    #[test]
    fn an_opening_time_is_given_in_the_stage_time_zone() {
        let refused = RegistrationRefused::NotYetOpen {
            opens_at: Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap(),
        };
        // The server converts 08:00 UTC to the stage's clock; the sentence only reads it.
        let opens_local = NaiveDate::from_ymd_opt(2026, 12, 1)
            .and_then(|day| day.and_hms_opt(9, 0, 0))
            .unwrap();
        assert_eq!(
            Locale::Fr.refusal(&refused, Some(opens_local), "Europe/Paris"),
            "Les inscriptions ouvriront le mardi 1er décembre 2026 à 9\u{a0}h\u{a0}00 (heure de Paris)."
        );
        assert_eq!(
            Locale::En.refusal(&refused, None, "Europe/Paris"),
            "Registrations open on Tuesday 1 December 2026 at 08:00 (UTC)."
        );
    }

    #[test]
    fn a_stage_says_how_full_it_is_in_each_language() {
        let opens = NaiveDate::from_ymd_opt(2026, 12, 1)
            .and_then(|day| day.and_hms_opt(9, 0, 0))
            .unwrap();
        let few = Availability::FewSeatsLeft { seats_left: 4 };
        assert_eq!(
            Locale::Fr.availability(&few, opens),
            "Plus que 4\u{a0}places"
        );
        assert_eq!(
            Locale::En.availability(&few, opens),
            "Only 4\u{a0}seats left"
        );
        let full = Availability::Full { waiting: 12 };
        assert_eq!(
            Locale::Fr.availability(&full, opens),
            "Complet · liste d'attente (12\u{a0}personnes)"
        );
        let soon = Availability::Refused(RegistrationRefused::NotYetOpen {
            opens_at: Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap(),
        });
        assert!(Locale::Fr
            .availability(&soon, opens)
            .contains("dès le 1er décembre à 9"));
    }
}
