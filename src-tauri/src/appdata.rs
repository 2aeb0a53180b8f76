//! What the app keeps in its data directory: the recent files, the autosaved document that
//! crash recovery offers back, and the preferences (the name that signs triage decisions and
//! revisions). Every write is atomic (the engine's `write_atomically`).

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use bartizan::store::{StoreError, read_bounded, write_atomically};
use bartizan::syntax::Limits;
use serde_json::{Value, json};

/// How many recent files are remembered.
pub const RECENT_LIMIT: usize = 10;

/// The most read of the preferences or the recent files: each is a few hundred bytes.
const SMALL_FILE_LIMIT: u64 = 1024 * 1024;

/// The most read of the recovery file: a document as JSON, which spells out what a model file
/// of the size limit says more tersely.
fn recovery_limit() -> u64 {
    4 * Limits::default().max_bytes
}

/// The text of one of the app's own files, read with a bound (and never from a FIFO or a
/// device planted in its place); `None` when it is missing, too large or not UTF-8.
fn read_text(path: &Path, limit: u64) -> Option<String> {
    String::from_utf8(read_bounded(path, limit).ok()?).ok()
}

/// The longest name that may sign a decision or a revision, in characters.
pub const AUTHOR_MAX_CHARS: usize = 100;

/// `name` as it signs decisions and revisions: trimmed, inner runs of white space made one
/// space; `None` when that leaves nothing, is longer than [`AUTHOR_MAX_CHARS`] or holds a
/// control character.
pub fn clean_author(name: &str) -> Option<String> {
    let cleaned = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let acceptable = !cleaned.is_empty()
        && cleaned.chars().count() <= AUTHOR_MAX_CHARS
        && !cleaned.chars().any(char::is_control);
    acceptable.then_some(cleaned)
}

pub struct AppData {
    dir: PathBuf,
}

impl AppData {
    pub fn new(dir: PathBuf) -> Self {
        AppData { dir }
    }

    fn recent_file(&self) -> PathBuf {
        self.dir.join("recent.json")
    }

    fn recovery_file(&self) -> PathBuf {
        self.dir.join("recovery.json")
    }

    fn preferences_file(&self) -> PathBuf {
        self.dir.join("preferences.json")
    }

    fn preferences(&self) -> Value {
        read_text(&self.preferences_file(), SMALL_FILE_LIMIT)
            .and_then(|text| serde_json::from_str::<Value>(&text).ok())
            .filter(Value::is_object)
            .unwrap_or_else(|| json!({}))
    }

    /// The name the user set to sign triage decisions and revisions; `None` until they set one
    /// (nothing is signed then: no name is made up).
    pub fn author(&self) -> Option<String> {
        self.preferences()
            .get("author")
            .and_then(Value::as_str)
            .and_then(clean_author)
    }

    /// Keeps `name` (already [`clean_author`]ed) as the name that signs.
    pub fn set_author(&self, name: &str) -> Result<(), StoreError> {
        let mut preferences = self.preferences();
        preferences["author"] = json!(name);
        self.write(&self.preferences_file(), &preferences)
    }

    fn write(&self, path: &Path, value: &Value) -> Result<(), StoreError> {
        std::fs::create_dir_all(&self.dir).map_err(|source| StoreError::Write {
            path: self.dir.clone(),
            source,
        })?;
        let mut text = serde_json::to_string_pretty(value).expect("JSON values serialise");
        text.push('\n');
        write_atomically(path, text.as_bytes())
    }

    /// The files the user opened or saved, most recent first (whether or not they still exist).
    pub fn recent(&self) -> Vec<PathBuf> {
        read_text(&self.recent_file(), SMALL_FILE_LIMIT)
            .and_then(|text| serde_json::from_str::<Vec<PathBuf>>(&text).ok())
            .unwrap_or_default()
    }

    /// Puts `path` first in the recent files.
    pub fn remember(&self, path: &Path) -> Result<(), StoreError> {
        let mut recent = self.recent();
        recent.retain(|p| p != path);
        recent.insert(0, path.to_owned());
        recent.truncate(RECENT_LIMIT);
        self.write(&self.recent_file(), &json!(recent))
    }

    /// Keeps `doc` (as the UI has it, valid or not) for crash recovery.
    pub fn save_recovery(&self, doc: &Value, path: Option<&Path>) -> Result<(), StoreError> {
        let recovery = json!({ "doc": doc, "path": path, "savedAt": now_rfc3339() });
        self.write(&self.recovery_file(), &recovery)
    }

    /// `{ doc, path, savedAt }` left by a session that did not close cleanly.
    pub fn recovery(&self) -> Option<Value> {
        let text = read_text(&self.recovery_file(), recovery_limit())?;
        let value: Value = serde_json::from_str(&text).ok()?;
        value.get("doc").filter(|doc| doc.is_object())?;
        Some(value)
    }

    pub fn discard_recovery(&self) {
        let _ = std::fs::remove_file(self.recovery_file());
    }
}

/// The current time as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn now_rfc3339() -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    rfc3339(seconds)
}

fn rfc3339(unix_seconds: u64) -> String {
    let days = (unix_seconds / 86_400) as i64;
    let rest = unix_seconds % 86_400;
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3_600,
        rest % 3_600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_times_as_rfc3339() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_795_617_875), "2026-11-25T14:44:35Z");
    }

    #[cfg(unix)]
    #[test]
    fn reads_its_files_with_a_bound_and_never_waits_on_a_fifo() {
        let dir = tempfile::tempdir().unwrap();
        let data = AppData::new(dir.path().to_owned());
        data.set_author("Ana").unwrap();
        assert_eq!(data.author().as_deref(), Some("Ana"));
        // A preferences file far larger than any the app writes is not read.
        let padding = " ".repeat(SMALL_FILE_LIMIT as usize);
        std::fs::write(
            data.preferences_file(),
            format!("{{\"author\": \"Bo\"{padding}}}"),
        )
        .unwrap();
        assert_eq!(data.author(), None);
        // A FIFO in place of the recovery file would block a plain read forever.
        let status = std::process::Command::new("mkfifo")
            .arg(data.recovery_file())
            .status()
            .unwrap();
        assert!(status.success());
        assert!(data.recovery().is_none());
    }

    #[test]
    fn remembers_recent_files_most_recent_first_without_repeats() {
        let dir = tempfile::tempdir().unwrap();
        let data = AppData::new(dir.path().join("app"));
        assert!(data.recent().is_empty());
        for name in ["a", "b", "a"] {
            data.remember(Path::new(name)).unwrap();
        }
        assert_eq!(data.recent(), [PathBuf::from("a"), PathBuf::from("b")]);
        for i in 0..20 {
            data.remember(Path::new(&format!("f{i}"))).unwrap();
        }
        assert_eq!(data.recent().len(), RECENT_LIMIT);
        assert_eq!(data.recent()[0], PathBuf::from("f19"));
    }

    #[test]
    fn keeps_the_name_that_signs_and_makes_none_up() {
        let dir = tempfile::tempdir().unwrap();
        let data = AppData::new(dir.path().join("app"));
        // Nothing set: no author, whatever the OS user is.
        assert_eq!(data.author(), None);
        data.set_author("Ana Lima").unwrap();
        assert_eq!(data.author().as_deref(), Some("Ana Lima"));
        // Another start of the app reads it back; setting it again replaces it.
        let again = AppData::new(dir.path().join("app"));
        assert_eq!(again.author().as_deref(), Some("Ana Lima"));
        again.set_author("Bo").unwrap();
        assert_eq!(data.author().as_deref(), Some("Bo"));
        // A damaged or hand-edited preferences file signs nothing rather than something wrong.
        std::fs::write(
            dir.path().join("app/preferences.json"),
            "{\"author\": \"  \"}",
        )
        .unwrap();
        assert_eq!(data.author(), None);
        std::fs::write(dir.path().join("app/preferences.json"), "not json").unwrap();
        assert_eq!(data.author(), None);
    }

    #[test]
    fn accepts_a_real_name_only() {
        assert_eq!(clean_author("  Ana   Lima \n").as_deref(), Some("Ana Lima"));
        assert_eq!(clean_author("Zoë Ødegård").as_deref(), Some("Zoë Ødegård"));
        assert_eq!(clean_author(""), None);
        assert_eq!(clean_author(" \t "), None);
        assert_eq!(clean_author("Ana\u{0}Lima"), None);
        assert_eq!(
            clean_author(&"a".repeat(AUTHOR_MAX_CHARS)).map(|n| n.len()),
            Some(100)
        );
        assert_eq!(clean_author(&"a".repeat(AUTHOR_MAX_CHARS + 1)), None);
    }

    #[test]
    fn keeps_and_discards_the_recovery_document() {
        let dir = tempfile::tempdir().unwrap();
        let data = AppData::new(dir.path().to_owned());
        assert!(data.recovery().is_none());
        let doc = json!({ "bartizan": 1, "nodes": [{ "id": "a", "kind": "agent" }] });
        data.save_recovery(&doc, Some(Path::new("/m.bartizan.yaml")))
            .unwrap();
        let recovery = data.recovery().unwrap();
        assert_eq!(recovery["doc"], doc);
        assert_eq!(recovery["path"], "/m.bartizan.yaml");
        assert!(recovery["savedAt"].as_str().unwrap().ends_with('Z'));
        data.discard_recovery();
        assert!(data.recovery().is_none());
    }
}
