//! Model files as text: reading YAML or JSON into a [`Model`] with every problem reported at
//! once and located (file line, column and field path), and writing a model back out
//! deterministically.

mod characters;
mod de;
mod json;
mod tree;
mod write;
mod yaml;

use std::cell::RefCell;
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
    /// Whether the model holds everything the file says: see [`Parsed::is_complete`].
    pub complete: bool,
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

    /// Whether the model holds everything the file says. Reading skips a value of the wrong
    /// type or an unknown word (and a repeated key) to report every problem at once, so the
    /// model read from such a file lacks it, and writing that model back would drop it. A
    /// complete model's only errors are the consistency problems `validate` finds in it (a
    /// dangling reference, a duplicate id): nothing was skipped on the way.
    pub fn is_complete(&self) -> bool {
        self.complete
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
        complete: false,
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
    // Every error so far made the reader skip something (a value of the wrong type, an unknown
    // word, a repeated key); consistency errors found below leave the model whole.
    let complete = model.is_some() && !diagnostics.iter().any(Diagnostic::is_error);

    // Validation keeps at most a screenful of diagnostics and counts the rest.
    let mut semantic = validate::Collector::new(limits.max_diagnostics);
    let model = model.map(|mut model| {
        assign_missing_ids(&mut model, &mut semantic);
        let context = validate::Context {
            unreadable_ids: unreadable_ids(&tree, &poisoned),
        };
        validate::validate_into(&model, &context, &mut semantic);
        model
    });
    let (semantic, skipped) = semantic.finish();
    let locator = Locator::new(&tree, &poisoned, source_without_bom);
    diagnostics.extend(semantic.into_iter().map(|d| locator.locate(d)));

    let mut diagnostics: Vec<Diagnostic> = diagnostics.into_iter().map(|d| shift(d, bom)).collect();
    diagnostic::sort(&mut diagnostics);
    if diagnostics.len() + skipped.total() > limits.max_diagnostics {
        let shown = limits.max_diagnostics - 1;
        let hidden_errors = diagnostics[shown.min(diagnostics.len())..]
            .iter()
            .filter(|d| d.is_error())
            .count()
            + skipped.errors;
        let hidden = diagnostics.len().saturating_sub(shown) + skipped.total();
        diagnostics.truncate(shown);
        diagnostics.push(not_shown(hidden, hidden_errors));
    }
    Parsed {
        model,
        diagnostics,
        tree: Some(tree),
        complete,
    }
}

/// The last line of a capped list. The cap limits what is shown, never the verdict: the line
/// is an error exactly when an error is among the problems it stands for, so a valid model
/// with many warnings stays valid.
fn not_shown(hidden: usize, hidden_errors: usize) -> Diagnostic {
    let message = format!("{hidden} more problems are not shown");
    if hidden_errors > 0 {
        let errors = if hidden_errors == 1 {
            "1 of them is an error".to_owned()
        } else {
            format!("{hidden_errors} of them are errors")
        };
        Diagnostic::error("too-many-problems", message)
            .with_help(format!("{errors}; fix the problems above and run again"))
    } else {
        Diagnostic::warning("too-many-problems", message)
            .with_help("all of them are warnings; fix the ones above and run again to see more")
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
    // A model that reads at once, as most do at every edit, is read once.
    let context = de::Context {
        tree,
        poisoned: &poisoned,
    };
    if let Ok(model) = read_model(&context, root) {
        return (Some(model), poisoned, diagnostics);
    }
    // Otherwise the items of the model's lists first, each on its own: a pass per problem
    // then costs one item, not the whole file. The passes over the model skip the items found
    // unreadable.
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
    // The pass that reads the whole model without an error is the model.
    let model = settle(
        tree,
        source,
        root,
        read_model,
        &mut poisoned,
        &mut diagnostics,
        limits,
    );
    (model, poisoned, diagnostics)
}

fn read_model(context: &de::Context, node: NodeRef) -> Result<Model, de::DeError> {
    Model::deserialize(de::TreeDeserializer { context, node })
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
/// pass, until a pass succeeds (what it read) or `top` itself cannot be read (`None`).
fn settle<T>(
    tree: &Tree,
    source: &str,
    top: NodeRef,
    read: impl Fn(&de::Context, NodeRef) -> Result<T, de::DeError>,
    poisoned: &mut HashSet<NodeRef>,
    diagnostics: &mut Vec<Diagnostic>,
    limits: &Limits,
) -> Option<T> {
    loop {
        let context = de::Context { tree, poisoned };
        let error = match read(&context, top) {
            Ok(read) => return Some(read),
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
            return None;
        }
        if poison == top {
            return None;
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
fn assign_missing_ids(model: &mut Model, diagnostics: &mut validate::Collector) {
    for (index, node) in model.nodes.iter_mut().enumerate() {
        if node.id.is_empty() {
            node.id = uuid::Uuid::now_v7().to_string();
            diagnostics.warning(|| {
                missing_id_warning(FieldPath::element("nodes", index), "node", &node.name)
            });
        }
    }
    for (index, boundary) in model.boundaries.iter_mut().enumerate() {
        if boundary.id.is_empty() {
            boundary.id = uuid::Uuid::now_v7().to_string();
            diagnostics.warning(|| {
                missing_id_warning(
                    FieldPath::element("boundaries", index),
                    "boundary",
                    &boundary.name,
                )
            });
        }
    }
    for edge in &mut model.edges {
        if edge.id.is_empty() {
            edge.id = crate::model::Edge::derived_id(&edge.from, edge.relation, &edge.to);
        }
    }
}

fn missing_id_warning(path: FieldPath, what: &str, name: &str) -> Diagnostic {
    Diagnostic::warning("missing-id", format!("the {what} `{name}` has no id; a new one is generated on every read"))
        .at(path)
        .with_help("give it a short id (e.g. `id: crm-connector`), or run `bartizan fmt` to write the generated one")
}

/// A mapping's (key, value) entries by the key's text.
type EntriesByKey<'a> = HashMap<&'a str, (NodeRef, NodeRef)>;

/// Maps diagnostics from model positions (`nodes[k]` of the model as read) to source
/// positions (the k-th node that was read may be the m-th in the file, after skipped ones).
struct Locator<'a> {
    tree: &'a Tree,
    poisoned: &'a HashSet<NodeRef>,
    source: &'a str,
    /// Built on first use, so that each lookup is constant time however long the list or
    /// mapping: a list's items that were read (not skipped), a mapping's entries by key.
    items_read: RefCell<HashMap<NodeRef, Vec<NodeRef>>>,
    entries_by_key: RefCell<HashMap<NodeRef, EntriesByKey<'a>>>,
}

impl<'a> Locator<'a> {
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

    fn new(tree: &'a Tree, poisoned: &'a HashSet<NodeRef>, source: &'a str) -> Self {
        Locator {
            tree,
            poisoned,
            source,
            items_read: RefCell::default(),
            entries_by_key: RefCell::default(),
        }
    }

    /// The `index`-th item of `list` that was read, with its index in the file.
    fn item_read(&self, list: NodeRef, index: usize) -> Option<(usize, NodeRef)> {
        let Value::Seq(items) = self.tree.value(list) else {
            return None;
        };
        if self.poisoned.is_empty() {
            return items.get(index).map(|&item| (index, item));
        }
        let mut cache = self.items_read.borrow_mut();
        let read = cache.entry(list).or_insert_with(|| {
            (0..items.len())
                .filter(|&position| !self.poisoned.contains(&items[position]))
                .collect()
        });
        read.get(index).map(|&position| (position, items[position]))
    }

    /// The (key, value) entry under `key` in `map`; the first one when a key repeats, as
    /// [`Tree::entry`] finds it.
    fn entry(&self, map: NodeRef, key: &str) -> Option<(NodeRef, NodeRef)> {
        let mut cache = self.entries_by_key.borrow_mut();
        let entries = cache.entry(map).or_insert_with(|| {
            let mut by_key = HashMap::new();
            if let Value::Map(entries) = self.tree.value(map) {
                for &(key_node, value) in entries {
                    if let Some(text) = self.tree.scalar_text(key_node) {
                        by_key.entry(text).or_insert((key_node, value));
                    }
                }
            }
            by_key
        });
        entries.get(key).copied()
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
                    self.entry(node, key).map(|(key_node, value)| {
                        point_at = key_node;
                        (Segment::Key(key.clone()), value)
                    })
                }
                (Segment::Index(index), Value::Seq(_)) => {
                    self.item_read(node, *index).map(|(original, item)| {
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
