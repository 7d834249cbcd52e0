//! Register scenarios shared by tests/register.rs (SQLite), tests/register_pg.rs (PostgreSQL)
//! and tests/audit.rs: the same assertions against both engines.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};

use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};
use vanban::register::audit::{self, AuditAction, AuditEntry, BrokenLink, LinkProblem};
use vanban::register::incoming::{self, Receipt};
use vanban::register::numbering::{self, ReserveRequest};
use vanban::register::outgoing::{self, OutgoingEntry};
use vanban::register::{
    Actor, Backend, Book, NumberKey, NumberState, Org, Register, RegisterError, Sha256, Year, csv,
};

/// Run a future on a two-thread runtime (the tests do not use tokio's macros).
pub fn run<T>(future: impl Future<Output = T>) -> T {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
        .block_on(future)
}

/// An organisation name no other test uses (tests share a PostgreSQL database).
pub fn unique_org(stem: &str) -> Org {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    Org::new(&format!("{stem}-{}-{n}", std::process::id())).expect("org name")
}

pub fn book(name: &str) -> Book {
    Book::new(name).expect("book name")
}

pub fn year(value: i64) -> Year {
    Year::new(value).expect("year")
}

pub fn actor() -> Actor {
    Actor::new("văn thư Nguyễn Thị Lữ").expect("actor")
}

/// 08:00 in Hanoi on `date`.
pub fn at(date: Date) -> OffsetDateTime {
    date.with_hms(8, 0, 0)
        .expect("time")
        .assume_offset(time::macros::offset!(+7))
}

pub fn request(org: &Org, book_name: &str, date: Date) -> ReserveRequest {
    ReserveRequest {
        org: org.clone(),
        book: book(book_name),
        year: Year::of(date).expect("year"),
        actor: actor(),
        at: at(date),
    }
}

pub async fn take(register: &Register, org: &Org, book_name: &str, date: Date) -> u32 {
    numbering::reserve(register, &request(org, book_name, date))
        .await
        .expect("reserve")
        .key
        .number
}

/// 31 December → 1 January restarts at 01; the old year's counter is untouched.
pub async fn year_rollover(register: &Register) {
    let org = unique_org("CĐN");
    let eve = date!(2025 - 12 - 31);
    assert_eq!(take(register, &org, "chung", eve).await, 1);
    assert_eq!(take(register, &org, "chung", eve).await, 2);
    assert_eq!(take(register, &org, "chung", eve).await, 3);
    assert_eq!(
        take(register, &org, "chung", date!(2026 - 01 - 01)).await,
        1
    );
    assert_eq!(
        take(register, &org, "chung", date!(2026 - 01 - 01)).await,
        2
    );
    // A late entry for the old year continues the old sequence.
    assert_eq!(take(register, &org, "chung", eve).await, 4);
    let old = numbering::numbers(register, &org, year(2025))
        .await
        .unwrap();
    let new = numbering::numbers(register, &org, year(2026))
        .await
        .unwrap();
    assert_eq!(numbers_of(&old), [1, 2, 3, 4]);
    assert_eq!(numbers_of(&new), [1, 2]);
}

/// Separate books (one per kind, the secret series) and organisations do not share numbers.
pub async fn books_are_separate(register: &Register) {
    let org = unique_org("TLĐ");
    let other = unique_org("UBND");
    let day = date!(2025 - 03 - 05);
    assert_eq!(take(register, &org, "QĐ", day).await, 1);
    assert_eq!(take(register, &org, "QĐ", day).await, 2);
    assert_eq!(take(register, &org, "KH", day).await, 1);
    assert_eq!(take(register, &org, "mật", day).await, 1);
    assert_eq!(take(register, &other, "QĐ", day).await, 1);
    assert_eq!(take(register, &org, "QĐ", day).await, 3);
    assert_eq!(take(register, &org, "KH", day).await, 2);
    let listed = numbering::numbers(register, &org, year(2025))
        .await
        .unwrap();
    let summary: Vec<(String, u32)> = listed
        .iter()
        .map(|record| (record.key.book.to_string(), record.key.number))
        .collect();
    let expected = [
        ("KH", 1),
        ("KH", 2),
        ("QĐ", 1),
        ("QĐ", 2),
        ("QĐ", 3),
        ("mật", 1),
    ];
    assert_eq!(
        summary,
        expected.map(|(book, number)| (book.to_owned(), number))
    );
}

/// A voided number stays on the record with its reason; the next number is a new one; a
/// voided number can be neither voided again nor issued.
pub async fn void_keeps_the_number(register: &Register) {
    let org = unique_org("CĐN");
    let day = date!(2025 - 06 - 10);
    assert_eq!(take(register, &org, "chung", day).await, 1);
    assert_eq!(take(register, &org, "chung", day).await, 2);
    let key = key(&org, "chung", 2025, 2);
    let reason = "Lãnh đạo không ký, hủy số đã lấy";
    numbering::void(register, &key, reason, &actor(), at(day))
        .await
        .expect("void");
    assert_eq!(take(register, &org, "chung", day).await, 3);
    let listed = numbering::numbers(register, &org, year(2025))
        .await
        .unwrap();
    assert_eq!(numbers_of(&listed), [1, 2, 3]);
    let voided = &listed[1];
    assert_eq!(voided.state, NumberState::Voided);
    assert_eq!(voided.void_reason.as_deref(), Some(reason));
    assert_eq!(voided.voided_by.as_deref(), Some("văn thư Nguyễn Thị Lữ"));
    assert_eq!(listed[2].state, NumberState::Reserved);

    let again = numbering::void(register, &key, "lần hai", &actor(), at(day)).await;
    assert!(
        matches!(
            again,
            Err(RegisterError::WrongState {
                state: NumberState::Voided,
                ..
            })
        ),
        "{again:?}"
    );
    let issued = outgoing::issue(register, &entry(&key, "KH-CĐN", day), &actor(), at(day)).await;
    assert!(
        matches!(issued, Err(RegisterError::WrongState { .. })),
        "{issued:?}"
    );
    let unknown = numbering::void(
        register,
        &self::key(&org, "chung", 2025, 99),
        "x",
        &actor(),
        at(day),
    )
    .await;
    assert!(
        matches!(unknown, Err(RegisterError::UnknownNumber { .. })),
        "{unknown:?}"
    );
    let empty = numbering::void(
        register,
        &self::key(&org, "chung", 2025, 3),
        "   ",
        &actor(),
        at(day),
    )
    .await;
    assert!(
        matches!(
            empty,
            Err(RegisterError::InvalidField {
                field: "reason",
                ..
            })
        ),
        "{empty:?}"
    );
}

/// Reserve → issue fills the outgoing register; the CSV export has the BOM, the decree's
/// headers in order and the row; duplicates of number+symbol and wrong years are refused.
pub async fn issue_and_export(register: &Register) {
    let org = unique_org("CĐN");
    let day = date!(2025 - 03 - 05);
    let first = take(register, &org, "chung", day).await;
    let second = take(register, &org, "chung", day).await;
    let third = take(register, &org, "chung", day).await;
    assert_eq!((first, second, third), (1, 2, 3));
    let key1 = key(&org, "chung", 2025, 1);
    outgoing::issue(register, &entry(&key1, "KH-CĐN", day), &actor(), at(day))
        .await
        .expect("issue");
    let wrong_year = entry(
        &key(&org, "chung", 2025, 2),
        "KH-CĐN",
        date!(2026 - 01 - 02),
    );
    let refused = outgoing::issue(register, &wrong_year, &actor(), at(day)).await;
    assert!(
        matches!(refused, Err(RegisterError::YearMismatch { .. })),
        "{refused:?}"
    );
    numbering::void(
        register,
        &key(&org, "chung", 2025, 3),
        "Trùng nội dung, hủy",
        &actor(),
        at(day),
    )
    .await
    .unwrap();

    let entries = outgoing::entries(register, &org, year(2025)).await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0], entry(&key1, "KH-CĐN", day));
    assert_eq!(entries[0].number_symbol(), "01/KH-CĐN");
    let numbers = numbering::numbers(register, &org, year(2025))
        .await
        .unwrap();
    assert_eq!(numbers[0].state, NumberState::Issued);

    let text = csv::outgoing(&numbers, &entries);
    assert!(text.starts_with('\u{feff}'), "BOM");
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').split("\r\n").collect();
    assert_eq!(
        lines[0],
        "\"Số, ký hiệu văn bản\",Ngày tháng văn bản,Tên loại và trích yếu nội dung văn bản,\
         Người ký,Nơi nhận văn bản,\"Đơn vị, người nhận bản lưu\",Số lượng bản,Ngày chuyển,\
         Ký nhận,Ghi chú,SHA-256 của tệp đã ký,Mã định danh văn bản,Sổ,Trạng thái"
    );
    let sha = Sha256::digest(b"signed pdf bytes").hex();
    assert_eq!(
        lines[1],
        format!(
            "01/KH-CĐN,05/03/2025,\"Kế hoạch tổ chức Hội thao chào mừng ngày thành lập, năm 2025\",\
             Nguyễn Văn Đức,Như trên; Lưu: VT,Văn phòng (bản lưu),3,,,,{sha},VB-{org}-1,chung,đã ban hành"
        )
    );
    assert_eq!(
        lines[2],
        "02/,,,,,,,,,\"Đã lấy số, chưa ban hành\",,,chung,đã lấy số"
    );
    assert_eq!(
        lines[3],
        "03/,,,,,,,,,\"Hủy số: Trùng nội dung, hủy\",,,chung,đã hủy"
    );
    assert_eq!(lines[4], "", "CRLF after the last row");
}

/// Receiving numbers the incoming book per year and refuses the same file twice.
pub async fn receive_documents(register: &Register) {
    let org = unique_org("CĐCS");
    let day = date!(2025 - 12 - 31);
    let receipt = |digest: &[u8], on: Date| Receipt {
        org: org.clone(),
        book: book("đến"),
        received_on: on,
        sender: "Công đoàn ngành Giáo dục".to_owned(),
        number_symbol: "36/KH-CĐN".to_owned(),
        document_date: Some(date!(2025 - 12 - 30)),
        summary: "Kế hoạch tổ chức Hội thao".to_owned(),
        verdict: "valid".to_owned(),
        file_sha256: Sha256::digest(digest),
    };
    let first = incoming::receive(register, &receipt(b"a", day), &actor(), at(day))
        .await
        .unwrap();
    let second = incoming::receive(register, &receipt(b"b", day), &actor(), at(day))
        .await
        .unwrap();
    let next_year = date!(2026 - 01 - 02);
    let third = incoming::receive(register, &receipt(b"c", next_year), &actor(), at(next_year))
        .await
        .unwrap();
    assert_eq!((first.key.number, second.key.number), (1, 2));
    assert_eq!((third.key.year.value(), third.key.number), (2026, 1));
    let again =
        incoming::receive(register, &receipt(b"a", next_year), &actor(), at(next_year)).await;
    match again {
        Err(RegisterError::AlreadyReceived { received, .. }) => assert_eq!(received, first.key),
        other => panic!("expected AlreadyReceived, got {other:?}"),
    }
    // The incoming counter is not the outgoing one.
    assert_eq!(take(register, &org, "đến", day).await, 1);
    let listed = incoming::entries(register, &org, year(2025)).await.unwrap();
    assert_eq!(listed, vec![first.clone(), second]);
    let text = csv::incoming(&listed);
    assert!(
        text.starts_with(
            "\u{feff}Số đến,Ngày đến,Tác giả (nơi gửi),\"Số, ký hiệu văn bản\",Ngày tháng văn bản,"
        ),
        "{text}"
    );
    assert!(
        text.contains("01,31/12/2025,Công đoàn ngành Giáo dục,36/KH-CĐN,30/12/2025,"),
        "{text}"
    );
}

/// Property: within one org/book/year, numbers strictly increase and never skip, whatever the
/// interleaving of books, years and organisations. Operations come from a fixed-seed generator
/// so a failure replays.
pub async fn numbers_strictly_increase(register: &Register, seed: u64, steps: usize) {
    let orgs = [unique_org("P"), unique_org("Q")];
    let books = ["chung", "QĐ", "mật"];
    let days = [
        date!(2024 - 12 - 31),
        date!(2025 - 01 - 01),
        date!(2025 - 07 - 15),
    ];
    let mut model = std::collections::HashMap::new();
    let mut state = seed.max(1);
    for _ in 0..steps {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let org = &orgs[(state % 2) as usize];
        let book_name = books[(state / 2 % 3) as usize];
        let day = days[(state / 6 % 3) as usize];
        let number = take(register, org, book_name, day).await;
        let last = model
            .entry((org.clone(), book_name, day.year()))
            .or_insert(0u32);
        assert!(
            number > *last,
            "{org}/{book_name}/{}: {number} after {last}",
            day.year()
        );
        assert_eq!(number, *last + 1, "no gap");
        *last = number;
    }
}

/// `clients` tasks spread over the given registers (separate pools, like service instances),
/// `each` numbers per task, all from one book: exactly 1..=clients*each, no duplicates.
pub async fn concurrent_pools(registers: &[Register], clients: usize, each: usize) -> Org {
    let org = unique_org("SONG-SONG");
    let mut tasks = Vec::new();
    for client in 0..clients {
        let register = registers[client % registers.len()].clone();
        let org = org.clone();
        tasks.push(tokio::spawn(async move {
            let mut taken = Vec::new();
            for _ in 0..each {
                taken.push(take(&register, &org, "chung", date!(2025 - 09 - 02)).await);
            }
            taken
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        let taken = task.await.expect("task");
        assert!(
            taken.windows(2).all(|pair| pair[0] < pair[1]),
            "one client's numbers increase"
        );
        all.extend(taken);
    }
    all.sort_unstable();
    let expected: Vec<u32> = (1..=(clients * each) as u32).collect();
    assert_eq!(all, expected);
    let listed = numbering::numbers(&registers[0], &org, year(2025))
        .await
        .unwrap();
    assert_eq!(numbers_of(&listed), expected);
    org
}

/// The chain verifies; returns the number of entries.
pub async fn chain_verifies(register: &Register) -> u64 {
    let report = audit::verify(register).await.expect("verify");
    assert_eq!(report.broken, None, "chain must verify");
    report.entries
}

/// Six entries of different kinds, for the tamper tests (a fresh database: seqs 1..=6).
pub async fn six_entries(register: &Register) {
    let org = unique_org("CĐN");
    let day = date!(2025 - 04 - 01);
    assert_eq!(take(register, &org, "chung", day).await, 1);
    assert_eq!(take(register, &org, "chung", day).await, 2);
    numbering::void(
        register,
        &key(&org, "chung", 2025, 2),
        "Sai trích yếu",
        &actor(),
        at(day),
    )
    .await
    .unwrap();
    let login = AuditEntry {
        at: datetime!(2025-04-01 09:00:00 +07:00),
        actor: "lãnh đạo Trần Văn Đông".to_owned(),
        action: AuditAction::Login,
        subject: "user:dong".to_owned(),
        details: serde_json::json!({"ip": "127.0.0.1"}),
    };
    audit::append_alone(register, &login).await.unwrap();
    outgoing::issue(
        register,
        &entry(&key(&org, "chung", 2025, 1), "QĐ-CĐN", day),
        &actor(),
        at(day),
    )
    .await
    .unwrap();
    let denied = AuditEntry {
        at: datetime!(2025-04-01 09:05:00 +07:00),
        actor: "chuyên viên Lê Thị Hữu".to_owned(),
        action: AuditAction::AuthorizationDenied,
        subject: "document:VB-1".to_owned(),
        details: serde_json::json!({"wanted": "seal", "role": "drafter"}),
    };
    audit::append_alone(register, &denied).await.unwrap();
    assert_eq!(chain_verifies(register).await, 6);
}

/// Assert the first broken link's seq and kind.
pub fn assert_broken(broken: &Option<BrokenLink>, seq: i64, kind: &str) {
    let link = broken.as_ref().expect("the chain must be reported broken");
    let actual = match &link.problem {
        LinkProblem::ContentChanged { .. } => "content",
        LinkProblem::HeadMismatch { .. } => "head",
        LinkProblem::PrevHashMismatch { .. } => "prev",
        LinkProblem::SeqMissing { .. } => "missing",
    };
    assert_eq!((link.seq, actual), (seq, kind), "{link}");
}

/// Raw SQL that drops the append-only triggers, as someone with full database access could.
pub fn drop_guards(backend: Backend) -> &'static [&'static str] {
    match backend {
        Backend::Sqlite => &[
            "DROP TRIGGER audit_log_no_update",
            "DROP TRIGGER audit_log_no_delete",
        ],
        Backend::Postgres => &[
            "DROP TRIGGER audit_log_no_update ON audit_log",
            "DROP TRIGGER audit_log_no_delete ON audit_log",
        ],
    }
}

/// Run raw statements against the database at `url`, outside the register.
pub async fn raw(url: &str, statements: &[&str]) -> Result<(), sqlx::Error> {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(url).await?;
    let mut outcome = Ok(());
    for statement in statements {
        if let Err(error) = sqlx::query(statement).execute(&pool).await {
            outcome = Err(error);
            break;
        }
    }
    pool.close().await;
    outcome
}

/// One way to tamper with the log, and the first broken link it must produce.
pub struct TamperCase {
    /// What is done.
    pub name: &'static str,
    /// Raw statements, run after the append-only triggers are dropped.
    pub statements: &'static [&'static str],
    /// After the statements, store a correctly recomputed hash for this seq (a forger who knows
    /// the algorithm).
    pub rehash: Option<i64>,
    /// Expected first broken seq.
    pub seq: i64,
    /// Expected kind: content, missing, prev or head.
    pub kind: &'static str,
}

/// The tamper cases, each to run on a fresh copy of [`six_entries`].
pub const TAMPER_CASES: &[TamperCase] = &[
    TamperCase {
        name: "update a detail",
        statements: &[
            "UPDATE audit_log SET details = '{\"book\":\"chung\",\"number\":99}' WHERE seq = 3",
        ],
        rehash: None,
        seq: 3,
        kind: "content",
    },
    TamperCase {
        name: "delete a row",
        statements: &["DELETE FROM audit_log WHERE seq = 4"],
        rehash: None,
        seq: 4,
        kind: "missing",
    },
    TamperCase {
        name: "reorder two rows",
        statements: &[
            "UPDATE audit_log SET seq = -2 WHERE seq = 2",
            "UPDATE audit_log SET seq = 2 WHERE seq = 3",
            "UPDATE audit_log SET seq = 3 WHERE seq = -2",
        ],
        rehash: None,
        seq: 2,
        kind: "content",
    },
    TamperCase {
        name: "cut the last row",
        statements: &["DELETE FROM audit_log WHERE seq = 6"],
        rehash: None,
        seq: 6,
        kind: "head",
    },
    TamperCase {
        name: "forge a row and re-hash it",
        statements: &["UPDATE audit_log SET actor = 'kẻ gian' WHERE seq = 4"],
        rehash: Some(4),
        seq: 5,
        kind: "prev",
    },
];

/// Apply one tamper case to the register at `url` (guards dropped first) and return the report.
pub async fn tamper(register: &Register, url: &str, case: &TamperCase) -> Option<BrokenLink> {
    raw(url, drop_guards(register.backend()))
        .await
        .expect("drop guards");
    raw(url, case.statements).await.expect("tamper");
    if let Some(seq) = case.rehash {
        let rows = audit::entries(register, seq - 1, 1).await.unwrap();
        let row = &rows[0];
        let hash = audit::chain_hash(
            row.seq,
            &row.at,
            &row.actor,
            &row.action,
            &row.subject,
            &row.details,
            &row.prev_hash,
        );
        let statement = format!(
            "UPDATE audit_log SET hash = '{}' WHERE seq = {seq}",
            hash.hex()
        );
        raw(url, &[statement.as_str()]).await.expect("re-hash");
    }
    audit::verify(register).await.expect("verify").broken
}

/// Without dropping the triggers, raw edits of the log are refused.
pub async fn guards_refuse_edits(url: &str) {
    for statement in [
        "UPDATE audit_log SET actor = 'kẻ gian' WHERE seq = 1",
        "DELETE FROM audit_log WHERE seq = 1",
        // Winding a counter back, or reopening a voided number, would give a number twice.
        "UPDATE register_counter SET last_number = last_number - 1",
        "DELETE FROM register_counter",
        "UPDATE register_number SET state = 'reserved' WHERE state = 'voided'",
        "UPDATE register_number SET number = number + 100",
        "DELETE FROM register_number",
        "DELETE FROM outgoing_entry",
    ] {
        let outcome = raw(url, &[statement]).await;
        let error = outcome.expect_err(statement).to_string();
        assert!(
            ["append-only", "refused", "never deleted"]
                .iter()
                .any(|word| error.contains(word)),
            "{statement}: {error}"
        );
    }
}

pub fn key(org: &Org, book_name: &str, year_value: i64, number: u32) -> NumberKey {
    NumberKey {
        org: org.clone(),
        book: book(book_name),
        year: year(year_value),
        number,
    }
}

pub fn entry(key: &NumberKey, symbol: &str, day: Date) -> OutgoingEntry {
    OutgoingEntry {
        key: key.clone(),
        symbol: symbol.to_owned(),
        document_date: day,
        type_and_summary: "Kế hoạch tổ chức Hội thao chào mừng ngày thành lập, năm 2025".to_owned(),
        signer: "Nguyễn Văn Đức".to_owned(),
        recipients: "Như trên; Lưu: VT".to_owned(),
        archive_holder: "Văn phòng (bản lưu)".to_owned(),
        copies: 3,
        delivered_on: None,
        receipt: None,
        note: None,
        file_sha256: Sha256::digest(b"signed pdf bytes"),
        document_id: format!("VB-{}-{}", key.org, key.number),
    }
}

pub fn numbers_of(records: &[numbering::NumberRecord]) -> Vec<u32> {
    records.iter().map(|record| record.key.number).collect()
}

/// Start `processes` real `vanban register next --count 1000000` processes on one book (2025)
/// of `org` with `db_args`, read `each` committed numbers from every one, then SIGKILL them all
/// while they are still numbering. Returns every number they printed (each was printed only
/// after its commit).
pub fn hammer_and_kill(db_args: &[&str], org: &str, processes: usize, each: usize) -> Vec<u32> {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    let mut children: Vec<_> = (0..processes)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_vanban"))
                .args([
                    "register", "next", "--org", org, "--book", "chung", "--year", "2025",
                ])
                .args(["--count", "1000000", "--actor", "script"])
                .args(db_args)
                .env_remove("VANBAN_DB")
                .env_remove("VANBAN_DATA")
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .expect("spawn vanban")
        })
        .collect();
    let mut printed = Vec::new();
    let mut readers = Vec::new();
    for child in &mut children {
        let mut reader = BufReader::new(child.stdout.take().expect("stdout"));
        for _ in 0..each {
            let mut line = String::new();
            reader.read_line(&mut line).expect("read a number");
            printed.push(line.trim().parse::<u32>().expect("a number"));
        }
        readers.push(reader);
    }
    for child in &mut children {
        assert!(
            child.try_wait().expect("try_wait").is_none(),
            "still numbering when killed"
        );
        child.kill().expect("SIGKILL");
    }
    for (mut child, mut reader) in children.into_iter().zip(readers) {
        child.wait().expect("wait");
        // Numbers printed between our last read and the kill were committed too.
        let mut rest = String::new();
        let _ = std::io::Read::read_to_string(&mut reader, &mut rest);
        printed.extend(
            rest.lines()
                .filter_map(|line| line.trim().parse::<u32>().ok()),
        );
    }
    printed
}

/// After [`hammer_and_kill`]: every printed number is on record exactly once, the record holds
/// exactly 01..=N with no gap, and the counter goes on at N+1 after a restart.
pub async fn nothing_lost_after_kill(register: &Register, org: &Org, printed: &[u32]) -> u32 {
    let mut sorted = printed.to_vec();
    sorted.sort_unstable();
    let before = sorted.len();
    sorted.dedup();
    assert_eq!(sorted.len(), before, "a number was printed twice");
    let records = numbering::numbers(register, org, year(2025)).await.unwrap();
    let recorded = numbers_of(&records);
    let n = recorded.len() as u32;
    assert_eq!(
        recorded,
        (1..=n).collect::<Vec<u32>>(),
        "01..=N without gaps"
    );
    for number in &sorted {
        assert!(recorded.contains(number), "printed number {number} lost");
    }
    assert!(
        records
            .iter()
            .all(|record| record.state == NumberState::Reserved)
    );
    let next = numbering::reserve(register, &request(org, "chung", date!(2025 - 07 - 01)))
        .await
        .expect("reserve after the kill");
    assert_eq!(
        next.key.number,
        n + 1,
        "the counter goes on after the last recorded number"
    );
    n
}

/// The same file received by 8 concurrent requests: one gets 01, the others are refused naming
/// 01, and the next file gets 02 (the refused ones left no gap).
pub async fn concurrent_receipts(register: &Register) {
    let org = unique_org("CĐCS");
    let day = date!(2025 - 08 - 19);
    let receipt = move |digest: &[u8]| Receipt {
        org: org.clone(),
        book: book("đến"),
        received_on: day,
        sender: "Ủy ban nhân dân xã".to_owned(),
        number_symbol: "12/UBND-VP".to_owned(),
        document_date: None,
        summary: "Về việc phối hợp tổ chức Ngày hội Đại đoàn kết".to_owned(),
        verdict: "valid".to_owned(),
        file_sha256: Sha256::digest(digest),
    };
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let register = register.clone();
        let receipt = receipt(b"same file");
        tasks.push(tokio::spawn(async move {
            incoming::receive(&register, &receipt, &actor(), at(day)).await
        }));
    }
    let mut accepted = Vec::new();
    let mut refused = Vec::new();
    for task in tasks {
        match task.await.expect("task") {
            Ok(entry) => accepted.push(entry.key),
            Err(RegisterError::AlreadyReceived { received, .. }) => refused.push(received),
            Err(other) => panic!("unexpected {other}"),
        }
    }
    assert_eq!(accepted.len(), 1, "exactly one receipt");
    assert_eq!(accepted[0].number, 1);
    assert!(refused.iter().all(|key| *key == accepted[0]), "{refused:?}");
    let next = incoming::receive(register, &receipt(b"other file"), &actor(), at(day))
        .await
        .expect("another file");
    assert_eq!(next.key.number, 2);
}
