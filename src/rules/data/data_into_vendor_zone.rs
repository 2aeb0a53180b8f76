//! Private data crossing into a vendor's or the internet's zone: a flow from a confidential or
//! restricted datastore kept inside the organisation to a tool or store that runs outside it,
//! with no egress allowlist on the way.

use petgraph::stable_graph::NodeIndex;

use super::{EgressFlows, caller_of_way_out, is_private_store, nearest_callers, sensitivity_word};
use crate::findings::{Finding, Severity};
use crate::frameworks::*;
use crate::model::{Action, DataClass, NodeKind, Sensitivity, Zone};
use crate::rules::{Area, CheckContext, RiskKind, Rule};

pub static RULE: Rule = Rule {
    id: "BTZ-DAT-002",
    slug: "data-into-vendor-zone",
    title: "Private data crosses into a vendor or internet zone",
    area: Area::Data,
    risk: RiskKind::UngatedActions,
    version: 1,
    default_severity: Severity::Medium,
    summary: "Data from a confidential or restricted datastore outside the `vendor` and `internet` zones can flow, along the ways BTZ-DAT-001 follows, to a tool, datastore or memory in a `vendor` or `internet` zone with no gateway enforcing an egress allowlist on the way. Confidential data counts when it reaches something that keeps or passes it on there (a store written, a tool that writes or acts); restricted data (or a store holding credentials) counts at any tool there, a read-only query included. Tools that send and outside parties are BTZ-DAT-001's; the model an agent runs on is left to where it is hosted. Higher for restricted data.",
    rationale: "Every vendor a flow reaches becomes a holder of the data: its retention, its staff, its breaches and the law of the country it runs in now apply. An agent that reads the CRM and also calls a vendor's notes, search or ticketing service can put customer records into that service in an ordinary call, with nobody having decided that the vendor may hold them. Confidential data kept or passed on by a vendor, and restricted data (payroll, health, card and credential data) sent to one at all, is the disclosure data-protection reviews look for.",
    remediation: "Decide per vendor which classes of data it may receive, and route calls into vendor and internet zones through a gateway that enforces an egress allowlist by destination and data class (redacting or refusing what the vendor may not hold); keep restricted data with services inside the organisation's own zones, and scope the credentials that read private stores to the connectors that need them.",
    references: &[
        llm("LLM02:2025"),
        atlas("AML.T0057"),
        asi("ASI02"),
        maestro("L2", "Data Exfiltration"),
        maestro_cross_layer("Data Leakage"),
        nist("GOVERN 6.1"),
        nist("MANAGE 3.1"),
    ],
    check,
};

/// Zones the organisation does not run.
fn is_foreign(zone: Zone) -> bool {
    matches!(zone, Zone::Vendor | Zone::Internet)
}

/// A node in a foreign zone that data can be given to: a tool (one that sends is
/// BTZ-DAT-001's way out), a datastore or a memory. A model is left out: it sees every
/// agent's whole context by design, and whether it may is decided by its `hosting`.
fn is_foreign_receiver(context: &CheckContext, n: NodeIndex) -> bool {
    if !context.graph.zone(n).is_some_and(is_foreign) {
        return false;
    }
    match context.kind(n) {
        NodeKind::Tool => !context
            .tool(n)
            .is_some_and(|t| t.actions.contains(&Action::Send)),
        NodeKind::Datastore | NodeKind::Memory => true,
        _ => false,
    }
}

/// Whether what reaches `n` stays with the vendor or goes on: a store, or a tool stated to do
/// more than read.
fn keeps_data(context: &CheckContext, n: NodeIndex) -> bool {
    match context.kind(n) {
        NodeKind::Datastore | NodeKind::Memory => true,
        _ => context.is_high_impact_tool(n),
    }
}

/// Restricted data, or credentials: what no vendor should receive unless it was decided.
fn is_restricted(context: &CheckContext, store: NodeIndex) -> bool {
    context.datastore(store).is_some_and(|d| {
        d.sensitivity == Some(Sensitivity::Restricted)
            || d.contains.contains(&DataClass::Credentials)
    })
}

fn check(context: &CheckContext) -> Vec<Finding> {
    let receivers: Vec<NodeIndex> = context
        .graph
        .nodes()
        .filter(|&n| is_foreign_receiver(context, n))
        .collect();
    if receivers.is_empty() {
        return Vec::new();
    }
    let keepers: Vec<NodeIndex> = receivers
        .iter()
        .copied()
        .filter(|&n| keeps_data(context, n))
        .collect();
    // One search back from each set of receivers under each reading: restricted data looks
    // for any receiver, confidential data for one that keeps it.
    let flows = |sinks: &[NodeIndex]| EgressFlows::to_sinks(context, sinks, sinks);
    let to_any = flows(&receivers);
    let to_keepers = flows(&keepers);
    let callers = nearest_callers(context);
    let mut findings = Vec::new();
    for store in context
        .graph
        .nodes()
        .filter(|&n| is_private_store(context, n) && !context.graph.zone(n).is_some_and(is_foreign))
    {
        let flows = if is_restricted(context, store) {
            &to_any
        } else {
            &to_keepers
        };
        let Some((witness, assumed)) = flows.witness(store) else {
            continue;
        };
        let receiver = *witness.nodes.last().expect("a witness has a node");
        if receiver == store {
            continue;
        }
        let zone = context.zone_words(receiver).unwrap_or_default();
        let mut builder = context
            .finding(&RULE)
            .title(format!(
                "`{}` ({}) can reach `{}` in {zone} with no egress allowlist",
                context.id(store),
                sensitivity_word(context, store),
                context.id(receiver),
            ))
            .subjects([context.id(store), context.id(receiver)])
            .place(context.id(caller_of_way_out(context, &witness, receiver, &callers)))
            .path(context.steps(&witness), witness.shortest_paths)
            .factor(context.sensitivity_factor(&[store]));
        if assumed {
            builder = EgressFlows::assume_cautious(context, builder, &witness);
        }
        if let Some(&agent) = witness
            .nodes
            .iter()
            .find(|&&n| context.kind(n) == NodeKind::Agent)
        {
            builder = context.with_exposure(builder, agent);
        }
        findings.push(builder.build());
    }
    findings
}
