//! The workspace: a SQLite database that remembers every recorded revision of each model
//! (its text, who recorded it and when, its risks) and an append-only audit log of triage
//! decisions. The model file stays the portable source; the workspace adds its history.
//!
//! ```no_run
//! use std::path::Path;
//! use bartizan::store::workspace::{Workspace, default_author, now};
//!
//! let mut workspace = Workspace::open(Workspace::default_path()?)?;
//! let model = Path::new("models/finance-ops.bartizan.yaml");
//! let text = std::fs::read_to_string(model)?;
//! let author = default_author().ok_or("no login name: say who records")?;
//! let outcome = workspace.record(model, &text, &author, now())?;
//! println!("revision {}", outcome.revision.number);
//! let diff = workspace.diff(model, None, None)?; // the latest against the one before
//! let trail = workspace.audit_log(Some(model))?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Guarantees:
//! - The database is in WAL mode with `synchronous = FULL` and foreign keys on. Each
//!   [`Workspace::record`] is one `BEGIN IMMEDIATE` transaction: a process killed in the
//!   middle of one loses that revision and nothing else, and a revision is durable once
//!   `record` returns.
//! - Opening applies the schema migrations (`migrations.rs`) the database lacks; opening
//!   read-only ([`Workspace::open_read_only`]) applies none and writes nothing.
//! - The audit log and the revisions only grow: this API has no way to change or delete them,
//!   and triggers in the database refuse `UPDATE` and `DELETE` on them from anyone.
//! - Tampering is evident, not prevented (`chain.rs`): revisions and entries are hash-chained
//!   per model; opening checks the tables and triggers, and every read of a history checks
//!   them and the chain, refusing to show a broken one.
//! - A model is known by its canonical absolute path ([`model_key`]).

mod chain;
pub mod migrations;

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use flate2::Compression;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use rusqlite::{Connection, OpenFlags, OptionalExtension, Row, TransactionBehavior, params};
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Severity as DiagnosticSeverity};
use crate::graph::ModelGraph;
use crate::history::{
    AuditEntry, Diff, FindingRecord, Revision, RiskRecord, RisksDelta, SeverityCounts, diff_models,
    diff_risks, format_utc, triage_changes,
};
use crate::model::{Model, TriageDecision, TriageStatus};
use crate::report::content_hash;
use crate::syntax::{Format, Limits, parse_model};

use migrations::{Migrated, SCHEMA_VERSION};

pub use chain::{Break, Link, ModelChain};

/// The environment variable that overrides the workspace's default place.
pub const WORKSPACE_ENV: &str = "BARTIZAN_WORKSPACE";
/// The environment variable that names who records revisions from the command line (before
/// the login name, after `--author`).
pub const AUTHOR_ENV: &str = "BARTIZAN_AUTHOR";

/// How long a write waits for another process's write to finish before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("no place for the workspace: set {WORKSPACE_ENV} or pass --workspace PATH")]
    NoDefaultPath,
    #[error("cannot create the directory of the workspace {path}: {source}")]
    CreateDirectory {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("workspace {path}: cannot {action}: {source}")]
    Database {
        path: PathBuf,
        action: &'static str,
        source: rusqlite::Error,
    },
    #[error(
        "workspace {path}: the database cannot use WAL mode (its journal mode stayed `{mode}`)"
    )]
    NotWal { path: PathBuf, mode: String },
    #[error(
        "workspace {path} has schema version {found}, newer than this Bartizan's {supported}; \
         use a newer Bartizan"
    )]
    TooNew {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error(
        "workspace {path} has schema version {found}, older than this Bartizan's {supported}; \
         commands that only read never change a workspace: the next `bartizan record` (or a \
         save in the app) upgrades it"
    )]
    Outdated {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error(
        "workspace {path} has been tampered with or damaged: {detail}; its history is not shown \
         as genuine (`bartizan audit --verify` checks all of it)"
    )]
    Tampered { path: PathBuf, detail: String },
    #[error("cannot reach the workspace {path}: {source}")]
    Inaccessible {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("workspace {path}: no revision of {model} is recorded")]
    NotRecorded { path: PathBuf, model: String },
    #[error("workspace {path}: {model} has no revision {number} (its revisions are 1 to {latest})")]
    NoSuchRevision {
        path: PathBuf,
        model: String,
        number: u32,
        latest: u32,
    },
    #[error("workspace {path}: revision {number} of {model} is damaged: {detail}")]
    Damaged {
        path: PathBuf,
        model: String,
        number: u32,
        detail: String,
    },
    #[error(
        "workspace {path} is damaged: its table `{table}` does not read back whole ({detail}); \
         what it holds cannot be shown"
    )]
    Corrupt {
        path: PathBuf,
        table: &'static str,
        detail: String,
    },
    #[error(
        "the risks of {model} take {size} bytes, more than a revision may hold ({limit}); \
         nothing was recorded"
    )]
    RisksTooLarge {
        model: String,
        size: u64,
        limit: u64,
    },
    #[error("{model} is not a valid model ({summary}); nothing was recorded")]
    InvalidModel {
        model: String,
        summary: String,
        diagnostics: Vec<Diagnostic>,
    },
}

/// What [`Workspace::record`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordOutcome {
    /// The new revision, or the latest one when the text was the same as its text.
    pub revision: Revision,
    /// Whether a revision was added.
    pub created: bool,
}

/// A workspace database, open. See the module documentation for what it guarantees.
pub struct Workspace {
    connection: Connection,
    path: PathBuf,
    /// What opening found wrong with the tables and triggers that keep the history
    /// append-only (empty when they are as the migrations made them).
    schema_problems: Vec<String>,
}

/// What [`Workspace::verify_trail`] found: the schema's problems, rows outside any model's
/// chain, and each model's chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrailReport {
    pub schema_problems: Vec<String>,
    pub orphans: Vec<String>,
    pub chains: Vec<ModelChain>,
}

impl TrailReport {
    /// Whether every table is there as the migrations made it (its rows can be read).
    pub fn tables_intact(&self) -> bool {
        !self
            .schema_problems
            .iter()
            .any(|problem| problem.starts_with("the table"))
    }

    /// The first problem, said in one line; `None` when the trail is intact.
    pub fn first_problem(&self) -> Option<String> {
        self.schema_problems
            .first()
            .cloned()
            .or_else(|| self.orphans.first().cloned())
            .or_else(|| {
                self.chains.iter().find_map(|chain| {
                    chain.broken.as_ref().map(|broken| {
                        format!("{}: {}: {}", chain.model, broken.link, broken.detail)
                    })
                })
            })
    }
}

/// What the workspace keeps of a revision's analysis (deflated JSON in `revisions.findings`):
/// `{"version": 2, "risks": [RiskRecord…], "triage": [TriageDecision…]}`, the risks in report
/// order with triage applied and the model's triage decisions (which the audit log compares
/// from one revision to the next). Revisions recorded before risks hold
/// `{"findings": [FindingRecord…], "triage": […]}` (no `version`) and are read as they are.
#[derive(Debug, Serialize, Deserialize)]
struct Snapshot {
    #[serde(default = "findings_snapshot_version")]
    version: u32,
    /// The findings of a revision recorded before risks (version 1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    findings: Vec<FindingRecord>,
    #[serde(default)]
    risks: Vec<RiskRecord>,
    #[serde(default)]
    triage: Vec<TriageDecision>,
}

/// The snapshot version of revisions recorded before risks, whose blobs state none.
fn findings_snapshot_version() -> u32 {
    1
}

/// The snapshot version `record` writes: risks.
const RISKS_SNAPSHOT_VERSION: u32 = 2;

impl Snapshot {
    /// Nothing: what a first revision is compared with.
    fn empty() -> Snapshot {
        Snapshot {
            version: RISKS_SNAPSHOT_VERSION,
            findings: Vec::new(),
            risks: Vec::new(),
            triage: Vec::new(),
        }
    }

    /// The risks at the revision: as recorded, or, for a revision recorded before risks, as
    /// today's checks find them in its text (`model`). A text today's checks refuse as invalid
    /// has none.
    fn risks(
        &self,
        model: impl FnOnce() -> Result<Model, WorkspaceError>,
    ) -> Result<Vec<RiskRecord>, WorkspaceError> {
        if self.version >= RISKS_SNAPSHOT_VERSION {
            return Ok(self.risks.clone());
        }
        Ok(risk_records(&model()?))
    }
}

/// The risks of a model, with its triage applied, as a revision keeps them; none when the
/// model is not valid.
fn risk_records(model: &Model) -> Vec<RiskRecord> {
    if crate::validate::validate(model)
        .iter()
        .any(|d| d.is_error())
    {
        return Vec::new();
    }
    let mut risks = crate::risks::assess(&ModelGraph::new(model)).risks;
    crate::risks::apply_triage(&mut risks, &model.triage);
    risks.iter().map(RiskRecord::from).collect()
}

const REVISION_COLUMNS: &str = "r.number, r.content_hash, r.recorded_at, r.author, r.name, \
     r.nodes, r.edges, r.critical, r.high, r.medium, r.low, r.info, r.open, r.added, \
     r.resolved, r.changed";

fn revision_from_row(row: &Row) -> rusqlite::Result<Revision> {
    Ok(Revision {
        number: row.get(0)?,
        content_hash: row.get(1)?,
        recorded_at: row.get(2)?,
        author: row.get(3)?,
        name: row.get(4)?,
        nodes: row.get(5)?,
        edges: row.get(6)?,
        risks: SeverityCounts {
            critical: row.get(7)?,
            high: row.get(8)?,
            medium: row.get(9)?,
            low: row.get(10)?,
            info: row.get(11)?,
        },
        open: row.get(12)?,
        delta: RisksDelta {
            added: row.get(13)?,
            resolved: row.get(14)?,
            changed: row.get(15)?,
        },
    })
}

/// A revision with its stored text and analysis, both still deflated.
struct StoredRevision {
    revision: Revision,
    content: Vec<u8>,
    snapshot: Vec<u8>,
    findings_hash: String,
}

impl Workspace {
    /// Where the workspace lives unless told otherwise: `$BARTIZAN_WORKSPACE`; else
    /// `$XDG_DATA_HOME/bartizan/workspace.sqlite3` (or `~/.local/share/bartizan/…`) on Linux and
    /// other Unix systems, `~/Library/Application Support/bartizan/…` on macOS and
    /// `%APPDATA%\bartizan\…` on Windows.
    pub fn default_path() -> Result<PathBuf, WorkspaceError> {
        let env = |name: &str| std::env::var_os(name).filter(|value| !value.is_empty());
        if let Some(path) = env(WORKSPACE_ENV) {
            return Ok(PathBuf::from(path));
        }
        let data = if cfg!(windows) {
            env("APPDATA").map(PathBuf::from)
        } else if cfg!(target_os = "macos") {
            env("HOME").map(|home| PathBuf::from(home).join("Library/Application Support"))
        } else {
            env("XDG_DATA_HOME")
                .map(PathBuf::from)
                .filter(|path| path.is_absolute())
                .or_else(|| env("HOME").map(|home| PathBuf::from(home).join(".local/share")))
        };
        data.map(|dir| dir.join("bartizan").join("workspace.sqlite3"))
            .ok_or(WorkspaceError::NoDefaultPath)
    }

    /// Opens the workspace at `path`, creating it (and its directory) when it does not exist,
    /// and brings its schema up to date.
    pub fn open(path: impl AsRef<Path>) -> Result<Workspace, WorkspaceError> {
        let path = path.as_ref().to_owned();
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(|source| WorkspaceError::CreateDirectory {
                path: path.clone(),
                source,
            })?;
        }
        let fail = |action| failed(&path, action);
        let mut connection = Connection::open(&path).map_err(fail("open the database"))?;
        connection
            .busy_timeout(BUSY_TIMEOUT)
            .map_err(fail("set the busy timeout"))?;
        let mode: String = connection
            .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
            .map_err(fail("switch to WAL mode"))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(WorkspaceError::NotWal { path, mode });
        }
        connection
            .execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;")
            .map_err(fail("configure the connection"))?;
        match migrations::migrate(&mut connection).map_err(fail("upgrade the schema"))? {
            Migrated::TooNew { version } => {
                return Err(WorkspaceError::TooNew {
                    path,
                    found: version,
                    supported: SCHEMA_VERSION,
                });
            }
            Migrated::Upgraded { .. } | Migrated::UpToDate => {}
        }
        Workspace::checked(connection, path)
    }

    /// The workspace over an open, current connection, with its schema checked.
    fn checked(connection: Connection, path: PathBuf) -> Result<Workspace, WorkspaceError> {
        let schema_problems =
            schema_problems(&connection).map_err(failed(&path, "read the schema"))?;
        Ok(Workspace {
            connection,
            path,
            schema_problems,
        })
    }

    /// Opens the workspace at `path` for reading only: the file is opened read-only, nothing
    /// is created and no migration runs, so reading never changes a workspace (nor needs to
    /// write to it). A workspace that does not exist reads as an empty one. One of an earlier
    /// schema version is refused with [`WorkspaceError::Outdated`], which says how to upgrade
    /// it; one of a later version with [`WorkspaceError::TooNew`].
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Workspace, WorkspaceError> {
        let path = path.as_ref().to_owned();
        let fail = |action| failed(&path, action);
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let exists = match fs::metadata(&path) {
            Ok(_) => true,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => false,
            Err(source) => return Err(WorkspaceError::Inaccessible { path, source }),
        };
        let connection = if exists {
            let connection =
                Connection::open_with_flags(&path, flags).map_err(fail("open the database"))?;
            match migrations::schema_version(&connection) {
                // A WAL database needs its `-shm` file, which a reader that may not write
                // the directory cannot create: read the file as it is, as SQLite's
                // `immutable` does (no writer can append to a WAL it cannot create either).
                Err(rusqlite::Error::SqliteFailure(error, _))
                    if matches!(
                        error.code,
                        rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen
                    ) =>
                {
                    drop(connection);
                    Connection::open_with_flags(
                        immutable_uri(&path),
                        flags | OpenFlags::SQLITE_OPEN_URI,
                    )
                    .map_err(fail("open the database"))?
                }
                _ => connection,
            }
        } else {
            // Nothing recorded there: an empty workspace of the current schema, in memory.
            let mut empty = Connection::open_in_memory().map_err(fail("open the database"))?;
            migrations::migrate(&mut empty).map_err(fail("create an empty schema"))?;
            empty
        };
        connection
            .busy_timeout(BUSY_TIMEOUT)
            .map_err(fail("set the busy timeout"))?;
        let version =
            migrations::schema_version(&connection).map_err(fail("read the schema version"))?;
        if version > SCHEMA_VERSION {
            return Err(WorkspaceError::TooNew {
                path,
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        if version < SCHEMA_VERSION {
            return Err(WorkspaceError::Outdated {
                path,
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        connection
            .execute_batch("PRAGMA query_only = ON;")
            .map_err(fail("configure the connection"))?;
        Workspace::checked(connection, path)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The database connection, for inspection (integrity checks, tests). Writing through it
    /// bypasses the API's rules; the audit log's triggers still hold.
    pub fn connection(&self) -> &Connection {
        &self.connection
    }

    /// Records `text` as the current state of the model file at `model_path`, written by
    /// `author` at `at` (seconds since the Unix epoch).
    ///
    /// The model is parsed (its format from `model_path`'s extension) and checked; an invalid
    /// one is refused with [`WorkspaceError::InvalidModel`]. When `text` is the latest
    /// revision's text, nothing is written and that revision comes back with
    /// `created: false`. Otherwise one transaction stores the text (once per content hash,
    /// deflated), the revision with its risks and their delta against the previous
    /// revision, and an audit entry for each triage decision that appeared, changed or was
    /// removed since then.
    pub fn record(
        &mut self,
        model_path: &Path,
        text: &str,
        author: &str,
        at: i64,
    ) -> Result<RecordOutcome, WorkspaceError> {
        let key = key_text(model_path);
        self.check_trail(Some(&key))?;
        let hash = content_hash(text.as_bytes());
        if let Some(latest) = self.latest(&key)?
            && latest.content_hash == hash
        {
            return Ok(RecordOutcome {
                revision: latest,
                created: false,
            });
        }

        // The analysis runs before the write lock is taken.
        let parsed = parse_model(text, Format::from_path(model_path), &Limits::default());
        let Some(model) = parsed.valid_model() else {
            return Err(WorkspaceError::InvalidModel {
                model: model_path.display().to_string(),
                summary: summarise(&parsed.diagnostics),
                diagnostics: parsed.diagnostics,
            });
        };
        let snapshot = Snapshot {
            version: RISKS_SNAPSHOT_VERSION,
            findings: Vec::new(),
            risks: risk_records(model),
            triage: model.triage.clone(),
        };
        let counts = SeverityCounts::of(snapshot.risks.iter().map(|r| &r.severity));
        let open = snapshot
            .risks
            .iter()
            .filter(|r| r.status == TriageStatus::Open)
            .count() as u32;
        let snapshot_json = serde_json::to_vec(&snapshot).expect("a snapshot serialises");
        if snapshot_json.len() as u64 > max_findings_bytes() {
            return Err(WorkspaceError::RisksTooLarge {
                model: model_path.display().to_string(),
                size: snapshot_json.len() as u64,
                limit: max_findings_bytes(),
            });
        }
        let encoded_snapshot = deflate(&snapshot_json);
        let findings_hash = content_hash(&encoded_snapshot);
        let encoded_text = deflate(text.as_bytes());

        let path = self.path.clone();
        let fail = |action| failed(&path, action);
        let transaction = self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(fail("start a transaction"))?;
        transaction
            .execute(
                "INSERT INTO models (path, created_at) VALUES (?1, ?2) ON CONFLICT (path) DO NOTHING",
                params![key, at],
            )
            .map_err(fail("add the model"))?;
        let (model_id, head, head_entries): (i64, Option<String>, i64) = transaction
            .query_row(
                "SELECT id, head, head_entries FROM models WHERE path = ?1",
                [&key],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .map_err(fail("find the model"))?;
        let previous = transaction
            .query_row(
                &format!(
                    "SELECT {REVISION_COLUMNS}, r.findings FROM revisions r \
                     WHERE r.model_id = ?1 ORDER BY r.number DESC LIMIT 1"
                ),
                [model_id],
                |row| Ok((revision_from_row(row)?, row.get::<_, Vec<u8>>(16)?)),
            )
            .optional()
            .map_err(fail("read the latest revision"))?;
        // Another process may have recorded the same text since we looked.
        if let Some((latest, _)) = &previous
            && latest.content_hash == hash
        {
            return Ok(RecordOutcome {
                revision: latest.clone(),
                created: false,
            });
        }
        let (number, before, before_risks) = match &previous {
            Some((latest, blob)) => {
                let place = Place {
                    workspace: &self.path,
                    model: &key,
                    number: latest.number,
                };
                let before = place.snapshot(blob, None)?;
                let risks = before.risks(|| {
                    let text: Vec<u8> = transaction
                        .query_row(
                            "SELECT deflated FROM contents WHERE hash = ?1",
                            [&latest.content_hash],
                            |row| row.get(0),
                        )
                        .map_err(fail("read the latest revision's text"))?;
                    place.model(&text, &latest.content_hash)
                })?;
                (latest.number + 1, before, risks)
            }
            None => (1, Snapshot::empty(), Vec::new()),
        };
        let delta = diff_risks(&before_risks, &snapshot.risks).delta();
        transaction
            .execute(
                "INSERT INTO contents (hash, size, deflated) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (hash) DO NOTHING",
                params![hash, text.len() as i64, encoded_text],
            )
            .map_err(fail("store the model text"))?;
        let revision = Revision {
            number,
            content_hash: hash,
            recorded_at: at,
            author: author.to_owned(),
            name: model.metadata.name.clone(),
            nodes: model.nodes.len() as u32,
            edges: model.edges.len() as u32,
            risks: counts,
            open,
            delta,
        };
        let mut link = chain::revision_link(
            head.as_deref().unwrap_or(chain::GENESIS),
            &key,
            &chain_fields(&revision, &findings_hash),
        );
        transaction
            .execute(
                "INSERT INTO revisions (model_id, number, content_hash, recorded_at, author, \
                 name, nodes, edges, critical, high, medium, low, info, open, added, resolved, \
                 changed, findings, findings_hash, link) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, \
                 ?17, ?18, ?19, ?20)",
                params![
                    model_id,
                    revision.number,
                    revision.content_hash,
                    revision.recorded_at,
                    revision.author,
                    revision.name,
                    revision.nodes,
                    revision.edges,
                    counts.critical,
                    counts.high,
                    counts.medium,
                    counts.low,
                    counts.info,
                    open,
                    delta.added,
                    delta.resolved,
                    delta.changed,
                    encoded_snapshot,
                    findings_hash,
                    link,
                ],
            )
            .map_err(fail("store the revision"))?;
        let recorded_when = format_utc(at);
        // Entries are numbered here, as AUTOINCREMENT would, because the number is in the link.
        let first_id: i64 = transaction
            .query_row(
                "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'), 0), \
                 coalesce((SELECT max(id) FROM audit_log), 0)) + 1",
                [],
                |row| row.get(0),
            )
            .map_err(fail("number the audit entries"))?;
        let mut entries = head_entries;
        for (id, change) in (first_id..).zip(triage_changes(&before.triage, &model.triage)) {
            let decided_by = change
                .after
                .as_ref()
                .and_then(|d| d.by.clone())
                .unwrap_or_else(|| author.to_owned());
            let decided_at = change
                .after
                .as_ref()
                .and_then(|d| d.at.clone())
                .unwrap_or_else(|| recorded_when.clone());
            let entry = chain::EntryFields {
                id,
                revision: i64::from(number),
                fingerprint: change.fingerprint.clone(),
                rule: change.rule().map(str::to_owned),
                old_status: change.before.as_ref().map(|d| d.status.as_str().to_owned()),
                new_status: change.after.as_ref().map(|d| d.status.as_str().to_owned()),
                justification: change.after.as_ref().and_then(|d| d.justification.clone()),
                decided_by,
                decided_at,
                recorded_at: at,
                recorded_by: author.to_owned(),
            };
            link = chain::entry_link(&link, &key, &entry);
            transaction
                .execute(
                    "INSERT INTO audit_log (id, model_id, revision, fingerprint, rule, old_status, \
                     new_status, justification, decided_by, decided_at, recorded_at, recorded_by, \
                     link) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                    params![
                        entry.id,
                        model_id,
                        entry.revision,
                        entry.fingerprint,
                        entry.rule,
                        entry.old_status,
                        entry.new_status,
                        entry.justification,
                        entry.decided_by,
                        entry.decided_at,
                        entry.recorded_at,
                        entry.recorded_by,
                        link,
                    ],
                )
                .map_err(fail("append to the audit log"))?;
            entries += 1;
        }
        transaction
            .execute(
                "UPDATE models SET head_revisions = ?1, head_entries = ?2, head = ?3 WHERE id = ?4",
                params![number, entries, link, model_id],
            )
            .map_err(fail("move the chain's head"))?;
        transaction.commit().map_err(fail("commit the revision"))?;
        Ok(RecordOutcome {
            revision,
            created: true,
        })
    }

    /// Every recorded revision of the model at `model_path`, oldest first; empty when none
    /// is recorded. Reads no model text or findings: one indexed query.
    pub fn history(&self, model_path: &Path) -> Result<Vec<Revision>, WorkspaceError> {
        let key = key_text(model_path);
        self.check_trail(Some(&key))?;
        let mut statement = self
            .connection
            .prepare_cached(&format!(
                "SELECT {REVISION_COLUMNS} FROM revisions r JOIN models m ON m.id = r.model_id \
                 WHERE m.path = ?1 ORDER BY r.number"
            ))
            .map_err(self.fail("read the history"))?;
        let revisions = statement
            .query_map([&key], revision_from_row)
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(self.fail("read the history"))?;
        Ok(revisions)
    }

    /// The model's text at revision `number`.
    pub fn revision_text(&self, model_path: &Path, number: u32) -> Result<String, WorkspaceError> {
        let key = key_text(model_path);
        self.check_trail(Some(&key))?;
        let stored = self.stored(&key, number)?;
        self.place(&key, number)
            .text(&stored.content, &stored.revision.content_hash)
    }

    /// What changed from revision `from` to revision `to` of the model at `model_path`.
    /// `to` defaults to the latest revision and `from` to the one before `to` (nothing, when
    /// `to` is the first: then everything is added). `from` may be later than `to`.
    pub fn diff(
        &self,
        model_path: &Path,
        from: Option<u32>,
        to: Option<u32>,
    ) -> Result<Diff, WorkspaceError> {
        let key = key_text(model_path);
        self.check_trail(Some(&key))?;
        let to = match to {
            Some(number) => number,
            None => {
                self.latest(&key)?
                    .ok_or_else(|| WorkspaceError::NotRecorded {
                        path: self.path.clone(),
                        model: key.clone(),
                    })?
                    .number
            }
        };
        let from = from.or_else(|| to.checked_sub(1).filter(|&n| n >= 1));
        let newer = self.stored(&key, to)?;
        let after_model = self
            .place(&key, to)
            .model(&newer.content, &newer.revision.content_hash)?;
        let after = self
            .place(&key, to)
            .snapshot(&newer.snapshot, Some(&newer.findings_hash))?
            .risks(|| Ok(after_model.clone()))?;
        let (from_revision, before_model, before) = match from {
            Some(number) => {
                let older = self.stored(&key, number)?;
                let place = self.place(&key, number);
                let model = place.model(&older.content, &older.revision.content_hash)?;
                let risks = place
                    .snapshot(&older.snapshot, Some(&older.findings_hash))?
                    .risks(|| Ok(model.clone()))?;
                (Some(older.revision), model, risks)
            }
            None => (None, Model::new(""), Vec::new()),
        };
        let elements = diff_models(&before_model, &after_model);
        Ok(Diff {
            model: key,
            from: from_revision,
            to: newer.revision,
            risks: diff_risks(&before, &after),
            elements,
        })
    }

    /// The audit log, oldest entry first: of the model at `model_path`, or of every model.
    /// A log whose pages or chain are damaged is an error, never an empty or partial list.
    pub fn audit_log(&self, model_path: Option<&Path>) -> Result<Vec<AuditEntry>, WorkspaceError> {
        let key = model_path.map(key_text);
        self.check_trail(key.as_deref())?;
        let select = "SELECT a.id, m.path, a.revision, a.fingerprint, a.rule, a.old_status, \
                      a.new_status, a.justification, a.decided_by, a.decided_at, a.recorded_at, \
                      a.recorded_by FROM audit_log a JOIN models m ON m.id = a.model_id";
        let entry = |row: &Row| {
            let status = |index| -> rusqlite::Result<Option<TriageStatus>> {
                let word: Option<String> = row.get(index)?;
                word.map(|word| {
                    TriageStatus::from_word(&word).ok_or_else(|| {
                        rusqlite::Error::FromSqlConversionFailure(
                            index,
                            rusqlite::types::Type::Text,
                            format!("`{word}` is not a triage status").into(),
                        )
                    })
                })
                .transpose()
            };
            Ok(AuditEntry {
                id: row.get(0)?,
                model: row.get(1)?,
                revision: row.get(2)?,
                fingerprint: row.get(3)?,
                rule: row.get(4)?,
                old_status: status(5)?,
                new_status: status(6)?,
                justification: row.get(7)?,
                by: row.get(8)?,
                at: row.get(9)?,
                recorded_at: row.get(10)?,
                recorded_by: row.get(11)?,
            })
        };
        let entries = match model_path {
            Some(model_path) => self
                .connection
                .prepare_cached(&format!("{select} WHERE m.path = ?1 ORDER BY a.id"))
                .and_then(|mut statement| {
                    statement
                        .query_map([key_text(model_path)], entry)?
                        .collect::<Result<Vec<_>, _>>()
                }),
            None => self
                .connection
                .prepare_cached(&format!("{select} ORDER BY a.id"))
                .and_then(|mut statement| {
                    statement
                        .query_map([], entry)?
                        .collect::<Result<Vec<_>, _>>()
                }),
        };
        entries.map_err(self.fail("read the audit log"))
    }

    /// The paths of the models with recorded revisions, sorted.
    pub fn models(&self) -> Result<Vec<String>, WorkspaceError> {
        self.connection
            .prepare_cached("SELECT path FROM models ORDER BY path")
            .and_then(|mut statement| {
                statement
                    .query_map([], |row| row.get(0))?
                    .collect::<Result<Vec<_>, _>>()
            })
            .map_err(self.fail("list the models"))
    }

    /// Checks the workspace: SQLite's `PRAGMA integrity_check` and `foreign_key_check`, and
    /// that every revision's text inflates to the bytes its content hash names and its
    /// findings inflate and read back. `Ok(problems)`: empty when the workspace is sound.
    pub fn verify(&self) -> Result<Vec<String>, WorkspaceError> {
        let lines = |sql: &str| -> rusqlite::Result<Vec<String>> {
            let mut statement = self.connection.prepare(sql)?;
            let mut rows = statement.query([])?;
            let mut lines = Vec::new();
            while let Some(row) = rows.next()? {
                let columns = row.as_ref().column_count();
                let mut cells = Vec::with_capacity(columns);
                for index in 0..columns {
                    let cell: rusqlite::types::Value = row.get(index)?;
                    cells.push(match cell {
                        rusqlite::types::Value::Text(text) => text,
                        rusqlite::types::Value::Integer(n) => n.to_string(),
                        other => format!("{other:?}"),
                    });
                }
                lines.push(cells.join(" "));
            }
            Ok(lines)
        };
        let mut problems: Vec<String> = lines("PRAGMA integrity_check")
            .map_err(self.fail("check the database's integrity"))?
            .into_iter()
            .filter(|line| line != "ok")
            .collect();
        problems.extend(
            lines("PRAGMA foreign_key_check")
                .map_err(self.fail("check the foreign keys"))?
                .into_iter()
                .map(|line| format!("foreign key violation: {line}")),
        );
        let mut statement = self
            .connection
            .prepare(
                "SELECT m.path, r.number, r.content_hash, c.deflated, r.findings, r.findings_hash \
                 FROM revisions r JOIN models m ON m.id = r.model_id \
                 LEFT JOIN contents c ON c.hash = r.content_hash ORDER BY m.path, r.number",
            )
            .map_err(self.fail("read the revisions"))?;
        let mut rows = statement
            .query([])
            .map_err(self.fail("read the revisions"))?;
        while let Some(row) = rows.next().map_err(self.fail("read the revisions"))? {
            let read = (|| -> rusqlite::Result<_> {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, u32>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, Option<Vec<u8>>>(3)?,
                    row.get::<_, Vec<u8>>(4)?,
                    row.get::<_, Option<String>>(5)?,
                ))
            })();
            let (key, number, hash, content, snapshot, findings_hash) =
                read.map_err(self.fail("read the revisions"))?;
            let place = self.place(&key, number);
            let checked = match content {
                None => Err(format!("revision {number} of {key} has no text")),
                Some(content) => place
                    .text(&content, &hash)
                    .and_then(|_| match &findings_hash {
                        Some(findings_hash) => place.snapshot(&snapshot, Some(findings_hash)),
                        None => Err(place.damaged("its risks have no hash".into())),
                    })
                    .map(|_| ())
                    .map_err(|error| error.to_string()),
            };
            if let Err(problem) = checked {
                problems.push(problem);
            }
        }
        Ok(problems)
    }

    /// Recomputes the chain of the model at `model_path`, or of every model, and checks the
    /// tables and triggers that keep the history append-only. Reports, does not fail, when
    /// something is broken: `Err` only when the database cannot be read at all.
    pub fn verify_trail(&self, model_path: Option<&Path>) -> Result<TrailReport, WorkspaceError> {
        self.trail(model_path.map(key_text).as_deref())
    }

    fn trail(&self, key: Option<&str>) -> Result<TrailReport, WorkspaceError> {
        let mut report = TrailReport {
            schema_problems: self.schema_problems.clone(),
            orphans: Vec::new(),
            chains: Vec::new(),
        };
        if !report.tables_intact() {
            // A table is gone: there is no chain to walk.
            return Ok(report);
        }
        // A damaged page can read as no rows: the chain would look shorter, or the log empty.
        self.check_tables(&["models", "audit_log"])?;
        let fail = self.fail("verify the chain");
        let walk = || -> rusqlite::Result<TrailReport> {
            for (table, what) in [("revisions", "revisions"), ("audit_log", "audit entries")] {
                let orphans: i64 = self.connection.query_row(
                    &format!(
                        "SELECT count(*) FROM {table} WHERE model_id NOT IN (SELECT id FROM models)"
                    ),
                    [],
                    |row| row.get(0),
                )?;
                if orphans > 0 {
                    report.orphans.push(format!(
                        "{orphans} {what} belong to no recorded model: its row was removed"
                    ));
                }
            }
            if key.is_none() {
                // Entries are numbered 1, 2, 3… across the workspace and never deleted: a gap,
                // or an end below the highest number SQLite handed out, is a deleted entry.
                let (count, highest): (i64, i64) = self.connection.query_row(
                    "SELECT count(*), max(coalesce(max(id), 0), coalesce((SELECT seq FROM \
                     sqlite_sequence WHERE name = 'audit_log'), 0)) FROM audit_log",
                    [],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )?;
                if count < highest {
                    let missing: i64 = self.connection.query_row(
                        "SELECT min(n) FROM (SELECT 1 AS n UNION ALL SELECT id + 1 FROM \
                         audit_log) WHERE n NOT IN (SELECT id FROM audit_log)",
                        [],
                        |row| row.get(0),
                    )?;
                    report.orphans.push(format!(
                        "audit entry #{missing} is missing: entries are numbered without gaps, and \
                         of #1 to #{highest} only {count} remain"
                    ));
                }
            }
            let models: Vec<i64> = match key {
                Some(key) => self
                    .connection
                    .prepare_cached("SELECT id FROM models WHERE path = ?1")?
                    .query_map([key], |row| row.get(0))?
                    .collect::<Result<_, _>>()?,
                None => self
                    .connection
                    .prepare_cached("SELECT id FROM models ORDER BY path")?
                    .query_map([], |row| row.get(0))?
                    .collect::<Result<_, _>>()?,
            };
            for model_id in models {
                report
                    .chains
                    .push(chain::verify_model(&self.connection, model_id)?);
            }
            Ok(report)
        };
        walk().map_err(fail)
    }

    /// Refuses to read a history whose schema or chain is broken: it would be shown as
    /// genuine.
    fn check_trail(&self, key: Option<&str>) -> Result<(), WorkspaceError> {
        match self.trail(key)?.first_problem() {
            None => Ok(()),
            Some(detail) => Err(WorkspaceError::Tampered {
                path: self.path.clone(),
                detail,
            }),
        }
    }

    /// Checks the b-trees of `tables` (and their indexes) with SQLite's `quick_check`: a damaged
    /// page can read as no rows at all, which a reader would show as "empty".
    fn check_tables(&self, tables: &[&'static str]) -> Result<(), WorkspaceError> {
        for &table in tables {
            let mut statement = self
                .connection
                .prepare(&format!("PRAGMA quick_check({table})"))
                .map_err(self.fail("check the database's pages"))?;
            let problems = statement
                .query_map([], |row| row.get::<_, String>(0))
                .and_then(|rows| rows.collect::<Result<Vec<_>, _>>());
            let detail = match problems {
                Ok(lines) if lines.iter().all(|line| line == "ok") => continue,
                Ok(lines) => lines
                    .into_iter()
                    .filter(|line| line != "ok" && !line.starts_with("*** in database"))
                    .take(3)
                    .collect::<Vec<_>>()
                    .join("; "),
                Err(error) => error.to_string(),
            };
            return Err(WorkspaceError::Corrupt {
                path: self.path.clone(),
                table,
                detail,
            });
        }
        Ok(())
    }

    fn fail(&self, action: &'static str) -> impl FnOnce(rusqlite::Error) -> WorkspaceError {
        failed(&self.path, action)
    }

    fn place<'a>(&'a self, key: &'a str, number: u32) -> Place<'a> {
        Place {
            workspace: &self.path,
            model: key,
            number,
        }
    }

    fn latest(&self, key: &str) -> Result<Option<Revision>, WorkspaceError> {
        self.connection
            .prepare_cached(&format!(
                "SELECT {REVISION_COLUMNS} FROM revisions r JOIN models m ON m.id = r.model_id \
                 WHERE m.path = ?1 ORDER BY r.number DESC LIMIT 1"
            ))
            .and_then(|mut statement| statement.query_row([key], revision_from_row).optional())
            .map_err(self.fail("read the latest revision"))
    }

    fn stored(&self, key: &str, number: u32) -> Result<StoredRevision, WorkspaceError> {
        let found = self
            .connection
            .prepare_cached(&format!(
                "SELECT {REVISION_COLUMNS}, c.deflated, r.findings, r.findings_hash \
                 FROM revisions r JOIN models m ON m.id = r.model_id \
                 JOIN contents c ON c.hash = r.content_hash WHERE m.path = ?1 AND r.number = ?2"
            ))
            .and_then(|mut statement| {
                statement
                    .query_row(params![key, number], |row| {
                        Ok(StoredRevision {
                            revision: revision_from_row(row)?,
                            content: row.get(16)?,
                            snapshot: row.get(17)?,
                            findings_hash: row.get(18)?,
                        })
                    })
                    .optional()
            })
            .map_err(self.fail("read a revision"))?;
        match found {
            Some(stored) => Ok(stored),
            None => Err(match self.latest(key)? {
                Some(latest) => WorkspaceError::NoSuchRevision {
                    path: self.path.clone(),
                    model: key.to_owned(),
                    number,
                    latest: latest.number,
                },
                None => WorkspaceError::NotRecorded {
                    path: self.path.clone(),
                    model: key.to_owned(),
                },
            }),
        }
    }
}

fn failed(path: &Path, action: &'static str) -> impl FnOnce(rusqlite::Error) -> WorkspaceError {
    let path = path.to_owned();
    move |source| WorkspaceError::Database {
        path,
        action,
        source,
    }
}

/// Where a stored revision is, for reading it back and for saying so when it is damaged.
struct Place<'a> {
    workspace: &'a Path,
    model: &'a str,
    number: u32,
}

impl Place<'_> {
    fn damaged(&self, detail: String) -> WorkspaceError {
        WorkspaceError::Damaged {
            path: self.workspace.to_owned(),
            model: self.model.to_owned(),
            number: self.number,
            detail,
        }
    }

    /// The revision's text, checked against its content hash.
    fn text(&self, deflated: &[u8], hash: &str) -> Result<String, WorkspaceError> {
        let bytes = inflate(deflated, max_text_bytes())
            .map_err(|error| self.damaged(format!("its text: {error}")))?;
        if content_hash(&bytes) != hash {
            return Err(self.damaged("its text does not match its content hash".into()));
        }
        String::from_utf8(bytes).map_err(|_| self.damaged("its text is not UTF-8".into()))
    }

    /// The model at the revision. A model that a later Bartizan finds inconsistent is still
    /// compared as read; only one that no longer reads at all is damaged.
    fn model(&self, deflated: &[u8], hash: &str) -> Result<Model, WorkspaceError> {
        let text = self.text(deflated, hash)?;
        let format = Format::from_path(Path::new(self.model));
        let parsed = parse_model(&text, format, &Limits::default());
        parsed.model.ok_or_else(|| {
            self.damaged(format!(
                "its text does not read as a model ({})",
                summarise(&parsed.diagnostics)
            ))
        })
    }

    /// The revision's risks (or, recorded before risks, findings), checked against the hash its chain link covers (when given).
    fn snapshot(&self, deflated: &[u8], hash: Option<&str>) -> Result<Snapshot, WorkspaceError> {
        if let Some(hash) = hash
            && content_hash(deflated) != hash
        {
            return Err(self.damaged("its risks do not match their hash".into()));
        }
        let bytes = inflate(deflated, max_findings_bytes())
            .map_err(|error| self.damaged(format!("its risks: {error}")))?;
        serde_json::from_slice(&bytes).map_err(|error| self.damaged(format!("its risks: {error}")))
    }
}

/// The audit log of the model at `model_path` in the workspace at `workspace` (the default
/// one when `None`), for a report: read only, and empty when that workspace does not exist.
pub fn audit_trail(
    workspace: Option<&Path>,
    model_path: &Path,
) -> Result<Vec<AuditEntry>, WorkspaceError> {
    let path = match workspace {
        Some(path) => path.to_owned(),
        None => Workspace::default_path()?,
    };
    Workspace::open_read_only(&path)?.audit_log(Some(model_path))
}

/// `file:PATH?immutable=1`, the path percent-encoded as SQLite's URIs require.
fn immutable_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for &byte in path.as_os_str().as_encoded_bytes() {
        if byte.is_ascii_alphanumeric() || b"/._-~".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri.push_str("?immutable=1");
    uri
}

/// A revision as its chain link covers it.
fn chain_fields(revision: &Revision, findings_hash: &str) -> chain::RevisionFields {
    let counts = &revision.risks;
    chain::RevisionFields {
        number: i64::from(revision.number),
        content_hash: revision.content_hash.clone(),
        recorded_at: revision.recorded_at,
        author: revision.author.clone(),
        name: revision.name.clone(),
        counts: [
            revision.nodes,
            revision.edges,
            counts.critical,
            counts.high,
            counts.medium,
            counts.low,
            counts.info,
            revision.open,
            revision.delta.added,
            revision.delta.resolved,
            revision.delta.changed,
        ]
        .map(i64::from),
        findings_hash: Some(findings_hash.to_owned()),
    }
}

/// The tables and triggers a workspace of the current schema has, as the migrations make them.
fn expected_schema() -> &'static [(String, String, Option<String>)] {
    static EXPECTED: std::sync::OnceLock<Vec<(String, String, Option<String>)>> =
        std::sync::OnceLock::new();
    EXPECTED.get_or_init(|| {
        let mut connection = Connection::open_in_memory().expect("an in-memory database opens");
        migrations::migrate(&mut connection).expect("the migrations apply to an empty database");
        schema_objects(&connection).expect("an in-memory schema reads")
    })
}

/// (type, name, SQL) of the tables and triggers, by name.
fn schema_objects(
    connection: &Connection,
) -> rusqlite::Result<Vec<(String, String, Option<String>)>> {
    connection
        .prepare(
            "SELECT type, name, sql FROM sqlite_schema WHERE type IN ('table', 'trigger') \
             AND name NOT LIKE 'sqlite_%' ORDER BY type, name",
        )?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
        .collect()
}

/// Tables and triggers that are missing, different or added since the migrations made them:
/// a trigger dropped to edit the history, a table dropped or replaced.
fn schema_problems(connection: &Connection) -> rusqlite::Result<Vec<String>> {
    let found = schema_objects(connection)?;
    let expected = expected_schema();
    let mut problems = Vec::new();
    for (kind, name, sql) in expected {
        match found.iter().find(|(k, n, _)| k == kind && n == name) {
            None => problems.push(format!("the {kind} `{name}` is missing")),
            Some((_, _, found_sql)) if found_sql != sql => problems.push(format!(
                "the {kind} `{name}` is not the one Bartizan creates"
            )),
            Some(_) => {}
        }
    }
    for (kind, name, _) in &found {
        if kind == "trigger" && !expected.iter().any(|(k, n, _)| k == kind && n == name) {
            problems.push(format!("the trigger `{name}` is not one Bartizan creates"));
        }
    }
    Ok(problems)
}

/// How the workspace knows a model file: its canonical absolute path, or its absolute path
/// when it does not exist (any more).
pub fn model_key(model_path: &Path) -> PathBuf {
    fs::canonicalize(model_path)
        .or_else(|_| std::path::absolute(model_path))
        .unwrap_or_else(|_| model_path.to_owned())
}

fn key_text(model_path: &Path) -> String {
    model_key(model_path).to_string_lossy().into_owned()
}

/// The login name the environment gives (`$USER`, `$LOGNAME` or `$USERNAME`), or `None`: a
/// revision is signed by a real identity or not recorded, never by a placeholder.
pub fn default_author() -> Option<String> {
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|name| std::env::var(name).ok())
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
}

/// Now, in seconds since the Unix epoch.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs() as i64)
}

/// "2 errors; first: no node has the id `x` (at edges[0].to)".
fn summarise(diagnostics: &[Diagnostic]) -> String {
    let errors: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.severity == DiagnosticSeverity::Error)
        .collect();
    let Some(first) = errors.first() else {
        return "no model".to_owned();
    };
    let count = if errors.len() == 1 {
        "1 error".to_owned()
    } else {
        format!("{} errors", errors.len())
    };
    match &first.path {
        Some(path) => format!("{count}; first: {} (at {path})", first.message),
        None => format!("{count}; first: {}", first.message),
    }
}

fn deflate(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = DeflateEncoder::new(Vec::new(), Compression::default());
    encoder
        .write_all(bytes)
        .expect("writing to memory does not fail");
    encoder.finish().expect("writing to memory does not fail")
}

/// The most a stored model text may inflate to: the largest model file read at all.
pub fn max_text_bytes() -> u64 {
    Limits::default().max_bytes
}

/// How many bytes of findings JSON a model byte may give at most. A model's findings grow
/// with its elements (a few short paths per node), far below this.
pub const FINDINGS_BYTES_PER_MODEL_BYTE: u64 = 16;

/// The most a stored revision's findings may inflate to (256 MiB): what `record` stores and
/// what a reader inflates are both held to it.
pub fn max_findings_bytes() -> u64 {
    max_text_bytes() * FINDINGS_BYTES_PER_MODEL_BYTE
}

/// Inflates a stored blob, reading at most `limit` bytes of output: a blob that would give
/// more (a deflate bomb planted in the file) is an error before it is inflated further.
fn inflate(bytes: &[u8], limit: u64) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    DeflateDecoder::new(bytes)
        .take(limit + 1)
        .read_to_end(&mut out)?;
    if out.len() as u64 > limit {
        return Err(std::io::Error::other(format!(
            "it inflates to more than {limit} bytes, the most it may hold"
        )));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODEL: &str = "\
bartizan: 1
metadata: {name: Tiny}
nodes:
  - {id: a, kind: agent, name: A}
  - {id: k, kind: secret, name: K}
  - {id: h, kind: human, name: H}
edges:
  - {from: a, relation: holds, to: k}
  - {from: h, relation: holds, to: k}
";

    /// A revision recorded before risks kept `{"findings": […], "triage": […]}`: it still reads,
    /// and is compared by the risks today's checks find in its text.
    #[test]
    fn a_snapshot_from_before_risks_reads_and_compares_by_its_text() {
        let parsed = parse_model(MODEL, Format::Yaml, &Limits::default());
        let model = parsed.valid_model().unwrap().clone();
        let legacy = br#"{"findings":[{"fingerprint":"BTZ-IDN-001:0011223344556677",
            "rule":"BTZ-IDN-001","severity":"high","status":"open","title":"`k` is shared",
            "subjects":["k"]}],"triage":[]}"#;
        let snapshot: Snapshot = serde_json::from_slice(legacy).unwrap();
        assert_eq!(snapshot.version, 1);
        assert_eq!(snapshot.findings[0].rule, "BTZ-IDN-001");
        let risks = snapshot.risks(|| Ok(model.clone())).unwrap();
        assert!(!risks.is_empty());
        assert_eq!(risks, risk_records(&model));

        let current = Snapshot {
            version: RISKS_SNAPSHOT_VERSION,
            findings: Vec::new(),
            risks: risks.clone(),
            triage: Vec::new(),
        };
        let stored = serde_json::to_string(&current).unwrap();
        assert!(stored.starts_with(r#"{"version":2,"risks":["#), "{stored}");
        let read: Snapshot = serde_json::from_str(&stored).unwrap();
        let unreachable = || -> Result<Model, WorkspaceError> {
            panic!("a snapshot with risks is not re-checked")
        };
        assert_eq!(read.risks(unreachable).unwrap(), risks);
    }

    #[test]
    fn records_revisions_once_per_content() {
        let dir = tempfile::tempdir().unwrap();
        let mut workspace = Workspace::open(dir.path().join("nested/ws.sqlite3")).unwrap();
        let model = dir.path().join("tiny.bartizan.yaml");
        fs::write(&model, MODEL).unwrap();
        let first = workspace.record(&model, MODEL, "ana", 100).unwrap();
        assert!(first.created);
        assert_eq!(first.revision.number, 1);
        assert_eq!(first.revision.delta.added, first.revision.risks.total());
        let again = workspace.record(&model, MODEL, "bo", 200).unwrap();
        assert!(!again.created);
        assert_eq!(again.revision, first.revision);
        let history = workspace.history(&model).unwrap();
        assert_eq!(history, [first.revision]);
        assert_eq!(workspace.revision_text(&model, 1).unwrap(), MODEL);
        // The same file named another way is the same model.
        let other_name = dir.path().join("./nested/../tiny.bartizan.yaml");
        assert_eq!(workspace.history(&other_name).unwrap().len(), 1);
    }

    #[test]
    fn invalid_models_are_refused_with_a_summary() {
        let dir = tempfile::tempdir().unwrap();
        let mut workspace = Workspace::open(dir.path().join("ws.sqlite3")).unwrap();
        let model = dir.path().join("bad.bartizan.yaml");
        let error = workspace
            .record(
                &model,
                "bartizan: 1\nmetadata: {name: x}\nedges:\n  - {from: a, relation: holds, to: k}\n",
                "ana",
                1,
            )
            .unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains("is not a valid model (2 errors; first:"),
            "{message}"
        );
        assert!(workspace.history(&model).unwrap().is_empty());
    }

    #[test]
    fn missing_revisions_are_errors_that_name_the_workspace() {
        let dir = tempfile::tempdir().unwrap();
        let mut workspace = Workspace::open(dir.path().join("ws.sqlite3")).unwrap();
        let model = dir.path().join("tiny.bartizan.yaml");
        let error = workspace.diff(&model, None, None).unwrap_err();
        assert!(
            matches!(error, WorkspaceError::NotRecorded { .. }),
            "{error}"
        );
        workspace.record(&model, MODEL, "ana", 1).unwrap();
        let error = workspace.revision_text(&model, 7).unwrap_err();
        let message = error.to_string();
        assert!(message.contains("ws.sqlite3"), "{message}");
        assert!(
            message.contains("has no revision 7 (its revisions are 1 to 1)"),
            "{message}"
        );
    }

    #[test]
    fn the_first_revision_diffs_against_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut workspace = Workspace::open(dir.path().join("ws.sqlite3")).unwrap();
        let model = dir.path().join("tiny.bartizan.yaml");
        workspace.record(&model, MODEL, "ana", 1).unwrap();
        let diff = workspace.diff(&model, None, None).unwrap();
        assert!(diff.from.is_none());
        assert_eq!(diff.elements.nodes.added, ["a", "h", "k"]);
        assert_eq!(diff.risks.added.len() as u32, diff.to.risks.total());
        assert_eq!(diff.elements.metadata[0].field, "name");
        assert!(workspace.verify().unwrap().is_empty());
    }

    #[test]
    fn summaries_count_errors_and_quote_the_first() {
        let diagnostics = vec![
            Diagnostic::warning("w", "a warning"),
            Diagnostic::error("e", "the first error"),
            Diagnostic::error("e", "the second error"),
        ];
        assert_eq!(summarise(&diagnostics), "2 errors; first: the first error");
    }
}
