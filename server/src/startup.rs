//! Building and running the server.

use crate::config::{Config, Storage};
use crate::pages::PageRenderer;
use crate::routes;
use crate::state::AppState;
use app::api::outbox::Outbox;
use app::db::{ConnectError, Db, DbError};
use app::demo::{self, DemoError};
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::Router;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::time::Duration;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Connect(#[from] ConnectError),
    #[error("cannot migrate the database: {0}")]
    Migrate(DbError),
    #[error(transparent)]
    MasterKey(#[from] crate::master_key::MasterKeyError),
    /// Reading or writing the database failed after it was migrated.
    #[error("the database failed: {0}")]
    Storage(DbError),
    #[error(transparent)]
    Mail(#[from] crate::mail::MailConfigError),
    #[error("cannot load the demo: {0}")]
    Demo(#[from] DemoError),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Command(String),
}

/// Connects, brings the schema up to date, and opens the sealed secrets with the master key
/// (sealing any an earlier version kept in clear).
pub async fn prepare_database(storage: &Storage) -> Result<Db, StartupError> {
    let db = Db::connect(&storage.url).await?;
    db.migrate().await.map_err(StartupError::Migrate)?;
    crate::master_key::unlock(&db, &storage.master_key).await?;
    Ok(db)
}

/// The app's page routes, generated once per process. Generating them runs the app with
/// resource loading switched off by a process-wide flag (leptos_server's
/// `SuppressResourceLoad`), and a page of another server that starts loading its data at that
/// moment waits forever (leptos issue #4773). A deployed process builds one router before it
/// serves; the tests build many in one process while others render, so the list is made once.
fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES
        .get_or_init(|| generate_route_list(app::app::App))
        .clone()
}

/// The whole HTTP surface: static assets, plain routes, then the Leptos pages and server fns.
pub fn build_router(mut state: AppState) -> Router {
    let options = state.leptos_options.clone();
    let site_root = std::path::PathBuf::from(options.site_root.as_ref());
    let routes = page_routes();
    let db = state.db.clone();

    // Hashed file names change with their content, so browsers may keep them for a year.
    let immutable = SetResponseHeaderLayer::overriding(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    let pkg = ServeDir::new(site_root.join(options.site_pkg_dir.as_ref()))
        .precompressed_br()
        .precompressed_gzip();
    // Unhashed names: cached for a day, so a new icon shows up by tomorrow.
    let public_file = |name: &str| {
        tower::ServiceBuilder::new()
            .layer(SetResponseHeaderLayer::overriding(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=86400"),
            ))
            .service(ServeFile::new(site_root.join(name)))
    };

    let revalidated = || {
        SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        )
    };
    let door_files = tower::ServiceBuilder::new().layer(revalidated()).service(
        ServeDir::new(&site_root)
            .precompressed_br()
            .precompressed_gzip(),
    );
    let revalidated_file = |name: &str| {
        tower::ServiceBuilder::new()
            .layer(revalidated())
            .service(ServeFile::new(site_root.join(name)).precompressed_gzip())
    };

    let cache = state.programme.clone();
    let context = {
        let db = db.clone();
        let options = options.clone();
        let links = state.links.clone();
        // Server functions take this desk and add the client's address (`Desk::from_context`).
        let desk = state.desk(None);
        move || {
            provide_context(db.clone());
            provide_context(cache.clone());
            provide_context(options.clone());
            provide_context(links.clone());
            provide_context(desk.clone());
        }
    };
    state.pages = PageRenderer::new(context.clone(), options.clone());
    let shell = {
        let options = options.clone();
        move || app::app::shell(options.clone())
    };
    // Paths no route matches still get the app, whose router answers with the 404 page.
    let not_found = leptos_axum::render_app_to_stream_with_context(context.clone(), shell.clone());
    let pages = Router::new()
        .leptos_routes_with_context(&state, routes, context, shell)
        .fallback(not_found)
        .layer(axum::middleware::from_fn(keep_private_pages_private))
        .layer(axum::middleware::from_fn_with_state(
            crate::page_cache::PageCache::new(crate::page_cache::TTL),
            crate::page_cache::serve_cached,
        ))
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest))
        .with_state(state.clone());

    Router::new()
        .nest_service("/pkg", tower::ServiceBuilder::new().layer(immutable).service(pkg))
        .route_service("/favicon.svg", public_file("favicon.svg"))
        .route_service("/robots.txt", public_file("robots.txt"))
        // The door scanner's client: fixed names, revalidated on every visit (its service
        // worker serves them when the door is offline). `/door/…` files live in the site's
        // `door/` folder; the worker sits at the root so that its scope may be `/door`.
        .route_service("/door/{*file}", door_files.clone())
        .route_service("/door-sw.js", revalidated_file("door/sw.js"))
        // The ticket page's script and its service worker (scope `/tickets/`), revalidated
        // like the door's so that a fix reaches phones at once.
        .route_service("/ticket.js", revalidated_file("ticket.js"))
        .route_service("/ticket-sw.js", revalidated_file("ticket-sw.js"))
        .merge(routes::router(state.clone()))
        .merge(pages)
        .layer(axum::middleware::from_fn(crate::csrf::refuse_cross_site))
        .layer(axum::middleware::from_fn_with_state(
            state.trust_proxy,
            crate::client::remember_client,
        ))
        // A request's time starts once it has its turn; waiting for it has its own bound.
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            state.load.request_timeout,
        ))
        .layer(axum::middleware::from_fn_with_state(
            crate::admission::Admission::new(
                state.load.most_running,
                state.load.most_waiting,
                state.load.request_timeout,
            ),
            crate::admission::admit,
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request<_>| {
                    // A number per request, so that every line one request logs (its
                    // registration, the batch that admitted it) can be followed.
                    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
                    let id = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    tracing::info_span!("request", id, method = %request.method(), path = %loggable_path(request.uri().path()))
                })
                .on_request(())
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
}

/// The path as logs may keep it: private-link tokens replaced by `…`.
fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    for prefix in [
        "/registrations/",
        "/tickets/",
        "/feeds/attendee/",
        "/confirm/",
    ] {
        if let Some(rest) = path.strip_prefix(prefix) {
            let after = rest.find('/').map(|i| &rest[i..]).unwrap_or("");
            return format!("{prefix}…{after}").into();
        }
    }
    path.into()
}

/// Pages behind a private link or a login: never stored by a cache, never leaked through
/// `Referer`.
async fn keep_private_pages_private(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let private = {
        let path = request.uri().path();
        path.starts_with("/registrations/")
            || path.starts_with("/tickets/")
            || path.starts_with("/confirm/")
            || path == app::paths::WORKSPACE
            || path.starts_with("/workspace/")
    };
    let mut response = next.run(request).await;
    if private {
        let headers = response.headers_mut();
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
    }
    response
}

/// Serves until Ctrl-C or SIGTERM.
pub async fn serve(config: Config) -> Result<(), StartupError> {
    let mail = crate::mail::MailSettings::new(config.smtp_url.as_ref(), &config.mail_from)?;
    let db = prepare_database(&config.storage).await?;
    if config.demo_on_empty
        && !app::db::editions::any_edition(&db)
            .await
            .map_err(StartupError::Storage)?
    {
        let report = demo::load(&db, chrono::Utc::now().date_naive()).await?;
        tracing::info!(loaded = ?report.loaded, "empty database: demo editions loaded");
    }
    crate::auth::password::prepare_decoy();
    // One outbox per process: requests queue into it, the worker drains it.
    let outbox = Outbox::new();
    let state = AppState::new(&config, db.clone(), outbox.clone()).await?;
    // The worker writes through a desk the emails stored before they were written.
    let delivery = crate::mail::spawn_delivery(state.desk(None), outbox, mail);
    // Reminders are queued through the same desk as every other email, and wake the worker.
    let passes = crate::passes::spawn_minute_passes(state.desk(None), crate::passes::PERIOD);
    let purge = crate::purge::spawn_purge(db.clone(), config.retention_days, crate::purge::PERIOD);
    let checkpoints = crate::checkpoints::spawn_checkpoints(db.clone(), crate::checkpoints::PERIOD);
    let app = build_router(state);
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|source| StartupError::Listen {
            addr: config.addr.to_string(),
            source,
        })?;
    tracing::info!(address = %config.addr, database = db.engine().name(), "Étape is listening on http://{}", config.addr);
    crate::listen::serve(listener, app, shutdown_signal()).await;
    // Emails still pending stay in the outbox; the next start sends them.
    passes.abort();
    purge.abort();
    if let Some(checkpoints) = checkpoints {
        checkpoints.abort();
    }
    delivery.abort();
    tokio::time::timeout(Duration::from_secs(5), db.close())
        .await
        .ok();
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}

#[cfg(test)]
mod tests {
    use super::loggable_path;

    #[test]
    fn private_link_tokens_never_reach_the_logs() {
        assert_eq!(
            loggable_path("/registrations/abcDEF_-123"),
            "/registrations/…"
        );
        assert_eq!(loggable_path("/tickets/abc/qr.png"), "/tickets/…/qr.png");
        assert_eq!(loggable_path("/confirm/abc"), "/confirm/…");
        assert_eq!(
            loggable_path("/social-good-week-demo/lyon"),
            "/social-good-week-demo/lyon"
        );
    }
}
