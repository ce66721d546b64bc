//! A ticket's short code: eight characters printed under the QR code, that a person can read
//! out and door staff can type when a QR code will not scan (a cracked screen, a dim photo,
//! paper in the rain). It is random (40 bits), drawn when the registration is stored, and
//! unique per stage (`db::registrations`); it opens nothing on its own: only a door of the
//! stage accepts it.
//!
//! Crockford's base32 alphabet leaves out I, L, O and U, so nothing on the ticket can be
//! misread; typed, it is read in any case, with or without spaces and dashes, O taken as 0
//! and I or L as 1.

use std::fmt;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A short code, as stored: eight characters of the alphabet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ShortCode(u64);

impl ShortCode {
    /// How many characters a code has, separators left out.
    pub const LEN: usize = 8;

    /// The code made of five random bytes (the caller draws them from the operating system).
    pub fn from_random(bytes: [u8; 5]) -> Self {
        let mut wide = [0u8; 8];
        wide[3..].copy_from_slice(&bytes);
        ShortCode(u64::from_be_bytes(wide))
    }

    /// Reads a code as a person typed it; `None` when it cannot be one.
    pub fn parse(typed: &str) -> Option<Self> {
        let mut value = 0u64;
        let mut digits = 0;
        for c in typed.chars() {
            if c.is_whitespace() || matches!(c, '-' | '‐' | '–' | '—' | '.') {
                continue;
            }
            digits += 1;
            if digits > Self::LEN {
                return None;
            }
            value = (value << 5) | u64::from(digit(c)?);
        }
        (digits == Self::LEN).then_some(ShortCode(value))
    }

    /// Reads a code as stored (`as_stored`): exactly the eight characters, nothing else.
    pub fn from_stored(stored: &str) -> Option<Self> {
        let exact = stored.len() == Self::LEN && stored.bytes().all(|b| ALPHABET.contains(&b));
        exact.then(|| Self::parse(stored)).flatten()
    }

    /// The eight characters, without a separator: how the database keeps and compares it.
    pub fn as_stored(self) -> String {
        (0..Self::LEN)
            .rev()
            .map(|at| char::from(ALPHABET[((self.0 >> (5 * at)) & 31) as usize]))
            .collect()
    }
}

/// Shown to people as two groups of four, `K7QM-4XPD`: easier to read out and to type.
impl fmt::Display for ShortCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let stored = self.as_stored();
        write!(f, "{}-{}", &stored[..4], &stored[4..])
    }
}

/// The value of one typed character, with Crockford's readings of the letters left out.
fn digit(c: char) -> Option<u8> {
    let c = match c.to_ascii_uppercase() {
        'O' => '0',
        'I' | 'L' => '1',
        other => other,
    };
    let at = ALPHABET.iter().position(|&a| char::from(a) == c)?;
    u8::try_from(at).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_reads_back_from_what_is_stored_and_what_is_shown() {
        for bytes in [
            [0; 5],
            [255; 5],
            [1, 2, 3, 4, 5],
            [0x9c, 0x00, 0xff, 0x10, 0x7e],
        ] {
            let code = ShortCode::from_random(bytes);
            let stored = code.as_stored();
            assert_eq!(stored.len(), 8);
            assert_eq!(ShortCode::from_stored(&stored), Some(code));
            assert_eq!(ShortCode::parse(&code.to_string()), Some(code));
        }
        assert_eq!(ShortCode::from_random([0; 5]).to_string(), "0000-0000");
        assert_eq!(ShortCode::from_random([255; 5]).to_string(), "ZZZZ-ZZZZ");
    }

    #[test]
    fn different_random_bytes_give_different_codes() {
        let a = ShortCode::from_random([1, 2, 3, 4, 5]);
        let b = ShortCode::from_random([1, 2, 3, 4, 6]);
        assert_ne!(a.as_stored(), b.as_stored());
    }

    #[test]
    fn what_people_type_is_forgiven() {
        let code = ShortCode::parse("K7QM-4XPD").unwrap();
        for typed in ["k7qm4xpd", " K7QM 4XPD ", "k7qm–4xpd", "K7QM\u{a0}4XPD"] {
            assert_eq!(ShortCode::parse(typed), Some(code), "{typed}");
        }
        let zero_one = ShortCode::parse("0011-0000").unwrap();
        assert_eq!(ShortCode::parse("OoIl-oOOo"), Some(zero_one));
    }

    #[test]
    fn anything_else_is_refused_without_panicking() {
        for typed in [
            "",
            "K7QM",
            "K7QM-4XPD-1",
            "K7QM-4XPU",
            "ÉTAPE123",
            "ET1AAAAAAAAAAAAAAA",
            "😀😀😀😀😀😀😀😀",
        ] {
            assert_eq!(ShortCode::parse(typed), None, "{typed}");
        }
        assert_eq!(ShortCode::parse(&"A".repeat(100_000)), None);
        assert_eq!(ShortCode::from_stored("k7qm4xpd"), None);
        assert_eq!(ShortCode::from_stored("K7QM-4XPD"), None);
    }
}
