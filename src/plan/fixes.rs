//! The controls a plan can put into a model, each a pure edit: a model in, a changed model out,
//! or the reason it cannot be made here. The plan's simulation and the app's "Apply" both call
//! [`Fix::apply`], so what is applied is what was simulated.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Serialize;

use crate::graph::ModelGraph;
use crate::model::*;
use crate::validate::{is_valid_id, validate};

/// How long a credential issued just in time lives.
const JIT_TTL: Duration = Duration::from_seconds(15 * 60);

/// What a policy gateway put in front of a caller enforces: a decision per request, a limit on
/// how often, a record of each call and a list of the destinations calls may reach.
const POLICY_CONTROLS: &[Control] = &[
    Control::RequestTimePolicy,
    Control::RateLimit,
    Control::AuditLog,
    Control::EgressAllowlist,
];

/// One control, at one node, that a plan can add to a model.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "control", content = "at", rename_all = "snake_case")]
pub enum Fix {
    /// A gateway with request-time policy, rate limit, audit log and egress allowlist between
    /// an agent or workflow and the tools and gateways it calls; code tools sandboxed.
    PolicyGateway(String),
    /// The secret issued just in time (15 minutes), kept in a vault, revoked automatically,
    /// its grants narrowed to what its users use; one per holder when several hold it.
    JitCredential(String),
    /// One workload identity for each workload acting as the identity.
    WorkloadIdentity(String),
    /// The strongest authentication on every hand-off between agents to and from the agent.
    AuthenticatedHandoffs(String),
    /// The third-party tools the agent loads (or the tool itself) pinned and verified.
    PinnedTools(String),
}

/// A fix applied: the changed model, what changed in words, and how many model elements
/// (nodes and edges) were added, changed or removed.
#[derive(Clone, Debug, PartialEq)]
pub struct Applied {
    pub model: Model,
    pub edit: String,
    pub changes: usize,
}

impl Fix {
    /// Every fix's code, the part of a step id before the `:`.
    const CODES: &'static [&'static str] = &[
        "policy-gateway",
        "jit-credential",
        "workload-identity",
        "authenticate-handoffs",
        "pin-tools",
    ];

    fn code(&self) -> &'static str {
        match self {
            Fix::PolicyGateway(_) => Self::CODES[0],
            Fix::JitCredential(_) => Self::CODES[1],
            Fix::WorkloadIdentity(_) => Self::CODES[2],
            Fix::AuthenticatedHandoffs(_) => Self::CODES[3],
            Fix::PinnedTools(_) => Self::CODES[4],
        }
    }

    /// The node the fix is at.
    pub fn place(&self) -> &str {
        match self {
            Fix::PolicyGateway(id)
            | Fix::JitCredential(id)
            | Fix::WorkloadIdentity(id)
            | Fix::AuthenticatedHandoffs(id)
            | Fix::PinnedTools(id) => id,
        }
    }

    /// The step id: the fix's code and the place, `policy-gateway:ap-agent`. Stable while the
    /// place keeps its id.
    pub fn id(&self) -> String {
        format!("{}:{}", self.code(), self.place())
    }

    /// Reads a step id back.
    pub fn from_id(id: &str) -> Option<Fix> {
        let (code, place) = id.split_once(':')?;
        if place.is_empty() {
            return None;
        }
        let place = place.to_owned();
        Some(match code {
            "policy-gateway" => Fix::PolicyGateway(place),
            "jit-credential" => Fix::JitCredential(place),
            "workload-identity" => Fix::WorkloadIdentity(place),
            "authenticate-handoffs" => Fix::AuthenticatedHandoffs(place),
            "pin-tools" => Fix::PinnedTools(place),
            _ => return None,
        })
    }

    /// What the step does, in the names people drew.
    pub fn title(&self, model: &Model) -> String {
        let name = name_of(model, self.place());
        match self {
            Fix::PolicyGateway(_) => format!("Put a policy gateway in front of {name}'s calls"),
            Fix::JitCredential(_) => {
                format!("Issue {name} just in time, scoped to what its users use")
            }
            Fix::WorkloadIdentity(_) => {
                format!("Give each workload acting as {name} its own workload identity")
            }
            Fix::AuthenticatedHandoffs(_) => {
                format!("Authenticate the hand-offs between {name} and other agents")
            }
            Fix::PinnedTools(place) if kind_of(model, place) == Some(NodeKind::Tool) => {
                format!("Pin {name} and verify where it comes from")
            }
            Fix::PinnedTools(_) => {
                format!("Pin the third-party tools {name} loads and verify where they come from")
            }
        }
    }

    /// Applies the fix to a copy of `model`. The result is valid, or the fix is refused with
    /// the reason.
    pub fn apply(&self, model: &Model) -> Result<Applied, String> {
        if model.node(self.place()).is_none() {
            return Err(format!("no node has the id `{}`", self.place()));
        }
        let mut after = model.clone();
        let edit = match self {
            Fix::PolicyGateway(caller) => policy_gateway(&mut after, caller)?,
            Fix::JitCredential(secret) => jit_credential(&mut after, secret)?,
            Fix::WorkloadIdentity(identity) => workload_identity(&mut after, identity)?,
            Fix::AuthenticatedHandoffs(agent) => authenticated_handoffs(&mut after, agent)?,
            Fix::PinnedTools(place) => pinned_tools(&mut after, place)?,
        };
        if let Some(error) = validate(&after).into_iter().find(|d| d.is_error()) {
            return Err(format!(
                "the edit would make the model invalid: {}",
                error.message
            ));
        }
        let changes = changes(model, &after);
        if changes == 0 {
            return Err("the model already has this control".to_owned());
        }
        Ok(Applied {
            model: after,
            edit,
            changes,
        })
    }
}

impl fmt::Display for Fix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.id())
    }
}

fn name_of(model: &Model, id: &str) -> String {
    model
        .node(id)
        .map(|node| node.name.clone())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| id.to_owned())
}

fn kind_of(model: &Model, id: &str) -> Option<NodeKind> {
    model.node(id).map(Node::kind)
}

/// "A", "A and B", "A, B and C".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn names(model: &Model, ids: &[String]) -> String {
    let named: Vec<String> = ids.iter().map(|id| name_of(model, id)).collect();
    and_list(&named)
}

fn controls_list(controls: &[Control]) -> String {
    controls
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn actions_list(actions: &[Action]) -> String {
    actions
        .iter()
        .map(|a| a.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether an id names a node, an edge or a boundary.
fn is_taken(model: &Model, id: &str) -> bool {
    model.nodes.iter().any(|node| node.id == id)
        || model.boundaries.iter().any(|boundary| boundary.id == id)
        || model.edges.iter().any(|edge| edge_id(edge) == id)
}

fn edge_id(edge: &Edge) -> String {
    if edge.id.is_empty() {
        Edge::derived_id(&edge.from, edge.relation, &edge.to)
    } else {
        edge.id.clone()
    }
}

/// `base`, else `base-2`, `base-3`…: the first that is a valid id nothing has.
fn fresh_id(model: &Model, base: &str) -> Result<String, String> {
    (1..=model.nodes.len() + model.edges.len() + model.boundaries.len() + 1)
        .map(|n| {
            if n == 1 {
                base.to_owned()
            } else {
                format!("{base}-{n}")
            }
        })
        .find(|id| is_valid_id(id) && !is_taken(model, id))
        .ok_or_else(|| format!("no valid id is free for a new node like `{base}`"))
}

/// Moves an edge's ends, keeping its id derived when it was (an own id stays).
fn set_ends(edge: &mut Edge, from: &str, to: &str) {
    let derived = edge.id.is_empty() || edge.has_derived_id();
    edge.from = from.to_owned();
    edge.to = to.to_owned();
    if derived {
        edge.id = Edge::derived_id(from, edge.relation, to);
    }
}

/// Adds a node, in every boundary that lists `beside`.
fn add_node(model: &mut Model, node: Node, beside: &str) {
    for boundary in &mut model.boundaries {
        if boundary.members.iter().any(|m| m == beside) {
            boundary.members.push(node.id.clone());
        }
    }
    model.nodes.push(node);
}

/// Removes a node, its edges, its boundary memberships and its place on the diagram.
fn remove_node(model: &mut Model, id: &str) {
    model.nodes.retain(|node| node.id != id);
    model.edges.retain(|edge| edge.from != id && edge.to != id);
    for boundary in &mut model.boundaries {
        boundary.members.retain(|member| member != id);
    }
    model.layout.nodes.remove(id);
}

/// How many nodes and edges differ between two models: added, removed or changed, an edge
/// known by its id.
fn changes(before: &Model, after: &Model) -> usize {
    fn differ<T: PartialEq>(old: &BTreeMap<String, &T>, new: &BTreeMap<String, &T>) -> usize {
        let removed_or_changed = old
            .iter()
            .filter(|(id, o)| new.get(*id) != Some(*o))
            .count();
        let added = new.keys().filter(|id| !old.contains_key(*id)).count();
        removed_or_changed + added
    }
    fn nodes(model: &Model) -> BTreeMap<String, &Node> {
        model.nodes.iter().map(|n| (n.id.clone(), n)).collect()
    }
    fn edges(model: &Model) -> BTreeMap<String, &Edge> {
        model.edges.iter().map(|e| (edge_id(e), e)).collect()
    }
    differ(&nodes(before), &nodes(after)) + differ(&edges(before), &edges(after))
}

fn gateway(id: String, name: String, controls: &[Control]) -> Node {
    Node {
        id,
        name,
        description: None,
        properties: NodeProperties::Gateway(GatewayProperties {
            controls: controls.to_vec(),
        }),
    }
}

fn runs_code(tool: &ToolProperties) -> bool {
    tool.actions.contains(&Action::Execute) || tool.tool_type == Some(ToolType::Shell)
}

fn policy_gateway(model: &mut Model, caller: &str) -> Result<String, String> {
    if !matches!(
        kind_of(model, caller),
        Some(NodeKind::Agent | NodeKind::Workflow)
    ) {
        return Err(format!(
            "`{caller}` is not an agent or workflow, so it has no calls to route"
        ));
    }
    let routed: Vec<usize> = model
        .edges
        .iter()
        .enumerate()
        .filter(|(_, edge)| {
            edge.from == caller
                && edge.relation == Relation::Invokes
                && matches!(
                    kind_of(model, &edge.to),
                    Some(NodeKind::Tool | NodeKind::Gateway)
                )
        })
        .map(|(index, _)| index)
        .collect();
    if routed.is_empty() {
        return Err(format!(
            "{} calls no tool or gateway directly",
            name_of(model, caller)
        ));
    }
    let is_policy_gateway = |id: &str| {
        matches!(
            model.node(id).map(|n| &n.properties),
            Some(NodeProperties::Gateway(g)) if POLICY_CONTROLS.iter().all(|c| g.controls.contains(c))
        )
    };
    if routed
        .iter()
        .all(|&index| is_policy_gateway(&model.edges[index].to))
    {
        return Err(format!(
            "{} calls only through policy gateways already",
            name_of(model, caller)
        ));
    }
    let caller_name = name_of(model, caller);
    let id = fresh_id(model, &format!("{caller}-policy-gateway"))?;
    let name = format!("{caller_name} policy gateway");
    // A call, by the caller or a tool it reaches, to what the caller also reaches through an
    // approval gate goes around the gate: the policy denies it, so the gate stays the one way.
    let around = calls_around_approval_gates(model, caller);
    let mut targets: Vec<String> = Vec::new();
    for &index in &routed {
        let to = model.edges[index].to.clone();
        if around.contains(&index) {
            continue;
        }
        set_ends(&mut model.edges[index], &id, &to);
        if !targets.contains(&to) {
            targets.push(to);
        }
    }
    let denied: Vec<String> = around
        .iter()
        .map(|&index| {
            let edge = &model.edges[index];
            format!(
                "{} → {}",
                name_of(model, &edge.from),
                name_of(model, &edge.to)
            )
        })
        .collect();
    let mut index = 0;
    model.edges.retain(|_| {
        index += 1;
        !around.contains(&(index - 1))
    });
    let mut sandboxed: Vec<String> = Vec::new();
    for node in &mut model.nodes {
        if let NodeProperties::Tool(tool) = &mut node.properties
            && targets.contains(&node.id)
            && runs_code(tool)
            && tool.sandboxed != Some(true)
        {
            tool.sandboxed = Some(true);
            sandboxed.push(node.id.clone());
        }
    }
    model
        .edges
        .push(Edge::new(caller, Relation::Invokes, id.clone()));
    add_node(
        model,
        gateway(id.clone(), name.clone(), POLICY_CONTROLS),
        caller,
    );
    let mut edit = format!(
        "Adds the gateway `{id}` ({name}: {}) and routes {caller_name}'s calls to {} through it",
        controls_list(POLICY_CONTROLS),
        names(model, &targets)
    );
    if !denied.is_empty() {
        edit.push_str(&format!(
            "; removes the calls that bypass the approval gate in front of their target: {}",
            and_list(&denied)
        ));
    }
    if !sandboxed.is_empty() {
        edit.push_str(&format!("; runs {} in a sandbox", names(model, &sandboxed)));
    }
    edit.push('.');
    Ok(edit)
}

/// The `invokes` edges (by index) that go around an approval gate `caller` can pass: calls by
/// the caller, or by the tools and gateways it calls, to something the caller also reaches
/// through a gate (a gateway holding calls for a person's approval, or anything a person
/// approves).
fn calls_around_approval_gates(model: &Model, caller: &str) -> BTreeSet<usize> {
    use crate::graph::Traversal;
    use crate::rules::is_capability_edge;
    let graph = ModelGraph::new(model);
    let approved: BTreeSet<&str> = model
        .edges
        .iter()
        .filter(|e| e.relation == Relation::Approves)
        .map(|e| e.to.as_str())
        .collect();
    let is_gate = |n| {
        approved.contains(graph.id(n))
            || matches!(
                &graph.node(n).properties,
                NodeProperties::Gateway(g) if g.controls.contains(&Control::HumanApproval)
            )
    };
    let Some(start) = graph.index_of(caller) else {
        return BTreeSet::new();
    };
    let gates: Vec<_> = graph
        .search(&[start], &Traversal::forward(&is_capability_edge))
        .reached_nodes()
        .filter(|&n| n != start && is_gate(n))
        .collect();
    let behind = graph.search(&gates, &Traversal::forward(&is_capability_edge));
    let invokes = |edge: &Edge| edge.relation == Relation::Invokes;
    let mediated = |n| matches!(graph.kind(n), NodeKind::Tool | NodeKind::Gateway) && !is_gate(n);
    let region: BTreeSet<&str> = graph
        .search(&[start], &Traversal::forward(&invokes).through(&mediated))
        .reached_nodes()
        .filter(|&n| n == start || mediated(n))
        .map(|n| graph.id(n))
        .collect();
    model
        .edges
        .iter()
        .enumerate()
        .filter(|(_, e)| e.relation == Relation::Invokes && region.contains(e.from.as_str()))
        .filter(|(_, e)| {
            graph
                .index_of(&e.to)
                .is_some_and(|t| !is_gate(t) && behind.distance(t).is_some_and(|d| d > 0))
        })
        .map(|(index, _)| index)
        .collect()
}

/// The actions the users of a credential use on its targets: the actions of the tools they
/// are, or call (directly or through gateways), and read and write where they read or write a
/// target.
fn needed(model: &Model, users: &[String], targets: &[String]) -> BTreeSet<Action> {
    let graph = ModelGraph::new(model);
    let mut needed = BTreeSet::new();
    let tool_actions = |id: &str| match model.node(id).map(|n| &n.properties) {
        Some(NodeProperties::Tool(tool)) => tool.actions.clone(),
        _ => Vec::new(),
    };
    let invokes = |edge: &Edge| edge.relation == Relation::Invokes;
    let through_gateways = |n| graph.kind(n) == NodeKind::Gateway;
    for user in users {
        if kind_of(model, user) == Some(NodeKind::Tool) {
            needed.extend(tool_actions(user));
        } else if let Some(start) = graph.index_of(user) {
            let search = graph.search(
                &[start],
                &crate::graph::Traversal::forward(&invokes).through(&through_gateways),
            );
            for reached in search.reached_nodes() {
                needed.extend(tool_actions(graph.id(reached)));
            }
        }
        for edge in &model.edges {
            if edge.from == *user && targets.contains(&edge.to) {
                match edge.relation {
                    Relation::Reads => {
                        needed.insert(Action::Read);
                    }
                    Relation::Writes => {
                        needed.insert(Action::Write);
                    }
                    _ => {}
                }
            }
        }
    }
    needed
}

/// The workloads a holder stands for: the holder, or the workloads acting as it when it is
/// an identity.
fn users_of(model: &Model, holder: &str) -> Vec<String> {
    if kind_of(model, holder) != Some(NodeKind::Identity) {
        return vec![holder.to_owned()];
    }
    model
        .edges
        .iter()
        .filter(|e| e.relation == Relation::ActsAs && e.to == holder)
        .filter(|e| kind_of(model, &e.from) != Some(NodeKind::Human))
        .map(|e| e.from.clone())
        .collect()
}

/// Narrows the grants of `secret` to what `users` use; returns the grants narrowed, in
/// words. Leaves them when the users use nothing the model states.
fn narrow_grants(model: &mut Model, secret: &str, users: &[String]) -> Vec<String> {
    let targets: Vec<String> = model
        .edges
        .iter()
        .filter(|e| e.from == secret && e.relation == Relation::Grants)
        .map(|e| e.to.clone())
        .collect();
    let needed = needed(model, users, &targets);
    if needed.is_empty() {
        return Vec::new();
    }
    let mut narrowed = Vec::new();
    let mut dropped: Vec<String> = Vec::new();
    for edge in &mut model.edges {
        if edge.from != secret || edge.relation != Relation::Grants {
            continue;
        }
        let granted: Vec<Action> = if edge.permissions.is_empty() {
            Action::ALL.to_vec()
        } else {
            edge.permissions.clone()
        };
        let kept: Vec<Action> = Action::ALL
            .iter()
            .copied()
            .filter(|a| granted.contains(a) && needed.contains(a))
            .collect();
        if kept.is_empty() {
            dropped.push(edge_id(edge));
        } else if kept != edge.permissions {
            edge.permissions = kept;
            narrowed.push((edge.to.clone(), edge.permissions.clone()));
        }
    }
    let mut words: Vec<String> = narrowed
        .into_iter()
        .map(|(to, actions)| format!("{} on {}", actions_list(&actions), name_of(model, &to)))
        .collect();
    for id in &dropped {
        if let Some(edge) = model.edges.iter().find(|e| edge_id(e) == *id) {
            words.push(format!("nothing on {}", name_of(model, &edge.to)));
        }
    }
    model.edges.retain(|e| !dropped.contains(&edge_id(e)));
    words
}

fn make_jit(properties: &mut SecretProperties) {
    properties.lifetime = Some(Lifetime::Jit);
    properties.ttl = Some(JIT_TTL);
    properties.revocation = Some(Revocation::Automated);
    properties.storage = Some(Storage::Vault);
}

fn secret_properties<'a>(model: &'a mut Model, id: &str) -> Option<&'a mut SecretProperties> {
    model
        .nodes
        .iter_mut()
        .find(|node| node.id == id)
        .and_then(|node| match &mut node.properties {
            NodeProperties::Secret(secret) => Some(secret),
            _ => None,
        })
}

fn jit_credential(model: &mut Model, secret: &str) -> Result<String, String> {
    let Some(Node {
        name: secret_name,
        properties: NodeProperties::Secret(original),
        description,
        ..
    }) = model.node(secret).cloned()
    else {
        return Err(format!("`{secret}` is not a secret"));
    };
    let mut holders: Vec<String> = model
        .edges
        .iter()
        .filter(|e| e.relation == Relation::Holds && e.to == secret)
        .map(|e| e.from.clone())
        .collect();
    holders.sort();
    holders.dedup();
    let (people, workloads): (Vec<String>, Vec<String>) = holders
        .into_iter()
        .partition(|h| kind_of(model, h) == Some(NodeKind::Human));
    let ttl = JIT_TTL.to_string();
    if workloads.is_empty() {
        return Err(format!("no workload holds {secret_name}"));
    }
    if people.is_empty() && workloads.len() == 1 {
        make_jit(secret_properties(model, secret).expect("a secret"));
        let users = users_of(model, &workloads[0]);
        let narrowed = narrow_grants(model, secret, &users);
        let mut edit = format!(
            "Makes {secret_name} just in time (ttl {ttl}), kept in a vault and revoked automatically"
        );
        if !narrowed.is_empty() {
            edit.push_str(&format!("; it grants {}", and_list(&narrowed)));
        }
        edit.push('.');
        return Ok(edit);
    }
    // Shared: each workload gets a credential of its own, scoped to its own use; people keep
    // the original, which no workload holds any more.
    let grants: Vec<Edge> = model
        .edges
        .iter()
        .filter(|e| e.from == secret && e.relation == Relation::Grants)
        .cloned()
        .collect();
    let mut issued: Vec<String> = Vec::new();
    for holder in &workloads {
        let id = fresh_id(model, &format!("{secret}-{holder}"))?;
        let mut properties = original.clone();
        make_jit(&mut properties);
        add_node(
            model,
            Node {
                id: id.clone(),
                name: format!("{secret_name} for {}", name_of(model, holder)),
                description: description.clone(),
                properties: NodeProperties::Secret(properties),
            },
            secret,
        );
        for edge in &mut model.edges {
            if edge.relation == Relation::Holds && edge.from == *holder && edge.to == secret {
                let from = edge.from.clone();
                set_ends(edge, &from, &id);
            }
        }
        for grant in &grants {
            let mut copy = grant.clone();
            copy.id = String::new();
            set_ends(&mut copy, &id, &grant.to);
            model.edges.push(copy);
        }
        let users = users_of(model, holder);
        let narrowed = narrow_grants(model, &id, &users);
        let mut words = format!("`{id}` for {}", name_of(model, holder));
        if !narrowed.is_empty() {
            words.push_str(&format!(" (grants {})", and_list(&narrowed)));
        }
        issued.push(words);
    }
    let kept = if people.is_empty() {
        remove_node(model, secret);
        format!("{secret_name} is removed")
    } else {
        let mut kept = format!("{secret_name} stays with {} only", names(model, &people));
        let properties = secret_properties(model, secret).expect("a secret");
        if properties.storage.is_some_and(Storage::is_plaintext) {
            properties.storage = Some(Storage::Vault);
            kept.push_str(", kept in a vault");
        }
        kept
    };
    Ok(format!(
        "Issues each holder of {secret_name} its own credential, just in time (ttl {ttl}), kept in a vault and revoked automatically: {}; {kept}.",
        and_list(&issued)
    ))
}

fn workload_identity(model: &mut Model, identity: &str) -> Result<String, String> {
    if kind_of(model, identity) != Some(NodeKind::Identity) {
        return Err(format!("`{identity}` is not an identity"));
    }
    let identity_name = name_of(model, identity);
    let mut actors: Vec<String> = model
        .edges
        .iter()
        .filter(|e| e.relation == Relation::ActsAs && e.to == identity)
        .map(|e| e.from.clone())
        .collect();
    actors.sort();
    actors.dedup();
    let (people, workloads): (Vec<String>, Vec<String>) = actors
        .into_iter()
        .partition(|a| kind_of(model, a) == Some(NodeKind::Human));
    if workloads.is_empty() {
        return Err(format!("no workload acts as {identity_name}"));
    }
    let is_workload = matches!(
        model.node(identity).map(|n| &n.properties),
        Some(NodeProperties::Identity(IdentityProperties {
            identity_type: Some(IdentityType::Workload)
        }))
    );
    if is_workload && workloads.len() == 1 && people.is_empty() {
        return Err(format!(
            "{identity_name} is already one workload's own identity"
        ));
    }
    // What the identity is given and gives, for each new identity to have as well.
    let carried: Vec<Edge> = model
        .edges
        .iter()
        .filter(|e| {
            (e.from == identity && matches!(e.relation, Relation::Grants | Relation::Holds))
                || (e.to == identity && e.relation == Relation::Grants)
        })
        .cloned()
        .collect();
    let mut issued: Vec<String> = Vec::new();
    for actor in &workloads {
        let id = fresh_id(model, &format!("{actor}-identity"))?;
        add_node(
            model,
            Node {
                id: id.clone(),
                name: format!("{} workload identity", name_of(model, actor)),
                description: None,
                properties: NodeProperties::Identity(IdentityProperties {
                    identity_type: Some(IdentityType::Workload),
                }),
            },
            actor,
        );
        for edge in &mut model.edges {
            if edge.relation == Relation::ActsAs && edge.from == *actor && edge.to == identity {
                let from = edge.from.clone();
                set_ends(edge, &from, &id);
            }
        }
        for edge in &carried {
            let mut copy = edge.clone();
            copy.id = String::new();
            let (from, to) = if edge.from == identity {
                (id.clone(), edge.to.clone())
            } else {
                (edge.from.clone(), id.clone())
            };
            set_ends(&mut copy, &from, &to);
            model.edges.push(copy);
        }
        issued.push(format!("`{id}` for {}", name_of(model, actor)));
    }
    let kept = if people.is_empty() {
        remove_node(model, identity);
        format!("{identity_name} is removed")
    } else {
        format!("{identity_name} stays with {} only", names(model, &people))
    };
    // Hand-offs between workloads that shared one identity were trusted because of it; with
    // an identity each, they need authenticating.
    let signed = sign_handoffs(model, |edge| {
        workloads.contains(&edge.from) && workloads.contains(&edge.to)
    });
    let mut edit = format!(
        "Gives each workload acting as {identity_name} a workload identity of its own with the same grants: {}; {kept}",
        and_list(&issued)
    );
    if !signed.is_empty() {
        edit.push_str(&format!(
            "; authenticates the hand-offs between them with `auth: {}`: {}",
            strongest_auth(),
            and_list(&signed)
        ));
    }
    edit.push('.');
    Ok(edit)
}

/// The strongest hand-off authentication the vocabulary has.
fn strongest_auth() -> DelegationAuth {
    *DelegationAuth::ALL
        .last()
        .expect("the vocabulary has words")
}

/// Gives every unauthenticated hand-off to an agent (`delegates`, or `invokes` from an agent)
/// that `involves` accepts the strongest authentication; returns them as "from → to" names.
fn sign_handoffs(model: &mut Model, involves: impl Fn(&Edge) -> bool) -> Vec<String> {
    let kinds: Vec<(Option<NodeKind>, Option<NodeKind>)> = model
        .edges
        .iter()
        .map(|e| (kind_of(model, &e.from), kind_of(model, &e.to)))
        .collect();
    let mut signed: Vec<(String, String)> = Vec::new();
    for (edge, (from_kind, to_kind)) in model.edges.iter_mut().zip(kinds) {
        let hand_off = match edge.relation {
            Relation::Delegates => true,
            Relation::Invokes => from_kind == Some(NodeKind::Agent),
            _ => false,
        };
        if hand_off
            && to_kind == Some(NodeKind::Agent)
            && edge.from != edge.to
            && matches!(edge.auth, None | Some(DelegationAuth::None))
            && involves(edge)
        {
            edge.auth = Some(strongest_auth());
            signed.push((edge.from.clone(), edge.to.clone()));
        }
    }
    signed
        .iter()
        .map(|(from, to)| format!("{} → {}", name_of(model, from), name_of(model, to)))
        .collect()
}

fn authenticated_handoffs(model: &mut Model, agent: &str) -> Result<String, String> {
    let signed = sign_handoffs(model, |edge| edge.to == agent || edge.from == agent);
    if signed.is_empty() {
        return Err(format!(
            "every hand-off between {} and another agent is already authenticated",
            name_of(model, agent)
        ));
    }
    Ok(format!(
        "Authenticates the hand-offs {} with `auth: {}`.",
        and_list(&signed),
        strongest_auth()
    ))
}

/// A tool that comes from a third party, as the supply-chain checks read it.
fn is_third_party(tool: &ToolProperties) -> bool {
    match tool.provenance {
        Some(Provenance::VendorVerified | Provenance::Unverified) => true,
        Some(Provenance::FirstParty) => false,
        None => matches!(tool.tool_type, Some(ToolType::McpServer | ToolType::Plugin)),
    }
}

fn pinned_tools(model: &mut Model, place: &str) -> Result<String, String> {
    let scope: Vec<String> = match kind_of(model, place) {
        Some(NodeKind::Tool) => vec![place.to_owned()],
        Some(NodeKind::Agent | NodeKind::Workflow) => {
            let graph = ModelGraph::new(model);
            let invokes = |edge: &Edge| edge.relation == Relation::Invokes;
            let through_gateways = |n| graph.kind(n) == NodeKind::Gateway;
            let start = graph.index_of(place).expect("the node exists");
            graph
                .search(
                    &[start],
                    &crate::graph::Traversal::forward(&invokes).through(&through_gateways),
                )
                .reached_nodes()
                .map(|n| graph.id(n).to_owned())
                .collect()
        }
        _ => {
            return Err(format!(
                "`{place}` is not a tool or something that calls tools"
            ));
        }
    };
    let mut changed: Vec<String> = Vec::new();
    for node in &mut model.nodes {
        let NodeProperties::Tool(tool) = &mut node.properties else {
            continue;
        };
        if !scope.contains(&node.id) || !is_third_party(tool) {
            continue;
        }
        let before = tool.clone();
        tool.pinned = Some(true);
        if tool.provenance != Some(Provenance::VendorVerified) {
            tool.provenance = Some(Provenance::VendorVerified);
        }
        if *tool != before {
            changed.push(node.id.clone());
        }
    }
    if changed.is_empty() {
        return Err(format!(
            "every third-party tool {} loads is already pinned and verified",
            name_of(model, place)
        ));
    }
    Ok(format!(
        "Pins {} to a reviewed version and verifies the publisher (`pinned: true`, `provenance: vendor_verified`).",
        names(model, &changed)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{Format, Limits, parse_model};

    fn read(text: &str) -> Model {
        let parsed = parse_model(text, Format::Json, &Limits::default());
        assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
        parsed.model.expect("the test model reads")
    }

    /// An agent calling a shell and a payment tool directly, and a key held by two tools.
    const CALLS: &str = r#"{"bartizan":1,"metadata":{"name":"x"},
        "nodes":[{"id":"a","kind":"agent","name":"A"},
                 {"id":"sh","kind":"tool","name":"Shell","properties":{"type":"shell","actions":["execute"]}},
                 {"id":"pay","kind":"tool","name":"Pay","properties":{"actions":["payment"]}},
                 {"id":"k","kind":"secret","name":"K","properties":{"lifetime":"standing","storage":"env"}},
                 {"id":"bank","kind":"datastore","name":"Bank"}],
        "edges":[{"from":"a","relation":"invokes","to":"sh"},{"from":"a","relation":"invokes","to":"pay"},
                 {"from":"pay","relation":"holds","to":"k"},{"from":"sh","relation":"holds","to":"k"},
                 {"from":"k","relation":"grants","to":"bank"}],
        "boundaries":[{"id":"corp","name":"Corp","zone":"corporate","members":["a","k"]}]}"#;

    #[test]
    fn step_ids_read_back_and_refuse_unknown_codes() {
        for fix in [
            Fix::PolicyGateway("a".into()),
            Fix::JitCredential("k:1".into()),
            Fix::WorkloadIdentity("i".into()),
            Fix::AuthenticatedHandoffs("a".into()),
            Fix::PinnedTools("a".into()),
        ] {
            assert_eq!(Fix::from_id(&fix.id()), Some(fix));
        }
        assert_eq!(Fix::from_id("teleport:a"), None);
        assert_eq!(Fix::from_id("policy-gateway:"), None);
        assert_eq!(Fix::from_id("policy-gateway"), None);
    }

    #[test]
    fn a_policy_gateway_takes_over_the_callers_tool_calls_and_sandboxes_code() {
        let model = read(CALLS);
        let applied = Fix::PolicyGateway("a".into()).apply(&model).unwrap();
        let after = &applied.model;
        let gateway = after
            .node("a-policy-gateway")
            .expect("the gateway is added");
        assert_eq!(
            gateway.properties,
            NodeProperties::Gateway(GatewayProperties {
                controls: POLICY_CONTROLS.to_vec()
            })
        );
        let calls: Vec<(&str, &str)> = after
            .edges
            .iter()
            .filter(|e| e.relation == Relation::Invokes)
            .map(|e| (e.from.as_str(), e.to.as_str()))
            .collect();
        assert_eq!(
            calls,
            [
                ("a-policy-gateway", "sh"),
                ("a-policy-gateway", "pay"),
                ("a", "a-policy-gateway")
            ]
        );
        assert!(matches!(
            &after.node("sh").unwrap().properties,
            NodeProperties::Tool(ToolProperties {
                sandboxed: Some(true),
                ..
            })
        ));
        assert!(
            after.boundaries[0]
                .members
                .contains(&"a-policy-gateway".to_owned())
        );
        assert!(
            applied.edit.contains("runs Shell in a sandbox"),
            "{}",
            applied.edit
        );
    }

    #[test]
    fn a_policy_gateway_denies_the_calls_around_an_approval_gate() {
        let model = read(
            r#"{"bartizan":1,"metadata":{"name":"x"},
            "nodes":[{"id":"a","kind":"agent","name":"A"},{"id":"clerk","kind":"human","name":"Clerk"},
                     {"id":"gate","kind":"gateway","name":"Gate","properties":{"controls":["human_approval"]}},
                     {"id":"pay","kind":"tool","name":"Pay","properties":{"actions":["payment"]}}],
            "edges":[{"from":"a","relation":"invokes","to":"gate"},{"from":"gate","relation":"invokes","to":"pay"},
                     {"from":"a","relation":"invokes","to":"pay"},{"from":"clerk","relation":"approves","to":"gate"}]}"#,
        );
        let applied = Fix::PolicyGateway("a".into()).apply(&model).unwrap();
        let calls: Vec<(&str, &str)> = applied
            .model
            .edges
            .iter()
            .filter(|e| e.relation == Relation::Invokes)
            .map(|e| (e.from.as_str(), e.to.as_str()))
            .collect();
        assert_eq!(
            calls,
            [
                ("a-policy-gateway", "gate"),
                ("gate", "pay"),
                ("a", "a-policy-gateway")
            ]
        );
        assert!(
            applied.edit.contains(
                "removes the calls that bypass the approval gate in front of their target: A → Pay"
            ),
            "{}",
            applied.edit
        );
    }

    #[test]
    fn a_shared_secret_becomes_one_just_in_time_credential_per_holder() {
        let model = read(CALLS);
        let applied = Fix::JitCredential("k".into()).apply(&model).unwrap();
        let after = &applied.model;
        assert!(
            after.node("k").is_none(),
            "no one holds the original any more"
        );
        for (id, needs) in [
            ("k-pay", vec![Action::Payment]),
            ("k-sh", vec![Action::Execute]),
        ] {
            let NodeProperties::Secret(secret) = &after.node(id).unwrap().properties else {
                panic!("{id} is a secret");
            };
            assert_eq!(secret.lifetime, Some(Lifetime::Jit));
            assert_eq!(secret.storage, Some(Storage::Vault));
            let grant = after
                .edges
                .iter()
                .find(|e| e.from == id && e.relation == Relation::Grants)
                .expect("the grant is copied");
            assert_eq!(grant.permissions, needs, "{id}");
        }
        assert!(after.boundaries[0].members.contains(&"k-pay".to_owned()));
    }

    #[test]
    fn refuses_a_fix_at_the_wrong_kind_of_node_or_one_already_in_place() {
        let model = read(CALLS);
        assert!(Fix::PolicyGateway("k".into()).apply(&model).is_err());
        assert!(Fix::JitCredential("a".into()).apply(&model).is_err());
        assert!(Fix::PolicyGateway("gone".into()).apply(&model).is_err());
        assert!(
            Fix::AuthenticatedHandoffs("a".into())
                .apply(&model)
                .is_err()
        );
        let gated = Fix::PolicyGateway("a".into()).apply(&model).unwrap().model;
        assert!(Fix::PolicyGateway("a".into()).apply(&gated).is_err());
        let mut taken = model.clone();
        taken.boundaries[0].id = "a-policy-gateway".into();
        let applied = Fix::PolicyGateway("a".into()).apply(&taken).unwrap();
        assert!(
            applied.model.node("a-policy-gateway-2").is_some(),
            "a gateway whose id is taken gets a fresh one"
        );
    }
}
