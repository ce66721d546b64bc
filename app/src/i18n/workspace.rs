//! The organiser workspace's words, French and English: a table of their own, so that the
//! public site's table stays the attendee's vocabulary.

use super::Locale;
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

    /// "12 / 80 confirmées · 3 en attente"
    pub fn seat_counts(self, confirmed: u32, capacity: u32, waiting: u32) -> String {
        match self {
            Locale::Fr => format!("{confirmed} / {capacity} places prises · {waiting} en attente"),
            Locale::En => format!("{confirmed} / {capacity} seats taken · {waiting} waiting"),
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
    session_ended: "Votre session a pris fin : connectez-vous pour continuer.",
    logout: "Se déconnecter",
    logout_everywhere: "Se déconnecter partout",
    logout_everywhere_hint: "Ferme votre session sur tous les appareils, par exemple après avoir utilisé un ordinateur partagé.",
    your_editions: "Vos éditions",
    no_edition_admin: "Aucune édition pour l'instant : créez la première.",
    no_edition_other: "Aucune édition ne vous est encore confiée. Demandez à l'équipe nationale de vous inviter.",
    no_stage_admin: "Aucune étape pour l'instant : ajoutez la première ville.",
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
};
