pub mod confused_deputy;
pub mod transitive_delegation;
pub mod unauthenticated_delegation;

use petgraph::Direction::Outgoing;
use petgraph::stable_graph::NodeIndex;

use crate::model::Relation;
use crate::rules::CheckContext;

/// The identity every one of `agents` acts as, first by id, if they share one: then they act
/// as one principal, and the fix (a workload identity each) belongs to that identity.
pub fn common_identity(context: &CheckContext, agents: &[NodeIndex]) -> Option<NodeIndex> {
    let (&first, rest) = agents.split_first()?;
    context
        .related(first, Relation::ActsAs, Outgoing)
        .map(|(_, identity)| identity)
        .filter(|&identity| {
            rest.iter().all(|&agent| {
                context
                    .related(agent, Relation::ActsAs, Outgoing)
                    .any(|(_, other)| other == identity)
            })
        })
        .min_by_key(|&identity| context.id(identity))
}
