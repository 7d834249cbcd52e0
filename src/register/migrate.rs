//! Versioned schema migrations, embedded in the binary and applied when the register opens.
//!
//! Each migration has one SQL text per engine; most share one file (`0001_register.sql`), and only
//! what the engines spell differently (triggers) has a file per engine. The applied versions and
//! the SHA-256 of each text are kept in `schema_migrations`: a database migrated by a newer
//! vanban, or an applied migration whose text has since changed, is refused with a typed error.
//!
//! Many processes may open a fresh database at once (200 `vanban register next` in the tests):
//! the runner holds the write transaction (`BEGIN IMMEDIATE` on SQLite) and, on PostgreSQL, a
//! transaction-scoped advisory lock, so exactly one of them creates the schema.

use sqlx::{Executor, Row};

use super::RegisterError;
use super::key::Sha256;
use super::store::{Backend, WriteTx};

/// One schema version.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// Version number, from 1, without gaps.
    pub version: i64,
    /// Short name.
    pub name: &'static str,
    /// SQL text for SQLite.
    pub sqlite: &'static str,
    /// SQL text for PostgreSQL.
    pub postgres: &'static str,
}

impl Migration {
    /// The SQL text for `backend`.
    pub fn text(&self, backend: Backend) -> &'static str {
        match backend {
            Backend::Postgres => self.postgres,
            Backend::Sqlite => self.sqlite,
        }
    }
}

const REGISTER: &str = include_str!("migrations/0001_register.sql");
const WORKFLOW: &str = include_str!("migrations/0003_workflow.sql");

/// Every migration this binary knows, in order.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "register",
        sqlite: REGISTER,
        postgres: REGISTER,
    },
    Migration {
        version: 2,
        name: "append_only",
        sqlite: include_str!("migrations/0002_append_only.sqlite.sql"),
        postgres: include_str!("migrations/0002_append_only.postgres.sql"),
    },
    Migration {
        version: 3,
        name: "workflow",
        sqlite: WORKFLOW,
        postgres: WORKFLOW,
    },
];

/// Advisory lock key for migrations on PostgreSQL ("vanban" in ASCII).
const PG_MIGRATION_LOCK: i64 = 0x76_61_6e_62_61_6e;

const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (\
    version BIGINT PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL)";

/// Apply every migration the database lacks, inside `tx`.
pub(crate) async fn run(tx: &mut WriteTx) -> Result<(), RegisterError> {
    let backend = tx.backend();
    if backend == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(PG_MIGRATION_LOCK)
            .execute(tx.conn())
            .await
            .map_err(tx.error("khóa migration"))?;
    }
    tx.conn()
        .execute(CREATE_TABLE)
        .await
        .map_err(tx.error("tạo bảng schema_migrations"))?;
    let applied = applied(tx).await?;
    let known = MIGRATIONS.last().map_or(0, |migration| migration.version);
    if let Some(&(found, _)) = applied.last()
        && found > known
    {
        return Err(RegisterError::SchemaTooNew { found, known });
    }
    for migration in MIGRATIONS {
        let text = migration.text(backend);
        let embedded = Sha256::digest(text.as_bytes()).hex();
        match applied
            .iter()
            .find(|(version, _)| *version == migration.version)
        {
            Some((_, recorded)) if *recorded == embedded => {}
            Some((_, recorded)) => {
                return Err(RegisterError::MigrationChanged {
                    version: migration.version,
                    name: migration.name,
                    applied: recorded.clone(),
                    embedded,
                });
            }
            None => apply(tx, migration, text, &embedded).await?,
        }
    }
    Ok(())
}

async fn applied(tx: &mut WriteTx) -> Result<Vec<(i64, String)>, RegisterError> {
    let rows = sqlx::query("SELECT version, sha256 FROM schema_migrations ORDER BY version")
        .fetch_all(tx.conn())
        .await
        .map_err(tx.error("đọc schema_migrations"))?;
    rows.iter()
        .map(|row| {
            let version = row.try_get::<i64, _>(0);
            let sha256 = row.try_get::<String, _>(1);
            version
                .and_then(|version| sha256.map(|sha256| (version, sha256)))
                .map_err(RegisterError::db("đọc schema_migrations"))
        })
        .collect()
}

async fn apply(
    tx: &mut WriteTx,
    migration: &Migration,
    text: &'static str,
    sha256: &str,
) -> Result<(), RegisterError> {
    sqlx::raw_sql(text)
        .execute(tx.conn())
        .await
        .map_err(tx.error("áp dụng migration"))?;
    sqlx::query("INSERT INTO schema_migrations (version, name, sha256) VALUES ($1, $2, $3)")
        .bind(migration.version)
        .bind(migration.name)
        .bind(sha256)
        .execute(tx.conn())
        .await
        .map_err(tx.error("ghi schema_migrations"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_run_from_one_without_gaps() {
        for (index, migration) in MIGRATIONS.iter().enumerate() {
            assert_eq!(migration.version, index as i64 + 1, "{}", migration.name);
        }
    }
}
