//! An autonomous agent with no task budget that can call a high-impact tool with no rate limit
//! between: nothing stops a loop that calls it again and again.

use petgraph::stable_graph::NodeIndex;

use crate::findings::{Finding, Severity};
use crate::frameworks::*;
use crate::graph::{Search, Traversal};
use crate::model::{Autonomy, Control, NodeKind};
use crate::rules::authorization::action_list;
use crate::rules::context::is_capability_edge;
use crate::rules::{Area, CheckContext, RiskKind, Rule};

pub static RULE: Rule = Rule {
    id: "BTZ-RES-003",
    slug: "unbounded-agent-loop",
    title: "Autonomous agent can loop on a high-impact tool with no budget",
    area: Area::Resilience,
    risk: RiskKind::UngatedActions,
    version: 2,
    default_severity: Severity::Medium,
    summary: "An agent stated `autonomy: autonomous` and `budget: false` can call a high-impact tool (any action but read) — itself, or through gateways and workflows — past no gateway with `rate_limit`. An agent whose budget or autonomy is unstated is a question, never a finding by itself. Severity rises when the tool can pay, administer or delete, and when untrusted content reaches the agent.",
    rationale: "An agent acting on its own decides when it is done. A misread result, a tool error it keeps retrying, two agents answering each other, or an instruction planted to keep it busy turns into the same write, message or payment repeated thousands of times: nothing in the task stops it, and no person is watching each step. Per-task limits on steps, calls and spend are what turn a runaway loop into one failed task.",
    remediation: "Give the agent a hard per-task limit on steps, tool calls and spend that stops the task when reached, and put its high-impact calls behind a gateway that limits their rate and trips a circuit breaker on repeated identical calls; alert on tasks that hit the limit.",
    references: &[
        threat("T4"),
        llm("LLM10:2025"),
        asi("ASI08"),
        atlas("AML.T0034.002"),
        maestro_cross_layer("Goal Misalignment Cascades"),
        maestro("L4", "Resource Hijacking"),
        nist("MANAGE 2.4"),
    ],
    check,
};

/// The callers of high-impact tools, walked back from the tools through gateways that do not
/// limit rate (and, when `stated`, are not of unstated controls) and workflows, to the agents
/// that call them. The nearest tool is each agent's origin.
fn callers_search(context: &CheckContext, tools: &[NodeIndex], stated: bool) -> Search {
    let passes = |n: NodeIndex| match context.kind(n) {
        NodeKind::Gateway => {
            let may_limit = context.gateway_has(n, &[Control::RateLimit])
                || (stated && context.is_unstated_gateway(n));
            !may_limit
        }
        NodeKind::Workflow => true,
        _ => false,
    };
    context.graph.search(
        tools,
        &Traversal::backward(&is_capability_edge).through(&passes),
    )
}

fn check(context: &CheckContext) -> Vec<Finding> {
    let tools: Vec<NodeIndex> = context
        .nodes_of_kind(NodeKind::Tool)
        .into_iter()
        .filter(|&n| context.is_high_impact_tool(n))
        .collect();
    if tools.is_empty() {
        return Vec::new();
    }
    let stated = callers_search(context, &tools, true);
    let assumed = callers_search(context, &tools, false);
    let mut findings = Vec::new();
    for agent in context.agents() {
        let Some(properties) = context.agent(agent) else {
            continue;
        };
        // An agent whose autonomy is unstated may act on its own: the finding then waits on
        // that answer, as on an unstated budget.
        let autonomy_unstated = match properties.autonomy {
            Some(Autonomy::Autonomous) => false,
            None => true,
            Some(_) => continue,
        };
        if properties.budget == Some(true) {
            continue;
        }
        let (search, through_unstated) = if stated.reached(agent) {
            (&stated, false)
        } else {
            (&assumed, true)
        };
        let Some(backwards) = search.witness(agent) else {
            continue;
        };
        let witness = context.reversed(&backwards);
        let tool = backwards.nodes[0];
        let actions = context.high_impact_actions(tool);
        let mut builder = context
            .finding(&RULE)
            .title(format!(
                "`{}` can call `{}` ({}) in a loop with nothing to stop it",
                context.id(agent),
                context.id(tool),
                action_list(&actions)
            ))
            .subjects([context.id(agent)])
            .place(context.id(agent))
            .path(context.steps(&witness), witness.shortest_paths)
            .evidence(format!(
                "`{}` acts on its own, and no gateway on the path limits its rate",
                context.id(agent)
            ))
            .factor(context.impact_factor(&actions));
        if autonomy_unstated {
            builder = builder.assumes(context.id(agent), "autonomy", "autonomous", true);
        }
        builder = match properties.budget {
            None => builder.assumes(context.id(agent), "budget", "none", true),
            Some(_) => builder.evidence(format!("`{}` has no task budget", context.id(agent))),
        };
        if through_unstated {
            builder = context.assume_gateways_uncontrolled(builder, &witness.nodes);
        }
        builder = context.with_exposure(builder, agent);
        findings.push(builder.build());
    }
    findings
}
