//! PDF rendering checked against real peers: qpdf, pdffonts, pdftotext.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::samples;
use vanban::compose::{Composed, Role};
use vanban::layout::font::FontBook;
use vanban::layout::page::{Item, Pages};
use vanban::layout::style::PageGeometry;
use vanban::render::pdf::{PdfError, PdfOptions, PdfOutput, SlotName, render};

fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vanban-render-pdf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn write(name: &str, bytes: &[u8]) -> PathBuf {
    let path = temp_dir().join(name);
    std::fs::write(&path, bytes).expect("write pdf");
    path
}

fn run(program: &str, args: &[&str], path: &Path) -> (bool, String, String) {
    let output = Command::new(program)
        .args(args)
        .arg(path)
        .output()
        .unwrap_or_else(|error| panic!("{program} must be installed: {error}"));
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn rendered(composed: &Composed) -> PdfOutput {
    render(composed, &PdfOptions::default()).expect("renders")
}

/// qpdf finds no damage; every font is an embedded subset.
fn assert_structure(path: &Path) {
    let (ok, out, err) = run("qpdf", &["--check"], path);
    assert!(ok, "qpdf --check failed: {out}{err}");
    assert!(out.contains("No syntax or stream encoding errors"), "{out}");
    assert!(err.trim().is_empty(), "qpdf warnings: {err}");
    let (ok, out, _) = run("pdffonts", &[], path);
    assert!(ok);
    let fonts: Vec<&str> = out.lines().skip(2).collect();
    assert!(!fonts.is_empty(), "{out}");
    for line in fonts {
        let columns: Vec<&str> = line.split_whitespace().collect();
        let name = columns[0];
        assert!(
            name.len() > 7 && name.as_bytes()[6] == b'+',
            "subset tag missing: {line}"
        );
        assert!(
            line.contains("CID TrueType") && line.contains("Identity-H"),
            "{line}"
        );
        // emb sub uni columns
        let n = columns.len();
        assert_eq!(&columns[n - 5..n - 2], &["yes", "yes", "yes"], "{line}");
    }
}

/// pdftotext gives back every paragraph with its diacritics, in reading order.
fn assert_text(path: &Path, composed: &Composed) {
    let (ok, _, err) = run("pdftotext", &["-raw", "-enc", "UTF-8"], path);
    assert!(ok, "{err}");
    let text = std::fs::read_to_string(path.with_extension("txt")).expect("pdftotext output");
    let pages: Vec<String> = text
        .split('\u{c}')
        .map(|page| {
            let mut lines: Vec<&str> = page
                .lines()
                .filter(|line| !line.trim().is_empty())
                .collect();
            if lines
                .last()
                .is_some_and(|line| line.trim().chars().all(|c| c.is_ascii_digit()))
            {
                lines.pop(); // the page number, drawn last
            }
            lines.join("\n")
        })
        .collect();
    let regions = composed.regions();
    // A draft's number and place-date lines are drawn by their text fields' appearances,
    // which pdftotext -raw reads after page 1's content: they end page 1's text.
    let field_lines: String = regions
        .number
        .iter()
        .chain(&regions.place_date)
        .filter(|block| is_field_line(block))
        .flat_map(|block| {
            let single = Composed {
                meta: composed.meta.clone(),
                blocks: vec![(*block).clone()],
            };
            single.texts()
        })
        .map(|text| squash(&text))
        .collect();
    let mut pages: Vec<String> = pages.iter().map(|page| squash(page)).collect();
    if let Some(first) = pages.first_mut() {
        assert!(
            first.ends_with(&field_lines),
            "page 1 ends with the field lines {field_lines:?}: …{}",
            &first[char_boundary(first, first.len().saturating_sub(120))..]
        );
        first.truncate(first.len() - field_lines.len());
    }
    let all = pages.concat();
    assert!(unicode_normalization::is_nfc(&all));
    let ordered = regions
        .issuer
        .iter()
        .chain(&regions.national)
        .chain(regions.number.iter().filter(|block| !is_field_line(block)))
        .chain(
            regions
                .place_date
                .iter()
                .filter(|block| !is_field_line(block)),
        )
        .chain(&regions.stamps)
        .chain(&regions.main)
        .chain(&regions.recipients)
        .chain(&regions.signature)
        .chain(regions.appendices.iter().flatten());
    let mut cursor = 0;
    for block in ordered {
        let single = Composed {
            meta: composed.meta.clone(),
            blocks: vec![(*block).clone()],
        };
        for expected in single.texts() {
            let expected = squash(&expected);
            match all[cursor..].find(&expected) {
                Some(at) => cursor += at + expected.len(),
                None => panic!(
                    "{:?} ({}) not found in order after …{}",
                    expected,
                    block.origin,
                    &all[char_boundary(&all, cursor.saturating_sub(80))..cursor]
                ),
            }
        }
    }
    for block in regions.address.iter().chain(&regions.top_band) {
        let single = Composed {
            meta: composed.meta.clone(),
            blocks: vec![(*block).clone()],
        };
        for expected in single.texts() {
            assert!(all.contains(&squash(&expected)), "{expected} missing");
        }
    }
}

/// The nearest char boundary at or before `at`.
fn char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// A block with a slot still empty: drawn by its field on a draft.
fn is_field_line(block: &vanban::compose::Block) -> bool {
    match &block.content {
        vanban::compose::Content::Text(runs) => runs
            .iter()
            .any(|run| run.slot.is_some() && run.text.is_empty()),
        _ => false,
    }
}

fn check_with_peers(name: &str, composed: &Composed) -> PdfOutput {
    let output = rendered(composed);
    let path = write(&format!("{name}.pdf"), &output.bytes);
    assert_structure(&path);
    assert_text(&path, composed);
    let again = rendered(composed);
    assert!(again.bytes == output.bytes, "{name}: two renders differ");
    output
}

#[test]
fn ke_hoach_draft_passes_the_peers() {
    let output = check_with_peers("ke_hoach_draft", &samples::ke_hoach(false));
    assert!(output.pages >= 3, "{} pages", output.pages);
    assert!(
        output.bytes.len() <= 100 * 1024,
        "{} bytes",
        output.bytes.len()
    );
}

#[test]
fn ke_hoach_numbered_passes_the_peers() {
    let output = check_with_peers("ke_hoach_numbered", &samples::ke_hoach(true));
    let path = write("ke_hoach_numbered_text.pdf", &output.bytes);
    let (_, _, _) = run("pdftotext", &["-raw", "-f", "1", "-l", "1"], &path);
    let text = std::fs::read_to_string(path.with_extension("txt")).unwrap();
    assert!(text.contains("Số: 36/KH-CĐN"), "{text}");
    assert!(
        text.contains("Đồng Nai, ngày 20 tháng 3 năm 2020"),
        "{text}"
    );
}

#[test]
fn quyet_dinh_with_table_and_appendix_passes_the_peers() {
    let output = check_with_peers("quyet_dinh", &samples::quyet_dinh());
    assert!(output.pages >= 3);
}

#[test]
fn cong_van_passes_the_peers() {
    check_with_peers("cong_van", &samples::cong_van());
}

fn layout_of(composed: &Composed) -> Pages {
    vanban::layout::layout(composed, FontBook::embedded(), PageGeometry::A4)
}

/// The layout property: no laid-out text is wider than its measure.
fn assert_within_measure(pages: &Pages) {
    for (index, page) in pages.pages.iter().enumerate() {
        for item in &page.items {
            if let Item::Text(text) = item {
                let (left, right) = text.measure;
                assert!(
                    text.x >= left - 0.01,
                    "page {index}: {:?} starts before its measure",
                    text.text()
                );
                assert!(
                    text.x + text.ink_width() <= right + 0.01,
                    "page {index}: {:?} ends at {} past {}",
                    text.text(),
                    text.x + text.ink_width(),
                    right
                );
            }
        }
    }
}

#[test]
fn no_line_is_wider_than_its_measure() {
    for composed in [
        samples::ke_hoach(false),
        samples::ke_hoach(true),
        samples::quyet_dinh(),
        samples::cong_van(),
    ] {
        assert_within_measure(&layout_of(&composed));
    }
    // Exhaustive over generated paragraphs: many word mixes at many measures.
    let words = [
        "Công",
        "đoàn",
        "ngành",
        "Y",
        "tế",
        "(CNVCLĐ),",
        "thi",
        "đua,",
        "khen",
        "thưởng",
        "–",
        "./.",
        "Nghị",
        "quyết",
        "07/NQ-TLĐ",
        "ĐỔI",
        "MỚI",
        "hiệu",
        "quả;",
        "Liên",
        "đoàn",
        "Lao",
        "động",
        "tỉnh",
        "Thành",
        "phố",
        "Hồ",
        "Chí",
        "Minh",
        "WWWWWWWWWWWWWWWWWW",
    ];
    let mut seed = 0x2545_f491_u32;
    for case in 0..300 {
        let mut text = String::new();
        for _ in 0..(5 + case % 60) {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            text.push_str(words[seed as usize % words.len()]);
            text.push(' ');
        }
        let mut composed = samples::cong_van();
        let body = composed
            .blocks
            .iter_mut()
            .find(|block| block.role == Role::Paragraph)
            .unwrap();
        *body = samples::block(
            if case % 3 == 0 {
                Role::Heading1
            } else {
                Role::Paragraph
            },
            &text,
            "body[0].text",
        );
        let issuer = composed
            .blocks
            .iter_mut()
            .find(|block| block.role == Role::IssuerName)
            .unwrap();
        *issuer = samples::block(Role::IssuerName, &text.to_uppercase(), "issuer.name");
        assert_within_measure(&layout_of(&composed));
    }
}

#[test]
fn draft_has_named_fields_at_the_slots() {
    let output = rendered(&samples::ke_hoach(false));
    let names: Vec<SlotName> = output.slots.iter().map(|slot| slot.name).collect();
    for name in [
        SlotName::Number,
        SlotName::Day,
        SlotName::Month,
        SlotName::Year,
        SlotName::Signature,
        SlotName::Seal,
    ] {
        assert!(names.contains(&name), "{name:?} missing");
    }
    let path = write("fields.pdf", &output.bytes);
    let (ok, json, err) = run("qpdf", &["--json", "--json-key=acroform"], &path);
    assert!(ok, "{err}");
    let json: serde_json::Value = serde_json::from_str(&json).expect("qpdf json");
    let fields = json["acroform"]["fields"].as_array().expect("fields");
    let find = |name: &str| {
        fields
            .iter()
            .find(|field| field["fullname"] == name)
            .unwrap_or_else(|| panic!("field {name} missing in {json}"))
    };
    for (name, kind) in [
        ("so", "/Tx"),
        ("ngay", "/Tx"),
        ("thang", "/Tx"),
        ("nam", "/Tx"),
        ("chu_ky", "/Sig"),
        ("dau", "/Sig"),
    ] {
        assert_eq!(find(name)["fieldtype"], kind, "{name}");
    }
    assert_eq!(find("so")["pageposfrom1"], 1);
    let raw = String::from_utf8_lossy(&output.bytes);
    assert!(
        raw.contains("/DA (/F0 13 Tf 0 g)"),
        "number field uses the embedded regular face"
    );
    assert!(
        raw.contains("/DA (/F2 14 Tf 0 g)"),
        "date fields use the embedded italic face"
    );
    // The number field draws the whole number line: its rectangle is the left column on
    // the number's baseline, and its widget carries the line's template.
    let number = output
        .slots
        .iter()
        .find(|slot| slot.name == SlotName::Number)
        .unwrap();
    let [x0, y0, x1, y1] = number.rect;
    assert!(x1 - x0 > 150.0 && y1 > y0);
    assert!(x0 >= vanban::layout::style::mm(30.0) - 0.01 && x1 < vanban::layout::style::mm(110.0));
    assert!(
        raw.contains("/VBLine [(Số: ) /so (/KH-CĐN)]") || raw.contains("/VBLine [<FEFF"),
        "the number line's template"
    );
    // Month and year keep their own blanks; the day's field draws the date line.
    let line = |name| {
        output
            .slots
            .iter()
            .find(|slot| slot.name == name)
            .and_then(|slot| slot.line.clone())
    };
    assert!(line(SlotName::Day).is_some());
    assert!(line(SlotName::Month).is_none() && line(SlotName::Year).is_none());
    // The seal overlaps the left third of the signature.
    let signature = output
        .slots
        .iter()
        .find(|slot| slot.name == SlotName::Signature)
        .unwrap();
    let seal = output
        .slots
        .iter()
        .find(|slot| slot.name == SlotName::Seal)
        .unwrap();
    let third = signature.rect[0] + (signature.rect[2] - signature.rect[0]) / 3.0;
    assert!(seal.rect[0] < signature.rect[0] && (seal.rect[2] - third).abs() < 0.01);
    assert_eq!(signature.page, output.pages - 1);
}

#[test]
fn numbered_document_prints_its_number_and_keeps_only_signature_fields() {
    let output = rendered(&samples::ke_hoach(true));
    let path = write("numbered_fields.pdf", &output.bytes);
    let (_, json, _) = run("qpdf", &["--json", "--json-key=acroform"], &path);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let names: Vec<&str> = json["acroform"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|field| field["fullname"].as_str())
        .collect();
    assert_eq!(names, ["chu_ky", "dau"]);
    let number = output
        .slots
        .iter()
        .find(|slot| slot.name == SlotName::Number)
        .unwrap();
    assert_eq!(number.value, "36");
}

#[test]
fn missing_glyph_names_the_field() {
    let mut composed = samples::cong_van();
    composed.blocks.push(samples::block(
        Role::Paragraph,
        "Ký tự lạ: 漢",
        "body[9].text",
    ));
    match render(&composed, &PdfOptions::default()) {
        Err(PdfError::Layout(diagnostics)) => {
            let first = diagnostics.iter().next().unwrap();
            assert_eq!(first.origin.to_string(), "body[9].text");
            assert_eq!(
                first.hint.as_deref(),
                Some("chọn phông có đủ dấu tiếng Việt")
            );
        }
        other => panic!(
            "expected a layout error, got {:?}",
            other.map(|out| out.pages)
        ),
    }
}

#[test]
fn page_numbers_from_page_two_and_restart_in_appendices() {
    let pages = layout_of(&samples::quyet_dinh());
    let numbers: Vec<Option<u32>> = pages.pages.iter().map(|page| page.number).collect();
    assert_eq!(numbers[0], None);
    assert_eq!(numbers[1], Some(2));
    let appendix = pages
        .pages
        .iter()
        .position(|page| {
            page.items
                .iter()
                .any(|item| matches!(item, Item::Text(text) if text.text().starts_with("Phụ lục")))
        })
        .expect("appendix page");
    assert_eq!(
        numbers[appendix], None,
        "page 1 of the appendix is unnumbered"
    );
}

#[test]
fn pdfa_metadata_and_output_intent_are_present() {
    let output = rendered(&samples::ke_hoach(true));
    let text = String::from_utf8_lossy(&output.bytes);
    assert!(text.contains("<pdfaid:part>2</pdfaid:part>"));
    assert!(text.contains("<pdfaid:conformance>B</pdfaid:conformance>"));
    assert!(text.contains("CÔNG ĐOÀN NGÀNH Y TẾ"), "dc:creator");
    assert!(text.contains("/GTS_PDFA1"));
    assert!(text.contains("2020-03-20T00:00:00+07:00"));
    let path = write("pdfa.pdf", &output.bytes);
    let (ok, info, _) = run("pdfinfo", &[], &path);
    assert!(ok);
    let field = |key: &str| {
        info.lines()
            .find_map(|line| line.strip_prefix(key).map(str::trim))
            .unwrap_or_default()
            .to_owned()
    };
    assert!(
        field("Title:").starts_with("Về đổi mới công tác thi đua"),
        "{info}"
    );
    assert_eq!(field("Author:"), "CÔNG ĐOÀN NGÀNH Y TẾ");
    assert!(
        field("Page size:").starts_with("595.276 x 841.89 pts (A4)"),
        "{info}"
    );
}

#[test]
fn user_font_files_can_replace_the_embedded_ones() {
    use vanban::render::pdf::{FontFiles, FontSource};
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts");
    let files = FontFiles {
        regular: dir.join("LiberationSerif-Regular.ttf"),
        bold: dir.join("LiberationSerif-Bold.ttf"),
        italic: dir.join("LiberationSerif-Italic.ttf"),
        bold_italic: dir.join("LiberationSerif-BoldItalic.ttf"),
    };
    let options = PdfOptions {
        fonts: FontSource::Files(files.clone()),
        ..PdfOptions::default()
    };
    let composed = samples::cong_van();
    let output = render(&composed, &options).expect("renders with user fonts");
    assert_eq!(output.pages, rendered(&composed).pages);
    let path = write("user_fonts.pdf", &output.bytes);
    assert_structure(&path);
    assert_text(&path, &composed);
    let missing = PdfOptions {
        fonts: FontSource::Files(FontFiles {
            regular: dir.join("times.ttf"),
            ..files
        }),
        ..PdfOptions::default()
    };
    assert!(matches!(
        render(&composed, &missing),
        Err(PdfError::Font(_))
    ));
}

#[test]
fn a_slot_repeated_in_the_appendix_is_one_field_with_two_widgets() {
    use vanban::compose::Content;
    let mut composed = samples::quyet_dinh();
    for block in &mut composed.blocks {
        if let Content::Text(runs) = &mut block.content {
            for run in runs.iter_mut().filter(|run| run.slot.is_some()) {
                run.text.clear();
            }
        }
    }
    let output = rendered(&composed);
    let numbers: Vec<usize> = output
        .slots
        .iter()
        .filter(|slot| slot.name == SlotName::Number)
        .map(|slot| slot.page)
        .collect();
    assert_eq!(numbers.len(), 2);
    assert_eq!(numbers[0], 0);
    assert!(numbers[1] > 0, "the appendix line is on a later page");
    let path = write("appendix_fields.pdf", &output.bytes);
    assert_structure(&path);
    let (_, json, _) = run("qpdf", &["--json", "--json-key=acroform"], &path);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let so: Vec<&serde_json::Value> = json["acroform"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|field| field["fullname"] == "so")
        .collect();
    assert_eq!(so.len(), 2, "two widgets of one field");
    assert!(so.iter().all(|widget| !widget["parent"].is_null()));
    assert_ne!(so[0]["pageposfrom1"], so[1]["pageposfrom1"]);
}

fn fixtures() -> Vec<PathBuf> {
    common::fixtures::paths()
}

/// Every fixture: qpdf clean, embedded subset fonts, every paragraph extracted in order with
/// its diacritics, byte-identical on a second render, no line wider than its measure.
#[test]
fn every_fixture_renders_and_passes_the_peers() {
    for path in fixtures() {
        let composed = vanban::compose::compose_path(&path)
            .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let output = check_with_peers(&name, &composed);
        assert!(
            output.diagnostics.is_empty(),
            "{name}: {}",
            output.diagnostics
        );
        assert_within_measure(&layout_of(&composed));
        let names: Vec<SlotName> = output.slots.iter().map(|slot| slot.name).collect();
        assert!(
            names.contains(&SlotName::Signature) && names.contains(&SlotName::Seal),
            "{name}"
        );
    }
}
