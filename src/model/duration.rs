//! Durations as people write them in model files: `90s`, `15m`, `1h`, `30d`, `1y`.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

/// A span of time, kept in seconds and written back in the largest unit that divides it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration {
    seconds: u64,
}

const UNITS: &[(char, u64)] = &[
    ('y', 365 * 86_400),
    ('w', 7 * 86_400),
    ('d', 86_400),
    ('h', 3_600),
    ('m', 60),
    ('s', 1),
];

/// What a valid duration looks like, for error messages.
pub const DURATION_EXPECTED: &str =
    "a duration: a whole number followed by s, m, h, d, w or y, such as 15m, 1h or 90d";

impl Duration {
    pub const fn from_seconds(seconds: u64) -> Self {
        Duration { seconds }
    }

    pub const fn from_days(days: u64) -> Self {
        Duration {
            seconds: days * 86_400,
        }
    }

    pub fn seconds(self) -> u64 {
        self.seconds
    }

    /// Parses `15m`, `1h`, `90d`. A bare number is refused: a TTL in unknown units is a guess.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let Some(unit) = text.chars().last() else {
            return Err(format!(
                "expected {DURATION_EXPECTED}, found an empty value"
            ));
        };
        let Some(&(_, factor)) = UNITS.iter().find(|(u, _)| *u == unit) else {
            if let Ok(seconds) = text.parse::<u64>() {
                let canonical = Duration { seconds };
                let hint = if canonical.to_string() == format!("{seconds}s") {
                    format!("`{seconds}s`")
                } else {
                    format!("`{seconds}s` (that is, `{canonical}`)")
                };
                return Err(format!(
                    "expected {DURATION_EXPECTED}, found the bare number `{text}`; if it is seconds, write {hint}"
                ));
            }
            return Err(format!("expected {DURATION_EXPECTED}, found `{text}`"));
        };
        let digits = &text[..text.len() - unit.len_utf8()];
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("expected {DURATION_EXPECTED}, found `{text}`"));
        }
        let count: u64 = digits
            .parse()
            .map_err(|_| format!("the duration `{text}` is too large"))?;
        let seconds = count
            .checked_mul(factor)
            .ok_or_else(|| format!("the duration `{text}` is too large"))?;
        Ok(Duration { seconds })
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.seconds == 0 {
            return f.write_str("0s");
        }
        let (unit, factor) = UNITS
            .iter()
            .find(|(_, factor)| self.seconds.is_multiple_of(*factor))
            .expect("seconds divide every duration");
        write!(f, "{}{}", self.seconds / factor, unit)
    }
}

impl Serialize for Duration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DurationVisitor;
        impl de::Visitor<'_> for DurationVisitor {
            type Value = Duration;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(DURATION_EXPECTED)
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Duration, E> {
                Duration::parse(text).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(DurationVisitor)
    }
}

impl JsonSchema for Duration {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Duration".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[0-9]+[smhdwy]$",
            "description": DURATION_EXPECTED,
            "examples": ["15m", "1h", "90d"]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_unit() {
        assert_eq!(Duration::parse("90s").unwrap().seconds(), 90);
        assert_eq!(Duration::parse("15m").unwrap().seconds(), 900);
        assert_eq!(Duration::parse("1h").unwrap().seconds(), 3600);
        assert_eq!(Duration::parse("2d").unwrap().seconds(), 172_800);
        assert_eq!(Duration::parse("1w").unwrap().seconds(), 604_800);
        assert_eq!(Duration::parse("1y").unwrap().seconds(), 31_536_000);
    }

    #[test]
    fn writes_the_largest_whole_unit() {
        assert_eq!(Duration::parse("60m").unwrap().to_string(), "1h");
        assert_eq!(Duration::parse("90m").unwrap().to_string(), "90m");
        assert_eq!(Duration::parse("14d").unwrap().to_string(), "2w");
    }

    #[test]
    fn refuses_bare_numbers_and_unknown_units() {
        assert!(Duration::parse("3600").is_err());
        assert!(Duration::parse("1x").is_err());
        assert!(Duration::parse("h").is_err());
        assert!(Duration::parse("-1h").is_err());
        assert!(Duration::parse("99999999999999999999y").is_err());
    }
}
