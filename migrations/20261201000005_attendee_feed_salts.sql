-- The attendee feed's token (issue #14): an HMAC under the links secret of the address and a
-- random salt, the same on every registration of the address, drawn when the address first
-- registers and drawn again when the person resets their feed's address. NULL: a registration
-- stored before salts, whose feed token is derived from the address alone until a reset.
ALTER TABLE registrations ADD COLUMN feed_salt TEXT;
