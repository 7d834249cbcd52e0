-- vanban register, version 1: counters, numbers, sổ đi, sổ đến, audit log.
-- The same text runs on SQLite and PostgreSQL: BIGINT and TEXT columns only; dates are
-- 'YYYY-MM-DD' text, times are RFC 3339 UTC text ('2025-03-05T08:30:00.000000Z').

-- One counter per (organisation, register direction, book, year): the atomic upsert in
-- numbering.rs increments last_number and returns it.
CREATE TABLE register_counter (
    org TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('out', 'in')),
    book TEXT NOT NULL,
    year BIGINT NOT NULL,
    last_number BIGINT NOT NULL CHECK (last_number > 0),
    PRIMARY KEY (org, direction, book, year)
);

-- Every outgoing number ever given out, in any state. The primary key is the unique constraint
-- on (org, book, year, number) that catches a number given twice.
CREATE TABLE register_number (
    org TEXT NOT NULL,
    book TEXT NOT NULL,
    year BIGINT NOT NULL,
    number BIGINT NOT NULL CHECK (number > 0),
    state TEXT NOT NULL CHECK (state IN ('reserved', 'issued', 'voided')),
    reserved_at TEXT NOT NULL,
    reserved_by TEXT NOT NULL,
    void_reason TEXT,
    voided_at TEXT,
    voided_by TEXT,
    PRIMARY KEY (org, book, year, number)
);

-- Sổ đăng ký văn bản đi (Nghị định 30, Phụ lục IV): the decree's 10 columns, plus the digest of
-- the issued signed file and the document identifier.
CREATE TABLE outgoing_entry (
    org TEXT NOT NULL,
    book TEXT NOT NULL,
    year BIGINT NOT NULL,
    number BIGINT NOT NULL,
    symbol TEXT NOT NULL,
    document_date TEXT NOT NULL,
    type_and_summary TEXT NOT NULL,
    signer TEXT NOT NULL,
    recipients TEXT NOT NULL,
    archive_holder TEXT NOT NULL,
    copies BIGINT NOT NULL CHECK (copies >= 0),
    delivered_on TEXT,
    receipt TEXT,
    note TEXT,
    file_sha256 TEXT NOT NULL,
    document_id TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    issued_by TEXT NOT NULL,
    PRIMARY KEY (org, book, year, number),
    UNIQUE (org, year, number, symbol),
    FOREIGN KEY (org, book, year, number) REFERENCES register_number (org, book, year, number)
);

-- Sổ văn bản đến: one row per document a recipient verified and accepted.
CREATE TABLE incoming_entry (
    org TEXT NOT NULL,
    book TEXT NOT NULL,
    year BIGINT NOT NULL,
    number BIGINT NOT NULL CHECK (number > 0),
    received_on TEXT NOT NULL,
    sender TEXT NOT NULL,
    number_symbol TEXT NOT NULL,
    document_date TEXT,
    summary TEXT NOT NULL,
    verdict TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    PRIMARY KEY (org, book, year, number),
    UNIQUE (org, file_sha256)
);

-- The audit log: append-only, hash-chained (audit.rs). audit_head holds the last seq and hash;
-- every append updates it first, which serialises appends (a row lock on PostgreSQL, the write
-- lock on SQLite) so the chain never forks.
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    details TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);

CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);

INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
