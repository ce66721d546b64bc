//! Invitations to a role in an edition, and the edition's team as it stands.

use super::outbox::insert_email;
use super::{new_id, sql, to_instant, Db, DbError};
use crate::domain::access::Role;
use crate::mail::OutgoingEmail;
use chrono::{DateTime, Utc};

/// An invitation as stored, with what its pages say about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationRecord {
    pub id: String,
    pub email: String,
    pub role: Role,
    pub edition_slug: String,
    pub edition_name: String,
    /// The stage's city, for a stage organiser's invitation.
    pub stage_city: Option<String>,
    pub invited_by: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub accepted: bool,
    pub withdrawn: bool,
}

#[derive(sqlx::FromRow)]
struct InvitationRow {
    id: String,
    email: String,
    edition_id: String,
    stage_id: Option<String>,
    edition_slug: String,
    edition_name: String,
    stage_city: Option<String>,
    invited_by: String,
    created_at: i64,
    expires_at: i64,
    accepted_at: Option<i64>,
    withdrawn_at: Option<i64>,
}

const SELECT: &str = "SELECT i.id, i.email, i.edition_id, i.stage_id, e.slug AS edition_slug, \
     e.name AS edition_name, s.city AS stage_city, a.name AS invited_by, i.created_at, \
     i.expires_at, i.accepted_at, i.withdrawn_at FROM invitations i \
     JOIN editions e ON e.id = i.edition_id LEFT JOIN stages s ON s.id = i.stage_id \
     JOIN accounts a ON a.id = i.invited_by";

impl InvitationRow {
    fn into_record(self) -> Result<InvitationRecord, DbError> {
        let role = match self.stage_id {
            None => Role::EditionAdmin {
                edition: self.edition_id,
            },
            Some(stage) => Role::StageOrganiser {
                edition: self.edition_id,
                stage,
            },
        };
        Ok(InvitationRecord {
            created_at: to_instant(self.created_at)?,
            expires_at: to_instant(self.expires_at)?,
            accepted: self.accepted_at.is_some(),
            withdrawn: self.withdrawn_at.is_some(),
            id: self.id,
            email: self.email,
            role,
            edition_slug: self.edition_slug,
            edition_name: self.edition_name,
            stage_city: self.stage_city,
            invited_by: self.invited_by,
        })
    }
}

/// What a new invitation is made of.
pub struct NewInvitation<'a> {
    pub token_hash: &'a str,
    pub email: &'a str,
    pub role: &'a Role,
    pub invited_by: &'a str,
    pub now: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// The email carrying the invitation's link, stored in the outbox with it.
    pub message: &'a OutgoingEmail,
}

/// Stores an invitation and its email in one transaction; returns its id. A platform admin is
/// never invited (`NotFound`).
pub async fn create(db: &Db, new: NewInvitation<'_>) -> Result<String, DbError> {
    let (edition, stage) = match new.role {
        Role::PlatformAdmin => return Err(DbError::NotFound),
        Role::EditionAdmin { edition } => (edition.as_str(), None),
        Role::StageOrganiser { edition, stage } => (edition.as_str(), Some(stage.as_str())),
    };
    let id = new_id();
    let mut tx = db.begin_write().await?;
    tx.execute(
        sql(
            "INSERT INTO invitations (id, token_hash, email, edition_id, stage_id, invited_by, \
             created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&id)
        .bind(new.token_hash)
        .bind(new.email)
        .bind(edition)
        .bind(stage)
        .bind(new.invited_by)
        .bind(new.now.timestamp())
        .bind(new.expires_at.timestamp()),
    )
    .await?;
    tx.execute(insert_email(&new_id(), new.message, new.now))
        .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn find_by_token_hash(
    db: &Db,
    token_hash: &str,
) -> Result<Option<InvitationRecord>, DbError> {
    let row: Option<InvitationRow> = db
        .fetch_optional(sql(format!("{SELECT} WHERE i.token_hash = $1")).bind(token_hash))
        .await?;
    row.map(InvitationRow::into_record).transpose()
}

/// The edition's invitations not yet accepted nor withdrawn, newest first (expired included,
/// so that the team sees they lapsed).
pub async fn open_for_edition(db: &Db, edition_id: &str) -> Result<Vec<InvitationRecord>, DbError> {
    let rows: Vec<InvitationRow> = db
        .fetch_all(
            sql(format!(
                "{SELECT} WHERE i.edition_id = $1 AND i.accepted_at IS NULL \
                 AND i.withdrawn_at IS NULL ORDER BY i.created_at DESC, i.id"
            ))
            .bind(edition_id),
        )
        .await?;
    rows.into_iter().map(InvitationRow::into_record).collect()
}

pub async fn find(db: &Db, id: &str) -> Result<Option<InvitationRecord>, DbError> {
    let row: Option<InvitationRow> = db
        .fetch_optional(sql(format!("{SELECT} WHERE i.id = $1")).bind(id))
        .await?;
    row.map(InvitationRow::into_record).transpose()
}

/// Withdraws a pending invitation; `false` when it was no longer pending.
pub async fn withdraw(db: &Db, id: &str, now: DateTime<Utc>) -> Result<bool, DbError> {
    let changed = db
        .execute(
            sql("UPDATE invitations SET withdrawn_at = $2 WHERE id = $1 \
                 AND accepted_at IS NULL AND withdrawn_at IS NULL")
            .bind(id)
            .bind(now.timestamp()),
        )
        .await?;
    Ok(changed == 1)
}

/// Accepts a pending, unexpired invitation for `account_id` and grants its role, in one
/// transaction; `false` (and nothing granted) when it is no longer pending.
pub async fn accept(
    db: &Db,
    id: &str,
    account_id: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let mut tx = db.begin_write().await?;
    let accepted = tx
        .execute(
            sql(
                "UPDATE invitations SET accepted_at = $2 WHERE id = $1 AND accepted_at IS NULL \
                 AND withdrawn_at IS NULL AND expires_at > $2",
            )
            .bind(id)
            .bind(now.timestamp()),
        )
        .await?;
    if accepted == 0 {
        return Ok(false);
    }
    tx.execute(
        sql(
            "INSERT INTO roles (account_id, edition_id, stage_id, created_at) \
             SELECT $1, edition_id, stage_id, $3 FROM invitations WHERE id = $2 \
             ON CONFLICT DO NOTHING",
        )
        .bind(account_id)
        .bind(id)
        .bind(now.timestamp()),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// A member of an edition's team: who, and which role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub account_id: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub stage_slug: Option<String>,
    pub stage_city: Option<String>,
}

/// Everyone holding a role in the edition: its admins first, then each stage's organisers.
pub async fn team(db: &Db, edition_id: &str) -> Result<Vec<Member>, DbError> {
    let rows: Vec<MemberRow> = db
        .fetch_all(
            sql(
                "SELECT a.id AS account_id, a.name, a.email, r.stage_id, s.slug AS stage_slug, \
                 s.city AS stage_city \
                 FROM roles r JOIN accounts a ON a.id = r.account_id \
                 LEFT JOIN stages s ON s.id = r.stage_id WHERE r.edition_id = $1 \
                 ORDER BY CASE WHEN r.stage_id IS NULL THEN 0 ELSE 1 END, s.city, a.name",
            )
            .bind(edition_id),
        )
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| Member {
            role: match row.stage_id {
                None => Role::EditionAdmin {
                    edition: edition_id.to_owned(),
                },
                Some(stage) => Role::StageOrganiser {
                    edition: edition_id.to_owned(),
                    stage,
                },
            },
            account_id: row.account_id,
            name: row.name,
            email: row.email,
            stage_slug: row.stage_slug,
            stage_city: row.stage_city,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    account_id: String,
    name: String,
    email: String,
    stage_id: Option<String>,
    stage_slug: Option<String>,
    stage_city: Option<String>,
}

/// Takes a role away from an account; `false` when it did not hold it.
pub async fn remove_role(db: &Db, account_id: &str, role: &Role) -> Result<bool, DbError> {
    let (edition, stage) = match role {
        Role::PlatformAdmin => return Ok(false),
        Role::EditionAdmin { edition } => (edition.as_str(), ""),
        Role::StageOrganiser { edition, stage } => (edition.as_str(), stage.as_str()),
    };
    let removed = db
        .execute(
            sql(
                "DELETE FROM roles WHERE account_id = $1 AND edition_id = $2 \
                 AND COALESCE(stage_id, '') = $3",
            )
            .bind(account_id)
            .bind(edition)
            .bind(stage),
        )
        .await?;
    Ok(removed == 1)
}
