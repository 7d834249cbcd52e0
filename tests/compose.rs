//! Compose: data files → format-neutral blocks, through the real embedded templates, and
//! through override directories (a new kind with no Rust change, broken templates).

use std::path::{Path, PathBuf};

use vanban::compose::{self, Block, Composed, Content, Role, SlotKind, Templates, runs_text};
use vanban::diag::Origin;
use vanban::model::parse::{ParseOptions, parse_document, parse_document_with};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn all_fixtures() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["seeds", "extra"] {
        let entries = std::fs::read_dir(fixtures().join(dir)).expect("fixture directory");
        for entry in entries {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "yaml") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn fixture(name: &str) -> Composed {
    compose::compose_path(&fixtures().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Compose inline YAML as if it were `dir/doc.yaml`.
fn compose_yaml(yaml: &str) -> Composed {
    let doc = parse_document(yaml.as_bytes(), Path::new("doc.yaml")).expect("valid document");
    compose::compose(&doc, &Templates::embedded()).unwrap_or_else(|d| panic!("{d}"))
}

fn text(block: &Block) -> String {
    match &block.content {
        Content::Text(runs) => runs_text(runs),
        other => format!("{other:?}"),
    }
}

fn by_role(composed: &Composed, role: Role) -> Vec<&Block> {
    composed.blocks.iter().filter(|b| b.role == role).collect()
}

fn texts_of(composed: &Composed, role: Role) -> Vec<String> {
    by_role(composed, role).into_iter().map(text).collect()
}

fn slots(block: &Block) -> Vec<(SlotKind, String)> {
    let Content::Text(runs) = &block.content else {
        return Vec::new();
    };
    runs.iter()
        .filter_map(|r| r.slot.map(|s| (s, r.text.clone())))
        .collect()
}

const PLAN: &str = r#"
kind: ke_hoach
issuer: {parent: "LĐLĐ TỈNH ĐỒNG NAI", name: "CÔNG ĐOÀN NGÀNH Y TẾ", abbr: "CĐN"}
place: "Đồng Nai"
title: "Về đổi mới công tác thi đua, khen thưởng"
opening: "Thực hiện Kế hoạch số 94/KH-LĐ, Công đoàn ngành Y tế xây dựng kế hoạch như sau:"
body:
  - kind: section
    title: "Mục đích, yêu cầu"
    children:
      - kind: section
        title: "Mục đích"
        children:
          - {kind: bullet, text: "Đổi mới **việc tổ chức** phong trào thi đua"}
          - {kind: bullet, marker: "+", text: "Ý nhỏ"}
      - {kind: item, text: "Đánh giá kết quả"}
      - kind: section
        title: "Chỉ tiêu"
        children:
          - {kind: item, text: "Chỉ tiêu một"}
          - {kind: item, text: "Chỉ tiêu hai"}
  - kind: section
    title: "Tổ chức thực hiện"
    children:
      - {kind: point, text: "Điểm một"}
      - {kind: point, text: "Điểm hai"}
      - {kind: point, text: "Điểm ba"}
      - {kind: point, text: "Điểm bốn"}
      - {kind: point, text: "Điểm năm"}
      - {kind: point, text: "Điểm sáu"}
closing:
  - {kind: para, text: "Trên đây là kế hoạch của Công đoàn ngành Y tế./."}
recipients:
  - {name: "Ban Thường vụ LĐLĐ tỉnh", purpose: "b/c"}
  - "Các CĐCS trực thuộc"
archive: {units: [VT, VP], copies: 2}
signature: {authority: ["TM. BAN THƯỜNG VỤ", "KT. CHỦ TỊCH"], title: "PHÓ CHỦ TỊCH", name: "Trương Minh Khoa"}
"#;

#[test]
fn every_fixture_composes_with_origins() {
    let files = all_fixtures();
    assert!(files.len() >= 10, "fixtures: {files:?}");
    for path in files {
        let composed =
            compose::compose_path(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let roles: Vec<Role> = composed.blocks.iter().map(|b| b.role).collect();
        for needed in [
            Role::NationalName,
            Role::Motto,
            Role::IssuerName,
            Role::Number,
            Role::PlaceDate,
            Role::SignName,
        ] {
            assert!(roles.contains(&needed), "{}: no {needed:?}", path.display());
        }
        for block in &composed.blocks {
            assert!(
                !block.origin.as_str().is_empty(),
                "{}: {:?} has no origin",
                path.display(),
                block.role
            );
        }
        let regions = composed.regions();
        assert!(
            !regions.main.is_empty() && !regions.signature.is_empty(),
            "{}",
            path.display()
        );
    }
}

#[test]
fn letterhead_is_the_decree_s() {
    let composed = fixture("seeds/002_95e55954b96b2b89.yaml");
    assert_eq!(
        texts_of(&composed, Role::NationalName),
        ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    );
    assert_eq!(
        texts_of(&composed, Role::Motto),
        ["Độc lập - Tự do - Hạnh phúc"]
    );
    assert_eq!(
        texts_of(&composed, Role::ParentName),
        ["LĐLĐ TỈNH ĐỒNG NAI"]
    );
    assert_eq!(
        texts_of(&composed, Role::IssuerName),
        ["CÔNG ĐOÀN NGÀNH Y TẾ"]
    );
    assert_eq!(texts_of(&composed, Role::TypeName), ["KẾ HOẠCH"]);
    assert_eq!(composed.meta.number.as_deref(), Some("36/KH-CĐN"));
    assert_eq!(composed.meta.date.as_deref(), Some("2020-03-20"));
}

#[test]
fn issued_document_fills_number_and_date_slots() {
    let composed = fixture("seeds/002_95e55954b96b2b89.yaml");
    let number = by_role(&composed, Role::Number)[0];
    assert_eq!(text(number), "Số: 36/KH-CĐN");
    assert_eq!(slots(number), [(SlotKind::Number, "36".to_owned())]);
    let date = by_role(&composed, Role::PlaceDate)[0];
    assert_eq!(text(date), "Đồng Nai, ngày 20 tháng 3 năm 2020");
    assert_eq!(
        slots(date),
        [
            (SlotKind::Day, "20".into()),
            (SlotKind::Month, "3".into()),
            (SlotKind::Year, "2020".into())
        ]
    );
}

#[test]
fn draft_leaves_slots_empty() {
    let composed = compose_yaml(PLAN);
    let number = by_role(&composed, Role::Number)[0];
    assert_eq!(text(number), "Số: /KH-CĐN");
    assert_eq!(slots(number), [(SlotKind::Number, String::new())]);
    let Content::Text(runs) = &number.content else {
        panic!("text")
    };
    assert_eq!(runs.len(), 3, "{runs:?}");
    let date = by_role(&composed, Role::PlaceDate)[0];
    assert_eq!(text(date), "Đồng Nai, ngày  tháng  năm ");
    assert_eq!(
        slots(date).iter().map(|(k, _)| *k).collect::<Vec<_>>(),
        [SlotKind::Day, SlotKind::Month, SlotKind::Year]
    );
    assert!(slots(date).iter().all(|(_, v)| v.is_empty()));
    assert_eq!(composed.meta.number, None);
}

#[test]
fn numbering_is_generated_from_the_structure() {
    let composed = compose_yaml(PLAN);
    assert_eq!(
        texts_of(&composed, Role::Heading1),
        ["I. MỤC ĐÍCH, YÊU CẦU", "II. TỔ CHỨC THỰC HIỆN"]
    );
    assert_eq!(
        texts_of(&composed, Role::Heading2),
        ["1. Mục đích", "3. Chỉ tiêu"]
    );
    let numbered = texts_of(&composed, Role::NumberedParagraph);
    assert_eq!(
        numbered,
        [
            "2. Đánh giá kết quả",
            "3.1. Chỉ tiêu một",
            "3.2. Chỉ tiêu hai",
            "a) Điểm một",
            "b) Điểm hai",
            "c) Điểm ba",
            "d) Điểm bốn",
            "đ) Điểm năm",
            "e) Điểm sáu"
        ]
    );
    let bullets = by_role(&composed, Role::Bullet);
    assert_eq!(
        text(bullets[0]),
        "- Đổi mới việc tổ chức phong trào thi đua"
    );
    let Content::Text(runs) = &bullets[0].content else {
        panic!("text")
    };
    assert!(
        runs.iter().any(|r| r.bold && r.text == "việc tổ chức"),
        "{runs:?}"
    );
    assert_eq!(text(bullets[1]), "+ Ý nhỏ");
    assert_eq!(
        bullets[0].origin.as_str(),
        "body[0].children[0].children[0]"
    );
}

#[test]
fn literal_numbers_are_never_renumbered() {
    let composed = fixture("seeds/000_3c75d7606830ec8b.yaml");
    let headings = texts_of(&composed, Role::Heading1);
    assert_eq!(headings.len(), 3, "{headings:?}");
    assert!(
        headings[0].starts_with("I. ") && headings[1].starts_with("II. "),
        "{headings:?}"
    );
    assert!(
        headings[2].starts_with("IV. "),
        "the gap stays: {headings:?}"
    );
    assert_eq!(
        by_role(&composed, Role::Heading1)[2].origin.as_str(),
        "body[2]"
    );
}

#[test]
fn signature_block_prints_the_lines_given() {
    let composed = compose_yaml(PLAN);
    let regions = composed.regions();
    let roles: Vec<Role> = regions.signature.iter().map(|b| b.role).collect();
    assert_eq!(
        roles,
        [
            Role::SignAuthority,
            Role::SignAuthority,
            Role::SignTitle,
            Role::SignSpace,
            Role::SignName
        ]
    );
    let texts: Vec<String> = regions.signature.iter().map(|b| text(b)).collect();
    assert_eq!(texts[0], "TM. BAN THƯỜNG VỤ");
    assert_eq!(texts[1], "KT. CHỦ TỊCH");
    assert_eq!(texts[2], "PHÓ CHỦ TỊCH");
    assert_eq!(regions.signature[3].content, Content::Space);
    assert_eq!(texts[4], "Trương Minh Khoa");
}

#[test]
fn recipients_are_punctuated_consistently() {
    let composed = compose_yaml(PLAN);
    assert_eq!(texts_of(&composed, Role::RecipientsHeading), ["Nơi nhận:"]);
    assert_eq!(
        texts_of(&composed, Role::Recipient),
        [
            "- Ban Thường vụ LĐLĐ tỉnh (b/c);",
            "- Các CĐCS trực thuộc;",
            "- Lưu: VT, VP (02)."
        ]
    );
    for path in all_fixtures() {
        let composed = compose::compose_path(&path).expect("composes");
        let lines = texts_of(&composed, Role::Recipient);
        let Some((last, rest)) = lines.split_last() else {
            continue;
        };
        assert!(
            last.starts_with("- Lưu: ") && last.ends_with('.'),
            "{}: {last}",
            path.display()
        );
        for line in rest {
            assert!(
                line.starts_with("- ") && line.ends_with(';'),
                "{}: {line}",
                path.display()
            );
        }
    }
}

#[test]
fn decision_has_authority_bases_decision_word_and_articles() {
    let composed = fixture("extra/quyet_dinh_khen_thuong.yaml");
    let roles: Vec<Role> = composed.blocks.iter().map(|b| b.role).collect();
    let position = |role| {
        roles
            .iter()
            .position(|r| *r == role)
            .unwrap_or_else(|| panic!("{role:?}"))
    };
    assert!(position(Role::Title) < position(Role::AuthorityLine));
    assert!(position(Role::AuthorityLine) < position(Role::Basis));
    assert!(position(Role::Basis) < position(Role::DecisionWord));
    assert_eq!(texts_of(&composed, Role::DecisionWord), ["QUYẾT ĐỊNH:"]);
    let bases = texts_of(&composed, Role::Basis);
    let (last, rest) = bases.split_last().expect("bases");
    assert!(
        last.ends_with('.') && rest.iter().all(|b| b.ends_with(';')),
        "{bases:?}"
    );
    let articles: Vec<&Block> = composed
        .blocks
        .iter()
        .filter(|b| text(b).starts_with("Điều "))
        .collect();
    assert_eq!(articles.len(), 3);
    for (index, block) in articles.iter().enumerate() {
        let Content::Text(runs) = &block.content else {
            panic!("text")
        };
        assert_eq!(runs[0].text, format!("Điều {}.", index + 1));
        assert!(runs[0].bold);
    }
    let tables = by_role(&composed, Role::Table);
    assert_eq!(tables.len(), 2);
    let Content::Table(table) = &tables[0].content else {
        panic!("table")
    };
    assert!((table.widths.iter().sum::<f32>() - 1.0).abs() < 1e-4);
    assert!(!table.header.is_empty() && !table.rows.is_empty());
    assert_eq!(composed.regions().appendices.len(), 1);
    let note = texts_of(&composed, Role::AppendixNote);
    assert!(
        note[0].starts_with("(Kèm theo Quyết định số 15/QĐ-LĐLĐ ngày 10 tháng 01 năm 2025 của "),
        "{note:?}"
    );
}

#[test]
fn union_decision_names_the_ban_thuong_vu_when_no_authority_is_given() {
    let yaml = r#"
kind: quyet_dinh
union: true
issuer: {name: "CÔNG ĐOÀN NGÀNH Y TẾ", abbr: "CĐN"}
title: "Về việc thành lập Ban Tổ chức hội thao"
can_cu: {items: ["Căn cứ Điều lệ Công đoàn Việt Nam", "Xét đề nghị của Văn phòng"]}
body:
  - {kind: article, text: "Thành lập Ban Tổ chức hội thao."}
  - {kind: article, text: "Quyết định có hiệu lực kể từ ngày ký./."}
signature: {authority: "TM. BAN THƯỜNG VỤ", title: "CHỦ TỊCH", name: "Phạm Thị Thu Trang"}
"#;
    let composed = compose_yaml(yaml);
    assert_eq!(
        texts_of(&composed, Role::AuthorityLine),
        ["BAN THƯỜNG VỤ CÔNG ĐOÀN NGÀNH Y TẾ"]
    );
    assert_eq!(
        texts_of(&composed, Role::Basis),
        [
            "Căn cứ Điều lệ Công đoàn Việt Nam;",
            "Xét đề nghị của Văn phòng."
        ]
    );
}

#[test]
fn cong_van_has_summary_kinh_gui_and_no_type_name() {
    let composed = fixture("extra/cong_van.yaml");
    assert!(by_role(&composed, Role::TypeName).is_empty());
    let summary = texts_of(&composed, Role::Summary);
    assert_eq!(summary.len(), 1);
    assert!(summary[0].starts_with("V/v "), "{summary:?}");
    assert_eq!(text(by_role(&composed, Role::Number)[0]), "Số: 412/LĐLĐ-TG");
    assert_eq!(texts_of(&composed, Role::Urgency), ["KHẨN"]);
    assert_eq!(texts_of(&composed, Role::KinhGui), ["Kính gửi:"]);
    let items = texts_of(&composed, Role::KinhGuiItem);
    assert_eq!(items.len(), 3);
    assert!(
        items[..2]
            .iter()
            .all(|i| i.starts_with("- ") && i.ends_with(';')),
        "{items:?}"
    );
    assert!(items[2].ends_with('.'), "{items:?}");
    assert!(!by_role(&composed, Role::Address).is_empty());
    let regions = composed.regions();
    let number_roles: Vec<Role> = regions.number.iter().map(|b| b.role).collect();
    assert_eq!(number_roles, [Role::Number, Role::Summary]);
    assert_eq!(composed.meta.subject, format!("Công văn {}", summary[0]));
}

#[test]
fn single_kinh_gui_is_one_line() {
    let yaml = r#"
kind: to_trinh
issuer: {name: "CÔNG ĐOÀN NGÀNH Y TẾ", abbr: "CĐN"}
title: "Về việc đề nghị khen thưởng"
kinh_gui: ["Ban Thường vụ Liên đoàn Lao động tỉnh Đồng Nai"]
body: [{kind: para, text: "Kính trình./."}]
signature: {name: "Phạm Thị Thu Trang"}
"#;
    let composed = compose_yaml(yaml);
    assert_eq!(
        texts_of(&composed, Role::KinhGui),
        ["Kính gửi: Ban Thường vụ Liên đoàn Lao động tỉnh Đồng Nai"]
    );
    assert!(by_role(&composed, Role::KinhGuiItem).is_empty());
    assert_eq!(texts_of(&composed, Role::TypeName), ["TỜ TRÌNH"]);
}

#[test]
fn structure_a_numbers_articles_through_chapters() {
    let yaml = r#"
kind: quy_che
issuer: {name: "CÔNG ĐOÀN NGÀNH Y TẾ", abbr: "CĐN"}
title: "Quy chế làm việc"
body:
  - kind: chapter
    title: "Quy định chung"
    children:
      - {kind: article, title: "Phạm vi", text: "Quy chế này quy định …"}
      - kind: article
        title: "Nguyên tắc"
        children:
          - kind: item
            text: "Tập trung dân chủ."
            children:
              - {kind: point, text: "Điểm thứ nhất;"}
              - {kind: point, text: "Điểm thứ hai."}
          - {kind: item, text: "Công khai."}
  - kind: chapter
    title: "Tổ chức thực hiện"
    children:
      - {kind: article, title: "Hiệu lực", text: "Quy chế có hiệu lực kể từ ngày ký./."}
"#;
    let composed = compose_yaml(yaml);
    assert_eq!(
        texts_of(&composed, Role::PartLabel),
        ["Chương I", "Chương II"]
    );
    assert_eq!(
        texts_of(&composed, Role::PartTitle),
        ["QUY ĐỊNH CHUNG", "TỔ CHỨC THỰC HIỆN"]
    );
    assert_eq!(
        texts_of(&composed, Role::Article),
        ["Điều 1. Phạm vi", "Điều 2. Nguyên tắc", "Điều 3. Hiệu lực"]
    );
    assert_eq!(
        texts_of(&composed, Role::NumberedParagraph),
        [
            "1. Tập trung dân chủ.",
            "a) Điểm thứ nhất;",
            "b) Điểm thứ hai.",
            "2. Công khai."
        ]
    );
    assert_eq!(composed.meta.number, None);
    assert_eq!(text(by_role(&composed, Role::Number)[0]), "Số: /QC-CĐN");
}

#[test]
fn profile_fills_what_the_document_leaves_out() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("profiles.yaml"),
        "profiles:\n  cdn:\n    issuer: {parent: \"LĐLĐ TỈNH ĐỒNG NAI\", name: \"CÔNG ĐOÀN NGÀNH Y TẾ\", abbr: \"CĐN\"}\n    place: \"Đồng Nai\"\n    signers: [{authority: \"TM. BAN THƯỜNG VỤ\", title: \"CHỦ TỊCH\", name: \"Phạm Thị Thu Trang\"}]\n",
    )
    .expect("write profiles");
    let data = dir.path().join("doc.yaml");
    let yaml = "kind: thong_bao\nprofile: cdn\nplace: \"Biên Hòa\"\ntitle: \"Lịch họp\"\nbody: [{kind: para, text: \"Họp ngày thứ Hai./.\"}]\n";
    let doc = parse_document(yaml.as_bytes(), &data).expect("valid");
    let composed = compose::compose(&doc, &Templates::embedded()).expect("composes");
    assert!(text(by_role(&composed, Role::PlaceDate)[0]).starts_with("Biên Hòa, ngày "));
    assert_eq!(
        texts_of(&composed, Role::IssuerName),
        ["CÔNG ĐOÀN NGÀNH Y TẾ"]
    );
    assert_eq!(
        by_role(&composed, Role::IssuerName)[0].origin.as_str(),
        "profiles.cdn.issuer.name"
    );
    assert_eq!(texts_of(&composed, Role::SignName), ["Phạm Thị Thu Trang"]);
    assert_eq!(text(by_role(&composed, Role::Number)[0]), "Số: /TB-CĐN");
    // The same profile through an explicit path.
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let options = ParseOptions {
        kinds: None,
        profiles: Some(dir.path().join("profiles.yaml")),
    };
    let doc = parse_document_with(
        yaml.as_bytes(),
        &elsewhere.path().join("doc.yaml"),
        &options,
    )
    .expect("valid");
    assert_eq!(doc.issuer.abbr.as_deref(), Some("CĐN"));
}

/// A new kind is a kinds.yaml line plus a template in an override directory: no Rust change.
#[test]
fn a_new_kind_needs_only_a_template_and_a_kinds_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("kinds.yaml"),
        "bien_ban_hop: {name: \"BIÊN BẢN HỌP\", abbr: \"BB\", template: bien_ban_hop}\n",
    )
    .expect("write kinds");
    std::fs::write(
        dir.path().join("bien_ban_hop.tera"),
        "{% extends \"base.tera\" %}\n{% block addressee %}\n@paragraph kind | Thời gian: **{{ doc.kind.name }}** họp định kỳ\n{% endblock addressee %}\n",
    )
    .expect("write template");
    let templates = Templates::with_overrides(dir.path()).expect("overrides load");
    let options = ParseOptions {
        kinds: Some(templates.kinds().clone()),
        profiles: None,
    };
    let yaml = "kind: bien_ban_hop\nissuer: {name: \"CÔNG ĐOÀN NGÀNH Y TẾ\", abbr: \"CĐN\"}\ntitle: \"Họp Ban Thường vụ quý I\"\nbody: [{kind: para, text: \"Cuộc họp kết thúc lúc 11 giờ./.\"}]\n";
    let doc = parse_document_with(yaml.as_bytes(), Path::new("bb.yaml"), &options)
        .expect("new kind parses");
    let composed = compose::compose(&doc, &templates).expect("new kind composes");
    assert_eq!(texts_of(&composed, Role::TypeName), ["BIÊN BẢN HỌP"]);
    assert_eq!(text(by_role(&composed, Role::Number)[0]), "Số: /BB-CĐN");
    let paragraphs = by_role(&composed, Role::Paragraph);
    assert_eq!(text(paragraphs[0]), "Thời gian: BIÊN BẢN HỌP họp định kỳ");
    // The embedded set does not know the kind.
    assert!(parse_document(yaml.as_bytes(), Path::new("bb.yaml")).is_err());
}

#[test]
fn overriding_a_shared_component_changes_every_kind() {
    let dir = tempfile::tempdir().expect("temp dir");
    let components =
        include_str!("../templates/components.tera").replace("Nơi nhận:", "Nơi nhận (bản thử):");
    std::fs::write(dir.path().join("components.tera"), components).expect("write");
    let templates = Templates::with_overrides(dir.path()).expect("overrides load");
    let doc = parse_document(PLAN.as_bytes(), Path::new("doc.yaml")).expect("valid");
    let composed = compose::compose(&doc, &templates).expect("composes");
    assert_eq!(
        texts_of(&composed, Role::RecipientsHeading),
        ["Nơi nhận (bản thử):"]
    );
}

#[test]
fn bad_template_output_names_template_and_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("ke_hoach.tera"),
        "{% extends \"base.tera\" %}\n{% block title %}\n@tittle title | {{ doc.title }}\nplain text without a role\n{% endblock title %}\n",
    )
    .expect("write");
    let templates = Templates::with_overrides(dir.path()).expect("it compiles");
    let doc = parse_document(PLAN.as_bytes(), Path::new("doc.yaml")).expect("valid");
    let diagnostics = compose::compose(&doc, &templates).expect_err("unknown role");
    let messages: Vec<String> = diagnostics.iter().map(|d| d.to_string()).collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(
        messages[0].contains("unknown role `tittle`"),
        "{messages:?}"
    );
    assert!(messages[1].contains("starts with @role"), "{messages:?}");
    for diagnostic in diagnostics.iter() {
        let Origin::Line { source, line } = &diagnostic.origin else {
            panic!("{diagnostic}")
        };
        assert!(source.starts_with("ke_hoach.tera"), "{source}");
        assert!(*line > 0);
    }
}

#[test]
fn render_failure_names_template_and_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("ke_hoach.tera"),
        "{% extends \"base.tera\" %}\n{% block title %}\n\n@title title | {{ doc.no_such_field.deeper }}\n{% endblock title %}\n",
    )
    .expect("write");
    let templates = Templates::with_overrides(dir.path()).expect("it compiles");
    let doc = parse_document(PLAN.as_bytes(), Path::new("doc.yaml")).expect("valid");
    let diagnostics = compose::compose(&doc, &templates).expect_err("render fails");
    let diagnostic = diagnostics.iter().next().expect("one");
    assert_eq!(
        diagnostic.origin,
        Origin::Line {
            source: "ke_hoach.tera".into(),
            line: 4
        },
        "{diagnostic}"
    );
}

#[test]
fn syntax_error_in_an_override_is_refused_at_load() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("ke_hoach.tera"),
        "{% extends \"base.tera\" %}\n{% block title %}\n{% if %}\n",
    )
    .expect("write");
    let error = Templates::with_overrides(dir.path()).expect_err("syntax error");
    let text = error.to_string();
    assert!(text.contains("ke_hoach.tera:3"), "{text}");
}

#[test]
fn text_is_nfc_even_from_decomposed_input() {
    let decomposed = PLAN.replace("Trương Minh Khoa", "Tru\u{031b}o\u{031b}ng Minh Khoa");
    let composed = compose_yaml(&decomposed);
    assert_eq!(texts_of(&composed, Role::SignName), ["Trương Minh Khoa"]);
}
