//! Dates, times, numbers and typography, written the way each language writes them.

use super::Locale;
use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike, Weekday};

impl Locale {
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
    /// « 1er décembre » / “1 December”: a date close enough not to need its year or weekday.
    pub fn short_date(self, date: NaiveDate) -> String {
        match (self, date.day()) {
            (Locale::Fr, 1) => format!("1er {}", self.month(date.month())),
            (_, day) => format!("{day} {}", self.month(date.month())),
        }
    }

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

    /// « 18 h 30 » / “18:30”. The French spaces do not break: a time never splits over lines.
    pub fn time(self, at: NaiveDateTime) -> String {
        match self {
            Locale::Fr => format!("{}\u{a0}h\u{a0}{:02}", at.hour(), at.minute()),
            Locale::En => format!("{:02}:{:02}", at.hour(), at.minute()),
        }
    }

    /// « mardi 1er décembre à 18 h 30 (heure de Paris) » / “Tuesday 1 December at 18:30 (Paris
    /// time)”: a deadline, with its zone.
    pub fn deadline(self, at: NaiveDateTime, zone: &str) -> String {
        let day = format!(
            "{} {}",
            self.weekday(at.date().weekday()),
            self.short_date(at.date())
        );
        match self {
            Locale::Fr => format!("{day} à {} ({})", self.time(at), self.zone_place(zone)),
            Locale::En => format!("{day} at {} ({})", self.time(at), self.zone_place(zone)),
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
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
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

    /// When a stage happens, in one line: « jeudi 10 décembre 2026, 18 h 30 – 21 h 00 (heure
    /// de Paris) », with the end's date too when it ends on another day. What emails and the
    /// ticket image say.
    pub fn stage_when(self, starts: NaiveDateTime, ends: NaiveDateTime, zone: &str) -> String {
        let end = if starts.date() == ends.date() {
            self.time(ends)
        } else {
            format!("{}, {}", self.long_date(ends.date()), self.time(ends))
        };
        format!(
            "{}, {} – {end} ({})",
            self.long_date(starts.date()),
            self.time(starts),
            self.zone_place(zone)
        )
    }

    /// « Heure de Paris » / “Paris time”: what the times of a stage are in.
    pub fn times_in_zone(self, zone: &str) -> String {
        let place = self.zone_place(zone);
        match self {
            Locale::Fr => {
                let mut first = place.chars();
                first
                    .next()
                    .map_or_else(String::new, |c| c.to_uppercase().chain(first).collect())
            }
            Locale::En => place,
        }
    }

    /// A time zone said as a place, as people say it: « heure de Paris », « heure d'Abidjan »,
    /// “Paris time”; `Europe/Paris` names the city after its last slash. A zone that names no
    /// city (`UTC`) stays as it is.
    pub fn zone_place(self, zone: &str) -> String {
        let Some((_, city)) = zone.rsplit_once('/') else {
            return zone.to_owned();
        };
        let city = city.replace('_', " ");
        match self {
            Locale::Fr => {
                let elided = city
                    .chars()
                    .next()
                    .is_some_and(|c| "AEIOUYÉÈÊÂÎÔ".contains(c));
                if elided {
                    format!("heure d\u{2019}{city}")
                } else {
                    format!("heure de {city}")
                }
            }
            Locale::En => format!("{city} time"),
        }
    }

    pub fn all_stages_of(self, edition: &str) -> String {
        match self {
            Locale::Fr => format!("Toutes les étapes de {edition}"),
            Locale::En => format!("All stages of {edition}"),
        }
    }

    /// A label before its value: « Statut : » with the narrow space French puts before a
    /// colon, “Status:” in English.
    pub fn label(self, word: &str) -> String {
        match self {
            Locale::Fr => format!("{word}\u{202f}:"),
            Locale::En => format!("{word}:"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

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
    fn a_label_takes_each_language_s_colon() {
        assert_eq!(Locale::Fr.label("Statut"), "Statut\u{202f}:");
        assert_eq!(Locale::En.label("Status"), "Status:");
    }

    #[test]
    fn amounts_are_grouped_the_local_way() {
        assert_eq!(Locale::Fr.euros(15_000), "15\u{202f}000\u{a0}€");
        assert_eq!(Locale::En.euros(1_234_567), "€1,234,567");
    }

    #[test]
    fn a_zone_is_said_as_a_place_and_a_time_never_breaks() {
        assert_eq!(Locale::Fr.zone_place("Europe/Paris"), "heure de Paris");
        assert_eq!(
            Locale::Fr.zone_place("Africa/Abidjan"),
            "heure d\u{2019}Abidjan"
        );
        assert_eq!(
            Locale::En.zone_place("America/Argentina/Buenos_Aires"),
            "Buenos Aires time"
        );
        assert_eq!(Locale::Fr.zone_place("UTC"), "UTC");
        assert_eq!(Locale::Fr.times_in_zone("Europe/Paris"), "Heure de Paris");
        assert_eq!(Locale::En.times_in_zone("Europe/Paris"), "Paris time");
        let at = NaiveDate::from_ymd_opt(2026, 12, 10)
            .and_then(|d| d.and_hms_opt(18, 30, 0))
            .unwrap();
        assert_eq!(Locale::Fr.time(at), "18\u{a0}h\u{a0}30");
        assert_eq!(Locale::En.time(at), "18:30");
    }
}
