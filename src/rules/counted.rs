//! Evidence that names a few and counts the rest. A shared gateway can put every tool in
//! reach of every agent: listing them all would make the report grow with the square of the
//! model, and finding them all would make the check do so too. A check searches on until it
//! has [`COUNTED`] of what it counts, names the first [`LISTED`] and says how many more.

use std::fmt;

/// How many items an evidence line names before it says how many more there are.
pub const LISTED: usize = 5;

/// How many items a check goes on to find when it counts them; beyond it the count reads
/// "at least 20".
pub const COUNTED: usize = 20;

/// How many items there are: all of them were found, or the search stopped at [`COUNTED`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Count {
    Exactly(usize),
    AtLeast(usize),
}

impl Count {
    /// `found` items, all there are when `complete`.
    pub fn of(found: usize, complete: bool) -> Count {
        if complete {
            Count::Exactly(found)
        } else {
            Count::AtLeast(found)
        }
    }

    /// The count without `n` of the items (those named separately).
    pub fn minus(self, n: usize) -> Count {
        match self {
            Count::Exactly(total) => Count::Exactly(total.saturating_sub(n)),
            Count::AtLeast(total) => Count::AtLeast(total.saturating_sub(n)),
        }
    }

    pub fn is_one(self) -> bool {
        self == Count::Exactly(1)
    }
}

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Count::Exactly(n) => write!(f, "{n}"),
            Count::AtLeast(n) => write!(f, "at least {n}"),
        }
    }
}

/// "a, b and c"; past [`LISTED`] items, "a, b, c, d, e and 7 more", or "… and more" when
/// the search stopped before finding them all.
pub fn listed(items: impl IntoIterator<Item = String>, total: Count) -> String {
    let items: Vec<String> = items.into_iter().take(LISTED).collect();
    let rest = total.minus(items.len());
    match items.as_slice() {
        [] => String::new(),
        _ if matches!(rest, Count::AtLeast(_)) => format!("{} and more", items.join(", ")),
        _ if rest != Count::Exactly(0) => format!("{} and {rest} more", items.join(", ")),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// [`listed`] for ids, each in backticks: "`a`, `b` and `c`".
pub fn listed_ids<'a>(ids: impl IntoIterator<Item = &'a str>, total: Count) -> String {
    listed(ids.into_iter().map(|id| format!("`{id}`")), total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_a_few_and_counts_the_rest() {
        let ids = ["a", "b", "c", "d", "e", "f", "g"];
        assert_eq!(
            listed_ids(ids[..1].iter().copied(), Count::Exactly(1)),
            "`a`"
        );
        assert_eq!(
            listed_ids(ids[..3].iter().copied(), Count::Exactly(3)),
            "`a`, `b` and `c`"
        );
        assert_eq!(
            listed_ids(ids.iter().copied(), Count::Exactly(7)),
            "`a`, `b`, `c`, `d`, `e` and 2 more"
        );
        assert_eq!(
            listed_ids(ids.iter().copied(), Count::AtLeast(COUNTED)),
            "`a`, `b`, `c`, `d`, `e` and more"
        );
    }
}
