//! Plain axum routes beside the Leptos pages.

pub mod health;
pub mod lang;

use crate::startup::AppState;
use axum::routing::get;
use axum::Router;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/lang/{code}", get(lang::choose_language))
        .with_state(state)
}
