//! French and English. Every piece of interface text comes from a `Messages` table chosen by the
//! page's `Locale`; the compiler checks that both languages have every message. French first.

mod registration;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike, Weekday};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Locale {
    Fr,
    En,
}

/// Name of the cookie that remembers a visitor's explicit choice of language.
pub const LOCALE_COOKIE: &str = "lang";

impl Messages {
    /// The name of a kind of programme item.
    pub fn programme_kind(&self, kind: crate::domain::ProgrammeKind) -> &'static str {
        use crate::domain::ProgrammeKind;
        match kind {
            ProgrammeKind::Keynote => self.kind_keynote,
            ProgrammeKind::Pitch => self.kind_pitch,
            ProgrammeKind::Talk => self.kind_talk,
            ProgrammeKind::Panel => self.kind_panel,
            ProgrammeKind::Networking => self.kind_networking,
            ProgrammeKind::Break => self.kind_break,
        }
    }
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::Fr, Locale::En];

    pub fn code(self) -> &'static str {
        match self {
            Locale::Fr => "fr",
            Locale::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code.trim().to_ascii_lowercase().as_str() {
            "fr" => Some(Locale::Fr),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// The language's own name, as shown in the switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::Fr => "Français",
            Locale::En => "English",
        }
    }

    /// Picks the best supported language from an `Accept-Language` header (RFC 9110 weights);
    /// French when nothing matches.
    pub fn from_accept_language(header: &str) -> Self {
        let mut best: Option<(f32, usize, Locale)> = None;
        for (position, part) in header.split(',').enumerate() {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim();
            let quality = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            let Some(locale) = Locale::from_code(primary) else {
                continue;
            };
            if quality <= 0.0 {
                continue;
            }
            let better = match best {
                None => true,
                Some((q, p, _)) => quality > q || (quality == q && position < p),
            };
            if better {
                best = Some((quality, position, locale));
            }
        }
        best.map(|(_, _, locale)| locale).unwrap_or(Locale::Fr)
    }

    /// Chooses the language of a request: an explicit choice (cookie) first, then the browser's.
    pub fn negotiate(cookie_header: Option<&str>, accept_language: Option<&str>) -> Self {
        let from_cookie = cookie_header.and_then(|header| {
            header.split(';').find_map(|pair| {
                let (name, value) = pair.split_once('=')?;
                (name.trim() == LOCALE_COOKIE)
                    .then(|| Locale::from_code(value))
                    .flatten()
            })
        });
        from_cookie.unwrap_or_else(|| {
            accept_language
                .map(Self::from_accept_language)
                .unwrap_or(Locale::Fr)
        })
    }

    pub fn messages(self) -> &'static Messages {
        match self {
            Locale::Fr => &FR,
            Locale::En => &EN,
        }
    }

    pub fn weekday(self, day: Weekday) -> &'static str {
        let i = day.num_days_from_monday() as usize;
        match self {
            Locale::Fr => [
                "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
            ][i],
            Locale::En => [
                "Monday",
                "Tuesday",
                "Wednesday",
                "Thursday",
                "Friday",
                "Saturday",
                "Sunday",
            ][i],
        }
    }

    pub fn month(self, month: u32) -> &'static str {
        let i = (month.clamp(1, 12) - 1) as usize;
        match self {
            Locale::Fr => [
                "janvier",
                "février",
                "mars",
                "avril",
                "mai",
                "juin",
                "juillet",
                "août",
                "septembre",
                "octobre",
                "novembre",
                "décembre",
            ][i],
            Locale::En => [
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ][i],
        }
    }

    /// « jeudi 12 décembre 2013 » / “Thursday 12 December 2013”.
    pub fn long_date(self, date: NaiveDate) -> String {
        let day = date.day();
        let day = match (self, day) {
            (Locale::Fr, 1) => "1er".to_owned(),
            _ => day.to_string(),
        };
        format!(
            "{} {} {} {}",
            self.weekday(date.weekday()),
            day,
            self.month(date.month()),
            date.year()
        )
    }

    /// « 9 – 15 décembre 2013 », or with both months when they differ.
    pub fn date_range(self, from: NaiveDate, to: NaiveDate) -> String {
        if from == to {
            return format!(
                "{} {} {}",
                from.day(),
                self.month(from.month()),
                from.year()
            );
        }
        if (from.year(), from.month()) == (to.year(), to.month()) {
            format!(
                "{} – {} {} {}",
                from.day(),
                to.day(),
                self.month(to.month()),
                to.year()
            )
        } else if from.year() == to.year() {
            format!(
                "{} {} – {} {} {}",
                from.day(),
                self.month(from.month()),
                to.day(),
                self.month(to.month()),
                to.year()
            )
        } else {
            format!(
                "{} {} {} – {} {} {}",
                from.day(),
                self.month(from.month()),
                from.year(),
                to.day(),
                self.month(to.month()),
                to.year()
            )
        }
    }

    /// « 18 h 30 » / “18:30”.
    pub fn time(self, at: NaiveDateTime) -> String {
        match self {
            Locale::Fr => format!("{} h {:02}", at.hour(), at.minute()),
            Locale::En => format!("{:02}:{:02}", at.hour(), at.minute()),
        }
    }

    pub fn edition_number(self, number: u32) -> String {
        match self {
            Locale::Fr if number == 1 => "1re édition".to_owned(),
            Locale::Fr => format!("{number}e édition"),
            Locale::En => {
                let suffix = match (number % 10, number % 100) {
                    (_, 11..=13) => "th",
                    (1, _) => "st",
                    (2, _) => "nd",
                    (3, _) => "rd",
                    _ => "th",
                };
                format!("{number}{suffix} edition")
            }
        }
    }

    pub fn euros(self, amount: u32) -> String {
        let digits = amount.to_string();
        let separator = match self {
            Locale::Fr => '\u{202f}',
            Locale::En => ',',
        };
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push(separator);
            }
            grouped.push(c);
        }
        match self {
            Locale::Fr => format!("{grouped}\u{a0}€"),
            Locale::En => format!("€{grouped}"),
        }
    }

    pub fn seats(self, capacity: u32) -> String {
        match self {
            Locale::Fr => format!("{capacity} places"),
            Locale::En => format!("{capacity} seats"),
        }
    }

    pub fn times_in_zone(self, zone: &str) -> String {
        match self {
            Locale::Fr => format!("Heures locales ({zone})"),
            Locale::En => format!("Local times ({zone})"),
        }
    }

    pub fn all_stages_of(self, edition: &str) -> String {
        match self {
            Locale::Fr => format!("Toutes les étapes de {edition}"),
            Locale::En => format!("All stages of {edition}"),
        }
    }
}

/// Every sentence of the interface, once per language.
pub struct Messages {
    pub tagline: &'static str,
    pub skip_to_content: &'static str,
    pub language: &'static str,
    pub loading: &'static str,
    pub home_title: &'static str,
    pub home_description: &'static str,
    pub home_intro: &'static str,
    pub no_editions: &'static str,
    pub phase_upcoming: &'static str,
    pub phase_running: &'static str,
    pub phase_past: &'static str,
    pub national_partners: &'static str,
    pub stages: &'static str,
    pub filter_by_city: &'static str,
    pub city: &'static str,
    pub all_cities: &'static str,
    pub filter: &'static str,
    pub no_stage_here: &'static str,
    pub cancelled: &'static str,
    pub venue: &'static str,
    pub view_on_map: &'static str,
    pub date: &'static str,
    pub guiding_question: &'static str,
    pub co_organised_by: &'static str,
    pub programme: &'static str,
    pub empty_programme: &'static str,
    pub speakers: &'static str,
    pub projects: &'static str,
    pub presented_by: &'static str,
    pub funding_needed: &'static str,
    pub skills_wanted: &'static str,
    pub registrations: &'static str,
    pub registrations_open: &'static str,
    pub registrations_closed: &'static str,
    pub stage_cancelled_notice: &'static str,
    pub kind_keynote: &'static str,
    pub kind_pitch: &'static str,
    pub kind_talk: &'static str,
    pub kind_panel: &'static str,
    pub kind_networking: &'static str,
    pub kind_break: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub back_home: &'static str,
    pub error_title: &'static str,
    pub error_internal: &'static str,
    pub footer: &'static str,
    pub register_heading: &'static str,
    pub field_name: &'static str,
    pub field_email: &'static str,
    pub field_organisation: &'static str,
    pub consent_label: &'static str,
    pub privacy_link: &'static str,
    pub submit_register: &'static str,
    pub submitting: &'static str,
    pub form_has_errors: &'static str,
    pub registered_confirmed: &'static str,
    pub registered_waitlisted: &'static str,
    pub already_registered: &'static str,
    pub see_my_registration: &'static str,
    pub see_my_ticket: &'static str,
    pub my_registration: &'static str,
    pub status: &'static str,
    pub status_confirmed: &'static str,
    pub status_waitlisted: &'static str,
    pub status_cancelled: &'static str,
    pub cancel_heading: &'static str,
    pub cancel_explain: &'static str,
    pub cancel_button: &'static str,
    pub cancelled_notice: &'static str,
    pub private_page_note: &'static str,
    pub ticket: &'static str,
    pub attendee: &'static str,
    pub ticket_show_at_door: &'static str,
    pub ticket_cancelled: &'static str,
    pub ticket_waiting: &'static str,
    pub ticket_qr_alt: &'static str,
    pub download_qr_png: &'static str,
    pub download_qr_svg: &'static str,
    pub add_to_google_calendar: &'static str,
    pub add_to_outlook: &'static str,
    pub calendar_heading: &'static str,
    pub calendar_subscribe: &'static str,
    pub calendar_download: &'static str,
    pub city_calendar_subscribe: &'static str,
    pub attendee_feed_subscribe: &'static str,
    pub attendee_feed_hint: &'static str,
    pub lost_link: &'static str,
    pub lost_link_intro: &'static str,
    pub lost_link_submit: &'static str,
    pub lost_link_sent: &'static str,
    pub privacy_title: &'static str,
    pub link_not_valid: &'static str,
    pub error_too_many_requests: &'static str,
    pub error_cross_site: &'static str,
    pub privacy_body: &'static [&'static str],
}

pub static FR: Messages = Messages {
    tagline: "Des événements dans plusieurs villes à la fois",
    skip_to_content: "Aller au contenu",
    language: "Langue",
    loading: "Chargement…",
    home_title: "Les éditions",
    home_description: "Les éditions et leurs étapes dans les villes : programmes, intervenants et projets.",
    home_intro: "Une édition, une semaine, un thème : des étapes dans plusieurs villes, chacune co-organisée par des partenaires locaux.",
    no_editions: "Aucune édition publiée pour le moment.",
    phase_upcoming: "À venir",
    phase_running: "En cours",
    phase_past: "Édition passée",
    national_partners: "Partenaires nationaux",
    stages: "Les étapes",
    filter_by_city: "Filtrer par ville",
    city: "Ville",
    all_cities: "Toutes les villes",
    filter: "Filtrer",
    no_stage_here: "Aucune étape dans cette ville pour cette édition.",
    cancelled: "Annulée",
    venue: "Lieu",
    view_on_map: "Voir sur OpenStreetMap",
    date: "Date",
    guiding_question: "Question directrice",
    co_organised_by: "Co-organisé par",
    programme: "Programme",
    empty_programme: "Le programme sera bientôt publié.",
    speakers: "Intervenants",
    projects: "Projets",
    presented_by: "Porté par",
    funding_needed: "Besoin de financement",
    skills_wanted: "Compétences recherchées",
    registrations: "Inscriptions",
    registrations_open: "Inscriptions ouvertes",
    registrations_closed: "Inscriptions fermées",
    stage_cancelled_notice: "Cette étape est annulée.",
    kind_keynote: "Keynote",
    kind_pitch: "Pitch",
    kind_talk: "Intervention",
    kind_panel: "Table ronde",
    kind_networking: "Rencontres",
    kind_break: "Pause",
    not_found_title: "Page introuvable",
    not_found_text: "Cette adresse ne correspond à aucune page. Elle a peut-être changé, ou l'étape n'est pas encore publiée.",
    back_home: "Retour à l'accueil",
    error_title: "Un problème est survenu",
    error_internal: "Un problème est survenu de notre côté. Réessayez dans un instant.",
    footer: "Étape — logiciel libre pour les événements dans plusieurs villes.",
    register_heading: "S'inscrire",
    field_name: "Nom et prénom",
    field_email: "Adresse e-mail",
    field_organisation: "Organisation (facultatif)",
    consent_label: "J'accepte que mon nom, mon adresse e-mail et mon organisation servent à gérer mon inscription à cette étape.",
    privacy_link: "Comment nous utilisons vos données",
    submit_register: "M'inscrire",
    submitting: "Inscription en cours…",
    form_has_errors: "Certains champs sont à corriger.",
    registered_confirmed: "C'est fait : votre place est réservée. Un e-mail de confirmation est en route.",
    registered_waitlisted: "L'étape est complète : vous êtes sur la liste d'attente. Nous vous écrirons dès qu'une place se libère.",
    already_registered: "Cette adresse est déjà inscrite à cette étape. Nous venons de vous renvoyer vos liens par e-mail.",
    see_my_registration: "Voir mon inscription",
    see_my_ticket: "Voir mon billet",
    my_registration: "Mon inscription",
    status: "Statut",
    status_confirmed: "Confirmée",
    status_waitlisted: "Sur liste d'attente",
    status_cancelled: "Annulée",
    cancel_heading: "Annuler mon inscription",
    cancel_explain: "Vous ne pouvez plus venir ? Annulez : votre place ira à la première personne de la liste d'attente.",
    cancel_button: "Annuler mon inscription",
    cancelled_notice: "Votre inscription est annulée.",
    private_page_note: "Cette page est privée : ne partagez pas son adresse. Pour transmettre votre billet, partagez le lien du billet.",
    ticket: "Billet",
    attendee: "Participant·e",
    ticket_show_at_door: "Présentez ce code QR à l'entrée, sur votre téléphone ou imprimé.",
    ticket_cancelled: "Ce billet est annulé : il n'est plus valable à l'entrée.",
    ticket_waiting: "Pas encore de billet : vous êtes sur la liste d'attente.",
    ticket_qr_alt: "Code QR du billet",
    download_qr_png: "Télécharger le code QR (PNG)",
    download_qr_svg: "Télécharger le code QR (SVG)",
    add_to_google_calendar: "Ajouter à Google Agenda",
    add_to_outlook: "Ajouter à Outlook",
    calendar_heading: "Dans mon agenda",
    calendar_subscribe: "S'abonner dans mon agenda",
    calendar_download: "Télécharger le fichier .ics",
    city_calendar_subscribe: "S'abonner aux étapes de",
    attendee_feed_subscribe: "S'abonner à mes inscriptions dans mon agenda",
    attendee_feed_hint: "Ce lien est personnel : qui l'a voit vos inscriptions. Votre agenda suit les changements d'heure, de lieu ou d'annulation.",
    lost_link: "Lien perdu ?",
    lost_link_intro: "Indiquez l'adresse e-mail de votre inscription : nous y enverrons les liens de toutes vos inscriptions.",
    lost_link_submit: "Recevoir mes liens",
    lost_link_sent: "Si cette adresse est inscrite, un e-mail vient de partir avec vos liens. Pensez à regarder dans vos indésirables.",
    privacy_title: "Vos données",
    link_not_valid: "Ce lien n'est pas valable. Vous pouvez recevoir vos liens à nouveau par e-mail.",
    error_too_many_requests: "Trop de tentatives depuis votre connexion. Réessayez dans une minute.",
    error_cross_site: "Ce formulaire a été envoyé depuis un autre site : rien n'a été fait.",
    privacy_body: &[
        "Quand vous vous inscrivez à une étape, nous gardons votre nom, votre adresse e-mail, votre organisation si vous l'indiquez, la langue de la page et la date de votre inscription. Rien d'autre : pas de compte, pas de mot de passe, pas de traceur.",
        "Ces données servent uniquement à gérer votre inscription : vous envoyer votre billet et les nouvelles de l'étape, vérifier votre billet à l'entrée, et donner aux organisateurs de l'étape la liste des personnes inscrites. Elles ne sont ni vendues ni transmises à d'autres.",
        "Le code QR de votre billet ne contient aucune donnée personnelle : seulement un numéro de billet et d'étape, signés.",
        "Nous gardons ces données jusqu'à douze mois après la fin de l'édition, puis nous les effaçons. Vous pouvez annuler votre inscription à tout moment depuis votre lien « Mon inscription » ; pour faire effacer vos données plus tôt ou les consulter, écrivez aux organisateurs de l'étape.",
    ],
};

pub static EN: Messages = Messages {
    tagline: "Events that happen in many cities at once",
    skip_to_content: "Skip to content",
    language: "Language",
    loading: "Loading…",
    home_title: "Editions",
    home_description: "Editions and their city stages: programmes, speakers and projects.",
    home_intro: "One edition, one week, one theme: stages in many cities, each co-organised by local partners.",
    no_editions: "No edition has been published yet.",
    phase_upcoming: "Upcoming",
    phase_running: "Happening now",
    phase_past: "Past edition",
    national_partners: "National partners",
    stages: "Stages",
    filter_by_city: "Filter by city",
    city: "City",
    all_cities: "All cities",
    filter: "Filter",
    no_stage_here: "No stage in this city for this edition.",
    cancelled: "Cancelled",
    venue: "Venue",
    view_on_map: "View on OpenStreetMap",
    date: "Date",
    guiding_question: "Guiding question",
    co_organised_by: "Co-organised by",
    programme: "Programme",
    empty_programme: "The programme will be published soon.",
    speakers: "Speakers",
    projects: "Projects",
    presented_by: "Led by",
    funding_needed: "Funding needed",
    skills_wanted: "Skills wanted",
    registrations: "Registrations",
    registrations_open: "Registrations open",
    registrations_closed: "Registrations closed",
    stage_cancelled_notice: "This stage is cancelled.",
    kind_keynote: "Keynote",
    kind_pitch: "Pitch",
    kind_talk: "Talk",
    kind_panel: "Panel",
    kind_networking: "Networking",
    kind_break: "Break",
    not_found_title: "Page not found",
    not_found_text: "This address does not match any page. It may have changed, or the stage is not published yet.",
    back_home: "Back to the home page",
    error_title: "Something went wrong",
    error_internal: "Something went wrong on our side. Please try again in a moment.",
    footer: "Étape — free software for events in many cities.",
    register_heading: "Register",
    field_name: "Full name",
    field_email: "Email address",
    field_organisation: "Organisation (optional)",
    consent_label: "I agree that my name, email address and organisation are used to manage my registration for this stage.",
    privacy_link: "How we use your data",
    submit_register: "Register",
    submitting: "Registering…",
    form_has_errors: "Some fields need correcting.",
    registered_confirmed: "Done: your seat is booked. A confirmation email is on its way.",
    registered_waitlisted: "This stage is full: you are on the waiting list. We will email you as soon as a seat frees up.",
    already_registered: "This address is already registered for this stage. We have just emailed your links again.",
    see_my_registration: "See my registration",
    see_my_ticket: "See my ticket",
    my_registration: "My registration",
    status: "Status",
    status_confirmed: "Confirmed",
    status_waitlisted: "On the waiting list",
    status_cancelled: "Cancelled",
    cancel_heading: "Cancel my registration",
    cancel_explain: "Can't come any more? Cancel: your seat goes to the first person on the waiting list.",
    cancel_button: "Cancel my registration",
    cancelled_notice: "Your registration is cancelled.",
    private_page_note: "This page is private: do not share its address. To pass on your ticket, share the ticket link instead.",
    ticket: "Ticket",
    attendee: "Attendee",
    ticket_show_at_door: "Show this QR code at the entrance, on your phone or printed.",
    ticket_cancelled: "This ticket is cancelled: it is no longer valid at the entrance.",
    ticket_waiting: "No ticket yet: you are on the waiting list.",
    ticket_qr_alt: "Ticket QR code",
    download_qr_png: "Download the QR code (PNG)",
    download_qr_svg: "Download the QR code (SVG)",
    add_to_google_calendar: "Add to Google Calendar",
    add_to_outlook: "Add to Outlook",
    calendar_heading: "In my calendar",
    calendar_subscribe: "Subscribe in my calendar",
    calendar_download: "Download the .ics file",
    city_calendar_subscribe: "Subscribe to the stages in",
    attendee_feed_subscribe: "Subscribe to my registrations in my calendar",
    attendee_feed_hint: "This link is yours: whoever has it sees your registrations. Your calendar follows changes of time, place or cancellation.",
    lost_link: "Lost your link?",
    lost_link_intro: "Enter the email address you registered with: we will send the links of all your registrations to it.",
    lost_link_submit: "Send me my links",
    lost_link_sent: "If this address is registered, an email with your links is on its way. Do check your spam folder.",
    privacy_title: "Your data",
    link_not_valid: "This link is not valid. You can have your links sent to you again by email.",
    error_too_many_requests: "Too many attempts from your connection. Please try again in a minute.",
    error_cross_site: "This form was sent from another site: nothing was done.",
    privacy_body: &[
        "When you register for a stage, we keep your name, your email address, your organisation if you give one, the language of the page and when you registered. Nothing else: no account, no password, no tracker.",
        "This data is used only to manage your registration: to send you your ticket and news of the stage, to check your ticket at the entrance, and to give the stage's organisers the list of people registered. It is neither sold nor passed on to anyone else.",
        "Your ticket's QR code holds no personal data: only a ticket number and a stage number, signed.",
        "We keep this data until twelve months after the end of the edition, then delete it. You can cancel your registration at any time from your \"My registration\" link; to see your data or have it deleted sooner, write to the stage's organisers.",
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browser_language_with_the_highest_weight_wins() {
        assert_eq!(
            Locale::from_accept_language("en-US,en;q=0.9,fr;q=0.8"),
            Locale::En
        );
        assert_eq!(
            Locale::from_accept_language("de-DE,fr;q=0.5,en;q=0.7"),
            Locale::En
        );
        assert_eq!(
            Locale::from_accept_language("fr-FR,fr;q=0.9,en;q=0.8"),
            Locale::Fr
        );
    }

    #[test]
    fn french_is_the_default_when_nothing_matches() {
        assert_eq!(Locale::from_accept_language("de, es;q=0.5"), Locale::Fr);
        assert_eq!(Locale::from_accept_language("garbage;;;q=x,,"), Locale::Fr);
        assert_eq!(Locale::from_accept_language("en;q=0"), Locale::Fr);
    }

    #[test]
    fn an_explicit_choice_beats_the_browser_language() {
        assert_eq!(
            Locale::negotiate(Some("a=b; lang=en"), Some("fr")),
            Locale::En
        );
        assert_eq!(Locale::negotiate(Some("lang=xx"), Some("en")), Locale::En);
        assert_eq!(Locale::negotiate(None, None), Locale::Fr);
    }

    #[test]
    fn dates_read_naturally_in_both_languages() {
        let day = NaiveDate::from_ymd_opt(2013, 12, 12).unwrap();
        assert_eq!(Locale::Fr.long_date(day), "jeudi 12 décembre 2013");
        assert_eq!(Locale::En.long_date(day), "Thursday 12 December 2013");
        let end = NaiveDate::from_ymd_opt(2013, 12, 15).unwrap();
        assert_eq!(Locale::Fr.date_range(day, end), "12 – 15 décembre 2013");
        assert_eq!(Locale::En.edition_number(2), "2nd edition");
        assert_eq!(Locale::En.edition_number(12), "12th edition");
        assert_eq!(Locale::Fr.edition_number(2), "2e édition");
    }

    #[test]
    fn amounts_are_grouped_the_local_way() {
        assert_eq!(Locale::Fr.euros(15_000), "15\u{202f}000\u{a0}€");
        assert_eq!(Locale::En.euros(1_234_567), "€1,234,567");
    }
}
