//! Delivering attendee emails. Requests only put emails in the outbox (`app::api::outbox::Outbox`);
//! the worker here takes the due ones, sends them over SMTP (or logs and keeps them when no
//! SMTP server is configured), and retries failures with backoff. Nothing here runs inside a
//! request, so a slow or absent SMTP server never slows one down.

pub mod config;
pub mod deliver;

pub use config::{
    Clock, MailConfigError, MailSettings, RetryPolicy, SmtpUrl, Transport, DEFAULT_MAIL_FROM,
};
pub use deliver::{deliver_due, spawn_delivery};
