//! Consistency of a model that parsed: ids, references, relations between kinds, boundaries,
//! triage and layout. Pure: takes a model, returns diagnostics whose paths are in the model's
//! own coordinates (`nodes[k]` is `model.nodes[k]`); the parser maps them to file positions.

mod boundaries;
mod collector;

pub use collector::{Collector, Skipped};

use std::collections::{HashMap, HashSet};

use crate::diagnostic::{Diagnostic, FieldPath};
use crate::model::relations::{EDGE_ATTRIBUTES, is_allowed, relations_between, rule_for};
use crate::model::{Action, Edge, FORMAT_VERSION, MAX_COORDINATE, Model, NodeKind, NodeProperties};
use crate::syntax::did_you_mean;

/// Ids that exist in the file but whose element could not be read; references to them are
/// not reported again.
#[derive(Default)]
pub struct Context {
    pub unreadable_ids: HashSet<String>,
}

/// Every consistency problem of `model`, up to the default cap of diagnostics.
pub fn validate(model: &Model) -> Vec<Diagnostic> {
    let mut diagnostics = Collector::new(crate::syntax::Limits::default().max_diagnostics);
    validate_into(model, &Context::default(), &mut diagnostics);
    diagnostics.finish().0
}

/// Adds `model`'s consistency problems to `diagnostics`. Past its cap they are only counted,
/// and each pass is linear (or `n log n`) in the model, however many problems it finds.
pub fn validate_into(model: &Model, context: &Context, diagnostics: &mut Collector) {
    if model.bartizan != FORMAT_VERSION {
        diagnostics.error(|| {
            Diagnostic::error(
                "unsupported-version",
                format!(
                    "this file is format {}, but this Bartizan reads format {FORMAT_VERSION}",
                    model.bartizan
                ),
            )
            .at(FieldPath::root().key("bartizan"))
            .with_help(format!(
                "set `bartizan: {FORMAT_VERSION}`, or use the Bartizan release that wrote the file"
            ))
        });
    }
    if model.metadata.name.trim().is_empty() {
        diagnostics.error(|| {
            Diagnostic::error("missing-field", "the model has no name")
                .at(FieldPath::root().key("metadata"))
                .with_help("add `name:` under `metadata:`, e.g. `name: Customer support agent`")
        });
    }
    check_date(
        diagnostics,
        model.metadata.updated.as_deref(),
        FieldPath::root().key("metadata").key("updated"),
    );

    let kinds = check_ids(model, diagnostics);
    let mut node_ids = Suggestions::new(kinds.keys().copied());
    for (index, boundary) in model.boundaries.iter().enumerate() {
        if boundary.name.trim().is_empty() {
            diagnostics.error(|| {
                Diagnostic::error(
                    "missing-field",
                    format!("the boundary `{}` has an empty name", boundary.id),
                )
                .at(FieldPath::element("boundaries", index).key("name"))
            });
        }
    }
    check_edges(model, &kinds, &mut node_ids, context, diagnostics);
    boundaries::check(model, &kinds, &mut node_ids, context, diagnostics);
    check_properties(model, diagnostics);
    check_triage(model, diagnostics);
    check_layout(model, &kinds, diagnostics);
}

/// Checks id syntax and uniqueness (one namespace for nodes, edges and boundaries, because
/// findings and triage refer to them by id). Returns each node id's kind.
fn check_ids<'m>(model: &'m Model, diagnostics: &mut Collector) -> HashMap<&'m str, NodeKind> {
    // (path, whether the id is an edge's derived one): two derived ids can only clash when
    // the same edge is stated twice, which `duplicate-edge` reports.
    let mut first_use: HashMap<&str, (FieldPath, bool)> = HashMap::new();
    let mut kinds = HashMap::new();
    let nodes = model
        .nodes
        .iter()
        .enumerate()
        .map(|(i, node)| (FieldPath::element("nodes", i), node.id.as_str(), false));
    let edges = model.edges.iter().enumerate().map(|(i, edge)| {
        (
            FieldPath::element("edges", i),
            edge.id.as_str(),
            edge.has_derived_id(),
        )
    });
    let boundaries = model.boundaries.iter().enumerate().map(|(i, boundary)| {
        (
            FieldPath::element("boundaries", i),
            boundary.id.as_str(),
            false,
        )
    });
    for (element, id, derived) in nodes.chain(edges).chain(boundaries) {
        let path = if derived {
            element.clone()
        } else {
            element.clone().key("id")
        };
        if !derived && !is_valid_id(id) {
            diagnostics.error(||
                Diagnostic::error("invalid-id", format!("`{id}` is not a valid id"))
                    .at(path.clone())
                    .with_help("an id is 1 to 128 letters, digits, `.`, `_`, `:` or `-`, starting with a letter or digit"),
            );
        }
        match first_use.get(id) {
            Some((_, true)) if derived => {}
            Some((first, _)) => diagnostics.error(||
                Diagnostic::error("duplicate-id", format!("the id `{id}` is used twice"))
                    .at(path)
                    .with_related("first used here", first.clone())
                    .with_help(if derived {
                        "ids must be unique across nodes, edges and boundaries; this edge has no `id`, so it is known as FROM--RELATION--TO: give it an id"
                    } else {
                        "ids must be unique across nodes, edges and boundaries"
                    }),
            ),
            None => {
                first_use.insert(id, (path, derived));
            }
        }
    }
    for (index, node) in model.nodes.iter().enumerate() {
        kinds.entry(node.id.as_str()).or_insert(node.kind());
        if node.name.trim().is_empty() {
            diagnostics.error(|| {
                Diagnostic::error(
                    "missing-field",
                    format!("the node `{}` has an empty name", node.id),
                )
                .at(FieldPath::element("nodes", index).key("name"))
            });
        }
    }
    kinds
}

/// "an agent", "a tool".
fn article(kind: NodeKind) -> String {
    let word = kind.as_str();
    let an = word.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {word}", if an { "an" } else { "a" })
}

/// Letters, digits and `._:-`, starting with a letter or digit, at most 128 characters.
pub fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && id.len() <= 128
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | ':' | '-'))
}

/// Reports a reference to a node that does not exist, with the closest id as a suggestion.
pub(crate) fn unknown_node(node_ids: &mut Suggestions, id: &str, path: FieldPath) -> Diagnostic {
    let diagnostic =
        Diagnostic::error("unknown-node", format!("no node has the id `{id}`")).at(path);
    match node_ids.closest(id) {
        Some(suggestion) => diagnostic.with_help(format!("did you mean `{suggestion}`?")),
        None => diagnostic.with_help("add the node, or correct the id"),
    }
}

/// "Did you mean" for mistyped ids. A search compares the typo with every known id, so only
/// the first [`Suggestions::SEARCHES`] distinct typos are searched (a repeated typo reuses its
/// answer): a file with thousands of unknown ids costs a bounded number of searches, and the
/// first screenful of diagnostics, the one a reader acts on, keeps its suggestions.
pub(crate) struct Suggestions<'m> {
    /// Sorted, so that ties resolve the same way on every run.
    known: Vec<&'m str>,
    answers: HashMap<String, Option<&'m str>>,
    searches_left: usize,
}

impl<'m> Suggestions<'m> {
    const SEARCHES: usize = 20;

    pub(crate) fn new(known: impl IntoIterator<Item = &'m str>) -> Self {
        let mut known: Vec<&str> = known.into_iter().collect();
        known.sort_unstable();
        Suggestions {
            known,
            answers: HashMap::new(),
            searches_left: Self::SEARCHES,
        }
    }

    pub(crate) fn closest(&mut self, typo: &str) -> Option<&'m str> {
        if let Some(&answer) = self.answers.get(typo) {
            return answer;
        }
        // No id is longer than 128 characters, so a longer reference is no typo of one (and
        // comparing it would cost in proportion to its length).
        if self.searches_left == 0 || typo.len() > 128 {
            return None;
        }
        self.searches_left -= 1;
        let answer = did_you_mean(typo, &self.known);
        self.answers.insert(typo.to_owned(), answer);
        answer
    }
}

fn check_edges(
    model: &Model,
    kinds: &HashMap<&str, NodeKind>,
    node_ids: &mut Suggestions,
    context: &Context,
    diagnostics: &mut Collector,
) {
    let mut triples: HashMap<(&str, crate::model::Relation, &str), usize> = HashMap::new();
    for (index, edge) in model.edges.iter().enumerate() {
        let element = FieldPath::element("edges", index);
        let mut ends = [None, None];
        for (slot, (field, id)) in [("from", &edge.from), ("to", &edge.to)]
            .into_iter()
            .enumerate()
        {
            match kinds.get(id.as_str()) {
                Some(&kind) => ends[slot] = Some(kind),
                None if context.unreadable_ids.contains(id) => {}
                None => {
                    diagnostics.error(|| unknown_node(node_ids, id, element.clone().key(field)))
                }
            }
        }
        if edge.from == edge.to {
            diagnostics.error(|| {
                Diagnostic::error(
                    "self-edge",
                    format!("the edge goes from `{}` to itself", edge.from),
                )
                .at(element.clone().key("to"))
            });
        }
        if let [Some(from), Some(to)] = ends
            && !is_allowed(from, edge.relation, to)
        {
            diagnostics.error(|| invalid_relation(edge, from, to, element.clone().key("relation")));
        }
        check_edge_attributes(edge, &element, diagnostics);
        match triples.get(&(edge.from.as_str(), edge.relation, edge.to.as_str())) {
            Some(&first) => diagnostics.error(|| {
                Diagnostic::error(
                    "duplicate-edge",
                    format!(
                        "`{} {} {}` is stated twice",
                        edge.from, edge.relation, edge.to
                    ),
                )
                .at(element.clone())
                .with_related("first stated here", FieldPath::element("edges", first))
                .with_help("merge the two edges into one")
            }),
            None => {
                triples.insert((edge.from.as_str(), edge.relation, edge.to.as_str()), index);
            }
        }
    }
}

fn invalid_relation(edge: &Edge, from: NodeKind, to: NodeKind, path: FieldPath) -> Diagnostic {
    let rule = rule_for(edge.relation);
    let words = |kinds: &[NodeKind]| {
        kinds
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let valid = relations_between(from, to);
    let mut help = format!(
        "`{}` goes from [{}] to [{}]",
        edge.relation,
        words(rule.from),
        words(rule.to)
    );
    if valid.is_empty() {
        help.push_str(&format!(
            "; no relation goes from {} to {}",
            article(from),
            article(to)
        ));
    } else {
        let valid: Vec<&str> = valid.iter().map(|r| r.as_str()).collect();
        help.push_str(&format!(
            "; from {} to {}, use one of: {}",
            article(from),
            article(to),
            valid.join(", ")
        ));
    }
    Diagnostic::error(
        "invalid-relation",
        format!(
            "`{}` cannot go from {} (`{}`) to {} (`{}`)",
            edge.relation,
            article(from),
            edge.from,
            article(to),
            edge.to
        ),
    )
    .at(path)
    .with_help(help)
}

fn check_edge_attributes(edge: &Edge, element: &FieldPath, diagnostics: &mut Collector) {
    let present = [
        ("permissions", !edge.permissions.is_empty()),
        ("auth", edge.auth.is_some()),
        ("scope", !edge.scope.is_empty()),
        ("verified", edge.verified.is_some()),
        ("daily_volume", edge.daily_volume.is_some()),
        ("renders", edge.renders.is_some()),
    ];
    for (field, is_present) in present {
        let applies_to = EDGE_ATTRIBUTES
            .iter()
            .find(|(name, _)| *name == field)
            .map(|(_, relations)| *relations)
            .unwrap_or(&[]);
        if is_present && !applies_to.contains(&edge.relation) {
            let relations: Vec<String> = applies_to.iter().map(|r| format!("`{r}`")).collect();
            diagnostics.error(|| {
                Diagnostic::error(
                    "misplaced-field",
                    format!("`{field}` has no meaning on `{}` edges", edge.relation),
                )
                .at(element.clone().key(field))
                .with_help(format!(
                    "`{field}` applies only to {} edges",
                    relations.join(", ")
                ))
            });
        }
    }
    if edge.relation == crate::model::Relation::Grants && edge.permissions.is_empty() {
        diagnostics.warning(||
            Diagnostic::warning(
                "missing-permissions",
                format!("the grant from `{}` to `{}` does not say what it permits", edge.from, edge.to),
            )
            .at(element.clone())
            .with_help("add `permissions:` (read, write, delete, execute, send, payment, admin); until then no action is inferred from the grant, and checks ask what it permits"),
        );
    }
    check_duplicates(
        &edge.permissions,
        element.clone().key("permissions"),
        diagnostics,
    );
    check_duplicates(&edge.scope, element.clone().key("scope"), diagnostics);
}

fn check_duplicates<T: Eq + std::hash::Hash + std::fmt::Display>(
    items: &[T],
    path: FieldPath,
    diagnostics: &mut Collector,
) {
    let mut seen = HashSet::new();
    for (index, item) in items.iter().enumerate() {
        if !seen.insert(item) {
            diagnostics.warning(|| {
                Diagnostic::warning("duplicate-entry", format!("`{item}` is listed twice"))
                    .at(path.clone().index(index))
            });
        }
    }
}

fn check_properties(model: &Model, diagnostics: &mut Collector) {
    let granting: HashSet<&str> = model
        .edges
        .iter()
        .filter(|edge| edge.relation == crate::model::Relation::Grants)
        .map(|edge| edge.from.as_str())
        .collect();
    for (index, node) in model.nodes.iter().enumerate() {
        let properties = FieldPath::element("nodes", index).key("properties");
        match &node.properties {
            NodeProperties::Tool(tool) => check_duplicates(
                &tool.actions,
                properties.clone().key("actions"),
                diagnostics,
            ),
            NodeProperties::Human(human) => check_duplicates::<Action>(
                &human.entitlements,
                properties.clone().key("entitlements"),
                diagnostics,
            ),
            NodeProperties::Gateway(gateway) => check_duplicates(
                &gateway.controls,
                properties.clone().key("controls"),
                diagnostics,
            ),
            NodeProperties::Datastore(store) => check_duplicates(
                &store.contains,
                properties.clone().key("contains"),
                diagnostics,
            ),
            NodeProperties::Memory(memory) => check_duplicates(
                &memory.contains,
                properties.clone().key("contains"),
                diagnostics,
            ),
            NodeProperties::Secret(secret) => {
                // No check reads `scopes`: what a secret permits comes from its grants, and
                // scopes with none would hide the secret's privilege from every check.
                if !secret.scopes.is_empty() && !granting.contains(node.id.as_str()) {
                    diagnostics.error(|| {
                        Diagnostic::error(
                            "scopes-without-grants",
                            format!(
                                "`{}` states `scopes` but no `grants` edge says what it permits",
                                node.id
                            ),
                        )
                        .at(properties.clone().key("scopes"))
                        .with_help(format!(
                            "add a `grants` edge from `{}` to each system it opens, with `permissions:` (read, write, delete, execute, send, payment, admin); `scopes` then stays as the provider's description",
                            node.id
                        ))
                    });
                }
                if secret.rotation_days == Some(0) {
                    diagnostics.error(|| {
                        Diagnostic::error("invalid-value", "`rotation_days` must be at least 1")
                            .at(properties.clone().key("rotation_days"))
                            .with_help("state the rotation period in days, or leave it out when it is unknown")
                    });
                }
                if secret.ttl.is_some_and(|ttl| ttl.seconds() == 0) {
                    diagnostics.error(|| {
                        Diagnostic::error("invalid-value", "`ttl` must be longer than zero")
                            .at(properties.clone().key("ttl"))
                    });
                }
            }
            _ => {}
        }
    }
}

fn check_triage(model: &Model, diagnostics: &mut Collector) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (index, decision) in model.triage.iter().enumerate() {
        let element = FieldPath::element("triage", index);
        if let Some(&first) = seen.get(decision.fingerprint.as_str()) {
            diagnostics.error(|| {
                Diagnostic::error(
                    "duplicate-triage",
                    format!(
                        "the finding `{}` has two triage decisions",
                        decision.fingerprint
                    ),
                )
                .at(element.clone().key("fingerprint"))
                .with_related("first decision", FieldPath::element("triage", first))
                .with_help("keep one decision per finding")
            });
        } else {
            seen.insert(&decision.fingerprint, index);
        }
        if decision.status != crate::model::TriageStatus::Open
            && decision
                .justification
                .as_deref()
                .is_none_or(|j| j.trim().is_empty())
        {
            diagnostics.warning(|| {
                Diagnostic::warning(
                    "missing-justification",
                    format!(
                        "the decision `{}` on `{}` has no justification",
                        decision.status, decision.fingerprint
                    ),
                )
                .at(element.clone())
                .with_help("say why, so that an auditor can follow the decision")
            });
        }
        check_date(diagnostics, decision.at.as_deref(), element.key("at"));
    }
}

fn check_layout(model: &Model, kinds: &HashMap<&str, NodeKind>, diagnostics: &mut Collector) {
    let boundary_ids: HashSet<&str> = model.boundaries.iter().map(|b| b.id.as_str()).collect();
    for (id, position) in &model.layout.nodes {
        let path = FieldPath::root().key("layout").key("nodes").key(id.clone());
        if !kinds.contains_key(id.as_str()) {
            diagnostics.warning(|| {
                Diagnostic::warning(
                    "stale-layout",
                    format!("the layout places `{id}`, which is not a node"),
                )
                .at(path.clone())
                .with_help("remove the entry, or place the node it was meant for")
            });
        }
        for (field, value) in [("x", position.x), ("y", position.y)] {
            check_coordinate(diagnostics, &path, field, value, Measure::Coordinate);
        }
    }
    for (id, rect) in &model.layout.boundaries {
        let path = FieldPath::root()
            .key("layout")
            .key("boundaries")
            .key(id.clone());
        if !boundary_ids.contains(id.as_str()) {
            diagnostics.warning(|| {
                Diagnostic::warning(
                    "stale-layout",
                    format!("the layout places `{id}`, which is not a boundary"),
                )
                .at(path.clone())
                .with_help("remove the entry, or place the boundary it was meant for")
            });
        }
        let fields = [
            ("x", rect.x, Measure::Coordinate),
            ("y", rect.y, Measure::Coordinate),
            ("width", rect.width, Measure::Size),
            ("height", rect.height, Measure::Size),
        ];
        for (field, value, measure) in fields {
            check_coordinate(diagnostics, &path, field, value, measure);
        }
    }
}

#[derive(Clone, Copy)]
enum Measure {
    /// A position: from `-MAX_COORDINATE` to `MAX_COORDINATE`.
    Coordinate,
    /// A width or height: above zero, up to `MAX_COORDINATE`.
    Size,
}

/// Refuses a layout number that is not finite or lies outside [`MAX_COORDINATE`], so that
/// nothing that draws the diagram meets an infinity or a NaN.
fn check_coordinate(
    diagnostics: &mut Collector,
    entry: &FieldPath,
    field: &str,
    value: f64,
    measure: Measure,
) {
    let (in_range, range) = match measure {
        Measure::Coordinate => (
            (-MAX_COORDINATE..=MAX_COORDINATE).contains(&value),
            "a coordinate lies between -1000000 and 1000000",
        ),
        Measure::Size => (
            value > 0.0 && value <= MAX_COORDINATE,
            "a width or height is above 0 and at most 1000000",
        ),
    };
    if !in_range {
        diagnostics.error(|| {
            // `1e308` rather than its 309 digits.
            let written = if value.abs() < 1e9 {
                value.to_string()
            } else {
                format!("{value:e}")
            };
            Diagnostic::error(
                "invalid-value",
                format!("`{field}` is {written}, out of range"),
            )
            .at(entry.clone().key(field))
            .with_help(range)
        });
    }
}

/// Accepts `YYYY-MM-DD` and RFC 3339 date-times (`2026-11-25T14:03:00Z`, with an offset).
fn check_date(diagnostics: &mut Collector, value: Option<&str>, path: FieldPath) {
    if let Some(value) = value
        && !is_date(value)
    {
        diagnostics.error(|| {
            Diagnostic::error("invalid-date", format!("`{value}` is not a date"))
                .at(path)
                .with_help("write a date as 2026-11-25 or a time as 2026-11-25T14:03:00Z")
        });
    }
}

pub fn is_date(value: &str) -> bool {
    let bytes = value.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        bytes
            .get(range.clone())
            .is_some_and(|b| b.iter().all(u8::is_ascii_digit))
    };
    let number = |range: std::ops::Range<usize>| value[range].parse::<u32>().unwrap_or(0);
    let date_ok = bytes.len() >= 10
        && digits(0..4)
        && bytes[4] == b'-'
        && digits(5..7)
        && bytes[7] == b'-'
        && digits(8..10)
        && (1..=days_in_month(number(0..4), number(5..7))).contains(&number(8..10));
    if !date_ok {
        return false;
    }
    if bytes.len() == 10 {
        return true;
    }
    let time_ok = bytes.len() >= 20
        && matches!(bytes[10], b'T' | b't' | b' ')
        && digits(11..13)
        && bytes[13] == b':'
        && digits(14..16)
        && bytes[16] == b':'
        && digits(17..19)
        && number(11..13) < 24
        && number(14..16) < 60
        && number(17..19) < 61;
    if !time_ok {
        return false;
    }
    let mut rest = &value[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits_len = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits_len == 0 {
            return false;
        }
        rest = &fraction[digits_len..];
    }
    match rest.as_bytes() {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|b| b.is_ascii_digit()),
        _ => false,
    }
}

/// 0 for a month that does not exist, so that no day is valid in it.
fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert!(is_date("2026-11-25"));
        assert!(is_date("2026-11-25T14:03:00Z"));
        assert!(is_date("2026-11-25T14:03:00.123+01:00"));
        assert!(!is_date("25/11/2026"));
        assert!(!is_date("2026-13-01"));
        assert!(!is_date("2026-02-30"));
        assert!(!is_date("2026-04-31"));
        assert!(is_date("2028-02-29"));
        assert!(!is_date("2100-02-29"));
        assert!(!is_date("2026-11-25T14:03"));
    }

    #[test]
    fn ids() {
        assert!(is_valid_id("crm-connector"));
        assert!(is_valid_id("0190f0c2-6f6c-7d2a-9b1e-3a4c5d6e7f80"));
        assert!(!is_valid_id("-leading"));
        assert!(!is_valid_id("has space"));
        assert!(!is_valid_id(""));
    }
}
