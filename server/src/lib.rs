//! The `etape` server: configuration, the HTTP router around the Leptos app, and start-up
//! (connect, migrate, demo on an empty database). A library so that tests can boot it.

pub mod admin;
pub mod admission;
pub mod auth;
pub mod checkpoints;
pub mod client;
pub mod config;
pub mod content_coding;
pub mod csrf;
pub mod feeds;
pub mod listen;
pub mod mail;
pub mod master_key;
pub mod page_cache;
pub mod pages;
pub mod passes;
pub mod purge;
pub mod qr;
pub mod routes;
pub mod startup;
pub mod state;
pub mod ticket_card;

pub use config::Config;
pub use startup::{build_router, prepare_database, serve, StartupError};
pub use state::AppState;
