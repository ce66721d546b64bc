//! Password hashing: Argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane), on a
//! blocking thread so that a login never stalls the requests sharing the async runtime.

use app::domain::account::NewPassword;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::OnceLock;

#[derive(Debug, thiserror::Error)]
pub enum PasswordHashError {
    #[error("cannot hash the password: {0}")]
    Hash(argon2::password_hash::Error),
    #[error("the hashing thread stopped: {0}")]
    Thread(#[from] tokio::task::JoinError),
}

fn argon2() -> Argon2<'static> {
    // m = 19 MiB, t = 2, p = 1: OWASP's first recommendation for Argon2id.
    let params = Params::new(19 * 1024, 2, 1, None).expect("constant Argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The PHC string to store for `password` (algorithm, parameters, salt and hash).
pub async fn hash(password: &NewPassword) -> Result<String, PasswordHashError> {
    let password = password.as_str().to_owned();
    tokio::task::spawn_blocking(move || hash_now(&password))
        .await?
        .map_err(PasswordHashError::Hash)
}

fn hash_now(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(argon2()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// Whether `password` matches the stored `phc` string. With no stored hash (an unknown
/// address), a hash of a random password is checked instead, so that the answer takes the
/// same time and an attacker cannot tell which addresses have accounts.
pub async fn verify(password: &str, phc: Option<String>) -> Result<bool, PasswordHashError> {
    let password = password.to_owned();
    Ok(tokio::task::spawn_blocking(move || {
        let known = phc.is_some();
        let phc = phc.unwrap_or_else(|| decoy().to_owned());
        let matches = PasswordHash::new(&phc)
            .map(|parsed| {
                argon2()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false);
        known && matches
    })
    .await?)
}

/// Makes the decoy hash now, off the async threads, so that the first login with an unknown
/// address does not take twice as long as the others (`serve` calls it at start-up).
pub fn prepare_decoy() {
    tokio::task::spawn_blocking(|| {
        decoy();
    });
}

/// A hash with the same parameters as real ones, of a password nobody knows.
fn decoy() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_now(&generate()).unwrap_or_default())
}

/// A new random password for `etape admin create`: 20 characters from letters and digits that
/// cannot be mistaken for one another when read aloud or copied by hand (≈ 100 bits).
pub fn generate() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut out = String::with_capacity(20);
    while out.len() < 20 {
        // Rejection sampling keeps every character equally likely.
        let byte = (OsRng.next_u32() & 0xff) as usize;
        if byte < ALPHABET.len() * (256 / ALPHABET.len()) {
            out.push(ALPHABET[byte % ALPHABET.len()] as char);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let password = NewPassword::parse("correct horse battery").unwrap();
        let phc = hash(&password).await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(!phc.contains("correct horse"));
        assert!(verify("correct horse battery", Some(phc.clone()))
            .await
            .unwrap());
        assert!(!verify("correct horse battery!", Some(phc.clone()))
            .await
            .unwrap());
        assert!(!verify("", Some(phc)).await.unwrap());
    }

    #[tokio::test]
    async fn two_hashes_of_one_password_differ() {
        let password = NewPassword::parse("correct horse battery").unwrap();
        assert_ne!(
            hash(&password).await.unwrap(),
            hash(&password).await.unwrap()
        );
    }

    #[tokio::test]
    async fn an_unknown_address_never_matches() {
        assert!(!verify("whatever password", None).await.unwrap());
        assert!(!verify("", Some("not a phc string".into())).await.unwrap());
    }

    #[test]
    fn generated_passwords_are_long_and_unambiguous() {
        let a = generate();
        assert_eq!(a.chars().count(), 20);
        assert!(NewPassword::parse(&a).is_ok());
        assert!(!a.contains(['0', 'O', 'o', '1', 'l', 'I', 'i']), "{a}");
        assert_ne!(a, generate());
    }
}
