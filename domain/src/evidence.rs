//! Evidence pictures (随手拍): the caps, and [`inspect`], which reads just enough of a JPEG, PNG or
//! WebP file to know its format and size in pixels and to find any metadata block that could
//! carry where and with what it was taken (EXIF, XMP).
//!
//! The phone re-encodes every picture through a canvas before upload, which writes none of those
//! blocks; the worker runs [`inspect`] on every upload as the authority and refuses anything else.
//! The parser is pure and bounds-checked everywhere (it returns an error, never panics, on any
//! input), so it is safe to run on whatever a client sends.

use serde::{Deserialize, Serialize};

use crate::error::ErrorCode;

/// Most pictures one report may carry.
pub const MAX_IMAGES: usize = 6;
/// Largest single picture, in bytes.
pub const MAX_IMAGE_BYTES: usize = 3 * 1024 * 1024;
/// Largest total of one report's pictures, in bytes.
pub const MAX_REPORT_IMAGE_BYTES: usize = 12 * 1024 * 1024;
/// Longest side of a picture, in pixels: the phone scales to this before upload.
pub const MAX_SIDE_PX: u32 = 2048;
/// Upload slots per draft: a citizen may remove and re-add pictures, each new one takes a new slot.
pub const MAX_UPLOAD_SLOTS: u32 = 32;

/// A picture format the worker accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ImageFormat {
    /// JPEG (JFIF); what the phone sends.
    Jpeg,
    /// PNG.
    Png,
    /// WebP (lossy VP8, lossless VP8L, or extended VP8X).
    Webp,
}

impl ImageFormat {
    /// The media type it is stored and served with.
    pub fn media_type(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Png => "image/png",
            ImageFormat::Webp => "image/webp",
        }
    }
}

/// What [`inspect`] learned about a picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageInfo {
    /// The format its bytes are in (whatever the file was called).
    pub format: ImageFormat,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// Why [`inspect`] refused a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ImageRefusal {
    /// Not a JPEG, PNG or WebP file, or one whose header is cut short or inconsistent.
    #[error("not a well-formed JPEG, PNG or WebP file")]
    Malformed,
    /// A metadata block (JPEG APP1, PNG eXIf or text chunk, WebP EXIF/XMP) is present.
    #[error("the picture carries EXIF or XMP metadata")]
    Metadata,
    /// Larger than [`MAX_IMAGE_BYTES`] or [`MAX_SIDE_PX`], or zero pixels wide or high.
    #[error("the picture is too large")]
    TooLarge,
}

impl From<ImageRefusal> for ErrorCode {
    fn from(r: ImageRefusal) -> ErrorCode {
        match r {
            ImageRefusal::Malformed => ErrorCode::ImageInvalid,
            ImageRefusal::Metadata => ErrorCode::ImageMetadata,
            ImageRefusal::TooLarge => ErrorCode::ImageTooLarge,
        }
    }
}

/// Reads the format and size of a picture and checks it carries no metadata and fits the caps.
pub fn inspect(bytes: &[u8]) -> Result<ImageInfo, ImageRefusal> {
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(ImageRefusal::TooLarge);
    }
    let (format, width, height) = if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        let (w, h) = jpeg(bytes)?;
        (ImageFormat::Jpeg, w, h)
    } else if bytes.starts_with(PNG_SIGNATURE) {
        let (w, h) = png(bytes)?;
        (ImageFormat::Png, w, h)
    } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        let (w, h) = webp(bytes)?;
        (ImageFormat::Webp, w, h)
    } else {
        return Err(ImageRefusal::Malformed);
    };
    if width == 0 || height == 0 {
        return Err(ImageRefusal::Malformed);
    }
    if width > MAX_SIDE_PX || height > MAX_SIDE_PX {
        return Err(ImageRefusal::TooLarge);
    }
    Ok(ImageInfo { format, width, height })
}

fn be16(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?])))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn le24(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at + 3)?;
    Some(u32::from(s[0]) | u32::from(s[1]) << 8 | u32::from(s[2]) << 16)
}

fn le32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// Walks every JPEG marker segment, including those between the scans of a progressive file,
/// up to the end-of-image marker. Returns the frame size from the (single) start-of-frame.
fn jpeg(b: &[u8]) -> Result<(u32, u32), ImageRefusal> {
    use ImageRefusal::{Malformed, Metadata};
    let mut at = 2; // after SOI
    let mut size = None;
    let mut in_scan = false;
    loop {
        if in_scan {
            // Entropy-coded data: FF 00 is a stuffed byte, FF D0–D7 a restart marker; any other
            // FF xx starts the next segment.
            let next = b[at..].windows(2).position(|w| w[0] == 0xFF && w[1] != 0x00 && !(0xD0..=0xD7).contains(&w[1]));
            at += next.ok_or(Malformed)?;
            in_scan = false;
        }
        if *b.get(at).ok_or(Malformed)? != 0xFF {
            return Err(Malformed);
        }
        // Any number of FF fill bytes may precede a marker.
        while b.get(at + 1) == Some(&0xFF) {
            at += 1;
        }
        let marker = *b.get(at + 1).ok_or(Malformed)?;
        at += 2;
        match marker {
            0xD9 => {
                // EOI: the file ends here (trailing bytes would be a place to hide data).
                return if at == b.len() { size.ok_or(Malformed) } else { Err(Malformed) };
            }
            0xD8 | 0x01 | 0xD0..=0xD7 | 0x00 => return Err(Malformed),
            _ => {}
        }
        let len = be16(b, at).ok_or(Malformed)? as usize;
        if len < 2 || at + len > b.len() {
            return Err(Malformed);
        }
        let body = &b[at + 2..at + len];
        match marker {
            // APP1 holds EXIF ("Exif\0\0") and XMP ("http://ns.adobe.com/xap/1.0/\0"); a canvas
            // never writes one, so every APP1 is refused. APP13 (Photoshop IRB/IPTC) likewise.
            0xE1 | 0xED => return Err(Metadata),
            // Start of frame (baseline, extended, progressive, lossless; Huffman or arithmetic).
            0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => {
                if size.is_some() || body.len() < 6 {
                    return Err(Malformed);
                }
                let height = be16(body, 1).ok_or(Malformed)?;
                let width = be16(body, 3).ok_or(Malformed)?;
                size = Some((width, height));
            }
            0xDA => {
                if size.is_none() {
                    return Err(Malformed);
                }
                in_scan = true;
            }
            _ => {}
        }
        at += len;
    }
}

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Walks every PNG chunk up to IEND, which must be last. The CRC of each chunk is checked.
fn png(b: &[u8]) -> Result<(u32, u32), ImageRefusal> {
    use ImageRefusal::{Malformed, Metadata};
    let mut at = PNG_SIGNATURE.len();
    let mut size = None;
    loop {
        let len = be32(b, at).ok_or(Malformed)? as usize;
        let kind = b.get(at + 4..at + 8).ok_or(Malformed)?;
        let end = at.checked_add(12).and_then(|e| e.checked_add(len)).ok_or(Malformed)?;
        if end > b.len() {
            return Err(Malformed);
        }
        let data = &b[at + 8..at + 8 + len];
        if be32(b, at + 8 + len) != Some(crc32(&b[at + 4..at + 8 + len])) {
            return Err(Malformed);
        }
        match kind {
            b"IHDR" => {
                if at != PNG_SIGNATURE.len() || len != 13 {
                    return Err(Malformed);
                }
                size = Some((be32(data, 0).ok_or(Malformed)?, be32(data, 4).ok_or(Malformed)?));
            }
            _ if size.is_none() => return Err(Malformed), // IHDR must come first
            // eXIf is EXIF; XMP travels in iTXt; tEXt/zTXt hold free text such as a camera's notes.
            b"eXIf" | b"iTXt" | b"tEXt" | b"zTXt" => return Err(Metadata),
            b"IEND" => return if end == b.len() { size.ok_or(Malformed) } else { Err(Malformed) },
            _ => {}
        }
        at = end;
    }
}

/// The CRC-32 (IEEE) PNG chunks carry.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// Reads a WebP RIFF container: the RIFF size must match the file, every chunk must fit, no chunk
/// or VP8X flag may announce EXIF or XMP, and the size comes from VP8X, VP8 or VP8L.
fn webp(b: &[u8]) -> Result<(u32, u32), ImageRefusal> {
    use ImageRefusal::{Malformed, Metadata};
    let riff_len = le32(b, 4).ok_or(Malformed)? as usize;
    if riff_len.checked_add(8) != Some(b.len()) {
        return Err(Malformed);
    }
    let mut at = 12;
    let mut size = None;
    let mut has_image = false;
    while at < b.len() {
        let kind = b.get(at..at + 4).ok_or(Malformed)?;
        let len = le32(b, at + 4).ok_or(Malformed)? as usize;
        // Chunks are padded to an even length.
        let end = (at + 8).checked_add(len).and_then(|e| e.checked_add(len & 1)).ok_or(Malformed)?;
        if end > b.len() {
            return Err(Malformed);
        }
        let data = &b[at + 8..at + 8 + len];
        match kind {
            b"VP8X" => {
                if at != 12 || len < 10 {
                    return Err(Malformed);
                }
                // Flags: 0x08 EXIF present, 0x04 XMP present.
                if data[0] & 0x0C != 0 {
                    return Err(Metadata);
                }
                size = Some((le24(data, 4).ok_or(Malformed)? + 1, le24(data, 7).ok_or(Malformed)? + 1));
            }
            b"EXIF" | b"XMP " => return Err(Metadata),
            b"VP8 " => {
                // Frame tag (3 bytes), start code 9D 01 2A, then 14-bit width and height.
                if data.get(3..6) != Some(&[0x9D, 0x01, 0x2A]) {
                    return Err(Malformed);
                }
                let w = le16(data, 6).ok_or(Malformed)? & 0x3FFF;
                let h = le16(data, 8).ok_or(Malformed)? & 0x3FFF;
                has_image = true;
                size.get_or_insert((w, h));
            }
            b"VP8L" => {
                // Signature 0x2F, then 14-bit width-1 and height-1.
                if data.first() != Some(&0x2F) {
                    return Err(Malformed);
                }
                let bits = le32(data, 1).ok_or(Malformed)?;
                has_image = true;
                size.get_or_insert(((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1));
            }
            b"ANIM" | b"ANMF" => has_image = true,
            _ => {}
        }
        at = end;
    }
    if !has_image {
        return Err(Malformed);
    }
    size.ok_or(Malformed)
}

fn le16(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_le_bytes([*b.get(at)?, *b.get(at + 1)?])))
}

/// `201` answer to `POST /api/uploads` (and `200` to a retry of the same slot with the same bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadCreated {
    /// The id the report names in `evidence`.
    pub id: String,
    /// Format the bytes are in.
    pub format: ImageFormat,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Size in bytes.
    pub bytes: u64,
}

/// One evidence picture of a case, as staff see it listed (`CaseDetail::evidence`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvidenceItem {
    /// Position in the report, from 0; `GET /api/staff/cases/{id}/evidence/{index}` serves it.
    pub index: u32,
    /// The media type it is served with.
    pub media_type: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Size in bytes.
    pub bytes: u64,
}

/// An upload id: 32 lower-case hex characters (128 random bits), made by the worker.
pub fn valid_upload_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!("{}/../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn real_files_are_read_or_refused() {
        use ImageFormat::*;
        use ImageRefusal::*;
        type Expected = Result<(ImageFormat, u32, u32), ImageRefusal>;
        let table: [(&str, Expected); 10] = [
            ("plain.jpg", Ok((Jpeg, 40, 24))),
            ("progressive.jpg", Ok((Jpeg, 40, 24))),
            ("plain.png", Ok((Png, 40, 24))),
            ("lossy.webp", Ok((Webp, 40, 24))),
            ("lossless.webp", Ok((Webp, 40, 24))),
            ("gps.jpg", Err(Metadata)),
            ("exif.png", Err(Metadata)),
            ("exif.webp", Err(Metadata)),
            ("too-wide.png", Err(TooLarge)),
            ("not-an-image.jpg", Err(Malformed)),
        ];
        for (name, expected) in table {
            let got = inspect(&fixture(name)).map(|i| (i.format, i.width, i.height));
            assert_eq!(got, expected, "{name}");
        }
    }

    #[test]
    fn truncated_and_padded_files_are_malformed() {
        for name in ["plain.jpg", "progressive.jpg", "plain.png", "lossy.webp", "lossless.webp"] {
            let bytes = fixture(name);
            for cut in [3, 12, 20, bytes.len() / 2, bytes.len() - 1] {
                assert_eq!(inspect(&bytes[..cut]), Err(ImageRefusal::Malformed), "{name} cut at {cut}");
            }
            let mut padded = bytes.clone();
            padded.extend_from_slice(b"hidden");
            assert_eq!(inspect(&padded), Err(ImageRefusal::Malformed), "{name} with trailing bytes");
        }
    }

    #[test]
    fn a_png_with_a_wrong_crc_is_malformed() {
        let mut bytes = fixture("plain.png");
        bytes[20] ^= 1; // inside IHDR's width
        assert_eq!(inspect(&bytes), Err(ImageRefusal::Malformed));
    }

    #[test]
    fn xmp_in_jpeg_is_refused_wherever_it_is() {
        // An APP1 XMP segment placed between the header and the frame, as some editors write it.
        let plain = fixture("plain.jpg");
        let xmp = b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>";
        let mut bytes = plain[..2].to_vec();
        bytes.extend_from_slice(&[0xFF, 0xE1]);
        bytes.extend_from_slice(&((xmp.len() + 2) as u16).to_be_bytes());
        bytes.extend_from_slice(xmp);
        bytes.extend_from_slice(&plain[2..]);
        assert_eq!(inspect(&bytes), Err(ImageRefusal::Metadata));
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        // A cheap fuzz: every prefix of every fixture, and each fixture with each byte flipped.
        for name in ["plain.jpg", "progressive.jpg", "plain.png", "lossy.webp", "lossless.webp", "gps.jpg"] {
            let bytes = fixture(name);
            for cut in 0..bytes.len() {
                let _ = inspect(&bytes[..cut]);
            }
            for i in 0..bytes.len() {
                let mut flipped = bytes.clone();
                flipped[i] ^= 0xFF;
                let _ = inspect(&flipped);
            }
        }
    }

    #[test]
    fn upload_ids_are_32_hex_characters() {
        assert!(valid_upload_id("0123456789abcdef0123456789abcdef"));
        assert!(!valid_upload_id("0123456789ABCDEF0123456789abcdef"));
        assert!(!valid_upload_id("../../etc/passwd"));
        assert!(!valid_upload_id(""));
    }
}
