//! Mail settings: where to send (`SMTP_URL`), as whom (`MAIL_FROM`), and the worker's pace
//! (retry backoff, polling, clock), which tests replace to run in milliseconds.

use chrono::{DateTime, Utc};
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, Tokio1Executor};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// The sender when `MAIL_FROM` is not set.
pub const DEFAULT_MAIL_FROM: &str = "Étape <noreply@localhost>";

/// An SMTP URL in lettre's syntax: `smtp://host:port` (plain), `smtp://host:587?tls=required`
/// (STARTTLS), `smtps://user:pass@host` (TLS from the start). It may hold a password, so its
/// `Debug` shows only the scheme, host and port.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpUrl(String);

impl SmtpUrl {
    pub fn new(url: impl Into<String>) -> Self {
        SmtpUrl(url.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `scheme://host:port`, without credentials, path or query: safe to log.
    pub fn redacted(&self) -> String {
        let (scheme, rest) = self.0.split_once("://").unwrap_or(("?", &self.0));
        let authority = rest.split(['/', '?']).next().unwrap_or_default();
        let host = authority
            .rsplit_once('@')
            .map_or(authority, |(_, host)| host);
        format!("{scheme}://{host}")
    }
}

impl fmt::Debug for SmtpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SmtpUrl({})", self.redacted())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MailConfigError {
    // lettre's message names the problem, never the password.
    #[error("SMTP_URL is not a usable SMTP URL ({url:?}): {reason}")]
    SmtpUrl { url: SmtpUrl, reason: String },
    #[error("MAIL_FROM must be an address like « Étape <noreply@example.org> » (got « {0} »)")]
    From(String),
}

/// When to try again after a failed attempt, and when to give up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The wait after the first, second… failed attempt; the last one repeats.
    pub delays: Vec<Duration>,
    /// Attempts in all; the email is marked failed when the last one fails.
    pub max_attempts: u32,
}

impl Default for RetryPolicy {
    /// 30 s, 2 min, 10 min, 1 h, 3 h, 6 h, 12 h: eight attempts over about a day.
    fn default() -> Self {
        RetryPolicy {
            delays: [30, 120, 600, 3_600, 3 * 3_600, 6 * 3_600, 12 * 3_600]
                .map(Duration::from_secs)
                .to_vec(),
            max_attempts: 8,
        }
    }
}

impl RetryPolicy {
    /// The wait before the next try once `failed_attempts` tries have failed, or `None` to
    /// give up.
    pub fn after_failure(&self, failed_attempts: u32) -> Option<Duration> {
        if failed_attempts >= self.max_attempts {
            return None;
        }
        let i = usize::try_from(failed_attempts.saturating_sub(1)).unwrap_or(usize::MAX);
        self.delays
            .get(i)
            .or(self.delays.last())
            .copied()
            .or(Some(Duration::ZERO))
    }
}

/// The worker's clock: the system clock, or a test's.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>);

impl Clock {
    pub fn system() -> Self {
        Clock(Arc::new(Utc::now))
    }

    pub fn new(now: impl Fn() -> DateTime<Utc> + Send + Sync + 'static) -> Self {
        Clock(Arc::new(now))
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.0)()
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Clock")
    }
}

/// How the worker delivers: over SMTP, or by logging and keeping the email.
#[derive(Clone)]
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// No `SMTP_URL`: one log line per email, which stays in the outbox as 'kept'.
    Log,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Transport::Smtp(_) => f.write_str("Smtp"),
            Transport::Log => f.write_str("Log"),
        }
    }
}

/// Everything the delivery worker needs besides the database and the outbox.
#[derive(Debug, Clone)]
pub struct MailSettings {
    pub transport: Transport,
    pub from: Mailbox,
    pub retry: RetryPolicy,
    /// How often the worker looks for due emails (retries) when nothing wakes it.
    pub poll_every: Duration,
    /// Emails taken per query.
    pub batch: u32,
    pub clock: Clock,
}

impl MailSettings {
    /// Settings from the configuration, with the default pace. Checks both values, so a typo
    /// stops the server at start-up rather than losing emails later.
    pub fn new(smtp_url: Option<&SmtpUrl>, mail_from: &str) -> Result<Self, MailConfigError> {
        let from: Mailbox = mail_from
            .parse()
            .map_err(|_| MailConfigError::From(mail_from.to_owned()))?;
        let transport = match smtp_url {
            None => Transport::Log,
            Some(url) => {
                let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.as_str())
                    .map_err(|error| MailConfigError::SmtpUrl {
                        url: url.clone(),
                        reason: error.to_string(),
                    })?;
                Transport::Smtp(builder.timeout(Some(Duration::from_secs(30))).build())
            }
        };
        Ok(MailSettings {
            transport,
            from,
            retry: RetryPolicy::default(),
            poll_every: Duration::from_secs(5),
            batch: 20,
            clock: Clock::system(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_then_give_up_after_the_last_attempt() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.after_failure(1), Some(Duration::from_secs(30)));
        assert_eq!(policy.after_failure(2), Some(Duration::from_secs(120)));
        assert_eq!(policy.after_failure(4), Some(Duration::from_secs(3_600)));
        assert_eq!(
            policy.after_failure(7),
            Some(Duration::from_secs(12 * 3_600))
        );
        assert_eq!(policy.after_failure(8), None);
    }

    #[test]
    fn the_last_delay_repeats_when_attempts_outnumber_delays() {
        let policy = RetryPolicy {
            delays: vec![Duration::from_secs(1), Duration::from_secs(5)],
            max_attempts: 4,
        };
        assert_eq!(policy.after_failure(3), Some(Duration::from_secs(5)));
        assert_eq!(policy.after_failure(4), None);
    }

    #[test]
    fn smtp_url_debug_hides_the_password() {
        let url = SmtpUrl::new("smtps://user:hunter2@mail.example.org:465/helo?tls=required");
        let shown = format!("{url:?}");
        assert_eq!(shown, "SmtpUrl(smtps://mail.example.org:465)");
        assert!(!shown.contains("hunter2"));
    }

    #[test]
    fn settings_refuse_a_bad_sender_or_url() {
        assert!(matches!(
            MailSettings::new(None, "not an address"),
            Err(MailConfigError::From(_))
        ));
        assert!(matches!(
            MailSettings::new(Some(&SmtpUrl::new("http://example.org")), DEFAULT_MAIL_FROM),
            Err(MailConfigError::SmtpUrl { .. })
        ));
        // Plain, STARTTLS and implicit TLS all build (TLS through rustls with ring).
        for url in [
            "smtp://127.0.0.1:2525",
            "smtp://mail.example.org:587?tls=required",
            "smtps://user:secret@mail.example.org",
        ] {
            let settings = MailSettings::new(Some(&SmtpUrl::new(url)), DEFAULT_MAIL_FROM);
            assert!(
                matches!(
                    settings,
                    Ok(MailSettings {
                        transport: Transport::Smtp(_),
                        ..
                    })
                ),
                "{url}"
            );
        }
        assert!(matches!(
            MailSettings::new(None, DEFAULT_MAIL_FROM).map(|s| s.transport),
            Ok(Transport::Log)
        ));
    }
}
