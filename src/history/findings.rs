//! Findings across revisions, matched by fingerprint: added, resolved, and changed (same
//! fingerprint, different severity, triage status or justification, or title).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::findings::{Finding, Severity};
use crate::model::TriageStatus;

/// What the workspace keeps of a finding at a revision: enough to list it and to tell whether
/// it changed, not its path or evidence (those come back by checking the revision's text).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingRecord {
    pub fingerprint: String,
    pub rule: String,
    pub severity: Severity,
    pub status: TriageStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
    pub title: String,
    pub subjects: Vec<String>,
}

impl From<&Finding> for FindingRecord {
    fn from(finding: &Finding) -> Self {
        FindingRecord {
            fingerprint: finding.fingerprint.clone(),
            rule: finding.rule.to_owned(),
            severity: finding.severity,
            status: finding.status(),
            justification: finding
                .triage
                .as_ref()
                .and_then(|t| t.justification.clone()),
            title: finding.title.clone(),
            subjects: finding.subjects.clone(),
        }
    }
}

/// A finding present on both sides whose severity, triage or title differs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FindingChange {
    /// What differs, among `severity`, `status`, `justification` and `title`.
    pub fields: Vec<&'static str>,
    pub before: FindingRecord,
    pub after: FindingRecord,
}

/// How the findings of one revision differ from another's.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FindingsDiff {
    /// On the newer side only, in report order.
    pub added: Vec<FindingRecord>,
    /// On the older side only, in its report order.
    pub resolved: Vec<FindingRecord>,
    /// On both sides, different, in the newer side's report order.
    pub changed: Vec<FindingChange>,
}

/// The size of a [`FindingsDiff`], kept with each revision.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FindingsDelta {
    pub added: u32,
    pub resolved: u32,
    pub changed: u32,
}

impl FindingsDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.resolved.is_empty() && self.changed.is_empty()
    }

    pub fn delta(&self) -> FindingsDelta {
        FindingsDelta {
            added: self.added.len() as u32,
            resolved: self.resolved.len() as u32,
            changed: self.changed.len() as u32,
        }
    }
}

/// Compares two finding lists by fingerprint.
pub fn diff_findings(before: &[FindingRecord], after: &[FindingRecord]) -> FindingsDiff {
    let old: HashMap<&str, &FindingRecord> =
        before.iter().map(|f| (f.fingerprint.as_str(), f)).collect();
    let new: HashMap<&str, &FindingRecord> =
        after.iter().map(|f| (f.fingerprint.as_str(), f)).collect();
    let mut diff = FindingsDiff::default();
    for finding in after {
        match old.get(finding.fingerprint.as_str()) {
            None => diff.added.push(finding.clone()),
            Some(previous) => {
                let fields = changed_fields(previous, finding);
                if !fields.is_empty() {
                    diff.changed.push(FindingChange {
                        fields,
                        before: (*previous).clone(),
                        after: finding.clone(),
                    });
                }
            }
        }
    }
    diff.resolved = before
        .iter()
        .filter(|f| !new.contains_key(f.fingerprint.as_str()))
        .cloned()
        .collect();
    diff
}

fn changed_fields(before: &FindingRecord, after: &FindingRecord) -> Vec<&'static str> {
    let mut fields = Vec::new();
    if before.severity != after.severity {
        fields.push("severity");
    }
    if before.status != after.status {
        fields.push("status");
    }
    if before.justification != after.justification {
        fields.push("justification");
    }
    if before.title != after.title {
        fields.push("title");
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(fingerprint: &str, severity: Severity) -> FindingRecord {
        FindingRecord {
            fingerprint: fingerprint.into(),
            rule: "BTZ-X-001".into(),
            severity,
            status: TriageStatus::Open,
            justification: None,
            title: format!("finding {fingerprint}"),
            subjects: vec!["a".into()],
        }
    }

    #[test]
    fn matches_findings_by_fingerprint() {
        let before = vec![
            record("a", Severity::High),
            record("b", Severity::Low),
            record("c", Severity::Medium),
        ];
        let mut triaged = record("c", Severity::Medium);
        triaged.status = TriageStatus::Accepted;
        triaged.justification = Some("limits".into());
        let after = vec![
            record("d", Severity::Critical),
            record("a", Severity::Critical),
            triaged,
        ];
        let diff = diff_findings(&before, &after);
        let ids = |records: &[FindingRecord]| -> Vec<String> {
            records.iter().map(|r| r.fingerprint.clone()).collect()
        };
        assert_eq!(ids(&diff.added), ["d"]);
        assert_eq!(ids(&diff.resolved), ["b"]);
        assert_eq!(diff.changed.len(), 2);
        assert_eq!(diff.changed[0].before.fingerprint, "a");
        assert_eq!(diff.changed[0].fields, ["severity"]);
        assert_eq!(diff.changed[1].fields, ["status", "justification"]);
        assert_eq!(
            diff.delta(),
            FindingsDelta {
                added: 1,
                resolved: 1,
                changed: 2
            }
        );
        assert!(diff_findings(&after, &after).is_empty());
    }
}
