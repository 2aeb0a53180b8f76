//! Synthetic agent systems of any size, for benchmarks and scale tests.
//!
//! The system is a set of teams. Each team has agents, tools, identities, secrets,
//! datastores, memory, a workflow, a person, inputs and sometimes a policy gateway, wired the
//! way real deployments are (agents invoke tools, tools hold secrets that grant datastores,
//! inputs feed agents, people delegate and approve), inside its own trust boundary. A few
//! edges cross teams: delegation between agents, shared models, shared secrets. Extra
//! intra-team edges bring the edge count to the requested ratio. Deterministic for a seed.

#![allow(dead_code)]

use bartizan::model::*;

/// A small deterministic generator (xorshift64*), so that the same size gives the same model.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// About how many nodes a team has.
pub const TEAM_SIZE: usize = 23;

struct Team {
    agents: Vec<String>,
    tools: Vec<String>,
    secrets: Vec<String>,
    stores: Vec<String>,
    memory: String,
    inputs: Vec<String>,
    gateway: Option<String>,
}

pub fn node(id: String, name: String, properties: NodeProperties) -> Node {
    Node {
        id,
        name,
        description: None,
        properties,
    }
}

/// A model with about `nodes` nodes and `edges_per_node` edges per node.
pub fn generate(nodes: usize, edges_per_node: usize, seed: u64) -> Model {
    let mut rng = Rng::new(seed);
    let mut model = Model::new(format!("Synthetic agent estate ({nodes} nodes)"));
    model.metadata.description =
        Some("Generated for benchmarks: teams of agents, tools, credentials and data.".into());
    let shared_models: Vec<String> = (0..3).map(|i| format!("llm-{i}")).collect();
    for (i, id) in shared_models.iter().enumerate() {
        model.nodes.push(node(
            id.clone(),
            format!("Model {i}"),
            NodeProperties::Model(ModelProperties {
                hosting: Some(if i == 0 {
                    Hosting::SelfHosted
                } else {
                    Hosting::ThirdParty
                }),
                provider: None,
                guardrails: vec!["output moderation".into()],
                ..Default::default()
            }),
        ));
    }
    let mut built: Vec<Team> = Vec::with_capacity(nodes / TEAM_SIZE + 1);
    while model.nodes.len() < nodes {
        let team = build_team(&mut model, &mut rng, built.len(), &shared_models);
        built.push(team);
    }
    let teams = built.len();
    // Cross-team edges: delegation, shared secrets.
    for t in 0..teams {
        if teams > 1 && rng.chance(20) {
            let other = (t + 1 + rng.below(teams - 1)) % teams;
            let from = rng
                .pick(
                    &built[t]
                        .agents
                        .iter()
                        .map(String::as_str)
                        .collect::<Vec<_>>(),
                )
                .to_owned();
            let to = rng
                .pick(
                    &built[other]
                        .agents
                        .iter()
                        .map(String::as_str)
                        .collect::<Vec<_>>(),
                )
                .to_owned();
            let mut edge = Edge::new(from, Relation::Delegates, to);
            edge.auth = Some(rng.pick(&[
                DelegationAuth::None,
                DelegationAuth::Mtls,
                DelegationAuth::Token,
            ]));
            model.edges.push(edge);
        }
        if teams > 1 && rng.chance(10) {
            let other = (t + 1 + rng.below(teams - 1)) % teams;
            let tool = built[other].tools[0].clone();
            let secret = built[t].secrets[0].clone();
            model.edges.push(Edge::new(tool, Relation::Holds, secret));
        }
    }
    // Fill up to the requested density with plausible intra-team edges.
    let target = nodes * edges_per_node;
    let mut seen: std::collections::HashSet<(String, Relation, String)> = model
        .edges
        .iter()
        .map(|e| (e.from.clone(), e.relation, e.to.clone()))
        .collect();
    let mut attempts = 0;
    while model.edges.len() < target && attempts < target * 4 {
        attempts += 1;
        let team = &built[rng.below(teams)];
        let (from, relation, to) = match rng.below(9) {
            0 => (
                rng.pick(&refs(&team.agents)),
                Relation::Invokes,
                rng.pick(&refs(&team.tools)),
            ),
            1 => (
                rng.pick(&refs(&team.tools)),
                Relation::Feeds,
                rng.pick(&refs(&team.agents)),
            ),
            2 => (
                rng.pick(&refs(&team.tools)),
                Relation::Reads,
                rng.pick(&refs(&team.stores)),
            ),
            3 => (
                rng.pick(&refs(&team.inputs)),
                Relation::Feeds,
                rng.pick(&refs(&team.agents)),
            ),
            4 => (
                rng.pick(&refs(&team.agents)),
                Relation::Reads,
                team.memory.as_str(),
            ),
            5 => (
                rng.pick(&refs(&team.tools)),
                Relation::Invokes,
                rng.pick(&refs(&team.tools)),
            ),
            6 => (
                rng.pick(&refs(&team.agents)),
                Relation::Reads,
                rng.pick(&refs(&team.stores)),
            ),
            7 => (
                rng.pick(&refs(&team.tools)),
                Relation::Writes,
                team.memory.as_str(),
            ),
            _ => (
                rng.pick(&refs(&team.tools)),
                Relation::Writes,
                rng.pick(&refs(&team.stores)),
            ),
        };
        if from == to {
            continue;
        }
        let key = (from.to_owned(), relation, to.to_owned());
        if seen.insert(key) {
            model.edges.push(Edge::new(from, relation, to));
        }
    }
    model
}

fn refs(items: &[String]) -> Vec<&str> {
    items.iter().map(String::as_str).collect()
}

fn build_team(model: &mut Model, rng: &mut Rng, t: usize, shared_models: &[String]) -> Team {
    let id = |what: &str, i: usize| format!("t{t}-{what}-{i}");
    let mut members = Vec::new();
    let push = |model: &mut Model, node: Node, members: &mut Vec<String>| {
        members.push(node.id.clone());
        model.nodes.push(node);
    };

    let agents: Vec<String> = (0..2).map(|i| id("agent", i)).collect();
    for agent in &agents {
        push(
            model,
            node(
                agent.clone(),
                format!("Team {t} agent {agent}"),
                NodeProperties::Agent(AgentProperties {
                    autonomy: Some(rng.pick(&[
                        Autonomy::Autonomous,
                        Autonomy::Supervised,
                        Autonomy::Suggest,
                    ])),
                    runs_code: Some(rng.chance(20)),
                    memory: Some(true),
                    ..Default::default()
                }),
            ),
            &mut members,
        );
    }
    let action_sets: &[&[Action]] = &[
        &[Action::Read],
        &[Action::Read, Action::Write],
        &[Action::Send],
        &[Action::Payment],
        &[Action::Execute],
        &[Action::Read, Action::Delete],
    ];
    let tools: Vec<String> = (0..6).map(|i| id("tool", i)).collect();
    for (i, tool) in tools.iter().enumerate() {
        let third_party = rng.chance(30);
        push(
            model,
            node(
                tool.clone(),
                format!("Team {t} tool {i}"),
                NodeProperties::Tool(ToolProperties {
                    tool_type: Some(if third_party {
                        ToolType::McpServer
                    } else {
                        ToolType::Api
                    }),
                    actions: action_sets[i % action_sets.len()].to_vec(),
                    provenance: Some(if third_party {
                        rng.pick(&[Provenance::Unverified, Provenance::VendorVerified])
                    } else {
                        Provenance::FirstParty
                    }),
                    pinned: Some(!third_party || rng.chance(50)),
                    sandboxed: Some(rng.chance(50)),
                }),
            ),
            &mut members,
        );
    }
    let identities: Vec<String> = (0..2).map(|i| id("identity", i)).collect();
    for identity in &identities {
        push(
            model,
            node(
                identity.clone(),
                format!("Team {t} identity"),
                NodeProperties::Identity(IdentityProperties {
                    identity_type: Some(rng.pick(&[
                        IdentityType::Workload,
                        IdentityType::ServiceAccount,
                        IdentityType::UserDelegated,
                    ])),
                }),
            ),
            &mut members,
        );
    }
    let secrets: Vec<String> = (0..4).map(|i| id("secret", i)).collect();
    for secret in &secrets {
        let jit = rng.chance(40);
        push(
            model,
            node(
                secret.clone(),
                format!("Team {t} secret"),
                NodeProperties::Secret(SecretProperties {
                    secret_type: Some(SecretType::ApiKey),
                    lifetime: Some(if jit {
                        Lifetime::Jit
                    } else {
                        Lifetime::Standing
                    }),
                    ttl: Some(if jit {
                        Duration::from_seconds(900)
                    } else {
                        Duration::from_days(365)
                    }),
                    rotation_days: if rng.chance(50) { Some(30) } else { None },
                    storage: Some(rng.pick(&[Storage::Vault, Storage::Env, Storage::ConfigFile])),
                    revocation: Some(rng.pick(&[Revocation::Automated, Revocation::Manual])),
                    scopes: Vec::new(),
                    owner: if rng.chance(60) {
                        Some(format!("team-{t}"))
                    } else {
                        None
                    },
                }),
            ),
            &mut members,
        );
    }
    let stores: Vec<String> = (0..3).map(|i| id("store", i)).collect();
    for store in &stores {
        push(
            model,
            node(
                store.clone(),
                format!("Team {t} store"),
                NodeProperties::Datastore(DatastoreProperties {
                    datastore_type: Some(rng.pick(&[
                        DatastoreType::Database,
                        DatastoreType::Crm,
                        DatastoreType::Ledger,
                        DatastoreType::Iam,
                    ])),
                    sensitivity: Some(rng.pick(&[
                        Sensitivity::Internal,
                        Sensitivity::Confidential,
                        Sensitivity::Restricted,
                    ])),
                    contains: vec![DataClass::Pii],
                }),
            ),
            &mut members,
        );
    }
    let memory = id("memory", 0);
    push(
        model,
        node(
            memory.clone(),
            format!("Team {t} memory"),
            NodeProperties::Memory(MemoryProperties {
                memory_type: Some(MemoryType::VectorStore),
                shared: Some(rng.chance(50)),
                ..Default::default()
            }),
        ),
        &mut members,
    );
    let workflow = id("workflow", 0);
    push(
        model,
        node(
            workflow.clone(),
            format!("Team {t} workflow"),
            NodeProperties::Workflow(WorkflowProperties {
                legacy: Some(rng.chance(30)),
                trigger: Some(Trigger::Schedule),
                platform: None,
            }),
        ),
        &mut members,
    );
    let human = id("human", 0);
    push(
        model,
        node(
            human.clone(),
            format!("Team {t} lead"),
            NodeProperties::Human(HumanProperties {
                role: Some("team lead".into()),
                entitlements: vec![Action::Read, Action::Write],
                ..Default::default()
            }),
        ),
        &mut members,
    );
    let inputs: Vec<String> = (0..2).map(|i| id("input", i)).collect();
    for input in &inputs {
        push(
            model,
            node(
                input.clone(),
                format!("Team {t} input"),
                NodeProperties::Input(InputProperties {
                    trust: Some(rng.pick(&[Trust::Untrusted, Trust::Partner, Trust::Trusted])),
                    channel: Some(Channel::Email),
                }),
            ),
            &mut members,
        );
    }
    let gateway = rng.chance(50).then(|| id("gateway", 0));
    if let Some(gateway) = &gateway {
        push(
            model,
            node(
                gateway.clone(),
                format!("Team {t} policy gateway"),
                NodeProperties::Gateway(GatewayProperties {
                    controls: vec![Control::RequestTimePolicy, Control::AuditLog],
                }),
            ),
            &mut members,
        );
    }

    let edges = &mut model.edges;
    for (a, agent) in agents.iter().enumerate() {
        edges.push(Edge::new(
            agent.clone(),
            Relation::ActsAs,
            identities[a].clone(),
        ));
        edges.push(Edge::new(
            agent.clone(),
            Relation::Invokes,
            shared_models[(t + a) % shared_models.len()].clone(),
        ));
        edges.push(Edge::new(inputs[a].clone(), Relation::Feeds, agent.clone()));
        edges.push(Edge::new(agent.clone(), Relation::Writes, memory.clone()));
        for tool in tools.iter().skip(a * 3).take(3) {
            match &gateway {
                Some(gateway) => {
                    edges.push(Edge::new(gateway.clone(), Relation::Invokes, tool.clone()))
                }
                None => edges.push(Edge::new(agent.clone(), Relation::Invokes, tool.clone())),
            }
        }
        if let Some(gateway) = &gateway {
            edges.push(Edge::new(agent.clone(), Relation::Invokes, gateway.clone()));
        }
    }
    for (i, tool) in tools.iter().enumerate() {
        edges.push(Edge::new(
            tool.clone(),
            Relation::Holds,
            secrets[i % secrets.len()].clone(),
        ));
    }
    for (i, secret) in secrets.iter().enumerate() {
        let mut grant = Edge::new(
            secret.clone(),
            Relation::Grants,
            stores[i % stores.len()].clone(),
        );
        grant.permissions = vec![Action::Read, Action::Write, Action::Admin];
        edges.push(grant);
    }
    edges.push(Edge::new(
        workflow.clone(),
        Relation::Holds,
        secrets[0].clone(),
    ));
    edges.push(Edge::new(
        workflow.clone(),
        Relation::Triggers,
        agents[0].clone(),
    ));
    let mut delegation = Edge::new(human.clone(), Relation::Delegates, agents[0].clone());
    delegation.scope = vec![Action::Read];
    edges.push(delegation);

    model.boundaries.push(Boundary {
        id: format!("t{t}-zone"),
        name: format!("Team {t}"),
        zone: Zone::Corporate,
        description: None,
        parent: None,
        members,
    });
    Team {
        agents,
        tools,
        secrets,
        stores,
        memory,
        inputs,
        gateway,
    }
}
