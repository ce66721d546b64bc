//! The words of the feeds, in French and English. Times in descriptions are the stage's
//! local times, as its page shows them.

use app::domain::{ProgrammeItem, Stage};
use app::i18n::Locale;

pub fn edition_feed_name(edition: &str, city: Option<&str>) -> String {
    match city {
        None => edition.to_owned(),
        Some(city) => format!("{edition} — {city}"),
    }
}

pub fn stage_feed_name(edition: &str, city: &str) -> String {
    format!("{edition} — {city} (programme)")
}

pub fn attendee_feed_name(locale: Locale) -> String {
    match locale {
        Locale::Fr => "Mes inscriptions (Étape)".to_owned(),
        Locale::En => "My registrations (Étape)".to_owned(),
    }
}

pub fn waiting_summary(locale: Locale, summary: &str) -> String {
    match locale {
        Locale::Fr => format!("[Liste d'attente] {summary}"),
        Locale::En => format!("[Waiting list] {summary}"),
    }
}

/// Theme, programme, co-organisers and the link to the stage's page.
pub fn stage_description(
    locale: Locale,
    stage: &Stage,
    programme: &[ProgrammeItem],
    url: &str,
) -> String {
    let zone = stage.zone();
    let mut text = stage.theme.clone();
    if !programme.is_empty() {
        text.push_str(match locale {
            Locale::Fr => "\n\nProgramme :",
            Locale::En => "\n\nProgramme:",
        });
        for item in programme {
            let at = item.starts_at.with_timezone(&zone);
            let kind = locale.messages().programme_kind(item.kind);
            let colon = match locale {
                Locale::Fr => " :",
                Locale::En => ":",
            };
            text.push_str(&format!(
                "\n{} {kind}{colon} {}",
                at.format("%H:%M"),
                item.title
            ));
        }
    }
    if !stage.co_organisers.is_empty() {
        let names: Vec<&str> = stage
            .co_organisers
            .iter()
            .map(|organisation| organisation.name.as_str())
            .collect();
        text.push_str(&match locale {
            Locale::Fr => format!("\n\nCo-organisé par {}", names.join(", ")),
            Locale::En => format!("\n\nCo-organised by {}", names.join(", ")),
        });
    }
    text.push_str("\n\n");
    text.push_str(url);
    text
}

pub fn item_description(
    locale: Locale,
    item: &ProgrammeItem,
    speakers: &[&str],
    url: &str,
) -> String {
    let mut text = locale.messages().programme_kind(item.kind).to_owned();
    if !speakers.is_empty() {
        text.push_str(&match locale {
            Locale::Fr => format!(" avec {}", speakers.join(", ")),
            Locale::En => format!(" with {}", speakers.join(", ")),
        });
    }
    text.push_str("\n\n");
    text.push_str(url);
    text
}
