//! The bytes of an iCalendar file as RFC 5545 wants them and as calendar clients read them.
//! The `icalendar` crate builds the content; this module owns the last word on the lines:
//! CRLF everywhere, folded at 75 octets without splitting a UTF-8 character, and text escaped
//! where the crate does not (properties it does not know, such as NAME).

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

/// `ics` with every content line unfolded and folded again at 75 octets, each line ended by
/// CRLF, and empty lines dropped.
pub fn refold(ics: &str) -> String {
    let unfolded = ics
        .replace("\r\n ", "")
        .replace("\r\n\t", "")
        .replace("\r\n", "\n");
    let mut out = String::with_capacity(unfolded.len() + unfolded.len() / 24);
    for line in unfolded.split('\n').filter(|line| !line.is_empty()) {
        fold_into(&mut out, line);
    }
    out
}

/// Appends `line`, folded: at most 75 octets per physical line, continuation lines starting
/// with one space, never cutting inside a UTF-8 character. A physical line never ends with a
/// space either: some parsers trim line ends before unfolding, and would lose it.
fn fold_into(out: &mut String, line: &str) {
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

/// Puts `text` (whole lines, CRLF-ended) just before the first line starting with `before`
/// (for instance the VTIMEZONE blocks before the first event), or before the end of the
/// calendar when there is no such line.
pub fn insert_before(ics: &str, before: &str, text: &str) -> String {
    let at = ics
        .match_indices("\r\n")
        .map(|(at, _)| at + 2)
        .find(|&start| ics[start..].starts_with(before))
        .or_else(|| ics.rfind("END:VCALENDAR"))
        .unwrap_or(ics.len());
    let mut out = String::with_capacity(ics.len() + text.len());
    out.push_str(&ics[..at]);
    out.push_str(text);
    out.push_str(&ics[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unfold(ics: &str) -> String {
        ics.replace("\r\n ", "")
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
        let ics = refold(&format!(
            "BEGIN:VEVENT\r\nDESCRIPTION:{value}\r\nEND:VEVENT\r\n"
        ));
        for line in ics.split_terminator("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
            assert!(!line.ends_with(' '), "ends with a space: {line:?}");
        }
        assert!(ics.ends_with("END:VEVENT\r\n"));
        assert!(!ics.replace("\r\n", "").contains('\r'));
        assert!(!ics.replace("\r\n", "").contains('\n'));
        assert_eq!(
            unfold(&ics),
            format!("BEGIN:VEVENT\r\nDESCRIPTION:{value}\r\nEND:VEVENT\r\n")
        );
    }

    #[test]
    fn a_line_of_exactly_75_octets_stays_whole_and_76_folds() {
        let exact = format!("SUMMARY:{}", "x".repeat(75 - 8));
        assert_eq!(refold(&exact), format!("{exact}\r\n"));
        let over = format!("SUMMARY:{}", "x".repeat(76 - 8));
        let folded = refold(&over);
        assert_eq!(folded.split_terminator("\r\n").count(), 2);
        assert_eq!(unfold(&folded), format!("{over}\r\n"));
    }

    #[test]
    fn multibyte_characters_on_the_fold_move_whole_to_the_next_line() {
        // 74 ASCII octets, then "é" (2 octets) straddles octet 75.
        let line = format!("X:{}é{}", "a".repeat(72), "b".repeat(10));
        let folded = refold(&line);
        let first = folded.split("\r\n").next().unwrap();
        assert_eq!(first.len(), 74);
        assert!(folded.contains("\r\n éb"));
        assert_eq!(unfold(&folded), format!("{line}\r\n"));
    }

    #[test]
    fn lines_already_folded_elsewhere_are_refolded_once() {
        let twice = "DESCRIPTION:abc\r\n def\r\n\tghi\r\nEND:VEVENT\n";
        assert_eq!(refold(twice), "DESCRIPTION:abcdefghi\r\nEND:VEVENT\r\n");
    }

    #[test]
    fn blocks_go_before_the_first_event_or_the_end() {
        let cal =
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let with = insert_before(cal, "BEGIN:VEVENT", "BEGIN:VTIMEZONE\r\nEND:VTIMEZONE\r\n");
        assert_eq!(
            with,
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTIMEZONE\r\nEND:VTIMEZONE\r\n\
             BEGIN:VEVENT\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        );
        let empty = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n";
        assert_eq!(
            insert_before(empty, "BEGIN:VEVENT", "X:1\r\n"),
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX:1\r\nEND:VCALENDAR\r\n"
        );
    }
}
