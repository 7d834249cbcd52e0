//! Hostile structure: truncated files, broken and looping xref chains, object-stream bombs,
//! huge `/Length` values, deep nesting, tree cycles. Each is reported as `malformed` with the
//! reader's reason (a file that is not a PDF at all is an error, exit 2), quickly and within
//! the reader's memory limits. Each hostile file also goes through the `vanban verify`
//! command under GNU time: its peak memory must stay under 200 MB, and a watchdog (not a
//! benchmark: `vanban bench-verify` gives the figures) catches a hang. Then the fuzz entry
//! points over thousands of deterministic mutations.

mod common {
    pub mod mutate;
    pub mod signed_pdf;
}

use std::io::Write;

use vanban::verify::report::Report;
use vanban::verify::status::Verdict;
use vanban::verify::{Options, VerifyError, verify_bytes};

use common::mutate::{Rng, mutate, mutations};
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
    let report = check(bytes.clone());
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
    let run = run_cli(name, &bytes, None);
    assert_eq!(run.verdict, "malformed", "{name}: the command says {run:?}");
    assert_eq!(run.exit, 1, "{name}");
}

/// The command's answer on a file, with its peak memory and wall time.
#[derive(Debug)]
struct CliRun {
    exit: i32,
    verdict: String,
    peak_kb: u64,
    seconds: f64,
}

/// Peak resident memory allowed to `vanban verify` on any input (issue 7: under 200 MB).
const MAX_PEAK_KB: u64 = 200 * 1024;
/// A hang, not a slow run: the release figures are `vanban bench-verify`'s.
const WATCHDOG_SECONDS: f64 = 30.0;

/// Run `vanban verify --json FILE` under `/usr/bin/time` and check the memory bound.
fn run_cli(name: &str, bytes: &[u8], trust: Option<&std::path::Path>) -> CliRun {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("verify_robust");
    std::fs::create_dir_all(&dir).expect("dir");
    let stem: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let file = dir.join(format!("{stem}.pdf"));
    std::fs::write(&file, bytes).expect("write");
    let times = dir.join(format!("{stem}.time"));
    let mut command = std::process::Command::new("/usr/bin/time");
    command
        .arg("-f")
        .arg("%M %e")
        .arg("-o")
        .arg(&times)
        .arg(env!("CARGO_BIN_EXE_vanban"))
        .args(["verify", "--json"]);
    if let Some(trust) = trust {
        command.arg("--trust").arg(trust);
    }
    let output = command
        .arg(&file)
        .output()
        .expect("GNU time (/usr/bin/time, Debian package `time`; .ci/run installs it)");
    let measured = std::fs::read_to_string(&times).expect("time's output");
    let mut fields = measured
        .lines()
        .last()
        .unwrap_or_default()
        .split_whitespace();
    let peak_kb: u64 = fields.next().and_then(|v| v.parse().ok()).expect("%M");
    let seconds: f64 = fields.next().and_then(|v| v.parse().ok()).expect("%e");
    let json: serde_json::Value =
        serde_json::from_slice(&output.stdout).unwrap_or(serde_json::Value::Null);
    let run = CliRun {
        exit: output.status.code().unwrap_or(-1),
        verdict: json["verdict"].as_str().unwrap_or_default().to_owned(),
        peak_kb,
        seconds,
    };
    println!(
        "{name}: {} bytes, verdict {}, peak {} KB, {:.2} s",
        bytes.len(),
        run.verdict,
        run.peak_kb,
        run.seconds
    );
    assert!(
        run.peak_kb < MAX_PEAK_KB,
        "{name}: vanban verify peaked at {} KB",
        run.peak_kb
    );
    assert!(
        run.seconds < WATCHDOG_SECONDS,
        "{name}: vanban verify ran {} s",
        run.seconds
    );
    run
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
    let root = dir.join("verify_robust-root.pem");
    let pem = der::pem::encode_string("CERTIFICATE", der::pem::LineEnding::LF, pki().root_der())
        .expect("pem");
    std::fs::write(&root, pem).expect("root");
    let run = run_cli("signed-10mb", &signed, Some(&root));
    assert_eq!((run.exit, run.verdict.as_str()), (0, "valid"), "{run:?}");
    // A 10 MB file read, hashed and parsed once: well under the bound, with room for a copy.
    assert!(run.peak_kb < 100 * 1024, "{run:?}");
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
