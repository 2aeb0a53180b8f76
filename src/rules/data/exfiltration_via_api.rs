//! Confidential data can leave through a legitimate API: a data flow from a confidential or
//! restricted datastore or memory to a tool that sends, or to an external party, with no egress
//! allowlist on the way.

use petgraph::Direction::Incoming;
use petgraph::stable_graph::NodeIndex;

use super::{
    EgressFlows, Reading, caller_of_way_out, describe_party, first_external_send, is_outsider,
    is_private_store, nearest_callers, sensitivity_word,
};
use crate::findings::{Factor, FactorKind, Finding, Severity};
use crate::frameworks::*;
use crate::graph::Witness;
use crate::model::{Action, Control, NodeKind, Relation, Sensitivity};
use crate::rules::{Area, CheckContext, RiskKind, Rule};

pub static RULE: Rule = Rule {
    id: "BTZ-DAT-001",
    slug: "exfiltration-via-api",
    title: "Confidential data can leave through a legitimate API",
    area: Area::Data,
    risk: RiskKind::UngatedActions,
    version: 3,
    default_severity: Severity::High,
    summary: "Data from a confidential or restricted datastore or memory (a knowledge base, a vector index) can flow, through the tools, credentials and agents that read it, to a tool that sends or to an external party (an input whose trust is untrusted or partner), with no gateway enforcing an egress allowlist on the way. Data moves only along reads, feeds, call results, hand-offs and grants stated to permit read; a flow that needs a grant of unstated permissions, a recipient of unstated trust or a gateway of unstated controls waits on the question about it. Critical when untrusted content can make an agent send restricted data out with no policy gate.",
    rationale: "Agent exfiltration rarely needs a vulnerability: the agent already reads the CRM and already has an email, HTTP or chat tool, so one injected instruction, a confused plan or a compromised tool is enough to send the data out through an API that is working as designed. Data-loss controls that watch for unusual channels see nothing, because the channel is the product's own. The flow here follows reads, read grants, held credentials, call results and hand-offs; data given to a stateless tool as arguments is not assumed to reach that tool's other callers.",
    remediation: "Put outbound tools behind a gateway that enforces an egress allowlist (only listed recipients, domains and endpoints) and validates every external call at runtime, scope the credentials that read confidential stores to the minimum connector and action required, and evaluate request-time policy against the data a call carries, so that confidential data can only reach destinations that are allowed to receive it.",
    references: &[
        llm("LLM02:2025"),
        asi("ASI02"),
        atlas("AML.T0086"),
        atlas("AML.T0057"),
        maestro("L2", "Data Exfiltration"),
        maestro_cross_layer("Data Leakage"),
        nist("MEASURE 2.7"),
    ],
    check,
};

fn check(context: &CheckContext) -> Vec<Finding> {
    // One search back from every sink under each reading: each store learns its nearest way
    // out, stated if it has one.
    let flows = EgressFlows::to_sinks(
        context,
        &sinks(context, Reading::Stated),
        &sinks(context, Reading::Cautious),
    );
    // What exposed agents can drive, for the severity of flows no agent is on.
    let exposed: Vec<NodeIndex> = context
        .agents()
        .into_iter()
        .filter(|&a| context.is_exposed_stated(a))
        .collect();
    let steered = context.capability_search(&exposed, &[Control::EgressAllowlist]);
    let callers = nearest_callers(context);
    let mut findings = Vec::new();
    for store in context
        .graph
        .nodes()
        .filter(|&n| is_private_store(context, n))
    {
        let Some((witness, assumed)) = flows.witness(store) else {
            continue;
        };
        let sink = *witness.nodes.last().expect("a witness has a node");
        if sink == store {
            continue;
        }
        let way_out = if context.kind(sink) == NodeKind::Input {
            witness.nodes[witness.nodes.len() - 2]
        } else {
            sink
        };
        let caller = caller_of_way_out(context, &witness, way_out, &callers);
        let sink_words = match context.kind(sink) {
            NodeKind::Input => format!("to {}", describe_party(context, sink)),
            _ => format!("through `{}`", context.id(sink)),
        };
        let mut builder = context
            .finding(&RULE)
            .title(format!(
                "`{}` ({}) can leave {} with no egress allowlist",
                context.id(store),
                sensitivity_word(context, store),
                sink_words
            ))
            .subjects([context.id(store), context.id(sink)])
            .place(context.id(caller))
            .path(context.steps(&witness), witness.shortest_paths)
            .factor(context.sensitivity_factor(&[store]));
        if assumed {
            builder = EgressFlows::assume_cautious(context, builder, &witness);
        }
        if context.kind(sink) != NodeKind::Input
            && let Some((_, recipient)) = first_external_send(context, sink)
        {
            builder = builder.evidence(format!(
                "`{}` sends to {}",
                context.id(sink),
                describe_party(context, recipient)
            ));
        }
        let agents: Vec<NodeIndex> = witness
            .nodes
            .iter()
            .copied()
            .filter(|&n| context.kind(n) == NodeKind::Agent)
            .collect();
        if let Some(&agent) = agents.iter().find(|&&a| context.is_exposed_stated(a)) {
            builder = builder.factor(context.exposure_factor(agent));
            if !assumed && let Some(why) = critical_leak(context, agent, store, way_out, &witness) {
                builder = builder.critical(why);
            }
        } else if let Some(driver) = witness
            .nodes
            .iter()
            .rev()
            .find(|&&n| context.kind(n) != NodeKind::Input)
            && let Some(steering) = steered.witness(*driver)
            && steering.nodes.len() > 1
        {
            let agent = steering.nodes[0];
            let input = context.stated_exposure_source(agent);
            builder = builder.factor(input.map(|input| Factor {
                kind: FactorKind::UntrustedExposure,
                effect: 1,
                detail: format!(
                    "untrusted content from `{}` reaches `{}`, which can drive `{}`",
                    context.id(input),
                    context.id(agent),
                    context.id(*driver)
                ),
            }));
        } else if let Some(&agent) = agents.first() {
            builder = context.with_exposure(builder, agent);
        }
        if !agents.is_empty() {
            let names: Vec<String> = agents
                .iter()
                .map(|&a| format!("`{}`", context.id(a)))
                .collect();
            builder = builder.evidence(format!("carried by agent {}", names.join(", ")));
        }
        findings.push(builder.build());
    }
    findings
}

/// Sinks: tools that send, and the outsiders something sends to.
fn sinks(context: &CheckContext, reading: Reading) -> Vec<NodeIndex> {
    context
        .graph
        .nodes()
        .filter(|&n| {
            context
                .tool(n)
                .is_some_and(|t| t.actions.contains(&Action::Send))
                || (is_outsider(context, n, reading)
                    && context
                        .related(n, Relation::Sends, Incoming)
                        .next()
                        .is_some())
        })
        .collect()
}

/// Why a flow is critical: restricted data that untrusted content or a person's approval can
/// make an agent send out, past no policy gate (docs/severity.md).
fn critical_leak(
    context: &CheckContext,
    agent: NodeIndex,
    store: NodeIndex,
    way_out: NodeIndex,
    witness: &Witness,
) -> Option<String> {
    let restricted = context.data_sensitivity(store) == Some(Sensitivity::Restricted);
    let gated = witness
        .nodes
        .iter()
        .any(|&n| context.gateway_has(n, &[Control::RequestTimePolicy, Control::HumanApproval]));
    if !restricted || gated {
        return None;
    }
    let source = context.critical_source(agent)?;
    Some(format!(
        "{source} can make {} send restricted data from {} out through {} with no policy gate",
        context.display_name(agent),
        context.display_name(store),
        context.display_name(way_out)
    ))
}
