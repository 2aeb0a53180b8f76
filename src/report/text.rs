//! The terminal report, in the manner of a linter: each risk with where its fix belongs, the
//! checks that show it, its paths, the fix and its status; then the open questions; then one
//! summary line whose counts are those of the list.

use anstyle::{AnsiColor, Style};

use super::CheckRun;
use crate::findings::{Assumption, Severity};
use crate::graph::ModelGraph;
use crate::risks::{Question, Risk};

/// Model text as the terminal should show it: a control character (which a model may hold,
/// written as an escape in a quoted string) is shown as its escape, never sent to the terminal.
fn terminal_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

fn severity_style(severity: Severity) -> Style {
    let color = match severity {
        Severity::Critical => AnsiColor::Magenta,
        Severity::High => AnsiColor::Red,
        Severity::Medium => AnsiColor::Yellow,
        Severity::Low => AnsiColor::Cyan,
        Severity::Info => AnsiColor::White,
    };
    Style::new().bold().fg_color(Some(color.into()))
}

/// "autonomy of Research agent, read as supervised: neither raises nor lowers severity".
pub(super) fn assumption_text(run: &CheckRun, assumption: &Assumption) -> String {
    format!(
        "{} of {}, read as {}",
        assumption.property,
        run.name_of(&assumption.element),
        assumption.reading
    )
}

/// "4 paths; shortest:" or "1 path:", before the paths shown.
pub(super) fn paths_heading(risk: &Risk) -> String {
    let shown = risk.paths.len();
    match risk.priority.paths {
        1 => "1 path:".to_owned(),
        n if n == shown as u64 => format!("{n} paths:"),
        n if shown == 1 => format!("{n} paths; shortest:"),
        n => format!("{n} paths; the {shown} shortest:"),
    }
}

/// "  [accepted: why]", "  [in baseline]" or nothing, after the fingerprint.
fn status_note(risk: &Risk) -> String {
    if let Some(triage) = &risk.triage {
        let mut note = format!("  [{}", triage.status);
        if let Some(justification) = &triage.justification {
            note.push_str(&format!(": {}", terminal_safe(justification)));
        }
        note.push(']');
        note
    } else if risk.baselined {
        "  [in baseline]".to_owned()
    } else {
        String::new()
    }
}

pub fn render(run: &CheckRun, color: bool) -> String {
    let paint = |style: Style, text: &str| {
        if color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_owned()
        }
    };
    let graph = ModelGraph::new(run.model);
    let mut out = String::new();
    for risk in &run.risks {
        render_risk(run, &graph, risk, &paint, &mut out);
    }
    if !run.questions.is_empty() {
        out.push_str(&format!(
            "{}\n",
            paint(
                Style::new().bold(),
                &format!("Open questions ({})", run.questions.len())
            )
        ));
        for question in &run.questions {
            render_question(run, question, &paint, &mut out);
        }
        out.push('\n');
    }
    for stale in &run.stale {
        let hint = if stale.fingerprint.starts_with("BTZ-RISK-") {
            ""
        } else {
            " (a finding's fingerprint: decisions now apply to risks)"
        };
        out.push_str(&format!(
            "{}: the triage decision `{}` ({}) matches no risk any more{hint}; remove it or re-examine it\n",
            paint(severity_style(Severity::Medium), "stale triage"),
            terminal_safe(&stale.fingerprint),
            stale.status
        ));
    }
    if !run.stale.is_empty() {
        out.push('\n');
    }
    out.push_str(&summary_line(run, &paint));
    out
}

fn render_risk(
    run: &CheckRun,
    graph: &ModelGraph,
    risk: &Risk,
    paint: &dyn Fn(Style, &str) -> String,
    out: &mut String,
) {
    let dim = Style::new().dimmed();
    out.push_str(&format!(
        "{} {}\n",
        paint(
            severity_style(risk.severity),
            &format!("{:<8}", risk.severity.as_str())
        ),
        paint(Style::new().bold(), &terminal_safe(&risk.title))
    ));
    let place = match run.place_location(risk) {
        Some(l) => format!("{}:{}:{}", run.model_path, l.line, l.column),
        None => run.model_path.clone(),
    };
    out.push_str(&format!(
        "  {} {place}  {}\n",
        paint(dim, "-->"),
        paint(dim, &format!("({}, {})", risk.place, risk.kind.label()))
    ));
    let bar = paint(dim, "  |");
    // Continuation lines align under the first value.
    let indent = format!("{bar}           ");
    if let Some(why) = &risk.critical {
        out.push_str(&format!("{bar} critical: {}\n", terminal_safe(why)));
    }
    let mut shown: Vec<(&str, String)> = Vec::new();
    for facet in &risk.facets {
        let title = terminal_safe(&crate::risks::named(graph, &facet.title));
        if shown
            .iter()
            .any(|(rule, t)| *rule == facet.rule && *t == title)
        {
            continue;
        }
        let rule = run.rule(facet);
        let lower = if facet.severity < risk.severity {
            format!(" ({})", facet.severity)
        } else {
            String::new()
        };
        let label = if shown.is_empty() {
            "checks:  "
        } else {
            "         "
        };
        out.push_str(&format!(
            "{bar} {label} {} {}{lower}: {title}\n",
            facet.rule, rule.title
        ));
        shown.push((facet.rule, title));
    }
    for (index, path) in risk.paths.iter().enumerate() {
        if index == 0 {
            out.push_str(&format!(
                "{bar} paths:    {} {}\n",
                paths_heading(risk),
                terminal_safe(&run.path_line(path))
            ));
        } else {
            out.push_str(&format!(
                "{indent}{}\n",
                terminal_safe(&run.path_line(path))
            ));
        }
    }
    for (index, assumption) in risk.assumed.iter().enumerate() {
        let label = if index == 0 { "assumes: " } else { "         " };
        out.push_str(&format!(
            "{bar} {label} {}\n",
            terminal_safe(&assumption_text(run, assumption))
        ));
    }
    out.push_str(&format!(
        "{bar} fix:      {}\n",
        terminal_safe(&risk.remediation)
    ));
    let references = super::reference_ids(risk);
    out.push_str(&format!("{bar} refs:     {}\n", references.join(", ")));
    out.push_str(&format!(
        "{bar} id:       {}{}\n\n",
        risk.fingerprint,
        status_note(risk)
    ));
}

fn render_question(
    run: &CheckRun,
    question: &Question,
    paint: &dyn Fn(Style, &str) -> String,
    out: &mut String,
) {
    let dim = Style::new().dimmed();
    let place = match run.question_location(question) {
        Some(l) => format!("{}:{}:{}", run.model_path, l.line, l.column),
        None => run.model_path.clone(),
    };
    out.push_str(&format!(
        "  ? {}  {}\n",
        terminal_safe(&question.text),
        paint(dim, &format!("({place})"))
    ));
    out.push_str(&format!("      read as:  {}\n", question.reading));
    for (index, pending) in question.pending.iter().enumerate() {
        let label = if index == 0 { "decides:" } else { "        " };
        out.push_str(&format!(
            "      {label}  {} {}\n",
            pending.rule,
            terminal_safe(&pending.title)
        ));
    }
}

fn summary_line(run: &CheckRun, paint: &dyn Fn(Style, &str) -> String) -> String {
    let questions = match run.questions.len() {
        0 => String::new(),
        1 => "; 1 open question".to_owned(),
        n => format!("; {n} open questions"),
    };
    if run.risks.is_empty() {
        return format!(
            "{}: {} no risks ({} checks on {} nodes, {} edges){questions}\n",
            run.model_path,
            paint(
                Style::new().bold().fg_color(Some(AnsiColor::Green.into())),
                "✓"
            ),
            crate::rules::ALL.len(),
            run.model.nodes.len(),
            run.model.edges.len()
        );
    }
    let counts = run.count_by_severity();
    let parts: Vec<String> = Severity::ALL
        .iter()
        .filter_map(|s| {
            counts
                .get(s)
                .map(|n| paint(severity_style(*s), &format!("{n} {s}")))
        })
        .collect();
    let statuses: Vec<String> = run
        .count_by_status()
        .iter()
        .map(|(status, n)| format!("{n} {status}"))
        .collect();
    let mut line = format!(
        "{}: {} risk{} ({}); {}",
        run.model_path,
        run.risks.len(),
        if run.risks.len() == 1 { "" } else { "s" },
        parts.join(", "),
        statuses.join(", ")
    );
    if run.baseline_in_use {
        let baselined = run.risks.iter().filter(|r| r.baselined).count();
        line.push_str(&format!("; {baselined} in the baseline"));
    }
    line.push_str(&questions);
    line.push('\n');
    line
}
