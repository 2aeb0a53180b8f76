//! CSV: one row per finding, for spreadsheets and ticket imports (RFC 4180 quoting).

use super::{CheckRun, path_line};

const HEADER: &[&str] = &[
    "fingerprint",
    "rule",
    "rule_title",
    "severity",
    "default_severity",
    "status",
    "title",
    "subjects",
    "path",
    "other_paths",
    "line",
    "references",
    "justification",
];

pub(super) fn field(text: &str) -> String {
    // A leading =, +, - or @ would be read as a formula by spreadsheet programs.
    let text = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

pub fn render(run: &CheckRun) -> String {
    let mut out = HEADER.join(",");
    out.push_str("\r\n");
    for finding in &run.findings {
        let rule = run.rule(finding);
        let references: Vec<String> = rule.references.iter().map(|r| r.id()).collect();
        let row = [
            finding.fingerprint.clone(),
            finding.rule.to_owned(),
            rule.title.to_owned(),
            finding.severity.to_string(),
            finding.default_severity.to_string(),
            finding.status().to_string(),
            finding.title.clone(),
            finding.subjects.join(" "),
            path_line(finding),
            finding.other_paths.to_string(),
            run.location(finding)
                .map(|l| l.line.to_string())
                .unwrap_or_default(),
            references.join("; "),
            finding
                .triage
                .as_ref()
                .and_then(|t| t.justification.clone())
                .unwrap_or_default(),
        ];
        let cells: Vec<String> = row.iter().map(|cell| field(cell)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn quotes_and_defuses_formulas() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a, b"), "\"a, b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=cmd()"), "'=cmd()");
    }
}
