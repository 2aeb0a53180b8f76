//! The framework coverage matrices: which MAESTRO layers each check covers (and what it
//! found there), and which findings fall under each OWASP Top 10 for Agentic Applications
//! entry. Titles come from the framework catalog.

use super::super::document::{Cell, Column, Orientation, Writer};
use super::super::report::Report;
use super::super::theme;
use super::COVERAGE;
use crate::frameworks::{Framework, Reference, title};

const LAYERS: [&str; 7] = ["L1", "L2", "L3", "L4", "L5", "L6", "L7"];
const ASI: [&str; 10] = [
    "ASI01", "ASI02", "ASI03", "ASI04", "ASI05", "ASI06", "ASI07", "ASI08", "ASI09", "ASI10",
];
/// A listed finding label per line is enough; beyond this the cell gives the count.
const LISTED_FINDINGS: usize = 40;

pub fn coverage(writer: &mut Writer, report: &Report) {
    writer.new_page(Orientation::Landscape);
    writer.heading(1, COVERAGE, 0.0);
    writer.paragraph(
        "Where the checks sit in the frameworks. A ● marks a check that covers a MAESTRO layer; the number beside it is how many findings the check raised. Cross-layer marks checks about threats MAESTRO lists across layers.",
        theme::BODY,
    );
    let by_rule = report.findings_by_rule();

    writer.heading(2, "4.1 MAESTRO layers × checks", 120.0);
    let key: Vec<String> = LAYERS
        .iter()
        .map(|layer| format!("{layer} {}", title(Framework::Maestro, layer).unwrap_or("")))
        .collect();
    writer.paragraph(&format!("Layers: {}.", key.join(" · ")), theme::SMALL_MUTED);
    let mut columns = vec![Column::new("Check", 4.6)];
    columns.extend(LAYERS.iter().map(|layer| Column::new(layer, 0.6)));
    columns.push(Column::new("Cross-layer", 0.9));
    columns.push(Column::new("Findings", 0.7));
    let mut per_layer = [0usize; LAYERS.len() + 1];
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    for rule in report.rules() {
        let found = by_rule.get(rule.id).map_or(0, Vec::len);
        let mut row = vec![Cell::from(format!("{} {}", rule.id, rule.title))];
        for (column, layer) in LAYERS.iter().enumerate() {
            let covers = rule
                .references
                .iter()
                .any(|r| matches!(r, Reference::MaestroLayer(l, _) if l == layer));
            row.push(mark(covers, found));
            if covers {
                per_layer[column] += found;
            }
        }
        let cross = rule
            .references
            .iter()
            .any(|r| matches!(r, Reference::MaestroCrossLayer(_)));
        row.push(mark(cross, found));
        if cross {
            per_layer[LAYERS.len()] += found;
        }
        row.push(Cell {
            text: found.to_string(),
            bold: found > 0,
            ..Cell::default()
        });
        rows.push(row);
    }
    let mut totals = vec![Cell {
        text: "Findings per layer".to_owned(),
        bold: true,
        ..Cell::default()
    }];
    totals.extend(per_layer.iter().map(|n| Cell {
        text: n.to_string(),
        bold: true,
        ..Cell::default()
    }));
    totals.push(Cell {
        text: report.run.findings.len().to_string(),
        bold: true,
        ..Cell::default()
    });
    rows.push(totals);
    writer.table(&columns, &rows, theme::TABLE);

    writer.heading(
        2,
        "4.2 OWASP Top 10 for Agentic Applications × findings",
        120.0,
    );
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    for id in ASI {
        let checks: Vec<&str> = report
            .rules()
            .iter()
            .filter(|rule| {
                rule.references
                    .contains(&Reference::Id(Framework::OwaspAgentic, id))
            })
            .map(|rule| rule.id)
            .collect();
        let labels: Vec<&str> = report
            .findings()
            .filter(|(_, f)| checks.contains(&f.rule))
            .map(|(label, _)| label)
            .collect();
        let listed = if labels.len() > LISTED_FINDINGS {
            format!(
                "{} … ({} in all)",
                labels[..LISTED_FINDINGS].join(", "),
                labels.len()
            )
        } else if labels.is_empty() {
            "—".to_owned()
        } else {
            labels.join(", ")
        };
        rows.push(vec![
            Cell {
                text: id.to_owned(),
                bold: true,
                ..Cell::default()
            },
            Cell::from(title(Framework::OwaspAgentic, id).unwrap_or("")),
            Cell::from(if checks.is_empty() {
                "—".to_owned()
            } else {
                checks.join(", ")
            }),
            Cell {
                text: labels.len().to_string(),
                bold: !labels.is_empty(),
                ..Cell::default()
            },
            Cell::from(listed),
        ]);
    }
    writer.table(
        &[
            Column::new("Id", 0.7),
            Column::new("Title", 2.2),
            Column::new("Checks", 2.4),
            Column::new("Findings", 0.7),
            Column::new("Which", 4.0),
        ],
        &rows,
        theme::TABLE,
    );
}

fn mark(covers: bool, found: usize) -> Cell {
    match (covers, found) {
        (false, _) => Cell::from(""),
        (true, 0) => Cell::from("●"),
        (true, n) => Cell {
            text: format!("● {n}"),
            bold: true,
            ..Cell::default()
        },
    }
}
