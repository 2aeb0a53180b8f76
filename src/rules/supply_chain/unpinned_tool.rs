//! Third-party tool, model or agent framework not pinned: what the agent calls, or runs on,
//! tomorrow is whatever the publisher ships tonight.

use petgraph::stable_graph::NodeIndex;

use super::{caller_steps, framework_finding, origin_matters, reach_at_stake, with_stakes};
use crate::findings::{Finding, Severity};
use crate::frameworks::*;
use crate::model::{Hosting, NodeKind, Provenance, ToolType};
use crate::rules::{Area, CheckContext, RiskKind, Rule};

pub static RULE: Rule = Rule {
    id: "BTZ-SUP-002",
    slug: "unpinned-tool",
    title: "Third-party tool, model or agent framework not pinned",
    area: Area::SupplyChain,
    risk: RiskKind::ToolSupply,
    version: 4,
    default_severity: Severity::Medium,
    summary: "An agent can reach a third-party tool — provenance `vendor_verified` or `unverified`, or an MCP server or plug-in whose provenance is not stated — that is stated not to be pinned to a version or digest (`pinned: false`). An unstated `pinned` or provenance is asked about, and the finding waits on the answer. A model an agent calls (vendor-verified, unverified, or hosted by a third party) and an agent's own framework or build (unless first-party) count when stated `pinned: false`; their unstated `pinned` is asked about only where an agent acts on its own or untrusted content reaches it — for an agent's framework, once its provenance is stated third-party.",
    rationale: "An unpinned tool is fetched or updated from its publisher at run time, so a verified tool can be replaced by a malicious one without any change on your side: a compromised maintainer account, a hijacked package or a deliberate \"rug pull\" that changes a tool's description or behaviour after it was approved. The agent trusts the new version exactly as it trusted the old one. A model called through a moving alias such as `latest`, or an agent framework installed without a lock, changes in the same way: new behaviour, new refusals or a new backdoor behind the same name.",
    remediation: "Pin every third-party tool and MCP server to a reviewed version and verify its digest or signature at load time; update only through review, re-checking its descriptions, actions and requested scopes. Monitor tool manifests for changes and run third-party tools with a secret scoped to the minimum they need. Call models by a dated version, never a moving alias, and install agent frameworks from a lock file with verified hashes.",
    references: &[
        asi("ASI04"),
        threat("T17"),
        llm("LLM03:2025"),
        atlas("AML.T0109"),
        maestro("L3", "Supply Chain Attacks"),
        nist("MANAGE 3.1"),
    ],
    check,
};

/// Where the third-party tool comes from, or `None` for a first-party (or unstated,
/// non-MCP, non-plug-in) tool.
fn third_party(context: &CheckContext, n: NodeIndex) -> Option<&'static str> {
    let tool = context.tool(n)?;
    match (tool.provenance, tool.tool_type) {
        (Some(Provenance::VendorVerified), _) => Some("vendor-verified"),
        (Some(Provenance::Unverified), _) => Some("unverified"),
        (None, Some(ToolType::McpServer)) => Some("MCP server of unstated provenance"),
        (None, Some(ToolType::Plugin)) => Some("plug-in of unstated provenance"),
        _ => None,
    }
}

fn check(context: &CheckContext) -> Vec<Finding> {
    let reach = context.capability_search(&context.agents(), &[]);
    let mut findings = Vec::new();
    for tool in context.nodes_of_kind(NodeKind::Tool) {
        let Some(source) = third_party(context, tool) else {
            continue;
        };
        let Some(properties) = context.tool(tool) else {
            continue;
        };
        if properties.pinned == Some(true) {
            continue;
        }
        let Some(witness) = reach.witness(tool) else {
            continue;
        };
        let pinned = match properties.pinned {
            Some(false) => "`pinned: false`",
            _ => "`pinned` is not stated: asked, read as not pinned until answered",
        };
        let (caller, steps) = caller_steps(context, &witness);
        let mut builder = context.finding(&RULE);
        if properties.pinned.is_none() {
            builder = builder.assumes(context.id(tool), "pinned", "not pinned", true);
        }
        if properties.provenance.is_none() {
            builder = builder.assumes(context.id(tool), "provenance", "third party", true);
        }
        findings.push(
            builder
                .title(format!(
                    "`{}` ({source}) is not pinned and is loaded by `{}`",
                    context.id(tool),
                    context.id(caller)
                ))
                .subjects([context.id(tool)])
                .place(context.id(caller))
                .path(steps, witness.shortest_paths)
                .evidence(pinned)
                .factor(context.impact_factor(&properties.actions))
                .build(),
        );
    }
    // A model behind a moving alias, or an agent framework that updates itself, changes
    // under the agent the same way. A stated `pinned: false` counts; an unstated `pinned` of
    // a third-party model or framework is asked only where an agent acts on its own or reads
    // untrusted content, never reported by itself.
    let reach_at_stake = reach_at_stake(context);
    for model in context.nodes_of_kind(NodeKind::Model) {
        let Some(properties) = context.model_node(model) else {
            continue;
        };
        let source = match (properties.provenance, properties.hosting) {
            (Some(Provenance::VendorVerified), _) => "vendor-verified",
            (Some(Provenance::Unverified), _) => "unverified",
            (None, Some(Hosting::ThirdParty)) => "hosted by a third party",
            _ => continue,
        };
        let search = match properties.pinned {
            Some(false) => &reach,
            None => &reach_at_stake,
            Some(true) => continue,
        };
        let Some(witness) = search.witness(model) else {
            continue;
        };
        let (caller, steps) = caller_steps(context, &witness);
        let mut builder = context.finding(&RULE);
        builder = match properties.pinned {
            None => with_stakes(
                context,
                builder
                    .assumes(context.id(model), "pinned", "not pinned", true)
                    .evidence("`pinned` is not stated: asked, read as not pinned until answered"),
                witness.nodes[0],
            ),
            Some(_) => builder.evidence(
                "`pinned: false`: a moving alias can put another model behind the same name",
            ),
        };
        findings.push(
            builder
                .title(format!(
                    "`{}` ({source}) is not pinned to a version and is called by `{}`",
                    context.id(model),
                    context.id(caller)
                ))
                .subjects([context.id(model)])
                .place(context.id(caller))
                .path(steps, witness.shortest_paths)
                .build(),
        );
    }
    for agent in context.agents() {
        let Some(properties) = context.agent(agent) else {
            continue;
        };
        let mut builder = context.finding(&RULE);
        builder = match (properties.pinned, properties.provenance) {
            (Some(true), _) | (_, Some(Provenance::FirstParty)) => continue,
            (Some(false), provenance) => {
                if provenance.is_none() {
                    builder = builder.assumes(context.id(agent), "provenance", "third party", true);
                }
                builder.evidence("`pinned: false`: the next release of its framework runs with every credential it holds")
            }
            // Of unstated origin, the provenance question comes first: pinning matters only
            // once the framework is known to come from a third party.
            (None, None) => continue,
            (None, Some(_)) if origin_matters(context, agent) => with_stakes(
                context,
                builder
                    .assumes(context.id(agent), "pinned", "not pinned", true)
                    .evidence("`pinned` is not stated: asked, read as not pinned until answered"),
                agent,
            ),
            (None, Some(_)) => continue,
        };
        findings.push(framework_finding(
            context,
            builder,
            agent,
            "a third-party framework or build that is not pinned",
        ));
    }
    findings
}
