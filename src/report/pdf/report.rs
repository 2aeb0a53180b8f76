//! What every section needs to know about the run: the risks in report order with their
//! labels (`R-01`), node names by id, the tallies the cover, the summary and the matrices
//! share (all counted over risks, so they agree), and the fix plan when one was computed.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::PdfOptions;
use crate::findings::Severity;
use crate::frameworks::{ENTRIES, Framework, MAESTRO_CROSS_LAYER, MAESTRO_THREATS, Reference};
use crate::report::CheckRun;
use crate::risks::Risk;
use crate::rules::{self, Rule};

/// One step of the fix plan as the summary prints it: the control applied, and the risks
/// that re-running the checks on the model with it no longer found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanStep {
    /// The control, in the names people drew ("Route Payment agent's calls through a policy
    /// gateway").
    pub title: String,
    /// The titles of the risks the step closes.
    pub closes: Vec<String>,
}

pub struct Report<'r> {
    pub run: &'r CheckRun<'r>,
    pub options: &'r PdfOptions,
    /// The fix plan, when one was computed for this run; the summary prints it.
    pub plan: Option<Vec<PlanStep>>,
    /// `R-01`, `R-02`, … in the order of `run.risks` (severity first), padded so that labels
    /// sort as they read.
    labels: Vec<String>,
    /// Risk index by fingerprint, for what refers to risks that way (triage).
    by_fingerprint: FxHashMap<&'r str, usize>,
    names: FxHashMap<&'r str, &'r str>,
}

impl<'r> Report<'r> {
    pub fn new(run: &'r CheckRun<'r>, options: &'r PdfOptions) -> Report<'r> {
        let digits = run.risks.len().to_string().len().max(2);
        let labels = (1..=run.risks.len())
            .map(|n| format!("R-{n:0digits$}"))
            .collect();
        let mut names: FxHashMap<&str, &str> = FxHashMap::default();
        for node in &run.model.nodes {
            names.insert(&node.id, &node.name);
        }
        for boundary in &run.model.boundaries {
            names.insert(&boundary.id, &boundary.name);
        }
        let by_fingerprint = run
            .risks
            .iter()
            .enumerate()
            .map(|(index, risk)| (risk.fingerprint.as_str(), index))
            .collect();
        Report {
            run,
            options,
            plan: None,
            labels,
            by_fingerprint,
            names,
        }
    }

    /// The same report, with the fix plan the summary prints.
    pub fn with_plan(self, plan: Vec<PlanStep>) -> Report<'r> {
        Report {
            plan: Some(plan),
            ..self
        }
    }

    pub fn risks(&self) -> impl Iterator<Item = (&str, &'r Risk)> {
        self.labels.iter().map(String::as_str).zip(&self.run.risks)
    }

    pub fn label(&self, index: usize) -> &str {
        &self.labels[index]
    }

    /// The label of the risk with `fingerprint`, or "no longer found" when this run has no
    /// such risk (a stale decision).
    pub fn label_of(&self, fingerprint: &str) -> &str {
        self.by_fingerprint
            .get(fingerprint)
            .map_or("no longer found", |&index| self.label(index))
    }

    /// `Support agent (support-agent)`, or the bare id when the name is the id.
    pub fn named(&self, id: &str) -> String {
        match self.names.get(id) {
            Some(name) if !name.is_empty() && *name != id => format!("{name} ({id})"),
            _ => id.to_owned(),
        }
    }

    /// The node's name as drawn, or its id when it has none.
    pub fn name<'a>(&'a self, id: &'a str) -> &'a str {
        match self.names.get(id) {
            Some(name) if !name.is_empty() => name,
            _ => id,
        }
    }

    /// A check's text with each `id` of a named element replaced by its name: a report is
    /// read by people who know the names they drew. Other `code` stays marked.
    pub fn in_names(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find('`') {
            out.push_str(&rest[..start]);
            let after = &rest[start + 1..];
            let Some(end) = after.find('`') else {
                out.push('`');
                rest = after;
                continue;
            };
            let id = &after[..end];
            match self.names.get(id) {
                Some(name) if !name.is_empty() => out.push_str(name),
                Some(_) => out.push_str(id),
                None => {
                    out.push('`');
                    out.push_str(id);
                    out.push('`');
                }
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        out
    }

    /// The checks that ran: the whole catalog, in id order.
    pub fn rules(&self) -> &'static [&'static Rule] {
        rules::ALL
    }

    /// Risks per severity: the one tally the cover, the summary and its chart print.
    pub fn count_by_severity(&self) -> BTreeMap<Severity, usize> {
        let mut counts = BTreeMap::new();
        for risk in &self.run.risks {
            *counts.entry(risk.severity).or_insert(0) += 1;
        }
        counts
    }

    /// The risks still open (not triaged away, not in the baseline).
    pub fn open_risks(&self) -> usize {
        self.run.risks.iter().filter(|r| r.is_actionable()).count()
    }

    /// Risk indices per rule id: the risks each check is a facet of, each once.
    pub fn risks_by_rule(&self) -> FxHashMap<&'static str, Vec<usize>> {
        let mut by_rule: FxHashMap<&'static str, Vec<usize>> = FxHashMap::default();
        for (index, risk) in self.run.risks.iter().enumerate() {
            for rule in risk.rules() {
                by_rule.entry(rule).or_default().push(index);
            }
        }
        by_rule
    }
}

/// Where a reference stands in the framework catalog, so that lists of references read in
/// the catalog's order: by framework, then entry (a MAESTRO layer, then its threat; threats
/// across layers last).
pub fn catalogue_order(reference: &Reference) -> (Framework, usize, usize) {
    let entry = |framework: Framework, id: &str| {
        ENTRIES
            .iter()
            .position(|(f, i, _)| *f == framework && *i == id)
            .unwrap_or(usize::MAX)
    };
    match reference {
        Reference::Id(framework, id) => (*framework, entry(*framework, id), 0),
        Reference::MaestroLayer(layer, threat) => {
            let threat = threat.map_or(0, |threat| {
                MAESTRO_THREATS
                    .iter()
                    .find(|(l, _)| l == layer)
                    .and_then(|(_, threats)| threats.iter().position(|t| *t == threat))
                    .map_or(usize::MAX, |index| index + 1)
            });
            (Framework::Maestro, entry(Framework::Maestro, layer), threat)
        }
        Reference::MaestroCrossLayer(threat) => (
            Framework::Maestro,
            usize::MAX,
            MAESTRO_CROSS_LAYER
                .iter()
                .position(|t| t == threat)
                .unwrap_or(usize::MAX),
        ),
    }
}
