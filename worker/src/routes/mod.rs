//! One module per API resource.

pub mod admin;
pub mod cases;
pub mod categories;
pub mod channels;
pub mod deadlines;
pub mod health;
pub mod intake;
pub mod notifications;
pub mod offices;
pub mod openapi;
pub mod pages;
pub mod partners;
pub mod refutation_pages;
pub mod refutations;
pub mod reports;
pub mod site;
pub mod staff;
pub mod stats;
pub mod taxonomy;
pub mod uploads;
