//! Open questions: the properties a model leaves unstated that the checks read. Each optional
//! property has one row in `PROPERTY_DEFAULTS` — how the checks read it when unstated, and what
//! to ask — from which the questions, `docs/defaults.md` and the app's checklist all come.

use std::collections::BTreeMap;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use serde::Serialize;

use crate::findings::Finding;
use crate::graph::ModelGraph;
use crate::model::{Edge, Lifetime, Node, NodeKind, NodeProperties, Relation};

/// What a property belongs to: nodes of a kind, or edges of a relation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Owner {
    Node(NodeKind),
    Edge(Relation),
}

impl Owner {
    pub fn label(self) -> String {
        match self {
            Owner::Node(kind) => kind.as_str().to_owned(),
            Owner::Edge(relation) => format!("`{relation}` edge"),
        }
    }
}

/// One optional property: how an unstated value is read, and the question it raises.
pub struct PropertyDefault {
    pub owner: Owner,
    pub property: &'static str,
    /// How the checks read the property when the model does not state it.
    pub reading: &'static str,
    /// The question, with `{}` standing for the element's name.
    pub question: &'static str,
    /// The checks that read it; empty when no check does (then no question is asked).
    pub rules: &'static [&'static str],
    /// Whether an element leaves it unstated where the answer matters.
    unstated: Unstated,
}

#[derive(Clone, Copy)]
enum Unstated {
    Node(fn(&ModelGraph, &Node) -> bool),
    Edge(fn(&Edge) -> bool),
    Never,
}

macro_rules! node_props {
    ($node:expr, $variant:ident) => {
        match &$node.properties {
            NodeProperties::$variant(p) => Some(p),
            _ => None,
        }
    };
}

fn tool_executes(node: &Node) -> bool {
    node_props!(node, Tool).is_some_and(|t| {
        t.actions.contains(&crate::model::Action::Execute)
            || matches!(t.tool_type, Some(crate::model::ToolType::Shell))
    })
}

fn secret_is_standing_or_unstated(node: &Node) -> bool {
    node_props!(node, Secret).is_some_and(|s| s.lifetime != Some(Lifetime::Jit))
}

/// Whether a human is on the approving or delegating end of an edge.
fn approves_or_delegates(graph: &ModelGraph, node: &Node) -> bool {
    graph.model.edges.iter().any(|e| {
        e.from == node.id && matches!(e.relation, Relation::Approves | Relation::Delegates)
    })
}

pub static PROPERTY_DEFAULTS: &[PropertyDefault] = &[
    PropertyDefault {
        owner: Owner::Node(NodeKind::Agent),
        property: "autonomy",
        reading: "supervised: neither raises nor lowers severity",
        question: "Does {} act on its own, under supervision, or only suggest?",
        rules: &[
            "BTZ-AUT-001",
            "BTZ-AUT-003",
            "BTZ-INP-001",
            "BTZ-INP-002",
            "BTZ-RES-001",
            "BTZ-RES-003",
        ],
        unstated: Unstated::Node(|_, n| {
            node_props!(n, Agent).is_some_and(|a| a.autonomy.is_none())
        }),
    },
    PropertyDefault {
        owner: Owner::Node(NodeKind::Agent),
        property: "runs_code",
        reading: "no: only tools that execute are code execution",
        question: "Does {} run code it writes?",
        rules: &["BTZ-EXE-001"],
        unstated: Unstated::Node(|_, n| {
            node_props!(n, Agent).is_some_and(|a| a.runs_code.is_none())
        }),
    },
    PropertyDefault {
        owner: Owner::Node(NodeKind::Agent),
        property: "memory",
        reading: "only the memory its edges show",
        question: "Does {} keep memory between tasks?",
        rules: &["BTZ-INP-003"],
        unstated: Unstated::Never,
    },
    PropertyDefault {
        owner: Owner::Node(NodeKind::Agent),
        property: "budget",
        reading: "unknown: no limit on a task is counted on",
        question: "Does each task of {} have a hard limit on steps, tool calls or spend?",
        rules: &["BTZ-RES-002", "BTZ-RES-003"],
        unstated: Unstated::Never,
    },
    PropertyDefault {
        owner: Owner::Node(NodeKind::Agent),
        property: "provenance",
        reading: "unknown: asked where it matters, never reported as unverified",
        question: "Where does the framework or build of {} come from, and is it verified?",
        rules: &["BTZ-SUP-001", "BTZ-SUP-002"],
        unstated: Unstated::Never,
    },
    PropertyDefault {
        owner: Owner::Node(NodeKind::Agent),
        property: "pinned",
        reading: "unknown: asked where it matters, never reported as unpinned",
        question: "Is the framework or build of {} pinned to a reviewed version?",
        rules: &["BTZ-SUP-002"],
        unstated: Unstated::Never,
    },
    PropertyDefault {
        owner: Owner::Node(NodeKind::Model),
        property: "hosting",
        reading: "not read by any check",
        question: "Where is {} hosted?",
        rules: &[],
        unstated: Unstated::Never,
    },
    PropertyDefault {
        owner: Owner::Node(NodeKind::Model),
        property: "guardrails",
        reading: "none: no model-side control is counted on",
        question: "Which guardrails does {} apply?",
        rules: &["BTZ-MDL-001"],
        unstated: Unstated::Never,
    },
    PropertyDefault {
        owner: Owner::Node(NodeKind::Model),
        property: "provenance",
        reading: "unknown: asked where it matters, never reported as unverified",
        question: "Where does {} come from, and is it verified?",
        rules: &["BTZ-SUP-001", "BTZ-SUP-002"],
        unstated: Unstated::Never,
    },
    PropertyDefault {
        owner: Owner::Node(NodeKind::Model),
        property: "pinned",
        reading: "unknown: asked where it matters, never reported as unpinned",
        question: "Is {} pinned to a version?",
        rules: &["BTZ-SUP-002"],
        unstated: Unstated::Never,
    },
    PropertyDefault {
        owner: Owner::Node(NodeKind::Tool),
        property: "actions",
        reading: "none: a tool with no stated action is not high-impact",
        question: "What can {} do (read, write, delete, execute, send, payment, admin)?",
        rules: &["BTZ-AUT-001", "BTZ-INP-001", "BTZ-OPS-001", "BTZ-DAT-001"],
        unstated: Unstated::Node(|_, n| node_props!(n, Tool).is_some_and(|t| t.actions.is_empty())),
    },
    PropertyDefault {
        owner: Owner::Node(NodeKind::Tool),
        property: "provenance",
        reading: "unknown: asked, never reported as unverified",
        question: "Who publishes {}, and is it verified?",
        rules: &["BTZ-SUP-001", "BTZ-SUP-002"],
        unstated: Unstated::Node(|_, n| {
            node_props!(n, Tool).is_some_and(|t| t.provenance.is_none())
        }),
    },
    PropertyDefault {
        owner: Owner::Node(NodeKind::Tool),
        property: "pinned",
        reading: "unknown: asked, never reported as unpinned",
        question: "Is {} pinned to a reviewed version?",
        rules: &["BTZ-SUP-002"],
        unstated: Unstated::Node(|_, n| {
            node_props!(n, Tool).is_some_and(|t| {
                t.pinned.is_none() && t.provenance != Some(crate::model::Provenance::FirstParty)
            })
        }),
    },
    PropertyDefault {
        owner: Owner::Node(NodeKind::Tool),
        property: "sandboxed",
        reading: "unknown for a tool that executes: asked, never reported as unsandboxed",
        question: "Does {} run code in a sandbox?",
        rules: &["BTZ-EXE-001"],
        unstated: Unstated::Node(|_, n| {
            tool_executes(n) && node_props!(n, Tool).is_some_and(|t| t.sandboxed.is_none())
        }),
    },
    PropertyDefault {
        owner: Owner::Node(NodeKind::Identity),
        property: "type",
        reading: "a workload identity unless edges show a person acts as it",
        question: "What kind of identity is {} (workload, service account, delegated, a person's)?",
        rules: &["BTZ-IDN-002"],
        unstated: Unstated::Node(|_, n| {
            node_props!(n, Identity).is_some_and(|i| i.identity_type.is_none())
        }),
    },
    PropertyDefault {
        owner: Owner::Node(NodeKind::Secret),
        property: "lifetime",
        reading: "unknown: asked; findings that need it standing wait on the answer",
        question: "Is {} issued just in time, or standing?",
        rules: &["BTZ-CRD-001", "BTZ-CRD-002", "BTZ-CRD-004", "BTZ-AUT-002"],
        unstated: Unstated::Node(|_, n| {
            node_props!(n, Secret).is_some_and(|s| s.lifetime.is_none())
        }),
    },
    PropertyDefault {
        owner: Owner::Node(NodeKind::Secret),
        property: "ttl",
        reading: "a just-in-time secret with no TTL lives at most a day",
        question: "How long does {} live once issued?",
        rules: &["BTZ-CRD-001", "BTZ-CRD-002"],
        unstated: Unstated::Node(|_, n| {
            node_props!(n, Secret)
                .is_some_and(|s| s.lifetime == Some(Lifetime::Jit) && s.ttl.is_none())
        }),
    },
    PropertyDefault {
        owner: Owner::Node(NodeKind::Secret),
        property: "rotation_days",
        reading: "unknown: asked, never reported as unrotated",
        question: "How often is {} rotated?",
        rules: &["BTZ-CRD-004"],
        unstated: Unstated::Node(|_, n| {
            secret_is_standing_or_unstated(n)
                && node_props!(n, Secret).is_some_and(|s| s.rotation_days.is_none())
        }),
    },
    PropertyDefault {
        owner: Owner::Node(NodeKind::Secret),
        property: "storage",
        reading: "unknown: asked, never reported as plaintext",
        question: "Where is {} stored?",
        rules: &["BTZ-CRD-005"],
        unstated: Unstated::Node(|_, n| {
            node_props!(n, Secret).is_some_and(|s| s.storage.is_none())
        }),
    },
    PropertyDefault {
        owner: Owner::Node(NodeKind::Secret),
        property: "revocation",
        reading: "unknown: asked; a just-in-time secret living an hour or less needs none",
        question: "How is {} revoked?",
        rules: &["BTZ-CRD-002"],
        unstated: Unstated::Node(|_, n| {
            node_props!(n, Secret).is_some_and(|s| {
                s.revocation.is_none()
                    && !(s.lifetime == Some(Lifetime::Jit)
                        && s.ttl.is_some_and(|t| t <= crate::rules::SHORT_LIVED))
            })
        }),
    },
    PropertyDefault {
        owner: Owner::Node(NodeKind::Secret),
        property: "scopes",
        reading: "descriptive only: what a secret permits comes from its `grants` edges",
        question: "What does {} grant, and on what?",
        rules: &[],
        unstated: Unstated::Never,
    },
    PropertyDefault {
        owner: Owner::Node(NodeKind::Secret),
        property: "owner",
        reading: "unknown: asked, never reported as unowned",
        question: "Who owns {}?",
        rules: &["BTZ-CRD-003"],
        unstated: Unstated::Node(|_, n| node_props!(n, Secret).is_some_and(|s| s.owner.is_none())),
    },
    PropertyDefault {
        owner: Owner::Node(NodeKind::Datastore),
        property: "sensitivity",
        reading: "internal: neither raises nor lowers severity",
        question: "How sensitive is the data in {} (public, internal, confidential, restricted)?",
        rules: &["BTZ-DAT-001", "BTZ-INP-002", "BTZ-CRD-001"],
        unstated: Unstated::Node(|_, n| {
            node_props!(n, Datastore).is_some_and(|d| d.sensitivity.is_none())
        }),
    },
    PropertyDefault {
        owner: Owner::Node(NodeKind::Datastore),
        property: "contains",
        reading: "nothing in particular: no class of data (credentials, personal data) is assumed",
        question: "What classes of data does {} hold?",
        rules: &["BTZ-IDN-003", "BTZ-DAT-001"],
        unstated: Unstated::Never,
    },
    PropertyDefault {
        owner: Owner::Node(NodeKind::Memory),
        property: "shared",
        reading: "shared by every agent its edges show",
        question: "Is {} shared between agents or users?",
        rules: &["BTZ-INP-003"],
        unstated: Unstated::Never,
    },
    PropertyDefault {
        owner: Owner::Node(NodeKind::Memory),
        property: "sensitivity",
        reading: "internal: neither raises nor lowers severity",
        question: "How sensitive is what {} holds (public, internal, confidential, restricted)?",
        rules: &["BTZ-DAT-001", "BTZ-INP-002"],
        unstated: Unstated::Node(|_, n| {
            node_props!(n, Memory).is_some_and(|m| m.sensitivity.is_none())
        }),
    },
    PropertyDefault {
        owner: Owner::Node(NodeKind::Memory),
        property: "contains",
        reading: "nothing in particular: no class of data is assumed",
        question: "What classes of data does {} hold?",
        rules: &[],
        unstated: Unstated::Never,
    },
    PropertyDefault {
        owner: Owner::Node(NodeKind::Workflow),
        property: "legacy",
        reading: "no",
        question: "Is {} a legacy automation (RPA, scheduled script)?",
        rules: &["BTZ-IDN-001"],
        unstated: Unstated::Never,
    },
    PropertyDefault {
        owner: Owner::Node(NodeKind::Human),
        property: "entitlements",
        reading: "unknown: asked; privilege beyond an approver's is judged only against stated entitlements",
        question: "What is {} entitled to do?",
        rules: &["BTZ-AUT-002"],
        unstated: Unstated::Node(|graph, n| {
            node_props!(n, Human).is_some_and(|h| h.entitlements.is_empty())
                && approves_or_delegates(graph, n)
        }),
    },
    PropertyDefault {
        owner: Owner::Node(NodeKind::Human),
        property: "daily_capacity",
        reading: "unknown: no overload is judged by volume; asked where untrusted callers can raise the person's approvals with no rate limit",
        question: "How many approval requests a day can {} review with care?",
        rules: &["BTZ-OPS-003"],
        // Asked once a volume sent to the person is stated: only then can it be compared.
        unstated: Unstated::Node(|graph, n| {
            node_props!(n, Human).is_some_and(|h| h.daily_capacity.is_none())
                && graph.index_of(&n.id).is_some_and(|human| {
                    graph
                        .edges(human, crate::graph::Outgoing)
                        .iter()
                        .any(|&(e, _)| {
                            let edge = graph.edge(e);
                            edge.relation == Relation::Approves && edge.daily_volume.is_some()
                        })
                })
        }),
    },
    PropertyDefault {
        owner: Owner::Node(NodeKind::Input),
        property: "trust",
        reading: "untrusted, and asked: content of unknown origin is treated as untrusted",
        question: "Who can write the content of {}: is it trusted?",
        rules: &["BTZ-INP-001", "BTZ-INP-002", "BTZ-INP-003", "BTZ-DAT-001"],
        unstated: Unstated::Node(|_, n| node_props!(n, Input).is_some_and(|i| i.trust.is_none())),
    },
    PropertyDefault {
        owner: Owner::Node(NodeKind::Gateway),
        property: "controls",
        reading: "none: a gateway with no stated control stops nothing",
        question: "Which controls does {} enforce?",
        rules: &[
            "BTZ-AUT-001",
            "BTZ-AUT-003",
            "BTZ-INP-001",
            "BTZ-MDL-001",
            "BTZ-IDN-003",
            "BTZ-OPS-001",
            "BTZ-DAT-001",
            "BTZ-RES-001",
        ],
        unstated: Unstated::Node(|_, n| {
            node_props!(n, Gateway).is_some_and(|g| g.controls.is_empty())
        }),
    },
    PropertyDefault {
        owner: Owner::Edge(Relation::Grants),
        property: "permissions",
        reading: "unknown: asked; no action (admin, payment) is inferred from a grant that does not say",
        question: "What does {} permit?",
        rules: &[
            "BTZ-CRD-001",
            "BTZ-CRD-006",
            "BTZ-AUT-002",
            "BTZ-IDN-003",
            "BTZ-DAT-001",
            "BTZ-INP-002",
        ],
        unstated: Unstated::Edge(|e| e.permissions.is_empty()),
    },
    PropertyDefault {
        owner: Owner::Edge(Relation::Delegates),
        property: "auth",
        reading: "unknown: asked, never reported as unauthenticated",
        question: "How is {} authenticated?",
        rules: &["BTZ-MAG-001", "BTZ-MAG-002"],
        unstated: Unstated::Edge(|e| e.auth.is_none()),
    },
    PropertyDefault {
        owner: Owner::Edge(Relation::Delegates),
        property: "verified",
        reading: "unknown: asked where it matters, never reported as unverified",
        question: "Does the caller of {} verify who it hands the task to?",
        rules: &["BTZ-MAG-004"],
        unstated: Unstated::Never,
    },
    PropertyDefault {
        owner: Owner::Edge(Relation::Invokes),
        property: "auth",
        reading: "unknown for a call to an agent, to a tool or workflow in another zone, or to an MCP server in another boundary, that the caller holds no credential for: asked, never reported as unauthenticated",
        question: "How is {} authenticated?",
        rules: &["BTZ-MAG-001", "BTZ-MAG-003"],
        // Only some calls need it: asked when the check that reads it does.
        unstated: Unstated::Never,
    },
    PropertyDefault {
        owner: Owner::Edge(Relation::Invokes),
        property: "verified",
        reading: "unknown: asked where it matters, never reported as unverified",
        question: "Does the caller of {} verify the identity of what it calls?",
        rules: &["BTZ-MAG-004"],
        unstated: Unstated::Never,
    },
    PropertyDefault {
        owner: Owner::Edge(Relation::Approves),
        property: "scope",
        reading: "the approver's entitlements",
        question: "Which actions does {} approve?",
        rules: &["BTZ-AUT-002"],
        unstated: Unstated::Never,
    },
    PropertyDefault {
        owner: Owner::Edge(Relation::Approves),
        property: "daily_volume",
        reading: "unknown: no overload is judged by volume; asked where untrusted callers can raise the requests with no rate limit and the approver's capacity is stated",
        question: "How many requests a day does {} send for approval?",
        rules: &["BTZ-OPS-003"],
        unstated: Unstated::Never,
    },
    PropertyDefault {
        owner: Owner::Edge(Relation::Sends),
        property: "renders",
        reading: "unknown: asked where it matters",
        question: "Does the client receiving {} render links, images or markdown?",
        rules: &["BTZ-INP-005"],
        unstated: Unstated::Never,
    },
];

/// One open question about an unstated property.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Question {
    /// `property:element`, stable while the element keeps its id.
    pub id: String,
    /// The node or edge id.
    pub element: String,
    /// The node's name, or the edge as "From → To".
    pub element_name: String,
    pub property: &'static str,
    pub text: String,
    /// How the checks read it until it is answered.
    pub reading: &'static str,
    pub rules: Vec<&'static str>,
    /// Findings that hold only under the cautious reading: answering decides them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pending: Vec<Pending>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Pending {
    pub rule: &'static str,
    pub title: String,
}

/// The questions of a model, in order of the elements in the file then of the table; each
/// pending finding is attached to the question about its decisive assumption.
pub fn ask(graph: &ModelGraph, pending: &[Finding]) -> Vec<Question> {
    let model = graph.model;
    let mut questions: Vec<Question> = Vec::new();
    let mut position: BTreeMap<(String, &'static str), usize> = BTreeMap::new();
    let mut push = |questions: &mut Vec<Question>, question: Question| {
        position.insert(
            (question.element.clone(), question.property),
            questions.len(),
        );
        questions.push(question);
    };
    for node in &model.nodes {
        for row in PROPERTY_DEFAULTS {
            let (Owner::Node(kind), Unstated::Node(unstated)) = (row.owner, row.unstated) else {
                continue;
            };
            if node.kind() == kind && !row.rules.is_empty() && unstated(graph, node) {
                let name = display_name(&node.name, &node.id);
                push(&mut questions, question(row, &node.id, &name));
            }
        }
    }
    for edge in &model.edges {
        for row in PROPERTY_DEFAULTS {
            let (Owner::Edge(relation), Unstated::Edge(unstated)) = (row.owner, row.unstated)
            else {
                continue;
            };
            if edge.relation == relation && !row.rules.is_empty() && unstated(edge) {
                let name = edge_name(graph, edge);
                push(&mut questions, question(row, &edge.id, &name));
            }
        }
    }
    // Edges by id, built only if a question is about an edge no row asked of: a scan of every
    // edge per such question would grow with the square of the model.
    let mut edges_by_id: Option<HashMap<&str, &Edge>> = None;
    let mut listed: HashSet<(usize, String)> = HashSet::default();
    for finding in pending {
        for assumption in finding.assumptions.iter().filter(|a| a.decisive) {
            let key = (assumption.element.clone(), assumption.property);
            let index = match position.get(&key) {
                Some(&index) => index,
                None => {
                    // A reading the table does not ask about unprompted still gets a
                    // question, so a finding never disappears without one: the table's
                    // wording when it has a row for the property, else a plain one.
                    let edge = if graph.index_of(&assumption.element).is_some() {
                        None
                    } else {
                        edges_by_id
                            .get_or_insert_with(|| {
                                model.edges.iter().map(|e| (e.id.as_str(), e)).collect()
                            })
                            .get(assumption.element.as_str())
                            .copied()
                    };
                    let name = match edge {
                        Some(edge) => edge_name(graph, edge),
                        None => graph
                            .index_of(&assumption.element)
                            .map(|n| display_name(&graph.node(n).name, &assumption.element))
                            .unwrap_or_else(|| format!("`{}`", assumption.element)),
                    };
                    let row = PROPERTY_DEFAULTS.iter().find(|row| {
                        row.property == assumption.property
                            && match (row.owner, edge) {
                                (Owner::Edge(relation), Some(edge)) => relation == edge.relation,
                                (Owner::Node(kind), None) => {
                                    graph.kind_of(&assumption.element) == Some(kind)
                                }
                                _ => false,
                            }
                    });
                    let question = Question {
                        id: format!("{}:{}", assumption.property, assumption.element),
                        element: assumption.element.clone(),
                        element_name: name.clone(),
                        property: assumption.property,
                        text: match row {
                            Some(row) => row.question.replace("{}", &name),
                            None => format!("What is the {} of {name}?", assumption.property),
                        },
                        reading: row.map_or(assumption.reading, |row| row.reading),
                        rules: vec![finding.rule],
                        pending: Vec::new(),
                    };
                    position.insert(key, questions.len());
                    questions.push(question);
                    questions.len() - 1
                }
            };
            let question = &mut questions[index];
            if !question.rules.contains(&finding.rule) {
                question.rules.push(finding.rule);
            }
            let title = super::named(graph, &finding.title);
            if listed.insert((index, title.clone())) {
                question.pending.push(Pending {
                    rule: finding.rule,
                    title,
                });
            }
        }
    }
    questions
}

fn question(row: &PropertyDefault, element: &str, name: &str) -> Question {
    Question {
        id: format!("{}:{element}", row.property),
        element: element.to_owned(),
        element_name: name.to_owned(),
        property: row.property,
        text: row.question.replace("{}", name),
        reading: row.reading,
        rules: row.rules.to_vec(),
        pending: Vec::new(),
    }
}

fn display_name(name: &str, id: &str) -> String {
    if name.is_empty() {
        id.to_owned()
    } else {
        name.to_owned()
    }
}

fn edge_name(graph: &ModelGraph, edge: &Edge) -> String {
    let end = |id: &str| {
        graph
            .index_of(id)
            .map(|n| display_name(&graph.node(n).name, id))
            .unwrap_or_else(|| id.to_owned())
    };
    format!("{} → {}", end(&edge.from), end(&edge.to))
}

/// The table of default readings as Markdown, for `docs/defaults.md`.
pub fn defaults_markdown() -> String {
    let mut out = String::new();
    out.push_str("| element | property | read when unstated as | question asked | checks |\n");
    out.push_str("|---|---|---|---|---|\n");
    for row in PROPERTY_DEFAULTS {
        let checks = if row.rules.is_empty() {
            "—".to_owned()
        } else {
            row.rules.join(", ")
        };
        let asked = match (row.unstated, row.rules.is_empty()) {
            (Unstated::Never, _) | (_, true) => "—".to_owned(),
            _ => row.question.replace("{}", "X"),
        };
        out.push_str(&format!(
            "| {} | `{}` | {} | {} | {} |\n",
            row.owner.label(),
            row.property,
            row.reading,
            asked,
            checks
        ));
    }
    out
}
