//! The terminal report, in the manner of a linter: what, where, the path, why, the fix.

use anstyle::{AnsiColor, Style};

use super::{CheckRun, path_line};
use crate::findings::{Finding, Severity};

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

/// "high, raised to critical by action impact (allows admin)".
pub fn severity_explanation(finding: &Finding) -> String {
    let effective: Vec<String> = finding
        .factors
        .iter()
        .filter(|f| f.effect != 0)
        .map(|f| {
            let verb = if f.effect > 0 { "+" } else { "−" };
            format!("{verb}{} ({})", f.kind.label(), f.detail)
        })
        .collect();
    if effective.is_empty() {
        return format!("{} (the check's default)", finding.severity);
    }
    if finding.severity == finding.default_severity {
        return format!(
            "{} (the check's default; also weighed: {})",
            finding.severity,
            effective.join(", ")
        );
    }
    format!(
        "{} from {}: {}",
        finding.severity,
        finding.default_severity,
        effective.join(", ")
    )
}

/// The first sentence of a remediation, for one-line display.
fn first_sentence(text: &str) -> &str {
    match text.find(". ") {
        Some(end) => &text[..=end],
        None => text,
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
    let dim = Style::new().dimmed();
    let bold = Style::new().bold();
    let mut out = String::new();
    for finding in &run.findings {
        let rule = run.rule(finding);
        out.push_str(&format!(
            "{} {}  {}\n",
            paint(
                severity_style(finding.severity),
                &format!("{:<8}", finding.severity.as_str())
            ),
            paint(bold, finding.rule),
            finding.title
        ));
        let place = match run.location(finding) {
            Some(l) => format!("{}:{}:{}", run.model_path, l.line, l.column),
            None => run.model_path.clone(),
        };
        out.push_str(&format!("  {} {place}\n", paint(dim, "-->")));
        let bar = paint(dim, "  |");
        out.push_str(&format!("{bar} path:     {}\n", path_line(finding)));
        if finding.other_paths > 0 {
            out.push_str(&format!(
                "{bar}           ({} other shortest path{})\n",
                finding.other_paths,
                if finding.other_paths == 1 { "" } else { "s" }
            ));
        }
        for fact in &finding.evidence {
            out.push_str(&format!("{bar} evidence: {fact}\n"));
        }
        out.push_str(&format!(
            "{bar} severity: {}\n",
            severity_explanation(finding)
        ));
        out.push_str(&format!(
            "{bar} fix:      {}\n",
            first_sentence(rule.remediation)
        ));
        let references: Vec<String> = rule.references.iter().map(|r| r.id()).collect();
        out.push_str(&format!("{bar} refs:     {}\n", references.join(", ")));
        let mut status = String::new();
        if let Some(triage) = &finding.triage {
            status = format!("  [{}", triage.status);
            if let Some(justification) = &triage.justification {
                status.push_str(&format!(": {justification}"));
            }
            status.push(']');
        } else if finding.baselined {
            status = "  [in baseline]".into();
        }
        out.push_str(&format!(
            "{bar} id:       {}{status}\n\n",
            finding.fingerprint
        ));
    }
    for stale in &run.stale {
        out.push_str(&format!(
            "{}: the triage decision `{}` ({}) matches no finding any more; remove it or re-examine it\n",
            paint(severity_style(Severity::Medium), "stale triage"),
            stale.fingerprint,
            stale.status
        ));
    }
    if !run.stale.is_empty() {
        out.push('\n');
    }
    out.push_str(&summary_line(run, &paint));
    out
}

fn summary_line(run: &CheckRun, paint: &dyn Fn(Style, &str) -> String) -> String {
    if run.findings.is_empty() {
        return format!(
            "{}: {} no findings ({} checks on {} nodes, {} edges)\n",
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
    let baselined = run.findings.iter().filter(|f| f.baselined).count();
    let mut line = format!(
        "{}: {} finding{} ({}); {}",
        run.model_path,
        run.findings.len(),
        if run.findings.len() == 1 { "" } else { "s" },
        parts.join(", "),
        statuses.join(", ")
    );
    if run.baseline_in_use {
        line.push_str(&format!("; {baselined} in the baseline"));
    }
    line.push('\n');
    line
}
