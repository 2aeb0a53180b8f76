//! Models shaped to find what grows faster than the model in the checks, next to the estate of
//! `generator.rs` (teams with little reach across them, which hides it):
//!
//! - **hub**: every agent calls its tools through one shared policy gateway, and also shares one
//!   tool, one memory and one inbound channel with every other agent;
//! - **chain**: each agent delegates to the next, so the first reaches everything after it;
//! - **dense**: agents delegate around a ring and to random others, so every agent reaches every
//!   tool;
//! - **star**: one person approves the payments of every agent.
//!
//! Each unit of a shape adds a handful of nodes; units are added until the model has about the
//! requested number of nodes. Deterministic for a size.

#![allow(dead_code)]

use bartizan::model::*;

use super::generator::{Rng, node};

/// The shapes of model the benchmarks run on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Estate,
    Hub,
    Chain,
    Dense,
    Star,
}

impl Shape {
    pub const ALL: [Shape; 5] = [
        Shape::Estate,
        Shape::Hub,
        Shape::Chain,
        Shape::Dense,
        Shape::Star,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Shape::Estate => "estate",
            Shape::Hub => "hub",
            Shape::Chain => "chain",
            Shape::Dense => "dense",
            Shape::Star => "star",
        }
    }

    pub fn from_name(name: &str) -> Option<Shape> {
        Shape::ALL.into_iter().find(|shape| shape.name() == name)
    }

    /// A model of this shape with about `nodes` nodes.
    pub fn generate(self, nodes: usize) -> Model {
        match self {
            Shape::Estate => super::generator::generate(nodes, 5, 7),
            Shape::Hub => hub(nodes),
            Shape::Chain => chain(nodes),
            Shape::Dense => dense(nodes),
            Shape::Star => star(nodes),
        }
    }
}

fn agent(id: &str, autonomy: Autonomy) -> Node {
    node(
        id.to_owned(),
        format!("Agent {id}"),
        NodeProperties::Agent(AgentProperties {
            autonomy: Some(autonomy),
            runs_code: Some(false),
            memory: Some(true),
            ..Default::default()
        }),
    )
}

fn workload_identity(id: &str) -> Node {
    node(
        id.to_owned(),
        format!("Identity {id}"),
        NodeProperties::Identity(IdentityProperties {
            identity_type: Some(IdentityType::Workload),
        }),
    )
}

fn tool(id: &str, actions: &[Action]) -> Node {
    node(
        id.to_owned(),
        format!("Tool {id}"),
        NodeProperties::Tool(ToolProperties {
            tool_type: Some(ToolType::Api),
            actions: actions.to_vec(),
            provenance: Some(Provenance::FirstParty),
            pinned: Some(true),
            sandboxed: Some(true),
        }),
    )
}

fn secret(id: &str, lifetime: Lifetime) -> Node {
    let jit = lifetime == Lifetime::Jit;
    node(
        id.to_owned(),
        format!("Key {id}"),
        NodeProperties::Secret(SecretProperties {
            secret_type: Some(if jit {
                SecretType::SessionToken
            } else {
                SecretType::ApiKey
            }),
            lifetime: Some(lifetime),
            ttl: Some(if jit {
                Duration::from_seconds(900)
            } else {
                Duration::from_days(365)
            }),
            rotation_days: (!jit).then_some(90),
            storage: Some(Storage::Vault),
            revocation: Some(Revocation::Automated),
            scopes: Vec::new(),
            owner: Some("Platform".into()),
        }),
    )
}

fn datastore(id: &str, sensitivity: Sensitivity) -> Node {
    node(
        id.to_owned(),
        format!("Store {id}"),
        NodeProperties::Datastore(DatastoreProperties {
            datastore_type: Some(DatastoreType::Database),
            sensitivity: Some(sensitivity),
            contains: vec![DataClass::Pii],
        }),
    )
}

fn input(id: &str, trust: Trust) -> Node {
    node(
        id.to_owned(),
        format!("Input {id}"),
        NodeProperties::Input(InputProperties {
            trust: Some(trust),
            channel: Some(Channel::Email),
        }),
    )
}

fn gateway(id: &str, controls: &[Control]) -> Node {
    node(
        id.to_owned(),
        format!("Gateway {id}"),
        NodeProperties::Gateway(GatewayProperties {
            controls: controls.to_vec(),
        }),
    )
}

fn grant(from: &str, to: &str, permissions: &[Action]) -> Edge {
    let mut edge = Edge::new(from, Relation::Grants, to);
    edge.permissions = permissions.to_vec();
    edge
}

/// Adds one tool that holds a key granting one datastore: the unit every shape repeats.
fn tool_with_key(model: &mut Model, id: &str, actions: &[Action], lifetime: Lifetime) {
    let (key, store) = (format!("{id}-key"), format!("{id}-store"));
    model.nodes.push(tool(id, actions));
    model.nodes.push(secret(&key, lifetime));
    model
        .nodes
        .push(datastore(&store, Sensitivity::Confidential));
    model
        .edges
        .push(Edge::new(id, Relation::Holds, key.as_str()));
    model.edges.push(grant(&key, &store, actions));
}

/// Agents behind one shared policy gateway, each with its own tool and a per-call key; every
/// agent also calls one shared search tool directly, reads and writes one shared memory and is
/// fed by one shared inbound channel.
pub fn hub(nodes: usize) -> Model {
    let mut model = Model::new(format!(
        "Hub: agents behind one shared gateway ({nodes} nodes)"
    ));
    model.nodes.push(input("inbound", Trust::Untrusted));
    model.nodes.push(gateway(
        "gateway",
        &[Control::RequestTimePolicy, Control::AuditLog],
    ));
    model.nodes.push(node(
        "memory".into(),
        "Shared memory".into(),
        NodeProperties::Memory(MemoryProperties {
            memory_type: Some(MemoryType::VectorStore),
            shared: Some(true),
            ..Default::default()
        }),
    ));
    tool_with_key(
        &mut model,
        "search",
        &[Action::Read, Action::Send],
        Lifetime::Standing,
    );
    let mut i = 0;
    while model.nodes.len() < nodes {
        let (agent_id, identity, own_tool) =
            (format!("a{i}"), format!("a{i}-id"), format!("a{i}-tool"));
        model.nodes.push(agent(&agent_id, Autonomy::Autonomous));
        model.nodes.push(workload_identity(&identity));
        tool_with_key(
            &mut model,
            &own_tool,
            &[Action::Read, Action::Write],
            Lifetime::Jit,
        );
        let edges = &mut model.edges;
        edges.push(Edge::new(&*agent_id, Relation::ActsAs, &*identity));
        edges.push(Edge::new("inbound", Relation::Feeds, &*agent_id));
        edges.push(Edge::new(&*agent_id, Relation::Invokes, "gateway"));
        edges.push(Edge::new("gateway", Relation::Invokes, &*own_tool));
        edges.push(Edge::new(&*agent_id, Relation::Invokes, "search"));
        edges.push(Edge::new(&*agent_id, Relation::Reads, "memory"));
        edges.push(Edge::new(&*agent_id, Relation::Writes, "memory"));
        i += 1;
    }
    model
}

/// Each agent delegates to the next by token and calls its own tool with a standing key; the
/// first agent reads untrusted email.
pub fn chain(nodes: usize) -> Model {
    let mut model = Model::new(format!("Chain: deep delegation ({nodes} nodes)"));
    model.nodes.push(input("inbound", Trust::Untrusted));
    let mut i = 0;
    while model.nodes.len() < nodes {
        let (agent_id, identity, own_tool) =
            (format!("a{i}"), format!("a{i}-id"), format!("a{i}-tool"));
        model.nodes.push(agent(&agent_id, Autonomy::Autonomous));
        model.nodes.push(workload_identity(&identity));
        let actions: &[Action] = if i % 2 == 0 {
            &[Action::Read, Action::Write]
        } else {
            &[Action::Read, Action::Delete]
        };
        tool_with_key(&mut model, &own_tool, actions, Lifetime::Standing);
        let edges = &mut model.edges;
        edges.push(Edge::new(&*agent_id, Relation::ActsAs, &*identity));
        edges.push(Edge::new(&*agent_id, Relation::Invokes, &*own_tool));
        if i == 0 {
            edges.push(Edge::new("inbound", Relation::Feeds, &*agent_id));
        } else {
            let mut delegation = Edge::new(format!("a{}", i - 1), Relation::Delegates, &*agent_id);
            delegation.auth = Some(DelegationAuth::Token);
            edges.push(delegation);
        }
        i += 1;
    }
    model
}

/// Agents delegate around a ring and to two random others, and each calls three random tools:
/// every agent reaches every tool. A tenth of the agents read untrusted email.
pub fn dense(nodes: usize) -> Model {
    let mut model = Model::new(format!(
        "Dense: every agent reaches every tool ({nodes} nodes)"
    ));
    let mut rng = Rng::new(11);
    // Per unit: an agent, its identity, and a tool with its key and datastore.
    let units = nodes.div_ceil(5).max(2);
    let action_sets: [&[Action]; 4] = [
        &[Action::Read],
        &[Action::Read, Action::Write],
        &[Action::Send],
        &[Action::Delete],
    ];
    for i in 0..units {
        let (agent_id, identity) = (format!("a{i}"), format!("a{i}-id"));
        model.nodes.push(agent(&agent_id, Autonomy::Autonomous));
        model.nodes.push(workload_identity(&identity));
        model
            .edges
            .push(Edge::new(&*agent_id, Relation::ActsAs, &*identity));
        tool_with_key(
            &mut model,
            &format!("t{i}"),
            action_sets[i % action_sets.len()],
            if i % 3 == 0 {
                Lifetime::Jit
            } else {
                Lifetime::Standing
            },
        );
    }
    for i in (0..units).step_by(10) {
        let inbound = format!("inbound-{i}");
        model.nodes.push(input(&inbound, Trust::Untrusted));
        model
            .edges
            .push(Edge::new(inbound, Relation::Feeds, format!("a{i}")));
    }
    let mut seen = std::collections::HashSet::new();
    for i in 0..units {
        let targets = [(i + 1) % units, rng.below(units), rng.below(units)];
        for (n, target) in targets.into_iter().enumerate() {
            if target != i && seen.insert((i, target)) {
                let mut delegation =
                    Edge::new(format!("a{i}"), Relation::Delegates, format!("a{target}"));
                delegation.auth = Some(if n == 0 {
                    DelegationAuth::Mtls
                } else {
                    DelegationAuth::None
                });
                model.edges.push(delegation);
            }
        }
        let mut tools = std::collections::HashSet::new();
        for _ in 0..3 {
            let target = rng.below(units);
            if tools.insert(target) {
                model.edges.push(Edge::new(
                    format!("a{i}"),
                    Relation::Invokes,
                    format!("t{target}"),
                ));
            }
        }
    }
    model
}

/// One person approves, at one approval gateway per agent, the payments of every agent; each
/// agent reads partner invoices and pays through a connector with a standing key.
pub fn star(nodes: usize) -> Model {
    let mut model = Model::new(format!(
        "Star: one approver for every agent ({nodes} nodes)"
    ));
    model.nodes.push(node(
        "approver".into(),
        "Payments approver".into(),
        NodeProperties::Human(HumanProperties {
            role: Some("Payments approver".into()),
            entitlements: vec![Action::Read, Action::Payment],
            ..Default::default()
        }),
    ));
    model.nodes.push(input("invoices", Trust::Partner));
    let mut i = 0;
    while model.nodes.len() < nodes {
        let (agent_id, identity, approval, connector) = (
            format!("a{i}"),
            format!("a{i}-id"),
            format!("a{i}-approval"),
            format!("a{i}-pay"),
        );
        model.nodes.push(agent(&agent_id, Autonomy::Supervised));
        model.nodes.push(workload_identity(&identity));
        model.nodes.push(gateway(
            &approval,
            &[Control::HumanApproval, Control::AuditLog],
        ));
        tool_with_key(
            &mut model,
            &connector,
            &[Action::Payment],
            Lifetime::Standing,
        );
        let edges = &mut model.edges;
        edges.push(Edge::new(&*agent_id, Relation::ActsAs, &*identity));
        edges.push(Edge::new("invoices", Relation::Feeds, &*agent_id));
        edges.push(Edge::new(&*agent_id, Relation::Invokes, &*approval));
        edges.push(Edge::new(&*approval, Relation::Invokes, &*connector));
        let mut approval_edge = Edge::new("approver", Relation::Approves, &*approval);
        approval_edge.scope = vec![Action::Payment];
        edges.push(approval_edge);
        i += 1;
    }
    model
}
