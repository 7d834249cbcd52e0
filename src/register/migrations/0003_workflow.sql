-- vanban register, version 3: the service's people, keys and documents.
-- Same rules as version 1: BIGINT and TEXT only, one text for SQLite and PostgreSQL.

-- Người dùng: one role each (chuyên viên, lãnh đạo, văn thư, quản trị), in one organisation
-- (the profile id, which is also the register's org). The password is an argon2id PHC string;
-- the plain password is never stored.
CREATE TABLE app_user (
    user_name TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('drafter', 'leader', 'clerk', 'admin')),
    org TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    disabled BIGINT NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
);

-- Login sessions (cookie) and API tokens (Bearer): only the SHA-256 of the token is kept, so a
-- copy of the database does not log anyone in.
CREATE TABLE api_token (
    token_sha256 TEXT PRIMARY KEY,
    user_name TEXT NOT NULL REFERENCES app_user (user_name),
    kind TEXT NOT NULL CHECK (kind IN ('session', 'api')),
    label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

-- Signing keys, bound to their holder: a person's key to its user (owner_kind 'user'), the
-- organisation's key (the seal) to the organisation ('org'), usable by its văn thư only. The key
-- is encrypted PKCS#8 (PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC) under the holder's signing PIN,
-- which the server never stores: it is given at signing time and dropped after.
CREATE TABLE signing_key (
    owner_kind TEXT NOT NULL CHECK (owner_kind IN ('user', 'org')),
    owner TEXT NOT NULL,
    key_pem TEXT NOT NULL,
    chain_pem TEXT NOT NULL,
    subject TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (owner_kind, owner)
);

-- Văn bản in the workflow. The files themselves (YAML source, draft PDF, signed PDFs) sit in
-- the content-addressed file store; these columns hold their SHA-256. `version` increments on
-- every change, and every change names the version it read, so two clerks acting on the same
-- document at once cannot both succeed.
CREATE TABLE document (
    document_id TEXT PRIMARY KEY,
    org TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'returned', 'signed', 'issued',
        'delivered', 'received', 'recalled')),
    version BIGINT NOT NULL,
    drafter TEXT NOT NULL,
    signer TEXT,
    source_sha256 TEXT NOT NULL,
    source_format TEXT NOT NULL CHECK (source_format IN ('yaml', 'json')),
    draft_sha256 TEXT,
    signed_sha256 TEXT,
    issued_sha256 TEXT,
    book TEXT,
    year BIGINT,
    number BIGINT,
    number_symbol TEXT,
    issued_on TEXT,
    note TEXT,
    corrects TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE INDEX document_by_org_state ON document (org, state);

-- Prepared external signatures (ký ngoài: USB token in the browser, SmartCA, MySign): what was
-- sent out to be signed, kept until the signature comes back, across restarts. The state JSON
-- and the prepared PDF are in the file store.
CREATE TABLE external_signing (
    handle TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES document (document_id),
    user_name TEXT NOT NULL,
    document_version BIGINT NOT NULL,
    state_sha256 TEXT NOT NULL,
    prepared_sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL
);
