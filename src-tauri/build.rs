//! Embeds the example models and declares the app's commands, so that each command needs a
//! permission granted in `capabilities/` before the window may call it.

use std::path::PathBuf;
use std::{env, fs};

/// Every command of `src/commands.rs`, in the order of `generate_handler!`.
const COMMANDS: &[&str] = &[
    "examples",
    "load_example",
    "initial_model",
    "open_model",
    "open_recent",
    "recent_files",
    "save_model",
    "analyze",
    "export_report",
    "autosave",
    "recover",
    "discard_recovery",
    "set_dirty",
    "user_name",
    "author",
    "set_author",
    "history",
    "compare_revisions",
    "revision_document",
    "rename_id",
    "plan",
    "apply_plan_step",
];

fn main() {
    embed_examples();
    let dist = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap()).join("../ui/dist/index.html");
    println!("cargo:rerun-if-changed={}", dist.display());
    if env::var_os("CARGO_FEATURE_CUSTOM_PROTOCOL").is_some() && !dist.exists() {
        panic!(
            "the app embeds the UI, but ui/dist/index.html does not exist: \
             build the UI first (`make ui`, or `npm ci && npm run build` in ui/)"
        );
    }
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("the Tauri build step failed");
}

/// Writes `$OUT_DIR/examples.rs`: `(id, file name, text)` for each `models/*.bartizan.yaml`.
fn embed_examples() {
    let models = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap()).join("../models");
    println!("cargo:rerun-if-changed={}", models.display());
    let mut files: Vec<PathBuf> = fs::read_dir(&models)
        .expect("the models/ folder is readable")
        .map(|entry| entry.expect("a readable entry of models/").path())
        .filter(|path| {
            let name = path.file_name().unwrap().to_string_lossy();
            name.ends_with(".bartizan.yaml") || name.ends_with(".bartizan.json")
        })
        .collect();
    files.sort();
    let mut out = String::from("&[\n");
    for path in files {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let id = file
            .trim_end_matches(".bartizan.yaml")
            .trim_end_matches(".bartizan.json");
        let absolute = fs::canonicalize(&path).unwrap();
        out.push_str(&format!(
            "    ({id:?}, {file:?}, include_str!({:?})),\n",
            absolute.display().to_string()
        ));
    }
    out.push_str("]\n");
    fs::write(
        PathBuf::from(env::var("OUT_DIR").unwrap()).join("examples.rs"),
        out,
    )
    .unwrap();
}
