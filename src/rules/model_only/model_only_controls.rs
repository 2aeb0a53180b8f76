//! Model guardrails without runtime controls: the only thing between the agent and its
//! high-impact tools is what the model was told, which a prompt injection can undo.

use rustc_hash::FxHashSet as HashSet;

use petgraph::Direction::Incoming;
use petgraph::stable_graph::NodeIndex;

use crate::findings::{Finding, Severity};
use crate::frameworks::*;
use crate::graph::{Search, Traversal};
use crate::model::{Action, Control, Edge, NodeKind, Relation};
use crate::rules::{Area, CheckContext, RiskKind, Rule};

pub static RULE: Rule = Rule {
    id: "BTZ-MDL-001",
    slug: "model-only-controls",
    title: "Model guardrails without runtime controls",
    area: Area::ModelOnly,
    risk: RiskKind::UngatedActions,
    version: 3,
    default_severity: Severity::Medium,
    summary: "An agent uses a model with `guardrails` (invoking it directly or through gateways) and can take a high-impact action (any action but read: a tool's, or a direct write or credential grant on a datastore) by a path with no gateway enforcing `request_time_policy` or `human_approval` and no tool, workflow or agent a human `approves`. Severity rises when untrusted content reaches the agent.",
    rationale: "System-prompt rules, output moderation and safety classifiers live inside the model's reasoning: they shape what the model tends to say, not what the agent is able to do. Jailbreaks and indirect prompt injections routinely talk models past their guardrails, and once that happens nothing outside the model stops the tool call. Teams that count guardrails as their control for tool access have, in effect, none.",
    remediation: "Keep the guardrails, but enforce tool access outside the model: route high-impact calls through a gateway that evaluates request-time policy against tool, data and workflow context (and holds the riskiest for human approval), give the agent its own workload identity and just-in-time credentials scoped to the task, and audit every action.",
    references: &[
        asi("ASI02"),
        llm("LLM06:2025"),
        threat("T2"),
        atlas("AML.T0054"),
        maestro_layer("L1"),
        maestro("L7", "Agent Tool Misuse"),
        nist("GOVERN 3.2"),
    ],
    check,
};

const GOVERNING: &[Control] = &[Control::RequestTimePolicy, Control::HumanApproval];

/// Whether a human approves calls to `n` before they run.
fn is_approved(context: &CheckContext, n: NodeIndex) -> bool {
    context
        .related(n, Relation::Approves, Incoming)
        .any(|(_, from)| context.kind(from) == NodeKind::Human)
}

/// A backward search from the ungated actions with any action `pick` accepts, through every
/// node but governing gateways and approved nodes: an agent it reaches has an ungoverned path
/// to the witness's tool or store, and the reversed witness is that path.
fn ungoverned_paths(context: &CheckContext, pick: fn(Action) -> bool) -> Search {
    let unapproved = |n: NodeIndex| !is_approved(context, n);
    let passes = |n: NodeIndex| !context.gateway_has(n, GOVERNING) && !is_approved(context, n);
    context.search_back_from_actions(pick, &unapproved, &passes)
}

fn is_severe(action: Action) -> bool {
    matches!(action, Action::Payment | Action::Admin | Action::Delete)
}

fn check(context: &CheckContext) -> Vec<Finding> {
    // Paths to payment, admin or delete are shown in preference to other high-impact ones.
    let ungoverned = [
        ungoverned_paths(context, is_severe),
        ungoverned_paths(context, Action::is_high_impact),
    ];
    let invokes = |edge: &Edge| edge.relation == Relation::Invokes;
    let through_gateways = |n: NodeIndex| context.kind(n) == NodeKind::Gateway;
    let mut findings = Vec::new();
    for model in context.nodes_of_kind(NodeKind::Model) {
        let Some(guardrails) = context.model_node(model).map(|m| &m.guardrails) else {
            continue;
        };
        if guardrails.is_empty() {
            continue;
        }
        // The agents that call the model, directly or through gateways.
        let callers = context.graph.search(
            &[model],
            &Traversal::backward(&invokes).through(&through_gateways),
        );
        let mut seen = HashSet::default();
        for agent in callers.reached_nodes() {
            if context.kind(agent) != NodeKind::Agent || !seen.insert(agent) {
                continue;
            }
            if let Some(finding) = finding(context, model, agent, &callers, &ungoverned, guardrails)
            {
                findings.push(finding);
            }
        }
    }
    findings
}

fn finding(
    context: &CheckContext,
    model: NodeIndex,
    agent: NodeIndex,
    callers: &Search,
    ungoverned: &[Search; 2],
    guardrails: &[String],
) -> Option<Finding> {
    let to_tool = context.reversed(&ungoverned.iter().find_map(|search| search.witness(agent))?);
    let to_model = context.reversed(&callers.witness(agent)?);
    let tool = *to_tool.nodes.last()?;
    let caller = context.caller(&to_tool);
    // From the model through the agent to the tool, unless both ways share a gateway: a
    // path never doubles back through a node.
    let shares = to_model
        .nodes
        .iter()
        .any(|&n| n != agent && to_tool.nodes.contains(&n));
    let path = if shares {
        context.steps(&to_tool)
    } else {
        context.joined_steps(&to_model, &to_tool)
    };
    let words: Vec<&str> = context
        .actions_taken(&to_tool)
        .iter()
        .map(|a| a.as_str())
        .collect();
    let mut builder = context
        .finding(&RULE)
        .title(format!(
            "`{}` relies on `{}`'s guardrails but reaches `{}` ({}) with no request-time policy or approval",
            context.id(agent),
            context.id(model),
            context.id(tool),
            words.join(", ")
        ))
        .subjects([context.id(agent), context.id(model)])
        .place(context.id(caller))
        .path(path, to_tool.shortest_paths)
        .evidence(format!("guardrails: {}", guardrails.join(", ")));
    builder = context.with_exposure(builder, agent);
    // A gateway of unstated controls on the way may enforce policy: the finding waits on it.
    builder = context.assume_gateways_uncontrolled(builder, &to_tool.nodes);
    let gateways: Vec<String> = to_tool
        .nodes
        .iter()
        .filter(|&&n| context.kind(n) == NodeKind::Gateway)
        .map(|&n| format!("`{}`", context.id(n)))
        .collect();
    if !gateways.is_empty() {
        let verb = if gateways.len() == 1 {
            "enforces"
        } else {
            "enforce"
        };
        builder = builder.evidence(format!(
            "{} on the path {verb} neither request-time policy nor human approval",
            gateways.join(", ")
        ));
    }
    Some(builder.build())
}
