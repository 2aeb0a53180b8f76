//! Problems found in a model file, and how they are shown: rustc-style text with the source
//! line, or JSON for machines.

use std::fmt;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A place in a document, as a path of keys and list indices: `nodes[3].properties.ttl`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct FieldPath(pub Vec<Segment>);

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Segment {
    Key(String),
    Index(usize),
}

impl FieldPath {
    pub fn root() -> Self {
        FieldPath(Vec::new())
    }

    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.0.push(Segment::Key(key.into()));
        self
    }

    pub fn index(mut self, index: usize) -> Self {
        self.0.push(Segment::Index(index));
        self
    }

    /// `nodes[index]`, `edges[index]` and the like.
    pub fn element(list: &str, index: usize) -> Self {
        FieldPath::root().key(list).index(index)
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(document)");
        }
        for (position, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(key) if position == 0 => write!(f, "{key}")?,
                Segment::Key(key) => write!(f, ".{key}")?,
                Segment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

impl Serialize for FieldPath {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Where in the source text: 1-based line and column (in characters), and the byte range
/// to underline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    #[serde(skip)]
    pub start: usize,
    #[serde(skip)]
    pub end: usize,
}

/// A secondary place that explains the problem ("first defined here").
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Related {
    pub message: String,
    pub path: Option<FieldPath>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable kebab-case code, e.g. `unknown-field`.
    pub code: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<FieldPath>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// What would be valid, or how to fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            path: None,
            location: None,
            help: None,
            related: Vec::new(),
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn at(mut self, path: FieldPath) -> Self {
        self.path = Some(path);
        self
    }

    pub fn located(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_related(mut self, message: impl Into<String>, path: FieldPath) -> Self {
        self.related.push(Related {
            message: message.into(),
            path: Some(path),
            location: None,
        });
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Orders diagnostics by position in the file, then by message, so output is deterministic.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        let position = |d: &Diagnostic| d.location.map(|l| (l.line, l.column));
        position(a)
            .cmp(&position(b))
            .then_with(|| a.severity.cmp(&b.severity))
            .then_with(|| a.message.cmp(&b.message))
    });
}

/// Renders diagnostics as rustc does: the message, `--> file:line:col`, the source line with
/// the problem underlined, the field path and the help.
pub fn render(diagnostics: &[Diagnostic], source: &str, origin: &str, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for diagnostic in diagnostics {
        let level = match diagnostic.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let path_label = diagnostic
            .path
            .as_ref()
            .map(|path| format!("at {path}"))
            .unwrap_or_default();
        let title = level
            .primary_title(diagnostic.message.as_str())
            .id(diagnostic.code);
        let mut group = match diagnostic.location {
            Some(location) => {
                let mut snippet = Snippet::source(source).path(origin).annotation(
                    AnnotationKind::Primary
                        .span(span_in(source, location))
                        .label(path_label.as_str()),
                );
                for related in &diagnostic.related {
                    if let Some(at) = related.location {
                        snippet = snippet.annotation(
                            AnnotationKind::Context
                                .span(span_in(source, at))
                                .label(related.message.as_str()),
                        );
                    }
                }
                Group::with_title(title).element(snippet)
            }
            None => {
                let group =
                    Group::with_title(title).element(annotate_snippets::Origin::path(origin));
                match &diagnostic.path {
                    Some(_) => group.element(Level::NOTE.message(path_label.as_str())),
                    None => group,
                }
            }
        };
        for related in diagnostic.related.iter().filter(|r| r.location.is_none()) {
            let text = match &related.path {
                Some(path) => format!("{} (at {path})", related.message),
                None => related.message.clone(),
            };
            group = group.element(Level::NOTE.message(text));
        }
        if let Some(help) = &diagnostic.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        out.push_str(&renderer.render(&[group]));
        out.push_str("\n\n");
    }
    out
}

/// A location's byte range, made safe to slice `source` with whatever it says: inside the
/// text, in order, and on character boundaries. Readers give exact ranges; this keeps a wrong
/// one from taking the whole program down while it reports a problem.
fn span_in(source: &str, location: Location) -> std::ops::Range<usize> {
    let floor = |offset: usize| {
        let mut offset = offset.min(source.len());
        while !source.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    };
    let start = floor(location.start);
    let mut end = floor(location.end.max(location.start));
    if end < location.end.min(source.len()) {
        // Cut inside a character: take the whole character.
        end += source[end..].chars().next().map_or(0, char::len_utf8);
    }
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_any_span_without_panicking() {
        let source = "name: \"\\t\\té\"\nnext: ü😀\n";
        for start in 0..source.len() + 3 {
            for end in 0..source.len() + 3 {
                let diagnostic = Diagnostic::error("test", "a problem").located(Location {
                    line: 1,
                    column: 1,
                    start,
                    end,
                });
                let mut with_related = diagnostic.clone();
                with_related.related.push(Related {
                    message: "here".into(),
                    path: None,
                    location: Some(Location {
                        line: 2,
                        column: 1,
                        start: end,
                        end: start,
                    }),
                });
                for diagnostic in [diagnostic, with_related] {
                    let text = render(&[diagnostic], source, "model.yaml", false);
                    assert!(text.contains("a problem"), "{start}..{end}: {text}");
                }
            }
        }
    }
}
