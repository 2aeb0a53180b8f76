//! The lethal trifecta (Simon Willison's term): one agent, or a chain of agents, that reads
//! untrusted content, has private data in its context and can send data out. Any one
//! injected instruction can then exfiltrate the data.

use rustc_hash::FxHashMap as HashMap;

use petgraph::stable_graph::NodeIndex;

use crate::findings::{Finding, Severity};
use crate::frameworks::*;
use crate::graph::{Traversal, WitnessHop};
use crate::model::{Control, NodeKind, Sensitivity};
use crate::rules::context::is_capability_edge;
use crate::rules::data::{
    DataFlow, Reading, assume_unstated_on, describe_party, first_external_send,
    first_send_to_outsider, is_outbound_channel, is_private_store, sensitivity_word,
};
use crate::rules::{Area, CheckContext, RiskKind, Rule};

pub static RULE: Rule = Rule {
    id: "BTZ-INP-002",
    slug: "lethal-trifecta",
    title: "Lethal trifecta",
    area: Area::Input,
    risk: RiskKind::UngatedActions,
    version: 3,
    default_severity: Severity::High,
    summary: "One agent (alone or through the agents and tools it calls or hands work to) is exposed to untrusted content, can get data from a confidential or restricted datastore or memory into its context, and can reach a tool that sends or anything that sends to an external party with no egress allowlist on the way. A content filter between the input and the agent lowers the finding and never closes it: injected instructions are ordinary language, and a filter tuned on known ones lets a new wording through. Critical when the input is stated untrusted and reaches the agent past no content filter, the data restricted, and no gateway with request-time policy or human approval is on the way out.",
    rationale: "When untrusted content, private data and an outbound channel meet in one agent's context, a single injected instruction (hidden in an email, a web page or a document) can make the agent read the private data and send it to the attacker, and the agent is doing nothing it is not allowed to do. This pattern, named the lethal trifecta by Simon Willison, is behind most published agent data-exfiltration exploits; guardrails in the model lower the odds but do not close it.",
    remediation: "Break one leg of the trifecta for each agent: split the agent so that the one reading untrusted content has no access to private data, or route every outbound call through a gateway with an egress allowlist and request-time policy that validates each external call at runtime. Filtering untrusted content before it reaches the agent lowers the odds but leaves the leg in place.",
    references: &[
        asi("ASI01"),
        asi("ASI02"),
        llm("LLM01:2025"),
        llm("LLM02:2025"),
        atlas("AML.T0086"),
        atlas("AML.T0051.001"),
        maestro("L2", "Data Exfiltration"),
        maestro_cross_layer("Data Leakage"),
        nist("MEASURE 2.7"),
    ],
    check,
};

fn check(context: &CheckContext) -> Vec<Finding> {
    let private: Vec<NodeIndex> = context
        .graph
        .nodes()
        .filter(|&n| is_private_store(context, n))
        .collect();
    if private.is_empty() {
        return Vec::new();
    }
    let egress = |n: NodeIndex| context.gateway_has(n, &[Control::EgressAllowlist]);
    let outbound = |reading: Reading| -> Vec<NodeIndex> {
        context
            .graph
            .nodes()
            .filter(|&n| is_outbound_channel(context, n, &egress, reading))
            .collect()
    };
    let (outbound, stated_outbound) = (outbound(Reading::Cautious), outbound(Reading::Stated));
    if outbound.is_empty() {
        return Vec::new();
    }
    // Who can get private data into context; who can make something send, back from every
    // outbound channel with egress allowlists breaking the way.
    let unblocked = |_: NodeIndex| false;
    let access = DataFlow::from_sources(context, &private, &unblocked, Reading::Cautious);
    // What holds without reading unstated grants as permitting read.
    let stated_access = DataFlow::from_sources(context, &private, &unblocked, Reading::Stated);
    let restricted: Vec<NodeIndex> = private
        .iter()
        .copied()
        .filter(|&n| context.data_sensitivity(n) == Some(Sensitivity::Restricted))
        .collect();
    let restricted_access =
        DataFlow::from_sources(context, &restricted, &unblocked, Reading::Stated);
    let passes = |n: NodeIndex| !egress(n);
    let back_from = |channels: &[NodeIndex]| {
        context.graph.search(
            channels,
            &Traversal::backward(&is_capability_edge).through(&passes),
        )
    };
    let out = back_from(&outbound);
    // Ways out that hold without reading a recipient of unstated trust as an outsider.
    let stated_out = back_from(&stated_outbound);
    let has_trifecta = |a: NodeIndex| context.is_exposed(a) && access.reached(a) && out.reached(a);
    // In a chain, every agent upstream of one with the trifecta has it too (content, data and
    // calls flow down the chain): report the one nearest the way out, naming the others.
    let mut reported: Vec<NodeIndex> = Vec::new();
    let mut upstream: HashMap<NodeIndex, Vec<NodeIndex>> = HashMap::default();
    for agent in context.agents().into_iter().filter(|&a| has_trifecta(a)) {
        let Some(sending) = out.witness(agent) else {
            continue;
        };
        let nearest = sending
            .nodes
            .iter()
            .copied()
            .find(|&n| context.kind(n) == NodeKind::Agent && has_trifecta(n))
            .unwrap_or(agent);
        if nearest == agent {
            reported.push(agent);
        } else {
            upstream.entry(nearest).or_default().push(agent);
        }
    }
    let mut findings = Vec::new();
    for agent in reported {
        let exposed_stated = context.is_exposed_stated(agent);
        let exposure = if exposed_stated {
            context.stated_exposure_witness(agent)
        } else {
            context.exposure_witness(agent)
        };
        let data = stated_access
            .witness(agent)
            .or_else(|| access.witness(agent));
        let sending = stated_out.witness(agent).or_else(|| out.witness(agent));
        let (Some(exposure), Some(data), Some(sending)) = (exposure, data, sending) else {
            continue;
        };
        let gated = sending.nodes.iter().any(|&n| {
            context.gateway_has(n, &[Control::RequestTimePolicy, Control::HumanApproval])
        });
        let sending = context.reversed(&sending);
        // From the input through the agent to the way out; when content comes in and goes out
        // through the same node, from the agent only, so that the path never doubles back.
        let doubles_back = sending
            .nodes
            .iter()
            .skip(1)
            .any(|n| exposure.nodes.contains(n));
        let mut path = if doubles_back {
            sending.clone()
        } else {
            let mut joined = exposure.clone();
            joined.nodes.extend(sending.nodes.iter().skip(1).copied());
            joined.hops.extend(sending.hops.iter().copied());
            joined
        };
        let sink = *path.nodes.last().expect("a path has nodes");
        let recipient = first_send_to_outsider(context, sink, Reading::Stated)
            .or_else(|| first_external_send(context, sink));
        if let Some((edge, to)) = recipient
            && !path.nodes.contains(&to)
        {
            path.nodes.push(to);
            path.hops.push(WitnessHop {
                edge,
                reversed: false,
            });
        }
        let input = exposure.nodes[0];
        let store = data.nodes[0];
        let data_path: Vec<String> = data
            .nodes
            .iter()
            .map(|&n| format!("`{}`", context.id(n)))
            .collect();
        let channel = match recipient {
            Some((_, to)) if sink == agent => format!("sends to {}", describe_party(context, to)),
            Some((_, to)) => format!(
                "sends out through `{}` to {}",
                context.id(sink),
                describe_party(context, to)
            ),
            None => format!("sends out through `{}`", context.id(sink)),
        };
        let mut builder = context
            .finding(&RULE)
            .title(format!(
                "`{}` combines untrusted input from `{}`, private data from `{}` and a way out through `{}`",
                context.id(agent),
                context.id(input),
                context.id(store),
                context.id(recipient.filter(|_| sink == agent).map_or(sink, |(_, to)| to))
            ))
            .subjects([context.id(agent)])
            .path(
                context.steps(&path),
                exposure.shortest_paths.saturating_mul(sending.shortest_paths),
            )
            .evidence(format!(
                "private data: `{}` ({}) reaches it via {}",
                context.id(store),
                sensitivity_word(context, store),
                data_path.join(" → ")
            ))
            .evidence(channel)
            .place(context.id(agent))
            .factor(context.autonomy_factor(agent))
            .factor(context.content_filter_factor(agent));
        let mut assumed = false;
        if !exposed_stated {
            builder = builder.assumes(context.id(input), "trust", "untrusted", true);
            assumed = true;
        }
        if !stated_access.reached(agent) {
            builder = assume_unstated_on(context, builder, &data);
            assumed = true;
        }
        if !stated_out.reached(agent)
            && let Some((_, to)) = recipient
        {
            builder = builder.assumes(context.id(to), "trust", "untrusted", true);
            assumed = true;
        }
        if !assumed
            && !gated
            && let Some(from) = restricted_access.witness(agent)
            && let Some(source) = context.critical_source(agent)
        {
            builder = builder.critical(format!(
                "{source} can make {} send restricted data from {} out through {} with no policy gate",
                context.display_name(agent),
                context.display_name(from.nodes[0]),
                context.display_name(sink)
            ));
        }
        let mut others: Vec<&str> = upstream
            .get(&agent)
            .map(|list| list.iter().map(|&a| context.id(a)).collect())
            .unwrap_or_default();
        others.sort();
        if !others.is_empty() {
            let listed: Vec<String> = others.iter().map(|id| format!("`{id}`")).collect();
            builder = builder.evidence(format!(
                "upstream agents with the same trifecta, whose way out runs through `{}`: {}",
                context.id(agent),
                listed.join(", ")
            ));
        }
        findings.push(builder.build());
    }
    findings
}
