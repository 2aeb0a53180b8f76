//! Unauthenticated delegation between agents: whoever can reach the receiving agent can hand
//! it a task in another agent's name.

use rustc_hash::FxHashSet as HashSet;

use petgraph::Direction::Outgoing;
use petgraph::stable_graph::{EdgeIndex, NodeIndex};

use crate::findings::{Finding, Severity};
use crate::frameworks::*;
use crate::graph::{Search, Witness};
use crate::model::{Action, DelegationAuth, NodeKind, Relation};
use crate::rules::{Area, CheckContext, RiskKind, Rule};

pub static RULE: Rule = Rule {
    id: "BTZ-MAG-001",
    slug: "unauthenticated-delegation",
    title: "Unauthenticated delegation between agents",
    area: Area::MultiAgent,
    risk: RiskKind::Credential,
    version: 3,
    default_severity: Severity::High,
    summary: "An agent delegates to, or invokes, another agent over an edge whose `auth` is `none`; an `auth` not stated is asked about, and the finding waits on the answer. Raised when the receiving agent can go on to pay, administer or delete, through a tool or directly on a datastore.",
    rationale: "An agent that accepts tasks without authenticating the sender cannot tell its orchestrator from an attacker, a compromised peer or an injected message replayed onto the channel: anyone who can reach it can make it act, with its identity and its tools. Spoofed and poisoned inter-agent messages are how one compromised or impersonated agent takes over a whole multi-agent system.",
    remediation: "Authenticate every hand-off between agents with each agent's own workload identity — mutual TLS or signed messages that bind the sender, the task and its scope — and have the receiving agent check them against request-time policy before acting. Log every delegation with both identities so that actions stay attributable.",
    references: &[
        asi("ASI07"),
        threat("T12"),
        threat("T16"),
        threat("T9"),
        maestro("L7", "Agent Impersonation"),
        nist("MEASURE 2.7"),
    ],
    check,
};

fn is_severe(action: Action) -> bool {
    matches!(action, Action::Payment | Action::Admin | Action::Delete)
}

/// Searches back from the actions (tool calls and direct actions on datastores) that take any
/// action `pick` accepts: each reached node's witness, reversed, is its shortest path to one.
fn towards_actions(context: &CheckContext, pick: fn(Action) -> bool) -> Search {
    context.search_back_from_actions(pick, &|_| true, &|_| true)
}

fn check(context: &CheckContext) -> Vec<Finding> {
    let severe = towards_actions(context, is_severe);
    let high_impact = towards_actions(context, Action::is_high_impact);
    let mut findings = Vec::new();
    for from in context.agents() {
        let mut reported: HashSet<NodeIndex> = HashSet::default();
        for &(edge, to) in context.graph.edges(from, Outgoing) {
            let data = context.graph.edge(edge);
            if !matches!(data.relation, Relation::Delegates | Relation::Invokes)
                || context.kind(to) != NodeKind::Agent
                || to == from
                || !matches!(data.auth, None | Some(DelegationAuth::None))
                || !reported.insert(to)
            {
                continue;
            }
            findings.push(finding(context, from, to, edge, &severe, &high_impact));
        }
    }
    findings
}

fn finding(
    context: &CheckContext,
    from: NodeIndex,
    to: NodeIndex,
    edge: EdgeIndex,
    severe: &Search,
    high_impact: &Search,
) -> Finding {
    let data = context.graph.edge(edge);
    let verb = match data.relation {
        Relation::Delegates => "delegates to",
        _ => "invokes",
    };
    let hand_off = Witness::one_hop(from, edge, to);
    let mut steps = context.steps(&hand_off);
    let mut shortest_paths = 1;
    let onward = severe.witness(to).or_else(|| high_impact.witness(to));
    let mut builder = context
        .finding(&RULE)
        .title(format!(
            "`{}` {verb} agent `{}` with no authentication",
            context.id(from),
            context.id(to)
        ))
        .subjects([context.id(from), context.id(to)])
        .place(context.id(super::common_identity(context, &[from, to]).unwrap_or(to)))
        .evidence(match data.auth {
            Some(_) => "`auth: none`",
            None => "`auth` is not stated: asked, read as none until answered",
        });
    if data.auth.is_none() {
        builder = builder.assumes(data.id.clone(), "auth", "none", true);
    }
    if let Some(onward) = onward {
        let onward = context.reversed(&onward);
        let tool = *onward.nodes.last().expect("a witness has a node");
        let actions = context.actions_taken(&onward);
        let words: Vec<&str> = actions.iter().map(|a| a.as_str()).collect();
        builder = builder
            .evidence(format!(
                "`{}` can go on to reach `{}` ({})",
                context.id(to),
                context.id(tool),
                words.join(", ")
            ))
            .factor(context.impact_factor(&actions));
        steps.extend(context.steps(&onward).into_iter().skip(1));
        shortest_paths = onward.shortest_paths;
    }
    builder.path(steps, shortest_paths).build()
}
