//! Cascading fan-out: one agent can drive many high-impact tools with nothing limiting how
//! often or how much, so one bad plan or one hijacked loop hits them all at machine speed.

use petgraph::stable_graph::NodeIndex;

use crate::findings::{Finding, Severity};
use crate::frameworks::*;
use crate::graph::Search;
use crate::model::{Action, Control};
use crate::rules::counted::{COUNTED, Count, LISTED, listed};
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
    // One search per agent: the count is per agent. Each stops once it has found
    // `COUNTED` tools, so an agent behind a shared gateway to thousands of tools costs what
    // its finding says, not every tool behind the gateway.
    for agent in context.agents() {
        // The fan-out that holds without reading a gateway of unstated controls as
        // limiting nothing; failing that, the one that does, which waits on its answer.
        let stated = fan_out(context, agent, true);
        let assumed = stated.tools.len() < THRESHOLD;
        let FanOut { reach, mut tools } = if assumed {
            fan_out(context, agent, false)
        } else {
            stated
        };
        if tools.len() < THRESHOLD {
            continue;
        }
        let count = Count::of(tools.len(), reach.is_complete());
        tools.sort_by_key(|&n| (reach.distance(n), context.id(n)));
        let Some(witness) = reach.witness(tools[0]) else {
            continue;
        };
        let mut actions: Vec<Action> = tools
            .iter()
            .flat_map(|&tool| context.high_impact_actions(tool))
            .collect();
        actions.sort();
        actions.dedup();
        let words: Vec<&str> = actions.iter().map(|a| a.as_str()).collect();
        let listed_tools: Vec<String> = tools
            .iter()
            .take(LISTED)
            .map(|&tool| {
                let high_impact = context.high_impact_actions(tool);
                let words: Vec<&str> = high_impact.iter().map(|a| a.as_str()).collect();
                format!("`{}` ({})", context.id(tool), words.join(", "))
            })
            .collect();
        let mut builder = context
            .finding(&RULE)
            .title(format!(
                "`{}` can drive {count} high-impact tools with no rate limit",
                context.id(agent),
            ))
            .subjects([context.id(agent)])
            .place(context.id(agent))
            .path(context.steps(&witness), witness.shortest_paths)
            .evidence(format!("unlimited: {}", listed(listed_tools, count)))
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

struct FanOut {
    reach: Search,
    /// The high-impact tools reached, in the order reached.
    tools: Vec<NodeIndex>,
}

/// The high-impact tools `agent` can drive past no rate limit, up to [`COUNTED`] of them.
/// `stated`: a gateway of unstated controls stops the walk too.
fn fan_out(context: &CheckContext, agent: NodeIndex, stated: bool) -> FanOut {
    let is_tool = |n: NodeIndex| context.is_high_impact_tool(n);
    let reach =
        context.capability_search_for(&[agent], &[Control::RateLimit], stated, is_tool, COUNTED);
    let tools = reach.reached_nodes().filter(|&n| is_tool(n)).collect();
    FanOut { reach, tools }
}
