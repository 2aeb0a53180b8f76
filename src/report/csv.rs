//! CSV for spreadsheets and ticket imports (RFC 4180 quoting): one row per risk, then one row
//! per open question, told apart by the `type` column (columns in `docs/reports.md`).

use super::CheckRun;
use super::text::assumption_text;

const HEADER: &[&str] = &[
    "type",
    "fingerprint",
    "severity",
    "kind",
    "place",
    "place_name",
    "title",
    "facets",
    "paths",
    "status",
    "justification",
    "references",
    "line",
    "assumes",
    "decides",
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
    let mut push_row = |row: [String; 15]| {
        let cells: Vec<String> = row.iter().map(|cell| field(cell)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    };
    for risk in &run.risks {
        let references = super::reference_ids(risk);
        let assumes: Vec<String> = risk
            .assumed
            .iter()
            .map(|a| assumption_text(run, a))
            .collect();
        push_row([
            "risk".to_owned(),
            risk.fingerprint.clone(),
            risk.severity.to_string(),
            kind_name(risk.kind),
            risk.place.clone(),
            risk.place_name.clone(),
            risk.title.clone(),
            risk.rules().join(";"),
            risk.priority.paths.to_string(),
            risk.status().to_string(),
            risk.triage
                .as_ref()
                .and_then(|t| t.justification.clone())
                .unwrap_or_default(),
            references.join("; "),
            line(run.place_location(risk)),
            assumes.join("; "),
            String::new(),
        ]);
    }
    for question in &run.questions {
        let decides: Vec<String> = question
            .pending
            .iter()
            .map(|p| format!("{} {}", p.rule, p.title))
            .collect();
        push_row([
            "question".to_owned(),
            question.id.clone(),
            String::new(),
            question.property.to_owned(),
            question.element.clone(),
            question.element_name.clone(),
            question.text.clone(),
            question.rules.join(";"),
            String::new(),
            "open".to_owned(),
            String::new(),
            String::new(),
            line(run.question_location(question)),
            question.reading.to_owned(),
            decides.join("; "),
        ]);
    }
    out
}

fn line(location: Option<crate::diagnostic::Location>) -> String {
    location.map(|l| l.line.to_string()).unwrap_or_default()
}

/// The kind as in the JSON report: `ungated_actions`, `credential` …
fn kind_name(kind: crate::risks::RiskKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .expect("a risk kind serialises as a string")
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
