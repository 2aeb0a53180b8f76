//! A caller that does not verify whom it calls: a remote agent, MCP server, tool or model whose
//! identity the agent takes on trust, so an impersonator can stand in for it.

use petgraph::stable_graph::{EdgeIndex, NodeIndex};

use super::{
    common_identity, crosses_trust_boundary, endpoint_word, is_mcp_server, placed, remote_calls,
};
use crate::findings::{Finding, Severity};
use crate::frameworks::*;
use crate::graph::Witness;
use crate::model::{NodeKind, Relation};
use crate::rules::{Area, CheckContext, RiskKind, Rule};

pub static RULE: Rule = Rule {
    id: "BTZ-MAG-004",
    slug: "unverified-endpoint",
    title: "Caller does not verify the remote endpoint it calls",
    area: Area::MultiAgent,
    risk: RiskKind::Credential,
    version: 2,
    default_severity: Severity::Medium,
    summary: "An agent or workflow invokes or delegates to an agent, tool, MCP server or model in another trust boundary, or to an MCP server anywhere, over an edge stated `verified: false`: it does not check the callee's identity (a CA-verified or pinned certificate, a signed agent card or server manifest). A `verified` not stated is asked about, and the finding waits on the answer, only for a call or hand-off to an agent or MCP server in another trust boundary: another zone, or another boundary of the same zone (a department nested in the enterprise). Raised when the caller acts autonomously.",
    rationale: "A caller that takes the endpoint's identity on trust talks to whoever answers at that address or under that name: a rogue MCP server registered with a familiar name, a spoofed agent card, a poisoned registry entry, a man in the middle. The impersonator receives every task and argument the agent sends, data included, and its answers enter the agent's context as trusted tool results and peer messages, where they steer the agent's next actions. Authenticating the caller (BTZ-MAG-001, BTZ-MAG-003) does not help: the check runs in the other direction.",
    remediation: "Verify every remote endpoint before sending it anything: pin or CA-verify its certificate, accept only agent cards and server manifests signed by a publisher on an allowlist, and resolve agents and MCP servers only from a registry the organisation controls. Treat what an endpoint returns as untrusted content until it is verified.",
    references: &[
        asi("ASI07"),
        asi("ASI04"),
        threat("T9"),
        threat("T16"),
        threat("T12"),
        atlas("AML.T0110"),
        maestro("L7", "Agent Impersonation"),
        maestro("L7", "Malicious Agent Discovery"),
        nist("MANAGE 3.1"),
    ],
    check,
};

fn check(context: &CheckContext) -> Vec<Finding> {
    let calls = remote_calls(context, &[Relation::Invokes, Relation::Delegates], |kind| {
        matches!(kind, NodeKind::Agent | NodeKind::Tool | NodeKind::Model)
    });
    calls
        .filter(|&(caller, edge, callee)| {
            if !matches!(context.kind(caller), NodeKind::Agent | NodeKind::Workflow) {
                return false;
            }
            let verified = context.graph.edge(edge).verified;
            // Impersonation is the known attack on agents and MCP servers; a plain API or a
            // model endpoint is asked about only when the model says it is not verified.
            let asked = verified.is_none()
                && (context.kind(callee) == NodeKind::Agent || is_mcp_server(context, callee))
                && crosses_trust_boundary(context, edge, caller, callee);
            verified == Some(false) || asked
        })
        .map(|(caller, edge, callee)| finding(context, caller, callee, edge))
        .collect()
}

fn finding(
    context: &CheckContext,
    caller: NodeIndex,
    callee: NodeIndex,
    edge: EdgeIndex,
) -> Finding {
    let data = context.graph.edge(edge);
    let call = Witness::one_hop(caller, edge, callee);
    let endpoint = endpoint_word(context, callee);
    let verb = match data.relation {
        Relation::Delegates => "hands tasks to",
        _ => "calls",
    };
    // A hand-off between agents is the same channel BTZ-MAG-001 judges: the same place, so
    // that both directions of its authentication are one risk.
    let place = if context.kind(callee) == NodeKind::Agent {
        common_identity(context, &[caller, callee]).unwrap_or(callee)
    } else {
        callee
    };
    let mut builder = context
        .finding(&RULE)
        .title(format!(
            "`{}` {verb} {endpoint} {} without verifying its identity",
            context.id(caller),
            placed(context, callee)
        ))
        .subjects([context.id(callee), context.id(caller)])
        .place(context.id(place))
        .path(context.steps(&call), 1)
        .evidence(format!(
            "whoever answers as `{}` receives what `{}` sends and feeds its answers back",
            context.id(callee),
            context.id(caller)
        ));
    builder = match data.verified {
        Some(_) => builder.evidence("`verified: false`"),
        None => builder
            .evidence("`verified` is not stated: asked, read as unverified until answered")
            .assumes(data.id.clone(), "verified", "false", true),
    };
    if context.kind(caller) == NodeKind::Agent {
        builder = builder.factor(context.autonomy_factor(caller));
    }
    builder.build()
}
