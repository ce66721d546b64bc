//! An edition's team in the workspace: who holds which role, the invitations still open, and
//! inviting, withdrawing and accepting. Whoever may invite to a role decides
//! (`domain::access::may_invite`); the invitation travels as an emailed link whose token only
//! the email holds (the database keeps its hash), and lasts `INVITATION_LIFETIME`.

use super::stages::edition;
use super::{InvitationLine, InvitationView, MemberLine, SignedIn, TeamDesk};
use crate::api::registration::Desk;
use crate::db::invitations::{self, InvitationRecord, NewInvitation};
use crate::db::{self, Db};
use crate::domain::access::{
    may_invite, may_remove, stage_reach, team_action, Action, Role, StageReach,
};
use crate::domain::account::{InvitationState, INVITATION_LIFETIME};
use crate::domain::registration::{Email, EmailError};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::links::{looks_like_token, random_token, token_hash};
use chrono::{DateTime, Utc};

/// The "invite" form as posted: an address, and `edition` or a stage's slug.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct InviteForm {
    pub email: String,
    pub role: String,
}

/// Why an invitation was not sent.
#[derive(Debug)]
pub enum InviteRefused {
    Email(EmailError),
    Error(AppError),
}

impl From<AppError> for InviteRefused {
    fn from(error: AppError) -> Self {
        InviteRefused::Error(error)
    }
}

/// The team page of an edition the person may see: the members and invitations within their
/// reach, and the roles they may invite to.
pub async fn team_desk(
    db: &Db,
    person: &SignedIn,
    edition_slug: &str,
    now: DateTime<Utc>,
) -> Result<TeamDesk, AppError> {
    let edition = edition(db, edition_slug).await?;
    person.require(Action::SeeEdition {
        edition: &edition.id,
    })?;
    let reach = stage_reach(&person.roles, &edition.id);
    let within = |role: &Role| match (role, &reach) {
        (_, StageReach::All) => true,
        (Role::StageOrganiser { stage, .. }, StageReach::Only(ids)) => {
            ids.contains(&stage.as_str())
        }
        _ => false,
    };
    let members = invitations::team(db, &edition.id)
        .await?
        .into_iter()
        .filter(|m| within(&m.role) || matches!(m.role, Role::EditionAdmin { .. }))
        .map(|m| MemberLine {
            removable: m.account_id != person.account.id && may_invite(&person.roles, &m.role),
            mine: m.account_id == person.account.id,
            role: m.stage_slug.unwrap_or_else(|| "edition".to_owned()),
            account_id: m.account_id,
            name: m.name,
            email: m.email,
            stage_city: m.stage_city,
        })
        .collect();
    let pending = invitations::open_for_edition(db, &edition.id)
        .await?
        .into_iter()
        .filter(|i| may_invite(&person.roles, &i.role))
        .map(|i| InvitationLine {
            state: state(&i, now),
            id: i.id,
            email: i.email,
            stage_city: i.stage_city,
            invited_by: i.invited_by,
            expires_on: i.expires_at.date_naive(),
        })
        .collect();
    let stages = db::workspace::stages(db, &edition.id)
        .await?
        .into_iter()
        .filter(|s| {
            may_invite(
                &person.roles,
                &Role::StageOrganiser {
                    edition: edition.id.clone(),
                    stage: s.id.clone(),
                },
            )
        })
        .map(|s| (s.slug, s.city))
        .collect();
    Ok(TeamDesk {
        edition_slug: edition.edition.slug.as_str().to_owned(),
        edition_name: edition.edition.name.clone(),
        may_invite_admins: may_invite(
            &person.roles,
            &Role::EditionAdmin {
                edition: edition.id.clone(),
            },
        ),
        stages,
        members,
        pending,
    })
}

/// Sends an invitation to `form.email` for `form.role`; returns the address it went to.
pub async fn invite(
    desk: &Desk,
    person: &SignedIn,
    edition_slug: &str,
    form: &InviteForm,
    locale: Locale,
    now: DateTime<Utc>,
) -> Result<String, InviteRefused> {
    let (db, links) = (&desk.db, &desk.links);
    let edition = edition(db, edition_slug).await?;
    person.require(Action::SeeEdition {
        edition: &edition.id,
    })?;
    let (role, stage_city) = if form.role == "edition" {
        let role = Role::EditionAdmin {
            edition: edition.id.clone(),
        };
        (role, None)
    } else {
        let stage = db::workspace::stages(db, &edition.id)
            .await
            .map_err(AppError::from)?
            .into_iter()
            .find(|s| s.slug == form.role)
            .ok_or(AppError::NotFound)?;
        let role = Role::StageOrganiser {
            edition: edition.id.clone(),
            stage: stage.id,
        };
        (role, Some(stage.city))
    };
    // A stage the person may not even see answers as if it did not exist.
    person.require(team_action(&role).ok_or(AppError::Forbidden)?)?;
    let email = Email::parse(&form.email)
        .and_then(crate::mail::deliverable)
        .map_err(InviteRefused::Email)?;
    let token = random_token().map_err(AppError::from)?;
    let expires_at = now + INVITATION_LIFETIME;
    let what = what(locale, &edition.edition.name, stage_city.as_deref());
    let message = crate::mail::invitation_email(
        locale,
        email.as_str(),
        &person.account.name,
        &what,
        &links.absolute(&crate::paths::workspace_invitation(&token)),
        expires_at.date_naive(),
    );
    // The invitation and its email are stored together.
    invitations::create(
        db,
        NewInvitation {
            token_hash: &token_hash(&token),
            email: email.as_str(),
            role: &role,
            invited_by: &person.account.id,
            now,
            expires_at,
            message: &message,
        },
    )
    .await
    .map_err(AppError::from)?;
    desk.outbox.wake();
    tracing::info!(edition = edition_slug, "invitation sent");
    Ok(email.as_str().to_owned())
}

/// "l'étape de Lyon de Social Good Week 2027" / "Social Good Week 2027"
fn what(locale: Locale, edition: &str, city: Option<&str>) -> String {
    match (locale, city) {
        (Locale::Fr, Some(city)) => format!("l'étape de {city} de {edition}"),
        (Locale::En, Some(city)) => format!("the {city} stage of {edition}"),
        (_, None) => edition.to_owned(),
    }
}

fn state(invitation: &InvitationRecord, now: DateTime<Utc>) -> InvitationState {
    InvitationState::at(
        invitation.accepted,
        invitation.withdrawn,
        invitation.expires_at,
        now,
    )
}

/// Takes a role of the edition away from someone: from another member if the person may invite
/// to that role, from themselves if they hold it (leaving the team). `role` is `edition` or a
/// stage's slug.
pub async fn remove_member(
    db: &Db,
    person: &SignedIn,
    edition_slug: &str,
    account_id: &str,
    role: &str,
) -> Result<(), AppError> {
    let edition = edition(db, edition_slug).await?;
    person.require(Action::SeeEdition {
        edition: &edition.id,
    })?;
    let role = if role == "edition" {
        Role::EditionAdmin {
            edition: edition.id.clone(),
        }
    } else {
        let stage = db::workspace::stage_id(db, &edition.id, role)
            .await?
            .ok_or(AppError::NotFound)?;
        Role::StageOrganiser {
            edition: edition.id.clone(),
            stage,
        }
    };
    let from_themselves = account_id == person.account.id;
    if !from_themselves {
        person.require(team_action(&role).ok_or(AppError::Forbidden)?)?;
    } else if !may_remove(&person.roles, &role, true) {
        return Err(AppError::NotFound);
    }
    if !invitations::remove_role(db, account_id, &role).await? {
        return Err(AppError::NotFound);
    }
    tracing::info!(edition = edition_slug, "team member removed");
    Ok(())
}

/// Withdraws an open invitation of the edition, if the person may invite to its role.
pub async fn withdraw(
    db: &Db,
    person: &SignedIn,
    edition_slug: &str,
    invitation_id: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let edition = edition(db, edition_slug).await?;
    let invitation = invitations::find(db, invitation_id)
        .await?
        .filter(|i| i.edition_slug == edition.edition.slug.as_str())
        .ok_or(AppError::NotFound)?;
    if !may_invite(&person.roles, &invitation.role) {
        return Err(AppError::NotFound);
    }
    invitations::withdraw(db, &invitation.id, now).await?;
    Ok(())
}

/// The invitation behind a link, as its page shows it; `NotFound` for a link that is none.
pub async fn invitation_view(
    db: &Db,
    token: &str,
    person: Option<&SignedIn>,
    now: DateTime<Utc>,
) -> Result<InvitationView, AppError> {
    let invitation = by_token(db, token).await?;
    let account_exists = match Email::parse(&invitation.email) {
        Ok(email) => db::accounts::find_by_email(db, &email).await?.is_some(),
        Err(_) => false,
    };
    Ok(InvitationView {
        state: state(&invitation, now),
        email: invitation.email.clone(),
        edition_name: invitation.edition_name.clone(),
        stage_city: invitation.stage_city.clone(),
        invited_by: invitation.invited_by.clone(),
        account_exists,
        signed_in_as: person.map(|p| p.account.email.clone()),
    })
}

async fn by_token(db: &Db, token: &str) -> Result<InvitationRecord, AppError> {
    if !looks_like_token(token) {
        return Err(AppError::NotFound);
    }
    invitations::find_by_token_hash(db, &token_hash(token))
        .await?
        .ok_or(AppError::NotFound)
}

/// Accepts the invitation for the signed-in account; `Forbidden` when it is no longer open.
pub async fn accept_signed_in(
    db: &Db,
    token: &str,
    person: &SignedIn,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let invitation = by_token(db, token).await?;
    if !invitations::accept(db, &invitation.id, &person.account.id, now).await? {
        return Err(AppError::Forbidden);
    }
    Ok(invitation.edition_slug)
}

/// Creates the invited person's account (name, already-hashed password) and accepts the
/// invitation for it; returns the account's id. `Forbidden` when the invitation is no longer
/// open or the address already has an account (they log in and accept instead).
pub async fn accept_new_account(
    db: &Db,
    token: &str,
    name: &str,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let invitation = by_token(db, token).await?;
    if state(&invitation, now) != InvitationState::Pending {
        return Err(AppError::Forbidden);
    }
    let email = Email::parse(&invitation.email).map_err(|_| AppError::Internal)?;
    let account_id = match db::accounts::create(
        db,
        db::accounts::NewAccount {
            email: &email,
            name,
            password_hash,
            platform_admin: false,
        },
        now,
    )
    .await
    {
        Ok(id) => id,
        Err(db::DbError::UniqueViolation) => return Err(AppError::Forbidden),
        Err(error) => return Err(error.into()),
    };
    if !invitations::accept(db, &invitation.id, &account_id, now).await? {
        return Err(AppError::Forbidden);
    }
    tracing::info!("invitation accepted with a new account");
    Ok(account_id)
}
