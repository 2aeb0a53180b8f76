//! Unverified third-party tool, model or agent framework: an agent calls code nobody vetted,
//! which sees what the agent sends it, writes into the agent's context and acts with whatever
//! it holds — or is itself run by such code, or planned by such a model.

use petgraph::Direction::Outgoing;
use petgraph::stable_graph::NodeIndex;

use super::{caller_steps, framework_finding, origin_matters, reach_at_stake, with_stakes};
use crate::findings::{Finding, Severity};
use crate::frameworks::*;
use crate::model::{NodeKind, Provenance, Relation, ToolType};
use crate::rules::{Area, CheckContext, RiskKind, Rule};

pub static RULE: Rule = Rule {
    id: "BTZ-SUP-001",
    slug: "unverified-tool",
    title: "Unverified third-party tool, model or agent framework",
    area: Area::SupplyChain,
    risk: RiskKind::ToolSupply,
    version: 4,
    default_severity: Severity::High,
    summary: "An agent can reach a tool whose provenance is `unverified`, or is an MCP server or plug-in whose provenance is not stated (asked about: the finding waits on the answer). Gateways on the path do not count: they mediate calls to the tool, not what the tool's code does. A model an agent calls, or an agent's own framework or build, counts when its provenance is stated `unverified`; unstated, it is asked about only where an agent acts on its own (`autonomy: autonomous`) or untrusted content reaches it, and never reported by itself.",
    rationale: "A third-party tool or MCP server runs code its publisher controls: it receives every argument the agent sends, its descriptions and results go straight into the agent's context, and it acts with the credentials it is given. Poisoned tool descriptions, typosquatted MCP servers and compromised packages have all been used to hijack agents and harvest their data and tokens. A model of unknown origin can carry a backdoor that plans the agent's actions, and an agent framework from an unvetted package runs the whole loop with every credential the agent holds.",
    remediation: "Use tools, models and agent frameworks only from verified sources: review the code or obtain a signed artifact from a vendor under contract, record its provenance, pin it, and run it with a workload identity and a secret scoped to the minimum it needs. Put a gateway with request-time policy and content filtering between agents and any tool you cannot verify, and monitor its calls.",
    references: &[
        asi("ASI04"),
        threat("T17"),
        llm("LLM03:2025"),
        atlas("AML.T0010.005"),
        atlas("AML.T0110"),
        maestro("L3", "Supply Chain Attacks"),
        maestro_cross_layer("Supply Chain Attacks"),
        nist("GOVERN 6.1"),
        nist("MANAGE 3.1"),
    ],
    check,
};

/// Why the tool counts as unverified, or `None` when it does not.
fn unverified(context: &CheckContext, n: NodeIndex) -> Option<&'static str> {
    let tool = context.tool(n)?;
    match (tool.provenance, tool.tool_type) {
        (Some(Provenance::Unverified), _) => Some("`provenance: unverified`"),
        (None, Some(ToolType::McpServer)) => Some(
            "the provenance of this MCP server is not stated: asked, read as unverified until answered",
        ),
        (None, Some(ToolType::Plugin)) => Some(
            "the provenance of this plug-in is not stated: asked, read as unverified until answered",
        ),
        _ => None,
    }
}

fn check(context: &CheckContext) -> Vec<Finding> {
    let reach = context.capability_search(&context.agents(), &[]);
    let mut findings = Vec::new();
    for tool in context.nodes_of_kind(NodeKind::Tool) {
        let Some(why) = unverified(context, tool) else {
            continue;
        };
        let Some(witness) = reach.witness(tool) else {
            continue;
        };
        let actions = context
            .tool(tool)
            .map(|t| t.actions.clone())
            .unwrap_or_default();
        let (caller, steps) = caller_steps(context, &witness);
        let mut builder = context.finding(&RULE);
        if context.tool(tool).is_some_and(|t| t.provenance.is_none()) {
            builder = builder.assumes(context.id(tool), "provenance", "unverified", true);
        }
        builder = builder
            .title(format!(
                "`{}` is an unverified third-party tool loaded by `{}`",
                context.id(tool),
                context.id(caller)
            ))
            .subjects([context.id(tool)])
            .place(context.id(caller))
            .path(steps, witness.shortest_paths)
            .evidence(why)
            .factor(context.impact_factor(&actions))
            .factor(context.sensitivity_factor(&stores_of(context, tool)));
        let credentials: Vec<String> = context
            .related(tool, Relation::Holds, Outgoing)
            .chain(context.related(tool, Relation::ActsAs, Outgoing))
            .map(|(_, n)| format!("`{}`", context.id(n)))
            .collect();
        if !credentials.is_empty() {
            builder = builder.evidence(format!("it is handed {}", credentials.join(", ")));
        }
        let fed: Vec<String> = context
            .related(tool, Relation::Feeds, Outgoing)
            .filter(|&(_, n)| context.kind(n) == NodeKind::Agent)
            .map(|(_, n)| format!("`{}`", context.id(n)))
            .collect();
        if !fed.is_empty() {
            builder = builder.evidence(format!(
                "its output goes into the context of {}",
                fed.join(", ")
            ));
        }
        let sinks: Vec<String> = context
            .related(tool, Relation::Sends, Outgoing)
            .map(|(_, n)| format!("`{}`", context.id(n)))
            .collect();
        if !sinks.is_empty() {
            builder = builder.evidence(format!("it sends to {}", sinks.join(", ")));
        }
        findings.push(builder.build());
    }
    // Models and agent frameworks are supply chain too. A stated `unverified` counts; an
    // unstated provenance is never a risk by itself, and is asked only where an agent acts on
    // its own or reads untrusted content.
    let reach_at_stake = reach_at_stake(context);
    for model in context.nodes_of_kind(NodeKind::Model) {
        let stated = context.model_node(model).and_then(|m| m.provenance);
        let search = match stated {
            Some(Provenance::Unverified) => &reach,
            None => &reach_at_stake,
            Some(_) => continue,
        };
        let Some(witness) = search.witness(model) else {
            continue;
        };
        let (caller, steps) = caller_steps(context, &witness);
        let mut builder = context.finding(&RULE);
        builder = match stated {
            None => with_stakes(
                context,
                builder
                    .assumes(context.id(model), "provenance", "unverified", true)
                    .evidence("the provenance of this model is not stated: asked, read as unverified until answered"),
                witness.nodes[0],
            ),
            Some(_) => {
                builder.evidence("`provenance: unverified`: its weights or endpoint were not vetted")
            }
        };
        findings.push(
            builder
                .title(format!(
                    "`{}` is an unverified model called by `{}`",
                    context.id(model),
                    context.id(caller)
                ))
                .subjects([context.id(model)])
                .place(context.id(caller))
                .path(steps, witness.shortest_paths)
                .evidence(format!(
                    "its output plans every action `{}` takes",
                    context.id(caller)
                ))
                .build(),
        );
    }
    for agent in context.agents() {
        let stated = context.agent(agent).and_then(|a| a.provenance);
        let mut builder = context.finding(&RULE);
        builder = match stated {
            Some(Provenance::Unverified) => builder
                .evidence("`provenance: unverified`: the code that runs the agent was not vetted")
                .factor(context.autonomy_factor(agent)),
            None if origin_matters(context, agent) => with_stakes(
                context,
                builder
                    .assumes(context.id(agent), "provenance", "unverified", true)
                    .evidence("the provenance of the agent's framework or build is not stated: asked, read as unverified until answered"),
                agent,
            ),
            _ => continue,
        };
        findings.push(framework_finding(
            context,
            builder,
            agent,
            "an unverified framework or build",
        ));
    }
    findings
}

/// The datastores the tool touches: what it reads or writes, and what its secrets and
/// identities are granted on.
fn stores_of(context: &CheckContext, tool: NodeIndex) -> Vec<NodeIndex> {
    let mut stores: Vec<NodeIndex> = context
        .related(tool, Relation::Reads, Outgoing)
        .chain(context.related(tool, Relation::Writes, Outgoing))
        .map(|(_, n)| n)
        .collect();
    let credentials = context
        .related(tool, Relation::Holds, Outgoing)
        .chain(context.related(tool, Relation::ActsAs, Outgoing));
    for (_, credential) in credentials {
        stores.extend(
            context
                .related(credential, Relation::Grants, Outgoing)
                .map(|(_, n)| n),
        );
    }
    stores.retain(|&n| context.kind(n) == NodeKind::Datastore);
    stores.sort_by_key(|&n| context.id(n));
    stores.dedup();
    stores
}
