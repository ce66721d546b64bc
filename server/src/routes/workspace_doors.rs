//! The workspace's door link forms: making one (shown once, with its QR code, on the page the
//! post answers with) and revoking one. Plain form posts, like the rest of the workspace.

use super::workspace::{again, refused, see_other, signed_in, with_mistakes};
use crate::state::AppState;
use app::api::door::DoorLinkRefused;
use app::api::workspace::doors;
use app::pages::workspace::doors::{DoorAttempt, MadeDoorLink};
use app::paths;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use base64::Engine as _;
use serde::Deserialize;

/// The door link forms as posted.
#[derive(Debug, Default, Deserialize)]
pub struct PostedDoor {
    #[serde(default)]
    label: String,
}

/// `POST /workspace/editions/{edition}/stages/{stage}/doors`: makes a door link and shows it
/// once, as an address and a QR code for the door phone.
pub async fn make_door_link(
    State(state): State<AppState>,
    Path((edition, stage)): Path<(String, String)>,
    headers: HeaderMap,
    posted: Result<Form<PostedDoor>, FormRejection>,
) -> Response {
    let path = paths::workspace_doors(&edition, &stage);
    let person = match signed_in(&state, &headers).await {
        Ok(person) => person,
        Err(error) => return refused(&state, &headers, &path, error).await,
    };
    let Form(posted) = posted.unwrap_or_default();
    let now = chrono::Utc::now();
    match doors::make_door_link(&state.db, &person, &edition, &stage, &posted.label, now).await {
        Ok(made) => {
            let url = state.links.absolute(&paths::door_link(&made.secret));
            let qr_image = match crate::qr::svg(&url, 240, &made.label) {
                Ok(svg) => format!(
                    "data:image/svg+xml;base64,{}",
                    base64::engine::general_purpose::STANDARD.encode(svg)
                ),
                Err(error) => {
                    tracing::error!(%error, "door link QR code");
                    String::new()
                }
            };
            let made = MadeDoorLink {
                label: made.label,
                url,
                qr_image,
            };
            again(&state, &headers, &path, StatusCode::CREATED, made).await
        }
        Err(DoorLinkRefused::Label(error)) => {
            let attempt = DoorAttempt {
                label: posted.label,
                error: Some(error),
            };
            with_mistakes(&state, &headers, &path, attempt).await
        }
        Err(DoorLinkRefused::LabelTaken) => {
            let attempt = DoorAttempt {
                label: posted.label,
                error: None,
            };
            with_mistakes(&state, &headers, &path, attempt).await
        }
        Err(DoorLinkRefused::Error(error)) => refused(&state, &headers, &path, error).await,
    }
}

/// `POST /workspace/editions/{edition}/stages/{stage}/doors/revoke`: the door link checks
/// nothing in from the next request on.
pub async fn revoke_door_link(
    State(state): State<AppState>,
    Path((edition, stage)): Path<(String, String)>,
    headers: HeaderMap,
    posted: Result<Form<PostedDoor>, FormRejection>,
) -> Response {
    let path = paths::workspace_doors(&edition, &stage);
    let Form(posted) = posted.unwrap_or_default();
    let outcome = match signed_in(&state, &headers).await {
        Ok(person) => {
            let now = chrono::Utc::now();
            doors::revoke_door_link(&state.db, &person, &edition, &stage, &posted.label, now).await
        }
        Err(error) => Err(error),
    };
    match outcome {
        Ok(()) => see_other(&format!("{path}?revoked"), None),
        Err(error) => refused(&state, &headers, &path, error).await,
    }
}
