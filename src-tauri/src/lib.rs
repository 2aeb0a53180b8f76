//! Bartizan's desktop app: a Tauri 2 shell over the engine (`bartizan`) and the diagram editor
//! in `ui/`. This crate holds no domain logic: its commands read and write files through the
//! native dialogs and call the engine; everything the window shows is the UI's.
//!
//! - `commands`: the commands the window may call (each needs its permission in
//!   `capabilities/main.json`);
//! - `documents`: documents ⇄ engine (open, save, analyse, export, and the workspace's history
//!   of each saved file);
//! - `dialogs`: the native open/save dialogs, and the test seam that replaces them;
//! - `appdata`: recent files, the crash-recovery document and the preferences (the name that
//!   signs) in the app data directory;
//! - `session`: the open document's file and unsaved state, and the paths the user chose;
//! - `start`: what the window needs at its start, handed over with the page.

mod appdata;
mod commands;
mod dialogs;
mod documents;
mod error;
mod session;
mod start;

use std::path::PathBuf;

use tauri::{Manager, RunEvent, Window, WindowEvent};
use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};

use appdata::AppData;
use dialogs::Dialogs;
use session::Session;

/// Starts the app; `bartizan-desktop [MODEL]` opens MODEL (read while the window starts, and
/// handed over with the page: `start`).
pub fn run() {
    // WebKitWebDriver starts the app with flags of its own (`--automation`): skip flags.
    let initial = std::env::args_os()
        .skip(1)
        .find(|arg| !arg.to_string_lossy().starts_with('-'))
        .map(PathBuf::from)
        .map(|path| std::path::absolute(&path).unwrap_or(path));
    let prepared = start::prepare(initial.clone());

    let app = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(move |app| {
            let data = AppData::new(app.path().app_data_dir()?);
            app.manage(Session::new(data, Dialogs::from_env(), initial));
            let session = app.state::<Session>();
            let script = start::script(app.handle(), &session, prepared);
            // The one window, declared in tauri.conf.json and built here (`"create": false`)
            // to carry the start.
            let config = &app.config().app.windows[0];
            tauri::WebviewWindowBuilder::from_config(app, config)?
                .title(session.title())
                .initialization_script(script)
                .build()?;
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::examples,
            commands::load_example,
            commands::initial_model,
            commands::open_model,
            commands::open_recent,
            commands::recent_files,
            commands::save_model,
            commands::analyze,
            commands::export_report,
            commands::autosave,
            commands::recover,
            commands::discard_recovery,
            commands::set_dirty,
            commands::user_name,
            commands::author,
            commands::set_author,
            commands::history,
            commands::compare_revisions,
            commands::revision_document,
            commands::rename_id,
            commands::plan,
            commands::apply_plan_step,
        ])
        .on_window_event(|window, event| {
            if let WindowEvent::CloseRequested { api, .. } = event
                && window.state::<Session>().is_dirty()
            {
                api.prevent_close();
                confirm_close(window);
            }
        })
        .build(tauri::generate_context!())
        .expect("the app starts");

    app.run(|app, event| match event {
        RunEvent::Exit => {
            let session = app.state::<Session>();
            // A clean exit (everything saved, or the user chose to drop the changes) leaves
            // nothing to recover; only a crash or a kill keeps the autosaved document.
            if !session.is_dirty() {
                session.data.discard_recovery();
            }
        }
        #[cfg(any(target_os = "macos", target_os = "ios"))]
        RunEvent::Opened { urls } => open_from_file_manager(app, &urls),
        _ => {}
    });
}

/// Finder hands the files it opens in the app (a double-click on a model, a drop on the Dock
/// icon) to the running app as URLs, never as arguments. The window takes the file as it takes
/// the command line's model: at its start if it has not started yet, else when told here.
/// Elsewhere the file manager starts the app with the file as its argument (`run`).
#[cfg_attr(
    not(any(target_os = "macos", target_os = "ios")),
    expect(dead_code, reason = "only macOS hands files over as events")
)]
fn open_from_file_manager(app: &tauri::AppHandle, urls: &[tauri::Url]) {
    let Some(path) = urls.iter().find_map(|url| url.to_file_path().ok()) else {
        return;
    };
    let Some(session) = app.try_state::<Session>() else {
        return;
    };
    session.open_later(path);
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.eval("window.__bartizanOpenRequested?.()");
    }
}

/// The close guard: the document has unsaved changes, so ask before closing.
fn confirm_close(window: &Window) {
    let target = window.clone();
    window
        .dialog()
        .message("The model has changes that are not saved. Close Bartizan and lose them?")
        .title("Unsaved changes")
        .kind(MessageDialogKind::Warning)
        .buttons(MessageDialogButtons::OkCancelCustom(
            "Close without saving".to_owned(),
            "Keep editing".to_owned(),
        ))
        .parent(window)
        .show(move |close| {
            if close {
                target
                    .state::<Session>()
                    .set_dirty(target.app_handle(), false);
                let _ = target.destroy();
            }
        });
}
