//! Email delivery end to end: emails queued with `Outbox::send` go through the real worker and
//! lettre to a real SMTP listener on loopback (`smtp_sink::SmtpSink`), on both engines. The
//! worker's clock and backoff are injected, so retries are tested without waiting minutes.

use crate::on_both_engines;
use crate::smtp_sink::SmtpSink;
use app::api::outbox::Outbox;
use app::db::outbox::{claim_due, list_for_recipient, OutboxRecord, OutboxStatus};
use app::db::Db;
use app::domain::registration::{Email, RegistrationStatus};
use app::i18n::Locale;
use app::mail::{registration_email, Notice, OutgoingEmail, RegistrationMail, QR_CONTENT_ID};
use chrono::{DateTime, NaiveDate, Utc};
use etape::mail::{spawn_delivery, Clock, MailSettings, RetryPolicy, SmtpUrl, DEFAULT_MAIL_FROM};
use mail_parser::{MessageParser, MimeHeaders, PartType};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

// ---------------------------------------------------------------------------------------------
// Helpers.

/// A clock that starts at the real time and moves forward only when the test says.
#[derive(Clone, Default)]
struct TestClock {
    offset_s: Arc<AtomicI64>,
}

impl TestClock {
    fn clock(&self) -> Clock {
        let offset = self.offset_s.clone();
        Clock::new(move || Utc::now() + chrono::Duration::seconds(offset.load(Ordering::SeqCst)))
    }

    fn advance(&self, seconds: i64) {
        self.offset_s.fetch_add(seconds, Ordering::SeqCst);
    }
}

fn settings(smtp: Option<SmtpUrl>, clock: Clock) -> MailSettings {
    let mut settings = MailSettings::new(smtp.as_ref(), DEFAULT_MAIL_FROM).expect("settings");
    settings.poll_every = Duration::from_millis(50);
    settings.clock = clock;
    settings
}

fn registration(locale: Locale, status: RegistrationStatus, code: &str) -> RegistrationMail {
    let day = NaiveDate::from_ymd_opt(2026, 12, 10).unwrap();
    let confirmed = status == RegistrationStatus::Confirmed;
    RegistrationMail {
        cancellation_reason: None,
        confirm: None,
        locale,
        attendee_name: "Camille Martin".to_owned(),
        edition_name: "Social Good Week 2026".to_owned(),
        city: "Saint-Étienne".to_owned(),
        venue_name: "La Cité du design".to_owned(),
        venue_address: "3 rue Javelin Pagnon, 42000 Saint-Étienne".to_owned(),
        starts: day.and_hms_opt(18, 0, 0).unwrap(),
        ends: day.and_hms_opt(21, 0, 0).unwrap(),
        time_zone: "Europe/Paris".to_owned(),
        status,
        stage_url: "http://127.0.0.1:3000/sgw-2026/saint-etienne".to_owned(),
        manage_url: "http://127.0.0.1:3000/r/manage-secret".to_owned(),
        feed_url: "webcal://127.0.0.1:3000/feeds/attendee/feed-secret.ics".to_owned(),
        ticket_url: confirmed.then(|| "http://127.0.0.1:3000/t/ticket-secret".to_owned()),
        ticket_code: confirmed.then(|| code.to_owned()),
        short_code: confirmed.then(|| "K7QM-4XPD".to_owned()),
    }
}

/// A real signed ticket code, as the registration flow will make them.
fn ticket_code() -> String {
    use app::domain::ticket::{TicketKey, TicketPayload};
    TicketKey::from_seed([7; 32]).sign(&TicketPayload {
        ticket_id: [3; 16],
        stage_id: [4; 16],
    })
}

fn address(raw: &str) -> Email {
    Email::parse(raw).unwrap()
}

/// Polls the outbox until `done` holds for the address's emails, or panics after ten seconds.
async fn wait_in_outbox(
    db: &Db,
    recipient: &str,
    done: impl Fn(&[OutboxRecord]) -> bool,
) -> Vec<OutboxRecord> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let records = list_for_recipient(db, recipient).await.unwrap();
        if done(&records) {
            return records;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "outbox never reached the expected state: {records:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn decode_png_qr(png_bytes: &[u8]) -> Vec<String> {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buffer = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buffer).expect("a frame");
    assert_eq!(info.color_type, png::ColorType::Grayscale);
    let (width, height) = (info.width as usize, info.height as usize);
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| buffer[y * width + x]);
    image
        .detect_grids()
        .into_iter()
        .map(|grid| grid.decode().expect("a readable QR code").1)
        .collect()
}

/// The text/* parts of a message with their subtypes, and its inline images.
struct Parts {
    plain: Vec<String>,
    html: Vec<String>,
    images: Vec<(Option<String>, Vec<u8>)>,
}

fn parts(message: &mail_parser::Message<'_>) -> Parts {
    let mut found = Parts {
        plain: vec![],
        html: vec![],
        images: vec![],
    };
    for part in &message.parts {
        let Some(kind) = part.content_type() else {
            continue;
        };
        match (&part.body, kind.ctype(), kind.subtype()) {
            (PartType::Text(text), "text", Some("plain")) => found.plain.push(text.to_string()),
            (PartType::Html(html), "text", Some("html")) => found.html.push(html.to_string()),
            (PartType::Binary(bytes) | PartType::InlineBinary(bytes), "image", Some("png")) => {
                found
                    .images
                    .push((part.content_id().map(str::to_owned), bytes.to_vec()))
            }
            _ => {}
        }
    }
    found
}

// ---------------------------------------------------------------------------------------------
// Tests.

async fn a_french_confirmation_arrives_with_text_html_and_a_qr_that_decodes_to_the_ticket(db: &Db) {
    let sink = SmtpSink::start().await;
    let outbox = Outbox::new();
    let worker = spawn_delivery(
        crate::support::command_desk(db),
        outbox.clone(),
        settings(Some(sink.url()), Clock::system()),
    );
    let code = ticket_code();
    let mail = registration(Locale::Fr, RegistrationStatus::Confirmed, &code);
    let email = registration_email(Notice::Confirmed, &address("camille@example.org"), &mail);
    outbox.send(db, email, Utc::now()).await.unwrap();

    let received = sink.wait_for(1).await;
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].mail_from, "noreply@localhost");
    assert_eq!(received[0].rcpt_to, vec!["camille@example.org".to_owned()]);
    let message = MessageParser::default()
        .parse(&received[0].data)
        .expect("a parsable message");
    assert_eq!(
        message.subject(),
        Some("Inscription confirmée — Saint-Étienne")
    );
    let to = message.to().and_then(|to| to.first()).expect("a To header");
    assert_eq!(to.name(), Some("Camille Martin"));
    assert_eq!(to.address(), Some("camille@example.org"));

    let found = parts(&message);
    assert_eq!(found.plain.len(), 1, "one text/plain part");
    assert_eq!(found.html.len(), 1, "one text/html part");
    assert!(found.plain[0].contains("Bonjour Camille Martin,"));
    assert!(
        found.plain[0].contains("jeudi 10 décembre 2026, 18\u{a0}h\u{a0}00 – 21\u{a0}h\u{a0}00")
    );
    assert!(found.plain[0].contains("http://127.0.0.1:3000/r/manage-secret"));
    assert!(found.plain[0].contains("http://127.0.0.1:3000/t/ticket-secret"));
    assert!(found.html[0].contains(&format!("src=\"cid:{QR_CONTENT_ID}\"")));
    assert!(found.html[0].contains("href=\"http://127.0.0.1:3000/r/manage-secret\""));

    assert_eq!(found.images.len(), 1, "one inline QR image");
    let (content_id, png_bytes) = &found.images[0];
    assert_eq!(content_id.as_deref(), Some(QR_CONTENT_ID));
    assert_eq!(decode_png_qr(png_bytes), vec![code]);

    let stored = wait_in_outbox(db, "camille@example.org", |records| {
        records.iter().all(|r| r.status == OutboxStatus::Sent)
    })
    .await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].attempts, 0);
    assert!(stored[0].sent_at.is_some());
    worker.abort();
    sink.stop();
}
on_both_engines!(a_french_confirmation_arrives_with_text_html_and_a_qr_that_decodes_to_the_ticket);

async fn an_english_waiting_list_email_arrives_in_english_without_an_image(db: &Db) {
    let sink = SmtpSink::start().await;
    let outbox = Outbox::new();
    let worker = spawn_delivery(
        crate::support::command_desk(db),
        outbox.clone(),
        settings(Some(sink.url()), Clock::system()),
    );
    let mail = registration(Locale::En, RegistrationStatus::Waitlisted, "unused");
    let email = registration_email(Notice::Waitlisted, &address("sam@example.org"), &mail);
    outbox.send(db, email, Utc::now()).await.unwrap();

    let received = sink.wait_for(1).await;
    let message = MessageParser::default().parse(&received[0].data).unwrap();
    assert_eq!(message.subject(), Some("Waiting list — Saint-Étienne"));
    let found = parts(&message);
    assert_eq!((found.plain.len(), found.html.len()), (1, 1));
    assert!(found.plain[0].contains("you are on the waiting list"));
    assert!(found.plain[0].contains("Thursday 10 December 2026, 18:00 – 21:00"));
    assert!(found.html[0].contains("<html lang=\"en\">"));
    assert!(found.images.is_empty());
    assert!(!found.html[0].contains("cid:"));
    worker.abort();
    sink.stop();
}
on_both_engines!(an_english_waiting_list_email_arrives_in_english_without_an_image);

async fn lines_that_start_with_a_dot_arrive_unchanged(db: &Db) {
    let sink = SmtpSink::start().await;
    let outbox = Outbox::new();
    let worker = spawn_delivery(
        crate::support::command_desk(db),
        outbox.clone(),
        settings(Some(sink.url()), Clock::system()),
    );
    let text = "First line\n.a line with one dot\n..two dots\n.\nlast line\n";
    let email = OutgoingEmail {
        to: "dots@example.org".to_owned(),
        to_name: String::new(),
        subject: "Dots".to_owned(),
        text: text.to_owned(),
        html: "<p>.</p>".to_owned(),
        ticket_code: None,
        to_write: None,
    };
    outbox.send(db, email, Utc::now()).await.unwrap();
    let received = sink.wait_for(1).await;
    let message = MessageParser::default().parse(&received[0].data).unwrap();
    let found = parts(&message);
    assert_eq!(found.plain[0].replace("\r\n", "\n"), text);
    worker.abort();
    sink.stop();
}
on_both_engines!(lines_that_start_with_a_dot_arrive_unchanged);

async fn an_email_waits_while_smtp_is_down_then_goes_once_its_retry_time_has_come(db: &Db) {
    // A port with nobody listening: connections are refused.
    let reserved = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = reserved.local_addr().unwrap();
    drop(reserved);
    let time = TestClock::default();
    let mut settings = settings(Some(SmtpUrl::new(format!("smtp://{port}"))), time.clock());
    settings.retry = RetryPolicy {
        delays: vec![Duration::from_secs(30)],
        max_attempts: 8,
    };
    let outbox = Outbox::new();
    let worker = spawn_delivery(crate::support::command_desk(db), outbox.clone(), settings);
    let mail = registration(Locale::En, RegistrationStatus::Confirmed, &ticket_code());
    let email = registration_email(Notice::Confirmed, &address("late@example.org"), &mail);
    let queued_at = Utc::now();
    outbox.send(db, email, queued_at).await.unwrap();

    let failed_once = wait_in_outbox(db, "late@example.org", |r| r[0].attempts == 1).await;
    let record = &failed_once[0];
    assert_eq!(record.status, OutboxStatus::Pending);
    let error = record
        .last_error
        .as_deref()
        .expect("the failure is recorded");
    assert!(!error.contains("late@example.org"), "{error}");
    let wait = record.next_attempt_at - queued_at;
    assert!(
        (29..=35).contains(&wait.num_seconds()),
        "retry in {wait:?}, expected about 30 s"
    );

    // The server comes back, but the retry time has not come: nothing is sent yet.
    let sink = SmtpSink::start_on(port).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(sink.messages().is_empty());
    let still = list_for_recipient(db, "late@example.org").await.unwrap();
    assert_eq!(
        (still[0].status, still[0].attempts),
        (OutboxStatus::Pending, 1)
    );

    time.advance(31);
    let received = sink.wait_for(1).await;
    let message = MessageParser::default().parse(&received[0].data).unwrap();
    assert_eq!(
        message.subject(),
        Some("Registration confirmed — Saint-Étienne")
    );
    let sent = wait_in_outbox(db, "late@example.org", |r| {
        r[0].status == OutboxStatus::Sent
    })
    .await;
    assert_eq!(sent[0].attempts, 1);
    // Delivered, it keeps who, what subject and when, not its links or its ticket.
    assert_eq!(
        sent[0].email.subject,
        "Registration confirmed — Saint-Étienne"
    );
    assert_eq!(
        (sent[0].email.text.as_str(), sent[0].email.html.as_str()),
        ("", "")
    );
    assert_eq!(sent[0].email.ticket_code, None);
    worker.abort();
    sink.stop();
}
on_both_engines!(an_email_waits_while_smtp_is_down_then_goes_once_its_retry_time_has_come);

async fn a_batch_sent_is_marked_sent_together_and_forgets_its_bodies(db: &Db) {
    // The worker marks a batch's sent emails in one write once the batch is done: by the time
    // `deliver_due` returns, every one of them is sent, dated and emptied, none left pending.
    let sink = SmtpSink::start().await;
    let outbox = Outbox::new();
    let count = 7;
    for n in 0..count {
        let email = registration_email(
            Notice::Confirmed,
            &address(&format!("batch{n}@example.org")),
            &registration(Locale::Fr, RegistrationStatus::Confirmed, &ticket_code()),
        );
        outbox.send(db, email, Utc::now()).await.unwrap();
    }
    let desk = crate::support::command_desk(db);
    let tried = etape::mail::deliver_due(&desk, &settings(Some(sink.url()), Clock::system())).await;
    assert_eq!(tried, count);
    assert_eq!(sink.messages().len(), count);
    for n in 0..count {
        let stored = list_for_recipient(db, &format!("batch{n}@example.org"))
            .await
            .unwrap();
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].status, OutboxStatus::Sent, "email {n}");
        assert!(stored[0].sent_at.is_some());
        assert!(stored[0].email.text.is_empty() && stored[0].email.html.is_empty());
        assert_eq!(stored[0].email.ticket_code, None);
    }
    sink.stop();
}
on_both_engines!(a_batch_sent_is_marked_sent_together_and_forgets_its_bodies);

async fn delivery_gives_up_after_the_last_attempt(db: &Db) {
    let reserved = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = reserved.local_addr().unwrap();
    drop(reserved);
    let time = TestClock::default();
    let mut settings = settings(Some(SmtpUrl::new(format!("smtp://{port}"))), time.clock());
    settings.retry = RetryPolicy {
        delays: vec![Duration::from_secs(60)],
        max_attempts: 2,
    };
    let outbox = Outbox::new();
    let worker = spawn_delivery(crate::support::command_desk(db), outbox.clone(), settings);
    let email = registration_email(
        Notice::Cancelled,
        &address("gone@example.org"),
        &registration(Locale::Fr, RegistrationStatus::Cancelled, ""),
    );
    outbox.send(db, email, Utc::now()).await.unwrap();
    wait_in_outbox(db, "gone@example.org", |r| r[0].attempts == 1).await;
    time.advance(61);
    let gave_up = wait_in_outbox(db, "gone@example.org", |r| {
        r[0].status == OutboxStatus::Failed
    })
    .await;
    assert_eq!(gave_up[0].attempts, 2);
    assert!(gave_up[0].last_error.is_some());
    assert!(gave_up[0].sent_at.is_none());
    assert!(gave_up[0].email.text.is_empty() && gave_up[0].email.html.is_empty());
    worker.abort();
}
on_both_engines!(delivery_gives_up_after_the_last_attempt);

async fn without_smtp_url_emails_are_kept_not_sent(db: &Db) {
    let outbox = Outbox::new();
    let worker = spawn_delivery(
        crate::support::command_desk(db),
        outbox.clone(),
        settings(None, Clock::system()),
    );
    let email = registration_email(
        Notice::Confirmed,
        &address("kept@example.org"),
        &registration(Locale::Fr, RegistrationStatus::Confirmed, "CODE"),
    );
    outbox.send(db, email.clone(), Utc::now()).await.unwrap();
    let kept = wait_in_outbox(db, "kept@example.org", |r| {
        r[0].status == OutboxStatus::Kept
    })
    .await;
    assert_eq!(kept[0].attempts, 0);
    assert!(kept[0].sent_at.is_some());
    // Without an SMTP server the table is the delivery: the body stays to be read.
    assert!(!kept[0].email.text.is_empty());
    assert_eq!(kept[0].email, email, "the email is kept whole");
    worker.abort();
}
on_both_engines!(without_smtp_url_emails_are_kept_not_sent);

async fn outbox_send_only_stores_the_email_for_the_worker(db: &Db) {
    // No worker runs: sending must not need one, and leaves the email pending and due.
    let outbox = Outbox::new();
    let email = OutgoingEmail {
        to: "queued@example.org".to_owned(),
        to_name: "Zoé « Z » O'Neil".to_owned(),
        subject: "Sujet".to_owned(),
        text: "texte".to_owned(),
        html: "<p>html</p>".to_owned(),
        ticket_code: Some("CODE".to_owned()),
        to_write: None,
    };
    let now: DateTime<Utc> = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
    outbox.send(db, email.clone(), now).await.unwrap();
    let stored = list_for_recipient(db, "queued@example.org").await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].email, email);
    assert_eq!(stored[0].status, OutboxStatus::Pending);
    assert_eq!(
        (stored[0].created_at, stored[0].next_attempt_at),
        (now, now)
    );
    let earlier = now - chrono::Duration::seconds(1);
    assert!(
        claim_due(db, earlier, 10).await.unwrap().is_empty(),
        "not due yet"
    );
    let claimed = claim_due(db, now, 10).await.unwrap();
    assert_eq!(claimed.len(), 1);
    // Claimed, it is out of reach until its lease ends, then due again (its worker died).
    assert!(
        claim_due(db, now, 10).await.unwrap().is_empty(),
        "claimed once"
    );
    let lease_over = now + app::db::outbox::CLAIM_LEASE;
    assert_eq!(claim_due(db, lease_over, 10).await.unwrap().len(), 1);
    // The worker wakes for it.
    tokio::time::timeout(Duration::from_secs(1), outbox.woken())
        .await
        .expect("the worker is woken");
}
on_both_engines!(outbox_send_only_stores_the_email_for_the_worker);

async fn two_workers_on_one_outbox_send_each_email_once(db: &Db) {
    // Two servers on one database, each with its delivery worker, and a burst of emails
    // queued while both wait: every email arrives once.
    let sink = SmtpSink::start().await;
    let time = TestClock::default();
    let first_outbox = Outbox::new();
    let second_outbox = Outbox::new();
    let count = 60;
    for n in 0..count {
        let mail = registration(Locale::Fr, RegistrationStatus::Waitlisted, "");
        let email = registration_email(
            Notice::Waitlisted,
            &address(&format!("personne{n}@example.org")),
            &mail,
        );
        first_outbox.send(db, email, Utc::now()).await.unwrap();
    }
    let workers = [
        spawn_delivery(
            crate::support::command_desk(db),
            first_outbox.clone(),
            settings(Some(sink.url()), time.clock()),
        ),
        spawn_delivery(
            crate::support::command_desk(db),
            second_outbox.clone(),
            settings(Some(sink.url()), time.clock()),
        ),
    ];
    second_outbox.wake();
    let received = sink.wait_for(count).await;
    // Time for a second copy to arrive, had one been sent.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let received_now = sink.messages();
    assert_eq!(
        received_now.len(),
        count,
        "{} messages for {count} emails",
        received_now.len()
    );
    let mut recipients: Vec<&String> = received.iter().flat_map(|m| &m.rcpt_to).collect();
    recipients.sort();
    recipients.dedup();
    assert_eq!(recipients.len(), count, "each address once");
    for worker in workers {
        worker.abort();
    }
    sink.stop();
}
on_both_engines!(two_workers_on_one_outbox_send_each_email_once);

/// A published stage that takes registrations now, stored through the demo's fixtures: its
/// edition's slug and the stage's.
async fn open_stage(db: &Db) -> (&'static str, &'static str) {
    use crate::support::{edition_fixture, stage_fixture};
    let day = (Utc::now() + chrono::Duration::days(20)).date_naive();
    let edition = edition_fixture("mail-week", day, app::domain::EditionStatus::Published);
    let opens = (Utc::now() - chrono::Duration::days(1)).naive_utc();
    let stage = stage_fixture(
        &edition,
        "saint-etienne",
        1,
        app::domain::StageStatus::Published,
        opens,
    );
    app::db::editions::insert_edition_programme(db, &edition, &[(stage, Default::default())])
        .await
        .unwrap();
    ("mail-week", "saint-etienne")
}

async fn a_registration_email_is_written_when_it_is_sent(db: &Db) {
    let desk = crate::support::command_desk(db);
    let (edition, stage) = open_stage(db).await;
    let form = |name: &str, email: &str| app::domain::registration::RegistrationForm {
        name: name.to_owned(),
        email: email.to_owned(),
        organisation: None,
        consent: true,
    };
    let receipt = desk
        .register(
            edition,
            stage,
            &form("Camille Martin", "camille@example.org"),
            Locale::Fr,
            Utc::now(),
        )
        .await
        .unwrap();
    let id = receipt.id.unwrap();
    // The second one waits, then its registration goes before its email: nothing is sent.
    desk.register(
        edition,
        stage,
        &form("Sam Lee", "sam@example.org"),
        Locale::En,
        Utc::now(),
    )
    .await
    .unwrap();
    let stored = list_for_recipient(db, "camille@example.org").await.unwrap();
    assert_eq!(
        stored[0].email.subject,
        "Inscription confirmée — Saint-Étienne"
    );
    assert!(stored[0].email.text.is_empty() && stored[0].email.ticket_code.is_none());
    // As a purge would: the registration goes, its email not yet.
    db.execute(app::db::sql(
        "DELETE FROM registrations WHERE email = 'sam@example.org'",
    ))
    .await
    .unwrap();

    let sink = SmtpSink::start().await;
    let outbox = Outbox::new();
    let worker = spawn_delivery(
        desk.clone(),
        outbox.clone(),
        settings(Some(sink.url()), Clock::system()),
    );
    outbox.wake();
    let received = sink.wait_for(1).await;
    let message = MessageParser::default()
        .parse(&received[0].data)
        .expect("a message");
    assert_eq!(
        message.subject(),
        Some("Inscription confirmée — Saint-Étienne")
    );
    let found = parts(&message);
    assert!(
        found.plain[0].contains("Bonjour Camille Martin,"),
        "{}",
        found.plain[0]
    );
    let manage = desk.links.manage_url(&id);
    assert!(found.plain[0].contains(&manage), "{}", found.plain[0]);
    assert_eq!(found.images.len(), 1, "the ticket's QR image");
    let code = decode_png_qr(&found.images[0].1);
    let ticket = desk
        .ticket_code(&desk.links.token(app::links::LinkKind::Ticket, &id))
        .await
        .unwrap();
    assert_eq!(code, vec![ticket]);

    let sent = wait_in_outbox(db, "camille@example.org", |records| {
        records
            .first()
            .is_some_and(|record| record.status == OutboxStatus::Sent)
    })
    .await;
    assert!(sent[0].email.text.is_empty(), "nothing kept once sent");
    let given_up = wait_in_outbox(db, "sam@example.org", |records| {
        records
            .first()
            .is_some_and(|record| record.status == OutboxStatus::Failed)
    })
    .await;
    assert_eq!(
        given_up[0].last_error.as_deref(),
        Some("its registration no longer exists")
    );
    assert_eq!(
        sink.messages().len(),
        1,
        "nothing to a registration that is gone"
    );
    worker.abort();
}
on_both_engines!(a_registration_email_is_written_when_it_is_sent);
