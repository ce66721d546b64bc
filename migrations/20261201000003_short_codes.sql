-- A ticket's short code: eight characters printed under its QR code, that door staff can type
-- when the QR code will not scan (domain/src/short_code.rs). Random, drawn when the
-- registration is stored; unique per stage, which is all a door needs to find it. NULL only
-- until the start-up backfill gives older registrations theirs.
ALTER TABLE registrations ADD COLUMN short_code TEXT;
CREATE UNIQUE INDEX registrations_short_code ON registrations (stage_id, short_code);
