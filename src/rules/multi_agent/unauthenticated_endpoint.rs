//! A remote endpoint that accepts calls without authenticating the caller: a tool, MCP
//! server, workflow or model in another trust boundary that anyone who reaches it can call.

use petgraph::stable_graph::{EdgeIndex, NodeIndex};

use super::{crosses_trust_boundary, endpoint_word, placed, remote_calls};
use crate::findings::{Finding, Severity};
use crate::frameworks::*;
use crate::graph::Witness;
use crate::model::{DelegationAuth, NodeKind, Relation};
use crate::rules::{Area, CheckContext, RiskKind, Rule};

pub static RULE: Rule = Rule {
    id: "BTZ-MAG-003",
    slug: "unauthenticated-endpoint",
    title: "Remote endpoint accepts unauthenticated calls",
    area: Area::MultiAgent,
    risk: RiskKind::Credential,
    version: 2,
    default_severity: Severity::Medium,
    summary: "A call (`invokes`) to a tool, MCP server, workflow, model or gateway in another trust boundary, or to an MCP server anywhere, states `auth: none`. Calls to agents are BTZ-MAG-001's. An `auth` not stated is asked about, and the finding waits on the answer, only for a call to a tool or workflow in another zone, or to an MCP server in another trust boundary of the same zone, for which the caller holds no credential granting on it (a credential it holds authenticates the call, and is the credential checks' to judge). Raised when the endpoint can pay, administer or delete.",
    rationale: "An endpoint that does not authenticate its callers cannot tell the agent it was built for from anyone else who can reach it: another tenant, a compromised workload in the same network, an attacker who found the address. Every action it offers is then offered to all of them, without the agent, its policy gateway or its approvals on the way, and nothing it logs says who called. Remote MCP servers and agent endpoints are often stood up this way for a demonstration and stay so.",
    remediation: "Require every caller of the endpoint to authenticate with its own workload identity — mutual TLS, or a short-lived token issued per task and checked on every call (OAuth for remote MCP servers) — and refuse anonymous calls. Where the caller holds a standing token instead, the credential checks say how to replace it.",
    references: &[
        asi("ASI07"),
        asi("ASI03"),
        threat("T16"),
        threat("T9"),
        nhi("NHI4:2025"),
        maestro("L7", "Agent Identity Attack"),
        nist("MEASURE 2.7"),
    ],
    check,
};

fn check(context: &CheckContext) -> Vec<Finding> {
    // Agents answer for their own hand-offs (BTZ-MAG-001).
    let calls = remote_calls(context, &[Relation::Invokes], |kind| {
        kind != NodeKind::Agent
    });
    calls
        .filter(|&(caller, edge, callee)| {
            let data = context.graph.edge(edge);
            let stated_none = data.auth == Some(DelegationAuth::None);
            // A credential the caller holds that grants on the callee authenticates the call
            // (and is the credential checks' to judge). Each grant is a binary search.
            let asked = data.auth.is_none()
                && matches!(context.kind(callee), NodeKind::Tool | NodeKind::Workflow)
                && crosses_trust_boundary(context, edge, caller, callee)
                && !credentials_of(context, caller).iter().any(|&credential| {
                    context.graph.has_edge(credential, Relation::Grants, callee)
                });
            stated_none || asked
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
    let actions = context.high_impact_actions(callee);
    let mut builder = context
        .finding(&RULE)
        .title(format!(
            "`{}` calls {endpoint} {} with no authentication",
            context.id(caller),
            placed(context, callee)
        ))
        .subjects([context.id(callee), context.id(caller)])
        .place(context.id(callee))
        .path(context.steps(&call), 1)
        .factor(context.impact_factor(&actions));
    builder = match data.auth {
        Some(_) => builder.evidence(format!(
            "`auth: none`: anyone who reaches `{}` can call it",
            context.id(callee)
        )),
        None => builder
            .evidence(format!(
                "`auth` is not stated, and `{}` holds no credential granting on `{}`",
                context.id(caller),
                context.id(callee)
            ))
            .assumes(data.id.clone(), "auth", "none", true),
    };
    if !actions.is_empty() {
        let words: Vec<&str> = actions.iter().map(|a| a.as_str()).collect();
        builder = builder.evidence(format!("`{}` can {}", context.id(callee), words.join(", ")));
    }
    builder.build()
}

/// The credentials a call by `caller` carries: the secrets it holds, the identities it acts
/// as and the secrets those hold.
fn credentials_of(context: &CheckContext, caller: NodeIndex) -> Vec<NodeIndex> {
    context
        .credential_chains(caller)
        .into_iter()
        .filter_map(|chain| chain.last().map(|&(_, credential)| credential))
        .collect()
}
