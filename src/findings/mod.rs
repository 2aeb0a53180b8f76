//! Findings: what a check reports, with its evidence (subjects and a witness path with a
//! reason per hop), its computed severity and the factors behind it, and a fingerprint that
//! survives re-runs, reordering and unrelated edits.

mod triage;

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use triage::{
    BASELINE_VERSION, Baseline, MovedDecisions, StaleDecision, TriageOutcome, apply_decisions,
    move_onto_risks,
};

use crate::model::{Relation, TriageStatus};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: &'static [Severity] = &[
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// Moves the severity by `steps` levels, staying within low..=critical.
    pub fn adjusted(self, steps: i32) -> Severity {
        let levels = [
            Severity::Low,
            Severity::Medium,
            Severity::High,
            Severity::Critical,
        ];
        let current = levels.iter().position(|&s| s == self).unwrap_or(0) as i32;
        levels[(current + steps).clamp(0, levels.len() as i32 - 1) as usize]
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One node on a witness path, and how the path got there from the previous node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Step {
    pub node: String,
    /// Absent on the first step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hop: Option<Hop>,
    /// How many nodes of a long path were left out just before this step (its hop comes
    /// from the last of them): a path shows its first [`PATH_HEAD`] and last [`PATH_TAIL`]
    /// steps, so that a deep chain of delegation costs a few steps per finding, not its depth.
    #[serde(skip_serializing_if = "is_zero")]
    pub elided: usize,
}

/// The steps a long path keeps from its start…
pub const PATH_HEAD: usize = 4;
/// …and from its end.
pub const PATH_TAIL: usize = 6;

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The edge taken into a step: `relation` read from the previous node to this one, or, when
/// `reversed`, from this node to the previous one ("is held by").
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Hop {
    pub edge: String,
    pub relation: Relation,
    pub reversed: bool,
    /// Why the hop is possible, in a few words: "holds", "grants read, write".
    pub reason: String,
}

/// Why a finding's severity differs from its rule's default.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Factor {
    /// `data_sensitivity`, `action_impact`, `untrusted_exposure`, `autonomy` or
    /// `content_filter`.
    pub kind: FactorKind,
    /// +1 raises the severity one level, −1 lowers it.
    pub effect: i8,
    pub detail: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FactorKind {
    DataSensitivity,
    ActionImpact,
    UntrustedExposure,
    Autonomy,
    /// Untrusted content passes a content filter on the way: lowers an injection finding.
    ContentFilter,
}

impl FactorKind {
    pub fn label(self) -> &'static str {
        match self {
            FactorKind::DataSensitivity => "data sensitivity",
            FactorKind::ActionImpact => "action impact",
            FactorKind::UntrustedExposure => "untrusted exposure",
            FactorKind::Autonomy => "autonomy",
            FactorKind::ContentFilter => "content filter",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    /// What is wrong here, naming the nodes: the finding's one-line summary.
    pub title: String,
    /// The nodes (or edges) the finding is about, the main one first. The fingerprint is
    /// made from these.
    pub subjects: Vec<String>,
    /// Where the missing control belongs: the node whose calls, credential or tools the fix
    /// changes. Findings of one risk kind at one place are one risk (`crate::risks`).
    pub place: String,
    /// The shortest witness path, from where the risk starts to where it lands.
    pub path: Vec<Step>,
    /// How many other shortest paths lead to the same place.
    pub other_paths: u64,
    /// Further facts that support the finding ("grants admin, which no holder uses").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    pub default_severity: Severity,
    pub severity: Severity,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub factors: Vec<Factor>,
    /// Properties the check read although the model does not state them, and how it read
    /// them. A decisive one means the finding holds only under that reading: it is asked as a
    /// question, never reported as a risk.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub assumptions: Vec<Assumption>,
    /// Why the finding meets the bar for critical (docs/severity.md): a path from untrusted
    /// content or a person's approval to a high-impact action through a standing credential or
    /// past no policy gate. Without it a finding is at most high.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub critical: Option<String>,
    pub fingerprint: String,
    /// The triage decision recorded for this finding, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub triage: Option<AppliedTriage>,
    /// Whether the finding is in the baseline given to `check --baseline`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub baselined: bool,
}

/// A property a check read although the model leaves it unstated.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Assumption {
    /// The node or edge whose property is unstated.
    pub element: String,
    /// The property, as written in the model file (`lifetime`, `permissions`).
    pub property: &'static str,
    /// How the check read it: "standing", "every action".
    pub reading: &'static str,
    /// Whether the finding holds only because of this reading.
    pub decisive: bool,
}

impl Finding {
    /// Whether the finding holds on what the model states, without a decisive assumption.
    pub fn is_stated(&self) -> bool {
        !self.assumptions.iter().any(|a| a.decisive)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AppliedTriage {
    pub status: TriageStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

impl Finding {
    /// The triage status, `open` when nobody decided.
    pub fn status(&self) -> TriageStatus {
        self.triage
            .as_ref()
            .map_or(TriageStatus::Open, |t| t.status)
    }

    /// Whether the finding still needs action: open and not in the baseline.
    pub fn is_actionable(&self) -> bool {
        self.status() == TriageStatus::Open && !self.baselined
    }

    /// The ids on the witness path, in order.
    pub fn path_ids(&self) -> Vec<&str> {
        self.path.iter().map(|step| step.node.as_str()).collect()
    }
}

const HEX: [char; 16] = [
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f',
];

/// `BTZ-CRD-001:` followed by 16 hex digits of SHA-256 over the rule id and the subjects.
/// Subjects are ids typed by the user, so renaming an unrelated node, reordering the file or
/// adding an edge elsewhere leaves it unchanged.
pub fn fingerprint(rule: &str, subjects: &[String]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(rule.as_bytes());
    for subject in subjects {
        hasher.update([0u8]);
        hasher.update(subject.as_bytes());
    }
    let digest = hasher.finalize();
    let mut fingerprint = String::with_capacity(rule.len() + 17);
    fingerprint.push_str(rule);
    fingerprint.push(':');
    for byte in &digest[..8] {
        fingerprint.push(HEX[usize::from(byte >> 4)]);
        fingerprint.push(HEX[usize::from(byte & 0xf)]);
    }
    fingerprint
}

/// The deterministic report order: severity (highest first), rule, subjects.
pub fn sort(findings: &mut [Finding]) {
    sort_large_by(findings, |a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.rule.cmp(b.rule))
            .then_with(|| a.subjects.cmp(&b.subjects))
    });
}

/// A stable sort of large values that moves each at most once: a merge sort of the values
/// themselves copies every one of them at each of its log n passes, which on a large model's
/// hundreds of thousands of findings was more memory traffic than making them.
pub(crate) fn sort_large_by<T>(items: &mut [T], compare: impl Fn(&T, &T) -> std::cmp::Ordering) {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| compare(&items[a], &items[b]));
    // `order[i]` is the index of the item that belongs at `i`: follow each cycle of the
    // permutation, swapping every item into place once.
    for start in 0..order.len() {
        let mut at = start;
        while order[at] != start {
            let next = order[at];
            items.swap(at, next);
            order[at] = at;
            at = next;
        }
        order[at] = at;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_depend_on_rule_and_subjects_only() {
        let a = fingerprint("BTZ-CRD-001", &["key".into()]);
        assert_eq!(a, fingerprint("BTZ-CRD-001", &["key".into()]));
        assert_ne!(a, fingerprint("BTZ-CRD-002", &["key".into()]));
        assert_ne!(
            fingerprint("R", &["ab".into(), "c".into()]),
            fingerprint("R", &["a".into(), "bc".into()])
        );
        assert!(a.starts_with("BTZ-CRD-001:") && a.len() == "BTZ-CRD-001:".len() + 16);
    }

    #[test]
    fn factors_move_a_finding_one_level_and_critical_needs_two() {
        use crate::rules::severity_with;
        assert_eq!(severity_with(Severity::Medium, 3), Severity::High);
        assert_eq!(severity_with(Severity::High, 1), Severity::High);
        assert_eq!(severity_with(Severity::High, 2), Severity::Critical);
        assert_eq!(severity_with(Severity::Critical, -1), Severity::High);
        assert_eq!(severity_with(Severity::Low, -2), Severity::Low);
        assert_eq!(severity_with(Severity::Info, 2), Severity::Info);
    }

    #[test]
    fn sorting_large_values_is_stable_and_puts_each_in_place() {
        for length in 0..40usize {
            // Repeated keys in a scrambled order: the sort must keep equal keys in order.
            let items: Vec<(usize, usize)> = (0..length).map(|i| ((i * 7 + 3) % 5, i)).collect();
            let mut sorted = items.clone();
            sort_large_by(&mut sorted, |a, b| a.0.cmp(&b.0));
            let mut expected = items;
            expected.sort_by_key(|item| item.0);
            assert_eq!(sorted, expected);
        }
    }

    #[test]
    fn severity_adjusts_within_bounds() {
        assert_eq!(Severity::High.adjusted(1), Severity::Critical);
        assert_eq!(Severity::High.adjusted(5), Severity::Critical);
        assert_eq!(Severity::Medium.adjusted(-1), Severity::Low);
        assert_eq!(Severity::Low.adjusted(-3), Severity::Low);
    }
}
