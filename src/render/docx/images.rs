//! The signature and seal images (ô 7c, ô 8): checked, measured and sized.

use std::io::Cursor;

use crate::limits::{MAX_IMAGE_BYTES, MAX_IMAGE_SIDE};

use super::DocxError;

/// Widest image accepted: the A4 page width (210 mm), in pt.
const MAX_WIDTH: f32 = 210.0 * 72.0 / 25.4;

/// A PNG given by the caller, with an optional width.
#[derive(Debug, Clone, PartialEq)]
pub struct DocxImage {
    /// The PNG file's bytes (only PNG: docx-rs without its `image` feature takes no other).
    pub png: Vec<u8>,
    /// Width on the page in pt; when absent, taken from the PNG's resolution (`pHYs`), else
    /// the house default of `layout::style` (seal 36 mm, signature 40 mm).
    pub width: Option<f32>,
}

/// An image ready to place: its pixels and its size on the page.
#[derive(Debug, Clone)]
pub struct Placed {
    /// PNG bytes.
    pub png: Vec<u8>,
    /// Pixel width and height.
    pub pixels: (u32, u32),
    /// Width and height in pt.
    pub size: (f32, f32),
}

/// Check `image` (named `what` in errors) and size it, `default_width` pt wide if nothing
/// says otherwise.
pub fn place(
    image: &DocxImage,
    what: &'static str,
    default_width: f32,
) -> Result<Placed, DocxError> {
    if image.png.len() > MAX_IMAGE_BYTES {
        return Err(DocxError::ImageTooLarge {
            what,
            bytes: image.png.len(),
            max: MAX_IMAGE_BYTES,
        });
    }
    let decoder = png::Decoder::new(Cursor::new(&image.png));
    let reader = decoder.read_info().map_err(|error| DocxError::Image {
        what,
        reason: error.to_string(),
    })?;
    let info = reader.info();
    let (width_px, height_px) = (info.width, info.height);
    if width_px == 0 || height_px == 0 || width_px > MAX_IMAGE_SIDE || height_px > MAX_IMAGE_SIDE {
        return Err(DocxError::ImageDimensions {
            what,
            width: width_px,
            height: height_px,
            max: MAX_IMAGE_SIDE,
        });
    }
    let from_resolution = info.pixel_dims.and_then(|dims| {
        (dims.unit == png::Unit::Meter && dims.xppu > 0)
            .then(|| width_px as f32 / dims.xppu as f32 * 1000.0 / 25.4 * 72.0)
    });
    // A width that is not a sane length on an A4 page falls back to the next source.
    let sane = |width: &f32| width.is_finite() && *width >= 1.0 && *width <= MAX_WIDTH;
    let width = image
        .width
        .filter(sane)
        .or(from_resolution.filter(sane))
        .unwrap_or(default_width);
    let height = width * height_px as f32 / width_px as f32;
    Ok(Placed {
        png: image.png.clone(),
        pixels: (width_px, height_px),
        size: (width, height),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::style::mm;

    /// A 4×2 RGBA PNG, optionally with a resolution of `dpm` pixels per metre.
    pub(crate) fn tiny_png(dpm: Option<u32>) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut out, 4, 2);
            encoder.set_color(png::ColorType::Rgba);
            encoder.set_depth(png::BitDepth::Eight);
            if let Some(dpm) = dpm {
                encoder.set_pixel_dims(Some(png::PixelDimensions {
                    xppu: dpm,
                    yppu: dpm,
                    unit: png::Unit::Meter,
                }));
            }
            let mut writer = encoder.write_header().expect("header");
            writer.write_image_data(&[200u8; 32]).expect("data");
        }
        out
    }

    #[test]
    fn size_comes_from_width_then_resolution_then_default() {
        let plain = DocxImage {
            png: tiny_png(None),
            width: None,
        };
        let placed = place(&plain, "seal", mm(36.0)).expect("png");
        assert_eq!(placed.pixels, (4, 2));
        assert!((placed.size.0 - mm(36.0)).abs() < 0.01);
        assert!((placed.size.1 - mm(18.0)).abs() < 0.01);
        // 4 px at 4 px/mm (4,000 px/m) is 1 mm.
        let dense = DocxImage {
            png: tiny_png(Some(4_000)),
            width: None,
        };
        let placed = place(&dense, "seal", mm(36.0)).expect("png");
        assert!((placed.size.0 - mm(1.0)).abs() < 0.01);
        // Nonsense widths fall back: NaN, negative, wider than the page.
        for width in [f32::NAN, -5.0, 10_000.0] {
            let odd = DocxImage {
                png: tiny_png(None),
                width: Some(width),
            };
            assert_eq!(place(&odd, "seal", 30.0).expect("png").size.0, 30.0);
        }
        let given = DocxImage {
            png: tiny_png(None),
            width: Some(50.0),
        };
        assert_eq!(place(&given, "seal", 1.0).expect("png").size, (50.0, 25.0));
    }

    #[test]
    fn not_a_png_is_a_named_error() {
        let junk = DocxImage {
            png: b"GIF89a".to_vec(),
            width: None,
        };
        let error = place(&junk, "signature", 1.0).unwrap_err();
        assert!(
            matches!(
                error,
                DocxError::Image {
                    what: "signature",
                    ..
                }
            ),
            "{error}"
        );
    }
}
