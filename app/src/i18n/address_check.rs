//! The words of confirming one's address, on stages that ask for it: the emailed link's page,
//! and what "my registration" and the ticket say while the seat is only held.

use super::Locale;
use chrono::NaiveDateTime;

impl Locale {
    pub fn address_check(self) -> &'static AddressCheckMessages {
        match self {
            Locale::Fr => &FR,
            Locale::En => &EN,
        }
    }

    /// What "my registration" says while the address is unconfirmed.
    pub fn held_until(self, waiting: bool, until: NaiveDateTime, zone: &str) -> String {
        let deadline = self.deadline(until, zone);
        match (self, waiting) {
            (Locale::Fr, false) => format!(
                "Confirmez votre adresse e-mail avec le lien que nous vous avons envoyé\u{a0}: \
                 votre place est réservée jusqu'à {deadline}, puis elle ira à quelqu'un d'autre."
            ),
            (Locale::Fr, true) => format!(
                "Confirmez votre adresse e-mail avec le lien que nous vous avons envoyé\u{a0}: \
                 votre place sur la liste d'attente est réservée jusqu'à {deadline}."
            ),
            (Locale::En, false) => format!(
                "Confirm your email address with the link we sent you: your seat is held until \
                 {deadline}, then it goes to someone else."
            ),
            (Locale::En, true) => format!(
                "Confirm your email address with the link we sent you: your place on the \
                 waiting list is held until {deadline}."
            ),
        }
    }
}

impl Locale {
    /// What the confirmation page says of the hold, above its button.
    pub fn held_until_on_confirming(
        self,
        waiting: bool,
        until: NaiveDateTime,
        zone: &str,
    ) -> String {
        let deadline = self.deadline(until, zone);
        match (self, waiting) {
            (Locale::Fr, false) => format!("Votre place est réservée jusqu'à {deadline}."),
            (Locale::Fr, true) => {
                format!("Votre place sur la liste d'attente est réservée jusqu'à {deadline}.")
            }
            (Locale::En, false) => format!("Your seat is held until {deadline}."),
            (Locale::En, true) => {
                format!("Your place on the waiting list is held until {deadline}.")
            }
        }
    }
}

pub struct AddressCheckMessages {
    pub title: &'static str,
    pub intro: &'static str,
    pub button: &'static str,
    /// Said on "my registration" after the button.
    pub confirmed: &'static str,
    pub already_confirmed: &'static str,
    pub too_late: &'static str,
    /// On "my registration", once released for want of a confirmation.
    pub released: &'static str,
    pub see_registration: &'static str,
    /// The ticket page, while the seat is only held.
    pub ticket_held: &'static str,
}

static FR: AddressCheckMessages = AddressCheckMessages {
    title: "Confirmer mon inscription",
    intro: "Cette étape demande à chaque personne inscrite de confirmer son adresse e-mail. Un clic, et la place est à vous.",
    button: "Confirmer mon adresse",
    confirmed: "Adresse confirmée\u{a0}: votre inscription est complète.",
    already_confirmed: "Cette adresse est déjà confirmée\u{a0}: rien d'autre à faire.",
    too_late: "Le délai de confirmation est passé\u{a0}: la place réservée a été rendue. Vous pouvez vous inscrire à nouveau depuis la page de l'étape.",
    released: "Votre place a été rendue\u{a0}: l'adresse e-mail n'a pas été confirmée à temps.",
    see_registration: "Voir mon inscription",
    ticket_held: "Votre billet apparaîtra ici dès que vous aurez confirmé votre adresse e-mail avec le lien reçu.",
};

static EN: AddressCheckMessages = AddressCheckMessages {
    title: "Confirm my registration",
    intro: "This stage asks everyone who registers to confirm their email address. One click, and the seat is yours.",
    button: "Confirm my address",
    confirmed: "Address confirmed: your registration is complete.",
    already_confirmed: "This address is already confirmed: nothing else to do.",
    too_late: "The time to confirm has passed: the held seat was given back. You can register again from the stage's page.",
    released: "Your seat was given back: the email address was not confirmed in time.",
    see_registration: "See my registration",
    ticket_held: "Your ticket appears here once you have confirmed your email address with the link you received.",
};
