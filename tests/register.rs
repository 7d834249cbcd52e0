//! The register on SQLite: numbering rules, the outgoing and incoming registers, CSV export,
//! migrations, and 200 concurrent `vanban register next` processes on one file.
//! The same scenarios run against PostgreSQL in tests/register_pg.rs.

#[path = "register/scenarios.rs"]
mod scenarios;

use std::path::Path;
use std::process::{Command, Stdio};

use scenarios::*;
use tempfile::TempDir;
use vanban::register::{OpenOptions, Register, RegisterError, sqlite_url};

fn fresh() -> (TempDir, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = sqlite_url(&dir.path().join("vanban.db")).expect("url");
    (dir, url)
}

async fn open(url: &str) -> Register {
    Register::open(url).await.expect("open register")
}

fn vanban(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_vanban"));
    command
        .args(args)
        .env_remove("VANBAN_DB")
        .env_remove("VANBAN_DATA");
    command
}

#[test]
fn year_rollover_restarts_at_one() {
    let (_dir, url) = fresh();
    run(async { year_rollover(&open(&url).await).await });
}

#[test]
fn books_and_orgs_do_not_share_numbers() {
    let (_dir, url) = fresh();
    run(async { books_are_separate(&open(&url).await).await });
}

#[test]
fn voided_number_stays_on_record_and_is_not_reused() {
    let (_dir, url) = fresh();
    run(async { void_keeps_the_number(&open(&url).await).await });
}

#[test]
fn issue_fills_the_outgoing_register_and_csv() {
    let (_dir, url) = fresh();
    run(async { issue_and_export(&open(&url).await).await });
}

#[test]
fn incoming_register_numbers_per_year_and_refuses_duplicates() {
    let (_dir, url) = fresh();
    run(async { receive_documents(&open(&url).await).await });
}

#[test]
fn the_same_file_received_concurrently_gets_one_number() {
    let (_dir, url) = fresh();
    run(async { concurrent_receipts(&open(&url).await).await });
}

#[test]
fn numbers_strictly_increase_property() {
    let (_dir, url) = fresh();
    run(async {
        let register = open(&url).await;
        for seed in [1, 7, 42, 2025, 0x5eed_cafe] {
            numbers_strictly_increase(&register, seed, 60).await;
        }
        chain_verifies(&register).await;
    });
}

#[test]
fn two_instances_on_one_file_never_share_a_number() {
    let (_dir, url) = fresh();
    run(async {
        let first = open(&url).await;
        let second = open(&url).await;
        concurrent_pools(&[first.clone(), second], 16, 10).await;
        assert_eq!(chain_verifies(&first).await, 160);
    });
}

#[test]
fn migrations_apply_once_and_detect_changes() {
    let (_dir, url) = fresh();
    run(async {
        open(&url).await.close().await;
        open(&url).await.close().await;
        raw(
            &url,
            &["UPDATE schema_migrations SET sha256 = 'x' WHERE version = 1"],
        )
        .await
        .unwrap();
        let changed = Register::open(&url).await;
        assert!(
            matches!(
                changed,
                Err(RegisterError::MigrationChanged { version: 1, .. })
            ),
            "{changed:?}"
        );
        raw(
            &url,
            &["INSERT INTO schema_migrations (version, name, sha256) VALUES (99, 'future', 'y')"],
        )
        .await
        .unwrap();
        let newer = Register::open(&url).await;
        assert!(
            matches!(newer, Err(RegisterError::SchemaTooNew { found: 99, .. })),
            "{newer:?}"
        );
    });
}

#[test]
fn unsupported_urls_are_refused_without_leaking_passwords() {
    run(async {
        let error = Register::open("mysql://u:hunter2@h/db").await.unwrap_err();
        let message = error.to_string();
        assert!(message.contains("mysql://u:***@h/db"), "{message}");
        assert!(!message.contains("hunter2"));
        let memory = Register::open_with(&OpenOptions::new("sqlite::memory:")).await;
        assert!(matches!(memory, Err(RegisterError::UnsupportedUrl { .. })));
    });
}

/// 200 real `vanban register next` processes at once against one fresh SQLite file (created,
/// migrated and switched to WAL by whichever gets there first): exactly 01..200.
#[test]
fn two_hundred_processes_get_two_hundred_consecutive_numbers() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("dữ liệu");
    let data_arg = data.to_str().expect("utf-8 path");
    let children: Vec<_> = (0..200)
        .map(|_| {
            vanban(&[
                "register", "next", "--org", "CĐN", "--book", "chung", "--year", "2025",
            ])
            .args(["--data", data_arg, "--actor", "script"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn vanban")
        })
        .collect();
    let mut printed = Vec::new();
    for child in children {
        let output = child.wait_with_output().expect("wait");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "exit {:?}: {stderr}",
            output.status
        );
        printed.push(
            String::from_utf8(output.stdout)
                .expect("utf-8")
                .trim()
                .to_owned(),
        );
    }
    let mut numbers: Vec<u32> = printed
        .iter()
        .map(|text| text.parse().expect(text))
        .collect();
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=200).collect::<Vec<u32>>());
    for word in ["01", "09", "10", "200"] {
        assert!(
            printed.iter().any(|text| text == word),
            "{word} printed as such"
        );
    }
    let verify = vanban(&["audit", "verify", "--data", data_arg])
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&verify.stdout);
    assert!(
        verify.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&verify.stderr)
    );
    assert!(stdout.contains("nguyên vẹn: 200 mục"), "{stdout}");
    assert!(data.join("vanban.db").is_file());
}

#[test]
fn cli_next_void_list_csv() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().to_str().expect("utf-8");
    let next = |book: &str| {
        let output = vanban(&[
            "register", "next", "--org", "TLĐ", "--book", book, "--year", "2026",
        ])
        .env("VANBAN_DATA", data)
        .output()
        .expect("run");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("utf-8")
    };
    assert_eq!(next("QĐ"), "01\n");
    assert_eq!(next("QĐ"), "02\n");
    assert_eq!(next("mật"), "01\n");
    let void = vanban(&[
        "register", "void", "--org", "TLĐ", "--book", "QĐ", "--year", "2026",
    ])
    .args([
        "--number",
        "1",
        "--reason",
        "Văn bản không được ký, hủy số",
        "--data",
        data,
    ])
    .output()
    .expect("run");
    assert!(
        void.status.success(),
        "{}",
        String::from_utf8_lossy(&void.stderr)
    );
    assert_eq!(next("QĐ"), "03\n");
    let again = vanban(&[
        "register", "void", "--org", "TLĐ", "--book", "QĐ", "--year", "2026",
    ])
    .args(["--number", "1", "--reason", "lần nữa", "--data", data])
    .output()
    .expect("run");
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("đã hủy"));

    let list = vanban(&[
        "register", "list", "--org", "TLĐ", "--year", "2026", "--csv", "--data", data,
    ])
    .output()
    .expect("run");
    assert!(list.status.success());
    let csv = String::from_utf8(list.stdout).expect("utf-8");
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert!(lines[0].starts_with("\u{feff}\"Số, ký hiệu văn bản\",Ngày tháng văn bản,"));
    assert_eq!(
        lines[1],
        "01/,,,,,,,,,\"Hủy số: Văn bản không được ký, hủy số\",,,QĐ,đã hủy"
    );
    assert_eq!(
        lines[2],
        "02/,,,,,,,,,\"Đã lấy số, chưa ban hành\",,,QĐ,đã lấy số"
    );
    assert_eq!(
        lines[3],
        "03/,,,,,,,,,\"Đã lấy số, chưa ban hành\",,,QĐ,đã lấy số"
    );
    assert_eq!(
        lines[4],
        "01/,,,,,,,,,\"Đã lấy số, chưa ban hành\",,,mật,đã lấy số"
    );

    let bad = vanban(&[
        "register", "next", "--org", "TLĐ", "--book", "QĐ", "--year", "20265",
    ])
    .args(["--data", data])
    .output()
    .expect("run");
    assert_eq!(bad.status.code(), Some(1));
    let unreadable = vanban(&["register", "next", "--org", "A", "--book", "B"])
        .args(["--db", "mysql://x/y"])
        .output()
        .expect("run");
    assert_eq!(unreadable.status.code(), Some(2));
    assert!(Path::new(data).join("vanban.db").is_file());
}

/// SIGKILL four processes in the middle of numbering against one SQLite file, restart: no
/// printed number lost or given twice, 01..=N recorded without gaps, the next number is N+1
/// and `vanban audit verify` passes with one entry per number.
#[test]
fn kill_9_during_numbering_loses_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().to_str().expect("utf-8 path");
    let printed = hammer_and_kill(&["--data", data], "CĐN", 4, 30);
    assert!(printed.len() >= 120);
    let url = sqlite_url(&dir.path().join("vanban.db")).expect("url");
    let n = run(async {
        let register = open(&url).await;
        let org = vanban::register::Org::new("CĐN").unwrap();
        let n = nothing_lost_after_kill(&register, &org, &printed).await;
        register.close().await;
        n
    });
    let verify = vanban(&["audit", "verify", "--data", data])
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&verify.stdout);
    assert!(verify.status.success(), "{stdout}");
    assert!(
        stdout.contains(&format!("nguyên vẹn: {} mục", n + 1)),
        "{stdout}"
    );
}

fn tool(program: &str, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|error| panic!("{program}: {error}"));
    assert!(
        output.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("utf-8")
}

/// `vanban register export --format pdf`: a landscape A4 book that qpdf accepts, whose text
/// (read back by pdftotext) has the cover, the decree's ten headings and (1)…(10) on every
/// page of the table, the issued row, the voided row with its reason, and every number.
#[test]
fn cli_exports_a_printable_pdf_register() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = sqlite_url(&dir.path().join("vanban.db")).expect("url");
    run(async {
        let register = open(&url).await;
        let org = vanban::register::Org::new("CĐN").unwrap();
        let day = time::macros::date!(2025 - 03 - 05);
        for expected in 1..=40 {
            assert_eq!(take(&register, &org, "QĐ", day).await, expected);
        }
        let first = key(&org, "QĐ", 2025, 1);
        vanban::register::outgoing::issue(
            &register,
            &entry(&first, "QĐ-CĐN", day),
            &actor(),
            at(day),
        )
        .await
        .expect("issue");
        let reason = "Lãnh đạo không ký, hủy số";
        vanban::register::numbering::void(
            &register,
            &key(&org, "QĐ", 2025, 2),
            reason,
            &actor(),
            at(day),
        )
        .await
        .expect("void");
        register.close().await;
    });
    let pdf = dir.path().join("sổ đi.pdf");
    let export = vanban(&["register", "export", "--org", "CĐN", "--year", "2025"])
        .args(["--format", "pdf", "--org-name", "Công đoàn ngành Y tế"])
        .args([
            "--parent-name",
            "Liên đoàn Lao động tỉnh Đồng Nai",
            "--data",
        ])
        .arg(dir.path())
        .arg("--output")
        .arg(&pdf)
        .output()
        .expect("run");
    assert!(
        export.status.success(),
        "{}",
        String::from_utf8_lossy(&export.stderr)
    );
    let path = pdf.to_str().expect("utf-8");
    tool("qpdf", &["--check", path]);
    let info = tool("pdfinfo", &[path]);
    assert!(
        info.contains("Page size:       841.89 x 595.276 pts (A4)"),
        "{info}"
    );
    let pages: usize = info
        .lines()
        .find_map(|line| line.strip_prefix("Pages:"))
        .and_then(|count| count.trim().parse().ok())
        .expect("page count");
    assert!(pages >= 3, "cover and a table over several pages: {pages}");

    let squeeze = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let cover = squeeze(&tool("pdftotext", &["-f", "1", "-l", "1", path, "-"]));
    for text in [
        "CÔNG ĐOÀN NGÀNH Y TẾ",
        "SỔ ĐĂNG KÝ VĂN BẢN ĐI",
        "Năm: 2025",
        "Từ ngày 05/03/2025 đến ngày 05/03/2025",
        "Sổ QĐ: từ số 01 đến số 40",
        "Quyển số: 01",
    ] {
        assert!(cover.contains(text), "cover lacks {text:?}:\n{cover}");
    }
    for page in 2..=pages {
        let page_text = tool(
            "pdftotext",
            &["-f", &page.to_string(), "-l", &page.to_string(), path, "-"],
        );
        // Cells wrap, so every word of every heading, and every column number, on each page.
        let words: Vec<&str> = page_text.split_whitespace().collect();
        let numbers: Vec<String> = (1..=10).map(|column| format!("({column})")).collect();
        let headings = vanban::register::outgoing::DECREE_COLUMNS
            .iter()
            .flat_map(|heading| heading.split_whitespace());
        for word in headings.chain(numbers.iter().map(String::as_str)) {
            assert!(
                words.contains(&word),
                "page {page} lacks {word:?}:\n{page_text}"
            );
        }
    }
    let all = squeeze(&tool("pdftotext", &[path, "-"]));
    for text in [
        "01/QĐ-CĐN",
        "05/03/2025",
        "Nguyễn Văn Đức",
        "Hủy số: Lãnh đạo không ký, hủy số",
    ] {
        assert!(all.contains(text), "register lacks {text:?}:\n{all}");
    }
    let words: Vec<&str> = all.split_whitespace().collect();
    for number in 3..=40 {
        let word = format!("{number:02}");
        assert!(words.contains(&word.as_str()), "row {word}");
    }
    let pending = all.matches("Đã lấy số, chưa ban hành").count();
    assert_eq!(pending, 38, "one row per reserved number");
}

/// Group commit: concurrent requests share a transaction; one request that the database
/// refuses (a trigger standing in for any failure) fails alone, and the others still get
/// 01..=N without gaps, each with its audit entry.
#[test]
fn a_failing_request_does_not_fail_its_batch() {
    let (_dir, url) = fresh();
    run(async {
        let register = open(&url).await;
        raw(
            &url,
            &[
                "CREATE TRIGGER refuse_bad BEFORE INSERT ON register_number \
               WHEN NEW.org = 'HỎNG' BEGIN SELECT RAISE(ABORT, 'refused for the test'); END",
            ],
        )
        .await
        .expect("trigger");
        let good = vanban::register::Org::new("CĐN").unwrap();
        let bad = vanban::register::Org::new("HỎNG").unwrap();
        let day = time::macros::date!(2025 - 05 - 19);
        let mut tasks = Vec::new();
        for client in 0..48 {
            let register = register.clone();
            let org = if client % 4 == 3 {
                bad.clone()
            } else {
                good.clone()
            };
            tasks.push(tokio::spawn(async move {
                let mut outcomes = Vec::new();
                for _ in 0..5 {
                    let outcome = vanban::register::numbering::reserve(
                        &register,
                        &request(&org, "chung", day),
                    )
                    .await;
                    outcomes.push(outcome.map(|reserved| reserved.key.number));
                }
                (org, outcomes)
            }));
        }
        let mut numbers = Vec::new();
        for task in tasks {
            let (org, outcomes) = task.await.expect("task");
            for outcome in outcomes {
                if org == bad {
                    let error = outcome.expect_err("the trigger refuses this org");
                    assert!(
                        error.to_string().contains("refused for the test"),
                        "{error}"
                    );
                } else {
                    numbers.push(outcome.expect("a good request succeeds"));
                }
            }
        }
        numbers.sort_unstable();
        assert_eq!(numbers, (1..=180).collect::<Vec<u32>>());
        assert_eq!(chain_verifies(&register).await, 180);
    });
}

/// A character the fonts lack is refused with exit 1 and a message naming where it is and
/// which character, and no file is written.
#[test]
fn pdf_export_names_a_missing_glyph() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().to_str().expect("utf-8");
    let next = vanban(&[
        "register", "next", "--org", "CĐN", "--book", "QĐ", "--year", "2025",
    ])
    .args(["--data", data])
    .output()
    .expect("run");
    assert!(next.status.success());
    let pdf = dir.path().join("x.pdf");
    let export = vanban(&["register", "export", "--org", "CĐN", "--year", "2025"])
        .args([
            "--format",
            "pdf",
            "--org-name",
            "Công đoàn 😀",
            "--data",
            data,
        ])
        .arg("--output")
        .arg(&pdf)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&export.stderr);
    assert_eq!(export.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("cover") && stderr.contains("U+1F600"),
        "{stderr}"
    );
    assert!(!pdf.exists());
}

/// `vanban register export --incoming --format pdf`: the sổ đăng ký văn bản đến with the
/// decree's ten headings, one row per document received, the verdict in Ghi chú.
#[test]
fn cli_exports_the_incoming_register_as_pdf() {
    use vanban::register::incoming::{self, Receipt};
    use vanban::register::{Book, Org, Sha256};

    let dir = tempfile::tempdir().expect("temp dir");
    let url = sqlite_url(&dir.path().join("vanban.db")).expect("url");
    run(async {
        let register = open(&url).await;
        let day = time::macros::date!(2025 - 11 - 20);
        for (index, sender) in ["Công đoàn ngành Giáo dục", "Liên đoàn Lao động tỉnh"]
            .into_iter()
            .enumerate()
        {
            let receipt = Receipt {
                org: Org::new("CĐCS").unwrap(),
                book: Book::new("đến").unwrap(),
                received_on: day,
                sender: sender.to_owned(),
                number_symbol: format!("{}/KH-CĐN", 36 + index),
                document_date: Some(time::macros::date!(2025 - 11 - 18)),
                summary: "Kế hoạch tổ chức Hội thao chào mừng ngày Nhà giáo Việt Nam".to_owned(),
                verdict: "valid".to_owned(),
                file_sha256: Sha256::digest(sender.as_bytes()),
            };
            incoming::receive(&register, &receipt, &actor(), at(day))
                .await
                .expect("receive");
        }
        register.close().await;
    });
    let pdf = dir.path().join("sổ đến.pdf");
    let export = vanban(&["register", "export", "--incoming", "--org", "CĐCS"])
        .args(["--year", "2025", "--format", "pdf", "--data"])
        .arg(dir.path())
        .arg("--output")
        .arg(&pdf)
        .output()
        .expect("run");
    assert!(
        export.status.success(),
        "{}",
        String::from_utf8_lossy(&export.stderr)
    );
    let path = pdf.to_str().expect("utf-8");
    tool("qpdf", &["--check", path]);
    let info = tool("pdfinfo", &[path]);
    assert!(info.contains("841.89 x 595.276 pts (A4)"), "{info}");
    let cover = tool("pdftotext", &["-f", "1", "-l", "1", path, "-"]);
    assert!(cover.contains("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"), "{cover}");
    let table = tool("pdftotext", &["-f", "2", "-l", "2", path, "-"]);
    let words: Vec<&str> = table.split_whitespace().collect();
    for word in vanban::register::print::INCOMING_COLUMNS
        .iter()
        .flat_map(|heading| heading.split_whitespace())
        .chain([
            "36/KH-CĐN",
            "37/KH-CĐN",
            "20/11/2025",
            "18/11/2025",
            "01",
            "02",
        ])
    {
        assert!(words.contains(&word), "lacks {word:?}:\n{table}");
    }
    let flat = words.join(" ");
    assert_eq!(flat.matches("Kiểm tra chữ ký: valid").count(), 2, "{flat}");
    assert!(flat.contains("Liên đoàn Lao động tỉnh"), "{flat}");
}
