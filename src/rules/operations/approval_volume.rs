//! A person is sent more approval requests a day than they can review with care: approval by
//! volume becomes rubber-stamping, and a flood of requests hides the one that matters.

use petgraph::Direction::Outgoing;

use crate::findings::{Finding, Severity};
use crate::frameworks::*;
use crate::graph::{Witness, WitnessHop};
use crate::model::{Action, NodeKind, Relation};
use crate::rules::counted::{Count, listed};
use crate::rules::operations::ApprovalLoad;
use crate::rules::{Area, CheckContext, RiskKind, Rule};

pub static RULE: Rule = Rule {
    id: "BTZ-OPS-003",
    slug: "approval-volume-over-capacity",
    title: "A person is sent more approvals than they can review",
    area: Area::Operations,
    risk: RiskKind::Oversight,
    version: 1,
    default_severity: Severity::Medium,
    summary: "The `daily_volume` stated on a human's `approves` edges adds up to more than the human's stated `daily_capacity`. A stated volume with no stated capacity is a question, never a finding. When the capacity and every volume are stated, this measurement decides overload and BTZ-OPS-002's count of gates does not apply. Severity rises when the approved actions include payment, admin or delete.",
    rationale: "An approval is a control only while the person reads each request. Past the number a person can review with care, approving becomes a reflex: requests are clicked through in batches, the one injected or fraudulent request is lost among routine ones, and an attacker can raise the volume on purpose to get it through. The organisation then believes a person checks every action when nobody effectively does.",
    remediation: "Bring the volume under the approver's capacity: let request-time policy decide routine requests automatically, batch or threshold low-risk ones, and route the rest to more approvers; rate-limit the requests each gate can raise, and monitor approval rates and times for signs of rubber-stamping.",
    references: &[
        threat("T10"),
        asi("ASI09"),
        maestro_layer("L6"),
        nist("MAP 3.5"),
        nist("GOVERN 3.2"),
    ],
    check,
};

fn check(context: &CheckContext) -> Vec<Finding> {
    let mut findings = Vec::new();
    for human in context.nodes_of_kind(NodeKind::Human) {
        let load = ApprovalLoad::of(context, human);
        let Some(capacity) = load.capacity.filter(|_| load.is_over_capacity()) else {
            continue;
        };
        // The gate that sends the most requests.
        let Some(&(edge, busiest, _)) = load.gates.first() else {
            continue;
        };
        let witness = Witness {
            nodes: vec![human, busiest],
            hops: vec![WitnessHop {
                edge,
                reversed: false,
            }],
            shortest_paths: 1,
            elided: 0,
        };
        // What the approvals decide: the gates' own actions, and those of the tools a gate
        // calls directly.
        let mut actions: Vec<Action> = Vec::new();
        for &(_, gate, _) in &load.gates {
            actions.extend(context.high_impact_actions(gate));
            for (_, tool) in context.related(gate, Relation::Invokes, Outgoing) {
                actions.extend(context.high_impact_actions(tool));
            }
        }
        actions.sort();
        actions.dedup();
        let stated = load
            .gates
            .iter()
            .filter(|&&(_, _, volume)| volume.is_some());
        let stated_count = stated.clone().count();
        let by_gate = stated
            .filter_map(|&(_, gate, volume)| volume.map(|v| format!("`{}` {v}", context.id(gate))));
        let unstated = load.gates.len() - stated_count;
        let mut builder = context
            .finding(&RULE)
            .title(format!(
                "`{}` is sent {} approval requests a day and can review {capacity}",
                context.id(human),
                load.stated_volume
            ))
            .subjects([context.id(human)])
            .path(context.steps(&witness), 1)
            .evidence(format!(
                "requests a day by gate: {}",
                listed(by_gate, Count::of(stated_count, true))
            ))
            .factor(context.impact_factor(&actions));
        if unstated > 0 {
            builder = builder.evidence(format!(
                "{unstated} more `approves` edges state no volume: the load is at least this"
            ));
        }
        findings.push(builder.build());
    }
    findings
}
