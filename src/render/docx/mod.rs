//! DOCX renderer: the composed document as an editable Word file (FORMAT.md §2–§4).
//!
//! ```text
//!  Composed ──regions──► body (docx-rs Docx) ──build──► XML parts ──package──► .docx bytes
//!                           ▲                                ▲
//!                  styles (layout::style)        our parts + patches, Deflate zip
//! ```
//!
//! docx-rs writes the document body. What it lacks is added here rather than dropped: the
//! styles part (one named style per [`crate::compose::Role`]), headers and footers with a styled PAGE field,
//! core properties, repeated table header rows (`w:tblHeader`), stable paragraph and drawing
//! ids, and a Deflate package (docx-rs stores entries uncompressed).
//!
//! ```no_run
//! # fn demo(composed: &vanban::compose::Composed) -> Result<(), vanban::render::docx::DocxError> {
//! use vanban::render::docx::{DocxOptions, render};
//! let bytes = render(composed, &DocxOptions::default())?;
//! std::fs::write("ke-hoach.docx", bytes).ok();
//! # Ok(()) }
//! ```

mod body;
mod images;
mod measure;
mod package;
mod styles;
mod units;
mod xml;

use crate::compose::Composed;
use crate::layout::style::{SEAL_WIDTH, SIGNATURE_WIDTH};
use crate::limits::MAX_NODES;

pub use images::DocxImage;
pub use styles::{rule_style_id, style_id};

/// What the DOCX needs besides the composed document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocxOptions {
    /// Signature image (ô 7c), drawn centred in the signature space.
    pub signature: Option<DocxImage>,
    /// Seal image (ô 8), drawn at its real size over the left third of the signature.
    pub seal: Option<DocxImage>,
}

impl DocxOptions {
    /// The signature and seal images the document's data names (`signature.image`,
    /// `signature.seal`, or the profile's seal), read from their files; none when the data
    /// names none. A file that cannot be read, or is larger than
    /// [`crate::limits::MAX_IMAGE_BYTES`], is an error naming the field.
    pub fn from_document(doc: &crate::model::Document) -> Result<DocxOptions, DocxError> {
        let Some(signature) = &doc.signature else {
            return Ok(DocxOptions::default());
        };
        Ok(DocxOptions {
            signature: signature
                .image
                .as_deref()
                .map(|p| read_image(p, "signature"))
                .transpose()?,
            seal: signature
                .seal
                .as_deref()
                .map(|p| read_image(p, "seal"))
                .transpose()?,
        })
    }
}

fn read_image(path: &std::path::Path, what: &'static str) -> Result<DocxImage, DocxError> {
    use std::io::Read;
    let unreadable = |reason: String| DocxError::Image {
        what,
        reason: format!("{}: {reason}", path.display()),
    };
    let file = std::fs::File::open(path).map_err(|e| unreadable(e.to_string()))?;
    let mut png = Vec::new();
    file.take(crate::limits::MAX_IMAGE_BYTES as u64 + 1)
        .read_to_end(&mut png)
        .map_err(|e| unreadable(e.to_string()))?;
    if png.len() > crate::limits::MAX_IMAGE_BYTES {
        return Err(DocxError::ImageTooLarge {
            what,
            bytes: png.len(),
            max: crate::limits::MAX_IMAGE_BYTES,
        });
    }
    Ok(DocxImage { png, width: None })
}

/// Why a DOCX could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DocxError {
    /// An image is not a readable PNG.
    #[error("ảnh {what} không phải PNG hợp lệ: {reason}")]
    Image {
        /// `signature` or `seal`.
        what: &'static str,
        /// The decoder's message.
        reason: String,
    },
    /// An image file is larger than the limit.
    #[error("ảnh {what} quá lớn: {bytes} byte (tối đa {max})")]
    ImageTooLarge {
        /// `signature` or `seal`.
        what: &'static str,
        /// Its size.
        bytes: usize,
        /// The limit ([`crate::limits::MAX_IMAGE_BYTES`]).
        max: usize,
    },
    /// An image has no pixels or too many on a side.
    #[error("ảnh {what} có kích thước {width}×{height} điểm ảnh (mỗi cạnh 1–{max})")]
    ImageDimensions {
        /// `signature` or `seal`.
        what: &'static str,
        /// Pixel width.
        width: u32,
        /// Pixel height.
        height: u32,
        /// The limit ([`crate::limits::MAX_IMAGE_SIDE`]).
        max: u32,
    },
    /// The document has more blocks than any real văn bản.
    #[error("văn bản quá dài: {blocks} khối (tối đa {max})")]
    TooManyBlocks {
        /// Blocks in the composed document.
        blocks: usize,
        /// The limit ([`crate::limits::MAX_NODES`]).
        max: usize,
    },
    /// Writing the zip package failed (in memory, so only on a defect).
    #[error("không ghi được gói DOCX ({part}): {message}")]
    Package {
        /// The part being written.
        part: String,
        /// The zip writer's message.
        message: String,
    },
}

/// Render `composed` as a DOCX file.
pub fn render(composed: &Composed, options: &DocxOptions) -> Result<Vec<u8>, DocxError> {
    if composed.blocks.len() > MAX_NODES {
        return Err(DocxError::TooManyBlocks {
            blocks: composed.blocks.len(),
            max: MAX_NODES,
        });
    }
    let images = body::Images {
        signature: options
            .signature
            .as_ref()
            .map(|image| images::place(image, "signature", SIGNATURE_WIDTH))
            .transpose()?,
        seal: options
            .seal
            .as_ref()
            .map(|image| images::place(image, "seal", SEAL_WIDTH))
            .transpose()?,
    };
    let body = body::build(composed, &images);
    let xml = body.docx.build();
    package::write(xml, &body.parts, &body.header_rows, &composed.meta)
}
