//! Transitive delegation chain: a task passes from agent to agent to agent, and with it the
//! authority of whoever started it, further from anyone who can check it.

use rustc_hash::FxHashSet as HashSet;

use petgraph::Direction::{Incoming, Outgoing};
use petgraph::stable_graph::NodeIndex;

use crate::findings::{Finding, Severity};
use crate::frameworks::*;
use crate::graph::{Search, Traversal};
use crate::model::{DelegationAuth, Edge, NodeKind, Relation};
use crate::rules::{Area, CheckContext, RiskKind, Rule};

pub static RULE: Rule = Rule {
    id: "BTZ-MAG-002",
    slug: "transitive-delegation",
    title: "Transitive delegation chain",
    area: Area::MultiAgent,
    risk: RiskKind::Credential,
    version: 2,
    default_severity: Severity::Medium,
    summary: "Agents delegate onwards to agents that delegate again: a chain of three or more agents over `delegates` edges. One finding per chain root (an agent no other agent delegates to; in a delegation cycle, the cycle's first agent by id), naming the delegate furthest from it by the shortest chain.",
    rationale: "Each hand-off in a chain passes on the task and, implicitly, the authority of whoever started it, while each agent can reinterpret, widen or be manipulated into changing it. By the third agent nobody can say whose intent is being executed or with what scope, one compromised link poisons everything downstream, and a human's delegation ends up exercised by agents they never chose.",
    remediation: "Keep delegation shallow and explicit: have an orchestrator hand tasks to workers directly rather than letting workers re-delegate, and where chains are needed, pass a signed, scoped delegation token that each hop can only narrow, checked by request-time policy at every agent. Authenticate each hop with the agents' own workload identities and log the whole chain.",
    references: &[
        asi("ASI03"),
        asi("ASI07"),
        threat("T3"),
        threat("T14"),
        maestro("L7", "Compromised Agents"),
        nist("GOVERN 3.2"),
    ],
    check,
};

fn delegates(edge: &Edge) -> bool {
    edge.relation == Relation::Delegates
}

/// Whether the agent hands tasks to another agent.
fn delegates_onwards(context: &CheckContext, n: NodeIndex) -> bool {
    context
        .related(n, Relation::Delegates, Outgoing)
        .any(|(_, to)| context.kind(to) == NodeKind::Agent && to != n)
}

fn check(context: &CheckContext) -> Vec<Finding> {
    let agents = context.agents();
    let is_delegated = |n: NodeIndex| {
        context
            .related(n, Relation::Delegates, Incoming)
            .any(|(_, from)| context.kind(from) == NodeKind::Agent && from != n)
    };
    // Roots first; then, by id, agents no root's chain reached: the entries of delegation
    // cycles nobody else leads into.
    let roots = agents
        .iter()
        .copied()
        .filter(|&n| delegates_onwards(context, n) && !is_delegated(n));
    let mut by_id = agents.clone();
    by_id.sort_by_key(|&n| context.id(n));
    let rest: Vec<NodeIndex> = by_id
        .into_iter()
        .filter(|&n| delegates_onwards(context, n))
        .collect();
    let mut findings = Vec::new();
    let mut covered: HashSet<NodeIndex> = HashSet::default();
    let traversal = Traversal::forward(&delegates);
    for root in roots.chain(rest) {
        if covered.contains(&root) {
            continue;
        }
        let search = context.graph.search(&[root], &traversal);
        covered.extend(search.reached_nodes());
        if let Some(finding) = chain_finding(context, root, &search) {
            findings.push(finding);
        }
    }
    findings
}

fn chain_finding(context: &CheckContext, root: NodeIndex, search: &Search) -> Option<Finding> {
    let deepest = search
        .reached_nodes()
        .max_by_key(|&n| (search.distance(n), std::cmp::Reverse(context.id(n))))?;
    let depth = search.distance(deepest)?;
    if depth < 2 {
        return None;
    }
    let witness = search.witness(deepest)?;
    let unauthenticated = witness
        .hops
        .iter()
        .filter(|hop| context.graph.edge(hop.edge).auth == Some(DelegationAuth::None))
        .count();
    let unstated: Vec<&str> = witness
        .hops
        .iter()
        .map(|hop| context.graph.edge(hop.edge))
        .filter(|edge| edge.auth.is_none())
        .map(|edge| edge.id.as_str())
        .collect();
    let mut involved: Vec<NodeIndex> = search
        .reached_nodes()
        .filter(|&n| context.kind(n) == NodeKind::Agent)
        .collect();
    involved.sort_by_key(|&n| context.id(n));
    let place = super::common_identity(context, &involved).unwrap_or(root);
    let mut builder = context
        .finding(&RULE)
        .title(format!(
            "`{}` starts a delegation chain of {} agents ending at `{}`",
            context.id(root),
            depth + 1,
            context.id(deepest)
        ))
        .subjects([context.id(root), context.id(deepest)])
        .place(context.id(place))
        .path(context.steps(&witness), witness.shortest_paths)
        .evidence(format!(
            "{} agents are reachable from `{}` by delegation",
            search.reached_nodes().count() - 1,
            context.id(root)
        ));
    if unauthenticated > 0 {
        builder = builder.evidence(format!(
            "{unauthenticated} of the {} hand-offs on the path are unauthenticated",
            witness.hops.len()
        ));
    }
    // The chain is there whatever the hand-offs' authentication: unstated, it is only asked.
    if !unstated.is_empty() {
        builder = builder.evidence(format!(
            "{} of the {} hand-offs on the path do not state how they are authenticated",
            unstated.len(),
            witness.hops.len()
        ));
    }
    for edge in unstated {
        builder = builder.assumes(edge, "auth", "none", false);
    }
    let unscoped = witness
        .hops
        .iter()
        .filter(|hop| context.graph.edge(hop.edge).scope.is_empty())
        .count();
    if unscoped > 0 {
        builder = builder.evidence(format!(
            "{unscoped} of the {} hand-offs on the path carry no scope",
            witness.hops.len()
        ));
    }
    let principals: Vec<String> = context
        .related(root, Relation::Delegates, Incoming)
        .filter(|&(_, from)| context.kind(from) == NodeKind::Human)
        .map(|(_, from)| format!("`{}`", context.id(from)))
        .collect();
    if !principals.is_empty() {
        builder = builder.evidence(format!(
            "the chain carries a task delegated by {}",
            principals.join(", ")
        ));
    }
    Some(builder.build())
}
