//! An agent that can alter the audit log that records it: the record of its actions is only as
//! trustworthy as the agent it is meant to hold to account.

use std::collections::BTreeMap;

use petgraph::Direction::Outgoing;
use petgraph::stable_graph::{EdgeIndex, NodeIndex};

use crate::findings::{Finding, Severity};
use crate::frameworks::*;
use crate::graph::{Search, Traversal, Witness, WitnessHop};
use crate::model::{Action, Control, DatastoreType, NodeKind, Relation};
use crate::rules::authorization::action_list;
use crate::rules::context::is_capability_edge;
use crate::rules::{Area, CheckContext, RiskKind, Rule};

pub static RULE: Rule = Rule {
    id: "BTZ-OPS-004",
    slug: "audit-log-tampering",
    title: "Agent can alter the audit log that records it",
    area: Area::Operations,
    risk: RiskKind::UngatedActions,
    version: 1,
    default_severity: Severity::Medium,
    summary: "An agent — itself, through an identity it acts as, or through a credential it or that identity holds — can delete or administer a datastore of type `logs`, or can write one that a gateway with `audit_log` on the agent's own calls writes: the audit trail of its calls. Severity rises when it can delete or administer the log, and when untrusted content reaches the agent. Actions with no audit on the path at all are BTZ-OPS-001's.",
    rationale: "An audit trail is evidence only while the party it records cannot change it. An agent that can append to, rewrite or erase the log of its own calls can forge entries that blame another actor, remove the trace of what a prompt injection made it do, and leave an incident that cannot be scoped or attributed — the repudiation threat agent systems add to every other one.",
    remediation: "Write the audit log from the gateway that mediates the agent's calls, to append-only (write-once) storage that no agent identity or credential can write, delete or administer; give the agent's identity and secrets no grant on log stores, and alert on any change to them outside the gateway.",
    references: &[
        threat("T8"),
        asi("ASI10"),
        maestro("L7", "Repudiation"),
        maestro("L5", "Evasion of Detection"),
        maestro("L5", "Poisoning Observability Data"),
        nist("MEASURE 2.8"),
        nist("MANAGE 4.1"),
    ],
    check,
};

/// One way an agent can alter one log: the steps from the agent to the log, and the actions.
struct Tamper {
    steps: Vec<(EdgeIndex, NodeIndex)>,
    actions: Vec<Action>,
    /// "`ops-token` grants write, delete on `audit-log`".
    how: String,
}

fn is_log(context: &CheckContext, n: NodeIndex) -> bool {
    context
        .datastore(n)
        .is_some_and(|d| d.datastore_type == Some(DatastoreType::Logs))
}

/// Whether `n` is a gateway that keeps an audit log in a datastore of type `logs`.
fn is_audit_writer(context: &CheckContext, n: NodeIndex) -> bool {
    context.gateway_has(n, &[Control::AuditLog])
        && context
            .related(n, Relation::Writes, Outgoing)
            .any(|(_, store)| is_log(context, store))
}

/// What `agent` can do to log stores itself: write them, or present a credential (a secret it
/// holds, an identity it acts as, a secret that identity holds) granting write, delete or
/// admin on one. A grant that states no permissions is not read as permitting anything.
fn tampering(context: &CheckContext, agent: NodeIndex) -> BTreeMap<NodeIndex, Vec<Tamper>> {
    let mut by_log: BTreeMap<NodeIndex, Vec<Tamper>> = BTreeMap::new();
    for (edge, store) in context.related(agent, Relation::Writes, Outgoing) {
        if is_log(context, store) {
            by_log.entry(store).or_default().push(Tamper {
                steps: vec![(edge, store)],
                actions: vec![Action::Write],
                how: format!("`{}` writes `{}`", context.id(agent), context.id(store)),
            });
        }
    }
    for chain in context.credential_chains(agent) {
        let credential = chain.last().expect("one step at least").1;
        for (grant, store) in context.related(credential, Relation::Grants, Outgoing) {
            if !is_log(context, store) {
                continue;
            }
            let actions: Vec<Action> = context
                .permissions(context.graph.edge(grant))
                .into_iter()
                .filter(|a| matches!(a, Action::Write | Action::Delete | Action::Admin))
                .collect();
            if actions.is_empty() {
                continue;
            }
            let mut steps = chain.clone();
            steps.push((grant, store));
            by_log.entry(store).or_default().push(Tamper {
                how: format!(
                    "`{}` grants {} on `{}`",
                    context.id(credential),
                    action_list(&actions),
                    context.id(store)
                ),
                steps,
                actions,
            });
        }
    }
    by_log
}

fn check(context: &CheckContext) -> Vec<Finding> {
    // Whose calls each audit-logging gateway records: one search back from all of them along
    // calls, through the gateways, workflows and tools between, to the agents that make them
    // (an agent that hands work to another is recorded as that agent).
    let writers: Vec<NodeIndex> = context
        .nodes_of_kind(NodeKind::Gateway)
        .into_iter()
        .filter(|&n| is_audit_writer(context, n))
        .collect();
    let passes = |n: NodeIndex| context.kind(n) != NodeKind::Agent;
    let recorded: Search = context.graph.search(
        &writers,
        &Traversal::backward(&is_capability_edge).through(&passes),
    );
    let mut findings = Vec::new();
    for agent in context.agents() {
        // The gateway nearest the agent that records its calls, when one does.
        let recorder = recorded.origin(agent);
        for (log, routes) in tampering(context, agent) {
            let records_agent = recorder.is_some_and(|gateway| {
                context
                    .related(gateway, Relation::Writes, Outgoing)
                    .any(|(_, store)| store == log)
            });
            let mut actions: Vec<Action> = routes
                .iter()
                .flat_map(|r| r.actions.iter().copied())
                .filter(|&a| records_agent || a != Action::Write)
                .collect();
            actions.sort();
            actions.dedup();
            if actions.is_empty() {
                continue;
            }
            // The shortest of the routes that carry the most of the counted actions.
            let counted = |r: &Tamper| r.actions.iter().filter(|a| actions.contains(a)).count();
            let Some(route) = routes
                .iter()
                .min_by_key(|r| (std::cmp::Reverse(counted(r)), r.steps.len()))
            else {
                continue;
            };
            let witness = Witness {
                nodes: std::iter::once(agent)
                    .chain(route.steps.iter().map(|&(_, n)| n))
                    .collect(),
                hops: route
                    .steps
                    .iter()
                    .map(|&(edge, _)| WitnessHop {
                        edge,
                        reversed: false,
                    })
                    .collect(),
                shortest_paths: 1,
                elided: 0,
            };
            let mut builder = context
                .finding(&RULE)
                .title(format!(
                    "`{}` can {} `{}`{}",
                    context.id(agent),
                    verbs(&actions),
                    context.id(log),
                    if records_agent {
                        ", the audit log of its own calls"
                    } else {
                        ""
                    }
                ))
                .subjects([context.id(agent), context.id(log)])
                .place(context.id(agent))
                .path(context.steps(&witness), 1)
                .factor(context.impact_factor(&actions));
            for route in &routes {
                builder = builder.evidence(route.how.clone());
            }
            if let Some(gateway) = recorder.filter(|_| records_agent) {
                builder = builder.evidence(format!(
                    "`{}` writes the audit log of `{}`'s calls to `{}`",
                    context.id(gateway),
                    context.id(agent),
                    context.id(log)
                ));
            }
            builder = context.with_exposure(builder, agent);
            findings.push(builder.build());
        }
    }
    findings
}

/// "write to", "delete", "write to and delete": what the actions let the agent do to a log.
fn verbs(actions: &[Action]) -> String {
    let mut words: Vec<&str> = Vec::new();
    if actions.contains(&Action::Write) {
        words.push("write to");
    }
    if actions.contains(&Action::Delete) {
        words.push("delete");
    }
    if actions.contains(&Action::Admin) {
        words.push("administer");
    }
    match words.as_slice() {
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
        [] => String::new(),
    }
}
