//! One module per page.

pub mod home;
pub mod not_found;
#[cfg(feature = "reader")]
pub mod refutations;
pub mod report;
#[cfg(feature = "reader")]
pub mod stats;
#[cfg(feature = "reader")]
pub mod track;
