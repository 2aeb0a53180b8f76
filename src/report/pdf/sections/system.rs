//! The system diagram on a landscape page of its own: every node, edge and boundary drawn as
//! vectors and scaled to fit, with the legend of node kinds under it.

use super::super::diagram::{self, Area};
use super::super::document::{MARGIN_BOTTOM, Orientation, Writer};
use super::super::report::Report;
use super::super::theme;
use super::SYSTEM;

/// Room kept under the diagram for the legend.
const LEGEND: f32 = 44.0;

pub fn system(writer: &mut Writer, report: &Report) {
    let model = report.run.model;
    writer.new_page(Orientation::Landscape);
    writer.heading(1, SYSTEM, 0.0);
    let source = if model.layout.is_empty() {
        "laid out automatically in layers (the model has no layout of its own)"
    } else {
        "as laid out in the model"
    };
    writer.paragraph(
        &format!(
            "{} nodes, {} edges and {} trust boundaries, {source}. Arrows point in the relation's direction; dashed boxes are trust boundaries. Zoom in: the diagram is drawn as vectors.",
            model.nodes.len(),
            model.edges.len(),
            model.boundaries.len()
        ),
        theme::SMALL_MUTED,
    );
    let (left, top, width) = (writer.left(), writer.y(), writer.width());
    let bottom = Orientation::Landscape.size().1 - MARGIN_BOTTOM;
    let diagram_height = (bottom - top - LEGEND).max(100.0);
    let mut canvas = writer.canvas();
    diagram::draw_system(
        &mut canvas,
        model,
        Area {
            x: left,
            y: top,
            width,
            height: diagram_height,
        },
    );
    diagram::draw_legend(
        &mut canvas,
        model,
        Area {
            x: left,
            y: top + diagram_height + 6.0,
            width,
            height: LEGEND - 6.0,
        },
    );
    writer.space(bottom - top);
}
