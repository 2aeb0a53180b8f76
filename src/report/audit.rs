//! The audit log of triage decisions as text (terminal), CSV (RFC 4180, for spreadsheets) and
//! JSON, oldest entry first.

use serde_json::{Value, json};

use super::csv::field;
use crate::history::{AuditEntry, format_utc};
use crate::model::TriageStatus;

/// The version of the audit log JSON document.
pub const AUDIT_JSON_VERSION: u32 = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditFormat {
    Text,
    Csv,
    Json,
}

/// Renders audit entries as listed by `Workspace::audit_log`.
pub fn render_audit(entries: &[AuditEntry], format: AuditFormat) -> String {
    match format {
        AuditFormat::Text => text(entries),
        AuditFormat::Csv => csv(entries),
        AuditFormat::Json => json(entries),
    }
}

/// `accepted`, or `(no decision)` when there was none.
pub fn status_text(status: Option<TriageStatus>) -> &'static str {
    status.map_or("(no decision)", TriageStatus::as_str)
}

fn text(entries: &[AuditEntry]) -> String {
    if entries.is_empty() {
        return "The audit log is empty.\n".into();
    }
    let mut out = String::new();
    for entry in entries {
        out.push_str(&format!(
            "#{}  {}  {} → {}\n",
            entry.id,
            entry.fingerprint,
            status_text(entry.old_status),
            status_text(entry.new_status)
        ));
        out.push_str(&format!("  | decided:       {}, {}\n", entry.by, entry.at));
        if let Some(justification) = &entry.justification {
            out.push_str(&format!("  | justification: {justification}\n"));
        }
        out.push_str(&format!(
            "  | recorded:      revision {} of {}, {} by {}\n\n",
            entry.revision,
            entry.model,
            format_utc(entry.recorded_at),
            entry.recorded_by
        ));
    }
    out
}

const HEADER: &[&str] = &[
    "id",
    "model",
    "revision",
    "fingerprint",
    "rule",
    "old_status",
    "new_status",
    "justification",
    "by",
    "at",
    "recorded_at",
    "recorded_by",
];

fn csv(entries: &[AuditEntry]) -> String {
    let mut out = HEADER.join(",");
    out.push_str("\r\n");
    for entry in entries {
        let status = |s: Option<TriageStatus>| s.map_or("", TriageStatus::as_str).to_owned();
        let row = [
            entry.id.to_string(),
            entry.model.clone(),
            entry.revision.to_string(),
            entry.fingerprint.clone(),
            entry.rule.clone().unwrap_or_default(),
            status(entry.old_status),
            status(entry.new_status),
            entry.justification.clone().unwrap_or_default(),
            entry.by.clone(),
            entry.at.clone(),
            format_utc(entry.recorded_at),
            entry.recorded_by.clone(),
        ];
        let fields: Vec<String> = row.iter().map(|text| field(text)).collect();
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

fn json(entries: &[AuditEntry]) -> String {
    let entries: Vec<Value> = entries
        .iter()
        .map(|entry| {
            let mut value = serde_json::to_value(entry).expect("an audit entry serialises");
            if let Value::Object(map) = &mut value {
                map.insert(
                    "recorded".into(),
                    Value::from(format_utc(entry.recorded_at)),
                );
            }
            value
        })
        .collect();
    let document = json!({ "version": AUDIT_JSON_VERSION, "entries": entries });
    let mut text = serde_json::to_string_pretty(&document).expect("JSON serialises");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> AuditEntry {
        AuditEntry {
            id: 7,
            model: "/work/models/shop.bartizan.yaml".into(),
            revision: 3,
            fingerprint: "BTZ-AUT-002:9b64a785ea815294".into(),
            rule: Some("BTZ-AUT-002".into()),
            old_status: None,
            new_status: Some(TriageStatus::Accepted),
            justification: Some("Limits, \"hard\" ones".into()),
            by: "risk-board".into(),
            at: "2026-11-20".into(),
            recorded_at: 1_795_624_807,
            recorded_by: "ana".into(),
        }
    }

    #[test]
    fn csv_quotes_and_leaves_no_decision_empty() {
        let text = render_audit(&[entry()], AuditFormat::Csv);
        assert_eq!(
            text,
            "id,model,revision,fingerprint,rule,old_status,new_status,justification,by,at,recorded_at,recorded_by\r\n\
             7,/work/models/shop.bartizan.yaml,3,BTZ-AUT-002:9b64a785ea815294,BTZ-AUT-002,,accepted,\"Limits, \"\"hard\"\" ones\",risk-board,2026-11-20,2026-11-25T16:40:07Z,ana\r\n"
        );
    }

    #[test]
    fn text_and_json_show_old_and_new_status() {
        let text = render_audit(&[entry()], AuditFormat::Text);
        assert!(
            text.starts_with("#7  BTZ-AUT-002:9b64a785ea815294  (no decision) → accepted\n"),
            "{text}"
        );
        let json: Value =
            serde_json::from_str(&render_audit(&[entry()], AuditFormat::Json)).unwrap();
        assert_eq!(json["entries"][0]["old_status"], Value::Null);
        assert_eq!(json["entries"][0]["new_status"], "accepted");
        assert_eq!(json["entries"][0]["recorded"], "2026-11-25T16:40:07Z");
    }
}
