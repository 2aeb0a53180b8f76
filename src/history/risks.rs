//! Risks across revisions, matched by fingerprint: added, resolved, and changed (same
//! fingerprint, different severity, triage status or justification, or title).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::findings::Severity;
use crate::model::TriageStatus;
use crate::risks::Risk;

/// What the workspace keeps of a risk at a revision: enough to list it and to tell whether it
/// changed, not its facets or paths (those come back by checking the revision's text).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskRecord {
    pub fingerprint: String,
    /// The risk's kind as the JSON report names it: `ungated_actions`, `credential`…
    pub kind: String,
    /// The node the risk is placed at.
    pub place: String,
    pub title: String,
    pub severity: Severity,
    pub status: TriageStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
}

impl From<&Risk> for RiskRecord {
    fn from(risk: &Risk) -> Self {
        RiskRecord {
            fingerprint: risk.fingerprint.clone(),
            kind: serde_json::to_value(risk.kind)
                .ok()
                .and_then(|kind| kind.as_str().map(str::to_owned))
                .expect("a risk kind serialises as its name"),
            place: risk.place.clone(),
            title: risk.title.clone(),
            severity: risk.severity,
            status: risk.status(),
            justification: risk.triage.as_ref().and_then(|t| t.justification.clone()),
        }
    }
}

/// A risk present on both sides whose severity, triage or title differs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RiskChange {
    /// What differs, among `severity`, `status`, `justification` and `title`.
    pub fields: Vec<&'static str>,
    pub before: RiskRecord,
    pub after: RiskRecord,
}

/// How the risks of one revision differ from another's.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RisksDiff {
    /// On the newer side only, in report order.
    pub added: Vec<RiskRecord>,
    /// On the older side only, in its report order.
    pub resolved: Vec<RiskRecord>,
    /// On both sides, different, in the newer side's report order.
    pub changed: Vec<RiskChange>,
}

/// The size of a [`RisksDiff`], kept with each revision.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RisksDelta {
    pub added: u32,
    pub resolved: u32,
    pub changed: u32,
}

impl RisksDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.resolved.is_empty() && self.changed.is_empty()
    }

    pub fn delta(&self) -> RisksDelta {
        RisksDelta {
            added: self.added.len() as u32,
            resolved: self.resolved.len() as u32,
            changed: self.changed.len() as u32,
        }
    }
}

/// Compares two risk lists by fingerprint.
pub fn diff_risks(before: &[RiskRecord], after: &[RiskRecord]) -> RisksDiff {
    let old: HashMap<&str, &RiskRecord> =
        before.iter().map(|r| (r.fingerprint.as_str(), r)).collect();
    let new: HashMap<&str, &RiskRecord> =
        after.iter().map(|r| (r.fingerprint.as_str(), r)).collect();
    let mut diff = RisksDiff::default();
    for risk in after {
        match old.get(risk.fingerprint.as_str()) {
            None => diff.added.push(risk.clone()),
            Some(previous) => {
                let fields = changed_fields(previous, risk);
                if !fields.is_empty() {
                    diff.changed.push(RiskChange {
                        fields,
                        before: (*previous).clone(),
                        after: risk.clone(),
                    });
                }
            }
        }
    }
    diff.resolved = before
        .iter()
        .filter(|r| !new.contains_key(r.fingerprint.as_str()))
        .cloned()
        .collect();
    diff
}

fn changed_fields(before: &RiskRecord, after: &RiskRecord) -> Vec<&'static str> {
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

    fn record(fingerprint: &str, severity: Severity) -> RiskRecord {
        RiskRecord {
            fingerprint: fingerprint.into(),
            kind: "credential".into(),
            place: "key".into(),
            title: format!("risk {fingerprint}"),
            severity,
            status: TriageStatus::Open,
            justification: None,
        }
    }

    #[test]
    fn matches_risks_by_fingerprint() {
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
        let diff = diff_risks(&before, &after);
        let ids = |records: &[RiskRecord]| -> Vec<String> {
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
            RisksDelta {
                added: 1,
                resolved: 1,
                changed: 2
            }
        );
        assert!(diff_risks(&after, &after).is_empty());
    }
}
