//! Trust boundaries must form a forest: every parent exists, no boundary is its own
//! ancestor, and a node sits in boundaries that nest (one inside the other), never in two
//! side by side.

use std::collections::HashMap;

use super::{Collector, Context, Suggestions, unknown_node};
use crate::diagnostic::{Diagnostic, FieldPath};
use crate::model::{Model, NodeKind};

pub(super) fn check(
    model: &Model,
    kinds: &HashMap<&str, NodeKind>,
    node_ids: &mut Suggestions,
    context: &Context,
    diagnostics: &mut Collector,
) {
    let index_of: HashMap<&str, usize> = model
        .boundaries
        .iter()
        .enumerate()
        .map(|(index, boundary)| (boundary.id.as_str(), index))
        .collect();
    let mut boundary_ids = Suggestions::new(index_of.keys().copied());

    let mut parent: Vec<Option<usize>> = vec![None; model.boundaries.len()];
    for (index, boundary) in model.boundaries.iter().enumerate() {
        let Some(parent_id) = boundary.parent.as_deref() else {
            continue;
        };
        let path = FieldPath::element("boundaries", index).key("parent");
        match index_of.get(parent_id) {
            Some(&parent_index) => parent[index] = Some(parent_index),
            None => {
                let diagnostic = Diagnostic::error(
                    "unknown-boundary",
                    format!("no boundary has the id `{parent_id}`"),
                )
                .at(path);
                diagnostics.error(|| match boundary_ids.closest(parent_id) {
                    Some(suggestion) => {
                        diagnostic.with_help(format!("did you mean `{suggestion}`?"))
                    }
                    None => diagnostic.with_help("add the boundary, or correct the id"),
                });
            }
        }
    }

    let in_cycle = report_cycles(model, &parent, diagnostics);

    // Each node's boundaries in file order, with the position of its entry in `members`.
    let mut homes: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
    for (index, boundary) in model.boundaries.iter().enumerate() {
        for (position, member) in boundary.members.iter().enumerate() {
            let path = FieldPath::element("boundaries", index)
                .key("members")
                .index(position);
            if !kinds.contains_key(member.as_str()) && !context.unreadable_ids.contains(member) {
                diagnostics.error(|| unknown_node(node_ids, member, path));
                continue;
            }
            let listed = homes.entry(member.as_str()).or_default();
            // Boundaries are visited in order, so a repeat within this one is the last entry.
            if listed
                .last()
                .is_some_and(|&(boundary, _)| boundary == index)
            {
                diagnostics.warning(|| {
                    Diagnostic::warning(
                        "duplicate-entry",
                        format!("`{member}` is listed twice in this boundary"),
                    )
                    .at(path)
                });
            } else {
                listed.push((index, position));
            }
        }
    }

    let nesting = Nesting::new(&parent, &in_cycle);
    let mut members: Vec<(&str, &Vec<(usize, usize)>)> =
        homes.iter().map(|(id, list)| (*id, list)).collect();
    members.sort_unstable();
    for (member, listed_in) in members {
        report_overlap(model, &nesting, member, listed_in, diagnostics);
    }
}

/// How many boundaries a `boundary-overlap` message names before it gives a count instead.
const NAMED_OVERLAPS: usize = 3;

/// Reports a node listed in boundaries that do not nest, once for all of them.
/// `listed_in` holds (boundary, position in its `members`) in file order, each boundary once.
///
/// The boundaries nest exactly when every one of them is an ancestor of the deepest, so the
/// others (those off the deepest one's ancestor line) are the ones named: each of them and
/// the deepest lie side by side.
fn report_overlap(
    model: &Model,
    nesting: &Nesting,
    member: &str,
    listed_in: &[(usize, usize)],
    diagnostics: &mut Collector,
) {
    let Some(&deepest) = listed_in
        .iter()
        .max_by_key(|&&(boundary, _)| (nesting.depth[boundary], std::cmp::Reverse(boundary)))
    else {
        return;
    };
    let outside: Vec<(usize, usize)> = listed_in
        .iter()
        .copied()
        .filter(|&(boundary, _)| boundary != deepest.0 && !nesting.is_ancestor(boundary, deepest.0))
        .collect();
    let Some(&first_outside) = outside.first() else {
        return;
    };
    let id = |(boundary, _): (usize, usize)| model.boundaries[boundary].id.as_str();
    let entry = |(boundary, position): (usize, usize)| {
        FieldPath::element("boundaries", boundary)
            .key("members")
            .index(position)
    };
    // Point where a reader going down the file first meets the clash.
    let (earlier, later) = if first_outside < deepest {
        (first_outside, deepest)
    } else {
        (deepest, first_outside)
    };
    diagnostics.error(|| {
    let diagnostic = if outside.len() == 1 {
        Diagnostic::error(
            "boundary-overlap",
            format!(
                "`{member}` is in both `{}` and `{}`, which do not nest",
                id(earlier),
                id(later)
            ),
        )
        .with_help(format!(
            "keep the node in one of them, or set `parent: {}` on `{}` if one lies inside the other",
            id(earlier),
            id(later)
        ))
    } else {
        let names: Vec<String> = outside
            .iter()
            .take(NAMED_OVERLAPS)
            .map(|&listing| format!("`{}`", id(listing)))
            .collect();
        let mut names = names.join(", ");
        if outside.len() > NAMED_OVERLAPS {
            names.push_str(&format!(" and {} more", outside.len() - NAMED_OVERLAPS));
        }
        Diagnostic::error(
            "boundary-overlap",
            format!(
                "`{member}` is in `{}` and in {} other boundaries that do not nest with it: {}",
                id(deepest),
                outside.len(),
                names
            ),
        )
        .with_help(
            "list the node only in boundaries that lie one inside the other, setting `parent` where one does",
        )
    };
    diagnostic
        .at(entry(later))
        .with_related(format!("also a member of `{}`", id(earlier)), entry(earlier))
    });
}

/// The boundary forest, walked once so that "is this boundary inside that one" is two
/// comparisons: a boundary is inside another when its depth-first visit falls within the
/// other's. A boundary on a cycle counts as a root (the cycle is reported on its own).
struct Nesting {
    depth: Vec<usize>,
    entered: Vec<usize>,
    left: Vec<usize>,
}

impl Nesting {
    fn new(parent: &[Option<usize>], in_cycle: &[bool]) -> Nesting {
        let count = parent.len();
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); count];
        let mut roots = Vec::new();
        for boundary in 0..count {
            match parent[boundary] {
                Some(up) if !in_cycle[boundary] => children[up].push(boundary),
                _ => roots.push(boundary),
            }
        }
        let mut nesting = Nesting {
            depth: vec![0; count],
            entered: vec![0; count],
            left: vec![0; count],
        };
        let mut clock = 0;
        // (boundary, whether its children were pushed already)
        let mut stack: Vec<(usize, bool)> = roots.into_iter().rev().map(|r| (r, false)).collect();
        while let Some((boundary, expanded)) = stack.pop() {
            if expanded {
                nesting.left[boundary] = clock;
                clock += 1;
                continue;
            }
            nesting.entered[boundary] = clock;
            clock += 1;
            stack.push((boundary, true));
            for &child in children[boundary].iter().rev() {
                nesting.depth[child] = nesting.depth[boundary] + 1;
                stack.push((child, false));
            }
        }
        nesting
    }

    /// Whether `ancestor` encloses `boundary` (a boundary does not enclose itself).
    fn is_ancestor(&self, ancestor: usize, boundary: usize) -> bool {
        ancestor != boundary
            && self.entered[ancestor] < self.entered[boundary]
            && self.left[boundary] < self.left[ancestor]
    }
}

/// Reports each cycle in the parent relation once, at its first boundary in file order.
/// Returns which boundaries lie on a cycle.
fn report_cycles(
    model: &Model,
    parent: &[Option<usize>],
    diagnostics: &mut Collector,
) -> Vec<bool> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Unvisited,
        OnPath,
        Done,
    }
    let mut state = vec![State::Unvisited; parent.len()];
    let mut in_cycle = vec![false; parent.len()];
    for start in 0..parent.len() {
        let mut path = Vec::new();
        let mut current = Some(start);
        while let Some(node) = current {
            match state[node] {
                State::Done => break,
                State::OnPath => {
                    let cycle_start = path.iter().position(|&n| n == node).expect("on the path");
                    let cycle = &path[cycle_start..];
                    for &member in cycle {
                        in_cycle[member] = true;
                    }
                    let first = *cycle.iter().min().expect("a cycle is never empty");
                    diagnostics.error(|| {
                        let names: Vec<&str> = cycle
                            .iter()
                            .chain(std::iter::once(&node))
                            .map(|&n| model.boundaries[n].id.as_str())
                            .collect();
                        Diagnostic::error(
                            "boundary-cycle",
                            format!("boundaries nest in a circle: {}", names.join(" → ")),
                        )
                        .at(FieldPath::element("boundaries", first).key("parent"))
                        .with_help("a boundary cannot sit inside itself; remove one `parent` from the circle")
                    });
                    break;
                }
                State::Unvisited => {
                    state[node] = State::OnPath;
                    path.push(node);
                    current = parent[node];
                }
            }
        }
        for node in path {
            state[node] = State::Done;
        }
    }
    in_cycle
}
