//! `docs/rules/` is generated from the checks' metadata and trigger fixtures; this fails when
//! the checked-in pages are stale (`BARTIZAN_BLESS=1 cargo test --test rule_docs` rewrites them).

mod common;

use std::collections::BTreeMap;

use bartizan::rules::{ALL, docs};

fn expected_pages() -> BTreeMap<String, String> {
    let mut pages = BTreeMap::new();
    for rule in ALL {
        let example = std::fs::read_to_string(
            common::root()
                .join("tests/fixtures/rules")
                .join(rule.id)
                .join("trigger.bartizan.yaml"),
        )
        .unwrap();
        pages.insert(format!("{}.md", rule.id), docs::rule_page(rule, &example));
    }
    pages.insert("README.md".into(), docs::index_page());
    pages
}

#[test]
fn the_rule_pages_are_current() {
    let dir = common::root().join("docs/rules");
    let bless = std::env::var_os("BARTIZAN_BLESS").is_some();
    if bless {
        std::fs::create_dir_all(&dir).unwrap();
        for entry in std::fs::read_dir(&dir).unwrap() {
            std::fs::remove_file(entry.unwrap().path()).unwrap();
        }
    }
    let expected = expected_pages();
    let mut stale = Vec::new();
    for (name, page) in &expected {
        let path = dir.join(name);
        if bless {
            std::fs::write(&path, page).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(page.as_str()) {
            stale.push(name.clone());
        }
    }
    let on_disk: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    for name in on_disk {
        if !expected.contains_key(&name) {
            stale.push(format!("{name} (no such check)"));
        }
    }
    assert!(
        stale.is_empty(),
        "docs/rules is stale: {stale:?}; run `BARTIZAN_BLESS=1 cargo test --test rule_docs`"
    );
}

#[test]
fn the_defaults_page_is_current() {
    let path = common::root().join("docs/defaults.md");
    let page = docs::defaults_page();
    if std::env::var_os("BARTIZAN_BLESS").is_some() {
        std::fs::write(&path, &page).unwrap();
    }
    assert!(
        std::fs::read_to_string(&path).ok().as_deref() == Some(page.as_str()),
        "docs/defaults.md is stale; run `BARTIZAN_BLESS=1 cargo test --test rule_docs`"
    );
}

#[test]
fn every_page_names_its_references_with_catalog_titles() {
    for rule in ALL {
        let page = &expected_pages()[&format!("{}.md", rule.id)];
        for reference in rule.references {
            assert!(
                page.contains(&reference.id()),
                "{}: {}",
                rule.id,
                reference.id()
            );
            assert!(
                page.contains(&reference.title()),
                "{}: {}",
                rule.id,
                reference.title()
            );
        }
        assert!(page.contains(rule.remediation));
    }
}
