//! Credentials: how the secrets agents can use are issued, kept, owned, rotated, revoked and
//! scoped. Four checks ask the same question first — which agents can use this secret? —
//! answered once here by [`agent_reach`].

pub mod no_automated_revocation;
pub mod over_scoped_secret;
pub mod plaintext_secret;
pub mod standing_credential;
pub mod unowned_credential;
pub mod unrotated_credential;

use petgraph::stable_graph::{EdgeIndex, NodeIndex};

use crate::graph::{Search, Traversal, Witness};
use crate::model::{Action, Edge, Lifetime, NodeKind, Relation};
use crate::rules::counted::{COUNTED, Count, listed_ids};
use crate::rules::{CheckContext, FindingBuilder};

/// The agents that can use a secret, nearest first.
pub struct AgentReach {
    /// The agents that can use the secret, by distance, then id: all of them, or the nearest
    /// [`COUNTED`] when there are more.
    pub agents: Vec<NodeIndex>,
    /// How many agents can use it.
    pub count: Count,
    /// The walk back from the secret to its users.
    search: Search,
}

impl AgentReach {
    /// The agent nearest to the secret (ties broken by id).
    pub fn nearest(&self) -> NodeIndex {
        self.agents[0]
    }

    /// The shortest path from `agent` (one of `agents`) to the secret, walked forwards.
    pub fn witness(&self, context: &CheckContext, agent: NodeIndex) -> Witness {
        let back = self.search.witness(agent).expect("the agent was reached");
        context.reversed(&back)
    }
}

/// Which agents can use `secret`: an agent that holds it, acts as an identity that holds it,
/// or can make a tool, workflow, gateway or other agent act (invokes, delegates, triggers)
/// that holds it or acts as an identity holding it. Gateways do not stop the walk: a policy in
/// front of a tool decides which calls run, but the credential behind it stays what it is.
///
/// One backward search from the secret over holds, acts as and the capability edges; the
/// model's relation table keeps its shape (holds only into secrets, acts as only into
/// identities), so the walk is exactly `agent → … → holder (→ identity) → secret`.
pub fn agent_reach(context: &CheckContext, secret: NodeIndex) -> Option<AgentReach> {
    let behind = |edge: &Edge| {
        matches!(
            edge.relation,
            Relation::Holds
                | Relation::ActsAs
                | Relation::Invokes
                | Relation::Delegates
                | Relation::Triggers
        )
    };
    let is_agent = |n: NodeIndex| context.kind(n) == NodeKind::Agent;
    let search =
        context
            .graph
            .search_for(&[secret], &Traversal::backward(&behind), is_agent, COUNTED);
    let mut agents: Vec<NodeIndex> = search.reached_nodes().filter(|&n| is_agent(n)).collect();
    agents.sort_by_key(|&n| (search.distance(n), context.id(n)));
    let count = Count::of(agents.len(), search.is_complete());
    (!agents.is_empty()).then_some(AgentReach {
        agents,
        count,
        search,
    })
}

/// "`a`, `b` and `c`", or the first few and how many more.
pub fn id_list<'a>(ids: impl IntoIterator<Item = &'a str>) -> String {
    let ids: Vec<&str> = ids.into_iter().collect();
    listed_ids(ids.iter().copied(), Count::Exactly(ids.len()))
}

/// "`support-agent`", or "`support-agent` and 2 other agents".
pub fn agents_phrase(context: &CheckContext, reach: &AgentReach) -> String {
    let nearest = context.id(reach.nearest());
    let others = reach.count.minus(1);
    match others {
        Count::Exactly(0) => format!("`{nearest}`"),
        Count::Exactly(1) => format!("`{nearest}` and 1 other agent"),
        _ => format!("`{nearest}` and {others} other agents"),
    }
}

/// "agents that can use it: `a`, `b`".
pub fn agents_evidence(context: &CheckContext, reach: &AgentReach) -> String {
    let label = if reach.count.is_one() {
        "agent"
    } else {
        "agents"
    };
    format!(
        "{label} that can use it: {}",
        listed_ids(reach.agents.iter().map(|&n| context.id(n)), reach.count)
    )
}

/// Why the secret counts as standing: "lifetime: standing", "lifetime not stated (read as
/// standing)", "just-in-time, but valid for 7d (over a day)".
pub fn lifetime_evidence(context: &CheckContext, secret: NodeIndex) -> String {
    let Some(properties) = context.secret(secret) else {
        return String::new();
    };
    match (properties.lifetime, properties.ttl) {
        (Some(Lifetime::Standing), Some(ttl)) => format!("lifetime: standing (valid for {ttl})"),
        (Some(Lifetime::Standing), None) => "lifetime: standing".to_owned(),
        (None, _) => "lifetime not stated: read as standing".to_owned(),
        (Some(Lifetime::Jit), Some(ttl)) if context.is_standing(secret) => {
            format!("just-in-time, but valid for {ttl} (over a day)")
        }
        (Some(Lifetime::Jit), Some(ttl)) => format!("just-in-time, valid for {ttl}"),
        (Some(Lifetime::Jit), None) => "just-in-time".to_owned(),
    }
}

/// "grants read, write on `crm`", "grants unstated permissions on `crm`".
pub fn grant_evidence(context: &CheckContext, edge: EdgeIndex, target: NodeIndex) -> String {
    let permissions = &context.graph.edge(edge).permissions;
    if permissions.is_empty() {
        return format!("grants unstated permissions on `{}`", context.id(target));
    }
    format!(
        "grants {} on `{}`",
        action_list(permissions),
        context.id(target)
    )
}

/// "read, write, admin".
pub fn action_list(actions: &[Action]) -> String {
    actions
        .iter()
        .map(|a| a.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the grants state they permit, each action once, in vocabulary order. A grant that
/// does not say adds nothing: no action is inferred from it (it is asked about instead).
pub fn stated_permissions(
    context: &CheckContext,
    grants: &[(EdgeIndex, NodeIndex)],
) -> Vec<Action> {
    let mut actions: Vec<Action> = grants
        .iter()
        .flat_map(|&(e, _)| context.graph.edge(e).permissions.iter().copied())
        .collect();
    actions.sort();
    actions.dedup();
    actions
}

/// The grants that do not say what they permit.
pub fn unscoped(context: &CheckContext, grants: &[(EdgeIndex, NodeIndex)]) -> Vec<EdgeIndex> {
    grants
        .iter()
        .map(|&(e, _)| e)
        .filter(|&e| context.graph.edge(e).permissions.is_empty())
        .collect()
}

/// Records that the grants in `edges` leave their permissions unstated: `decisive` when the
/// finding needs them to permit more than they state.
pub fn assume_permissions(
    mut builder: FindingBuilder,
    context: &CheckContext,
    edges: &[EdgeIndex],
    decisive: bool,
) -> FindingBuilder {
    for &edge in edges {
        builder = builder.assumes(
            context.graph.edge(edge).id.clone(),
            "permissions",
            "unknown: may permit more than its users need",
            decisive,
        );
    }
    builder
}

/// Records that the secret's lifetime is unstated and read as standing, when it is.
pub fn assume_lifetime(
    builder: FindingBuilder,
    context: &CheckContext,
    secret: NodeIndex,
    decisive: bool,
) -> FindingBuilder {
    if context.secret(secret).is_some_and(|s| s.lifetime.is_none()) {
        builder.assumes(context.id(secret), "lifetime", "standing", decisive)
    } else {
        builder
    }
}

/// The secrets of the model, in file order.
pub fn secrets(context: &CheckContext) -> Vec<NodeIndex> {
    context.nodes_of_kind(NodeKind::Secret)
}
