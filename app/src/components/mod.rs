//! Pieces shared by the pages: the mini-program shell and small widgets.

#[cfg(any(feature = "reader", feature = "console"))]
pub mod article;
mod copy_button;
mod shell;

pub use copy_button::CopyButton;
pub use shell::{FieldMessage, Page, Tab};
