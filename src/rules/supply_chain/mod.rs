pub mod unpinned_tool;
pub mod unverified_tool;

use petgraph::stable_graph::NodeIndex;

use crate::findings::Step;
use crate::graph::Witness;
use crate::model::NodeKind;
use crate::rules::CheckContext;

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
