//! The public pages' paths, in one place for the pages, the emails, the feeds and the JSON API
//! (server and browser alike). Private links are made by `links::Links`, which holds the
//! secret behind their tokens.

/// An edition's page: `/{edition}`.
pub fn edition(edition: &str) -> String {
    format!("/{edition}")
}

/// A stage's page: `/{edition}/{stage}`.
pub fn stage(edition: &str, stage: &str) -> String {
    format!("/{edition}/{stage}")
}

/// Where the stage page's form posts without JavaScript.
pub fn register(edition: &str, stage: &str) -> String {
    format!("/{edition}/{stage}/register")
}

/// The page behind the emailed link that confirms a registration's address, where its button
/// posts too.
pub fn confirm_address(token: &str) -> String {
    format!("/confirm/{token}")
}

/// The JSON API's registrations of a stage, which the enhanced form posts to.
pub fn api_registrations(edition: &str, stage: &str) -> String {
    format!("/api/v1/editions/{edition}/stages/{stage}/registrations")
}

/// The organiser workspace's home.
pub const WORKSPACE: &str = "/workspace";
/// Where a platform administrator creates an edition (the page, and where its form posts).
pub const WORKSPACE_NEW_EDITION: &str = "/workspace/editions/new";
/// A stored edition's form in the workspace, where it posts too.
pub fn workspace_edition(edition: &str) -> String {
    format!("/workspace/editions/{edition}")
}

/// Where "publish" posts for a draft edition.
pub fn workspace_publish_edition(edition: &str) -> String {
    format!("/workspace/editions/{edition}/publish")
}

/// Where "publish" posts for a draft stage.
pub fn workspace_publish_stage(edition: &str, stage: &str) -> String {
    format!("/workspace/editions/{edition}/stages/{stage}/publish")
}

/// The new-stage form of an edition, where it posts too.
pub fn workspace_new_stage(edition: &str) -> String {
    format!("/workspace/editions/{edition}/stages/new")
}

/// A stage's page in the workspace: its form, where it posts too.
pub fn workspace_stage(edition: &str, stage: &str) -> String {
    format!("/workspace/editions/{edition}/stages/{stage}")
}

/// A stage as the public will see it, for its organisers, before and after publishing.
pub fn workspace_preview_stage(edition: &str, stage: &str) -> String {
    format!("/workspace/editions/{edition}/stages/{stage}/preview")
}

/// A stage's door links in the workspace, where the "make a door link" form posts too.
pub fn workspace_doors(edition: &str, stage: &str) -> String {
    format!("/workspace/editions/{edition}/stages/{stage}/doors")
}

/// Where a door link's "revoke" button posts (with its label).
pub fn workspace_revoke_door(edition: &str, stage: &str) -> String {
    format!("/workspace/editions/{edition}/stages/{stage}/doors/revoke")
}

/// The page a door phone opens; the secret rides in the fragment, which no browser sends.
pub fn door_link(secret: &str) -> String {
    format!("/door#{secret}")
}

/// A stage's line-up in the workspace, where its forms post too.
pub fn workspace_lineup(edition: &str, stage: &str) -> String {
    format!("/workspace/editions/{edition}/stages/{stage}/lineup")
}

/// The confirmation step of cancelling a stage, where it posts too.
pub fn workspace_cancel_stage(edition: &str, stage: &str) -> String {
    format!("/workspace/editions/{edition}/stages/{stage}/cancel")
}

/// An edition's team: its members, open invitations and the form to invite.
pub fn workspace_team(edition: &str) -> String {
    format!("/workspace/editions/{edition}/team")
}

/// Where "remove from the team" posts.
pub fn workspace_remove_member(edition: &str) -> String {
    format!("/workspace/editions/{edition}/team/remove")
}

/// Where "withdraw" posts for an open invitation.
pub fn workspace_withdraw_invitation(edition: &str, id: &str) -> String {
    format!("/workspace/editions/{edition}/team/invitations/{id}/withdraw")
}

/// The page an invitation's email links to, where accepting posts too.
pub fn workspace_invitation(token: &str) -> String {
    format!("/workspace/invitations/{token}")
}

/// "Forgot my password": asking for a link, where the form posts too.
pub const WORKSPACE_PASSWORD_RESET: &str = "/workspace/password-reset";

/// The page a password reset email links to, where the new password posts too.
pub fn workspace_password_reset(token: &str) -> String {
    format!("/workspace/password-reset/{token}")
}

/// The signed-in person's API tokens, where making one posts too.
pub const WORKSPACE_TOKENS: &str = "/workspace/tokens";

/// Where "revoke" posts for one of them.
pub fn workspace_revoke_token(id: &str) -> String {
    format!("/workspace/tokens/{id}/revoke")
}

/// Its login page, where its login form posts too.
pub const WORKSPACE_LOGIN: &str = "/workspace/login";
/// Where "log out" posts.
pub const WORKSPACE_LOGOUT: &str = "/workspace/logout";
/// Where "log out everywhere" posts.
pub const WORKSPACE_LOGOUT_EVERYWHERE: &str = "/workspace/logout-everywhere";

#[cfg(test)]
mod tests {
    #[test]
    fn a_stage_page_sits_under_its_edition() {
        assert_eq!(super::stage("sgw-2026", "lyon"), "/sgw-2026/lyon");
        assert_eq!(
            super::register("sgw-2026", "lyon"),
            "/sgw-2026/lyon/register"
        );
    }
}
