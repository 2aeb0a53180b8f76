//! Untrusted callers set how much work the system does: an agent, a tool or an approval gate
//! they reach with no rate limit on the way and no task budget is theirs to flood.

use std::collections::BTreeMap;

use petgraph::stable_graph::NodeIndex;

use crate::findings::{Finding, Severity};
use crate::frameworks::*;
use crate::graph::{Search, Traversal};
use crate::model::{Action, Control, Edge, NodeKind, Relation, Trust, Zone};
use crate::rules::authorization::{approvers, is_approval_gate};
use crate::rules::context::is_capability_edge;
use crate::rules::counted::{Count, LISTED, listed_ids};
use crate::rules::{Area, CheckContext, RiskKind, Rule};

pub static RULE: Rule = Rule {
    id: "BTZ-RES-002",
    slug: "unlimited-untrusted-volume",
    title: "Untrusted callers can drive work with no rate limit or budget",
    area: Area::Resilience,
    risk: RiskKind::UngatedActions,
    version: 1,
    default_severity: Severity::Medium,
    summary: "An input stated untrusted, or an input, person or agent in an `internet` zone, reaches an agent, a tool or an approval gate — by feeding, calling, handing over or starting — past no gateway with `rate_limit`, and the agent it reaches has no `budget: true`. One finding per agent reached (the walk stops at agents: what an agent does next is bounded by its own budget), and one per workflow or entry that drives tools or approval gates with no agent between. An agent of unstated budget is a question, never a finding by itself.",
    rationale: "Whoever can send an email, open a chat or post to a webhook decides how often the agent behind it runs. With no rate limit in front and no per-task limit on steps, calls or spend, a flood of requests — or one request crafted to loop — exhausts model quotas and budget, takes the service down for everyone else, hammers the tools behind it, and buries the people who approve its actions in requests they can no longer judge.",
    remediation: "Put a gateway that limits the rate and volume of requests per caller in front of every entry untrusted parties reach, and give every agent a hard per-task limit on steps, tool calls and spend that stops it; cap the approval requests one caller can raise, and alert on spikes.",
    references: &[
        threat("T4"),
        threat("T10"),
        llm("LLM10:2025"),
        asi("ASI08"),
        atlas("AML.T0034.002"),
        maestro("L4", "Denial of Service (DoS) Attacks"),
        maestro("L3", "Denial of Service on Framework APIs"),
        nist("MEASURE 2.7"),
        nist("MANAGE 2.4"),
    ],
    check,
};

/// Where requests from outside go: fed to, called, handed over or started.
fn carries_work(edge: &Edge) -> bool {
    edge.relation == Relation::Feeds || is_capability_edge(edge)
}

/// The callers whose volume nobody in the organisation controls.
pub(crate) fn untrusted_callers(context: &CheckContext) -> Vec<NodeIndex> {
    context
        .graph
        .nodes()
        .filter(|&n| is_untrusted_caller(context, n))
        .collect()
}

/// A caller whose volume nobody in the organisation controls: an input stated untrusted, or an
/// input, person or agent in an internet zone.
fn is_untrusted_caller(context: &CheckContext, n: NodeIndex) -> bool {
    let untrusted_input = context.kind(n) == NodeKind::Input
        && matches!(
            &context.node(n).properties,
            crate::model::NodeProperties::Input(input) if input.trust == Some(Trust::Untrusted)
        );
    let on_internet = matches!(
        context.kind(n),
        NodeKind::Input | NodeKind::Human | NodeKind::Agent
    ) && context
        .graph
        .boundary_of(n)
        .is_some_and(|b| b.zone == Zone::Internet);
    untrusted_input || on_internet
}

/// Whether the walk of untrusted volume goes on past the agents it reaches.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum PastAgents {
    /// Stops at agents: what an agent does next is bounded by its own budget.
    Stop,
    /// Goes on: a task budget bounds each task, never how many tasks callers start, so the
    /// approval requests an agent raises grow with what its callers send.
    Continue,
}

/// The walk from untrusted callers: through everything but a gateway that limits rate (and,
/// when `stated`, a gateway of unstated controls, which may), and past agents as `agents` says.
pub(crate) fn volume_search(
    context: &CheckContext,
    sources: &[NodeIndex],
    stated: bool,
    agents: PastAgents,
) -> Search {
    let passes = |n: NodeIndex| {
        (agents == PastAgents::Continue || context.kind(n) != NodeKind::Agent)
            && !context.gateway_has(n, &[Control::RateLimit])
            && !(stated && context.is_unstated_gateway(n))
    };
    context
        .graph
        .search(sources, &Traversal::forward(&carries_work).through(&passes))
}

/// Whether `n`, reached, is flooded: an agent with no budget stated true, or a tool or an
/// approval gate (a gateway that limits rate is the limit, not a target).
fn is_target(context: &CheckContext, n: NodeIndex) -> bool {
    match context.kind(n) {
        NodeKind::Agent => context.agent(n).is_none_or(|a| a.budget != Some(true)),
        NodeKind::Tool => true,
        NodeKind::Gateway => {
            is_approval_gate(context, n) && !context.gateway_has(n, &[Control::RateLimit])
        }
        _ => is_approval_gate(context, n),
    }
}

/// What one place lets through: the targets behind it, nearest first.
struct Flood {
    targets: Vec<NodeIndex>,
    /// Whether it holds only by reading a gateway of unstated controls as limiting nothing.
    assumed: bool,
}

fn check(context: &CheckContext) -> Vec<Finding> {
    let sources = untrusted_callers(context);
    if sources.is_empty() {
        return Vec::new();
    }
    let stated = volume_search(context, &sources, true, PastAgents::Stop);
    let assumed = volume_search(context, &sources, false, PastAgents::Stop);
    // Each target at its place: an agent at itself, anything else at the last agent or
    // workflow before it (the entry, when none is). Targets the stated walk reaches first.
    let mut by_place: BTreeMap<NodeIndex, Flood> = BTreeMap::new();
    for (search, is_assumed) in [(&stated, false), (&assumed, true)] {
        for n in search.reached_nodes() {
            if search.distance(n) == Some(0) || !is_target(context, n) {
                continue;
            }
            if is_assumed && stated.reached(n) {
                continue;
            }
            let place = if context.kind(n) == NodeKind::Agent {
                n
            } else {
                let Some(witness) = search.witness_ends(n) else {
                    continue;
                };
                context.caller(&witness)
            };
            let flood = by_place.entry(place).or_insert(Flood {
                targets: Vec::new(),
                assumed: is_assumed,
            });
            if flood.assumed == is_assumed {
                flood.targets.push(n);
            }
        }
    }
    let mut findings = Vec::new();
    for (place, flood) in by_place {
        let search = if flood.assumed { &assumed } else { &stated };
        let nearest = flood.targets[0];
        // The whole path when it leans on gateways of unstated controls, to name each.
        let witness = if flood.assumed {
            search.witness(nearest)
        } else {
            search.witness_ends(nearest)
        };
        let Some(witness) = witness else {
            continue;
        };
        let source = witness.nodes[0];
        let mut actions: Vec<Action> = flood
            .targets
            .iter()
            .flat_map(|&t| context.high_impact_actions(t))
            .collect();
        actions.sort();
        actions.dedup();
        let agent_budget = context
            .agent(place)
            .filter(|_| context.kind(place) == NodeKind::Agent)
            .map(|a| a.budget);
        let title = if agent_budget.is_some() {
            format!(
                "`{}` can make `{}` work without limit: no rate limit on the way, no task budget",
                context.id(source),
                context.id(place)
            )
        } else {
            format!(
                "`{}` can drive `{}` without limit: no rate limit on the way",
                context.id(source),
                context.id(place)
            )
        };
        let mut builder = context
            .finding(&RULE)
            .title(title)
            .subjects([context.id(place)])
            .place(context.id(place))
            .path(context.steps(&witness), witness.shortest_paths)
            .factor(context.impact_factor(&actions));
        if agent_budget.is_none() {
            builder = builder.evidence(format!(
                "unlimited: {}",
                listed_ids(
                    flood.targets.iter().map(|&t| context.id(t)),
                    Count::of(flood.targets.len(), true)
                )
            ));
        }
        // The people a flood of approval requests lands on, among the nearest targets.
        let mut approvers: Vec<&str> = flood
            .targets
            .iter()
            .take(LISTED)
            .flat_map(|&t| approvers(context, t))
            .map(|human| context.id(human))
            .collect();
        approvers.sort();
        approvers.dedup();
        if !approvers.is_empty() {
            builder = builder.evidence(format!(
                "each request can ask {} for approval",
                listed_ids(approvers.iter().copied(), Count::of(approvers.len(), true))
            ));
        }
        match agent_budget {
            Some(None) => builder = builder.assumes(context.id(place), "budget", "none", true),
            Some(Some(_)) => {
                builder = builder.evidence(format!("`{}` has no task budget", context.id(place)))
            }
            None => {}
        }
        if flood.assumed {
            builder = context.assume_gateways_uncontrolled(builder, &witness.nodes);
        }
        findings.push(builder.build());
    }
    findings
}
