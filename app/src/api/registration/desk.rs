//! The registration desk: the rules of registering applied to storage, with the emails that
//! follow. Handlers and server functions only translate their input and call it.

use super::{PlaceView, RegistrationReceipt, RegistrationView, TicketView};
use crate::api::cache::ProgrammeCache;
use crate::api::limits::{Limits, RateLimiter};
use crate::api::outbox::Outbox;
use crate::api::programme::{cached_edition, feed_links, stage_calendar};
use crate::db::editions::{self, EditionRecord};
use crate::db::registrations::{
    self as store, ComposeEmail, NewRegistration, RegisterError, Registered, RegistrationRecord,
    TokenColumn,
};
use crate::db::stages::{self, StageRecord};
use crate::db::{self, ticket_keys, Db, DbError};
use crate::domain::entry::ticket_admits;
use crate::domain::registration::{
    Availability, Email, FieldError, RegistrationForm, RegistrationStatus,
};
use crate::domain::ticket::{TicketKey, TicketPayload};
use crate::domain::StageStatus;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::links::{random_token, token_hash, LinkKey, LinkKind, Links};
use crate::mail::{self, Notice, OutgoingEmail, RegistrationMail};
use chrono::{DateTime, Utc};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Instant;

mod address_check;
mod reminders;
mod stage_changes;

/// The address a request came from, as the server determined it (see `server::client`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

/// What the desk needs: storage, the link maker, the outbox, the rate limits, the caches of
/// published stages and ticket keys, and who is asking (the client's address, for the limits).
#[derive(Clone)]
pub struct Desk {
    pub db: Db,
    pub links: Arc<Links>,
    pub outbox: Outbox,
    pub limits: Arc<Limits>,
    pub cache: Arc<ProgrammeCache>,
    pub client: Option<IpAddr>,
}

/// A registration with the stage and edition it belongs to.
struct Registration {
    record: RegistrationRecord,
    stage: StageRecord,
    edition: EditionRecord,
}

/// What every email about one stage's registrations is made from. Owned, so that the
/// registration transaction can compose its email once the outcome is known.
struct Letterhead {
    links: Arc<Links>,
    edition: EditionRecord,
    stage: StageRecord,
    /// The edition's ticket key, to put the signed ticket in confirmations; none if it could
    /// not be read (the email then carries the ticket link without the QR image).
    key: Option<Arc<TicketKey>>,
}

impl Desk {
    /// The desk of the current request, from the Leptos context the server provides.
    pub fn from_context() -> Result<Self, AppError> {
        use leptos::prelude::use_context;
        let Some(desk) = use_context::<Desk>() else {
            tracing::error!("no registration desk in the request context");
            return Err(AppError::Internal);
        };
        // The server puts the client's address on every request (see server's `client.rs`).
        let client = use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<ClientAddress>().copied())
            .map(|address| address.0);
        Ok(Desk { client, ..desk })
    }

    /// Registers `form` for a published stage: a seat while there is one, else the waiting
    /// list; an address already registered gets its links again by email. Its span carries
    /// the registration's id, which the admission batch logs too.
    #[tracing::instrument(skip_all, fields(edition = edition_slug, stage = stage_slug, registration))]
    pub async fn register(
        &self,
        edition_slug: &str,
        stage_slug: &str,
        form: &RegistrationForm,
        locale: Locale,
        now: DateTime<Utc>,
    ) -> Result<RegistrationReceipt, AppError> {
        self.check_limit(&self.limits.registration)?;
        let (_, stage) = self.published_stage(edition_slug, stage_slug).await?;
        let mut attendee = form.parse().map_err(AppError::Invalid)?;
        attendee.email = mail::deliverable(attendee.email)
            .map_err(|error| AppError::Invalid(vec![FieldError::Email(error)]))?;
        // One feed per address: its registrations share a salt, drawn with the first. Whether
        // the address has one is decided in the admission batch, under its lock.
        let feed_salt = random_token()?;
        let id = db::new_ticket_id()?;
        tracing::Span::current().record("registration", id.as_str());
        let zone = stage.stage.zone();
        let stage_id = stage.id.clone();
        let city = stage.stage.city.clone();
        let limits = self.limits.clone();
        let compose: ComposeEmail = Box::new(move |registered| {
            let (notice, record) = match registered {
                // Anyone can type an address again and again: its inbox gets its share only.
                Registered::AlreadyRegistered(record)
                    if !limits.allow_email_to(record.attendee.email.as_str()) =>
                {
                    return None;
                }
                Registered::AlreadyRegistered(record) => (Notice::AlreadyRegistered, record),
                Registered::New(record) if record.awaiting_confirmation() => {
                    (Notice::ConfirmAddress, record)
                }
                Registered::New(record) if record.status == RegistrationStatus::Waitlisted => {
                    (Notice::Waitlisted, record)
                }
                Registered::New(record) => (Notice::Confirmed, record),
            };
            // Written when sent (`write_email`): the batch stores a recipient and a subject.
            Some(mail::notice_to_write(
                notice,
                &record.attendee.email,
                &record.attendee.name,
                record.language,
                &city,
                &record.id,
            ))
        });
        let registered = store::register_and_notify(
            &self.db,
            NewRegistration {
                id: &id,
                stage_id: &stage_id,
                attendee: &attendee,
                language: locale,
                confirm_token_hash: &token_hash(&self.links.token(LinkKind::Confirm, &id)),
                feed_salt: Some(&feed_salt),
                now,
            },
            Some(compose),
        )
        .await
        .map_err(|error| match error {
            RegisterError::Refused(reason) => AppError::refused(reason, zone),
            RegisterError::Db(db) => db.into(),
        })?;
        self.outbox.wake();
        let (record, already) = match registered {
            Registered::New(record) => (record, false),
            Registered::AlreadyRegistered(record) => (record, true),
        };
        let private = !already;
        Ok(RegistrationReceipt {
            id: private.then(|| record.id.clone()),
            status: private.then_some(record.status),
            already_registered: already,
            manage_url: private.then(|| self.links.manage_url(&record.id)),
            ticket_url: (private && record.has_seat()).then(|| self.links.ticket_url(&record.id)),
            confirm_by: record.confirm_by.filter(|_| private),
        })
    }

    /// An email as it is sent: itself, or, for one stored before it was written
    /// (`mail::notice_to_write`), written now from its registration as it stands, with the
    /// signed ticket while it holds a seat. `None` when that registration no longer exists
    /// (erased, purged): there is nothing to send.
    pub async fn write_email(
        &self,
        email: &OutgoingEmail,
    ) -> Result<Option<OutgoingEmail>, DbError> {
        let Some(to_write) = &email.to_write else {
            return Ok(Some(email.clone()));
        };
        let Some(record) = store::find_by_id(&self.db, &to_write.registration_id).await? else {
            return Ok(None);
        };
        let Some(registration) = self.with_stage(record).await? else {
            return Ok(None);
        };
        let letterhead = self
            .letterhead(&registration.edition, &registration.stage)
            .await;
        Ok(Some(
            letterhead.email(to_write.notice, &registration.record),
        ))
    }

    /// The "my registration" page behind a manage token.
    pub async fn registration(&self, token: &str) -> Result<RegistrationView, AppError> {
        let registration = self.find(TokenColumn::Manage, token).await?;
        let record = &registration.record;
        let waiting_position = match record.status {
            RegistrationStatus::Waitlisted => {
                Some(store::waiting_position(&self.db, record).await?)
            }
            _ => None,
        };
        let register_again = match record.status {
            RegistrationStatus::Cancelled => {
                let counts = store::counts(&self.db, &record.stage_id).await?;
                let stage = &registration.stage.stage;
                match Availability::of(stage, counts.confirmed, counts.waitlisted, Utc::now()) {
                    Availability::Refused(_) => None,
                    open => Some(open),
                }
            }
            _ => None,
        };
        Ok(RegistrationView {
            status: record.status,
            attendee_name: record.attendee.name.clone(),
            organisation: record.attendee.organisation.clone(),
            place: place(&registration),
            waiting_position,
            ticket_path: record
                .has_seat()
                .then(|| self.links.ticket_path(&record.id)),
            short_code: shown_short_code(record, &registration.stage.stage),
            promoted: record.status == RegistrationStatus::Confirmed
                && record.promoted_at.is_some(),
            held_until: record
                .held_until()
                .map(|until| local_time(&registration.stage.stage, until)),
            released: record.status == RegistrationStatus::Cancelled && record.confirm_by.is_some(),
            register_again,
            attendee_feed: feed_links(
                &self.links,
                &self.links.attendee_feed_path(
                    record.attendee.email.as_str(),
                    record.feed_salt.as_deref(),
                ),
            ),
        })
    }

    /// The ticket page behind a ticket token.
    pub async fn ticket(&self, token: &str) -> Result<TicketView, AppError> {
        let registration = self.find(TokenColumn::Ticket, token).await?;
        Ok(self.ticket_view(&registration))
    }

    fn ticket_view(&self, registration: &Registration) -> TicketView {
        let record = &registration.record;
        let stage = &registration.stage.stage;
        let entry = ticket_admits(record.status, record.awaiting_confirmation(), stage.status);
        let valid = |path: &str| {
            entry
                .is_ok()
                .then(|| format!("{}/{path}", self.links.ticket_path(&record.id)))
        };
        TicketView {
            status: record.status,
            attendee_name: record.attendee.name.clone(),
            place: place(registration),
            refused: entry.err(),
            qr_path: valid("qr"),
            short_code: shown_short_code(record, stage),
            card_path: valid("ticket.png"),
            calendar: stage_calendar(&self.links, &registration.edition.edition, stage),
        }
    }

    /// The text of the QR code behind a ticket token, while the ticket is valid.
    pub async fn ticket_code(&self, token: &str) -> Result<String, AppError> {
        Ok(self.valid_ticket(token).await?.0)
    }

    /// The QR code's text and what the ticket says, while the ticket is valid: the ticket
    /// as one image.
    pub async fn valid_ticket(&self, token: &str) -> Result<(String, TicketView), AppError> {
        let registration = self.find(TokenColumn::Ticket, token).await?;
        let record = &registration.record;
        ticket_admits(
            record.status,
            record.awaiting_confirmation(),
            registration.stage.stage.status,
        )
        .map_err(|_| AppError::NotFound)?;
        let key = self
            .signing_key(&registration.edition.id)
            .await
            .ok_or(AppError::Internal)?;
        let code = sign_ticket(&key, &registration.record, &registration.stage)
            .ok_or(AppError::NotFound)?;
        Ok((code, self.ticket_view(&registration)))
    }

    /// Cancels the registration behind a manage token; its seat goes to the waiting list.
    pub async fn cancel(&self, token: &str, now: DateTime<Utc>) -> Result<(), AppError> {
        let registration = self.find(TokenColumn::Manage, token).await?;
        self.cancel_registration(registration, now).await
    }

    /// Erases everything stored about `email` (`etape person erase`): each seat it holds is
    /// given back as a cancel would (the first person waiting is promoted and told), then its
    /// registrations, check-ins and emails are removed. Returns what was removed.
    pub async fn erase_person(
        &self,
        email: &str,
        actor: db::audit::Actor,
        now: DateTime<Utc>,
    ) -> Result<db::people::Erased, AppError> {
        let email = Email::parse(email)
            .map_err(|error| AppError::Invalid(vec![FieldError::Email(error)]))?;
        for record in store::list_by_email(&self.db, &email).await? {
            if record.status == RegistrationStatus::Cancelled {
                continue;
            }
            if let Some(registration) = self.with_stage(record).await? {
                self.cancel_registration(registration, now).await?;
            }
        }
        let reference = self.links.person_reference(email.as_str());
        Ok(db::people::erase(&self.db, &email, actor, &reference, now).await?)
    }

    /// Everything stored about `email`, the reading recorded in the audit log (by `actor`).
    pub async fn export_person(
        &self,
        email: &str,
        actor: db::audit::Actor,
        now: DateTime<Utc>,
    ) -> Result<db::people::PersonData, AppError> {
        let email = Email::parse(email)
            .map_err(|error| AppError::Invalid(vec![FieldError::Email(error)]))?;
        let data = db::people::export(&self.db, &email).await?;
        let reference = self.links.person_reference(email.as_str());
        db::audit::record(
            &self.db,
            &db::audit::Entry {
                at: now,
                actor,
                action: db::audit::Action::PersonExport,
                subject: Some(&reference),
                details: serde_json::json!({
                    "registrations": data.registrations.len(),
                    "emails": data.emails.len(),
                }),
            },
        )
        .await?;
        Ok(data)
    }

    /// The audit log's newest entries, at most `limit`; only those about `email` when given.
    pub async fn audit_log(
        &self,
        email: Option<&str>,
        limit: u32,
    ) -> Result<Vec<db::audit::Recorded>, AppError> {
        let reference = match email {
            Some(email) => {
                let email = Email::parse(email)
                    .map_err(|error| AppError::Invalid(vec![FieldError::Email(error)]))?;
                Some(self.links.person_reference(email.as_str()))
            }
            None => None,
        };
        Ok(db::audit::list(&self.db, reference.as_deref(), limit).await?)
    }

    /// Gives the attendee feed of the address behind the "my registration" link `token` a
    /// new address: the old one, shared or leaked, stops working at once.
    pub async fn reset_feed(&self, token: &str) -> Result<(), AppError> {
        let registration = self.find(TokenColumn::Manage, token).await?;
        let email = &registration.record.attendee.email;
        let salt = random_token()?;
        store::reset_feed(&self.db, email, &salt).await?;
        Ok(())
    }

    /// An organiser cancels the registration of `email` for a stage, as the attendee could.
    pub async fn cancel_for_organiser(
        &self,
        edition_slug: &str,
        stage_slug: &str,
        email: &str,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let email = Email::parse(email)
            .map_err(|error| AppError::Invalid(vec![FieldError::Email(error)]))?;
        let (edition, stage) = self.organiser_stage(edition_slug, stage_slug).await?;
        let record = store::list_by_email(&self.db, &email)
            .await?
            .into_iter()
            .find(|record| record.stage_id == stage.id)
            .ok_or(AppError::NotFound)?;
        let registration = Registration {
            record,
            stage,
            edition,
        };
        self.cancel_registration(registration, now).await
    }

    /// Cancels, and emails the attendee and whoever the freed seat went to: the emails are
    /// stored by the transaction that cancels.
    async fn cancel_registration(
        &self,
        registration: Registration,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        if registration.record.status == RegistrationStatus::Cancelled {
            return Ok(());
        }
        let letterhead = self
            .letterhead(&registration.edition, &registration.stage)
            .await;
        let cancellation =
            store::cancel_and_announce(&self.db, &registration.record.id, now, |cancellation| {
                let mut emails =
                    vec![letterhead.email(Notice::Cancelled, &cancellation.registration)];
                emails.extend(
                    cancellation
                        .promoted
                        .iter()
                        .map(|promoted| letterhead.email(Notice::Promoted, promoted)),
                );
                emails
            })
            .await?
            .ok_or(AppError::NotFound)?;
        if cancellation.changed {
            self.outbox.wake();
        }
        Ok(())
    }

    /// An organiser changes a stage's capacity; seats it frees go to the waiting list, and
    /// each person confirmed gets their ticket by email, stored by the same transaction.
    /// Returns how many were confirmed.
    pub async fn change_capacity(
        &self,
        edition_slug: &str,
        stage_slug: &str,
        capacity: u32,
        now: DateTime<Utc>,
    ) -> Result<usize, AppError> {
        let (edition, stage) = self.organiser_stage(edition_slug, stage_slug).await?;
        let letterhead = self.letterhead(&edition, &stage).await;
        let promoted =
            store::change_capacity_and_announce(&self.db, &stage.id, capacity, now, |promoted| {
                promoted
                    .iter()
                    .map(|record| letterhead.email(Notice::Promoted, record))
                    .collect()
            })
            .await?;
        if !promoted.is_empty() {
            self.outbox.wake();
        }
        Ok(promoted.len())
    }

    /// "Lost my link": emails every registration of the address to that address. Says the
    /// same thing whether or not the address is known, and takes the same time: the answer
    /// goes as soon as the address is read, and the registrations are looked up after it
    /// (`queue_links`), so how long it takes tells nothing about the address either.
    pub async fn send_links(
        &self,
        email: &str,
        locale: Locale,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        self.check_limit(&self.limits.lost_link)?;
        let email = Email::parse(email)
            .and_then(mail::deliverable)
            .map_err(|error| AppError::Invalid(vec![FieldError::Email(error)]))?;
        if !self.limits.allow_email_to(email.as_str()) {
            // Answered as if sent: whoever asks learns nothing, and the inbox is left alone.
            tracing::info!("links not sent again: the address has had its share this minute");
            return Ok(());
        }
        let desk = self.clone();
        tokio::spawn(async move {
            if let Err(error) = desk.queue_links(&email, locale, now).await {
                tracing::error!(%error, "could not queue the links email");
            }
        });
        Ok(())
    }

    /// Queues the email with every registration of `email`, if it has any.
    async fn queue_links(
        &self,
        email: &Email,
        locale: Locale,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let records = store::list_by_email(&self.db, email).await?;
        if records.is_empty() {
            tracing::info!("lost link asked for an address with no registration");
            return Ok(());
        }
        let mut mails = Vec::with_capacity(records.len());
        for record in records {
            if let Some(registration) = self.with_stage(record).await? {
                mails.push(registration_mail(
                    &self.links,
                    &registration.record,
                    &registration.stage,
                    &registration.edition,
                    None,
                ));
            }
        }
        let message = mail::links_email(locale, email, &mails);
        self.outbox.send(&self.db, message, now).await?;
        Ok(())
    }

    /// The stage an organiser command names: in any edition, published or cancelled.
    async fn organiser_stage(
        &self,
        edition_slug: &str,
        stage_slug: &str,
    ) -> Result<(EditionRecord, StageRecord), AppError> {
        let edition = editions::find_edition(&self.db, edition_slug)
            .await?
            .ok_or(AppError::NotFound)?;
        let stage = stages::find_public_stage(&self.db, &edition.id, stage_slug)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok((edition, stage))
    }

    fn check_limit(&self, limiter: &RateLimiter) -> Result<(), AppError> {
        match self.client {
            Some(client) if !limiter.allow_client(client, Instant::now()) => {
                tracing::warn!(%client, "rate limit reached");
                Err(AppError::TooManyRequests)
            }
            _ => Ok(()),
        }
    }

    async fn find(&self, column: TokenColumn, token: &str) -> Result<Registration, AppError> {
        let kind = match column {
            TokenColumn::Manage => LinkKind::Manage,
            TokenColumn::Ticket => LinkKind::Ticket,
            TokenColumn::Confirm => LinkKind::Confirm,
        };
        let record = match self.links.open(kind, token).ok_or(AppError::NotFound)? {
            LinkKey::Id(id) => store::find_by_id(&self.db, &id).await?,
            LinkKey::StoredHash(hash) => store::find_by_token_hash(&self.db, column, &hash).await?,
        };
        let record = record.ok_or(AppError::NotFound)?;
        self.with_stage(record).await?.ok_or(AppError::NotFound)
    }

    async fn with_stage(
        &self,
        record: RegistrationRecord,
    ) -> Result<Option<Registration>, DbError> {
        Ok(self
            .stage_and_edition(&record.stage_id)
            .await?
            .map(|(stage, edition)| Registration {
                record,
                stage,
                edition,
            }))
    }

    /// A stage, whatever its status, with its edition; `None` once either has gone.
    async fn stage_and_edition(
        &self,
        stage_id: &str,
    ) -> Result<Option<(StageRecord, EditionRecord)>, DbError> {
        let Some((edition_id, stage)) = stages::find_stage_by_id(&self.db, stage_id).await? else {
            return Ok(None);
        };
        let edition = editions::find_edition_by_id(&self.db, &edition_id).await?;
        Ok(edition.map(|edition| (stage, edition)))
    }

    /// A published edition and its public stage (published or cancelled), from the cache:
    /// what registering decides on is read again under the stage's lock.
    async fn published_stage(
        &self,
        edition_slug: &str,
        stage_slug: &str,
    ) -> Result<(EditionRecord, StageRecord), AppError> {
        let loaded = cached_edition(&self.db, &self.cache, edition_slug).await?;
        let (edition, stages) = &*loaded;
        let stage = stages
            .iter()
            .find(|record| record.stage.slug.as_str() == stage_slug)
            .ok_or(AppError::NotFound)?;
        Ok((edition.clone(), stage.clone()))
    }

    /// The edition's active ticket key (made now if it has none), or `None` after logging why.
    async fn signing_key(&self, edition_id: &str) -> Option<Arc<TicketKey>> {
        let loaded = self
            .cache
            .signing_keys
            .get_or_load(edition_id.to_owned(), async {
                let key = ticket_keys::ensure_active_key(&self.db, edition_id, Utc::now()).await?;
                Ok::<_, DbError>(Some(Arc::new(key)))
            })
            .await;
        match loaded {
            Ok(key) => key,
            Err(error) => {
                tracing::error!(%error, "could not read the edition's ticket key");
                None
            }
        }
    }

    /// What emails about the stage's registrations need: its links, edition, stage, and the
    /// edition's ticket key for those holding a seat.
    async fn letterhead(&self, edition: &EditionRecord, stage: &StageRecord) -> Letterhead {
        Letterhead {
            links: self.links.clone(),
            edition: edition.clone(),
            stage: stage.clone(),
            key: self.signing_key(&edition.id).await,
        }
    }
}

impl Letterhead {
    /// The email for `notice` about `record`, with the signed ticket when it holds a seat.
    fn email(&self, notice: Notice, record: &RegistrationRecord) -> OutgoingEmail {
        notice_email(
            &self.links,
            &self.edition,
            &self.stage,
            self.key.as_deref(),
            notice,
            record,
        )
    }
}

/// `Letterhead::email` for a caller that holds the parts rather than owns them (the reminder
/// pass, whose stage is read again inside its transaction).
fn notice_email(
    links: &Links,
    edition: &EditionRecord,
    stage: &StageRecord,
    key: Option<&TicketKey>,
    notice: Notice,
    record: &RegistrationRecord,
) -> OutgoingEmail {
    let ticket_code = match key {
        Some(key)
            if ticket_admits(
                record.status,
                record.awaiting_confirmation(),
                stage.stage.status,
            )
            .is_ok() =>
        {
            sign_ticket(key, record, stage)
        }
        _ => None,
    };
    let mail = registration_mail(links, record, stage, edition, ticket_code);
    mail::registration_email(notice, &record.attendee.email, &mail)
}

/// The signed code of a registration's ticket; `None` if the stored ids are not UUIDs.
fn sign_ticket(
    key: &TicketKey,
    record: &RegistrationRecord,
    stage: &StageRecord,
) -> Option<String> {
    let ticket = uuid::Uuid::parse_str(&record.id).ok()?;
    let stage = uuid::Uuid::parse_str(&stage.id).ok()?;
    Some(key.sign(&TicketPayload {
        ticket_id: *ticket.as_bytes(),
        stage_id: *stage.as_bytes(),
    }))
}

/// A ticket's short code as people read it (`K7QM-4XPD`), only while the ticket lets its
/// holder in: the same rule for "my registration", the ticket page and the emails.
fn shown_short_code(record: &RegistrationRecord, stage: &crate::domain::Stage) -> Option<String> {
    ticket_admits(record.status, record.awaiting_confirmation(), stage.status)
        .ok()
        .and(record.short_code)
        .map(|code| code.to_string())
}

fn registration_mail(
    links: &Links,
    record: &RegistrationRecord,
    stage: &StageRecord,
    edition: &EditionRecord,
    ticket_code: Option<String>,
) -> RegistrationMail {
    let stage = &stage.stage;
    let zone = stage.zone();
    RegistrationMail {
        locale: record.language,
        attendee_name: record.attendee.name.clone(),
        edition_name: edition.edition.name.clone(),
        city: stage.city.clone(),
        venue_name: stage.venue_name.clone(),
        venue_address: stage.venue_address.clone(),
        starts: stage.starts_at.with_timezone(&zone).naive_local(),
        ends: stage.ends_at.with_timezone(&zone).naive_local(),
        time_zone: stage.time_zone.clone(),
        status: record.status,
        stage_url: links.stage_url(edition.edition.slug.as_str(), stage.slug.as_str()),
        manage_url: links.manage_url(&record.id),
        feed_url: links.webcal(
            &links.attendee_feed_path(record.attendee.email.as_str(), record.feed_salt.as_deref()),
        ),
        ticket_url: record.has_seat().then(|| links.ticket_url(&record.id)),
        short_code: shown_short_code(record, stage),
        ticket_code,
        cancellation_reason: None,
        confirm: record.held_until().map(|until| {
            (
                links.absolute(&links.confirm_path(&record.id)),
                local_time(stage, until),
            )
        }),
    }
}

/// An instant on the stage's own clock.
fn local_time(stage: &crate::domain::Stage, at: DateTime<Utc>) -> chrono::NaiveDateTime {
    at.with_timezone(&stage.zone()).naive_local()
}

fn place(registration: &Registration) -> PlaceView {
    let stage = &registration.stage.stage;
    let zone = stage.zone();
    PlaceView {
        edition_name: registration.edition.edition.name.clone(),
        edition_slug: registration.edition.edition.slug.to_string(),
        stage_slug: stage.slug.to_string(),
        city: stage.city.clone(),
        venue_name: stage.venue_name.clone(),
        venue_address: stage.venue_address.clone(),
        starts: stage.starts_at.with_timezone(&zone).naive_local(),
        ends: stage.ends_at.with_timezone(&zone).naive_local(),
        time_zone: stage.time_zone.clone(),
        stage_cancelled: stage.status == StageStatus::Cancelled,
    }
}
