-- Why a stage was cancelled, as its organisers said it: the email to its registrants and its
-- public page give the reason.
ALTER TABLE stages ADD COLUMN cancellation_reason TEXT;
