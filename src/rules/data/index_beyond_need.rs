//! A knowledge index holds more than its users may see: a memory, vector store or RAG index
//! is filled from a confidential or restricted datastore, and an agent that answers untrusted
//! or partner parties retrieves from it. The index has copied the data out from behind the
//! datastore's access control, and anyone who can ask the agent can ask for it.

use petgraph::Direction::Incoming;
use petgraph::stable_graph::{EdgeIndex, NodeIndex};

use super::{DataFlow, Reading, describe_party, sensitivity_word};
use crate::findings::{Factor, FactorKind, Finding, Severity};
use crate::frameworks::*;
use crate::graph::{Traversal, WitnessHop};
use crate::model::{Channel, Edge, NodeKind, NodeProperties, Relation, Sensitivity, Trust};
use crate::rules::{Area, CheckContext, RiskKind, Rule};

pub static RULE: Rule = Rule {
    id: "BTZ-DAT-003",
    slug: "index-beyond-need",
    title: "Knowledge index holds data beyond its users' need",
    area: Area::Data,
    risk: RiskKind::ContextIntegrity,
    version: 1,
    default_severity: Severity::Medium,
    summary: "Data from a confidential or restricted datastore is written into a memory, vector store or RAG index (through the tools, agents and credentials that read it and write the index; only grants stated to permit read carry data), and an agent that answers an untrusted or partner party — one that feeds or starts it by email, chat, an API or an agent — retrieves from that index, directly or through the tools and workflows it calls. One finding per index, naming the nearest such agent; an agent that carried the data into the index itself is not counted, since the index gives it nothing it did not already have.",
    rationale: "An index is built once with a service's broad read access and then queried by everyone the agent serves: the datastore's row- and document-level permissions do not follow the chunks into the vector store. A customer, a supplier or an injected instruction asking the right question retrieves deal notes, salaries or another tenant's records, and nothing in the datastore's access log shows it. Retrieval-augmented assistants leak most often this way, not through a break-in.",
    remediation: "Index only what every user of the agent may see, or keep the source's permissions with each entry and filter retrieval by the identity of the person asking (per-user or per-tenant indexes, document-level access checks at query time). Keep confidential sources out of indexes read by agents that answer outside parties, and record which source each entry came from so it can be removed.",
    references: &[
        asi("ASI06"),
        llm("LLM02:2025"),
        llm("LLM08:2025"),
        atlas("AML.T0057"),
        maestro("L2", "Data Exfiltration"),
        maestro_cross_layer("Data Leakage"),
        nist("MEASURE 2.7"),
    ],
    check,
};

/// The input that makes `agent` answer outside parties: an untrusted or partner party that
/// feeds it or starts it, over a channel people or their agents ask through (not web pages or
/// documents, which are content rather than users), as (edge, party). A party the agent only
/// sends to cannot ask it anything; what leaves that way is the exfiltration checks' concern.
fn outside_party(context: &CheckContext, agent: NodeIndex) -> Option<(EdgeIndex, NodeIndex)> {
    let is_party = |n: NodeIndex| match &context.node(n).properties {
        NodeProperties::Input(input) => {
            matches!(input.trust, Some(Trust::Untrusted | Trust::Partner))
                && matches!(
                    input.channel,
                    Some(Channel::Email | Channel::Chat | Channel::Api | Channel::Agent)
                )
        }
        _ => false,
    };
    context
        .related(agent, Relation::Feeds, Incoming)
        .chain(context.related(agent, Relation::Triggers, Incoming))
        .find(|&(_, n)| is_party(n))
}

/// Walking from an agent to what it retrieves from: what it reads, what it calls (a call's
/// result comes back), and, against the edge, what feeds it.
fn retrieves_forward(edge: &Edge) -> bool {
    matches!(edge.relation, Relation::Reads | Relation::Invokes)
}

fn retrieves_backward(edge: &Edge) -> bool {
    edge.relation == Relation::Feeds
}

fn check(context: &CheckContext) -> Vec<Finding> {
    let sources: Vec<NodeIndex> = context
        .nodes_of_kind(NodeKind::Datastore)
        .into_iter()
        .filter(|&n| super::is_private_store(context, n))
        .collect();
    let indexes = context.nodes_of_kind(NodeKind::Memory);
    if sources.is_empty() || indexes.is_empty() {
        return Vec::new();
    }
    let unblocked = |_: NodeIndex| false;
    let filled = DataFlow::from_sources(context, &sources, &unblocked, Reading::Stated);
    let facing: Vec<NodeIndex> = context
        .agents()
        .into_iter()
        .filter(|&a| outside_party(context, a).is_some())
        .collect();
    // From every agent facing outside parties to the indexes it retrieves from, through
    // tools, workflows and gateways: another agent answers for itself.
    let passes = |n: NodeIndex| {
        matches!(
            context.kind(n),
            NodeKind::Tool | NodeKind::Workflow | NodeKind::Gateway
        )
    };
    let traversal = Traversal {
        forward: &retrieves_forward,
        backward: &retrieves_backward,
        passes: &passes,
    };
    let retrieval = context.graph.search(&facing, &traversal);
    let mut findings = Vec::new();
    for index in indexes {
        let (Some(fill), Some(asked)) = (filled.witness(index), retrieval.witness(index)) else {
            continue;
        };
        let store = fill.nodes[0];
        if store == index {
            continue;
        }
        let agent = asked.nodes[0];
        // The agent carried the data into the index itself: it reads the source anyway.
        if fill.nodes.contains(&agent) {
            continue;
        }
        let Some((facing_edge, party)) = outside_party(context, agent) else {
            continue;
        };
        let mut path = fill.clone();
        let answered = context.reversed(&asked);
        if answered
            .nodes
            .iter()
            .skip(1)
            .any(|n| path.nodes.contains(n))
            || path.nodes.contains(&party)
        {
            continue;
        }
        path.nodes.extend(answered.nodes.iter().skip(1).copied());
        path.hops.extend(answered.hops.iter().copied());
        path.nodes.push(party);
        path.hops.push(WitnessHop {
            edge: facing_edge,
            reversed: true,
        });
        let untrusted = matches!(
            &context.node(party).properties,
            NodeProperties::Input(i) if i.trust == Some(Trust::Untrusted)
        );
        let mut builder = context
            .finding(&RULE)
            .title(format!(
                "`{}` holds {} data from `{}` and is retrieved by `{}`, which answers {}",
                context.id(index),
                sensitivity_word(context, store),
                context.id(store),
                context.id(agent),
                describe_party(context, party)
            ))
            .subjects([context.id(index), context.id(store)])
            .place(context.id(index))
            .path(
                context.steps(&path),
                fill.shortest_paths.saturating_mul(asked.shortest_paths),
            )
            .evidence(format!(
                "`{}` ({}) reaches `{}` through {} steps",
                context.id(store),
                sensitivity_word(context, store),
                context.id(index),
                fill.hops.len()
            ))
            .evidence(format!(
                "`{}` answers {}",
                context.id(agent),
                describe_party(context, party)
            ))
            .factor(context.sensitivity_factor(&[store]));
        if untrusted {
            builder = builder.factor(Some(Factor {
                kind: FactorKind::UntrustedExposure,
                effect: 1,
                detail: format!(
                    "anyone who can reach `{}` can ask for what `{}` holds",
                    context.id(party),
                    context.id(index)
                ),
            }));
        }
        if context.data_sensitivity(index) == Some(Sensitivity::Public) {
            builder = builder.evidence(format!(
                "`{}` is stated public, but what it is filled from is not",
                context.id(index)
            ));
        }
        findings.push(builder.build());
    }
    findings
}
