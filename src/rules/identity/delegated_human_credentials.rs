//! An agent that runs on a person's credentials — the person's own account or a token the
//! person delegated — instead of a workload identity of its own.

use std::collections::BTreeMap;

use petgraph::Direction::{Incoming, Outgoing};
use petgraph::stable_graph::NodeIndex;

use crate::findings::{Finding, Severity};
use crate::frameworks::*;
use crate::graph::{Traversal, Witness, WitnessHop};
use crate::model::{Edge, IdentityType, NodeKind, Relation};
use crate::rules::{Area, CheckContext, RiskKind, Rule};

pub static RULE: Rule = Rule {
    id: "BTZ-IDN-002",
    slug: "delegated-human-credentials",
    title: "Agent acting on a human's credentials",
    area: Area::Identity,
    risk: RiskKind::Credential,
    version: 2,
    default_severity: Severity::High,
    summary: "An agent acts as an identity of type user_delegated or human, or of unstated type that a person acts as — directly, or through a tool or gateway it invokes — instead of its own workload identity.",
    rationale: "An agent on a person's credentials can do everything the person can, everywhere the token reaches, and every action it takes is logged as the person's. Nothing limits it to the task, a hijacked agent is indistinguishable from the user, and revoking the agent means revoking the person's access. Delegated OAuth tokens are exactly what attackers steal from agent and integration configurations to impersonate users.",
    remediation: "Give the agent its own workload identity and authorise it per request against the user, the tool, the data and the task (on-behalf-of token exchange that keeps both identities, with a scope limited to the task), so that its actions are attributable to the agent and it can be revoked alone.",
    references: &[
        asi("ASI03"),
        threat("T3"),
        threat("T9"),
        atlas("AML.T0091.000"),
        maestro("L7", "Agent Identity Attack"),
        nist("GOVERN 3.2"),
    ],
    check,
};

/// A person's identity: stated so, or of unstated type with a person acting as it (an
/// identity of unstated type is read as a workload's unless its edges show a person).
fn is_personal(context: &CheckContext, identity: NodeIndex) -> bool {
    context
        .identity(identity)
        .is_some_and(|i| match i.identity_type {
            Some(IdentityType::UserDelegated | IdentityType::Human) => true,
            Some(_) => false,
            None => context
                .related(identity, Relation::ActsAs, Incoming)
                .any(|(_, actor)| context.kind(actor) == NodeKind::Human),
        })
}

/// The shortest way an agent comes to act as a personal identity, and how many there are.
struct Route {
    witness: Witness,
    paths: u64,
    /// Every node on the agent's side that acts as the identity.
    actors: Vec<NodeIndex>,
}

fn check(context: &CheckContext) -> Vec<Finding> {
    let mut findings = Vec::new();
    let invokes = |edge: &Edge| edge.relation == Relation::Invokes;
    let calls_through =
        |n: NodeIndex| matches!(context.kind(n), NodeKind::Tool | NodeKind::Gateway);
    // What can come to act as a personal identity: its actors and whoever calls them through
    // tools and gateways. One search for the model, so that each agent's walk below skips
    // the tools it calls that lead to none (behind a shared gateway, most of them).
    let actors: Vec<NodeIndex> = context
        .nodes_of_kind(NodeKind::Identity)
        .into_iter()
        .filter(|&identity| is_personal(context, identity))
        .flat_map(|identity| context.related(identity, Relation::ActsAs, Incoming))
        .map(|(_, actor)| actor)
        .collect();
    if actors.is_empty() {
        return findings;
    }
    let upstream = context.graph.search(
        &actors,
        &Traversal::backward(&invokes).through(&calls_through),
    );
    for agent in context.agents() {
        if !upstream.reached(agent) {
            continue;
        }
        // The agent itself and the tools and gateways it calls, directly or through others.
        let passes = |n: NodeIndex| calls_through(n) && upstream.reached(n);
        let search = context
            .graph
            .search(&[agent], &Traversal::forward(&invokes).through(&passes));
        let mut routes: BTreeMap<&str, (NodeIndex, Route)> = BTreeMap::new();
        for actor in search.reached_nodes() {
            if actor != agent && !passes(actor) {
                continue;
            }
            for (edge, identity) in context.related(actor, Relation::ActsAs, Outgoing) {
                if !is_personal(context, identity) {
                    continue;
                }
                let to_actor = search.witness(actor).expect("reached");
                let length = to_actor.nodes.len();
                let entry = routes.entry(context.id(identity)).or_insert_with(|| {
                    let mut witness = to_actor.clone();
                    witness.nodes.push(identity);
                    witness.hops.push(WitnessHop {
                        edge,
                        reversed: false,
                    });
                    (
                        identity,
                        Route {
                            witness,
                            paths: 0,
                            actors: Vec::new(),
                        },
                    )
                });
                let route = &mut entry.1;
                if route.witness.nodes.len() == length + 1 {
                    route.paths = route.paths.saturating_add(to_actor.shortest_paths);
                }
                if !route.actors.contains(&actor) {
                    route.actors.push(actor);
                }
            }
        }
        for (identity, route) in routes.into_values() {
            findings.push(finding(context, agent, identity, route));
        }
    }
    findings
}

fn finding(context: &CheckContext, agent: NodeIndex, identity: NodeIndex, route: Route) -> Finding {
    let people = owners(context, identity);
    let whose = match people.as_slice() {
        [] => "a person's".to_owned(),
        [one] => format!("`{one}`'s"),
        many => many
            .iter()
            .map(|id| format!("`{id}`'s"))
            .collect::<Vec<_>>()
            .join(" or "),
    };
    let identity_type = context.identity(identity).and_then(|i| i.identity_type);
    let kind = match identity_type {
        Some(IdentityType::Human) | None => format!("{whose} own account"),
        _ => format!("{whose} delegated credentials"),
    };
    let through: Vec<String> = route
        .actors
        .iter()
        .filter(|&&n| n != agent)
        .map(|&n| format!("`{}`", context.id(n)))
        .collect();
    let how = match (route.actors.contains(&agent), through.is_empty()) {
        (_, true) => "directly".to_owned(),
        (true, false) => format!("directly and through {}", through.join(", ")),
        (false, false) => format!("through {}", through.join(", ")),
    };
    let mut builder = context
        .finding(&RULE)
        .title(format!(
            "`{}` acts on {kind} (`{}`) instead of its own workload identity",
            context.id(agent),
            context.id(identity)
        ))
        .subjects([context.id(agent), context.id(identity)])
        .place(context.id(identity))
        .path(context.steps(&route.witness), route.paths)
        .evidence(format!("acts as `{}` {how}", context.id(identity)));
    if !people.is_empty() {
        builder = builder.evidence(format!(
            "its actions are recorded as {}",
            people
                .iter()
                .map(|id| format!("`{id}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if identity_type.is_none() {
        builder = builder.assumes(
            context.id(identity),
            "type",
            "a person's: a person acts as it",
            false,
        );
    }
    builder
        .factor(context.autonomy_factor(agent))
        .factor(context.exposure_factor(agent))
        .build()
}

/// The people behind a personal identity: those who act as it, or as an identity that grants
/// onto it, by id.
fn owners<'m>(context: &CheckContext<'_, 'm>, identity: NodeIndex) -> Vec<&'m str> {
    let mut people: Vec<&str> = context
        .related(identity, Relation::ActsAs, Incoming)
        .chain(
            context
                .related(identity, Relation::Grants, Incoming)
                .filter(|&(_, source)| context.kind(source) == NodeKind::Identity)
                .flat_map(|(_, source)| context.related(source, Relation::ActsAs, Incoming)),
        )
        .map(|(_, n)| n)
        .filter(|&n| context.kind(n) == NodeKind::Human)
        .map(|n| context.id(n))
        .collect();
    people.sort_unstable();
    people.dedup();
    people
}
