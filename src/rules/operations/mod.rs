pub mod approval_volume;
pub mod approver_overload;
pub mod audit_log_tampering;
pub mod no_audit_trail;

use petgraph::Direction::Outgoing;
use petgraph::stable_graph::{EdgeIndex, NodeIndex};

use crate::model::Relation;
use crate::rules::CheckContext;

/// How many approval requests reach one person a day, as far as the model states it.
pub(crate) struct ApprovalLoad {
    /// The person's `approves` edges with the volume each states, largest first.
    pub gates: Vec<(EdgeIndex, NodeIndex, Option<u32>)>,
    /// The sum of the stated volumes.
    pub stated_volume: u64,
    /// How many requests a day the person can review with care, when stated.
    pub capacity: Option<u32>,
}

impl ApprovalLoad {
    pub fn of(context: &CheckContext, human: NodeIndex) -> ApprovalLoad {
        let mut gates: Vec<(EdgeIndex, NodeIndex, Option<u32>)> = context
            .related(human, Relation::Approves, Outgoing)
            .map(|(edge, gate)| (edge, gate, context.graph.edge(edge).daily_volume))
            .collect();
        gates.sort_by_key(|&(_, gate, volume)| (std::cmp::Reverse(volume), context.id(gate)));
        let stated_volume = gates
            .iter()
            .filter_map(|&(_, _, volume)| volume)
            .map(u64::from)
            .sum();
        ApprovalLoad {
            gates,
            stated_volume,
            capacity: context.human(human).and_then(|h| h.daily_capacity),
        }
    }

    /// Whether the load is measured: the capacity and every gate's volume are stated. The
    /// measurement then decides overload, and the count of gates is no longer a proxy for it.
    pub fn is_measured(&self) -> bool {
        self.capacity.is_some() && self.gates.iter().all(|&(_, _, volume)| volume.is_some())
    }

    /// Whether the stated volumes alone exceed the stated capacity.
    pub fn is_over_capacity(&self) -> bool {
        self.capacity
            .is_some_and(|capacity| self.stated_volume > u64::from(capacity))
    }
}
