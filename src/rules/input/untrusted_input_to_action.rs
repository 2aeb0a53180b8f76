//! Untrusted content can reach an actor that calls a high-impact tool, with nothing on the way
//! that filters the content or decides on the call: goal hijack turned into tool misuse.

use rustc_hash::FxHashMap as HashMap;

use petgraph::Direction::Incoming;
use petgraph::stable_graph::{EdgeIndex, NodeIndex};

use crate::findings::{Finding, Severity};
use crate::frameworks::*;
use crate::graph::{Search, Traversal, WitnessHop};
use crate::model::{Action, Control, NodeKind};
use crate::rules::authorization::{action_list, approved_actions, approvers};
use crate::rules::context::{
    is_capability_edge, is_content_edge_backward, is_content_edge_forward,
    is_stated_untrusted_input, is_untrusted_input,
};
use crate::rules::counted::{Count, LISTED, listed_ids};
use crate::rules::{Area, CheckContext, RiskKind, Rule};

pub static RULE: Rule = Rule {
    id: "BTZ-INP-001",
    slug: "untrusted-input-to-action",
    title: "Untrusted input can reach a high-impact action",
    area: Area::Input,
    risk: RiskKind::UngatedActions,
    version: 2,
    default_severity: Severity::High,
    summary: "Content from an untrusted input can flow into the context of an actor that calls a tool which writes, deletes, executes, sends, pays or administers, with no gateway on the way that filters content, evaluates request-time policy or holds the call for human approval, and no person approving that action on the tool. An input whose trust is not stated is read as untrusted only as a question: the finding waits on its answer. Critical when content from an input stated untrusted can make an agent pay, delete, administer or execute with no policy gate.",
    rationale: "Prompt injection needs no access: an attacker writes an email, a web page, an issue or a document, and the agent that reads it treats the instructions as its own. Whatever tools that agent (or anything it hands work to) can call become the attacker's tools. Model-level guardrails reduce but do not remove this, so the real limit is what sits between untrusted content and consequential actions.",
    remediation: "Filter untrusted content before it enters an agent's context, and put a gateway between the agent and every high-impact tool that evaluates request-time policy against tool, data and workflow context, or holds the call for a person's approval; give agents that read untrusted content only the tools and credential scopes their task needs.",
    references: &[
        asi("ASI01"),
        asi("ASI02"),
        threat("T6"),
        threat("T2"),
        llm("LLM01:2025"),
        atlas("AML.T0051.001"),
        atlas("AML.T0053"),
        maestro("L7", "Agent Goal Manipulation"),
        maestro("L3", "Input Validation Attacks"),
        nist("MEASURE 2.7"),
    ],
    check,
};

/// Where untrusted content can go: along content edges (which include calls, hand-offs and
/// starts), through everything but a gateway that filters content, evaluates request-time
/// policy or holds calls for approval, and anything but a tool that a person approves.
/// `strict`: a gateway of unstated controls stops it too, so that what it finds holds
/// without assuming the gateway does nothing.
fn content_search(context: &CheckContext, sources: &[NodeIndex], strict: bool) -> Search {
    let passes = |n: NodeIndex| !blocks(context, n, strict);
    let traversal = Traversal {
        forward: &is_content_edge_forward,
        backward: &is_content_edge_backward,
        passes: &passes,
    };
    context.graph.search(sources, &traversal)
}

fn blocks(context: &CheckContext, n: NodeIndex, strict: bool) -> bool {
    (strict && context.is_unstated_gateway(n))
        || context.gateway_has(
            n,
            &[
                Control::ContentFilter,
                Control::RequestTimePolicy,
                Control::HumanApproval,
            ],
        )
        || (context.kind(n) != NodeKind::Tool && approvers(context, n).next().is_some())
}

/// The callers of `tool` that untrusted content reaches and passes through (people aside),
/// with the edge each calls over, nearest first.
fn exposed_callers(
    context: &CheckContext,
    search: &Search,
    tool: NodeIndex,
    strict: bool,
) -> Vec<(NodeIndex, EdgeIndex)> {
    let mut callers: Vec<(NodeIndex, EdgeIndex)> = context
        .graph
        .edges(tool, Incoming)
        .iter()
        .copied()
        .filter(|&(e, caller)| {
            is_capability_edge(context.graph.edge(e))
                && context.kind(caller) != NodeKind::Human
                && search.reached(caller)
                && (search.distance(caller) == Some(0) || !blocks(context, caller, strict))
        })
        .map(|(e, caller)| (caller, e))
        .collect();
    callers.sort_by_key(|&(caller, _)| (search.distance(caller), context.id(caller)));
    callers
}

/// The untrusted inputs whose content reaches `caller` (enough to name [`LISTED`] of them
/// and say whether there are more), and whether those are all: the content search walked backwards from it, which explores only
/// what lies upstream of it.
fn inputs_reaching(context: &CheckContext, caller: NodeIndex) -> (Vec<NodeIndex>, bool) {
    let passes = |n: NodeIndex| !blocks(context, n, false);
    let traversal = Traversal {
        forward: &is_content_edge_backward,
        backward: &is_content_edge_forward,
        passes: &passes,
    };
    let is_input = |n: NodeIndex| is_untrusted_input(context.graph, n);
    let search = context
        .graph
        .search_for(&[caller], &traversal, is_input, LISTED + 1);
    let inputs = search.reached_nodes().filter(|&n| is_input(n)).collect();
    (inputs, search.is_complete())
}

fn check(context: &CheckContext) -> Vec<Finding> {
    let inputs: Vec<NodeIndex> = context
        .graph
        .nodes()
        .filter(|&n| is_untrusted_input(context.graph, n))
        .collect();
    if inputs.is_empty() {
        return Vec::new();
    }
    let search = content_search(context, &inputs, false);
    // What holds without reading an input of unstated trust as untrusted, or a gateway of
    // unstated controls as letting everything through.
    let stated_inputs: Vec<NodeIndex> = inputs
        .iter()
        .copied()
        .filter(|&n| is_stated_untrusted_input(context.graph, n))
        .collect();
    let stated = content_search(context, &stated_inputs, true);
    // For the evidence, the inputs behind each caller, searched once per caller.
    let mut upstream: HashMap<NodeIndex, (Vec<NodeIndex>, bool)> = HashMap::default();
    let mut findings = Vec::new();
    for tool in context.nodes_of_kind(NodeKind::Tool) {
        let approved = approved_actions(context, tool);
        let actions: Vec<Action> = context
            .high_impact_actions(tool)
            .into_iter()
            .filter(|a| !approved.contains(a))
            .collect();
        if actions.is_empty() {
            continue;
        }
        let stated_callers = exposed_callers(context, &stated, tool, true);
        let assumed = stated_callers.is_empty();
        let (callers, reach) = if assumed {
            (exposed_callers(context, &search, tool, false), &search)
        } else {
            (stated_callers, &stated)
        };
        // The nearest caller whose content did not come through the tool itself, so that the
        // path never doubles back; the nearest one when every path does.
        // Only a tool nearer the input than the caller can be on the caller's path: the walk
        // is skipped otherwise (down a chain of delegation it is as long as the chain).
        let through_tool = |caller: NodeIndex| {
            reach
                .distance(tool)
                .is_some_and(|d| Some(d) < reach.distance(caller))
                && reach
                    .witness(caller)
                    .is_some_and(|w| w.nodes.contains(&tool))
        };
        let Some(&(caller, edge)) = callers
            .iter()
            .find(|&&(caller, _)| !through_tool(caller))
            .or(callers.first())
        else {
            continue;
        };
        // The ends of a long path are enough when the caller is an agent: it is then both
        // the place and the actor, and nothing after it is left out. Otherwise (and to list
        // every gateway of unstated controls on it) the whole path.
        let ends = (!assumed && context.kind(caller) == NodeKind::Agent)
            .then(|| reach.witness_ends(caller))
            .flatten();
        let Some(mut witness) = ends.or_else(|| reach.witness(caller)) else {
            continue;
        };
        witness.nodes.push(tool);
        witness.hops.push(WitnessHop {
            edge,
            reversed: false,
        });
        let input = witness.nodes[0];
        let place = context.caller(&witness);
        let actor = witness
            .nodes
            .iter()
            .rev()
            .copied()
            .find(|&n| context.kind(n) == NodeKind::Agent);
        let actor_words = format!(" through `{}`", context.id(actor.unwrap_or(caller)));
        let mut builder = context
            .finding(&RULE)
            .title(format!(
                "Untrusted content from `{}` can drive `{}` ({}){actor_words}",
                context.id(input),
                context.id(tool),
                action_list(&actions)
            ))
            .subjects([context.id(tool)])
            .place(context.id(place))
            .path(context.steps(&witness), witness.shortest_paths)
            .factor(context.impact_factor(&actions));
        if let Some(agent) = actor {
            builder = builder.factor(context.autonomy_factor(agent));
        }
        if assumed {
            if !is_stated_untrusted_input(context.graph, input) {
                builder = builder.assumes(context.id(input), "trust", "untrusted", true);
            }
            builder = context.assume_gateways_uncontrolled(builder, &witness.nodes);
        } else if let Some(why) = context.critical_reach(place, tool, &actions, &witness.nodes) {
            builder = builder.critical(why);
        }
        let mut sources: Vec<&str> = Vec::new();
        let mut all_found = true;
        if inputs.len() > 1 {
            // The nearest callers' inputs are enough to name a few and say there are more.
            for &(c, _) in &callers {
                if sources.len() > LISTED {
                    all_found = false;
                    break;
                }
                let (behind, complete) = upstream
                    .entry(c)
                    .or_insert_with(|| inputs_reaching(context, c));
                sources.extend(behind.iter().map(|&i| context.id(i)));
                all_found &= *complete;
                sources.sort();
                sources.dedup();
            }
        }
        if sources.len() > 1 {
            builder = builder.evidence(format!(
                "reached from untrusted inputs {}",
                listed_ids(sources.iter().copied(), Count::of(sources.len(), all_found))
            ));
        }
        if !approved.is_empty() {
            builder = builder.evidence(format!(
                "a person approves {} on `{}`, not {}",
                action_list(&approved),
                context.id(tool),
                action_list(&actions)
            ));
        }
        findings.push(builder.build());
    }
    findings
}
