//! Hostile structure: truncated files, broken and looping xref chains, object-stream bombs,
//! huge `/Length` values, deep nesting, tree cycles. Each is reported as `malformed` with the
//! reader's reason (a file that is not a PDF at all is an error, exit 2), quickly and within
//! the reader's memory limits; no timing is asserted. Then the fuzz entry points over
//! thousands of deterministic mutations.

mod common {
    pub mod signed_pdf;
}

use std::io::Write;

use vanban::verify::report::Report;
use vanban::verify::status::Verdict;
use vanban::verify::{Options, VerifyError, verify_bytes};

use common::signed_pdf::{Spec, anchors, base_pdf, cms_for, pki, sign, update, verify};

/// A small PDF with a classic xref table: `objects` are (number, body) and `trailer` is
/// added to the trailer dictionary (which always has /Size).
fn tiny(objects: &[(u32, Vec<u8>)], trailer: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let size = objects.iter().map(|(n, _)| n + 1).max().unwrap_or(1);
    let mut offsets = vec![None; size as usize];
    for (number, body) in objects {
        offsets[*number as usize] = Some(out.len());
        out.extend_from_slice(format!("{number} 0 obj\n").as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {size}\n").as_bytes());
    for offset in offsets {
        match offset {
            Some(offset) => out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes()),
            None => out.extend_from_slice(b"0000000000 65535 f \n"),
        }
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {size} {trailer} >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
    );
    out
}

fn catalog_and_pages(extra_catalog: &str, page_kid: &str) -> Vec<(u32, Vec<u8>)> {
    vec![
        (
            1,
            format!("<< /Type /Catalog /Pages 2 0 R {extra_catalog} >>").into_bytes(),
        ),
        (
            2,
            format!("<< /Type /Pages /Kids [{page_kid}] /Count 1 >>").into_bytes(),
        ),
        (
            3,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>".to_vec(),
        ),
    ]
}

fn check(bytes: Vec<u8>) -> Report {
    verify_bytes("hostile.pdf", bytes, &Options::new(anchors(&[]))).expect("a PDF header")
}

fn assert_malformed(name: &str, bytes: Vec<u8>, reason_contains: &str) {
    let report = check(bytes);
    assert_eq!(
        report.verdict(),
        Some(Verdict::Malformed),
        "{name}: {report:#?}"
    );
    let reason = report.malformed.as_deref().unwrap_or_default();
    assert!(
        reason.contains(reason_contains),
        "{name}: reason {reason:?} lacks {reason_contains:?}"
    );
    assert_eq!(report.exit_code(), 1, "{name}");
    let json = report.to_json(Default::default());
    assert_eq!(json["verdict"], "malformed", "{name}");
}

#[test]
fn a_well_formed_tiny_file_is_unsigned() {
    let report = check(tiny(&catalog_and_pages("", "3 0 R"), "/Root 1 0 R"));
    assert_eq!(report.verdict(), None, "{report:#?}");
    assert!(report.malformed.is_none());
}

#[test]
fn truncated_signed_files_are_malformed() {
    let signed = sign(&base_pdf(), &Spec::default());
    let original = base_pdf().len();
    for cut in [
        signed.len() - 1,
        signed.len() - 7,
        signed.len() - 30,
        (original + signed.len()) / 2,
        original + 100,
        signed.len() / 2,
        1000,
        10,
    ] {
        let report = check(signed[..cut].to_vec());
        assert_eq!(report.verdict(), Some(Verdict::Malformed), "cut at {cut}");
        // Cutting only the end-of-line after %%EOF leaves a readable file whose signature
        // now claims bytes past the end: the signature, not the file, is malformed.
        let reason = match &report.malformed {
            Some(reason) => reason.clone(),
            None => report.signatures[0]
                .malformed
                .clone()
                .expect("signature reason"),
        };
        assert!(
            reason.contains("cấu trúc PDF hỏng") || reason.contains("ByteRange"),
            "cut at {cut}: {reason}"
        );
    }
}

#[test]
fn not_a_pdf_cannot_be_read_at_all() {
    for bytes in [Vec::new(), b"%PD".to_vec(), "Kế hoạch".as_bytes().to_vec()] {
        let result = verify_bytes("x", bytes, &Options::new(anchors(&[])));
        assert!(
            matches!(result, Err(VerifyError::NotPdf { .. })),
            "{result:?}"
        );
    }
}

#[test]
fn broken_and_looping_xref_chains_are_malformed() {
    let good = tiny(&catalog_and_pages("", "3 0 R"), "/Root 1 0 R");
    let text = String::from_utf8_lossy(&good).into_owned();
    // An entry one byte off.
    let first_entry = text.find(" 00000 n").expect("entry") - 10;
    let offset: usize = text[first_entry..first_entry + 10].parse().expect("offset");
    let mut shifted = good.clone();
    shifted[first_entry..first_entry + 10]
        .copy_from_slice(format!("{:010}", offset + 1).as_bytes());
    assert_malformed("xref entry off by one", shifted, "xref");

    // startxref beyond the end of the file.
    let at = text.rfind("startxref\n").expect("startxref") + "startxref\n".len();
    let mut beyond = good[..at].to_vec();
    beyond.extend_from_slice(b"99999999\n%%EOF\n");
    assert_malformed("startxref beyond EOF", beyond, "cấu trúc PDF hỏng");

    // A /Prev chain that loops back onto itself.
    let mut looping = good.clone();
    let xref = looping.len();
    looping.extend_from_slice(
        format!(
            "xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 4 /Root 1 0 R /Prev {xref} >>\nstartxref\n{xref}\n%%EOF\n"
        )
        .as_bytes(),
    );
    assert_malformed("/Prev cycle", looping, "loop");

    // Two sections pointing at each other.
    let mut pair = good.clone();
    let first = pair.len();
    let second_len = format!(
        "xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 4 /Root 1 0 R /Prev {:010} >>\nstartxref\n{first}\n%%EOF\n",
        0
    )
    .len();
    let second = first + second_len;
    pair.extend_from_slice(
        format!(
            "xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 4 /Root 1 0 R /Prev {second:010} >>\nstartxref\n{first}\n%%EOF\n"
        )
        .as_bytes(),
    );
    pair.extend_from_slice(
        format!(
            "xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 4 /Root 1 0 R /Prev {first} >>\nstartxref\n{second}\n%%EOF\n"
        )
        .as_bytes(),
    );
    assert_malformed("/Prev cycle of two", pair, "cấu trúc PDF hỏng");
}

#[test]
fn a_one_gigabyte_length_in_a_small_file_is_malformed() {
    let mut objects = catalog_and_pages("", "4 0 R");
    objects.push((
        4,
        b"<< /Length 1073741824 >>\nstream\nBT (x) Tj ET\nendstream".to_vec(),
    ));
    let bytes = tiny(&objects, "/Root 1 0 R");
    assert!(bytes.len() < 1024, "{}", bytes.len());
    assert_malformed("1 GB /Length", bytes, "Length");

    let mut negative = catalog_and_pages("", "4 0 R");
    negative.push((4, b"<< /Length -5 >>\nstream\nx\nendstream".to_vec()));
    assert_malformed("negative /Length", tiny(&negative, "/Root 1 0 R"), "Length");
}

#[test]
fn deep_nesting_is_malformed() {
    let deep = format!("/Deep {}{}", "[".repeat(10_000), "]".repeat(10_000));
    let bytes = tiny(&catalog_and_pages(&deep, "3 0 R"), "/Root 1 0 R");
    assert_malformed("10,000 nested arrays", bytes, "cấu trúc PDF hỏng");
    let dicts = format!("/Deep {}{}", "<< /A ".repeat(5_000), ">> ".repeat(5_000));
    let bytes = tiny(&catalog_and_pages(&dicts, "3 0 R"), "/Root 1 0 R");
    assert_malformed("5,000 nested dictionaries", bytes, "cấu trúc PDF hỏng");
}

#[test]
fn tree_cycles_are_malformed() {
    let bytes = tiny(&catalog_and_pages("", "2 0 R"), "/Root 1 0 R");
    assert_malformed("page tree cycle", bytes, "page tree");
    let mut objects = catalog_and_pages("/AcroForm << /Fields [4 0 R] >>", "3 0 R");
    objects.push((4, b"<< /T (a) /Kids [5 0 R] >>".to_vec()));
    objects.push((5, b"<< /T (b) /Parent 4 0 R /Kids [4 0 R] >>".to_vec()));
    assert_malformed(
        "field tree cycle",
        tiny(&objects, "/Root 1 0 R"),
        "field tree",
    );
}

/// A catalog stored in an object stream whose data inflates to far more than the reader's cap.
#[test]
fn an_object_stream_bomb_is_malformed() {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let header = b"1 0 ";
    encoder.write_all(header).expect("write");
    encoder
        .write_all(b"<< /Type /Catalog /Pages 2 0 R >> ")
        .expect("write");
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..48 {
        encoder.write_all(&zeros).expect("write");
    }
    let bomb = encoder.finish().expect("deflate");
    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    let objects: Vec<(u32, Vec<u8>)> = vec![
        (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec()),
        (
            3,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>".to_vec(),
        ),
        (4, {
            let mut body = format!(
                "<< /Type /ObjStm /N 1 /First {} /Filter /FlateDecode /Length {} >>\nstream\n",
                header.len(),
                bomb.len()
            )
            .into_bytes();
            body.extend_from_slice(&bomb);
            body.extend_from_slice(b"\nendstream");
            body
        }),
    ];
    for (number, body) in &objects {
        offsets.push((*number, out.len()));
        out.extend_from_slice(format!("{number} 0 obj\n").as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref_at = out.len();
    let mut rows = Vec::new();
    let row = |kind: u8, field: u32, index: u16| {
        let mut r = vec![kind];
        r.extend_from_slice(&field.to_be_bytes());
        r.extend_from_slice(&index.to_be_bytes());
        r
    };
    rows.extend(row(0, 0, 65535));
    rows.extend(row(2, 4, 0));
    for (_, offset) in &offsets {
        rows.extend(row(1, *offset as u32, 0));
    }
    rows.extend(row(1, xref_at as u32, 0));
    out.extend_from_slice(
        format!(
            "5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R /Length {} >>\nstream\n",
            rows.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(&rows);
    out.extend_from_slice(format!("\nendstream\nendobj\nstartxref\n{xref_at}\n%%EOF\n").as_bytes());
    assert!(out.len() < 200_000, "{}", out.len());
    assert_malformed("object stream bomb", out, "cấu trúc PDF hỏng");
}

#[test]
fn bytes_after_the_last_eof_are_malformed() {
    let signed = sign(&base_pdf(), &Spec::default());
    let mut tail = signed.clone();
    tail.extend_from_slice(b"\n% comment that no xref accounts for\n1 0 obj\n<< >>\nendobj\n");
    assert_malformed("unaccounted tail", tail, "cấu trúc PDF hỏng");
}

/// A 10 MB signed PDF (a large incompressible attachment before signing) verifies, and is
/// left in the target directory for `vanban bench-verify`.
#[test]
fn a_ten_megabyte_signed_pdf_verifies() {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let noise: Vec<u8> = (0..10 * 1024 * 1024)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    let big = update(&base_pdf(), |_, writer| {
        let mut dict = vanban::pdf::Dict::new();
        dict.insert("Type", vanban::pdf::Object::name("EmbeddedFile"));
        writer
            .add(vanban::pdf::Object::Stream(vanban::pdf::Stream::new(
                dict, noise,
            )))
            .expect("attachment");
    });
    let signed = sign(&big, &Spec::default());
    assert!(signed.len() > 10 * 1024 * 1024);
    let report = verify(&signed);
    assert_eq!(report.verdict(), Some(Verdict::Valid), "{report:#?}");
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    std::fs::write(dir.join("signed-10mb.pdf"), &signed).expect("write");
}

/// xorshift64*: deterministic mutations without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(rng: &mut Rng, input: &[u8], focus: std::ops::Range<usize>) -> Vec<u8> {
    let mut data = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        if data.is_empty() {
            break;
        }
        let span = focus.start.min(data.len())..focus.end.min(data.len()).max(1);
        let at = span.start + rng.below(span.len().max(1));
        let at = at.min(data.len() - 1);
        match rng.below(6) {
            0 => data[at] ^= 1 << rng.below(8),
            1 => data[at] = rng.next() as u8,
            2 => data.truncate(at),
            3 => {
                let end = (at + 1 + rng.below(16)).min(data.len());
                data.drain(at..end);
            }
            4 => {
                let end = (at + 1 + rng.below(32)).min(data.len());
                let copy = data[at..end].to_vec();
                let to = rng.below(data.len());
                data.splice(to..to, copy);
            }
            _ => {
                let byte = [0x30, 0x80, 0x82, 0xff, 0x00, b'<', b'>', b'[', b']'][rng.below(9)];
                data.insert(at, byte);
            }
        }
    }
    data
}

fn mutations(default: usize) -> usize {
    std::env::var("VANBAN_MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn mutated_cms_never_panics() {
    let signer = pki().signer("leader").expect("leader");
    let cms = cms_for(&signer, &[7u8; 32], None);
    let mut padded = cms.clone();
    padded.extend_from_slice(&[0u8; 64]);
    vanban::fuzzing::cms_signed_data(&padded);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..mutations(4_000) {
        let mutated = mutate(&mut rng, &cms, 0..cms.len());
        vanban::fuzzing::cms_signed_data(&mutated);
    }
}

#[test]
fn mutated_signed_pdfs_never_panic() {
    let signed = sign(&base_pdf(), &Spec::default());
    let tail = base_pdf().len().saturating_sub(200)..signed.len();
    let mut rng = Rng(0xd1b5_4a32_d192_ed03);
    vanban::fuzzing::verify_pdf(&signed);
    for round in 0..mutations(2_000) / 4 {
        // Most mutations hit the signed update (signature dictionary, xref, trailer), where
        // the verifier does the most work; some hit anywhere.
        let focus = if round % 4 == 0 {
            0..signed.len()
        } else {
            tail.clone()
        };
        let mutated = mutate(&mut rng, &signed, focus);
        vanban::fuzzing::verify_pdf(&mutated);
    }
}
