//! What every section needs to know about the run: the findings in report order with their
//! labels (`F-01`), node names by id, and the tallies the summary and the matrices share.

use rustc_hash::FxHashMap;

use super::PdfOptions;
use crate::findings::Finding;
use crate::report::CheckRun;
use crate::rules::{self, Rule};

pub struct Report<'r> {
    pub run: &'r CheckRun<'r>,
    pub options: &'r PdfOptions,
    /// `F-01`, `F-02`, … in the order of `run.findings` (severity first), padded so that
    /// labels sort as they read.
    labels: Vec<String>,
    /// Finding index by fingerprint, for what refers to findings that way (triage).
    by_fingerprint: FxHashMap<&'r str, usize>,
    names: FxHashMap<&'r str, &'r str>,
}

impl<'r> Report<'r> {
    pub fn new(run: &'r CheckRun<'r>, options: &'r PdfOptions) -> Report<'r> {
        let digits = run.findings.len().to_string().len().max(2);
        let labels = (1..=run.findings.len())
            .map(|n| format!("F-{n:0digits$}"))
            .collect();
        let mut names: FxHashMap<&str, &str> = FxHashMap::default();
        for node in &run.model.nodes {
            names.insert(&node.id, &node.name);
        }
        for boundary in &run.model.boundaries {
            names.insert(&boundary.id, &boundary.name);
        }
        let by_fingerprint = run
            .findings
            .iter()
            .enumerate()
            .map(|(index, finding)| (finding.fingerprint.as_str(), index))
            .collect();
        Report {
            run,
            options,
            labels,
            by_fingerprint,
            names,
        }
    }

    pub fn findings(&self) -> impl Iterator<Item = (&str, &'r Finding)> {
        self.labels
            .iter()
            .map(String::as_str)
            .zip(&self.run.findings)
    }

    pub fn label(&self, index: usize) -> &str {
        &self.labels[index]
    }

    /// The label of the finding with `fingerprint`, or "no longer found" when this run has no
    /// such finding (a stale decision).
    pub fn label_of(&self, fingerprint: &str) -> &str {
        self.by_fingerprint
            .get(fingerprint)
            .map_or("no longer found", |&index| self.label(index))
    }

    /// `Support agent (support-agent)`, or the bare id when the name is the id.
    pub fn named(&self, id: &str) -> String {
        match self.names.get(id) {
            Some(name) if *name != id => format!("{name} ({id})"),
            _ => id.to_owned(),
        }
    }

    /// The checks that ran: the whole catalog, in id order.
    pub fn rules(&self) -> &'static [&'static Rule] {
        rules::ALL
    }

    pub fn rule(&self, finding: &Finding) -> &'static Rule {
        self.run.rule(finding)
    }

    /// Finding indices per rule id.
    pub fn findings_by_rule(&self) -> FxHashMap<&'static str, Vec<usize>> {
        let mut by_rule: FxHashMap<&'static str, Vec<usize>> = FxHashMap::default();
        for (index, finding) in self.run.findings.iter().enumerate() {
            by_rule.entry(finding.rule).or_default().push(index);
        }
        by_rule
    }
}
