//! A person hands a task to an agent or workflow (or approves its action), and the path from
//! there reaches a connector whose standing credential can do more than the person may do
//! and more than the task needs: the agent is a privilege amplifier between them.

use rustc_hash::FxHashMap as HashMap;

use petgraph::Direction::{Incoming, Outgoing};
use petgraph::stable_graph::{EdgeIndex, NodeIndex};

use super::action_list;
use crate::findings::{Finding, Severity};
use crate::frameworks::*;
use crate::graph::{Witness, WitnessHop};
use crate::model::{Action, NodeKind, Relation};
use crate::rules::credentials::{
    assume_lifetime, assume_permissions, stated_permissions, unscoped,
};
use crate::rules::{Area, CheckContext, RiskKind, Rule};

pub static RULE: Rule = Rule {
    id: "BTZ-AUT-002",
    slug: "hybrid-privilege-amplification",
    title: "Human → agent → connector path amplifies privilege",
    area: Area::Authorization,
    risk: RiskKind::Credential,
    version: 2,
    default_severity: Severity::Critical,
    summary: "A person delegates to, triggers or approves an agent, workflow, tool or gateway, and a capability path from there reaches a holder of a standing secret that grants actions outside both the person's entitlements and every task scope they hand over (an unstated scope counts as the person's entitlements). Unstated entitlements, lifetimes and grant permissions are asked about: the finding waits on the answers. It is critical when the person's approval leads there and their stated entitlements, the secret's stated lifetime and its stated grants show a payment, delete, admin or execute permission beyond them.",
    rationale: "In hybrid systems the person who starts or approves the work is assumed to bound it, but the connector acts with its own standing credential, issued once with every scope the provider offered. A clerk who may only view invoices can then, through the agent, add bank beneficiaries or manage users; an injected instruction or a mistaken plan does the same. The person's approval gives false assurance because it never covered what the credential can do.",
    remediation: "Issue the connector a just-in-time credential per task, scoped to the intersection of the requesting person's entitlements and the task's scope, with a short TTL and automated revocation; evaluate request-time policy against the person and task behind each call; and remove the standing credential's excess permissions.",
    references: &[
        asi("ASI03"),
        asi("ASI09"),
        threat("T3"),
        threat("T14"),
        llm("LLM06:2025"),
        maestro_cross_layer("Privilege Escalation"),
        maestro("L7", "Agent Identity Attack"),
        sp800_53("AC-6"),
        nist("GOVERN 3.2"),
    ],
    check,
};

/// A person's edge handing work over, and the node it goes to.
type Handoff = (EdgeIndex, NodeIndex);

/// One way a person's work reaches a standing secret: the witness from the person to the
/// secret and the hand-off that starts it.
struct Reach {
    length: usize,
    handoff_rank: usize,
    holder: NodeIndex,
    witness: Witness,
}

fn check(context: &CheckContext) -> Vec<Finding> {
    let mut findings = Vec::new();
    for human in context.nodes_of_kind(NodeKind::Human) {
        let Some(properties) = context.human(human) else {
            continue;
        };
        let mut entitlements = properties.entitlements.clone();
        entitlements.sort();
        entitlements.dedup();
        // The person's hand-offs, grouped by what they allow (entitlements ∪ scope), so that
        // each group is one multi-source search.
        let handoffs: Vec<Handoff> = context
            .graph
            .edges(human, Outgoing)
            .iter()
            .copied()
            .filter(|&(e, _)| {
                matches!(
                    context.graph.edge(e).relation,
                    Relation::Delegates | Relation::Approves | Relation::Triggers
                )
            })
            .collect();
        let mut groups: Vec<(Vec<Action>, Vec<Handoff>)> = Vec::new();
        for &(edge, target) in &handoffs {
            let mut allowed = entitlements.clone();
            allowed.extend(context.graph.edge(edge).scope.iter().copied());
            allowed.sort();
            allowed.dedup();
            match groups.iter_mut().find(|(a, _)| *a == allowed) {
                Some((_, members)) => members.push((edge, target)),
                None => groups.push((allowed, vec![(edge, target)])),
            }
        }
        // Per standing secret reached: everything some hand-off that reaches it allows (an
        // action is excess only if no such hand-off covers it), and the shortest reach.
        let mut reached: Vec<(NodeIndex, Vec<Action>, Reach)> = Vec::new();
        let mut slot: HashMap<NodeIndex, usize> = HashMap::default();
        for (allowed, members) in &groups {
            let targets: Vec<NodeIndex> = members.iter().map(|&(_, t)| t).collect();
            let search = context.capability_search(&targets, &[]);
            for holder in search.reached_nodes() {
                for (secret, suffix) in standing_secrets(context, holder) {
                    let Some(path) = search.witness(holder) else {
                        continue;
                    };
                    let start = path.nodes[0];
                    let (rank, &(edge, _)) = handoffs
                        .iter()
                        .enumerate()
                        .find(|(_, (e, t))| *t == start && members.iter().any(|(m, _)| m == e))
                        .expect("a search starts at a hand-off target");
                    let mut nodes = vec![human];
                    nodes.extend(path.nodes.iter().copied());
                    let mut hops = vec![WitnessHop {
                        edge,
                        reversed: false,
                    }];
                    hops.extend(path.hops.iter().copied());
                    for &(hop, node) in &suffix {
                        hops.push(WitnessHop {
                            edge: hop,
                            reversed: false,
                        });
                        nodes.push(node);
                    }
                    let reach = Reach {
                        length: hops.len(),
                        handoff_rank: rank,
                        holder,
                        witness: Witness {
                            nodes,
                            hops,
                            shortest_paths: path.shortest_paths,
                            elided: 0,
                        },
                    };
                    match slot.get(&secret) {
                        None => {
                            slot.insert(secret, reached.len());
                            reached.push((secret, allowed.clone(), reach));
                        }
                        Some(&index) => {
                            let (_, union, best) = &mut reached[index];
                            union.extend(allowed.iter().copied());
                            union.sort();
                            union.dedup();
                            if (reach.length, reach.handoff_rank) < (best.length, best.handoff_rank)
                            {
                                *best = reach;
                            }
                        }
                    }
                }
            }
        }
        let handoff_edges: Vec<EdgeIndex> = handoffs.iter().map(|&(e, _)| e).collect();
        // What the person's approvals lead to: the critical case is an approval, not a
        // delegation, carried out with privilege beyond the approver's.
        let approved: Vec<NodeIndex> = handoffs
            .iter()
            .filter(|&&(e, _)| context.graph.edge(e).relation == Relation::Approves)
            .map(|&(_, target)| target)
            .collect();
        let approval_reach = context.capability_search(&approved, &[]);
        for (secret, allowed, reach) in reached {
            let approval_leads = holders_of(context, secret)
                .into_iter()
                .any(|holder| approval_reach.reached(holder));
            if let Some(finding) = finding(
                context,
                human,
                approval_leads,
                &entitlements,
                &handoff_edges,
                secret,
                &allowed,
                reach,
            ) {
                findings.push(finding);
            }
        }
    }
    findings
}

#[allow(clippy::too_many_arguments)]
fn finding(
    context: &CheckContext,
    human: NodeIndex,
    approval_leads: bool,
    entitlements: &[Action],
    handoffs: &[EdgeIndex],
    secret: NodeIndex,
    allowed: &[Action],
    reach: Reach,
) -> Option<Finding> {
    let grants: Vec<(EdgeIndex, NodeIndex)> = context
        .related(secret, Relation::Grants, Outgoing)
        .collect();
    let granted = stated_permissions(context, &grants);
    let excess: Vec<Action> = granted
        .iter()
        .copied()
        .filter(|a| !allowed.contains(a))
        .collect();
    let unstated = unscoped(context, &grants);
    // With no stated excess, only a grant that does not say could carry one: the finding
    // then waits on what it permits. The path ends on the first grant that carries it.
    let carries_excess = |e: EdgeIndex| {
        let permissions = &context.graph.edge(e).permissions;
        if excess.is_empty() {
            permissions.is_empty()
        } else {
            permissions.iter().any(|a| excess.contains(a))
        }
    };
    let (grant, target) = grants.iter().copied().find(|&(e, _)| carries_excess(e))?;
    let mut witness = reach.witness;
    witness.hops.push(WitnessHop {
        edge: grant,
        reversed: false,
    });
    witness.nodes.push(target);
    let first = witness.nodes[1];
    let holder = reach.holder;
    let id = context.id(human);
    let what = if excess.is_empty() {
        "unstated permissions".to_owned()
    } else {
        action_list(&excess)
    };
    let title = if holder == first {
        format!(
            "`{id}` → `{}` wields standing `{}`, which grants {what} beyond `{id}`'s entitlements and task scope",
            context.id(first),
            context.id(secret),
        )
    } else {
        let between = if witness.nodes.get(2) == Some(&holder) {
            ""
        } else {
            " → …"
        };
        format!(
            "`{id}` → `{}`{between} → `{}` wields standing `{}`, which grants {what} beyond `{id}`'s entitlements and task scope",
            context.id(first),
            context.id(holder),
            context.id(secret),
        )
    };
    let entitled = if entitlements.is_empty() {
        format!("`{id}` has no stated entitlements")
    } else {
        format!("`{id}` is entitled to {}", action_list(entitlements))
    };
    let scopes: Vec<String> = handoffs
        .iter()
        .map(|&e| {
            let edge = context.graph.edge(e);
            let scope = if edge.scope.is_empty() {
                "no stated scope".to_owned()
            } else {
                format!("scope {}", action_list(&edge.scope))
            };
            format!("{} `{}` ({scope})", edge.relation, edge.to)
        })
        .collect();
    let stores: Vec<NodeIndex> = grants
        .iter()
        .filter(|&&(e, _)| carries_excess(e))
        .map(|&(_, n)| n)
        .collect();
    let granted_text = if granted.is_empty() {
        "no stated permission".to_owned()
    } else {
        action_list(&granted)
    };
    let mut builder = context
        .finding(&RULE)
        .title(title)
        .subjects([id, context.id(secret)])
        .place(context.id(secret))
        .path(context.steps(&witness), witness.shortest_paths)
        .evidence(entitled)
        .evidence(format!("`{id}` hands off: {}", scopes.join("; ")))
        .evidence(format!(
            "`{}` is standing and grants {granted_text}; outside every hand-off: {what}",
            context.id(secret),
        ))
        .factor(context.impact_factor(&excess))
        .factor(context.sensitivity_factor(&stores));
    // Privilege beyond a person's is judged only against what they are stated to hold.
    if entitlements.is_empty() {
        builder = builder.assumes(id, "entitlements", "none", true);
    }
    builder = assume_lifetime(builder, context, secret, true);
    builder = assume_permissions(builder, context, &unstated, excess.is_empty());
    let lifetime_stated = context.secret(secret).is_some_and(|s| s.lifetime.is_some());
    let severe: Vec<Action> = excess
        .iter()
        .copied()
        .filter(|a| {
            matches!(
                a,
                Action::Payment | Action::Delete | Action::Admin | Action::Execute
            )
        })
        .collect();
    if approval_leads && lifetime_stated && !entitlements.is_empty() && !severe.is_empty() {
        builder = builder.critical(format!(
            "`{id}`'s approval leads through standing `{}` to {}, beyond what `{id}` is entitled to do",
            context.id(secret),
            action_list(&severe)
        ));
    }
    Some(builder.build())
}

/// The nodes that hold `secret`, directly or by acting as an identity that holds it.
fn holders_of(context: &CheckContext, secret: NodeIndex) -> Vec<NodeIndex> {
    let mut holders = Vec::new();
    for (_, holder) in context.related(secret, Relation::Holds, Incoming) {
        holders.push(holder);
        if context.kind(holder) == NodeKind::Identity {
            holders.extend(
                context
                    .related(holder, Relation::ActsAs, Incoming)
                    .map(|(_, actor)| actor),
            );
        }
    }
    holders
}

/// The standing secrets `holder` holds, directly or through an identity it acts as, each with
/// the hops from `holder` to it.
fn standing_secrets(
    context: &CheckContext,
    holder: NodeIndex,
) -> Vec<(NodeIndex, Vec<(EdgeIndex, NodeIndex)>)> {
    let mut secrets = Vec::new();
    for (edge, secret) in context.related(holder, Relation::Holds, Outgoing) {
        if context.is_standing(secret) {
            secrets.push((secret, vec![(edge, secret)]));
        }
    }
    for (acts, identity) in context.related(holder, Relation::ActsAs, Outgoing) {
        for (edge, secret) in context.related(identity, Relation::Holds, Outgoing) {
            if context.is_standing(secret) && !secrets.iter().any(|(s, _)| *s == secret) {
                secrets.push((secret, vec![(acts, identity), (edge, secret)]));
            }
        }
    }
    secrets
}
