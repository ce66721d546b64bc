//! The stage form's words, French and English: labels, hints, and a sentence for each mistake.

use super::Locale;
use crate::domain::stage::StageError;
use crate::domain::stage_form::StageFieldError;
use crate::domain::OrganisationError;

impl Locale {
    pub fn stage_form(self) -> &'static StageFormMessages {
        match self {
            Locale::Fr => &STAGE_FORM_FR,
            Locale::En => &STAGE_FORM_EN,
        }
    }

    /// The sentence beside a field of the stage form.
    pub fn stage_field_error(self, error: &StageFieldError) -> String {
        let fr = self == Locale::Fr;
        let say = |fr_text: &str, en_text: &str| if fr { fr_text } else { en_text }.to_owned();
        match error {
            StageFieldError::Stage(error) => match error {
                StageError::Slug(e) => self.slug_error(e),
                StageError::City(e) => self.text_error(e, "la ville", "the city"),
                StageError::Venue(e) => self.text_error(e, "le nom du lieu", "the venue's name"),
                StageError::Address(e) => {
                    self.text_error(e, "l'adresse du lieu", "the venue's address")
                }
                StageError::Coordinates => say(
                    "La latitude va de -90 à 90, la longitude de -180 à 180.",
                    "Latitude goes from -90 to 90, longitude from -180 to 180.",
                ),
                StageError::TimeZone(_) => say(
                    "Choisissez un fuseau horaire de la liste, par exemple Europe/Paris.",
                    "Choose a time zone from the list, for example Europe/Paris.",
                ),
                StageError::NonexistentLocalTime(time) if fr => format!(
                    "{} n'existe pas ce jour-là\u{a0}: on avance l'heure cette nuit-là. Choisissez une autre heure.",
                    self.time(*time)
                ),
                StageError::NonexistentLocalTime(time) => format!(
                    "{} does not exist that day: the clocks go forward that night. Choose another time.",
                    self.time(*time)
                ),
                StageError::EndsBeforeStart => say(
                    "La fin vient après le début.",
                    "The end comes after the start.",
                ),
                StageError::OutsideEdition { from, to } if fr => {
                    format!("L'étape a lieu pendant l'édition, du {from} au {to}.")
                }
                StageError::OutsideEdition { from, to } => {
                    format!("The stage takes place during the edition, {from} to {to}.")
                }
                StageError::Theme(e) => self.text_error(
                    e,
                    "le thème ou la question de l'étape",
                    "the stage's theme or question",
                ),
                StageError::Description(e) => {
                    self.text_error(e, "une description", "a description")
                }
                StageError::Capacity => say(
                    "Indiquez un nombre de places, 0 ou plus.",
                    "Enter a number of seats, 0 or more.",
                ),
                StageError::RegistrationWindow => say(
                    "Les inscriptions ferment après leur ouverture.",
                    "Registrations close after they open.",
                ),
                StageError::RegistrationClosesAfterEnd => say(
                    "Les inscriptions ferment au plus tard à la fin de l'étape.",
                    "Registrations close by the end of the stage at the latest.",
                ),
                StageError::ConfirmEmailMinutes => say(
                    "Le délai de confirmation va de 10 minutes à 10080 minutes (une semaine).",
                    "The time to confirm goes from 10 minutes to 10080 minutes (a week).",
                ),
            },
            StageFieldError::Coordinates => say(
                "Indiquez la latitude et la longitude en degrés (par exemple 45.7431 et 4.8176), ou laissez les deux vides.",
                "Enter latitude and longitude in degrees (for example 45.7431 and 4.8176), or leave both blank.",
            ),
            StageFieldError::Starts => say(
                "Indiquez le jour et l'heure du début.",
                "Enter the day and time it starts.",
            ),
            StageFieldError::Ends => say(
                "Indiquez le jour et l'heure de la fin.",
                "Enter the day and time it ends.",
            ),
            StageFieldError::RegistrationOpens => say(
                "Indiquez un jour et une heure, ou laissez vide.",
                "Enter a day and time, or leave it blank.",
            ),
            StageFieldError::RegistrationCloses => say(
                "Indiquez un jour et une heure, ou laissez vide.",
                "Enter a day and time, or leave it blank.",
            ),
            StageFieldError::Capacity => say(
                "Indiquez un nombre de places en chiffres, par exemple 120.",
                "Enter a number of seats in digits, for example 120.",
            ),
            StageFieldError::ConfirmEmailMinutes => say(
                "Indiquez un nombre de minutes en chiffres, par exemple 60, ou laissez vide.",
                "Enter a number of minutes in digits, for example 60, or leave it blank.",
            ),
            StageFieldError::CoOrganiser(line, error) => {
                let what = match error {
                    OrganisationError::Name(e) => self.text_error(e, "son nom", "its name"),
                    OrganisationError::Website(e)
                    | OrganisationError::Logo(e)
                    | OrganisationError::Description(e) => {
                        self.text_error(e, "son adresse web", "its web address")
                    }
                };
                if fr {
                    format!("Co-organisateur, ligne {line}\u{a0}: {what}")
                } else {
                    format!("Co-organiser, line {line}: {what}")
                }
            }
            StageFieldError::SlugTaken => say(
                "Une autre étape de l'édition a déjà cette adresse\u{a0}: choisissez-en une autre.",
                "Another stage of this edition already has this address: choose another one.",
            ),
        }
    }

    /// Said on the stage's page after saving; `told` registrants got an email.
    pub fn stage_saved(self, city: &str, told: u32) -> String {
        match (self, told) {
            (Locale::Fr, 0) => format!("L'étape de {city} est enregistrée."),
            (Locale::Fr, 1) => format!(
                "L'étape de {city} est enregistrée. La personne inscrite a reçu un e-mail avec les nouvelles informations."
            ),
            (Locale::Fr, n) => format!(
                "L'étape de {city} est enregistrée. Les {n} personnes inscrites ont reçu un e-mail avec les nouvelles informations."
            ),
            (Locale::En, 0) => format!("The {city} stage is saved."),
            (Locale::En, 1) => format!(
                "The {city} stage is saved. The one registrant got an email with the new details."
            ),
            (Locale::En, n) => format!(
                "The {city} stage is saved. Its {n} registrants got an email with the new details."
            ),
        }
    }

    /// The save button of an existing stage.
    pub fn save_stage(self, city: &str) -> String {
        match self {
            Locale::Fr => format!("Enregistrer l'étape de {city}"),
            Locale::En => format!("Save the {city} stage"),
        }
    }

    /// What saving a new time or place of a public stage will do.
    pub fn registrants_will_hear(self, registrants: u32) -> String {
        match (self, registrants) {
            (Locale::Fr, 0) => "Personne n'est encore inscrit.".to_owned(),
            (Locale::Fr, 1) => "Si vous changez l'horaire ou le lieu, la personne inscrite recevra un e-mail et les agendas abonnés se mettront à jour.".to_owned(),
            (Locale::Fr, n) => format!("Si vous changez l'horaire ou le lieu, les {n} personnes inscrites recevront un e-mail et les agendas abonnés se mettront à jour."),
            (Locale::En, 0) => "Nobody has registered yet.".to_owned(),
            (Locale::En, 1) => "If you change the time or the place, the one registrant will get an email and subscribed calendars will update.".to_owned(),
            (Locale::En, n) => format!("If you change the time or the place, its {n} registrants will get an email and subscribed calendars will update."),
        }
    }

    /// The button that cancels a stage: it says what it does, and to how many.
    pub fn cancel_stage_button(self, city: &str, registrants: u32) -> String {
        match (self, registrants) {
            (Locale::Fr, 0) => format!("Annuler l'étape de {city}"),
            (Locale::Fr, 1) => {
                format!("Annuler l'étape de {city} et prévenir la personne inscrite")
            }
            (Locale::Fr, n) => {
                format!("Annuler l'étape de {city} et prévenir les {n} personnes inscrites")
            }
            (Locale::En, 0) => format!("Cancel the {city} stage"),
            (Locale::En, 1) => format!("Cancel the {city} stage and tell its registrant"),
            (Locale::En, n) => format!("Cancel the {city} stage and tell its {n} registrants"),
        }
    }

    pub fn stage_cancelled_receipt(self, city: &str, told: u32) -> String {
        match self {
            Locale::Fr => {
                format!("L'étape de {city} est annulée. {told} personne(s) prévenue(s) par e-mail.")
            }
            Locale::En => {
                format!("The {city} stage is cancelled. {told} registrant(s) told by email.")
            }
        }
    }

    pub fn stage_created(self, city: &str) -> String {
        match self {
            Locale::Fr => format!("L'étape de {city} est créée, en brouillon\u{a0}: ajoutez son programme, puis publiez-la."),
            Locale::En => format!("The {city} stage is created, as a draft: add its programme, then publish it."),
        }
    }
}

pub struct StageFormMessages {
    pub new_stage: &'static str,
    pub new_stage_intro: &'static str,
    pub add_stage: &'static str,
    pub create_stage_submit: &'static str,
    pub edit_stage: &'static str,
    pub place_legend: &'static str,
    pub time_legend: &'static str,
    pub content_legend: &'static str,
    pub registrations_legend: &'static str,
    pub city: &'static str,
    pub slug: &'static str,
    pub slug_hint: &'static str,
    pub slug_fixed: &'static str,
    pub venue_name: &'static str,
    pub venue_address: &'static str,
    pub latitude: &'static str,
    pub longitude: &'static str,
    pub coordinates_hint: &'static str,
    pub check_on_map: &'static str,
    pub time_zone: &'static str,
    pub time_zone_hint: &'static str,
    pub starts: &'static str,
    pub ends: &'static str,
    pub local_time_hint: &'static str,
    pub theme: &'static str,
    pub theme_hint: &'static str,
    pub description: &'static str,
    pub description_hint: &'static str,
    pub capacity: &'static str,
    pub capacity_hint: &'static str,
    pub confirm_email_minutes: &'static str,
    pub confirm_email_minutes_hint: &'static str,
    pub registration_opens: &'static str,
    pub registration_opens_hint: &'static str,
    pub registration_closes: &'static str,
    pub registration_closes_hint: &'static str,
    pub co_organisers: &'static str,
    pub co_organisers_hint: &'static str,
    pub see_public_page: &'static str,
    pub cancel_stage: &'static str,
    pub cancel_stage_intro: &'static str,
    pub cancel_reason: &'static str,
    pub cancel_reason_hint: &'static str,
    pub cancel_consequences: &'static str,
    pub keep_stage: &'static str,
    pub cancelled_note: &'static str,
}

pub static STAGE_FORM_FR: StageFormMessages = StageFormMessages {
    new_stage: "Nouvelle étape",
    new_stage_intro: "Une ville, un lieu, un soir. L'étape reste en brouillon, visible de votre équipe seulement, jusqu'à ce que vous la publiiez.",
    add_stage: "Ajouter une étape",
    create_stage_submit: "Créer l'étape en brouillon",
    edit_stage: "Modifier l'étape",
    place_legend: "Le lieu",
    time_legend: "La date et l'heure",
    content_legend: "Le contenu",
    registrations_legend: "Les inscriptions",
    city: "Ville",
    slug: "Adresse de la page",
    slug_hint: "La fin de l'adresse web de l'étape. Laissez vide pour la faire à partir de la ville.",
    slug_fixed: "Une étape publiée garde son adresse\u{a0}: des liens, des billets et des agendas la citent.",
    venue_name: "Nom du lieu",
    venue_address: "Adresse du lieu",
    latitude: "Latitude (facultatif)",
    longitude: "Longitude (facultatif)",
    coordinates_hint: "En degrés, pour placer l'étape sur la carte et dans les agendas. Par exemple 45.7431 et 4.8176.",
    check_on_map: "Vérifier sur la carte",
    time_zone: "Fuseau horaire",
    time_zone_hint: "Tapez pour chercher, par exemple Paris ou Montreal. Les heures ci-dessous sont celles de ce fuseau.",
    starts: "Début",
    ends: "Fin",
    local_time_hint: "À l'heure locale de l'étape.",
    theme: "Thème ou question de l'étape",
    theme_hint: "Une phrase, par exemple « Le numérique, pour qui\u{a0}? ».",
    description: "Description (facultatif)",
    description_hint: "Ce que le public va vivre, en quelques paragraphes.",
    capacity: "Nombre de places",
    capacity_hint: "Au-delà, les inscriptions vont sur la liste d'attente. Augmenter le nombre de places donne les places libres à la liste d'attente.",
    confirm_email_minutes: "Confirmation de l'adresse e-mail (en minutes, facultatif)",
    confirm_email_minutes_hint: "Contre les fausses inscriptions\u{a0}: chaque personne reçoit un lien à suivre dans ce délai (de 10 à 10080 minutes), sinon sa place est rendue. Vide\u{a0}: pas de confirmation demandée.",
    registration_opens: "Ouverture des inscriptions (facultatif)",
    registration_opens_hint: "Vide\u{a0}: dès maintenant (dès la publication).",
    registration_closes: "Clôture des inscriptions (facultatif)",
    registration_closes_hint: "Vide\u{a0}: au début de l'étape.",
    co_organisers: "Co-organisateurs (facultatif)",
    co_organisers_hint: "Un par ligne\u{a0}: le nom, puis s'il y en a une, l'adresse du site. Par exemple « Les Interconnectés https://www.interconnectes.com ».",
    see_public_page: "Voir la page publique",
    cancel_stage: "Annuler l'étape",
    cancel_stage_intro: "Annuler est définitif.",
    cancel_reason: "Motif de l'annulation",
    cancel_reason_hint: "Une ou deux phrases, lues par chaque personne inscrite et sur la page de l'étape.",
    cancel_consequences: "Chaque personne inscrite recevra un e-mail avec ce motif. Les billets ne seront plus valables. La page et les agendas afficheront l'étape comme annulée.",
    keep_stage: "Ne pas annuler",
    cancelled_note: "Cette étape est annulée. Sa page publique le dit, avec le motif.",
};

pub static STAGE_FORM_EN: StageFormMessages = StageFormMessages {
    new_stage: "New stage",
    new_stage_intro: "One city, one venue, one evening. The stage stays a draft, seen only by your team, until you publish it.",
    add_stage: "Add a stage",
    create_stage_submit: "Create the stage as a draft",
    edit_stage: "Edit the stage",
    place_legend: "The place",
    time_legend: "Date and time",
    content_legend: "The content",
    registrations_legend: "Registrations",
    city: "City",
    slug: "Page address",
    slug_hint: "The end of the stage's web address. Leave blank to make it from the city.",
    slug_fixed: "A published stage keeps its address: links, tickets and calendars name it.",
    venue_name: "Venue name",
    venue_address: "Venue address",
    latitude: "Latitude (optional)",
    longitude: "Longitude (optional)",
    coordinates_hint: "In degrees, to put the stage on the map and in calendars. For example 45.7431 and 4.8176.",
    check_on_map: "Check on the map",
    time_zone: "Time zone",
    time_zone_hint: "Type to search, for example Paris or Montreal. The times below are in this zone.",
    starts: "Starts",
    ends: "Ends",
    local_time_hint: "In the stage's local time.",
    theme: "The stage's theme or question",
    theme_hint: "One sentence, for example \"Digital, for whom?\".",
    description: "Description (optional)",
    description_hint: "What the audience will experience, in a few paragraphs.",
    capacity: "Seats",
    capacity_hint: "Beyond them, registrations go on the waiting list. Raising the number gives the free seats to the waiting list.",
    confirm_email_minutes: "Email address confirmation (in minutes, optional)",
    confirm_email_minutes_hint: "Against fake sign-ups: each person gets a link to follow within this time (10 to 10080 minutes), or their seat goes back. Blank: no confirmation asked.",
    registration_opens: "Registrations open (optional)",
    registration_opens_hint: "Blank: right away (once published).",
    registration_closes: "Registrations close (optional)",
    registration_closes_hint: "Blank: when the stage starts.",
    co_organisers: "Co-organisers (optional)",
    co_organisers_hint: "One per line: the name, then its website if it has one. For example \"Les Interconnectés https://www.interconnectes.com\".",
    see_public_page: "See the public page",
    cancel_stage: "Cancel the stage",
    cancel_stage_intro: "Cancelling cannot be undone.",
    cancel_reason: "Why it is cancelled",
    cancel_reason_hint: "One or two sentences, read by every registrant and on the stage's page.",
    cancel_consequences: "Every registrant will get an email with this reason. Tickets will no longer admit. The page and calendars will show the stage as cancelled.",
    keep_stage: "Do not cancel",
    cancelled_note: "This stage is cancelled. Its public page says so, with the reason.",
};
