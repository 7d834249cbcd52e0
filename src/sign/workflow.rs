//! The decree's signing steps (Nghị định 30 Điều 13–17, FORMAT.md §5.2–§5.3) over [`pades`].
//!
//! | step | who | function | what the page shows |
//! |---|---|---|---|
//! | sign the draft | the leader (người có thẩm quyền) | [`leader_sign`] | blue signature centred in ô 7c |
//! | number, date, seal | the văn thư, with the organisation's key | [`issue`] | "Số: 36/…", the date, the red seal over the left third of the signature |
//! | sign an attachment in its own file | the văn thư | [`sign_attachment`] | a 10 pt line top right: "Số: 36/KH-CĐN; 20/03/2020; 14:30:05 +07:00" |
//! | sign an electronic copy | the copying body's văn thư | [`sign_copy`] | ô 14: "SAO Y; <cơ quan>; 10/01/2025; 09:15:00 +07:00" |
//!
//! The leader's signature is a certification signature with DocMDP P=2, so that filling the
//! number and date and adding the organisation's signature keep it valid (form filling).
//! When the number was reserved before the leader signed (one-stage, FORMAT.md §5.3 b), the
//! draft already carries it and [`issue`] is called without an [`Issue`].

use time::{OffsetDateTime, UtcOffset};

use crate::layout::font::{FaceId, FontBook};
use crate::pdf::{Dict, Document, IncrementalWriter, Object, Stream};
use crate::pki::Signer;
use crate::sign::appearance::{Appearance, PT_PER_MM};
use crate::sign::error::SignError;
use crate::sign::fields::{self, Change};
use crate::sign::fill::{self, Issue};
use crate::sign::font::add_subset;
use crate::sign::pades::{self, CertificateCheck, Certification, Level, SignOptions};

/// The leader's signature field (ô 7c).
pub const LEADER_FIELD: &str = "chu_ky";
/// The organisation's signature field (ô 8).
pub const SEAL_FIELD: &str = "dau";

/// Vietnam time (UTC+07:00, no daylight saving).
pub fn vietnam() -> UtcOffset {
    UtcOffset::from_hms(7, 0, 0).unwrap_or(UtcOffset::UTC)
}

/// What every step shares: level, TSA, time, the certificate check.
#[derive(Debug, Clone, Copy)]
pub struct Step<'a> {
    /// The PAdES level.
    pub level: Level,
    /// The TSA, from B-T up.
    pub tsa_url: Option<&'a str>,
    /// The signing time (`/M`, and the time shown on attachments and copies).
    pub signing_time: OffsetDateTime,
    /// How the signer's certificate is checked before signing.
    pub check: CertificateCheck<'a>,
}

impl Step<'_> {
    fn options(&self, field: &str, appearance: Appearance) -> SignOptions {
        SignOptions {
            level: self.level,
            tsa_url: self.tsa_url.map(str::to_owned),
            appearance,
            ..SignOptions::new(field, self.signing_time)
        }
    }
}

/// The leader signs the draft: a certification signature (DocMDP P=2) in `chu_ky` showing
/// `appearance` (by default the blue signature drawn from the certificate's name).
pub fn leader_sign(
    draft: Vec<u8>,
    signer: &dyn Signer,
    appearance: Option<Appearance>,
    step: &Step<'_>,
) -> Result<Vec<u8>, SignError> {
    let appearance = appearance.unwrap_or_else(|| Appearance::Signature {
        name: signer_name(signer).unwrap_or_default(),
    });
    let options = SignOptions {
        certify: Some(Certification::FormFilling),
        reason: Some("Ký ban hành văn bản".to_owned()),
        ..step.options(LEADER_FIELD, appearance)
    };
    pades::sign(draft, signer, &options, step.check)
}

/// The văn thư issues the leader-signed document: fills the number and date (when `issue`
/// is given; `None` when they were typeset before the leader signed), then applies the
/// organisation's signature in `dau` showing `seal`.
pub fn issue(
    signed: Vec<u8>,
    issue: Option<&Issue>,
    organisation: &dyn Signer,
    seal: Appearance,
    step: &Step<'_>,
) -> Result<Vec<u8>, SignError> {
    let filled = match issue {
        Some(issue) => fill::fill(&signed, &issue.values())?,
        None => signed,
    };
    let options = SignOptions {
        reason: Some("Văn thư đóng dấu, phát hành".to_owned()),
        ..step.options(SEAL_FIELD, seal)
    };
    pades::sign(filled, organisation, &options, step.check)
}

/// "Số: 36/KH-CĐN; 20/03/2020; 14:30:05 +07:00" (FORMAT.md §5.2, rendering A).
pub fn attachment_line(number_and_symbol: &str, time: OffsetDateTime) -> String {
    format!("Số: {}; {}", number_and_symbol.trim(), date_time(time))
}

/// "SAO Y; LIÊN ĐOÀN LAO ĐỘNG TỈNH LAI CHÂU; 10/01/2025; 09:15:00 +07:00".
pub fn copy_line(form: &str, organisation: &str, time: OffsetDateTime) -> String {
    format!(
        "{}; {}; {}",
        crate::text::upper(form.trim()),
        crate::text::upper(organisation.trim()),
        date_time(time)
    )
}

/// "20/03/2020; 14:30:05 +07:00": the time converted to Vietnam time.
pub fn date_time(time: OffsetDateTime) -> String {
    let local = time.to_offset(vietnam());
    format!(
        "{:02}/{:02}/{:04}; {:02}:{:02}:{:02} +07:00",
        local.day(),
        u8::from(local.month()),
        local.year(),
        local.hour(),
        local.minute(),
        local.second()
    )
}

/// The organisation signs an attachment kept in its own file: the 10 pt line naming the main
/// document and the signing time goes top right on page 1, then an invisible signature (no
/// seal image, FORMAT.md §5.2).
pub fn sign_attachment(
    pdf: Vec<u8>,
    main_number: &str,
    organisation: &dyn Signer,
    step: &Step<'_>,
) -> Result<Vec<u8>, SignError> {
    let line = attachment_line(main_number, step.signing_time);
    let stamped = stamp_top_right(pdf, &[line])?;
    sign_invisible(stamped, organisation, step)
}

/// The copying body signs an electronic copy: ô 14 ("SAO Y; …; date; time") top right on
/// page 1, then an invisible signature.
pub fn sign_copy(
    pdf: Vec<u8>,
    form: &str,
    copier: &str,
    organisation: &dyn Signer,
    step: &Step<'_>,
) -> Result<Vec<u8>, SignError> {
    let line = copy_line(form, copier, step.signing_time);
    let stamped = stamp_top_right(pdf, &[line])?;
    sign_invisible(stamped, organisation, step)
}

fn sign_invisible(
    pdf: Vec<u8>,
    signer: &dyn Signer,
    step: &Step<'_>,
) -> Result<Vec<u8>, SignError> {
    let options = SignOptions {
        create_on_page: Some(0),
        ..step.options(SEAL_FIELD, Appearance::Blank)
    };
    pades::sign(pdf, signer, &options, step.check)
}

/// Right edge of the top-right text: the text area's right edge, 195 mm (FORMAT.md §4.2).
const RIGHT_EDGE_MM: f32 = 195.0;
/// First baseline of the top-right text: 10 mm from the top edge (FORMAT.md §4.2, ô 14).
const FIRST_BASELINE_MM: f32 = 10.0;
/// Its size: 10 pt, regular, black (FORMAT.md §5.2).
const LINE_SIZE: f32 = 10.0;

/// Add `lines` of 10 pt text, right-aligned at 195 mm, from 10 mm below the top of page 1,
/// in an incremental update (refused once the document is signed). The existing content is
/// wrapped in `q … Q` so that its graphics state cannot move the new text.
pub fn stamp_top_right(pdf: Vec<u8>, lines: &[String]) -> Result<Vec<u8>, SignError> {
    let doc = Document::load(pdf)?;
    doc.require_unencrypted()?;
    fields::check(&doc, Change::PageContent)?;
    let view = doc.view();
    let page = doc
        .pages()?
        .into_iter()
        .next()
        .ok_or(SignError::Missing("a first page"))?;
    let [_, _, _, top] = page.media_box().unwrap_or([0.0, 0.0, 595.276, 841.89]);
    let mut writer = IncrementalWriter::new(&doc)?;
    let text: String = lines
        .iter()
        .map(|l| crate::text::nfc(l))
        .collect::<Vec<_>>()
        .join("");
    let font = add_subset(
        &mut writer,
        FontBook::embedded().face(FaceId::Regular),
        &text,
    )?;
    let mut content = String::from("q BT /VbTR 10 Tf 0 g\n");
    for (i, line) in lines.iter().enumerate() {
        let line = crate::text::nfc(line);
        let x = RIGHT_EDGE_MM * PT_PER_MM - font.width(&line, LINE_SIZE);
        let y = top as f32 - FIRST_BASELINE_MM * PT_PER_MM - i as f32 * LINE_SIZE * 1.2;
        let show = font.show(&line).map_err(|ch| SignError::Glyph {
            ch,
            what: "dòng thông tin chữ ký",
        })?;
        content.push_str(&format!("1 0 0 1 {x:.3} {y:.3} Tm {show}\n"));
    }
    content.push_str("ET Q\n");
    let save = writer.add(Stream::new(Dict::new(), b"q\n".to_vec()))?;
    let restore = writer.add(Stream::new(Dict::new(), b"\nQ\n".to_vec()))?;
    let added = writer.add(Stream::flate(Dict::new(), content.as_bytes()))?;
    let mut contents = vec![Object::Ref(save)];
    match page.dict.get("Contents") {
        Some(Object::Array(items)) => contents.extend(items.iter().cloned()),
        Some(Object::Ref(reference)) => match view.get(*reference)? {
            Object::Array(items) => contents.extend(items),
            _ => contents.push(Object::Ref(*reference)),
        },
        _ => {}
    }
    contents.push(Object::Ref(restore));
    contents.push(Object::Ref(added));
    let mut resources = match page.attribute("Resources") {
        Some(value) => match view.resolve(value)? {
            Object::Dict(d) => d,
            _ => Dict::new(),
        },
        None => Dict::new(),
    };
    let mut fonts = match resources.get("Font") {
        Some(value) => match view.resolve(value)? {
            Object::Dict(d) => d,
            _ => Dict::new(),
        },
        None => Dict::new(),
    };
    fonts.insert("VbTR", Object::Ref(font.reference));
    resources.insert("Font", Object::Dict(fonts));
    let mut page_dict = page.dict.clone();
    page_dict.insert("Contents", Object::Array(contents));
    page_dict.insert("Resources", Object::Dict(resources));
    writer.set(page.reference, page_dict)?;
    Ok(writer.finish()?.bytes)
}

/// The common name of a signer's certificate.
pub fn signer_name(signer: &dyn Signer) -> Option<String> {
    let (_, cert) = x509_parser::parse_x509_certificate(signer.certificate()).ok()?;
    let cn = cert.subject().iter_common_name().next()?;
    cn.as_str().ok().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn attachment_line_uses_vietnam_time() {
        let time = datetime!(2020-03-20 07:30:05 UTC);
        assert_eq!(
            attachment_line("36/KH-CĐN", time),
            "Số: 36/KH-CĐN; 20/03/2020; 14:30:05 +07:00"
        );
    }

    #[test]
    fn copy_line_upper_cases_the_form_and_body() {
        let time = datetime!(2025-01-10 09:15:00 +07:00);
        assert_eq!(
            copy_line("Sao y", "Liên đoàn Lao động tỉnh Lai Châu", time),
            "SAO Y; LIÊN ĐOÀN LAO ĐỘNG TỈNH LAI CHÂU; 10/01/2025; 09:15:00 +07:00"
        );
    }
}
