-- The attendee feed's token seals its address (app/src/links.rs), so that a registration
-- stored from now on keeps no hash of it: that hash, the same on each registration of an
-- address, cost a randomly placed index entry on every registration's write. Tokens made
-- before are still found through the hashes their registrations stored, which only those rows
-- now index; a reset forgets them.
DROP INDEX registrations_by_feed_token;
CREATE INDEX registrations_by_feed_token ON registrations (feed_token_hash)
    WHERE feed_token_hash IS NOT NULL;
