//! Risks: the unit Bartizan reports. Checks are detectors; a risk is one missing or broken
//! control at one place — the calls of one agent, one credential, the tools one agent loads, one
//! memory — with every check that fires there as a facet, every affected path counted, one
//! remediation and one severity. A finding that holds only because a property is unstated is
//! not a facet: it waits on an open question (`questions`).

mod questions;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

pub use questions::{
    Owner, PROPERTY_DEFAULTS, Pending, PropertyDefault, Question, ask, defaults_markdown,
};

use crate::findings::{self, AppliedTriage, Assumption, FactorKind, Finding, Severity, Step};
use crate::frameworks::Reference;
use crate::graph::{ModelGraph, Outgoing};
use crate::model::{Action, NodeKind, NodeProperties, TriageStatus};

/// The control a risk is about, and so what closes it. Each check declares the kind its
/// findings contribute to; the place comes from the finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskKind {
    /// An agent's or workflow's calls reach high-impact actions that no policy gate decides.
    UngatedActions,
    /// A credential or identity that is standing, broad, shared or unauthenticated.
    Credential,
    /// The tools an agent loads are unverified or unpinned.
    ToolSupply,
    /// Untrusted content can be written into what agents read back as context.
    ContextIntegrity,
    /// A person's approval cannot carry the load put on it.
    Oversight,
}

impl RiskKind {
    pub const ALL: &'static [RiskKind] = &[
        RiskKind::UngatedActions,
        RiskKind::Credential,
        RiskKind::ToolSupply,
        RiskKind::ContextIntegrity,
        RiskKind::Oversight,
    ];

    /// The stable code in the risk's fingerprint.
    pub fn code(self) -> &'static str {
        match self {
            RiskKind::UngatedActions => "BTZ-RISK-ACT",
            RiskKind::Credential => "BTZ-RISK-CRD",
            RiskKind::ToolSupply => "BTZ-RISK-SUP",
            RiskKind::ContextIntegrity => "BTZ-RISK-CTX",
            RiskKind::Oversight => "BTZ-RISK-OVR",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RiskKind::UngatedActions => "Ungated actions",
            RiskKind::Credential => "Identity and credentials",
            RiskKind::ToolSupply => "Tool supply chain",
            RiskKind::ContextIntegrity => "Context integrity",
            RiskKind::Oversight => "Human oversight",
        }
    }

    /// The place a risk of this kind is at, in a few words, for docs.
    pub fn place_label(self) -> &'static str {
        match self {
            RiskKind::UngatedActions => "the agent or workflow whose calls are ungated",
            RiskKind::Credential => "the secret or identity",
            RiskKind::ToolSupply => "the agent that loads the tools",
            RiskKind::ContextIntegrity => "the memory or store written",
            RiskKind::Oversight => "the person who approves",
        }
    }

    /// The one remediation of a risk of this kind at `place` (a display name).
    pub fn remediation(self, place: &str) -> String {
        match self {
            RiskKind::UngatedActions => format!(
                "Route {place}'s high-impact calls and writes through a policy gateway that decides each request in context (deny by default), logs it, limits its rate and allows only listed destinations; run code tools in a sandbox."
            ),
            RiskKind::Credential => format!(
                "Replace {place} with a credential issued just in time per task to each workload's own identity, scoped to the actions its users need, kept in a vault and revoked automatically; authenticate every hand-off between agents."
            ),
            RiskKind::ToolSupply => format!(
                "Let {place} load only tools from an allowlist of verified publishers, pinned to a reviewed version or digest."
            ),
            RiskKind::ContextIntegrity => format!(
                "Keep untrusted content out of {place} or give each agent, user or tenant its own, record where each entry came from, and keep agents that act on it from trusting it as instructions; a content filter on what is written lowers the risk but does not close it."
            ),
            RiskKind::Oversight => format!(
                "Reduce what {place} must approve: batch low-risk actions under policy, route the rest to more approvers, and show each approval's full context."
            ),
        }
    }
}

/// How urgent a risk is within its severity: the order of the report (docs/severity.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Priority {
    /// The most harmful action the risk puts in reach: 7 admin, 6 payment, 5 delete,
    /// 4 execute, 3 send, 2 write, 1 read, 0 none stated.
    pub impact: u8,
    /// Whether untrusted content or a person's approval starts one of its paths.
    pub exposed: bool,
    /// How many paths it affects.
    pub paths: u64,
}

/// One risk: a control missing at one place, with the findings that show it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Risk {
    /// `BTZ-RISK-ACT:` followed by 16 hex digits of SHA-256 over the kind and the place.
    pub fingerprint: String,
    pub kind: RiskKind,
    /// The node whose calls, credential, tools or content the fix changes.
    pub place: String,
    /// The place's name as drawn.
    pub place_name: String,
    /// What is wrong, in the names people drew.
    pub title: String,
    pub severity: Severity,
    /// Why it is critical, when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub critical: Option<String>,
    pub priority: Priority,
    pub remediation: String,
    /// Unstated properties the verdict leans on (never decisive ones: those are questions).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub assumed: Vec<Assumption>,
    /// The shortest few distinct paths of its facets, shortest first.
    pub paths: Vec<Vec<Step>>,
    /// Every check that fires here, most severe first.
    pub facets: Vec<Finding>,
    /// The framework references of every facet, merged, in catalogue order.
    pub references: Vec<Reference>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub triage: Option<AppliedTriage>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub baselined: bool,
}

/// How many paths a risk shows; the rest are counted.
pub const PATHS_SHOWN: usize = 3;

impl Risk {
    pub fn status(&self) -> TriageStatus {
        self.triage
            .as_ref()
            .map_or(TriageStatus::Open, |t| t.status)
    }

    /// Open and not in the baseline.
    pub fn is_actionable(&self) -> bool {
        self.status() == TriageStatus::Open && !self.baselined
    }

    /// The checks that fire here, in facet order, each once.
    pub fn rules(&self) -> Vec<&'static str> {
        let mut seen = BTreeSet::new();
        self.facets
            .iter()
            .map(|f| f.rule)
            .filter(|r| seen.insert(*r))
            .collect()
    }
}

/// What the checks say about a model: its risks in report order, and the questions whose
/// answers could change them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Assessment {
    pub risks: Vec<Risk>,
    pub questions: Vec<Question>,
}

/// Runs every check on a validated model and groups the findings into risks.
pub fn assess(graph: &ModelGraph) -> Assessment {
    let findings = crate::rules::run(graph);
    from_findings(graph, findings)
}

/// Groups findings into risks and asks the questions of the model's unstated properties;
/// findings that hold only under an assumption go to the question about it.
pub fn from_findings(graph: &ModelGraph, findings: Vec<Finding>) -> Assessment {
    let (stated, pending): (Vec<Finding>, Vec<Finding>) =
        findings.into_iter().partition(Finding::is_stated);
    let questions = ask(graph, &pending);
    let mut by_place: BTreeMap<(RiskKind, String), Vec<Finding>> = BTreeMap::new();
    for finding in stated {
        let kind = crate::rules::by_id(finding.rule)
            .expect("findings come from catalogued rules")
            .risk;
        by_place
            .entry((kind, finding.place.clone()))
            .or_default()
            .push(finding);
    }
    let mut risks: Vec<Risk> = by_place
        .into_iter()
        .map(|((kind, place), facets)| risk(graph, kind, place, facets))
        .collect();
    sort(&mut risks);
    Assessment { risks, questions }
}

/// `BTZ-RISK-ACT:` + 16 hex digits over the kind and the place: a rename of the place is the
/// only edit that changes it.
pub fn fingerprint(kind: RiskKind, place: &str) -> String {
    findings::fingerprint(kind.code(), &[place.to_owned()])
}

/// Report order: severity, then priority (impact, exposure, paths), then kind and place.
pub fn sort(risks: &mut [Risk]) {
    findings::sort_large_by(risks, |a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| b.priority.impact.cmp(&a.priority.impact))
            .then_with(|| b.priority.exposed.cmp(&a.priority.exposed))
            .then_with(|| b.priority.paths.cmp(&a.priority.paths))
            .then_with(|| a.kind.cmp(&b.kind))
            .then_with(|| a.place.cmp(&b.place))
    });
}

fn risk(graph: &ModelGraph, kind: RiskKind, place: String, mut facets: Vec<Finding>) -> Risk {
    findings::sort(&mut facets);
    let place_name = name_of(graph, &place);
    let severity = facets[0].severity;
    let critical = facets
        .iter()
        .find_map(|f| f.critical.as_deref())
        .map(|why| named(graph, why));
    let mut assumed: Vec<Assumption> = facets
        .iter()
        .flat_map(|f| f.assumptions.iter().cloned())
        .collect();
    assumed.sort();
    assumed.dedup();

    let mut distinct: BTreeMap<Vec<&str>, (&Vec<Step>, u64)> = BTreeMap::new();
    for facet in &facets {
        let key: Vec<&str> = facet.path.iter().map(|s| s.node.as_str()).collect();
        let entry = distinct.entry(key).or_insert((&facet.path, 0));
        entry.1 = entry.1.max(facet.other_paths);
    }
    let path_count: u64 = distinct.values().map(|(_, other)| 1 + other).sum();
    let mut shown: Vec<&Vec<Step>> = distinct.values().map(|(path, _)| *path).collect();
    shown.sort_by_key(|path| path.len());
    let paths: Vec<Vec<Step>> = shown.into_iter().take(PATHS_SHOWN).cloned().collect();

    let priority = Priority {
        impact: impact(graph, &place, &facets),
        exposed: facets.iter().any(|f| {
            f.factors
                .iter()
                .any(|factor| factor.kind == FactorKind::UntrustedExposure)
                || f.critical.is_some()
                || f.path.first().is_some_and(|step| {
                    matches!(
                        graph.kind_of(&step.node),
                        Some(NodeKind::Input | NodeKind::Human)
                    )
                })
        }),
        paths: path_count,
    };

    let mut references: Vec<Reference> = Vec::new();
    for facet in &facets {
        let rule = crate::rules::by_id(facet.rule).expect("catalogued rule");
        for reference in rule.references {
            if !references.contains(reference) {
                references.push(*reference);
            }
        }
    }

    let title = title(graph, kind, &place_name, &facets);
    Risk {
        fingerprint: fingerprint(kind, &place),
        kind,
        remediation: kind.remediation(&place_name),
        place,
        place_name,
        title,
        severity,
        critical,
        priority,
        assumed,
        paths,
        facets,
        references,
        triage: None,
        baselined: false,
    }
}

fn name_of(graph: &ModelGraph, id: &str) -> String {
    graph
        .index_of(id)
        .map(|n| graph.node(n).name.clone())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| id.to_owned())
}

fn action_rank(action: Action) -> u8 {
    match action {
        Action::Admin => 7,
        Action::Payment => 6,
        Action::Delete => 5,
        Action::Execute => 4,
        Action::Send => 3,
        Action::Write => 2,
        Action::Read => 1,
    }
}

/// The most harmful stated action on the facets' paths: the actions of the tools they reach,
/// and what the place grants when it is a credential.
fn impact(graph: &ModelGraph, place: &str, facets: &[Finding]) -> u8 {
    let mut best = 0;
    let tool_rank = |id: &str| match graph.index_of(id).map(|n| &graph.node(n).properties) {
        Some(NodeProperties::Tool(tool)) => tool
            .actions
            .iter()
            .map(|&a| action_rank(a))
            .max()
            .unwrap_or(0),
        _ => 0,
    };
    for facet in facets {
        for (i, step) in facet.path.iter().enumerate() {
            best = best.max(tool_rank(&step.node));
            // A direct action on a store: the write, or what the credential before it grants.
            let Some(hop) = step.hop.as_ref().filter(|hop| !hop.reversed) else {
                continue;
            };
            match hop.relation {
                crate::model::Relation::Writes => best = best.max(action_rank(Action::Write)),
                crate::model::Relation::Grants if i > 0 => {
                    let credential = graph.index_of(&facet.path[i - 1].node);
                    let grant = credential
                        .map_or(&[][..], |n| graph.edges(n, Outgoing))
                        .iter()
                        .map(|&(edge, _)| graph.edge(edge))
                        .find(|edge| edge.id == hop.edge);
                    for &action in grant.map_or(&[][..], |edge| &edge.permissions[..]) {
                        best = best.max(action_rank(action));
                    }
                }
                _ => {}
            }
        }
        for subject in &facet.subjects {
            best = best.max(tool_rank(subject));
        }
    }
    let grants = graph
        .index_of(place)
        .map_or(&[][..], |n| graph.edges(n, Outgoing))
        .iter()
        .map(|&(edge, _)| graph.edge(edge))
        .filter(|edge| edge.relation == crate::model::Relation::Grants);
    for edge in grants {
        for &action in &edge.permissions {
            best = best.max(action_rank(action));
        }
    }
    best
}

/// Names, not ids: "Up to 3 names, and n more".
fn name_list(names: &[String]) -> String {
    const SHOWN: usize = 3;
    let mut shown: Vec<&str> = names.iter().take(SHOWN).map(String::as_str).collect();
    let rest = names.len().saturating_sub(SHOWN);
    let rest_text = format!("{rest} more");
    if rest > 0 {
        shown.push(&rest_text);
    }
    match shown.as_slice() {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn title(graph: &ModelGraph, kind: RiskKind, place: &str, facets: &[Finding]) -> String {
    let rules: BTreeSet<&str> = facets.iter().map(|f| f.rule).collect();
    let tools = || {
        let mut seen = BTreeSet::new();
        let mut names = Vec::new();
        for facet in facets {
            for id in facet
                .subjects
                .iter()
                .chain(facet.path.last().map(|s| &s.node))
            {
                if graph.kind_of(id) == Some(NodeKind::Tool) && seen.insert(id.clone()) {
                    names.push(name_of(graph, id));
                }
            }
        }
        names
    };
    let exposed = facets.iter().find_map(|f| {
        f.factors
            .iter()
            .any(|factor| factor.kind == FactorKind::UntrustedExposure)
            .then(|| f.path.first())
            .flatten()
            .filter(|step| graph.kind_of(&step.node) == Some(NodeKind::Input))
            .map(|step| name_of(graph, &step.node))
    });
    // The stores a facet's path ends acting on directly: by a write, or a credential's grant.
    let stores = || {
        let mut seen = BTreeSet::new();
        let mut names = Vec::new();
        for facet in facets {
            let [.., before, last] = facet.path.as_slice() else {
                continue;
            };
            // A tool's own write is what calling the tool does; only an actor's write, or its
            // credential's grant, is a direct action.
            let direct = last.hop.as_ref().is_some_and(|hop| {
                !hop.reversed
                    && match hop.relation {
                        crate::model::Relation::Writes => matches!(
                            graph.kind_of(&before.node),
                            Some(NodeKind::Agent | NodeKind::Workflow)
                        ),
                        crate::model::Relation::Grants => true,
                        _ => false,
                    }
            });
            if direct
                && graph.kind_of(&last.node) == Some(NodeKind::Datastore)
                && seen.insert(last.node.clone())
            {
                names.push(name_of(graph, &last.node));
            }
        }
        names
    };
    match kind {
        // A production system entered from outside: the gate belongs in front of it, and
        // what it calls is not the point.
        RiskKind::UngatedActions if rules.iter().all(|&rule| rule == "BTZ-AUT-004") => {
            let outside = facets
                .iter()
                .find_map(|f| f.path.first())
                .map(|step| name_of(graph, &step.node))
                .unwrap_or_default();
            format!("{place} can be called from outside production by {outside} with no gateway")
        }
        RiskKind::UngatedActions => {
            let (tools, stores) = (tools(), stores());
            let reach = match (tools.is_empty(), stores.is_empty()) {
                (true, true) => "acts".to_owned(),
                (false, true) => format!("calls {}", name_list(&tools)),
                (true, false) => format!("acts on {}", name_list(&stores)),
                (false, false) => format!(
                    "calls {}, and acts on {}",
                    name_list(&tools),
                    name_list(&stores)
                ),
            };
            // Facets that are all about volume name the missing limit rather than a policy
            // gate. (An agent that can alter its audit log acts on a store directly, so its
            // risk always has the ungated-action facets too.)
            let only = |ids: &[&str]| rules.iter().all(|rule| ids.contains(rule));
            let missing = if only(&["BTZ-RES-002", "BTZ-RES-003"]) {
                "no rate limit or task budget"
            } else {
                "no policy gate"
            };
            match exposed {
                Some(input) => format!("{place} {reach} with {missing}, steered by {input}"),
                None => format!("{place} {reach} with {missing}"),
            }
        }
        RiskKind::Credential => {
            let mut traits: Vec<&str> = Vec::new();
            for (rule, word) in [
                ("BTZ-CRD-001", "standing"),
                ("BTZ-CRD-005", "plaintext"),
                ("BTZ-CRD-006", "over-scoped"),
                ("BTZ-IDN-001", "shared"),
                ("BTZ-CRD-002", "hard to revoke"),
                ("BTZ-CRD-004", "unrotated"),
                ("BTZ-CRD-003", "unowned"),
                ("BTZ-IDN-002", "borrowed from a person"),
                ("BTZ-MAG-001", "unauthenticated between agents"),
                ("BTZ-MAG-003", "callable without authentication"),
                ("BTZ-MAG-004", "not verified by its callers"),
            ] {
                if rules.contains(rule) {
                    traits.push(word);
                }
            }
            let mut text = if traits.is_empty() {
                format!("{place} carries more privilege than its users need")
            } else {
                // Every trait is named: each is a reason the credential needs replacing.
                let (last, init) = traits.split_last().expect("not empty");
                if init.is_empty() {
                    format!("{place} is {last}")
                } else {
                    format!("{place} is {} and {last}", init.join(", "))
                }
            };
            if let Some(facet) = facets.iter().find(|f| f.rule == "BTZ-AUT-002")
                && let Some(first) = facet.path.first()
            {
                text.push_str(&format!(
                    ", and wields privileges beyond what {} approves",
                    name_of(graph, &first.node)
                ));
            }
            text
        }
        RiskKind::ToolSupply => {
            let tools = tools();
            format!(
                "{place} loads {} with unverified provenance or no pinning",
                name_list(&tools)
            )
        }
        RiskKind::ContextIntegrity | RiskKind::Oversight => named(graph, &facets[0].title),
    }
}

/// A finding's title with each `id` of a node or boundary replaced by its name.
pub fn named(graph: &ModelGraph, text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('`') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('`') {
            Some(end) => {
                let id = &after[..end];
                if graph.index_of(id).is_some() {
                    out.push_str(&name_of(graph, id));
                } else if let Some(boundary) = graph.boundary(id).filter(|b| !b.name.is_empty()) {
                    out.push_str(&boundary.name);
                } else {
                    out.push('`');
                    out.push_str(id);
                    out.push('`');
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push('`');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Attaches recorded decisions to risks; decisions about no current risk are stale.
pub fn apply_triage(
    risks: &mut [Risk],
    decisions: &[crate::model::TriageDecision],
) -> findings::TriageOutcome {
    findings::apply_decisions(
        risks
            .iter_mut()
            .map(|risk| (risk.fingerprint.as_str(), &mut risk.triage)),
        decisions,
    )
}
