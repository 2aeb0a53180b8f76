//! YAML text → [`Tree`], with the limits that keep a hostile file from hanging or crashing
//! the reader: depth and alias expansion. (Size is checked before the text is read.)

use std::collections::HashMap;

use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use super::tree::{Mark, NodeRef, Tree, Value};
use super::{Limits, duplicate_key};
use crate::diagnostic::{Diagnostic, Location};

enum Frame {
    Seq {
        items: Vec<NodeRef>,
        mark: Mark,
        anchor: usize,
    },
    Map {
        entries: Vec<(NodeRef, NodeRef)>,
        /// Each key's text and node, to find a repeated key without comparing every pair.
        keys: HashMap<String, NodeRef>,
        pending_key: Option<NodeRef>,
        mark: Mark,
        anchor: usize,
    },
}

/// Parses one YAML document. Problems that stop reading (syntax, limits) come back as the
/// error; problems that do not (duplicate keys) come back with the tree.
pub fn parse(source: &str, limits: &Limits) -> Result<(Tree, Vec<Diagnostic>), Diagnostic> {
    // yaml-rust2 refuses a `-` followed by `,`, `]` or `}` anywhere in a plain scalar inside
    // `[...]` or `{...}`, where YAML refuses it only at the start: `[trailing -, b]` is valid.
    // Such a `-` is read as `x` (same length, so every position holds) and put back in the
    // scalar's text; a bounded number of times, since each costs a new pass.
    const MAX_DASHES: usize = 16;
    let mut patched = std::borrow::Cow::Borrowed(source);
    let mut dashes = Vec::new();
    loop {
        match read(&patched, limits, &dashes) {
            Err(error) if error.message.contains(DASH_ERROR) => {
                let at = error.location.map_or(0, |location| location.start);
                if !ends_plain_scalar(&patched, at) {
                    return Err(error.with_help(
                        "a value cannot start with `-` followed by `,`, `]` or `}`: quote it (`\"-\"`)",
                    ));
                }
                if dashes.len() == MAX_DASHES {
                    return Err(error.with_help(TRAILING_DASH_HELP));
                }
                patched.to_mut().replace_range(at..at + 1, "x");
                dashes.push(at);
            }
            result => return result,
        }
    }
}

const DASH_ERROR: &str = "cannot start with '-' followed by ,[]{}";
const TRAILING_DASH_HELP: &str = "Bartizan's YAML reader cannot read this value ending in ` -` inside `[...]` or `{...}`: quote it (`\"a -\"`)";

/// Whether the `-` at `at` continues a plain scalar on its line (`[trailing -, b]`) rather
/// than starting a value (`[a, -]`).
fn ends_plain_scalar(source: &str, at: usize) -> bool {
    let before = &source[..at];
    let line = &before[before.rfind(['\n', '\r']).map_or(0, |newline| newline + 1)..];
    let words = line.trim_end_matches([' ', '\t']);
    words.len() < line.len()
        && !words.contains('#')
        && !words.is_empty()
        && !words.ends_with(['[', '{', ',', ':', '?'])
}

/// Reads the events of `source`, where a `-` at each offset in `dashes` was written as `x`.
fn read(
    source: &str,
    limits: &Limits,
    dashes: &[usize],
) -> Result<(Tree, Vec<Diagnostic>), Diagnostic> {
    let mut restored = 0;
    let mut parser = Parser::new_from_str(source);
    let positions = Positions::new(source);
    let mut tree = Tree::default();
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, NodeRef> = HashMap::new();
    // (repeated key, first key): reported once the tree is complete, with the path.
    let mut duplicates: Vec<(NodeRef, NodeRef)> = Vec::new();
    let mut documents = 0;

    loop {
        let (event, marker) = parser
            .next_token()
            .map_err(|error| syntax_error(source, &positions, error.marker(), error.info()))?;
        let mark = positions.mark(&marker);
        let completed = match event {
            Event::StreamStart | Event::Nothing | Event::DocumentEnd => None,
            Event::StreamEnd => break,
            Event::DocumentStart => {
                documents += 1;
                if documents > 1 {
                    return Err(Diagnostic::error(
                        "multiple-documents",
                        "a model file holds one YAML document, but this one has more",
                    )
                    .located(point(source, mark))
                    .with_help(
                        "remove this `---` and what follows, or split the file: one model per file",
                    ));
                }
                None
            }
            Event::Scalar(text, style, anchor, tag) => {
                refuse_tag(tag.as_ref(), source, mark)?;
                let quoted = style != TScalarStyle::Plain;
                let mut text = text;
                let written_as_is = !quoted
                    && !dashes.is_empty()
                    && source.get(mark.offset..mark.offset + text.len()) == Some(text.as_str());
                for &dash in dashes.iter().filter(|_| written_as_is) {
                    if let Some(index) = dash
                        .checked_sub(mark.offset)
                        .filter(|&index| index < text.len())
                    {
                        text.replace_range(index..index + 1, "-");
                        restored += 1;
                    }
                }
                let end = scalar_end(source, mark.offset, style, &text);
                let node = tree.push_spanning(Value::Scalar { text, quoted }, mark, end);
                remember(&mut anchors, anchor, node);
                Some(node)
            }
            Event::Alias(anchor) => {
                let Some(&target) = anchors.get(&anchor) else {
                    return Err(Diagnostic::error(
                        "syntax",
                        "an alias refers to an unknown anchor",
                    )
                    .located(point(source, mark)));
                };
                Some(target)
            }
            Event::SequenceStart(anchor, tag) => {
                refuse_tag(tag.as_ref(), source, mark)?;
                stack.push(Frame::Seq {
                    items: Vec::new(),
                    mark,
                    anchor,
                });
                check_depth(&stack, limits, source, mark)?;
                None
            }
            Event::MappingStart(anchor, tag) => {
                refuse_tag(tag.as_ref(), source, mark)?;
                stack.push(Frame::Map {
                    entries: Vec::new(),
                    keys: HashMap::new(),
                    pending_key: None,
                    mark,
                    anchor,
                });
                check_depth(&stack, limits, source, mark)?;
                None
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (value, mark, anchor) = match stack.pop() {
                    Some(Frame::Seq {
                        items,
                        mark,
                        anchor,
                    }) => (Value::Seq(items), mark, anchor),
                    Some(Frame::Map {
                        entries,
                        mark,
                        anchor,
                        ..
                    }) => (Value::Map(entries), mark, anchor),
                    None => unreachable!("the parser balances collection events"),
                };
                let node = tree.push(value, mark);
                let growth = tree.nodes[node]
                    .expanded
                    .saturating_sub(tree.nodes.len() as u64);
                if growth > limits.max_alias_values {
                    return Err(Diagnostic::error(
                        "alias-limit",
                        format!(
                            "aliases in this file expand to more than {} extra values; refusing to expand them",
                            limits.max_alias_values
                        ),
                    )
                    .located(point(source, mark))
                    .with_help("write the repeated parts out, or use fewer nested aliases"));
                }
                remember(&mut anchors, anchor, node);
                Some(node)
            }
        };

        let Some(node) = completed else { continue };
        match stack.last_mut() {
            None => tree.root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries,
                keys,
                pending_key,
                ..
            }) => match pending_key.take() {
                None => {
                    if tree.scalar_text(node).is_none() {
                        return Err(Diagnostic::error(
                            "syntax",
                            "mapping keys must be plain words, not lists or mappings",
                        )
                        .located(point(source, tree.nodes[node].mark)));
                    }
                    *pending_key = Some(node);
                }
                Some(key) => {
                    let key_text = tree.scalar_text(key).unwrap_or_default();
                    if let Some(&first) = keys.get(key_text) {
                        duplicates.push((key, first));
                    } else {
                        keys.insert(key_text.to_owned(), key);
                        entries.push((key, node));
                    }
                }
            },
        }
    }

    if restored < dashes.len() {
        // A `-` in a plain scalar over several lines, whose text is folded.
        let at = dashes[dashes.len() - 1];
        return Err(Diagnostic::error(
            "syntax",
            format!("YAML syntax error: plain scalar {DASH_ERROR}"),
        )
        .located(point(source, mark_at(source, at)))
        .with_help(TRAILING_DASH_HELP));
    }
    tree.index_parents();
    let problems = duplicates
        .into_iter()
        .map(|(key, first)| duplicate_key(&tree, key, first, source, "mapping"))
        .collect();
    Ok((tree, problems))
}

/// Where a scalar that starts at byte `start` ends in the source. The parser gives only the
/// start, and the text it gives is decoded (escapes, folding), so it cannot be measured: a
/// quoted scalar runs to its closing quote; plain and block scalars have no escapes, so they
/// run as far as the source and the text agree.
fn scalar_end(source: &str, start: usize, style: TScalarStyle, text: &str) -> usize {
    let bytes = source.as_bytes();
    let closing = |quote: u8, escape: u8| {
        let mut at = start + 1;
        while at < bytes.len() {
            match bytes[at] {
                byte if byte == escape
                    && (escape != quote || bytes.get(at + 1) == Some(&quote)) =>
                {
                    at += 2
                }
                byte if byte == quote => return Some(at + 1),
                _ => at += 1,
            }
        }
        None
    };
    let quoted_end = match (style, bytes.get(start)) {
        (TScalarStyle::DoubleQuoted, Some(b'"')) => closing(b'"', b'\\'),
        (TScalarStyle::SingleQuoted, Some(b'\'')) => closing(b'\'', b'\''),
        _ => None,
    };
    quoted_end.unwrap_or_else(|| {
        let written = source.get(start..).unwrap_or_default();
        let agreeing = written
            .bytes()
            .zip(text.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        super::tree::floor_char_boundary(source, start + agreeing)
    })
}

/// Every tag is refused, YAML's own `!!str` and `!!int` included: a value's type comes from
/// the field it is in, and a tag such as `!!python/object` asks for something no model holds.
fn refuse_tag(tag: Option<&Tag>, source: &str, mark: Mark) -> Result<(), Diagnostic> {
    let Some(tag) = tag else { return Ok(()) };
    // The parser resolves `!!` to YAML's prefix; show the tag as it was written.
    let handle = match tag.handle.as_str() {
        "tag:yaml.org,2002:" => "!!",
        handle => handle,
    };
    Err(Diagnostic::error(
        "unsupported-tag",
        format!(
            "the YAML tag `{handle}{}` is not accepted in a model file",
            tag.suffix
        ),
    )
    .located(tag_location(source, mark))
    .with_help("remove the tag: a value's type comes from its field (quote text that would read as a number)"))
}

/// The tag written before the value at `mark` on its line (the parser points at the value),
/// or the value when the tag is on an earlier line.
fn tag_location(source: &str, mark: Mark) -> Location {
    let before = &source[..mark.offset.min(source.len())];
    let line_start = before.rfind(['\n', '\r']).map_or(0, |newline| newline + 1);
    let line = &before[line_start..];
    let Some(tag_start) = line
        .char_indices()
        .rev()
        .filter(|&(at, c)| {
            c == '!' && (at == 0 || line[..at].ends_with([' ', '\t', '[', '{', ',']))
        })
        .map(|(at, _)| at)
        .next()
    else {
        return point(source, mark);
    };
    let tag = &line[tag_start..];
    let tag_end = tag.find([' ', '\t']).unwrap_or(tag.len());
    Location {
        line: mark.line,
        column: line[..tag_start].chars().count() + 1,
        start: line_start + tag_start,
        end: line_start + tag_start + tag_end.max(1),
    }
}

fn remember(anchors: &mut HashMap<usize, NodeRef>, anchor: usize, node: NodeRef) {
    if anchor > 0 {
        anchors.insert(anchor, node);
    }
}

fn check_depth(
    stack: &[Frame],
    limits: &Limits,
    source: &str,
    mark: Mark,
) -> Result<(), Diagnostic> {
    if stack.len() > limits.max_depth {
        return Err(Diagnostic::error(
            "depth-limit",
            format!("the document nests deeper than {} levels", limits.max_depth),
        )
        .located(point(source, mark))
        .with_help(
            "a model file needs only a few levels; this looks like a generated or hostile file",
        ));
    }
    Ok(())
}

/// Turns yaml-rust2's positions into byte offsets. Its line and column are right, but its
/// character index is not: after a block scalar holding non-ASCII text it counts some of
/// that text in bytes, and every later index is off. So the offset is found from the line and
/// column: the character index of the line's start plus the column, turned into bytes in
/// O(1) amortised (ASCII text maps one to one; otherwise a checkpoint every 64 characters
/// bounds the scan).
struct Positions<'a> {
    source: &'a str,
    /// For each line, the character index of its first character. Lines end at LF, CRLF or
    /// a lone CR, as yaml-rust2 counts them.
    line_starts: Vec<usize>,
    /// The byte offset of every 64th character, when the text is not all ASCII.
    checkpoints: Option<Vec<usize>>,
}

const CHECKPOINT_EVERY: usize = 64;

impl<'a> Positions<'a> {
    fn new(source: &'a str) -> Self {
        let mut line_starts = vec![0];
        let mut characters = source.chars().enumerate().peekable();
        while let Some((index, c)) = characters.next() {
            let line_break =
                c == '\n' || (c == '\r' && characters.peek().map(|&(_, c)| c) != Some('\n'));
            if line_break {
                line_starts.push(index + 1);
            }
        }
        let checkpoints = (!source.is_ascii()).then(|| {
            source
                .char_indices()
                .step_by(CHECKPOINT_EVERY)
                .map(|(byte, _)| byte)
                .collect()
        });
        Positions {
            source,
            line_starts,
            checkpoints,
        }
    }

    /// yaml-rust2 counts lines from 1 and columns (in characters) from 0.
    fn mark(&self, marker: &Marker) -> Mark {
        let line = marker.line().max(1);
        let char_index = self
            .line_starts
            .get(line - 1)
            .map_or(usize::MAX, |start| start + marker.col());
        Mark {
            line,
            column: marker.col() + 1,
            offset: self.byte_offset(char_index),
        }
    }

    fn byte_offset(&self, char_index: usize) -> usize {
        let Some(checkpoints) = &self.checkpoints else {
            return char_index.min(self.source.len());
        };
        let Some(&start) = checkpoints.get(char_index / CHECKPOINT_EVERY) else {
            return self.source.len();
        };
        self.source[start..]
            .char_indices()
            .nth(char_index % CHECKPOINT_EVERY)
            .map_or(self.source.len(), |(byte, _)| start + byte)
    }
}

/// The line and column of a byte offset.
fn mark_at(source: &str, offset: usize) -> Mark {
    let before = &source[..offset];
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    Mark {
        line: before.matches('\n').count() + 1,
        column: before[line_start..].chars().count() + 1,
        offset,
    }
}

fn point(source: &str, mark: Mark) -> Location {
    let end = source[mark.offset.min(source.len())..]
        .chars()
        .next()
        .map(|c| mark.offset + c.len_utf8())
        .unwrap_or(mark.offset);
    Location {
        line: mark.line,
        column: mark.column,
        start: mark.offset.min(source.len()),
        end: end.min(source.len()),
    }
}

fn syntax_error(source: &str, positions: &Positions, marker: &Marker, info: &str) -> Diagnostic {
    let mut mark = positions.mark(marker);
    if info.contains("plain scalar, found a tab") {
        // Reported at the start of the value before it; point at the tab itself.
        if let Some(tab) = source.get(mark.offset..).and_then(|rest| rest.find('\t')) {
            mark = mark_at(source, mark.offset + tab);
        }
    }
    if info.contains("recursion limit") {
        // The scanner's own nesting guard can fire before ours, on flow collections.
        return Diagnostic::error("depth-limit", "the document nests too deeply to read")
            .located(point(source, mark))
            .with_help(
                "a model file needs only a few levels; this looks like a generated or hostile file",
            );
    }
    Diagnostic::error("syntax", format!("YAML syntax error: {info}"))
        .located(point(source, mark))
        .with_help(syntax_help(info))
}

/// Advice for the parser's messages that have a usual cause in hand-written model files.
fn syntax_help(info: &str) -> &'static str {
    if info.contains("tab") {
        "indent with spaces: YAML does not allow tabs in indentation"
    } else if info.contains("mapping values are not allowed") {
        "quote a value that contains `: ` (e.g. `description: \"Note: ...\"`), or check the indentation"
    } else if info.contains("invalid Unicode character escape") {
        "an escape must name a character: a surrogate (`\\uD800`–`\\uDFFF`) cannot stand alone; write the character itself"
    } else if info.contains("illegal placement of ':'") {
        "this `:` is inside a `[...]` or `{...}` that is still open: close the bracket above"
    } else {
        "check the indentation and the `key: value` form around this place"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits::default()
    }

    #[test]
    fn marks_are_one_based_lines_and_columns() {
        let source = "a: 1\nbb:\n  - x\n";
        let (tree, problems) = parse(source, &limits()).unwrap();
        assert!(problems.is_empty());
        let root = tree.root.unwrap();
        let list = tree.get(root, "bb").unwrap();
        let Value::Seq(items) = tree.value(list) else {
            panic!()
        };
        let mark = tree.nodes[items[0]].mark;
        assert_eq!((mark.line, mark.column), (3, 5));
        assert_eq!(&source[mark.offset..mark.offset + 1], "x");
    }

    #[test]
    fn offsets_are_bytes_after_multibyte_text() {
        let source = "name: Zürich Ops\nkind: agent\n";
        let (tree, _) = parse(source, &limits()).unwrap();
        let kind = tree.get(tree.root.unwrap(), "kind").unwrap();
        let mark = tree.nodes[kind].mark;
        assert_eq!(&source[mark.offset..mark.offset + 5], "agent");
    }

    #[test]
    fn refuses_a_billion_laughs() {
        let mut source = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..10 {
            let prev = level - 1;
            source.push_str(&format!(
                "a{level}: &a{level} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        let error = parse(&source, &limits()).unwrap_err();
        assert_eq!(error.code, "alias-limit");
    }

    #[test]
    fn refuses_every_tag_where_it_is_written() {
        for (source, tag) in [
            (
                "a: !!python/object:os.system x\n",
                "!!python/object:os.system",
            ),
            ("a: !!str x\n", "!!str"),
            ("a: !local x\n", "!local"),
            ("a: !<tag:example.com,2000:x> x\n", "tag:example.com,2000:x"),
            ("a: !!map {b: 1}\n", "!!map"),
            ("a: !!seq\n  - b\n", "!!seq"),
            ("a: ! x\n", "!"),
        ] {
            let error = parse(source, &limits()).unwrap_err();
            assert_eq!(error.code, "unsupported-tag", "{source}");
            assert!(
                error.message.contains(&format!("`{tag}`")),
                "{source}: {}",
                error.message
            );
            let location = error.location.unwrap();
            if tag == "!!seq" {
                // On the line before the list: pointed at the list's first `-`.
                assert_eq!(location.line, 2, "{source}");
            } else {
                assert_eq!(location.column, 4, "{source}");
                assert!(
                    source[location.start..location.end].starts_with('!'),
                    "{source}"
                );
            }
        }
    }

    #[test]
    fn reads_a_dash_ending_a_plain_value_in_brackets() {
        let source = "a: [trailing -, b -, c - -]\nb: {k: v -}\nc: [x-, 'q -', \"r -\"]\n";
        let (tree, problems) = parse(source, &limits()).unwrap();
        assert!(problems.is_empty());
        let root = tree.root.unwrap();
        let texts = |key: &str| -> Vec<String> {
            let node = tree.get(root, key).unwrap();
            match tree.value(node) {
                Value::Seq(items) => items
                    .iter()
                    .map(|&item| tree.scalar_text(item).unwrap().to_owned())
                    .collect(),
                Value::Map(entries) => entries
                    .iter()
                    .map(|&(_, value)| tree.scalar_text(value).unwrap().to_owned())
                    .collect(),
                Value::Scalar { .. } => panic!("{key} is a collection"),
            }
        };
        assert_eq!(texts("a"), ["trailing -", "b -", "c - -"]);
        assert_eq!(texts("b"), ["v -"]);
        assert_eq!(texts("c"), ["x-", "q -", "r -"]);
    }

    #[test]
    fn still_refuses_a_value_that_starts_with_a_dash_in_brackets() {
        for source in [
            "a: [-, b]\n",
            "a: [b, -]\n",
            "a: {k: -}\n",
            "a: [b, # c\n  -]\n",
        ] {
            let error = parse(source, &limits()).unwrap_err();
            assert_eq!(error.code, "syntax", "{source}");
            assert!(error.help.unwrap().contains("quote"), "{source}");
        }
        let error = parse("a: [folded\n  value -, b]\n", &limits()).unwrap_err();
        assert_eq!(error.location.unwrap().line, 2);
        assert!(error.help.unwrap().contains("quote it"));
    }

    #[test]
    fn refuses_deep_nesting() {
        let source = format!("{}{}", "[".repeat(500), "]".repeat(500));
        let error = parse(&source, &limits()).unwrap_err();
        assert_eq!(error.code, "depth-limit");
    }
}
