//! One person approves too many gates: human-in-the-loop turns into rubber-stamping when one
//! approver sits in front of many different high-impact actions.

use rustc_hash::FxHashSet as HashSet;

use petgraph::Direction::Outgoing;
use petgraph::stable_graph::NodeIndex;

use crate::findings::{Finding, Severity};
use crate::frameworks::*;
use crate::graph::Traversal;
use crate::model::{Action, Edge, NodeKind, Relation};
use crate::rules::context::is_capability_edge;
use crate::rules::operations::ApprovalLoad;
use crate::rules::{Area, CheckContext, RiskKind, Rule};

pub static RULE: Rule = Rule {
    id: "BTZ-OPS-002",
    slug: "approver-overload",
    title: "One person approves too many gates",
    area: Area::Operations,
    risk: RiskKind::Oversight,
    version: 2,
    default_severity: Severity::Medium,
    summary: "A human approves four or more gates: counted are the tools, workflows and agents they approve directly, and the high-impact tools behind the gateways they approve (through further gateways, not through agents or workflows). Four or more direct `approves` edges also count, whatever the gateways front. A human node may stand for a role; the check reads it as one person. When the human's `daily_capacity` and every `approves` edge's `daily_volume` are stated, the measured volume decides instead (BTZ-OPS-003).",
    rationale: "Human approval is only a control while the approver can judge each request. One person in front of many different high-impact actions gets a stream of prompts they cannot all evaluate, learns to click approve, and becomes the single point an attacker needs to fool or wait out — approval fatigue is a documented way around human-in-the-loop controls.",
    remediation: "Spread approvals across the people accountable for each system, and reserve human approval for the decisions that need judgement: let request-time policy against tool, data and workflow context decide routine calls automatically, batch or threshold the rest, and monitor approval rates and latency for signs of rubber-stamping.",
    references: &[
        asi("ASI09"),
        threat("T10"),
        maestro_layer("L6"),
        nist("MAP 3.5"),
        nist("GOVERN 3.2"),
    ],
    check,
};

const THRESHOLD: usize = 4;

fn check(context: &CheckContext) -> Vec<Finding> {
    let mut findings = Vec::new();
    for human in context.nodes_of_kind(NodeKind::Human) {
        let direct: HashSet<NodeIndex> = context
            .related(human, Relation::Approves, Outgoing)
            .map(|(_, n)| n)
            .collect();
        // A measured load is judged by BTZ-OPS-003: the count of gates is only its proxy.
        if direct.is_empty() || ApprovalLoad::of(context, human).is_measured() {
            continue;
        }
        // The approvals, then what the approved gateways call, through further gateways.
        let human_id = context.id(human);
        let follows = |edge: &Edge| match edge.relation {
            Relation::Approves => true,
            _ => is_capability_edge(edge) && edge.from != human_id,
        };
        let passes = |n: NodeIndex| context.kind(n) == NodeKind::Gateway;
        let search = context
            .graph
            .search(&[human], &Traversal::forward(&follows).through(&passes));
        let mut gates: Vec<NodeIndex> = search
            .reached_nodes()
            .filter(|&n| n != human)
            .filter(|&n| {
                if direct.contains(&n) {
                    context.kind(n) != NodeKind::Gateway
                } else {
                    context.is_high_impact_tool(n)
                }
            })
            .collect();
        gates.sort_by_key(|&n| (search.distance(n), context.id(n)));
        let mut approved: Vec<&str> = direct.iter().map(|&n| context.id(n)).collect();
        approved.sort();
        let count = gates.len().max(approved.len());
        if count < THRESHOLD {
            continue;
        }
        let nearest = gates
            .first()
            .copied()
            .or_else(|| direct.iter().copied().min_by_key(|&n| context.id(n)));
        let Some(witness) = nearest.and_then(|n| search.witness(n)) else {
            continue;
        };
        let mut actions: Vec<Action> = Vec::new();
        let described: Vec<String> = gates
            .iter()
            .map(|&n| {
                let high_impact = context.high_impact_actions(n);
                actions.extend(&high_impact);
                let words: Vec<&str> = high_impact.iter().map(|a| a.as_str()).collect();
                let what = if words.is_empty() {
                    format!("`{}`", context.id(n))
                } else {
                    format!("`{}` ({})", context.id(n), words.join(", "))
                };
                match search.witness(n).map(|w| w.nodes[1]) {
                    Some(via) if via != n => format!("{what} via `{}`", context.id(via)),
                    _ => format!("{what} directly"),
                }
            })
            .collect();
        actions.sort();
        actions.dedup();
        let mut builder = context
            .finding(&RULE)
            .title(format!(
                "`{human_id}` is the human approver for {count} different gates"
            ))
            .subjects([human_id])
            .path(context.steps(&witness), witness.shortest_paths)
            .evidence(format!(
                "`approves` edges to {}",
                approved
                    .iter()
                    .map(|id| format!("`{id}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .factor(context.impact_factor(&actions));
        if !described.is_empty() {
            builder = builder.evidence(format!("gated: {}", described.join(", ")));
        }
        findings.push(builder.build());
    }
    findings
}
