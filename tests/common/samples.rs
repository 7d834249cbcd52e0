//! Hand-built composed documents (a Kế hoạch, a Quyết định with a table and an appendix, a
//! Công văn), used until the compose step and the fixtures are on main.

#![allow(dead_code)]

use vanban::compose::{Block, Composed, Content, Meta, Role, Run, SlotKind, Table};
use vanban::diag::FieldPath;

pub fn block(role: Role, text: &str, origin: &str) -> Block {
    Block {
        role,
        content: Content::Text(vec![Run::plain(text)]),
        origin: FieldPath::new(origin),
    }
}

pub fn runs(role: Role, runs: Vec<Run>, origin: &str) -> Block {
    Block {
        role,
        content: Content::Text(runs),
        origin: FieldPath::new(origin),
    }
}

pub fn bold(text: &str) -> Run {
    Run {
        bold: true,
        ..Run::plain(text)
    }
}

pub fn italic(text: &str) -> Run {
    Run {
        italic: true,
        ..Run::plain(text)
    }
}

pub fn slot(kind: SlotKind, value: &str) -> Run {
    Run {
        slot: Some(kind),
        ..Run::plain(value)
    }
}

fn meta(title: &str, author: &str, kind: &str, number: Option<&str>, date: Option<&str>) -> Meta {
    Meta {
        title: title.into(),
        author: author.into(),
        subject: format!("{kind}: {title}"),
        date: date.map(Into::into),
        number: number.map(Into::into),
        kind: kind.into(),
    }
}

fn letterhead(
    parent: &str,
    issuer: &[&str],
    number: Option<&str>,
    symbol: &str,
    place: &str,
    date: Option<(&str, &str, &str)>,
) -> Vec<Block> {
    let mut blocks = vec![block(Role::ParentName, parent, "issuer.parent")];
    for (i, line) in issuer.iter().enumerate() {
        blocks.push(block(Role::IssuerName, line, &format!("issuer.name[{i}]")));
    }
    blocks.push(block(
        Role::NationalName,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "national_header",
    ));
    blocks.push(block(
        Role::Motto,
        "Độc lập - Tự do - Hạnh phúc",
        "national_header",
    ));
    blocks.push(runs(
        Role::Number,
        vec![
            Run::plain("Số: "),
            slot(SlotKind::Number, number.unwrap_or("")),
            Run::plain(format!("/{symbol}")),
        ],
        "number",
    ));
    let (d, m, y) = date.unwrap_or(("", "", ""));
    blocks.push(runs(
        Role::PlaceDate,
        vec![
            Run::plain(format!("{place}, ngày ")),
            slot(SlotKind::Day, d),
            Run::plain(" tháng "),
            slot(SlotKind::Month, m),
            Run::plain(" năm "),
            slot(SlotKind::Year, y),
        ],
        "date",
    ));
    blocks
}

const LONG: [&str; 4] = [
    "Nhằm tạo sự chuyển biến mạnh mẽ về nhận thức và trách nhiệm của các cấp công đoàn, cán bộ, đoàn viên, công nhân, viên chức, lao động (CNVCLĐ), trong công tác thi đua, khen thưởng. Động viên cán bộ, đoàn viên CNVCLĐ năng động, sáng tạo, hăng hái thi đua lao động sản xuất, công tác.",
    "Đổi mới công tác thi đua, khen thưởng của tổ chức công đoàn theo hướng thiết thực, hiệu quả, khắc phục bệnh thành tích, hình thức trong thi đua cho phù hợp tình hình thực tế của cơ quan đơn vị doanh nghiệp. Khen thưởng đảm bảo chính xác, kịp thời, công khai, minh bạch, hướng về người lao động trực tiếp; xây dựng đội ngũ cán bộ làm công tác thi đua khen thưởng sáng tạo, tận tâm, trách nhiệm.",
    "Triển khai đồng bộ phong trào thi đua trong các cấp công đoàn góp phần xây dựng tổ chức Công đoàn vững mạnh; đồng thời công đoàn phối hợp với thủ trưởng cơ quan, người sử dụng lao động tổ chức hiệu quả phong trào thi đua trong công nhân, viên chức, lao động; góp phần nâng cao năng suất lao động, vị thế và uy tín của tổ chức Công đoàn trong hội nhập và phát triển.",
    "Lựa chọn nội dung phát động thi đua phải bám sát vào nhiệm vụ trọng tâm của ngành, các cơ quan, đơn vị và tổ chức Công đoàn; không phát động nhiều phong trào trong cùng một thời điểm. Trọng tâm thi đua phải hướng về cơ sở, gắn với nhiệm vụ sản xuất – kinh doanh, nâng cao năng suất lao động, xây dựng hệ thống chính trị vững mạnh và hiệu quả quản lý nhà nước.",
];

fn signature_blocks(title: &str, name: &str) -> Vec<Block> {
    vec![
        block(Role::RecipientsHeading, "Nơi nhận:", "recipients"),
        block(
            Role::Recipient,
            "- LĐLĐ tỉnh Đồng Nai (b/c);",
            "recipients[0]",
        ),
        block(
            Role::Recipient,
            "- Sở Y tế Đồng Nai (để phối hợp);",
            "recipients[1]",
        ),
        block(Role::Recipient, "- Như trên (34 CĐCS);", "recipients[2]"),
        block(Role::Recipient, "- Ban Thường vụ CĐN;", "recipients[3]"),
        block(Role::Recipient, "- Lưu: VT, CĐN.", "archive"),
        block(
            Role::SignAuthority,
            "TM. BAN THƯỜNG VỤ",
            "signature.authority",
        ),
        block(Role::SignTitle, title, "signature.title"),
        Block {
            role: Role::SignSpace,
            content: Content::Space,
            origin: FieldPath::new("signature"),
        },
        block(Role::SignName, name, "signature.name"),
    ]
}

/// A 4-page Kế hoạch (seed 002), numbered or a draft.
pub fn ke_hoach(numbered: bool) -> Composed {
    let date = numbered.then_some(("20", "3", "2020"));
    let mut blocks = letterhead(
        "LĐLĐ TỈNH ĐỒNG NAI",
        &["CÔNG ĐOÀN NGÀNH Y TẾ"],
        numbered.then_some("36"),
        "KH-CĐN",
        "Đồng Nai",
        date,
    );
    blocks.push(block(Role::TypeName, "KẾ HOẠCH", "kind"));
    blocks.push(block(Role::Title, "Về đổi mới công tác thi đua, khen thưởng trong công nhân, viên chức, lao động và hoạt động công đoàn ngành Y tế", "title"));
    blocks.push(block(Role::Paragraph, "Thực hiện Kế hoạch số 94/KH-LĐ ngày 10/3/2020 của Ban Thường vụ Liên đoàn Lao động tỉnh về đổi mới công tác thi đua, khen thưởng trong công nhân, viên chức, lao động và hoạt động công đoàn, Ban Thường vụ Công đoàn ngành Y tế xây dựng kế hoạch tổ chức triển khai, thực hiện như sau:", "opening"));
    let headings = [
        "I. MỤC ĐÍCH, YÊU CẦU",
        "II. CHỈ TIÊU PHẤN ĐẤU HÀNG NĂM",
        "III. NỘI DUNG VÀ GIẢI PHÁP CHỦ YẾU",
        "IV. TỔ CHỨC THỰC HIỆN",
    ];
    for (s, heading) in headings.iter().enumerate() {
        blocks.push(block(Role::Heading1, heading, &format!("body[{s}].title")));
        blocks.push(block(
            Role::Heading2,
            &format!("{}. Đổi mới nội dung, hình thức tổ chức thi đua", s + 1),
            &format!("body[{s}].children[0].title"),
        ));
        for (p, text) in LONG.iter().enumerate() {
            let role = if p % 2 == 0 {
                Role::NumberedParagraph
            } else {
                Role::Bullet
            };
            let text = if role == Role::Bullet {
                format!("- {text}")
            } else {
                format!("{}. {text}", p + 1)
            };
            blocks.push(block(
                role,
                &text,
                &format!("body[{s}].children[{}].text", p + 1),
            ));
        }
    }
    blocks.push(runs(
        Role::Closing,
        vec![
            Run::plain("Đề nghị các Công đoàn cơ sở báo cáo kết quả thực hiện về Công đoàn ngành "),
            bold("trước ngày 18/11/2020"),
            Run::plain(" để tổng hợp báo cáo Liên đoàn Lao động tỉnh./."),
        ],
        "closing[0]",
    ));
    blocks.extend(signature_blocks("PHÓ CHỦ TỊCH", "Đàm Đức Chính"));
    blocks.push(block(Role::Address, "Địa chỉ: 2 Phan Đình Phùng, phường Trung Dũng, Biên Hòa, Đồng Nai. ĐT: 0251.3822.xxx; E-mail: congdoanyte@dongnai.gov.vn", "address[0]"));
    Composed {
        meta: meta(
            "Về đổi mới công tác thi đua, khen thưởng trong công nhân, viên chức, lao động và hoạt động công đoàn ngành Y tế",
            "CÔNG ĐOÀN NGÀNH Y TẾ",
            "Kế hoạch",
            numbered.then_some("36/KH-CĐN"),
            numbered.then_some("2020-03-20"),
        ),
        blocks,
    }
}

fn cell(text: &str) -> Vec<Run> {
    vec![Run::plain(text)]
}

/// A Quyết định with căn cứ, a table that spans pages, and an appendix.
pub fn quyet_dinh() -> Composed {
    let mut blocks = letterhead(
        "TỔNG LĐLĐ VIỆT NAM",
        &["CÔNG ĐOÀN THAN - KHOÁNG SẢN VIỆT NAM"],
        Some("115"),
        "QĐ-CĐTKV",
        "Hà Nội",
        Some(("29", "3", "2019")),
    );
    blocks.push(block(Role::TypeName, "QUYẾT ĐỊNH", "kind"));
    blocks.push(block(Role::Title, "Về việc khen thưởng các tập thể và cá nhân có thành tích xuất sắc trong phong trào thi đua năm 2018", "title"));
    blocks.push(block(
        Role::AuthorityLine,
        "BAN THƯỜNG VỤ CÔNG ĐOÀN THAN - KHOÁNG SẢN VIỆT NAM",
        "authority",
    ));
    blocks.push(block(
        Role::Basis,
        "Căn cứ Điều lệ Công đoàn Việt Nam;",
        "can_cu.items[0]",
    ));
    blocks.push(block(Role::Basis, "Căn cứ Quy chế khen thưởng của Tổng Liên đoàn Lao động Việt Nam ban hành kèm theo Quyết định số 1696/QĐ-TLĐ ngày 25/12/2018;", "can_cu.items[1]"));
    blocks.push(block(
        Role::Basis,
        "Xét đề nghị của Ban Chính sách - Pháp luật.",
        "can_cu.items[2]",
    ));
    blocks.push(block(Role::DecisionWord, "QUYẾT ĐỊNH:", "decision"));
    blocks.push(runs(Role::Article, vec![bold("Điều 1. "), Run::plain("Tặng Bằng khen của Ban Thường vụ cho các tập thể và cá nhân có tên trong danh sách dưới đây:")], "body[0]"));
    let mut rows = Vec::new();
    for i in 1..=45 {
        rows.push(vec![
            cell(&i.to_string()),
            cell(&format!("Nguyễn Thị Hương Giang {i}")),
            cell(
                "Công đoàn Công ty Than Hà Lầm - Vinacomin, tổ sản xuất số 3 phân xưởng khai thác",
            ),
            cell("Lao động giỏi"),
        ]);
    }
    blocks.push(Block {
        role: Role::Table,
        content: Content::Table(Table {
            widths: Vec::new(),
            header: vec![vec![
                cell("TT"),
                cell("Họ và tên"),
                cell("Đơn vị"),
                cell("Danh hiệu"),
            ]],
            rows,
        }),
        origin: FieldPath::new("body[1].table"),
    });
    blocks.push(block(Role::Article, "Điều 2. Ban Chính sách - Pháp luật, Văn phòng và các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.", "body[2]"));
    blocks.extend(signature_blocks("CHỦ TỊCH", "Lê Thanh Xuân"));
    blocks.push(block(Role::AppendixLabel, "Phụ lục", "appendices[0].label"));
    blocks.push(block(
        Role::AppendixTitle,
        "DANH SÁCH ĐƠN VỊ ĐỀ NGHỊ KHEN THƯỞNG",
        "appendices[0].title",
    ));
    blocks.push(runs(
        Role::AppendixNote,
        vec![
            Run::plain("(Kèm theo Quyết định số "),
            slot(SlotKind::Number, "115"),
            Run::plain(
                "/QĐ-CĐTKV ngày 29 tháng 3 năm 2019 của Công đoàn Than - Khoáng sản Việt Nam)",
            ),
        ],
        "appendices[0].attached_note",
    ));
    for (i, text) in LONG.iter().enumerate() {
        blocks.push(block(
            Role::Paragraph,
            text,
            &format!("appendices[0].body[{i}]"),
        ));
    }
    Composed {
        meta: meta(
            "Về việc khen thưởng",
            "CÔNG ĐOÀN THAN - KHOÁNG SẢN VIỆT NAM",
            "Quyết định",
            Some("115/QĐ-CĐTKV"),
            Some("2019-03-29"),
        ),
        blocks,
    }
}

/// A Công văn draft with V/v, an urgency stamp and a Kính gửi list.
pub fn cong_van() -> Composed {
    let mut blocks = letterhead(
        "TỔNG LĐLĐ VIỆT NAM",
        &["LIÊN ĐOÀN LAO ĐỘNG TỈNH THANH HÓA"],
        None,
        "LĐLĐ-TC",
        "Thành phố Hồ Chí Minh",
        None,
    );
    blocks.push(block(
        Role::Summary,
        "V/v nâng bậc lương năm 2025 cho cán bộ công đoàn chuyên trách",
        "title",
    ));
    blocks.push(block(Role::Urgency, "THƯỢNG KHẨN", "urgency"));
    blocks.push(block(Role::KinhGui, "Kính gửi:", "kinh_gui"));
    blocks.push(block(
        Role::KinhGuiItem,
        "- Các Liên đoàn Lao động huyện, thị xã, thành phố;",
        "kinh_gui[0]",
    ));
    blocks.push(block(
        Role::KinhGuiItem,
        "- Các Công đoàn ngành, Công đoàn các Khu kinh tế.",
        "kinh_gui[1]",
    ));
    for (i, text) in LONG.iter().take(3).enumerate() {
        blocks.push(block(Role::Paragraph, text, &format!("body[{i}].text")));
    }
    blocks.extend(signature_blocks("PHÓ CHỦ TỊCH", "Lê Thị Tuyết Trinh"));
    blocks.push(block(Role::DrafterMark, "PL.(30)", "drafter_mark"));
    Composed {
        meta: meta(
            "V/v nâng bậc lương năm 2025",
            "LIÊN ĐOÀN LAO ĐỘNG TỈNH THANH HÓA",
            "Công văn",
            None,
            None,
        ),
        blocks,
    }
}
