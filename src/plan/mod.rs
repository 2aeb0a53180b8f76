//! The plan: the fewest controls that close the most risk. Each open risk names the control
//! that closes it at its place ([`Fix`]); the plan applies each candidate to a copy of the
//! model, re-runs every check, and keeps, round by round, the one that closes the most
//! severity-weighted risk. Nothing in a plan is estimated: what a step closes and opens is
//! what the checks say about the model with the step applied.

mod fixes;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;

pub use fixes::{Applied, Fix};

use crate::findings::Severity;
use crate::graph::ModelGraph;
use crate::model::{IdentityType, Model, Node, NodeKind, NodeProperties, Relation};
use crate::risks::{self, Risk, RiskKind};

/// The most candidate controls a plan tries, taken from the risks in report order, so that
/// planning a large model stays bounded: at most this many edits are simulated per round.
pub const MAX_CANDIDATES: usize = 50;

/// How much closing a risk of each severity is worth.
pub fn severity_weight(severity: Severity) -> i64 {
    match severity {
        Severity::Critical => 8,
        Severity::High => 4,
        Severity::Medium => 2,
        Severity::Low => 1,
        Severity::Info => 0,
    }
}

/// A risk as a plan names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RiskRef {
    pub fingerprint: String,
    pub kind: RiskKind,
    pub place: String,
    pub title: String,
    pub severity: Severity,
}

impl RiskRef {
    fn of(risk: &Risk) -> Self {
        RiskRef {
            fingerprint: risk.fingerprint.clone(),
            kind: risk.kind,
            place: risk.place.clone(),
            title: risk.title.clone(),
            severity: risk.severity,
        }
    }
}

/// One control of the plan, in the order they are applied.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlanStep {
    /// `policy-gateway:ap-agent`: what [`apply_step`] takes.
    pub id: String,
    #[serde(flatten)]
    pub fix: Fix,
    pub title: String,
    /// The edit, in words.
    pub edit: String,
    /// How many nodes and edges it adds, changes or removes.
    pub changes: usize,
    /// The open risks that are gone once it is applied (after the steps before it).
    pub closes: Vec<RiskRef>,
    /// The risks it brings that were not there before.
    pub opens: Vec<RiskRef>,
    /// The open risks it leaves open at a lower severity (not counted in its weight).
    pub lowers: Vec<Lowered>,
    /// The severity weight of what it closes minus that of what it opens.
    pub weight: i64,
}

/// A risk a step leaves open but less severe: as it is after the step, and its severity before.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Lowered {
    #[serde(flatten)]
    pub risk: RiskRef,
    pub was: Severity,
}

/// A risk still open after the plan, and why the plan leaves it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Remaining {
    #[serde(flatten)]
    pub risk: RiskRef,
    pub reason: String,
}

/// The plan for a model.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Plan {
    /// The model's name.
    pub model: String,
    /// Open risks (not triaged away) before the plan, and their severity weight.
    pub open_before: usize,
    pub weight_before: i64,
    /// How many candidate controls were tried, and the most that are.
    pub candidates: usize,
    pub candidate_limit: usize,
    pub steps: Vec<PlanStep>,
    /// Open risks once every step is applied, and their severity weight.
    pub open_after: usize,
    pub weight_after: i64,
    pub remaining: Vec<Remaining>,
}

/// The risks of a valid model with its triage decisions applied, in report order.
fn assess(model: &Model) -> Vec<Risk> {
    let graph = ModelGraph::new(model);
    let mut found = risks::assess(&graph).risks;
    risks::apply_triage(&mut found, &model.triage);
    found
}

/// The controls that could close `risk`, or why no edit of the model can.
fn fixes_for(model: &Model, risk: &Risk) -> Result<Vec<Fix>, String> {
    let place = risk.place.as_str();
    let kind = model.node(place).map(Node::kind);
    let on_paths = |wanted: &dyn Fn(NodeKind) -> bool, last: bool| -> Vec<String> {
        let mut found: Vec<String> = Vec::new();
        for facet in &risk.facets {
            let nodes: Vec<&str> = facet.path.iter().map(|s| s.node.as_str()).collect();
            let mut matching = nodes
                .iter()
                .take(nodes.len().saturating_sub(1))
                .filter(|id| model.node(id).is_some_and(|n| wanted(n.kind())));
            let pick = if last {
                matching.next_back()
            } else {
                matching.next()
            };
            if let Some(id) = pick
                && !found.iter().any(|f| f == id)
            {
                found.push((*id).to_owned());
            }
        }
        found
    };
    let fixes: Vec<Fix> = match risk.kind {
        RiskKind::UngatedActions => match kind {
            Some(NodeKind::Agent | NodeKind::Workflow) => vec![Fix::PolicyGateway(place.into())],
            // The caller: the last agent or workflow before the tool on each path.
            _ => on_paths(&|k| matches!(k, NodeKind::Agent | NodeKind::Workflow), true)
                .into_iter()
                .map(Fix::PolicyGateway)
                .collect(),
        },
        RiskKind::Credential => match kind {
            Some(NodeKind::Secret) => vec![Fix::JitCredential(place.into())],
            Some(NodeKind::Identity) => vec![Fix::WorkloadIdentity(place.into())],
            Some(NodeKind::Agent) => agent_credential_fixes(model, place),
            _ => on_paths(&|k| k == NodeKind::Secret, false)
                .into_iter()
                .map(Fix::JitCredential)
                .collect(),
        },
        RiskKind::ToolSupply => match kind {
            Some(NodeKind::Tool | NodeKind::Agent | NodeKind::Workflow) => {
                vec![Fix::PinnedTools(place.into())]
            }
            _ => Vec::new(),
        },
        RiskKind::ContextIntegrity => {
            return Err("no edit of the model closes it: a content filter in front of it lowers the risk but never closes it, since injected instructions are ordinary language; what closes it is a memory per agent, user or tenant, or no untrusted content written into it, which only the people designing the system can decide".to_owned());
        }
        RiskKind::Oversight => {
            return Err("no edit of the model closes it: the person needs fewer approvals (low-risk ones batched under policy) or more approvers, which only the people running the system can decide".to_owned());
        }
    };
    if fixes.is_empty() {
        return Err(match risk.kind {
            RiskKind::UngatedActions => format!(
                "no agent or workflow on its paths calls the tools at {}, so there is no caller to put a gateway in front of",
                risk.place_name
            ),
            _ => format!("the plan knows no control to put at {}", risk.place_name),
        });
    }
    Ok(fixes)
}

/// An agent as the place of a credential risk: its unauthenticated hand-offs, and the
/// personal identities it acts as.
fn agent_credential_fixes(model: &Model, agent: &str) -> Vec<Fix> {
    let is_agent = |id: &str| model.node(id).map(Node::kind) == Some(NodeKind::Agent);
    let mut fixes = Vec::new();
    let unauthenticated = model.edges.iter().any(|e| {
        matches!(e.relation, Relation::Delegates | Relation::Invokes)
            && (e.to == agent || e.from == agent)
            && is_agent(&e.to)
            && e.from != e.to
            && matches!(e.auth, None | Some(crate::model::DelegationAuth::None))
    });
    if unauthenticated {
        fixes.push(Fix::AuthenticatedHandoffs(agent.to_owned()));
    }
    for edge in &model.edges {
        if edge.from == agent
            && edge.relation == Relation::ActsAs
            && let Some(Node {
                properties: NodeProperties::Identity(identity),
                ..
            }) = model.node(&edge.to)
            && matches!(
                identity.identity_type,
                Some(IdentityType::UserDelegated | IdentityType::Human)
            )
        {
            fixes.push(Fix::WorkloadIdentity(edge.to.clone()));
        }
    }
    fixes
}

/// Applies the step `id` of a plan to `model`: the edit the plan simulated.
pub fn apply_step(model: &Model, id: &str) -> Result<Applied, String> {
    let fix = Fix::from_id(id).ok_or_else(|| format!("`{id}` is not a plan step"))?;
    fix.apply(model)
}

struct Candidate {
    fix: Fix,
    /// The risks that proposed it.
    risks: Vec<String>,
    /// The number of the step it became, once it is one.
    step: Option<usize>,
}

/// Why a candidate is not a step: the reason, and for the risks that proposed it and are still
/// there with it applied, what still finds them.
struct PassedOver {
    reason: String,
    still: BTreeMap<String, String>,
}

impl PassedOver {
    fn because(reason: String) -> Self {
        PassedOver {
            reason,
            still: BTreeMap::new(),
        }
    }
}

/// A candidate applied in one round: the step it would be, and the model and risks after it.
struct Trial {
    index: usize,
    step: PlanStep,
    model: Model,
    risks: Vec<Risk>,
}

/// The greedy order: most weight, then fewest changes, then the step id.
type TrialKey = (std::cmp::Reverse<i64>, usize, String);

impl Trial {
    fn key(&self) -> TrialKey {
        (
            std::cmp::Reverse(self.step.weight),
            self.step.changes,
            self.step.id.clone(),
        )
    }
}

/// Plans the controls for a valid model (see the module documentation).
pub fn plan(model: &Model) -> Plan {
    let initial = assess(model);
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut unfixable: BTreeMap<String, String> = BTreeMap::new();
    let mut beyond_limit: BTreeSet<String> = BTreeSet::new();
    for risk in initial.iter().filter(|r| r.is_actionable()) {
        match fixes_for(model, risk) {
            Err(reason) => {
                unfixable.insert(risk.fingerprint.clone(), reason);
            }
            Ok(fixes) => {
                for fix in fixes {
                    if let Some(known) = candidates.iter_mut().find(|c| c.fix == fix) {
                        known.risks.push(risk.fingerprint.clone());
                    } else if candidates.len() < MAX_CANDIDATES {
                        candidates.push(Candidate {
                            fix,
                            risks: vec![risk.fingerprint.clone()],
                            step: None,
                        });
                    } else {
                        beyond_limit.insert(risk.fingerprint.clone());
                    }
                }
            }
        }
    }
    let tried = candidates.len();

    let mut current = model.clone();
    let mut current_risks = initial.clone();
    let mut steps: Vec<PlanStep> = Vec::new();
    let mut closed: BTreeSet<String> = BTreeSet::new();
    // Why each candidate was not taken, as of the last round it was tried in.
    let mut passed_over: BTreeMap<String, PassedOver> = BTreeMap::new();
    // A candidate that cannot be applied is not tried again; one that closes nothing is tried
    // again only once a step changes the facets of a risk it is for. A step mostly takes away
    // what others would close rather than adding to it, so a candidate's key when last tried
    // stands for it until a step changes a risk it is for or that it closed, opened or
    // lowered. Each round tries candidates best key first and stops once no standing key can
    // beat the best candidate tried in the round: about one simulation per candidate, plus a
    // few per round, instead of one per round for every candidate in play. Every step is still
    // a fresh simulation, and a plan ends only when every candidate left was tried afresh and
    // closes nothing more than it opens.
    let mut refused: BTreeSet<usize> = BTreeSet::new();
    let mut idle: BTreeSet<usize> = BTreeSet::new();
    let mut bound: Vec<Option<TrialKey>> = vec![None; candidates.len()];
    // The risks each candidate closed, opened or lowered when last tried.
    let mut touched: Vec<BTreeSet<String>> = vec![BTreeSet::new(); candidates.len()];
    loop {
        let open: Vec<&Risk> = current_risks.iter().filter(|r| r.is_actionable()).collect();
        let present: BTreeSet<&str> = current_risks
            .iter()
            .map(|r| r.fingerprint.as_str())
            .collect();
        let mut best: Option<Trial> = None;
        let mut in_play: Vec<usize> = (0..candidates.len())
            .filter(|&index| {
                candidates[index].step.is_none()
                    && !refused.contains(&index)
                    && !idle.contains(&index)
            })
            .collect();
        // Candidates with no bound first (`None` orders first), in candidate order; then by bound.
        in_play.sort_by(|&a, &b| bound[a].cmp(&bound[b]).then(a.cmp(&b)));
        for index in in_play {
            if let (Some(bound), Some(best)) = (&bound[index], &best)
                && *bound > best.key()
            {
                break;
            }
            let candidate = &candidates[index];
            let id = candidate.fix.id();
            let applied = match candidate.fix.apply(&current) {
                Ok(applied) => applied,
                Err(reason) => {
                    refused.insert(index);
                    passed_over.insert(id, PassedOver::because(reason));
                    continue;
                }
            };
            let after = assess(&applied.model);
            let after_present: BTreeSet<&str> =
                after.iter().map(|r| r.fingerprint.as_str()).collect();
            let closes: Vec<RiskRef> = open
                .iter()
                .filter(|r| !after_present.contains(r.fingerprint.as_str()))
                .map(|r| RiskRef::of(r))
                .collect();
            let opens: Vec<RiskRef> = after
                .iter()
                .filter(|r| r.is_actionable() && !present.contains(r.fingerprint.as_str()))
                .map(RiskRef::of)
                .collect();
            let lowers: Vec<Lowered> = after
                .iter()
                .filter(|r| r.is_actionable())
                .filter_map(|r| {
                    let before = open.iter().find(|o| o.fingerprint == r.fingerprint)?;
                    (r.severity < before.severity).then(|| Lowered {
                        risk: RiskRef::of(r),
                        was: before.severity,
                    })
                })
                .collect();
            let weight: i64 = closes
                .iter()
                .map(|r| severity_weight(r.severity))
                .sum::<i64>()
                - opens
                    .iter()
                    .map(|r| severity_weight(r.severity))
                    .sum::<i64>();
            let key = (std::cmp::Reverse(weight), applied.changes, id.clone());
            bound[index] = Some(key.clone());
            touched[index] = closes
                .iter()
                .chain(&opens)
                .chain(lowers.iter().map(|l| &l.risk))
                .map(|r| r.fingerprint.clone())
                .collect();
            if let Some(reopened) = opens.iter().find(|r| closed.contains(&r.fingerprint)) {
                passed_over.insert(
                    id,
                    PassedOver::because(format!(
                        "it would reopen \"{}\", which an earlier step closes",
                        reopened.title
                    )),
                );
                continue;
            }
            if closes.is_empty() {
                let reason = if steps.is_empty() {
                    "applied alone, it closes no risk"
                } else {
                    "applied after the steps before it, it closes no further risk"
                };
                let still = after
                    .iter()
                    .filter(|r| candidate.risks.contains(&r.fingerprint))
                    .map(|r| {
                        (
                            r.fingerprint.clone(),
                            format!(
                                "with it applied, the risk is still found by {} ({})",
                                r.rules().join(", "),
                                r.severity.as_str()
                            ),
                        )
                    })
                    .collect();
                idle.insert(index);
                passed_over.insert(
                    id,
                    PassedOver {
                        reason: reason.to_owned(),
                        still,
                    },
                );
                continue;
            }
            if weight <= 0 {
                passed_over.insert(
                    id,
                    PassedOver::because("it opens at least as much risk as it closes".to_owned()),
                );
                continue;
            }
            if best.as_ref().is_none_or(|trial| key < trial.key()) {
                best = Some(Trial {
                    index,
                    step: PlanStep {
                        id,
                        fix: candidate.fix.clone(),
                        title: candidate.fix.title(&current),
                        edit: applied.edit.clone(),
                        changes: applied.changes,
                        closes,
                        opens,
                        lowers,
                        weight,
                    },
                    model: applied.model,
                    risks: after,
                });
            }
        }
        let Some(trial) = best else {
            break;
        };
        passed_over.remove(&trial.step.id);
        closed.extend(trial.step.closes.iter().map(|r| r.fingerprint.clone()));
        candidates[trial.index].step = Some(steps.len() + 1);
        let changed = changed_facets(&current_risks, &trial.risks);
        // What the step did to the risks a candidate closed, opened or lowered when last
        // tried may change what it does now.
        let stepped: BTreeSet<&str> = changed
            .iter()
            .map(String::as_str)
            .chain(trial.step.closes.iter().map(|r| r.fingerprint.as_str()))
            .chain(trial.step.opens.iter().map(|r| r.fingerprint.as_str()))
            .chain(
                trial
                    .step
                    .lowers
                    .iter()
                    .map(|l| l.risk.fingerprint.as_str()),
            )
            .collect();
        for (index, candidate) in candidates.iter().enumerate() {
            if candidate.risks.iter().any(|fp| changed.contains(fp)) {
                idle.remove(&index);
                bound[index] = None;
            }
            if touched[index]
                .iter()
                .any(|fp| stepped.contains(fp.as_str()))
            {
                bound[index] = None;
            }
        }
        current = trial.model;
        current_risks = trial.risks;
        steps.push(trial.step);
    }

    let remaining = current_risks
        .iter()
        .filter(|r| r.is_actionable())
        .map(|risk| Remaining {
            risk: RiskRef::of(risk),
            reason: why_open(
                risk,
                &steps,
                &unfixable,
                &beyond_limit,
                &candidates,
                &passed_over,
            ),
        })
        .collect::<Vec<_>>();
    let weight = |risks: &[Risk]| -> i64 {
        risks
            .iter()
            .filter(|r| r.is_actionable())
            .map(|r| severity_weight(r.severity))
            .sum()
    };
    Plan {
        model: model.metadata.name.clone(),
        open_before: initial.iter().filter(|r| r.is_actionable()).count(),
        weight_before: weight(&initial),
        candidates: tried,
        candidate_limit: MAX_CANDIDATES,
        steps,
        open_after: remaining.len(),
        weight_after: weight(&current_risks),
        remaining,
    }
}

/// The risks present before and after a step whose facets differ.
fn changed_facets(before: &[Risk], after: &[Risk]) -> BTreeSet<String> {
    let facets = |risk: &Risk| -> Vec<String> {
        risk.facets.iter().map(|f| f.fingerprint.clone()).collect()
    };
    let after: BTreeMap<&str, Vec<String>> = after
        .iter()
        .map(|r| (r.fingerprint.as_str(), facets(r)))
        .collect();
    before
        .iter()
        .filter(|r| {
            after
                .get(r.fingerprint.as_str())
                .is_some_and(|f| *f != facets(r))
        })
        .map(|r| r.fingerprint.clone())
        .collect()
}

fn why_open(
    risk: &Risk,
    steps: &[PlanStep],
    unfixable: &BTreeMap<String, String>,
    beyond_limit: &BTreeSet<String>,
    candidates: &[Candidate],
    passed_over: &BTreeMap<String, PassedOver>,
) -> String {
    let fingerprint = &risk.fingerprint;
    if let Some((number, step)) = steps
        .iter()
        .enumerate()
        .find(|(_, s)| s.opens.iter().any(|r| r.fingerprint == *fingerprint))
    {
        return format!("step {} ({}) brings it", number + 1, step.id);
    }
    if let Some(reason) = unfixable.get(fingerprint) {
        return reason.clone();
    }
    let still = format!("still found by {}", risk.rules().join(", "));
    let reasons: Vec<String> = candidates
        .iter()
        .filter(|c| c.risks.contains(fingerprint))
        .map(|c| {
            let id = c.fix.id();
            match c.step {
                Some(number) => format!("step {number} ({id}) leaves it open: {still}"),
                None => {
                    let why = passed_over.get(&id).map_or("it was not tried", |passed| {
                        passed.still.get(fingerprint).unwrap_or(&passed.reason)
                    });
                    format!("{id} is not in the plan: {why}")
                }
            }
        })
        .collect();
    if reasons.is_empty() && beyond_limit.contains(fingerprint) {
        return format!("not tried: a plan tries at most {MAX_CANDIDATES} controls");
    }
    if reasons.is_empty() {
        return format!("no control the plan tried closes it; {still}");
    }
    reasons.join("; ")
}

impl Plan {
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a plan serialises");
        text.push('\n');
        text
    }

    /// The plan for people.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        if self.open_before == 0 {
            let _ = writeln!(out, "{}: no open risk, nothing to plan.", self.model);
            return out;
        }
        let closed = self.open_before.saturating_sub(self.open_after);
        let _ = writeln!(
            out,
            "{}: {} open {} (weight {}). {} {} {} of them (weight {} → {}); {} {} open.",
            self.model,
            self.open_before,
            plural(self.open_before, "risk", "risks"),
            self.weight_before,
            self.steps.len(),
            plural(self.steps.len(), "control closes", "controls close"),
            closed,
            self.weight_before,
            self.weight_after,
            self.open_after,
            plural(self.open_after, "stays", "stay"),
        );
        let _ = writeln!(
            out,
            "Each step was applied to a copy of the model and the checks run again; weights: critical 8, high 4, medium 2, low 1."
        );
        for (number, step) in self.steps.iter().enumerate() {
            let _ = writeln!(out);
            let _ = writeln!(
                out,
                "{}. {}  [{}, weight {}]",
                number + 1,
                step.title,
                step.id,
                step.weight
            );
            let _ = writeln!(out, "   {}", step.edit);
            for risk in &step.closes {
                let _ = writeln!(out, "   closes {}", risk_line(risk));
            }
            for risk in &step.opens {
                let _ = writeln!(out, "   opens  {}", risk_line(risk));
            }
            for lowered in &step.lowers {
                let _ = writeln!(
                    out,
                    "   lowers {} (was {})",
                    risk_line(&lowered.risk),
                    lowered.was.as_str()
                );
            }
        }
        if !self.remaining.is_empty() {
            let _ = writeln!(out);
            let _ = writeln!(out, "Still open after the plan:");
            for remaining in &self.remaining {
                let _ = writeln!(out, "   {}", risk_line(&remaining.risk));
                let _ = writeln!(out, "          {}", remaining.reason);
            }
        }
        out
    }
}

fn risk_line(risk: &RiskRef) -> String {
    format!(
        "{:<8} {}  ({})",
        risk.severity.as_str(),
        risk.title,
        risk.fingerprint
    )
}

fn plural<'a>(count: usize, one: &'a str, many: &'a str) -> &'a str {
    if count == 1 { one } else { many }
}
