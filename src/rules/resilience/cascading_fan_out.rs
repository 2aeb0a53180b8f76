//! Cascading fan-out: one agent can drive many high-impact tools with nothing limiting how
//! often or how much, so one bad plan or one hijacked loop hits them all at machine speed.

use petgraph::stable_graph::NodeIndex;

use crate::findings::{Finding, Severity};
use crate::frameworks::*;
use crate::graph::Search;
use crate::model::{Action, Control};
use crate::rules::{Area, CheckContext, RiskKind, Rule};

pub static RULE: Rule = Rule {
    id: "BTZ-RES-001",
    slug: "cascading-fan-out",
    title: "Agent fans out to many high-impact tools without a rate limit",
    area: Area::Resilience,
    risk: RiskKind::UngatedActions,
    version: 2,
    default_severity: Severity::Medium,
    summary: "An agent reaches four or more high-impact tools (any action but read) by paths — its own calls, or through the agents, workflows and tools it drives — that pass no gateway with `rate_limit`. Severity rises for an autonomous agent and falls for one that only suggests.",
    rationale: "An agent acts at machine speed and in loops: a hallucinated plan, a prompt injection or a retry storm turns into thousands of writes, messages or payments across every system it can reach before anyone notices, and each downstream system's failure feeds the next. The wider an agent's fan-out, the larger the blast radius of one mistake and the harder it is to stop.",
    remediation: "Put the agent's high-impact tool calls behind a gateway that enforces rate and volume limits per agent, per task and per tool, with budgets and a circuit breaker that halts the agent when limits trip. Give the agent only the tools its task needs, and keep a way to disengage it quickly.",
    references: &[
        asi("ASI08"),
        threat("T4"),
        llm("LLM10:2025"),
        atlas("AML.T0034.002"),
        maestro_cross_layer("Goal Misalignment Cascades"),
        maestro_layer("L4"),
        nist("MANAGE 2.4"),
    ],
    check,
};

const THRESHOLD: usize = 4;

fn check(context: &CheckContext) -> Vec<Finding> {
    let mut findings = Vec::new();
    // One search per agent: the count is per agent. Each explores only what that agent can
    // drive, which is local in practice (sparse search).
    for agent in context.agents() {
        // The fan-out that holds without reading a gateway of unstated controls as
        // limiting nothing; failing that, the one that does, which waits on its answer.
        let stated = context.capability_search_stated(&[agent], &[Control::RateLimit]);
        let assumed = high_impact_reached(context, &stated).len() < THRESHOLD;
        let reach = if assumed {
            context.capability_search(&[agent], &[Control::RateLimit])
        } else {
            stated
        };
        let mut tools = high_impact_reached(context, &reach);
        if tools.len() < THRESHOLD {
            continue;
        }
        tools.sort_by_key(|&n| (reach.distance(n), context.id(n)));
        let Some(witness) = reach.witness(tools[0]) else {
            continue;
        };
        let mut actions: Vec<Action> = Vec::new();
        let listed: Vec<String> = tools
            .iter()
            .map(|&tool| {
                let high_impact = context.high_impact_actions(tool);
                let words: Vec<&str> = high_impact.iter().map(|a| a.as_str()).collect();
                actions.extend(high_impact.iter().copied());
                format!("`{}` ({})", context.id(tool), words.join(", "))
            })
            .collect();
        actions.sort();
        actions.dedup();
        let words: Vec<&str> = actions.iter().map(|a| a.as_str()).collect();
        let mut builder = context
            .finding(&RULE)
            .title(format!(
                "`{}` can drive {} high-impact tools with no rate limit",
                context.id(agent),
                tools.len()
            ))
            .subjects([context.id(agent)])
            .place(context.id(agent))
            .path(context.steps(&witness), witness.shortest_paths)
            .evidence(format!("unlimited: {}", listed.join(", ")))
            .evidence(format!("actions in reach: {}", words.join(", ")))
            .factor(context.autonomy_factor(agent));
        if assumed {
            let passed: Vec<NodeIndex> = reach.reached_nodes().collect();
            builder = context.assume_gateways_uncontrolled(builder, &passed);
        }
        findings.push(builder.build());
    }
    findings
}

fn high_impact_reached(context: &CheckContext, reach: &Search) -> Vec<NodeIndex> {
    reach
        .reached_nodes()
        .filter(|&n| context.is_high_impact_tool(n))
        .collect()
}
