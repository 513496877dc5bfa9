//! The QR code of an article's address, for printing on paper (reader bundle only).
//!
//! Why here and not a worker endpoint: the street-poster QR code is drawn inside the worker, but
//! only behind the admin's poster route; an article page would need a new public route, an extra
//! request per view and an image the page cannot style. The `qrcode` encoder without its image and
//! SVG renderers adds about 10 KB brotli to the reader bundle (measured, see ARCHITECTURE.md) and
//! nothing to the citizen bundle, and the code is drawn from this one path.

use qrcode::{Color, EcLevel, QrCode};

/// Blank modules around the code, as the QR standard asks.
pub const QUIET_ZONE: usize = 4;

/// A QR code as one SVG path: `width` modules square (quiet zone included), `path` drawing the
/// dark modules in module units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrPath {
    /// Modules per side, with the quiet zone.
    pub width: usize,
    /// `M x y h1 v1 h-1 z` for each dark module.
    pub path: String,
}

/// The QR code of `text` (level M: survives a crease or a smudge on a printed page), or `None` if
/// the text is too long for any QR version.
pub fn qr_path(text: &str) -> Option<QrPath> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let inner = code.width();
    let width = inner + 2 * QUIET_ZONE;
    let mut path = String::new();
    for (i, color) in code.to_colors().into_iter().enumerate() {
        if color == Color::Dark {
            let (x, y) = (i % inner + QUIET_ZONE, i / inner + QUIET_ZONE);
            path.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    Some(QrPath { width, path })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_gives_a_square_code_with_finder_patterns_and_a_quiet_zone() {
        let qr = qr_path("https://qinglang.example.gov.cn/refutations/42").expect("encodes");
        // 46 bytes at level M need version 4 (33 modules; version 3 holds 42) — plus 4 blank
        // modules each side.
        assert_eq!(qr.width, 33 + 2 * QUIET_ZONE);
        // The top-left finder pattern starts right after the quiet zone; nothing is drawn inside it.
        assert!(qr.path.starts_with("M4 4h1v1h-1z"));
        assert!(!qr.path.contains("M0 ") && !qr.path.contains("M3 "));
    }

    #[test]
    fn too_long_a_text_gives_none() {
        assert!(qr_path(&"x".repeat(5000)).is_none());
    }
}
