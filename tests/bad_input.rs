//! Hostile and broken input to `vanban check`: each one exits 2 with a message naming the field
//! path, line or byte offset, and never panics.

use std::path::Path;
use std::process::{Command, Output};

/// A fresh temp dir holding `doc.<ext>` with `bytes`, checked with `extra` arguments.
fn check_bytes(bytes: &[u8], ext: &str, extra: &[&str]) -> Output {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(format!("doc.{ext}"));
    std::fs::write(&file, bytes).expect("write");
    run_check(&file, extra)
}

fn run_check(file: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vanban"))
        .arg("check")
        .arg(file)
        .args(extra)
        .output()
        .expect("run vanban")
}

/// Exit 2, no panic, and stderr mentions every one of `needles`.
fn assert_unreadable(output: &Output, needles: &[&str]) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(
        output.status.code(),
        Some(2),
        "stderr: {stderr}\nstdout: {}",
        String::from_utf8_lossy(&output.stdout)
    );
    for needle in needles {
        assert!(stderr.contains(needle), "{needle:?} not in: {stderr}");
    }
}

const HEAD: &str = "kind: ke_hoach\nissuer: {name: \"CÔNG ĐOÀN NGÀNH Y TẾ\", abbr: \"CĐN\"}\ntitle: \"Về đổi mới\"\n";

#[test]
fn wrong_type_names_path_and_line() {
    let yaml = format!("{HEAD}number: {{seq: \"ba mươi sáu\"}}\n");
    assert_unreadable(
        &check_bytes(yaml.as_bytes(), "yaml", &[]),
        &["number.seq", "dòng 4"],
    );
    let yaml = format!(
        "{HEAD}body:\n  - kind: section\n    title: A\n    children:\n      - {{kind: item, text: x, num: [1, 2]}}\n"
    );
    assert_unreadable(
        &check_bytes(yaml.as_bytes(), "yaml", &[]),
        &["body[0].children[0].num", "dòng 8"],
    );
}

#[test]
fn wrong_type_in_json_names_path_and_line() {
    let json = "{\n  \"kind\": \"ke_hoach\",\n  \"title\": \"T\",\n  \"issuer\": {\"name\": \"X\"},\n  \"body\": [{\"kind\": \"para\", \"text\": 5}]\n}\n";
    assert_unreadable(
        &check_bytes(json.as_bytes(), "json", &[]),
        &["body[0].text", "dòng 5"],
    );
}

#[test]
fn missing_field_is_named() {
    let yaml = "kind: ke_hoach\nissuer: {name: X}\n";
    assert_unreadable(
        &check_bytes(yaml.as_bytes(), "yaml", &[]),
        &["missing field `title`"],
    );
    let yaml = format!("{HEAD}body:\n  - {{kind: section, children: []}}\n");
    assert_unreadable(
        &check_bytes(yaml.as_bytes(), "yaml", &[]),
        &["body[0]", "missing field `title`"],
    );
}

#[test]
fn unknown_field_is_named() {
    let yaml = format!("{HEAD}body:\n  - {{kind: para, txet: \"x\", text: \"y\"}}\n");
    assert_unreadable(
        &check_bytes(yaml.as_bytes(), "yaml", &[]),
        &["body[0].txet", "unknown field"],
    );
    let yaml = format!("{HEAD}signatur: {{name: X}}\n");
    assert_unreadable(&check_bytes(yaml.as_bytes(), "yaml", &[]), &["signatur"]);
}

#[test]
fn unknown_kind_lists_the_known_ones() {
    let yaml = HEAD.replace("ke_hoach", "ke_hoachh");
    assert_unreadable(
        &check_bytes(yaml.as_bytes(), "yaml", &[]),
        &["kind", "ke_hoachh", "quyet_dinh"],
    );
}

#[test]
fn yaml_syntax_error_names_the_line() {
    let yaml = format!("{HEAD}body: [{{kind: para, text: \"x\"}}\nrecipients: []\n");
    assert_unreadable(&check_bytes(yaml.as_bytes(), "yaml", &[]), &["dòng"]);
}

#[test]
fn non_utf8_bytes_name_the_offset() {
    let mut bytes = HEAD.as_bytes().to_vec();
    let offset = bytes.len() + "opening: \"C".len();
    bytes.extend_from_slice(b"opening: \"C\xe1n c\xf5\"\n");
    assert_unreadable(
        &check_bytes(&bytes, "yaml", &[]),
        &[&format!("byte {offset}"), "UTF-8"],
    );
}

#[test]
fn a_50_mb_file_is_refused_without_reading_it() {
    let mut yaml = HEAD.as_bytes().to_vec();
    yaml.extend_from_slice(b"notes:\n");
    let line =
        b"  - \"\xc4\x90\xe1\xbb\x95i m\xe1\xbb\x9bi c\xc3\xb4ng t\xc3\xa1c thi \xc4\x91ua\"\n";
    while yaml.len() < 50 * 1024 * 1024 {
        yaml.extend_from_slice(line);
    }
    assert_unreadable(&check_bytes(&yaml, "yaml", &[]), &["quá lớn", "52428"]);
}

#[test]
fn ten_thousand_deep_yaml_block_nesting() {
    let yaml = format!("{HEAD}notes:\n  {}x\n", "- ".repeat(10_000));
    assert_unreadable(
        &check_bytes(yaml.as_bytes(), "yaml", &[]),
        &["dòng 5", "lồng nhau"],
    );
    // Nesting by indentation: 2,000 levels fit in the size limit (10,000 would not).
    let mut yaml = String::from(HEAD);
    yaml.push_str("circulation:\n");
    for depth in 1..2_000 {
        yaml.push_str(&" ".repeat(depth));
        yaml.push_str("a:\n");
    }
    assert_unreadable(
        &check_bytes(yaml.as_bytes(), "yaml", &[]),
        &["dòng", "lồng nhau"],
    );
}

#[test]
fn ten_thousand_deep_yaml_flow_nesting() {
    let yaml = format!(
        "{HEAD}notes: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    assert_unreadable(
        &check_bytes(yaml.as_bytes(), "yaml", &[]),
        &["dòng 4", "lồng nhau"],
    );
}

#[test]
fn ten_thousand_deep_body_nodes_in_yaml() {
    let yaml = format!(
        "{HEAD}body: {}{}\n",
        "[{kind: bullet, text: x, children: ".repeat(10_000),
        "]}".repeat(10_000)
    );
    assert_unreadable(
        &check_bytes(yaml.as_bytes(), "yaml", &[]),
        &["dòng 4", "lồng nhau"],
    );
}

#[test]
fn ten_thousand_deep_json_nesting() {
    let json = format!(
        "{{\"kind\": \"ke_hoach\", \"title\": \"T\", \"issuer\": {{\"name\": \"X\"}},\n\"notes\": {}{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    assert_unreadable(
        &check_bytes(json.as_bytes(), "json", &[]),
        &["dòng 2", "lồng nhau"],
    );
    let mut nodes = String::new();
    for _ in 0..10_000 {
        nodes.push_str("{\"kind\": \"bullet\", \"text\": \"x\", \"children\": [");
    }
    let json = format!(
        "{{\"kind\": \"ke_hoach\", \"title\": \"T\", \"issuer\": {{\"name\": \"X\"}}, \"body\": [{nodes}"
    );
    assert_unreadable(&check_bytes(json.as_bytes(), "json", &[]), &["lồng nhau"]);
}

#[test]
fn too_many_nodes_name_where_the_limit_was_passed() {
    let mut yaml = String::from(HEAD);
    yaml.push_str("body:\n");
    for _ in 0..20_001 {
        yaml.push_str("  - {kind: bullet, text: x}\n");
    }
    assert_unreadable(&check_bytes(yaml.as_bytes(), "yaml", &[]), &["body[20000]"]);
}

#[test]
fn overlong_text_names_its_field() {
    let yaml = format!("{HEAD}opening: \"{}\"\n", "đ".repeat(40_000));
    assert_unreadable(
        &check_bytes(yaml.as_bytes(), "yaml", &[]),
        &["opening", "quá dài"],
    );
}

#[test]
fn empty_and_garbage_files() {
    assert_unreadable(&check_bytes(b"", "yaml", &[]), &[]);
    assert_unreadable(&check_bytes(b"\x00\x01\x02", "yaml", &[]), &[]);
    assert_unreadable(&check_bytes(b"[1, 2, 3]", "json", &[]), &["dòng 1"]);
    assert_unreadable(&check_bytes(b"{\"kind\": ", "json", &[]), &["dòng 1"]);
}

#[test]
fn missing_file_and_missing_profiles() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert_unreadable(
        &run_check(&dir.path().join("nope.yaml"), &[]),
        &["nope.yaml"],
    );
    let yaml = "kind: ke_hoach\nprofile: khong-co\ntitle: T\n";
    assert_unreadable(
        &check_bytes(yaml.as_bytes(), "yaml", &[]),
        &["profile", "profiles.yaml"],
    );
}

#[test]
fn a_template_override_that_fails_to_render() {
    let templates = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        templates.path().join("ke_hoach.tera"),
        "{% extends \"base.tera\" %}\n{% block title %}\n@title title | {{ doc.title }}\n@title title | {{ doc.issuer.no_such_field.deeper }}\n{% endblock title %}\n",
    )
    .expect("write template");
    let dir = templates.path().to_str().expect("path");
    let yaml = format!("{HEAD}body: [{{kind: para, text: \"x./.\"}}]\n");
    assert_unreadable(
        &check_bytes(yaml.as_bytes(), "yaml", &["--templates", dir]),
        &["ke_hoach.tera:4"],
    );
}

#[test]
fn a_template_override_with_bad_syntax_or_bad_lines() {
    let templates = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        templates.path().join("ke_hoach.tera"),
        "{% extends \"base.tera\" %}\n{% block title %}\n{{ doc.title \n",
    )
    .expect("write");
    let dir = templates.path().to_str().expect("path");
    let yaml = format!("{HEAD}body: [{{kind: para, text: \"x./.\"}}]\n");
    assert_unreadable(
        &check_bytes(yaml.as_bytes(), "yaml", &["--templates", dir]),
        &["ke_hoach.tera"],
    );
    std::fs::write(templates.path().join("ke_hoach.tera"), "{% extends \"base.tera\" %}\n{% block title %}\n@headline title | {{ doc.title }}\n{% endblock title %}\n").expect("write");
    assert_unreadable(
        &check_bytes(yaml.as_bytes(), "yaml", &["--templates", dir]),
        &["ke_hoach.tera", "unknown role `headline`"],
    );
    std::fs::write(
        templates.path().join("kinds.yaml"),
        "ke_hoach: {name: \"KẾ HOẠCH\", tempalte: ke_hoach}\n",
    )
    .expect("write");
    assert_unreadable(
        &check_bytes(yaml.as_bytes(), "yaml", &["--templates", dir]),
        &["kinds.yaml", "tempalte"],
    );
}
