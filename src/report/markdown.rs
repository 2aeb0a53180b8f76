//! Markdown: a report to paste into a pull request, a wiki or a ticket.

use super::{CheckRun, path_line};
use crate::findings::Severity;

/// Text from the model (names, descriptions, justifications, and titles and evidence that quote
/// them) as inline Markdown that shows exactly that text: no HTML, no link, no emphasis, no
/// heading or list, whatever it holds. The checks quote ids in backticks: those spans stay code
/// spans, with a fence no backtick inside can close. `in_table` escapes pipes in code spans
/// too, as GitHub's tables need.
fn escape_in(text: &str, in_table: bool) -> String {
    let text = text.replace(['\r', '\n'], " ");
    let parts: Vec<&str> = text.split('`').collect();
    let mut out = String::with_capacity(text.len());
    for (index, part) in parts.iter().enumerate() {
        // Odd parts follow an opening backtick; they are code when a closing one follows.
        let after_backtick = index % 2 == 1;
        if after_backtick && index + 1 < parts.len() {
            out.push_str(&code_span(part, in_table));
        } else {
            if after_backtick {
                out.push_str("\\`");
            }
            escape_plain(part, &mut out);
        }
    }
    out
}

fn escape(text: &str) -> String {
    escape_in(text, false)
}

fn escape_cell(text: &str) -> String {
    escape_in(text, true)
}

/// Plain text with every character Markdown or HTML could read as syntax escaped. Dots are
/// left alone except after `www`, which GitHub would otherwise turn into a link.
fn escape_plain(text: &str, out: &mut String) {
    let mut previous: [char; 3] = [' '; 3];
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '#' | '|' | '!' | '~' | '+' | '-'
            | '=' | '{' | '}' | ':' | '@' => {
                out.push('\\');
                out.push(c);
            }
            '.' if previous.iter().all(|p| p.eq_ignore_ascii_case(&'w')) => out.push_str("\\."),
            _ => out.push(c),
        }
        previous = [previous[1], previous[2], c];
    }
}

/// `text` as one code span: literal in Markdown (no HTML, no links), fenced by more backticks
/// than any run inside it.
fn code_span(text: &str, in_table: bool) -> String {
    let text = text.replace(['\r', '\n'], " ");
    let text = if in_table {
        text.replace('|', "\\|")
    } else {
        text
    };
    let longest_run = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    // A span that starts or ends with a backtick, or with a space, needs a space of padding
    // (which Markdown removes) to keep its own.
    let pad = if text.starts_with(['`', ' ']) || text.ends_with(['`', ' ']) {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

pub fn render(run: &CheckRun) -> String {
    let model = run.model;
    let mut out = format!("# Bartizan findings: {}\n\n", escape(&model.metadata.name));
    out.push_str(&format!("- Model: {}", code_span(&run.model_path, false)));
    if let Some(revision) = &model.metadata.revision {
        out.push_str(&format!(" (revision {})", escape(revision)));
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
            escape_cell(&finding.title),
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
                "Defined at {}  \n",
                code_span(&format!("{}:{}", run.model_path, location.line), false)
            ));
        }
        out.push_str(&format!("Fingerprint `{}`\n\n", finding.fingerprint));
        out.push_str(&format!(
            "**Path:** {}",
            code_span(&path_line(finding), false)
        ));
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
                out.push_str(&format!(" ({}", escape(by)));
                if let Some(at) = &triage.at {
                    out.push_str(&format!(", {}", escape(at)));
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
                "- {} ({}) matches no finding any more\n",
                code_span(&stale.fingerprint, false),
                stale.status
            ));
        }
    }
    out
}
