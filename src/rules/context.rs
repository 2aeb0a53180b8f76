//! What every check shares: the graph, the meaning of the model's words for security (which
//! actions are high-impact, which gateway controls break which paths, how content and
//! capability flow along edges), facts computed once per run, and the finding builder.

use petgraph::stable_graph::{EdgeIndex, NodeIndex};

use super::Rule;
use crate::findings::{
    self, Assumption, Factor, FactorKind, Finding, Hop, PATH_HEAD, PATH_TAIL, Severity, Step,
};
use crate::graph::{ModelGraph, Search, Traversal, Witness};
use crate::model::*;

/// Edges along which one actor can make another part of the system act: calling it,
/// handing it a task, or starting it.
pub fn is_capability_edge(edge: &Edge) -> bool {
    matches!(
        edge.relation,
        Relation::Invokes | Relation::Delegates | Relation::Triggers
    )
}

/// Edges along which content moves forwards: fed into a context, written to a store, handed
/// over with a task, or passed to a started workflow or called agent.
pub fn is_content_edge_forward(edge: &Edge) -> bool {
    matches!(
        edge.relation,
        Relation::Feeds
            | Relation::Writes
            | Relation::Delegates
            | Relation::Triggers
            | Relation::Invokes
    )
}

/// Edges along which content moves backwards: what a store holds reaches whoever reads it.
pub fn is_content_edge_backward(edge: &Edge) -> bool {
    edge.relation == Relation::Reads
}

/// Whether a node of this kind acts on its own account: an agent or a workflow. What it does
/// to a store directly, not through a tool, is an action as much as a tool call is.
pub fn is_actor(kind: NodeKind) -> bool {
    matches!(kind, NodeKind::Agent | NodeKind::Workflow)
}

/// A just-in-time credential living this long or less expires before a person could revoke
/// it: it needs no revocation procedure.
pub const SHORT_LIVED: Duration = Duration::from_seconds(3_600);

pub struct CheckContext<'g, 'm> {
    pub graph: &'g ModelGraph<'m>,
    /// Content flow from every untrusted input, through everything: a content filter lowers
    /// what injected content can do, it never stops the content.
    exposure: Search,
    /// The same flow from the inputs stated untrusted only: what holds without assuming.
    stated_exposure: Search,
    /// The flow from every untrusted input stopped at content filters: a node `exposure`
    /// reaches and this does not gets untrusted content only through a filter.
    unfiltered_exposure: Search,
}

impl<'g, 'm> CheckContext<'g, 'm> {
    pub fn new(graph: &'g ModelGraph<'m>) -> Self {
        let inputs: Vec<NodeIndex> = graph
            .nodes()
            .filter(|&n| is_untrusted_input(graph, n))
            .collect();
        let content_flow = Traversal {
            forward: &is_content_edge_forward,
            backward: &is_content_edge_backward,
            passes: &|_| true,
        };
        let exposure = graph.search(&inputs, &content_flow);
        let stated: Vec<NodeIndex> = inputs
            .iter()
            .copied()
            .filter(|&n| is_stated_untrusted_input(graph, n))
            .collect();
        let stated_exposure = graph.search(&stated, &content_flow);
        let unfiltered = |n: NodeIndex| !gateway_has(graph, n, &[Control::ContentFilter]);
        let unfiltered_exposure = graph.search(
            &inputs,
            &Traversal {
                passes: &unfiltered,
                ..content_flow
            },
        );
        CheckContext {
            graph,
            exposure,
            stated_exposure,
            unfiltered_exposure,
        }
    }

    /// When untrusted content reaches `n` only through content filters: the filter on the
    /// shortest such path.
    pub fn content_filter_before(&self, n: NodeIndex) -> Option<NodeIndex> {
        if !self.exposure.reached(n) || self.unfiltered_exposure.reached(n) {
            return None;
        }
        let witness = self.exposure.witness(n)?;
        witness
            .nodes
            .iter()
            .copied()
            .find(|&g| self.gateway_has(g, &[Control::ContentFilter]))
    }

    /// −1 when untrusted content reaches `n` only through a content filter: a filter catches
    /// known injection patterns and lowers the odds, but a new wording passes it, so it counts
    /// against an injection finding and never closes it.
    pub fn content_filter_factor(&self, n: NodeIndex) -> Option<Factor> {
        let filter = self.content_filter_before(n)?;
        Some(Factor {
            kind: FactorKind::ContentFilter,
            effect: -1,
            detail: format!(
                "untrusted content reaches `{}` only through content filter `{}`, which lowers injection but does not stop it",
                self.id(n),
                self.id(filter)
            ),
        })
    }

    pub fn model(&self) -> &'m Model {
        self.graph.model
    }

    pub fn node(&self, n: NodeIndex) -> &'m Node {
        self.graph.node(n)
    }

    pub fn id(&self, n: NodeIndex) -> &'m str {
        self.graph.id(n)
    }

    pub fn name(&self, n: NodeIndex) -> &'m str {
        &self.graph.node(n).name
    }

    pub fn kind(&self, n: NodeIndex) -> NodeKind {
        self.graph.kind(n)
    }

    pub fn nodes_of_kind(&self, kind: NodeKind) -> Vec<NodeIndex> {
        self.graph.nodes_of_kind(kind).collect()
    }

    pub fn agents(&self) -> Vec<NodeIndex> {
        self.nodes_of_kind(NodeKind::Agent)
    }

    pub fn agent(&self, n: NodeIndex) -> Option<&'m AgentProperties> {
        match &self.node(n).properties {
            NodeProperties::Agent(p) => Some(p),
            _ => None,
        }
    }

    pub fn tool(&self, n: NodeIndex) -> Option<&'m ToolProperties> {
        match &self.node(n).properties {
            NodeProperties::Tool(p) => Some(p),
            _ => None,
        }
    }

    pub fn secret(&self, n: NodeIndex) -> Option<&'m SecretProperties> {
        match &self.node(n).properties {
            NodeProperties::Secret(p) => Some(p),
            _ => None,
        }
    }

    pub fn identity(&self, n: NodeIndex) -> Option<&'m IdentityProperties> {
        match &self.node(n).properties {
            NodeProperties::Identity(p) => Some(p),
            _ => None,
        }
    }

    pub fn datastore(&self, n: NodeIndex) -> Option<&'m DatastoreProperties> {
        match &self.node(n).properties {
            NodeProperties::Datastore(p) => Some(p),
            _ => None,
        }
    }

    /// How sensitive what a datastore or memory holds is, when stated: a memory or index is
    /// private data exactly as a datastore is.
    pub fn data_sensitivity(&self, n: NodeIndex) -> Option<Sensitivity> {
        match &self.node(n).properties {
            NodeProperties::Datastore(d) => d.sensitivity,
            NodeProperties::Memory(m) => m.sensitivity,
            _ => None,
        }
    }

    /// The classes of data a datastore or memory is stated to hold.
    pub fn data_classes(&self, n: NodeIndex) -> &'m [DataClass] {
        match &self.node(n).properties {
            NodeProperties::Datastore(d) => &d.contains,
            NodeProperties::Memory(m) => &m.contains,
            _ => &[],
        }
    }

    pub fn memory(&self, n: NodeIndex) -> Option<&'m MemoryProperties> {
        match &self.node(n).properties {
            NodeProperties::Memory(p) => Some(p),
            _ => None,
        }
    }

    pub fn workflow(&self, n: NodeIndex) -> Option<&'m WorkflowProperties> {
        match &self.node(n).properties {
            NodeProperties::Workflow(p) => Some(p),
            _ => None,
        }
    }

    pub fn human(&self, n: NodeIndex) -> Option<&'m HumanProperties> {
        match &self.node(n).properties {
            NodeProperties::Human(p) => Some(p),
            _ => None,
        }
    }

    pub fn model_node(&self, n: NodeIndex) -> Option<&'m ModelProperties> {
        match &self.node(n).properties {
            NodeProperties::Model(p) => Some(p),
            _ => None,
        }
    }

    /// Whether a direct action on `n` is an action on the world: `n` is a datastore. Writing a
    /// memory changes what agents read next, which is the memory-poisoning check's concern
    /// (context integrity), not an ungated action.
    pub fn is_acted_on_store(&self, n: NodeIndex) -> bool {
        self.kind(n) == NodeKind::Datastore
    }

    fn is_acted_on_store_id(&self, id: &str) -> bool {
        self.graph
            .index_of(id)
            .is_some_and(|n| self.is_acted_on_store(n))
    }

    fn is_actor_id(&self, id: &str) -> bool {
        self.graph.kind_of(id).is_some_and(is_actor)
    }

    /// Edges by which an agent or workflow acts on a store without calling a tool: it writes
    /// the store, or it holds a secret or acts as an identity that grants a high-impact
    /// permission on the store (the walk is `actor → credential → store`).
    pub fn is_direct_action_edge(&self, edge: &Edge) -> bool {
        match edge.relation {
            Relation::Writes => self.is_actor_id(&edge.from) && self.is_acted_on_store_id(&edge.to),
            Relation::Holds | Relation::ActsAs => self.is_actor_id(&edge.from),
            Relation::Grants => {
                edge.permissions.iter().any(|a| a.is_high_impact())
                    && self.is_acted_on_store_id(&edge.to)
            }
            _ => false,
        }
    }

    /// Edges along which an actor makes something happen: the capability edges (calls,
    /// hand-offs, starts) and its direct actions on stores.
    pub fn is_action_edge(&self, edge: &Edge) -> bool {
        is_capability_edge(edge) || self.is_direct_action_edge(edge)
    }

    /// The high-impact actions that what `reach` reached can take on `target`: a tool's own
    /// high-impact actions; on a store, those of the `writes` and `grants` edges into it from
    /// reached actors and from credentials they hold. Nothing for any other node.
    pub fn actions_at(&self, target: NodeIndex, reach: &Search) -> Vec<Action> {
        if self.kind(target) == NodeKind::Tool {
            return self.high_impact_actions(target);
        }
        if !self.is_acted_on_store(target) {
            return Vec::new();
        }
        let mut actions: Vec<Action> = self
            .graph
            .edges(target, petgraph::Direction::Incoming)
            .iter()
            .filter(|&&(e, from)| {
                reach.reached(from) && self.is_direct_action_edge(self.graph.edge(e))
            })
            .flat_map(|&(e, _)| self.direct_actions(self.graph.edge(e)))
            .collect();
        actions.sort();
        actions.dedup();
        actions
    }

    /// The credentials `actor` can present, each with the edges that give it to the actor: a
    /// secret it holds, an identity it acts as, and a secret that identity holds.
    pub fn credential_chains(&self, actor: NodeIndex) -> Vec<Vec<(EdgeIndex, NodeIndex)>> {
        let mut chains = Vec::new();
        for relation in [Relation::Holds, Relation::ActsAs] {
            for (edge, credential) in self.related(actor, relation, petgraph::Direction::Outgoing) {
                chains.push(vec![(edge, credential)]);
                if relation == Relation::ActsAs {
                    for (held, secret) in
                        self.related(credential, Relation::Holds, petgraph::Direction::Outgoing)
                    {
                        chains.push(vec![(edge, credential), (held, secret)]);
                    }
                }
            }
        }
        chains
    }

    /// The high-impact actions one direct action edge into a store takes.
    pub fn direct_actions(&self, edge: &Edge) -> Vec<Action> {
        match edge.relation {
            Relation::Writes => vec![Action::Write],
            Relation::Grants => edge
                .permissions
                .iter()
                .copied()
                .filter(|a| a.is_high_impact())
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The high-impact actions a path takes at its end: the tool's, or those of the direct
    /// action (a write, a grant) its last hop is.
    pub fn actions_taken(&self, witness: &Witness) -> Vec<Action> {
        let Some(&end) = witness.nodes.last() else {
            return Vec::new();
        };
        if self.kind(end) == NodeKind::Tool {
            return self.high_impact_actions(end);
        }
        witness
            .hops
            .last()
            .map(|hop| self.graph.edge(hop.edge))
            .filter(|edge| self.is_direct_action_edge(edge))
            .map(|edge| self.direct_actions(edge))
            .unwrap_or_default()
    }

    /// Searches back from the actions that take any action `pick` accepts — the tools with
    /// such an action that `acts_on` accepts, and the datastores an actor writes or holds a
    /// credential granting one on — over the action edges, through the nodes `passes` accepts:
    /// each reached node's witness, reversed, is its shortest path to such an action.
    pub fn search_back_from_actions(
        &self,
        pick: fn(Action) -> bool,
        acts_on: &dyn Fn(NodeIndex) -> bool,
        passes: &dyn Fn(NodeIndex) -> bool,
    ) -> Search {
        // Only the direct actions that take a picked action lead back to their actor.
        let picks = |edge: &Edge| {
            self.is_action_edge(edge)
                && (!matches!(edge.relation, Relation::Writes | Relation::Grants)
                    || self.direct_actions(edge).into_iter().any(pick))
        };
        let targets: Vec<NodeIndex> = self
            .graph
            .nodes()
            .filter(|&n| match self.kind(n) {
                NodeKind::Tool => self.high_impact_actions(n).into_iter().any(pick) && acts_on(n),
                _ => {
                    self.is_acted_on_store(n)
                        && self
                            .graph
                            .edges(n, petgraph::Direction::Incoming)
                            .iter()
                            .any(|&(e, _)| picks(self.graph.edge(e)))
                }
            })
            .collect();
        self.graph
            .search(&targets, &Traversal::backward(&picks).through(passes))
    }

    /// Searches what `sources` can make happen (capability edges and direct actions on
    /// stores); a gateway enforcing any of `controls` stops the walk, and with `stated` so
    /// does a gateway whose controls are unstated.
    pub fn action_search(
        &self,
        sources: &[NodeIndex],
        controls: &[Control],
        stated: bool,
    ) -> Search {
        let passes = |n: NodeIndex| {
            let blocks = self.gateway_has(n, controls) || (stated && self.is_unstated_gateway(n));
            !blocks
        };
        let follows = |edge: &Edge| self.is_action_edge(edge);
        self.graph
            .search(sources, &Traversal::forward(&follows).through(&passes))
    }

    /// Whether `n` is a gateway enforcing any of `controls`.
    pub fn gateway_has(&self, n: NodeIndex, controls: &[Control]) -> bool {
        gateway_has(self.graph, n, controls)
    }

    /// The tool's high-impact actions (everything but read).
    pub fn high_impact_actions(&self, n: NodeIndex) -> Vec<Action> {
        self.tool(n)
            .map(|tool| {
                tool.actions
                    .iter()
                    .copied()
                    .filter(|a| a.is_high_impact())
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn is_high_impact_tool(&self, n: NodeIndex) -> bool {
        !self.high_impact_actions(n).is_empty()
    }

    /// A secret is standing unless it is stated to be just-in-time; a JIT secret whose TTL
    /// exceeds a day is standing in effect.
    pub fn is_standing(&self, n: NodeIndex) -> bool {
        self.secret(n).is_some_and(|secret| match secret.lifetime {
            Some(Lifetime::Jit) => secret.ttl.is_some_and(|ttl| ttl > Duration::from_days(1)),
            Some(Lifetime::Standing) | None => true,
        })
    }

    /// What a `grants` edge states it permits. A grant that does not say permits nothing the
    /// checks may count on: no action (admin, payment) is inferred from it, and its
    /// permissions are asked about instead.
    pub fn permissions(&self, edge: &Edge) -> Vec<Action> {
        edge.permissions.clone()
    }

    /// A node's edges of one relation in one direction, as (edge, other end).
    pub fn related(
        &self,
        n: NodeIndex,
        relation: Relation,
        direction: petgraph::Direction,
    ) -> impl Iterator<Item = (EdgeIndex, NodeIndex)> + '_ {
        self.graph
            .edges(n, direction)
            .iter()
            .copied()
            .filter(move |&(e, _)| self.graph.edge(e).relation == relation)
    }

    /// Searches the capability graph (invokes, delegates, triggers) from `sources`; a gateway
    /// enforcing any of `controls` stops the walk.
    pub fn capability_search(&self, sources: &[NodeIndex], controls: &[Control]) -> Search {
        let passes = |n: NodeIndex| !self.gateway_has(n, controls);
        self.graph.search(
            sources,
            &Traversal::forward(&is_capability_edge).through(&passes),
        )
    }

    /// The capability search, stopped once it has reached `enough` nodes `is_target`
    /// accepts ([`ModelGraph::search_for`]); with `stated`, a gateway whose controls are
    /// unstated stops it too, since it may enforce any of `controls`.
    pub fn capability_search_for(
        &self,
        sources: &[NodeIndex],
        controls: &[Control],
        stated: bool,
        is_target: impl Fn(NodeIndex) -> bool,
        enough: usize,
    ) -> Search {
        let passes = |n: NodeIndex| {
            let blocks = self.gateway_has(n, controls) || (stated && self.is_unstated_gateway(n));
            !blocks
        };
        self.graph.search_for(
            sources,
            &Traversal::forward(&is_capability_edge).through(&passes),
            is_target,
            enough,
        )
    }

    /// Records, for each gateway with unstated controls on `path`, that the finding reads it
    /// as enforcing none of the controls that would break the path.
    pub fn assume_gateways_uncontrolled(
        &self,
        mut builder: FindingBuilder,
        path: &[NodeIndex],
    ) -> FindingBuilder {
        for &n in path {
            if self.is_unstated_gateway(n) {
                builder = builder.assumes(self.id(n), "controls", "none", true);
            }
        }
        builder
    }

    /// Whether untrusted content can reach `n` (content filters included).
    pub fn is_exposed(&self, n: NodeIndex) -> bool {
        self.exposure.reached(n)
    }

    /// The shortest path from an untrusted input to `n`.
    pub fn exposure_witness(&self, n: NodeIndex) -> Option<Witness> {
        self.exposure.witness(n)
    }

    /// A witness as finding steps, with a reason for each hop. A long witness keeps its
    /// first [`PATH_HEAD`] and last [`PATH_TAIL`] steps and counts the nodes between.
    pub fn steps(&self, witness: &Witness) -> Vec<Step> {
        // Positions on the whole path: a witness that already left nodes out
        // ([`Search::witness_ends`]) has them after its first `PATH_HEAD`.
        let position = |i: usize| {
            if i < PATH_HEAD { i } else { i + witness.elided }
        };
        let length = witness.nodes.len() + witness.elided;
        // Leaving out a single node would save nothing.
        let tail_start = if length > PATH_HEAD + PATH_TAIL + 1 {
            length - PATH_TAIL
        } else {
            0
        };
        let kept =
            |i: usize| tail_start == 0 || position(i) < PATH_HEAD || position(i) >= tail_start;
        let mut previous: Option<usize> = None;
        let mut steps = Vec::with_capacity(witness.nodes.len().min(PATH_HEAD + PATH_TAIL));
        for i in (0..witness.nodes.len()).filter(|&i| kept(i)) {
            let elided = previous.map_or(0, |p| position(i) - position(p) - 1);
            previous = Some(i);
            steps.push(Step {
                node: self.id(witness.nodes[i]).to_owned(),
                hop: i
                    .checked_sub(1)
                    .map(|h| witness.hops[h])
                    .map(|hop| self.hop(hop.edge, hop.reversed)),
                elided,
            });
        }
        steps
    }

    /// The steps of `witness` walked the other way, from its target back to its source.
    pub fn reversed(&self, witness: &Witness) -> Witness {
        debug_assert_eq!(witness.elided, 0, "only a whole path can be reversed");
        Witness {
            nodes: witness.nodes.iter().rev().copied().collect(),
            hops: witness
                .hops
                .iter()
                .rev()
                .map(|hop| crate::graph::WitnessHop {
                    edge: hop.edge,
                    reversed: !hop.reversed,
                })
                .collect(),
            shortest_paths: witness.shortest_paths,
            elided: 0,
        }
    }

    /// Two searches from one node, joined there: `a → … → m → … → b` where `to_meeting`
    /// is a walk from m to a (it is reversed) and `from_meeting` a walk from m to b.
    pub fn joined_steps(&self, to_meeting: &Witness, from_meeting: &Witness) -> Vec<Step> {
        let mut joined = self.reversed(to_meeting);
        joined.nodes.extend(from_meeting.nodes.iter().skip(1));
        joined.hops.extend(from_meeting.hops.iter().copied());
        self.steps(&joined)
    }

    /// The hop over `edge`, read in the walked direction.
    pub fn hop(&self, edge: EdgeIndex, reversed: bool) -> Hop {
        let data = self.graph.edge(edge);
        Hop {
            edge: data.id.clone(),
            relation: data.relation,
            reversed,
            reason: hop_reason(data, reversed),
        }
    }

    /// Starts a finding of `rule`.
    pub fn finding(&self, rule: &'static Rule) -> FindingBuilder {
        FindingBuilder {
            rule,
            title: String::new(),
            subjects: Vec::new(),
            place: None,
            path: Vec::new(),
            other_paths: 0,
            evidence: Vec::new(),
            factors: Vec::new(),
            assumptions: Vec::new(),
            critical: None,
        }
    }

    /// +1 for an autonomous agent, −1 for one that only suggests.
    pub fn autonomy_factor(&self, agent: NodeIndex) -> Option<Factor> {
        let autonomy = self.agent(agent)?.autonomy?;
        let (effect, detail) = match autonomy {
            Autonomy::Autonomous => (1, format!("`{}` acts without a human", self.id(agent))),
            Autonomy::Suggest => (
                -1,
                format!("`{}` only suggests; a human acts", self.id(agent)),
            ),
            Autonomy::Supervised => return None,
        };
        Some(Factor {
            kind: FactorKind::Autonomy,
            effect,
            detail,
        })
    }

    /// +1 when content from an input stated untrusted reaches `n`. Exposure only through
    /// inputs whose trust is unstated adds nothing: an unknown never raises severity.
    pub fn exposure_factor(&self, n: NodeIndex) -> Option<Factor> {
        // Content that passed a filter does not raise it: the filter is worth that much.
        if self.content_filter_before(n).is_some() {
            return None;
        }
        let source = self.stated_exposure.origin(n)?;
        (source != n).then(|| Factor {
            kind: FactorKind::UntrustedExposure,
            effect: 1,
            detail: format!(
                "untrusted content from `{}` reaches `{}`",
                self.id(source),
                self.id(n)
            ),
        })
    }

    /// Whether content from an input stated untrusted reaches `n`.
    pub fn is_exposed_stated(&self, n: NodeIndex) -> bool {
        self.stated_exposure.reached(n) && self.stated_exposure.distance(n) != Some(0)
    }

    /// The untrusted input nearest to `n` (`n` itself when it is one): the exposure
    /// witness's first node, without walking the path.
    pub fn exposure_source(&self, n: NodeIndex) -> Option<NodeIndex> {
        self.exposure.origin(n)
    }

    /// The input stated untrusted nearest to `n`, as [`Self::exposure_source`].
    pub fn stated_exposure_source(&self, n: NodeIndex) -> Option<NodeIndex> {
        self.stated_exposure.origin(n)
    }

    /// The shortest path from an input stated untrusted to `n`.
    pub fn stated_exposure_witness(&self, n: NodeIndex) -> Option<Witness> {
        self.stated_exposure.witness(n)
    }

    /// When untrusted content reaches `n` only from inputs whose trust is unstated: the
    /// nearest such input.
    pub fn unstated_exposure(&self, n: NodeIndex) -> Option<NodeIndex> {
        if self.is_exposed_stated(n) {
            return None;
        }
        let source = self.exposure_source(n)?;
        (source != n).then_some(source)
    }

    /// The exposure factor of `n`, or, when only inputs of unstated trust reach it, no
    /// factor and a non-decisive assumption that the input is untrusted.
    pub fn with_exposure(&self, builder: FindingBuilder, n: NodeIndex) -> FindingBuilder {
        match self.unstated_exposure(n) {
            Some(input) => builder.assumes(self.id(input), "trust", "untrusted", false),
            None => builder.factor(self.exposure_factor(n)),
        }
    }

    /// The caller on a path to a tool: the last agent or workflow before its end, whose
    /// outbound calls need the gate; the path's start when none is on it.
    pub fn caller(&self, witness: &Witness) -> NodeIndex {
        let before_end = witness.nodes.len().saturating_sub(1);
        witness.nodes[..before_end]
            .iter()
            .rev()
            .copied()
            .find(|&n| matches!(self.kind(n), NodeKind::Agent | NodeKind::Workflow))
            .unwrap_or(witness.nodes[0])
    }

    /// Whether `n` is a gateway whose controls the model does not state.
    pub fn is_unstated_gateway(&self, n: NodeIndex) -> bool {
        matches!(&self.node(n).properties, NodeProperties::Gateway(g) if g.controls.is_empty())
    }

    /// Why a path meets the critical bar (docs/severity.md), if it does: content from an
    /// input stated untrusted reaches `caller`, or a person approves `caller`, and `path` from
    /// the caller takes `actions` (payment, delete, admin or execute among them) at `tool`
    /// past no gateway with request-time policy or human approval.
    pub fn critical_reach(
        &self,
        caller: NodeIndex,
        tool: NodeIndex,
        actions: &[Action],
        path: &[NodeIndex],
    ) -> Option<String> {
        let verbs: Vec<&str> = actions.iter().filter_map(|&a| critical_verb(a)).collect();
        if verbs.is_empty() {
            return None;
        }
        // A gate after the caller: a gateway deciding per request or holding for approval, or
        // a node a person approves.
        let after_caller = path.iter().position(|&n| n == caller).map_or(0, |i| i + 1);
        let gated = path[after_caller..].iter().any(|&n| {
            self.gateway_has(n, &[Control::RequestTimePolicy, Control::HumanApproval])
                || self.is_approved(n)
        });
        if gated {
            return None;
        }
        let source = self.critical_source(caller)?;
        // A tool is called to act; a store is acted on directly.
        let preposition = if self.kind(tool) == NodeKind::Tool {
            "through"
        } else {
            "on"
        };
        Some(format!(
            "{source} can make {} {} {preposition} {} with no policy gate",
            self.display_name(caller),
            verbs.join(", "),
            self.display_name(tool)
        ))
    }

    /// "untrusted content from Supplier email", "AP clerk's approval": what starts a critical
    /// path at `caller`. Untrusted content counts at an agent, whose model it can steer; a
    /// workflow runs a fixed procedure on it. Content that reaches the agent only through a
    /// content filter is one level below the bar: the filter lowers it, never closes it.
    pub fn critical_source(&self, caller: NodeIndex) -> Option<String> {
        if self.kind(caller) == NodeKind::Agent
            && self.content_filter_before(caller).is_none()
            && let Some(source) = self.stated_exposure_source(caller)
            && source != caller
        {
            return Some(format!(
                "untrusted content from {}",
                self.display_name(source)
            ));
        }
        self.approvers(caller)
            .next()
            .map(|human| format!("{}'s approval", self.display_name(human)))
    }

    /// The people who approve `n`.
    fn approvers(&self, n: NodeIndex) -> impl Iterator<Item = NodeIndex> + '_ {
        self.related(n, Relation::Approves, petgraph::Direction::Incoming)
            .map(|(_, human)| human)
            .filter(|&human| self.kind(human) == NodeKind::Human)
    }

    fn is_approved(&self, n: NodeIndex) -> bool {
        self.approvers(n).next().is_some()
    }

    /// Where `n` runs, for titles: "production zone `prod`" (its innermost boundary's zone and
    /// id); `None` for a node in no boundary.
    pub fn zone_words(&self, n: NodeIndex) -> Option<String> {
        self.graph
            .boundary_of(n)
            .map(|b| format!("{} zone `{}`", b.zone, b.id))
    }

    /// The node's name as drawn, its id when it has none.
    pub fn display_name(&self, n: NodeIndex) -> &'m str {
        let name = self.name(n);
        if name.is_empty() { self.id(n) } else { name }
    }

    /// +1 when the actions include payment, admin or delete.
    pub fn impact_factor(&self, actions: &[Action]) -> Option<Factor> {
        let mut severe: Vec<Action> = actions
            .iter()
            .copied()
            .filter(|a| matches!(a, Action::Payment | Action::Admin | Action::Delete))
            .collect();
        severe.sort();
        severe.dedup();
        let severe: Vec<&str> = severe.iter().map(|a| a.as_str()).collect();
        (!severe.is_empty()).then(|| Factor {
            kind: FactorKind::ActionImpact,
            effect: 1,
            detail: format!("allows {}", severe.join(", ")),
        })
    }

    /// +1 when any of the datastores or memories holds restricted data (or credentials), −1
    /// when all of them are stated public.
    pub fn sensitivity_factor(&self, stores: &[NodeIndex]) -> Option<Factor> {
        let restricted: Vec<&str> = stores
            .iter()
            .filter(|&&n| {
                self.data_sensitivity(n) == Some(Sensitivity::Restricted)
                    || self.data_classes(n).contains(&DataClass::Credentials)
            })
            .map(|&n| self.id(n))
            .collect();
        if !restricted.is_empty() {
            return Some(Factor {
                kind: FactorKind::DataSensitivity,
                effect: 1,
                detail: format!("restricted data in {}", restricted.join(", ")),
            });
        }
        let all_public = !stores.is_empty()
            && stores
                .iter()
                .all(|&n| self.data_sensitivity(n) == Some(Sensitivity::Public));
        all_public.then(|| Factor {
            kind: FactorKind::DataSensitivity,
            effect: -1,
            detail: "only public data".into(),
        })
    }
}

pub fn is_untrusted_input(graph: &ModelGraph, n: NodeIndex) -> bool {
    match &graph.node(n).properties {
        NodeProperties::Input(input) => matches!(input.trust, Some(Trust::Untrusted) | None),
        _ => false,
    }
}

/// An input stated untrusted (not merely unstated).
pub fn is_stated_untrusted_input(graph: &ModelGraph, n: NodeIndex) -> bool {
    match &graph.node(n).properties {
        NodeProperties::Input(input) => input.trust == Some(Trust::Untrusted),
        _ => false,
    }
}

/// The verb of an action that meets the critical bar: "pay", "delete", "administer",
/// "execute".
fn critical_verb(action: Action) -> Option<&'static str> {
    match action {
        Action::Payment => Some("pay"),
        Action::Delete => Some("delete"),
        Action::Admin => Some("administer"),
        Action::Execute => Some("execute"),
        _ => None,
    }
}

fn gateway_has(graph: &ModelGraph, n: NodeIndex, controls: &[Control]) -> bool {
    match &graph.node(n).properties {
        NodeProperties::Gateway(gateway) => gateway.controls.iter().any(|c| controls.contains(c)),
        _ => false,
    }
}

/// "holds", "grants read, write", "is held by", "delegates (no authentication)".
fn hop_reason(edge: &Edge, reversed: bool) -> String {
    let actions = |list: &[Action]| {
        list.iter()
            .map(|a| a.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let forward = match edge.relation {
        Relation::Invokes => "invokes".to_owned(),
        Relation::ActsAs => "acts as".to_owned(),
        Relation::Holds => "holds".to_owned(),
        Relation::Grants if edge.permissions.is_empty() => {
            "grants unstated permissions on".to_owned()
        }
        Relation::Grants => format!("grants {} on", actions(&edge.permissions)),
        Relation::Reads => "reads".to_owned(),
        Relation::Writes => "writes".to_owned(),
        Relation::Feeds => "feeds content to".to_owned(),
        Relation::Sends => "sends to".to_owned(),
        Relation::Delegates => match edge.auth {
            None | Some(DelegationAuth::None) => "delegates, unauthenticated, to".to_owned(),
            Some(auth) => format!("delegates ({auth}) to"),
        },
        Relation::Approves => "approves".to_owned(),
        Relation::Triggers => "triggers".to_owned(),
    };
    if !reversed {
        return forward;
    }
    match edge.relation {
        Relation::Invokes => "is invoked by".to_owned(),
        Relation::ActsAs => "is the identity of".to_owned(),
        Relation::Holds => "is held by".to_owned(),
        Relation::Grants if edge.permissions.is_empty() => {
            "is granted unstated permissions by".to_owned()
        }
        Relation::Grants => format!("is granted ({}) by", actions(&edge.permissions)),
        Relation::Reads => "is read by".to_owned(),
        Relation::Writes => "is written by".to_owned(),
        Relation::Feeds => "is fed by".to_owned(),
        Relation::Sends => "receives from".to_owned(),
        Relation::Delegates => "is delegated to by".to_owned(),
        Relation::Approves => "is approved by".to_owned(),
        Relation::Triggers => "is triggered by".to_owned(),
    }
}

/// The severity after factors: context moves a finding at most one level from its check's
/// default, and only two aggravating factors together make a high finding critical — so
/// that "critical" keeps its meaning when factors pile up.
pub fn severity_with(default: Severity, net_factors: i32) -> Severity {
    if default == Severity::Info {
        return Severity::Info;
    }
    let raised = default.adjusted(net_factors.clamp(-1, 1));
    if raised == Severity::Critical && default != Severity::Critical && net_factors < 2 {
        return default;
    }
    raised
}

/// Builds a finding; `build` computes severity from the factors and the fingerprint from the
/// subjects.
pub struct FindingBuilder {
    rule: &'static Rule,
    title: String,
    subjects: Vec<String>,
    place: Option<String>,
    path: Vec<Step>,
    other_paths: u64,
    evidence: Vec<String>,
    factors: Vec<Factor>,
    assumptions: Vec<Assumption>,
    critical: Option<String>,
}

impl FindingBuilder {
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }

    /// The ids the finding is about, main one first; they make the fingerprint.
    pub fn subjects<I: IntoIterator<Item = S>, S: Into<String>>(mut self, subjects: I) -> Self {
        self.subjects = subjects.into_iter().map(Into::into).collect();
        self
    }

    /// Where the missing control belongs (the risk's place); the first subject when not said.
    pub fn place(mut self, id: impl Into<String>) -> Self {
        self.place = Some(id.into());
        self
    }

    /// Records that the verdict reads an unstated property of `element` as `reading`;
    /// `decisive` when the finding would not hold under any stated value that is safer.
    pub fn assumes(
        mut self,
        element: impl Into<String>,
        property: &'static str,
        reading: &'static str,
        decisive: bool,
    ) -> Self {
        let assumption = Assumption {
            element: element.into(),
            property,
            reading,
            decisive,
        };
        if !self.assumptions.contains(&assumption) {
            self.assumptions.push(assumption);
        }
        self
    }

    /// Marks the finding critical, saying which path meets the bar (docs/severity.md).
    pub fn critical(mut self, why: impl Into<String>) -> Self {
        self.critical = Some(why.into());
        self
    }

    /// The witness path and the count of other shortest paths.
    pub fn path(mut self, steps: Vec<Step>, shortest_paths: u64) -> Self {
        self.path = steps;
        self.other_paths = shortest_paths.saturating_sub(1);
        self
    }

    pub fn evidence(mut self, fact: impl Into<String>) -> Self {
        self.evidence.push(fact.into());
        self
    }

    pub fn factor(mut self, factor: Option<Factor>) -> Self {
        if let Some(factor) = factor
            && !self.factors.iter().any(|f| f.kind == factor.kind)
        {
            self.factors.push(factor);
        }
        self
    }

    pub fn build(mut self) -> Finding {
        self.factors.sort_by_key(|f| f.kind);
        let steps: i32 = self.factors.iter().map(|f| i32::from(f.effect)).sum();
        let default_severity = self.rule.default_severity;
        // Factors never make a finding critical: only a path that meets the bar does.
        let severity = if self.critical.is_some() {
            Severity::Critical
        } else {
            severity_with(default_severity, steps).min(Severity::High)
        };
        self.assumptions.sort();
        let place = self
            .place
            .or_else(|| self.subjects.first().cloned())
            .unwrap_or_default();
        Finding {
            rule: self.rule.id,
            fingerprint: findings::fingerprint(self.rule.id, &self.subjects),
            title: self.title,
            subjects: self.subjects,
            place,
            path: self.path,
            other_paths: self.other_paths,
            evidence: self.evidence,
            default_severity,
            severity,
            factors: self.factors,
            assumptions: self.assumptions,
            critical: self.critical,
            triage: None,
            baselined: false,
        }
    }
}
