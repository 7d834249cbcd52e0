//! `vanban sign --bench`: B-B signing with an RSA-2048 key file, timed against the crypto
//! floor (SHA-256 of the file plus one RSA-2048 signature) and against pyHanko signing the
//! same file with the same key in the same run.
//!
//! Inputs: the 4-page seed 002 rendered as a draft, and the same draft grown past 10 MB by an
//! incremental update holding an incompressible image stream (as a scanned appendix would).
//! Each figure is the median of `rounds` runs; the key file is opened once, outside the timing
//! (its PBKDF2 cost is paid once per session, not per signature).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use ring::rand::{SecureRandom, SystemRandom};
use time::OffsetDateTime;

use crate::pdf::{Dict, Document, IncrementalWriter, Object, Stream};
use crate::pki::keystore::{self, KeyProtection, Passphrase};
use crate::pki::{KeySigner, Signer};
use crate::render::pdf::{PdfOptions, render};
use crate::sign::appearance::Appearance;
use crate::sign::pades::{self, CertificateCheck, SignOptions};

/// Size of the large input: just over 10 MB.
const LARGE_BYTES: usize = 10 * 1024 * 1024;

/// Run the benchmark and print the table.
pub fn run(rounds: usize) -> Result<(), String> {
    let rounds = rounds.clamp(1, 101);
    let dir = std::env::temp_dir().join(format!("vanban-sign-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let result = bench(&dir, rounds);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn bench(dir: &Path, rounds: usize) -> Result<(), String> {
    let (signer, key_open) = rsa_key_file(dir)?;
    let small = seed_draft()?;
    let large = grow(&small, LARGE_BYTES)?;
    println!(
        "vanban sign --bench: B-B, RSA-2048 PKCS#1 v1.5 SHA-256, drawn signature in chu_ky; \
         median of {rounds} (key file opened once in {:.0} ms)",
        ms(key_open)
    );
    println!(
        "{:<22} {:>10} {:>11} {:>11} {:>8} {:>13} {:>10}",
        "input", "size", "vanban", "floor", "÷floor", "pyHanko", "speed-up"
    );
    for (label, pdf) in [
        ("4-page seed (002)", &small),
        ("10 MB (scan stream)", &large),
    ] {
        let path = dir.join("input.pdf");
        std::fs::write(&path, pdf).map_err(|e| e.to_string())?;
        let ours = median(rounds, || sign_once(pdf, &signer))?;
        let floor = median(rounds, || floor_once(pdf, &signer))?;
        let theirs = pyhanko(dir, &path, rounds);
        let (theirs_text, speed_up) = match &theirs {
            Ok(t) => (
                format!("{:.1} ms", ms(*t)),
                format!("{:.0}×", t.as_secs_f64() / ours.as_secs_f64()),
            ),
            Err(e) => (format!("n/a ({e})"), "n/a".to_owned()),
        };
        println!(
            "{label:<22} {:>10} {:>8.2} ms {:>8.2} ms {:>7.2}× {theirs_text:>13} {speed_up:>10}",
            size(pdf.len()),
            ms(ours),
            ms(floor),
            ours.as_secs_f64() / floor.as_secs_f64(),
        );
    }
    println!(
        "floor = SHA-256 of the whole file + one RSA-2048 signature (ring); pyHanko = \
         PdfSigner.sign_pdf in one warm Python process (start-up excluded), same key and file"
    );
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn size(bytes: usize) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{:.0} KB", bytes as f64 / 1024.0)
    }
}

fn median(
    rounds: usize,
    mut f: impl FnMut() -> Result<Duration, String>,
) -> Result<Duration, String> {
    let mut times = Vec::with_capacity(rounds);
    f()?; // warm-up
    for _ in 0..rounds {
        times.push(f()?);
    }
    times.sort();
    Ok(times[times.len() / 2])
}

/// One full B-B signature: parse, update, hash, sign, CMS, embed.
fn sign_once(pdf: &[u8], signer: &KeySigner) -> Result<Duration, String> {
    let input = pdf.to_vec();
    let options = SignOptions {
        appearance: Appearance::Signature {
            name: "Nguyễn Văn An".into(),
        },
        ..SignOptions::new("chu_ky", OffsetDateTime::now_utc())
    };
    let started = Instant::now();
    let signed =
        pades::sign(input, signer, &options, CertificateCheck::Skip).map_err(|e| e.to_string())?;
    let elapsed = started.elapsed();
    std::hint::black_box(signed);
    Ok(elapsed)
}

/// The floor: SHA-256 of the file and one RSA signature over a small message.
fn floor_once(pdf: &[u8], signer: &KeySigner) -> Result<Duration, String> {
    let started = Instant::now();
    let digest = ring::digest::digest(&ring::digest::SHA256, pdf);
    let signature = signer.sign(digest.as_ref()).map_err(|e| e.to_string())?;
    let elapsed = started.elapsed();
    std::hint::black_box(signature);
    Ok(elapsed)
}

/// An RSA-2048 key written as an encrypted key file with a self-issued chain, then opened.
fn rsa_key_file(dir: &Path) -> Result<(KeySigner, Duration), String> {
    let pki = crate::pki::dev::generate(&crate::pki::dev::DevPkiOptions::new(
        crate::pki::dev::DevKeyAlgorithm::Rsa2048,
    ))
    .map_err(|e| e.to_string())?;
    let passphrase = Passphrase::new("bench");
    pki.write(dir, &passphrase, KeyProtection::STRONG)
        .map_err(|e| e.to_string())?;
    let leader = pki.entity("leader").ok_or("no leader")?;
    let key_pem =
        der::pem::encode_string("PRIVATE KEY", der::pem::LineEnding::LF, leader.key_pkcs8())
            .map_err(|e| e.to_string())?;
    keystore::write_private(&dir.join("pyhanko-key.pem"), &key_pem).map_err(|e| e.to_string())?;
    let started = Instant::now();
    let signer = keystore::open_key_file(
        &dir.join("leader-key.pem"),
        &passphrase,
        &[dir.join("leader-chain.pem").as_path()],
    )
    .map_err(|e| e.to_string())?;
    Ok((signer, started.elapsed()))
}

/// Seed 002 (4 pages) rendered as a draft.
fn seed_draft() -> Result<Vec<u8>, String> {
    let seeds = crate::cli::demo::load_seeds(None)?;
    let (_, composed) = seeds
        .into_iter()
        .find(|(name, _)| name.starts_with("002"))
        .ok_or("seed 002 missing")?;
    let draft = crate::workflow::draft::with_slots(&composed, None);
    Ok(render(&draft, &PdfOptions::default())
        .map_err(|e| e.to_string())?
        .bytes)
}

/// The draft plus an incremental update holding `target` bytes of random image data, used by
/// page 1 as an XObject resource (as a scanned appendix page would be).
fn grow(pdf: &[u8], target: usize) -> Result<Vec<u8>, String> {
    let doc = Document::load(pdf.to_vec()).map_err(|e| e.to_string())?;
    let mut noise = vec![0u8; target];
    SystemRandom::new()
        .fill(&mut noise)
        .map_err(|_| "no randomness")?;
    let side = ((target / 3) as f64).sqrt() as i64;
    let mut image = Dict::new();
    image.insert("Type", Object::name("XObject"));
    image.insert("Subtype", Object::name("Image"));
    image.insert("Width", Object::Integer(side));
    image.insert("Height", Object::Integer(side));
    image.insert("ColorSpace", Object::name("DeviceRGB"));
    image.insert("BitsPerComponent", Object::Integer(8));
    noise.truncate((side * side * 3) as usize);
    noise.resize(target.max(noise.len()), 0);
    let mut writer = IncrementalWriter::new(&doc).map_err(|e| e.to_string())?;
    let reference = writer
        .add(Stream::new(image, noise))
        .map_err(|e| e.to_string())?;
    let page = doc
        .pages()
        .map_err(|e| e.to_string())?
        .into_iter()
        .next()
        .ok_or("no page")?;
    let view = doc.view();
    let mut resources = match page.attribute("Resources") {
        Some(r) => match view.resolve(r).map_err(|e| e.to_string())? {
            Object::Dict(d) => d,
            _ => Dict::new(),
        },
        None => Dict::new(),
    };
    let mut xobjects = Dict::new();
    xobjects.insert("Scan", Object::Ref(reference));
    resources.insert("XObject", Object::Dict(xobjects));
    let mut page_dict = page.dict.clone();
    page_dict.insert("Resources", Object::Dict(resources));
    writer
        .set(page.reference, page_dict)
        .map_err(|e| e.to_string())?;
    Ok(writer.finish().map_err(|e| e.to_string())?.bytes)
}

/// pyHanko's median time to sign the same file with the same key, measured inside Python.
fn pyhanko(dir: &Path, input: &Path, rounds: usize) -> Result<Duration, String> {
    let script = format!(
        r#"
import io, statistics, time
from pyhanko.sign import signers, fields
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
signer = signers.SimpleSigner.load(r"{key}", r"{cert}", ca_chain_files=(r"{ca}",))
data = open(r"{input}", "rb").read()
meta = signers.PdfSignatureMetadata(field_name="chu_ky", subfilter=fields.SigSeedSubFilter.PADES)
def once():
    start = time.perf_counter()
    w = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    out = io.BytesIO()
    signers.PdfSigner(meta, signer=signer).sign_pdf(w, output=out)
    return time.perf_counter() - start
once()
print(statistics.median(once() for _ in range({rounds})))
"#,
        key = dir.join("pyhanko-key.pem").display(),
        cert = dir.join("leader.pem").display(),
        ca = dir.join("intermediate.pem").display(),
        input = input.display(),
    );
    let output = Command::new("python3")
        .args(["-c", &script])
        .output()
        .map_err(|e| format!("python3: {e}"))?;
    if !output.status.success() {
        let err = String::from_utf8_lossy(&output.stderr);
        return Err(err.lines().last().unwrap_or("pyHanko failed").to_owned());
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let seconds: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("pyHanko printed {text}"))?;
    Ok(Duration::from_secs_f64(seconds))
}
