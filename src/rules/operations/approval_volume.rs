//! A person is sent more approval requests a day than they can review with care: approval by
//! volume becomes rubber-stamping, and a flood of requests hides the one that matters.

use petgraph::Direction::Outgoing;
use petgraph::stable_graph::{EdgeIndex, NodeIndex};

use crate::findings::{Finding, Severity};
use crate::frameworks::*;
use crate::graph::{Search, Witness};
use crate::model::{Action, Control, NodeKind, Relation};
use crate::rules::counted::{Count, listed, listed_ids};
use crate::rules::operations::ApprovalLoad;
use crate::rules::resilience::unlimited_untrusted_volume::{
    PastAgents, untrusted_callers, volume_search,
};
use crate::rules::{Area, CheckContext, RiskKind, Rule};

pub static RULE: Rule = Rule {
    id: "BTZ-OPS-003",
    slug: "approval-volume-over-capacity",
    title: "A person is sent more approvals than they can review",
    area: Area::Operations,
    risk: RiskKind::Oversight,
    version: 2,
    default_severity: Severity::Medium,
    summary: "The `daily_volume` stated on a human's `approves` edges adds up to more than the human's stated `daily_capacity`. A stated volume with no stated capacity is a question, never a finding. When untrusted callers can drive requests to a gate the human approves past no rate limit (through agents: a task budget does not bound how many tasks arrive), the finding waits on the unstated capacity, then on the unstated volumes of the gates they reach. When the capacity and every volume are stated, this measurement decides overload and BTZ-OPS-002's count of gates does not apply. Severity rises when the approved actions include payment, admin or delete.",
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
    // Computed on the first person whose load is not over a stated capacity.
    let mut floods: Option<Floods> = None;
    for human in context.nodes_of_kind(NodeKind::Human) {
        let load = ApprovalLoad::of(context, human);
        let Some(capacity) = load.capacity.filter(|_| load.is_over_capacity()) else {
            if load.gates.is_empty() {
                continue;
            }
            let floods = floods.get_or_insert_with(|| Floods::of(context));
            if let Some(finding) = flooded_approver(context, human, &load, floods) {
                findings.push(finding);
            }
            continue;
        };
        // The gate that sends the most requests.
        let Some(&(edge, busiest, _)) = load.gates.first() else {
            continue;
        };
        let witness = Witness::one_hop(human, edge, busiest);
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

/// Where untrusted callers can send work with no rate limit on the way, on through agents: a
/// task budget bounds each task, never how many tasks callers start.
struct Floods {
    /// The walk that holds as stated.
    stated: Option<Search>,
    /// The walk that reads gateways of unstated controls as limiting nothing.
    assumed: Option<Search>,
}

impl Floods {
    fn of(context: &CheckContext) -> Floods {
        let sources = untrusted_callers(context);
        if sources.is_empty() {
            return Floods {
                stated: None,
                assumed: None,
            };
        }
        Floods {
            stated: Some(volume_search(context, &sources, true, PastAgents::Continue)),
            assumed: Some(volume_search(
                context,
                &sources,
                false,
                PastAgents::Continue,
            )),
        }
    }

    /// The path a flood takes to `gate`, and whether it leans on gateways of unstated
    /// controls. A gateway that limits rate is the limit, not a gate flooded.
    fn to(&self, context: &CheckContext, gate: NodeIndex) -> Option<(Witness, bool)> {
        if context.gateway_has(gate, &[Control::RateLimit]) {
            return None;
        }
        let flooded = |search: &Search| {
            search
                .distance(gate)
                .is_some_and(|distance| distance > 0)
                .then(|| search.witness(gate))
                .flatten()
        };
        if let Some(witness) = self.stated.as_ref().and_then(flooded) {
            return Some((witness, false));
        }
        self.assumed
            .as_ref()
            .and_then(flooded)
            .map(|witness| (witness, true))
    }
}

/// A person whose approval requests untrusted callers can raise with no rate limit, when the
/// model leaves open whether that exceeds what the person can review: the finding waits on the
/// capacity, then on the volume of the gates flooded. A load stated and under capacity is the
/// design's answer; the flood itself is BTZ-RES-002's.
fn flooded_approver(
    context: &CheckContext,
    human: NodeIndex,
    load: &ApprovalLoad,
    floods: &Floods,
) -> Option<Finding> {
    let flooded: Vec<(EdgeIndex, NodeIndex, Option<u32>, Witness, bool)> = load
        .gates
        .iter()
        .filter_map(|&(edge, gate, volume)| {
            floods
                .to(context, gate)
                .map(|(witness, assumed)| (edge, gate, volume, witness, assumed))
        })
        .collect();
    // The nearest flood, preferring one that holds as stated.
    let (_, gate, _, witness, assumed) =
        flooded
            .iter()
            .min_by_key(|(_, gate, _, witness, assumed)| {
                (*assumed, witness.nodes.len(), context.id(*gate))
            })?;
    let unstated_volumes: Vec<EdgeIndex> = flooded
        .iter()
        .filter(|(_, _, volume, _, _)| volume.is_none())
        .map(|&(edge, ..)| edge)
        .collect();
    if load.capacity.is_some() && unstated_volumes.is_empty() {
        return None;
    }
    let source = witness.nodes[0];
    let mut builder = context
        .finding(&RULE)
        .title(format!(
            "`{}` can send `{}` approval requests with no rate limit on the way",
            context.id(source),
            context.id(human)
        ))
        .subjects([context.id(human)])
        .path(context.steps(witness), witness.shortest_paths)
        .evidence(format!(
            "`{}` approves {}",
            context.id(human),
            listed_ids(
                flooded.iter().map(|&(_, gate, ..)| context.id(gate)),
                Count::of(flooded.len(), true)
            )
        ));
    let mut actions = context.high_impact_actions(*gate);
    for (_, tool) in context.related(*gate, Relation::Invokes, Outgoing) {
        actions.extend(context.high_impact_actions(tool));
    }
    actions.sort();
    actions.dedup();
    builder = builder.factor(context.impact_factor(&actions));
    // One question at a time: the capacity first, since no volume can be judged without it;
    // once it is stated, the volumes of the gates flooded.
    match load.capacity {
        None => {
            builder = builder
                .evidence(format!(
                    "`daily_capacity` of `{}` is not stated",
                    context.id(human)
                ))
                .assumes(
                    context.id(human),
                    "daily_capacity",
                    "below what untrusted callers can send",
                    true,
                );
        }
        Some(capacity) => {
            builder = builder.evidence(format!(
                "`{}` can review {capacity} a day; the volume of the gates flooded is not stated",
                context.id(human)
            ));
            for edge in unstated_volumes {
                builder = builder.assumes(
                    context.graph.edge(edge).id.clone(),
                    "daily_volume",
                    "more than the approver can review",
                    true,
                );
            }
        }
    }
    if *assumed {
        builder = context.assume_gateways_uncontrolled(builder, &witness.nodes);
    }
    Some(builder.build())
}
