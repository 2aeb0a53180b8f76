//! Triage decisions kept in the model, and baselines kept beside it for CI.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::AppliedTriage;
use crate::model::TriageDecision;

/// A decision whose risk no longer exists: the risk was removed, the model changed under it,
/// or the decision was recorded about a finding before risks. Reported so the decision can be
/// dropped or re-examined.
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

/// The fingerprints of risks accepted as already known, so CI fails only on new ones.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub fingerprints: BTreeSet<String>,
}

/// The baseline version `--write-baseline` writes: risk fingerprints. Version 1 listed finding
/// fingerprints, which match no risk.
pub const BASELINE_VERSION: u32 = 2;

impl Baseline {
    pub fn from_risks(risks: &[crate::risks::Risk]) -> Self {
        Baseline {
            version: BASELINE_VERSION,
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
        match baseline.version {
            BASELINE_VERSION => Ok(baseline),
            1 => Err(
                "baseline version 1 lists findings, which Bartizan no longer reports \
                 (it reports risks): write a new baseline with `check --write-baseline FILE`"
                    .to_owned(),
            ),
            other => Err(format!(
                "baseline version {other} is not supported (expected {BASELINE_VERSION})"
            )),
        }
    }
}

/// What [`move_onto_risks`] made of a model's decisions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MovedDecisions {
    /// The decisions keyed by current risks: those already keyed so, as they were, and one per
    /// risk whose every facet had a decision; in the order of the first decision about each.
    pub decisions: Vec<TriageDecision>,
    /// Decisions about no current risk: about a finding that is no facet of any risk (it waits
    /// on a question, or no longer fires), or keyed by a risk that is not reported.
    pub dropped: Vec<TriageDecision>,
    /// Decisions about some facets of a risk but not all: moving one would decide the other
    /// facets too, so it is left for a person to restate about the whole risk (or as a fact in
    /// the model), with the risk's fingerprint.
    pub partial: Vec<(TriageDecision, String)>,
    /// Decisions merged into another decision about the same risk.
    pub merged: Vec<TriageDecision>,
}

/// Moves decisions recorded against findings (before risks, decisions were keyed by finding
/// fingerprints) onto the risks whose facets hold those findings. A risk takes a decision only
/// when every one of its facets had one; several become the one with the longest
/// justification (the most considered), with its status, author and date. A decision already
/// keyed by a current risk stays as it is.
pub fn move_onto_risks(
    risks: &[crate::risks::Risk],
    decisions: &[TriageDecision],
) -> MovedDecisions {
    let mut risk_of: HashMap<&str, &crate::risks::Risk> = HashMap::new();
    for risk in risks {
        risk_of.insert(&risk.fingerprint, risk);
        for facet in &risk.facets {
            risk_of.insert(&facet.fingerprint, risk);
        }
    }
    let decided: BTreeSet<&str> = decisions.iter().map(|d| d.fingerprint.as_str()).collect();
    let justification = |d: &TriageDecision| d.justification.as_deref().map_or(0, str::len);
    let mut moved = MovedDecisions::default();
    let mut slot: HashMap<&str, usize> = HashMap::new();
    for decision in decisions {
        let Some(risk) = risk_of.get(decision.fingerprint.as_str()) else {
            moved.dropped.push(decision.clone());
            continue;
        };
        let onto = if decision.fingerprint == risk.fingerprint {
            decision.clone()
        } else if risk
            .facets
            .iter()
            .all(|facet| decided.contains(facet.fingerprint.as_str()))
        {
            TriageDecision {
                fingerprint: risk.fingerprint.clone(),
                rule: None,
                ..decision.clone()
            }
        } else {
            moved
                .partial
                .push((decision.clone(), risk.fingerprint.clone()));
            continue;
        };
        match slot.get(risk.fingerprint.as_str()) {
            None => {
                slot.insert(&risk.fingerprint, moved.decisions.len());
                moved.decisions.push(onto);
            }
            Some(&index) => {
                let kept = &mut moved.decisions[index];
                if justification(&onto) > justification(kept) {
                    moved.merged.push(std::mem::replace(kept, onto));
                } else {
                    moved.merged.push(onto);
                }
            }
        }
    }
    moved
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TriageStatus;
    use crate::syntax::{Format, Limits, parse_model};

    /// An agent and a person share a standing key kept in plaintext: one risk at the key with
    /// several facets.
    const SHARED_KEY: &str = r#"{"bartizan":1,"metadata":{"name":"x"},
        "nodes":[{"id":"a","kind":"agent","name":"A"},
                 {"id":"k","kind":"secret","name":"K","properties":{"lifetime":"standing","storage":"env"}},
                 {"id":"h","kind":"human","name":"H"}],
        "edges":[{"from":"a","relation":"holds","to":"k"},{"from":"h","relation":"holds","to":"k"}]}"#;

    fn risks() -> Vec<crate::risks::Risk> {
        let parsed = parse_model(SHARED_KEY, Format::Json, &Limits::default());
        let model = parsed.valid_model().expect("the test model is valid");
        crate::risks::assess(&crate::graph::ModelGraph::new(model)).risks
    }

    fn decision(fingerprint: &str, justification: &str) -> TriageDecision {
        TriageDecision {
            fingerprint: fingerprint.to_owned(),
            rule: Some("BTZ-X-001".into()),
            status: TriageStatus::Accepted,
            justification: Some(justification.to_owned()),
            by: Some("ana".into()),
            at: Some("2026-12-01".into()),
        }
    }

    #[test]
    fn decisions_covering_every_facet_become_the_most_considered_one_about_the_risk() {
        let risks = risks();
        let risk = risks
            .iter()
            .find(|r| r.place == "k" && r.facets.len() >= 2)
            .expect("a risk with several facets at the key");
        let decisions: Vec<TriageDecision> = risk
            .facets
            .iter()
            .enumerate()
            .map(|(i, f)| decision(&f.fingerprint, &"why".repeat(i + 1)))
            .collect();
        let moved = move_onto_risks(&risks, &decisions);
        let longest = decisions.last().unwrap();
        assert_eq!(
            moved.decisions,
            [TriageDecision {
                fingerprint: risk.fingerprint.clone(),
                rule: None,
                ..longest.clone()
            }]
        );
        assert_eq!(moved.merged.len(), decisions.len() - 1);
        assert!(moved.dropped.is_empty() && moved.partial.is_empty());
        // Already about the risk: kept as it is.
        let again = move_onto_risks(&risks, &moved.decisions);
        assert_eq!(again.decisions, moved.decisions);
    }

    #[test]
    fn a_decision_about_part_of_a_risk_or_about_nothing_is_not_moved() {
        let risks = risks();
        let risk = risks
            .iter()
            .find(|r| r.place == "k" && r.facets.len() >= 2)
            .expect("a risk with several facets at the key");
        let part = decision(&risk.facets[0].fingerprint, "only this facet");
        let gone = decision("BTZ-CRD-001:0000000000000000", "about nothing now");
        let moved = move_onto_risks(&risks, &[part.clone(), gone.clone()]);
        assert!(moved.decisions.is_empty());
        assert_eq!(moved.partial, [(part, risk.fingerprint.clone())]);
        assert_eq!(moved.dropped, [gone]);
    }
}
