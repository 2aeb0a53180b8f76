//! Trust boundaries must form a forest: every parent exists, no boundary is its own
//! ancestor, and a node sits in boundaries that nest (one inside the other), never in two
//! side by side.

use std::collections::HashMap;

use super::{Context, unknown_node};
use crate::diagnostic::{Diagnostic, FieldPath};
use crate::model::{Model, NodeKind};
use crate::syntax::did_you_mean;

pub(super) fn check(
    model: &Model,
    kinds: &HashMap<&str, NodeKind>,
    context: &Context,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let index_of: HashMap<&str, usize> = model
        .boundaries
        .iter()
        .enumerate()
        .map(|(index, boundary)| (boundary.id.as_str(), index))
        .collect();
    let mut ids: Vec<&str> = index_of.keys().copied().collect();
    ids.sort_unstable();

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
                diagnostics.push(match did_you_mean(parent_id, &ids) {
                    Some(suggestion) => {
                        diagnostic.with_help(format!("did you mean `{suggestion}`?"))
                    }
                    None => diagnostic.with_help("add the boundary, or correct the id"),
                });
            }
        }
    }

    let in_cycle = report_cycles(model, &parent, diagnostics);

    let mut homes: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, boundary) in model.boundaries.iter().enumerate() {
        for (position, member) in boundary.members.iter().enumerate() {
            let path = FieldPath::element("boundaries", index)
                .key("members")
                .index(position);
            if !kinds.contains_key(member.as_str()) && !context.unreadable_ids.contains(member) {
                diagnostics.push(unknown_node(kinds, member, path));
                continue;
            }
            let listed = homes.entry(member.as_str()).or_default();
            if listed.contains(&index) {
                diagnostics.push(
                    Diagnostic::warning(
                        "duplicate-entry",
                        format!("`{member}` is listed twice in this boundary"),
                    )
                    .at(path),
                );
            } else {
                listed.push(index);
            }
        }
    }

    let is_ancestor = |ancestor: usize, mut of: usize| {
        if in_cycle[of] {
            return false;
        }
        while let Some(up) = parent[of] {
            if up == ancestor {
                return true;
            }
            of = up;
        }
        false
    };
    let mut members: Vec<(&str, &Vec<usize>)> =
        homes.iter().map(|(id, list)| (*id, list)).collect();
    members.sort_unstable();
    for (member, boundaries) in members {
        for (i, &a) in boundaries.iter().enumerate() {
            for &b in &boundaries[i + 1..] {
                if !is_ancestor(a, b) && !is_ancestor(b, a) {
                    let position = model.boundaries[b]
                        .members
                        .iter()
                        .position(|m| m == member)
                        .unwrap_or(0);
                    let first = model.boundaries[a]
                        .members
                        .iter()
                        .position(|m| m == member)
                        .unwrap_or(0);
                    diagnostics.push(
                        Diagnostic::error(
                            "boundary-overlap",
                            format!(
                                "`{member}` is in both `{}` and `{}`, which do not nest",
                                model.boundaries[a].id, model.boundaries[b].id
                            ),
                        )
                        .at(FieldPath::element("boundaries", b).key("members").index(position))
                        .with_related(
                            format!("also a member of `{}`", model.boundaries[a].id),
                            FieldPath::element("boundaries", a).key("members").index(first),
                        )
                        .with_help(format!(
                            "keep the node in one of them, or set `parent: {}` on `{}` if one lies inside the other",
                            model.boundaries[a].id, model.boundaries[b].id
                        )),
                    );
                }
            }
        }
    }
}

/// Reports each cycle in the parent relation once, at its first boundary in file order.
/// Returns which boundaries lie on a cycle.
fn report_cycles(
    model: &Model,
    parent: &[Option<usize>],
    diagnostics: &mut Vec<Diagnostic>,
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
                    let names: Vec<&str> = cycle
                        .iter()
                        .chain(std::iter::once(&node))
                        .map(|&n| model.boundaries[n].id.as_str())
                        .collect();
                    diagnostics.push(
                        Diagnostic::error(
                            "boundary-cycle",
                            format!("boundaries nest in a circle: {}", names.join(" → ")),
                        )
                        .at(FieldPath::element("boundaries", first).key("parent"))
                        .with_help("a boundary cannot sit inside itself; remove one `parent` from the circle"),
                    );
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
