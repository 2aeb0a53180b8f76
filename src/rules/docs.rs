//! The reference pages of the checks, rendered from their metadata and their trigger
//! fixture (`docs/rules/`; a test fails when the checked-in pages are stale).

use super::{ALL, Rule};
use crate::findings::Finding;
use crate::graph::ModelGraph;
use crate::syntax::{Format, Limits, parse_model};

/// What `rule` reports on an example model.
fn findings_on(rule: &Rule, example: &str) -> Vec<Finding> {
    let parsed = parse_model(example, Format::Yaml, &Limits::default());
    let Some(model) = parsed.valid_model() else {
        return Vec::new();
    };
    let graph = ModelGraph::new(model);
    let context = super::CheckContext::new(&graph);
    let mut findings = (rule.check)(&context);
    crate::findings::sort(&mut findings);
    findings
}

/// The page of one check, as Markdown. `example` is the model that triggers it.
pub fn rule_page(rule: &Rule, example: &str) -> String {
    let mut page = String::new();
    page.push_str(&format!("# {} — {}\n\n", rule.id, rule.title));
    page.push_str(&format!(
        "`{}` · area: {} · default severity: **{}** · version {}\n\n",
        rule.slug,
        rule.area.label(),
        rule.default_severity,
        rule.version
    ));
    page.push_str(&format!(
        "Contributes to: **{}** risks, one per {} ([risks and severity](../severity.md)). \
         A finding that holds only because a property is unstated is asked as an open question \
         instead ([default readings](../defaults.md)).\n\n",
        rule.risk.label(),
        rule.risk.place_label()
    ));
    page.push_str(&format!("## What it finds\n\n{}\n\n", rule.summary));
    page.push_str(&format!("## Why it matters\n\n{}\n\n", rule.rationale));
    page.push_str(&format!("## How to fix it\n\n{}\n\n", rule.remediation));
    page.push_str("## Example\n\nA model that triggers the check:\n\n```yaml\n");
    page.push_str(example);
    if !example.ends_with('\n') {
        page.push('\n');
    }
    page.push_str("```\n\n");
    let reported = findings_on(rule, example);
    if !reported.is_empty() {
        page.push_str("Bartizan reports:\n\n```text\n");
        for finding in &reported {
            let verdict = if finding.is_stated() {
                finding.severity.as_str()
            } else {
                "question"
            };
            page.push_str(&format!(
                "{} {}  {}\n",
                verdict, finding.rule, finding.title
            ));
            page.push_str(&format!(
                "  path: {}\n",
                crate::report::path_line(&finding.path)
            ));
        }
        page.push_str("```\n\n");
    }
    page.push_str("## References\n\n");
    for reference in rule.references {
        page.push_str(&format!(
            "- {}: **{}** {}\n",
            reference.framework().short(),
            reference.id(),
            reference.title()
        ));
    }
    page
}

/// The index page listing every check.
pub fn index_page() -> String {
    let mut page = String::from(
        "# Checks\n\nEvery check Bartizan runs, generated from the checks' metadata \
         (`cargo test --test rule_docs` fails when these pages are stale; \
         `BARTIZAN_BLESS=1 cargo test --test rule_docs` rewrites them).\n\n\
         | id | check | area | contributes to | default severity |\n|---|---|---|---|---|\n",
    );
    for rule in ALL {
        page.push_str(&format!(
            "| [{}]({}.md) | {} | {} | {} | {} |\n",
            rule.id,
            rule.id,
            rule.title,
            rule.area.label(),
            rule.risk.label(),
            rule.default_severity
        ));
    }
    page
}

/// `docs/defaults.md`: how every optional property is read when a model leaves it unstated,
/// and the question it raises.
pub fn defaults_page() -> String {
    let mut page = String::from(
        "# Default readings of unstated properties\n\n\
         Generated from `PROPERTY_DEFAULTS` in `src/risks/questions.rs` (`cargo test --test \
         rule_docs` fails when this page is stale; `BARTIZAN_BLESS=1 cargo test --test rule_docs` \
         rewrites it).\n\n\
         A property a model leaves unstated never raises a risk by itself. Where a check reads \
         it, Bartizan asks an open question (listed in every output, and in the app as a \
         workshop checklist answered by editing the property). A finding that holds only under \
         the cautious reading waits on that question instead of being reported; a risk that \
         holds anyway but leans on an unstated property is marked *assumed*, and an unknown \
         never raises its severity.\n\n",
    );
    page.push_str(&crate::risks::defaults_markdown());
    page
}

/// The whole catalog in one Markdown document (`bartizan rules --format md`).
pub fn catalog_markdown() -> String {
    let mut text = String::from("# Bartizan checks\n\n");
    for rule in ALL {
        text.push_str(&format!("## {} — {}\n\n", rule.id, rule.title));
        text.push_str(&format!(
            "`{}` · {} · default severity **{}**\n\n{}\n\n**Why it matters.** {}\n\n**Fix.** {}\n\n**References.**\n\n",
            rule.slug,
            rule.area.label(),
            rule.default_severity,
            rule.summary,
            rule.rationale,
            rule.remediation
        ));
        for reference in rule.references {
            text.push_str(&format!(
                "- {}: {}\n",
                reference.framework().short(),
                reference.label()
            ));
        }
        text.push('\n');
    }
    text
}
