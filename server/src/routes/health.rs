//! `GET /healthz`: is the process up, and does the database answer?

use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;
use std::time::Duration;

#[derive(Serialize)]
pub struct Health {
    status: &'static str,
    database: DatabaseHealth,
}

#[derive(Serialize)]
pub struct DatabaseHealth {
    engine: &'static str,
    ok: bool,
}

/// Answers 200 while the process serves requests, and says in the body whether the database
/// answers, so a load balancer and a person can both read it.
pub async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let ok = matches!(
        tokio::time::timeout(Duration::from_secs(2), state.db.ping()).await,
        Ok(Ok(()))
    );
    if !ok {
        tracing::warn!("health check: the database does not answer");
    }
    let body = Health {
        status: if ok { "ok" } else { "degraded" },
        database: DatabaseHealth {
            engine: state.db.engine().name(),
            ok,
        },
    };
    (StatusCode::OK, Json(body))
}
