//! Server functions: thin. Parse the request, load through `db`, decide with `domain`, answer
//! with a view made for the page. Every one returns `Result<_, AppError>`.

#[cfg(feature = "ssr")]
pub mod cache;
#[cfg(feature = "ssr")]
pub mod door;
#[cfg(feature = "ssr")]
pub mod limits;
#[cfg(feature = "ssr")]
pub mod outbox;
pub mod programme;
pub mod registration;
pub mod rich_text;
pub mod views;
pub mod workspace;

/// What a server function answers: a refusal keeps its own HTTP status (404, 403, 401…)
/// instead of the 500 of a server failure, whether a script calls the function or a page
/// renders with it (where `ErrorNotice` sets the same status).
#[cfg(feature = "ssr")]
pub(crate) fn answered<T>(
    result: Result<T, crate::error::AppError>,
) -> Result<T, crate::error::AppError> {
    if let Err(error) = &result {
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(error.status());
        }
    }
    result
}

#[cfg(feature = "ssr")]
pub(crate) fn db() -> Result<crate::db::Db, crate::error::AppError> {
    leptos::prelude::use_context::<crate::db::Db>().ok_or_else(|| {
        tracing::error!("no database in the request context");
        crate::error::AppError::Internal
    })
}

/// The link maker of this server.
#[cfg(feature = "ssr")]
pub(crate) fn links() -> Result<std::sync::Arc<crate::links::Links>, crate::error::AppError> {
    leptos::prelude::use_context::<std::sync::Arc<crate::links::Links>>().ok_or_else(|| {
        tracing::error!("no links in the request context");
        crate::error::AppError::Internal
    })
}

/// The programme cache of this server; a disabled one when none was provided (tests).
#[cfg(feature = "ssr")]
pub(crate) fn programme_cache() -> std::sync::Arc<cache::ProgrammeCache> {
    leptos::prelude::use_context::<std::sync::Arc<cache::ProgrammeCache>>()
        .unwrap_or_else(|| cache::ProgrammeCache::new(std::time::Duration::ZERO))
}
