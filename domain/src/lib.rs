//! Qinglang's domain model, shared by the browser app (wasm32) and the worker.
//!
//! Architecture invariant: this crate does no I/O, reads no clock and draws no randomness.
//! Time and random bytes are passed in by the caller, so every rule here is a pure function
//! that the unit tests pin down and that gives the same answer in the browser and at the edge.

pub mod admin;
pub mod api;
pub mod archive;
pub mod channel;
pub mod digest;
pub mod error;
pub mod evidence;
pub mod figures;
pub mod i18n;
pub mod intake;
pub mod mask;
pub mod office;
pub mod receipt;
pub mod refutation;
pub mod report;
pub mod taxonomy;
pub mod text;
pub mod tree;
pub mod workflow;

pub use error::ErrorCode;
pub use i18n::Lang;
pub use receipt::{ReceiptCode, ReceiptSecret};
pub use report::{Contact, FieldError, NewReport, Report};
pub use taxonomy::{Category, CategoryKind, District, Taxonomy};
pub use workflow::ReportStatus;
