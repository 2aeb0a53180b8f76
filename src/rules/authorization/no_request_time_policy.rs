//! A high-impact tool an agent can reach along a path with no request-time policy: nothing
//! decides, per call and in context, whether this agent may do this to this data now.

use petgraph::stable_graph::NodeIndex;

use super::action_list;
use crate::findings::{Finding, Severity};
use crate::frameworks::*;
use crate::model::{Control, NodeProperties};
use crate::rules::{Area, CheckContext, RiskKind, Rule};

pub static RULE: Rule = Rule {
    id: "BTZ-AUT-001",
    slug: "no-request-time-policy",
    title: "High-impact action without request-time policy",
    area: Area::Authorization,
    risk: RiskKind::UngatedActions,
    version: 3,
    default_severity: Severity::High,
    summary: "An agent can take a high-impact action along a path of invokes, delegates and triggers that passes no gateway enforcing request-time policy: call a tool that writes, deletes, executes, sends, pays or administers, or act on a datastore directly, by writing it or through a secret it holds or an identity it acts as that grants a high-impact permission on it.",
    rationale: "An agent decides at run time what to call and with which arguments, from content it did not write; static role grants cannot tell a legitimate refund from one an injected email asked for. Without a policy decision point evaluating each high-impact call against the tool, the data and the workflow it belongs to, the only limit on what the agent does is what its credentials allow, and incidents of agent tool misuse are exactly calls that were technically permitted.",
    remediation: "Route every call to a high-impact tool, and every write to a datastore, through a policy enforcement point that evaluates request-time policy against tool, data and workflow context (who the agent acts for, the task's scope, amount and recipient limits), and deny by default; keep the agent's own credentials scoped to the minimum so the policy is the gate, not a suggestion.",
    references: &[
        asi("ASI02"),
        threat("T2"),
        llm("LLM06:2025"),
        atlas("AML.T0053"),
        maestro("L7", "Agent Tool Misuse"),
        nist("GOVERN 3.2"),
        nist("MAP 3.5"),
        sp800_53("AC-6"),
    ],
    check,
};

fn check(context: &CheckContext) -> Vec<Finding> {
    let agents = context.agents();
    let search = context.action_search(&agents, &[Control::RequestTimePolicy], false);
    // Paths that hold without reading a gateway of unstated controls as uncontrolled.
    let stated = context.action_search(&agents, &[Control::RequestTimePolicy], true);
    let mut findings = Vec::new();
    for target in search.reached_nodes() {
        let actions = context.actions_at(target, &search);
        if actions.is_empty() {
            continue;
        }
        let assumed = !stated.reached(target);
        let Some(witness) = stated.witness(target).or_else(|| search.witness(target)) else {
            continue;
        };
        let agent: NodeIndex = witness.nodes[0];
        let caller = context.caller(&witness);
        let gateways: Vec<String> = witness
            .nodes
            .iter()
            .filter_map(|&n| match &context.node(n).properties {
                NodeProperties::Gateway(g) => {
                    let controls: Vec<&str> = g.controls.iter().map(|c| c.as_str()).collect();
                    let controls = if controls.is_empty() {
                        "no controls".to_owned()
                    } else {
                        controls.join(", ")
                    };
                    Some(format!(
                        "`{}` on the way enforces {controls}, not request-time policy",
                        context.id(n)
                    ))
                }
                _ => None,
            })
            .collect();
        let mut builder = context
            .finding(&RULE)
            .title(format!(
                "`{}` ({}) is reachable from `{}` with no request-time policy",
                context.id(target),
                action_list(&actions),
                context.id(agent)
            ))
            .subjects([context.id(target)])
            .place(context.id(caller))
            .path(context.steps(&witness), witness.shortest_paths)
            .evidence(format!(
                "no gateway with request_time_policy between `{}` and `{}`",
                context.id(agent),
                context.id(target)
            ))
            .factor(context.impact_factor(&actions))
            .factor(context.autonomy_factor(caller));
        builder = context.with_exposure(builder, caller);
        for gateway in gateways {
            builder = builder.evidence(gateway);
        }
        if assumed {
            builder = context.assume_gateways_uncontrolled(builder, &witness.nodes);
        } else if let Some(why) = context.critical_reach(caller, target, &actions, &witness.nodes) {
            builder = builder.critical(why);
        }
        findings.push(builder.build());
    }
    findings
}
