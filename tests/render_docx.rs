//! DOCX rendering, checked by real readers: LibreOffice converts every document to PDF,
//! python-docx reads the text back, and the OPC package is checked part by part.
//!
//! The documents are built by hand (a Kế hoạch, a Quyết định with an award list in an
//! appendix, a Công văn with V/v and Kính gửi) until `compose::compose_path` and the fixtures
//! land; they use the roles and slots the templates produce.

mod common {
    pub mod fixtures;
}

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::Command;

use vanban::compose::{Block, Composed, Content, Meta, Role, Run, SlotKind, Table};
use vanban::diag::FieldPath;
use vanban::render::docx::{DocxImage, DocxOptions, render};
use vanban::render::pdf::{self, PdfOptions};

// ---- the documents --------------------------------------------------------------------------

fn text(role: Role, text: &str) -> Block {
    Block {
        role,
        content: Content::Text(vec![Run::plain(text)]),
        origin: FieldPath::new("body"),
    }
}

fn runs(role: Role, runs: Vec<Run>) -> Block {
    Block {
        role,
        content: Content::Text(runs),
        origin: FieldPath::new("body"),
    }
}

fn slot(kind: SlotKind, value: &str) -> Run {
    Run {
        slot: Some(kind),
        ..Run::plain(value)
    }
}

fn bold(value: &str) -> Run {
    Run {
        bold: true,
        ..Run::plain(value)
    }
}

fn space() -> Block {
    Block {
        role: Role::SignSpace,
        content: Content::Space,
        origin: FieldPath::new("signature"),
    }
}

fn header(national: bool) -> Vec<Block> {
    let mut blocks = Vec::new();
    if national {
        blocks.push(text(
            Role::NationalName,
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        ));
        blocks.push(text(Role::Motto, "Độc lập - Tự do - Hạnh phúc"));
    }
    blocks
}

fn date(place: &str, day: &str, month: &str, year: &str) -> Block {
    runs(
        Role::PlaceDate,
        vec![
            Run::plain(format!("{place}, ngày ")),
            slot(SlotKind::Day, day),
            Run::plain(" tháng "),
            slot(SlotKind::Month, month),
            Run::plain(" năm "),
            slot(SlotKind::Year, year),
        ],
    )
}

fn number(value: &str, symbol: &str) -> Block {
    runs(
        Role::Number,
        vec![
            Run::plain("Số: "),
            slot(SlotKind::Number, value),
            Run::plain(format!("/{symbol}")),
        ],
    )
}

/// A Kế hoạch of a trade union (seed 002's shape), issued, two pages, with ô 11 and ô 13.
fn ke_hoach() -> Composed {
    let mut blocks = vec![
        text(Role::Circulation, "LƯU HÀNH NỘI BỘ"),
        text(Role::ParentName, "LĐLĐ TỈNH ĐỒNG NAI"),
        text(Role::IssuerName, "CÔNG ĐOÀN NGÀNH Y TẾ"),
    ];
    blocks.extend(header(true));
    blocks.push(number("36", "KH-CĐN"));
    blocks.push(date("Đồng Nai", "20", "3", "2020"));
    blocks.push(text(Role::TypeName, "KẾ HOẠCH"));
    blocks.push(text(
        Role::Title,
        "Tổ chức các hoạt động kỷ niệm ngày Quốc tế Phụ nữ 8/3 và tuyên truyền Luật Bình đẳng giới",
    ));
    blocks.push(text(
        Role::Paragraph,
        "Thực hiện Kế hoạch số 12/KH-LĐLĐ ngày 15/01/2020 của Liên đoàn Lao động tỉnh Đồng Nai, \
         Ban Thường vụ Công đoàn ngành Y tế xây dựng kế hoạch thực hiện như sau:",
    ));
    blocks.push(text(Role::Heading1, "I. MỤC ĐÍCH, YÊU CẦU"));
    blocks.push(text(Role::Heading2, "1. Mục đích"));
    blocks.push(text(
        Role::Bullet,
        "- Tuyên truyền sâu rộng về truyền thống, vai trò của phụ nữ Việt Nam; giữ gìn những \
         giá trị tốt đẹp của gia đình, nâng cao nhận thức về bình đẳng giới trong đoàn viên.",
    ));
    blocks.push(text(Role::Heading1, "II. NỘI DUNG, HÌNH THỨC"));
    for index in 1..=9 {
        blocks.push(text(
            Role::Heading3,
            &format!("2.{index}. Hoạt động thứ {index}"),
        ));
        blocks.push(runs(
            Role::NumberedParagraph,
            vec![
                Run::plain(format!(
                    "{index}. Các công đoàn cơ sở chủ động phối hợp với chuyên môn đồng cấp tổ chức \
                     các hoạt động thiết thực, hiệu quả; báo cáo kết quả về Ban Thường vụ "
                )),
                bold("trước ngày 18/11/2020"),
                Run::plain(" để tổng hợp, đánh giá và đề xuất khen thưởng kịp thời."),
            ],
        ));
    }
    blocks.push(text(
        Role::Closing,
        "Trên đây là Kế hoạch tổ chức các hoạt động năm 2020 của Công đoàn ngành Y tế; đề nghị \
         các công đoàn cơ sở nghiêm túc triển khai thực hiện./.",
    ));
    blocks.push(text(Role::RecipientsHeading, "Nơi nhận:"));
    blocks.push(text(Role::Recipient, "- LĐLĐ tỉnh (b/c);"));
    blocks.push(text(Role::Recipient, "- Các CĐCS trực thuộc (t/hiện);"));
    blocks.push(text(Role::Recipient, "- Lưu: VT, Ban CSPL&QHLĐ."));
    blocks.push(text(Role::SignAuthority, "TM. BAN THƯỜNG VỤ"));
    blocks.push(text(Role::SignTitle, "PHÓ CHỦ TỊCH"));
    blocks.push(space());
    blocks.push(text(Role::SignName, "Nguyễn Thị Đức Hạnh"));
    blocks.push(text(
        Role::Address,
        "Địa chỉ: 1597 Phạm Văn Thuận, Biên Hòa, Đồng Nai; ĐT: 0251.3822.123; E-mail: cdyt@dongnai.gov.vn",
    ));
    Composed {
        meta: Meta {
            title: "Tổ chức các hoạt động kỷ niệm ngày Quốc tế Phụ nữ 8/3".into(),
            author: "CÔNG ĐOÀN NGÀNH Y TẾ".into(),
            subject: "Kế hoạch tổ chức các hoạt động kỷ niệm ngày Quốc tế Phụ nữ 8/3".into(),
            date: Some("2020-03-20".into()),
            number: Some("36/KH-CĐN".into()),
            kind: "ke_hoach".into(),
        },
        blocks,
    }
}

/// A draft Quyết định (number and date left blank) with an award list in Phụ lục I that runs
/// over several pages, and a short Phụ lục II.
fn quyet_dinh() -> Composed {
    let mut blocks = vec![
        text(Role::ParentName, "TỔNG LĐLĐ VIỆT NAM"),
        text(Role::IssuerName, "LĐLĐ TỈNH LAI CHÂU"),
    ];
    blocks.extend(header(true));
    blocks.push(number("", "QĐ-LĐLĐ"));
    blocks.push(date("Lai Châu", "", "", "2025"));
    blocks.push(text(Role::TypeName, "QUYẾT ĐỊNH"));
    blocks.push(text(
        Role::Title,
        "Về việc khen thưởng tập thể, cá nhân có thành tích xuất sắc trong phong trào thi đua năm 2024",
    ));
    blocks.push(text(
        Role::AuthorityLine,
        "BAN THƯỜNG VỤ LIÊN ĐOÀN LAO ĐỘNG TỈNH LAI CHÂU",
    ));
    blocks.push(text(
        Role::Basis,
        "Căn cứ Điều lệ Công đoàn Việt Nam khóa XIII và Hướng dẫn thi hành Điều lệ;",
    ));
    blocks.push(text(
        Role::Basis,
        "Căn cứ Quy chế khen thưởng của tổ chức Công đoàn ban hành kèm theo Quyết định số \
         1674/QĐ-TLĐ ngày 18/9/2024 của Đoàn Chủ tịch Tổng Liên đoàn Lao động Việt Nam;",
    ));
    blocks.push(text(
        Role::Basis,
        "Theo đề nghị của Ban Tuyên giáo - Nữ công Liên đoàn Lao động tỉnh.",
    ));
    blocks.push(text(Role::DecisionWord, "QUYẾT ĐỊNH:"));
    blocks.push(text(
        Role::Article,
        "Điều 1. Tặng Bằng khen cho 60 cá nhân có thành tích xuất sắc (có danh sách kèm theo).",
    ));
    blocks.push(text(
        Role::Article,
        "Điều 2. Mỗi cá nhân được tặng Bằng khen kèm theo tiền thưởng theo quy định hiện hành.",
    ));
    blocks.push(text(
        Role::Article,
        "Điều 3. Văn phòng, các ban Liên đoàn Lao động tỉnh và các cá nhân có tên tại Điều 1 \
         chịu trách nhiệm thi hành Quyết định này./.",
    ));
    blocks.push(text(Role::RecipientsHeading, "Nơi nhận:"));
    blocks.push(text(Role::Recipient, "- Như Điều 3;"));
    blocks.push(text(Role::Recipient, "- Thường trực LĐLĐ tỉnh;"));
    blocks.push(text(Role::Recipient, "- Lưu: VT, TG-NC."));
    blocks.push(text(Role::SignAuthority, "TM. BAN THƯỜNG VỤ"));
    blocks.push(text(Role::SignAuthority, "KT. CHỦ TỊCH"));
    blocks.push(text(Role::SignTitle, "PHÓ CHỦ TỊCH"));
    blocks.push(space());
    blocks.push(text(Role::SignName, "Lò Văn Hữu"));
    blocks.push(text(Role::AppendixLabel, "Phụ lục I"));
    blocks.push(text(
        Role::AppendixTitle,
        "DANH SÁCH CÁ NHÂN ĐƯỢC TẶNG BẰNG KHEN",
    ));
    blocks.push(runs(
        Role::AppendixNote,
        vec![
            Run::plain("(Kèm theo Quyết định số "),
            slot(SlotKind::Number, ""),
            Run::plain("/QĐ-LĐLĐ ngày "),
            slot(SlotKind::Day, ""),
            Run::plain(" tháng "),
            slot(SlotKind::Month, ""),
            Run::plain(" năm 2025 của Ban Thường vụ LĐLĐ tỉnh Lai Châu)"),
        ],
    ));
    blocks.push(Block {
        role: Role::Table,
        content: Content::Table(award_list(60)),
        origin: FieldPath::new("appendices[0].body[0]"),
    });
    blocks.push(text(Role::AppendixLabel, "Phụ lục II"));
    blocks.push(text(Role::AppendixTitle, "TIÊU CHUẨN XÉT TẶNG"));
    blocks.push(text(
        Role::Paragraph,
        "Cá nhân được đề nghị phải hoàn thành xuất sắc nhiệm vụ, có sáng kiến được Hội đồng \
         thi đua cấp cơ sở công nhận; ưu tiên đoàn viên trực tiếp lao động sản xuất.",
    ));
    Composed {
        meta: Meta {
            title: "Về việc khen thưởng tập thể, cá nhân có thành tích xuất sắc".into(),
            author: "LĐLĐ TỈNH LAI CHÂU".into(),
            subject: "Quyết định về việc khen thưởng".into(),
            date: None,
            number: None,
            kind: "quyet_dinh".into(),
        },
        blocks,
    }
}

fn award_list(rows: usize) -> Table {
    let cell = |value: String| vec![Run::plain(value)];
    let header = vec![vec![
        vec![bold("TT")],
        vec![bold("Họ và tên")],
        vec![bold("Đơn vị công tác")],
        vec![bold("Ghi chú")],
    ]];
    let rows = (1..=rows)
        .map(|index| {
            vec![
                cell(index.to_string()),
                cell(format!("Đặng Thị Ngọc Diệp {index}")),
                cell(format!(
                    "Công đoàn cơ sở Trường Tiểu học số {index} xã Bản Hon"
                )),
                cell(String::new()),
            ]
        })
        .collect();
    Table {
        widths: vec![0.08, 0.32, 0.45, 0.15],
        header,
        rows,
    }
}

/// A Công văn: no type name, V/v under the number, Kính gửi list, urgency stamp, a long
/// place name that does not fit 14 pt.
fn cong_van() -> Composed {
    let mut blocks = vec![text(Role::IssuerName, "TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM")];
    blocks.extend(header(true));
    blocks.push(number("4173", "TLĐ-TOC"));
    blocks.push(text(
        Role::Summary,
        "V/v hướng dẫn nâng bậc lương năm 2025 đối với cán bộ công đoàn chuyên trách",
    ));
    blocks.push(date("Thành phố Hồ Chí Minh", "29", "12", "2025"));
    blocks.push(text(Role::Urgency, "THƯỢNG KHẨN"));
    blocks.push(text(Role::KinhGui, "Kính gửi:"));
    blocks.push(text(
        Role::KinhGuiItem,
        "- Các Liên đoàn Lao động tỉnh, thành phố;",
    ));
    blocks.push(text(Role::KinhGuiItem, "- Các Công đoàn ngành Trung ương;"));
    blocks.push(text(
        Role::KinhGuiItem,
        "- Công đoàn Tổng Công ty trực thuộc.",
    ));
    blocks.push(text(
        Role::Paragraph,
        "Thực hiện Nghị định số 204/2004/NĐ-CP của Chính phủ về chế độ tiền lương, Ban Thường \
         trực Tổng Liên đoàn hướng dẫn việc nâng bậc lương thường xuyên, nâng bậc lương trước \
         thời hạn năm 2025 đối với cán bộ công đoàn chuyên trách như sau:",
    ));
    blocks.push(text(
        Role::Paragraph,
        "Các đơn vị rà soát, lập danh sách đề nghị và gửi về Ban Tổ chức Tổng Liên đoàn trước \
         ngày 15/01/2026 để tổng hợp, trình Thường trực Đoàn Chủ tịch xem xét, quyết định./.",
    ));
    blocks.push(text(Role::RecipientsHeading, "Nơi nhận:"));
    blocks.push(text(Role::Recipient, "- Như trên;"));
    blocks.push(text(Role::Recipient, "- Thường trực ĐCT (b/c);"));
    blocks.push(text(Role::Recipient, "- Lưu: VT, TOC."));
    blocks.push(text(Role::DrafterMark, "PL.(30)"));
    blocks.push(text(Role::SignAuthority, "TL. ĐOÀN CHỦ TỊCH"));
    blocks.push(text(Role::SignTitle, "TRƯỞNG BAN TỔ CHỨC"));
    blocks.push(space());
    blocks.push(text(Role::SignName, "Lê Đình Hữu"));
    Composed {
        meta: Meta {
            title: "V/v hướng dẫn nâng bậc lương năm 2025".into(),
            author: "TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM".into(),
            subject: "Công văn V/v hướng dẫn nâng bậc lương năm 2025".into(),
            date: Some("2025-12-29".into()),
            number: Some("4173/TLĐ-TOC".into()),
            kind: "cong_van".into(),
        },
        blocks,
    }
}

/// The hand-built documents first, then every fixture composed by the templates.
fn documents() -> Vec<(String, Composed)> {
    let mut documents = vec![
        ("hand_ke_hoach".to_owned(), ke_hoach()),
        ("hand_quyet_dinh".to_owned(), quyet_dinh()),
        ("hand_cong_van".to_owned(), cong_van()),
    ];
    documents.extend(fixtures());
    documents
}

/// `tests/fixtures/seeds/*.yaml` and `tests/fixtures/extra/*.yaml`, composed.
fn fixtures() -> Vec<(String, Composed)> {
    common::fixtures::composed()
}

/// An elliptic ring of `color` on a transparent background, `width` × `height` pixels.
fn ring_png(width: u32, height: u32, color: [u8; 3]) -> Vec<u8> {
    let mut pixels = Vec::with_capacity((width * height * 4) as usize);
    let (cx, cy) = (width as f32 / 2.0, height as f32 / 2.0);
    for y in 0..height {
        for x in 0..width {
            let distance = ((x as f32 - cx) / cx).powi(2) + ((y as f32 - cy) / cy).powi(2);
            let ring = distance < 1.0 && distance > 0.7;
            let alpha = if ring { 255 } else { 0 };
            pixels.extend_from_slice(&[color[0], color[1], color[2], alpha]);
        }
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().expect("png header");
    writer.write_image_data(&pixels).expect("png data");
    writer.finish().expect("png end");
    out
}

fn options(name: &str) -> DocxOptions {
    if name != "hand_ke_hoach" {
        return DocxOptions::default();
    }
    DocxOptions {
        signature: Some(DocxImage {
            png: ring_png(240, 100, [0, 0, 200]),
            width: Some(113.0),
        }),
        seal: Some(DocxImage {
            png: ring_png(200, 200, [230, 0, 0]),
            width: None,
        }),
    }
}

// ---- the tests ------------------------------------------------------------------------------

/// LibreOffice converts every document without error; the PDFs have the decree's page setup,
/// no number on page 1, numbers from page 2, and appendix numbering restarting.
#[test]
fn libreoffice_converts_every_document() {
    let dir = work_dir("libreoffice");
    let paths = write_documents(&dir);
    let pdfs = convert_to_pdf(&dir, &paths);
    for ((name, _), pdf) in documents().iter().zip(&pdfs) {
        let info = run("pdfinfo", &[pdf.as_os_str()]);
        assert!(info.contains("(A4)"), "{name}: {info}");
    }
    let ke_hoach = &pdfs[0];
    // Hand-built documents first: hand_ke_hoach, hand_quyet_dinh, hand_cong_van.
    let first = page_text(ke_hoach, 1);
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "LƯU HÀNH NỘI BỘ",
        "Số: 36/KH-CĐN",
        "Đồng Nai, ngày 20 tháng 3 năm 2020",
    ] {
        assert!(
            first.contains(expected),
            "page 1 lacks {expected:?}:\n{first}"
        );
    }
    assert!(pages(ke_hoach) >= 2, "the Kế hoạch spans two pages");
    assert_eq!(
        first_line(&page_text(ke_hoach, 2)),
        "2",
        "page 2 is numbered"
    );
    assert!(!first_line(&first).chars().all(|c| c.is_ascii_digit()));

    // Quyết định: Phụ lục I starts a new page, unnumbered, then its pages count from 2; the
    // award list's header row repeats on its second page.
    let decision = &pdfs[1];
    let count = pages(decision);
    let appendix = (1..=count)
        .find(|page| page_text(decision, *page).contains("Phụ lục I"))
        .expect("Phụ lục I page");
    assert!(appendix >= 2);
    assert!(page_text(decision, appendix).contains("DANH SÁCH CÁ NHÂN ĐƯỢC TẶNG BẰNG KHEN"));
    let next = page_text(decision, appendix + 1);
    assert_eq!(first_line(&next), "2", "appendix pages restart at 1");
    assert!(next.contains("Họ và tên"), "header row repeats:\n{next}");
    let last_appendix = page_text(decision, count);
    assert!(last_appendix.contains("Phụ lục II"));
    assert!(
        !first_line(&last_appendix)
            .chars()
            .all(|c| c.is_ascii_digit())
    );

    // Công văn: the Kính gửi dashes stand under the colon of "Kính gửi:" (FORMAT.md §3.10).
    let letter = words(&pdfs[2], 1);
    let kinh_gui = find_word(&letter, "gửi:");
    let colon = kinh_gui.2;
    let dashes: Vec<&Word> = letter
        .iter()
        .filter(|word| word.0 == "-" && word.1 > 150.0 && word.3 > kinh_gui.3)
        .collect();
    assert_eq!(dashes.len(), 3, "three recipients");
    for dash in dashes {
        assert!(
            (dash.1 - (colon - 4.0)).abs() < 1.5,
            "dash at {} vs colon {colon}",
            dash.1
        );
    }
    // Baselines: "Số:" (13 pt) with the place-date line (14 pt), "Nơi nhận:" (12 pt) with
    // the first authority line (14 pt). A word's box top is its baseline minus the ascent.
    let baseline = |word: &Word, size: f32| word.3 + 0.891 * size;
    let first = words(ke_hoach, 1);
    let number = baseline(find_word(&first, "Số:"), 13.0);
    let place = baseline(find_word(&first, "Đồng"), 14.0);
    assert!(
        (number - place).abs() < 0.5,
        "Số: {number} vs place-date {place}"
    );
    let last = words(ke_hoach, pages(ke_hoach));
    let heading = baseline(find_word(&last, "Nơi"), 12.0);
    let authority = baseline(find_word(&last, "TM."), 14.0);
    assert!(
        (heading - authority).abs() < 0.5,
        "Nơi nhận {heading} vs TM. {authority}"
    );
}

/// LibreOffice's PDF of our DOCX and our own PDF of the same model have the same number of
/// pages, so a clerk who finishes the document in Word gets what the PDF showed.
#[test]
fn page_counts_agree_with_the_pdf_renderer() {
    let dir = work_dir("page_counts");
    let paths = write_documents(&dir);
    let pdfs = convert_to_pdf(&dir, &paths);
    let mut disagree = Vec::new();
    for ((name, composed), pdf) in documents().iter().zip(&pdfs) {
        let ours = pdf::render(composed, &PdfOptions::default()).expect("our PDF");
        let ours_path = dir.join(format!("{name}.ours.pdf"));
        std::fs::write(&ours_path, &ours.bytes).expect("write pdf");
        if ours.pages != pages(pdf) {
            disagree.push(format!(
                "{name}: DOCX {} pages, PDF {}",
                pages(pdf),
                ours.pages
            ));
            continue;
        }
        // Paragraphs break into the same lines: the documents' text lines agree within 2 %.
        // Where a page ends may differ by a few lines (widow, orphan and keep-with-next
        // rules are LibreOffice's own); the table is printed with --nocapture.
        let (docx_lines, pdf_lines) = (page_lines(pdf), page_lines(&ours_path));
        println!("{name}: lines per page DOCX {docx_lines:?}, PDF {pdf_lines:?}");
        let total = |lines: &[usize]| lines.iter().sum::<usize>() as f64;
        let relative = (total(&docx_lines) - total(&pdf_lines)).abs() / total(&pdf_lines);
        if relative > 0.02 {
            disagree.push(format!(
                "{name}: lines per page DOCX {docx_lines:?}, PDF {pdf_lines:?}"
            ));
        }
    }
    assert!(
        disagree.is_empty(),
        "page counts differ:\n{}",
        disagree.join("\n")
    );
}

/// python-docx reads back exactly the model's text, the page setup, the styles and the
/// document properties.
#[test]
fn python_docx_reads_the_models_text() {
    let dir = work_dir("python_docx");
    let paths = write_documents(&dir);
    let report = python_report(&dir, &paths);
    for ((name, composed), doc) in documents().iter().zip(&report) {
        let expected = normalised(composed.texts());
        let actual = normalised(strings(&doc["texts"]));
        assert_eq!(actual, expected, "{name}: texts differ");
        assert_eq!(
            doc["page"], "210.0x297.0 20.0/20.0/30.0/15.0",
            "{name}: page setup"
        );
        assert_eq!(doc["different_first_page"], "True", "{name}");
        assert_eq!(doc["core"]["title"], composed.meta.title, "{name}");
        assert_eq!(doc["core"]["author"], composed.meta.author, "{name}");
        assert_eq!(doc["core"]["subject"], composed.meta.subject, "{name}");
        let created = str_of(&doc["core"]["created"]);
        match &composed.meta.date {
            Some(date) => assert!(created.starts_with(date.as_str()), "{name}: {created}"),
            None => assert_eq!(created, "None", "{name}"),
        }
        assert_eq!(
            doc["header"], "PAGE",
            "{name}: the header holds a PAGE field"
        );
    }
    // Styles carry the decree's format, and paragraphs reference them.
    let style = |doc: &Value, id: &str| str_of(&doc["styles"][id]).to_owned();
    let plan = &report[0];
    assert_eq!(
        style(plan, "Normal"),
        "Times New Roman 14.0 JUSTIFY first=1.27"
    );
    assert_eq!(
        style(plan, "VB Nơi nhận"),
        "Times New Roman 12.0 bold italic LEFT"
    );
    assert_eq!(
        style(plan, "VB Nơi nhận - mục"),
        "Times New Roman 11.0 LEFT"
    );
    assert_eq!(
        style(plan, "VB Quốc hiệu"),
        "Times New Roman 13.0 bold CENTER"
    );
    assert_eq!(
        style(plan, "VB Tiêu ngữ"),
        "Times New Roman 14.0 bold CENTER"
    );
    assert_eq!(
        style(plan, "VB Địa danh, ngày tháng"),
        "Times New Roman 14.0 italic CENTER"
    );
    assert_eq!(
        style(plan, "Heading 1"),
        "Times New Roman 14.0 bold JUSTIFY first=1.27"
    );
    assert_eq!(
        style(plan, "VB Độ khẩn"),
        "Times New Roman 13.0 bold LEFT red"
    );
    assert_eq!(
        plan["fonts"],
        "Times New Roman/Times New Roman/Times New Roman/Times New Roman"
    );
    let used = &plan["paragraph_styles"];
    assert_eq!(used["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"], "VB Quốc hiệu");
    assert_eq!(used["Nơi nhận:"], "VB Nơi nhận");
    assert_eq!(used["I. MỤC ĐÍCH, YÊU CẦU"], "Heading 1");
    assert_eq!(used["- LĐLĐ tỉnh (b/c);"], "VB Nơi nhận - mục");
    assert_eq!(plan["images"], "2", "signature and seal");
    // The award list repeats its header row; the appendices are new-page sections.
    let decision = &report[1];
    assert_eq!(decision["repeated_header_rows"], "1");
    assert_eq!(
        decision["sections"],
        "NEW_PAGE NEW_PAGE restart NEW_PAGE restart"
    );
}

/// Every part has a content type, every relationship target exists, every id the document
/// uses is a relationship, entries are deflated, and the same input gives the same bytes.
#[test]
fn package_has_valid_content_types_and_relationships() {
    for (name, composed) in documents() {
        let bytes = render(&composed, &options(&name)).expect("render");
        assert_eq!(
            bytes,
            render(&composed, &options(&name)).expect("again"),
            "{name}: deterministic"
        );
        let package = Package::read(&bytes);
        package.check_content_types(&name);
        package.check_relationships(&name);
        let document = package.text("word/document.xml");
        let rels = package.relationship_ids("word/_rels/document.xml.rels");
        for id in
            attribute_values(&document, "r:id=\"").chain(attribute_values(&document, "r:embed=\""))
        {
            assert!(rels.contains(&id), "{name}: r:id {id} has no relationship");
        }
        assert!(package.all_deflated(), "{name}: entries are compressed");
    }
}

// ---- readers --------------------------------------------------------------------------------

type Value = serde_json::Value;

fn str_of(value: &Value) -> &str {
    value.as_str().unwrap_or("")
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|items| items.iter().map(|item| str_of(item).to_owned()).collect())
        .unwrap_or_default()
}

/// Whitespace collapsed (slot gaps are runs of spaces), empty entries dropped, sorted.
fn normalised(texts: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = texts
        .iter()
        .map(|text| text.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|text| !text.is_empty())
        .collect();
    out.sort();
    out
}

fn work_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("render_docx")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("work dir");
    dir
}

fn write_documents(dir: &Path) -> Vec<PathBuf> {
    documents()
        .into_iter()
        .map(|(name, composed)| {
            let path = dir.join(format!("{name}.docx"));
            let bytes = render(&composed, &options(&name)).expect("render");
            std::fs::write(&path, bytes).expect("write docx");
            path
        })
        .collect()
}

/// One soffice call for all documents, with a private profile and our fonts (Liberation Serif
/// 2.1.5 stands in for Times New Roman, with every Vietnamese letter).
fn convert_to_pdf(dir: &Path, paths: &[PathBuf]) -> Vec<PathBuf> {
    let profile = dir.join("profile");
    let fonts_conf = dir.join("fonts.conf");
    let fonts = Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts");
    std::fs::write(
        &fonts_conf,
        format!(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig>\
             <include ignore_missing=\"yes\">/etc/fonts/fonts.conf</include><dir>{}</dir>\
             <cachedir>{}</cachedir></fontconfig>\n",
            fonts.display(),
            dir.join("fontcache").display()
        ),
    )
    .expect("fonts.conf");
    let output = Command::new("soffice")
        .env("FONTCONFIG_FILE", &fonts_conf)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(dir)
        .args(paths)
        .output()
        .expect("soffice runs");
    assert!(
        output.status.success(),
        "soffice: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    paths
        .iter()
        .map(|path| {
            let pdf = path.with_extension("pdf");
            let size = std::fs::metadata(&pdf).map(|meta| meta.len()).unwrap_or(0);
            assert!(size > 1000, "{} was not converted", path.display());
            pdf
        })
        .collect()
}

fn run(program: &str, args: &[&std::ffi::OsStr]) -> String {
    let output = Command::new(program).args(args).output().expect(program);
    assert!(
        output.status.success(),
        "{program}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Non-empty text lines of each page, as `pdftotext -layout` sees them.
fn page_lines(pdf: &Path) -> Vec<usize> {
    let text = run(
        "pdftotext",
        &["-layout".as_ref(), pdf.as_os_str(), "-".as_ref()],
    );
    text.split('\u{c}')
        .map(|page| page.lines().filter(|line| !line.trim().is_empty()).count())
        .filter(|count| *count > 0)
        .collect()
}

fn pages(pdf: &Path) -> usize {
    let info = run("pdfinfo", &[pdf.as_os_str()]);
    info.lines()
        .find_map(|line| line.strip_prefix("Pages:"))
        .and_then(|count| count.trim().parse().ok())
        .expect("page count")
}

fn page_text(pdf: &Path, page: usize) -> String {
    let page = page.to_string();
    let args = ["-layout", "-f", &page, "-l", &page];
    let mut all: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsStr::new).collect();
    all.push(pdf.as_os_str());
    all.push(std::ffi::OsStr::new("-"));
    run("pdftotext", &all)
}

/// A word on a page: text, x min, x max, y min (top, in pt from the top edge).
type Word = (String, f32, f32, f32);

fn words(pdf: &Path, page: usize) -> Vec<Word> {
    let page = page.to_string();
    let args = ["-bbox", "-f", &page, "-l", &page];
    let mut all: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsStr::new).collect();
    all.push(pdf.as_os_str());
    all.push(std::ffi::OsStr::new("-"));
    let html = run("pdftotext", &all);
    html.lines()
        .filter_map(|line| {
            let line = line.trim().strip_prefix("<word ")?;
            let number = |name: &str| -> Option<f32> {
                let start = line.find(&format!("{name}=\""))? + name.len() + 2;
                line[start..].split('"').next()?.parse().ok()
            };
            let text = line.split('>').nth(1)?.split('<').next()?.to_owned();
            Some((text, number("xMin")?, number("xMax")?, number("yMin")?))
        })
        .collect()
}

fn find_word<'a>(words: &'a [Word], text: &str) -> &'a Word {
    words
        .iter()
        .find(|word| word.0 == text)
        .unwrap_or_else(|| panic!("no word {text:?}"))
}

fn first_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .unwrap_or("")
        .to_owned()
}

const PYTHON_REPORT: &str = r#"
import json, sys, zipfile
from lxml import etree
import docx
from docx.shared import Length

W = '{http://schemas.openxmlformats.org/wordprocessingml/2006/main}'

def style_summary(style):
    font = style.font
    fmt = style.paragraph_format
    parts = [str(font.name), str(font.size.pt if font.size else None)]
    if font.bold: parts.append('bold')
    if font.italic: parts.append('italic')
    parts.append(str(fmt.alignment).split('.')[-1].split(' ')[0])
    if fmt.first_line_indent:
        parts.append('first=%.2f' % fmt.first_line_indent.cm)
    if font.color is not None and font.color.rgb is not None and str(font.color.rgb) == 'FF0000':
        parts.append('red')
    return ' '.join(parts)

def block_texts(container, out, used):
    for child in container.iter_inner_content():
        if isinstance(child, docx.text.paragraph.Paragraph):
            out.append(child.text)
            if child.text.strip():
                used[child.text] = child.style.name if child.style is not None else ''
        else:
            for row in child.rows:
                for cell in row.cells:
                    block_texts(cell, out, used)

report = []
for path in sys.argv[1:]:
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if name.endswith('.xml') or name.endswith('.rels'):
                etree.fromstring(package.read(name))
        document_xml = etree.fromstring(package.read('word/document.xml'))
        styles_xml = etree.fromstring(package.read('word/styles.xml'))
    d = docx.Document(path)
    texts, used = [], {}
    block_texts(d, texts, used)
    first = d.sections[0]
    for part in (first.first_page_header, first.first_page_footer):
        if not part.is_linked_to_previous:
            block_texts(part, texts, used)
    header = first.header._element.xml
    page_field = 'PAGE' if 'PAGE' in ''.join(header.split('instrText')[1:2]) else header
    sections = []
    for section in d.sections:
        sections.append(str(section.start_type).split('.')[-1].split(' ')[0])
        if section._sectPr.find(W + 'pgNumType') is not None:
            sections.append('restart')
    rfonts = styles_xml.find('.//' + W + 'rPrDefault').find('.//' + W + 'rFonts')
    fonts = '/'.join(rfonts.get(W + a) for a in ('ascii', 'hAnsi', 'eastAsia', 'cs'))
    core = d.core_properties
    report.append({
        'texts': texts,
        'paragraph_styles': used,
        'page': '%.1fx%.1f %.1f/%.1f/%.1f/%.1f' % (
            first.page_width.mm, first.page_height.mm, first.top_margin.mm,
            first.bottom_margin.mm, first.left_margin.mm, first.right_margin.mm),
        'different_first_page': str(first.different_first_page_header_footer),
        'header': page_field,
        'sections': ' '.join(sections),
        'styles': {s.name: style_summary(s) for s in d.styles if s.type == 1},
        'fonts': fonts,
        'core': {'title': core.title, 'author': core.author, 'subject': core.subject,
                 'created': str(core.created)},
        'images': str(len(document_xml.findall('.//{http://schemas.openxmlformats.org/drawingml/2006/main}blip'))),
        'repeated_header_rows': str(len(document_xml.findall('.//' + W + 'tblHeader'))),
    })
print(json.dumps(report, ensure_ascii=False))
"#;

fn python_report(dir: &Path, paths: &[PathBuf]) -> Vec<Value> {
    let script = dir.join("report.py");
    std::fs::write(&script, PYTHON_REPORT).expect("script");
    let output = Command::new("python3")
        .arg(&script)
        .args(paths)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "python-docx: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).expect("json report");
    report.as_array().cloned().expect("one entry per document")
}

/// The zip entries of a package.
struct Package {
    entries: BTreeMap<String, (Vec<u8>, bool)>,
}

impl Package {
    fn read(bytes: &[u8]) -> Package {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
        let mut entries = BTreeMap::new();
        for index in 0..archive.len() {
            let mut file = archive.by_index(index).expect("entry");
            let deflated = file.compression() == zip::CompressionMethod::Deflated;
            let mut data = Vec::new();
            file.read_to_end(&mut data).expect("read entry");
            entries.insert(file.name().to_owned(), (data, deflated));
        }
        Package { entries }
    }

    fn text(&self, name: &str) -> String {
        let (data, _) = self
            .entries
            .get(name)
            .unwrap_or_else(|| panic!("no part {name}"));
        String::from_utf8(data.clone()).expect("utf-8 part")
    }

    fn all_deflated(&self) -> bool {
        self.entries.values().all(|(_, deflated)| *deflated)
    }

    fn check_content_types(&self, name: &str) {
        let types = self.text("[Content_Types].xml");
        let defaults: BTreeSet<String> = attribute_values(&types, "Extension=\"").collect();
        let overrides: BTreeSet<String> = attribute_values(&types, "PartName=\"").collect();
        for part in self
            .entries
            .keys()
            .filter(|part| *part != "[Content_Types].xml")
        {
            let extension = part.rsplit('.').next().unwrap_or("");
            let covered = overrides.contains(&format!("/{part}")) || defaults.contains(extension);
            assert!(covered, "{name}: {part} has no content type");
        }
        for part in &overrides {
            assert!(
                self.entries.contains_key(&part[1..]),
                "{name}: override for missing {part}"
            );
        }
        for main in [
            "/word/document.xml",
            "/word/styles.xml",
            "/docProps/core.xml",
        ] {
            assert!(overrides.contains(main), "{name}: {main} needs an override");
        }
    }

    fn check_relationships(&self, name: &str) {
        let rels: Vec<&String> = self
            .entries
            .keys()
            .filter(|part| part.ends_with(".rels"))
            .collect();
        assert!(
            rels.iter().any(|part| *part == "_rels/.rels"),
            "{name}: root relationships"
        );
        for rel in rels {
            let xml = self.text(rel);
            let source = rel
                .strip_suffix(".rels")
                .unwrap_or(rel)
                .replace("_rels/", "");
            let source_dir = source
                .rfind('/')
                .map_or(String::new(), |at| source[..=at].to_owned());
            let ids: Vec<String> = attribute_values(&xml, "Id=\"").collect();
            let unique: BTreeSet<&String> = ids.iter().collect();
            assert_eq!(unique.len(), ids.len(), "{name}: duplicate ids in {rel}");
            for target in attribute_values(&xml, "Target=\"") {
                let path = format!("{source_dir}{target}");
                assert!(
                    self.entries.contains_key(&path),
                    "{name}: {rel} → missing {path}"
                );
            }
        }
    }

    fn relationship_ids(&self, rel: &str) -> BTreeSet<String> {
        attribute_values(&self.text(rel), "Id=\"").collect()
    }
}

/// The values of every attribute written as `prefix` (e.g. `Target="`).
fn attribute_values<'a>(xml: &'a str, prefix: &'a str) -> impl Iterator<Item = String> + 'a {
    xml.split(prefix)
        .skip(1)
        .filter_map(|rest| rest.split('"').next().map(str::to_owned))
}

/// `vanban render` puts the signature and seal images the data names into the DOCX (ô 7c, ô 8),
/// and a missing image file is an error naming it, exit 2.
#[test]
fn render_cli_places_the_images_the_data_names() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    std::fs::copy(
        fixtures.join("profiles.yaml"),
        dir.path().join("profiles.yaml"),
    )
    .expect("profiles");
    std::fs::write(
        dir.path().join("chu-ky.png"),
        ring_png(240, 100, [0, 0, 200]),
    )
    .expect("png");
    std::fs::write(dir.path().join("dau.png"), ring_png(200, 200, [230, 0, 0])).expect("png");
    let source =
        std::fs::read_to_string(fixtures.join("extra/to_trinh_khen_thuong.yaml")).expect("fixture");
    let with_images = source.replace(
        "  name: \"Phạm Thị Thu Trang\"\n",
        "  name: \"Phạm Thị Thu Trang\"\n  image: \"chu-ky.png\"\n  seal: \"dau.png\"\n",
    );
    assert_ne!(with_images, source, "the fixture's signature block changed");
    let input = dir.path().join("to-trinh.yaml");
    std::fs::write(&input, &with_images).expect("write");
    let output = dir.path().join("to-trinh.docx");
    let run = Command::new(env!("CARGO_BIN_EXE_vanban"))
        .arg("render")
        .arg(&input)
        .arg("-o")
        .arg(&output)
        .output()
        .expect("vanban render");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let bytes = std::fs::read(&output).expect("docx");
    let archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let media = archive
        .file_names()
        .filter(|n| n.starts_with("word/media/"))
        .count();
    assert_eq!(
        media,
        2,
        "signature and seal: {:?}",
        archive.file_names().collect::<Vec<_>>()
    );

    std::fs::remove_file(dir.path().join("dau.png")).expect("remove");
    let missing = Command::new(env!("CARGO_BIN_EXE_vanban"))
        .arg("render")
        .arg(&input)
        .arg("-o")
        .arg(&output)
        .output()
        .expect("vanban render");
    assert_eq!(missing.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(
        stderr.contains("dau.png") && stderr.contains("seal"),
        "{stderr}"
    );
}

/// The break rules in the Word file: the styles ask for widow and orphan control by default
/// and keep headings with the next paragraph, and LibreOffice, laying out the Kế hoạch with a
/// filler of growing length, never leaves the signature row on a page without body text.
#[test]
fn break_rules_hold_in_libreoffice_wherever_the_page_ends() {
    let dir = work_dir("break_rules");
    let base = render(&ke_hoach(), &DocxOptions::default()).expect("render");
    let styles = zip_part(&base, "word/styles.xml");
    let defaults = &styles[..styles.find("</w:docDefaults>").expect("docDefaults")];
    assert!(
        defaults.contains("<w:widowControl/>"),
        "widow/orphan control is not on by default"
    );
    let fillers: Vec<usize> = (0..14).map(|step| step * 30).collect();
    let paths: Vec<PathBuf> = fillers
        .iter()
        .map(|&words| {
            let mut composed = ke_hoach();
            let closing = composed
                .blocks
                .iter()
                .position(|block| block.role == Role::Closing)
                .expect("a closing paragraph");
            let filler = (0..words)
                .map(|i| {
                    [
                        "Công", "đoàn", "ngành", "Y", "tế", "phối", "hợp", "thực", "hiện",
                    ][i % 9]
                })
                .collect::<Vec<_>>()
                .join(" ");
            if words > 0 {
                composed
                    .blocks
                    .insert(closing, text(Role::Paragraph, &filler));
            }
            let path = dir.join(format!("filler_{words:03}.docx"));
            std::fs::write(
                &path,
                render(&composed, &DocxOptions::default()).expect("render"),
            )
            .expect("write docx");
            path
        })
        .collect();
    let pdfs = convert_to_pdf(&dir, &paths);
    let mut row_pages = BTreeSet::new();
    for (words, pdf) in fillers.iter().zip(&pdfs) {
        let count = pages(pdf);
        let page = (1..=count)
            .find(|&page| page_text(pdf, page).contains("Nơi nhận:"))
            .unwrap_or_else(|| panic!("filler {words}: no page has Nơi nhận"));
        let text = page_text(pdf, page);
        let above: Vec<&str> = text
            .lines()
            .map(str::trim)
            .take_while(|line| !line.contains("Nơi nhận:"))
            .filter(|line| !line.is_empty() && !line.chars().all(|c| c.is_ascii_digit()))
            .collect();
        assert!(
            above.len() >= 2,
            "filler {words}: page {page} of {count} starts with the signature row: {above:?}"
        );
        println!(
            "filler {words}: row on page {page}/{count}, {} lines above",
            above.len()
        );
        row_pages.insert(page);
    }
    assert!(
        row_pages.len() >= 2,
        "the sweep never moved the signature row to another page: {row_pages:?}"
    );
}

fn zip_part(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut part = archive.by_name(name).expect("part");
    let mut text = String::new();
    part.read_to_string(&mut text).expect("utf-8 part");
    text
}
