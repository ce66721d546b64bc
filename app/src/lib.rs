pub mod domain;
#[cfg(feature = "ssr")]
pub mod db;
