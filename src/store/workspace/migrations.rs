//! The workspace's schema, as the ordered list of migrations that build it.
//!
//! A database's `PRAGMA user_version` is the number of migrations applied to it. Opening a
//! workspace applies the missing ones in order, each in its own transaction together with the
//! version bump, so an interrupted upgrade leaves the previous version intact. Migrations are
//! never edited once released: a change to the schema is a new migration at the end.

use rusqlite::{Connection, TransactionBehavior};

/// One step of the schema.
#[derive(Clone, Copy, Debug)]
pub struct Migration {
    /// The schema version this migration produces (its position in [`MIGRATIONS`], from 1).
    pub version: u32,
    pub description: &'static str,
    pub sql: &'static str,
    /// Rust run after `sql` in the same transaction, for what SQL cannot compute (hashes).
    pub backfill: Option<fn(&Connection) -> rusqlite::Result<()>>,
    /// SQL run after `backfill` (triggers that would refuse the backfill's updates).
    pub then: &'static str,
}

/// Every migration, in order. The current schema version is `MIGRATIONS.len()`.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        description: "models, deduplicated model texts and revisions",
        sql: "
            -- A model file, keyed by its canonical absolute path.
            CREATE TABLE models (
                id INTEGER PRIMARY KEY,
                path TEXT NOT NULL UNIQUE,
                created_at INTEGER NOT NULL
            );

            -- Model texts, once per content hash, deflated.
            CREATE TABLE contents (
                hash TEXT PRIMARY KEY,
                size INTEGER NOT NULL,
                deflated BLOB NOT NULL
            );

            -- One recorded state of a model. `findings` is the deflated JSON
            -- {\"findings\": [FindingRecord…], \"triage\": [TriageDecision…]}; the counts and the
            -- delta against the previous revision are kept here so that listing a history reads
            -- one row per revision and no blob.
            CREATE TABLE revisions (
                id INTEGER PRIMARY KEY,
                model_id INTEGER NOT NULL REFERENCES models (id),
                number INTEGER NOT NULL CHECK (number >= 1),
                content_hash TEXT NOT NULL REFERENCES contents (hash),
                recorded_at INTEGER NOT NULL,
                author TEXT NOT NULL,
                name TEXT NOT NULL,
                nodes INTEGER NOT NULL,
                edges INTEGER NOT NULL,
                critical INTEGER NOT NULL,
                high INTEGER NOT NULL,
                medium INTEGER NOT NULL,
                low INTEGER NOT NULL,
                info INTEGER NOT NULL,
                open INTEGER NOT NULL,
                added INTEGER NOT NULL,
                resolved INTEGER NOT NULL,
                changed INTEGER NOT NULL,
                findings BLOB NOT NULL,
                UNIQUE (model_id, number)
            );
        ",
        backfill: None,
        then: "",
    },
    Migration {
        version: 2,
        description: "the append-only audit log of triage decisions",
        sql: "
            -- A triage decision that appeared, changed or was removed when a revision was
            -- recorded. Statuses are NULL for \"no decision\".
            CREATE TABLE audit_log (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                model_id INTEGER NOT NULL REFERENCES models (id),
                revision INTEGER NOT NULL,
                fingerprint TEXT NOT NULL,
                rule TEXT,
                old_status TEXT,
                new_status TEXT,
                justification TEXT,
                decided_by TEXT NOT NULL,
                decided_at TEXT NOT NULL,
                recorded_at INTEGER NOT NULL,
                recorded_by TEXT NOT NULL,
                FOREIGN KEY (model_id, revision) REFERENCES revisions (model_id, number)
            );
            CREATE INDEX audit_log_by_model ON audit_log (model_id, id);

            -- Append-only, whoever writes to the file.
            CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN
                SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be changed');
            END;
            CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN
                SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be deleted');
            END;
            -- `INSERT OR REPLACE` deletes without firing delete triggers: refuse a new entry
            -- that would take an existing entry's place.
            CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
            WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)
            BEGIN
                SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be replaced');
            END;
        ",
        backfill: None,
        then: "",
    },
    Migration {
        version: 3,
        description: "the tamper-evident chain over revisions and audit entries",
        sql: "
            -- The backfill below writes to the audit log: its triggers come back after it.
            DROP TRIGGER audit_log_no_update;
            DROP TRIGGER audit_log_no_delete;
            DROP TRIGGER audit_log_no_replace;

            -- `chain.rs`: each revision and entry links to the one before it in its model's
            -- chain; the model keeps the chain's head.
            ALTER TABLE revisions ADD COLUMN findings_hash TEXT;
            ALTER TABLE revisions ADD COLUMN link TEXT;
            ALTER TABLE audit_log ADD COLUMN link TEXT;
            ALTER TABLE models ADD COLUMN head_revisions INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE models ADD COLUMN head_entries INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE models ADD COLUMN head TEXT;
        ",
        backfill: Some(super::chain::backfill),
        then: "
            CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN
                SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be changed');
            END;
            CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN
                SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be deleted');
            END;
            CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
            WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)
            BEGIN
                SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be replaced');
            END;

            -- Revisions are written once too.
            CREATE TRIGGER revisions_no_update BEFORE UPDATE ON revisions
            BEGIN
                SELECT RAISE(ABORT, 'revisions are append-only: they cannot be changed');
            END;
            CREATE TRIGGER revisions_no_delete BEFORE DELETE ON revisions
            BEGIN
                SELECT RAISE(ABORT, 'revisions are append-only: they cannot be deleted');
            END;
            CREATE TRIGGER revisions_no_replace BEFORE INSERT ON revisions
            WHEN EXISTS (SELECT 1 FROM revisions WHERE id = NEW.id
                         OR (model_id = NEW.model_id AND number = NEW.number))
            BEGIN
                SELECT RAISE(ABORT, 'revisions are append-only: they cannot be replaced');
            END;

            -- A model stays, under its path, and its chain's head only moves forward.
            CREATE TRIGGER models_no_delete BEFORE DELETE ON models
            BEGIN
                SELECT RAISE(ABORT, 'recorded models cannot be deleted');
            END;
            CREATE TRIGGER models_head_only_grows BEFORE UPDATE ON models
            WHEN NEW.id IS NOT OLD.id OR NEW.path IS NOT OLD.path
                 OR NEW.created_at IS NOT OLD.created_at
                 OR NEW.head_revisions <= OLD.head_revisions
                 OR NEW.head_entries < OLD.head_entries
            BEGIN
                SELECT RAISE(ABORT, 'a model''s chain head only moves forward');
            END;
        ",
    },
];

/// The schema version this Bartizan writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// The database's schema version (`PRAGMA user_version`).
pub fn schema_version(connection: &Connection) -> rusqlite::Result<u32> {
    connection.query_row("PRAGMA user_version", [], |row| row.get(0))
}

/// What [`migrate`] found and did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Migrated {
    /// Brought from `from` to [`SCHEMA_VERSION`] (from 0 for a new database).
    Upgraded {
        from: u32,
    },
    UpToDate,
    /// Written by a newer Bartizan: left alone.
    TooNew {
        version: u32,
    },
}

/// Applies the migrations the database lacks, each in an immediate transaction with its
/// version bump. Re-reads the version inside each transaction, so two processes opening the
/// same new workspace at once apply each migration once.
pub fn migrate(connection: &mut Connection) -> rusqlite::Result<Migrated> {
    migrate_to(connection, SCHEMA_VERSION)
}

/// Like [`migrate`], stopping at `target`: how tests build a database of an earlier version.
pub fn migrate_to(connection: &mut Connection, target: u32) -> rusqlite::Result<Migrated> {
    let start = schema_version(connection)?;
    if start > SCHEMA_VERSION {
        return Ok(Migrated::TooNew { version: start });
    }
    if start >= target {
        return Ok(Migrated::UpToDate);
    }
    for migration in &MIGRATIONS[..target as usize] {
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current = schema_version(&transaction)?;
        if current >= migration.version {
            continue;
        }
        transaction.execute_batch(migration.sql)?;
        if let Some(backfill) = migration.backfill {
            backfill(&transaction)?;
        }
        transaction.execute_batch(migration.then)?;
        transaction.pragma_update(None, "user_version", migration.version)?;
        transaction.commit()?;
    }
    Ok(Migrated::Upgraded { from: start })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tables(connection: &Connection) -> Vec<String> {
        let mut statement = connection
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .unwrap();
        statement
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn versions_follow_the_order_of_the_list() {
        for (index, migration) in MIGRATIONS.iter().enumerate() {
            assert_eq!(migration.version as usize, index + 1);
        }
    }

    #[test]
    fn migrates_step_by_step_and_only_once() {
        let mut connection = Connection::open_in_memory().unwrap();
        assert_eq!(
            migrate_to(&mut connection, 1).unwrap(),
            Migrated::Upgraded { from: 0 }
        );
        assert_eq!(schema_version(&connection).unwrap(), 1);
        assert_eq!(tables(&connection), ["contents", "models", "revisions"]);
        assert_eq!(
            migrate(&mut connection).unwrap(),
            Migrated::Upgraded { from: 1 }
        );
        assert_eq!(schema_version(&connection).unwrap(), SCHEMA_VERSION);
        assert!(tables(&connection).contains(&"audit_log".to_owned()));
        assert_eq!(migrate(&mut connection).unwrap(), Migrated::UpToDate);
    }

    #[test]
    fn a_newer_database_is_left_alone() {
        let mut connection = Connection::open_in_memory().unwrap();
        connection
            .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        assert_eq!(
            migrate(&mut connection).unwrap(),
            Migrated::TooNew {
                version: SCHEMA_VERSION + 1
            }
        );
        assert!(tables(&connection).is_empty());
    }

    #[test]
    fn a_failed_migration_changes_nothing() {
        let mut connection = Connection::open_in_memory().unwrap();
        migrate_to(&mut connection, 1).unwrap();
        // A table in the way of migration 2: it fails, and the version stays at 1.
        connection
            .execute_batch("CREATE INDEX audit_log_by_model ON models (path)")
            .unwrap();
        assert!(migrate(&mut connection).is_err());
        assert_eq!(schema_version(&connection).unwrap(), 1);
        assert!(!tables(&connection).contains(&"audit_log".to_owned()));
    }
}
