pub mod approval_bypass;
pub mod exposed_production_endpoint;
pub mod hybrid_privilege_amplification;
pub mod no_request_time_policy;

use petgraph::Direction::Incoming;
use petgraph::stable_graph::NodeIndex;

use crate::model::{Action, Control, NodeKind, Relation};
use crate::rules::CheckContext;

/// A human-in-the-loop gate: a gateway that holds calls for human approval, or a tool,
/// workflow, agent or gateway that a person `approves`.
pub(crate) fn is_approval_gate(context: &CheckContext, n: NodeIndex) -> bool {
    context.gateway_has(n, &[Control::HumanApproval]) || approvers(context, n).next().is_some()
}

/// The people who approve `n`.
pub(crate) fn approvers<'a>(
    context: &'a CheckContext,
    n: NodeIndex,
) -> impl Iterator<Item = NodeIndex> + 'a {
    context
        .related(n, Relation::Approves, Incoming)
        .map(|(_, h)| h)
        .filter(move |&h| context.kind(h) == NodeKind::Human)
}

/// The actions people approve on `n`: the union of their `approves` scopes, every action when
/// one of them does not say.
pub(crate) fn approved_actions(context: &CheckContext, n: NodeIndex) -> Vec<Action> {
    let mut actions = Vec::new();
    for (edge, human) in context.related(n, Relation::Approves, Incoming) {
        if context.kind(human) != NodeKind::Human {
            continue;
        }
        let scope = &context.graph.edge(edge).scope;
        if scope.is_empty() {
            return Action::ALL.to_vec();
        }
        actions.extend(scope.iter().copied());
    }
    actions.sort();
    actions.dedup();
    actions
}

/// "payment, admin".
pub(crate) fn action_list(actions: &[Action]) -> String {
    actions
        .iter()
        .map(|a| a.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
