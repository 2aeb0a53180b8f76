//! Where a diagram draws each node, boundary and edge: read from the model's own `layout`
//! (what the app shows), or, for a model that has none, computed by a layered
//! (Sugiyama-style) layout, left to right along the edges.
//!
//! Boundaries are laid out as compound nodes: a boundary's contents are laid out first, then
//! the boundary is one box among its siblings. Members therefore stay together and boxes
//! never overlap, with no separate packing step. Every phase is linear or n log n in the size
//! of the model, with a fixed number of ordering and placement sweeps, and every choice is
//! made in id order, so the same model always gives the same picture whatever its file order.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;

use crate::model::{Model, NodeKind, Rect};

/// The size the app draws every node at (`ui/src/model/geometry.ts`), so that a model's own
/// layout has the same proportions in the report as on screen.
pub const NODE_WIDTH: f64 = 232.0;
pub const NODE_HEIGHT: f64 = 72.0;
/// Room above a boundary's contents for its label, and the margin around them (as in the app).
pub const BOUNDARY_HEADER: f64 = 44.0;
pub const BOUNDARY_PADDING: f64 = 28.0;
const BOUNDARY_MIN: (f64, f64) = (200.0, 120.0);
const BOUNDARY_DEFAULT: (f64, f64) = (480.0, 300.0);

/// The automatic layout's nodes are a little smaller than the app's, which also hold an icon:
/// the drawing then fits a page at a larger scale.
const AUTO_NODE: (f64, f64) = (200.0, 62.0);
const AUTO_PADDING: f64 = 22.0;
/// Between layers there is room for an edge's label.
const LAYER_GAP: f64 = 100.0;
const NODE_GAP: f64 = 30.0;
/// A long edge passes through one slot per layer it crosses, so it does not run behind nodes.
const DUMMY_HEIGHT: f64 = 14.0;
const DUMMY_GAP: f64 = 12.0;
const COMPONENT_GAP: f64 = 64.0;
/// Width over height that tall layers and disconnected parts are packed towards: a page in
/// landscape.
const ASPECT: f64 = 1.6;
const ORDER_SWEEPS: usize = 6;
const PLACE_SWEEPS: usize = 8;

/// A diagram's geometry in abstract units (the app's pixels), y growing downwards.
#[derive(Clone, Debug, PartialEq)]
pub struct DiagramLayout {
    /// Each node's box, by id.
    pub nodes: BTreeMap<String, Rect>,
    /// Each boundary's box, by id; a nested boundary's box lies inside its parent's.
    pub boundaries: BTreeMap<String, Rect>,
    /// Per edge of `model.edges`, the points a long edge bends through between its ends, in
    /// order from `from` to `to`; empty for a straight edge.
    pub bends: Vec<Vec<(f64, f64)>>,
    /// The box around everything above (zero-sized at the origin when there is nothing).
    pub bounds: Rect,
}

impl DiagramLayout {
    /// The model's own layout when it has one (the picture the app shows), the layered layout
    /// otherwise.
    pub fn of(model: &Model) -> DiagramLayout {
        if model.layout.is_empty() {
            DiagramLayout::layered(model)
        } else {
            DiagramLayout::from_layout(model)
        }
    }

    /// The model's `layout` section completed the way the app completes it: a node without a
    /// position goes on a grid below the drawing, grouped by boundary; a boundary without a
    /// box gets the box around its contents.
    pub fn from_layout(model: &Model) -> DiagramLayout {
        let groups = Groups::new(model);
        let mut nodes: BTreeMap<String, Rect> = BTreeMap::new();
        let mut missing = Vec::new();
        for (index, node) in model.nodes.iter().enumerate() {
            match model.layout.nodes.get(&node.id) {
                Some(p) if p.x.is_finite() && p.y.is_finite() => {
                    nodes.insert(node.id.clone(), node_rect(p.x, p.y));
                }
                _ => missing.push(index),
            }
        }
        let mut boundaries: BTreeMap<String, Rect> = BTreeMap::new();
        for boundary in &model.boundaries {
            if let Some(r) = model.layout.boundaries.get(&boundary.id)
                && [r.x, r.y, r.width, r.height].iter().all(|v| v.is_finite())
                && r.width > 0.0
                && r.height > 0.0
            {
                boundaries.insert(boundary.id.clone(), *r);
            }
        }

        if !missing.is_empty() {
            let placed = union(nodes.values().chain(boundaries.values()));
            let origin_x = placed.map_or(0.0, |p| p.x);
            let mut y = placed.map_or(0.0, |p| p.y + p.height + 80.0);
            let home_id = |index: usize| match groups.home[index] {
                0 => "",
                group => model.boundaries[group - 1].id.as_str(),
            };
            missing.sort_by(|&a, &b| home_id(a).cmp(home_id(b)));
            let (grid_x, grid_y, columns) = (NODE_WIDTH + 64.0, NODE_HEIGHT + 56.0, 6);
            let mut column = 0;
            let mut group = groups.home[missing[0]];
            for &index in &missing {
                let home = groups.home[index];
                if home != group || column == columns {
                    y += grid_y;
                    if home != group {
                        y += BOUNDARY_HEADER + BOUNDARY_PADDING * 2.0;
                    }
                    column = 0;
                    group = home;
                }
                let x = origin_x + f64::from(column) * grid_x;
                nodes
                    .entry(model.nodes[index].id.clone())
                    .or_insert_with(|| node_rect(x, y));
                column += 1;
            }
        }

        // Boxes for boundaries without one, innermost first, around what they contain.
        let mut order: Vec<usize> = (0..model.boundaries.len()).collect();
        order.sort_by_key(|&b| Reverse(groups.depth[b + 1]));
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); groups.parent.len()];
        for b in 0..model.boundaries.len() {
            children[groups.parent[b + 1]].push(b);
        }
        let mut spare: Option<(f64, f64)> = None;
        for b in order {
            let boundary = &model.boundaries[b];
            if boundaries.contains_key(&boundary.id) {
                continue;
            }
            let members = boundary.members.iter().filter_map(|m| nodes.get(m));
            let nested = children[b + 1]
                .iter()
                .filter_map(|&c| boundaries.get(&model.boundaries[c].id));
            let rect = match union(members.chain(nested)) {
                Some(around) => Rect {
                    x: around.x - BOUNDARY_PADDING,
                    y: around.y - BOUNDARY_PADDING - BOUNDARY_HEADER,
                    width: around.width + BOUNDARY_PADDING * 2.0,
                    height: around.height + BOUNDARY_PADDING * 2.0 + BOUNDARY_HEADER,
                },
                None => {
                    let (x, y) = *spare.get_or_insert_with(|| {
                        union(nodes.values().chain(boundaries.values()))
                            .map_or((0.0, 0.0), |all| (all.x + all.width + 80.0, all.y))
                    });
                    spare = Some((x, y + BOUNDARY_DEFAULT.1 + 40.0));
                    Rect {
                        x,
                        y,
                        width: BOUNDARY_DEFAULT.0,
                        height: BOUNDARY_DEFAULT.1,
                    }
                }
            };
            boundaries.insert(boundary.id.clone(), rect);
        }

        let bounds = union(nodes.values().chain(boundaries.values())).unwrap_or(EMPTY);
        DiagramLayout {
            nodes,
            boundaries,
            bends: vec![Vec::new(); model.edges.len()],
            bounds,
        }
    }

    /// A layered layout of the whole model, left to right along the edges.
    pub fn layered(model: &Model) -> DiagramLayout {
        let groups = Groups::new(model);
        let group_count = groups.parent.len();

        // The items each group lays out: its own nodes and its child boundaries, in id order.
        let mut items: Vec<Vec<Item>> = vec![Vec::new(); group_count];
        for (index, node) in model.nodes.iter().enumerate() {
            if groups.node_index.get(node.id.as_str()) == Some(&index) {
                items[groups.home[index]].push(Item::Node(index));
            }
        }
        for b in 0..model.boundaries.len() {
            items[groups.parent[b + 1]].push(Item::Group(b + 1));
        }
        let item_id = |item: &Item| match *item {
            Item::Node(index) => model.nodes[index].id.as_str(),
            Item::Group(group) => model.boundaries[group - 1].id.as_str(),
        };
        let mut node_slot = vec![0; model.nodes.len()];
        let mut group_slot = vec![0; group_count];
        for list in &mut items {
            list.sort_by(|a, b| item_id(a).cmp(item_id(b)).then(a.cmp(b)));
            for (slot, item) in list.iter().enumerate() {
                match *item {
                    Item::Node(index) => node_slot[index] = slot,
                    Item::Group(group) => group_slot[group] = slot,
                }
            }
        }

        // Each edge is laid out in the innermost group holding both ends, between the items
        // of that group that contain them.
        let mut fed = vec![false; model.nodes.len()];
        for edge in &model.edges {
            if let Some(&to) = groups.node_index.get(edge.to.as_str())
                && edge.from != edge.to
            {
                fed[to] = true;
            }
        }
        let mut level_edges: Vec<Vec<(usize, usize, usize)>> = vec![Vec::new(); group_count];
        let mut weights: Vec<Vec<i64>> = vec![Vec::new(); group_count];
        for (e, edge) in model.edges.iter().enumerate() {
            let (Some(&from), Some(&to)) = (
                groups.node_index.get(edge.from.as_str()),
                groups.node_index.get(edge.to.as_str()),
            ) else {
                continue;
            };
            if from == to {
                continue;
            }
            let (mut gu, mut gv) = (groups.home[from], groups.home[to]);
            let (mut su, mut sv) = (node_slot[from], node_slot[to]);
            while gu != gv {
                let (du, dv) = (groups.depth[gu], groups.depth[gv]);
                if du >= dv {
                    su = group_slot[gu];
                    gu = groups.parent[gu];
                }
                if dv >= du {
                    sv = group_slot[gv];
                    gv = groups.parent[gv];
                }
            }
            level_edges[gu].push((su, sv, e));
            weights[gu].push(flow_weight(model, from, &fed));
        }

        // Innermost groups first, so that a boundary's size is known when its parent is laid out.
        let mut bottom_up: Vec<usize> = (0..group_count).collect();
        bottom_up.sort_by_key(|&g| Reverse(groups.depth[g]));
        let mut size = vec![(0.0, 0.0); group_count];
        let mut inset = vec![(0.0, 0.0); group_count];
        let mut levels: Vec<Level> = (0..group_count).map(|_| Level::default()).collect();
        for &g in &bottom_up {
            let sizes: Vec<(f64, f64)> = items[g]
                .iter()
                .map(|item| match *item {
                    Item::Node(_) => AUTO_NODE,
                    Item::Group(child) => size[child],
                })
                .collect();
            let edges: Vec<(usize, usize)> =
                level_edges[g].iter().map(|&(a, b, _)| (a, b)).collect();
            let level = layout_level(&sizes, &edges, &weights[g]);
            let (width, height) = level.size;
            if g == 0 {
                size[g] = (width, height);
            } else {
                let outer_width = (width + AUTO_PADDING * 2.0).max(BOUNDARY_MIN.0);
                let outer_height =
                    (height + BOUNDARY_HEADER + AUTO_PADDING * 2.0).max(BOUNDARY_MIN.1);
                size[g] = (outer_width, outer_height);
                inset[g] = ((outer_width - width) / 2.0, BOUNDARY_HEADER + AUTO_PADDING);
            }
            levels[g] = level;
        }

        let mut nodes = BTreeMap::new();
        let mut boundaries = BTreeMap::new();
        let mut bends = vec![Vec::new(); model.edges.len()];
        let mut origin = vec![(0.0, 0.0); group_count];
        for &g in bottom_up.iter().rev() {
            let (ox, oy) = (origin[g].0 + inset[g].0, origin[g].1 + inset[g].1);
            let level = &levels[g];
            for (item, &(x, y)) in items[g].iter().zip(&level.positions) {
                let (x, y) = (ox + x, oy + y);
                match *item {
                    Item::Node(index) => {
                        let (width, height) = AUTO_NODE;
                        nodes.insert(
                            model.nodes[index].id.clone(),
                            Rect {
                                x,
                                y,
                                width,
                                height,
                            },
                        );
                    }
                    Item::Group(child) => {
                        origin[child] = (x, y);
                        let (width, height) = size[child];
                        boundaries.insert(
                            model.boundaries[child - 1].id.clone(),
                            Rect {
                                x,
                                y,
                                width,
                                height,
                            },
                        );
                    }
                }
            }
            for (&(_, _, e), points) in level_edges[g].iter().zip(&level.bends) {
                bends[e] = points.iter().map(|&(x, y)| (ox + x, oy + y)).collect();
            }
        }
        let bounds = union(nodes.values().chain(boundaries.values())).unwrap_or(EMPTY);
        DiagramLayout {
            nodes,
            boundaries,
            bends,
            bounds,
        }
    }

    /// The same drawing with the space between things widened by `fx` and `fy` (at least 1)
    /// about the top-left corner of the bounds; nodes keep their size and stay inside their
    /// boundaries. Used to fill a page whose proportions differ from the layout's.
    pub fn spread(&self, fx: f64, fy: f64) -> DiagramLayout {
        let (fx, fy) = (fx.max(1.0), fy.max(1.0));
        let (ox, oy) = (self.bounds.x, self.bounds.y);
        let point = |(x, y): (f64, f64)| (ox + (x - ox) * fx, oy + (y - oy) * fy);
        let scaled = |r: &Rect| Rect {
            x: ox + (r.x - ox) * fx,
            y: oy + (r.y - oy) * fy,
            width: r.width * fx,
            height: r.height * fy,
        };
        let nodes = self
            .nodes
            .iter()
            .map(|(id, r)| {
                let (cx, cy) = point((r.x + r.width / 2.0, r.y + r.height / 2.0));
                let rect = Rect {
                    x: cx - r.width / 2.0,
                    y: cy - r.height / 2.0,
                    ..*r
                };
                (id.clone(), rect)
            })
            .collect();
        DiagramLayout {
            nodes,
            boundaries: self
                .boundaries
                .iter()
                .map(|(id, r)| (id.clone(), scaled(r)))
                .collect(),
            bends: self
                .bends
                .iter()
                .map(|b| b.iter().copied().map(point).collect())
                .collect(),
            bounds: scaled(&self.bounds),
        }
    }
}

/// How strongly an edge pulls its source to the left when a cycle has to be broken: flows
/// start at inputs and people, above all at those nothing flows into.
fn flow_weight(model: &Model, from: usize, fed: &[bool]) -> i64 {
    match model.nodes[from].kind() {
        NodeKind::Input | NodeKind::Human if !fed[from] => 3,
        NodeKind::Input | NodeKind::Human => 2,
        _ => 1,
    }
}

const EMPTY: Rect = Rect {
    x: 0.0,
    y: 0.0,
    width: 0.0,
    height: 0.0,
};

fn node_rect(x: f64, y: f64) -> Rect {
    Rect {
        x,
        y,
        width: NODE_WIDTH,
        height: NODE_HEIGHT,
    }
}

fn union<'a>(rects: impl Iterator<Item = &'a Rect>) -> Option<Rect> {
    let mut out: Option<(f64, f64, f64, f64)> = None;
    for r in rects {
        let (x0, y0, x1, y1) = out.unwrap_or((r.x, r.y, r.x + r.width, r.y + r.height));
        out = Some((
            x0.min(r.x),
            y0.min(r.y),
            x1.max(r.x + r.width),
            y1.max(r.y + r.height),
        ));
    }
    out.map(|(x0, y0, x1, y1)| Rect {
        x: x0,
        y: y0,
        width: x1 - x0,
        height: y1 - y0,
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Item {
    Node(usize),
    Group(usize),
}

/// Boundaries as a tree. Group 0 is the whole diagram, group `b + 1` is `model.boundaries[b]`.
/// Built from any model, valid or not: an unknown parent or a nesting cycle makes a boundary
/// top-level, so that drawing never loops.
struct Groups<'m> {
    parent: Vec<usize>,
    depth: Vec<usize>,
    /// Per node, the innermost group that lists it.
    home: Vec<usize>,
    /// Node ids to indexes into `model.nodes` (the first node with an id wins).
    node_index: HashMap<&'m str, usize>,
}

impl<'m> Groups<'m> {
    fn new(model: &'m Model) -> Groups<'m> {
        let mut node_index = HashMap::default();
        for (index, node) in model.nodes.iter().enumerate() {
            node_index.entry(node.id.as_str()).or_insert(index);
        }
        let mut boundary_index: HashMap<&str, usize> = HashMap::default();
        for (b, boundary) in model.boundaries.iter().enumerate() {
            boundary_index.entry(boundary.id.as_str()).or_insert(b + 1);
        }
        let count = model.boundaries.len() + 1;
        let mut parent = vec![0; count];
        for (b, boundary) in model.boundaries.iter().enumerate() {
            parent[b + 1] = boundary
                .parent
                .as_deref()
                .and_then(|p| boundary_index.get(p).copied())
                .unwrap_or(0);
        }
        // Depths, breaking any nesting cycle where the walk first meets it.
        const NEW: u8 = 0;
        const WALKING: u8 = 1;
        const DONE: u8 = 2;
        let mut state = vec![NEW; count];
        let mut depth = vec![0; count];
        state[0] = DONE;
        let mut chain = Vec::new();
        for start in 1..count {
            loop {
                chain.clear();
                let mut current = start;
                while state[current] == NEW {
                    state[current] = WALKING;
                    chain.push(current);
                    current = parent[current];
                }
                if state[current] == WALKING {
                    parent[current] = 0;
                    for &group in &chain {
                        state[group] = NEW;
                    }
                    continue;
                }
                // The chain now ends at a finished group: assign from the top down.
                for &group in chain.iter().rev() {
                    depth[group] = depth[parent[group]] + 1;
                    state[group] = DONE;
                }
                break;
            }
        }

        let mut home = vec![0; model.nodes.len()];
        for (b, boundary) in model.boundaries.iter().enumerate() {
            for member in &boundary.members {
                if let Some(&node) = node_index.get(member.as_str())
                    && (home[node] == 0 || depth[b + 1] > depth[home[node]])
                {
                    home[node] = b + 1;
                }
            }
        }
        Groups {
            parent,
            depth,
            home,
            node_index,
        }
    }
}

/// One group's contents laid out: each item's top-left corner and the bend points of each
/// edge, relative to the contents' top-left corner, and the contents' size.
#[derive(Default)]
struct Level {
    positions: Vec<(f64, f64)>,
    bends: Vec<Vec<(f64, f64)>>,
    size: (f64, f64),
}

/// Lays out items of the given sizes joined by directed edges: each connected part by layers,
/// then the parts packed in rows.
fn layout_level(sizes: &[(f64, f64)], edges: &[(usize, usize)], weights: &[i64]) -> Level {
    let n = sizes.len();
    let mut level = Level {
        positions: vec![(0.0, 0.0); n],
        bends: vec![Vec::new(); edges.len()],
        size: (0.0, 0.0),
    };
    if n == 0 {
        return level;
    }
    // Connected parts, each listed in item order, the largest first.
    let mut root: Vec<usize> = (0..n).collect();
    fn find(root: &mut [usize], mut x: usize) -> usize {
        while root[x] != x {
            root[x] = root[root[x]];
            x = root[x];
        }
        x
    }
    for &(a, b) in edges {
        let (ra, rb) = (find(&mut root, a), find(&mut root, b));
        if ra != rb {
            root[ra.max(rb)] = ra.min(rb);
        }
    }
    let mut part_of = vec![usize::MAX; n];
    let mut parts: Vec<Vec<usize>> = Vec::new();
    for item in 0..n {
        let r = find(&mut root, item);
        if part_of[r] == usize::MAX {
            part_of[r] = parts.len();
            parts.push(Vec::new());
        }
        part_of[item] = part_of[r];
        parts[part_of[item]].push(item);
    }
    let mut part_edges: Vec<Vec<usize>> = vec![Vec::new(); parts.len()];
    for (e, &(a, _)) in edges.iter().enumerate() {
        part_edges[part_of[a]].push(e);
    }
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by_key(|&p| (Reverse(parts[p].len()), parts[p][0]));

    let mut local = vec![0; n];
    let mut laid = Vec::with_capacity(parts.len());
    for &p in &order {
        for (i, &item) in parts[p].iter().enumerate() {
            local[item] = i;
        }
        let part_sizes: Vec<(f64, f64)> = parts[p].iter().map(|&item| sizes[item]).collect();
        let part_edge_list: Vec<(usize, usize)> = part_edges[p]
            .iter()
            .map(|&e| (local[edges[e].0], local[edges[e].1]))
            .collect();
        let part_weights: Vec<i64> = part_edges[p].iter().map(|&e| weights[e]).collect();
        laid.push(layout_part(&part_sizes, &part_edge_list, &part_weights));
    }

    // Rows of parts, about as wide as a landscape page's proportions ask.
    let widest = laid.iter().map(|part| part.size.0).fold(0.0, f64::max);
    let area: f64 = laid
        .iter()
        .map(|part| (part.size.0 + COMPONENT_GAP) * (part.size.1 + COMPONENT_GAP))
        .sum();
    let row_width = widest.max((area * ASPECT).sqrt());
    let (mut x, mut y, mut row_height, mut width) = (0.0, 0.0, 0.0_f64, 0.0_f64);
    for (&p, part) in order.iter().zip(&laid) {
        let (w, h) = part.size;
        if x > 0.0 && x + w > row_width {
            y += row_height + COMPONENT_GAP;
            x = 0.0;
            row_height = 0.0;
        }
        for (&item, &(ix, iy)) in parts[p].iter().zip(&part.positions) {
            level.positions[item] = (x + ix, y + iy);
        }
        for (&e, points) in part_edges[p].iter().zip(&part.bends) {
            level.bends[e] = points.iter().map(|&(bx, by)| (x + bx, y + by)).collect();
        }
        width = width.max(x + w);
        row_height = row_height.max(h);
        x += w + COMPONENT_GAP;
    }
    level.size = (width, y + row_height);
    level
}

/// Lays out one connected part by layers: cycles broken by a greedy order, longest-path
/// layers, one slot per layer crossed by a long edge, barycenter ordering, then positions
/// within each layer pulled towards their neighbours.
fn layout_part(sizes: &[(f64, f64)], edges: &[(usize, usize)], weights: &[i64]) -> Level {
    let n = sizes.len();
    let m = edges.len();
    if n == 1 {
        return Level {
            positions: vec![(0.0, 0.0)],
            bends: vec![Vec::new(); m],
            size: sizes[0],
        };
    }

    // Cycles are broken by a greedy feedback arc set (Eades, Lin and Smyth): sinks go last,
    // sources first, otherwise the item whose edges out most outweigh its edges in; an edge
    // that points backwards in that order is laid out reversed.
    let order = greedy_order(n, edges, weights);
    let mut rank = vec![0; n];
    for (i, &v) in order.iter().enumerate() {
        rank[v] = i;
    }
    let reversed: Vec<bool> = edges.iter().map(|&(a, b)| rank[a] > rank[b]).collect();
    let dag: Vec<(usize, usize)> = edges
        .iter()
        .zip(&reversed)
        .map(|(&(a, b), &rev)| if rev { (b, a) } else { (a, b) })
        .collect();

    // The order in which a depth-first search along the edges first meets each item: items
    // near each other in the graph start near each other in their layers.
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in &dag {
        out[a].push(b);
    }
    for list in &mut out {
        list.sort_unstable_by_key(|&w| rank[w]);
        list.dedup();
    }
    let mut discovered = vec![usize::MAX; n];
    let mut count = 0;
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for &start in &order {
        if discovered[start] != usize::MAX {
            continue;
        }
        discovered[start] = count;
        count += 1;
        stack.push((start, 0));
        while let Some(top) = stack.last_mut() {
            let (v, next) = *top;
            match out[v].get(next) {
                Some(&w) => {
                    top.1 += 1;
                    if discovered[w] == usize::MAX {
                        discovered[w] = count;
                        count += 1;
                        stack.push((w, 0));
                    }
                }
                None => {
                    stack.pop();
                }
            }
        }
    }

    // Longest-path layers in topological order (the greedy order is one), then
    // each source moved next to its nearest successor so that inputs sit by what they feed.
    let mut successors: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut has_predecessor = vec![false; n];
    for &(a, b) in &dag {
        if a != b {
            successors[a].push(b);
            has_predecessor[b] = true;
        }
    }
    let mut layer = vec![0_usize; n];
    for &v in &order {
        for &w in &successors[v] {
            layer[w] = layer[w].max(layer[v] + 1);
        }
    }
    for v in 0..n {
        if !has_predecessor[v]
            && let Some(nearest) = successors[v].iter().map(|&w| layer[w]).min()
        {
            layer[v] = nearest - 1;
        }
    }
    let layer_count = layer.iter().max().map_or(1, |&max| max + 1);

    // Slots for long edges, within a budget so that pathological models stay linear.
    let mut size = sizes.to_vec();
    let mut dummy = vec![false; n];
    let mut segments: Vec<(usize, usize)> = Vec::with_capacity(m);
    let mut chains: Vec<Vec<usize>> = vec![Vec::new(); m];
    let mut budget = 2 * (n + m) + 64;
    for (e, &(a, b)) in dag.iter().enumerate() {
        if a == b {
            continue;
        }
        let span = layer[b] - layer[a];
        if span == 1 {
            segments.push((a, b));
        } else if span - 1 <= budget {
            budget -= span - 1;
            let mut previous = a;
            for l in layer[a] + 1..layer[b] {
                let slot = size.len();
                size.push((0.0, DUMMY_HEIGHT));
                dummy.push(true);
                layer.push(l);
                discovered.push(discovered[a]);
                segments.push((previous, slot));
                chains[e].push(slot);
                previous = slot;
            }
            segments.push((previous, b));
        }
    }
    let total = size.len();
    let mut up: Vec<Vec<usize>> = vec![Vec::new(); total];
    let mut down: Vec<Vec<usize>> = vec![Vec::new(); total];
    for &(a, b) in &segments {
        down[a].push(b);
        up[b].push(a);
    }

    // Order within layers: start from the search order, then barycenter sweeps, keeping the
    // order with the fewest crossings.
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); layer_count];
    for v in 0..total {
        layers[layer[v]].push(v);
    }
    for list in &mut layers {
        list.sort_by_key(|&v| (discovered[v], dummy[v], v));
    }
    let mut position = vec![0_usize; total];
    let index = |layers: &[Vec<usize>], position: &mut [usize]| {
        for list in layers {
            for (i, &v) in list.iter().enumerate() {
                position[v] = i;
            }
        }
    };
    index(&layers, &mut position);
    let mut best = layers.clone();
    let mut fewest = crossings(&layers, &down, &position);
    for _ in 0..ORDER_SWEEPS {
        if fewest == 0 {
            break;
        }
        for layer in layers.iter_mut().skip(1) {
            sort_by_barycenter(layer, &up, &mut position);
        }
        for layer in layers.iter_mut().rev().skip(1) {
            sort_by_barycenter(layer, &down, &mut position);
        }
        let now = crossings(&layers, &down, &position);
        if now < fewest {
            fewest = now;
            best.clone_from(&layers);
        }
    }
    let layers = best;
    index(&layers, &mut position);

    // A layer much taller than the rest is split into several columns, at the height that
    // lets the part be drawn largest on a landscape page (trying a few).
    let item_height = |v: usize| size[v].1 + if dummy[v] { DUMMY_GAP } else { NODE_GAP };
    let split = |limit: f64| -> Vec<Vec<usize>> {
        let mut columns = Vec::with_capacity(layers.len());
        for list in &layers {
            let mut height = 0.0;
            let mut column = Vec::new();
            for &v in list {
                if !column.is_empty() && height + size[v].1 > limit {
                    columns.push(std::mem::take(&mut column));
                    height = 0.0;
                }
                height += item_height(v);
                column.push(v);
            }
            columns.push(column);
        }
        columns
    };
    let extent = |columns: &[Vec<usize>]| {
        let width: f64 = columns
            .iter()
            .map(|c| c.iter().map(|&v| size[v].0).fold(0.0, f64::max) + LAYER_GAP)
            .sum();
        let height = columns
            .iter()
            .map(|c| c.iter().map(|&v| item_height(v)).sum::<f64>())
            .fold(0.0, f64::max);
        (width, height)
    };
    let tallest = size.iter().map(|s| s.1).fold(0.0, f64::max);
    let (_, full_height) = extent(&split(f64::INFINITY));
    let mut best_limit = f64::INFINITY;
    let mut best_scale = 0.0;
    for k in 1..=8 {
        let limit = if k == 1 {
            f64::INFINITY
        } else {
            (full_height / k as f64).max(tallest)
        };
        let (width, height) = extent(&split(limit));
        let scale = (ASPECT / width).min(1.0 / height);
        if scale > best_scale * 1.05 {
            best_scale = scale;
            best_limit = limit;
        }
    }
    let columns = split(best_limit);

    // Horizontal positions: columns side by side, each as wide as its widest item.
    let mut column_x = Vec::with_capacity(columns.len());
    let mut column_width = Vec::with_capacity(columns.len());
    let mut x = 0.0;
    for column in &columns {
        let width = column.iter().map(|&v| size[v].0).fold(0.0, f64::max);
        column_x.push(x);
        column_width.push(width);
        x += width + LAYER_GAP;
    }
    let width = x - LAYER_GAP;

    // Vertical positions: stacked, then each column in turn pulled towards its neighbours'
    // centres (forwards on predecessors, backwards on successors, lastly on both).
    let gap = |a: usize, b: usize| {
        if dummy[a] || dummy[b] {
            DUMMY_GAP
        } else {
            NODE_GAP
        }
    };
    let mut centre = vec![0.0; total];
    for column in &columns {
        let mut y = 0.0;
        for (i, &v) in column.iter().enumerate() {
            if i > 0 {
                y += gap(column[i - 1], v);
            }
            centre[v] = y + size[v].1 / 2.0;
            y += size[v].1;
        }
        for &v in column {
            centre[v] -= y / 2.0;
        }
    }
    let mut desired = Vec::new();
    let mut pull = |column: &[usize], neighbours: &[&[Vec<usize>]], centre: &mut [f64]| {
        desired.clear();
        for &v in column {
            let (sum, count) = neighbours
                .iter()
                .flat_map(|lists| lists[v].iter())
                .fold((0.0, 0), |(sum, count), &u| (sum + centre[u], count + 1));
            desired.push(if count > 0 {
                sum / f64::from(count)
            } else {
                centre[v]
            });
        }
        let placed = place_in_order(column, &desired, &size, &gap);
        for (&v, y) in column.iter().zip(placed) {
            centre[v] = y;
        }
    };
    for sweep in 0..PLACE_SWEEPS {
        if sweep % 2 == 0 {
            for column in columns.iter().skip(1) {
                pull(column, &[&up], &mut centre);
            }
        } else {
            for column in columns.iter().rev().skip(1) {
                pull(column, &[&down], &mut centre);
            }
        }
    }
    for column in &columns {
        pull(column, &[&up, &down], &mut centre);
    }

    let top = (0..total)
        .map(|v| centre[v] - size[v].1 / 2.0)
        .fold(f64::INFINITY, f64::min);
    let bottom = (0..total)
        .map(|v| centre[v] + size[v].1 / 2.0)
        .fold(f64::NEG_INFINITY, f64::max);
    let mut positions = vec![(0.0, 0.0); n];
    let mut point = vec![(0.0, 0.0); total];
    for (c, column) in columns.iter().enumerate() {
        for &v in column {
            let x = column_x[c] + (column_width[c] - size[v].0) / 2.0;
            let y = centre[v] - size[v].1 / 2.0 - top;
            if v < n {
                positions[v] = (x, y);
            } else {
                point[v] = (column_x[c] + column_width[c] / 2.0, centre[v] - top);
            }
        }
    }
    let bends = chains
        .iter()
        .zip(&reversed)
        .map(|(chain, &rev)| {
            let mut points: Vec<(f64, f64)> = chain.iter().map(|&v| point[v]).collect();
            if rev {
                points.reverse();
            }
            points
        })
        .collect();
    Level {
        positions,
        bends,
        size: (width, bottom - top),
    }
}

/// The items in an order where few edges point backwards: the greedy heuristic of Eades, Lin
/// and Smyth over weighted edges, O((items + edges) log items), ties broken by item order.
fn greedy_order(n: usize, edges: &[(usize, usize)], weights: &[i64]) -> Vec<usize> {
    use std::collections::{BinaryHeap, VecDeque};

    let mut outgoing: Vec<Vec<(usize, i64)>> = vec![Vec::new(); n];
    let mut incoming: Vec<Vec<(usize, i64)>> = vec![Vec::new(); n];
    let (mut out_degree, mut in_degree) = (vec![0_i64; n], vec![0_i64; n]);
    for (&(a, b), &weight) in edges.iter().zip(weights) {
        if a != b {
            outgoing[a].push((b, weight));
            incoming[b].push((a, weight));
            out_degree[a] += weight;
            in_degree[b] += weight;
        }
    }
    let mut removed = vec![false; n];
    let mut sinks: VecDeque<usize> = (0..n).filter(|&v| out_degree[v] == 0).collect();
    let mut sources: VecDeque<usize> = (0..n).filter(|&v| in_degree[v] == 0).collect();
    let mut heap: BinaryHeap<(i64, Reverse<usize>)> = (0..n)
        .map(|v| (out_degree[v] - in_degree[v], Reverse(v)))
        .collect();
    let (mut first, mut last) = (Vec::with_capacity(n), Vec::new());
    let mut remaining = n;
    while remaining > 0 {
        let v = if let Some(v) = sinks.pop_front() {
            if removed[v] {
                continue;
            }
            last.push(v);
            v
        } else if let Some(v) = sources.pop_front() {
            if removed[v] {
                continue;
            }
            first.push(v);
            v
        } else {
            match heap.pop() {
                Some((delta, Reverse(v))) => {
                    if removed[v] || delta != out_degree[v] - in_degree[v] {
                        continue;
                    }
                    first.push(v);
                    v
                }
                None => break,
            }
        };
        removed[v] = true;
        remaining -= 1;
        for &(w, weight) in &outgoing[v] {
            if !removed[w] {
                in_degree[w] -= weight;
                if in_degree[w] == 0 {
                    sources.push_back(w);
                }
                heap.push((out_degree[w] - in_degree[w], Reverse(w)));
            }
        }
        for &(u, weight) in &incoming[v] {
            if !removed[u] {
                out_degree[u] -= weight;
                if out_degree[u] == 0 {
                    sinks.push_back(u);
                }
                heap.push((out_degree[u] - in_degree[u], Reverse(u)));
            }
        }
    }
    last.reverse();
    first.extend(last);
    first
}

/// Reorders one layer by the mean position of each item's neighbours in the layer beside it;
/// an item without neighbours keeps its place.
fn sort_by_barycenter(layer: &mut [usize], neighbours: &[Vec<usize>], position: &mut [usize]) {
    let mut keyed: Vec<(f64, usize, usize)> = layer
        .iter()
        .map(|&v| {
            let list = &neighbours[v];
            let key = if list.is_empty() {
                position[v] as f64
            } else {
                list.iter().map(|&u| position[u] as f64).sum::<f64>() / list.len() as f64
            };
            (key, position[v], v)
        })
        .collect();
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    for (i, (slot, &(_, _, v))) in layer.iter_mut().zip(&keyed).enumerate() {
        *slot = v;
        position[v] = i;
    }
}

/// Edge crossings between neighbouring layers, counted as inversions with a Fenwick tree.
fn crossings(layers: &[Vec<usize>], down: &[Vec<usize>], position: &[usize]) -> usize {
    let mut total = 0;
    let mut pairs = Vec::new();
    for l in 0..layers.len().saturating_sub(1) {
        pairs.clear();
        for &v in &layers[l] {
            pairs.extend(down[v].iter().map(|&w| (position[v], position[w])));
        }
        pairs.sort_unstable();
        let size = layers[l + 1].len() + 1;
        let mut tree = vec![0_usize; size + 1];
        for (seen, &(_, below)) in pairs.iter().enumerate() {
            // Edges already seen that end strictly after this one cross it.
            let mut not_after = 0;
            let mut i = below + 1;
            while i > 0 {
                not_after += tree[i];
                i &= i - 1;
            }
            total += seen - not_after;
            let mut i = below + 1;
            while i <= size {
                tree[i] += 1;
                i += i & i.wrapping_neg();
            }
        }
    }
    total
}

/// The centres closest (least squares) to `desired` that keep the column's order and gaps:
/// isotonic regression by pooling adjacent violators, linear in the column's length.
fn place_in_order(
    column: &[usize],
    desired: &[f64],
    size: &[(f64, f64)],
    gap: &dyn Fn(usize, usize) -> f64,
) -> Vec<f64> {
    // offset[i]: the least distance from the first centre to the i-th.
    let mut offset = Vec::with_capacity(column.len());
    let mut at = 0.0;
    for (i, &v) in column.iter().enumerate() {
        if i > 0 {
            let u = column[i - 1];
            at += size[u].1 / 2.0 + gap(u, v) + size[v].1 / 2.0;
        }
        offset.push(at);
    }
    // Blocks of (sum of targets, count) whose means are non-decreasing.
    let mut blocks: Vec<(f64, usize)> = Vec::new();
    for (i, &d) in desired.iter().enumerate() {
        blocks.push((d - offset[i], 1));
        while blocks.len() > 1 {
            let (s2, c2) = blocks[blocks.len() - 1];
            let (s1, c1) = blocks[blocks.len() - 2];
            if s1 / c1 as f64 <= s2 / c2 as f64 {
                break;
            }
            blocks.pop();
            let last = blocks.len() - 1;
            blocks[last] = (s1 + s2, c1 + c2);
        }
    }
    let mut placed = Vec::with_capacity(column.len());
    for (sum, count) in blocks {
        let mean = sum / count as f64;
        for _ in 0..count {
            placed.push(mean + offset[placed.len()]);
        }
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Boundary, Edge, Node, NodeProperties, Position, Relation, Zone};

    fn node(id: &str) -> Node {
        Node {
            id: id.to_owned(),
            name: id.to_owned(),
            description: None,
            properties: NodeProperties::Agent(Default::default()),
        }
    }

    fn boundary(id: &str, parent: Option<&str>, members: &[&str]) -> Boundary {
        Boundary {
            id: id.to_owned(),
            name: id.to_owned(),
            zone: Zone::Corporate,
            description: None,
            parent: parent.map(str::to_owned),
            members: members.iter().map(|m| (*m).to_owned()).collect(),
        }
    }

    fn model(nodes: &[&str], edges: &[(&str, &str)]) -> Model {
        let mut model = Model::new("test");
        model.nodes = nodes.iter().map(|id| node(id)).collect();
        model.edges = edges
            .iter()
            .map(|(a, b)| Edge::new(*a, Relation::Invokes, *b))
            .collect();
        model
    }

    fn inside(outer: &Rect, inner: &Rect) -> bool {
        inner.x >= outer.x
            && inner.y >= outer.y
            && inner.x + inner.width <= outer.x + outer.width
            && inner.y + inner.height <= outer.y + outer.height
    }

    fn overlap(a: &Rect, b: &Rect) -> bool {
        a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
    }

    /// A model like a real estate: teams in boundaries, chains of calls, links across teams.
    fn estate(teams: usize, per_team: usize) -> Model {
        let mut model = Model::new("estate");
        for t in 0..teams {
            let ids: Vec<String> = (0..per_team).map(|i| format!("t{t}-n{i}")).collect();
            model.nodes.extend(ids.iter().map(|id| node(id)));
            for i in 1..per_team {
                let from = &ids[(i - 1) / 3];
                model
                    .edges
                    .push(Edge::new(from.clone(), Relation::Invokes, ids[i].clone()));
            }
            if t > 0 {
                model
                    .edges
                    .push(Edge::new(format!("t{t}-n0"), Relation::Delegates, "t0-n1"));
            }
            let members: Vec<&str> = ids.iter().map(String::as_str).collect();
            model
                .boundaries
                .push(boundary(&format!("team-{t}"), None, &members));
        }
        model
    }

    #[test]
    fn a_chain_goes_left_to_right() {
        let layout = DiagramLayout::layered(&model(&["c", "a", "b"], &[("a", "b"), ("b", "c")]));
        let x = |id: &str| layout.nodes[id].x;
        assert!(x("a") < x("b") && x("b") < x("c"), "{layout:?}");
        assert_eq!(layout.bounds.x, 0.0);
        assert!(layout.bounds.width >= 3.0 * AUTO_NODE.0);
    }

    #[test]
    fn a_long_edge_bends_around_the_layers_it_crosses() {
        let layout = DiagramLayout::layered(&model(
            &["a", "b", "c"],
            &[("a", "b"), ("b", "c"), ("a", "c")],
        ));
        assert!(layout.bends[0].is_empty() && layout.bends[1].is_empty());
        assert_eq!(layout.bends[2].len(), 1);
        let (x, y) = layout.bends[2][0];
        let b = layout.nodes["b"];
        assert!(x > b.x && x < b.x + b.width);
        assert!(
            y < b.y || y > b.y + b.height,
            "the bend avoids b: {layout:?}"
        );
    }

    #[test]
    fn members_are_inside_their_boundary_and_boundaries_do_not_overlap() {
        let mut model = model(
            &["a", "b", "c", "d", "e", "f"],
            &[
                ("a", "b"),
                ("b", "c"),
                ("c", "d"),
                ("a", "e"),
                ("e", "f"),
                ("f", "b"),
            ],
        );
        model.boundaries = vec![
            boundary("outer", None, &["a", "c"]),
            boundary("inner", Some("outer"), &["d", "f"]),
            boundary("other", None, &["e"]),
        ];
        let layout = DiagramLayout::layered(&model);
        let [outer, inner, other] = ["outer", "inner", "other"].map(|id| layout.boundaries[id]);
        for id in ["a", "c", "d", "f"] {
            assert!(
                inside(&outer, &layout.nodes[id]),
                "{id} in outer: {layout:?}"
            );
        }
        for id in ["d", "f"] {
            assert!(inside(&inner, &layout.nodes[id]), "{id} in inner");
        }
        assert!(inside(&other, &layout.nodes["e"]));
        assert!(inside(&outer, &inner));
        assert!(!overlap(&outer, &other));
        for id in ["b", "e"] {
            assert!(
                !overlap(&inner, &layout.nodes[id])
                    && (id == "e" || !overlap(&outer, &layout.nodes[id]))
            );
        }
        // Room for the label above the first member.
        assert!(inner.y + BOUNDARY_HEADER <= layout.nodes["d"].y.min(layout.nodes["f"].y));
        assert!(inside(&layout.bounds, &outer) && inside(&layout.bounds, &other));
    }

    #[test]
    fn the_layout_does_not_depend_on_file_order() {
        let mut one = estate(4, 9);
        let first = DiagramLayout::layered(&one);
        assert_eq!(first, DiagramLayout::layered(&one));
        one.nodes.reverse();
        one.boundaries.reverse();
        let again = DiagramLayout::layered(&one);
        assert_eq!(first.nodes, again.nodes);
        assert_eq!(first.boundaries, again.boundaries);
    }

    #[test]
    fn cycles_and_self_loops_are_laid_out() {
        let layout = DiagramLayout::layered(&model(
            &["a", "b", "c"],
            &[("a", "b"), ("b", "c"), ("c", "a"), ("a", "a"), ("b", "a")],
        ));
        assert_eq!(layout.nodes.len(), 3);
        let rects: Vec<&Rect> = layout.nodes.values().collect();
        assert!(
            !overlap(rects[0], rects[1])
                && !overlap(rects[1], rects[2])
                && !overlap(rects[0], rects[2])
        );
    }

    #[test]
    fn nesting_cycles_and_unknown_references_do_not_hang() {
        let mut model = model(&["a", "b"], &[("a", "b"), ("a", "ghost")]);
        model.boundaries = vec![
            boundary("x", Some("y"), &["a", "nobody"]),
            boundary("y", Some("x"), &["b"]),
            boundary("z", Some("missing"), &[]),
        ];
        let layout = DiagramLayout::layered(&model);
        assert_eq!(layout.boundaries.len(), 3);
        assert!(inside(&layout.boundaries["x"], &layout.nodes["a"]));
        let z = layout.boundaries["z"];
        assert!(z.width >= BOUNDARY_MIN.0 && z.height >= BOUNDARY_MIN.1);
        assert_eq!(DiagramLayout::from_layout(&model).boundaries.len(), 3);
    }

    #[test]
    fn three_hundred_nodes_are_laid_out_without_overlaps() {
        let model = estate(12, 25);
        let start = std::time::Instant::now();
        let layout = DiagramLayout::layered(&model);
        let elapsed = start.elapsed();
        assert_eq!(layout.nodes.len(), 300);
        let mut rects: Vec<&Rect> = layout.nodes.values().collect();
        rects.sort_by(|a, b| a.x.total_cmp(&b.x));
        for (i, a) in rects.iter().enumerate() {
            for b in &rects[i + 1..] {
                if b.x >= a.x + a.width {
                    break;
                }
                assert!(!overlap(a, b), "{a:?} {b:?}");
            }
        }
        let ratio = layout.bounds.width / layout.bounds.height;
        assert!((0.5..4.0).contains(&ratio), "{ratio}");
        eprintln!("300 nodes laid out in {elapsed:?}");
    }

    #[test]
    fn a_model_layout_is_kept_and_completed() {
        let mut model = model(&["a", "b", "c"], &[("a", "b")]);
        model.boundaries = vec![
            boundary("zone", None, &["a", "b"]),
            boundary("empty", None, &[]),
        ];
        model.layout.nodes.insert(
            "a".into(),
            Position {
                x: -300.0,
                y: -40.5,
            },
        );
        model
            .layout
            .nodes
            .insert("b".into(), Position { x: 100.0, y: 20.0 });
        let layout = DiagramLayout::of(&model);
        assert_eq!(
            layout.nodes["a"],
            Rect {
                x: -300.0,
                y: -40.5,
                width: NODE_WIDTH,
                height: NODE_HEIGHT
            }
        );
        let c = layout.nodes["c"];
        assert!(c.y > 20.0 + NODE_HEIGHT, "placed below: {c:?}");
        let zone = layout.boundaries["zone"];
        assert!(inside(&zone, &layout.nodes["a"]) && inside(&zone, &layout.nodes["b"]));
        assert_eq!(zone.y, -40.5 - BOUNDARY_PADDING - BOUNDARY_HEADER);
        assert!(layout.boundaries.contains_key("empty"));
        assert!(inside(&layout.bounds, &zone) && inside(&layout.bounds, &c));

        model.layout.boundaries.insert(
            "zone".into(),
            Rect {
                x: -500.0,
                y: -500.0,
                width: 2000.0,
                height: 1000.0,
            },
        );
        let layout = DiagramLayout::of(&model);
        assert_eq!(layout.boundaries["zone"].x, -500.0);
        assert_eq!(layout.bounds.x, -500.0);
    }

    #[test]
    fn spreading_keeps_members_inside_their_boundaries() {
        let mut model = estate(3, 7);
        model
            .boundaries
            .push(boundary("inner", Some("team-1"), &["t1-n3", "t1-n4"]));
        let layout = DiagramLayout::layered(&model).spread(1.0, 1.7);
        assert!(inside(
            &layout.boundaries["team-1"],
            &layout.boundaries["inner"]
        ));
        assert!(inside(&layout.boundaries["inner"], &layout.nodes["t1-n3"]));
        assert!(inside(&layout.boundaries["team-1"], &layout.nodes["t1-n6"]));
        assert_eq!(layout.nodes["t1-n3"].height, AUTO_NODE.1);
    }

    #[test]
    fn an_empty_model_has_an_empty_layout() {
        let layout = DiagramLayout::of(&Model::new("empty"));
        assert!(layout.nodes.is_empty() && layout.boundaries.is_empty());
        assert_eq!(layout.bounds, EMPTY);
    }
}
