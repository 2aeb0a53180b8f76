//! Triage decisions kept in the model, and baselines kept beside it for CI.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::{AppliedTriage, Finding};
use crate::model::TriageDecision;

/// A decision whose finding no longer exists: the risk was removed, or the model changed
/// under it. Reported so the decision can be dropped or re-examined.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StaleDecision {
    pub fingerprint: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    pub status: crate::model::TriageStatus,
}

#[derive(Debug, Default)]
pub struct TriageOutcome {
    pub stale: Vec<StaleDecision>,
}

/// Attaches each recorded decision to its finding, and lists the decisions left over.
pub fn apply_triage(findings: &mut [Finding], decisions: &[TriageDecision]) -> TriageOutcome {
    apply_decisions(
        findings
            .iter_mut()
            .map(|finding| (finding.fingerprint.as_str(), &mut finding.triage)),
        decisions,
    )
}

/// Attaches each recorded decision to the item with its fingerprint (a finding or a risk),
/// and lists the decisions left over.
pub fn apply_decisions<'a>(
    items: impl Iterator<Item = (&'a str, &'a mut Option<AppliedTriage>)>,
    decisions: &[TriageDecision],
) -> TriageOutcome {
    let by_fingerprint: HashMap<&str, &TriageDecision> = decisions
        .iter()
        .map(|d| (d.fingerprint.as_str(), d))
        .collect();
    let mut used = BTreeSet::new();
    for (fingerprint, triage) in items {
        if let Some(decision) = by_fingerprint.get(fingerprint) {
            used.insert(decision.fingerprint.as_str());
            *triage = Some(AppliedTriage {
                status: decision.status,
                justification: decision.justification.clone(),
                by: decision.by.clone(),
                at: decision.at.clone(),
            });
        }
    }
    let stale = decisions
        .iter()
        .filter(|d| !used.contains(d.fingerprint.as_str()))
        .map(|d| StaleDecision {
            fingerprint: d.fingerprint.clone(),
            rule: d.rule.clone(),
            status: d.status,
        })
        .collect();
    TriageOutcome { stale }
}

/// The fingerprints of findings accepted as already known, so CI fails only on new ones.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub fingerprints: BTreeSet<String>,
}

impl Baseline {
    pub fn from_findings(findings: &[Finding]) -> Self {
        Baseline {
            version: 1,
            fingerprints: findings.iter().map(|f| f.fingerprint.clone()).collect(),
        }
    }

    pub fn from_risks(risks: &[crate::risks::Risk]) -> Self {
        Baseline {
            version: 1,
            fingerprints: risks.iter().map(|r| r.fingerprint.clone()).collect(),
        }
    }

    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a baseline serialises");
        text.push('\n');
        text
    }

    pub fn from_json(text: &str) -> Result<Self, String> {
        let baseline: Baseline = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if baseline.version != 1 {
            return Err(format!(
                "baseline version {} is not supported (expected 1)",
                baseline.version
            ));
        }
        Ok(baseline)
    }

    /// Marks the findings the baseline already knows.
    pub fn apply(&self, findings: &mut [Finding]) {
        for finding in findings {
            finding.baselined = self.fingerprints.contains(&finding.fingerprint);
        }
    }
}
