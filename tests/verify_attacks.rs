//! The hostile corpus: each attack on PDF signatures from the literature, built by signing a
//! real document and tampering through the incremental writer or raw bytes, with the exact
//! verdict and reason it must get (STYLE.md habit 9).
//!
//! Sources: Mladenov et al., "1 Trillion Dollar Refund – How To Spoof PDF Signatures" (CCS
//! 2019: universal signature forgery, incremental saving, signature wrapping); Mainka et al.,
//! "Shadow Attacks: Hiding and Replacing Content in Signed PDFs" (NDSS 2021); Mainka et al.,
//! "Breaking the Specification: PDF Certification" (S&P 2021: evil annotations, sneaky
//! signatures). `src/verify/attacks.rs` explains how the verifier meets each one.
//!
//! The corpus is written to `$CARGO_TARGET_TMPDIR/attacks/` (and to `tests/fixtures/attacks/`
//! when `VANBAN_WRITE_ATTACKS=1`), and poppler's `pdfsig` is run on it for comparison: how
//! many hostile files it calls valid is printed (it is a second opinion, never a reference).

mod common {
    pub mod keys;
    pub mod signed_pdf;
}

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use vanban::pdf::{Dict, Document, Object, PdfString, Stream};
use vanban::pki::{KeySigner, SignatureAlgorithm, Signer, SignerError};
use vanban::verify::report::Report;
use vanban::verify::status::Verdict;
use zeroize::Zeroizing;

use common::signed_pdf::{
    Forge, Spec, annotate, appearance_stream, attach, base_pdf, cms_for, fill, pki, sign,
    sign_with, signature_dict, update, verify,
};

/// One hostile file and what the verifier must say about it.
struct Attack {
    name: &'static str,
    bytes: Vec<u8>,
    /// The file's verdict.
    verdict: Verdict,
    /// The reason codes of the first signature (empty: the file itself is malformed).
    codes: Vec<&'static str>,
}

fn corpus() -> &'static [Attack] {
    static CORPUS: OnceLock<Vec<Attack>> = OnceLock::new();
    CORPUS.get_or_init(build_corpus)
}

fn build_corpus() -> Vec<Attack> {
    let mut attacks = Vec::new();
    attacks.extend(universal_signature_forgery());
    attacks.extend(incremental_saving());
    attacks.push(signature_wrapping());
    attacks.extend(shadow());
    attacks.extend(certification());
    attacks.extend(cms_tampering());
    write_corpus(&attacks);
    attacks
}

fn attack(name: &'static str, bytes: Vec<u8>, verdict: Verdict, codes: &[&'static str]) -> Attack {
    Attack {
        name,
        bytes,
        verdict,
        codes: codes.to_vec(),
    }
}

fn leader() -> KeySigner {
    pki().signer("leader").expect("leader")
}

// ---- Universal Signature Forgery ------------------------------------------------------------

fn universal_signature_forgery() -> Vec<Attack> {
    use Verdict::*;
    let base = base_pdf();
    let spec = Spec::default();
    let forged = |edit: &dyn Fn(&mut Forge)| {
        let mut forge = Forge::prepare(&base, &spec);
        edit(&mut forge);
        forge.bytes
    };
    let signed_over = |ranges: &dyn Fn(&Forge) -> [usize; 4],
                       text: &dyn Fn([usize; 4]) -> String| {
        let mut forge = Forge::prepare(&base, &spec);
        let values = ranges(&forge);
        forge.write_byte_range(&text(values));
        forge.sign_ranges(values, &leader());
        forge.bytes
    };
    let standard = |forge: &mut Forge| {
        let values = forge.standard_ranges();
        forge.write_byte_range(&format!(
            "[{} {} {} {}]",
            values[0], values[1], values[2], values[3]
        ));
    };
    vec![
        attack(
            "usf_contents_missing",
            forged(&|f| {
                standard(f);
                f.write_contents("");
                let at = f.slot.contents.start;
                f.remove_key_before(b"/Contents", at);
            }),
            Malformed,
            &["malformed"],
        ),
        attack(
            "usf_contents_null",
            forged(&|f| {
                standard(f);
                f.write_contents("null");
            }),
            Malformed,
            &["malformed"],
        ),
        attack(
            "usf_contents_empty",
            forged(&|f| {
                standard(f);
                f.write_contents("<>");
            }),
            Malformed,
            &["malformed"],
        ),
        attack(
            "usf_contents_zero_filled",
            forged(&|f| standard(f)),
            Malformed,
            &["malformed"],
        ),
        attack(
            "usf_byte_range_missing",
            forged(&|f| {
                let values = f.standard_ranges();
                f.sign_ranges(values, &leader());
                f.write_byte_range("");
                let at = f.slot.byte_range.start;
                f.remove_key_before(b"/ByteRange", at);
            }),
            Malformed,
            &["malformed"],
        ),
        attack(
            "usf_byte_range_empty",
            forged(&|f| {
                let values = f.standard_ranges();
                f.sign_ranges(values, &leader());
                f.write_byte_range("[]");
            }),
            Malformed,
            &["malformed"],
        ),
        attack(
            "usf_byte_range_negative",
            forged(&|f| {
                let [_, a, b, c] = f.standard_ranges();
                f.sign_ranges([0, a, b, c], &leader());
                f.write_byte_range(&format!("[0 -{a} {b} {c}]"));
            }),
            Malformed,
            &["malformed"],
        ),
        attack(
            "usf_byte_range_overlapping",
            forged(&|f| {
                let [_, a, b, c] = f.standard_ranges();
                f.sign_ranges([0, a, b, c], &leader());
                f.write_byte_range(&format!("[0 {} {} {}]", b + 10, b, c));
            }),
            Malformed,
            &["malformed"],
        ),
        attack(
            "usf_byte_range_beyond_eof",
            forged(&|f| {
                let [_, a, b, c] = f.standard_ranges();
                f.sign_ranges([0, a, b, c], &leader());
                f.write_byte_range(&format!("[0 {a} {b} {}]", c + 1000));
            }),
            Malformed,
            &["malformed"],
        ),
        attack(
            "usf_byte_range_partial",
            signed_over(
                &|f| {
                    let [_, a, b, c] = f.standard_ranges();
                    [0, a, b, c - 200]
                },
                &|[s, a, b, c]| format!("[{s} {a} {b} {c}]"),
            ),
            InvalidModified,
            &["coverage"],
        ),
        attack(
            "usf_byte_range_not_from_zero",
            signed_over(
                &|f| {
                    let [_, a, b, c] = f.standard_ranges();
                    [100, a - 100, b, c]
                },
                &|[s, a, b, c]| format!("[{s} {a} {b} {c}]"),
            ),
            InvalidModified,
            &["coverage"],
        ),
    ]
}

// ---- Incremental Saving Attacks -------------------------------------------------------------

fn incremental_saving() -> Vec<Attack> {
    use Verdict::*;
    let signed = sign(&base_pdf(), &Spec::default());
    let document = Document::load(signed.clone()).expect("signed loads");
    let page = document.pages().expect("pages")[0].clone();
    let content = page
        .dict
        .get("Contents")
        .and_then(Object::as_reference)
        .expect("page content ref");
    let evil = "BT /F0 13 Tf 100 700 Td (Số: 99/KH-GIẢ) Tj ET";

    let mut no_xref = signed.clone();
    no_xref.extend_from_slice(
        format!(
            "{} 0 obj\n<< /Length {} >>\nstream\n{evil}\nendstream\nendobj\n",
            content.number,
            evil.len()
        )
        .as_bytes(),
    );

    let mut old_xref = no_xref.clone();
    let old_startxref = document.revisions().last().expect("rev").xref_offset();
    old_xref.extend_from_slice(
        format!("trailer\n<< /Size 60 /Root 1 0 R >>\nstartxref\n{old_startxref}\n%%EOF\n")
            .as_bytes(),
    );

    let replaced = update(&signed, |_, writer| {
        writer
            .set(
                content,
                Object::Stream(Stream::new(Dict::new(), evil.as_bytes().to_vec())),
            )
            .expect("content");
    });
    let added = update(&signed, |_, writer| {
        let extra = writer
            .add(Object::Stream(Stream::new(
                Dict::new(),
                evil.as_bytes().to_vec(),
            )))
            .expect("extra");
        let mut dict = page.dict.clone();
        dict.insert(
            "Contents",
            Object::Array(vec![Object::Ref(content), Object::Ref(extra)]),
        );
        writer
            .set(page.reference, Object::Dict(dict))
            .expect("page");
    });
    vec![
        attack("isa_appended_objects_without_xref", no_xref, Malformed, &[]),
        attack("isa_trailer_pointing_at_old_xref", old_xref, Malformed, &[]),
        attack(
            "isa_update_replaces_page_content",
            replaced,
            InvalidModified,
            &["disallowed-change"],
        ),
        attack(
            "isa_update_adds_page_content",
            added,
            InvalidModified,
            &["disallowed-change"],
        ),
    ]
}

// ---- Signature Wrapping ---------------------------------------------------------------------

/// The signature dictionary is redefined in an update whose `/ByteRange` moves the second
/// range onto a copy of the originally signed bytes, so that the digest still matches while
/// the gap now hides the attacker's objects.
fn signature_wrapping() -> Attack {
    let signed = sign(&base_pdf(), &Spec::default());
    let document = Document::load(signed.clone()).expect("signed loads");
    let field = document
        .fields()
        .expect("fields")
        .into_iter()
        .find(|f| f.name == "chu_ky")
        .expect("field");
    let sig_ref = field
        .dict
        .get("V")
        .and_then(Object::as_reference)
        .expect("sig");
    let Ok(Object::Dict(sig)) = document.get(sig_ref) else {
        panic!("signature dictionary")
    };
    let values: Vec<usize> = sig
        .get("ByteRange")
        .and_then(Object::as_array)
        .expect("range")
        .iter()
        .map(|v| v.as_i64().expect("int") as usize)
        .collect();
    let (b, c) = (values[2], values[3]);
    let second = signed[b..b + c].to_vec();
    let build = |copy_at: usize| {
        update(&signed, |_, writer| {
            let mut wrapped = sig.clone();
            let range = [0, values[1], copy_at, c];
            wrapped.insert(
                "ByteRange",
                Object::Array(range.iter().map(|&v| Object::Integer(v as i64)).collect()),
            );
            writer.set(sig_ref, Object::Dict(wrapped)).expect("sig");
            writer
                .add(Object::Stream(Stream::new(Dict::new(), second.clone())))
                .expect("copy");
        })
    };
    // The copy's offset depends on the width of the numbers before it: iterate to the fixed
    // point.
    let mut copy_at = signed.len();
    let mut bytes = build(copy_at);
    for _ in 0..3 {
        copy_at = find(&bytes, &second, signed.len()).expect("copy of the second range");
        bytes = build(copy_at);
    }
    assert_eq!(find(&bytes, &second, signed.len()), Some(copy_at));
    let mut digest = ring::digest::Context::new(&ring::digest::SHA256);
    digest.update(&bytes[..values[1]]);
    digest.update(&bytes[copy_at..copy_at + c]);
    let mut original = ring::digest::Context::new(&ring::digest::SHA256);
    original.update(&signed[..values[1]]);
    original.update(&signed[b..b + c]);
    assert_eq!(
        digest.finish().as_ref(),
        original.finish().as_ref(),
        "the wrapped range still hashes to the signed digest"
    );
    attack(
        "swa_second_range_moved",
        bytes,
        Verdict::InvalidModified,
        &["disallowed-change"],
    )
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

// ---- Shadow attacks -------------------------------------------------------------------------

fn shadow() -> Vec<Attack> {
    use Verdict::*;
    let base = base_pdf();
    let document = Document::load(base.clone()).expect("base");
    let page = document.pages().expect("pages")[0].clone();
    let content = page
        .dict
        .get("Contents")
        .and_then(Object::as_reference)
        .expect("content");

    // Hide via a cover XObject: prepared before signing, emptied after.
    let mut cover_ref = None;
    let prepared = update(&base, |_, writer| {
        let cover = writer
            .add(appearance_stream(b"1 1 1 rg 0 0 50 20 re f"))
            .expect("cover");
        let draw = writer
            .add(Object::Stream(Stream::new(
                Dict::new(),
                b"q 10 0 0 10 100 600 cm /Cover Do Q".to_vec(),
            )))
            .expect("draw");
        let mut dict = page.dict.clone();
        let mut resources = page
            .attribute("Resources")
            .and_then(Object::as_dict)
            .cloned()
            .unwrap_or_default();
        let mut xobjects = Dict::new();
        xobjects.insert("Cover", Object::Ref(cover));
        resources.insert("XObject", Object::Dict(xobjects));
        dict.insert("Resources", Object::Dict(resources));
        dict.insert(
            "Contents",
            Object::Array(vec![Object::Ref(content), Object::Ref(draw)]),
        );
        writer
            .set(page.reference, Object::Dict(dict))
            .expect("page");
        cover_ref = Some(cover);
    });
    let cover_ref = cover_ref.expect("cover");
    let signed_cover = sign(&prepared, &Spec::default());
    let hide_cover = update(&signed_cover, |_, writer| {
        writer
            .set(cover_ref, appearance_stream(b""))
            .expect("empty cover");
    });

    let signed = sign(&base, &Spec::default());
    let overlay = annotate(
        &signed,
        "Square",
        [50.0, 600.0, 500.0, 700.0],
        "che nội dung",
    );

    let font = page
        .attribute("Resources")
        .and_then(Object::as_dict)
        .and_then(|r| r.get("Font"))
        .and_then(Object::as_dict)
        .and_then(|fonts| fonts.iter().next().map(|(_, v)| v.clone()))
        .and_then(|v| v.as_reference())
        .expect("page font");
    let replace_font = update(&signed, |document, writer| {
        let Ok(Object::Dict(mut dict)) = document.get(font) else {
            panic!("font dict")
        };
        let cmap = writer
            .add(Object::Stream(Stream::new(
                Dict::new(),
                b"% remapped".to_vec(),
            )))
            .expect("cmap");
        dict.insert("ToUnicode", Object::Ref(cmap));
        writer.set(font, Object::Dict(dict)).expect("font");
    });

    let replace_field = fill(&signed, "so", "99/KH-GIẢ");
    let certified_p1 = sign(
        &base,
        &Spec {
            certify: Some(1),
            ..Spec::default()
        },
    );
    let replace_field_p1 = fill(&certified_p1, "so", "99/KH-GIẢ");
    let field_ap = {
        let field = document
            .fields()
            .expect("fields")
            .into_iter()
            .find(|f| f.name == "so")
            .expect("so");
        field
            .dict
            .get("AP")
            .and_then(Object::as_dict)
            .and_then(|ap| ap.get("N"))
            .and_then(Object::as_reference)
            .expect("so has an indirect normal appearance")
    };
    let replace_field_ap = update(&signed, |_, writer| {
        writer
            .set(
                field_ap,
                appearance_stream("BT /F0 13 Tf 2 5 Td (99/KH-GIẢ) Tj ET".as_bytes()),
            )
            .expect("ap");
    });

    let mut shadow_ref = None;
    let with_shadow = update(&base, |_, writer| {
        shadow_ref = Some(
            writer
                .add(Object::Stream(Stream::new(
                    Dict::new(),
                    "BT /F0 13 Tf 100 700 Td (Nội dung thay thế) Tj ET"
                        .as_bytes()
                        .to_vec(),
                )))
                .expect("shadow"),
        );
    });
    let shadow_ref = shadow_ref.expect("shadow");
    let signed_shadow = sign(&with_shadow, &Spec::default());
    let repoint = update(&signed_shadow, |document, writer| {
        let page = document.pages().expect("pages")[0].clone();
        let mut dict = page.dict.clone();
        dict.insert("Contents", Object::Ref(shadow_ref));
        writer
            .set(page.reference, Object::Dict(dict))
            .expect("page");
    });

    vec![
        attack(
            "shadow_hide_cover_xobject",
            hide_cover,
            InvalidModified,
            &["disallowed-change"],
        ),
        attack(
            "shadow_hide_annotation_overlay",
            overlay,
            InvalidModified,
            &["permissions"],
        ),
        attack(
            "shadow_replace_font_redefinition",
            replace_font,
            InvalidModified,
            &["disallowed-change"],
        ),
        attack(
            "shadow_replace_form_field_value",
            replace_field,
            ValidWithAllowedChanges,
            &["allowed-changes"],
        ),
        attack(
            "shadow_replace_form_field_under_p1",
            replace_field_p1,
            InvalidModified,
            &["permissions"],
        ),
        attack(
            "shadow_replace_form_field_appearance_in_place",
            replace_field_ap,
            InvalidModified,
            &["disallowed-change"],
        ),
        attack(
            "shadow_hide_and_replace_repoint_contents",
            repoint,
            InvalidModified,
            &["disallowed-change"],
        ),
    ]
}

// ---- Certification attacks ------------------------------------------------------------------

fn attacker() -> KeySigner {
    let chain = common::keys::ecdsa_chain();
    let ders = chain
        .certs
        .iter()
        .map(|c| der::Encode::to_der(c).expect("der"))
        .collect();
    KeySigner::from_pkcs8(Zeroizing::new(chain.leaf_pkcs8.clone()), ders).expect("attacker")
}

fn certification() -> Vec<Attack> {
    use Verdict::*;
    let base = base_pdf();
    let certified = |p| {
        sign(
            &base,
            &Spec {
                certify: Some(p),
                ..Spec::default()
            },
        )
    };
    let p1 = certified(1);
    let p2 = certified(2);
    let evil = |pdf: &[u8]| {
        annotate(
            pdf,
            "FreeText",
            [50.0, 600.0, 500.0, 700.0],
            "Số tiền: 900.000.000 đồng",
        )
    };
    let sneaky_spec = Spec {
        field: "chu_ky_gia",
        rect: [50.0, 600.0, 300.0, 700.0],
        ..Spec::default()
    };
    let sneaky = sign_with(&p2, &sneaky_spec, &attacker(), |cms| cms);
    let sneaky_p1 = sign_with(
        &p1,
        &Spec {
            field: "chu_ky_gia",
            ..Spec::default()
        },
        &attacker(),
        |cms| cms,
    );
    let empty_field = update(&p2, |document, writer| {
        let page = document.pages().expect("pages")[0].clone();
        let ap = writer
            .add(appearance_stream(
                "BT /F0 13 Tf 2 5 Td (Đã duyệt) Tj ET".as_bytes(),
            ))
            .expect("ap");
        let widget = writer.allocate().expect("widget");
        let mut dict = Dict::new();
        dict.insert("Type", Object::name("Annot"));
        dict.insert("Subtype", Object::name("Widget"));
        dict.insert("FT", Object::name("Sig"));
        dict.insert("T", Object::String(PdfString::text("o_trong")));
        dict.insert(
            "Rect",
            Object::Array(vec![
                Object::Integer(50),
                Object::Integer(600),
                Object::Integer(300),
                Object::Integer(700),
            ]),
        );
        let mut ap_dict = Dict::new();
        ap_dict.insert("N", Object::Ref(ap));
        dict.insert("AP", Object::Dict(ap_dict));
        dict.insert("P", Object::Ref(page.reference));
        writer.set(widget, Object::Dict(dict)).expect("widget");
        let mut catalog = document.catalog().expect("catalog");
        let (_, mut form) = common::signed_pdf::acroform(document, &catalog);
        let mut fields = form
            .get("Fields")
            .and_then(Object::as_array)
            .map(<[Object]>::to_vec)
            .unwrap_or_default();
        fields.push(Object::Ref(widget));
        form.insert("Fields", Object::Array(fields));
        catalog.insert("AcroForm", Object::Dict(form));
        writer
            .set(
                common::signed_pdf::root_ref(document),
                Object::Dict(catalog),
            )
            .expect("catalog");
        let mut page_dict = page.dict.clone();
        let mut annots = page_dict
            .get("Annots")
            .and_then(Object::as_array)
            .map(<[Object]>::to_vec)
            .unwrap_or_default();
        annots.push(Object::Ref(widget));
        page_dict.insert("Annots", Object::Array(annots));
        writer
            .set(page.reference, Object::Dict(page_dict))
            .expect("page");
    });
    vec![
        attack(
            "cert_p2_evil_annotation",
            evil(&p2),
            InvalidModified,
            &["permissions"],
        ),
        attack(
            "cert_p1_evil_annotation",
            evil(&p1),
            InvalidModified,
            &["permissions"],
        ),
        attack(
            "cert_p2_sneaky_signature",
            sneaky,
            InvalidModified,
            &["permissions"],
        ),
        attack(
            "cert_p1_sneaky_signature",
            sneaky_p1,
            InvalidModified,
            &["permissions"],
        ),
        attack(
            "cert_p2_sneaky_empty_signature_field",
            empty_field,
            InvalidModified,
            &["permissions"],
        ),
    ]
}

// ---- CMS tampering --------------------------------------------------------------------------

/// The leader's key with another certificate chain (the organisation's).
struct Swapped {
    key: KeySigner,
    chain: Vec<Vec<u8>>,
}

impl Signer for Swapped {
    fn algorithm(&self) -> SignatureAlgorithm {
        self.key.algorithm()
    }

    fn certificate_chain(&self) -> &[Vec<u8>] {
        &self.chain
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignerError> {
        self.key.sign(message)
    }
}

fn cms_tampering() -> Vec<Attack> {
    use Verdict::*;
    let base = base_pdf();
    let spec = Spec::default();
    let message_digest_oid = [
        0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x04,
    ];
    let digest_changed = sign_with(&base, &spec, &leader(), |mut cms| {
        let at = find(&cms, &message_digest_oid, 0).expect("messageDigest attribute");
        // OID, SET header (2), OCTET STRING header (2), then the digest.
        let digest_at = at + message_digest_oid.len() + 4;
        cms[digest_at] ^= 0xff;
        cms
    });
    let flipped = sign_with(&base, &spec, &leader(), |mut cms| {
        let last = cms.len() - 1;
        cms[last] ^= 0x01;
        cms
    });
    let swapped_signer = Swapped {
        key: leader(),
        chain: pki().chain("org"),
    };
    let swapped = sign_with(&base, &spec, &swapped_signer, |cms| cms);
    let _ = cms_for;
    vec![
        attack(
            "cms_message_digest_changed",
            digest_changed,
            InvalidCrypto,
            &["crypto", "digest-mismatch"],
        ),
        attack(
            "cms_signature_value_flipped",
            flipped,
            InvalidCrypto,
            &["crypto"],
        ),
        attack(
            "cms_signer_certificate_swapped",
            swapped,
            InvalidCrypto,
            &["crypto"],
        ),
    ]
}

// ---- checks ---------------------------------------------------------------------------------

fn write_corpus(attacks: &[Attack]) {
    let mut dirs = vec![PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("attacks")];
    if std::env::var_os("VANBAN_WRITE_ATTACKS").is_some() {
        dirs.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/attacks"));
    }
    for dir in dirs {
        std::fs::create_dir_all(&dir).expect("attack dir");
        for attack in attacks {
            std::fs::write(dir.join(format!("{}.pdf", attack.name)), &attack.bytes)
                .expect("write attack");
        }
    }
}

fn check(name: &str) -> Report {
    let attack = corpus()
        .iter()
        .find(|a| a.name == name)
        .unwrap_or_else(|| panic!("no attack {name}"));
    let report = verify(&attack.bytes);
    assert_eq!(
        report.verdict(),
        Some(attack.verdict),
        "{name}: {}",
        report.to_text(vanban::verify::status::Lang::En)
    );
    if attack.codes.is_empty() {
        assert!(report.malformed.is_some(), "{name}: file-level malformed");
    } else {
        let codes: Vec<&str> = report.signatures[0]
            .judge()
            .1
            .iter()
            .map(|r| r.code)
            .collect();
        assert_eq!(codes, attack.codes, "{name}: {report:#?}");
    }
    report
}

macro_rules! attack_tests {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                check(stringify!($name));
            }
        )*
    };
}

attack_tests!(
    usf_contents_missing,
    usf_contents_null,
    usf_contents_empty,
    usf_contents_zero_filled,
    usf_byte_range_missing,
    usf_byte_range_empty,
    usf_byte_range_negative,
    usf_byte_range_overlapping,
    usf_byte_range_beyond_eof,
    usf_byte_range_partial,
    usf_byte_range_not_from_zero,
    isa_appended_objects_without_xref,
    isa_trailer_pointing_at_old_xref,
    isa_update_replaces_page_content,
    isa_update_adds_page_content,
    swa_second_range_moved,
    shadow_hide_cover_xobject,
    shadow_hide_annotation_overlay,
    shadow_replace_font_redefinition,
    shadow_replace_form_field_value,
    shadow_replace_form_field_under_p1,
    shadow_replace_form_field_appearance_in_place,
    shadow_hide_and_replace_repoint_contents,
    cert_p2_evil_annotation,
    cert_p1_evil_annotation,
    cert_p2_sneaky_signature,
    cert_p1_sneaky_signature,
    cert_p2_sneaky_empty_signature_field,
    cms_message_digest_changed,
    cms_signature_value_flipped,
    cms_signer_certificate_swapped,
);

/// src/verify/attacks.rs explains every file of the corpus, and lists no file that is missing.
#[test]
fn every_case_is_explained_in_the_attack_table() {
    use vanban::verify::attacks::{ATTACKS, class_of};
    let built: std::collections::BTreeSet<&str> = corpus().iter().map(|a| a.name).collect();
    for name in &built {
        assert!(
            class_of(name).is_some(),
            "{name} is not explained in src/verify/attacks.rs"
        );
    }
    for class in ATTACKS {
        for case in class.cases {
            assert!(
                built.contains(case),
                "{case} ({}) has no file in the corpus",
                class.name
            );
        }
    }
}

#[test]
fn the_form_field_replacement_is_shown_to_the_clerk() {
    let report = check("shadow_replace_form_field_value");
    let text = report.to_text(vanban::verify::status::Lang::Vi);
    assert!(text.contains("99/KH-GIẢ"), "{text}");
}

#[test]
fn no_hostile_file_passes_silently() {
    for attack in corpus() {
        let report = verify(&attack.bytes);
        let passes = report.exit_code() == 0;
        let expected = attack.verdict.passes();
        assert_eq!(passes, expected, "{}", attack.name);
    }
    assert!(corpus().len() >= 31);
}

/// What pdfsig says about one file: Some(true) when it calls every signature valid (its
/// "not total document signed" note aside), Some(false) otherwise, None when it could not
/// read the file.
fn pdfsig_says_valid(db: &str, file: &Path) -> (Option<bool>, bool) {
    let output = Command::new("pdfsig")
        .args(["-nssdir", db])
        .arg(file)
        .output()
        .expect("run pdfsig");
    let text = String::from_utf8_lossy(&output.stdout);
    let validations: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("Signature Validation:"))
        .collect();
    if validations.is_empty() {
        return (None, false);
    }
    let all_valid = validations.iter().all(|l| l.contains("Signature is Valid"));
    let partial_note = text.to_lowercase().contains("not total document signed");
    (Some(all_valid), partial_note)
}

#[test]
fn pdfsig_on_the_attack_corpus() {
    if Command::new("pdfsig").arg("-v").output().is_err() {
        panic!("pdfsig is not installed (.ci/run installs poppler-utils)");
    }
    let dir = tempfile::tempdir().expect("dir");
    let db = format!("sql:{}", dir.path().display());
    let root = dir.path().join("root.pem");
    std::fs::write(&root, pki().entity("root").expect("root").certificate_pem()).expect("root");
    let ok = Command::new("certutil")
        .args(["-N", "--empty-password", "-d", &db])
        .status()
        .expect("certutil")
        .success();
    assert!(ok, "certutil -N");
    let ok = Command::new("certutil")
        .args(["-A", "-n", "vanban-root", "-t", "C,,", "-d", &db, "-i"])
        .arg(&root)
        .status()
        .expect("certutil")
        .success();
    assert!(ok, "certutil -A");
    let files = dir.path().join("files");
    std::fs::create_dir_all(&files).expect("dir");
    let mut table: BTreeMap<&str, (Option<bool>, bool, Verdict)> = BTreeMap::new();
    for attack in corpus() {
        let path = files.join(format!("{}.pdf", attack.name));
        std::fs::write(&path, &attack.bytes).expect("write");
        let (valid, partial) = pdfsig_says_valid(&db, &path);
        let ours = verify(&attack.bytes).verdict().expect("a verdict");
        table.insert(attack.name, (valid, partial, ours));
    }
    let mut wrongly_valid = 0;
    let mut wrongly_valid_without_note = 0;
    println!("{:<48} {:<28} vanban", "attack", "pdfsig");
    for (name, (valid, partial, ours)) in &table {
        let hostile = !ours.passes();
        let pdfsig = match (valid, partial) {
            (None, _) => "cannot read".to_owned(),
            (Some(true), true) => "valid (not total document)".to_owned(),
            (Some(true), false) => "valid".to_owned(),
            (Some(false), _) => "invalid".to_owned(),
        };
        if hostile && *valid == Some(true) {
            wrongly_valid += 1;
            if !partial {
                wrongly_valid_without_note += 1;
            }
        }
        println!("{name:<48} {pdfsig:<28} {ours:?}");
    }
    let hostile = table.values().filter(|(_, _, ours)| !ours.passes()).count();
    println!(
        "pdfsig calls {wrongly_valid} of {hostile} rejected files valid ({wrongly_valid_without_note} without any note)"
    );
    // The verifier itself never passes one of them (checked above); pdfsig read most of them.
    assert!(table.values().filter(|(v, _, _)| v.is_some()).count() >= hostile / 2);
    let _ = (attach, signature_dict, cms_for);
}
