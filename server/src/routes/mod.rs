//! Plain axum routes beside the Leptos pages, and the JSON API under `/api/v1`.

pub mod api_v1;
pub mod door;
pub mod feeds;
pub mod health;
pub mod lang;
pub mod registration;
pub mod workspace;
pub mod workspace_doors;

use crate::state::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/door", get(door::door_page))
        .route("/lang/{code}", get(lang::choose_language))
        .route("/{edition}/{stage}/register", post(registration::register))
        .route("/registrations/{token}/cancel", post(registration::cancel))
        .route(
            "/registrations/{token}/feed",
            post(registration::reset_feed),
        )
        .route("/lost-link", post(registration::lost_link))
        .route("/confirm/{token}", post(registration::confirm_address))
        .route(app::paths::WORKSPACE_LOGIN, post(workspace::login))
        .route(app::paths::WORKSPACE_LOGOUT, post(workspace::logout))
        .route(
            app::paths::WORKSPACE_NEW_EDITION,
            post(workspace::create_edition),
        )
        .route(
            "/workspace/editions/{edition}",
            post(workspace::save_edition),
        )
        .route(
            "/workspace/editions/{edition}/publish",
            post(workspace::publish_edition),
        )
        .route(
            "/workspace/editions/{edition}/stages/{stage}/publish",
            post(workspace::publish_stage),
        )
        .route(
            "/workspace/editions/{edition}/stages/new",
            post(workspace::create_stage),
        )
        .route(
            "/workspace/editions/{edition}/stages/{stage}",
            post(workspace::save_stage),
        )
        .route(
            "/workspace/editions/{edition}/stages/{stage}/cancel",
            post(workspace::cancel_stage),
        )
        .route(
            "/workspace/editions/{edition}/stages/{stage}/lineup",
            post(workspace::change_lineup),
        )
        .route(
            "/workspace/editions/{edition}/stages/{stage}/doors",
            post(workspace_doors::make_door_link),
        )
        .route(
            "/workspace/editions/{edition}/stages/{stage}/doors/revoke",
            post(workspace_doors::revoke_door_link),
        )
        .route(
            "/workspace/editions/{edition}/team",
            post(workspace::invite),
        )
        .route(
            "/workspace/editions/{edition}/team/remove",
            post(workspace::remove_member),
        )
        .route(
            "/workspace/editions/{edition}/team/invitations/{id}/withdraw",
            post(workspace::withdraw_invitation),
        )
        .route(
            "/workspace/invitations/{token}",
            post(workspace::accept_invitation),
        )
        .route(app::paths::WORKSPACE_TOKENS, post(workspace::make_token))
        .route(
            "/workspace/tokens/{id}/revoke",
            post(workspace::revoke_token),
        )
        .route(
            app::paths::WORKSPACE_PASSWORD_RESET,
            post(workspace::ask_password_reset),
        )
        .route(
            "/workspace/password-reset/{token}",
            post(workspace::set_password),
        )
        .route(
            app::paths::WORKSPACE_LOGOUT_EVERYWHERE,
            post(workspace::logout_everywhere),
        )
        .route("/tickets/{token}/{file}", get(registration::ticket_file))
        .route("/feeds/{file}", get(feeds::edition))
        .route("/feeds/attendee/{file}", get(feeds::attendee))
        .route("/feeds/{edition}/{file}", get(feeds::city))
        .route("/feeds/{edition}/stages/{file}", get(feeds::stage))
        .with_state(state.clone())
        .merge(api_v1::router(state))
}
