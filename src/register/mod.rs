//! Sổ đăng ký: numbering (cấp số), the outgoing and incoming registers (sổ đăng ký văn bản đi,
//! sổ văn bản đến) and the audit log (nhật ký), on SQLite by default or PostgreSQL by URL.
//!
//! This is the văn thư's book, kept by the System as Nghị định 30/2020/NĐ-CP Điều 15–16 asks:
//! numbers per organisation and book from 01 each calendar year, never given twice, a reserved
//! number that goes unused voided with a reason and kept on the record, and the register's ten
//! columns (FORMAT.md §3.3, §5.4).
//!
//! ```text
//!  workflow / service / CLI
//!        │  numbering::reserve ──► outgoing::issue        numbering::void     incoming::receive
//!        ▼            (each one write transaction, with its audit::append inside)
//!   Register ── WriteTx (BEGIN IMMEDIATE on SQLite) ──► register_counter  (atomic upsert)
//!                                                      register_number   (PK catches duplicates)
//!                                                      outgoing_entry / incoming_entry
//!                                                      audit_log + audit_head (hash chain)
//! ```
//!
//! The types to know: [`Register`] (open once, clone freely), [`WriteTx`] (a write transaction;
//! [`audit::append`] takes one so the log entry commits with the change it records),
//! [`NumberKey`] (org, book, year, number) and [`RegisterError`].
//!
//! Time is always passed in (`at`, the issue date); nothing here reads the clock, so tests pick
//! 31 December and 1 January at will (STYLE.md habit 10).
//!
//! # Using it (the CLI, the service)
//!
//! - Open once per process inside a tokio runtime: `Register::open_with(&OpenOptions::data_dir(
//!   dir)?)` for the embedded default (`<dir>/vanban.db`, the CLI's `--data`, default
//!   [`DEFAULT_DATA_DIR`]), or `Register::open(url)` for `postgres://…`; migrations run on open.
//!   Clone the [`Register`] into handlers; do not open one per request.
//! - Numbers: [`numbering::reserve`] (concurrent calls on one `Register` are group-committed:
//!   one transaction and one fsync per batch, each number with its own row and audit entry),
//!   [`numbering::void`], [`outgoing::issue`] (the 10 columns and the SHA-256 of the signed
//!   file), [`incoming::receive`]. To number inside a larger write, use
//!   [`Register::begin_write`] with [`numbering::reserve_in`] and [`audit::append`].
//! - Other audit events (login, signing, failed authorization): [`audit::append_alone`].
//! - Checks and exports: [`audit::verify`], [`csv::outgoing`], [`print::outgoing_pdf`].
//!
//! # Why sqlx, and what it costs
//!
//! sqlx 0.8 with `runtime-tokio`, `sqlite`, `postgres` and `any`, without macros: the `Any`
//! driver runs *the same code and the same SQL text* on both engines (only the trigger migrations
//! differ), the HTTP service will be axum on tokio anyway, and the async pools let a service
//! instance queue writers instead of blocking threads. The alternative, rusqlite plus the
//! `postgres` crate behind a trait, would build faster but needs two implementations of every
//! query, and the `postgres` crate pulls in tokio as well. The cost, on this 2-core machine:
//! sqlx + tokio add 77 crates to vanban's Linux build (`cargo tree -e normal`: 248 crates
//! instead of 172; the lock file lists 96 more, counting Windows-only and never-compiled
//! optional ones), and a clean standalone build of sqlx with these features took 72 s against
//! 40 s for rusqlite (notes/crates.md §9). SQLite is compiled from the bundled amalgamation
//! (no system library needed). No `macros` feature: queries are checked by the tests against
//! both engines instead of at compile time.
//!
//! `Any` speaks a small common type set, so the schema uses only `BIGINT` and `TEXT`: dates are
//! `YYYY-MM-DD` text and times RFC 3339 UTC text with microseconds (also what the audit hash
//! covers).
//!
//! SQL lives here and nowhere else (STYLE.md §2): the CLI and the service call these functions.

use time::format_description::FormatItem;
use time::macros::format_description;
use time::{Date, OffsetDateTime, UtcOffset};

/// The hash-chained audit log (nhật ký kiểm tra).
pub mod audit;
/// Group commit of concurrent reserve requests.
mod batch;
/// CSV exports (UTF-8 with BOM, Vietnamese headers).
pub mod csv;
/// Văn bản in the service's workflow: state, version, file digests.
pub mod documents;
/// The register's error type.
mod error;
/// Sổ văn bản đến.
pub mod incoming;
/// Names, years, keys and digests, parsed once.
mod key;
/// Versioned schema migrations.
pub mod migrate;
/// Cấp số: reserve, void, list.
pub mod numbering;
/// Sổ đăng ký văn bản đi.
pub mod outgoing;
/// People, sessions and signing keys of the service.
pub mod people;
/// The printable outgoing register: a landscape PDF like the decree's model book.
pub mod print;
/// Opening SQLite or PostgreSQL; write transactions.
mod store;

pub use error::RegisterError;
pub use key::{
    Actor, Book, Direction, MAX_NAME_CHARS, MAX_TEXT_CHARS, NumberKey, NumberState, Org, Sha256,
    Year,
};
pub use store::{
    Backend, DEFAULT_BUSY_TIMEOUT, DEFAULT_DATA_DIR, DEFAULT_DB_FILE, DEFAULT_MAX_CONNECTIONS,
    OpenOptions, Register, WriteTx, sqlite_url,
};

const TIMESTAMP: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");
const DATE: &[FormatItem<'static>] = format_description!("[year]-[month]-[day]");
const SHORT_DATE: &[FormatItem<'static>] = format_description!("[day]/[month]/[year]");

/// A time as stored and hashed: RFC 3339 in UTC with microseconds
/// (`2025-12-31T16:59:59.000000Z`).
pub fn timestamp(at: OffsetDateTime) -> String {
    let utc = at.to_offset(UtcOffset::UTC);
    // Formatting a valid OffsetDateTime with a fixed numeric description cannot fail for
    // years 0–9999; the fallback keeps the function total for the years beyond.
    utc.format(TIMESTAMP).unwrap_or_else(|_| utc.to_string())
}

/// A date as stored: `YYYY-MM-DD`.
pub fn date_text(date: Date) -> String {
    date.format(DATE).unwrap_or_else(|_| date.to_string())
}

/// A date as the register prints it: `dd/mm/yyyy`.
pub fn short_date(date: Date) -> String {
    date.format(SHORT_DATE).unwrap_or_else(|_| date.to_string())
}

/// Parse a stored `YYYY-MM-DD` date.
pub fn parse_date(text: &str) -> Option<Date> {
    Date::parse(text, DATE).ok()
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn timestamps_are_utc_with_microseconds() {
        let at = datetime!(2026-01-01 00:30:00.5 +07:00);
        assert_eq!(timestamp(at), "2025-12-31T17:30:00.500000Z");
    }

    #[test]
    fn dates_round_trip() {
        let date = time::macros::date!(2025 - 03 - 05);
        assert_eq!(date_text(date), "2025-03-05");
        assert_eq!(short_date(date), "05/03/2025");
        assert_eq!(parse_date("2025-03-05"), Some(date));
        assert_eq!(parse_date("2025-3-5"), None);
    }
}
