-- The outbox: emails to attendees wait here until the server's delivery worker sends them, so a
-- request only ever inserts a row and never waits on, or fails because of, an SMTP server.
-- `status` moves from 'pending' to 'sent' (delivered), 'kept' (no SMTP server configured: logged
-- and kept here) or 'failed' (given up after the last attempt, or refused for good). A pending
-- row is due once `next_attempt_at` has passed; `attempts` counts the failed tries so far and
-- `last_error` says why the last one failed, never with the body. The ticket code, when set, is
-- rendered into the inline QR image at sending time.

CREATE TABLE outbox (
    id              TEXT PRIMARY KEY,
    recipient       TEXT NOT NULL,
    recipient_name  TEXT NOT NULL,
    subject         TEXT NOT NULL,
    text_body       TEXT NOT NULL,
    html_body       TEXT NOT NULL,
    ticket_code     TEXT,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'kept', 'failed')),
    attempts        BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    last_error      TEXT,
    created_at      BIGINT NOT NULL,
    sent_at         BIGINT
);

-- The worker's question: which pending emails are due, oldest first.
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

-- Tests and support look up what one address was sent.
CREATE INDEX outbox_by_recipient ON outbox (recipient, created_at);
