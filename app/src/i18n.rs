//! French and English. Every piece of interface text comes from a `Messages` table chosen by the
//! page's `Locale`; the compiler checks that both languages have every message. French first.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike, Weekday};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Locale {
    Fr,
    En,
}

/// Name of the cookie that remembers a visitor's explicit choice of language.
pub const LOCALE_COOKIE: &str = "lang";

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
