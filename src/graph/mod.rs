//! The graph view of a model: a petgraph `StableDiGraph` with index maps both ways, and the
//! queries checks are written in — reachability under a filter, the shortest witness path
//! and how many shortest paths there are — each one breadth-first search, O(nodes + edges).
//!
//! Traversal order is by (relation, neighbour id), never by file order, so witness paths do
//! not change when a file's nodes or edges are reordered.

use rustc_hash::FxHashMap as HashMap;

use petgraph::Direction;
use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableDiGraph};

use crate::findings::{PATH_HEAD, PATH_TAIL};
use crate::model::{Boundary, Edge, Model, Node, NodeKind, Relation, Zone};

pub mod layered;

pub use petgraph::Direction::{Incoming, Outgoing};

pub struct ModelGraph<'m> {
    pub model: &'m Model,
    /// Node weights index `model.nodes`; edge weights index `model.edges`.
    graph: StableDiGraph<usize, usize>,
    by_id: HashMap<&'m str, NodeIndex>,
    /// Per node, its edges sorted by (relation, other end's id), for deterministic walks.
    out_edges: Vec<Vec<(EdgeIndex, NodeIndex)>>,
    in_edges: Vec<Vec<(EdgeIndex, NodeIndex)>>,
    /// Per node, the innermost boundary that lists it (index into `model.boundaries`).
    home: Vec<Option<usize>>,
    /// Per edge of the view, its place in `model.edges`: the petgraph weight, kept where a
    /// search reads it without loading the rest of petgraph's edge.
    edge_in_model: Vec<usize>,
    /// Per node, its kind: the searches ask it of every node they reach, and a byte per node
    /// stays in the cache where the nodes themselves, on a large model, do not.
    kinds: Vec<NodeKind>,
    /// Boundaries by id, for naming one a finding mentions.
    boundaries_by_id: HashMap<&'m str, usize>,
}

/// How a search moves: which outgoing edges it walks forwards, which incoming edges it walks
/// backwards (content that flows against an edge, like data returned to a reader), and
/// through which nodes it may continue. A node that does not pass can still be reached, but
/// not passed through: this is how a gateway with a control breaks a path.
pub struct Traversal<'a> {
    pub forward: &'a dyn Fn(&Edge) -> bool,
    pub backward: &'a dyn Fn(&Edge) -> bool,
    pub passes: &'a dyn Fn(NodeIndex) -> bool,
}

fn no_edge(_: &Edge) -> bool {
    false
}

fn every_node(_: NodeIndex) -> bool {
    true
}

impl<'a> Traversal<'a> {
    /// Walks the outgoing edges `follows` accepts, through every node.
    pub fn forward(follows: &'a dyn Fn(&Edge) -> bool) -> Self {
        Traversal {
            forward: follows,
            backward: &no_edge,
            passes: &every_node,
        }
    }

    /// Walks the incoming edges `follows` accepts, from their target to their source.
    pub fn backward(follows: &'a dyn Fn(&Edge) -> bool) -> Self {
        Traversal {
            forward: &no_edge,
            backward: follows,
            passes: &every_node,
        }
    }

    /// The same walk, stopping at nodes `passes` rejects.
    pub fn through(self, passes: &'a dyn Fn(NodeIndex) -> bool) -> Self {
        Traversal { passes, ..self }
    }
}

/// One edge of a witness path; `reversed` when the path walked it from target to source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WitnessHop {
    pub edge: EdgeIndex,
    pub reversed: bool,
}

/// One shortest path from a source to a target, and how many shortest paths there are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Witness {
    /// From the source to the target, in order.
    pub nodes: Vec<NodeIndex>,
    /// `hops[i]` joins `nodes[i]` and `nodes[i + 1]`.
    pub hops: Vec<WitnessHop>,
    /// How many distinct shortest paths reach the target (saturating).
    pub shortest_paths: u64,
    /// How many nodes [`Search::witness_ends`] left out after the first [`PATH_HEAD`]:
    /// `hops[PATH_HEAD - 1]` then comes into `nodes[PATH_HEAD]` from the last of them.
    /// Zero for a whole path, the only kind that can be reversed or joined.
    pub elided: usize,
}

impl Witness {
    /// The path of one node: a finding about the node itself.
    pub fn at(node: NodeIndex) -> Witness {
        Witness {
            nodes: vec![node],
            hops: Vec::new(),
            shortest_paths: 1,
            elided: 0,
        }
    }

    /// The path of one edge, walked from `from` to `to`.
    pub fn one_hop(from: NodeIndex, edge: EdgeIndex, to: NodeIndex) -> Witness {
        Witness {
            nodes: vec![from, to],
            hops: vec![WitnessHop {
                edge,
                reversed: false,
            }],
            shortest_paths: 1,
            elided: 0,
        }
    }
}

#[derive(Clone, Copy)]
struct Entry {
    distance: u32,
    predecessor: Option<(WitnessHop, NodeIndex)>,
    paths: u64,
    /// The source the witness path starts at, kept so that asking for it costs nothing
    /// however long the path.
    origin: NodeIndex,
    /// The node on the witness path at distance `PATH_HEAD - 1` (or the node itself when
    /// nearer): where [`Search::witness_ends`] walks the start of a long path back from.
    anchor: NodeIndex,
}

/// The result of one breadth-first search: for each reached node its distance, first
/// predecessor and number of shortest paths. Sparse, so that many small searches over a
/// large model cost what they visit, not the model's size.
pub struct Search {
    entries: Entries,
    order: Vec<NodeIndex>,
    complete: bool,
}

/// A search's entries by node: a table with a slot per node of the model, so that a lookup is
/// an index and not a hash. The slot table is taken from a pool and handed back cleared, slot
/// by reached slot, so that a search still costs what it visits, not the model's size, when a
/// check runs one per agent.
struct Entries {
    /// Per node, where its entry is in `list`, or `UNREACHED`.
    slots: Vec<u32>,
    list: Vec<(NodeIndex, Entry)>,
}

const UNREACHED: u32 = u32::MAX;

thread_local! {
    /// Slot tables of finished searches, all `UNREACHED`: a run of the checks has a handful
    /// alive at once.
    static SLOT_TABLES: std::cell::RefCell<Vec<Vec<u32>>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// How many cleared slot tables a thread keeps for the next searches.
const KEPT_SLOT_TABLES: usize = 16;

impl Entries {
    fn new(nodes: usize) -> Self {
        let mut slots = SLOT_TABLES
            .with(|tables| tables.borrow_mut().pop())
            .unwrap_or_default();
        if slots.len() < nodes {
            slots.resize(nodes, UNREACHED);
        }
        Entries {
            slots,
            list: Vec::new(),
        }
    }

    fn get(&self, node: NodeIndex) -> Option<&Entry> {
        match self.slots[node.index()] {
            UNREACHED => None,
            slot => Some(&self.list[slot as usize].1),
        }
    }

    fn get_mut(&mut self, node: NodeIndex) -> Option<&mut Entry> {
        match self.slots[node.index()] {
            UNREACHED => None,
            slot => Some(&mut self.list[slot as usize].1),
        }
    }

    /// Adds the entry of a node not reached before.
    fn insert(&mut self, node: NodeIndex, entry: Entry) {
        debug_assert_eq!(self.slots[node.index()], UNREACHED);
        self.slots[node.index()] = self.list.len() as u32;
        self.list.push((node, entry));
    }
}

impl std::ops::Index<NodeIndex> for Entries {
    type Output = Entry;

    fn index(&self, node: NodeIndex) -> &Entry {
        self.get(node).expect("the node was reached")
    }
}

impl Drop for Entries {
    fn drop(&mut self) {
        for &(node, _) in &self.list {
            self.slots[node.index()] = UNREACHED;
        }
        let slots = std::mem::take(&mut self.slots);
        SLOT_TABLES.with(|tables| {
            let mut tables = tables.borrow_mut();
            if tables.len() < KEPT_SLOT_TABLES {
                tables.push(slots);
            }
        });
    }
}

impl Search {
    pub fn reached(&self, node: NodeIndex) -> bool {
        self.entries.get(node).is_some()
    }

    pub fn distance(&self, node: NodeIndex) -> Option<u32> {
        self.entries.get(node).map(|entry| entry.distance)
    }

    /// Whether the search explored everything it could reach; false when
    /// [`ModelGraph::search_for`] stopped once it had found enough.
    pub fn is_complete(&self) -> bool {
        self.complete
    }

    /// Every reached node, in the order the search reached it (nearest first).
    pub fn reached_nodes(&self) -> impl Iterator<Item = NodeIndex> + '_ {
        self.order.iter().copied()
    }

    /// The witness to `target` as a finding shows it: a path of more than
    /// `PATH_HEAD + PATH_TAIL` nodes keeps its first [`PATH_HEAD`] and last [`PATH_TAIL`] and
    /// counts the rest in `elided`. It costs those steps, not the path's length: down a deep
    /// chain of delegation, each of thousands of findings would otherwise walk the chain.
    pub fn witness_ends(&self, target: NodeIndex) -> Option<Witness> {
        let entry = *self.entries.get(target)?;
        let distance = entry.distance as usize;
        let head_hops = PATH_HEAD - 1;
        if distance < head_hops + PATH_TAIL + 2 {
            return self.witness(target);
        }
        let walk_back = |from: NodeIndex, hops: usize| {
            let mut nodes = vec![from];
            let mut walked = Vec::with_capacity(hops);
            let mut at = self.entries[from];
            for _ in 0..hops {
                let (hop, previous) = at.predecessor.expect("a path this long has predecessors");
                walked.push(hop);
                nodes.push(previous);
                at = self.entries[previous];
            }
            nodes.reverse();
            walked.reverse();
            (nodes, walked)
        };
        let (mut nodes, mut hops) = walk_back(entry.anchor, head_hops);
        let (tail_nodes, tail_hops) = walk_back(target, PATH_TAIL);
        // The tail's first node is left out; its hop into the next is kept.
        nodes.extend(&tail_nodes[1..]);
        hops.extend(tail_hops);
        Some(Witness {
            nodes,
            hops,
            shortest_paths: entry.paths,
            elided: distance - head_hops - PATH_TAIL,
        })
    }

    /// The source the shortest path to `target` starts at: the witness's first node.
    pub fn origin(&self, target: NodeIndex) -> Option<NodeIndex> {
        self.entries.get(target).map(|entry| entry.origin)
    }

    /// The shortest path to `target`, in the order it was walked from the source.
    pub fn witness(&self, target: NodeIndex) -> Option<Witness> {
        let mut entry = *self.entries.get(target)?;
        let mut nodes = vec![target];
        let mut hops = Vec::new();
        while let Some((hop, previous)) = entry.predecessor {
            hops.push(hop);
            nodes.push(previous);
            entry = self.entries[previous];
        }
        nodes.reverse();
        hops.reverse();
        Some(Witness {
            nodes,
            hops,
            shortest_paths: self.entries[target].paths,
            elided: 0,
        })
    }
}

impl<'m> ModelGraph<'m> {
    /// Builds the view. Edges whose ends are missing are left out: validation reports them.
    pub fn new(model: &'m Model) -> Self {
        let mut graph = StableDiGraph::with_capacity(model.nodes.len(), model.edges.len());
        let mut by_id = HashMap::with_capacity_and_hasher(model.nodes.len(), Default::default());
        for (index, node) in model.nodes.iter().enumerate() {
            let node_index = graph.add_node(index);
            by_id.entry(node.id.as_str()).or_insert(node_index);
        }
        let mut out_edges = vec![Vec::new(); model.nodes.len()];
        let mut in_edges = vec![Vec::new(); model.nodes.len()];
        let mut edge_in_model = Vec::with_capacity(model.edges.len());
        for (index, edge) in model.edges.iter().enumerate() {
            if let (Some(&from), Some(&to)) =
                (by_id.get(edge.from.as_str()), by_id.get(edge.to.as_str()))
            {
                let edge_index = graph.add_edge(from, to, index);
                edge_in_model.push(index);
                out_edges[from.index()].push((edge_index, to));
                in_edges[to.index()].push((edge_index, from));
            }
        }
        let order_key = |&(edge, other): &(EdgeIndex, NodeIndex)| {
            let edge = &model.edges[graph[edge]];
            (
                edge.relation,
                model.nodes[graph[other]].id.as_str(),
                edge.id.as_str(),
            )
        };
        for list in out_edges.iter_mut().chain(in_edges.iter_mut()) {
            list.sort_by(|a, b| order_key(a).cmp(&order_key(b)));
        }
        let home = innermost_boundaries(model, &by_id);
        let kinds = model.nodes.iter().map(Node::kind).collect();
        let boundaries_by_id = model
            .boundaries
            .iter()
            .enumerate()
            .map(|(index, boundary)| (boundary.id.as_str(), index))
            .collect();
        ModelGraph {
            model,
            graph,
            by_id,
            out_edges,
            in_edges,
            home,
            edge_in_model,
            kinds,
            boundaries_by_id,
        }
    }

    pub fn petgraph(&self) -> &StableDiGraph<usize, usize> {
        &self.graph
    }

    pub fn node_count(&self) -> usize {
        self.model.nodes.len()
    }

    pub fn index_of(&self, id: &str) -> Option<NodeIndex> {
        self.by_id.get(id).copied()
    }

    /// The kind of the node with this id, if there is one.
    pub fn kind_of(&self, id: &str) -> Option<NodeKind> {
        self.index_of(id).map(|n| self.kind(n))
    }

    pub fn node(&self, index: NodeIndex) -> &'m Node {
        // Nodes are added in file order, so a node's index is its place in the model.
        &self.model.nodes[index.index()]
    }

    pub fn edge(&self, index: EdgeIndex) -> &'m Edge {
        // Edges are added in order and never removed, so an edge's index is its place here.
        &self.model.edges[self.edge_in_model[index.index()]]
    }

    pub fn id(&self, index: NodeIndex) -> &'m str {
        &self.node(index).id
    }

    pub fn kind(&self, index: NodeIndex) -> NodeKind {
        self.kinds[index.index()]
    }

    /// Every node, in file order.
    pub fn nodes(&self) -> impl Iterator<Item = NodeIndex> + '_ {
        (0..self.model.nodes.len()).map(NodeIndex::new)
    }

    pub fn nodes_of_kind(&self, kind: NodeKind) -> impl Iterator<Item = NodeIndex> + '_ {
        self.nodes().filter(move |&n| self.kind(n) == kind)
    }

    /// A node's edges in one direction, as (edge, other end), in deterministic order.
    pub fn edges(&self, node: NodeIndex, direction: Direction) -> &[(EdgeIndex, NodeIndex)] {
        match direction {
            Outgoing => &self.out_edges[node.index()],
            Incoming => &self.in_edges[node.index()],
        }
    }

    /// Whether an edge of `relation` goes from `from` to `to`: a binary search of `from`'s
    /// sorted edges, so a check can ask it for every edge of a hub.
    pub fn has_edge(&self, from: NodeIndex, relation: Relation, to: NodeIndex) -> bool {
        let to_id = self.id(to);
        let edges = self.edges(from, Outgoing);
        let key =
            |&(edge, other): &(EdgeIndex, NodeIndex)| (self.edge(edge).relation, self.id(other));
        let start = edges.partition_point(|e| key(e) < (relation, to_id));
        edges
            .get(start)
            .is_some_and(|e| key(e) == (relation, to_id))
    }

    /// The boundary with this id, if there is one.
    pub fn boundary(&self, id: &str) -> Option<&'m Boundary> {
        self.boundaries_by_id
            .get(id)
            .map(|&index| &self.model.boundaries[index])
    }

    /// The innermost trust boundary a node is listed in.
    pub fn boundary_of(&self, node: NodeIndex) -> Option<&'m Boundary> {
        self.home[node.index()].map(|b| &self.model.boundaries[b])
    }

    /// The zone a node runs in: that of its innermost boundary, which every boundary states.
    /// `None` for a node no boundary lists.
    pub fn zone(&self, node: NodeIndex) -> Option<Zone> {
        self.boundary_of(node).map(|b| b.zone)
    }

    /// Whether an edge's ends sit in different innermost boundaries.
    pub fn crosses_boundary(&self, edge: EdgeIndex) -> bool {
        let (from, to) = self.graph.edge_endpoints(edge).expect("edge exists");
        self.home[from.index()] != self.home[to.index()]
    }

    /// Breadth-first search from `sources` (all at distance 0). Sources are taken in id
    /// order, so the witness does not depend on the order they were given in.
    pub fn search(&self, sources: &[NodeIndex], traversal: &Traversal<'_>) -> Search {
        self.search_for(sources, traversal, |_| false, usize::MAX)
    }

    /// The search of [`ModelGraph::search`], stopped once it has reached `enough` nodes that
    /// `is_target` accepts and has finished the level of the nearest of them, so that its
    /// distance and number of shortest paths are exact. A check that needs a few targets and
    /// whether there are more costs what it shows, not everything its sources can reach (on a
    /// shared gateway, every tool behind it).
    pub fn search_for(
        &self,
        sources: &[NodeIndex],
        traversal: &Traversal<'_>,
        is_target: impl Fn(NodeIndex) -> bool,
        enough: usize,
    ) -> Search {
        let mut search = Search {
            entries: Entries::new(self.node_count()),
            order: Vec::new(),
            complete: true,
        };
        // How many targets were reached, and the distance of the nearest.
        let mut found = 0;
        let mut nearest: Option<u32> = None;
        let note =
            |node: NodeIndex, distance: u32, found: &mut usize, nearest: &mut Option<u32>| {
                if is_target(node) {
                    *found += 1;
                    nearest.get_or_insert(distance);
                }
            };
        let mut ordered: Vec<NodeIndex> = sources.to_vec();
        ordered.sort_by_key(|&n| self.id(n));
        ordered.dedup();
        for &source in &ordered {
            search.entries.insert(
                source,
                Entry {
                    distance: 0,
                    predecessor: None,
                    paths: 1,
                    origin: source,
                    anchor: source,
                },
            );
            search.order.push(source);
            note(source, 0, &mut found, &mut nearest);
        }
        let satisfied = |found: usize, nearest: Option<u32>, level: u32| {
            found >= enough && nearest.is_some_and(|d| d <= level)
        };
        let mut next = 0;
        while let Some(&node) = search.order.get(next) {
            next += 1;
            let here = search.entries[node];
            if satisfied(found, nearest, here.distance) {
                search.complete = false;
                break;
            }
            if here.distance > 0 && !(traversal.passes)(node) {
                continue;
            }
            let steps = self.out_edges[node.index()]
                .iter()
                .filter(|(edge, _)| (traversal.forward)(self.edge(*edge)))
                .map(|&(edge, other)| {
                    (
                        WitnessHop {
                            edge,
                            reversed: false,
                        },
                        other,
                    )
                })
                .chain(
                    self.in_edges[node.index()]
                        .iter()
                        .filter(|(edge, _)| (traversal.backward)(self.edge(*edge)))
                        .map(|&(edge, other)| {
                            (
                                WitnessHop {
                                    edge,
                                    reversed: true,
                                },
                                other,
                            )
                        }),
                );
            for (hop, other) in steps {
                match search.entries.get_mut(other) {
                    None => {
                        search.entries.insert(
                            other,
                            Entry {
                                distance: here.distance + 1,
                                predecessor: Some((hop, node)),
                                paths: here.paths,
                                origin: here.origin,
                                anchor: if (here.distance as usize) < PATH_HEAD - 1 {
                                    other
                                } else {
                                    here.anchor
                                },
                            },
                        );
                        search.order.push(other);
                        note(other, here.distance + 1, &mut found, &mut nearest);
                        if satisfied(found, nearest, here.distance) {
                            search.complete = false;
                            return search;
                        }
                    }
                    Some(entry) if entry.distance == here.distance + 1 => {
                        entry.paths = entry.paths.saturating_add(here.paths);
                    }
                    Some(_) => {}
                }
            }
        }
        search
    }

    /// The nodes reachable from `sources` (sources included).
    pub fn reachable(&self, sources: &[NodeIndex], traversal: &Traversal<'_>) -> Vec<NodeIndex> {
        self.search(sources, traversal).reached_nodes().collect()
    }

    /// The shortest path from any source to the nearest node `is_target` accepts; ties are
    /// broken by the target's id.
    pub fn shortest_path(
        &self,
        sources: &[NodeIndex],
        is_target: impl Fn(NodeIndex) -> bool,
        traversal: &Traversal<'_>,
    ) -> Option<Witness> {
        let search = self.search(sources, traversal);
        search
            .reached_nodes()
            .filter(|&n| is_target(n))
            .min_by_key(|&n| (search.distance(n), self.id(n)))
            .and_then(|n| search.witness(n))
    }
}

/// For each node, the deepest boundary (by nesting) among those listing it.
fn innermost_boundaries(model: &Model, by_id: &HashMap<&str, NodeIndex>) -> Vec<Option<usize>> {
    let index_of: HashMap<&str, usize> = model
        .boundaries
        .iter()
        .enumerate()
        .map(|(i, b)| (b.id.as_str(), i))
        .collect();
    let depth = |mut boundary: usize| {
        let mut depth = 0;
        while let Some(parent) = model.boundaries[boundary]
            .parent
            .as_deref()
            .and_then(|p| index_of.get(p))
        {
            depth += 1;
            boundary = *parent;
            if depth > model.boundaries.len() {
                break;
            }
        }
        depth
    };
    let mut home: Vec<Option<(usize, usize)>> = vec![None; model.nodes.len()];
    for (index, boundary) in model.boundaries.iter().enumerate() {
        let boundary_depth = depth(index);
        for member in &boundary.members {
            if let Some(node) = by_id.get(member.as_str()) {
                let slot = &mut home[node.index()];
                if slot.is_none_or(|(_, d)| boundary_depth > d) {
                    *slot = Some((index, boundary_depth));
                }
            }
        }
    }
    home.into_iter()
        .map(|h| h.map(|(index, _)| index))
        .collect()
}
