//! The workspace: schema migrations, revisions and diffs of an example edited in steps, the
//! append-only audit log and its tamper-evident chain, damaged and hostile workspaces, crash
//! safety under `kill -9`, and the `record`, `history`, `diff` and `audit` commands.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use bartizan::graph::ModelGraph;
use bartizan::history::{AuditEntry, Diff, RiskRecord, diff_risks};
use bartizan::model::{
    Action, Autonomy, Edge, Model, Node, NodeProperties, Relation, ToolProperties, TriageDecision,
    TriageStatus,
};
use bartizan::store::workspace::migrations::{self, MIGRATIONS, SCHEMA_VERSION};
use bartizan::store::workspace::{Workspace, WorkspaceError};
use bartizan::store::{self, write_atomically};
use bartizan::syntax::{Format, Limits, parse_model, to_yaml};
use rusqlite::Connection;

use common::root;

const EXAMPLE: &str = "models/customer-support.bartizan.yaml";

fn example() -> Model {
    let text = std::fs::read_to_string(root().join(EXAMPLE)).unwrap();
    parse_model(&text, Format::Yaml, &Limits::default())
        .valid_model()
        .unwrap()
        .clone()
}

/// Writes `model` to `path` atomically and records the file's text as it is on disk.
fn save_and_record(
    workspace: &mut Workspace,
    path: &Path,
    model: &Model,
    author: &str,
    at: i64,
) -> bartizan::store::workspace::RecordOutcome {
    store::write_model(path, model).unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    workspace.record(path, &text, author, at).unwrap()
}

/// The risks of a model with its triage applied, as the engine reports them.
fn risk_records(model: &Model) -> Vec<RiskRecord> {
    let mut risks = bartizan::risks::assess(&ModelGraph::new(model)).risks;
    bartizan::risks::apply_triage(&mut risks, &model.triage);
    risks.iter().map(RiskRecord::from).collect()
}

/// The risk step 4 of [`edits`] triages: the CRM API key's.
fn triaged() -> String {
    bartizan::risks::fingerprint(bartizan::risks::RiskKind::Credential, "crm-api-key")
}

/// The example edited in four steps after its first revision: a node (with its edge) added,
/// an edge removed, a risk triaged, a severity-relevant property changed.
fn edits() -> Vec<Model> {
    let mut model = example();
    let mut steps = vec![model.clone()];

    model.nodes.push(Node {
        id: "ticket-tool".into(),
        name: "Ticketing tool".into(),
        description: None,
        properties: NodeProperties::Tool(ToolProperties {
            actions: vec![Action::Write],
            ..ToolProperties::default()
        }),
    });
    model
        .edges
        .push(Edge::new("support-agent", Relation::Invokes, "ticket-tool"));
    steps.push(model.clone());

    model
        .edges
        .retain(|e| e.id != "nightly-sync--holds--crm-api-key");
    steps.push(model.clone());

    model.triage.push(TriageDecision {
        fingerprint: triaged(),
        rule: None,
        status: TriageStatus::Accepted,
        justification: Some("The CRM team owns the key.".into()),
        by: Some("risk-board".into()),
        at: Some("2026-11-20".into()),
    });
    steps.push(model.clone());

    let agent = model
        .nodes
        .iter_mut()
        .find(|n| n.id == "support-agent")
        .unwrap();
    let NodeProperties::Agent(properties) = &mut agent.properties else {
        panic!("support-agent is an agent");
    };
    properties.autonomy = Some(Autonomy::Supervised);
    steps.push(model);
    steps
}

/// Records every step of [`edits`] into a new workspace, one second apart.
fn recorded_steps(dir: &Path) -> (Workspace, PathBuf) {
    let mut workspace = Workspace::open(dir.join("ws.sqlite3")).unwrap();
    let path = dir.join("customer-support.bartizan.yaml");
    for (index, model) in edits().iter().enumerate() {
        let outcome = save_and_record(&mut workspace, &path, model, "ana", 1_000 + index as i64);
        assert!(outcome.created);
        assert_eq!(outcome.revision.number, index as u32 + 1);
    }
    (workspace, path)
}

fn changed(diff: &Diff) -> Vec<(&str, Vec<&str>)> {
    diff.risks
        .changed
        .iter()
        .map(|c| (c.after.fingerprint.as_str(), c.fields.clone()))
        .collect()
}

// ----------------------------------------------------------------------------------------
// Migrations

fn user_tables(connection: &Connection, schema: &str) -> Vec<String> {
    let mut statement = connection
        .prepare(&format!(
            "SELECT name FROM {schema}.sqlite_schema WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' ORDER BY name"
        ))
        .unwrap();
    statement
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn columns(connection: &Connection, schema: &str, table: &str) -> Vec<String> {
    let mut statement = connection
        .prepare(&format!("PRAGMA {schema}.table_info({table})"))
        .unwrap();
    statement
        .query_map([], |row| row.get(1))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn a_new_workspace_gets_the_whole_schema_in_wal_mode_with_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a/b/workspace.sqlite3");
    let workspace = Workspace::open(&path).unwrap();
    let connection = workspace.connection();
    assert_eq!(
        migrations::schema_version(connection).unwrap(),
        SCHEMA_VERSION
    );
    assert_eq!(SCHEMA_VERSION as usize, MIGRATIONS.len());
    const { assert!(SCHEMA_VERSION >= 2) };
    assert_eq!(
        user_tables(connection, "main"),
        ["audit_log", "contents", "models", "revisions"]
    );
    let mode: String = connection
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let foreign_keys: i64 = connection
        .query_row("PRAGMA foreign_keys", [], |row| row.get(0))
        .unwrap();
    assert_eq!(foreign_keys, 1);
    drop(workspace);
    // Opening again changes nothing.
    let again = Workspace::open(&path).unwrap();
    assert_eq!(
        migrations::schema_version(again.connection()).unwrap(),
        SCHEMA_VERSION
    );
}

#[test]
fn every_earlier_schema_upgrades_with_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let reference_dir = dir.path().join("reference");
    std::fs::create_dir_all(&reference_dir).unwrap();
    let (reference, model) = {
        let mut workspace = Workspace::open(reference_dir.join("ws.sqlite3")).unwrap();
        let model = dir.path().join("customer-support.bartizan.yaml");
        for (index, step) in edits().iter().take(4).enumerate() {
            save_and_record(&mut workspace, &model, step, "ana", 1_000 + index as i64);
        }
        (workspace, model)
    };
    let history = reference.history(&model).unwrap();
    let diff = reference.diff(&model, Some(1), Some(4)).unwrap();
    let text = reference.revision_text(&model, 2).unwrap();
    let reference_audit = reference.audit_log(None).unwrap();
    assert_eq!(reference_audit.len(), 1);
    drop(reference);

    for version in 1..SCHEMA_VERSION {
        // A database of `version`, filled with what that version can hold.
        let path = dir.path().join(format!("v{version}.sqlite3"));
        let mut old = Connection::open(&path).unwrap();
        migrations::migrate_to(&mut old, version).unwrap();
        assert_eq!(migrations::schema_version(&old).unwrap(), version);
        old.execute(
            "ATTACH DATABASE ?1 AS reference",
            [reference_dir.join("ws.sqlite3").to_str().unwrap()],
        )
        .unwrap();
        // Parents before children, for the foreign keys.
        let mut tables = user_tables(&old, "main");
        let order = ["models", "contents", "revisions", "audit_log"];
        tables.sort_by_key(|table| order.iter().position(|t| t == table));
        for table in tables {
            let list = columns(&old, "main", &table).join(", ");
            old.execute(
                &format!("INSERT INTO main.{table} ({list}) SELECT {list} FROM reference.{table}"),
                [],
            )
            .unwrap_or_else(|e| panic!("v{version} {table}: {e}"));
        }
        old.execute("DETACH DATABASE reference", []).unwrap();
        drop(old);

        let mut upgraded = Workspace::open(&path).unwrap();
        assert_eq!(
            migrations::schema_version(upgraded.connection()).unwrap(),
            SCHEMA_VERSION,
            "from version {version}"
        );
        assert_eq!(upgraded.history(&model).unwrap(), history);
        assert_eq!(upgraded.diff(&model, Some(1), Some(4)).unwrap(), diff);
        assert_eq!(upgraded.revision_text(&model, 2).unwrap(), text);
        let carried: Vec<AuditEntry> = if version >= 2 {
            reference_audit.clone()
        } else {
            Vec::new()
        };
        assert_eq!(upgraded.audit_log(None).unwrap(), carried);
        assert!(upgraded.verify().unwrap().is_empty());
        let trail = upgraded.verify_trail(None).unwrap();
        assert_eq!(trail.first_problem(), None, "from version {version}");
        assert_eq!(
            (trail.chains[0].revisions, trail.chains[0].entries),
            (4, carried.len() as u32)
        );

        // The upgraded workspace records, and audits, like a new one.
        let steps = edits();
        let fifth = save_and_record(&mut upgraded, &model, &steps[4], "bo", 2_000);
        assert_eq!(fifth.revision.number, 5);
        assert_eq!(
            fifth.revision.delta,
            diff_risks(&risk_records(&steps[3]), &risk_records(&steps[4])).delta()
        );
        let sixth = save_and_record(&mut upgraded, &model, &steps[2], "bo", 2_001);
        assert_eq!(sixth.revision.number, 6);
        let log = upgraded.audit_log(Some(&model)).unwrap();
        let last = log.last().unwrap();
        assert_eq!(log.len(), carried.len() + 1);
        assert_eq!(
            (last.revision, last.old_status, last.new_status),
            (6, Some(TriageStatus::Accepted), None)
        );
        assert_eq!(upgraded.verify_trail(None).unwrap().first_problem(), None);
    }
}

#[test]
fn a_workspace_from_a_newer_bartizan_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ws.sqlite3");
    drop(Workspace::open(&path).unwrap());
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    let error = Workspace::open(&path).err().unwrap();
    assert!(matches!(error, WorkspaceError::TooNew { .. }), "{error}");
    assert!(
        error.to_string().contains("use a newer Bartizan"),
        "{error}"
    );
}

// ----------------------------------------------------------------------------------------
// Revisions and diffs

#[test]
fn revisions_and_diffs_of_an_example_edited_in_steps() {
    let dir = tempfile::tempdir().unwrap();
    let (mut workspace, path) = recorded_steps(dir.path());
    let steps = edits();
    let risks: Vec<Vec<RiskRecord>> = steps.iter().map(risk_records).collect();

    // Each revision counts the risks the engine reports on its text, and its delta is the
    // difference from the revision before.
    let history = workspace.history(&path).unwrap();
    for (index, revision) in history.iter().enumerate() {
        let expected = &risks[index];
        assert_eq!(revision.risks.total() as usize, expected.len());
        assert_eq!(
            revision.risks.high as usize,
            expected
                .iter()
                .filter(|r| r.severity == bartizan::findings::Severity::High)
                .count()
        );
        assert_eq!(
            revision.open as usize,
            expected
                .iter()
                .filter(|r| r.status == TriageStatus::Open)
                .count()
        );
        let before = if index == 0 {
            &[][..]
        } else {
            &risks[index - 1][..]
        };
        assert_eq!(revision.delta, diff_risks(before, expected).delta());
    }
    assert_eq!(history[0].delta.added, history[0].risks.total());
    assert_eq!(history[4].recorded_at, 1_004);
    assert_eq!(history[4].author, "ana");
    assert_eq!((history[1].nodes, history[1].edges), (15, 16));
    assert_eq!((history[2].nodes, history[2].edges), (15, 15));

    // Every pair compares the risks by fingerprint, either way round.
    for from in 1..=5u32 {
        for to in 1..=5u32 {
            let diff = workspace.diff(&path, Some(from), Some(to)).unwrap();
            assert_eq!(
                diff.risks,
                diff_risks(&risks[from as usize - 1], &risks[to as usize - 1]),
                "{from} → {to}"
            );
        }
    }

    // Step 2: a node and its edge added; the agent now also calls the ticketing tool.
    let diff = workspace.diff(&path, None, Some(2)).unwrap();
    assert_eq!(diff.from.as_ref().unwrap().number, 1);
    assert!(!diff.risks.is_empty());
    assert_eq!(diff.elements.nodes.added, ["ticket-tool"]);
    assert_eq!(
        diff.elements.edges.added,
        ["support-agent--invokes--ticket-tool"]
    );
    assert!(diff.elements.nodes.removed.is_empty() && diff.elements.nodes.changed.is_empty());

    // Step 3: an edge removed: the CRM key is no longer shared with the nightly sync.
    let diff = workspace.diff(&path, Some(2), Some(3)).unwrap();
    assert!(
        changed(&diff)
            .iter()
            .any(|(fingerprint, fields)| *fingerprint == triaged() && fields.contains(&"title")),
        "{diff:#?}"
    );
    assert_eq!(
        diff.elements.edges.removed,
        ["nightly-sync--holds--crm-api-key"]
    );
    assert!(diff.elements.nodes.is_empty());

    // Step 4: a risk triaged.
    let diff = workspace.diff(&path, Some(3), Some(4)).unwrap();
    assert_eq!(
        changed(&diff),
        [(triaged().as_str(), vec!["status", "justification"])]
    );
    let change = &diff.risks.changed[0];
    assert_eq!(
        (change.before.status, change.after.status),
        (TriageStatus::Open, TriageStatus::Accepted)
    );
    assert_eq!(diff.elements.triage.added, [triaged()]);

    // Step 5 (the default: latest against the one before): the agent is supervised now, which
    // lowers severities and raises none.
    let diff = workspace.diff(&path, None, None).unwrap();
    assert_eq!((diff.from.as_ref().unwrap().number, diff.to.number), (4, 5));
    for change in &diff.risks.changed {
        assert!(
            change.after.severity <= change.before.severity,
            "{change:?}"
        );
    }
    let node = &diff.elements.nodes.changed;
    assert_eq!(node.len(), 1);
    assert_eq!(node[0].id, "support-agent");
    assert_eq!(node[0].fields.len(), 1);
    assert_eq!(node[0].fields[0].field, "properties.autonomy");
    assert_eq!(node[0].fields[0].before, Some("autonomous".into()));
    assert_eq!(node[0].fields[0].after, Some("supervised".into()));

    // Backwards, everything turns around.
    let forth = workspace.diff(&path, Some(1), Some(5)).unwrap();
    let back = workspace.diff(&path, Some(5), Some(1)).unwrap();
    assert_eq!(back.risks.resolved, forth.risks.added);
    assert_eq!(back.risks.added, forth.risks.resolved);
    assert_eq!(back.elements.nodes.removed, ["ticket-tool"]);

    // Each revision's text is the file as it was saved.
    for (index, step) in steps.iter().enumerate() {
        assert_eq!(
            workspace.revision_text(&path, index as u32 + 1).unwrap(),
            to_yaml(step)
        );
    }

    // Saving the same text again records nothing; going back to earlier text is a new
    // revision whose text is stored once.
    let again = save_and_record(&mut workspace, &path, &steps[4], "bo", 2_000);
    assert_eq!((again.created, again.revision.number), (false, 5));
    let reverted = save_and_record(&mut workspace, &path, &steps[0], "bo", 2_001);
    assert_eq!((reverted.created, reverted.revision.number), (true, 6));
    assert_eq!(reverted.revision.content_hash, history[0].content_hash);
    let contents: i64 = workspace
        .connection()
        .query_row("SELECT count(*) FROM contents", [], |row| row.get(0))
        .unwrap();
    assert_eq!(contents, 5);
    assert!(workspace.verify().unwrap().is_empty());
}

#[test]
fn bad_revisions_and_unknown_models_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let (workspace, path) = recorded_steps(dir.path());
    for (from, to) in [(Some(0), None), (Some(9), None), (None, Some(6))] {
        let error = workspace.diff(&path, from, to).unwrap_err();
        assert!(
            matches!(error, WorkspaceError::NoSuchRevision { latest: 5, .. }),
            "{error}"
        );
    }
    let other = dir.path().join("other.bartizan.yaml");
    assert!(workspace.history(&other).unwrap().is_empty());
    assert!(matches!(
        workspace.diff(&other, None, None).unwrap_err(),
        WorkspaceError::NotRecorded { .. }
    ));
    assert!(workspace.audit_log(Some(&other)).unwrap().is_empty());
}

// ----------------------------------------------------------------------------------------
// The audit log

#[test]
fn triage_changes_are_audited_and_the_log_only_grows() {
    let dir = tempfile::tempdir().unwrap();
    let (mut workspace, path) = recorded_steps(dir.path());
    let log = workspace.audit_log(Some(&path)).unwrap();
    assert_eq!(log.len(), 1);
    let first = &log[0];
    assert_eq!(first.fingerprint, triaged());
    assert_eq!(first.rule, None);
    assert_eq!(
        (first.old_status, first.new_status),
        (None, Some(TriageStatus::Accepted))
    );
    assert_eq!(
        first.justification.as_deref(),
        Some("The CRM team owns the key.")
    );
    assert_eq!(
        (first.by.as_str(), first.at.as_str()),
        ("risk-board", "2026-11-20")
    );
    assert_eq!((first.revision, first.recorded_at), (4, 1_003));
    assert_eq!(first.recorded_by, "ana");
    assert!(first.model.ends_with("customer-support.bartizan.yaml"));

    // Changed without saying by whom or when: the recorder and the recording time.
    let mut model = edits().pop().unwrap();
    model.triage[0].status = TriageStatus::Mitigated;
    model.triage[0].by = None;
    model.triage[0].at = None;
    model.triage[0].justification = Some("Owner set in the vault.".into());
    save_and_record(&mut workspace, &path, &model, "bo", 1_795_624_807);
    // Removed.
    model.triage.clear();
    save_and_record(&mut workspace, &path, &model, "cy", 1_795_624_900);
    // An earlier text again: its decision comes back as a new entry.
    save_and_record(&mut workspace, &path, &edits()[3], "dee", 1_795_625_000);

    let log = workspace.audit_log(Some(&path)).unwrap();
    let summary: Vec<_> = log
        .iter()
        .map(|e| {
            (
                e.revision,
                e.old_status,
                e.new_status,
                e.by.as_str(),
                e.at.as_str(),
            )
        })
        .collect();
    use TriageStatus::{Accepted, Mitigated};
    assert_eq!(
        summary,
        [
            (4, None, Some(Accepted), "risk-board", "2026-11-20"),
            (
                6,
                Some(Accepted),
                Some(Mitigated),
                "bo",
                "2026-11-25T16:40:07Z"
            ),
            (7, Some(Mitigated), None, "cy", "2026-11-25T16:41:40Z"),
            (8, None, Some(Accepted), "risk-board", "2026-11-20"),
        ]
    );
    // Earlier entries are exactly as first written.
    assert_eq!(log[0], *first);
    assert!(log.windows(2).all(|pair| pair[0].id < pair[1].id));
    assert_eq!(workspace.audit_log(None).unwrap(), log);
}

#[test]
fn the_database_refuses_to_change_or_delete_audit_entries() {
    let dir = tempfile::tempdir().unwrap();
    let (workspace, path) = recorded_steps(dir.path());
    let before = workspace.audit_log(None).unwrap();
    assert_eq!(before.len(), 1);

    let attempts = [
        "UPDATE audit_log SET new_status = 'open'",
        "UPDATE audit_log SET justification = NULL WHERE id = 1",
        "DELETE FROM audit_log",
        "DELETE FROM audit_log WHERE id = 1",
        "INSERT OR REPLACE INTO audit_log (id, model_id, revision, fingerprint, decided_by, \
         decided_at, recorded_at, recorded_by) SELECT id, model_id, revision, fingerprint, \
         'mallory', 'now', 0, 'mallory' FROM audit_log WHERE id = 1",
        "INSERT INTO audit_log (id, model_id, revision, fingerprint, decided_by, decided_at, \
         recorded_at, recorded_by) SELECT id, model_id, revision, fingerprint, 'mallory', 'now', \
         0, 'mallory' FROM audit_log WHERE id = 1 ON CONFLICT (id) DO UPDATE SET decided_by = 'mallory'",
    ];
    // Through the workspace's own connection and through another one on the same file.
    let other = Connection::open(workspace.path()).unwrap();
    for connection in [workspace.connection(), &other] {
        for sql in attempts {
            let error = connection.execute(sql, []).unwrap_err().to_string();
            assert!(
                error.contains("the audit log is append-only"),
                "{sql}: {error}"
            );
        }
    }
    drop(other);
    assert_eq!(workspace.audit_log(None).unwrap(), before);
    assert_eq!(workspace.audit_log(Some(&path)).unwrap(), before);
}

#[test]
fn invalid_models_record_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut workspace, path) = recorded_steps(dir.path());
    let error = workspace
        .record(
            &path,
            "bartizan: 1\nmetadata: {name: x}\nnodes:\n  - {id: a, kind: agnt, name: A}\n",
            "ana",
            5_000,
        )
        .unwrap_err();
    let WorkspaceError::InvalidModel {
        summary,
        diagnostics,
        ..
    } = &error
    else {
        panic!("{error}");
    };
    assert!(summary.starts_with("1 error; first: "), "{summary}");
    assert!(summary.contains("nodes[0].kind"), "{summary}");
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(workspace.history(&path).unwrap().len(), 5);
}

// ----------------------------------------------------------------------------------------
// Crash safety

const CRASH_TEST: &str = "a_writer_killed_mid_save_leaves_the_workspace_and_the_model_intact";
const CRASH_CHILD_ENV: &str = "BARTIZAN_TEST_CRASH_CHILD";

/// The child: saves the model atomically with a small edit and records it, again and again,
/// until it is killed (or a minute has passed, should the parent be gone).
fn crash_child(dir: &Path) -> ! {
    let model_path = dir.join("customer-support.bartizan.yaml");
    let mut workspace = Workspace::open(dir.join("ws.sqlite3")).unwrap();
    let started = std::time::Instant::now();
    let pid = std::process::id();
    for i in 0u64.. {
        if started.elapsed().as_secs() > 60 {
            break;
        }
        let text = std::fs::read_to_string(&model_path).unwrap();
        let mut model = parse_model(&text, Format::Yaml, &Limits::default())
            .valid_model()
            .expect("the model file is always valid")
            .clone();
        model.metadata.revision = Some(format!("{pid}-{i}"));
        if i % 3 == 0 {
            // Toggle a triage decision so that saves also append to the audit log.
            if model.triage.is_empty() {
                model.triage.push(TriageDecision {
                    fingerprint: "BTZ-CRD-003:7cac3cde17b43394".into(),
                    rule: Some("BTZ-CRD-003".into()),
                    status: TriageStatus::Accepted,
                    justification: Some(format!("save {pid}-{i}")),
                    by: None,
                    at: None,
                });
            } else {
                model.triage.clear();
            }
        }
        write_atomically(&model_path, to_yaml(&model).as_bytes()).unwrap();
        let text = std::fs::read_to_string(&model_path).unwrap();
        workspace
            .record(&model_path, &text, "crash-test", i as i64)
            .unwrap();
    }
    std::process::exit(0);
}

#[cfg(unix)]
#[test]
fn a_writer_killed_mid_save_leaves_the_workspace_and_the_model_intact() {
    if let Some(dir) = std::env::var_os(CRASH_CHILD_ENV) {
        crash_child(Path::new(&dir));
    }
    let dir = tempfile::tempdir().unwrap();
    let model_path = dir.path().join("customer-support.bartizan.yaml");
    std::fs::copy(root().join(EXAMPLE), &model_path).unwrap();
    let started = std::time::Instant::now();
    let mut revisions_seen = 0;
    for iteration in 0u64..50 {
        // A deterministic spread of delays, from before the first save to several saves in.
        let mut seed =
            0x9E37_79B9_7F4A_7C15u64 ^ (iteration + 1).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        seed ^= seed >> 31;
        seed = seed.wrapping_mul(0x94D0_49BB_1331_11EB);
        seed ^= seed >> 29;
        let delay = std::time::Duration::from_millis(15 + seed % 150);
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([CRASH_TEST, "--exact", "--nocapture", "--test-threads=1"])
            .env(CRASH_CHILD_ENV, dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();

        let workspace = Workspace::open(dir.path().join("ws.sqlite3")).unwrap();
        let integrity: String = workspace
            .connection()
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))
            .unwrap();
        assert_eq!(integrity, "ok", "after kill {iteration}");
        assert_eq!(
            workspace.verify().unwrap(),
            Vec::<String>::new(),
            "after kill {iteration}"
        );
        let history = workspace.history(&model_path).unwrap();
        for (index, revision) in history.iter().enumerate() {
            assert_eq!(revision.number as usize, index + 1);
        }
        assert!(history.len() >= revisions_seen, "no revision is lost");
        // The texts recorded since the last kill read back as valid models.
        for revision in &history[revisions_seen..] {
            let text = workspace
                .revision_text(&model_path, revision.number)
                .unwrap();
            let parsed = parse_model(&text, Format::Yaml, &Limits::default());
            assert!(
                parsed.valid_model().is_some(),
                "revision {}",
                revision.number
            );
        }
        revisions_seen = history.len();
        let log = workspace.audit_log(None).unwrap();
        assert!(
            log.iter()
                .all(|entry| entry.revision as usize <= history.len())
        );

        let text = std::fs::read_to_string(&model_path).unwrap();
        let parsed = parse_model(&text, Format::Yaml, &Limits::default());
        assert!(
            parsed.valid_model().is_some(),
            "after kill {iteration}: {:?}",
            parsed.diagnostics
        );
    }
    assert!(
        revisions_seen > 10,
        "the writers recorded {revisions_seen} revisions"
    );
    assert!(
        started.elapsed().as_secs() < 60,
        "the crash test took {:?}",
        started.elapsed()
    );
}

// ----------------------------------------------------------------------------------------
// The command line

fn cli(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bartizan"))
        .current_dir(dir)
        .args(["--color", "never"])
        .args(args)
        .args(["--workspace", "ws.sqlite3"])
        .env("BARTIZAN_AUTHOR", "ana")
        .env_remove("BARTIZAN_WORKSPACE")
        .output()
        .unwrap()
}

fn out(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn err(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

#[test]
fn record_history_diff_and_audit_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let steps = edits();
    let risks: Vec<Vec<RiskRecord>> = steps.iter().map(risk_records).collect();
    let delta = |from: &[RiskRecord], to: &[RiskRecord]| {
        let d = diff_risks(from, to).delta();
        format!("+{} −{} ~{}", d.added, d.resolved, d.changed)
    };
    let file = "support.bartizan.yaml";
    let model = dir.path().join(file);

    store::write_model(&model, &steps[0]).unwrap();
    let output = cli(dir.path(), &["record", file]);
    assert_eq!(output.status.code(), Some(0), "{}", err(&output));
    assert_eq!(
        out(&output),
        format!("revision 1 of {file} ({} risks)\n", delta(&[], &risks[0]))
    );
    let output = cli(dir.path(), &["record", file, "--author", "bo"]);
    assert_eq!(out(&output), "unchanged, revision 1\n");
    store::write_model(&model, &steps[2]).unwrap();
    let output = cli(dir.path(), &["record", file, "--author", "bo"]);
    assert_eq!(
        out(&output),
        format!(
            "revision 2 of {file} ({} risks)\n",
            delta(&risks[0], &risks[2])
        )
    );
    store::write_model(&model, &steps[4]).unwrap();
    assert_eq!(cli(dir.path(), &["record", file]).status.code(), Some(0));

    // history
    let output = cli(dir.path(), &["history", file]);
    assert_eq!(output.status.code(), Some(0));
    let text = out(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        format!("Customer support agent — {file} (3 revisions)")
    );
    assert!(lines[2].starts_with("rev  recorded"), "{text}");
    assert!(lines[3].starts_with("  3  "), "{text}");
    assert!(lines[4].contains(" bo "), "{text}");
    assert!(
        lines[5].starts_with("  1  ") && lines[5].contains(&delta(&[], &risks[0])),
        "{text}"
    );
    let json: serde_json::Value = serde_json::from_str(&out(&cli(
        dir.path(),
        &["history", file, "--format", "json"],
    )))
    .unwrap();
    assert_eq!(json["version"], 2);
    assert_eq!(json["revisions"].as_array().unwrap().len(), 3);
    assert_eq!(json["revisions"][1]["author"], "bo");
    assert_eq!(
        json["revisions"][1]["delta"]["resolved"],
        diff_risks(&risks[0], &risks[2]).delta().resolved
    );
    assert_eq!(
        json["revisions"][1]["risks"]["high"],
        risks[2]
            .iter()
            .filter(|r| r.severity == bartizan::findings::Severity::High)
            .count()
    );
    let markdown = out(&cli(dir.path(), &["history", file, "--format", "md"]));
    assert!(
        markdown.starts_with("# History: Customer support agent\n"),
        "{markdown}"
    );
    assert!(markdown.contains("| 2 | "), "{markdown}");

    // diff
    let output = cli(dir.path(), &["diff", file, "--from", "1", "--to", "2"]);
    assert_eq!(output.status.code(), Some(0), "{}", err(&output));
    let text = out(&output);
    assert!(
        text.starts_with("Customer support agent: revision 1 → revision 2\n"),
        "{text}"
    );
    let risk_diff = diff_risks(&risks[0], &risks[2]);
    let crm_key = risks[0]
        .iter()
        .find(|r| r.fingerprint == triaged())
        .expect("a risk at the CRM key");
    for line in [
        format!(
            "risks: {} added, {} resolved, {} changed",
            risk_diff.added.len(),
            risk_diff.resolved.len(),
            risk_diff.changed.len()
        ),
        format!("  ~ {:<8} {}  ", crm_key.severity.as_str(), triaged()),
        format!("      title: {} → ", crm_key.title),
        "  + node ticket-tool".to_owned(),
        "  + edge support-agent--invokes--ticket-tool".to_owned(),
        "  − edge nightly-sync--holds--crm-api-key".to_owned(),
    ] {
        assert!(text.contains(&line), "{line}\n{text}");
    }
    let text = out(&cli(dir.path(), &["diff", file]));
    assert!(
        text.contains("  ~ node support-agent: properties.autonomy: autonomous → supervised"),
        "{text}"
    );
    assert!(
        text.contains(&format!("  + triage {}", triaged())),
        "{text}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&out(&cli(dir.path(), &["diff", file, "--format", "json"]))).unwrap();
    assert_eq!(json["from"]["number"], 2);
    assert_eq!(json["to"]["number"], 3);
    assert_eq!(
        json["risks"]["changed"].as_array().unwrap().len(),
        diff_risks(&risks[2], &risks[4]).changed.len()
    );
    assert_eq!(
        json["elements"]["nodes"]["changed"][0]["id"],
        "support-agent"
    );
    let markdown = out(&cli(
        dir.path(),
        &["diff", file, "--from", "1", "--format", "md"],
    ));
    assert!(
        markdown.starts_with("# Changes: Customer support agent, revision 1 → revision 3\n"),
        "{markdown}"
    );
    if !diff_risks(&risks[0], &risks[4]).added.is_empty() {
        assert!(markdown.contains("## Risks added\n"), "{markdown}");
    }
    assert!(markdown.contains("- Risks: "), "{markdown}");
    assert!(
        markdown.contains("| node | `ticket-tool` | added |"),
        "{markdown}"
    );

    // audit
    let text = out(&cli(dir.path(), &["audit", file]));
    assert!(
        text.starts_with(&format!("#1  {}  (no decision) → accepted\n", triaged())),
        "{text}"
    );
    assert!(
        text.contains("  | decided:       risk-board, 2026-11-20\n"),
        "{text}"
    );
    let csv = out(&cli(dir.path(), &["audit", "--format", "csv"]));
    let rows: Vec<&str> = csv.split("\r\n").collect();
    assert!(
        rows[0].starts_with("id,model,revision,fingerprint,rule,old_status,new_status"),
        "{csv}"
    );
    assert!(rows[1].starts_with("1,"), "{csv}");
    assert!(
        rows[1].contains(&format!(",3,{},,,accepted,", triaged())),
        "{csv}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&out(&cli(dir.path(), &["audit", "--format", "json"]))).unwrap();
    assert_eq!(json["entries"].as_array().unwrap().len(), 1);
    assert_eq!(json["entries"][0]["recorded_by"], "ana");
}

#[test]
fn command_line_errors_exit_2_for_an_invalid_model_and_3_for_a_bad_revision() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.bartizan.yaml"),
        "bartizan: 1\nmetadata: {name: x}\nnodes:\n  - {id: a, kind: agnt, name: A}\n",
    )
    .unwrap();
    let output = cli(dir.path(), &["record", "bad.bartizan.yaml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(err(&output).contains("invalid model"), "{}", err(&output));

    std::fs::copy(root().join(EXAMPLE), dir.path().join("cs.bartizan.yaml")).unwrap();
    let output = cli(dir.path(), &["diff", "cs.bartizan.yaml"]);
    assert_eq!(output.status.code(), Some(3));
    assert!(err(&output).contains("no revision of"), "{}", err(&output));
    let output = cli(dir.path(), &["history", "cs.bartizan.yaml"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        out(&output),
        "no revision of cs.bartizan.yaml is recorded\n"
    );

    assert_eq!(
        cli(dir.path(), &["record", "cs.bartizan.yaml"])
            .status
            .code(),
        Some(0)
    );
    let output = cli(dir.path(), &["diff", "cs.bartizan.yaml", "--to", "2"]);
    assert_eq!(output.status.code(), Some(3));
    let message = err(&output);
    assert!(message.contains("ws.sqlite3"), "{message}");
    assert!(
        message.contains("has no revision 2 (its revisions are 1 to 1)"),
        "{message}"
    );
    assert_eq!(
        cli(dir.path(), &["diff", "cs.bartizan.yaml", "--from", "x"])
            .status
            .code(),
        Some(3)
    );
    assert_eq!(
        cli(dir.path(), &["record", "missing.bartizan.yaml"])
            .status
            .code(),
        Some(3)
    );

    // A workspace that cannot be opened: its directory is a file.
    std::fs::write(dir.path().join("blocked"), "").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_bartizan"))
        .current_dir(dir.path())
        .args([
            "history",
            "cs.bartizan.yaml",
            "--workspace",
            "blocked/ws.sqlite3",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    assert!(
        err(&output).contains("blocked/ws.sqlite3"),
        "{}",
        err(&output)
    );
}

#[test]
fn the_workspace_lives_where_the_environment_says() {
    // Only this test reads the variable in this process.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("elsewhere.sqlite3");
    let output = Command::new(env!("CARGO_BIN_EXE_bartizan"))
        .current_dir(root())
        .args(["record", EXAMPLE])
        .env("BARTIZAN_WORKSPACE", &path)
        .env("BARTIZAN_AUTHOR", "env-author")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", err(&output));
    let workspace = Workspace::open(&path).unwrap();
    let history = workspace.history(&root().join(EXAMPLE)).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].author, "env-author");
}

#[test]
fn record_refuses_to_sign_a_revision_with_no_known_author() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(root().join(EXAMPLE), dir.path().join("cs.bartizan.yaml")).unwrap();
    let record = |args: &[&str], env: &[(&str, &str)]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_bartizan"));
        command
            .current_dir(dir.path())
            .args(["--color", "never", "record", "cs.bartizan.yaml"])
            .args(args)
            .args(["--workspace", "ws.sqlite3"]);
        for name in ["BARTIZAN_AUTHOR", "USER", "LOGNAME", "USERNAME"] {
            command.env_remove(name);
        }
        command.envs(env.iter().copied()).output().unwrap()
    };

    for (args, env) in [
        (&[][..], &[][..]),
        (&["--author", "  "][..], &[("BARTIZAN_AUTHOR", "")][..]),
    ] {
        let output = record(args, env);
        assert_eq!(output.status.code(), Some(3), "{}", err(&output));
        let message = err(&output);
        assert!(message.contains("no author is known"), "{message}");
        assert!(
            message.contains("--author NAME or BARTIZAN_AUTHOR=NAME"),
            "{message}"
        );
        assert!(!dir.path().join("ws.sqlite3").exists(), "{message}");
    }

    // The login name, then the environment variable, then the option, each over the last.
    type Environment<'a> = &'a [(&'a str, &'a str)];
    let cases: [(&[&str], Environment, &str); 3] = [
        (&[], &[("LOGNAME", "lo")], "lo"),
        (&[], &[("LOGNAME", "lo"), ("BARTIZAN_AUTHOR", "env")], "env"),
        (
            &["--author", "opt"],
            &[("LOGNAME", "lo"), ("BARTIZAN_AUTHOR", "env")],
            "opt",
        ),
    ];
    let model = dir.path().join("cs.bartizan.yaml");
    for (index, (args, env, expected)) in cases.into_iter().enumerate() {
        let mut text = std::fs::read_to_string(&model).unwrap();
        text.push_str(&format!("# step {index}\n"));
        std::fs::write(&model, text).unwrap();
        let output = record(args, env);
        assert_eq!(output.status.code(), Some(0), "{}", err(&output));
        let workspace = Workspace::open(dir.path().join("ws.sqlite3")).unwrap();
        assert_eq!(
            workspace.history(&model).unwrap().last().unwrap().author,
            expected
        );
    }
}

/// Overwrites the cell pointers of the root page of `table` in the (closed) database at
/// `path`: the page then reads as holding no rows.
fn damage_root_page(path: &Path, table: &str) {
    let (root_page, page_size): (i64, i64) = {
        let connection = Connection::open(path).unwrap();
        let root = connection
            .query_row(
                "SELECT rootpage FROM sqlite_schema WHERE name = ?1",
                [table],
                |row| row.get(0),
            )
            .unwrap();
        let size = connection
            .query_row("PRAGMA page_size", [], |row| row.get(0))
            .unwrap();
        (root, size)
    };
    use std::io::{Seek, SeekFrom, Write};
    let mut file = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    file.seek(SeekFrom::Start(((root_page - 1) * page_size + 8) as u64))
        .unwrap();
    file.write_all(&[0; 8]).unwrap();
}

#[test]
fn a_damaged_audit_log_is_an_error_not_an_empty_log() {
    let dir = tempfile::tempdir().unwrap();
    let (workspace, path) = recorded_steps(dir.path());
    assert_eq!(workspace.audit_log(None).unwrap().len(), 1);
    drop(workspace);
    let database = dir.path().join("ws.sqlite3");
    damage_root_page(&database, "audit_log");

    let workspace = Workspace::open(&database).unwrap();
    let error = workspace.audit_log(None).unwrap_err();
    assert!(
        matches!(
            error,
            WorkspaceError::Corrupt {
                table: "audit_log",
                ..
            }
        ),
        "{error}"
    );
    drop(workspace);
    for args in [
        &["audit"][..],
        &[
            "audit",
            "customer-support.bartizan.yaml",
            "--format",
            "json",
        ],
        &[
            "report",
            "customer-support.bartizan.yaml",
            "--pdf",
            "out.pdf",
        ],
    ] {
        let output = cli(dir.path(), args);
        assert_eq!(output.status.code(), Some(3), "{args:?}: {}", out(&output));
        let message = err(&output);
        assert!(
            message.contains("is damaged: its table `audit_log` does not read back whole"),
            "{args:?}: {message}"
        );
        assert!(out(&output).is_empty(), "{args:?}: {}", out(&output));
    }
    assert!(!dir.path().join("out.pdf").exists());
    // The history's chain runs through the damaged log: it is not shown either.
    let error = Workspace::open(&database)
        .unwrap()
        .history(&path)
        .unwrap_err();
    assert!(
        matches!(
            error,
            WorkspaceError::Corrupt {
                table: "audit_log",
                ..
            }
        ),
        "{error}"
    );
}

/// Deflates `size` zero bytes without holding them: a blob that inflates far beyond its size.
fn deflate_bomb(size: u64) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
    let chunk = vec![0u8; 1 << 20];
    let mut left = size;
    while left > 0 {
        let now = left.min(chunk.len() as u64) as usize;
        encoder.write_all(&chunk[..now]).unwrap();
        left -= now as u64;
    }
    encoder.finish().unwrap()
}

#[test]
fn a_deflate_bomb_in_the_workspace_is_damage_not_an_allocation() {
    use bartizan::store::workspace::{max_findings_bytes, max_text_bytes};
    let dir = tempfile::tempdir().unwrap();
    let (workspace, path) = recorded_steps(dir.path());
    let hash: String = workspace
        .connection()
        .query_row(
            "SELECT content_hash FROM revisions WHERE number = 2",
            [],
            |row| row.get(0),
        )
        .unwrap();
    // The text of revision 2 and the risks of revision 3 replaced by blobs just over
    // their bounds, through SQL as anyone with the file could.
    let forged = Connection::open(workspace.path()).unwrap();
    forged
        .execute(
            "UPDATE contents SET deflated = ?1 WHERE hash = ?2",
            rusqlite::params![deflate_bomb(max_text_bytes() + 1), hash],
        )
        .unwrap();
    forged
        .execute_batch(
            "CREATE TEMP TABLE saved AS SELECT sql FROM sqlite_schema WHERE type = 'trigger' \
             AND tbl_name = 'revisions'",
        )
        .unwrap();
    let triggers: Vec<String> = forged
        .prepare("SELECT sql FROM temp.saved")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for name in forged
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'revisions'")
        .unwrap()
        .query_map([], |row| row.get::<_, String>(0))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap()
    {
        forged.execute(&format!("DROP TRIGGER {name}"), []).unwrap();
    }
    forged
        .execute(
            "UPDATE revisions SET findings = ?1 WHERE number = 3",
            [deflate_bomb(max_findings_bytes() + 1)],
        )
        .unwrap();
    for sql in triggers {
        forged.execute(&sql, []).unwrap();
    }
    drop(forged);

    let error = workspace.revision_text(&path, 2).unwrap_err();
    let message = error.to_string();
    assert!(
        matches!(error, WorkspaceError::Damaged { number: 2, .. }),
        "{message}"
    );
    assert!(
        message.contains(&format!(
            "its text: it inflates to more than {} bytes",
            max_text_bytes()
        )),
        "{message}"
    );
    let error = workspace.diff(&path, Some(3), Some(4)).unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, WorkspaceError::Damaged { .. }), "{message}");
    assert!(message.contains("revision 3"), "{message}");
    let problems = workspace.verify().unwrap().join("\n");
    assert!(problems.contains("revision 2 of"), "{problems}");
    assert!(problems.contains("revision 3 of"), "{problems}");
    drop(workspace);
    let output = cli(
        dir.path(),
        &[
            "diff",
            "customer-support.bartizan.yaml",
            "--from",
            "1",
            "--to",
            "2",
        ],
    );
    assert_eq!(output.status.code(), Some(3), "{}", out(&output));
    assert!(err(&output).contains("is damaged"), "{}", err(&output));
}

#[test]
fn reading_commands_never_change_a_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let model = "customer-support.bartizan.yaml";
    let reads: [&[&str]; 5] = [
        &["history", model],
        &["diff", model],
        &["audit"],
        &["audit", model, "--format", "json"],
        &["report", model, "--pdf", "report.pdf"],
    ];

    // A current workspace in a read-only file reads as usual and stays as it was.
    let (workspace, _) = recorded_steps(dir.path());
    drop(workspace);
    let database = dir.path().join("ws.sqlite3");
    let original = std::fs::read(&database).unwrap();
    let mut permissions = std::fs::metadata(&database).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&database, permissions.clone()).unwrap();
    for args in reads {
        let output = cli(dir.path(), args);
        assert_eq!(output.status.code(), Some(0), "{args:?}: {}", err(&output));
    }
    assert_eq!(std::fs::read(&database).unwrap(), original);
    #[allow(clippy::permissions_set_readonly_false)]
    permissions.set_readonly(false);
    std::fs::set_permissions(&database, permissions).unwrap();
    std::fs::remove_file(dir.path().join("report.pdf")).unwrap();

    // An older workspace is not upgraded by a read: the command says how to upgrade it.
    std::fs::remove_file(&database).unwrap();
    let mut old = Connection::open(&database).unwrap();
    migrations::migrate_to(&mut old, SCHEMA_VERSION - 1).unwrap();
    drop(old);
    let original = std::fs::read(&database).unwrap();
    for args in reads {
        let output = cli(dir.path(), args);
        assert_eq!(output.status.code(), Some(3), "{args:?}: {}", out(&output));
        let message = err(&output);
        assert!(
            message.contains(&format!(
                "has schema version {}, older than this Bartizan's {SCHEMA_VERSION}",
                SCHEMA_VERSION - 1
            )),
            "{args:?}: {message}"
        );
        assert!(
            message.contains("the next `bartizan record` (or a save in the app) upgrades it"),
            "{args:?}: {message}"
        );
    }
    assert_eq!(std::fs::read(&database).unwrap(), original);
    assert!(!dir.path().join("report.pdf").exists());
    // Recording upgrades it, and reading works again.
    let output = cli(dir.path(), &["record", model]);
    assert_eq!(output.status.code(), Some(0), "{}", err(&output));
    let output = cli(dir.path(), &["history", model]);
    assert_eq!(output.status.code(), Some(0), "{}", err(&output));

    // A workspace that does not exist is not created by reading it.
    let output = Command::new(env!("CARGO_BIN_EXE_bartizan"))
        .current_dir(dir.path())
        .args(["history", model, "--workspace", "none.sqlite3"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", err(&output));
    assert_eq!(
        out(&output),
        format!("no revision of {model} is recorded\n")
    );
    assert!(!dir.path().join("none.sqlite3").exists());
}

// ----------------------------------------------------------------------------------------
// The tamper-evident chain

/// Runs `sql` on the workspace file as anyone who can write it could.
fn tamper(database: &Path, sql: &str) {
    Connection::open(database)
        .unwrap()
        .execute_batch(sql)
        .unwrap_or_else(|error| panic!("{sql}: {error}"));
}

/// The SQL of the trigger `name`, to put it back exactly after an edit.
fn trigger_sql(database: &Path, name: &str) -> String {
    Connection::open(database)
        .unwrap()
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?1",
            [name],
            |row| row.get(0),
        )
        .unwrap()
}

#[test]
fn an_honest_workspace_verifies_and_prints_its_heads() {
    let dir = tempfile::tempdir().unwrap();
    let (workspace, path) = recorded_steps(dir.path());
    let report = workspace.verify_trail(None).unwrap();
    assert_eq!(report.first_problem(), None);
    assert_eq!(report.chains.len(), 1);
    let chain = &report.chains[0];
    assert_eq!((chain.revisions, chain.entries), (5, 1));
    assert!(chain.head.starts_with("sha256:"), "{}", chain.head);
    drop(workspace);
    let output = cli(dir.path(), &["audit", "--verify"]);
    assert_eq!(output.status.code(), Some(0), "{}", err(&output));
    assert_eq!(
        out(&output),
        format!(
            "ok      {}: 5 revisions, 1 audit entry, head {}\n",
            bartizan::store::workspace::model_key(&path).display(),
            chain.head
        )
    );
}

#[test]
fn tampering_with_the_history_breaks_the_chain_at_the_first_changed_link() {
    let edit_entry = "UPDATE audit_log SET justification = 'Nobody minds.' WHERE id = 1";
    let cases: Vec<(&str, String, &str, &str)> = vec![
        (
            "a trigger dropped, then an entry edited",
            format!("DROP TRIGGER audit_log_no_update; {edit_entry};"),
            "audit entry #1 (revision 4)",
            "the entry does not match its link",
        ),
        (
            "an entry edited and the trigger put back as it was",
            format!(
                "DROP TRIGGER audit_log_no_update; {edit_entry}; {};",
                "{audit_log_no_update}"
            ),
            "audit entry #1 (revision 4)",
            "the entry does not match its link",
        ),
        (
            "an entry deleted",
            "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 1;".into(),
            "revision 5",
            "the revision does not match its link",
        ),
        (
            "a backdated entry inserted",
            "INSERT INTO audit_log (model_id, revision, fingerprint, rule, old_status, \
             new_status, justification, decided_by, decided_at, recorded_at, recorded_by) \
             VALUES (1, 2, 'BTZ-IDN-001:666f264ed340d859', 'BTZ-IDN-001', NULL, \
             'false_positive', 'Reviewed.', 'risk-board', '2026-11-01', 1001, 'ana');"
                .into(),
            "audit entry #2 (revision 2)",
            "the entry refers to revision 2 but comes after revision 4: it was added later",
        ),
        (
            "a revision edited",
            "DROP TRIGGER revisions_no_update; \
             UPDATE revisions SET author = 'mallory' WHERE number = 2;"
                .into(),
            "revision 2",
            "the revision does not match its link",
        ),
        (
            "a revision's findings replaced",
            "DROP TRIGGER revisions_no_update; \
             UPDATE revisions SET findings = (SELECT findings FROM revisions WHERE number = 1) \
             WHERE number = 3; {revisions_no_update};"
                .into(),
            "",
            "its risks do not match their hash",
        ),
        (
            "the last revision deleted",
            "DROP TRIGGER revisions_no_delete; DELETE FROM revisions WHERE number = 5;".into(),
            "the head",
            "the model's head records 5 revisions and 1 entries",
        ),
        (
            "a revision deleted from the middle",
            "DROP TRIGGER revisions_no_delete; PRAGMA foreign_keys = OFF; \
             DELETE FROM revisions WHERE number = 2;"
                .into(),
            "revision 2",
            "revision 2 is missing (the next one recorded is 3)",
        ),
        (
            "the audit log dropped",
            "DROP TABLE audit_log;".into(),
            "",
            "workspace: the table `audit_log` is missing",
        ),
    ];
    for (case, sql, link, detail) in cases {
        let dir = tempfile::tempdir().unwrap();
        let (workspace, path) = recorded_steps(dir.path());
        drop(workspace);
        let database = dir.path().join("ws.sqlite3");
        let sql = sql
            .replace(
                "{audit_log_no_update}",
                &trigger_sql(&database, "audit_log_no_update"),
            )
            .replace(
                "{revisions_no_update}",
                &trigger_sql(&database, "revisions_no_update"),
            );
        tamper(&database, &sql);
        let key = bartizan::store::workspace::model_key(&path)
            .display()
            .to_string();

        let output = cli(dir.path(), &["audit", "--verify"]);
        assert_eq!(output.status.code(), Some(1), "{case}: {}", out(&output));
        let report = out(&output);
        let expected = if link.is_empty() {
            detail.to_owned()
        } else {
            format!("BROKEN  {key} at {link}: {detail}")
        };
        assert!(report.contains(&expected), "{case}: {expected}\n{report}");
        if case == "an entry deleted" {
            assert!(
                report.contains(
                    "BROKEN  workspace: audit entry #1 is missing: entries are numbered \
                     without gaps, and of #1 to #1 only 0 remain"
                ),
                "{report}"
            );
        }
        assert!(
            err(&output).contains("has been tampered with or damaged"),
            "{case}: {}",
            err(&output)
        );

        // Nothing that reads the history shows it as genuine. (A findings blob that no
        // longer matches its hash is read only by `diff`: the rest is intact.)
        let model = "customer-support.bartizan.yaml";
        let readers: &[&[&str]] = if case == "a revision's findings replaced" {
            &[&["diff", model, "--from", "2", "--to", "3"]]
        } else {
            &[
                &["audit"],
                &["audit", model],
                &["history", model],
                &["diff", model],
                &["report", model, "--pdf", "report.pdf"],
                &["record", model],
            ]
        };
        for args in readers {
            let output = cli(dir.path(), args);
            assert_eq!(
                output.status.code(),
                Some(3),
                "{case}: {args:?}: {}",
                out(&output)
            );
            let message = err(&output);
            assert!(
                message.contains("has been tampered with or damaged")
                    || message.contains("is damaged"),
                "{case}: {args:?}: {message}"
            );
        }
        assert!(!dir.path().join("report.pdf").exists(), "{case}");
    }
}

#[test]
fn opening_notices_a_trigger_that_is_missing_changed_or_added() {
    for sql in [
        "DROP TRIGGER revisions_no_delete;",
        "DROP TRIGGER models_no_delete; CREATE TRIGGER models_no_delete BEFORE DELETE ON models \
         BEGIN SELECT 1; END;",
        "CREATE TRIGGER audit_log_rewrite AFTER INSERT ON audit_log BEGIN SELECT 1; END;",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let (workspace, path) = recorded_steps(dir.path());
        drop(workspace);
        let database = dir.path().join("ws.sqlite3");
        tamper(&database, sql);
        for workspace in [
            Workspace::open(&database).unwrap(),
            Workspace::open_read_only(&database).unwrap(),
        ] {
            let error = workspace.history(&path).unwrap_err();
            assert!(
                matches!(error, WorkspaceError::Tampered { .. }),
                "{sql}: {error}"
            );
            let problems = workspace.verify_trail(None).unwrap().schema_problems;
            assert_eq!(problems.len(), 1, "{sql}: {problems:?}");
        }
    }
}

/// Runs `bartizan ARGS` in `dir` as a user who may read but not write there: as `nobody`
/// through `setpriv` when the tests run as root (who may write anywhere), else as ourselves.
#[cfg(unix)]
fn bartizan_without_write_access(dir: &Path, args: &[&str]) -> Output {
    let root = Command::new("id").arg("-u").output().unwrap().stdout == b"0\n";
    let mut command = if root {
        let mut command = Command::new("setpriv");
        command.args(["--reuid=65534", "--regid=65534", "--clear-groups"]);
        command.arg(env!("CARGO_BIN_EXE_bartizan"));
        command
    } else {
        Command::new(env!("CARGO_BIN_EXE_bartizan"))
    };
    command.current_dir(dir).args(args).output().unwrap()
}

#[cfg(unix)]
#[test]
fn a_workspace_in_a_directory_the_reader_cannot_write_is_read_as_it_is() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let shelf = dir.path().join("shelf");
    std::fs::create_dir(&shelf).unwrap();
    let (workspace, path) = recorded_steps(&shelf);
    drop(workspace); // the last connection: the WAL is checkpointed and removed
    let database = shelf.join("ws.sqlite3");
    assert!(!shelf.join("ws.sqlite3-shm").exists());
    std::fs::set_permissions(&database, std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::set_permissions(&shelf, std::fs::Permissions::from_mode(0o555)).unwrap();
    let original = std::fs::read(&database).unwrap();

    let model = path.to_str().unwrap();
    let output =
        bartizan_without_write_access(&shelf, &["history", model, "--workspace", "ws.sqlite3"]);
    assert_eq!(output.status.code(), Some(0), "{}", err(&output));
    assert!(out(&output).contains("(5 revisions)"), "{}", out(&output));
    let output =
        bartizan_without_write_access(&shelf, &["audit", "--verify", "--workspace", "ws.sqlite3"]);
    assert_eq!(output.status.code(), Some(0), "{}", err(&output));
    assert!(out(&output).starts_with("ok  "), "{}", out(&output));

    std::fs::set_permissions(&shelf, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(std::fs::read(&database).unwrap(), original);
}
