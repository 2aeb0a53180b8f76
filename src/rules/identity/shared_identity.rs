//! One identity or secret used by several agents, by an agent and a human, or by an agent and
//! legacy automation: nobody can tell from the logs who acted, and revoking it breaks them all.

use petgraph::Direction::{Incoming, Outgoing};
use petgraph::stable_graph::NodeIndex;

use crate::findings::{Finding, Severity, Step};
use crate::frameworks::*;
use crate::graph::{Traversal, Witness};
use crate::model::{Action, Control, NodeKind, Relation};
use crate::rules::{Area, CheckContext, RiskKind, Rule};

pub static RULE: Rule = Rule {
    id: "BTZ-IDN-001",
    slug: "shared-identity",
    title: "Shared identity or credential",
    area: Area::Identity,
    risk: RiskKind::Credential,
    version: 2,
    default_severity: Severity::High,
    summary: "An identity or secret is used by several agents, by an agent and a human, or by an agent and legacy automation. A credential held by tools that several agents call through an audited gateway is not shared by them: the gateway records which agent each call is for.",
    rationale: "When several actors run under one identity or present one secret, the audit trail cannot say which of them acted, a compromise of any one of them is a compromise of all, and the credential cannot be revoked for one without breaking the others. Shared service accounts are how an agent quietly inherits the standing privileges of a legacy integration or a person.",
    remediation: "Give each agent its own workload identity and each integration its own credential, scoped to what that one actor needs; never let people sign in as a non-human identity. Then revocation and audit become per actor.",
    references: &[
        asi("ASI03"),
        threat("T3"),
        threat("T9"),
        nhi("NHI9:2025"),
        maestro("L7", "Agent Identity Attack"),
        nist("MEASURE 2.8"),
        sp800_53("AC-6"),
    ],
    check,
};

/// Who uses a credential: the nearest actors behind the tools, gateways and identities that
/// hold it or act as it. An audited gateway ends the walk: it records which caller each call
/// is for, so the agents calling tools through it do not share what those tools hold.
fn users(context: &CheckContext, credential: NodeIndex) -> crate::graph::Search {
    let behind = |edge: &crate::model::Edge| {
        matches!(
            edge.relation,
            Relation::Holds | Relation::ActsAs | Relation::Invokes
        )
    };
    let passes = |n: NodeIndex| {
        n == credential
            || match context.kind(n) {
                NodeKind::Tool | NodeKind::Identity => true,
                NodeKind::Gateway => !context.gateway_has(n, &[Control::AuditLog]),
                _ => false,
            }
    };
    context.graph.search(
        &[credential],
        &Traversal::backward(&behind).through(&passes),
    )
}

fn check(context: &CheckContext) -> Vec<Finding> {
    let mut findings = Vec::new();
    let credentials = context
        .graph
        .nodes()
        .filter(|&n| matches!(context.kind(n), NodeKind::Identity | NodeKind::Secret));
    for credential in credentials {
        // A secret held only by identities is reported through those identities.
        let holders: Vec<NodeIndex> = context
            .related(credential, Relation::Holds, Incoming)
            .map(|(_, n)| n)
            .collect();
        if context.kind(credential) == NodeKind::Secret
            && !holders.is_empty()
            && holders
                .iter()
                .all(|&h| context.kind(h) == NodeKind::Identity)
        {
            continue;
        }
        let search = users(context, credential);
        let mut actors: Vec<NodeIndex> = search
            .reached_nodes()
            .filter(|&n| {
                matches!(
                    context.kind(n),
                    NodeKind::Agent | NodeKind::Human | NodeKind::Workflow
                )
            })
            .collect();
        actors.sort_by_key(|&n| (actor_rank(context, n), context.id(n)));
        let agents = actors
            .iter()
            .filter(|&&n| context.kind(n) == NodeKind::Agent)
            .count();
        let humans = actors
            .iter()
            .filter(|&&n| context.kind(n) == NodeKind::Human)
            .count();
        let legacy = actors
            .iter()
            .filter(|&&n| context.workflow(n).is_some_and(|w| w.legacy == Some(true)))
            .count();
        if agents == 0 || (agents < 2 && humans == 0 && legacy == 0) {
            continue;
        }
        let first = actors[0];
        let second = actors[1];
        let (Some(to_first), Some(to_second)) = (search.witness(first), search.witness(second))
        else {
            continue;
        };
        let described: Vec<String> = actors.iter().map(|&n| describe_actor(context, n)).collect();
        let granted: Vec<Action> = context
            .related(credential, Relation::Grants, Outgoing)
            .flat_map(|(e, _)| context.permissions(context.graph.edge(e)))
            .collect();
        let stores: Vec<NodeIndex> = context
            .related(credential, Relation::Grants, Outgoing)
            .map(|(_, n)| n)
            .collect();
        let mut builder = context
            .finding(&RULE)
            .title(format!(
                "`{}` is shared by {} and {}",
                context.id(credential),
                describe_actor(context, first),
                describe_actor(context, second)
            ))
            .subjects([context.id(credential)])
            .path(
                shared_path(context, &to_first, &to_second),
                to_first.shortest_paths.min(to_second.shortest_paths),
            )
            .evidence(format!("used by {}", described.join(", ")))
            .factor(context.impact_factor(&granted))
            .factor(context.sensitivity_factor(&stores));
        // Human use of a non-human credential is its own concern (OWASP NHI10), cited only
        // where a person is among the users.
        if humans > 0 {
            builder = builder.evidence(
                "a person uses the same credential as an agent (OWASP NHI10:2025, Human Use of NHI)",
            );
        }
        findings.push(builder.build());
    }
    findings
}

/// `first → … → credential ← … ← second` when the two walks meet only at the credential;
/// when they meet earlier (both call the same tool), the first one's walk to the credential,
/// so that the path never passes a node twice.
fn shared_path(context: &CheckContext, to_first: &Witness, to_second: &Witness) -> Vec<Step> {
    let meet_only_at_credential = to_first
        .nodes
        .iter()
        .skip(1)
        .all(|n| !to_second.nodes.contains(n));
    if meet_only_at_credential {
        context.joined_steps(to_first, to_second)
    } else {
        context.steps(&context.reversed(to_first))
    }
}

/// Agents first, then people, then legacy automation, then other workflows.
fn actor_rank(context: &CheckContext, n: NodeIndex) -> u8 {
    match context.kind(n) {
        NodeKind::Agent => 0,
        NodeKind::Human => 1,
        NodeKind::Workflow if context.workflow(n).is_some_and(|w| w.legacy == Some(true)) => 2,
        _ => 3,
    }
}

fn describe_actor(context: &CheckContext, n: NodeIndex) -> String {
    let id = context.id(n);
    match context.kind(n) {
        NodeKind::Agent => format!("agent `{id}`"),
        NodeKind::Human => format!("person `{id}`"),
        NodeKind::Workflow if context.workflow(n).is_some_and(|w| w.legacy == Some(true)) => {
            format!("legacy automation `{id}`")
        }
        _ => format!("workflow `{id}`"),
    }
}
