//! Organiser commands on the command line, until the organiser pages exist.

use crate::config::{Config, LimitsConfig, Storage};
use crate::startup::{prepare_database, StartupError};
use crate::state::AppState;
use app::api::outbox::Outbox;
use app::api::registration::Desk;
use app::db::audit::Actor;
use app::error::AppError;
use app::i18n::Locale;

/// A desk for a command: no rate limit, emails queued for the serving process to send. The
/// same state a server builds, so a command follows the same rules and links.
/// The links' base for commands that make no link (only the links secret counts there).
const LINKS_BASE: &str = "http://127.0.0.1:3000";

async fn desk(db: &app::db::Db, public_url: &str) -> Result<Desk, StartupError> {
    // The database is open and unlocked already: the state only reads the rest.
    let config = Config {
        storage: Storage {
            url: String::new(),
            master_key: crate::master_key::MasterKeySource::File(
                crate::master_key::DEFAULT_KEY_FILE.into(),
            ),
        },
        addr: std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
        site_root: "target/site".into(),
        demo_on_empty: false,
        public_url: Some(public_url.to_owned()),
        limits: LimitsConfig::OFF,
        load: crate::config::LoadLimits::DEFAULT,
        retention_days: crate::purge::DEFAULT_RETENTION_DAYS,
        smtp_url: None,
        mail_from: crate::mail::DEFAULT_MAIL_FROM.to_owned(),
    };
    let state = AppState::new(&config, db.clone(), Outbox::new()).await?;
    Ok(state.desk(None))
}

fn command_error(error: AppError, what: &str) -> StartupError {
    match error {
        AppError::NotFound => StartupError::Command(format!("not found: {what}")),
        other => StartupError::Command(other.message(Locale::En)),
    }
}

/// Sets a stage's capacity; the seats it frees go to the waiting list, whose emails wait in the
/// outbox for the serving process's delivery worker. Returns how many were confirmed.
pub async fn change_capacity(
    storage: &Storage,
    public_url: &str,
    edition: &str,
    stage: &str,
    capacity: u32,
) -> Result<usize, StartupError> {
    let db = prepare_database(storage).await?;
    let outcome = desk(&db, public_url)
        .await?
        .change_capacity(edition, stage, capacity, chrono::Utc::now())
        .await;
    db.close().await;
    outcome.map_err(|error| command_error(error, &format!("published stage {edition}/{stage}")))
}

/// Cancels the registration of `email` for a stage; its seat goes to the first person
/// waiting, and both get an email.
pub async fn cancel_registration(
    storage: &Storage,
    public_url: &str,
    edition: &str,
    stage: &str,
    email: &str,
) -> Result<(), StartupError> {
    let db = prepare_database(storage).await?;
    let outcome = desk(&db, public_url)
        .await?
        .cancel_for_organiser(edition, stage, email, chrono::Utc::now())
        .await;
    db.close().await;
    outcome.map_err(|error| {
        command_error(
            error,
            &format!("a registration of {email} for {edition}/{stage}"),
        )
    })
}

/// Moves a stage, with its programme, to start at `starts_local` in the stage's time zone.
/// Registrants get an email and subscribed calendars the new time (the stage's SEQUENCE goes
/// up): the same code path as the workspace's stage form. Returns whether it moved.
pub async fn reschedule(
    storage: &Storage,
    public_url: &str,
    edition: &str,
    stage: &str,
    starts_local: chrono::NaiveDateTime,
) -> Result<bool, StartupError> {
    let db = prepare_database(storage).await?;
    let outcome = async {
        let not_found = || StartupError::Command(format!("not found: stage {edition}/{stage}"));
        let edition_record = app::db::editions::find_edition(&db, edition)
            .await
            .map_err(StartupError::Storage)?
            .ok_or_else(not_found)?;
        let record = app::db::stages::find_public_stage(&db, &edition_record.id, stage)
            .await
            .map_err(StartupError::Storage)?
            .ok_or_else(not_found)?;
        let starts_at = record
            .stage
            .rescheduled_start(&edition_record.edition, starts_local)
            .map_err(|error| StartupError::Command(error.to_string()))?;
        desk(&db, public_url)
            .await?
            .reschedule_stage(edition, stage, starts_at, chrono::Utc::now())
            .await
            .map_err(|error| command_error(error, &format!("stage {edition}/{stage}")))
    }
    .await;
    db.close().await;
    outcome
}

/// Cancels a published stage with a reason: its page and the calendar feeds say so, its
/// tickets no longer admit, and each registrant gets an email. Returns how many, or `None`
/// when it was not published.
pub async fn cancel_stage(
    storage: &Storage,
    public_url: &str,
    edition: &str,
    stage: &str,
    reason: &str,
) -> Result<Option<usize>, StartupError> {
    let reason = app::domain::stage::cancellation_reason(reason)
        .map_err(|error| StartupError::Command(format!("the reason: {error}")))?;
    let db = prepare_database(storage).await?;
    let outcome = match desk(&db, public_url).await {
        Ok(desk) => desk
            .cancel_stage_by_slug(edition, stage, &reason, chrono::Utc::now())
            .await
            .map_err(|error| command_error(error, &format!("stage {edition}/{stage}"))),
        Err(error) => Err(error),
    };
    db.close().await;
    outcome
}

/// Moves a stage to another venue; registrants get an email and calendar feeds show the new
/// place (its SEQUENCE goes up). Returns whether anything changed.
pub async fn change_venue(
    storage: &Storage,
    public_url: &str,
    edition: &str,
    stage: &str,
    venue: &app::domain::Venue,
) -> Result<bool, StartupError> {
    let db = prepare_database(storage).await?;
    let outcome = match desk(&db, public_url).await {
        Ok(desk) => desk
            .move_stage(edition, stage, venue, chrono::Utc::now())
            .await
            .map_err(|error| command_error(error, &format!("stage {edition}/{stage}"))),
        Err(error) => Err(error),
    };
    db.close().await;
    outcome
}

/// `etape reminders send`: queues every reminder due at `at` (the day before each stage, from
/// 09:00 on its clock), for the serving process's worker to send. Returns how many. The same
/// pass the server runs every minute; a reminder already queued is never queued again.
pub async fn send_reminders(
    storage: &Storage,
    public_url: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<usize, StartupError> {
    let db = prepare_database(storage).await?;
    let outcome = match desk(&db, public_url).await {
        Ok(desk) => desk
            .send_due_reminders(at)
            .await
            .map_err(StartupError::Storage),
        Err(error) => Err(error),
    };
    db.close().await;
    outcome
}

/// A platform administrator just created by `etape admin create`.
#[derive(Debug)]
pub struct CreatedAdmin {
    pub email: String,
    /// The password, when it was generated (to print once); `None` when it was given.
    pub generated_password: Option<String>,
}

/// Creates a platform administrator: the first account of a new site. `password` is what
/// standard input gave (`None` or blank: one is generated).
pub async fn create_admin(
    storage: &Storage,
    email: &str,
    name: Option<&str>,
    password: Option<&str>,
) -> Result<CreatedAdmin, StartupError> {
    use app::domain::account::{person_name, NewPassword};
    use app::domain::registration::Email;

    let email = Email::parse(email)
        .map_err(|error| StartupError::Command(format!("« {email} »: {error}")))?;
    let name = name.unwrap_or_else(|| email.as_str().split('@').next().unwrap_or_default());
    let name =
        person_name(name).map_err(|error| StartupError::Command(format!("the name: {error}")))?;
    let given = password.filter(|p| !p.is_empty());
    let generated_password = given.is_none().then(crate::auth::password::generate);
    let password = NewPassword::parse(given.or(generated_password.as_deref()).unwrap_or_default())
        .map_err(|error| StartupError::Command(format!("refused: {error}")))?;
    let password_hash = crate::auth::password::hash(&password)
        .await
        .map_err(|error| StartupError::Command(error.to_string()))?;

    let db = prepare_database(storage).await?;
    let created = app::db::accounts::create(
        &db,
        app::db::accounts::NewAccount {
            email: &email,
            name: &name,
            password_hash: &password_hash,
            platform_admin: true,
        },
        chrono::Utc::now(),
    )
    .await;
    db.close().await;
    match created {
        Ok(_) => Ok(CreatedAdmin {
            email: email.as_str().to_owned(),
            generated_password,
        }),
        Err(app::db::DbError::UniqueViolation) => Err(StartupError::Command(format!(
            "an account already exists for {}",
            email.as_str()
        ))),
        Err(error) => Err(StartupError::Storage(error)),
    }
}

/// The id of stage `stage` of edition `edition`, whatever their status.
async fn stage_id(db: &app::db::Db, edition: &str, stage: &str) -> Result<String, StartupError> {
    let not_found = || StartupError::Command(format!("not found: stage {edition}/{stage}"));
    let edition_record = app::db::editions::find_edition(db, edition)
        .await
        .map_err(StartupError::Storage)?
        .ok_or_else(not_found)?;
    app::db::workspace::stage_id(db, &edition_record.id, stage)
        .await
        .map_err(StartupError::Storage)?
        .ok_or_else(not_found)
}

/// The page a door phone opens: the secret rides in the fragment, which browsers never send.
pub fn door_link_url(public_url: &str, secret: &str) -> String {
    format!("{}/door#{secret}", public_url.trim_end_matches('/'))
}

/// Makes a door link for a stage; returns its secret (shown once).
pub async fn create_door_link(
    storage: &Storage,
    edition: &str,
    stage: &str,
    label: &str,
) -> Result<app::api::door::NewDoorLink, StartupError> {
    use app::api::door::DoorLinkRefused;
    let db = prepare_database(storage).await?;
    let outcome = async {
        let stage_id = stage_id(&db, edition, stage).await?;
        app::api::door::create_door_link(&db, &stage_id, label, chrono::Utc::now())
            .await
            .map_err(|refused| match refused {
                DoorLinkRefused::Label(error) => StartupError::Command(format!("the label: {error}")),
                DoorLinkRefused::LabelTaken => StartupError::Command(format!(
                    "{edition}/{stage} already has a door link labelled « {label} »: revoke it first, or choose another label"
                )),
                DoorLinkRefused::Error(error) => command_error(error, "the door link"),
            })
    }
    .await;
    db.close().await;
    outcome
}

/// A stage's door links, open and revoked.
pub async fn door_links(
    storage: &Storage,
    edition: &str,
    stage: &str,
) -> Result<Vec<app::db::doors::DoorRecord>, StartupError> {
    let db = prepare_database(storage).await?;
    let outcome = async {
        let stage_id = stage_id(&db, edition, stage).await?;
        app::api::door::door_links(&db, &stage_id)
            .await
            .map_err(|error| command_error(error, "the door links"))
    }
    .await;
    db.close().await;
    outcome
}

/// Revokes a stage's open door link by its label: a phone holding it can no longer check in.
pub async fn revoke_door_link(
    storage: &Storage,
    edition: &str,
    stage: &str,
    label: &str,
) -> Result<(), StartupError> {
    let db = prepare_database(storage).await?;
    let outcome = async {
        let stage_id = stage_id(&db, edition, stage).await?;
        app::api::door::revoke_door_link(&db, &stage_id, label, chrono::Utc::now())
            .await
            .map_err(|error| {
                command_error(
                    error,
                    &format!("an open door link « {label} » of {edition}/{stage}"),
                )
            })
    }
    .await;
    db.close().await;
    outcome
}

/// Everything stored about `email`, for `etape person export`; the reading is recorded in the
/// audit log.
pub async fn person_export(
    storage: &Storage,
    email: &str,
) -> Result<app::db::people::PersonData, StartupError> {
    let email = email_address(email)?;
    let db = prepare_database(storage).await?;
    let outcome = match desk(&db, LINKS_BASE).await {
        Ok(desk) => desk
            .export_person(email.as_str(), Actor::CommandLine, chrono::Utc::now())
            .await
            .map_err(|error| command_error(error, email.as_str())),
        Err(error) => Err(error),
    };
    db.close().await;
    outcome
}

/// Erases everything stored about `email` (`etape person erase`); seats go to the waiting
/// list as for a cancel, with their emails queued for the serving process.
pub async fn person_erase(
    storage: &Storage,
    public_url: &str,
    email: &str,
) -> Result<app::db::people::Erased, StartupError> {
    let db = prepare_database(storage).await?;
    let outcome = match desk(&db, public_url).await {
        Ok(desk) => desk
            .erase_person(email, Actor::CommandLine, chrono::Utc::now())
            .await
            .map_err(|error| command_error(error, email)),
        Err(error) => Err(error),
    };
    db.close().await;
    outcome
}

/// One purge pass at `at` (`etape purge`).
pub async fn purge(
    storage: &Storage,
    retention_days: u32,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<app::db::people::Purged, StartupError> {
    let db = prepare_database(storage).await?;
    let purged = crate::purge::purge(&db, retention_days, at, Actor::CommandLine)
        .await
        .map_err(StartupError::Storage);
    db.close().await;
    purged
}

/// The audit log's newest entries (`etape audit`), only those about `email` when given.
pub async fn audit_log(
    storage: &Storage,
    email: Option<&str>,
    limit: u32,
) -> Result<Vec<app::db::audit::Recorded>, StartupError> {
    if let Some(email) = email {
        email_address(email)?;
    }
    let db = prepare_database(storage).await?;
    let outcome = match desk(&db, LINKS_BASE).await {
        Ok(desk) => desk
            .audit_log(email, limit)
            .await
            .map_err(|error| command_error(error, email.unwrap_or("the audit log"))),
        Err(error) => Err(error),
    };
    db.close().await;
    outcome
}

fn email_address(raw: &str) -> Result<app::domain::registration::Email, StartupError> {
    app::domain::registration::Email::parse(raw)
        .map_err(|_| StartupError::Command(format!("not an email address: {raw}")))
}
