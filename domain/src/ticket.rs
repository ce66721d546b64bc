//! Signed tickets. A ticket's QR code carries a compact payload naming the ticket and its stage,
//! signed with the edition's Ed25519 key, so that a door scanner holding only the public key can
//! tell a real ticket from a forged or altered one, offline. No personal data is in it.
//!
//! Format v1 (see docs/tickets.md): `ET1` + base64url (no padding) of
//! `[1][ticket id: 16 bytes][stage id: 16 bytes][signature: 64 bytes]`, where the signature
//! covers `etape/ticket/v1` followed by the first 33 bytes.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};

const PREFIX: &str = "ET1";
const VERSION: u8 = 1;
const CONTEXT: &[u8] = b"etape/ticket/v1";
const PAYLOAD_LEN: usize = 1 + 16 + 16;
const SIGNED_LEN: usize = PAYLOAD_LEN + 64;
/// Longest text a valid code can be; anything longer is refused before decoding.
const MAX_CODE_LEN: usize = 3 + SIGNED_LEN.div_ceil(3) * 4;

/// What a ticket's code says: which ticket, for which stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TicketPayload {
    pub ticket_id: [u8; 16],
    pub stage_id: [u8; 16],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TicketError {
    #[error("this is not an Étape ticket")]
    Malformed,
    #[error("this ticket was made by a newer version of Étape")]
    UnknownVersion,
    #[error("this ticket's signature is not valid: forged, altered, or for another edition")]
    BadSignature,
}

/// An edition's private signing key. Lives on the server only.
pub struct TicketKey(SigningKey);

/// An edition's public key: all a scanner needs to check tickets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketPublicKey(VerifyingKey);

impl TicketKey {
    /// A key from 32 secret random bytes (the caller draws them from the operating system).
    pub fn from_seed(seed: [u8; 32]) -> Self {
        TicketKey(SigningKey::from_bytes(&seed))
    }

    pub fn seed(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    pub fn public_key(&self) -> TicketPublicKey {
        TicketPublicKey(self.0.verifying_key())
    }

    /// The text to put in the QR code.
    pub fn sign(&self, payload: &TicketPayload) -> String {
        let body = payload.to_bytes();
        let signature = self.0.sign(&signed_message(&body));
        let mut signed = Vec::with_capacity(SIGNED_LEN);
        signed.extend_from_slice(&body);
        signed.extend_from_slice(&signature.to_bytes());
        format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(signed))
    }
}

impl TicketPublicKey {
    pub fn from_bytes(bytes: &[u8; 32]) -> Result<Self, TicketError> {
        VerifyingKey::from_bytes(bytes)
            .map(TicketPublicKey)
            .map_err(|_| TicketError::Malformed)
    }

    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// The key as door phones receive it: its 32 bytes in base64url, without padding.
    pub fn to_text(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.to_bytes())
    }

    /// Reads a key written by `to_text`.
    pub fn from_text(text: &str) -> Result<Self, TicketError> {
        let bytes: [u8; 32] = URL_SAFE_NO_PAD
            .decode(text.trim())
            .ok()
            .and_then(|bytes| bytes.try_into().ok())
            .ok_or(TicketError::Malformed)?;
        Self::from_bytes(&bytes)
    }

    /// Checks a scanned code. Never panics, whatever the input.
    pub fn verify(&self, code: &str) -> Result<TicketPayload, TicketError> {
        let code = code.trim();
        if code.len() > MAX_CODE_LEN {
            return Err(TicketError::Malformed);
        }
        let encoded = code.strip_prefix(PREFIX).ok_or(TicketError::Malformed)?;
        let signed = URL_SAFE_NO_PAD
            .decode(encoded)
            .map_err(|_| TicketError::Malformed)?;
        if signed.first() != Some(&VERSION) {
            return Err(if signed.is_empty() {
                TicketError::Malformed
            } else {
                TicketError::UnknownVersion
            });
        }
        if signed.len() != SIGNED_LEN {
            return Err(TicketError::Malformed);
        }
        let (body, signature) = signed.split_at(PAYLOAD_LEN);
        let signature = Signature::from_slice(signature).map_err(|_| TicketError::Malformed)?;
        self.0
            .verify(&signed_message(body), &signature)
            .map_err(|_| TicketError::BadSignature)?;
        TicketPayload::from_bytes(body).ok_or(TicketError::Malformed)
    }
}

impl TicketPayload {
    fn to_bytes(self) -> [u8; PAYLOAD_LEN] {
        let mut bytes = [0u8; PAYLOAD_LEN];
        bytes[0] = VERSION;
        bytes[1..17].copy_from_slice(&self.ticket_id);
        bytes[17..33].copy_from_slice(&self.stage_id);
        bytes
    }

    fn from_bytes(bytes: &[u8]) -> Option<Self> {
        Some(TicketPayload {
            ticket_id: bytes.get(1..17)?.try_into().ok()?,
            stage_id: bytes.get(17..33)?.try_into().ok()?,
        })
    }
}

fn signed_message(body: &[u8]) -> Vec<u8> {
    let mut message = Vec::with_capacity(CONTEXT.len() + body.len());
    message.extend_from_slice(CONTEXT);
    message.extend_from_slice(body);
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: u8) -> TicketKey {
        TicketKey::from_seed([n; 32])
    }

    fn payload() -> TicketPayload {
        TicketPayload {
            ticket_id: *b"0123456789abcdef",
            stage_id: *b"stage-lyon-2013!",
        }
    }

    #[test]
    fn a_signed_ticket_verifies_with_the_edition_public_key() {
        let code = key(7).sign(&payload());
        assert!(code.starts_with("ET1"));
        assert!(code.len() <= MAX_CODE_LEN);
        assert_eq!(key(7).public_key().verify(&code), Ok(payload()));
        assert_eq!(
            key(7).public_key().verify(&format!("  {code}\n")),
            Ok(payload())
        );
    }

    #[test]
    fn a_ticket_signed_by_another_edition_is_refused() {
        let code = key(7).sign(&payload());
        assert_eq!(
            key(8).public_key().verify(&code),
            Err(TicketError::BadSignature)
        );
    }

    #[test]
    fn any_altered_byte_is_detected() {
        let code = key(7).sign(&payload());
        let mut signed = URL_SAFE_NO_PAD.decode(&code[3..]).unwrap();
        let public = key(7).public_key();
        for i in 0..signed.len() {
            signed[i] ^= 0x01;
            let forged = format!("ET1{}", URL_SAFE_NO_PAD.encode(&signed));
            assert!(
                public.verify(&forged).is_err(),
                "flipping byte {i} must be refused"
            );
            signed[i] ^= 0x01;
        }
    }

    #[test]
    fn truncated_garbage_and_oversized_input_is_refused_without_panicking() {
        let code = key(7).sign(&payload());
        let public = key(7).public_key();
        for cut in 0..code.len() {
            assert!(
                public.verify(&code[..cut]).is_err(),
                "a code cut at {cut} must be refused"
            );
        }
        for garbage in [
            "",
            "ET1",
            "ET1====",
            "ET1***",
            "hello",
            "ET1AAAA",
            "ET2AAAA",
            "\u{0}\u{1}",
            "ÉT1é",
        ] {
            assert!(public.verify(garbage).is_err(), "{garbage:?}");
        }
        assert_eq!(
            public.verify(&"A".repeat(10_000)),
            Err(TicketError::Malformed)
        );
        let mut longer = code.clone();
        longer.push_str("AAAA");
        assert!(public.verify(&longer).is_err());
    }

    #[test]
    fn a_newer_version_is_named_as_such() {
        let mut signed = URL_SAFE_NO_PAD
            .decode(&key(7).sign(&payload())[3..])
            .unwrap();
        signed[0] = 2;
        let code = format!("ET1{}", URL_SAFE_NO_PAD.encode(&signed));
        assert_eq!(
            key(7).public_key().verify(&code),
            Err(TicketError::UnknownVersion)
        );
    }

    #[test]
    fn a_key_survives_storage_as_its_seed_and_public_bytes() {
        let original = key(9);
        let restored = TicketKey::from_seed(original.seed());
        let public = TicketPublicKey::from_bytes(&original.public_key().to_bytes()).unwrap();
        assert_eq!(public.verify(&restored.sign(&payload())), Ok(payload()));
    }
}
