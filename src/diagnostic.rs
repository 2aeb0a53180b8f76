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
    let lines = LineStarts::of(source);
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
        // Cropped excerpts' places as the renderer counts them, and as they are.
        let mut places: Vec<(String, String)> = Vec::new();
        let mut group = match diagnostic.location {
            Some(location) => {
                let primary = span_in(source, location);
                let related: Vec<_> = diagnostic
                    .related
                    .iter()
                    .filter_map(|r| Some((span_in(source, r.location?), r.message.as_str())))
                    .collect();
                // Related places near the problem share its excerpt; a far one (the first of
                // two repeated keys, thousands of lines up) gets its own.
                let at = primary.start;
                let near = |span: &std::ops::Range<usize>| {
                    lines.distance(span.start, at) <= NEAR_LINES
                        && span.start.abs_diff(at) <= NEAR_BYTES
                };
                let mut spans = vec![primary.clone()];
                spans.extend(
                    related
                        .iter()
                        .map(|(span, _)| span)
                        .filter(|s| near(s))
                        .cloned(),
                );
                let excerpt = lines.excerpt(source, &spans);
                let mut snippet = excerpt.snippet(
                    origin,
                    primary.clone(),
                    AnnotationKind::Primary,
                    path_label.as_str(),
                );
                places.extend(excerpt.place_of_cropped(source, origin, &primary));
                let mut group = Group::with_title(title);
                for (span, message) in related.iter().filter(|(span, _)| near(span)) {
                    snippet = snippet.annotation(
                        AnnotationKind::Context
                            .span(excerpt.shift(span.clone()))
                            .label(*message),
                    );
                }
                group = group.element(snippet);
                for (span, message) in related.iter().filter(|(span, _)| !near(span)) {
                    let excerpt = lines.excerpt(source, std::slice::from_ref(span));
                    places.extend(excerpt.place_of_cropped(source, origin, span));
                    group = group.element(excerpt.snippet(
                        origin,
                        span.clone(),
                        AnnotationKind::Context,
                        message,
                    ));
                }
                group
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
        let mut rendered = renderer.render(&[group]);
        // In order: each place is written after the one before.
        let mut from = 0;
        for (counted, actual) in places {
            let Some(at) = rendered[from..].find(&counted).map(|at| from + at) else {
                break;
            };
            rendered.replace_range(at..at + counted.len(), &actual);
            from = at + actual.len();
        }
        out.push_str(&rendered);
        out.push_str("\n\n");
    }
    out
}

/// How many lines apart a related place may be and still share the problem's excerpt.
const NEAR_LINES: usize = 20;
/// …and how many bytes: on a very long line (a one-line JSON document) a place a few lines
/// away can be far.
const NEAR_BYTES: usize = 2_000;
/// A line longer than this is shown cut to the underlined part and this much either side.
const LONG_LINE: usize = 240;
const CONTEXT: usize = 60;
/// What stands for the part of a line left out.
const CUT: &str = "...";

/// Where each line of a text starts, so that each diagnostic hands the renderer only the lines
/// it underlines: annotate-snippets reads all the source it is given, and giving it the whole
/// file for each of 500 diagnostics made printing them quadratic. A very long line (a one-line
/// JSON document is one line) is cut to the underlined part, for the same reason.
struct LineStarts(Vec<usize>);

/// Lines of the source from byte `start`, numbered from `first_line`; when `cropped`, one line
/// (starting at byte `line_start`) cut to a part of it, [`CUT`] standing for what is left out
/// (`prefix` bytes of it in front).
struct Excerpt<'a> {
    text: std::borrow::Cow<'a, str>,
    start: usize,
    prefix: usize,
    first_line: usize,
    line_start: usize,
    cropped: bool,
}

impl LineStarts {
    fn of(source: &str) -> Self {
        let breaks = source.match_indices('\n').map(|(at, _)| at + 1);
        LineStarts(std::iter::once(0).chain(breaks).collect())
    }

    /// The index (0-based line) of the line holding byte `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.0.partition_point(|&start| start <= offset) - 1
    }

    fn distance(&self, a: usize, b: usize) -> usize {
        self.line_of(a).abs_diff(self.line_of(b))
    }

    /// The lines that hold every span of `spans` (none empty-handed: at least one line).
    fn excerpt<'a>(&self, source: &'a str, spans: &[std::ops::Range<usize>]) -> Excerpt<'a> {
        let low = spans.iter().map(|s| s.start).min().unwrap_or(0);
        let high = spans.iter().map(|s| s.end).max().unwrap_or(0);
        let first = self.line_of(low);
        let last = self.line_of(high.saturating_sub(1).max(low));
        let start = self.0[first];
        let end = self.0.get(last + 1).copied().unwrap_or(source.len());
        let line_end = source[..end]
            .trim_end_matches(['\n', '\r'])
            .len()
            .max(start);
        if first != last || line_end - start <= LONG_LINE {
            return Excerpt {
                text: source[start..end].into(),
                start,
                prefix: 0,
                first_line: first + 1,
                line_start: start,
                cropped: false,
            };
        }
        let mut from = low.saturating_sub(CONTEXT).max(start);
        while !source.is_char_boundary(from) {
            from -= 1;
        }
        // Past the line's end only for a span that takes in its line break.
        let mut to = (high + CONTEXT).min(line_end).max(high.min(end)).max(from);
        while !source.is_char_boundary(to) {
            to += 1;
        }
        let before = if from > start { CUT } else { "" };
        let after = if to < line_end { CUT } else { "" };
        Excerpt {
            text: format!("{before}{}{after}", &source[from..to]).into(),
            start: from,
            prefix: before.len(),
            first_line: first + 1,
            line_start: start,
            cropped: true,
        }
    }
}

impl<'a> Excerpt<'a> {
    /// `span` of the source as a span of the excerpt.
    fn shift(&self, span: std::ops::Range<usize>) -> std::ops::Range<usize> {
        let at = |offset: usize| offset - self.start + self.prefix;
        at(span.start)..at(span.end)
    }

    /// When the excerpt is cropped, `file:line:column` of `span` as the renderer counts it (in
    /// the cropped text) and as it is in the source.
    fn place_of_cropped(
        &self,
        source: &str,
        origin: &str,
        span: &std::ops::Range<usize>,
    ) -> Option<(String, String)> {
        self.cropped.then(|| {
            let shifted = self.shift(span.clone()).start;
            let counted = self.text[..shifted].chars().count() + 1;
            let actual = source[self.line_start..span.start].chars().count() + 1;
            let line = self.first_line;
            // To the end of its line, so that `:6` is never taken for the start of `:61`.
            (
                format!("{origin}:{line}:{counted}\n"),
                format!("{origin}:{line}:{actual}\n"),
            )
        })
    }

    fn snippet(
        &self,
        origin: &'a str,
        span: std::ops::Range<usize>,
        kind: AnnotationKind,
        label: &'a str,
    ) -> Snippet<'a, annotate_snippets::Annotation<'a>> {
        Snippet::source(self.text.clone())
            .line_start(self.first_line)
            .path(origin)
            .annotation(kind.span(self.shift(span)).label(label))
    }
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
    fn renders_any_span_on_a_cut_line_without_panicking() {
        let source = format!("{}ü\r\n{}😀", "a".repeat(300), "é".repeat(200));
        let edges = [
            0, 1, 59, 60, 61, 239, 240, 299, 300, 301, 302, 303, 304, 305, 306,
        ];
        let near_end = source.len() - 6..source.len() + 3;
        // And spans anywhere, from a fixed pseudo-random sequence.
        let mut state = 7u64;
        let mut anywhere = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as usize % (source.len() + 3)
        };
        let random: Vec<usize> = (0..40).map(|_| anywhere()).collect();
        let offsets: Vec<usize> = edges.into_iter().chain(near_end).chain(random).collect();
        for &start in &offsets {
            for &end in &offsets {
                let diagnostic = Diagnostic::error("test", "a problem").located(Location {
                    line: 1,
                    column: 1,
                    start,
                    end,
                });
                let text = render(&[diagnostic], &source, "model.json", false);
                assert!(text.contains("a problem"), "{start}..{end}: {text}");
            }
        }
    }

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

    #[test]
    fn a_very_long_line_is_cut_to_the_problem_and_keeps_its_column() {
        // One line of JSON, with a character of two bytes before the problem.
        let filler: String = (0..20_000)
            .map(|n| format!(r#"{{"id":"ü{n}"}},"#))
            .collect();
        let source = format!(r#"{{"nodes":[{filler}{{"id":"first"}},{filler}{{"id":"again"}}]}}"#);
        let span_of = |needle: &str| {
            let start = source.find(needle).unwrap();
            Location {
                line: 1,
                column: source[..start].chars().count() + 1,
                start,
                end: start + needle.len(),
            }
        };
        let (first, again) = (span_of(r#""first""#), span_of(r#""again""#));
        let mut repeated = Diagnostic::error("duplicate-id", "the id appears twice").located(again);
        repeated.related.push(Related {
            message: "first here".into(),
            path: None,
            location: Some(first),
        });
        let styled = render(std::slice::from_ref(&repeated), &source, "model.json", true);
        for column in [again.column, first.column] {
            let place = format!("model.json:1:{column}\n");
            assert!(styled.contains(&place), "{styled}");
        }
        let text = render(&[repeated], &source, "model.json", false);
        assert!(
            text.contains(&format!("--> model.json:1:{}", again.column)),
            "{text}"
        );
        assert!(
            text.contains(&format!("::: model.json:1:{}", first.column)),
            "{text}"
        );
        assert!(text.contains(r#"{"id":"again"}"#), "{text}");
        assert!(text.contains(r#"{"id":"first"}"#), "{text}");
        assert!(text.contains("first here"), "{text}");
        // Neither excerpt is the whole line.
        assert!(text.len() < 2_000, "{} bytes: {text}", text.len());
    }

    #[test]
    fn shows_each_problem_with_its_own_lines_and_a_far_related_place_apart() {
        let source: String = (1..=20_000)
            .map(|n| format!("key{n}: value {n}\n"))
            .collect();
        let span_of = |line: usize| {
            let start = source
                .match_indices('\n')
                .nth(line - 2)
                .map_or(0, |(at, _)| at + 1);
            Location {
                line,
                column: 1,
                start,
                end: start + format!("key{line}").len(),
            }
        };
        let mut repeated =
            Diagnostic::error("duplicate-key", "the key appears twice").located(span_of(15_000));
        repeated.related.push(Related {
            message: "first here".into(),
            path: None,
            location: Some(span_of(3)),
        });
        let text = render(&[repeated], &source, "model.yaml", false);
        assert!(text.contains("15000 | key15000: value 15000"), "{text}");
        assert!(text.contains("3 | key3: value 3"), "{text}");
        assert!(text.contains("first here"), "{text}");
        // Neither the lines between nor the rest of the file are handed to the output.
        assert!(!text.contains("key9000"), "{text}");
        assert!(text.len() < 1_000, "{} bytes: {text}", text.len());
    }
}
