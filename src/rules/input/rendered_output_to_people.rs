//! Untrusted content reaches people through a client that renders it: an agent that reads
//! untrusted content answers a person (a chat reply, an email) whose client renders markdown,
//! links and images. Injected content then speaks to the person in the agent's voice — a
//! phishing link, a false instruction — and an image address the client fetches by itself
//! carries out whatever private data the agent has in its context.

use petgraph::Direction::Outgoing;
use petgraph::stable_graph::{EdgeIndex, NodeIndex};

use crate::findings::{Factor, FactorKind, Finding, Severity};
use crate::frameworks::*;
use crate::graph::{Search, Traversal, WitnessHop};
use crate::model::{Channel, Control, Edge, NodeKind, NodeProperties, Relation};
use crate::rules::data::{DataFlow, Reading, is_private_store, sensitivity_word};
use crate::rules::{Area, CheckContext, RiskKind, Rule};

pub static RULE: Rule = Rule {
    id: "BTZ-INP-005",
    slug: "rendered-output-to-people",
    title: "Untrusted content reaches people through a rendering client",
    area: Area::Input,
    risk: RiskKind::UngatedActions,
    version: 1,
    default_severity: Severity::Medium,
    summary: "An agent exposed to untrusted content (past any content filter) sends to a person or an outside party — itself, or through the tools, workflows and gateways it calls or feeds — over a `sends` edge stated `renders: true`, with no gateway enforcing a content filter or an egress allowlist on the way. An unstated `renders` on a send to a person, or to an outside party by email or chat, is asked about, and the finding waits on the answer. Severity rises when private data (a confidential or restricted datastore or memory) reaches the agent's context: a rendered image address can carry it out with no tool call.",
    rationale: "A rendering client turns the agent's answer into action without anyone choosing to act: it shows injected links as the agent's own advice and fetches image addresses as soon as the message opens. An attacker who plants instructions in a web page, a document or an email can have the agent tell a user to approve a payment, visit a phishing page or paste a secret, and can have it write private data into an image URL on the attacker's server, which the client requests on its own. No outbound tool is needed, so egress controls on tools do not see it.",
    remediation: "Put a gateway between the agent and the people it answers that filters output: strip or neutralise images and links to domains not on an allowlist, refuse addresses built from conversation data, and mark content the agent took from untrusted sources. Where the client can be configured, render agent output as plain text or block remote images, and keep private data out of the context of agents that read untrusted content.",
    references: &[
        asi("ASI09"),
        asi("ASI01"),
        threat("T15"),
        llm("LLM05:2025"),
        llm("LLM02:2025"),
        atlas("AML.T0051.001"),
        maestro("L7", "Agent Goal Manipulation"),
        maestro_cross_layer("Data Leakage"),
        nist("MEASURE 2.7"),
    ],
    check,
};

/// Edges along which an agent's output moves towards whoever sends it on.
fn carries_output(edge: &Edge) -> bool {
    matches!(
        edge.relation,
        Relation::Invokes | Relation::Feeds | Relation::Triggers
    )
}

fn check(context: &CheckContext) -> Vec<Finding> {
    let filters =
        |n: NodeIndex| context.gateway_has(n, &[Control::ContentFilter, Control::EgressAllowlist]);
    let senders = |reading: Reading| -> Vec<NodeIndex> {
        context
            .graph
            .nodes()
            .filter(|&n| !filters(n) && first_rendered_send(context, n, reading).is_some())
            .collect()
    };
    // Back from every rendering channel to the agents whose output reaches it, through tools,
    // workflows and gateways that do not filter: another agent on the way answers for itself.
    let passes = |n: NodeIndex| {
        matches!(
            context.kind(n),
            NodeKind::Tool | NodeKind::Workflow | NodeKind::Gateway
        ) && !filters(n)
    };
    let back_from = |channels: &[NodeIndex]| -> Search {
        context.graph.search(
            channels,
            &Traversal::backward(&carries_output).through(&passes),
        )
    };
    let stated_senders = senders(Reading::Stated);
    let mut cautious_senders = senders(Reading::Cautious);
    cautious_senders.extend(stated_senders.iter().copied());
    let stated = back_from(&stated_senders);
    let cautious = back_from(&cautious_senders);
    let private: Vec<NodeIndex> = context
        .graph
        .nodes()
        .filter(|&n| is_private_store(context, n))
        .collect();
    let unblocked = |_: NodeIndex| false;
    let data = DataFlow::from_sources(context, &private, &unblocked, Reading::Stated);
    let mut findings = Vec::new();
    for agent in context.agents() {
        if !context.is_exposed(agent) {
            continue;
        }
        let (out, reading) = match stated.witness(agent) {
            Some(out) => (out, Reading::Stated),
            None => match cautious.witness(agent) {
                Some(out) => (out, Reading::Cautious),
                None => continue,
            },
        };
        let out = context.reversed(&out);
        let sender = *out.nodes.last().expect("a witness has a node");
        // An agent that answers people itself is reported for its own answers, not for the
        // tasks other agents hand it.
        if sender != agent && context.kind(sender) == NodeKind::Agent {
            continue;
        }
        let Some((send, recipient)) = first_rendered_send(context, sender, Reading::Stated)
            .or_else(|| first_rendered_send(context, sender, reading))
        else {
            continue;
        };
        let exposure = if context.is_exposed_stated(agent) {
            context.stated_exposure_witness(agent)
        } else {
            context.exposure_witness(agent)
        };
        let Some(exposure) = exposure else {
            continue;
        };
        // From the input through the agent to the person; from the agent only when content
        // comes in through a node it also goes out through, so the path never doubles back.
        let doubles_back = out
            .nodes
            .iter()
            .skip(1)
            .chain(std::iter::once(&recipient))
            .any(|n| exposure.nodes.contains(n));
        let mut path = if doubles_back {
            out.clone()
        } else {
            let mut joined = exposure.clone();
            joined.nodes.extend(out.nodes.iter().skip(1).copied());
            joined.hops.extend(out.hops.iter().copied());
            joined
        };
        if !path.nodes.contains(&recipient) {
            path.nodes.push(recipient);
            path.hops.push(WitnessHop {
                edge: send,
                reversed: false,
            });
        }
        let input = exposure.nodes[0];
        let through = if sender == agent {
            String::new()
        } else {
            format!(" through `{}`", context.id(sender))
        };
        let mut builder = context
            .finding(&RULE)
            .title(format!(
                "Untrusted content from `{}` reaches `{}` in `{}`'s rendered answers{through}",
                context.id(input),
                context.id(recipient),
                context.id(agent),
            ))
            .subjects([context.id(agent), context.id(recipient)])
            .place(context.id(agent))
            .path(
                context.steps(&path),
                exposure.shortest_paths.saturating_mul(out.shortest_paths),
            )
            .evidence(match context.graph.edge(send).renders {
                Some(_) => format!(
                    "`{}` is rendered: links and images in it are shown and fetched",
                    context.graph.edge(send).id
                ),
                None => format!(
                    "`{}` does not state whether the client renders it: asked, read as rendered until answered",
                    context.graph.edge(send).id
                ),
            });
        if context.graph.edge(send).renders.is_none() {
            builder = builder.assumes(
                context.graph.edge(send).id.clone(),
                "renders",
                "rendered",
                true,
            );
        }
        if let Some(from) = data.witness(agent) {
            let store = from.nodes[0];
            builder = builder
                .evidence(format!(
                    "private data from `{}` ({}) reaches `{}`: an image address it writes can carry it out",
                    context.id(store),
                    sensitivity_word(context, store),
                    context.id(agent)
                ))
                .factor(Some(Factor {
                    kind: FactorKind::DataSensitivity,
                    effect: 1,
                    detail: format!("{} data from `{}`", sensitivity_word(context, store), context.id(store)),
                }));
        }
        builder = context.with_exposure(builder, agent);
        findings.push(builder.build());
    }
    findings
}

/// Whether `n` reads what it is sent in a client that may render it: a person, or an outside
/// party reached by email or chat. Only there is an unstated `renders` worth asking about; an
/// upload or an API call to a party is rendered only when stated so.
fn reads_in_a_client(context: &CheckContext, n: NodeIndex) -> bool {
    match &context.node(n).properties {
        NodeProperties::Human(_) => true,
        NodeProperties::Input(input) => {
            matches!(input.channel, Some(Channel::Email | Channel::Chat))
        }
        _ => false,
    }
}

/// The first `sends` from `n` to a person or an outside party that is rendered under
/// `reading`, as (edge, recipient).
fn first_rendered_send(
    context: &CheckContext,
    n: NodeIndex,
    reading: Reading,
) -> Option<(EdgeIndex, NodeIndex)> {
    context
        .graph
        .edges(n, Outgoing)
        .iter()
        .copied()
        .find(|&(e, to)| {
            let edge = context.graph.edge(e);
            match reading {
                Reading::Stated => edge.relation == Relation::Sends && edge.renders == Some(true),
                Reading::Cautious => {
                    edge.relation == Relation::Sends
                        && edge.renders.is_none()
                        && reads_in_a_client(context, to)
                }
            }
        })
}
