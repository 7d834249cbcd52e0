//! `vanban check`: the real binary on the fixtures and on small documents that each break one
//! FORMAT.md rule.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn vanban(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vanban"))
        .args(args)
        .output()
        .expect("run vanban")
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("exit code")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// `vanban check --json FILE` → (exit code, report).
fn check_json(file: &Path, extra: &[&str]) -> (i32, Value) {
    let file = file.to_str().expect("UTF-8 path");
    let mut args = vec!["check", "--json", file];
    args.extend_from_slice(extra);
    let output = vanban(&args);
    assert!(!String::from_utf8_lossy(&output.stderr).contains("panicked"));
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("JSON report ({e}): {}", stdout(&output)));
    (code(&output), report)
}

/// Write `yaml` to a temp dir and check it.
fn check_yaml(yaml: &str) -> (i32, Value) {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("doc.yaml");
    std::fs::write(&file, yaml).expect("write");
    check_json(&file, &[])
}

/// The diagnostics with `code`, as (severity, path).
fn found(report: &Value, code: &str) -> Vec<(String, String)> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == code)
        .map(|d| {
            let severity = d["severity"].as_str().unwrap_or_default().to_owned();
            (severity, d["path"].as_str().unwrap_or_default().to_owned())
        })
        .collect()
}

fn error_at(path: &str) -> Vec<(String, String)> {
    vec![("error".to_owned(), path.to_owned())]
}

fn warning_at(path: &str) -> Vec<(String, String)> {
    vec![("warning".to_owned(), path.to_owned())]
}

/// A clean plan; each test breaks one rule of it.
const CLEAN: &str = r#"
kind: ke_hoach
issuer: {parent: "LĐLĐ TỈNH ĐỒNG NAI", name: "CÔNG ĐOÀN NGÀNH Y TẾ", abbr: "CĐN", name_in_text: "Công đoàn ngành Y tế"}
number: {seq: 36, symbol: "KH-CĐN"}
place: "Đồng Nai"
date: "2020-03-20"
title: "Về đổi mới công tác thi đua, khen thưởng"
opening: "Thực hiện Kế hoạch số 94/KH-LĐ, Công đoàn ngành Y tế xây dựng kế hoạch như sau:"
body:
  - kind: section
    num: "I."
    title: "MỤC ĐÍCH, YÊU CẦU"
    children:
      - {kind: section, num: "1.", title: "Mục đích", children: [{kind: bullet, text: "Đổi mới việc tổ chức phong trào thi đua."}]}
      - {kind: section, num: "2.", title: "Yêu cầu", children: [{kind: bullet, text: "Thiết thực, hiệu quả."}]}
  - kind: section
    num: "II."
    title: "TỔ CHỨC THỰC HIỆN"
    children:
      - {kind: para, text: "Các công đoàn cơ sở triển khai kế hoạch này."}
closing:
  - {kind: para, text: "Trên đây là kế hoạch của Công đoàn ngành Y tế./."}
recipients:
  - {name: "Ban Thường vụ LĐLĐ tỉnh", purpose: "b/c"}
  - "Các CĐCS trực thuộc"
archive: {units: [VT, VP]}
signature: {authority: "TM. BAN THƯỜNG VỤ", title: "CHỦ TỊCH", name: "Phạm Thị Thu Trang"}
"#;

#[test]
fn seeds_001_to_004_pass() {
    for seed in [
        "001_f45657680f3c1ab3",
        "002_95e55954b96b2b89",
        "003_40cc82fbe8059212",
        "004_83e8ea72594d1b43",
    ] {
        let (code, report) = check_json(&fixtures().join(format!("seeds/{seed}.yaml")), &[]);
        assert_eq!(code, 0, "{seed}: {report:#}");
        assert_eq!(report["errors"], 0, "{seed}: {report:#}");
    }
}

#[test]
fn seed_001_reports_its_real_mistakes_as_warnings() {
    let (code, report) = check_json(&fixtures().join("seeds/001_f45657680f3c1ab3.yaml"), &[]);
    assert_eq!(code, 0);
    assert_eq!(found(&report, "end-mark-missing").len(), 1, "{report:#}");
    assert_eq!(
        found(&report, "appendix-unmentioned"),
        warning_at("appendices[0]")
    );
}

#[test]
fn seed_000_numbering_gap_is_an_error_at_its_path() {
    let (code, report) = check_json(&fixtures().join("seeds/000_3c75d7606830ec8b.yaml"), &[]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(found(&report, "numbering-gap"), error_at("body[2].num"));
    assert_eq!(report["errors"], 1, "{report:#}");
    assert!(
        report["file"]
            .as_str()
            .is_some_and(|f| f.ends_with("000_3c75d7606830ec8b.yaml"))
    );
    let gap = report["diagnostics"]
        .as_array()
        .and_then(|all| all.iter().find(|d| d["code"] == "numbering-gap"))
        .expect("gap");
    assert!(
        gap["message"]
            .as_str()
            .is_some_and(|m| m.contains("IV.") && m.contains("III.")),
        "{gap}"
    );
    assert!(gap["hint"].is_string());
    assert_eq!(
        found(&report, "copy-mark"),
        warning_at("signature.copy_mark")
    );
    assert_eq!(
        found(&report, "archive-without-vt"),
        warning_at("archive.units[0]")
    );
}

#[test]
fn seed_000_text_report_and_english() {
    let file = fixtures().join("seeds/000_3c75d7606830ec8b.yaml");
    let file = file.to_str().expect("path");
    let vi = vanban(&["check", file]);
    assert_eq!(code(&vi), 1);
    let text = stdout(&vi);
    assert!(
        text.contains("lỗi[numbering-gap]: body[2].num: đánh số nhảy cóc"),
        "{text}"
    );
    assert!(text.contains("1 lỗi"), "{text}");
    let en = vanban(&["check", "--lang", "en", file]);
    let text = stdout(&en);
    assert!(
        text.contains(
            "error[numbering-gap]: body[2].num: numbering skips: IV. stands where III. belongs"
        ),
        "{text}"
    );
    assert!(text.contains("1 errors"), "{text}");
}

#[test]
fn extra_fixtures_pass() {
    let entries = std::fs::read_dir(fixtures().join("extra")).expect("extra fixtures");
    let mut count = 0;
    for entry in entries {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let (code, report) = check_json(&path, &[]);
        assert_eq!(code, 0, "{}: {report:#}", path.display());
        count += 1;
    }
    assert!(count >= 4);
}

#[test]
fn the_clean_sample_is_clean() {
    let (code, report) = check_yaml(CLEAN);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["errors"], 0, "{report:#}");
    assert_eq!(report["warnings"], 0, "{report:#}");
}

#[test]
fn repeated_section_number() {
    let (code, report) = check_yaml(&CLEAN.replace("num: \"II.\"", "num: \"I.\""));
    assert_eq!(code, 1);
    assert_eq!(found(&report, "numbering-repeat"), error_at("body[1].num"));
}

#[test]
fn roman_numerals_only_at_muc_level() {
    let (code, report) = check_yaml(&CLEAN.replace("num: \"2.\"", "num: \"II.\""));
    assert_eq!(code, 1);
    assert_eq!(
        found(&report, "roman-below-muc"),
        error_at("body[0].children[1].num")
    );
}

#[test]
fn malformed_section_number() {
    let (code, report) = check_yaml(&CLEAN.replace("num: \"2.\"", "num: \"hai\""));
    assert_eq!(code, 1);
    assert_eq!(
        found(&report, "section-number-malformed"),
        error_at("body[0].children[1].num")
    );
}

#[test]
fn symbol_must_fit_kind_and_issuer() {
    let (code, report) = check_yaml(&CLEAN.replace("symbol: \"KH-CĐN\"", "symbol: \"BC-LĐLĐ\""));
    assert_eq!(code, 1);
    assert_eq!(found(&report, "symbol-kind"), error_at("number.symbol"));
    assert_eq!(found(&report, "symbol-issuer"), error_at("number.symbol"));
}

#[test]
fn malformed_number_and_symbol() {
    let (code, report) = check_yaml(&CLEAN.replace("symbol: \"KH-CĐN\"", "symbol: \"KH--CĐN\""));
    assert_eq!(code, 1);
    assert_eq!(
        found(&report, "symbol-malformed"),
        error_at("number.symbol")
    );
    let (_, report) = check_yaml(&CLEAN.replace("symbol: \"KH-CĐN\"", "symbol: \"KH - CĐN\""));
    assert_eq!(
        found(&report, "symbol-spacing"),
        warning_at("number.symbol")
    );
    let (code, report) = check_yaml(&CLEAN.replace("seq: 36", "seq: 0"));
    assert_eq!(code, 1);
    assert_eq!(found(&report, "number-malformed"), error_at("number.seq"));
}

#[test]
fn impossible_and_malformed_dates() {
    let (code, report) = check_yaml(&CLEAN.replace("2020-03-20", "2023-02-29"));
    assert_eq!(code, 1);
    assert_eq!(found(&report, "date-impossible"), error_at("date"));
    let (code, report) = check_yaml(&CLEAN.replace("2020-03-20", "20/3/2020"));
    assert_eq!(code, 1);
    assert_eq!(found(&report, "date-malformed"), error_at("date"));
}

#[test]
fn end_mark_missing_or_misplaced() {
    let (code, report) = check_yaml(&CLEAN.replace("Y tế./.", "Y tế."));
    assert_eq!(code, 0, "missing ./. is a warning");
    assert_eq!(
        found(&report, "end-mark-missing"),
        warning_at("closing[0].text")
    );
    let (code, report) = check_yaml(&CLEAN.replace("hiệu quả.", "hiệu quả./."));
    assert_eq!(code, 1);
    assert_eq!(
        found(&report, "end-mark-misplaced"),
        error_at("body[0].children[1].children[0].text")
    );
}

#[test]
fn noi_nhan_without_luu() {
    let (code, report) = check_yaml(&CLEAN.replace("archive: {units: [VT, VP]}\n", ""));
    assert_eq!(code, 1);
    assert_eq!(found(&report, "archive-missing"), error_at("recipients"));
}

#[test]
fn degree_or_honorific_before_the_signer() {
    for name in [
        "TS. Lê Thị Kim Út",
        "ThS. Lê Thị Kim Út",
        "Bà Lê Thị Kim Út",
        "Ông Trần Văn Bình",
    ] {
        let (code, report) = check_yaml(&CLEAN.replace("Phạm Thị Thu Trang", name));
        assert_eq!(code, 1, "{name}");
        assert_eq!(
            found(&report, "signer-honorific"),
            error_at("signature.name"),
            "{name}"
        );
    }
}

#[test]
fn non_nfc_input_is_reported_where_it_was() {
    let decomposed = CLEAN.replace("Thiết thực", "Thie\u{0302}\u{0301}t thực");
    let (code, report) = check_yaml(&decomposed);
    assert_eq!(code, 0, "normalised, so a warning");
    assert_eq!(
        found(&report, "not-nfc"),
        warning_at("body[0].children[1].children[0].text")
    );
}

#[test]
fn cong_van_with_a_type_abbreviation() {
    let yaml = r#"
kind: cong_van
issuer: {name: "LIÊN ĐOÀN LAO ĐỘNG TỈNH BÌNH ĐỊNH", abbr: "LĐLĐ"}
number: {seq: 5, symbol: "KH-LĐLĐ"}
date: "2024-09-12"
place: "Bình Định"
title: "triển khai công tác tháng 9"
kinh_gui: ["Các công đoàn cơ sở"]
body: [{kind: para, text: "Đề nghị các đơn vị triển khai./."}]
recipients: ["Như trên"]
archive: {units: [VT, TG]}
signature: {authority: "TM. BAN THƯỜNG VỤ", title: "CHỦ TỊCH", name: "Đặng Văn Đức"}
"#;
    let (code, report) = check_yaml(yaml);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(
        found(&report, "cong-van-type-abbr"),
        error_at("number.symbol")
    );
    let (code, report) = check_yaml(&yaml.replace("KH-LĐLĐ", "LĐLĐ-TG"));
    assert_eq!(code, 0, "{report:#}");
}

#[test]
fn appendix_the_body_never_mentions() {
    let with_appendix = format!(
        "{CLEAN}appendices:\n  - {{title: \"Danh sách\", body: [{{kind: para, text: \"Danh sách đơn vị.\"}}]}}\n"
    );
    let (code, report) = check_yaml(&with_appendix);
    assert_eq!(code, 1);
    assert_eq!(
        found(&report, "appendix-unmentioned"),
        error_at("appendices[0]")
    );
    let mentioned = with_appendix.replace(
        "triển khai kế hoạch này.",
        "triển khai kế hoạch này (Phụ lục kèm theo).",
    );
    let (code, report) = check_yaml(&mentioned);
    assert_eq!(code, 0, "{report:#}");
}

#[test]
fn quoc_hieu_spelling_when_overridden() {
    let (code, report) = check_yaml(&format!(
        "{CLEAN}national_name: \"CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\"\n"
    ));
    assert_eq!(code, 0);
    assert_eq!(found(&report, "national-name"), warning_at("national_name"));
    let (code, report) = check_yaml(&format!(
        "{CLEAN}national_name: \"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆTNAM\"\n"
    ));
    assert_eq!(code, 1);
    assert_eq!(found(&report, "national-name"), error_at("national_name"));
    let (code, report) = check_yaml(&format!("{CLEAN}motto: \"Độc lập – Tự do – Hạnh phúc\"\n"));
    assert_eq!(code, 1, "en dashes are not the decree's hyphens");
    assert_eq!(found(&report, "motto"), error_at("motto"));
}

#[test]
fn english_messages() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("doc.yaml");
    std::fs::write(&file, CLEAN.replace("2020-03-20", "2023-02-29")).expect("write");
    let (_, report) = check_json(&file, &["--lang", "en"]);
    let message = report["diagnostics"][0]["message"]
        .as_str()
        .expect("message");
    assert_eq!(message, "date “2023-02-29” does not exist");
}

#[test]
fn explicit_profiles_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let profiles = dir.path().join("orgs.yaml");
    std::fs::write(
        &profiles,
        "profiles:\n  cdn:\n    issuer: {name: \"CÔNG ĐOÀN NGÀNH Y TẾ\", abbr: \"CĐN\", name_in_text: \"Công đoàn ngành Y tế\"}\n    place: \"Đồng Nai\"\n    signers: [{authority: \"TM. BAN THƯỜNG VỤ\", title: \"CHỦ TỊCH\", name: \"Phạm Thị Thu Trang\"}]\n",
    )
    .expect("write");
    let file = dir.path().join("doc.yaml");
    let doc = "kind: thong_bao\nprofile: cdn\ntitle: \"Lịch họp\"\nbody: [{kind: para, text: \"Họp ngày thứ Hai./.\"}]\nrecipients: [\"Các CĐCS\"]\narchive: {units: [VT]}\n";
    std::fs::write(&file, doc).expect("write");
    let (code, report) = check_json(&file, &[]);
    assert_eq!(code, 2, "no profiles.yaml next to the file: {report:#}");
    assert_eq!(report["diagnostics"][0]["path"], "profile");
    let (code, report) = check_json(&file, &["--profiles", profiles.to_str().expect("path")]);
    assert_eq!(code, 0, "{report:#}");
}

/// `vanban schema` prints a JSON Schema (draft 2020-12) that the `jsonschema` Python package
/// accepts as a schema, that every fixture validates against, and that rejects wrong data
/// (a number where text goes, an unknown field).
#[test]
fn schema_is_valid_and_every_fixture_conforms() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_vanban"))
        .arg("schema")
        .output()
        .expect("vanban schema");
    assert!(output.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let schema_path = dir.path().join("schema.json");
    std::fs::write(&schema_path, &output.stdout).expect("write");
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let script = r#"
import json, sys, glob, os, yaml
from jsonschema import Draft202012Validator
schema = json.load(open(sys.argv[1]))
Draft202012Validator.check_schema(schema)
v = Draft202012Validator(schema)
files = sorted(glob.glob(os.path.join(sys.argv[2], 'seeds', '*.yaml')) + glob.glob(os.path.join(sys.argv[2], 'extra', '*.yaml')))
assert len(files) >= 9, files
for f in files:
    errors = list(v.iter_errors(yaml.safe_load(open(f, encoding='utf-8'))))
    assert not errors, (f, [e.message for e in errors[:3]])
doc = yaml.safe_load(open(files[0], encoding='utf-8'))
bad = dict(doc, title=5)
assert list(v.iter_errors(bad)), 'a number as title must fail'
bad = dict(doc, tieu_de='x')
assert list(v.iter_errors(bad)), 'an unknown field must fail'
print('ok', len(files))
"#;
    let run = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&schema_path)
        .arg(&fixtures)
        .output()
        .expect("python3");
    let stderr = String::from_utf8_lossy(&run.stderr);
    if stderr.contains("No module named") && std::env::var("CI").map_or(true, |v| v != "true") {
        eprintln!("skipped: {stderr} (pip install jsonschema pyyaml; .ci/run does)");
        return;
    }
    assert!(
        run.status.success(),
        "{stderr}\n{}",
        String::from_utf8_lossy(&run.stdout)
    );
}
