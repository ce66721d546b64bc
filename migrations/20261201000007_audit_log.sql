-- The audit log (issue #14): what was done with people's data and by whom, kept for the
-- operators' accountability. Rows are only ever added. `actor` is `command line`, `server` (a
-- pass the server runs by itself) or `account:<id>`; `action` is one of db::audit::Action;
-- `subject` names a person by a keyed hash of their address (Links::person_reference), never by
-- the address; `details` is a JSON object of counts.
CREATE TABLE audit_log (
    id      TEXT PRIMARY KEY,
    at      BIGINT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    subject TEXT,
    details TEXT NOT NULL
);

CREATE INDEX audit_log_by_time ON audit_log (at);
CREATE INDEX audit_log_by_subject ON audit_log (subject);
