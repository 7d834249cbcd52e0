//! Opening the database: SQLite (a file in the data directory) or PostgreSQL (by URL), one code
//! path through sqlx's `Any` driver, and the write transaction every change goes through.
//!
//! SQLite gets WAL (readers never block the writer), a busy timeout (writers in other processes
//! wait instead of failing), `BEGIN IMMEDIATE` for writes (the write lock is taken before the
//! first read, so a read-then-write transaction can never fail to upgrade), and two pools in one
//! process: a single writer connection, so that writers in one process queue fairly in the pool
//! instead of sleeping in SQLite's busy handler, and a few reader connections. PostgreSQL gets
//! one pool; its row locks serialise what must be serialised.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::{AnyConnection, AnyPool, Executor, Row, Transaction};

use super::batch::NumberQueue;
use super::{RegisterError, migrate};

/// The file name of the default SQLite database inside the data directory.
pub const DEFAULT_DB_FILE: &str = "vanban.db";

/// The default data directory of the CLI and the service (`--data DIR`), relative to the
/// working directory: the register lives in `./vanban-data/vanban.db`.
pub const DEFAULT_DATA_DIR: &str = "vanban-data";

/// Default SQLite busy timeout: 30 s.
///
/// A number takes about a millisecond of lock time; 30 s lets a few thousand writers from other
/// processes go first (the 200-process test needs well under a second of lock time in total)
/// while a truly stuck writer still surfaces as [`RegisterError::Busy`].
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// Default size of the PostgreSQL pool, and of the SQLite reader pool.
pub const DEFAULT_MAX_CONNECTIONS: u32 = 8;

/// Pause between attempts at switching a fresh SQLite file to WAL. The switch needs an exclusive
/// lock that the busy timeout does not wait for, so concurrent first opens retry every 10 ms for
/// up to the busy timeout.
const WAL_RETRY: Duration = Duration::from_millis(10);

/// Which database engine is behind the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// PostgreSQL, for several service instances sharing one database.
    Postgres,
    /// SQLite, a single file: the embedded default.
    Sqlite,
}

/// How to open the register.
#[derive(Debug, Clone)]
pub struct OpenOptions {
    url: String,
    max_connections: u32,
    busy_timeout: Duration,
}

impl OpenOptions {
    /// Options for a database URL: `sqlite:///path/vanban.db`, `sqlite:relative.db`, or
    /// `postgres://user:password@host:port/db`.
    pub fn new(url: impl Into<String>) -> Self {
        OpenOptions {
            url: url.into(),
            max_connections: DEFAULT_MAX_CONNECTIONS,
            busy_timeout: DEFAULT_BUSY_TIMEOUT,
        }
    }

    /// Options for the SQLite file `vanban.db` in `data_dir` (created when missing).
    pub fn data_dir(data_dir: &Path) -> Result<Self, RegisterError> {
        std::fs::create_dir_all(data_dir).map_err(|source| RegisterError::DataDir {
            path: data_dir.display().to_string(),
            source,
        })?;
        Ok(OpenOptions::new(sqlite_url(
            &data_dir.join(DEFAULT_DB_FILE),
        )?))
    }

    /// Pool size: PostgreSQL connections, or SQLite reader connections (the writer is one).
    pub fn max_connections(mut self, connections: u32) -> Self {
        self.max_connections = connections.max(1);
        self
    }

    /// How long an SQLite writer waits for other processes' write locks.
    pub fn busy_timeout(mut self, timeout: Duration) -> Self {
        self.busy_timeout = timeout;
        self
    }

    /// The URL, with any password replaced by `***` (for messages).
    pub fn redacted_url(&self) -> String {
        redact(&self.url)
    }
}

/// The register's database: sổ đăng ký văn bản đi, sổ văn bản đến, the counters and the audit log.
///
/// Cheap to clone (pools are shared); open once per process or service instance.
#[derive(Debug, Clone)]
pub struct Register {
    writer: AnyPool,
    reader: AnyPool,
    backend: Backend,
    busy_timeout: Duration,
    numbers: Arc<NumberQueue>,
}

/// An open write transaction (`BEGIN IMMEDIATE` on SQLite).
///
/// Every change to the register happens inside one, and [`super::audit::append`] takes one, so an
/// audit entry always commits or rolls back together with the change it records. Dropping it
/// without [`WriteTx::commit`] rolls back.
pub struct WriteTx {
    tx: Transaction<'static, sqlx::Any>,
    backend: Backend,
    busy_timeout: Duration,
}

impl Register {
    /// Open the database at `url` with default options, creating the schema if needed.
    pub async fn open(url: &str) -> Result<Self, RegisterError> {
        Register::open_with(&OpenOptions::new(url)).await
    }

    /// Open the database, apply pending migrations, and return the register.
    pub async fn open_with(options: &OpenOptions) -> Result<Self, RegisterError> {
        sqlx::any::install_default_drivers();
        let backend = backend_of(&options.url)?;
        let register = match backend {
            Backend::Sqlite => open_sqlite(options).await?,
            Backend::Postgres => open_postgres(options).await?,
        };
        let mut tx = register.begin_write().await?;
        migrate::run(&mut tx).await?;
        tx.commit().await?;
        Ok(register)
    }

    /// The engine behind this register.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Start a write transaction. On SQLite this takes the database write lock (`BEGIN
    /// IMMEDIATE`); on PostgreSQL row locks taken by the statements serialise what must be.
    pub async fn begin_write(&self) -> Result<WriteTx, RegisterError> {
        let begun = match self.backend {
            Backend::Sqlite => self.writer.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.writer.begin().await,
        };
        let tx = begun.map_err(|error| self.classify("mở giao dịch ghi", error))?;
        Ok(WriteTx {
            tx,
            backend: self.backend,
            busy_timeout: self.busy_timeout,
        })
    }

    /// The group-commit queue of [`super::numbering::reserve`].
    pub(crate) fn number_queue(&self) -> &NumberQueue {
        &self.numbers
    }

    /// The pool for reads (list, export, audit verification).
    pub(crate) fn reader(&self) -> &AnyPool {
        &self.reader
    }

    /// Close all connections (waits for them to be returned).
    pub async fn close(&self) {
        self.writer.close().await;
        self.reader.close().await;
    }

    fn classify(&self, operation: &'static str, error: sqlx::Error) -> RegisterError {
        classify(self.backend, self.busy_timeout, operation, error)
    }
}

impl WriteTx {
    /// The connection, for the caller's own statements inside this transaction.
    pub fn conn(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }

    /// The engine this transaction runs on.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Commit every change made in this transaction.
    pub async fn commit(self) -> Result<(), RegisterError> {
        let (backend, busy_timeout) = (self.backend, self.busy_timeout);
        self.tx
            .commit()
            .await
            .map_err(|error| classify(backend, busy_timeout, "ghi giao dịch", error))
    }

    /// Turn a driver error raised in this transaction into a register error.
    pub(crate) fn error(
        &self,
        operation: &'static str,
    ) -> impl FnOnce(sqlx::Error) -> RegisterError + use<> {
        let (backend, busy_timeout) = (self.backend, self.busy_timeout);
        move |error| classify(backend, busy_timeout, operation, error)
    }
}

impl std::fmt::Debug for WriteTx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WriteTx")
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

/// The `sqlite://` URL of a database file, percent-encoding what sqlx would read as URL syntax.
pub fn sqlite_url(path: &Path) -> Result<String, RegisterError> {
    let text = path.to_str().ok_or_else(|| RegisterError::InvalidField {
        field: "data",
        problem: format!("đường dẫn không phải UTF-8: {}", path.display()),
    })?;
    let mut url = String::from("sqlite://");
    for c in text.chars() {
        match c {
            '%' => url.push_str("%25"),
            '?' => url.push_str("%3F"),
            '#' => url.push_str("%23"),
            _ => url.push(c),
        }
    }
    url.push_str("?mode=rwc");
    Ok(url)
}

fn backend_of(url: &str) -> Result<Backend, RegisterError> {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("sqlite:") {
        if lower.contains(":memory:") || lower.contains("mode=memory") {
            // Two pools would open two different in-memory databases.
            return Err(RegisterError::UnsupportedUrl { url: redact(url) });
        }
        Ok(Backend::Sqlite)
    } else if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
        Ok(Backend::Postgres)
    } else {
        Err(RegisterError::UnsupportedUrl { url: redact(url) })
    }
}

async fn open_sqlite(options: &OpenOptions) -> Result<Register, RegisterError> {
    let pool = |connections: u32| {
        let busy_ms = options.busy_timeout.as_millis();
        AnyPoolOptions::new()
            .max_connections(connections)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    conn.execute(format!("PRAGMA busy_timeout = {busy_ms}").as_str())
                        .await?;
                    Ok(())
                })
            })
    };
    let connect = "mở cơ sở dữ liệu SQLite";
    let writer = pool(1)
        .connect(&options.url)
        .await
        .map_err(|error| classify(Backend::Sqlite, options.busy_timeout, connect, error))?;
    ensure_wal(&writer, options.busy_timeout).await?;
    let reader = pool(options.max_connections)
        .connect(&options.url)
        .await
        .map_err(|error| classify(Backend::Sqlite, options.busy_timeout, connect, error))?;
    Ok(Register {
        writer,
        reader,
        backend: Backend::Sqlite,
        busy_timeout: options.busy_timeout,
        numbers: Arc::default(),
    })
}

/// Switch the file to WAL once; it stays WAL. Concurrent first opens retry a bounded number of
/// times, because the switch cannot wait on the busy timeout.
async fn ensure_wal(pool: &AnyPool, busy_timeout: Duration) -> Result<(), RegisterError> {
    let attempts = busy_timeout.as_millis() / WAL_RETRY.as_millis();
    let mut attempt = 0;
    loop {
        let result = sqlx::query("PRAGMA journal_mode = WAL")
            .fetch_one(pool)
            .await;
        match result {
            Ok(row) => {
                let mode: String = row.try_get(0).map_err(RegisterError::db("bật WAL"))?;
                if mode.eq_ignore_ascii_case("wal") {
                    return Ok(());
                }
                return Err(RegisterError::Corrupt {
                    table: "(PRAGMA journal_mode)",
                    problem: format!("SQLite không bật được WAL (đang ở chế độ {mode})"),
                });
            }
            Err(error) if is_busy(&error) && attempt < attempts => {
                attempt += 1;
                tokio::time::sleep(WAL_RETRY).await;
            }
            Err(error) => return Err(classify(Backend::Sqlite, busy_timeout, "bật WAL", error)),
        }
    }
}

async fn open_postgres(options: &OpenOptions) -> Result<Register, RegisterError> {
    let pool = AnyPoolOptions::new()
        .max_connections(options.max_connections)
        .connect(&options.url)
        .await
        .map_err(|error| RegisterError::Database {
            operation: "kết nối PostgreSQL",
            source: error,
        })?;
    Ok(Register {
        writer: pool.clone(),
        reader: pool,
        backend: Backend::Postgres,
        busy_timeout: options.busy_timeout,
        numbers: Arc::default(),
    })
}

fn classify(
    backend: Backend,
    busy_timeout: Duration,
    operation: &'static str,
    error: sqlx::Error,
) -> RegisterError {
    if backend == Backend::Sqlite && is_busy(&error) {
        return RegisterError::Busy {
            operation,
            timeout_ms: u64::try_from(busy_timeout.as_millis()).unwrap_or(u64::MAX),
        };
    }
    RegisterError::Database {
        operation,
        source: error,
    }
}

/// SQLITE_BUSY (5) or SQLITE_LOCKED (6), with or without extended bits.
fn is_busy(error: &sqlx::Error) -> bool {
    let Some(db) = error.as_database_error() else {
        return false;
    };
    db.code()
        .and_then(|code| code.parse::<i32>().ok())
        .is_some_and(|code| matches!(code & 0xff, 5 | 6))
}

/// The URL with the password (between `user:` and `@`) replaced by `***`.
fn redact(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_owned();
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else {
        return url.to_owned();
    };
    match rest[..at].find(':') {
        Some(colon) => format!(
            "{}{}:***{}",
            &url[..scheme_end + 3],
            &rest[..colon],
            &rest[at..]
        ),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://vanban:secret@127.0.0.1:5432/db"),
            "postgres://vanban:***@127.0.0.1:5432/db"
        );
        assert_eq!(redact("postgres://host/db"), "postgres://host/db");
        assert_eq!(redact("sqlite:///tmp/a.db"), "sqlite:///tmp/a.db");
    }

    #[test]
    fn sqlite_urls_escape_url_syntax() {
        let url = sqlite_url(Path::new("/tmp/dữ liệu?#%/vanban.db")).unwrap();
        assert_eq!(url, "sqlite:///tmp/dữ liệu%3F%23%25/vanban.db?mode=rwc");
    }

    #[test]
    fn only_files_and_postgres_are_accepted() {
        assert_eq!(backend_of("sqlite:///a.db").unwrap(), Backend::Sqlite);
        assert_eq!(backend_of("postgresql://h/d").unwrap(), Backend::Postgres);
        assert!(backend_of("sqlite::memory:").is_err());
        assert!(backend_of("mysql://h/d").is_err());
    }
}
