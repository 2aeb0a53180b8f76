//! Rendering a check run for people and machines: text (terminal), JSON (versioned schema,
//! `docs/findings-json.md`), SARIF 2.1.0, CSV, Markdown and the PDF report (`pdf`). Every rule fact comes from the
//! rule's metadata; every finding fact from the finding. `history` and `audit` render what
//! the workspace remembers: a model's revisions, the changes between two, the audit log.

mod audit;
mod csv;
mod history;
mod json;
mod markdown;
pub mod pdf;
mod sarif;
mod text;

use std::collections::{BTreeMap, HashMap};

use sha2::{Digest, Sha256};

pub use audit::{AUDIT_JSON_VERSION, AuditFormat, render_audit, status_text as audit_status_text};
pub use history::{HISTORY_JSON_VERSION, HistoryFormat, render_diff, render_history};
pub use json::JSON_SCHEMA_VERSION;

use crate::diagnostic::Location;
use crate::findings::{Baseline, Finding, Severity, StaleDecision, Step};
use crate::model::{Model, TriageStatus};
use crate::risks::{Assessment, Question, Risk};
use crate::rules::{self, Rule};

/// Everything an output needs about one run of the checks on one model.
pub struct CheckRun<'a> {
    pub model: &'a Model,
    /// The model file as the user named it.
    pub model_path: String,
    /// `sha256:` of the model file's bytes.
    pub content_hash: String,
    /// The risks in report order, with triage and the baseline applied.
    pub risks: Vec<Risk>,
    /// Open questions about unstated properties, in the order of the file.
    pub questions: Vec<Question>,
    pub stale: Vec<StaleDecision>,
    /// Where each node, edge and boundary id is defined in the model file.
    pub locations: HashMap<String, Location>,
    /// Whether findings were compared with a baseline (`baselined` is meaningful).
    pub baseline_in_use: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Csv,
    Markdown,
}

impl<'a> CheckRun<'a> {
    /// Assesses a validated model, applies its triage decisions to the risks and, when
    /// given, the baseline.
    pub fn new(
        model: &'a Model,
        model_path: String,
        content_hash: String,
        locations: HashMap<String, Location>,
        baseline: Option<&Baseline>,
    ) -> Self {
        let graph = crate::graph::ModelGraph::new(model);
        let Assessment {
            mut risks,
            questions,
        } = crate::risks::assess(&graph);
        let triage = crate::risks::apply_triage(&mut risks, &model.triage);
        if let Some(baseline) = baseline {
            for risk in &mut risks {
                risk.baselined = baseline.fingerprints.contains(&risk.fingerprint);
            }
        }
        CheckRun {
            model,
            model_path,
            content_hash,
            locations,
            risks,
            questions,
            stale: triage.stale,
            baseline_in_use: baseline.is_some(),
        }
    }

    pub fn render(&self, format: Format, color: bool) -> String {
        match format {
            Format::Text => text::render(self, color),
            Format::Json => json::render(self),
            Format::Sarif => sarif::render(self),
            Format::Csv => csv::render(self),
            Format::Markdown => markdown::render(self),
        }
    }

    /// The JSON report on one line (the desktop app's analysis).
    pub fn render_compact_json(&self) -> String {
        json::render_compact(self)
    }

    /// Where a finding points: its first subject's definition in the file.
    pub fn location(&self, finding: &Finding) -> Option<Location> {
        finding
            .subjects
            .iter()
            .find_map(|id| self.locations.get(id).copied())
    }

    /// Where a risk points: the definition of its place, where the missing control belongs.
    pub fn place_location(&self, risk: &Risk) -> Option<Location> {
        self.locations.get(&risk.place).copied()
    }

    /// Where a question points: the node or edge whose property it asks about.
    pub fn question_location(&self, question: &Question) -> Option<Location> {
        self.locations.get(&question.element).copied()
    }

    pub fn rule(&self, finding: &Finding) -> &'static Rule {
        rules::by_id(finding.rule).expect("findings come from catalogued rules")
    }

    /// Risks per severity; every total a report shows comes from here or from `risks.len()`.
    pub fn count_by_severity(&self) -> BTreeMap<Severity, usize> {
        let mut counts = BTreeMap::new();
        for risk in &self.risks {
            *counts.entry(risk.severity).or_insert(0) += 1;
        }
        counts
    }

    /// Risks per triage status.
    pub fn count_by_status(&self) -> BTreeMap<&'static str, usize> {
        let mut counts = BTreeMap::new();
        for risk in &self.risks {
            *counts.entry(risk.status().as_str()).or_insert(0) += 1;
        }
        counts
    }

    /// The risks still open (not triaged away, not in the baseline).
    pub fn actionable(&self) -> impl Iterator<Item = &Risk> {
        self.risks.iter().filter(|r| r.is_actionable())
    }

    /// A node's name as drawn, or its id when it has none.
    pub fn name_of<'s>(&'s self, id: &'s str) -> &'s str {
        self.model
            .nodes
            .iter()
            .find(|n| n.id == id)
            .map(|n| n.name.as_str())
            .filter(|name| !name.is_empty())
            .unwrap_or(id)
    }

    /// A path on one line in the names people drew: `AP clerk ─approves→ AP agent`.
    pub fn path_line(&self, path: &[Step]) -> String {
        join_path(path, |id| self.name_of(id))
    }
}

/// A path on one line in ids: `ap-clerk ─approves→ ap-agent`.
pub fn path_line(path: &[Step]) -> String {
    join_path(path, |id| id)
}

fn join_path<'p>(path: &'p [Step], name: impl Fn(&'p str) -> &'p str) -> String {
    let mut line = String::new();
    for step in path {
        if step.elided > 0 {
            line.push_str(&format!(" … {} more …", plural_steps(step.elided)));
        }
        if let Some(hop) = &step.hop {
            line.push_str(&format!(" ─{}→ ", hop.reason));
        }
        line.push_str(name(&step.node));
    }
    line
}

/// "1 step", "12 steps": what a long path leaves out.
pub fn plural_steps(n: usize) -> String {
    if n == 1 {
        "1 step".to_owned()
    } else {
        format!("{n} steps")
    }
}

/// A risk's framework references as cited ids, each once (MAESTRO threats of one layer share
/// the layer's id).
pub fn reference_ids(risk: &Risk) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for reference in &risk.references {
        let id = reference.id();
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

/// `sha256:<hex>` of a file's bytes, the model's content hash in reports.
pub fn content_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// "open", "accepted", … for tables.
pub fn status_label(status: TriageStatus) -> &'static str {
    status.as_str()
}
