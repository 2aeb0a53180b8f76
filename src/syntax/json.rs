//! JSON text → [`Tree`]. Written by hand (small, strict RFC 8259) so that every value keeps its
//! line and column and the same limits apply as for YAML.

use std::cell::Cell;
use std::collections::HashMap;

use super::tree::{Mark, NodeRef, Tree, Value};
use super::{Limits, duplicate_key};
use crate::diagnostic::{Diagnostic, Location};

struct Reader<'a> {
    source: &'a str,
    bytes: &'a [u8],
    position: usize,
    line: usize,
    line_start: usize,
    /// The last column worked out, as (byte offset, column): columns are counted on from
    /// there, so a document on one line costs its length, not its length squared.
    last_column: Cell<(usize, usize)>,
    depth: usize,
    limits: &'a Limits,
    tree: Tree,
    /// (repeated key, first key): reported once the tree is complete, with the path.
    duplicates: Vec<(NodeRef, NodeRef)>,
}

pub fn parse(source: &str, limits: &Limits) -> Result<(Tree, Vec<Diagnostic>), Diagnostic> {
    let mut reader = Reader {
        source,
        bytes: source.as_bytes(),
        position: 0,
        line: 1,
        line_start: 0,
        last_column: Cell::new((0, 1)),
        depth: 0,
        limits,
        tree: Tree::default(),
        duplicates: Vec::new(),
    };
    reader.skip_whitespace();
    if reader.position == reader.bytes.len() {
        return Ok((reader.tree, Vec::new()));
    }
    let root = reader.value()?;
    reader.skip_whitespace();
    if reader.position < reader.bytes.len() {
        return Err(reader.error("unexpected text after the end of the JSON document"));
    }
    reader.tree.root = Some(root);
    reader.tree.index_parents();
    let tree = reader.tree;
    let problems = reader
        .duplicates
        .into_iter()
        .map(|(key, first)| duplicate_key(&tree, key, first, source, "object"))
        .collect();
    Ok((tree, problems))
}

/// How many keys a mapping holds before its keys are indexed to find repeats (below it,
/// comparing a key with each earlier one is cheaper than hashing it).
const INDEXED_WIDTH: usize = 16;

impl Reader<'_> {
    fn mark(&self) -> Mark {
        let (known_offset, known_column) = self.last_column.get();
        let (from, column) = if (self.line_start..=self.position).contains(&known_offset) {
            (known_offset, known_column)
        } else {
            (self.line_start, 1)
        };
        let column = column + self.source[from..self.position].chars().count();
        self.last_column.set((self.position, column));
        Mark {
            line: self.line,
            column,
            offset: self.position,
        }
    }

    fn error(&self, message: &str) -> Diagnostic {
        let mark = self.mark();
        let end = self.source[self.position..]
            .chars()
            .next()
            .map(|c| self.position + c.len_utf8())
            .unwrap_or(self.position);
        Diagnostic::error("syntax", format!("JSON syntax error: {message}")).located(Location {
            line: mark.line,
            column: mark.column,
            start: self.position,
            end,
        })
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.position).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(byte) = self.peek() {
            match byte {
                b' ' | b'\t' | b'\r' => self.position += 1,
                b'\n' => {
                    self.position += 1;
                    self.line += 1;
                    self.line_start = self.position;
                }
                _ => break,
            }
        }
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<(), Diagnostic> {
        self.skip_whitespace();
        if self.peek() == Some(byte) {
            self.position += 1;
            Ok(())
        } else {
            Err(self.error(&format!("expected {what}")))
        }
    }

    fn value(&mut self) -> Result<NodeRef, Diagnostic> {
        self.skip_whitespace();
        let mark = self.mark();
        match self.peek() {
            Some(b'{') => self.object(mark),
            Some(b'[') => self.array(mark),
            Some(b'"') => {
                let text = self.string()?;
                Ok(self.tree.push_spanning(
                    Value::Scalar { text, quoted: true },
                    mark,
                    self.position,
                ))
            }
            Some(b't') => self.literal("true", mark),
            Some(b'f') => self.literal("false", mark),
            Some(b'n') => self.literal("null", mark),
            Some(b'-' | b'0'..=b'9') => self.number(mark),
            Some(_) => {
                Err(self
                    .error("expected a value (object, array, string, number, true, false or null)"))
            }
            None => Err(self.error("unexpected end of file; expected a value")),
        }
    }

    fn enter(&mut self) -> Result<(), Diagnostic> {
        self.depth += 1;
        if self.depth > self.limits.max_depth {
            let mut error = self.error("");
            error.code = "depth-limit";
            error.message = format!(
                "the document nests deeper than {} levels",
                self.limits.max_depth
            );
            return Err(error);
        }
        Ok(())
    }

    fn object(&mut self, mark: Mark) -> Result<NodeRef, Diagnostic> {
        self.enter()?;
        self.position += 1;
        let mut entries: Vec<(NodeRef, NodeRef)> = Vec::new();
        // Repeated keys: a mapping's first few keys are compared one by one, and a wide
        // mapping's keys are indexed, so that its cost stays linear in its width.
        let mut index: Option<HashMap<String, NodeRef>> = None;
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.position += 1;
        } else {
            loop {
                self.skip_whitespace();
                let key_mark = self.mark();
                if self.peek() != Some(b'"') {
                    return Err(self.error("expected a string key in double quotes"));
                }
                let text = self.string()?;
                let first = match &index {
                    Some(index) => index.get(text.as_str()).copied(),
                    None => entries
                        .iter()
                        .map(|&(key, _)| key)
                        .find(|&key| self.tree.scalar_text(key) == Some(text.as_str())),
                };
                if index.is_none() && entries.len() >= INDEXED_WIDTH {
                    let keys = entries.iter().map(|&(key, _)| {
                        let text = self.tree.scalar_text(key).unwrap_or_default();
                        (text.to_owned(), key)
                    });
                    index = Some(keys.collect());
                }
                let indexed_text = (index.is_some() && first.is_none()).then(|| text.clone());
                let key = self.tree.push_spanning(
                    Value::Scalar { text, quoted: true },
                    key_mark,
                    self.position,
                );
                self.expect(b':', "`:` after the key")?;
                let value = self.value()?;
                match first {
                    Some(first) => self.duplicates.push((key, first)),
                    None => {
                        if let (Some(index), Some(text)) = (&mut index, indexed_text) {
                            index.insert(text, key);
                        }
                        entries.push((key, value));
                    }
                }
                self.skip_whitespace();
                match self.peek() {
                    Some(b',') => self.comma(b'}')?,
                    Some(b'}') => {
                        self.position += 1;
                        break;
                    }
                    _ => return Err(self.missing_separator(b'}')),
                }
            }
        }
        self.depth -= 1;
        Ok(self.tree.push(Value::Map(entries), mark))
    }

    fn array(&mut self, mark: Mark) -> Result<NodeRef, Diagnostic> {
        self.enter()?;
        self.position += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.position += 1;
        } else {
            loop {
                items.push(self.value()?);
                self.skip_whitespace();
                match self.peek() {
                    Some(b',') => self.comma(b']')?,
                    Some(b']') => {
                        self.position += 1;
                        break;
                    }
                    _ => return Err(self.missing_separator(b']')),
                }
            }
        }
        self.depth -= 1;
        Ok(self.tree.push(Value::Seq(items), mark))
    }

    /// Steps over a `,` between values. A `,` just before the closing bracket is the usual
    /// slip in hand-edited JSON: it is reported at the comma, rather than as "expected a value".
    fn comma(&mut self, close: u8) -> Result<(), Diagnostic> {
        let (position, line, line_start) = (self.position, self.line, self.line_start);
        self.position += 1;
        self.skip_whitespace();
        if self.peek() == Some(close) {
            (self.position, self.line, self.line_start) = (position, line, line_start);
            let mut error = self.error(&format!(
                "a comma before `{}` is not allowed",
                close as char
            ));
            error.help = Some("remove this comma: JSON has no trailing commas".into());
            return Err(error);
        }
        Ok(())
    }

    /// After a value, where `,` or the closing bracket must come. When another value starts
    /// there instead, the comma between them was forgotten.
    fn missing_separator(&self, close: u8) -> Diagnostic {
        let mut error = self.error(&format!("expected `,` or `{}`", close as char));
        if matches!(
            self.peek(),
            Some(b'"' | b'{' | b'[' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n')
        ) {
            error.help = Some("add a `,` at the end of the previous value".into());
        }
        error
    }

    fn literal(&mut self, word: &str, mark: Mark) -> Result<NodeRef, Diagnostic> {
        if self.source[self.position..].starts_with(word) {
            self.position += word.len();
            Ok(self.tree.push_spanning(
                Value::Scalar {
                    text: word.to_owned(),
                    quoted: false,
                },
                mark,
                self.position,
            ))
        } else {
            Err(self.error("expected a value (object, array, string, number, true, false or null)"))
        }
    }

    fn number(&mut self, mark: Mark) -> Result<NodeRef, Diagnostic> {
        let start = self.position;
        if self.peek() == Some(b'-') {
            self.position += 1;
        }
        let digits = |reader: &mut Self| {
            let begin = reader.position;
            while matches!(reader.peek(), Some(b'0'..=b'9')) {
                reader.position += 1;
            }
            reader.position > begin
        };
        if !digits(self) {
            return Err(self.error("expected digits"));
        }
        if self.peek() == Some(b'.') {
            self.position += 1;
            if !digits(self) {
                return Err(self.error("expected digits after the decimal point"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.position += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.position += 1;
            }
            if !digits(self) {
                return Err(self.error("expected digits in the exponent"));
            }
        }
        Ok(self.tree.push_spanning(
            Value::Scalar {
                text: self.source[start..self.position].to_owned(),
                quoted: false,
            },
            mark,
            self.position,
        ))
    }

    fn string(&mut self) -> Result<String, Diagnostic> {
        self.position += 1;
        let mut text = String::new();
        loop {
            // The plain text up to the next quote, backslash or control character, copied
            // at once: those are ASCII, so the run ends on a character boundary.
            let rest = &self.bytes[self.position..];
            let plain = rest
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                .unwrap_or(rest.len());
            text.push_str(&self.source[self.position..self.position + plain]);
            self.position += plain;
            match self.peek() {
                None => return Err(self.error("unterminated string")),
                Some(b'"') => {
                    self.position += 1;
                    return Ok(text);
                }
                Some(b'\\') => {}
                Some(b'\n') => {
                    return Err(self.error("unterminated string (a string cannot span lines)"));
                }
                Some(_) => {
                    return Err(self.error("control characters must be escaped in strings"));
                }
            }
            match self.peek() {
                Some(b'\\') => {
                    self.position += 1;
                    let escaped = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.position += 1;
                            let code = self.hex4()?;
                            let scalar = if (0xD800..0xDC00).contains(&code) {
                                if !self.source[self.position..].starts_with("\\u") {
                                    return Err(self
                                        .error("a high surrogate must be followed by a low one"));
                                }
                                self.position += 2;
                                let low = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&low) {
                                    return Err(self.error("invalid low surrogate"));
                                }
                                0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                            } else {
                                code
                            };
                            let Some(c) = char::from_u32(scalar) else {
                                return Err(self.error("invalid unicode escape"));
                            };
                            text.push(c);
                            continue;
                        }
                        _ => return Err(self.error("invalid escape sequence")),
                    };
                    self.position += 1;
                    text.push(escaped);
                }
                _ => unreachable!("only a backslash reaches here"),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, Diagnostic> {
        let digits = self
            .source
            .get(self.position..self.position + 4)
            .unwrap_or("");
        match u32::from_str_radix(digits, 16) {
            Ok(code) if digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_hexdigit()) => {
                self.position += 4;
                Ok(code)
            }
            _ => Err(self.error("expected four hex digits after \\u")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_values_with_positions() {
        let source =
            "{\n  \"a\": [1, -2.5e3, true, null],\n  \"b\": \"caf\\u00e9 \\ud83d\\ude00\"\n}";
        let (tree, problems) = parse(source, &Limits::default()).unwrap();
        assert!(problems.is_empty());
        let root = tree.root.unwrap();
        let b = tree.get(root, "b").unwrap();
        assert_eq!(tree.scalar_text(b), Some("café 😀"));
        assert_eq!(tree.nodes[b].mark.line, 3);
        assert_eq!(tree.nodes[b].mark.column, 8);
    }

    #[test]
    fn reads_strings_between_escapes_and_refuses_raw_control_characters() {
        let (tree, _) = parse(r#"["Zürich \"Ops\"\tÆ😀", "", "\\"]"#, &Limits::default()).unwrap();
        let Value::Seq(items) = tree.value(tree.root.unwrap()) else {
            panic!("an array")
        };
        let texts: Vec<_> = items.iter().map(|&i| tree.scalar_text(i)).collect();
        assert_eq!(texts, [Some("Zürich \"Ops\"\tÆ😀"), Some(""), Some("\\")]);

        // Where each string goes wrong, counted in characters: `é` is two bytes.
        let refused = |source: &str| {
            let error = parse(source, &Limits::default()).unwrap_err();
            let location = error.location.unwrap();
            (error.message, location.line, location.column)
        };
        let (message, line, column) = refused("[\"é\nx\"]");
        assert!(message.contains("cannot span lines"), "{message}");
        assert_eq!((line, column), (1, 4));
        let (message, _, column) = refused("[\"é\tx\"]");
        assert!(message.contains("control characters"), "{message}");
        assert_eq!(column, 4);
        let (message, _, column) = refused("[\"éé");
        assert!(message.contains("unterminated string"), "{message}");
        assert_eq!(column, 5);
    }

    #[test]
    fn finds_repeated_keys_in_narrow_and_wide_mappings() {
        for width in [3, INDEXED_WIDTH, INDEXED_WIDTH + 1, 40] {
            let keys: Vec<_> = (0..width).map(|i| format!("\"k{i}\": {i}")).collect();
            let last = width - 1;
            let source = format!("{{{}, \"k0\": -1, \"k{last}\": -2}}", keys.join(", "));
            let (tree, problems) = parse(&source, &Limits::default()).unwrap();
            let repeated: Vec<_> = problems
                .iter()
                .map(|p| p.location.unwrap().column)
                .collect();
            let column_of = |key: &str| source.rfind(key).unwrap() + 1;
            assert_eq!(
                repeated,
                [column_of("\"k0\""), column_of(&format!("\"k{last}\""))]
            );
            let root = tree.root.unwrap();
            let Value::Map(entries) = tree.value(root) else {
                panic!("a mapping")
            };
            assert_eq!(entries.len(), width, "{width} keys");
            let value_of = |key: &str| tree.get(root, key).and_then(|v| tree.scalar_text(v));
            assert_eq!(
                value_of("k0"),
                Some("0"),
                "the first of a repeated key is kept"
            );
            assert_eq!(
                value_of(&format!("k{last}")),
                Some(last.to_string().as_str())
            );
        }
    }

    #[test]
    fn reports_syntax_errors_with_line_and_column() {
        let error = parse("{\n  \"a\": 1,\n  \"b\" 2\n}", &Limits::default()).unwrap_err();
        let location = error.location.unwrap();
        assert_eq!((location.line, location.column), (3, 7));
        assert!(error.message.contains("expected `:`"), "{}", error.message);
    }

    #[test]
    fn refuses_deep_nesting() {
        let source = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(
            parse(&source, &Limits::default()).unwrap_err().code,
            "depth-limit"
        );
    }
}
