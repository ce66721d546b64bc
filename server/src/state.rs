//! What every request handler shares: storage, the caches, the link maker, the outbox and the
//! limits, built once at start-up. `AppState::desk` is the one place a registration desk is
//! built, for the pages, the plain routes, the JSON API and the organiser commands alike.

use crate::config::Config;
use crate::pages::PageRenderer;
use crate::startup::StartupError;
use app::api::cache::ProgrammeCache;
use app::api::limits::Limits;
use app::api::outbox::Outbox;
use app::api::registration::Desk;
use app::db::{Db, DbError};
use app::links::{Links, LINK_SECRET};
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::net::IpAddr;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub links: Arc<Links>,
    pub outbox: Outbox,
    pub limits: Arc<Limits>,
    /// How many proxies of our own stand before the server (`client::remember_client`).
    pub trust_proxy: u8,
    /// Cookies carry `Secure`: the site is served over HTTPS (its public URL says so).
    pub secure_cookies: bool,
    /// What the public pages and the JSON API read, cached for a second; one per server.
    pub programme: Arc<ProgrammeCache>,
    /// Renders pages from plain handlers; set by `build_router`.
    pub pages: PageRenderer,
    /// Calendar feeds as last rendered, for a second.
    pub feeds: Arc<crate::routes::feeds::FeedCache>,
    /// How many requests run and wait at once, and for how long.
    pub load: crate::config::LoadLimits,
}

impl AppState {
    /// The state of a server on `db`: loads (or draws, the first time) the links secret.
    pub async fn new(config: &Config, db: Db, outbox: Outbox) -> Result<Self, StartupError> {
        let secret = app::db::secrets::site_secret(&db, LINK_SECRET, chrono::Utc::now())
            .await
            .map_err(StartupError::Storage)?;
        let links = Arc::new(Links::new(&config.public_url(), secret));
        fill_feed_tokens(&db, &links)
            .await
            .map_err(StartupError::Storage)?;
        fill_short_codes(&db).await.map_err(StartupError::Storage)?;
        let leptos_options = config.leptos_options();
        Ok(AppState {
            pages: PageRenderer::new(|| {}, leptos_options.clone()),
            leptos_options,
            db,
            links,
            outbox,
            limits: Arc::new(
                Limits::new(
                    config.limits.registrations_per_minute,
                    config.limits.lost_links_per_minute,
                    config.limits.logins_per_minute,
                )
                .with_emails_per_address(config.limits.emails_per_address_per_minute),
            ),
            trust_proxy: config.limits.trust_proxy,
            secure_cookies: config.public_url().starts_with("https://"),
            programme: ProgrammeCache::new(app::api::cache::TTL),
            feeds: Arc::new(app::api::cache::TtlCache::new(app::api::cache::TTL)),
            load: config.load,
        })
    }
}

/// Once per database: attendee feeds for registrations stored before feeds existed. The
/// token is derived from the links secret, so plain SQL cannot make it.
async fn fill_feed_tokens(db: &Db, links: &Links) -> Result<(), DbError> {
    use app::db::backfills;
    use app::db::registrations::{fill_feed_token_hashes, FEED_TOKENS_BACKFILL};
    if backfills::is_done(db, FEED_TOKENS_BACKFILL).await? {
        return Ok(());
    }
    let filled = fill_feed_token_hashes(db, |email| links.attendee_feed_hash(email, None)).await?;
    tracing::info!(
        addresses = filled,
        "attendee feeds made for older registrations"
    );
    backfills::mark_done(db, FEED_TOKENS_BACKFILL, chrono::Utc::now()).await
}

/// Once per database: short codes for tickets issued before they existed. Plain SQL cannot
/// draw them the same way on both engines.
async fn fill_short_codes(db: &Db) -> Result<(), DbError> {
    use app::db::backfills;
    use app::db::registrations::{fill_short_codes, SHORT_CODES_BACKFILL};
    if backfills::is_done(db, SHORT_CODES_BACKFILL).await? {
        return Ok(());
    }
    let filled = fill_short_codes(db).await?;
    tracing::info!(tickets = filled, "short codes given to older tickets");
    backfills::mark_done(db, SHORT_CODES_BACKFILL, chrono::Utc::now()).await
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl AppState {
    /// The registration desk for a request from `client` (its address, for the rate limits;
    /// `None` for a command or a page render that limits nothing).
    pub fn desk(&self, client: Option<IpAddr>) -> Desk {
        Desk {
            db: self.db.clone(),
            links: self.links.clone(),
            outbox: self.outbox.clone(),
            limits: self.limits.clone(),
            cache: self.programme.clone(),
            client,
        }
    }
}
