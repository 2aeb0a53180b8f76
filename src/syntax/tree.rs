//! A document tree with source positions, the common form of YAML and JSON model files.
//!
//! The tree is an arena; nodes refer to each other by index. A YAML alias points at the
//! anchored node instead of copying it, so a file of aliases stays small in memory; its
//! expanded size is tracked so an alias bomb is refused before anything walks it.

use std::collections::HashMap;

use crate::diagnostic::{FieldPath, Location, Segment};

pub type NodeRef = usize;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mark {
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    /// Byte offset in the source.
    pub offset: usize,
}

#[derive(Clone, Debug)]
pub enum Value {
    /// A scalar as written. `quoted` scalars are always strings; plain ones may be null,
    /// booleans or numbers (YAML 1.2 core schema).
    Scalar {
        text: String,
        quoted: bool,
    },
    Seq(Vec<NodeRef>),
    Map(Vec<(NodeRef, NodeRef)>),
}

#[derive(Clone, Debug)]
pub struct TreeNode {
    pub value: Value,
    pub mark: Mark,
    /// Byte offset just past the value as written in the source (its closing quote, its
    /// escapes undecoded), when the reader knows it; `mark.offset` when it does not.
    pub end: usize,
    /// How many values this node stands for once aliases are expanded (itself included).
    pub expanded: u64,
}

#[derive(Debug, Default)]
pub struct Tree {
    pub nodes: Vec<TreeNode>,
    pub root: Option<NodeRef>,
    /// For each node, the node that contains it and under which key or index; the first
    /// container wins for nodes reached through several aliases.
    parents: Vec<Option<(NodeRef, Segment)>>,
    /// The entries of each large mapping by key, so that finding one is not a scan.
    large_maps: HashMap<NodeRef, HashMap<String, (NodeRef, NodeRef)>>,
}

/// Mappings with more entries than this are indexed by key; smaller ones are scanned.
const SCANNED_MAP_ENTRIES: usize = 16;

impl Tree {
    pub fn push(&mut self, value: Value, mark: Mark) -> NodeRef {
        self.push_spanning(value, mark, mark.offset)
    }

    /// Adds a node whose text in the source ends at byte offset `end`.
    pub fn push_spanning(&mut self, value: Value, mark: Mark, end: usize) -> NodeRef {
        let expanded = match &value {
            Value::Scalar { .. } => 1,
            Value::Seq(items) => items.iter().fold(1u64, |sum, &item| {
                sum.saturating_add(self.nodes[item].expanded)
            }),
            Value::Map(entries) => entries.iter().fold(1u64, |sum, &(key, value)| {
                sum.saturating_add(self.nodes[key].expanded)
                    .saturating_add(self.nodes[value].expanded)
            }),
        };
        self.nodes.push(TreeNode {
            value,
            mark,
            end,
            expanded,
        });
        self.nodes.len() - 1
    }

    /// Records which node contains which; call once the tree is complete.
    pub fn index_parents(&mut self) {
        let mut parents: Vec<Option<(NodeRef, Segment)>> = vec![None; self.nodes.len()];
        for (container, node) in self.nodes.iter().enumerate() {
            match &node.value {
                Value::Scalar { .. } => {}
                Value::Seq(items) => {
                    for (index, &item) in items.iter().enumerate() {
                        parents[item].get_or_insert((container, Segment::Index(index)));
                    }
                }
                Value::Map(entries) => {
                    for &(key, value) in entries {
                        let segment = Segment::Key(self.scalar_text(key).unwrap_or("?").to_owned());
                        parents[value].get_or_insert((container, segment.clone()));
                        parents[key].get_or_insert((container, segment));
                    }
                }
            }
        }
        self.parents = parents;
        self.large_maps = self
            .nodes
            .iter()
            .enumerate()
            .filter_map(|(map, node)| match &node.value {
                Value::Map(entries) if entries.len() > SCANNED_MAP_ENTRIES => Some((
                    map,
                    entries
                        .iter()
                        .filter_map(|&(key, value)| {
                            Some((self.scalar_text(key)?.to_owned(), (key, value)))
                        })
                        .collect(),
                )),
                _ => None,
            })
            .collect();
    }

    pub fn value(&self, node: NodeRef) -> &Value {
        &self.nodes[node].value
    }

    pub fn scalar_text(&self, node: NodeRef) -> Option<&str> {
        match &self.nodes[node].value {
            Value::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// The value under `key` in a mapping node.
    pub fn get(&self, map: NodeRef, key: &str) -> Option<NodeRef> {
        self.entry(map, key).map(|(_, value)| value)
    }

    /// The (key, value) entry under `key` in a mapping node.
    pub fn entry(&self, map: NodeRef, key: &str) -> Option<(NodeRef, NodeRef)> {
        if let Some(entries) = self.large_maps.get(&map) {
            return entries.get(key).copied();
        }
        match &self.nodes[map].value {
            Value::Map(entries) => entries
                .iter()
                .copied()
                .find(|&(k, _)| self.scalar_text(k) == Some(key)),
            _ => None,
        }
    }

    /// The path from the root to a node, e.g. `nodes[3].properties.ttl`.
    pub fn path_of(&self, mut node: NodeRef) -> FieldPath {
        let mut segments = Vec::new();
        while let Some(Some((parent, segment))) = self.parents.get(node) {
            segments.push(segment.clone());
            node = *parent;
        }
        segments.reverse();
        FieldPath(segments)
    }

    /// Follows a path as far as the tree goes; returns the deepest node reached and, when a
    /// key was found on the way, the key node of the last step (a better place to point at
    /// than a whole mapping).
    pub fn resolve(&self, path: &FieldPath) -> Option<(NodeRef, Option<NodeRef>)> {
        let mut node = self.root?;
        let mut last_key = None;
        for segment in &path.0 {
            let next = match (segment, &self.nodes[node].value) {
                (Segment::Key(key), Value::Map(_)) => self.entry(node, key).map(|(k, v)| {
                    last_key = Some(k);
                    v
                }),
                (Segment::Index(index), Value::Seq(items)) => {
                    last_key = None;
                    items.get(*index).copied()
                }
                _ => None,
            };
            match next {
                Some(next) => node = next,
                None => break,
            }
        }
        Some((node, last_key))
    }

    /// The place to underline for a node: a scalar itself; for a mapping its `id` value when
    /// it has one (what a reader recognises a node or edge by), else its first key.
    pub fn location(&self, node: NodeRef, source: &str) -> Location {
        let target = match &self.nodes[node].value {
            Value::Map(entries) => self
                .get(node, "id")
                .filter(|&id| self.scalar_text(id).is_some())
                .or_else(|| entries.first().map(|&(key, _)| key))
                .unwrap_or(node),
            _ => node,
        };
        let TreeNode { mark, end, .. } = self.nodes[target];
        let start = floor_char_boundary(source, mark.offset);
        let written = &source[start..floor_char_boundary(source, end.max(start))];
        // The value as written, cut at the end of its first line; at least one character.
        let line_end = start + written.find(['\n', '\r']).unwrap_or(written.len());
        let first_character_end = start + source[start..].chars().next().map_or(0, char::len_utf8);
        let end = line_end.max(first_character_end);
        Location {
            line: mark.line,
            column: mark.column,
            start,
            end,
        }
    }

    /// Describes a node's type for messages: "a string `x`", "a list", "a mapping".
    pub fn describe(&self, node: NodeRef) -> String {
        match &self.nodes[node].value {
            Value::Scalar {
                text,
                quoted: false,
            } if is_null(text) => "nothing (null)".into(),
            Value::Scalar { text, .. } => format!("`{}`", abbreviate(text)),
            Value::Seq(_) => "a list".into(),
            Value::Map(_) => "a mapping".into(),
        }
    }
}

/// The largest character boundary of `text` at or before `offset`.
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Whether a plain scalar is null in the YAML 1.2 core schema.
pub fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

/// Cuts long values short for messages.
pub fn abbreviate(text: &str) -> String {
    const MAX: usize = 60;
    let single_line = text.replace('\n', "\\n");
    if single_line.chars().count() <= MAX {
        single_line
    } else {
        let cut: String = single_line.chars().take(MAX).collect();
        format!("{cut}…")
    }
}
