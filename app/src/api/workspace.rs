//! The organiser workspace's server functions: who is signed in, and what they may see.
//! Every function here starts from `SignedIn::from_request` and asks `domain::access::may`
//! for the object it touches; a page and a direct call of the endpoint get the same answer.

use crate::domain::lineup_form::PieceForm;
use crate::domain::stage_form::StageForm;
use crate::domain::{EditionStatus, StageStatus};
use crate::error::AppError;
use chrono::{NaiveDate, NaiveDateTime};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub use session::{session_cookie, session_id_hash, SignedIn, SESSION_COOKIE};

/// The organiser's home: the editions and stages within their roles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceHome {
    pub name: String,
    pub email: String,
    pub platform_admin: bool,
    pub editions: Vec<EditionDesk>,
}

/// One edition as its team sees it, with the stages they may see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditionDesk {
    pub slug: String,
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub status: EditionStatus,
    /// The whole edition is theirs (edition or platform admin), not only some stages.
    pub whole_edition: bool,
    pub stages: Vec<StageLine>,
}

/// A stage in the workspace's lists; times on the stage's clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageLine {
    pub slug: String,
    pub city: String,
    pub status: StageStatus,
    pub starts: NaiveDateTime,
    pub time_zone: String,
    pub capacity: u32,
    pub confirmed: u32,
    pub waiting: u32,
    /// Among the confirmed and the waiting: held until their address is confirmed.
    pub held: u32,
}

/// The stage form's page: its edition, the form (blank or as stored), and the stage itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageDesk {
    pub edition_slug: String,
    pub edition_name: String,
    pub edition_status: EditionStatus,
    pub edition_starts_on: NaiveDate,
    pub edition_ends_on: NaiveDate,
    pub form: StageForm,
    /// `None` for a new stage.
    pub stage: Option<StageSheet>,
}

/// A stored stage, as its form's page needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageSheet {
    pub slug: String,
    pub city: String,
    pub status: StageStatus,
    /// Confirmed and waiting: who hears about a new time, place or a cancellation.
    pub registrants: u32,
    /// OpenStreetMap at the stored coordinates (or searching the address), to check them.
    pub map_url: String,
    pub cancellation_reason: Option<String>,
}

/// The edition form's page for a stored edition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditionSheet {
    pub slug: String,
    pub name: String,
    pub status: EditionStatus,
    pub form: crate::domain::edition_form::EditionForm,
}

/// One of the person's API tokens, as their list shows it (never the token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenLine {
    pub id: String,
    pub name: String,
    pub created_on: NaiveDate,
    pub last_used_on: Option<NaiveDate>,
}

/// A stage's line-up page: each piece as its form shows it, and the version they were read at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineupDesk {
    pub edition_slug: String,
    pub edition_name: String,
    pub stage_slug: String,
    pub stage_city: String,
    pub stage_status: StageStatus,
    pub time_zone: String,
    pub version: String,
    pub speakers: Vec<PieceForm>,
    pub projects: Vec<PieceForm>,
    /// The programme, in time order.
    pub items: Vec<PieceForm>,
    /// A blank item, starting when the stage does.
    pub new_item: PieceForm,
}

/// A stage's door links, as its organisers manage them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoorDesk {
    pub edition_slug: String,
    pub stage_slug: String,
    pub stage_city: String,
    pub doors: Vec<DoorLine>,
    /// Tickets checked in so far, and confirmed registrations.
    pub checked_in: u32,
    pub confirmed: u32,
    /// Tickets two doors admitted while offline, in the stage's local time.
    pub double_admissions: Vec<DoubleAdmissionLine>,
}

/// A ticket two doors admitted while offline: the first admission stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoubleAdmissionLine {
    pub name: String,
    pub first_door: String,
    pub first_at: chrono::NaiveDateTime,
    pub also_door: String,
    pub also_at: chrono::NaiveDateTime,
}

/// A door link in the list (never its secret, which is not kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoorLine {
    pub label: String,
    pub made_on: NaiveDate,
    pub revoked: bool,
    pub checked_in: u32,
}

/// An edition's team page: its members and open invitations within the person's reach, and
/// the roles they may invite to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamDesk {
    pub edition_slug: String,
    pub edition_name: String,
    pub may_invite_admins: bool,
    /// (slug, city) of the stages the person may invite organisers to.
    pub stages: Vec<(String, String)>,
    pub members: Vec<MemberLine>,
    pub pending: Vec<InvitationLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberLine {
    pub account_id: String,
    pub name: String,
    pub email: String,
    /// `None` for an edition admin.
    pub stage_city: Option<String>,
    /// The role's stage slug, or `edition` for an edition admin (what "remove" posts).
    pub role: String,
    /// The person may take this role away (as they may invite to it).
    pub removable: bool,
    /// The person's own role: theirs to leave.
    pub mine: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationLine {
    pub id: String,
    pub email: String,
    pub stage_city: Option<String>,
    pub invited_by: String,
    pub expires_on: NaiveDate,
    pub state: crate::domain::account::InvitationState,
}

/// An invitation as the person invited sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    pub state: crate::domain::account::InvitationState,
    pub email: String,
    pub edition_name: String,
    pub stage_city: Option<String>,
    pub invited_by: String,
    /// The invited address already has an account: they log in and accept with it.
    pub account_exists: bool,
    /// The address of whoever is signed in on this browser, if anyone.
    pub signed_in_as: Option<String>,
}

#[server(endpoint = "workspace_home")]
pub async fn get_workspace_home() -> Result<WorkspaceHome, AppError> {
    super::answered(
        async move {
            use crate::domain::access::{may, stage_reach, Action, StageReach};
            let signed_in = SignedIn::from_request().await?;
            let db = super::db()?;
            let roles = &signed_in.roles;
            let mut editions = Vec::new();
            for edition in crate::db::workspace::editions(&db).await? {
                if !may(
                    roles,
                    Action::SeeEdition {
                        edition: &edition.id,
                    },
                ) {
                    continue;
                }
                let reach = stage_reach(roles, &edition.id);
                let stages = crate::db::workspace::stages(&db, &edition.id)
                    .await?
                    .into_iter()
                    .filter(|stage| match &reach {
                        StageReach::All => true,
                        StageReach::Only(ids) => ids.contains(&stage.id.as_str()),
                    })
                    .map(stage_line)
                    .collect();
                editions.push(EditionDesk {
                    slug: edition.slug,
                    name: edition.name,
                    starts_on: edition.starts_on,
                    ends_on: edition.ends_on,
                    status: edition.status,
                    whole_edition: reach == StageReach::All,
                    stages,
                });
            }
            Ok(WorkspaceHome {
                name: signed_in.account.name.clone(),
                email: signed_in.account.email.clone(),
                platform_admin: signed_in.account.platform_admin,
                editions,
            })
        }
        .await,
    )
}

/// Whether the person may open the "new edition" form: `SignedOut`, `Forbidden` or `Ok`.
#[server(endpoint = "workspace_edition_form")]
pub async fn get_edition_form_access() -> Result<(), AppError> {
    super::answered(
        async move {
            SignedIn::from_request()
                .await?
                .require(crate::domain::access::Action::CreateEdition)
        }
        .await,
    )
}

/// The stage form of edition `edition`: blank when `stage` is `None`, else as stored.
#[server(endpoint = "workspace_stage")]
pub async fn get_stage_desk(edition: String, stage: Option<String>) -> Result<StageDesk, AppError> {
    super::answered(
        async move {
            let person = SignedIn::from_request().await?;
            stages::stage_desk(&super::db()?, &person, &edition, stage.as_deref()).await
        }
        .await,
    )
}

/// A stored edition's form, for those who may change the edition.
#[server(endpoint = "workspace_edition")]
pub async fn get_edition_sheet(edition: String) -> Result<EditionSheet, AppError> {
    super::answered(
        async move {
            let person = SignedIn::from_request().await?;
            actions::edition_sheet(&super::db()?, &person, &edition).await
        }
        .await,
    )
}

/// The signed-in person's API tokens.
#[server(endpoint = "workspace_tokens")]
pub async fn get_tokens() -> Result<Vec<TokenLine>, AppError> {
    super::answered(
        async move {
            let person = SignedIn::from_request().await?;
            tokens::tokens(&super::db()?, &person).await
        }
        .await,
    )
}

/// An edition's team, for those who may see the edition.
#[server(endpoint = "workspace_team")]
pub async fn get_team_desk(edition: String) -> Result<TeamDesk, AppError> {
    super::answered(
        async move {
            let person = SignedIn::from_request().await?;
            team::team_desk(&super::db()?, &person, &edition, chrono::Utc::now()).await
        }
        .await,
    )
}

/// The invitation behind a link, for whoever holds the link (signed in or not).
#[server(endpoint = "workspace_invitation")]
pub async fn get_invitation(token: String) -> Result<InvitationView, AppError> {
    super::answered(
        async move {
            let person = match SignedIn::from_request().await {
                Ok(person) => Some(person),
                Err(AppError::SignedOut) => None,
                Err(error) => return Err(error),
            };
            team::invitation_view(&super::db()?, &token, person.as_ref(), chrono::Utc::now()).await
        }
        .await,
    )
}

/// Whether a password reset link still works (its page offers the form, or says it does not).
#[server(endpoint = "workspace_password_reset")]
pub async fn get_reset_open(token: String) -> Result<bool, AppError> {
    super::answered(
        async move { password::reset_is_open(&super::db()?, &token, chrono::Utc::now()).await }
            .await,
    )
}

/// A stage's door links, for its organisers.
#[server(endpoint = "workspace_doors")]
pub async fn get_door_desk(edition: String, stage: String) -> Result<DoorDesk, AppError> {
    super::answered(
        async move {
            let person = SignedIn::from_request().await?;
            doors::door_desk(&super::db()?, &person, &edition, &stage).await
        }
        .await,
    )
}

/// A stage's line-up, as its organisers edit it.
#[server(endpoint = "workspace_lineup")]
pub async fn get_lineup_desk(edition: String, stage: String) -> Result<LineupDesk, AppError> {
    super::answered(
        async move {
            let person = SignedIn::from_request().await?;
            lineup::lineup_desk(&super::db()?, &person, &edition, &stage).await
        }
        .await,
    )
}

/// A stage as the public will see it, whatever its status: for its organisers only.
#[server(endpoint = "workspace_stage_preview")]
pub async fn get_stage_preview(
    edition: String,
    stage: String,
) -> Result<crate::api::views::StageView, AppError> {
    super::answered(
        async move {
            let person = SignedIn::from_request().await?;
            let links = super::links()?;
            stages::stage_preview(
                &super::db()?,
                &links,
                &person,
                &edition,
                &stage,
                chrono::Utc::now(),
            )
            .await
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
fn stage_line(stage: crate::db::workspace::StageSummary) -> StageLine {
    let zone: chrono_tz::Tz = stage.time_zone.parse().unwrap_or(chrono_tz::UTC);
    StageLine {
        starts: stage.starts_at.with_timezone(&zone).naive_local(),
        slug: stage.slug,
        city: stage.city,
        status: stage.status,
        time_zone: stage.time_zone,
        capacity: stage.capacity,
        confirmed: stage.confirmed,
        waiting: stage.waiting,
        held: stage.held,
    }
}

#[cfg(feature = "ssr")]
pub mod actions;
#[cfg(feature = "ssr")]
pub mod doors;
#[cfg(feature = "ssr")]
pub mod lineup;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
mod session;
#[cfg(feature = "ssr")]
pub mod stages;
#[cfg(feature = "ssr")]
pub mod team;
#[cfg(feature = "ssr")]
pub mod tokens;
