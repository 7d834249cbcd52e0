//! What a signature shows on the page (hình ảnh chữ ký, con dấu), FORMAT.md §5.2:
//!
//! - the leader's signature (ô 7c): a **blue** handwritten signature, centred in its slot;
//! - the organisation's seal (ô 8): a **red** round seal at its real size, over the left third
//!   of the signature (the draft's `dau` slot is placed there by the layout);
//! - or a PNG the signer supplies (transparent background: its alpha channel becomes a soft
//!   mask), fitted into the slot, or at its physical size when the PNG records one (pHYs).
//!
//! The drawn forms are vector content in the widget's appearance Form XObject, so they stay
//! crisp at any zoom and need no file from outside the repository: the signature is a cursive
//! line generated from the signer's name (a capital flourish, loops for the letters, an
//! underline swoosh), the seal two concentric circles with the organisation's name along the
//! ring and a five-pointed star in the centre.

use std::f32::consts::PI;
use std::fmt::Write as _;

use crate::layout::font::{FaceId, FontBook};
use crate::limits::{MAX_IMAGE_BYTES, MAX_IMAGE_SIDE};
use crate::pdf::{Dict, IncrementalWriter, ObjRef, Object, Stream};
use crate::sign::error::SignError;
use crate::sign::font::{AppearanceFont, add_subset, dict};

/// Points per millimetre.
pub const PT_PER_MM: f32 = 72.0 / 25.4;

/// Diameter of the drawn seal when none is given: 36 mm, a common round seal (FORMAT.md §5.5
/// says to measure the real one).
pub const DEFAULT_SEAL_MM: f32 = 36.0;

/// Blue ink of the signature (DeviceRGB).
const BLUE: &str = "0.05 0.18 0.62";
/// Red ink of the seal (DeviceRGB).
const RED: &str = "0.85 0.07 0.1";

/// What the signature's widget shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Appearance {
    /// Keep the widget's current appearance (an empty box on our drafts): nothing shows.
    Blank,
    /// A blue handwritten-like signature generated from the signer's name.
    Signature {
        /// The signer's name (the drawing is derived from it, so each signer's differs).
        name: String,
    },
    /// A red round seal with `ring` along its edge.
    Seal {
        /// The text around the ring; `*` separates parts with a small star.
        ring: String,
        /// Diameter in millimetres (clamped to the slot).
        diameter_mm: f32,
    },
    /// A PNG image (a scanned signature or seal with a transparent background).
    Png {
        /// The file's bytes.
        bytes: Vec<u8>,
    },
}

/// Add the appearance stream for a `width` × `height` pt widget; `None` for
/// [`Appearance::Blank`].
pub fn add_appearance(
    writer: &mut IncrementalWriter<'_>,
    appearance: &Appearance,
    width: f32,
    height: f32,
) -> Result<Option<ObjRef>, SignError> {
    let (content, resources) = match appearance {
        Appearance::Blank => return Ok(None),
        Appearance::Signature { name } => (signature_content(name, width, height), Dict::new()),
        Appearance::Seal { ring, diameter_mm } => {
            let diameter = (diameter_mm * PT_PER_MM).min(width.min(height));
            let font = add_subset(
                writer,
                FontBook::embedded().face(FaceId::Bold),
                &ring_text(ring),
            )?;
            let content = seal_content(&font, ring, diameter, width, height)?;
            let fonts = dict([("SealF", Object::Ref(font.reference))]);
            (content, dict([("Font", Object::Dict(fonts))]))
        }
        Appearance::Png { bytes } => {
            let image = decode_png(bytes)?;
            let reference = add_image(writer, &image)?;
            let content = image_content(&image, width, height);
            let images = dict([("Im0", Object::Ref(reference))]);
            (content, dict([("XObject", Object::Dict(images))]))
        }
    };
    Ok(Some(add_form(
        writer,
        content.into_bytes(),
        width,
        height,
        resources,
    )?))
}

/// Add a Form XObject of `width` × `height` with `content`.
pub fn add_form(
    writer: &mut IncrementalWriter<'_>,
    content: Vec<u8>,
    width: f32,
    height: f32,
    resources: Dict,
) -> Result<ObjRef, SignError> {
    let bbox = [0.0, 0.0, width, height]
        .iter()
        .map(|v| Object::Real(round(*v)))
        .collect();
    let form = dict([
        ("Type", Object::name("XObject")),
        ("Subtype", Object::name("Form")),
        ("BBox", Object::Array(bbox)),
        ("Resources", Object::Dict(resources)),
    ]);
    Ok(writer.add(Stream::flate(form, &content))?)
}

/// Round to 1/1000 pt for compact, deterministic numbers.
pub(crate) fn round(value: f32) -> f64 {
    (f64::from(value) * 1000.0).round() / 1000.0
}

// ---------------------------------------------------------------------------------------------
// The drawn signature.
// ---------------------------------------------------------------------------------------------

/// A small deterministic generator (xorshift64*), seeded from the name.
struct Rng(u64);

impl Rng {
    fn new(seed: &str) -> Rng {
        let digest = ring::digest::digest(&ring::digest::SHA256, seed.as_bytes());
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(&digest.as_ref()[..8]);
        Rng(u64::from_be_bytes(bytes) | 1)
    }

    /// Uniform in `[lo, hi)`.
    fn range(&mut self, lo: f32, hi: f32) -> f32 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let unit = (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 40) as f32 / (1u64 << 24) as f32;
        lo + (hi - lo) * unit
    }
}

/// The signature's strokes in a unit space (x from 0, y about -0.7 to 1): a capital with a
/// tall loop and a descender, one cursive shape per letter (the middle names' initials, then
/// the given name: arches for n m u i, tall loops for h l b k d t, descending loops for g y p,
/// small loops for the rest), and a separate underline swoosh with a hook.
fn signature_strokes(name: &str) -> Vec<Vec<(f32, f32)>> {
    let mut rng = Rng::new(name);
    let slant = 0.22;
    let mut main = Vec::new();
    let mut put = |x: f32, y: f32| main.push((x + slant * y, y));
    let top = rng.range(0.9, 1.1);
    let w = rng.range(0.22, 0.34);
    let capital = [
        (0.0, -0.1),
        (0.06, 0.5),
        (0.16, top),
        (0.16 + w * 0.5, top * 0.9),
        (0.2 + w * 0.3, 0.45),
        (0.12, -0.25),
        (0.08, -0.6),
        (0.2, -0.5),
        (0.36, -0.12),
        (0.46, 0.02),
    ];
    for (x, y) in catmull_rom(&capital, 14) {
        put(x, y);
    }
    let mut x = 0.46;
    let samples = 36;
    for c in cursive_letters(name) {
        let kind = letter_kind(c);
        let advance = match kind {
            LetterKind::Arch => 0.3,
            LetterKind::Loop => 0.24,
            LetterKind::Tall | LetterKind::Descender => 0.26,
        } * rng.range(0.85, 1.2);
        if kind == LetterKind::Arch {
            let h = rng.range(0.28, 0.38);
            let arches = if base_letter(c) == 'm' { 2 } else { 1 };
            for _ in 0..arches {
                for i in 1..=samples {
                    let t = i as f32 / samples as f32;
                    put(x + advance * t, 0.02 + h * (PI * t).sin());
                }
                x += advance;
            }
            continue;
        }
        let (h, b) = match kind {
            LetterKind::Tall => (rng.range(0.65, 0.8), 0.08),
            LetterKind::Descender => (-rng.range(0.5, 0.65), -0.07),
            _ => (rng.range(0.22, 0.32), 0.07),
        };
        for i in 1..=samples {
            let t = i as f32 / samples as f32 * 2.0 * PI;
            put(
                x + advance * t / (2.0 * PI) - b * t.sin(),
                0.02 + h * (1.0 - t.cos()) / 2.0,
            );
        }
        x += advance;
    }
    let start = rng.range(-0.05, 0.15);
    let end = x + rng.range(0.25, 0.45);
    let dip = rng.range(0.0, 0.08);
    let underline = [
        (start, -0.42),
        ((start + end) * 0.35, -0.5 - dip),
        ((start + end) * 0.7, -0.46),
        (end, -0.32),
        (end - 0.06, -0.18),
    ];
    let swoosh = catmull_rom(&underline, 18)
        .into_iter()
        .map(|(x, y)| (x + slant * y * 0.3, y))
        .collect();
    vec![main, swoosh]
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LetterKind {
    Arch,
    Descender,
    Loop,
    Tall,
}

/// The letters written after the capital: the middle names' initials, then the given name
/// without its first letter (at most 9).
fn cursive_letters(name: &str) -> Vec<char> {
    let words: Vec<&str> = name.split_whitespace().collect();
    let mut letters: Vec<char> = Vec::new();
    if let Some((given, rest)) = words.split_last() {
        letters.extend(rest.iter().skip(1).filter_map(|w| w.chars().next()));
        letters.extend(given.chars().skip(usize::from(words.len() == 1)));
    }
    if letters.is_empty() {
        letters = vec!['n', 'h'];
    }
    letters.truncate(9);
    letters
}

/// The Latin letter under the diacritics ("Đ" → 'd', "ữ" → 'u').
fn base_letter(c: char) -> char {
    use unicode_normalization::UnicodeNormalization;
    let lower = c.to_lowercase().next().unwrap_or(c);
    if lower == 'đ' {
        return 'd';
    }
    std::iter::once(lower).nfd().next().unwrap_or(lower)
}

fn letter_kind(c: char) -> LetterKind {
    match base_letter(c) {
        'h' | 'l' | 'b' | 'k' | 'd' | 't' | 'f' => LetterKind::Tall,
        'g' | 'y' | 'p' | 'q' | 'j' => LetterKind::Descender,
        'n' | 'm' | 'u' | 'i' | 'r' | 'v' | 'w' | 'x' => LetterKind::Arch,
        _ => LetterKind::Loop,
    }
}

/// A Catmull-Rom spline through `points`, `samples` points per segment.
fn catmull_rom(points: &[(f32, f32)], samples: usize) -> Vec<(f32, f32)> {
    let mut padded = Vec::with_capacity(points.len() + 2);
    padded.push(points[0]);
    padded.extend_from_slice(points);
    padded.push(points[points.len() - 1]);
    let mut out = Vec::new();
    for w in padded.windows(4) {
        let [p0, p1, p2, p3] = [w[0], w[1], w[2], w[3]];
        for k in 0..samples {
            let t = k as f32 / samples as f32;
            let (t2, t3) = (t * t, t * t * t);
            let f = |a: f32, b: f32, c: f32, d: f32| {
                0.5 * (2.0 * b
                    + (-a + c) * t
                    + (2.0 * a - 5.0 * b + 4.0 * c - d) * t2
                    + (-a + 3.0 * b - 3.0 * c + d) * t3)
            };
            out.push((f(p0.0, p1.0, p2.0, p3.0), f(p0.1, p1.1, p2.1, p3.1)));
        }
    }
    out.push(points[points.len() - 1]);
    out
}

/// The signature content: strokes scaled to 92 % of the width and 80 % of the height, centred.
fn signature_content(name: &str, width: f32, height: f32) -> String {
    let strokes = signature_strokes(name);
    let points = strokes.iter().flatten();
    let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for (x, y) in points {
        x0 = x0.min(*x);
        y0 = y0.min(*y);
        x1 = x1.max(*x);
        y1 = y1.max(*y);
    }
    // Uniform scale to fit, then widened (up to 1.6×) so that a short name still spans the
    // slot and the seal covers about its left third.
    let scale_y = (width * 0.92 / (x1 - x0).max(0.01)).min(height * 0.8 / (y1 - y0).max(0.01));
    let scale_x = (width * 0.92 / (x1 - x0).max(0.01)).min(scale_y * 1.6);
    let dx = (width - (x1 - x0) * scale_x) / 2.0 - x0 * scale_x;
    let dy = (height - (y1 - y0) * scale_y) / 2.0 - y0 * scale_y;
    let line_width = (height / 70.0).clamp(0.8, 1.6);
    let mut out = format!("q {BLUE} RG {line_width:.2} w 1 J 1 j\n");
    for stroke in &strokes {
        for (i, (x, y)) in stroke.iter().enumerate() {
            let op = if i == 0 { "m" } else { "l" };
            let _ = writeln!(out, "{:.2} {:.2} {op}", x * scale_x + dx, y * scale_y + dy);
        }
        out.push_str("S\n");
    }
    out.push_str("Q\n");
    out
}

// ---------------------------------------------------------------------------------------------
// The drawn seal.
// ---------------------------------------------------------------------------------------------

/// The characters the ring text needs from the font (`*` is drawn, not typeset).
fn ring_text(ring: &str) -> String {
    let mut text: String = crate::text::upper(&crate::text::nfc(ring))
        .chars()
        .filter(|c| *c != '*')
        .collect();
    text.push(' ');
    text
}

/// The seal: outer and inner circles, the ring text, a star in the centre.
fn seal_content(
    font: &AppearanceFont,
    ring: &str,
    diameter: f32,
    width: f32,
    height: f32,
) -> Result<String, SignError> {
    let (cx, cy) = (width / 2.0, height / 2.0);
    let outer = diameter / 2.0 - 1.0;
    let band = diameter * 0.16;
    let inner = outer - band;
    let mut out = format!("q {RED} RG {RED} rg\n");
    circle(&mut out, cx, cy, outer, 1.6);
    circle(&mut out, cx, cy, outer - 1.6, 0.4);
    circle(&mut out, cx, cy, inner, 0.9);
    star(&mut out, cx, cy, inner * 0.42, 0.0);
    ring_glyphs(&mut out, font, ring, (cx, cy), inner, band)?;
    out.push_str("Q\n");
    Ok(out)
}

/// A circle of radius `r` stroked with `line` pt, from four Bézier quarter arcs.
fn circle(out: &mut String, cx: f32, cy: f32, r: f32, line: f32) {
    let k = 0.552_284_8 * r;
    let _ = writeln!(
        out,
        "{line:.2} w {:.2} {cy:.2} m {:.2} {:.2} {:.2} {:.2} {cx:.2} {:.2} c \
         {:.2} {:.2} {:.2} {:.2} {:.2} {cy:.2} c {:.2} {:.2} {:.2} {:.2} {cx:.2} {:.2} c \
         {:.2} {:.2} {:.2} {:.2} {:.2} {cy:.2} c S",
        cx + r,
        cx + r,
        cy + k,
        cx + k,
        cy + r,
        cy + r,
        cx - k,
        cy + r,
        cx - r,
        cy + k,
        cx - r,
        cx - r,
        cy - k,
        cx - k,
        cy - r,
        cy - r,
        cx + k,
        cy - r,
        cx + r,
        cy - k,
        cx + r,
    );
}

/// A filled five-pointed star of outer radius `r`, rotated by `turn` radians.
fn star(out: &mut String, cx: f32, cy: f32, r: f32, turn: f32) {
    for i in 0..10 {
        let radius = if i % 2 == 0 { r } else { r * 0.382 };
        let angle = PI / 2.0 + turn + i as f32 * PI / 5.0;
        let op = if i == 0 { "m" } else { "l" };
        let _ = write!(
            out,
            "{:.2} {:.2} {op} ",
            cx + radius * angle.cos(),
            cy + radius * angle.sin()
        );
    }
    out.push_str("h f\n");
}

/// The ring text, clockwise from the lower left, upright facing outwards, letter-spaced to
/// fill the whole ring; `*` draws a small star.
fn ring_glyphs(
    out: &mut String,
    font: &AppearanceFont,
    ring: &str,
    (cx, cy): (f32, f32),
    inner: f32,
    band: f32,
) -> Result<(), SignError> {
    let text = crate::text::upper(&crate::text::nfc(ring));
    let chars: Vec<char> = text.chars().collect();
    let mut size = band * 0.62;
    let star_width = |size: f32| size * 1.1;
    let advance = |size: f32| -> f32 {
        chars
            .iter()
            .map(|c| match c {
                '*' => star_width(size),
                c => font.char_width(*c, size),
            })
            .sum()
    };
    let radius_for = |size: f32| inner + (band - size * 0.7) / 2.0;
    let mut circumference = 2.0 * PI * radius_for(size);
    while advance(size) > circumference * 0.9 && size > 4.0 {
        size *= 0.95;
        circumference = 2.0 * PI * radius_for(size);
    }
    let radius = radius_for(size);
    let spacing = ((circumference - advance(size)) / chars.len().max(1) as f32).max(0.0);
    let mut angle = PI * 1.25;
    let _ = writeln!(out, "BT /SealF {size:.2} Tf");
    for c in chars {
        let w = if c == '*' {
            star_width(size)
        } else {
            font.char_width(c, size)
        };
        let centre = angle - (w / 2.0) / radius;
        if c == '*' {
            let (sx, sy) = (
                cx + (radius + size * 0.33) * centre.cos(),
                cy + (radius + size * 0.33) * centre.sin(),
            );
            let _ = writeln!(out, "ET");
            star(out, sx, sy, size * 0.45, centre - PI / 2.0);
            let _ = writeln!(out, "BT /SealF {size:.2} Tf");
        } else if c != ' ' {
            let start = angle;
            let (x, y) = (cx + radius * start.cos(), cy + radius * start.sin());
            let (sin, cos) = centre.sin_cos();
            let show = font.show(&c.to_string()).map_err(|ch| SignError::Glyph {
                ch,
                what: "chữ trên con dấu",
            })?;
            let _ = writeln!(
                out,
                "{sin:.4} {:.4} {cos:.4} {sin:.4} {x:.2} {y:.2} Tm {show}",
                -cos
            );
        }
        angle -= (w + spacing) / radius;
    }
    out.push_str("ET\n");
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// PNG images.
// ---------------------------------------------------------------------------------------------

/// A decoded PNG: 8-bit samples, colour and alpha apart.
#[derive(Debug, Clone)]
pub struct DecodedImage {
    /// Pixels across.
    pub width: u32,
    /// Pixels down.
    pub height: u32,
    /// True for RGB, false for grey.
    pub rgb: bool,
    /// Colour samples.
    pub color: Vec<u8>,
    /// Alpha samples, when the image has an alpha channel.
    pub alpha: Option<Vec<u8>>,
    /// Physical size in millimetres, when the PNG records its pixel density (pHYs in metres).
    pub size_mm: Option<(f32, f32)>,
}

/// Decode a PNG (palette and low bit depths expanded, 16-bit reduced to 8), bounded by
/// [`MAX_IMAGE_BYTES`] and [`MAX_IMAGE_SIDE`].
pub fn decode_png(bytes: &[u8]) -> Result<DecodedImage, SignError> {
    let bad = |reason: String| SignError::Image { reason };
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(bad(format!("tệp lớn hơn {MAX_IMAGE_BYTES} byte")));
    }
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(|e| bad(e.to_string()))?;
    let (width, height) = reader.info().size();
    if width == 0 || height == 0 || width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE {
        return Err(bad(format!(
            "kích thước {width}×{height} điểm ảnh vượt giới hạn {MAX_IMAGE_SIDE}"
        )));
    }
    let size_mm = reader.info().pixel_dims.and_then(|dims| {
        (dims.unit == png::Unit::Meter && dims.xppu > 0 && dims.yppu > 0).then(|| {
            (
                width as f32 / dims.xppu as f32 * 1000.0,
                height as f32 / dims.yppu as f32 * 1000.0,
            )
        })
    });
    let mut buffer = vec![0u8; reader.output_buffer_size()];
    let info = reader
        .next_frame(&mut buffer)
        .map_err(|e| bad(e.to_string()))?;
    buffer.truncate(info.buffer_size());
    let (channels, rgb, has_alpha) = match info.color_type {
        png::ColorType::Grayscale => (1, false, false),
        png::ColorType::GrayscaleAlpha => (2, false, true),
        png::ColorType::Rgb => (3, true, false),
        png::ColorType::Rgba => (4, true, true),
        png::ColorType::Indexed => return Err(bad("bảng màu không mở rộng được".into())),
    };
    let colour_channels = if rgb { 3 } else { 1 };
    let mut color = Vec::with_capacity(buffer.len());
    let mut alpha = Vec::new();
    for pixel in buffer.chunks_exact(channels) {
        color.extend_from_slice(&pixel[..colour_channels]);
        if has_alpha {
            alpha.push(pixel[channels - 1]);
        }
    }
    Ok(DecodedImage {
        width,
        height,
        rgb,
        color,
        alpha: has_alpha.then_some(alpha),
        size_mm,
    })
}

fn add_image(
    writer: &mut IncrementalWriter<'_>,
    image: &DecodedImage,
) -> Result<ObjRef, SignError> {
    let base = |space: &str| {
        dict([
            ("Type", Object::name("XObject")),
            ("Subtype", Object::name("Image")),
            ("Width", Object::Integer(i64::from(image.width))),
            ("Height", Object::Integer(i64::from(image.height))),
            ("ColorSpace", Object::name(space)),
            ("BitsPerComponent", Object::Integer(8)),
        ])
    };
    let mut dict = base(if image.rgb { "DeviceRGB" } else { "DeviceGray" });
    if let Some(alpha) = &image.alpha {
        let mask = writer.add(Stream::flate(base("DeviceGray"), alpha))?;
        dict.insert("SMask", Object::Ref(mask));
    }
    Ok(writer.add(Stream::flate(dict, &image.color))?)
}

/// Place the image: at its physical size when known (shrunk to fit), else fitted; centred.
fn image_content(image: &DecodedImage, width: f32, height: f32) -> String {
    let (natural_w, natural_h) = match image.size_mm {
        Some((w, h)) => (w * PT_PER_MM, h * PT_PER_MM),
        None => (width, width * image.height as f32 / image.width as f32),
    };
    let scale = (width / natural_w).min(height / natural_h).min(1.0);
    let (w, h) = (natural_w * scale, natural_h * scale);
    format!(
        "q {w:.3} 0 0 {h:.3} {:.3} {:.3} cm /Im0 Do Q\n",
        (width - w) / 2.0,
        (height - h) / 2.0
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_differ_by_name_and_repeat_for_the_same_name() {
        let a = signature_content("Nguyễn Văn An", 140.0, 80.0);
        assert_eq!(a, signature_content("Nguyễn Văn An", 140.0, 80.0));
        assert_ne!(a, signature_content("Đàm Đức Chính", 140.0, 80.0));
        assert!(a.contains(BLUE));
    }

    #[test]
    fn drawn_signature_stays_inside_its_box() {
        let content = signature_content("Lê Thanh Xuân", 141.7, 79.4);
        for line in content
            .lines()
            .filter(|l| l.ends_with(" l") || l.ends_with(" m"))
        {
            let numbers: Vec<f32> = line
                .split_whitespace()
                .take(2)
                .map(|n| n.parse().expect("number"))
                .collect();
            assert!((0.0..=141.7).contains(&numbers[0]), "{line}");
            assert!((0.0..=79.4).contains(&numbers[1]), "{line}");
        }
    }

    #[test]
    fn png_with_alpha_is_split_into_colour_and_mask() {
        let mut bytes = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut bytes, 2, 1);
            encoder.set_color(png::ColorType::Rgba);
            encoder.set_depth(png::BitDepth::Eight);
            encoder.set_pixel_dims(Some(png::PixelDimensions {
                xppu: 11811, // 300 dpi
                yppu: 11811,
                unit: png::Unit::Meter,
            }));
            let mut writer = encoder.write_header().expect("header");
            writer
                .write_image_data(&[200, 0, 0, 255, 0, 0, 0, 0])
                .expect("data");
        }
        let image = decode_png(&bytes).expect("decodes");
        assert_eq!(image.color, [200, 0, 0, 0, 0, 0]);
        assert_eq!(image.alpha.as_deref(), Some(&[255, 0][..]));
        let (w, _) = image.size_mm.expect("pHYs");
        assert!((w - 2.0 / 11811.0 * 1000.0).abs() < 1e-4);
    }

    #[test]
    fn oversized_or_broken_png_is_refused() {
        assert!(matches!(
            decode_png(b"not a png"),
            Err(SignError::Image { .. })
        ));
        let big = vec![0u8; MAX_IMAGE_BYTES + 1];
        assert!(matches!(decode_png(&big), Err(SignError::Image { .. })));
    }
}
