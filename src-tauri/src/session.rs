//! What the app knows about the open document between commands: whether it has unsaved
//! changes (for the close guard and the title), which file it came from, and which paths the
//! user has chosen. The window may only name a path to read or write when the user picked it
//! in a dialog, opened it from the command line, or had it in the recent files: a script in
//! the window cannot reach any other file.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use tauri::{AppHandle, Manager};

use crate::appdata::AppData;
use crate::dialogs::Dialogs;
use crate::error::CommandError;

pub struct Session {
    pub data: AppData,
    pub dialogs: Dialogs,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    dirty: bool,
    granted: HashSet<PathBuf>,
    /// The file the document was opened from or last saved to.
    file: Option<PathBuf>,
    /// The document's name when it has no file (an example, a recovered document).
    name: String,
    /// The model named on the command line (or handed over by the file manager), until the
    /// window asks for it.
    initial: Option<PathBuf>,
    /// Files whose last open did not read completely: the window's document lacks part of
    /// each, so writing it there would drop what could not be read.
    incomplete: HashSet<PathBuf>,
}

impl Session {
    pub fn new(data: AppData, dialogs: Dialogs, initial: Option<PathBuf>) -> Self {
        let mut state = State {
            name: "Untitled".to_owned(),
            ..State::default()
        };
        if let Some(path) = &initial {
            state.granted.insert(path.clone());
        }
        state.initial = initial;
        Session {
            data,
            dialogs,
            state: Mutex::new(state),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves plain data behind; carry on with it.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A model the file manager handed to the running app: the window may read it, and takes
    /// it as it takes the command line's (`take_initial`).
    pub fn open_later(&self, path: PathBuf) {
        let mut state = self.state();
        state.granted.insert(path.clone());
        state.initial = Some(path);
    }

    pub fn take_initial(&self) -> Option<PathBuf> {
        self.state().initial.take()
    }

    /// Whether the window may name `path` to read or write it.
    pub fn permits(&self, path: &Path) -> bool {
        self.state().granted.contains(path) || self.data.recent().iter().any(|p| p == path)
    }

    pub fn check_permitted(&self, path: &Path) -> Result<(), CommandError> {
        if self.permits(path) {
            Ok(())
        } else {
            Err(CommandError::new(
                "not-permitted",
                format!(
                    "{} was not chosen in a dialog or the recent files",
                    path.display()
                ),
            )
            .at(path))
        }
    }

    pub fn grant(&self, path: &Path) {
        self.state().granted.insert(path.to_owned());
    }

    /// `path` was just opened; `complete` says whether the document holds the whole file.
    pub fn opened(&self, path: &Path, complete: bool) {
        let mut state = self.state();
        if complete {
            state.incomplete.remove(path);
        } else {
            state.incomplete.insert(path.to_owned());
        }
    }

    /// Refuses to write a document over `path` when its last open did not read completely,
    /// until it is opened again and reads completely (fixed in a text editor).
    pub fn check_writable(&self, path: &Path) -> Result<(), CommandError> {
        if self.state().incomplete.contains(path) {
            Err(read_only(path))
        } else {
            Ok(())
        }
    }

    pub fn file(&self) -> Option<PathBuf> {
        self.state().file.clone()
    }

    pub fn is_dirty(&self) -> bool {
        self.state().dirty
    }

    /// The window now shows a document from `file` (or, with no file, called `name`), saved.
    pub fn showing(&self, app: &AppHandle, file: Option<&Path>, name: &str) {
        {
            let mut state = self.state();
            state.file = file.map(Path::to_owned);
            state.name = name.to_owned();
            state.dirty = false;
        }
        self.update_title(app);
    }

    pub fn set_dirty(&self, app: &AppHandle, dirty: bool) {
        self.state().dirty = dirty;
        self.update_title(app);
    }

    /// `Bartizan — finance-ops.bartizan.yaml`, with `•` before the name while unsaved.
    pub fn title(&self) -> String {
        let state = self.state();
        let name = state
            .file
            .as_deref()
            .and_then(Path::file_name)
            .map_or_else(|| state.name.clone(), |n| n.to_string_lossy().into_owned());
        let marker = if state.dirty { "• " } else { "" };
        format!("{marker}{name} — Bartizan")
    }

    fn update_title(&self, app: &AppHandle) {
        if let Some(window) = app.get_webview_window("main") {
            let _ = window.set_title(&self.title());
        }
    }
}

fn read_only(path: &Path) -> CommandError {
    CommandError::new(
        "read-only",
        format!(
            "{} did not read completely when it was opened (it has errors), so the document \
             lacks part of it and writing it there would lose that part; fix the errors in a \
             text editor and reopen the file",
            path.display()
        ),
    )
    .at(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> Session {
        let dir = std::env::temp_dir().join("bartizan-session-test-unused");
        Session::new(AppData::new(dir), Dialogs::Native, None)
    }

    #[test]
    fn refuses_to_write_over_a_file_that_opened_incomplete_until_it_reopens_complete() {
        let session = session();
        let file = Path::new("/models/typos.bartizan.yaml");
        session.check_writable(file).unwrap();

        session.opened(file, false);
        let error = session.check_writable(file).unwrap_err();
        assert_eq!(error.code, "read-only");
        assert_eq!(error.path.as_deref(), Some("/models/typos.bartizan.yaml"));
        assert!(error.message.contains("reopen"), "{}", error.message);
        // Another file is not concerned.
        session
            .check_writable(Path::new("/models/other.bartizan.yaml"))
            .unwrap();

        session.opened(file, true);
        session.check_writable(file).unwrap();
    }
}
