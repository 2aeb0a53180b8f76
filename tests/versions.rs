//! Keeps the product's versions in step.
//!
//! - One version for the product: the workspace's `Cargo.toml` (`[workspace.package]`) is read
//!   by both crates (hence `bartizan --version`), by the bundles (src-tauri/tauri.conf.json has
//!   no version of its own, so Tauri takes the crate's) and must be ui/package.json's too.
//! - The Rust and npm halves of Tauri on the same minor version, as `tauri build` demands:
//!   the `tauri` crate with `@tauri-apps/api` and `@tauri-apps/cli`, `tauri-plugin-dialog` with
//!   `@tauri-apps/plugin-dialog`, as locked in Cargo.lock and ui/package-lock.json.

use std::fs;
use std::path::Path;

fn read(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    fs::read_to_string(&full).unwrap_or_else(|error| panic!("{}: {error}", full.display()))
}

fn json(path: &str) -> serde_json::Value {
    serde_json::from_str(&read(path)).unwrap_or_else(|error| panic!("{path}: {error}"))
}

/// The version `Cargo.lock` locks `name` at.
fn locked_crate(lock: &str, name: &str) -> String {
    let field = |package: &str, key: &str| {
        package
            .lines()
            .find_map(|line| line.strip_prefix(&format!("{key} = \"")))
            .map(|value| value.trim_end_matches('"').to_owned())
    };
    lock.split("[[package]]")
        .find(|package| field(package, "name").as_deref() == Some(name))
        .and_then(|package| field(package, "version"))
        .unwrap_or_else(|| panic!("Cargo.lock has no package {name}"))
}

/// The version `ui/package-lock.json` installs `name` at.
fn locked_npm(lock: &serde_json::Value, name: &str) -> String {
    lock["packages"][format!("node_modules/{name}")]["version"]
        .as_str()
        .unwrap_or_else(|| panic!("ui/package-lock.json has no package {name}"))
        .to_owned()
}

/// `major.minor` of a version.
fn minor(version: &str) -> &str {
    let mut dots = version.match_indices('.');
    let end = dots.nth(1).map_or(version.len(), |(at, _)| at);
    &version[..end]
}

#[test]
fn the_workspace_version_is_the_products_everywhere() {
    let version = env!("CARGO_PKG_VERSION");
    let manifest = read("Cargo.toml");
    let workspace = manifest
        .split("[workspace.package]")
        .nth(1)
        .and_then(|section| {
            section
                .lines()
                .find_map(|line| line.strip_prefix("version = \""))
        })
        .map(|rest| rest.trim_end_matches('"'))
        .expect("Cargo.toml declares [workspace.package] version");
    assert_eq!(
        version, workspace,
        "the engine reads the workspace's version"
    );
    assert!(
        read("src-tauri/Cargo.toml").contains("version.workspace = true"),
        "src-tauri/Cargo.toml takes the workspace's version"
    );
    assert!(
        json("src-tauri/tauri.conf.json").get("version").is_none(),
        "tauri.conf.json has no version of its own: the bundles take the crate's"
    );
    assert_eq!(
        json("ui/package.json")["version"].as_str(),
        Some(version),
        "ui/package.json's version is the workspace's"
    );
}

#[test]
fn tauri_crates_and_npm_packages_are_on_the_same_minor() {
    let cargo = read("Cargo.lock");
    let npm = json("ui/package-lock.json");
    for (krate, package) in [
        ("tauri", "@tauri-apps/api"),
        ("tauri", "@tauri-apps/cli"),
        ("tauri-plugin-dialog", "@tauri-apps/plugin-dialog"),
    ] {
        let (rust, js) = (locked_crate(&cargo, krate), locked_npm(&npm, package));
        assert_eq!(
            minor(&rust),
            minor(&js),
            "the crate {krate} is at {rust} but {package} at {js}: move one to the other's minor \
             (`cargo update -p {krate}`, or pin {package} in ui/package.json)"
        );
    }
}

#[test]
fn minor_keeps_major_and_minor() {
    assert_eq!(minor("2.12.7"), "2.12");
    assert_eq!(minor("2.8"), "2.8");
    assert_ne!(minor("2.11.6"), minor("2.12.5"));
}
