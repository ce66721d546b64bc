//! Integration tests: storage on SQLite and PostgreSQL, and HTTP against a spawned server.
//! One binary, so everything links once.

mod support;

mod accounts;
mod address_check;
mod api_organising;
mod api_v1;
mod checkins;
mod failures;
mod feeds;
mod http_pages;
mod mail;
mod master_key;
mod people;
mod registering;
mod registrations;
mod reminders;
mod role_matrix;
mod short_codes;
mod smtp_sink;
mod storage;
mod ticket_keys;
mod workspace;
mod workspace_lineup;
mod workspace_stages;
mod workspace_team;
