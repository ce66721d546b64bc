//! The delivery worker: takes due emails from the outbox and sends them, one at a time, then
//! marks the batch's sent ones together.
//!
//! Each email ends in exactly one of: sent, kept (no SMTP server configured), retried later
//! with backoff, or failed (given up). A registration's email stored before it was written
//! is written here, just before it is sent (`Desk::write_email`). Errors are logged with the outbox id and the SMTP
//! status, never with the body; an SMTP server's reply text is left out too, as it may quote
//! the address.

use super::config::{MailSettings, Transport};
use app::api::outbox::Outbox;
use app::api::registration::Desk;
use app::db::outbox::{self, OutboxRecord};
use app::db::DbError;
use app::mail::{OutgoingEmail, QR_CONTENT_ID};
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tokio::task::JoinHandle;

/// Pixels per QR module in the emailed PNG: about 300 px for a typical ticket code.
const QR_MODULE_PX: usize = 6;

/// Starts the worker: it delivers what is due, then sleeps until an email is queued
/// (`Outbox::woken`) or `poll_every` passes (for retries), forever. `desk` writes the emails
/// stored before they were written.
pub fn spawn_delivery(desk: Desk, outbox: Outbox, settings: MailSettings) -> JoinHandle<()> {
    tokio::spawn(async move {
        tracing::info!(transport = ?settings.transport, "email delivery started");
        loop {
            deliver_due(&desk, &settings).await;
            tokio::select! {
                () = outbox.woken() => {}
                () = tokio::time::sleep(settings.poll_every) => {}
            }
        }
    })
}

/// Delivers every email due now, batch after batch. Returns how many it tried. Stops early
/// when the database fails, so a broken database does not make it spin.
pub async fn deliver_due(desk: &Desk, settings: &MailSettings) -> usize {
    let db = &desk.db;
    let mut tried = 0;
    loop {
        let now = settings.clock.now();
        let taken = match &settings.transport {
            Transport::Log => outbox::keep_due(db, now, settings.batch).await,
            Transport::Smtp(_) => outbox::claim_due(db, now, settings.batch).await,
        };
        let batch = match taken {
            Ok(batch) => batch,
            Err(error) => {
                tracing::error!(error = %error, "cannot read the outbox");
                return tried;
            }
        };
        let full = batch.len() >= usize::try_from(settings.batch).unwrap_or(usize::MAX);
        tried += batch.len();
        let recorded = match &settings.transport {
            Transport::Log => {
                log_kept(desk, &batch).await;
                Ok(())
            }
            Transport::Smtp(smtp) => deliver_batch(desk, settings, smtp, &batch).await,
        };
        if let Err(error) = recorded {
            tracing::error!(error = %error, "cannot record the delivery of emails");
            return tried;
        }
        if !full {
            return tried;
        }
    }
}

/// No SMTP server (development): the log is the delivery, so it names the recipients, and
/// writes each email's text at `debug`. The batch was marked kept by the statement that took
/// it (`outbox::keep_due`).
async fn log_kept(desk: &Desk, batch: &[OutboxRecord]) {
    for record in batch {
        tracing::info!(
            id = %record.id,
            to = %record.email.to,
            subject = %record.email.subject,
            emails = batch.len(),
            "email kept, not sent: SMTP_URL is not set"
        );
        if tracing::enabled!(tracing::Level::DEBUG) {
            match desk.write_email(&record.email).await {
                Ok(Some(email)) => {
                    tracing::debug!(id = %record.id, body = %email.text, "kept email's text");
                }
                Ok(None) => tracing::debug!(id = %record.id, "kept email's registration is gone"),
                Err(error) => tracing::warn!(id = %record.id, %error, "kept email not written"),
            }
        }
    }
}

/// What became of one email: sent, to be marked so with the rest of its batch, or recorded
/// already (a retry, or given up).
enum Delivery {
    Sent,
    Recorded,
}

/// Sends a claimed batch, one email at a time, and marks the sent ones together once the
/// batch is done: one write turn for the batch rather than one per email, which on SQLite
/// would take a turn from the registrations for each email. A worker that dies before that
/// write leaves the batch claimed: its sent emails go again once the claim ends, as one that
/// died mid-send always did with the email it was sending.
async fn deliver_batch(
    desk: &Desk,
    settings: &MailSettings,
    smtp: &AsyncSmtpTransport<Tokio1Executor>,
    batch: &[OutboxRecord],
) -> Result<(), DbError> {
    let mut sent = Vec::with_capacity(batch.len());
    let mut recorded = Ok(());
    for record in batch {
        match deliver_one(desk, settings, smtp, record).await {
            Ok(Delivery::Sent) => sent.push(record.id.clone()),
            Ok(Delivery::Recorded) => {}
            Err(error) => {
                recorded = Err(error);
                break;
            }
        }
    }
    // Marked even when the batch stopped early: what went must not go again.
    let marked = outbox::mark_sent(&desk.db, &sent, settings.clock.now()).await;
    recorded.and(marked.map(|_| ()))
}

/// Sends one email and records what happened to it, unless it was sent (`deliver_batch` marks
/// those). Its span names the email (the outbox id), never its recipient.
#[tracing::instrument(skip_all, fields(email = %record.id, attempt = record.attempts + 1))]
async fn deliver_one(
    desk: &Desk,
    settings: &MailSettings,
    smtp: &AsyncSmtpTransport<Tokio1Executor>,
    record: &OutboxRecord,
) -> Result<Delivery, DbError> {
    let db = &desk.db;
    let attempts = record.attempts + 1;
    // A database that fails here fails the batch: the email stays claimed, and is due again
    // once its lease ends.
    let Some(email) = desk.write_email(&record.email).await? else {
        tracing::info!(id = %record.id, "email not sent: its registration no longer exists");
        let reason = "its registration no longer exists";
        outbox::mark_failed(db, &record.id, attempts, reason, settings.clock.now()).await?;
        return Ok(Delivery::Recorded);
    };
    let message = match build_message(settings, &record.id, &email) {
        Ok(message) => message,
        Err(reason) => {
            // Retrying cannot fix a message that does not build.
            tracing::error!(id = %record.id, error = %reason, "email cannot be built, given up");
            outbox::mark_failed(db, &record.id, attempts, &reason, settings.clock.now()).await?;
            return Ok(Delivery::Recorded);
        }
    };
    match smtp.send(message).await {
        Ok(_) => {
            tracing::info!(id = %record.id, attempts, "email sent");
            Ok(Delivery::Sent)
        }
        Err(error) => {
            let reason = describe(&error);
            let now = settings.clock.now();
            match settings.retry.after_failure(attempts) {
                Some(wait) => {
                    let next = now + chrono::Duration::from_std(wait).unwrap_or_default();
                    tracing::warn!(id = %record.id, attempts, retry_in_s = wait.as_secs(), error = %reason, "email not sent, will retry");
                    outbox::schedule_retry(db, &record.id, attempts, next, &reason).await?;
                    Ok(Delivery::Recorded)
                }
                None => {
                    tracing::error!(id = %record.id, attempts, error = %reason, "email not sent, given up");
                    outbox::mark_failed(db, &record.id, attempts, &reason, now).await?;
                    Ok(Delivery::Recorded)
                }
            }
        }
    }
}

/// The MIME message: text and HTML as alternatives; with a ticket code, the HTML travels with
/// the QR image it shows (`multipart/related`, referenced by Content-ID).
fn build_message(
    settings: &MailSettings,
    id: &str,
    email: &OutgoingEmail,
) -> Result<Message, String> {
    let address: Address = email
        .to
        .parse()
        .map_err(|_| "the recipient address is not valid".to_owned())?;
    let name = Some(email.to_name.trim().to_owned()).filter(|name| !name.is_empty());
    let text = SinglePart::plain(email.text.clone());
    let html = SinglePart::html(email.html.clone());
    let qr = email.ticket_code.as_deref().and_then(|code| {
        crate::qr::png(code, QR_MODULE_PX)
            .inspect_err(|error| {
                tracing::warn!(id = %id, error = %error, "no QR image for this email");
            })
            .ok()
    });
    let body = match qr {
        Some(png) => MultiPart::alternative().singlepart(text).multipart(
            MultiPart::related().singlepart(html).singlepart(
                Attachment::new_inline_with_name(QR_CONTENT_ID.to_owned(), "ticket.png".to_owned())
                    .body(
                        png,
                        ContentType::parse("image/png").map_err(|e| e.to_string())?,
                    ),
            ),
        ),
        None => MultiPart::alternative().singlepart(text).singlepart(html),
    };
    Message::builder()
        .from(settings.from.clone())
        .to(Mailbox::new(name, address))
        .subject(email.subject.clone())
        .message_id(Some(format!("<{id}@{}>", settings.from.email.domain())))
        .multipart(body)
        .map_err(|error| format!("cannot build the message: {error}"))
}

/// What went wrong, safe to log and store: the SMTP status code for a refusal (the server's
/// text may quote the address), the full cause for connection and TLS failures.
fn describe(error: &lettre::transport::smtp::Error) -> String {
    match error.status() {
        Some(code) if error.is_permanent() => format!("refused by the SMTP server ({code})"),
        Some(code) => format!("deferred by the SMTP server ({code})"),
        None => error.to_string(),
    }
}
