//! The framework coverage matrices: which MAESTRO layers each check covers (and how many
//! risks it is a facet of), which risks fall under each OWASP Top 10 for Agentic Applications
//! entry, and every entry the risks cite. A risk cites the references of all its checks,
//! merged, and counts once per entry. Titles come from the framework catalog.

use super::super::document::{Cell, Column, Orientation, Writer};
use super::super::report::{Report, catalogue_order};
use super::super::theme;
use super::COVERAGE;
use crate::frameworks::{Framework, Reference, title};

const LAYERS: [&str; 7] = ["L1", "L2", "L3", "L4", "L5", "L6", "L7"];
const ASI: [&str; 10] = [
    "ASI01", "ASI02", "ASI03", "ASI04", "ASI05", "ASI06", "ASI07", "ASI08", "ASI09", "ASI10",
];
/// A listed risk label per line is enough; beyond this the cell gives the count.
const LISTED_RISKS: usize = 40;

pub fn coverage(writer: &mut Writer, report: &Report) {
    writer.new_page(Orientation::Landscape);
    writer.heading(1, COVERAGE, 0.0);
    writer.paragraph(
        "Where the checks sit in the frameworks, and where the risks fall. A ● marks a check that covers a MAESTRO layer; the number beside it is how many risks the check is a facet of. Cross-layer marks checks about threats MAESTRO lists across layers. A risk counts once per layer or entry, however many of its checks cite it.",
        theme::BODY,
    );
    let by_rule = report.risks_by_rule();
    let risks = &report.run.risks;

    writer.heading(2, "5.1 MAESTRO layers × checks", 120.0);
    let key: Vec<String> = LAYERS
        .iter()
        .map(|layer| format!("{layer} {}", title(Framework::Maestro, layer).unwrap_or("")))
        .collect();
    writer.paragraph(&format!("Layers: {}.", key.join(" · ")), theme::SMALL_MUTED);
    let mut columns = vec![Column::new("Check", 4.6)];
    columns.extend(LAYERS.iter().map(|layer| Column::new(layer, 0.6)));
    columns.push(Column::new("Cross-layer", 0.9));
    columns.push(Column::new("Risks", 0.7));
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    for rule in report.rules() {
        let found = by_rule.get(rule.id).map_or(0, Vec::len);
        let mut row = vec![Cell::from(format!("{} {}", rule.id, rule.title))];
        for layer in LAYERS {
            let covers = rule.references.iter().any(|r| in_layer(r, layer));
            row.push(mark(covers, found));
        }
        let cross = rule
            .references
            .iter()
            .any(|r| matches!(r, Reference::MaestroCrossLayer(_)));
        row.push(mark(cross, found));
        row.push(Cell {
            text: found.to_string(),
            bold: found > 0,
            ..Cell::default()
        });
        rows.push(row);
    }
    let mut totals = vec![bold("Risks per layer".to_owned())];
    for layer in LAYERS {
        let count = risks
            .iter()
            .filter(|risk| risk.references.iter().any(|r| in_layer(r, layer)))
            .count();
        totals.push(bold(count.to_string()));
    }
    let cross = risks
        .iter()
        .filter(|risk| {
            risk.references
                .iter()
                .any(|r| matches!(r, Reference::MaestroCrossLayer(_)))
        })
        .count();
    totals.push(bold(cross.to_string()));
    totals.push(bold(risks.len().to_string()));
    rows.push(totals);
    writer.table(&columns, &rows, theme::TABLE);

    writer.heading(
        2,
        "5.2 OWASP Top 10 for Agentic Applications × risks",
        120.0,
    );
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    for id in ASI {
        let reference = Reference::Id(Framework::OwaspAgentic, id);
        let checks: Vec<&str> = report
            .rules()
            .iter()
            .filter(|rule| rule.references.contains(&reference))
            .map(|rule| rule.id)
            .collect();
        let labels = citing(report, &reference);
        rows.push(vec![
            bold(id.to_owned()),
            Cell::from(title(Framework::OwaspAgentic, id).unwrap_or("")),
            Cell::from(if checks.is_empty() {
                "—".to_owned()
            } else {
                checks.join(", ")
            }),
            count(labels.len()),
            Cell::from(listed(&labels)),
        ]);
    }
    writer.table(
        &[
            Column::new("Id", 0.7),
            Column::new("Title", 2.2),
            Column::new("Checks", 2.4),
            Column::new("Risks", 0.7),
            Column::new("Which", 4.0),
        ],
        &rows,
        theme::TABLE,
    );

    writer.heading(2, "5.3 Every entry the risks cite", 120.0);
    let mut cited: Vec<Reference> = Vec::new();
    for reference in risks.iter().flat_map(|risk| &risk.references) {
        if !cited.contains(reference) {
            cited.push(*reference);
        }
    }
    cited.sort_by_key(catalogue_order);
    if cited.is_empty() {
        writer.paragraph("No risk cites a framework entry.", theme::BODY);
        return;
    }
    let rows: Vec<Vec<Cell>> = cited
        .iter()
        .map(|reference| {
            let labels = citing(report, reference);
            vec![
                Cell::from(reference.framework().short()),
                bold(reference.id()),
                Cell::from(reference.title()),
                count(labels.len()),
                Cell::from(listed(&labels)),
            ]
        })
        .collect();
    writer.table(
        &[
            Column::new("Framework", 1.3),
            Column::new("Id", 1.2),
            Column::new("Title", 3.6),
            Column::new("Risks", 0.7),
            Column::new("Which", 3.2),
        ],
        &rows,
        theme::TABLE,
    );
}

fn in_layer(reference: &Reference, layer: &str) -> bool {
    matches!(reference, Reference::MaestroLayer(l, _) if *l == layer)
}

/// The labels of the risks whose merged references include `reference`.
fn citing<'a>(report: &'a Report, reference: &Reference) -> Vec<&'a str> {
    report
        .risks()
        .filter(|(_, risk)| risk.references.contains(reference))
        .map(|(label, _)| label)
        .collect()
}

/// The labels, or the first of them and the count when there are many.
fn listed(labels: &[&str]) -> String {
    if labels.len() > LISTED_RISKS {
        format!(
            "{} … ({} in all)",
            labels[..LISTED_RISKS].join(", "),
            labels.len()
        )
    } else if labels.is_empty() {
        "—".to_owned()
    } else {
        labels.join(", ")
    }
}

fn bold(text: String) -> Cell {
    Cell {
        text,
        bold: true,
        ..Cell::default()
    }
}

fn count(n: usize) -> Cell {
    Cell {
        text: n.to_string(),
        bold: n > 0,
        ..Cell::default()
    }
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
