//! Confused deputy between agents: one agent hands another a task, and the other carries it
//! out with its own credential, which grants high-impact actions the first was never given.
//! No person is involved: the first agent's reach is the second's privilege.

use rustc_hash::FxHashMap as HashMap;

use petgraph::Direction::Outgoing;
use petgraph::stable_graph::{EdgeIndex, NodeIndex};

use crate::findings::{Finding, Severity};
use crate::frameworks::*;
use crate::graph::{Witness, WitnessHop};
use crate::model::{Action, NodeKind, Relation};
use crate::rules::authorization::action_list;
use crate::rules::{Area, CheckContext, RiskKind, Rule};

pub static RULE: Rule = Rule {
    id: "BTZ-MAG-005",
    slug: "confused-deputy",
    title: "Agent can make another agent use privilege it lacks",
    area: Area::MultiAgent,
    risk: RiskKind::Credential,
    version: 1,
    default_severity: Severity::Medium,
    summary: "An agent delegates to or invokes another agent that holds a secret, or acts as an identity, whose grants state a high-impact action (anything but read) on a target where the calling agent's own credentials state no such action and the hand-off's `scope` does not include it. Only stated permissions count: a grant of unstated permissions on the target is read as possibly covering the action, so nothing is reported for it. Severity rises when the action is payment, admin or delete, when the target holds restricted data, and when untrusted content reaches the calling agent.",
    rationale: "The receiving agent acts with its own credential whoever asked: it cannot tell a task its orchestrator may request from one that only its own privilege makes possible. A calling agent that is hijacked by injected content, compromised or simply mistaken can therefore delete, pay or administer through its peer although it was never given that permission itself. Least privilege per agent means little when any agent can borrow a more privileged one's credential by asking it.",
    remediation: "Have the receiving agent act with the caller's authority rather than its own: pass a scoped, signed delegation token (on-behalf-of) with each task and issue the receiving agent's credential per task, narrowed to what the caller may do; or check each hand-off with request-time policy that knows the calling agent. State the hand-off's `scope` where a wider delegation is intended.",
    references: &[
        asi("ASI03"),
        threat("T3"),
        llm("LLM06:2025"),
        maestro_cross_layer("Privilege Escalation"),
        maestro("L7", "Agent Identity Attack"),
        sp800_53("AC-6"),
        nist("GOVERN 3.2"),
    ],
    check,
};

/// A high-impact action an agent's own credentials grant on a target, and the hops from the
/// agent to it (through the identity it acts as, the secret it holds, the grant).
struct Privilege {
    target: NodeIndex,
    actions: Vec<Action>,
    /// The secret or identity whose grant states the actions: where the fix belongs.
    credential: NodeIndex,
    hops: Vec<(EdgeIndex, NodeIndex)>,
}

/// A hand-off to compare: the deputy, the caller's set of credentials (by number) and the
/// hand-off's scope.
type Comparison = (NodeIndex, usize, Vec<Action>);

/// The first of the deputy's privileges beyond the caller (by position), and the actions of
/// it that are.
type Excess = (usize, Vec<Action>);

/// What an agent's own credentials let it do on each target: the stated actions, or `None`
/// when a grant on the target does not state its permissions (it may allow anything).
type OwnAccess = HashMap<NodeIndex, Option<Vec<Action>>>;

fn check(context: &CheckContext) -> Vec<Finding> {
    // Each deputy's privileges, read once.
    let mut privileges: HashMap<NodeIndex, Vec<Privilege>> = HashMap::default();
    // Agents that use the same credentials have the same access: each set is read once, and
    // each (deputy, set, scope) compared once, so a hundred agents sharing an identity and
    // calling one deputy cost one comparison, not a hundred.
    let mut credential_sets: HashMap<Vec<NodeIndex>, usize> = HashMap::default();
    let mut access: Vec<OwnAccess> = Vec::new();
    let mut verdicts: HashMap<Comparison, Option<Excess>> = HashMap::default();
    let mut findings = Vec::new();
    for caller in context.agents() {
        let mut credentials_used: Vec<NodeIndex> = credentials(context, caller)
            .into_iter()
            .map(|(credential, _)| credential)
            .collect();
        credentials_used.sort();
        credentials_used.dedup();
        let set = match credential_sets.get(&credentials_used) {
            Some(&set) => set,
            None => {
                access.push(own_access(context, &credentials_used));
                credential_sets.insert(credentials_used, access.len() - 1);
                access.len() - 1
            }
        };
        for &(edge, deputy) in context.graph.edges(caller, Outgoing) {
            let data = context.graph.edge(edge);
            if !matches!(data.relation, Relation::Delegates | Relation::Invokes)
                || context.kind(deputy) != NodeKind::Agent
                || deputy == caller
            {
                continue;
            }
            let deputy_privileges = privileges
                .entry(deputy)
                .or_insert_with(|| own_privileges(context, deputy));
            if deputy_privileges.is_empty() {
                continue;
            }
            let mut scope = data.scope.clone();
            scope.sort();
            scope.dedup();
            // The first privilege beyond the caller: its credential is the risk's place.
            let verdict = verdicts
                .entry((deputy, set, scope))
                .or_insert_with_key(|key| {
                    deputy_privileges
                        .iter()
                        .enumerate()
                        .find_map(|(i, privilege)| {
                            let beyond = beyond_caller(privilege, &access[set], &key.2);
                            (!beyond.is_empty()).then_some((i, beyond))
                        })
                });
            if let Some((i, beyond)) = verdict {
                let privilege = &deputy_privileges[*i];
                findings.push(finding(context, caller, deputy, edge, privilege, beyond));
            }
        }
    }
    findings
}

/// The actions of `privilege` the caller's own credentials do not state on its target and
/// the hand-off's scope does not pass on.
fn beyond_caller(privilege: &Privilege, caller: &OwnAccess, scope: &[Action]) -> Vec<Action> {
    match caller.get(&privilege.target) {
        // A grant that does not say may cover any action: nothing is known to be beyond it.
        Some(None) => Vec::new(),
        Some(Some(own)) => privilege
            .actions
            .iter()
            .copied()
            .filter(|a| !own.contains(a) && !scope.contains(a))
            .collect(),
        None => privilege
            .actions
            .iter()
            .copied()
            .filter(|a| !scope.contains(a))
            .collect(),
    }
}

/// The credentials an agent uses itself: secrets it holds, identities it acts as and the
/// secrets those hold, each with the hops from the agent.
fn credentials(
    context: &CheckContext,
    agent: NodeIndex,
) -> Vec<(NodeIndex, Vec<(EdgeIndex, NodeIndex)>)> {
    let mut found: Vec<(NodeIndex, Vec<(EdgeIndex, NodeIndex)>)> = Vec::new();
    for (holds, secret) in context.related(agent, Relation::Holds, Outgoing) {
        found.push((secret, vec![(holds, secret)]));
    }
    for (acts, identity) in context.related(agent, Relation::ActsAs, Outgoing) {
        found.push((identity, vec![(acts, identity)]));
        for (holds, secret) in context.related(identity, Relation::Holds, Outgoing) {
            found.push((secret, vec![(acts, identity), (holds, secret)]));
        }
    }
    found
}

/// The high-impact actions the agent's own credentials state, grant by grant.
fn own_privileges(context: &CheckContext, agent: NodeIndex) -> Vec<Privilege> {
    let mut privileges = Vec::new();
    for (credential, hops) in credentials(context, agent) {
        for (grant, target) in context.related(credential, Relation::Grants, Outgoing) {
            let actions: Vec<Action> = context
                .graph
                .edge(grant)
                .permissions
                .iter()
                .copied()
                .filter(|a| a.is_high_impact())
                .collect();
            if actions.is_empty() {
                continue;
            }
            let mut hops = hops.clone();
            hops.push((grant, target));
            privileges.push(Privilege {
                target,
                actions,
                credential,
                hops,
            });
        }
    }
    privileges
}

/// Everything a set of credentials states on each target.
fn own_access(context: &CheckContext, credentials: &[NodeIndex]) -> OwnAccess {
    let mut access = OwnAccess::default();
    for &credential in credentials {
        for (grant, target) in context.related(credential, Relation::Grants, Outgoing) {
            let permissions = &context.graph.edge(grant).permissions;
            let entry = access.entry(target).or_insert_with(|| Some(Vec::new()));
            match entry {
                _ if permissions.is_empty() => *entry = None,
                Some(actions) => actions.extend(permissions.iter().copied()),
                None => {}
            }
        }
    }
    access
}

fn finding(
    context: &CheckContext,
    caller: NodeIndex,
    deputy: NodeIndex,
    edge: EdgeIndex,
    privilege: &Privilege,
    beyond: &[Action],
) -> Finding {
    let mut nodes = vec![caller, deputy];
    let mut hops = vec![WitnessHop {
        edge,
        reversed: false,
    }];
    for &(hop, node) in &privilege.hops {
        nodes.push(node);
        hops.push(WitnessHop {
            edge: hop,
            reversed: false,
        });
    }
    let witness = Witness {
        nodes,
        hops,
        shortest_paths: 1,
        elided: 0,
    };
    let data = context.graph.edge(edge);
    let verb = match data.relation {
        Relation::Delegates => "hand a task to",
        _ => "call",
    };
    let (caller_id, deputy_id) = (context.id(caller), context.id(deputy));
    let credential_id = context.id(privilege.credential);
    let target_id = context.id(privilege.target);
    let what = action_list(beyond);
    let scope = if data.scope.is_empty() {
        "the hand-off states no scope".to_owned()
    } else {
        format!("the hand-off's scope is {}", action_list(&data.scope))
    };
    let mut builder = context
        .finding(&RULE)
        .title(format!(
            "`{caller_id}` can make `{deputy_id}` use `{credential_id}` to {what} on `{target_id}`, which `{caller_id}` may not do itself"
        ))
        .subjects([caller_id, deputy_id, credential_id])
        .place(credential_id)
        .path(context.steps(&witness), 1)
        .evidence(format!(
            "`{caller_id}` can {verb} `{deputy_id}`; `{credential_id}` grants {} on `{target_id}`",
            action_list(&privilege.actions)
        ))
        .evidence(format!(
            "`{caller_id}`'s own credentials state no {what} on `{target_id}`, and {scope}"
        ))
        .factor(context.impact_factor(beyond))
        .factor(context.sensitivity_factor(&[privilege.target]));
    builder = context.with_exposure(builder, caller);
    builder.build()
}
