//! A production system that callers in the internet, a vendor's or a partner's zone can
//! invoke, hand tasks to or start without passing any gateway: an exposed server.

use petgraph::stable_graph::NodeIndex;

use crate::findings::{Factor, FactorKind, Finding, Severity};
use crate::frameworks::*;
use crate::graph::Traversal;
use crate::model::{DelegationAuth, NodeKind, Zone};
use crate::rules::context::is_capability_edge;
use crate::rules::{Area, CheckContext, RiskKind, Rule};

pub static RULE: Rule = Rule {
    id: "BTZ-AUT-004",
    slug: "exposed-production-endpoint",
    title: "Production system callable from outside with no gateway",
    area: Area::Authorization,
    risk: RiskKind::UngatedActions,
    version: 1,
    default_severity: Severity::High,
    summary: "A node in a boundary of zone `internet`, `vendor` or `partner` can invoke, delegate to or trigger a node in a `production` zone, directly or through nodes outside production, with no gateway on the way. One finding per production node so entered, with the path from the nearest outside caller; a node's zone is that of its innermost boundary. Lower when the entered node is a tool that only reads.",
    rationale: "A production tool, agent or workflow that outside parties can call straight away is an exposed server: whoever controls the caller (an attacker on the internet, a compromised vendor or partner system, a spoofed peer agent) reaches production with nothing in between to authenticate the caller, decide the request against policy, limit its rate or record it. Boundaries say where trust changes; a crossing into production with no control point on it means the boundary is drawn but not enforced.",
    remediation: "Put a gateway at the edge of the production zone in front of every call that comes from outside it: authenticate the caller's own identity, evaluate request-time policy for each request, limit its rate and keep an audit log. Expose only the operations outside callers need, and keep production tools and agents unreachable from the internet, vendor and partner zones except through it.",
    references: &[
        asi("ASI02"),
        asi("ASI03"),
        threat("T2"),
        threat("T3"),
        nhi("NHI8:2025"),
        maestro("L4", "Lateral Movement"),
        maestro("L7", "Integration Risks"),
        nist("MEASURE 2.7"),
    ],
    check,
};

/// Zones whose callers the organisation does not run.
fn is_outside(zone: Zone) -> bool {
    matches!(zone, Zone::Internet | Zone::Vendor | Zone::Partner)
}

fn check(context: &CheckContext) -> Vec<Finding> {
    let graph = context.graph;
    let outside: Vec<NodeIndex> = graph
        .nodes()
        .filter(|&n| graph.zone(n).is_some_and(is_outside))
        .collect();
    if outside.is_empty() {
        return Vec::new();
    }
    let in_production = |n: NodeIndex| graph.zone(n) == Some(Zone::Production);
    // A gateway mediates what passes it, and a production node is the entry reported: what
    // lies behind it is reached through it, so the walk stops at both.
    let passes = |n: NodeIndex| context.kind(n) != NodeKind::Gateway && !in_production(n);
    let reach = graph.search(
        &outside,
        &Traversal::forward(&is_capability_edge).through(&passes),
    );
    let mut findings = Vec::new();
    for entry in reach.reached_nodes() {
        if !in_production(entry)
            || context.kind(entry) == NodeKind::Gateway
            || reach.distance(entry) == Some(0)
        {
            continue;
        }
        // The ends of the path are what a finding shows: down a long chain of callers each
        // of many entries would otherwise walk the whole chain.
        let Some(witness) = reach.witness_ends(entry) else {
            continue;
        };
        let caller = witness.nodes[0];
        let last_hop = graph.edge(witness.hops[witness.hops.len() - 1].edge);
        let zone_of = |n: NodeIndex| context.zone_words(n).unwrap_or_default();
        let mut builder = context
            .finding(&RULE)
            .title(format!(
                "`{}` ({}) can be reached from `{}` ({}) with no gateway on the way",
                context.id(entry),
                zone_of(entry),
                context.id(caller),
                zone_of(caller)
            ))
            .subjects([context.id(entry)])
            .place(context.id(entry))
            .path(context.steps(&witness), witness.shortest_paths)
            .factor(entry_impact(context, entry));
        match last_hop.auth {
            Some(auth) if auth != DelegationAuth::None => {
                builder = builder.evidence(format!(
                    "the call into production is authenticated (`auth: {auth}`), but nothing decides or limits it"
                ));
            }
            _ => {}
        }
        findings.push(builder.build());
    }
    findings
}

/// What the entered node can do, for severity: payment, admin or delete raise it; a tool that
/// only reads lowers it.
fn entry_impact(context: &CheckContext, entry: NodeIndex) -> Option<Factor> {
    let tool = context.tool(entry)?;
    let actions = context.high_impact_actions(entry);
    if actions.is_empty() && !tool.actions.is_empty() {
        return Some(Factor {
            kind: FactorKind::ActionImpact,
            effect: -1,
            detail: format!("`{}` only reads", context.id(entry)),
        });
    }
    context.impact_factor(&actions)
}
