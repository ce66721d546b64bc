-- Stages that fear fake sign-ups ask each registrant to follow an emailed link
-- (domain/src/address_check.rs). `confirm_email_minutes` is how long a new registration's seat
-- or place in line is held for that; NULL when the stage does not ask.
ALTER TABLE stages ADD COLUMN confirm_email_minutes BIGINT;

-- `confirm_by`: until when the seat is held, while the address is unconfirmed (NULL once it is
-- confirmed, or when the stage did not ask). A registration released for want of a
-- confirmation is cancelled and keeps it, so that its page can say why. The link's token is
-- stored as a hash only, as the other private links are.
ALTER TABLE registrations ADD COLUMN confirm_by BIGINT;
ALTER TABLE registrations ADD COLUMN confirm_token_hash TEXT;
CREATE INDEX registrations_awaiting_confirmation ON registrations (confirm_by)
    WHERE confirm_by IS NOT NULL;
CREATE INDEX registrations_by_confirm_token ON registrations (confirm_token_hash)
    WHERE confirm_token_hash IS NOT NULL;
