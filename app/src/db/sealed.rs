//! Secrets the database keeps only sealed: the links secret and the editions' ticket signing
//! seeds are encrypted under the master key, which lives outside the database (a key file or
//! an environment variable, README). A copy of the database alone then opens no private link
//! and signs no ticket.
//!
//! Sealing is XChaCha20-Poly1305 with a random 24-byte nonce, and the row's purpose
//! ("site_secret:links", "edition_key:<id>") as associated data, so a sealed value copied to
//! another row does not open there. Stored as `sealed:v1:` + base64url(nonce ‖ ciphertext).

use super::DbError;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

const PREFIX: &str = "sealed:v1:";
const NONCE_LEN: usize = 24;

/// The 32-byte key everything sealed in the database is sealed under.
#[derive(Clone)]
pub struct MasterKey([u8; 32]);

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(…)")
    }
}

impl MasterKey {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        MasterKey(bytes)
    }

    /// A new key from the operating system's random source.
    pub fn generate() -> Result<Self, DbError> {
        Ok(MasterKey(super::ticket_keys::random_seed()?))
    }

    /// The key as written in a key file or `ETAPE_MASTER_KEY`: 43 base64url characters.
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0)
    }

    /// Reads `encode`'s form; surrounding whitespace (a file's last newline) is ignored.
    pub fn decode(raw: &str) -> Option<Self> {
        let bytes = URL_SAFE_NO_PAD.decode(raw.trim()).ok()?;
        <[u8; 32]>::try_from(bytes.as_slice()).ok().map(MasterKey)
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(&self.0.into())
    }

    /// `secret` sealed for the row `purpose`.
    pub fn seal(&self, purpose: &str, secret: &[u8]) -> Result<String, DbError> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let payload = Payload {
            msg: secret,
            aad: purpose.as_bytes(),
        };
        let sealed = self
            .cipher()
            .encrypt(&nonce, payload)
            .map_err(|_| DbError::Corrupt(format!("cannot seal {purpose}")))?;
        let mut stored = nonce.to_vec();
        stored.extend_from_slice(&sealed);
        Ok(format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(stored)))
    }

    /// The secret in `stored`, sealed for `purpose`. A value stored before sealing existed
    /// (plain base64url) is read as it is: `is_sealed` tells the start-up which to seal.
    pub fn open(&self, purpose: &str, stored: &str) -> Result<[u8; 32], DbError> {
        let bytes = match stored.strip_prefix(PREFIX) {
            Some(sealed) => {
                let raw = URL_SAFE_NO_PAD
                    .decode(sealed)
                    .ok()
                    .filter(|raw| raw.len() > NONCE_LEN)
                    .ok_or_else(|| DbError::Corrupt(format!("sealed {purpose}")))?;
                let (nonce, message) = raw.split_at(NONCE_LEN);
                let payload = Payload {
                    msg: message,
                    aad: purpose.as_bytes(),
                };
                self.cipher()
                    .decrypt(XNonce::from_slice(nonce), payload)
                    .map_err(|_| DbError::WrongMasterKey)?
            }
            None => URL_SAFE_NO_PAD
                .decode(stored)
                .map_err(|_| DbError::Corrupt(format!("stored {purpose}")))?,
        };
        <[u8; 32]>::try_from(bytes.as_slice())
            .map_err(|_| DbError::Corrupt(format!("stored {purpose}: not 32 bytes")))
    }
}

/// Whether `stored` is sealed, or a plain value from before sealing existed.
pub fn is_sealed(stored: &str) -> bool {
    stored.starts_with(PREFIX)
}

/// The associated data of the site secret called `name`.
pub fn site_secret_purpose(name: &str) -> String {
    format!("site_secret:{name}")
}

/// The associated data of the edition key `id`'s seed.
pub fn edition_key_purpose(id: &str) -> String {
    format!("edition_key:{id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_with_its_key_and_purpose_only() {
        let key = MasterKey::from_bytes([3; 32]);
        let sealed = key.seal("site_secret:links", &[9; 32]).unwrap();
        assert!(is_sealed(&sealed));
        assert!(!sealed.contains(&URL_SAFE_NO_PAD.encode([9u8; 32])));
        assert_eq!(key.open("site_secret:links", &sealed).unwrap(), [9; 32]);
        assert!(matches!(
            key.open("edition_key:x", &sealed),
            Err(DbError::WrongMasterKey)
        ));
        let other = MasterKey::from_bytes([4; 32]);
        assert!(matches!(
            other.open("site_secret:links", &sealed),
            Err(DbError::WrongMasterKey)
        ));
    }

    #[test]
    fn sealing_twice_gives_two_values() {
        let key = MasterKey::from_bytes([3; 32]);
        let a = key.seal("p", &[1; 32]).unwrap();
        let b = key.seal("p", &[1; 32]).unwrap();
        assert_ne!(a, b, "each seal draws its own nonce");
    }

    #[test]
    fn a_plain_value_from_before_sealing_still_reads() {
        let key = MasterKey::from_bytes([3; 32]);
        let plain = URL_SAFE_NO_PAD.encode([5u8; 32]);
        assert!(!is_sealed(&plain));
        assert_eq!(key.open("p", &plain).unwrap(), [5; 32]);
    }

    #[test]
    fn a_damaged_seal_is_refused_not_misread() {
        let key = MasterKey::from_bytes([3; 32]);
        let mut sealed = key.seal("p", &[1; 32]).unwrap();
        let last = sealed.pop().unwrap();
        sealed.push(if last == 'A' { 'B' } else { 'A' });
        assert!(key.open("p", &sealed).is_err());
        assert!(key.open("p", "sealed:v1:!!").is_err());
    }

    #[test]
    fn the_key_reads_back_from_its_written_form() {
        let key = MasterKey::from_bytes([7; 32]);
        let written = format!("{}\n", key.encode());
        assert_eq!(MasterKey::decode(&written).unwrap().0, [7; 32]);
        assert!(MasterKey::decode("short").is_none());
    }
}
