//! One module per API resource.

pub mod categories;
pub mod health;
pub mod reports;
pub mod stats;
