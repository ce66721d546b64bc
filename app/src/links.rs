//! Private links, for people without accounts. A registration's "my registration" and ticket
//! links carry a token: the registration id and an HMAC-SHA-256 of it under the site's secret,
//! one purpose label per kind of link. The server finds the registration by its id once the MAC
//! checks, and can send the same link again at any time; the database keeps nothing of these
//! tokens, so a leaked table opens no one's page.
//!
//! Links sent before (until 2026-12) carried the MAC alone, and are found by the SHA-256 hash
//! stored for them then: `LinkKey::StoredHash`. Storing a hash per link cost a randomly placed
//! entry in an index per link on every registration's write (docs/benchmarks.md).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// Name of the site secret in storage.
pub const LINK_SECRET: &str = "links";

/// What a private link opens. Each kind has its own token, so one cannot be turned into another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// See, and cancel, a registration.
    Manage,
    /// Show a ticket: forwardable, cannot cancel.
    Ticket,
    /// A personal calendar feed: its token is made from the email address, not a registration,
    /// so one feed holds every registration of the address.
    Feed,
    /// Confirm the address a registration was made with: sent only to that address.
    Confirm,
}

impl LinkKind {
    fn label(self) -> &'static [u8] {
        match self {
            LinkKind::Manage => b"etape/link/manage/v1",
            LinkKind::Ticket => b"etape/link/ticket/v1",
            LinkKind::Feed => b"etape/link/feed/v1",
            LinkKind::Confirm => b"etape/link/confirm/v1",
        }
    }
}

/// Builds the site's absolute and private URLs.
#[derive(Clone)]
pub struct Links {
    base_url: String,
    secret: [u8; 32],
    /// The key attendee feeds' addresses are sealed under, derived from `secret` once.
    feed_key: [u8; 32],
}

impl std::fmt::Debug for Links {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Links")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl Links {
    /// `base_url` is the public address of the site, e.g. `https://etape.example.org`.
    pub fn new(base_url: &str, secret: [u8; 32]) -> Self {
        let mut links = Links {
            base_url: base_url.trim_end_matches('/').to_owned(),
            secret,
            feed_key: [0; 32],
        };
        links.feed_key = links.mac_bytes(b"etape/link/feed/key/v2", "");
        links
    }

    /// The token in a `kind` link to the registration `id`. For a manage or ticket link to a
    /// registration whose id is a UUID as `uuid` writes it (all are), the id's 16 bytes and the
    /// MAC's 32, as 64 URL-safe characters; otherwise the MAC alone, 43 characters, which
    /// storage must keep a hash of to find it again.
    pub fn token(&self, kind: LinkKind, id: &str) -> String {
        match (kind, uuid::Uuid::try_parse(id)) {
            // `open` gives back the id as `uuid` writes it: only such an id is carried.
            (LinkKind::Manage | LinkKind::Ticket, Ok(uuid)) if uuid.to_string() == id => {
                let mut token = Vec::with_capacity(ID_BYTES + MAC_BYTES);
                token.extend_from_slice(uuid.as_bytes());
                token.extend_from_slice(&self.mac_bytes(kind.label(), id));
                URL_SAFE_NO_PAD.encode(token)
            }
            _ => self.mac(kind.label(), id),
        }
    }

    /// What a `kind` link's token leads to; `None` for one this site did not make, which is
    /// refused before any lookup.
    pub fn open(&self, kind: LinkKind, token: &str) -> Option<LinkKey> {
        if token.len() == ID_TOKEN_CHARS {
            let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
            let (id, mac) = bytes.split_at_checked(ID_BYTES)?;
            let id = uuid::Uuid::from_slice(id).ok()?.to_string();
            let matches = matches!(kind, LinkKind::Manage | LinkKind::Ticket)
                && self.keyed(kind.label(), &id).verify_slice(mac).is_ok();
            return matches.then_some(LinkKey::Id(id));
        }
        looks_like_token(token).then(|| LinkKey::StoredHash(token_hash(token)))
    }

    /// How the audit log names a person (`db::audit`): a keyed hash of the address, so that
    /// the log can be searched by address without keeping one, not even of a person erased.
    pub fn person_reference(&self, email: &str) -> String {
        self.mac(b"etape/audit/person/v1", email)
    }

    fn mac(&self, label: &[u8], data: &str) -> String {
        URL_SAFE_NO_PAD.encode(self.mac_bytes(label, data))
    }

    fn mac_bytes(&self, label: &[u8], data: &str) -> [u8; MAC_BYTES] {
        self.keyed(label, data).finalize().into_bytes().into()
    }

    /// The MAC of `data` under the site secret and `label`, not yet finalised.
    fn keyed(&self, label: &[u8], data: &str) -> Hmac<Sha256> {
        // HMAC accepts keys of any length, so this cannot fail.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.secret)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(label);
        mac.update(b"\0");
        mac.update(data.as_bytes());
        mac
    }

    /// An absolute URL for a path on this site.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// The `webcal://` address of a feed on this site, which calendar apps open as a
    /// subscription (they fetch it over HTTP(S)).
    pub fn webcal(&self, path: &str) -> String {
        let absolute = self.absolute(path);
        match absolute.split_once("://") {
            Some((_, rest)) => format!("webcal://{rest}"),
            None => absolute,
        }
    }

    /// The absolute address of a stage's public page.
    pub fn stage_url(&self, edition: &str, stage: &str) -> String {
        self.absolute(&crate::paths::stage(edition, stage))
    }

    pub fn manage_path(&self, id: &str) -> String {
        format!("/registrations/{}", self.token(LinkKind::Manage, id))
    }

    pub fn ticket_path(&self, id: &str) -> String {
        format!("/tickets/{}", self.token(LinkKind::Ticket, id))
    }

    /// The emailed link that confirms a registration's address (`/confirm/{token}`).
    pub fn confirm_path(&self, id: &str) -> String {
        crate::paths::confirm_address(&self.token(LinkKind::Confirm, id))
    }

    pub fn manage_url(&self, id: &str) -> String {
        self.absolute(&self.manage_path(id))
    }

    pub fn ticket_url(&self, id: &str) -> String {
        self.absolute(&self.ticket_path(id))
    }

    /// The private calendar feed of everything `email` registered for. Its token is the
    /// address sealed (XChaCha20-Poly1305, under a key derived from the site secret) with a
    /// nonce that is an HMAC of the address and its random salt (`salt`, stored with its
    /// registrations and drawn again when the person resets the feed): the server reads the
    /// address back, and the feed is the address's only while the nonce is the one its salt
    /// gives (`feed_made_with`), so a new salt gives a new address and the old one stops
    /// working. `None`: an address registered before salts existed, until it is reset. The
    /// same address and salt always give the same token, and the address is padded to a
    /// multiple of 32 bytes so that the token tells little of its length.
    pub fn attendee_feed_path(&self, email: &str, salt: Option<&str>) -> String {
        format!("/feeds/attendee/{}.ics", self.feed_token(email, salt))
    }

    pub fn attendee_feed_url(&self, email: &str, salt: Option<&str>) -> String {
        self.absolute(&self.attendee_feed_path(email, salt))
    }

    /// What storage kept, before feed tokens sealed the address, to find an attendee feed's
    /// registrations: the hash of the token of that time. The start-up backfill of
    /// registrations stored before attendee feeds existed still writes it (`state.rs`).
    pub fn attendee_feed_hash(&self, email: &str, salt: Option<&str>) -> String {
        token_hash(&self.mac(LinkKind::Feed.label(), &feed_input(email, salt)))
    }

    fn feed_token(&self, email: &str, salt: Option<&str>) -> String {
        let nonce = self.feed_nonce(email, salt);
        let mut address = email.as_bytes().to_vec();
        address.resize(
            address.len().div_ceil(FEED_PADDING).max(1) * FEED_PADDING,
            0,
        );
        let sealed = self
            .feed_cipher()
            .encrypt(XNonce::from_slice(&nonce), address.as_slice())
            .unwrap_or_else(|_| unreachable!("an address is far below the cipher's limit"));
        let mut token = nonce.to_vec();
        token.extend_from_slice(&sealed);
        URL_SAFE_NO_PAD.encode(token)
    }

    /// What an attendee feed's token leads to; `None` for one this site did not seal, which
    /// is refused before any lookup.
    pub fn open_feed(&self, token: &str) -> Option<FeedKey> {
        if looks_like_token(token) {
            return Some(FeedKey::StoredHash(token_hash(token)));
        }
        if token.len() > MOST_FEED_TOKEN_CHARS {
            return None;
        }
        let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
        let (nonce, sealed) = bytes.split_at_checked(FEED_NONCE_BYTES)?;
        let address = self
            .feed_cipher()
            .decrypt(XNonce::from_slice(nonce), sealed)
            .ok()?;
        let email = String::from_utf8(address).ok()?;
        Some(FeedKey::Address {
            email: email.trim_end_matches('\0').to_owned(),
            nonce: nonce.to_vec(),
        })
    }

    /// Whether the feed token opened as `FeedKey::Address { email, nonce }` was made with
    /// `salt`, the feed salt of a registration of `email`.
    pub fn feed_made_with(&self, nonce: &[u8], email: &str, salt: Option<&str>) -> bool {
        self.keyed(FEED_NONCE_LABEL, &feed_input(email, salt))
            .verify_truncated_left(nonce)
            .is_ok()
    }

    fn feed_nonce(&self, email: &str, salt: Option<&str>) -> [u8; FEED_NONCE_BYTES] {
        let mac = self.mac_bytes(FEED_NONCE_LABEL, &feed_input(email, salt));
        let mut nonce = [0; FEED_NONCE_BYTES];
        nonce.copy_from_slice(&mac[..FEED_NONCE_BYTES]);
        nonce
    }

    fn feed_cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(&self.feed_key.into())
    }
}

/// What a feed's MAC is made of: the address, and its salt when it has one.
fn feed_input(email: &str, salt: Option<&str>) -> String {
    match salt {
        Some(salt) => format!("{email}\0{salt}"),
        None => email.to_owned(),
    }
}

const FEED_NONCE_LABEL: &[u8] = b"etape/link/feed/nonce/v2";
const FEED_NONCE_BYTES: usize = 24;
const FEED_PADDING: usize = 32;
/// The longest sealed feed token: an address of 254 bytes, padded to 256, after the nonce and
/// before the 16-byte tag, in base64url.
const MOST_FEED_TOKEN_CHARS: usize = (FEED_NONCE_BYTES + 256 + 16).div_ceil(3) * 4;

/// How to find the registrations of an attendee feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedKey {
    /// The address's registrations, if one of them has the salt the nonce was made with.
    Address { email: String, nonce: Vec<u8> },
    /// The registrations that stored this hash of the token, for a feed token made before
    /// tokens sealed the address.
    StoredHash(String),
}

const ID_BYTES: usize = 16;
const MAC_BYTES: usize = 32;
/// Length of a token that carries its registration's id: 48 bytes in unpadded base64url.
const ID_TOKEN_CHARS: usize = 64;

/// How to find what a private link opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkKey {
    /// The registration with this id: the link's MAC was checked.
    Id(String),
    /// The row that stored this hash of the token, for a link made before tokens carried ids.
    StoredHash(String),
}

/// A fresh secret drawn at random, not derived: 256 bits, base64url, 43 characters (the shape
/// `looks_like_token` accepts). Logins, invitations, password resets and API tokens use it.
pub fn random_token() -> Result<String, crate::db::DbError> {
    Ok(URL_SAFE_NO_PAD.encode(crate::db::ticket_keys::random_seed()?))
}

/// What storage keeps of a token.
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `raw` could be a token at all; anything else is refused before any lookup.
pub fn looks_like_token(raw: &str) -> bool {
    raw.len() == 43
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_feed_salt_gives_the_address_a_new_feed() {
        let links = Links::new("https://etape.example/", [7; 32]);
        let email = "camille@example.org";
        let first = links.attendee_feed_path(email, Some("salt-1"));
        assert_eq!(first, links.attendee_feed_path(email, Some("salt-1")));
        assert_ne!(first, links.attendee_feed_path(email, Some("salt-2")));
        assert_ne!(first, links.attendee_feed_path(email, None));
        assert_ne!(
            first,
            links.attendee_feed_path("dominique@example.org", Some("salt-1"))
        );
        let token = first
            .strip_prefix("/feeds/attendee/")
            .and_then(|rest| rest.strip_suffix(".ics"))
            .unwrap();
        // The token holds the address, sealed: it is not in the link in clear, and it is
        // read back with the nonce that only this address and salt give.
        assert!(!token.contains("camille"));
        let Some(FeedKey::Address {
            email: opened,
            nonce,
        }) = links.open_feed(token)
        else {
            panic!("the feed token opens");
        };
        assert_eq!(opened, email);
        assert!(links.feed_made_with(&nonce, email, Some("salt-1")));
        assert!(!links.feed_made_with(&nonce, email, Some("salt-2")));
        assert!(!links.feed_made_with(&nonce, email, None));
        // Another secret, or one character changed, opens nothing.
        let other = Links::new("https://etape.example/", [8; 32]);
        assert_eq!(other.open_feed(token), None);
        let mut forged = token.to_owned().into_bytes();
        forged[30] = if forged[30] == b'A' { b'B' } else { b'A' };
        assert_eq!(links.open_feed(&String::from_utf8(forged).unwrap()), None);
        assert_eq!(
            links.open_feed(&"A".repeat(MOST_FEED_TOKEN_CHARS + 4)),
            None
        );
        // Addresses of 1 to 32 bytes give tokens of one length.
        assert_eq!(
            links.attendee_feed_path("a@b.fr", Some("salt-1")).len(),
            first.len()
        );
        // A token of the shape feeds had before is looked up by its stored hash.
        let old = links.mac(LinkKind::Feed.label(), &feed_input(email, Some("salt-1")));
        assert_eq!(
            links.open_feed(&old),
            Some(FeedKey::StoredHash(
                links.attendee_feed_hash(email, Some("salt-1"))
            ))
        );
    }

    #[test]
    fn each_kind_of_link_has_its_own_stable_token() {
        let links = Links::new("https://etape.example/", [7; 32]);
        let manage = links.token(LinkKind::Manage, "r1");
        assert_eq!(manage, links.token(LinkKind::Manage, "r1"));
        assert_ne!(manage, links.token(LinkKind::Ticket, "r1"));
        assert_ne!(manage, links.token(LinkKind::Manage, "r2"));
        assert_eq!(
            links.manage_url("r1"),
            format!("https://etape.example/registrations/{manage}")
        );
    }

    const ID: &str = "0e6b8a3c-5f1d-4a7e-9b2c-3d4e5f60718a";

    #[test]
    fn a_link_to_a_registration_opens_that_registration_only() {
        let links = Links::new("https://etape.example/", [7; 32]);
        let manage = links.token(LinkKind::Manage, ID);
        assert_eq!(manage.len(), ID_TOKEN_CHARS);
        assert_eq!(manage, links.token(LinkKind::Manage, ID));
        assert_eq!(
            links.open(LinkKind::Manage, &manage),
            Some(LinkKey::Id(ID.to_owned()))
        );
        // A ticket link does not open the registration's page, nor the other way round.
        let ticket = links.token(LinkKind::Ticket, ID);
        assert_eq!(links.open(LinkKind::Manage, &ticket), None);
        assert_eq!(links.open(LinkKind::Ticket, &manage), None);
        assert_eq!(
            links.open(LinkKind::Ticket, &ticket),
            Some(LinkKey::Id(ID.to_owned()))
        );
        // An id written otherwise is not carried: `open` could not give it back as stored.
        assert_eq!(links.token(LinkKind::Manage, &ID.to_uppercase()).len(), 43);
        // Another secret's link, or another id with this MAC, opens nothing.
        let other = Links::new("https://etape.example/", [8; 32]);
        assert_eq!(other.open(LinkKind::Manage, &manage), None);
        let mut bytes = URL_SAFE_NO_PAD.decode(&manage).unwrap();
        bytes[0] ^= 1;
        assert_eq!(
            links.open(LinkKind::Manage, &URL_SAFE_NO_PAD.encode(bytes)),
            None
        );
    }

    #[test]
    fn a_link_made_before_ids_is_found_by_its_stored_hash() {
        let links = Links::new("https://etape.example/", [7; 32]);
        let old = links.mac(LinkKind::Manage.label(), ID);
        assert_eq!(
            links.open(LinkKind::Manage, &old),
            Some(LinkKey::StoredHash(token_hash(&old)))
        );
        assert_eq!(links.open(LinkKind::Manage, "not a token"), None);
        assert_eq!(
            links.open(LinkKind::Manage, &"%".repeat(ID_TOKEN_CHARS)),
            None
        );
        // A confirmation link keeps the MAC-only shape: it is found by its stored hash.
        let confirm = links.token(LinkKind::Confirm, ID);
        assert_eq!(
            links.open(LinkKind::Confirm, &confirm),
            Some(LinkKey::StoredHash(token_hash(&confirm)))
        );
    }

    #[test]
    fn another_secret_gives_other_tokens() {
        let a = Links::new("http://a", [1; 32]);
        let b = Links::new("http://a", [2; 32]);
        assert_ne!(
            a.token(LinkKind::Ticket, "r"),
            b.token(LinkKind::Ticket, "r")
        );
    }

    #[test]
    fn only_well_formed_tokens_are_looked_up() {
        assert!(!looks_like_token(""));
        assert!(!looks_like_token(&"a".repeat(44)));
        assert!(!looks_like_token(&format!("{}%", "a".repeat(42))));
        assert_eq!(token_hash("x").len(), 64);
    }
}
