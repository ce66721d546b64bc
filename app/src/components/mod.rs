//! Pieces of pages shared by several pages. Views only: no rules, no SQL.

pub mod calendar;
pub mod error_notice;
pub mod islands;
pub mod layout;
pub mod organisation;
pub mod registration_form;
