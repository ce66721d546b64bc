//! The organiser workspace's words, French and English: a table of their own, so that the
//! public site's table stays the attendee's vocabulary.

use super::Locale;
use crate::domain::edition::EditionError;
use crate::domain::edition_form::EditionFieldError;
use crate::domain::slug::SlugError;
use crate::domain::text::TextError;
use crate::domain::OrganisationError;
use crate::domain::{EditionStatus, StageStatus};

impl Locale {
    pub fn workspace(self) -> &'static WorkspaceMessages {
        match self {
            Locale::Fr => &WORKSPACE_FR,
            Locale::En => &WORKSPACE_EN,
        }
    }

    /// "Brouillon" / "Draft"…: a stage's status, said with a word (the badge adds a colour).
    pub fn stage_status(self, status: StageStatus) -> &'static str {
        let w = self.workspace();
        match status {
            StageStatus::Draft => w.status_draft,
            StageStatus::Published => w.status_published,
            StageStatus::Cancelled => w.status_cancelled,
        }
    }

    pub fn edition_status(self, status: EditionStatus) -> &'static str {
        let w = self.workspace();
        match status {
            EditionStatus::Draft => w.status_draft,
            EditionStatus::Published => w.status_published,
        }
    }

    /// "Bonjour, Amina"
    pub fn hello(self, name: &str) -> String {
        match self {
            Locale::Fr => format!("Bonjour, {name}"),
            Locale::En => format!("Hello, {name}"),
        }
    }

    /// "Connecté·e en tant que amina@example.org"
    pub fn signed_in_as(self, email: &str) -> String {
        match self {
            Locale::Fr => format!("Connecté·e avec l'adresse {email}"),
            Locale::En => format!("Logged in as {email}"),
        }
    }

    /// The sentence beside a field of the edition form.
    /// What is wrong with a text field, naming what it asks for ("le nom de l'édition").
    pub fn text_error(self, error: &TextError, what_fr: &str, what_en: &str) -> String {
        let fr = self == Locale::Fr;
        match error {
            TextError::Required if fr => format!("Indiquez {what_fr}."),
            TextError::Required => format!("Enter {what_en}."),
            TextError::TooLong { max } if fr => format!("{max} caractères au plus."),
            TextError::TooLong { max } => format!("At most {max} characters."),
            TextError::ControlCharacter if fr => {
                "Ce texte contient des caractères invisibles\u{a0}: retapez-le.".to_owned()
            }
            TextError::ControlCharacter => {
                "This text contains invisible characters: type it again.".to_owned()
            }
            TextError::InvalidUrl if fr => {
                "Indiquez une adresse web complète, commençant par https://.".to_owned()
            }
            TextError::InvalidUrl => "Enter a full web address starting with https://.".to_owned(),
        }
    }

    pub fn edition_field_error(self, error: &EditionFieldError) -> String {
        let fr = self == Locale::Fr;
        let text = |error: &TextError, what_fr: &str, what_en: &str| {
            self.text_error(error, what_fr, what_en)
        };
        match error {
            EditionFieldError::Edition(EditionError::Name(e)) => {
                text(e, "le nom de l'édition", "the edition's name")
            }
            EditionFieldError::Edition(EditionError::Theme(e)) => {
                text(e, "le thème de l'édition", "the edition's theme")
            }
            EditionFieldError::Edition(EditionError::Description(e)) => {
                text(e, "une description", "a description")
            }
            EditionFieldError::Edition(EditionError::Slug(e)) => self.slug_error(e),
            EditionFieldError::SlugTaken if fr => {
                "Une autre édition a déjà cette adresse\u{a0}: choisissez-en une autre.".to_owned()
            }
            EditionFieldError::SlugTaken => {
                "Another edition already has this address: choose another one.".to_owned()
            }
            EditionFieldError::Edition(EditionError::Number) if fr => {
                "Indiquez le numéro de l'édition\u{a0}: 1 pour la première, 2 pour la deuxième…"
                    .to_owned()
            }
            EditionFieldError::Edition(EditionError::Number) => {
                "Enter the edition's number: 1 for the first, 2 for the second…".to_owned()
            }
            EditionFieldError::Edition(EditionError::EndsBeforeStart) if fr => {
                "Le dernier jour vient après le premier.".to_owned()
            }
            EditionFieldError::Edition(EditionError::EndsBeforeStart) => {
                "The last day comes after the first.".to_owned()
            }
            EditionFieldError::Edition(EditionError::TooLong) if fr => {
                "Une édition dure 31 jours au plus.".to_owned()
            }
            EditionFieldError::Edition(EditionError::TooLong) => {
                "An edition lasts 31 days at most.".to_owned()
            }
            EditionFieldError::StartsOn if fr => {
                "Indiquez le premier jour (par exemple 06/12/2027).".to_owned()
            }
            EditionFieldError::StartsOn => {
                "Enter the first day (for example 12/06/2027).".to_owned()
            }
            EditionFieldError::EndsOn if fr => {
                "Indiquez le dernier jour (par exemple 12/12/2027).".to_owned()
            }
            EditionFieldError::EndsOn => "Enter the last day (for example 12/12/2027).".to_owned(),
            EditionFieldError::Partner(line, error) => {
                let what = match error {
                    OrganisationError::Name(e) => text(e, "son nom", "its name"),
                    OrganisationError::Website(e) | OrganisationError::Logo(e) => {
                        text(e, "une adresse web complète", "a full web address")
                    }
                    OrganisationError::Description(e) => text(e, "sa description", "its description"),
                };
                if fr {
                    format!("Partenaire, ligne {line}\u{a0}: {what}")
                } else {
                    format!("Partner, line {line}: {what}")
                }
            }
            EditionFieldError::StageOutside(city) if fr => format!(
                "L'étape de {city} sortirait de l'édition\u{a0}: changez d'abord sa date, ou gardez des jours qui l'incluent."
            ),
            EditionFieldError::StageOutside(city) => format!(
                "The {city} stage would fall outside the edition: move it first, or keep days that include it."
            ),
        }
    }

    pub(super) fn slug_error(self, error: &SlugError) -> String {
        match (error, self) {
            (SlugError::Empty, Locale::Fr) => {
                "Indiquez l'adresse de la page, par exemple social-good-week-2027.".to_owned()
            }
            (SlugError::Empty, Locale::En) => {
                "Enter the page's address, for example social-good-week-2027.".to_owned()
            }
            (SlugError::TooLong { max }, Locale::Fr) => format!("{max} caractères au plus."),
            (SlugError::TooLong { max }, Locale::En) => format!("At most {max} characters."),
            (SlugError::InvalidCharacters, Locale::Fr) => "Seulement des lettres minuscules sans accent, des chiffres et des tirets simples, par exemple social-good-week-2027.".to_owned(),
            (SlugError::InvalidCharacters, Locale::En) => "Only lowercase letters without accents, digits and single hyphens, for example social-good-week-2027.".to_owned(),
            (SlugError::Reserved(word), Locale::Fr) => {
                format!("« {word} » est réservé par Étape\u{a0}: choisissez une autre adresse.")
            }
            (SlugError::Reserved(word), Locale::En) => {
                format!("\"{word}\" is reserved by Étape: choose another address.")
            }
        }
    }

    /// "« Social Good Week 2027 » est créée, en brouillon : …"
    pub fn edition_created(self, name: &str) -> String {
        match self {
            Locale::Fr => format!("L'édition « {name} » est créée, en brouillon\u{a0}: personne d'autre ne la voit encore."),
            Locale::En => format!("The edition \"{name}\" is created, as a draft: nobody else sees it yet."),
        }
    }

    /// The save button of a stored edition.
    pub fn save_edition(self, name: &str) -> String {
        match self {
            Locale::Fr => format!("Enregistrer « {name} »"),
            Locale::En => format!("Save \"{name}\""),
        }
    }

    /// The button that publishes a draft edition: it says what it does.
    pub fn publish_edition(self, name: &str) -> String {
        match self {
            Locale::Fr => format!("Publier « {name} »"),
            Locale::En => format!("Publish \"{name}\""),
        }
    }

    pub fn publish_stage(self, city: &str) -> String {
        match self {
            Locale::Fr => format!("Publier l'étape de {city}"),
            Locale::En => format!("Publish the {city} stage"),
        }
    }

    pub fn edition_published(self, name: &str) -> String {
        match self {
            Locale::Fr => format!(
                "« {name} » est publiée\u{a0}: sa page et ses étapes publiées sont visibles de tous."
            ),
            Locale::En => {
                format!("\"{name}\" is published: its page and its published stages are public.")
            }
        }
    }

    /// Said once a stage is published; while its edition is a draft, the public waits.
    pub fn stage_published(self, city: &str, edition: EditionStatus) -> String {
        match (self, edition) {
            (Locale::Fr, EditionStatus::Published) => format!("L'étape de {city} est publiée\u{a0}: sa page, son calendrier et ses inscriptions sont ouverts au public."),
            (Locale::Fr, EditionStatus::Draft) => format!("L'étape de {city} est publiée\u{a0}: le public la verra quand l'édition sera publiée."),
            (Locale::En, EditionStatus::Published) => format!("The {city} stage is published: its page, its calendar and its registrations are public."),
            (Locale::En, EditionStatus::Draft) => format!("The {city} stage is published: the public will see it once the edition is published."),
        }
    }

    /// "12 / 80 places prises · 3 en attente", then, while some are only held (a stage that
    /// asks to confirm the address), "· dont 2 adresses à confirmer": `held` counts those
    /// among the seats taken and the waiting, which may still go back.
    pub fn seat_counts(self, confirmed: u32, capacity: u32, waiting: u32, held: u32) -> String {
        let counts = match self {
            Locale::Fr => format!("{confirmed} / {capacity} places prises · {waiting} en attente"),
            Locale::En => format!("{confirmed} / {capacity} seats taken · {waiting} waiting"),
        };
        match (self, held) {
            (_, 0) => counts,
            (Locale::Fr, 1) => format!("{counts} · dont 1 adresse à confirmer"),
            (Locale::Fr, _) => format!("{counts} · dont {held} adresses à confirmer"),
            (Locale::En, 1) => format!("{counts} · 1 address still to confirm"),
            (Locale::En, _) => format!("{counts} · {held} addresses still to confirm"),
        }
    }
}

pub struct WorkspaceMessages {
    pub workspace: &'static str,
    pub login_title: &'static str,
    pub login_intro: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub login_submit: &'static str,
    pub login_failed: &'static str,
    pub login_email_missing: &'static str,
    pub login_password_missing: &'static str,
    pub signed_out_notice: &'static str,
    pub signed_out_everywhere_notice: &'static str,
    pub session_ended: &'static str,
    pub logout: &'static str,
    pub logout_everywhere: &'static str,
    pub logout_everywhere_hint: &'static str,
    pub your_editions: &'static str,
    pub no_edition_admin: &'static str,
    pub no_edition_other: &'static str,
    pub no_stage_admin: &'static str,
    pub no_stage_other: &'static str,
    pub whole_edition: &'static str,
    pub your_stages: &'static str,
    pub city: &'static str,
    pub date: &'static str,
    pub status: &'static str,
    pub registrations: &'static str,
    pub status_draft: &'static str,
    pub status_published: &'static str,
    pub status_cancelled: &'static str,
    pub platform_admin: &'static str,
    pub errors_summary: &'static str,
    pub create_edition: &'static str,
    pub new_edition_title: &'static str,
    pub new_edition_intro: &'static str,
    pub edition_name: &'static str,
    pub edition_name_hint: &'static str,
    pub edition_slug: &'static str,
    pub edition_slug_hint: &'static str,
    pub edition_number: &'static str,
    pub edition_number_hint: &'static str,
    pub edition_starts_on: &'static str,
    pub edition_ends_on: &'static str,
    pub edition_theme: &'static str,
    pub edition_description: &'static str,
    pub edition_description_hint: &'static str,
    pub create_edition_submit: &'static str,
    pub back_to_workspace: &'static str,
    pub actions: &'static str,
    pub publish_edition_hint: &'static str,
    pub saving: &'static str,
    pub edition_slug_fixed: &'static str,
    pub edition_saved: &'static str,
    pub edition_partners: &'static str,
    pub edition_partners_hint: &'static str,
    pub edit_edition: &'static str,
    pub preview_banner: &'static str,
    pub preview_back: &'static str,
    pub preview_form_note: &'static str,
    pub preview_link: &'static str,
}

pub static WORKSPACE_FR: WorkspaceMessages = WorkspaceMessages {
    workspace: "Espace organisateur",
    login_title: "Se connecter à l'espace organisateur",
    login_intro: "Pour les équipes qui organisent une édition ou une étape. Pour vous inscrire à un événement, aucun compte n'est nécessaire.",
    email: "Adresse e-mail",
    password: "Mot de passe",
    login_submit: "Se connecter",
    login_failed: "Adresse e-mail ou mot de passe incorrect.",
    login_email_missing: "Indiquez votre adresse e-mail.",
    login_password_missing: "Indiquez votre mot de passe.",
    signed_out_notice: "Vous êtes déconnecté·e.",
    signed_out_everywhere_notice: "Vous êtes déconnecté·e sur tous vos appareils.",
    session_ended: "Votre session a pris fin\u{a0}: connectez-vous pour continuer.",
    logout: "Se déconnecter",
    logout_everywhere: "Se déconnecter partout",
    logout_everywhere_hint: "Ferme votre session sur tous les appareils, par exemple après avoir utilisé un ordinateur partagé.",
    your_editions: "Vos éditions",
    no_edition_admin: "Aucune édition pour l'instant\u{a0}: créez la première.",
    no_edition_other: "Aucune édition ne vous est encore confiée. Demandez à l'équipe nationale de vous inviter.",
    no_stage_admin: "Aucune étape pour l'instant\u{a0}: ajoutez la première ville.",
    no_stage_other: "Aucune étape de cette édition ne vous est confiée.",
    whole_edition: "Toute l'édition",
    your_stages: "Vos étapes",
    city: "Ville",
    date: "Date",
    status: "Statut",
    registrations: "Inscriptions",
    status_draft: "Brouillon",
    status_published: "Publiée",
    status_cancelled: "Annulée",
    platform_admin: "Administration de la plateforme",
    errors_summary: "Le formulaire contient des erreurs",
    create_edition: "Créer une édition",
    new_edition_title: "Nouvelle édition",
    new_edition_intro: "L'édition est créée en brouillon\u{a0}: vous ajouterez ses étapes, puis la publierez quand elle sera prête.",
    edition_name: "Nom de l'édition",
    edition_name_hint: "Par exemple\u{a0}: Social Good Week 2027",
    edition_slug: "Adresse de la page",
    edition_slug_hint: "Ce qui suit le nom du site dans l'adresse. Laissez vide pour la tirer du nom. Elle ne change plus une fois l'édition publiée.",
    edition_number: "Numéro de l'édition",
    edition_number_hint: "1 pour la première, 2 pour la deuxième…",
    edition_starts_on: "Premier jour",
    edition_ends_on: "Dernier jour",
    edition_theme: "Thème",
    edition_description: "Description (facultatif)",
    edition_description_hint: "Quelques phrases pour présenter l'édition au public.",
    create_edition_submit: "Créer l'édition en brouillon",
    back_to_workspace: "Retour à l'espace organisateur",
    actions: "Actions",
    publish_edition_hint: "Sa page devient publique, avec les étapes déjà publiées. Son adresse ne change plus ensuite.",
    saving: "Envoi en cours…",
    edition_slug_fixed: "Une édition publiée garde son adresse\u{a0}: des liens et des agendas la citent.",
    edition_saved: "L'édition est enregistrée.",
    edition_partners: "Partenaires nationaux (facultatif)",
    edition_partners_hint: "Un par ligne\u{a0}: le nom, puis l'adresse de son site, puis celle de son logo. Par exemple « HelloAsso https://www.helloasso.com https://www.helloasso.com/logo.svg ».",
    edit_edition: "Modifier l'édition",
    preview_banner: "Aperçu\u{a0}: voici la page telle que le public la verra une fois publiée.",
    preview_back: "Revenir à l'étape",
    preview_form_note: "Ici, le formulaire d'inscription (il s'ouvre une fois l'étape publiée, pendant la période d'inscription).",
    preview_link: "Aperçu de la page publique",
};

pub static WORKSPACE_EN: WorkspaceMessages = WorkspaceMessages {
    workspace: "Organiser workspace",
    login_title: "Log in to the organiser workspace",
    login_intro:
        "For the teams who run an edition or a stage. You need no account to register for an event.",
    email: "Email address",
    password: "Password",
    login_submit: "Log in",
    login_failed: "Wrong email address or password.",
    login_email_missing: "Enter your email address.",
    login_password_missing: "Enter your password.",
    signed_out_notice: "You are logged out.",
    signed_out_everywhere_notice: "You are logged out on all your devices.",
    session_ended: "Your session has ended: log in to continue.",
    logout: "Log out",
    logout_everywhere: "Log out everywhere",
    logout_everywhere_hint:
        "Ends your session on every device, for example after using a shared computer.",
    your_editions: "Your editions",
    no_edition_admin: "No edition yet: create the first one.",
    no_edition_other: "No edition has been given to you yet. Ask the national team to invite you.",
    no_stage_admin: "No stage yet: add the first city.",
    no_stage_other: "No stage of this edition has been given to you.",
    whole_edition: "The whole edition",
    your_stages: "Your stages",
    city: "City",
    date: "Date",
    status: "Status",
    registrations: "Registrations",
    status_draft: "Draft",
    status_published: "Published",
    status_cancelled: "Cancelled",
    platform_admin: "Platform administration",
    errors_summary: "The form has errors",
    create_edition: "Create an edition",
    new_edition_title: "New edition",
    new_edition_intro: "The edition is created as a draft: you will add its stages, then publish it when it is ready.",
    edition_name: "Edition name",
    edition_name_hint: "For example: Social Good Week 2027",
    edition_slug: "Page address",
    edition_slug_hint: "What follows the site's name in the address. Leave it empty to make it from the name. It no longer changes once the edition is published.",
    edition_number: "Edition number",
    edition_number_hint: "1 for the first, 2 for the second…",
    edition_starts_on: "First day",
    edition_ends_on: "Last day",
    edition_theme: "Theme",
    edition_description: "Description (optional)",
    edition_description_hint: "A few sentences to introduce the edition to the public.",
    create_edition_submit: "Create the edition as a draft",
    back_to_workspace: "Back to the organiser workspace",
    actions: "Actions",
    publish_edition_hint: "Its page becomes public, with the stages already published. Its address no longer changes after that.",
    saving: "Sending…",
    edition_slug_fixed: "A published edition keeps its address: links and calendars name it.",
    edition_saved: "The edition is saved.",
    edition_partners: "National partners (optional)",
    edition_partners_hint: "One per line: the name, then its website, then its logo's address. For example \"HelloAsso https://www.helloasso.com https://www.helloasso.com/logo.svg\".",
    edit_edition: "Edit the edition",
    preview_banner: "Preview: this is the page as the public will see it once published.",
    preview_back: "Back to the stage",
    preview_form_note: "The registration form goes here (it opens once the stage is published, during its registration window).",
    preview_link: "Preview the public page",
};

#[cfg(test)]
mod tests {
    use super::Locale;

    #[test]
    fn seat_counts_name_the_unconfirmed_addresses_only_when_there_are_some() {
        assert_eq!(
            Locale::Fr.seat_counts(12, 50, 3, 0),
            "12 / 50 places prises · 3 en attente"
        );
        assert_eq!(
            Locale::Fr.seat_counts(12, 50, 3, 1),
            "12 / 50 places prises · 3 en attente · dont 1 adresse à confirmer"
        );
        assert_eq!(
            Locale::En.seat_counts(12, 50, 3, 4),
            "12 / 50 seats taken · 3 waiting · 4 addresses still to confirm"
        );
    }
}
