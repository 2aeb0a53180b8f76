//! Model files as text: reading YAML or JSON into a [`Model`] with every problem reported at
//! once and located (file line, column and field path), and writing a model back out
//! deterministically.

mod characters;
mod de;
mod json;
mod tree;
mod write;
mod yaml;

use std::collections::{HashMap, HashSet};

use serde::Deserialize;

pub use de::{did_you_mean, expected_one_of};
pub use tree::Tree;
pub use write::{to_json, to_yaml};

use crate::diagnostic::{self, Diagnostic, FieldPath, Location, Segment};
use crate::model::Model;
use crate::validate;
use tree::{NodeRef, Value};

/// How a model file is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Json,
}

impl Format {
    /// `*.json` is JSON; everything else (`*.bartizan.yaml`, `*.yml`) is read as YAML.
    pub fn from_path(path: &std::path::Path) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("json") => Format::Json,
            _ => Format::Yaml,
        }
    }
}

/// Bounds that keep a hostile or broken file from exhausting time or memory.
#[derive(Clone, Debug)]
pub struct Limits {
    /// The largest file read at all.
    pub max_bytes: u64,
    /// The deepest nesting of lists and mappings.
    pub max_depth: usize,
    /// How many values YAML aliases may add to a document when expanded.
    pub max_alias_values: u64,
    /// How many problems are reported before reading stops.
    pub max_diagnostics: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 16 * 1024 * 1024,
            max_depth: 64,
            max_alias_values: 100_000,
            max_diagnostics: 500,
        }
    }
}

/// The outcome of reading a model: the model when it could be built (possibly with warnings)
/// and every diagnostic, sorted by position.
#[derive(Debug)]
pub struct Parsed {
    pub model: Option<Model>,
    pub diagnostics: Vec<Diagnostic>,
    /// The document tree, kept to locate later findings (e.g. a node's line for SARIF).
    pub tree: Option<Tree>,
}

impl Parsed {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The model, when it has no errors.
    pub fn valid_model(&self) -> Option<&Model> {
        if self.has_errors() {
            None
        } else {
            self.model.as_ref()
        }
    }

    /// Where each node, edge and boundary of a valid model is defined in `source`: its `id`
    /// value, or the first key of an edge written without one.
    pub fn locations(&self, source: &str) -> HashMap<String, Location> {
        let mut locations = HashMap::new();
        let (Some(model), Some(tree)) = (self.valid_model(), self.tree.as_ref()) else {
            return locations;
        };
        let Some(root) = tree.root else {
            return locations;
        };
        let source = source.strip_prefix('\u{feff}').unwrap_or(source);
        let ids: [(&str, Vec<&str>); 3] = [
            ("nodes", model.nodes.iter().map(|n| n.id.as_str()).collect()),
            ("edges", model.edges.iter().map(|e| e.id.as_str()).collect()),
            (
                "boundaries",
                model.boundaries.iter().map(|b| b.id.as_str()).collect(),
            ),
        ];
        for (list, ids) in ids {
            let Some(Value::Seq(items)) = tree.get(root, list).map(|l| tree.value(l)) else {
                continue;
            };
            for (&item, id) in items.iter().zip(ids) {
                locations.insert(id.to_owned(), tree.location(item, source));
            }
        }
        locations
    }
}

/// Reads a model from text: syntax, structure (types, enums, unknown fields) and consistency
/// (ids, references, relations, boundaries), all reported together.
pub fn parse_model(source: &str, format: Format, limits: &Limits) -> Parsed {
    let failed = |diagnostic: Diagnostic| Parsed {
        model: None,
        diagnostics: vec![diagnostic],
        tree: None,
    };
    if source.len() as u64 > limits.max_bytes {
        return failed(size_error(source.len() as u64, limits));
    }
    let source_without_bom = source.strip_prefix('\u{feff}').unwrap_or(source);
    let bom = source.len() - source_without_bom.len();
    if let Some(refused) = characters::refuse_unprintable(source_without_bom, format) {
        return failed(shift(refused, bom));
    }
    let result = match format {
        Format::Yaml => yaml::parse(source_without_bom, limits),
        Format::Json => json::parse(source_without_bom, limits),
    };
    let (tree, mut diagnostics) = match result {
        Ok(parsed) => parsed,
        Err(diagnostic) => return failed(shift(diagnostic, bom)),
    };
    let Some(root) = tree.root else {
        return failed(
            Diagnostic::error("empty-file", "the file holds no model")
                .with_help("a model needs at least `metadata:` with a `name:`, and `nodes:`"),
        );
    };
    if !matches!(tree.value(root), Value::Map(_)) {
        return failed(
            Diagnostic::error(
                "invalid-type",
                format!(
                    "expected a mapping at the top of the file, found {}",
                    tree.describe(root)
                ),
            )
            .located(tree.location(root, source_without_bom))
            .with_help("a model file starts with `bartizan: 1`, `metadata:` and `nodes:`"),
        );
    }

    let (model, poisoned, structural) = deserialize(&tree, source_without_bom, limits);
    diagnostics.extend(structural);

    let model = model.map(|mut model| {
        let mut semantic = assign_missing_ids(&mut model);
        let context = validate::Context {
            unreadable_ids: unreadable_ids(&tree, &poisoned),
        };
        semantic.extend(validate::validate_with(&model, &context));
        let locator = Locator {
            tree: &tree,
            poisoned: &poisoned,
            source: source_without_bom,
            kept: Default::default(),
        };
        diagnostics.extend(semantic.into_iter().map(|d| locator.locate(d)));
        model
    });

    let mut diagnostics: Vec<Diagnostic> = diagnostics.into_iter().map(|d| shift(d, bom)).collect();
    diagnostic::sort(&mut diagnostics);
    if diagnostics.len() > limits.max_diagnostics {
        let hidden = diagnostics.len() - (limits.max_diagnostics - 1);
        diagnostics.truncate(limits.max_diagnostics - 1);
        diagnostics.push(
            Diagnostic::error(
                "too-many-problems",
                format!("{hidden} more problems are not shown"),
            )
            .with_help("fix the problems above and run again"),
        );
    }
    Parsed {
        model,
        diagnostics,
        tree: Some(tree),
    }
}

/// A key repeated in one mapping (the repeat was dropped from the tree), pointing at both.
fn duplicate_key(
    tree: &Tree,
    key: NodeRef,
    first: NodeRef,
    source: &str,
    container: &str,
) -> Diagnostic {
    let text = tree.scalar_text(key).unwrap_or_default();
    let path = tree.path_of(first);
    let mut diagnostic = Diagnostic::error(
        "duplicate-key",
        format!("the key `{text}` appears twice in this {container}"),
    )
    .at(path.clone())
    .located(tree.location(key, source))
    .with_help("keep one of the two");
    diagnostic.related.push(diagnostic::Related {
        message: "first here".into(),
        path: Some(path),
        location: Some(tree.location(first, source)),
    });
    diagnostic
}

pub fn size_error(bytes: u64, limits: &Limits) -> Diagnostic {
    Diagnostic::error(
        "size-limit",
        format!(
            "the file is {} bytes; model files are limited to {} bytes ({} MiB)",
            bytes,
            limits.max_bytes,
            limits.max_bytes / (1024 * 1024)
        ),
    )
    .with_help("split the system into several models, or check that this is the right file")
}

/// Moves byte offsets past a byte-order mark that was cut off before parsing.
fn shift(mut diagnostic: Diagnostic, bom: usize) -> Diagnostic {
    let related = diagnostic
        .related
        .iter_mut()
        .map(|related| &mut related.location);
    for location in std::iter::once(&mut diagnostic.location)
        .chain(related)
        .flatten()
    {
        location.start += bom;
        location.end += bom;
    }
    diagnostic
}

/// Reads the tree into a `Model`. Each failing value is reported, then skipped on the next
/// pass, until a pass succeeds: so every structural problem is found, not only the first.
fn deserialize(
    tree: &Tree,
    source: &str,
    limits: &Limits,
) -> (Option<Model>, HashSet<NodeRef>, Vec<Diagnostic>) {
    let root = tree.root.expect("checked by the caller");
    let mut poisoned = HashSet::new();
    let mut diagnostics = Vec::new();
    // The items of the model's lists first, each on its own: a pass per problem then costs
    // one item, not the whole file. The passes over the model skip the items found unreadable.
    let item_lists: [(&str, ReadItem); 4] = [
        ("nodes", read_item::<crate::model::Node>),
        ("edges", read_item::<crate::model::Edge>),
        ("boundaries", read_item::<crate::model::Boundary>),
        ("triage", read_item::<crate::model::TriageDecision>),
    ];
    for (list, read) in item_lists {
        let Some(Value::Seq(items)) = tree.get(root, list).map(|list| tree.value(list)) else {
            continue;
        };
        for &item in items {
            if diagnostics.len() >= limits.max_diagnostics {
                return (None, poisoned, diagnostics);
            }
            settle(
                tree,
                source,
                item,
                read,
                &mut poisoned,
                &mut diagnostics,
                limits,
            );
        }
    }
    let model = settle(
        tree,
        source,
        root,
        read_item::<Model>,
        &mut poisoned,
        &mut diagnostics,
        limits,
    )
    .then(|| {
        let context = de::Context {
            tree,
            poisoned: &poisoned,
        };
        Model::deserialize(de::TreeDeserializer {
            context: &context,
            node: root,
        })
        .ok()
    })
    .flatten();
    (model, poisoned, diagnostics)
}

/// Reads the value at a node as one type, only to see whether it can be read.
type ReadItem = fn(&de::Context, NodeRef) -> Result<(), de::DeError>;

fn read_item<'de, T: Deserialize<'de>>(
    context: &de::Context,
    node: NodeRef,
) -> Result<(), de::DeError> {
    T::deserialize(de::TreeDeserializer { context, node }).map(|_| ())
}

/// Reads `top` again and again, reporting each failing value and skipping it on the next
/// pass, until a pass succeeds (true) or `top` itself cannot be read (false).
fn settle(
    tree: &Tree,
    source: &str,
    top: NodeRef,
    read: ReadItem,
    poisoned: &mut HashSet<NodeRef>,
    diagnostics: &mut Vec<Diagnostic>,
    limits: &Limits,
) -> bool {
    loop {
        let context = de::Context { tree, poisoned };
        let error = match read(&context, top) {
            Ok(()) => return true,
            Err(error) => error,
        };
        let node = error.node.unwrap_or(top);
        let poison = error.poison.unwrap_or(node);
        let caused_by_skipped_value = error.missing_field.is_some_and(|field| {
            tree.get(node, field)
                .is_some_and(|value| poisoned.contains(&value))
        });
        if !caused_by_skipped_value {
            let mut diagnostic = Diagnostic::error(error.code, error.message)
                .at(tree.path_of(node))
                .located(tree.location(node, source));
            diagnostic.help = error.help;
            diagnostics.push(diagnostic);
        }
        let root = tree.root == Some(poison);
        if root || !poisoned.insert(poison) || diagnostics.len() >= limits.max_diagnostics {
            return false;
        }
        if poison == top {
            return false;
        }
    }
}

/// The ids of nodes and boundaries that were skipped as unreadable, so that references to
/// them do not add a second, misleading error.
fn unreadable_ids(tree: &Tree, poisoned: &HashSet<NodeRef>) -> HashSet<String> {
    let root = tree.root.expect("a model was read");
    let mut ids = HashSet::new();
    for list in ["nodes", "boundaries"] {
        let Some(Value::Seq(items)) = tree.get(root, list).map(|list| tree.value(list)) else {
            continue;
        };
        for &item in items.iter().filter(|item| poisoned.contains(item)) {
            if let Some(id) = tree.get(item, "id").and_then(|id| tree.scalar_text(id)) {
                ids.insert(id.to_owned());
            }
        }
    }
    ids
}

/// Nodes and boundaries with no id get a UUID v7 (and a warning, since the id changes on
/// every read until it is saved); edges get their derived `FROM--RELATION--TO` id.
fn assign_missing_ids(model: &mut Model) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for (index, node) in model.nodes.iter_mut().enumerate() {
        if node.id.is_empty() {
            node.id = uuid::Uuid::now_v7().to_string();
            diagnostics.push(missing_id_warning(
                FieldPath::element("nodes", index),
                "node",
                &node.name,
            ));
        }
    }
    for (index, boundary) in model.boundaries.iter_mut().enumerate() {
        if boundary.id.is_empty() {
            boundary.id = uuid::Uuid::now_v7().to_string();
            diagnostics.push(missing_id_warning(
                FieldPath::element("boundaries", index),
                "boundary",
                &boundary.name,
            ));
        }
    }
    for edge in &mut model.edges {
        if edge.id.is_empty() {
            edge.id = crate::model::Edge::derived_id(&edge.from, edge.relation, &edge.to);
        }
    }
    diagnostics
}

fn missing_id_warning(path: FieldPath, what: &str, name: &str) -> Diagnostic {
    Diagnostic::warning("missing-id", format!("the {what} `{name}` has no id; a new one is generated on every read"))
        .at(path)
        .with_help("give it a short id (e.g. `id: crm-connector`), or run `bartizan fmt` to write the generated one")
}

/// Maps diagnostics from model positions (`nodes[k]` of the model as read) to source
/// positions (the k-th node that was read may be the m-th in the file, after skipped ones).
struct Locator<'a> {
    tree: &'a Tree,
    poisoned: &'a HashSet<NodeRef>,
    source: &'a str,
    /// For each list with unreadable items, the file positions of the items that were read.
    kept: std::cell::RefCell<HashMap<NodeRef, Vec<usize>>>,
}

impl Locator<'_> {
    fn locate(&self, mut diagnostic: Diagnostic) -> Diagnostic {
        if let Some(path) = diagnostic.path.take() {
            let (source_path, location) = self.resolve(&path);
            diagnostic.path = Some(source_path);
            diagnostic.location = diagnostic.location.or(location);
        }
        for related in &mut diagnostic.related {
            if let Some(path) = related.path.take() {
                let (source_path, location) = self.resolve(&path);
                related.path = Some(source_path);
                related.location = related.location.or(location);
            }
        }
        diagnostic
    }

    /// The position in the file of the `index`-th item of a list that was read, skipping
    /// the unreadable ones; the positions of each list are worked out once.
    fn kept_index(&self, list: NodeRef, items: &[NodeRef], index: usize) -> Option<usize> {
        if self.poisoned.is_empty() {
            return (index < items.len()).then_some(index);
        }
        let mut kept = self.kept.borrow_mut();
        let positions = kept.entry(list).or_insert_with(|| {
            (0..items.len())
                .filter(|&position| !self.poisoned.contains(&items[position]))
                .collect()
        });
        positions.get(index).copied()
    }

    fn resolve(&self, path: &FieldPath) -> (FieldPath, Option<crate::diagnostic::Location>) {
        let Some(mut node) = self.tree.root else {
            return (path.clone(), None);
        };
        let mut source_path = Vec::new();
        let mut point_at = node;
        let mut complete = true;
        for segment in &path.0 {
            let step = match (segment, self.tree.value(node)) {
                (Segment::Key(key), Value::Map(_)) => {
                    self.tree.entry(node, key).map(|(key_node, value)| {
                        point_at = key_node;
                        (Segment::Key(key.clone()), value)
                    })
                }
                (Segment::Index(index), Value::Seq(items)) => {
                    self.kept_index(node, items, *index).map(|original| {
                        let item = items[original];
                        point_at = item;
                        (Segment::Index(original), item)
                    })
                }
                _ => None,
            };
            match step {
                Some((segment, next)) if complete => {
                    source_path.push(segment);
                    node = next;
                }
                _ => {
                    complete = false;
                    source_path.push(segment.clone());
                }
            }
        }
        // Point at the value itself when it is a scalar; at the key or element otherwise.
        if matches!(self.tree.value(node), Value::Scalar { .. }) && complete {
            point_at = node;
        }
        (
            FieldPath(source_path),
            Some(self.tree.location(point_at, self.source)),
        )
    }
}
