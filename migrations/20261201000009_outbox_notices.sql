-- A registration's email can be stored before it is written: the outbox keeps which
-- registration it is about and which notice (`mail::Notice::code`), with its recipient and
-- subject, and the delivery worker writes its body, from the registration as it then stands,
-- when it sends it. Both NULL for an email stored whole.
ALTER TABLE outbox ADD COLUMN registration_id TEXT;
ALTER TABLE outbox ADD COLUMN notice TEXT;
