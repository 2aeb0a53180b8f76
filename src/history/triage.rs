//! Triage decisions across revisions, by fingerprint: what the audit trail records.

use std::collections::HashMap;

use crate::model::TriageDecision;

/// A decision that appeared (`before` is `None`), changed in any field, or was removed
/// (`after` is `None`).
#[derive(Clone, Debug, PartialEq)]
pub struct TriageChange {
    pub fingerprint: String,
    pub before: Option<TriageDecision>,
    pub after: Option<TriageDecision>,
}

impl TriageChange {
    /// The rule the decision names, on the newer side if it has one.
    pub fn rule(&self) -> Option<&str> {
        self.after
            .as_ref()
            .and_then(|d| d.rule.as_deref())
            .or_else(|| self.before.as_ref().and_then(|d| d.rule.as_deref()))
    }
}

/// The decisions that differ between two revisions: new and changed ones in the newer
/// file's order, then removed ones in the older file's order.
pub fn triage_changes(before: &[TriageDecision], after: &[TriageDecision]) -> Vec<TriageChange> {
    let old: HashMap<&str, &TriageDecision> =
        before.iter().map(|d| (d.fingerprint.as_str(), d)).collect();
    let new: HashMap<&str, &TriageDecision> =
        after.iter().map(|d| (d.fingerprint.as_str(), d)).collect();
    let mut changes: Vec<TriageChange> = after
        .iter()
        .filter(|d| old.get(d.fingerprint.as_str()) != Some(d))
        .map(|d| TriageChange {
            fingerprint: d.fingerprint.clone(),
            before: old.get(d.fingerprint.as_str()).map(|&d| d.clone()),
            after: Some(d.clone()),
        })
        .collect();
    changes.extend(
        before
            .iter()
            .filter(|d| !new.contains_key(d.fingerprint.as_str()))
            .map(|d| TriageChange {
                fingerprint: d.fingerprint.clone(),
                before: Some(d.clone()),
                after: None,
            }),
    );
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TriageStatus;

    fn decision(fingerprint: &str, status: TriageStatus) -> TriageDecision {
        TriageDecision {
            fingerprint: fingerprint.into(),
            rule: Some("BTZ-X-001".into()),
            status,
            justification: None,
            by: None,
            at: None,
        }
    }

    #[test]
    fn new_changed_and_removed_decisions() {
        let before = vec![
            decision("a", TriageStatus::Accepted),
            decision("b", TriageStatus::Mitigated),
            decision("c", TriageStatus::Open),
        ];
        let mut justified = decision("c", TriageStatus::Open);
        justified.justification = Some("looking into it".into());
        let after = vec![
            decision("d", TriageStatus::FalsePositive),
            justified,
            decision("a", TriageStatus::Accepted),
        ];
        let changes = triage_changes(&before, &after);
        let summary: Vec<(&str, Option<TriageStatus>, Option<TriageStatus>)> = changes
            .iter()
            .map(|c| {
                (
                    c.fingerprint.as_str(),
                    c.before.as_ref().map(|d| d.status),
                    c.after.as_ref().map(|d| d.status),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("d", None, Some(TriageStatus::FalsePositive)),
                ("c", Some(TriageStatus::Open), Some(TriageStatus::Open)),
                ("b", Some(TriageStatus::Mitigated), None),
            ]
        );
        assert_eq!(changes[0].rule(), Some("BTZ-X-001"));
        assert!(triage_changes(&after, &after).is_empty());
    }
}
