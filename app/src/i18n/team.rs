//! The team page's, the invitation page's and the password pages' words, French and English.

use super::Locale;
use crate::domain::account::PasswordError;
use crate::domain::registration::EmailError;

impl Locale {
    pub fn team(self) -> &'static TeamMessages {
        match self {
            Locale::Fr => &TEAM_FR,
            Locale::En => &TEAM_EN,
        }
    }

    pub fn password(self) -> &'static PasswordMessages {
        match self {
            Locale::Fr => &PASSWORD_FR,
            Locale::En => &PASSWORD_EN,
        }
    }

    pub fn team_of(self, edition: &str) -> String {
        match self {
            Locale::Fr => format!("L'équipe de {edition}"),
            Locale::En => format!("The team of {edition}"),
        }
    }

    /// What a role is, said to people: the national team, or a stage's.
    pub fn role_label(self, stage_city: Option<&str>) -> String {
        match (self, stage_city) {
            (Locale::Fr, None) => "Équipe nationale (toute l'édition)".to_owned(),
            (Locale::En, None) => "National team (the whole edition)".to_owned(),
            (Locale::Fr, Some(city)) => format!("Organisation de l'étape de {city}"),
            (Locale::En, Some(city)) => format!("Organising the {city} stage"),
        }
    }

    pub fn invitation_until(self, date: chrono::NaiveDate) -> String {
        match self {
            Locale::Fr => format!("valable jusqu'au {}", self.long_date(date)),
            Locale::En => format!("valid until {}", self.long_date(date)),
        }
    }

    pub fn remove_member(self, name: &str) -> String {
        match self {
            Locale::Fr => format!("Retirer {name} de ce rôle"),
            Locale::En => format!("Remove {name} from this role"),
        }
    }

    /// The button with which a person leaves one of their roles.
    pub fn leave_role(self, stage_city: Option<&str>) -> String {
        match (self, stage_city) {
            (Locale::Fr, None) => "Quitter l'équipe nationale".to_owned(),
            (Locale::En, None) => "Leave the national team".to_owned(),
            (Locale::Fr, Some(city)) => format!("Quitter l'équipe de {city}"),
            (Locale::En, Some(city)) => format!("Leave the {city} team"),
        }
    }

    pub fn withdraw_invitation(self, email: &str) -> String {
        match self {
            Locale::Fr => format!("Retirer l'invitation de {email}"),
            Locale::En => format!("Withdraw the invitation to {email}"),
        }
    }

    pub fn invited_by_to(self, invited_by: &str, edition: &str, city: Option<&str>) -> String {
        match (self, city) {
            (Locale::Fr, Some(city)) => {
                format!("{invited_by} vous invite à organiser l'étape de {city} de {edition}.")
            }
            (Locale::En, Some(city)) => {
                format!("{invited_by} invites you to organise the {city} stage of {edition}.")
            }
            (Locale::Fr, None) => {
                format!("{invited_by} vous invite dans l'équipe nationale de {edition}.")
            }
            (Locale::En, None) => {
                format!("{invited_by} invites you to the national team of {edition}.")
            }
        }
    }

    pub fn join_as(self, email: &str) -> String {
        match self {
            Locale::Fr => format!("Rejoindre l'équipe avec mon compte ({email})"),
            Locale::En => format!("Join the team with my account ({email})"),
        }
    }

    pub fn account_exists_log_in(self, email: &str) -> String {
        match self {
            Locale::Fr => format!("Un compte existe déjà pour {email}\u{a0}: connectez-vous, puis rouvrez le lien de l'invitation."),
            Locale::En => format!("An account already exists for {email}: log in, then open the invitation's link again."),
        }
    }

    pub fn invite_email_error(self, error: EmailError) -> String {
        match (self, error) {
            (Locale::Fr, EmailError::Missing) => {
                "Indiquez l'adresse e-mail de la personne.".to_owned()
            }
            (Locale::En, EmailError::Missing) => "Enter the person's email address.".to_owned(),
            (Locale::Fr, EmailError::Invalid) => {
                "Cette adresse e-mail n'est pas valide (par exemple\u{a0}: prenom@exemple.fr)."
                    .to_owned()
            }
            (Locale::En, EmailError::Invalid) => {
                "This is not a valid email address (for example: name@example.org).".to_owned()
            }
            (Locale::Fr, EmailError::TooLong) => "254 caractères au plus.".to_owned(),
            (Locale::En, EmailError::TooLong) => "At most 254 characters.".to_owned(),
        }
    }

    pub fn password_error(self, error: PasswordError) -> String {
        match (self, error) {
            (Locale::Fr, PasswordError::TooShort) => "Au moins 12 caractères\u{a0}: une phrase de plusieurs mots est plus sûre et plus facile à retenir.".to_owned(),
            (Locale::En, PasswordError::TooShort) => "At least 12 characters: a sentence of several words is safer and easier to remember.".to_owned(),
            (Locale::Fr, PasswordError::TooLong) => "256 caractères au plus.".to_owned(),
            (Locale::En, PasswordError::TooLong) => "At most 256 characters.".to_owned(),
        }
    }
}

pub struct TeamMessages {
    pub team: &'static str,
    pub members: &'static str,
    pub no_member: &'static str,
    pub pending: &'static str,
    pub expired: &'static str,
    pub invite: &'static str,
    pub invite_intro: &'static str,
    pub email: &'static str,
    pub role: &'static str,
    pub send_invitation: &'static str,
    pub invited: &'static str,
    pub withdrawn: &'static str,
    pub removed: &'static str,
    pub invited_by: &'static str,
    pub join_title: &'static str,
    pub your_name: &'static str,
    pub choose_password: &'static str,
    pub password_hint: &'static str,
    pub create_and_join: &'static str,
    pub log_in: &'static str,
    pub state_accepted: &'static str,
    pub state_withdrawn: &'static str,
    pub state_expired: &'static str,
    pub joined: &'static str,
    pub leave_hint: &'static str,
    pub left: &'static str,
}

pub static TEAM_FR: TeamMessages = TeamMessages {
    team: "Équipe",
    members: "Membres",
    no_member: "Personne d'autre pour l'instant\u{a0}: invitez les personnes qui organisent avec vous.",
    pending: "Invitations en attente",
    expired: "expirée",
    invite: "Inviter une personne",
    invite_intro: "Elle recevra un e-mail avec un lien personnel, valable 7 jours, pour créer son compte ou rejoindre l'équipe avec le sien.",
    email: "Son adresse e-mail",
    role: "Pour",
    send_invitation: "Envoyer l'invitation",
    invited: "Invitation envoyée\u{a0}: la personne a reçu un e-mail.",
    withdrawn: "Invitation retirée\u{a0}: son lien ne fonctionne plus.",
    removed: "C'est fait\u{a0}: cette personne n'a plus ce rôle.",
    invited_by: "invitée par",
    join_title: "Rejoindre l'équipe",
    your_name: "Votre nom",
    choose_password: "Choisissez un mot de passe",
    password_hint: "Au moins 12 caractères.",
    create_and_join: "Créer mon compte et rejoindre l'équipe",
    log_in: "Se connecter",
    state_accepted: "Cette invitation a déjà été acceptée.",
    state_withdrawn: "Cette invitation a été retirée.",
    state_expired: "Cette invitation a expiré\u{a0}: demandez-en une nouvelle à la personne qui vous l'a envoyée.",
    joined: "Bienvenue dans l'équipe\u{a0}: vos étapes sont ci-dessous.",
    leave_hint: "Vous n'aurez plus accès à ce que ce rôle ouvre\u{a0}; l'équipe peut vous inviter à nouveau.",
    left: "Vous avez quitté ce rôle.",
};

pub static TEAM_EN: TeamMessages = TeamMessages {
    team: "Team",
    members: "Members",
    no_member: "Nobody else yet: invite the people who organise with you.",
    pending: "Pending invitations",
    expired: "expired",
    invite: "Invite someone",
    invite_intro: "They will get an email with a personal link, valid for 7 days, to create their account or join with theirs.",
    email: "Their email address",
    role: "For",
    send_invitation: "Send the invitation",
    invited: "Invitation sent: they got an email.",
    withdrawn: "Invitation withdrawn: its link no longer works.",
    removed: "Done: this person no longer holds that role.",
    invited_by: "invited by",
    join_title: "Join the team",
    your_name: "Your name",
    choose_password: "Choose a password",
    password_hint: "At least 12 characters.",
    create_and_join: "Create my account and join the team",
    log_in: "Log in",
    state_accepted: "This invitation has already been accepted.",
    state_withdrawn: "This invitation was withdrawn.",
    state_expired: "This invitation has expired: ask whoever sent it for a new one.",
    joined: "Welcome to the team: your stages are below.",
    leave_hint: "You will lose access to what this role opens; the team can invite you again.",
    left: "You have left that role.",
};

pub struct PasswordMessages {
    pub forgot: &'static str,
    pub ask_title: &'static str,
    pub ask_intro: &'static str,
    pub email: &'static str,
    pub send_link: &'static str,
    pub sent: &'static str,
    pub too_many: &'static str,
    pub new_title: &'static str,
    pub new_password: &'static str,
    pub hint: &'static str,
    pub set_password: &'static str,
    pub link_closed: &'static str,
    pub ask_again: &'static str,
    pub changed: &'static str,
}

pub static PASSWORD_FR: PasswordMessages = PasswordMessages {
    forgot: "Mot de passe oublié\u{a0}?",
    ask_title: "Mot de passe oublié",
    ask_intro: "Indiquez l'adresse e-mail de votre compte\u{a0}: nous y envoyons un lien pour choisir un nouveau mot de passe.",
    email: "Adresse e-mail",
    send_link: "M'envoyer le lien",
    sent: "Si un compte utilise cette adresse, un e-mail avec un lien est en route. Le lien sert une fois et vaut une heure.",
    too_many: "Trop de demandes en peu de temps\u{a0}: réessayez dans une minute.",
    new_title: "Choisir un nouveau mot de passe",
    new_password: "Nouveau mot de passe",
    hint: "Au moins 12 caractères. Vos autres connexions seront fermées.",
    set_password: "Enregistrer le mot de passe",
    link_closed: "Ce lien ne fonctionne plus\u{a0}: il a déjà servi ou il a expiré.",
    ask_again: "Demander un nouveau lien",
    changed: "Mot de passe changé. Vos autres connexions sont fermées.",
};

pub static PASSWORD_EN: PasswordMessages = PasswordMessages {
    forgot: "Forgot your password?",
    ask_title: "Forgot your password",
    ask_intro: "Enter your account's email address: we send it a link to choose a new password.",
    email: "Email address",
    send_link: "Send me the link",
    sent: "If an account uses this address, an email with a link is on its way. The link works once, for an hour.",
    too_many: "Too many requests in a short time: try again in a minute.",
    new_title: "Choose a new password",
    new_password: "New password",
    hint: "At least 12 characters. Your other logins will be ended.",
    set_password: "Save the password",
    link_closed: "This link no longer works: it was used already or it expired.",
    ask_again: "Ask for a new link",
    changed: "Password changed. Your other logins are ended.",
};

pub struct TokenMessages {
    pub title: &'static str,
    pub intro: &'static str,
    pub none: &'static str,
    pub name: &'static str,
    pub name_hint: &'static str,
    pub make: &'static str,
    pub made: &'static str,
    pub made_hint: &'static str,
    pub revoked: &'static str,
    pub made_on: &'static str,
    pub used_on: &'static str,
    pub never_used: &'static str,
}

pub static TOKENS_FR: TokenMessages = TokenMessages {
    title: "Jetons d'API",
    intro: "Un jeton permet à un script d'utiliser l'API (/api/v1) en votre nom, avec vos rôles et pas plus\u{a0}: créer et modifier des éditions et des étapes. Envoyez-le dans l'en-tête « Authorization: Bearer … ».",
    none: "Aucun jeton pour l'instant.",
    name: "Nom du jeton",
    name_hint: "Pour le reconnaître, par exemple « import des étapes ».",
    make: "Créer le jeton",
    made: "Voici votre jeton. Copiez-le maintenant\u{a0}: il ne sera plus jamais affiché.",
    made_hint: "Gardez-le comme un mot de passe. Révoquez-le dès qu'il ne sert plus.",
    revoked: "Jeton révoqué\u{a0}: il ne donne plus accès à rien.",
    made_on: "créé le",
    used_on: "utilisé le",
    never_used: "jamais utilisé",
};

pub static TOKENS_EN: TokenMessages = TokenMessages {
    title: "API tokens",
    intro: "A token lets a script use the API (/api/v1) on your behalf, with your roles and no more: create and edit editions and stages. Send it in the \"Authorization: Bearer …\" header.",
    none: "No token yet.",
    name: "Token name",
    name_hint: "To recognise it, for example \"stage import\".",
    make: "Make the token",
    made: "Here is your token. Copy it now: it will never be shown again.",
    made_hint: "Keep it like a password. Revoke it as soon as it is no longer used.",
    revoked: "Token revoked: it no longer opens anything.",
    made_on: "made on",
    used_on: "used on",
    never_used: "never used",
};

impl Locale {
    pub fn tokens(self) -> &'static TokenMessages {
        match self {
            Locale::Fr => &TOKENS_FR,
            Locale::En => &TOKENS_EN,
        }
    }

    pub fn revoke_token(self, name: &str) -> String {
        match self {
            Locale::Fr => format!("Révoquer « {name} »"),
            Locale::En => format!("Revoke \"{name}\""),
        }
    }
}
