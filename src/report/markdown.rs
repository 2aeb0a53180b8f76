//! Markdown: a report to paste into a pull request, a wiki or a ticket. A table of the risks,
//! a section per risk (its checks, paths, fix and triage), then the open questions.

use super::CheckRun;
use super::text::{assumption_text, paths_heading};
use crate::findings::Severity;
use crate::graph::ModelGraph;
use crate::risks::{Question, Risk};

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
    let mut out = format!("# Bartizan risks: {}\n\n", escape(&model.metadata.name));
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
    out.push_str("| severity | risks |\n|---|---|\n");
    for severity in Severity::ALL {
        out.push_str(&format!(
            "| {severity} | {} |\n",
            counts.get(severity).copied().unwrap_or(0)
        ));
    }
    out.push_str(&format!("| **total** | **{}** |\n\n", run.risks.len()));
    let statuses: Vec<String> = run
        .count_by_status()
        .iter()
        .map(|(status, n)| format!("{n} {status}"))
        .collect();
    let questions = match run.questions.len() {
        1 => "1 open question".to_owned(),
        n => format!("{n} open questions"),
    };
    if run.risks.is_empty() {
        out.push_str(&format!("No risks; {questions}.\n\n"));
    } else {
        out.push_str(&format!(
            "Status: {}; {questions}.\n\n",
            statuses.join(", ")
        ));
        render_risks(run, &mut out);
    }
    render_questions(run, &mut out);
    if !run.stale.is_empty() {
        out.push_str("## Stale triage decisions\n\n");
        for stale in &run.stale {
            out.push_str(&format!(
                "- {} ({}) matches no risk any more\n",
                code_span(&stale.fingerprint, false),
                stale.status
            ));
        }
    }
    out
}

fn render_risks(run: &CheckRun, out: &mut String) {
    let graph = ModelGraph::new(run.model);
    out.push_str("## Risks\n\n");
    out.push_str("| # | severity | risk | place | checks | paths | status |\n");
    out.push_str("|---|---|---|---|---|---|---|\n");
    for (index, risk) in run.risks.iter().enumerate() {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            index + 1,
            risk.severity,
            escape_cell(&risk.title),
            code_span(&risk.place, true),
            risk.rules().join(", "),
            risk.priority.paths,
            status_text(risk)
        ));
    }
    out.push('\n');
    for (index, risk) in run.risks.iter().enumerate() {
        render_risk(run, &graph, index + 1, risk, out);
    }
}

fn status_text(risk: &Risk) -> String {
    if risk.baselined && risk.triage.is_none() {
        "in baseline".to_owned()
    } else {
        risk.status().to_string()
    }
}

fn render_risk(run: &CheckRun, graph: &ModelGraph, number: usize, risk: &Risk, out: &mut String) {
    out.push_str(&format!("### {number}. {}\n\n", escape(&risk.title)));
    out.push_str(&format!(
        "**{}** · {} · at {}",
        risk.severity,
        risk.kind.label(),
        code_span(&risk.place, false)
    ));
    if let Some(location) = run.place_location(risk) {
        out.push_str(&format!(
            " ({})",
            code_span(&format!("{}:{}", run.model_path, location.line), false)
        ));
    }
    out.push_str(&format!(" · `{}`\n\n", risk.fingerprint));
    if let Some(why) = &risk.critical {
        out.push_str(&format!("**Why critical.** {}\n\n", escape(why)));
    }
    out.push_str("**Checks.**\n\n");
    let mut shown: Vec<(&str, String)> = Vec::new();
    for facet in &risk.facets {
        let title = crate::risks::named(graph, &facet.title);
        if shown
            .iter()
            .any(|(rule, t)| *rule == facet.rule && *t == title)
        {
            continue;
        }
        let severity = if facet.severity < risk.severity {
            format!(" ({})", facet.severity)
        } else {
            String::new()
        };
        out.push_str(&format!(
            "- {} {}{severity}: {}\n",
            facet.rule,
            run.rule(facet).title,
            escape(&title)
        ));
        shown.push((facet.rule, title));
    }
    out.push('\n');
    if !risk.paths.is_empty() {
        out.push_str(&format!("**Paths.** {}\n\n", paths_heading(risk)));
        for path in &risk.paths {
            out.push_str(&format!("- {}\n", escape(&run.path_line(path))));
        }
        out.push('\n');
    }
    if !risk.assumed.is_empty() {
        out.push_str("**Assumes.**\n\n");
        for assumption in &risk.assumed {
            out.push_str(&format!(
                "- {}\n",
                escape(&assumption_text(run, assumption))
            ));
        }
        out.push('\n');
    }
    out.push_str(&format!("**Fix.** {}\n\n", escape(&risk.remediation)));
    out.push_str(&format!(
        "**References.** {}\n\n",
        super::reference_ids(risk).join(", ")
    ));
    if let Some(triage) = &risk.triage {
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
    } else if risk.baselined {
        out.push_str("**Baseline.** In the baseline.\n\n");
    }
}

fn render_questions(run: &CheckRun, out: &mut String) {
    if run.questions.is_empty() {
        return;
    }
    out.push_str(&format!("## Open questions ({})\n\n", run.questions.len()));
    for question in &run.questions {
        render_question(run, question, out);
    }
    out.push('\n');
}

fn render_question(run: &CheckRun, question: &Question, out: &mut String) {
    out.push_str(&format!("- **{}**", escape(&question.text)));
    if let Some(location) = run.question_location(question) {
        out.push_str(&format!(
            " ({})",
            code_span(&format!("{}:{}", run.model_path, location.line), false)
        ));
    }
    out.push_str(&format!(
        "  \n  Until answered, read as: {}.",
        escape(question.reading)
    ));
    if !question.pending.is_empty() {
        let pending: Vec<String> = question
            .pending
            .iter()
            .map(|p| format!("{} {}", p.rule, escape(&p.title)))
            .collect();
        out.push_str(&format!(
            "  \n  The answer decides: {}.",
            pending.join("; ")
        ));
    }
    out.push('\n');
}
