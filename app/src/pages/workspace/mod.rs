//! The organiser workspace's pages. Served `private, no-store`; every one of them gets its data
//! from `api::workspace`, which checks the login and the roles on the server.

pub mod cancel_stage;
pub mod doors;
pub mod form;
pub mod home;
pub mod invitation;
pub mod lineup;
pub mod login;
pub mod new_edition;
pub mod password_reset;
pub mod preview;
pub mod stage;
pub mod team;
pub mod tokens;
