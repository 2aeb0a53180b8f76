//! Characters a model file may not hold, refused before either reader runs: a parser that
//! stops at one of them (yaml-rust2 ends the stream at a NUL) would otherwise read half a
//! file and call it complete.
//!
//! Both formats refuse the C0 control characters other than tab, line feed and carriage
//! return: JSON allows none of them raw (RFC 8259), YAML neither (YAML 1.2, `c-printable`).
//! YAML also refuses DEL, the C1 controls other than NEL (U+0085), the non-characters U+FFFE
//! and U+FFFF, and a byte-order mark anywhere but at the start of the file. Surrogates cannot
//! occur: the text is UTF-8, checked before it gets here.

use super::Format;
use crate::diagnostic::{Diagnostic, Location};

/// The first character of `source` that a `format` file may not hold, as a located error.
pub fn refuse_unprintable(source: &str, format: Format) -> Option<Diagnostic> {
    let (offset, character) = first_refused(source, format)?;
    let before = &source[..offset];
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    let location = Location {
        line: before.bytes().filter(|&b| b == b'\n').count() + 1,
        column: before[line_start..].chars().count() + 1,
        start: offset,
        end: offset + character.len_utf8(),
    };
    let code_point = format!("U+{:04X}", u32::from(character));
    let (message, help) = match character {
        '\0' => (
            format!("the file contains a NUL byte ({code_point}), which a model file cannot hold"),
            "a NUL byte usually means a binary or damaged file; remove it (the text after it \
             would otherwise be lost)"
                .to_owned(),
        ),
        '\u{feff}' => (
            format!(
                "the file contains a byte-order mark ({code_point}) after its start, which YAML does not allow there"
            ),
            "remove it; text that must hold one writes it as `\\uFEFF` in a double-quoted string"
                .to_owned(),
        ),
        _ => (
            format!(
                "the file contains the {}character {code_point}, which {} does not allow",
                if character.is_control() {
                    "control "
                } else {
                    ""
                },
                match format {
                    Format::Yaml => "YAML",
                    Format::Json => "JSON",
                }
            ),
            match format {
                Format::Yaml => format!(
                    "remove it; text that must hold it writes it as `\\u{:04X}` in a double-quoted string",
                    u32::from(character)
                ),
                Format::Json => format!(
                    "remove it; text that must hold it writes it as `\\u{:04X}` in a string",
                    u32::from(character)
                ),
            },
        ),
    };
    Some(
        Diagnostic::error("invalid-character", message)
            .located(location)
            .with_help(help),
    )
}

/// Where the first character `format` refuses is, and which. Printable ASCII, which both
/// formats allow and most of a model file is, is stepped over a byte at a time, undecoded.
fn first_refused(source: &str, format: Format) -> Option<(usize, char)> {
    let bytes = source.as_bytes();
    let mut offset = 0;
    while let Some(&byte) = bytes.get(offset) {
        if matches!(byte, b' '..=b'~' | b'\t' | b'\n' | b'\r') {
            offset += 1;
            continue;
        }
        // A character boundary: every byte before it was ASCII or ended a whole character.
        let character = source[offset..].chars().next()?;
        if !allowed(character, format) {
            return Some((offset, character));
        }
        offset += character.len_utf8();
    }
    None
}

/// Whether a `format` file may hold `character` as written (not escaped).
fn allowed(character: char, format: Format) -> bool {
    let c0_allowed = !character.is_ascii_control() || matches!(character, '\t' | '\n' | '\r');
    match format {
        Format::Json => c0_allowed || character == '\u{7f}',
        Format::Yaml => is_yaml_printable(character),
    }
}

/// YAML 1.2 `c-printable`, less the byte-order mark (allowed only at the start, which the
/// caller has cut off).
pub fn is_yaml_printable(character: char) -> bool {
    matches!(character,
        '\t' | '\n' | '\r' | '\u{20}'..='\u{7e}' | '\u{85}' | '\u{a0}'..='\u{d7ff}'
        | '\u{e000}'..='\u{fefe}' | '\u{ff00}'..='\u{fffd}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_yaml_and_json_do_not_allow() {
        for (text, yaml, json) in [
            ("a\0b", false, false),
            ("a\u{7}b", false, false),
            ("a\u{1b}b", false, false),
            ("a\u{7f}b", false, true),
            ("a\u{80}b", false, true),
            ("a\u{9f}b", false, true),
            ("a\u{feff}b", false, true),
            ("a\u{fffe}b", false, true),
            ("a\t\r\n\u{85}\u{a0}é\u{fefe}\u{ff00}😀b", true, true),
        ] {
            assert_eq!(
                refuse_unprintable(text, Format::Yaml).is_none(),
                yaml,
                "{text:?}"
            );
            assert_eq!(
                refuse_unprintable(text, Format::Json).is_none(),
                json,
                "{text:?}"
            );
        }
    }

    #[test]
    fn locates_the_character() {
        let error = refuse_unprintable("a: 1\nbé: x\0y\n", Format::Yaml).unwrap();
        let location = error.location.unwrap();
        assert_eq!((location.line, location.column), (2, 6));
        assert_eq!((location.start, location.end), (11, 12));
        assert!(
            error.message.contains("NUL byte (U+0000)"),
            "{}",
            error.message
        );
    }
}
