//! Organiser accounts on the server side: password hashing, and (next) logins and sessions.

pub mod password;
