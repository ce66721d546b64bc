-- A sent (or given up) email no longer keeps its body: the private links and the ticket's code
-- it carried have done their work (db::outbox::finish empties them from now on). Emails kept
-- without an SMTP server stay whole: the table is their delivery.
UPDATE outbox SET text_body = '', html_body = '', ticket_code = NULL
WHERE status IN ('sent', 'failed');
