//! An agent that can change permissions — its own among them: write to an identity and
//! access management system, a secret store or a policy store, or administer an identity,
//! a gateway or an agent — with no request-time policy or human approval in between.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;

use petgraph::Direction::Outgoing;
use petgraph::stable_graph::{EdgeIndex, NodeIndex};

use crate::findings::{Finding, Severity};
use crate::frameworks::*;
use crate::graph::{Traversal, Witness, WitnessHop};
use crate::model::{Action, Control, DataClass, DatastoreType, NodeKind, Relation};
use crate::rules::context::is_capability_edge;
use crate::rules::{Area, CheckContext, RiskKind, Rule};

pub static RULE: Rule = Rule {
    id: "BTZ-IDN-003",
    slug: "self-escalation",
    title: "Agent can change its own permissions",
    area: Area::Identity,
    risk: RiskKind::UngatedActions,
    version: 2,
    default_severity: Severity::High,
    summary: "An agent — itself, or through the tools, workflows and gateways it can call — writes to a datastore of type iam, secret_store or policy_store (or one that contains credentials), holds or acts as a credential granting write or admin on one, or holds a credential granting admin on an identity, a gateway or an agent, with no gateway enforcing request-time policy or human approval on the way. Calls handed to another agent are that agent's finding. Critical when content from an input stated untrusted, or a person's approval, reaches the agent.",
    rationale: "An agent that can edit roles, mint or read-and-replace credentials, or rewrite the policy that governs it has no real limits: one injected instruction or one bad plan can grant it — or an attacker — any permission, create persistent access, and remove the evidence. Privilege escalation through over-privileged automation accounts is a standard step in cloud intrusions, and an agent makes it reachable from text.",
    remediation: "Take identity, secret and policy administration away from agent credentials: give the agent a workload identity that cannot modify IAM, secrets or policy; route any legitimate provisioning through a gateway that evaluates request-time policy against the requested change and holds it for human approval; and keep policy changes in reviewed change control.",
    references: &[
        asi("ASI03"),
        asi("ASI10"),
        threat("T3"),
        llm("LLM06:2025"),
        atlas("AML.T0081"),
        maestro_cross_layer("Privilege Escalation"),
        maestro("L7", "Compromised Agents"),
        sp800_53("AC-6"),
        nist("MANAGE 2.4"),
    ],
    check,
};

const BLOCKING: &[Control] = &[Control::RequestTimePolicy, Control::HumanApproval];

/// How an agent gets to change permissions at one target.
struct Route {
    witness: Witness,
    paths: u64,
    /// "`iam-tool` writes `iam-directory`", "`iam-token` grants read, admin on `iam-directory`".
    how: String,
    admin: bool,
    /// The grant read as permitting everything because it states no permissions: the route
    /// holds only under that reading.
    assumed: Option<EdgeIndex>,
    /// Whether the route passes a gateway of unstated controls, read as stopping nothing.
    through_unstated_gateway: bool,
}

impl Route {
    fn new(
        context: &CheckContext,
        witness: Witness,
        paths: u64,
        how: String,
        admin: bool,
        assumed: Option<EdgeIndex>,
    ) -> Self {
        let through_unstated_gateway = witness
            .nodes
            .iter()
            .any(|&n| context.is_unstated_gateway(n));
        Route {
            witness,
            paths,
            how,
            admin,
            assumed,
            through_unstated_gateway,
        }
    }

    /// Stated routes before assumed ones, then shorter before longer.
    fn rank(&self) -> (bool, usize) {
        (
            self.assumed.is_some() || self.through_unstated_gateway,
            self.witness.nodes.len(),
        )
    }
}

/// What a store that governs permissions is, or `None` for any other node.
fn governs_permissions(context: &CheckContext, n: NodeIndex) -> Option<&'static str> {
    let store = context.datastore(n)?;
    match store.datastore_type {
        Some(DatastoreType::Iam) => Some("identity and access management"),
        Some(DatastoreType::SecretStore) => Some("secret store"),
        Some(DatastoreType::PolicyStore) => Some("policy store"),
        _ => store
            .contains
            .contains(&DataClass::Credentials)
            .then_some("holds credentials"),
    }
}

/// Whether a grant of `permissions` on `target` lets its holder change permissions.
fn escalates(context: &CheckContext, permissions: &[Action], target: NodeIndex) -> bool {
    let admin = permissions.contains(&Action::Admin);
    match context.kind(target) {
        NodeKind::Datastore => {
            governs_permissions(context, target).is_some()
                && (admin || permissions.contains(&Action::Write))
        }
        NodeKind::Identity | NodeKind::Gateway | NodeKind::Agent => admin,
        _ => false,
    }
}

fn extended(base: &Witness, steps: &[(EdgeIndex, NodeIndex)]) -> Witness {
    let mut witness = base.clone();
    for &(edge, node) in steps {
        witness.nodes.push(node);
        witness.hops.push(WitnessHop {
            edge,
            reversed: false,
        });
    }
    witness
}

/// A way for one actor to change permissions at a target, without how the agent gets to the
/// actor: the steps from the actor, what it does, and the grant read as permitting
/// everything, if any.
struct Local {
    target: NodeIndex,
    steps: Vec<(EdgeIndex, NodeIndex)>,
    how: String,
    admin: bool,
    assumed: Option<EdgeIndex>,
}

/// What `actor` itself can do to permissions: write a store that governs them, or present a
/// credential (a secret it holds, an identity it acts as, a secret that identity holds) whose
/// grant escalates.
fn local_routes(context: &CheckContext, actor: NodeIndex) -> Vec<Local> {
    let mut routes = Vec::new();
    for (edge, store) in context.related(actor, Relation::Writes, Outgoing) {
        if governs_permissions(context, store).is_some() {
            routes.push(Local {
                target: store,
                steps: vec![(edge, store)],
                how: format!("`{}` writes `{}`", context.id(actor), context.id(store)),
                admin: false,
                assumed: None,
            });
        }
    }
    for chain in context.credential_chains(actor) {
        let credential = chain.last().expect("one step at least").1;
        for (grant, target) in context.related(credential, Relation::Grants, Outgoing) {
            let stated = &context.graph.edge(grant).permissions;
            let permissions = context.permissions(context.graph.edge(grant));
            if !escalates(context, &permissions, target) {
                continue;
            }
            let mut steps = chain.clone();
            steps.push((grant, target));
            let words: Vec<&str> = permissions.iter().map(|a| a.as_str()).collect();
            routes.push(Local {
                target,
                steps,
                how: format!(
                    "`{}` grants {} on `{}`",
                    context.id(credential),
                    words.join(", "),
                    context.id(target)
                ),
                admin: permissions.contains(&Action::Admin),
                assumed: stated.is_empty().then_some(grant),
            });
        }
    }
    routes
}

fn check(context: &CheckContext) -> Vec<Finding> {
    let mut findings = Vec::new();
    let passes =
        |n: NodeIndex| context.kind(n) != NodeKind::Agent && !context.gateway_has(n, BLOCKING);
    // Who can change permissions themselves, and, by one walk back from them, everything an
    // agent's calls must pass to get there: each agent's walk below stays inside that, so
    // agents behind a shared gateway do not each walk every tool behind it.
    let local: HashMap<NodeIndex, Vec<Local>> = context
        .graph
        .nodes()
        .map(|n| (n, local_routes(context, n)))
        .filter(|(_, routes)| !routes.is_empty())
        .collect();
    let actors: Vec<NodeIndex> = local.keys().copied().filter(|&n| passes(n)).collect();
    let upstream = context.graph.search(
        &actors,
        &Traversal::backward(&is_capability_edge).through(&passes),
    );
    for agent in context.agents() {
        if !upstream.reached(agent) && !local.contains_key(&agent) {
            continue;
        }
        let on_the_way = |n: NodeIndex| passes(n) && upstream.reached(n);
        let search = context.graph.search(
            &[agent],
            &Traversal::forward(&is_capability_edge).through(&on_the_way),
        );
        let mut routes: BTreeMap<&str, (NodeIndex, Route)> = BTreeMap::new();
        for actor in search.reached_nodes() {
            if actor != agent && !passes(actor) {
                continue;
            }
            let Some(from_actor) = local.get(&actor) else {
                continue;
            };
            let to_actor = search.witness(actor).expect("reached");
            for way in from_actor {
                let route = Route::new(
                    context,
                    extended(&to_actor, &way.steps),
                    to_actor.shortest_paths,
                    way.how.clone(),
                    way.admin,
                    way.assumed,
                );
                match routes.get_mut(context.id(way.target)) {
                    None => {
                        routes.insert(context.id(way.target), (way.target, route));
                    }
                    Some((_, best)) if route.rank() < best.rank() => *best = route,
                    Some((_, best)) if route.rank() == best.rank() => {
                        best.paths = best.paths.saturating_add(route.paths);
                        best.admin |= route.admin;
                    }
                    Some(_) => {}
                }
            }
        }
        for (target, route) in routes.into_values() {
            findings.push(finding(context, agent, target, route));
        }
    }
    findings
}

fn finding(context: &CheckContext, agent: NodeIndex, target: NodeIndex, route: Route) -> Finding {
    let verb = if route.admin {
        "administer"
    } else {
        "write to"
    };
    let what = match context.kind(target) {
        NodeKind::Datastore => format!(
            "`{}` ({})",
            context.id(target),
            governs_permissions(context, target).unwrap_or("a store")
        ),
        NodeKind::Identity => format!("identity `{}`", context.id(target)),
        NodeKind::Gateway => format!("gateway `{}`", context.id(target)),
        _ if target == agent => "its own configuration".to_owned(),
        _ => format!("agent `{}`", context.id(target)),
    };
    let mut builder = context
        .finding(&RULE)
        .title(format!(
            "`{}` can {verb} {what} with no request-time policy or approval in between",
            context.id(agent)
        ))
        .subjects([context.id(agent), context.id(target)])
        .place(context.id(agent))
        .path(context.steps(&route.witness), route.paths)
        .evidence(route.how)
        .evidence("no gateway with request_time_policy or human_approval on the path")
        .factor(context.autonomy_factor(agent));
    builder = context.with_exposure(builder, agent);
    builder = context.assume_gateways_uncontrolled(builder, &route.witness.nodes);
    match route.assumed {
        Some(grant) => {
            let id = &context.graph.edge(grant).id;
            builder = builder.assumes(id.clone(), "permissions", "all", true);
        }
        None if route.through_unstated_gateway => {}
        None => {
            if let Some(source) = context.critical_source(agent) {
                builder = builder.critical(format!(
                    "{source} can make {} {verb} {} with no policy gate",
                    context.display_name(agent),
                    target_name(context, agent, target)
                ));
            }
        }
    }
    builder.build()
}

/// "Identity directory", "its own configuration".
fn target_name(context: &CheckContext, agent: NodeIndex, target: NodeIndex) -> String {
    if target == agent {
        "its own configuration".to_owned()
    } else {
        context.display_name(target).to_owned()
    }
}
