//! A model's recorded history and the difference between two revisions, as text (terminal),
//! JSON and Markdown. Text and Markdown list revisions newest first, JSON oldest first.

use anstyle::{AnsiColor, Style};
use serde::Serialize;
use serde_json::{Value, json};

use crate::history::{
    Diff, ElementDiff, FieldChange, Revision, RiskChange, RiskRecord, format_utc,
};

/// The version of the history and diff JSON documents. Version 2 counts and compares risks
/// (`risks` in a revision and in a diff) where version 1 had findings.
pub const HISTORY_JSON_VERSION: u32 = 2;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HistoryFormat {
    Text,
    Json,
    Markdown,
}

/// Renders the revisions of the model at `model` (the path to show), as listed by
/// `Workspace::history`.
pub fn render_history(model: &str, revisions: &[Revision], format: HistoryFormat) -> String {
    match format {
        HistoryFormat::Text => history_text(model, revisions),
        HistoryFormat::Json => history_json(model, revisions),
        HistoryFormat::Markdown => history_markdown(model, revisions),
    }
}

/// Renders a difference between two revisions; `color` applies to text only.
pub fn render_diff(diff: &Diff, format: HistoryFormat, color: bool) -> String {
    match format {
        HistoryFormat::Text => diff_text(diff, color),
        HistoryFormat::Json => diff_json(diff),
        HistoryFormat::Markdown => diff_markdown(diff),
    }
}

/// `2026-11-25 16:40 UTC`.
fn when(seconds: i64) -> String {
    let stamp = format_utc(seconds);
    format!("{} {} UTC", &stamp[..10], &stamp[11..16])
}

/// `sha256:0123456789ab`: enough of a content hash to tell revisions apart by eye.
fn short_hash(hash: &str) -> &str {
    &hash[..hash.len().min("sha256:".len() + 12)]
}

/// `+1 −2 ~3`.
fn delta(revision: &Revision) -> String {
    format!(
        "+{} −{} ~{}",
        revision.delta.added, revision.delta.resolved, revision.delta.changed
    )
}

fn history_text(model: &str, revisions: &[Revision]) -> String {
    let Some(latest) = revisions.last() else {
        return format!("no revision of {model} is recorded\n");
    };
    let mut out = format!(
        "{} — {model} ({} revision{})\n\n",
        latest.name,
        revisions.len(),
        if revisions.len() == 1 { "" } else { "s" }
    );
    let header = [
        "rev", "recorded", "author", "nodes", "edges", "risks", "crit", "high", "med", "low",
        "info", "open", "change", "content",
    ];
    let rows: Vec<[String; 14]> = revisions
        .iter()
        .rev()
        .map(|r| {
            [
                r.number.to_string(),
                when(r.recorded_at),
                r.author.clone(),
                r.nodes.to_string(),
                r.edges.to_string(),
                r.risks.total().to_string(),
                r.risks.critical.to_string(),
                r.risks.high.to_string(),
                r.risks.medium.to_string(),
                r.risks.low.to_string(),
                r.risks.info.to_string(),
                r.open.to_string(),
                delta(r),
                short_hash(&r.content_hash).to_owned(),
            ]
        })
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    // Text columns to the left, numbers to the right.
    let left = [
        false, true, true, false, false, false, false, false, false, false, false, false, true,
        true,
    ];
    let line = |cells: &[&str]| {
        let mut text = String::new();
        for (index, cell) in cells.iter().enumerate() {
            let pad = widths[index] - cell.chars().count();
            if index > 0 {
                text.push_str("  ");
            }
            if left[index] {
                text.push_str(cell);
                if index + 1 < cells.len() {
                    text.push_str(&" ".repeat(pad));
                }
            } else {
                text.push_str(&" ".repeat(pad));
                text.push_str(cell);
            }
        }
        text.push('\n');
        text
    };
    out.push_str(&line(&header));
    for row in &rows {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        out.push_str(&line(&cells));
    }
    out
}

fn revision_json(revision: &Revision) -> Value {
    let mut value = serde_json::to_value(revision).expect("a revision serialises");
    if let Value::Object(map) = &mut value {
        map.insert(
            "recorded".into(),
            Value::from(format_utc(revision.recorded_at)),
        );
    }
    value
}

fn history_json(model: &str, revisions: &[Revision]) -> String {
    let document = json!({
        "version": HISTORY_JSON_VERSION,
        "model": model,
        "revisions": revisions.iter().map(revision_json).collect::<Vec<_>>(),
    });
    let mut text = serde_json::to_string_pretty(&document).expect("JSON serialises");
    text.push('\n');
    text
}

fn escape(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn history_markdown(model: &str, revisions: &[Revision]) -> String {
    let Some(latest) = revisions.last() else {
        return format!("# History\n\nNo revision of `{model}` is recorded.\n");
    };
    let mut out = format!(
        "# History: {}\n\n- Model: `{model}`\n- Revisions: {}\n\n",
        escape(&latest.name),
        revisions.len()
    );
    out.push_str(
        "| revision | recorded | author | nodes | edges | risks | critical | high | medium \
         | low | info | open | added | resolved | changed | content |\n\
         |---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n",
    );
    for r in revisions.iter().rev() {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | `{}` |\n",
            r.number,
            when(r.recorded_at),
            escape(&r.author),
            r.nodes,
            r.edges,
            r.risks.total(),
            r.risks.critical,
            r.risks.high,
            r.risks.medium,
            r.risks.low,
            r.risks.info,
            r.open,
            r.delta.added,
            r.delta.resolved,
            r.delta.changed,
            short_hash(&r.content_hash)
        ));
    }
    out
}

/// A field's value on one line: strings as they are, anything else as compact JSON, an
/// absent field as `(none)`.
fn value_text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "(none)".into(),
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
    }
}

fn field_text(change: &FieldChange) -> String {
    format!(
        "{}: {} → {}",
        change.field,
        value_text(change.before.as_ref()),
        value_text(change.after.as_ref())
    )
}

/// What changed in a risk that is on both sides: `severity: high → critical`.
fn risk_change_texts(change: &RiskChange) -> Vec<String> {
    let (before, after) = (&change.before, &change.after);
    let optional = |text: &Option<String>| text.clone().unwrap_or_else(|| "(none)".into());
    change
        .fields
        .iter()
        .map(|&field| match field {
            "severity" => format!("severity: {} → {}", before.severity, after.severity),
            "status" => format!("status: {} → {}", before.status, after.status),
            "justification" => format!(
                "justification: {} → {}",
                optional(&before.justification),
                optional(&after.justification)
            ),
            _ => format!("title: {} → {}", before.title, after.title),
        })
        .collect()
}

fn side_text(revision: Option<&Revision>) -> String {
    match revision {
        None => "nothing".into(),
        Some(r) => format!(
            "revision {}, {} by {} ({})",
            r.number,
            when(r.recorded_at),
            r.author,
            short_hash(&r.content_hash)
        ),
    }
}

/// `1 node added, 2 edges removed, metadata changed`, or `no changes`.
fn elements_summary(diff: &Diff) -> String {
    let noun = |kind: &str, count: usize| match (kind, count) {
        ("boundary", 1) => "1 boundary".to_owned(),
        ("boundary", n) => format!("{n} boundaries"),
        ("triage", 1) => "1 triage decision".to_owned(),
        ("triage", n) => format!("{n} triage decisions"),
        (kind, 1) => format!("1 {kind}"),
        (kind, n) => format!("{n} {kind}s"),
    };
    let mut parts = Vec::new();
    if !diff.elements.metadata.is_empty() {
        parts.push("metadata changed".to_owned());
    }
    for (kind, list) in element_kinds(diff) {
        for (count, what) in [
            (list.added.len(), "added"),
            (list.removed.len(), "removed"),
            (list.changed.len(), "changed"),
        ] {
            if count > 0 {
                parts.push(format!("{} {what}", noun(kind, count)));
            }
        }
    }
    if diff.elements.layout_changed {
        parts.push("layout changed".to_owned());
    }
    if parts.is_empty() {
        "no changes".to_owned()
    } else {
        parts.join(", ")
    }
}

/// The model's element lists with the word for each: `("node", &diff.nodes)`.
fn element_kinds(diff: &Diff) -> [(&'static str, &ElementDiff); 4] {
    let elements = &diff.elements;
    [
        ("node", &elements.nodes),
        ("edge", &elements.edges),
        ("boundary", &elements.boundaries),
        ("triage", &elements.triage),
    ]
}

fn diff_text(diff: &Diff, color: bool) -> String {
    let paint = |style: Style, text: &str| {
        if color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_owned()
        }
    };
    let green = Style::new().fg_color(Some(AnsiColor::Green.into()));
    let red = Style::new().fg_color(Some(AnsiColor::Red.into()));
    let yellow = Style::new().fg_color(Some(AnsiColor::Yellow.into()));
    let bold = Style::new().bold();
    let (added, removed, changed) = (paint(green, "+"), paint(red, "−"), paint(yellow, "~"));

    let from = diff
        .from
        .as_ref()
        .map_or("nothing".to_owned(), |r| format!("revision {}", r.number));
    let mut out = format!(
        "{}: {from} → revision {}\n",
        paint(bold, &diff.to.name),
        diff.to.number
    );
    out.push_str(&format!("  model: {}\n", diff.model));
    out.push_str(&format!("  from:  {}\n", side_text(diff.from.as_ref())));
    out.push_str(&format!("  to:    {}\n\n", side_text(Some(&diff.to))));
    if diff.is_empty() {
        out.push_str("No changes.\n");
        return out;
    }

    let risks = &diff.risks;
    out.push_str(&format!(
        "{}: {} added, {} resolved, {} changed\n",
        paint(bold, "risks"),
        risks.added.len(),
        risks.resolved.len(),
        risks.changed.len()
    ));
    let risk_line = |mark: &str, r: &RiskRecord| {
        format!(
            "  {mark} {:<8} {}  {}\n",
            r.severity.as_str(),
            r.fingerprint,
            r.title
        )
    };
    for risk in &risks.added {
        out.push_str(&risk_line(&added, risk));
    }
    for risk in &risks.resolved {
        out.push_str(&risk_line(&removed, risk));
    }
    for change in &risks.changed {
        out.push_str(&risk_line(&changed, &change.after));
        for text in risk_change_texts(change) {
            out.push_str(&format!("      {text}\n"));
        }
    }

    let elements = &diff.elements;
    out.push_str(&format!(
        "\n{}: {}\n",
        paint(bold, "model"),
        elements_summary(diff)
    ));
    if !elements.metadata.is_empty() {
        let fields: Vec<String> = elements.metadata.iter().map(field_text).collect();
        out.push_str(&format!("  {changed} metadata: {}\n", fields.join("; ")));
    }
    for (kind, list) in element_kinds(diff) {
        for id in &list.added {
            out.push_str(&format!("  {added} {kind} {id}\n"));
        }
        for id in &list.removed {
            out.push_str(&format!("  {removed} {kind} {id}\n"));
        }
        for change in &list.changed {
            let fields: Vec<String> = change.fields.iter().map(field_text).collect();
            out.push_str(&format!(
                "  {changed} {kind} {}: {}\n",
                change.id,
                fields.join("; ")
            ));
        }
    }
    if elements.layout_changed {
        out.push_str(&format!("  {changed} layout\n"));
    }
    out
}

fn diff_json(diff: &Diff) -> String {
    #[derive(Serialize)]
    struct Document<'a> {
        version: u32,
        model: &'a str,
        from: Option<Value>,
        to: Value,
        risks: &'a crate::history::RisksDiff,
        elements: &'a crate::history::ModelDiff,
    }
    let document = Document {
        version: HISTORY_JSON_VERSION,
        model: &diff.model,
        from: diff.from.as_ref().map(revision_json),
        to: revision_json(&diff.to),
        risks: &diff.risks,
        elements: &diff.elements,
    };
    let mut text = serde_json::to_string_pretty(&document).expect("JSON serialises");
    text.push('\n');
    text
}

fn diff_markdown(diff: &Diff) -> String {
    let from = diff
        .from
        .as_ref()
        .map_or("nothing".to_owned(), |r| format!("revision {}", r.number));
    let mut out = format!(
        "# Changes: {}, {from} → revision {}\n\n",
        escape(&diff.to.name),
        diff.to.number
    );
    out.push_str(&format!(
        "- File: `{}`\n- From: {}\n- To: {}\n",
        diff.model,
        escape(&side_text(diff.from.as_ref())),
        escape(&side_text(Some(&diff.to)))
    ));
    let risks = &diff.risks;
    out.push_str(&format!(
        "- Risks: {} added, {} resolved, {} changed\n- Model: {}\n\n",
        risks.added.len(),
        risks.resolved.len(),
        risks.changed.len(),
        elements_summary(diff)
    ));
    if diff.is_empty() {
        out.push_str("No changes.\n");
        return out;
    }
    let risk_table = |title: &str, records: &[RiskRecord]| {
        let mut table = format!(
            "## {title}\n\n| severity | risk | status | fingerprint |\n|---|---|---|---|\n"
        );
        for f in records {
            table.push_str(&format!(
                "| {} | {} | {} | `{}` |\n",
                f.severity,
                escape(&f.title),
                f.status,
                f.fingerprint
            ));
        }
        table.push('\n');
        table
    };
    if !risks.added.is_empty() {
        out.push_str(&risk_table("Risks added", &risks.added));
    }
    if !risks.resolved.is_empty() {
        out.push_str(&risk_table("Risks resolved", &risks.resolved));
    }
    if !risks.changed.is_empty() {
        out.push_str(
            "## Risks changed\n\n| severity | risk | change | fingerprint |\n|---|---|---|---|\n",
        );
        for change in &risks.changed {
            out.push_str(&format!(
                "| {} | {} | {} | `{}` |\n",
                change.after.severity,
                escape(&change.after.title),
                escape(&risk_change_texts(change).join("; ")),
                change.after.fingerprint
            ));
        }
        out.push('\n');
    }
    let elements = &diff.elements;
    if !elements.is_empty() {
        out.push_str("## Model changes\n\n| element | id | change |\n|---|---|---|\n");
        for change in &elements.metadata {
            out.push_str(&format!(
                "| metadata | `{}` | {} |\n",
                change.field,
                escape(&field_text(change))
            ));
        }
        for (kind, list) in element_kinds(diff) {
            for id in &list.added {
                out.push_str(&format!("| {kind} | `{id}` | added |\n"));
            }
            for id in &list.removed {
                out.push_str(&format!("| {kind} | `{id}` | removed |\n"));
            }
            for change in &list.changed {
                let fields: Vec<String> = change.fields.iter().map(field_text).collect();
                out.push_str(&format!(
                    "| {kind} | `{}` | {} |\n",
                    change.id,
                    escape(&fields.join("; "))
                ));
            }
        }
        if elements.layout_changed {
            out.push_str("| layout | | positions changed |\n");
        }
    }
    out
}
