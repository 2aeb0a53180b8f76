//! A secret, or an identity, that grants more than anything using it ever does: the difference
//! is privilege that only an attacker, or a confused agent, will ever exercise.

use std::collections::BTreeSet;

use petgraph::Direction::{Incoming, Outgoing};
use petgraph::stable_graph::{EdgeIndex, NodeIndex};

use super::{
    action_list, assume_permissions, grant_evidence, id_list, secrets, stated_permissions, unscoped,
};
use crate::findings::{Finding, Severity};
use crate::frameworks::*;
use crate::graph::{Traversal, Witness, WitnessHop};
use crate::model::{Action, Edge, NodeKind, Relation};
use crate::rules::{Area, CheckContext, RiskKind, Rule};

pub static RULE: Rule = Rule {
    id: "BTZ-CRD-006",
    slug: "over-scoped-secret",
    title: "Over-scoped secret or identity",
    area: Area::Credentials,
    risk: RiskKind::Credential,
    version: 3,
    default_severity: Severity::Medium,
    summary: "A secret's or an identity's grants permit actions that none of its users need. A secret's users are the non-human nodes that hold it or act as an identity holding it; an identity's users are the non-human nodes that act as it. The tools among the users perform, and the tools the agents, workflows and gateways among them invoke, never use the actions (reading or writing a granted store counts as using read or write). A grant without permissions is asked about: no action is inferred from it, and the finding waits on the answer when only such a grant could exceed what the users need.",
    rationale: "Credentials are usually issued with every scope the provider offers and never cut back, so a connector that only reads holds a key that can also delete, pay or administer. Whoever steers the agent or steals the key gets the whole grant, not the task's share of it: most damaging agent incidents use a permission the workflow never needed.",
    remediation: "Scope each secret and identity to the minimum connector and action required: reissue a secret, or cut an identity's role, to only the permissions its tools use, split credentials where one key or role serves several purposes, and prefer just-in-time credentials minted per task with exactly the task's scope, enforced by request-time policy.",
    references: &[
        nhi("NHI5:2025"),
        llm("LLM06:2025"),
        asi("ASI03"),
        threat("T3"),
        maestro_cross_layer("Privilege Escalation"),
        maestro("L7", "Agent Tool Misuse"),
        sp800_53("AC-6"),
        nist("MAP 4.2"),
    ],
    check,
};

fn check(context: &CheckContext) -> Vec<Finding> {
    let mut findings = Vec::new();
    let identities = context.nodes_of_kind(NodeKind::Identity);
    for credential in secrets(context).into_iter().chain(identities) {
        let grants: Vec<(EdgeIndex, NodeIndex)> = context
            .related(credential, Relation::Grants, Outgoing)
            .collect();
        if grants.is_empty() {
            continue;
        }
        let users = users(context, credential);
        if users.is_empty() {
            continue;
        }
        let targets: Vec<NodeIndex> = grants.iter().map(|&(_, t)| t).collect();
        let needed = needed(context, &users, &targets);
        let granted: BTreeSet<Action> = stated_permissions(context, &grants).into_iter().collect();
        let excess: Vec<Action> = granted.difference(&needed).copied().collect();
        let unstated = unscoped(context, &grants);
        // With no stated excess, only a grant that does not say can exceed the need: the
        // finding then waits on what it permits.
        let over: Vec<(EdgeIndex, NodeIndex)> = grants
            .iter()
            .copied()
            .filter(|&(e, _)| {
                let permissions = &context.graph.edge(e).permissions;
                if excess.is_empty() {
                    permissions.is_empty()
                } else {
                    permissions.iter().any(|a| excess.contains(a))
                }
            })
            .collect();
        if over.is_empty() {
            continue;
        }
        let over_targets: BTreeSet<&str> = over.iter().map(|&(_, t)| context.id(t)).collect();
        let Some(witness) = witness(context, credential, over[0]) else {
            continue;
        };
        let user_ids: Vec<&str> = users.iter().map(|&n| context.id(n)).collect();
        let who = match user_ids.as_slice() {
            [one] => format!("`{one}` uses"),
            many => format!("its {} users use", many.len()),
        };
        let needed: Vec<Action> = needed.into_iter().collect();
        let what = if excess.is_empty() {
            "unstated permissions".to_owned()
        } else {
            action_list(&excess)
        };
        let mut builder = context
            .finding(&RULE)
            .title(format!(
                "`{}` grants {what} on {}, beyond what {who}",
                context.id(credential),
                id_list(over_targets.iter().copied())
            ))
            .subjects([context.id(credential)])
            .path(context.steps(&witness), witness.shortest_paths)
            .evidence(format!(
                "grants {}; its users use {}",
                if granted.is_empty() {
                    "no stated permission".to_owned()
                } else {
                    action_list(&granted.iter().copied().collect::<Vec<_>>())
                },
                if needed.is_empty() {
                    "none of them".to_owned()
                } else {
                    action_list(&needed)
                }
            ))
            .evidence(format!("used by {}", id_list(user_ids.iter().copied())));
        if grants.len() > 1 {
            for &(edge, target) in &grants {
                builder = builder.evidence(grant_evidence(context, edge, target));
            }
        }
        builder = assume_permissions(builder, context, &unstated, excess.is_empty());
        findings.push(builder.factor(context.impact_factor(&excess)).build());
    }
    findings
}

/// Who uses the secret or identity: the non-human nodes that hold the secret, and those that
/// act as the identity or as an identity holding the secret, by id. People are left out: what
/// they do is not modelled as tool actions.
fn users(context: &CheckContext, credential: NodeIndex) -> Vec<NodeIndex> {
    let mut users = BTreeSet::new();
    if context.kind(credential) == NodeKind::Identity {
        for (_, actor) in context.related(credential, Relation::ActsAs, Incoming) {
            if context.kind(actor) != NodeKind::Human {
                users.insert((context.id(actor), actor));
            }
        }
        return users.into_iter().map(|(_, n)| n).collect();
    }
    for (_, holder) in context.related(credential, Relation::Holds, Incoming) {
        match context.kind(holder) {
            NodeKind::Human => {}
            NodeKind::Identity => {
                for (_, actor) in context.related(holder, Relation::ActsAs, Incoming) {
                    if context.kind(actor) != NodeKind::Human {
                        users.insert((context.id(actor), actor));
                    }
                }
            }
            _ => {
                users.insert((context.id(holder), holder));
            }
        }
    }
    users.into_iter().map(|(_, n)| n).collect()
}

/// The actions the users perform: a tool's own actions, the actions of the tools an agent,
/// workflow or gateway invokes (directly or through gateways), and read or write where a user
/// reads or writes a granted target.
fn needed(context: &CheckContext, users: &[NodeIndex], targets: &[NodeIndex]) -> BTreeSet<Action> {
    let mut needed = BTreeSet::new();
    let invokes = |edge: &Edge| edge.relation == Relation::Invokes;
    let through_gateways = |n: NodeIndex| context.kind(n) == NodeKind::Gateway;
    for &user in users {
        if context.kind(user) == NodeKind::Tool {
            needed.extend(
                context
                    .tool(user)
                    .into_iter()
                    .flat_map(|t| t.actions.iter().copied()),
            );
        } else {
            let invoked = context.graph.search(
                &[user],
                &Traversal::forward(&invokes).through(&through_gateways),
            );
            for tool in invoked.reached_nodes() {
                needed.extend(
                    context
                        .tool(tool)
                        .into_iter()
                        .flat_map(|t| t.actions.iter().copied()),
                );
            }
        }
        for (relation, action) in [
            (Relation::Reads, Action::Read),
            (Relation::Writes, Action::Write),
        ] {
            if context
                .related(user, relation, Outgoing)
                .any(|(_, n)| targets.contains(&n))
            {
                needed.insert(action);
            }
        }
    }
    needed
}

/// `user (→ identity) → secret → target`: the first non-human holder by id (for an identity,
/// the first non-human that acts as it), the secret, and the grant that carries the excess;
/// for an identity's own grant, `user → identity → target`.
fn witness(
    context: &CheckContext,
    secret: NodeIndex,
    grant: (EdgeIndex, NodeIndex),
) -> Option<Witness> {
    let first_actor = |identity: NodeIndex| {
        context
            .related(identity, Relation::ActsAs, Incoming)
            .filter(|&(_, a)| context.kind(a) != NodeKind::Human)
            .min_by_key(|&(_, a)| context.id(a))
    };
    let grant_hop = WitnessHop {
        edge: grant.0,
        reversed: false,
    };
    if context.kind(secret) == NodeKind::Identity {
        let (acts_as, actor) = first_actor(secret)?;
        return Some(Witness {
            nodes: vec![actor, secret, grant.1],
            hops: vec![
                WitnessHop {
                    edge: acts_as,
                    reversed: false,
                },
                grant_hop,
            ],
            shortest_paths: 1,
            elided: 0,
        });
    }
    let (holds, holder) = context
        .related(secret, Relation::Holds, Incoming)
        .filter(|&(_, h)| match context.kind(h) {
            NodeKind::Human => false,
            NodeKind::Identity => first_actor(h).is_some(),
            _ => true,
        })
        .min_by_key(|&(_, h)| context.id(h))?;
    let mut nodes = Vec::new();
    let mut hops = Vec::new();
    if context.kind(holder) == NodeKind::Identity
        && let Some((acts_as, actor)) = first_actor(holder)
    {
        nodes.push(actor);
        hops.push(WitnessHop {
            edge: acts_as,
            reversed: false,
        });
    }
    nodes.extend([holder, secret, grant.1]);
    hops.extend([
        WitnessHop {
            edge: holds,
            reversed: false,
        },
        grant_hop,
    ]);
    Some(Witness {
        nodes,
        hops,
        shortest_paths: 1,
        elided: 0,
    })
}
