-- When a registration got its seat from the waiting list: "my registration" says so plainly
-- ("a seat has freed up for you"), not only with a changed badge. NULL for a seat taken at
-- once, and again when a cancelled registration comes back.
ALTER TABLE registrations ADD COLUMN promoted_at BIGINT;
