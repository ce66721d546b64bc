//! The bytes of an iCalendar file as RFC 5545 wants them and as calendar clients read them:
//! CRLF everywhere, lines folded at 75 octets without splitting a UTF-8 character, TEXT values
//! escaped. The `icalendar` crate holds the properties; this module writes them.

use icalendar::{Property, ValueType};

/// Longest content line, in octets, CRLF excluded (RFC 5545 §3.1).
const LINE_OCTETS: usize = 75;

/// Escapes a TEXT value: backslash, semicolon, comma and line breaks (RFC 5545 §3.3.11).
pub fn escape_text(raw: &str) -> String {
    let mut escaped = String::with_capacity(raw.len() + 8);
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            ';' => escaped.push_str("\\;"),
            ',' => escaped.push_str("\\,"),
            '\r' => {
                // CRLF and a lone CR are one line break, like LF.
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                escaped.push_str("\\n");
            }
            '\n' => escaped.push_str("\\n"),
            _ => escaped.push(c),
        }
    }
    escaped
}

/// Text made safe to hand to the `icalendar` crate, which escapes TEXT values itself but
/// keeps a carriage return as it is: line breaks become plain LF.
pub fn plain_text(raw: &str) -> String {
    raw.replace("\r\n", "\n").replace('\r', "\n")
}

/// Appends one content line: `KEY;PARAM=VALUE:value`, the value escaped when it is TEXT, then
/// folded. The `icalendar` crate holds the properties; writing them here keeps the folding
/// linear (the crate's own rescans each line from its start at every fold) and exact (it can
/// leave 76 octets).
pub fn push_property(out: &mut String, property: &Property) {
    let mut line = String::with_capacity(property.key().len() + property.value().len() + 16);
    line.push_str(property.key());
    for (key, parameter) in property.params() {
        line.push(';');
        line.push_str(key);
        line.push('=');
        let value = parameter.value();
        if value.contains([':', ';', ',']) {
            line.push('"');
            line.push_str(&value.replace('"', ""));
            line.push('"');
        } else {
            line.push_str(value);
        }
    }
    line.push(':');
    if is_text(property) {
        line.push_str(&escape_text(property.value()));
    } else {
        line.push_str(property.value());
    }
    push_folded(out, &line);
}

/// Whether the value is TEXT, to be escaped: what the crate knows to be TEXT, and the calendar
/// names it does not know.
fn is_text(property: &Property) -> bool {
    property.value_type() == Some(ValueType::Text)
        || matches!(property.key(), "NAME" | "X-WR-CALNAME" | "X-WR-CALDESC")
}

/// Appends `line` folded: at most 75 octets per physical line, continuation lines starting
/// with one space, never cutting inside a UTF-8 character, each ended by CRLF. A physical line
/// never ends with a space either: some parsers trim line ends before unfolding.
pub fn push_folded(out: &mut String, line: &str) {
    let mut rest = line;
    let mut room = LINE_OCTETS;
    while rest.len() > room {
        let mut cut = room;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        let mut trimmed = cut;
        while trimmed > 1 && rest.as_bytes()[trimmed - 1] == b' ' {
            trimmed -= 1;
        }
        if trimmed > 1 {
            cut = trimmed;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        room = LINE_OCTETS - 1;
    }
    out.push_str(rest);
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unfold(ics: &str) -> String {
        ics.replace("\r\n ", "")
    }

    fn folded(line: &str) -> String {
        let mut out = String::new();
        push_folded(&mut out, line);
        out
    }

    #[test]
    fn text_escapes_what_rfc_5545_names() {
        assert_eq!(
            escape_text("a\\b;c,d\ne\r\nf\rg"),
            "a\\\\b\\;c\\,d\\ne\\nf\\ng"
        );
        assert_eq!(escape_text("Café « solidaire »"), "Café « solidaire »");
    }

    #[test]
    fn long_french_lines_fold_at_75_octets_without_cutting_a_character() {
        let value = "Rencontre à Saint-Étienne : économie sociale et solidaire, \
                     numérique éthique, écologie — 18 h 30 à 21 h 30, entrée libre. "
            .repeat(4)
            + "Fin.";
        let line = format!("DESCRIPTION:{value}");
        let ics = folded(&line);
        for physical in ics.split_terminator("\r\n") {
            assert!(
                physical.len() <= 75,
                "{} octets: {physical:?}",
                physical.len()
            );
            assert!(!physical.ends_with(' '), "ends with a space: {physical:?}");
        }
        assert!(ics.ends_with("Fin.\r\n"));
        assert_eq!(unfold(&ics), format!("{line}\r\n"));
    }

    #[test]
    fn a_line_of_exactly_75_octets_stays_whole_and_76_folds() {
        let exact = format!("SUMMARY:{}", "x".repeat(75 - 8));
        assert_eq!(folded(&exact), format!("{exact}\r\n"));
        let over = format!("SUMMARY:{}", "x".repeat(76 - 8));
        let twice = folded(&over);
        assert_eq!(twice.split_terminator("\r\n").count(), 2);
        assert_eq!(unfold(&twice), format!("{over}\r\n"));
    }

    #[test]
    fn multibyte_characters_on_the_fold_move_whole_to_the_next_line() {
        // 74 ASCII octets, then "é" (2 octets) straddles octet 75.
        let line = format!("X:{}é{}", "a".repeat(72), "b".repeat(10));
        let ics = folded(&line);
        let first = ics.split("\r\n").next().unwrap();
        assert_eq!(first.len(), 74);
        assert!(ics.contains("\r\n éb"));
        assert_eq!(unfold(&ics), format!("{line}\r\n"));
    }

    #[test]
    fn properties_are_written_with_parameters_and_escaped_text() {
        let mut out = String::new();
        push_property(&mut out, &Property::new("SUMMARY", "Lyon, 18 h; \\ fin"));
        push_property(
            &mut out,
            &Property::new("DTSTART", "20261230T183000")
                .add_parameter("TZID", "Europe/Paris")
                .done(),
        );
        push_property(&mut out, &Property::new("URL", "https://x.example/a,b"));
        assert_eq!(
            out,
            "SUMMARY:Lyon\\, 18 h\\; \\\\ fin\r\n\
             DTSTART;TZID=Europe/Paris:20261230T183000\r\n\
             URL:https://x.example/a,b\r\n"
        );
    }
}
