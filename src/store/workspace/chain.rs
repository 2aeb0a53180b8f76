//! The tamper-evident chain over each model's revisions and audit entries.
//!
//! A model's chain is its revisions in number order, each followed by the audit entries its
//! recording wrote (in id order). Every element stores a link: SHA-256 over the link before it
//! (empty for the first revision) and every field of the element — for a revision its number,
//! content hash, time, author, name, counts and the hash of its stored findings; for an entry
//! its id, revision, fingerprint, rule, statuses, justification, who and when. The model's row
//! keeps the head: how many revisions and entries the chain holds and its last link.
//!
//! What this detects, against anyone who can write the file: an element changed, removed from
//! the middle or inserted (a backdated entry), a revision number skipped, an element removed
//! from the end without the head being lowered to match. What it cannot detect on its own: a
//! consistent rewrite of a model's chain and head by someone who knows this scheme (nothing in
//! the file is secret), or a model removed whole. An external anchor — the head printed by
//! `bartizan audit --verify`, kept somewhere the file's writers cannot change — detects those.

use std::fmt;

use rusqlite::{Connection, params};
use sha2::{Digest, Sha256};

/// The link before a model's first revision.
pub const GENESIS: &str = "";

/// A revision's fields as stored, in the types of the columns (so that a forged value is a
/// broken link, not a read error).
#[derive(Clone, Debug)]
pub struct RevisionFields {
    pub number: i64,
    pub content_hash: String,
    pub recorded_at: i64,
    pub author: String,
    pub name: String,
    /// nodes, edges, critical, high, medium, low, info, open, added, resolved, changed.
    pub counts: [i64; 11],
    pub findings_hash: Option<String>,
}

/// An audit entry's fields as stored.
#[derive(Clone, Debug)]
pub struct EntryFields {
    pub id: i64,
    pub revision: i64,
    pub fingerprint: String,
    pub rule: Option<String>,
    pub old_status: Option<String>,
    pub new_status: Option<String>,
    pub justification: Option<String>,
    pub decided_by: String,
    pub decided_at: String,
    pub recorded_at: i64,
    pub recorded_by: String,
}

/// SHA-256 over fields written unambiguously: a tag, then the length of each text.
struct LinkHasher(Sha256);

impl LinkHasher {
    fn new(kind: &str, model: &str, previous: &str) -> LinkHasher {
        let mut hasher = LinkHasher(Sha256::new());
        hasher.0.update(b"bartizan chain 1\0");
        hasher.text(kind);
        hasher.text(model);
        hasher.text(previous);
        hasher
    }

    fn text(&mut self, text: &str) {
        self.0.update(b"t");
        self.0.update((text.len() as u64).to_be_bytes());
        self.0.update(text.as_bytes());
    }

    fn optional(&mut self, text: Option<&str>) {
        match text {
            Some(text) => self.text(text),
            None => self.0.update(b"n"),
        }
    }

    fn integer(&mut self, value: i64) {
        self.0.update(b"i");
        self.0.update(value.to_be_bytes());
    }

    fn finish(self) -> String {
        let digest = self.0.finalize();
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        format!("sha256:{hex}")
    }
}

/// The link of a revision of the model at `model` (its workspace key) after `previous`.
pub fn revision_link(previous: &str, model: &str, revision: &RevisionFields) -> String {
    let mut hasher = LinkHasher::new("revision", model, previous);
    hasher.integer(revision.number);
    hasher.text(&revision.content_hash);
    hasher.integer(revision.recorded_at);
    hasher.text(&revision.author);
    hasher.text(&revision.name);
    for count in revision.counts {
        hasher.integer(count);
    }
    hasher.optional(revision.findings_hash.as_deref());
    hasher.finish()
}

/// The link of an audit entry of the model at `model` after `previous`.
pub fn entry_link(previous: &str, model: &str, entry: &EntryFields) -> String {
    let mut hasher = LinkHasher::new("entry", model, previous);
    hasher.integer(entry.id);
    hasher.integer(entry.revision);
    hasher.text(&entry.fingerprint);
    hasher.optional(entry.rule.as_deref());
    hasher.optional(entry.old_status.as_deref());
    hasher.optional(entry.new_status.as_deref());
    hasher.optional(entry.justification.as_deref());
    hasher.text(&entry.decided_by);
    hasher.text(&entry.decided_at);
    hasher.integer(entry.recorded_at);
    hasher.text(&entry.recorded_by);
    hasher.finish()
}

/// Where a chain breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Link {
    Revision(i64),
    Entry {
        id: i64,
        revision: i64,
    },
    /// The head kept in the model's row.
    Head,
}

impl fmt::Display for Link {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Link::Revision(number) => write!(f, "revision {number}"),
            Link::Entry { id, revision } => write!(f, "audit entry #{id} (revision {revision})"),
            Link::Head => f.write_str("the head"),
        }
    }
}

/// The first broken link of a model's chain and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Break {
    pub link: Link,
    pub detail: String,
}

/// One model's chain as verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelChain {
    /// The model's path as the workspace knows it.
    pub model: String,
    pub revisions: u32,
    pub entries: u32,
    /// The last link: the value to keep elsewhere as an anchor.
    pub head: String,
    pub broken: Option<Break>,
}

const REVISION_FIELDS: &str = "number, content_hash, recorded_at, author, name, nodes, edges, \
     critical, high, medium, low, info, open, added, resolved, changed, findings_hash, link";
const ENTRY_FIELDS: &str = "id, revision, fingerprint, rule, old_status, new_status, \
     justification, decided_by, decided_at, recorded_at, recorded_by, link";

fn revision_row(row: &rusqlite::Row) -> rusqlite::Result<(RevisionFields, Option<String>)> {
    let mut counts = [0i64; 11];
    for (index, count) in counts.iter_mut().enumerate() {
        *count = row.get(5 + index)?;
    }
    Ok((
        RevisionFields {
            number: row.get(0)?,
            content_hash: row.get(1)?,
            recorded_at: row.get(2)?,
            author: row.get(3)?,
            name: row.get(4)?,
            counts,
            findings_hash: row.get(16)?,
        },
        row.get(17)?,
    ))
}

fn entry_row(row: &rusqlite::Row) -> rusqlite::Result<(EntryFields, Option<String>)> {
    Ok((
        EntryFields {
            id: row.get(0)?,
            revision: row.get(1)?,
            fingerprint: row.get(2)?,
            rule: row.get(3)?,
            old_status: row.get(4)?,
            new_status: row.get(5)?,
            justification: row.get(6)?,
            decided_by: row.get(7)?,
            decided_at: row.get(8)?,
            recorded_at: row.get(9)?,
            recorded_by: row.get(10)?,
        },
        row.get(11)?,
    ))
}

fn mismatch(stored: &Option<String>, what: &str) -> String {
    match stored {
        None => format!("{what} has no link: it was written outside Bartizan"),
        Some(_) => format!(
            "{what} does not match its link: it was changed after it was written, or an \
             element before it was changed, removed or inserted"
        ),
    }
}

/// Recomputes the chain of the model with row id `model_id`, stopping at its first broken
/// link.
pub fn verify_model(connection: &Connection, model_id: i64) -> rusqlite::Result<ModelChain> {
    let (model, head_revisions, head_entries, head): (String, i64, i64, Option<String>) =
        connection.query_row(
            "SELECT path, head_revisions, head_entries, head FROM models WHERE id = ?1",
            [model_id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
        )?;
    let revisions: Vec<_> = connection
        .prepare_cached(&format!(
            "SELECT {REVISION_FIELDS} FROM revisions WHERE model_id = ?1 ORDER BY number"
        ))?
        .query_map([model_id], revision_row)?
        .collect::<Result<_, _>>()?;
    let entries: Vec<_> = connection
        .prepare_cached(&format!(
            "SELECT {ENTRY_FIELDS} FROM audit_log WHERE model_id = ?1 ORDER BY id"
        ))?
        .query_map([model_id], entry_row)?
        .collect::<Result<_, _>>()?;

    let mut chain = ModelChain {
        model,
        revisions: 0,
        entries: 0,
        head: GENESIS.to_owned(),
        broken: None,
    };
    let mut pending = entries.iter().peekable();
    let broken = 'walk: {
        for (index, (revision, stored)) in revisions.iter().enumerate() {
            let expected = index as i64 + 1;
            if revision.number != expected {
                break 'walk Some(Break {
                    link: Link::Revision(expected),
                    detail: format!(
                        "revision {expected} is missing (the next one recorded is {})",
                        revision.number
                    ),
                });
            }
            let link = revision_link(&chain.head, &chain.model, revision);
            if stored.as_deref() != Some(link.as_str()) {
                break 'walk Some(Break {
                    link: Link::Revision(revision.number),
                    detail: mismatch(stored, "the revision"),
                });
            }
            chain.head = link;
            chain.revisions += 1;
            while let Some((entry, stored)) = pending.next_if(|(e, _)| e.revision <= expected) {
                let place = Link::Entry {
                    id: entry.id,
                    revision: entry.revision,
                };
                if entry.revision < expected {
                    break 'walk Some(Break {
                        link: place,
                        detail: format!(
                            "the entry refers to revision {} but comes after revision \
                             {expected}: it was added later (backdated)",
                            entry.revision
                        ),
                    });
                }
                let link = entry_link(&chain.head, &chain.model, entry);
                if stored.as_deref() != Some(link.as_str()) {
                    break 'walk Some(Break {
                        link: place,
                        detail: mismatch(stored, "the entry"),
                    });
                }
                chain.head = link;
                chain.entries += 1;
            }
        }
        if let Some((entry, _)) = pending.next() {
            break 'walk Some(Break {
                link: Link::Entry {
                    id: entry.id,
                    revision: entry.revision,
                },
                detail: format!(
                    "the entry refers to revision {}, which is not recorded",
                    entry.revision
                ),
            });
        }
        let kept = (
            head_revisions,
            head_entries,
            head.as_deref().unwrap_or(GENESIS),
        );
        let found = (
            i64::from(chain.revisions),
            i64::from(chain.entries),
            chain.head.as_str(),
        );
        if kept != found {
            break 'walk Some(Break {
                link: Link::Head,
                detail: format!(
                    "the model's head records {} revisions and {} entries ending in `{}`, the \
                     chain holds {} and {} ending in `{}`: elements were removed from its end, \
                     or the head was changed",
                    kept.0, kept.1, kept.2, found.0, found.1, found.2
                ),
            });
        }
        None
    };
    chain.broken = broken;
    Ok(chain)
}

/// Computes the findings hashes, links and heads of a workspace written before the chain
/// existed: its history is taken as it stands at the upgrade.
pub fn backfill(connection: &Connection) -> rusqlite::Result<()> {
    let models: Vec<(i64, String)> = connection
        .prepare("SELECT id, path FROM models ORDER BY id")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (model_id, model) in models {
        let mut head = GENESIS.to_owned();
        let mut entries = 0i64;
        let revisions: Vec<(i64, Vec<u8>, RevisionFields)> = connection
            .prepare(&format!(
                "SELECT {REVISION_FIELDS}, id, findings FROM revisions WHERE model_id = ?1 \
                 ORDER BY number"
            ))?
            .query_map([model_id], |row| {
                Ok((row.get(18)?, row.get(19)?, revision_row(row)?.0))
            })?
            .collect::<Result<_, _>>()?;
        for (row_id, findings, mut revision) in revisions.iter().cloned() {
            revision.findings_hash = Some(crate::report::content_hash(&findings));
            head = revision_link(&head, &model, &revision);
            connection.execute(
                "UPDATE revisions SET findings_hash = ?1, link = ?2 WHERE id = ?3",
                params![revision.findings_hash, head, row_id],
            )?;
            let written: Vec<EntryFields> = connection
                .prepare(&format!(
                    "SELECT {ENTRY_FIELDS} FROM audit_log WHERE model_id = ?1 AND revision = ?2 \
                     ORDER BY id"
                ))?
                .query_map(params![model_id, revision.number], |row| {
                    Ok(entry_row(row)?.0)
                })?
                .collect::<Result<_, _>>()?;
            for entry in written {
                head = entry_link(&head, &model, &entry);
                connection.execute(
                    "UPDATE audit_log SET link = ?1 WHERE id = ?2",
                    params![head, entry.id],
                )?;
                entries += 1;
            }
        }
        connection.execute(
            "UPDATE models SET head_revisions = ?1, head_entries = ?2, head = ?3 WHERE id = ?4",
            params![revisions.len() as i64, entries, head, model_id],
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn revision() -> RevisionFields {
        RevisionFields {
            number: 2,
            content_hash: "sha256:00".into(),
            recorded_at: 1_000,
            author: "ana".into(),
            name: "Shop".into(),
            counts: [3, 2, 1, 0, 0, 0, 0, 1, 1, 0, 0],
            findings_hash: Some("sha256:11".into()),
        }
    }

    fn entry() -> EntryFields {
        EntryFields {
            id: 7,
            revision: 2,
            fingerprint: "BTZ-AUT-002:9b64a785ea815294".into(),
            rule: Some("BTZ-AUT-002".into()),
            old_status: None,
            new_status: Some("accepted".into()),
            justification: Some("Limits.".into()),
            decided_by: "risk-board".into(),
            decided_at: "2026-11-20".into(),
            recorded_at: 1_000,
            recorded_by: "ana".into(),
        }
    }

    #[test]
    fn every_field_and_the_link_before_change_a_revisions_link() {
        let base = revision_link("sha256:aa", "/m.yaml", &revision());
        let mut changes: Vec<RevisionFields> = Vec::new();
        let mut push = |change: fn(&mut RevisionFields)| {
            let mut changed = revision();
            change(&mut changed);
            changes.push(changed);
        };
        push(|r| r.number = 3);
        push(|r| r.content_hash.push('1'));
        push(|r| r.recorded_at -= 1);
        push(|r| r.author = "mallory".into());
        push(|r| r.name = "Shop ".into());
        push(|r| r.findings_hash = None);
        for index in 0..11 {
            let mut changed = revision();
            changed.counts[index] += 1;
            changes.push(changed);
        }
        for changed in &changes {
            assert_ne!(
                revision_link("sha256:aa", "/m.yaml", changed),
                base,
                "{changed:?}"
            );
        }
        assert_ne!(revision_link("sha256:ab", "/m.yaml", &revision()), base);
        assert_ne!(revision_link("sha256:aa", "/n.yaml", &revision()), base);
        assert_eq!(revision_link("sha256:aa", "/m.yaml", &revision()), base);
    }

    #[test]
    fn every_field_changes_an_entrys_link_and_fields_cannot_trade_text() {
        let base = entry_link("sha256:aa", "/m.yaml", &entry());
        let changes: [fn(&mut EntryFields); 11] = [
            |e| e.id = 8,
            |e| e.revision = 1,
            |e| e.fingerprint.push('0'),
            |e| e.rule = None,
            |e| e.old_status = Some("open".into()),
            |e| e.new_status = None,
            |e| e.justification = Some(String::new()),
            |e| e.decided_by = "me".into(),
            |e| e.decided_at = "2026-11-21".into(),
            |e| e.recorded_at = 0,
            |e| e.recorded_by = "bo".into(),
        ];
        for change in changes {
            let mut changed = entry();
            change(&mut changed);
            assert_ne!(
                entry_link("sha256:aa", "/m.yaml", &changed),
                base,
                "{changed:?}"
            );
        }
        // Text moved from one field to the next is another entry.
        let mut moved = entry();
        moved.decided_by = "risk-board2026".into();
        moved.decided_at = "-11-20".into();
        assert_ne!(entry_link("sha256:aa", "/m.yaml", &moved), base);
    }
}
