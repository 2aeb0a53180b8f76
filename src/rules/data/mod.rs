//! Data: where confidential data can go. Also the data-flow search the input checks use to
//! tell which actors can get private data into their context.

pub mod data_into_vendor_zone;
pub mod exfiltration_via_api;
pub mod index_beyond_need;

use petgraph::Direction::{Incoming, Outgoing};
use petgraph::stable_graph::{EdgeIndex, NodeIndex};

use crate::graph::{Search, Traversal, Witness, WitnessHop};
use crate::model::{Action, Control, NodeKind, NodeProperties, Relation, Trust};
use crate::rules::context::is_capability_edge;
use crate::rules::{CheckContext, FindingBuilder};

/// What a step carries: call arguments, a call's result, or anything else (reads, writes,
/// fed content, held access).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Carry {
    Argument,
    Result,
    Other,
}

/// One step data can take over one edge, from `from` to `to`; `reversed` when it goes against
/// the edge (a reader receiving what a store holds, a caller receiving a result).
#[derive(Clone, Copy)]
struct FlowStep {
    edge: EdgeIndex,
    from: NodeIndex,
    to: NodeIndex,
    reversed: bool,
    carry: Carry,
}

/// The state a node is reached in: whether the walk arrived by a call's arguments (forward
/// search) or leaves by a call's result (reverse search). Data handed to a stateless tool or
/// model as arguments does not come back out to its other callers, so those two steps never
/// follow each other.
type State = (NodeIndex, bool);

#[derive(Clone, Copy)]
struct Entry {
    distance: u32,
    parent: Option<(FlowStep, State)>,
    paths: u64,
}

/// How a data flow reads what the model leaves unstated.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reading {
    /// Only what is stated: a grant that does not say permits no read, and an input of
    /// unstated trust is no outsider.
    Stated,
    /// Unknowns read cautiously: a grant that does not say permits read, and an input of
    /// unstated trust is an outsider. A flow that holds only so waits on the answers.
    Cautious,
}

/// A breadth-first search along the ways data moves through a system. Data moves against
/// `reads` (a store's contents reach its reader; a gateway's reads are its own policy and
/// configuration, not handed on), `grants` that permit read or do not say (the holder of the
/// grant can read the target), `holds` and `acts_as` (to whoever holds the credential or runs
/// as the identity), `invokes` and `delegates` (a result returns to the caller), and along
/// `feeds`, `writes`, `invokes`, `delegates` and `triggers` (content handed on) and `sends` to
/// an input that is not trusted (content leaving). A grant stated to permit no read carries
/// nothing. A walk never passes the same node twice. People and inputs are ends, not conduits.
/// A node `blocks` accepts stops content going out through it along an edge (an egress
/// allowlist), but still returns results to its callers.
pub(crate) struct DataFlow {
    /// Indexed by [`slot`]: one per node and state.
    entries: Vec<Option<Entry>>,
    order: Vec<State>,
    reverse: bool,
}

/// Where data can leave for sinks past no egress allowlist, under both readings of the model:
/// `stated` holds without reading a gateway of unstated controls as keeping no allowlist,
/// `cautious` reads unstated grants, trust and controls the unsafe way.
pub(crate) struct EgressFlows {
    stated: DataFlow,
    cautious: DataFlow,
}

impl EgressFlows {
    /// One search back from the sinks under each reading (the sinks may differ between them).
    pub(crate) fn to_sinks(
        context: &CheckContext,
        stated_sinks: &[NodeIndex],
        cautious_sinks: &[NodeIndex],
    ) -> Self {
        let egress = |n: NodeIndex| context.gateway_has(n, &[Control::EgressAllowlist]);
        let egress_or_unstated = |n: NodeIndex| egress(n) || context.is_unstated_gateway(n);
        EgressFlows {
            stated: DataFlow::to_sinks(context, stated_sinks, &egress_or_unstated, Reading::Stated),
            cautious: DataFlow::to_sinks(context, cautious_sinks, &egress, Reading::Cautious),
        }
    }

    /// Records what a way out that holds only under the cautious reading reads into the
    /// model: its unstated grants and trust, and its gateways of unstated controls.
    pub(crate) fn assume_cautious(
        context: &CheckContext,
        builder: FindingBuilder,
        witness: &Witness,
    ) -> FindingBuilder {
        let builder = assume_unstated_on(context, builder, witness);
        context.assume_gateways_uncontrolled(builder, &witness.nodes)
    }

    /// The shortest way out of `store`, the stated one when there is one, and whether it
    /// holds only under the cautious reading.
    pub(crate) fn witness(&self, store: NodeIndex) -> Option<(Witness, bool)> {
        match self.stated.witness(store) {
            Some(witness) => Some((witness, false)),
            None => self.cautious.witness(store).map(|witness| (witness, true)),
        }
    }
}

/// Where a state's entry is in [`DataFlow::entries`].
fn slot((node, flag): State) -> usize {
    node.index() * 2 + usize::from(flag)
}

impl DataFlow {
    /// Where data from `sources` can go.
    pub(crate) fn from_sources(
        context: &CheckContext,
        sources: &[NodeIndex],
        blocks: &dyn Fn(NodeIndex) -> bool,
        reading: Reading,
    ) -> Self {
        Self::run(context, sources, blocks, false, reading)
    }

    /// Where data that reaches `sinks` can come from; witnesses run towards the sink.
    pub(crate) fn to_sinks(
        context: &CheckContext,
        sinks: &[NodeIndex],
        blocks: &dyn Fn(NodeIndex) -> bool,
        reading: Reading,
    ) -> Self {
        Self::run(context, sinks, blocks, true, reading)
    }

    pub(crate) fn reached(&self, node: NodeIndex) -> bool {
        self.entry((node, false)).is_some() || self.entry((node, true)).is_some()
    }

    fn entry(&self, state: State) -> Option<&Entry> {
        self.entries.get(slot(state)).and_then(Option::as_ref)
    }

    /// The shortest flow through `node`: from the nearest source to it (forward search), or
    /// from it to the nearest sink (reverse search), in the direction data moves.
    pub(crate) fn witness(&self, node: NodeIndex) -> Option<Witness> {
        let candidates = [(node, false), (node, true)];
        let best = candidates
            .iter()
            .filter_map(|&state| self.entry(state).map(|entry| (state, *entry)))
            .min_by_key(|(state, entry)| (entry.distance, state.1))?;
        let distance = best.1.distance;
        let paths = candidates
            .iter()
            .filter_map(|&state| self.entry(state))
            .filter(|entry| entry.distance == distance)
            .fold(0u64, |sum, entry| sum.saturating_add(entry.paths));
        let mut nodes = vec![node];
        let mut hops = Vec::new();
        let mut entry = best.1;
        while let Some((step, previous)) = entry.parent {
            hops.push(WitnessHop {
                edge: step.edge,
                reversed: step.reversed,
            });
            nodes.push(previous.0);
            entry = self.entries[slot(previous)].expect("a parent was reached first");
        }
        if !self.reverse {
            nodes.reverse();
            hops.reverse();
        }
        Some(Witness {
            nodes,
            hops,
            shortest_paths: paths,
            elided: 0,
        })
    }

    fn run(
        context: &CheckContext,
        starts: &[NodeIndex],
        blocks: &dyn Fn(NodeIndex) -> bool,
        reverse: bool,
        reading: Reading,
    ) -> Self {
        let mut flow = DataFlow {
            entries: vec![None; context.graph.node_count() * 2],
            order: Vec::new(),
            reverse,
        };
        let mut ordered = starts.to_vec();
        ordered.sort_by_key(|&n| context.id(n));
        ordered.dedup();
        for &start in &ordered {
            flow.entries[slot((start, false))] = Some(Entry {
                distance: 0,
                parent: None,
                paths: 1,
            });
            flow.order.push((start, false));
        }
        // Reused at every visit: a search visits every node it reaches.
        let mut at = Vec::new();
        let mut steps = Vec::new();
        let mut next = 0;
        while let Some(&state) = flow.order.get(next) {
            next += 1;
            let (node, flag) = state;
            let here = flow.entries[slot(state)].expect("queued states are reached");
            steps_at(context, node, reading, &mut at);
            steps.clear();
            if reverse {
                for &step in &at {
                    // Walking back from `node` to where the data came from.
                    if step.to != node
                        || (flag && step.carry == Carry::Argument)
                        || !lets_out(context, step, blocks)
                    {
                        continue;
                    }
                    steps.push((step, (step.from, step.carry == Carry::Result)));
                }
            } else {
                let is_start = here.distance == 0;
                for &step in &at {
                    if step.from != node
                        || (flag && step.carry == Carry::Result)
                        || (!is_start && !lets_out(context, step, blocks))
                    {
                        continue;
                    }
                    steps.push((step, (step.to, step.carry == Carry::Argument)));
                }
            }
            for &(step, target) in &steps {
                if flow.passes(state, target.0) {
                    continue;
                }
                match &mut flow.entries[slot(target)] {
                    empty @ None => {
                        *empty = Some(Entry {
                            distance: here.distance + 1,
                            parent: Some((step, state)),
                            paths: here.paths,
                        });
                        flow.order.push(target);
                    }
                    Some(entry) if entry.distance == here.distance + 1 => {
                        entry.paths = entry.paths.saturating_add(here.paths);
                    }
                    Some(_) => {}
                }
            }
        }
        flow
    }

    /// Whether the walk that reached `state` already passed `node`.
    fn passes(&self, state: State, node: NodeIndex) -> bool {
        let mut current = Some(state);
        while let Some(at) = current {
            if at.0 == node {
                return true;
            }
            current = self
                .entry(at)
                .and_then(|entry| entry.parent.map(|(_, previous)| previous));
        }
        false
    }
}

/// Whether data may leave `step.from` by `step`: people and inputs are not conduits, and a
/// blocking gateway only lets results return.
fn lets_out(context: &CheckContext, step: FlowStep, blocks: &dyn Fn(NodeIndex) -> bool) -> bool {
    match context.kind(step.from) {
        NodeKind::Human | NodeKind::Input => false,
        _ => step.reversed || !blocks(step.from),
    }
}

/// Every flow step over the edges of `node`, in either direction, in the graph's
/// deterministic edge order, into `steps` (cleared first).
fn steps_at(context: &CheckContext, node: NodeIndex, reading: Reading, steps: &mut Vec<FlowStep>) {
    steps.clear();
    for direction in [Outgoing, Incoming] {
        for &(edge, other) in context.graph.edges(node, direction) {
            let (a, b) = match direction {
                Outgoing => (node, other),
                Incoming => (other, node),
            };
            let data = context.graph.edge(edge);
            let forward = |carry| FlowStep {
                edge,
                from: a,
                to: b,
                reversed: false,
                carry,
            };
            let backward = |carry| FlowStep {
                edge,
                from: b,
                to: a,
                reversed: true,
                carry,
            };
            match data.relation {
                Relation::Reads if context.kind(a) != NodeKind::Gateway => {
                    steps.push(backward(Carry::Other))
                }
                Relation::Grants if grants_read(context, data, reading) => {
                    steps.push(backward(Carry::Other))
                }
                Relation::Holds | Relation::ActsAs => steps.push(backward(Carry::Other)),
                Relation::Invokes | Relation::Delegates => {
                    steps.push(forward(Carry::Argument));
                    steps.push(backward(Carry::Result));
                }
                Relation::Triggers => steps.push(forward(Carry::Argument)),
                Relation::Feeds | Relation::Writes => steps.push(forward(Carry::Other)),
                Relation::Sends if is_outsider(context, b, reading) => {
                    steps.push(forward(Carry::Other))
                }
                _ => {}
            }
        }
    }
}

/// Whether a grant lets its holder read the target: it says read, or (read cautiously) it
/// says nothing.
fn grants_read(context: &CheckContext, edge: &crate::model::Edge, reading: Reading) -> bool {
    match reading {
        Reading::Stated => edge.permissions.contains(&Action::Read),
        Reading::Cautious => context.permissions(edge).contains(&Action::Read),
    }
}

/// An input outside the organisation's control under `reading`.
pub(crate) fn is_outsider(context: &CheckContext, n: NodeIndex, reading: Reading) -> bool {
    match reading {
        Reading::Stated => {
            is_external_party(context, n)
                && matches!(&context.node(n).properties, NodeProperties::Input(i) if i.trust.is_some())
        }
        Reading::Cautious => is_external_party(context, n),
    }
}

/// Records the unstated properties a flow leans on: grants that do not say what they permit
/// (read as permitting read), and inputs of unstated trust it leaves to (read as untrusted).
pub(crate) fn assume_unstated_on(
    context: &CheckContext,
    mut builder: FindingBuilder,
    witness: &Witness,
) -> FindingBuilder {
    for hop in &witness.hops {
        let edge = context.graph.edge(hop.edge);
        if edge.relation == Relation::Grants && edge.permissions.is_empty() {
            builder = builder.assumes(edge.id.clone(), "permissions", "read", true);
        }
    }
    for &n in &witness.nodes {
        if matches!(&context.node(n).properties, NodeProperties::Input(i) if i.trust.is_none()) {
            builder = builder.assumes(context.id(n), "trust", "untrusted", true);
        }
    }
    builder
}

/// An input whose trust is untrusted, partner or not stated: somewhere outside the
/// organisation's control.
pub(crate) fn is_external_party(context: &CheckContext, n: NodeIndex) -> bool {
    match &context.node(n).properties {
        NodeProperties::Input(input) => input.trust != Some(Trust::Trusted),
        _ => false,
    }
}

/// A confidential or restricted datastore or memory: private data wherever it is kept.
pub(crate) fn is_private_store(context: &CheckContext, n: NodeIndex) -> bool {
    use crate::model::Sensitivity;
    matches!(
        context.data_sensitivity(n),
        Some(Sensitivity::Confidential | Sensitivity::Restricted)
    )
}

/// The sensitivity word of a datastore or memory, for titles: "confidential".
pub(crate) fn sensitivity_word(context: &CheckContext, n: NodeIndex) -> &'static str {
    context
        .data_sensitivity(n)
        .map_or("unclassified", |s| s.as_str())
}

/// Where a node sends content out: a tool that can `send`, or any node with a `sends` edge to
/// an outsider under `reading`, that is not itself a gateway `blocks` accepts.
pub(crate) fn is_outbound_channel(
    context: &CheckContext,
    n: NodeIndex,
    blocks: &dyn Fn(NodeIndex) -> bool,
    reading: Reading,
) -> bool {
    if blocks(n) || matches!(context.kind(n), NodeKind::Human | NodeKind::Input) {
        return false;
    }
    context
        .tool(n)
        .is_some_and(|t| t.actions.contains(&Action::Send))
        || first_send_to_outsider(context, n, reading).is_some()
}

/// The first `sends` edge from `n` to an external party, as (edge, recipient).
pub(crate) fn first_external_send(
    context: &CheckContext,
    n: NodeIndex,
) -> Option<(EdgeIndex, NodeIndex)> {
    first_send_to_outsider(context, n, Reading::Cautious)
}

/// The first `sends` edge from `n` to an outsider under `reading`, as (edge, recipient).
pub(crate) fn first_send_to_outsider(
    context: &CheckContext,
    n: NodeIndex,
    reading: Reading,
) -> Option<(EdgeIndex, NodeIndex)> {
    context
        .related(n, Relation::Sends, Outgoing)
        .find(|&(_, to)| is_outsider(context, to, reading))
}

/// "`customer` (untrusted)", "`payroll` (partner)".
pub(crate) fn describe_party(context: &CheckContext, n: NodeIndex) -> String {
    let trust = match &context.node(n).properties {
        NodeProperties::Input(input) => input.trust.map_or("trust not stated", |t| t.as_str()),
        _ => "external",
    };
    format!("`{}` ({trust})", context.id(n))
}

/// Every node's nearest caller: one search forward over calls, hand-offs and starts from
/// every agent and workflow, whose origin at a node is the nearest of them (the first by id
/// among the nearest, since sources are taken in id order).
pub(crate) fn nearest_callers(context: &CheckContext) -> Search {
    let callers: Vec<NodeIndex> = context
        .graph
        .nodes()
        .filter(|&n| matches!(context.kind(n), NodeKind::Agent | NodeKind::Workflow))
        .collect();
    context
        .graph
        .search(&callers, &Traversal::forward(&is_capability_edge))
}

/// Whose calls the way out needs gating for: the last agent or workflow the data passes
/// before it, else the nearest one that can call it ([`nearest_callers`]), else the way out
/// itself.
pub(crate) fn caller_of_way_out(
    context: &CheckContext,
    witness: &Witness,
    way_out: NodeIndex,
    nearest_callers: &Search,
) -> NodeIndex {
    let position = witness
        .nodes
        .iter()
        .position(|&n| n == way_out)
        .unwrap_or(witness.nodes.len() - 1);
    if let Some(&caller) = witness.nodes[..position]
        .iter()
        .rev()
        .find(|&&n| matches!(context.kind(n), NodeKind::Agent | NodeKind::Workflow))
    {
        return caller;
    }
    nearest_callers.origin(way_out).unwrap_or(way_out)
}
