//! Where files come from and go to: the native open and save dialogs, which are the only way
//! the window reaches the file system. Real-window tests cannot drive a native dialog, so a
//! build with the `e2e` feature (the Makefile's debug `make app`, never a release build)
//! answers every dialog with a file in `BARTIZAN_E2E_DIALOG_DIR` when it is set: saving a model
//! writes `saved.bartizan.yaml`, opening reads it back, exporting writes `report.<ext>`.
//! Without the feature the variable is not even read.

#[cfg(all(test, feature = "e2e"))]
use std::path::Path;
use std::path::PathBuf;

use tauri::{AppHandle, Manager};
use tauri_plugin_dialog::{DialogExt, FileDialogBuilder};

#[cfg(feature = "e2e")]
pub const TEST_DIR_VARIABLE: &str = "BARTIZAN_E2E_DIALOG_DIR";
#[cfg(feature = "e2e")]
pub const TEST_MODEL_FILE: &str = "saved.bartizan.yaml";

pub enum Dialogs {
    Native,
    /// The test seam: answers from this folder.
    #[cfg(feature = "e2e")]
    TestDir(PathBuf),
}

impl Dialogs {
    #[cfg(feature = "e2e")]
    pub fn from_env() -> Self {
        match std::env::var_os(TEST_DIR_VARIABLE) {
            Some(dir) if !dir.is_empty() => Dialogs::TestDir(PathBuf::from(dir)),
            _ => Dialogs::Native,
        }
    }

    #[cfg(not(feature = "e2e"))]
    pub fn from_env() -> Self {
        Dialogs::Native
    }

    /// A model file to open; `None` when the user cancels.
    pub fn open_model(&self, app: &AppHandle) -> Option<PathBuf> {
        match self {
            Dialogs::Native => builder(app)
                .set_title("Open a Bartizan model")
                .add_filter("Bartizan models", &["yaml", "yml", "json"])
                .blocking_pick_file()
                .and_then(|file| file.into_path().ok()),
            #[cfg(feature = "e2e")]
            Dialogs::TestDir(dir) => Some(dir.join(TEST_MODEL_FILE)).filter(|p| p.is_file()),
        }
    }

    /// Where to save a model; `None` when the user cancels.
    pub fn save_model(&self, app: &AppHandle, suggested_name: &str) -> Option<PathBuf> {
        match self {
            Dialogs::Native => builder(app)
                .set_title("Save the model")
                .add_filter("Bartizan model (YAML)", &["yaml", "yml"])
                .add_filter("Bartizan model (JSON)", &["json"])
                .set_file_name(suggested_name)
                .blocking_save_file()
                .and_then(|file| file.into_path().ok()),
            #[cfg(feature = "e2e")]
            Dialogs::TestDir(dir) => Some(dir.join(TEST_MODEL_FILE)),
        }
    }

    /// Where to write an exported report; `None` when the user cancels.
    pub fn save_report(
        &self,
        app: &AppHandle,
        suggested_name: &str,
        (kind, extension): (&str, &str),
    ) -> Option<PathBuf> {
        match self {
            Dialogs::Native => builder(app)
                .set_title("Export the findings")
                .add_filter(kind, &[extension])
                .set_file_name(suggested_name)
                .blocking_save_file()
                .and_then(|file| file.into_path().ok()),
            #[cfg(feature = "e2e")]
            Dialogs::TestDir(dir) => Some(dir.join(format!("report.{extension}"))),
        }
    }
}

fn builder(app: &AppHandle) -> FileDialogBuilder<tauri::Wry> {
    let dialog = app.dialog().file().set_can_create_directories(true);
    match app.get_webview_window("main") {
        Some(window) => dialog.set_parent(&window),
        None => dialog,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(not(feature = "e2e"))]
    fn without_the_e2e_feature_the_dialog_variable_changes_nothing() {
        // SAFETY: no other test of this crate reads or writes this variable, and std
        // serialises its own environment accesses.
        unsafe { std::env::set_var("BARTIZAN_E2E_DIALOG_DIR", "/tmp") };
        assert!(matches!(Dialogs::from_env(), Dialogs::Native));
    }

    #[test]
    #[cfg(feature = "e2e")]
    fn with_the_e2e_feature_the_dialog_variable_names_the_answers_folder() {
        // SAFETY: as above.
        unsafe { std::env::set_var(TEST_DIR_VARIABLE, "/tmp/answers") };
        assert!(
            matches!(Dialogs::from_env(), Dialogs::TestDir(dir) if dir == Path::new("/tmp/answers"))
        );
    }
}
