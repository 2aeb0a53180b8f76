//! Markdown: a report to paste into a pull request, a wiki or a ticket.

use super::{CheckRun, path_line};
use crate::findings::Severity;

fn escape(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

pub fn render(run: &CheckRun) -> String {
    let model = run.model;
    let mut out = format!("# Bartizan findings: {}\n\n", escape(&model.metadata.name));
    out.push_str(&format!("- Model: `{}`", run.model_path));
    if let Some(revision) = &model.metadata.revision {
        out.push_str(&format!(" (revision {revision})"));
    }
    out.push_str(&format!(
        "\n- Content hash: `{}`\n- Bartizan {} · {} checks · {} nodes · {} edges\n\n",
        run.content_hash,
        env!("CARGO_PKG_VERSION"),
        crate::rules::ALL.len(),
        model.nodes.len(),
        model.edges.len()
    ));
    let counts = run.count_by_severity();
    out.push_str("| severity | findings |\n|---|---|\n");
    for severity in Severity::ALL {
        out.push_str(&format!(
            "| {severity} | {} |\n",
            counts.get(severity).copied().unwrap_or(0)
        ));
    }
    out.push('\n');
    if run.findings.is_empty() {
        out.push_str("No findings.\n");
        return out;
    }
    out.push_str("| severity | check | finding | status |\n|---|---|---|---|\n");
    for finding in &run.findings {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            finding.severity,
            finding.rule,
            escape(&finding.title),
            finding.status()
        ));
    }
    out.push('\n');
    for finding in &run.findings {
        let rule = run.rule(finding);
        out.push_str(&format!(
            "## {} · {}\n\n",
            finding.rule,
            escape(&finding.title)
        ));
        out.push_str(&format!(
            "**{}** — {}  \n",
            finding.severity,
            super::text::severity_explanation(finding)
        ));
        if let Some(location) = run.location(finding) {
            out.push_str(&format!(
                "Defined at `{}:{}`  \n",
                run.model_path, location.line
            ));
        }
        out.push_str(&format!("Fingerprint `{}`\n\n", finding.fingerprint));
        out.push_str(&format!("**Path:** `{}`", path_line(finding)));
        if finding.other_paths > 0 {
            out.push_str(&format!(" ({} other shortest paths)", finding.other_paths));
        }
        out.push_str("\n\n");
        for fact in &finding.evidence {
            out.push_str(&format!("- {}\n", escape(fact)));
        }
        if !finding.evidence.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!("**Why it matters.** {}\n\n", rule.rationale));
        out.push_str(&format!("**Fix.** {}\n\n", rule.remediation));
        let references: Vec<String> = rule.references.iter().map(|r| r.label()).collect();
        out.push_str(&format!("**References.** {}\n\n", references.join("; ")));
        if let Some(triage) = &finding.triage {
            out.push_str(&format!("**Triage.** {}", triage.status));
            if let Some(justification) = &triage.justification {
                out.push_str(&format!(": {}", escape(justification)));
            }
            if let Some(by) = &triage.by {
                out.push_str(&format!(" ({by}"));
                if let Some(at) = &triage.at {
                    out.push_str(&format!(", {at}"));
                }
                out.push(')');
            }
            out.push_str("\n\n");
        }
    }
    if !run.stale.is_empty() {
        out.push_str("## Stale triage decisions\n\n");
        for stale in &run.stale {
            out.push_str(&format!(
                "- `{}` ({}) matches no finding any more\n",
                stale.fingerprint, stale.status
            ));
        }
    }
    out
}
