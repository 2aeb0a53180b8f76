//! Agent action with no audit log: a high-impact call an agent can make without passing any
//! point that records who did what and why.

use crate::findings::{Finding, Severity};
use crate::frameworks::*;
use crate::model::{Control, NodeProperties};
use crate::rules::{Area, CheckContext, RiskKind, Rule};

pub static RULE: Rule = Rule {
    id: "BTZ-OPS-001",
    slug: "no-audit-trail",
    title: "Agent action with no audit log",
    area: Area::Operations,
    risk: RiskKind::UngatedActions,
    version: 3,
    default_severity: Severity::Medium,
    summary: "An agent can take a high-impact action (any action but read) by a path that passes no gateway with `audit_log`: call a high-impact tool, or act on a datastore directly, by writing it or through a secret it holds or an identity it acts as that grants a high-impact permission on it. One finding per tool or datastore, with the path from the nearest agent; severity rises when the action can pay, administer or delete.",
    rationale: "When an agent's calls are not recorded at a control point, nobody can reconstruct what it did, on whose behalf and why: a hijacked or misbehaving agent goes unnoticed, an incident cannot be scoped, and the organisation cannot show an auditor or a court which actions were the agent's. Logs the agent writes about itself are not enough, since a compromised agent controls them.",
    remediation: "Route every high-impact tool call and datastore write through a gateway that writes an append-only audit log of the agent's workload identity, the delegating human and task, the tool, the arguments and the decision, outside the agent's reach. Monitor that log for anomalies and keep it long enough to investigate incidents.",
    references: &[
        asi("ASI10"),
        threat("T8"),
        maestro("L7", "Repudiation"),
        maestro("L5", "Evasion of Detection"),
        nist("MEASURE 2.4"),
        nist("MANAGE 4.1"),
    ],
    check,
};

fn check(context: &CheckContext) -> Vec<Finding> {
    let agents = context.agents();
    let reach = context.action_search(&agents, &[Control::AuditLog], false);
    // Paths that hold without reading a gateway of unstated controls as keeping no log.
    let stated = context.action_search(&agents, &[Control::AuditLog], true);
    let mut findings = Vec::new();
    for target in context.graph.nodes() {
        let actions = context.actions_at(target, &reach);
        if actions.is_empty() {
            continue;
        }
        let assumed = !stated.reached(target);
        let Some(witness) = stated.witness(target).or_else(|| reach.witness(target)) else {
            continue;
        };
        let agent = witness.nodes[0];
        let caller = context.caller(&witness);
        let words: Vec<&str> = actions.iter().map(|a| a.as_str()).collect();
        let gateways: Vec<String> = witness
            .nodes
            .iter()
            .filter_map(|&n| {
                let NodeProperties::Gateway(gateway) = &context.node(n).properties else {
                    return None;
                };
                let controls: Vec<&str> = gateway.controls.iter().map(|c| c.as_str()).collect();
                Some(if controls.is_empty() {
                    format!("`{}` (no controls)", context.id(n))
                } else {
                    format!("`{}` ({})", context.id(n), controls.join(", "))
                })
            })
            .collect();
        let evidence = match gateways.len() {
            0 => "the path passes no gateway".to_owned(),
            1 => format!("the path passes {}, which keeps no audit log", gateways[0]),
            _ => format!(
                "the path passes {}, none of which keeps an audit log",
                gateways.join(", ")
            ),
        };
        let mut builder = context
            .finding(&RULE)
            .title(format!(
                "`{}` ({}) is reachable from `{}` with no audit log on the path",
                context.id(target),
                words.join(", "),
                context.id(agent)
            ))
            .subjects([context.id(target)])
            .place(context.id(caller))
            .path(context.steps(&witness), witness.shortest_paths)
            .evidence(evidence)
            .factor(context.impact_factor(&actions));
        if assumed {
            builder = context.assume_gateways_uncontrolled(builder, &witness.nodes);
        }
        findings.push(builder.build());
    }
    findings
}
