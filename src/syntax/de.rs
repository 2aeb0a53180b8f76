//! A serde `Deserializer` over the positioned [`Tree`], so the model's own `Deserialize`
//! impls read files while every error keeps the tree node it came from.
//!
//! Values listed in `poisoned` are skipped as if absent: the loader poisons each value that
//! failed and reads again, which is how one pass of serde reports every problem in a file.

use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

use super::tree::{NodeRef, Tree, Value, is_null};
use crate::model::{FORMAT_VERSION, FORMER_VERSION_KEY};

pub struct Context<'t> {
    pub tree: &'t Tree,
    pub poisoned: &'t HashSet<NodeRef>,
}

/// A deserialization error, tied to the node it concerns once it has passed through that
/// node's deserializer.
#[derive(Debug)]
pub struct DeError {
    pub code: &'static str,
    pub message: String,
    pub help: Option<String>,
    /// The node to point at.
    pub node: Option<NodeRef>,
    /// The value to skip on the next pass (differs from `node` for an unknown key).
    pub poison: Option<NodeRef>,
    /// Set for "missing field" errors, which a skipped value may have caused.
    pub missing_field: Option<&'static str>,
}

impl DeError {
    fn new(code: &'static str, message: String) -> Self {
        DeError {
            code,
            message,
            help: None,
            node: None,
            poison: None,
            missing_field: None,
        }
    }

    fn at(mut self, node: NodeRef) -> Self {
        self.node.get_or_insert(node);
        self.poison.get_or_insert(node);
        self
    }

    fn with_help(mut self, help: String) -> Self {
        self.help = Some(help);
        self
    }
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        DeError::new("invalid-value", message.to_string())
    }

    fn invalid_type(unexpected: de::Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        DeError::new(
            "invalid-type",
            format!("expected {expected}, found {unexpected}"),
        )
    }

    fn invalid_value(unexpected: de::Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        DeError::new(
            "invalid-value",
            format!("expected {expected}, found {unexpected}"),
        )
    }

    fn missing_field(field: &'static str) -> Self {
        let mut error = DeError::new("missing-field", format!("missing required field `{field}`"));
        error.missing_field = Some(field);
        error
    }

    fn duplicate_field(field: &'static str) -> Self {
        DeError::new(
            "duplicate-key",
            format!("the field `{field}` appears twice"),
        )
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        DeError::new("unknown-field", format!("unknown field `{field}`"))
            .with_help(expected_one_of(field, expected))
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        DeError::new("invalid-value", format!("unknown value `{variant}`"))
            .with_help(expected_one_of(variant, expected))
    }
}

/// "expected one of: a, b, c; did you mean `b`?"
pub fn expected_one_of(found: &str, expected: &[&str]) -> String {
    let mut help = format!("expected one of: {}", expected.join(", "));
    if let Some(suggestion) = did_you_mean(found, expected) {
        help.push_str(&format!("; did you mean `{suggestion}`?"));
    }
    help
}

/// The closest word, when it is close enough to be a likely typo.
pub fn did_you_mean<'a>(found: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|&candidate| (strsim::jaro_winkler(found, candidate), candidate))
        .filter(|&(score, _)| score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

/// What a struct is, in a reader's words, for "unknown field `x` in …".
fn describe_struct(name: &str) -> String {
    let kind = name
        .strip_suffix("Properties")
        .map(|kind| kind.to_lowercase());
    match (name, kind) {
        ("Model", _) => "the document".into(),
        ("Node", _) => "a node".into(),
        ("Edge", _) => "an edge".into(),
        ("Boundary", _) => "a boundary".into(),
        ("TriageDecision", _) => "a triage decision".into(),
        ("Metadata", _) => "the metadata".into(),
        ("Layout", _) => "the layout".into(),
        ("Position", _) => "a layout position".into(),
        ("Rect", _) => "a layout box".into(),
        (_, Some(kind)) => format!(
            "the properties of a{} {kind}",
            if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "n"
            } else {
                ""
            }
        ),
        (other, None) => other.to_string(),
    }
}

/// Turns a type name into words: `DelegationAuth` → "delegation auth".
fn describe_enum(name: &str) -> String {
    let mut words = String::new();
    for (position, c) in name.chars().enumerate() {
        if c.is_uppercase() && position > 0 {
            words.push(' ');
        }
        words.extend(c.to_lowercase());
    }
    words
}

#[derive(Clone, Copy)]
pub struct TreeDeserializer<'c, 't> {
    pub context: &'c Context<'t>,
    pub node: NodeRef,
}

impl<'c, 't> TreeDeserializer<'c, 't> {
    fn value(&self) -> &'t Value {
        &self.context.tree.nodes[self.node].value
    }

    fn found(&self) -> String {
        self.context.tree.describe(self.node)
    }

    fn plain(&self) -> Option<&'t str> {
        match self.value() {
            Value::Scalar {
                text,
                quoted: false,
            } => Some(text),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        self.plain().is_some_and(is_null)
    }

    fn mismatch(&self, expected: &str) -> DeError {
        DeError::new(
            "invalid-type",
            format!("expected {expected}, found {}", self.found()),
        )
        .at(self.node)
    }

    fn integer<T: TryFrom<i128>>(&self, expected: &str) -> Result<T, DeError> {
        self.plain()
            .and_then(parse_integer)
            .and_then(|value| T::try_from(value).ok())
            .ok_or_else(|| self.mismatch(expected))
    }

    fn float(&self) -> Result<f64, DeError> {
        self.plain()
            .and_then(parse_float)
            .ok_or_else(|| self.mismatch("a number"))
    }

    fn string(&self) -> Result<&'t str, DeError> {
        match self.value() {
            Value::Scalar {
                quoted: false,
                text,
            } if is_null(text) => Err(self.mismatch("a text value")),
            Value::Scalar { text, .. } => Ok(text),
            _ => Err(self.mismatch("a text value")),
        }
    }

    fn live_items(&self, items: &'t [NodeRef]) -> impl Iterator<Item = NodeRef> + 't {
        let poisoned = self.context.poisoned;
        items
            .iter()
            .copied()
            .filter(move |item| !poisoned.contains(item))
    }

    fn live_entries(&self, entries: &'t [(NodeRef, NodeRef)]) -> Vec<(NodeRef, NodeRef)> {
        let poisoned = self.context.poisoned;
        entries
            .iter()
            .copied()
            .filter(|(_, value)| !poisoned.contains(value))
            .collect()
    }

    fn visit_entries<'de, V: Visitor<'de>>(
        self,
        visitor: V,
        entries: Vec<(NodeRef, NodeRef)>,
    ) -> Result<V::Value, DeError> {
        visitor
            .visit_map(MapAccess {
                deserializer: self,
                entries,
                position: 0,
            })
            .map_err(|e: DeError| e.at(self.node))
    }

    fn child(&self, node: NodeRef) -> Self {
        TreeDeserializer {
            context: self.context,
            node,
        }
    }
}

pub(super) fn parse_integer(text: &str) -> Option<i128> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let magnitude = if let Some(hex) = digits.strip_prefix("0x") {
        i128::from_str_radix(hex, 16).ok()?
    } else if let Some(octal) = digits.strip_prefix("0o") {
        i128::from_str_radix(octal, 8).ok()?
    } else if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse().ok()?
    } else {
        return None;
    };
    Some(if negative { -magnitude } else { magnitude })
}

pub(super) fn parse_float(text: &str) -> Option<f64> {
    match text {
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Some(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Some(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        _ => {}
    }
    let looks_numeric = text
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
        && text.bytes().any(|b| b.is_ascii_digit());
    if looks_numeric {
        text.parse().ok()
    } else {
        None
    }
}

fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

macro_rules! integer_methods {
    ($($method:ident $visit:ident $ty:ty),+) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            let expected = format!("a whole number from {} to {}", <$ty>::MIN, <$ty>::MAX);
            let value: $ty = self.integer(&expected)?;
            visitor.$visit(value).map_err(|e: DeError| e.at(self.node))
        })+
    };
}

impl<'de> de::Deserializer<'de> for TreeDeserializer<'_, '_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let result = match self.value() {
            Value::Scalar { text, quoted: true } => visitor.visit_str(text),
            Value::Scalar {
                text,
                quoted: false,
            } => {
                if is_null(text) {
                    visitor.visit_unit()
                } else if let Some(value) = parse_bool(text) {
                    visitor.visit_bool(value)
                } else if let Some(value) = parse_integer(text) {
                    match (u64::try_from(value), i64::try_from(value)) {
                        (Ok(unsigned), _) => visitor.visit_u64(unsigned),
                        (_, Ok(signed)) => visitor.visit_i64(signed),
                        _ => visitor.visit_str(text),
                    }
                } else if let Some(value) = parse_float(text) {
                    visitor.visit_f64(value)
                } else {
                    visitor.visit_str(text)
                }
            }
            Value::Seq(items) => visitor.visit_seq(SeqAccess {
                deserializer: self,
                items: Box::new(self.live_items(items)),
            }),
            Value::Map(entries) => visitor.visit_map(MapAccess {
                deserializer: self,
                entries: self.live_entries(entries),
                position: 0,
            }),
        };
        result.map_err(|e: DeError| e.at(self.node))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let value = self
            .plain()
            .and_then(parse_bool)
            .ok_or_else(|| self.mismatch("true or false"))?;
        visitor
            .visit_bool(value)
            .map_err(|e: DeError| e.at(self.node))
    }

    integer_methods! {
        deserialize_i8 visit_i8 i8, deserialize_i16 visit_i16 i16, deserialize_i32 visit_i32 i32,
        deserialize_i64 visit_i64 i64, deserialize_u8 visit_u8 u8, deserialize_u16 visit_u16 u16,
        deserialize_u32 visit_u32 u32, deserialize_u64 visit_u64 u64
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let value = self.float()?;
        visitor
            .visit_f64(value)
            .map_err(|e: DeError| e.at(self.node))
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let text = self.string()?;
        visitor
            .visit_str(text)
            .map_err(|e: DeError| e.at(self.node))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.is_null() {
            visitor.visit_none().map_err(|e: DeError| e.at(self.node))
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.is_null() {
            visitor.visit_unit().map_err(|e: DeError| e.at(self.node))
        } else {
            Err(self.mismatch("nothing (null)"))
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let items: &[NodeRef] = match self.value() {
            Value::Seq(items) => items,
            _ if self.is_null() => &[],
            _ => return Err(self.mismatch("a list")),
        };
        visitor
            .visit_seq(SeqAccess {
                deserializer: self,
                items: Box::new(self.live_items(items)),
            })
            .map_err(|e: DeError| e.at(self.node))
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let entries = match self.value() {
            Value::Map(entries) => self.live_entries(entries),
            _ if self.is_null() => Vec::new(),
            _ => return Err(self.mismatch("a mapping")),
        };
        self.visit_entries(visitor, entries)
    }

    /// Checks the keys against the struct's fields first, so an unknown key is reported with
    /// its own position and the list of valid fields. `kind` is presented first because a
    /// node's `properties` are read with the type its kind names.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let Value::Map(entries) = self.value() else {
            return Err(self.mismatch(&format!("a mapping ({})", describe_struct(name))));
        };
        let mut entries = self.live_entries(entries);
        for &(key, value) in &entries {
            let key_text = self.context.tree.scalar_text(key).unwrap_or_default();
            if !fields.contains(&key_text) {
                let metadata_field = name == "Model"
                    && matches!(
                        key_text,
                        "name" | "description" | "owner" | "revision" | "updated" | "tags"
                    );
                let help = if metadata_field {
                    format!("`{key_text}` belongs under `metadata:`")
                } else if name == "Model" && key_text == FORMER_VERSION_KEY {
                    format!("the version key is now `bartizan`: write `bartizan: {FORMAT_VERSION}`")
                } else {
                    expected_one_of(key_text, fields)
                };
                let mut error = DeError::new(
                    "unknown-field",
                    format!("unknown field `{key_text}` in {}", describe_struct(name)),
                )
                .with_help(help);
                error.node = Some(key);
                error.poison = Some(value);
                return Err(error);
            }
        }
        if let Some(kind) = entries
            .iter()
            .position(|&(key, _)| self.context.tree.scalar_text(key) == Some("kind"))
        {
            let entry = entries.remove(kind);
            entries.insert(0, entry);
        }
        self.visit_entries(visitor, entries)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        // Only an error names the type: a model holds thousands of words to read.
        let what = || describe_enum(name);
        let text = match self.value() {
            Value::Scalar { text, quoted } if *quoted || !is_null(text) => text.as_str(),
            _ => {
                return Err(self.mismatch(&format!(
                    "a {}: one of {}",
                    what(),
                    variants.join(", ")
                )));
            }
        };
        if !variants.contains(&text) {
            return Err(DeError::new(
                "invalid-value",
                format!("`{text}` is not a valid {}", what()),
            )
            .with_help(expected_one_of(text, variants))
            .at(self.node));
        }
        visitor
            .visit_enum(IntoDeserializer::<DeError>::into_deserializer(text))
            .map_err(|e: DeError| e.at(self.node))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        i128 u128 char bytes byte_buf unit_struct tuple tuple_struct
    }
}

struct SeqAccess<'c, 't> {
    deserializer: TreeDeserializer<'c, 't>,
    items: Box<dyn Iterator<Item = NodeRef> + 't>,
}

impl<'de> de::SeqAccess<'de> for SeqAccess<'_, '_> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        match self.items.next() {
            Some(item) => {
                let child = self.deserializer.child(item);
                seed.deserialize(child).map(Some).map_err(|e| e.at(item))
            }
            None => Ok(None),
        }
    }
}

struct MapAccess<'c, 't> {
    deserializer: TreeDeserializer<'c, 't>,
    entries: Vec<(NodeRef, NodeRef)>,
    position: usize,
}

impl<'de> de::MapAccess<'de> for MapAccess<'_, '_> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        let Some(&(key, value)) = self.entries.get(self.position) else {
            return Ok(None);
        };
        seed.deserialize(self.deserializer.child(key))
            .map(Some)
            .map_err(|mut e| {
                e.node.get_or_insert(key);
                e.poison = Some(value);
                e
            })
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let (_, value) = self.entries[self.position];
        self.position += 1;
        seed.deserialize(self.deserializer.child(value))
            .map_err(|e| e.at(value))
    }
}
