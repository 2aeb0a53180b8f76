//! A high-impact tool sits behind a human approval gate on one path and is reachable around it
//! on another: the approval is a formality the agent can skip.

use petgraph::stable_graph::NodeIndex;

use super::{action_list, approvers, is_approval_gate};
use crate::findings::{Finding, Severity};
use crate::frameworks::*;
use crate::graph::Traversal;
use crate::model::{Control, NodeKind};
use crate::rules::context::is_capability_edge;
use crate::rules::{Area, CheckContext, RiskKind, Rule};

pub static RULE: Rule = Rule {
    id: "BTZ-AUT-003",
    slug: "approval-bypass",
    title: "Approval gate can be bypassed",
    area: Area::Authorization,
    risk: RiskKind::UngatedActions,
    version: 2,
    default_severity: Severity::High,
    summary: "A high-impact tool is reachable from an agent through a human-approval gate (a gateway with human_approval, or a tool, workflow, agent or gateway a person approves) and also along a path of invokes, delegates and triggers that passes no such gate.",
    rationale: "A human-in-the-loop gate is only a control if it is the only way to the action. When the same tool is also registered with the agent directly, reachable through another tool or started by a workflow the approver never sees, an injected instruction or an impatient plan takes the ungated path, and the approval queue gives reviewers and auditors false assurance. Side doors like this are typically added for \"urgent\" cases and then forgotten.",
    remediation: "Make the approval gate the only path to the action: remove direct registrations and side paths, have the tool's credential accept calls only from the gateway's workload identity, and enforce request-time policy at the tool so that a call without an approval record is denied.",
    references: &[
        asi("ASI02"),
        asi("ASI09"),
        threat("T2"),
        threat("T10"),
        llm("LLM06:2025"),
        maestro("L7", "Agent Tool Misuse"),
        nist("MAP 3.5"),
    ],
    check,
};

fn check(context: &CheckContext) -> Vec<Finding> {
    let agents = context.agents();
    let gate = |n: NodeIndex| is_approval_gate(context, n);
    // Where agents get to at all, and which approval gates they reach.
    let everywhere = context.capability_search(&agents, &[]);
    let gates: Vec<NodeIndex> = everywhere.reached_nodes().filter(|&n| gate(n)).collect();
    if gates.is_empty() {
        return Vec::new();
    }
    // What each gate fronts (from the nearest gate), and what agents reach avoiding every gate.
    let behind = context
        .graph
        .search(&gates, &Traversal::forward(&is_capability_edge));
    let ungated_agents: Vec<NodeIndex> = agents.iter().copied().filter(|&a| !gate(a)).collect();
    let passes = |n: NodeIndex| !gate(n);
    let around = context.graph.search(
        &ungated_agents,
        &Traversal::forward(&is_capability_edge).through(&passes),
    );
    let mut findings = Vec::new();
    for tool in around.reached_nodes() {
        if context.kind(tool) != NodeKind::Tool || gate(tool) {
            continue;
        }
        let actions = context.high_impact_actions(tool);
        if actions.is_empty() || behind.distance(tool).is_none_or(|d| d == 0) {
            continue;
        }
        let (Some(bypass), Some(gated)) = (around.witness(tool), behind.witness(tool)) else {
            continue;
        };
        let gate_node = gated.nodes[0];
        let agent = bypass.nodes[0];
        let caller = context.caller(&bypass);
        let mut gated_ids: Vec<&str> = everywhere
            .witness(gate_node)
            .map(|w| w.nodes.iter().map(|&n| context.id(n)).collect())
            .unwrap_or_default();
        gated_ids.extend(gated.nodes.iter().skip(1).map(|&n| context.id(n)));
        let gated_path: Vec<String> = gated_ids.iter().map(|id| format!("`{id}`")).collect();
        let approved_by: Vec<String> = approvers(context, gate_node)
            .map(|h| format!("`{}`", context.id(h)))
            .collect();
        let how = if context.gateway_has(gate_node, &[Control::HumanApproval]) {
            "holds calls for human approval"
        } else {
            "needs a person's approval"
        };
        let mut gate_fact = format!("`{}` {how}", context.id(gate_node));
        if !approved_by.is_empty() {
            gate_fact.push_str(&format!(" (approved by {})", approved_by.join(", ")));
        }
        let mut builder = context
            .finding(&RULE)
            .title(format!(
                "`{}` ({}) is gated by `{}`, but `{}` can reach it around the gate",
                context.id(tool),
                action_list(&actions),
                context.id(gate_node),
                context.id(agent)
            ))
            .subjects([context.id(tool), context.id(gate_node)])
            .place(context.id(caller))
            .path(context.steps(&bypass), bypass.shortest_paths)
            .evidence(gate_fact)
            .evidence(format!("gated path: {}", gated_path.join(" → ")))
            .factor(context.impact_factor(&actions))
            .factor(context.autonomy_factor(caller));
        builder = context.with_exposure(builder, caller);
        // A gateway of unstated controls on the way around may be a gate itself.
        let around_unstated = bypass.nodes.iter().any(|&n| context.is_unstated_gateway(n));
        if around_unstated {
            builder = context.assume_gateways_uncontrolled(builder, &bypass.nodes);
        } else if let Some(why) = context.critical_reach(caller, tool, &actions, &bypass.nodes) {
            builder = builder.critical(why);
        }
        findings.push(builder.build());
    }
    findings
}
