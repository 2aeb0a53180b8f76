pub mod unpinned_tool;
pub mod unverified_tool;

use petgraph::stable_graph::NodeIndex;

use crate::findings::{Finding, Step};
use crate::graph::{Search, Witness};
use crate::model::{Autonomy, NodeKind};
use crate::rules::{CheckContext, FindingBuilder};

/// The agent that loads the tool — the last agent on the walk from an agent to it — and the
/// walk from that agent on: the agents before it only ask it to act.
pub fn caller_steps(context: &CheckContext, witness: &Witness) -> (NodeIndex, Vec<Step>) {
    let at = witness
        .nodes
        .iter()
        .rposition(|&n| context.kind(n) == NodeKind::Agent)
        .unwrap_or(0);
    let mut steps = context.steps(witness);
    steps.drain(..at);
    if let Some(first) = steps.first_mut() {
        first.hop = None;
    }
    (witness.nodes[at], steps)
}

/// Whether it matters where the code that runs or plans `agent` comes from: the agent acts on
/// its own, or untrusted content reaches it (a backdoor needs a trigger or no one watching).
/// Elsewhere an unstated provenance or pinning is not asked about.
pub fn origin_matters(context: &CheckContext, agent: NodeIndex) -> bool {
    context
        .agent(agent)
        .is_some_and(|a| a.autonomy == Some(Autonomy::Autonomous))
        || context.is_exposed(agent)
}

/// What the agents whose origin matters ([`origin_matters`]) can call: the models and tools
/// whose unstated provenance or pinning is worth asking about.
pub fn reach_at_stake(context: &CheckContext) -> Search {
    let agents: Vec<NodeIndex> = context
        .agents()
        .into_iter()
        .filter(|&agent| origin_matters(context, agent))
        .collect();
    context.capability_search(&agents, &[])
}

/// Why the origin of what runs or plans `agent` matters, as factors: its autonomy, and the
/// untrusted content that reaches it (assumed untrusted when the input's trust is unstated).
pub fn with_stakes(
    context: &CheckContext,
    builder: FindingBuilder,
    agent: NodeIndex,
) -> FindingBuilder {
    context.with_exposure(builder.factor(context.autonomy_factor(agent)), agent)
}

/// The finding about what `agent` itself runs on, `runs_on` in its title ("an unverified
/// framework or build"): at the agent, about the agent, with the agent alone as its path.
pub fn framework_finding(
    context: &CheckContext,
    builder: FindingBuilder,
    agent: NodeIndex,
    runs_on: &str,
) -> Finding {
    builder
        .title(format!("`{}` runs on {runs_on}", context.id(agent)))
        .subjects([context.id(agent)])
        .place(context.id(agent))
        .path(context.steps(&Witness::at(agent)), 1)
        .build()
}
