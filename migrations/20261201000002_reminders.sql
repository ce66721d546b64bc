-- Reminders (issue #13 §7): an email the day before a stage to each person holding a seat.
-- `reminded_at` is when the reminder was queued in the outbox, NULL until then. The pass that
-- queues it sets it in the same transaction, only `WHERE reminded_at IS NULL`, so two passes
-- or two servers never queue it twice. Registrations stored before this migration start
-- un-reminded.
ALTER TABLE registrations ADD COLUMN reminded_at BIGINT;

-- The pass's questions: which stages start soon, and which of their seats are not reminded.
CREATE INDEX stages_by_start ON stages (starts_at);
CREATE INDEX registrations_to_remind ON registrations (stage_id)
    WHERE status = 'confirmed' AND reminded_at IS NULL;
