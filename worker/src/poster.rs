//! Print-ready posters for channels: an A4 SVG (QR code, title, short instructions, the office's
//! name and the channel's place) and a PNG of the QR code alone.
//!
//! Why the PNG has no text: rasterising Chinese text needs a CJK font (megabytes) inside the
//! worker; the SVG carries the text as text (the printer's or browser's fonts draw it), and the
//! PNG is the part a designer or a WeChat post needs as a picture.

use qrcode::{Color, EcLevel, QrCode};

use crate::error::ApiError;

/// Blank modules around the code, as the QR standard asks.
const QUIET_ZONE: usize = 4;

/// The modules of the QR code for `url`, dark = true, with the quiet zone.
fn matrix(url: &str) -> Result<(usize, Vec<bool>), ApiError> {
    // Level M survives some dirt and wear on a street poster and keeps the code coarse.
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)
        .map_err(|e| ApiError::Internal(format!("qr: {e}")))?;
    let inner = code.width();
    let colors = code.to_colors();
    let width = inner + 2 * QUIET_ZONE;
    let mut dark = vec![false; width * width];
    for y in 0..inner {
        for x in 0..inner {
            dark[(y + QUIET_ZONE) * width + x + QUIET_ZONE] = colors[y * inner + x] == Color::Dark;
        }
    }
    Ok((width, dark))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// What a poster says besides its QR code.
pub struct PosterText<'a> {
    /// The office's name (config `OFFICE_NAME`).
    pub office: &'a str,
    /// The channel's place.
    pub place: &'a str,
    /// The channel's code, printed small so staff can tell posters apart.
    pub code: &'a str,
    /// The URL the QR encodes, printed for those who cannot scan.
    pub url: &'a str,
}

/// The A4 poster as SVG (210 × 297 mm, user units are millimetres).
pub fn svg(text: &PosterText<'_>) -> Result<String, ApiError> {
    let (width, dark) = matrix(text.url)?;
    // The code is 120 mm wide: scannable from a few metres on a street poster.
    let size_mm = 120.0;
    let module = size_mm / width as f64;
    let (left, top) = ((210.0 - size_mm) / 2.0, 92.0);
    // One path for all dark modules: "M x y h1 v1 h-1 z" per module, in module units.
    let mut path = String::with_capacity(dark.len() * 6);
    for (i, _) in dark.iter().enumerate().filter(|(_, d)| **d) {
        path.push_str(&format!("M{} {}h1v1h-1z", i % width, i / width));
    }
    let font = "'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif";
    Ok(format!(
        r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm" viewBox="0 0 210 297" font-family="{font}">
<title>清朗举报 · {place}</title>
<rect width="210" height="297" fill="#ffffff"/>
<rect width="210" height="62" fill="#c8102e"/>
<text x="105" y="36" font-size="22" font-weight="700" fill="#ffffff" text-anchor="middle">清朗举报</text>
<text x="105" y="51" font-size="7" fill="#ffffff" text-anchor="middle">网上有害信息 · 不文明行为 · 随手拍</text>
<text x="105" y="78" font-size="8" fill="#222222" text-anchor="middle">微信或手机相机扫一扫，一分钟完成举报</text>
<text x="105" y="87" font-size="5.5" fill="#555555" text-anchor="middle">可匿名 · 可上传照片或截图 · 凭回执编号查询办理进度</text>
<g transform="translate({left:.3} {top:.3}) scale({module:.5})" data-qr-modules="{width}"><path d="{path}" fill="#000000"/></g>
<text x="105" y="225" font-size="5" fill="#555555" text-anchor="middle">无法扫码？在浏览器打开</text>
<text x="105" y="233" font-size="6" fill="#222222" text-anchor="middle" font-family="monospace">{url}</text>
<text x="105" y="250" font-size="6.5" fill="#222222" text-anchor="middle">举报电话 12377</text>
<line x1="20" y1="262" x2="190" y2="262" stroke="#dddddd" stroke-width="0.4"/>
<text x="105" y="274" font-size="7" fill="#222222" text-anchor="middle">{office}</text>
<text x="105" y="284" font-size="5" fill="#777777" text-anchor="middle">{place} · {code}</text>
</svg>
"##,
        place = escape(text.place),
        office = escape(text.office),
        code = escape(text.code),
        url = escape(text.url),
    ))
}

/// The QR code alone as a 1-bit greyscale PNG, `scale` pixels per module.
pub fn png(url: &str, scale: usize) -> Result<Vec<u8>, ApiError> {
    let (width, dark) = matrix(url)?;
    let px = width * scale;
    // 1 bit per pixel, rows padded to whole bytes; a set bit is white.
    let row_bytes = px.div_ceil(8);
    let mut pixels = vec![0u8; row_bytes * px];
    for y in 0..px {
        for x in 0..px {
            if !dark[(y / scale) * width + x / scale] {
                pixels[y * row_bytes + x / 8] |= 0x80 >> (x % 8);
            }
        }
    }
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, px as u32, px as u32);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::One);
        // Print resolution hint: 300 dpi (11811 pixels per metre).
        encoder.set_pixel_dims(Some(png::PixelDimensions { xppu: 11811, yppu: 11811, unit: png::Unit::Meter }));
        let mut writer = encoder.write_header().map_err(|e| ApiError::Internal(format!("png: {e}")))?;
        writer.write_image_data(&pixels).map_err(|e| ApiError::Internal(format!("png: {e}")))?;
    }
    Ok(out)
}
