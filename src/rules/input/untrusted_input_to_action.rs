//! Untrusted content can reach an actor that calls a high-impact tool, with nothing on the way
//! that filters the content or decides on the call: goal hijack turned into tool misuse.

use rustc_hash::FxHashMap as HashMap;

use petgraph::Direction::Incoming;
use petgraph::stable_graph::{EdgeIndex, NodeIndex};

use crate::findings::{Finding, Severity};
use crate::frameworks::*;
use crate::graph::{Search, Traversal, WitnessHop};
use crate::model::{Action, Control, NodeKind, Relation};
use crate::rules::authorization::{action_list, approved_actions, approvers};
use crate::rules::context::{
    is_actor, is_capability_edge, is_content_edge_backward, is_content_edge_forward,
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
    version: 3,
    default_severity: Severity::High,
    summary: "Content from an untrusted input can flow into the context of an actor that takes a high-impact action, with no gateway on the way that evaluates request-time policy or holds the call for human approval, and no person approving that action on the tool. An action is a call to a tool which writes, deletes, executes, sends, pays or administers, and also a direct write to a datastore or a high-impact grant on one from a secret the actor holds or an identity it acts as. A content filter on the way does not close the finding: it lowers it (never critical through a filter). An input whose trust is not stated is read as untrusted only as a question: the finding waits on its answer. Critical when content from an input stated untrusted can make an agent pay, delete, administer or execute with no policy gate and no content filter.",
    rationale: "Prompt injection needs no access: an attacker writes an email, a web page, an issue or a document, and the agent that reads it treats the instructions as its own. Whatever that agent (or anything it hands work to) can do becomes the attacker's to do: the tools it calls, and the stores it writes or its credentials can change. Model-level guardrails and content filters reduce this but do not remove it, since an injection is ordinary language and a new wording passes a filter tuned on the old ones, so the real limit is what sits between untrusted content and consequential actions.",
    remediation: "Put a gateway between the agent and every high-impact action that evaluates request-time policy against tool, data and workflow context, or holds the call for a person's approval; route direct writes to stores through it too, and give agents that read untrusted content only the tools and credential scopes their task needs. Filtering untrusted content before it enters an agent's context helps, as a layer in front of the gate, not instead of it.",
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
/// starts), through everything but a gateway that evaluates request-time policy or holds
/// calls for approval, and anything but a tool that a person approves. A content filter does
/// not stop it: it lowers the finding (see [`CheckContext::content_filter_factor`]).
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
        || context.gateway_has(n, &[Control::RequestTimePolicy, Control::HumanApproval])
        || (context.kind(n) != NodeKind::Tool && approvers(context, n).next().is_some())
}

/// One way an actor acts on a target: calling a tool, writing a store, or using a credential
/// it holds (or an identity it acts as) that grants high-impact permissions on a store.
struct Act {
    actor: NodeIndex,
    /// The credential between the actor and the store, when the act goes through one.
    credential: Option<NodeIndex>,
    hops: Vec<WitnessHop>,
    actions: Vec<Action>,
}

fn forward(edge: EdgeIndex) -> WitnessHop {
    WitnessHop {
        edge,
        reversed: false,
    }
}

/// Whether untrusted content reaches `actor` and passes through it (people aside).
fn is_exposed_actor(
    context: &CheckContext,
    search: &Search,
    actor: NodeIndex,
    strict: bool,
) -> bool {
    context.kind(actor) != NodeKind::Human
        && search.reached(actor)
        && (search.distance(actor) == Some(0) || !blocks(context, actor, strict))
}

/// The acts on `target` by actors untrusted content reaches and passes through, nearest first:
/// the calls into a tool (taking `tool_actions`), and on a store the writes and the grants of
/// the credentials those actors hold. `holders` keeps, per credential, its nearest exposed
/// holder, so that a credential with many holders and many grants is looked at once.
fn exposed_acts(
    context: &CheckContext,
    search: &Search,
    target: NodeIndex,
    strict: bool,
    tool_actions: &[Action],
    holders: &mut HashMap<NodeIndex, Option<(NodeIndex, EdgeIndex)>>,
) -> Vec<Act> {
    let mut acts: Vec<Act> = Vec::new();
    for &(e, from) in context.graph.edges(target, Incoming) {
        let edge = context.graph.edge(e);
        if context.kind(target) == NodeKind::Tool {
            if is_capability_edge(edge) && is_exposed_actor(context, search, from, strict) {
                acts.push(Act {
                    actor: from,
                    credential: None,
                    hops: vec![forward(e)],
                    actions: tool_actions.to_vec(),
                });
            }
            continue;
        }
        if !context.is_direct_action_edge(edge) {
            continue;
        }
        let actions = context.direct_actions(edge);
        if edge.relation == Relation::Writes {
            if is_exposed_actor(context, search, from, strict) {
                acts.push(Act {
                    actor: from,
                    credential: None,
                    hops: vec![forward(e)],
                    actions,
                });
            }
            continue;
        }
        let holder = *holders.entry(from).or_insert_with(|| {
            context
                .graph
                .edges(from, Incoming)
                .iter()
                .copied()
                .filter(|&(h, actor)| {
                    matches!(
                        context.graph.edge(h).relation,
                        Relation::Holds | Relation::ActsAs
                    ) && is_actor(context.kind(actor))
                        && is_exposed_actor(context, search, actor, strict)
                })
                .min_by_key(|&(_, actor)| (search.distance(actor), context.id(actor)))
                .map(|(h, actor)| (actor, h))
        });
        if let Some((actor, holds)) = holder {
            acts.push(Act {
                actor,
                credential: Some(from),
                hops: vec![forward(holds), forward(e)],
                actions,
            });
        }
    }
    acts.sort_by_key(|act| (search.distance(act.actor), context.id(act.actor)));
    acts
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
    // Per credential, its nearest holder that untrusted content reaches, for each search.
    let mut stated_holders = HashMap::default();
    let mut holders = HashMap::default();
    for target in context.graph.nodes() {
        let is_tool = context.kind(target) == NodeKind::Tool;
        if !is_tool && !context.is_acted_on_store(target) {
            continue;
        }
        let approved = approved_actions(context, target);
        let tool_actions: Vec<Action> = context
            .high_impact_actions(target)
            .into_iter()
            .filter(|a| !approved.contains(a))
            .collect();
        if is_tool && tool_actions.is_empty() {
            continue;
        }
        let stated_acts = exposed_acts(
            context,
            &stated,
            target,
            true,
            &tool_actions,
            &mut stated_holders,
        );
        let assumed = stated_acts.is_empty();
        let (acts, reach) = if assumed {
            (
                exposed_acts(context, &search, target, false, &tool_actions, &mut holders),
                &search,
            )
        } else {
            (stated_acts, &stated)
        };
        // In the order the model states them: a tool's as listed, then each act's.
        let mut actions: Vec<Action> = Vec::new();
        for &action in acts.iter().flat_map(|act| &act.actions) {
            if !actions.contains(&action) {
                actions.push(action);
            }
        }
        // The nearest actor whose content did not come through the target itself, so that the
        // path never doubles back; the nearest one when every path does.
        // Only a target nearer the input than the actor can be on the actor's path: the walk
        // is skipped otherwise (down a chain of delegation it is as long as the chain).
        let through_target = |actor: NodeIndex| {
            reach
                .distance(target)
                .is_some_and(|d| Some(d) < reach.distance(actor))
                && reach
                    .witness(actor)
                    .is_some_and(|w| w.nodes.contains(&target))
        };
        let Some(act) = acts
            .iter()
            .find(|act| !through_target(act.actor))
            .or(acts.first())
        else {
            continue;
        };
        let caller = act.actor;
        // The ends of a long path are enough when the caller is an agent: it is then both
        // the place and the actor, and nothing after it is left out. Otherwise (and to list
        // every gateway of unstated controls on it) the whole path.
        let ends = (!assumed && context.kind(caller) == NodeKind::Agent)
            .then(|| reach.witness_ends(caller))
            .flatten();
        let Some(mut witness) = ends.or_else(|| reach.witness(caller)) else {
            continue;
        };
        witness.nodes.extend(act.credential);
        witness.nodes.push(target);
        witness.hops.extend(act.hops.iter().copied());
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
                context.id(target),
                action_list(&actions)
            ))
            .subjects([context.id(target)])
            .place(context.id(place))
            .path(context.steps(&witness), witness.shortest_paths)
            .factor(context.impact_factor(&actions));
        if let Some(agent) = actor {
            builder = builder.factor(context.autonomy_factor(agent));
        }
        builder = builder.factor(context.content_filter_factor(caller));
        if assumed {
            if !is_stated_untrusted_input(context.graph, input) {
                builder = builder.assumes(context.id(input), "trust", "untrusted", true);
            }
            builder = context.assume_gateways_uncontrolled(builder, &witness.nodes);
        } else if let Some(why) = context.critical_reach(place, target, &actions, &witness.nodes) {
            builder = builder.critical(why);
        }
        let mut sources: Vec<&str> = Vec::new();
        let mut all_found = true;
        if inputs.len() > 1 {
            // The nearest callers' inputs are enough to name a few and say there are more.
            for c in acts.iter().map(|act| act.actor) {
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
                context.id(target),
                action_list(&actions)
            ));
        }
        findings.push(builder.build());
    }
    findings
}
