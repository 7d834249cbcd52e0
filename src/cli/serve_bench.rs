//! `vanban bench-serve`: load on a real `vanban serve` over 127.0.0.1, as an office's scripts
//! and recipients would put it.
//!
//! 1. Numbering: `--clients` threads take numbers through `POST /api/register/next` for
//!    `--seconds`, spread over `--instances` server processes sharing one database (a
//!    PostgreSQL `--db` for more than one). Reported: numbers/s, duplicates, gaps, and whether
//!    the outgoing register holds exactly the numbers handed out.
//! 2. Verification: a document is walked through the workflow (draft → signed → issued), then
//!    `--verify-clients` threads post the issued PDF to `POST /api/verify` for `--seconds`.
//!    Reported: requests/s, and that every answer said the same valid verdict.
//! 3. Memory: the peak resident set (VmHWM) of each server process after the load.
//!
//! The servers are child processes of this one (the same binary), each started on a free port
//! with the data directory given (or a new temporary one).

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use clap::Args;
use serde_json::{Value, json};

use super::{EXIT_INVALID, EXIT_OK, EXIT_UNREADABLE};

/// Arguments of `vanban bench-serve`.
#[derive(Debug, Args)]
pub struct ServeBenchArgs {
    /// Concurrent numbering clients.
    #[arg(long, default_value_t = 64)]
    pub clients: usize,
    /// Seconds of each load phase.
    #[arg(long, default_value_t = 10)]
    pub seconds: u64,
    /// Concurrent verification clients.
    #[arg(long, default_value_t = 8)]
    pub verify_clients: usize,
    /// Server processes sharing the database (more than one needs --db postgres://…).
    #[arg(long, default_value_t = 1)]
    pub instances: usize,
    /// Database URL [default: SQLite in the data directory]
    #[arg(long, value_name = "URL")]
    pub db: Option<String>,
    /// Data directory [default: a new temporary directory]
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
}

/// One running `vanban serve` child.
#[derive(Debug)]
pub struct Instance {
    /// The process.
    pub child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
}

impl Instance {
    /// Start `exe serve` on a free port over `data` (and `db`), and wait until it answers.
    pub fn spawn(exe: &Path, data: &Path, db: Option<&str>) -> Result<Instance, String> {
        let mut command = Command::new(exe);
        command
            .args(["serve", "--addr", "127.0.0.1:0", "--data"])
            .arg(data)
            .env("VANBAN_LOG", "")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        if let Some(db) = db {
            command.args(["--db", db]);
        }
        let mut child = command
            .spawn()
            .map_err(|e| format!("{}: {e}", exe.display()))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let base = loop {
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(rest) = line.split("http://").nth(1) {
                        let addr = rest.split('/').next().unwrap_or_default();
                        break format!("http://{addr}");
                    }
                }
                _ => {
                    let _ = child.kill();
                    return Err("vanban serve stopped before it listened".into());
                }
            }
        };
        // Keep draining stdout so the child never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Ok(Instance { child, base })
    }

    /// Peak resident set of the process in kB (Linux `VmHWM`).
    pub fn peak_rss_kb(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    }

    /// Stop it (SIGKILL) and reap it.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The demo accounts a first start wrote: user → (password, PIN).
pub fn accounts(
    data: &Path,
) -> Result<std::collections::HashMap<String, (String, Option<String>)>, String> {
    let path = data.join("demo-accounts.txt");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("tên"))
        .filter_map(|line| {
            let parts: Vec<&str> = line.split_whitespace().collect();
            let (name, password, pin) = (
                parts.first()?,
                parts.get(parts.len().checked_sub(2)?)?,
                parts.last()?,
            );
            let pin = (*pin != "-").then(|| (*pin).to_owned());
            Some(((*name).to_owned(), ((*password).to_owned(), pin)))
        })
        .collect())
}

/// A small HTTP client for the API.
#[derive(Debug, Clone)]
pub struct Client {
    agent: ureq::Agent,
    base: String,
    token: Option<String>,
}

impl Client {
    /// A client of `base`.
    pub fn new(base: &str) -> Client {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        Client {
            agent,
            base: base.to_owned(),
            token: None,
        }
    }

    /// Log in; later calls carry the token.
    pub fn login(&mut self, user: &str, password: &str) -> Result<(), String> {
        let (status, body) =
            self.post_json("/api/login", &json!({"user": user, "password": password}))?;
        if status != 200 {
            return Err(format!("login {user}: {status} {body}"));
        }
        self.token = body["token"].as_str().map(str::to_owned);
        Ok(())
    }

    /// POST JSON, get (status, JSON).
    pub fn post_json(&self, path: &str, body: &Value) -> Result<(u16, Value), String> {
        self.post(path, "application/json", body.to_string().as_bytes())
            .map(|(status, bytes)| {
                (
                    status,
                    serde_json::from_slice(&bytes).unwrap_or(Value::Null),
                )
            })
    }

    /// POST bytes, get (status, bytes).
    pub fn post(
        &self,
        path: &str,
        content_type: &str,
        body: &[u8],
    ) -> Result<(u16, Vec<u8>), String> {
        let mut request = self
            .agent
            .post(format!("{}{path}", self.base))
            .header("Content-Type", content_type);
        if let Some(token) = &self.token {
            request = request.header("Authorization", format!("Bearer {token}"));
        }
        let response = request
            .send(body)
            .map_err(|e| format!("POST {path}: {e}"))?;
        read(response, path)
    }

    /// GET, get (status, bytes).
    pub fn get(&self, path: &str) -> Result<(u16, Vec<u8>), String> {
        let mut request = self.agent.get(format!("{}{path}", self.base));
        if let Some(token) = &self.token {
            request = request.header("Authorization", format!("Bearer {token}"));
        }
        let response = request.call().map_err(|e| format!("GET {path}: {e}"))?;
        read(response, path)
    }
}

fn read(response: ureq::http::Response<ureq::Body>, path: &str) -> Result<(u16, Vec<u8>), String> {
    let status = response.status().as_u16();
    let mut bytes = Vec::new();
    response
        .into_body()
        .into_reader()
        .take(64 * 1024 * 1024)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{path}: {e}"))?;
    Ok((status, bytes))
}

/// Run `vanban bench-serve`.
pub fn run(args: &ServeBenchArgs) -> u8 {
    match bench(args) {
        Ok(true) => EXIT_OK,
        Ok(false) => EXIT_INVALID,
        Err(message) => {
            eprintln!("lỗi: {message}");
            EXIT_UNREADABLE
        }
    }
}

fn bench(args: &ServeBenchArgs) -> Result<bool, String> {
    if args.instances > 1
        && args
            .db
            .as_deref()
            .is_none_or(|db| !db.starts_with("postgres"))
    {
        return Err("--instances > 1 needs --db postgres://… (one SQLite file per machine)".into());
    }
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let temp;
    let data = match &args.data {
        Some(dir) => dir.clone(),
        None => {
            temp = std::env::temp_dir().join(format!("vanban-bench-serve-{}", std::process::id()));
            temp.clone()
        }
    };
    std::fs::create_dir_all(&data).map_err(|e| e.to_string())?;
    let mut instances = vec![Instance::spawn(&exe, &data, args.db.as_deref())?];
    // The others share the database and the data directory (its file store is
    // content-addressed, written by rename); the first has already set both up.
    for _ in 1..args.instances {
        instances.push(Instance::spawn(&exe, &data, args.db.as_deref())?);
    }
    let outcome = phases(args, &data, &instances);
    for instance in &instances {
        if let Some(kb) = instance.peak_rss_kb() {
            println!(
                "peak RSS of server pid {}: {:.1} MB",
                instance.child.id(),
                kb as f64 / 1024.0
            );
        }
    }
    for instance in instances {
        instance.kill();
    }
    if args.data.is_none() {
        let _ = std::fs::remove_dir_all(&data);
    }
    outcome
}

fn phases(args: &ServeBenchArgs, data: &Path, instances: &[Instance]) -> Result<bool, String> {
    let accounts = accounts(data)?;
    let (clerk_password, _) = accounts.get("vanthu").ok_or("no vanthu account")?;
    let bases: Vec<String> = instances.iter().map(|i| i.base.clone()).collect();
    let book = format!("bench{}", std::process::id());
    let db = super::register::DbArgs {
        db: args.db.clone(),
        data: Some(data.to_path_buf()),
    };
    let numbering_ok = numbering(args, &db, &bases, clerk_password, &book)?;
    for instance in instances {
        if let Some(kb) = instance.peak_rss_kb() {
            println!(
                "peak RSS after numbering, pid {}: {:.1} MB",
                instance.child.id(),
                kb as f64 / 1024.0
            );
        }
    }
    let pdf = issued_pdf(&bases[0], &accounts)?;
    let verify_ok = verifying(args, &bases, &pdf)?;
    Ok(numbering_ok && verify_ok)
}

fn numbering(
    args: &ServeBenchArgs,
    db: &super::register::DbArgs,
    bases: &[String],
    password: &str,
    book: &str,
) -> Result<bool, String> {
    let stop = Arc::new(AtomicBool::new(false));
    let failures = Arc::new(AtomicU64::new(0));
    let mut handles = Vec::new();
    for index in 0..args.clients.max(1) {
        let mut client = Client::new(&bases[index % bases.len()]);
        client.login("vanthu", password)?;
        let (stop, failures, book) = (Arc::clone(&stop), Arc::clone(&failures), book.to_owned());
        handles.push(std::thread::spawn(move || {
            let mut numbers = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                match client.post_json("/api/register/next", &json!({"book": book})) {
                    Ok((200, body)) => {
                        if let Some(n) = body["numbers"][0]["number"].as_u64() {
                            numbers.push(n);
                        }
                    }
                    _ => {
                        failures.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
            numbers
        }));
    }
    let started = Instant::now();
    std::thread::sleep(Duration::from_secs(args.seconds));
    stop.store(true, Ordering::Relaxed);
    let mut all = Vec::new();
    for handle in handles {
        all.extend(handle.join().map_err(|_| "a client thread panicked")?);
    }
    let elapsed = started.elapsed().as_secs_f64();
    let distinct: BTreeSet<u64> = all.iter().copied().collect();
    let duplicates = all.len() - distinct.len();
    let max = distinct.last().copied().unwrap_or(0);
    let gaps = max as usize - distinct.len();
    let recorded = recorded_numbers(db, book)?;
    println!(
        "numbering: {} clients on {} instance(s), {elapsed:.1} s: {} numbers, {:.0} numbers/s, {duplicates} duplicates, {gaps} gaps, {} failed requests; register holds {} (matches: {})",
        args.clients,
        bases.len(),
        all.len(),
        all.len() as f64 / elapsed,
        failures.load(Ordering::Relaxed),
        recorded.len(),
        recorded == distinct,
    );
    Ok(duplicates == 0 && gaps == 0 && recorded == distinct)
}

/// The numbers of `book` the register holds, read straight from the database (in this process,
/// so that a large listing does not count in the servers' memory).
fn recorded_numbers(db: &super::register::DbArgs, book: &str) -> Result<BTreeSet<u64>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let register = super::register::open(db).await.map_err(|e| e.to_string())?;
        let org = crate::register::Org::new("cdn-y-te-dong-nai").map_err(|e| e.to_string())?;
        let today = time::OffsetDateTime::now_utc()
            .to_offset(crate::sign::workflow::vietnam())
            .date();
        let year = crate::register::Year::of(today).map_err(|e| e.to_string())?;
        let records = crate::register::numbering::numbers(&register, &org, year)
            .await
            .map_err(|e| e.to_string())?;
        register.close().await;
        Ok(records
            .iter()
            .filter(|r| r.key.book.as_str() == book)
            .map(|r| u64::from(r.key.number))
            .collect())
    })
}

/// Walk one document through the workflow and return the issued PDF.
pub fn issued_pdf(
    base: &str,
    accounts: &std::collections::HashMap<String, (String, Option<String>)>,
) -> Result<Vec<u8>, String> {
    let login = |user: &str| -> Result<Client, String> {
        let (password, _) = accounts.get(user).ok_or(format!("no {user}"))?;
        let mut client = Client::new(base);
        client.login(user, password)?;
        Ok(client)
    };
    let pin = |user: &str| {
        accounts
            .get(user)
            .and_then(|(_, pin)| pin.clone())
            .unwrap_or_default()
    };
    let (drafter, leader, clerk) = (login("chuyenvien")?, login("lanhdao")?, login("vanthu")?);
    let source = json!({
        "kind": "ke_hoach", "profile": "cdn-y-te-dong-nai",
        "title": "Tổ chức Tháng Công nhân năm 2027",
        "body": [{"kind": "para", "text": "Các công đoàn cơ sở triển khai thực hiện, báo cáo kết quả trước ngày 30/5/2027./."}],
        "recipients": ["Công đoàn cơ sở trực thuộc"], "archive": {"units": ["VT"]}
    });
    let expect = |step: &str, (status, body): (u16, Value)| -> Result<Value, String> {
        if status / 100 == 2 {
            Ok(body)
        } else {
            Err(format!("{step}: {status} {body}"))
        }
    };
    let doc = expect(
        "draft",
        drafter.post_json(
            "/api/documents",
            &json!({"source": source.to_string(), "format": "json"}),
        )?,
    )?;
    let id = doc["id"].as_str().ok_or("no id")?.to_owned();
    let path = |action: &str| format!("/api/documents/{id}/{action}");
    expect(
        "submit",
        drafter.post_json(&path("submit"), &json!({"version": 1}))?,
    )?;
    expect(
        "sign",
        leader.post_json(&path("sign"), &json!({"version": 2, "pin": pin("lanhdao")}))?,
    )?;
    expect(
        "issue",
        clerk.post_json(&path("issue"), &json!({"version": 3, "pin": pin("vanthu")}))?,
    )?;
    let (status, pdf) = clerk.get(&path("files/issued.pdf"))?;
    if status != 200 {
        return Err(format!("issued.pdf: {status}"));
    }
    Ok(pdf)
}

fn verifying(args: &ServeBenchArgs, bases: &[String], pdf: &[u8]) -> Result<bool, String> {
    let pdf = Arc::new(pdf.to_vec());
    let stop = Arc::new(AtomicBool::new(false));
    let mut handles = Vec::new();
    for index in 0..args.verify_clients.max(1) {
        let client = Client::new(&bases[index % bases.len()]);
        let (stop, pdf) = (Arc::clone(&stop), Arc::clone(&pdf));
        handles.push(std::thread::spawn(move || {
            let (mut ok, mut other) = (0u64, BTreeSet::new());
            while !stop.load(Ordering::Relaxed) {
                match client.post("/api/verify", "application/pdf", &pdf) {
                    Ok((200, body)) => {
                        let verdict = serde_json::from_slice::<Value>(&body)
                            .ok()
                            .and_then(|v| v["verdict"].as_str().map(str::to_owned))
                            .unwrap_or_default();
                        if verdict == "valid-with-allowed-changes" {
                            ok += 1;
                        } else {
                            other.insert(verdict);
                        }
                    }
                    Ok((status, _)) => {
                        other.insert(format!("HTTP {status}"));
                    }
                    Err(error) => {
                        other.insert(error);
                    }
                }
            }
            (ok, other)
        }));
    }
    let started = Instant::now();
    std::thread::sleep(Duration::from_secs(args.seconds));
    stop.store(true, Ordering::Relaxed);
    let (mut ok, mut other) = (0u64, BTreeSet::new());
    for handle in handles {
        let (count, answers) = handle.join().map_err(|_| "a client thread panicked")?;
        ok += count;
        other.extend(answers);
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "verify: {} clients, {} KB signed PDF (2 signatures), {elapsed:.1} s: {ok} valid answers, {:.0} requests/s; other answers: {:?}",
        args.verify_clients,
        pdf.len() / 1024,
        ok as f64 / elapsed,
        other,
    );
    Ok(other.is_empty() && ok > 0)
}
