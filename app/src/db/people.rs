//! What is stored about a person, by their email address: read all of it (`export`), erase it
//! (`erase`), and forget everyone once the retention time after their stage has passed
//! (`purge`), keeping only anonymous counts (`stage_statistics`).

use super::audit::{insert_entry, Action, Actor, Entry};
use super::{sql, to_instant, Db, DbError};
use crate::domain::registration::Email;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// Everything stored about one address, as `etape person export` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonData {
    pub email: String,
    pub registrations: Vec<RegistrationData>,
    pub emails: Vec<EmailData>,
    /// The organiser account of that address, if there is one.
    pub account: Option<AccountData>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegistrationData {
    pub edition: String,
    pub stage: String,
    pub city: String,
    pub name: String,
    pub organisation: Option<String>,
    pub language: String,
    pub status: String,
    pub arrival: i64,
    pub registered_at: DateTime<Utc>,
    pub promoted_at: Option<DateTime<Utc>>,
    pub reminded_at: Option<DateTime<Utc>>,
    pub short_code: Option<String>,
    pub checked_in_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EmailData {
    pub subject: String,
    pub status: String,
    pub queued_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountData {
    pub name: String,
    pub created_at: DateTime<Utc>,
}

type RegistrationRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    String,
    i64,
    i64,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<i64>,
);

/// Everything stored about `email`.
pub async fn export(db: &Db, email: &Email) -> Result<PersonData, DbError> {
    let rows: Vec<RegistrationRow> = db
        .fetch_all(
            sql(
                "SELECT e.slug, s.slug, s.city, r.name, r.organisation, r.language, r.status, \
                 r.arrival, r.created_at, r.promoted_at, r.reminded_at, r.short_code, \
                 c.checked_in_at \
                 FROM registrations r JOIN stages s ON s.id = r.stage_id \
                 JOIN editions e ON e.id = s.edition_id \
                 LEFT JOIN checkins c ON c.registration_id = r.id \
                 WHERE r.email = $1 ORDER BY r.created_at, r.id",
            )
            .bind(email.as_str()),
        )
        .await?;
    let instant = |at: Option<i64>| at.map(to_instant).transpose();
    let registrations = rows
        .into_iter()
        .map(|row| {
            Ok(RegistrationData {
                edition: row.0,
                stage: row.1,
                city: row.2,
                name: row.3,
                organisation: row.4,
                language: row.5,
                status: row.6,
                arrival: row.7,
                registered_at: to_instant(row.8)?,
                promoted_at: instant(row.9)?,
                reminded_at: instant(row.10)?,
                short_code: row.11,
                checked_in_at: instant(row.12)?,
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    let emails: Vec<(String, String, i64, Option<i64>)> = db
        .fetch_all(
            sql("SELECT subject, status, created_at, sent_at FROM outbox \
                 WHERE recipient = $1 ORDER BY created_at, id")
            .bind(email.as_str()),
        )
        .await?;
    let emails = emails
        .into_iter()
        .map(|(subject, status, queued, sent)| {
            Ok(EmailData {
                subject,
                status,
                queued_at: to_instant(queued)?,
                sent_at: instant(sent)?,
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    let account: Option<(String, i64)> = db
        .fetch_optional(
            sql("SELECT name, created_at FROM accounts WHERE email = $1").bind(email.as_str()),
        )
        .await?;
    let account = account
        .map(|(name, created)| {
            Ok::<_, DbError>(AccountData {
                name,
                created_at: to_instant(created)?,
            })
        })
        .transpose()?;
    Ok(PersonData {
        email: email.as_str().to_owned(),
        registrations,
        emails,
        account,
    })
}

/// What `erase` removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Erased {
    pub registrations: u64,
    pub emails: u64,
}

/// Removes every registration of `email` (their check-ins with them; the door's scan log keeps
/// the scan without saying whose ticket it was) and every email to it, in one transaction.
/// Seats must have been given back first (`Desk::erase_person` cancels, which promotes).
/// The erasure is recorded in the audit log (by `actor`, of the person `reference`) in the
/// same transaction.
pub async fn erase(
    db: &Db,
    email: &Email,
    actor: Actor,
    reference: &str,
    now: DateTime<Utc>,
) -> Result<Erased, DbError> {
    let mut tx = db.begin_write().await?;
    tx.execute(
        sql(
            "UPDATE checkin_attempts SET registration_id = NULL WHERE registration_id IN \
             (SELECT id FROM registrations WHERE email = $1)",
        )
        .bind(email.as_str()),
    )
    .await?;
    let registrations = tx
        .execute(sql("DELETE FROM registrations WHERE email = $1").bind(email.as_str()))
        .await?;
    let emails = tx
        .execute(sql("DELETE FROM outbox WHERE recipient = $1").bind(email.as_str()))
        .await?;
    tx.execute(insert_entry(&Entry {
        at: now,
        actor,
        action: Action::PersonErase,
        subject: Some(reference),
        details: serde_json::json!({ "registrations": registrations, "emails": emails }),
    }))
    .await?;
    tx.commit().await?;
    Ok(Erased {
        registrations,
        emails,
    })
}

/// What `purge` removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Purged {
    /// Stages whose registrations were counted and removed.
    pub stages: u64,
    pub registrations: u64,
    pub emails: u64,
}

/// Forgets the people of every stage that ended before `before`: their registrations (feed
/// tokens and check-ins with them) become a row of anonymous counts in `stage_statistics`, and
/// their scans lose who they were. Emails queued before `before` go too, whoever they were to.
/// One transaction; running it again removes nothing more.
/// The pass is recorded in the audit log, by `actor`, in the same transaction.
pub async fn purge(
    db: &Db,
    before: DateTime<Utc>,
    now: DateTime<Utc>,
    actor: Actor,
) -> Result<Purged, DbError> {
    let cutoff = before.timestamp();
    let mut tx = db.begin_write().await?;
    let stages = tx
        .execute(
            sql("INSERT INTO stage_statistics \
                 (stage_id, registered, confirmed, waitlisted, cancelled, checked_in, purged_at) \
                 SELECT s.id, COUNT(r.id), \
                 COALESCE(SUM(CASE WHEN r.status = 'confirmed' THEN 1 ELSE 0 END), 0), \
                 COALESCE(SUM(CASE WHEN r.status = 'waitlisted' THEN 1 ELSE 0 END), 0), \
                 COALESCE(SUM(CASE WHEN r.status = 'cancelled' THEN 1 ELSE 0 END), 0), \
                 COUNT(c.registration_id), $2 \
                 FROM stages s JOIN registrations r ON r.stage_id = s.id \
                 LEFT JOIN checkins c ON c.registration_id = r.id \
                 WHERE s.ends_at < $1 GROUP BY s.id \
                 ON CONFLICT (stage_id) DO UPDATE SET \
                 registered = stage_statistics.registered + excluded.registered, \
                 confirmed = stage_statistics.confirmed + excluded.confirmed, \
                 waitlisted = stage_statistics.waitlisted + excluded.waitlisted, \
                 cancelled = stage_statistics.cancelled + excluded.cancelled, \
                 checked_in = stage_statistics.checked_in + excluded.checked_in, \
                 purged_at = excluded.purged_at")
            .bind(cutoff)
            .bind(now.timestamp()),
        )
        .await?;
    tx.execute(
        sql(
            "UPDATE checkin_attempts SET registration_id = NULL WHERE registration_id IN \
             (SELECT r.id FROM registrations r JOIN stages s ON s.id = r.stage_id \
             WHERE s.ends_at < $1)",
        )
        .bind(cutoff),
    )
    .await?;
    let registrations = tx
        .execute(
            sql("DELETE FROM registrations WHERE stage_id IN \
                 (SELECT id FROM stages WHERE ends_at < $1)")
            .bind(cutoff),
        )
        .await?;
    let emails = tx
        .execute(sql("DELETE FROM outbox WHERE created_at < $1").bind(cutoff))
        .await?;
    tx.execute(insert_entry(&Entry {
        at: now,
        actor,
        action: Action::Purge,
        subject: None,
        details: serde_json::json!({
            "before": before.to_rfc3339(),
            "stages": stages,
            "registrations": registrations,
            "emails": emails,
        }),
    }))
    .await?;
    tx.commit().await?;
    Ok(Purged {
        stages,
        registrations,
        emails,
    })
}
