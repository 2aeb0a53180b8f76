//! The report's diagrams, drawn as vectors: the whole system (boundaries, nodes, edges) scaled
//! to a page, its legend, and each risk's witness paths.
//!
//! Every node kind has its own shape as well as its colour (the app's), so that a greyscale
//! print still tells an agent from a datastore. Text scales with the drawing, within bounds: a
//! label that would be too small to read is left out rather than printed as a smudge.

use rustc_hash::FxHashMap as HashMap;

use super::canvas::{Canvas, Color, Font, Paint};
use super::fonts::{Face, Fonts};
use crate::findings::Step;
use crate::graph::layered::{BOUNDARY_HEADER, DiagramLayout};
use crate::model::{Model, NodeKind, Rect, Relation, Zone};

/// A region of the page, in points from the top-left corner.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Area {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

impl Area {
    fn right(self) -> f32 {
        self.x + self.width
    }

    fn bottom(self) -> f32 {
        self.y + self.height
    }

    fn centre(self) -> (f32, f32) {
        (self.x + self.width / 2.0, self.y + self.height / 2.0)
    }

    fn inset(self, by: f32) -> Area {
        Area {
            x: self.x + by,
            y: self.y + by,
            width: (self.width - 2.0 * by).max(0.0),
            height: (self.height - 2.0 * by).max(0.0),
        }
    }

    fn overlaps(self, other: Area) -> bool {
        self.x < other.right()
            && other.x < self.right()
            && self.y < other.bottom()
            && other.y < self.bottom()
    }

    /// Moved (not resized) to lie inside `bounds` where it fits.
    fn clamped(self, bounds: Area) -> Area {
        Area {
            x: self.x.min(bounds.right() - self.width).max(bounds.x),
            y: self.y.min(bounds.bottom() - self.height).max(bounds.y),
            ..self
        }
    }
}

const INK: Color = Color(0x1f, 0x23, 0x28);
const EDGE: Color = Color(0x57, 0x60, 0x6a);
const MUTED: Color = Color(0x5b, 0x63, 0x70);
const UNKNOWN: Color = Color(0x8c, 0x95, 0x9f);

/// The app's kind colours (`ui/src/canvas/kinds.tsx`).
fn kind_color(kind: NodeKind) -> Color {
    match kind {
        NodeKind::Agent => Color(0x7c, 0x3a, 0xed),
        NodeKind::Model => Color(0x25, 0x63, 0xeb),
        NodeKind::Tool => Color(0x0d, 0x94, 0x88),
        NodeKind::Identity => Color(0x4f, 0x46, 0xe5),
        NodeKind::Secret => Color(0xc2, 0x41, 0x0c),
        NodeKind::Datastore => Color(0x15, 0x80, 0x3d),
        NodeKind::Memory => Color(0x08, 0x91, 0xb2),
        NodeKind::Workflow => Color(0xd9, 0x77, 0x06),
        NodeKind::Human => Color(0xdb, 0x27, 0x77),
        NodeKind::Input => Color(0x64, 0x74, 0x8b),
        NodeKind::Gateway => Color(0xa2, 0x1c, 0xaf),
    }
}

fn kind_label(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Agent => "Agent",
        NodeKind::Model => "Model",
        NodeKind::Tool => "Tool",
        NodeKind::Identity => "Identity",
        NodeKind::Secret => "Secret",
        NodeKind::Datastore => "Datastore",
        NodeKind::Memory => "Memory",
        NodeKind::Workflow => "Workflow",
        NodeKind::Human => "Human",
        NodeKind::Input => "Input",
        NodeKind::Gateway => "Gateway",
    }
}

/// The app's zone colours.
fn zone_color(zone: Zone) -> Color {
    match zone {
        Zone::Internet => Color(0xdc, 0x26, 0x26),
        Zone::Vendor => Color(0xea, 0x58, 0x0c),
        Zone::Partner => Color(0xca, 0x8a, 0x04),
        Zone::Corporate => Color(0x25, 0x63, 0xeb),
        Zone::Production => Color(0x16, 0xa3, 0x4a),
        Zone::Development => Color(0x64, 0x74, 0x8b),
        Zone::Endpoint => Color(0x93, 0x33, 0xea),
    }
}

/// `color` mixed with white, `amount` of the colour kept.
fn tint(color: Color, amount: f32) -> Color {
    let mix = |c: u8| (f32::from(c) * amount + 255.0 * (1.0 - amount)).round() as u8;
    Color(mix(color.0), mix(color.1), mix(color.2))
}

/// `color` mixed with black, `amount` of the colour kept.
fn shade(color: Color, amount: f32) -> Color {
    let mix = |c: u8| (f32::from(c) * amount).round() as u8;
    Color(mix(color.0), mix(color.1), mix(color.2))
}

fn relation_label(relation: Relation) -> String {
    relation.as_str().replace('_', " ")
}

// ---------------------------------------------------------------------------------------------
// Node shapes

/// A node's shape, stroke and fill drawn in `frame`; `None` is a node the model lacks.
fn draw_shape(canvas: &mut Canvas, kind: Option<NodeKind>, frame: Area, stroke: f32) {
    let Area {
        x,
        y,
        width: w,
        height: h,
    } = frame;
    let Some(kind) = kind else {
        let paint = Paint::fill_and_stroke(Color::WHITE, UNKNOWN, stroke).dashed();
        canvas.rounded_rect(x, y, w, h, h * 0.2, paint);
        return;
    };
    let color = kind_color(kind);
    let paint = Paint::fill_and_stroke(tint(color, 0.13), color, stroke);
    let (cx, cy) = frame.centre();
    match kind {
        NodeKind::Agent => canvas.rounded_rect(x, y, w, h, h * 0.3, paint),
        NodeKind::Model => canvas.ellipse(cx, cy, w / 2.0, h / 2.0, paint),
        NodeKind::Tool => canvas.rect(x, y, w, h, paint),
        NodeKind::Identity => {
            canvas.rect(x, y, w, h, paint);
            let band = identity_band(frame);
            canvas.rect(x, y, band, h, Paint::fill_and_stroke(color, color, stroke));
        }
        NodeKind::Memory => {
            let d = stack_step(frame);
            let (bw, bh) = (w - 2.0 * d, h - 2.0 * d);
            let r = h * 0.08;
            canvas.rounded_rect(x + 2.0 * d, y, bw, bh, r, paint);
            canvas.rounded_rect(x + d, y + d, bw, bh, r, paint);
            canvas.rounded_rect(x, y + 2.0 * d, bw, bh, r, paint);
        }
        NodeKind::Datastore => {
            let ry = cylinder_cap(frame);
            canvas.ellipse(cx, y + h - ry, w / 2.0, ry, paint);
            canvas.rect(x, y + ry, w, h - 2.0 * ry, Paint::fill(tint(color, 0.13)));
            canvas.polyline(&[(x, y + ry), (x, y + h - ry)], color, stroke, false);
            canvas.polyline(
                &[(x + w, y + ry), (x + w, y + h - ry)],
                color,
                stroke,
                false,
            );
            canvas.ellipse(
                cx,
                y + ry,
                w / 2.0,
                ry,
                Paint::fill_and_stroke(tint(color, 0.28), color, stroke),
            );
        }
        NodeKind::Human => {
            canvas.rounded_rect(x, y, w, h, h / 2.0, paint);
            // A person: head and shoulders at the left end.
            let px = x + h * 0.5;
            let head = h * 0.13;
            canvas.ellipse(px, cy - h * 0.13, head, head, Paint::fill(color));
            let (rx, top, base) = (h * 0.22, cy + h * 0.04, cy + h * 0.3);
            let mut shoulders: Vec<(f32, f32)> = (0..=12)
                .map(|i| {
                    let a = std::f32::consts::PI * i as f32 / 12.0;
                    (px - rx * a.cos(), base - (base - top) * a.sin())
                })
                .collect();
            shoulders.push((px + rx, base));
            canvas.polygon(&shoulders, Paint::fill(color));
        }
        _ => canvas.polygon(&outline(kind, frame), paint),
    }
}

fn identity_band(frame: Area) -> f32 {
    (frame.height * 0.22).min(frame.width * 0.12)
}

fn stack_step(frame: Area) -> f32 {
    (frame.height * 0.09).min(frame.width * 0.05)
}

fn cylinder_cap(frame: Area) -> f32 {
    (frame.height * 0.15).min(frame.width * 0.2)
}

/// The shape's outline as a polygon (curves sampled), for shapes drawn as polygons and for
/// finding where an edge meets a node's border.
fn outline(kind: NodeKind, frame: Area) -> Vec<(f32, f32)> {
    let Area {
        x,
        y,
        width: w,
        height: h,
    } = frame;
    let (cx, cy) = frame.centre();
    let (right, bottom) = (x + w, y + h);
    let rect = vec![(x, y), (right, y), (right, bottom), (x, bottom)];
    match kind {
        NodeKind::Agent | NodeKind::Tool | NodeKind::Identity | NodeKind::Datastore => rect,
        NodeKind::Model => (0..32)
            .map(|i| {
                let a = std::f32::consts::TAU * i as f32 / 32.0;
                (cx + w / 2.0 * a.cos(), cy + h / 2.0 * a.sin())
            })
            .collect(),
        NodeKind::Human => {
            let r = h / 2.0;
            let mut points = Vec::with_capacity(26);
            for i in 0..=12 {
                let a = std::f32::consts::PI * (i as f32 / 12.0 - 0.5);
                points.push((right - r + r * a.cos(), cy + r * a.sin()));
            }
            for i in 0..=12 {
                let a = std::f32::consts::PI * (i as f32 / 12.0 + 0.5);
                points.push((x + r + r * a.cos(), cy + r * a.sin()));
            }
            points
        }
        NodeKind::Memory => {
            let d = 2.0 * stack_step(frame);
            vec![
                (x, y + d),
                (x + d, y),
                (right, y),
                (right, bottom - d),
                (right - d, bottom),
                (x, bottom),
            ]
        }
        NodeKind::Secret => {
            let c = (h * 0.3).min(w * 0.3);
            vec![
                (x + c, y),
                (right - c, y),
                (right, y + c),
                (right, bottom - c),
                (right - c, bottom),
                (x + c, bottom),
                (x, bottom - c),
                (x, y + c),
            ]
        }
        NodeKind::Workflow => {
            let p = (h * 0.32).min(w * 0.25);
            vec![
                (x, y),
                (right - p, y),
                (right, cy),
                (right - p, bottom),
                (x, bottom),
                (x + p, cy),
            ]
        }
        NodeKind::Input => {
            let s = (h * 0.3).min(w * 0.2);
            vec![(x + s, y), (right, y), (right - s, bottom), (x, bottom)]
        }
        NodeKind::Gateway => {
            let p = (h * 0.3).min(w * 0.25);
            vec![
                (x + p, y),
                (right - p, y),
                (right, cy),
                (right - p, bottom),
                (x + p, bottom),
                (x, cy),
            ]
        }
    }
}

/// The part of a shape that text may use.
fn text_box(kind: Option<NodeKind>, frame: Area) -> Area {
    let Area {
        x,
        y,
        width: w,
        height: h,
    } = frame;
    let (left, right, top, bottom) = match kind {
        None | Some(NodeKind::Agent) | Some(NodeKind::Tool) => (h * 0.15, h * 0.15, 0.0, 0.0),
        Some(NodeKind::Model) => (w * 0.13, w * 0.13, h * 0.08, h * 0.08),
        Some(NodeKind::Identity) => (identity_band(frame) + h * 0.12, h * 0.12, 0.0, 0.0),
        Some(NodeKind::Memory) => (
            h * 0.12,
            2.0 * stack_step(frame) + h * 0.1,
            2.0 * stack_step(frame),
            0.0,
        ),
        Some(NodeKind::Datastore) => (h * 0.12, h * 0.12, 2.0 * cylinder_cap(frame), 0.0),
        Some(NodeKind::Human) => (h * 0.85, h * 0.35, 0.0, 0.0),
        Some(NodeKind::Secret) => (h * 0.25, h * 0.25, 0.0, 0.0),
        Some(NodeKind::Workflow) => (h * 0.38, h * 0.38, 0.0, 0.0),
        Some(NodeKind::Input) => (h * 0.35, h * 0.35, 0.0, 0.0),
        Some(NodeKind::Gateway) => (h * 0.36, h * 0.36, 0.0, 0.0),
    };
    Area {
        x: x + left,
        y: y + top,
        width: (w - left - right).max(0.0),
        height: (h - top - bottom).max(0.0),
    }
}

/// Where the ray from the shape's centre towards `toward` leaves the shape.
fn border_point(kind: Option<NodeKind>, frame: Area, toward: (f32, f32)) -> (f32, f32) {
    let centre = frame.centre();
    let polygon = match kind {
        Some(kind) => outline(kind, frame),
        None => outline(NodeKind::Tool, frame),
    };
    let (dx, dy) = (toward.0 - centre.0, toward.1 - centre.1);
    if dx.abs() < 1e-6 && dy.abs() < 1e-6 {
        return centre;
    }
    let mut nearest = f32::INFINITY;
    for (i, &(ax, ay)) in polygon.iter().enumerate() {
        let (bx, by) = polygon[(i + 1) % polygon.len()];
        let (ex, ey) = (bx - ax, by - ay);
        let denominator = dx * ey - dy * ex;
        if denominator.abs() < 1e-9 {
            continue;
        }
        let (fx, fy) = (ax - centre.0, ay - centre.1);
        let t = (fx * ey - fy * ex) / denominator;
        let u = (fx * dy - fy * dx) / denominator;
        if t > 0.0 && (-1e-4..=1.0 + 1e-4).contains(&u) {
            nearest = nearest.min(t);
        }
    }
    if nearest.is_finite() {
        (centre.0 + dx * nearest, centre.1 + dy * nearest)
    } else {
        centre
    }
}

/// A node's name (up to two lines) and kind, centred in its shape. `size` is the name's size;
/// nothing is written when not even one line fits.
fn draw_node_text(canvas: &mut Canvas, kind: Option<NodeKind>, frame: Area, name: &str, size: f32) {
    let fonts = canvas.fonts();
    let area = text_box(kind, frame);
    let line = size * 1.18;
    if area.height < size * 1.05 || area.width < size * 2.0 {
        return;
    }
    let caption_size = size * 0.78;
    let caption = kind.map(kind_label);
    let name = if name.trim().is_empty() {
        "(unnamed)"
    } else {
        name.trim()
    };
    let max_lines = if area.height >= 2.0 * line + size * 0.2 {
        2
    } else {
        1
    };
    let lines = fonts.wrap_at_most(Face::Bold, size, name, area.width, max_lines);
    let with_caption = caption.is_some()
        && area.height >= lines.len() as f32 * line + caption_size * 1.35 + size * 0.2;
    let height = lines.len() as f32 * line
        + if with_caption {
            caption_size * 1.3
        } else {
            0.0
        };
    let (cx, cy) = area.centre();
    // The cap height of DejaVu is about 0.73 em: baselines are placed so that the block of
    // text is visually centred.
    let mut baseline = cy - height / 2.0 + size * 0.86;
    let font = Font::new(Face::Bold, size, INK);
    for text in &lines {
        canvas.text_centered(cx, baseline, font, text);
        baseline += line;
    }
    if let (true, Some(kind), Some(caption)) = (with_caption, kind, caption) {
        let font = Font::new(Face::Regular, caption_size, shade(kind_color(kind), 0.8));
        let caption = fonts.truncate(font.face, font.size, caption, area.width);
        canvas.text_centered(
            cx,
            baseline - line + size * 0.2 + caption_size * 1.3,
            font,
            &caption,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The system diagram

/// Units of the layout around the drawing, so that self-loops and strokes stay inside.
const MARGIN: f64 = 30.0;
/// At most this many points per layout unit: a small model is drawn at a readable size, not
/// blown up to fill the page.
const MAX_SCALE: f32 = 0.62;
/// How much an automatic layout may be spread out to fill the page.
const MAX_SPREAD: f64 = 1.5;
/// Sizes in layout units, before scaling.
const NAME_UNITS: f32 = 15.0;
const EDGE_LABEL_UNITS: f32 = 13.0;
const BOUNDARY_LABEL_UNITS: f32 = 14.0;
/// The smallest edge label worth printing, in points.
const MIN_LABEL: f32 = 4.0;

/// From layout units to the page. Computed in `f64`, where the layout lives, and relative to the
/// layout's centre, so that a layout far from the origin or of any extent maps onto the page
/// without overflowing `f32`.
#[derive(Clone, Copy)]
struct View {
    scale: f64,
    /// The layout's centre, in layout units.
    from: (f64, f64),
    /// Where it goes on the page, in points.
    to: (f64, f64),
}

impl View {
    fn fit(bounds: Rect, area: Area) -> View {
        let (width, height) = (bounds.width + 2.0 * MARGIN, bounds.height + 2.0 * MARGIN);
        let scale = (f64::from(area.width) / width)
            .min(f64::from(area.height) / height)
            .min(f64::from(MAX_SCALE));
        // An empty layout fits at the largest scale; one too large to measure (an extent that
        // overflowed) at the smallest, never at a scale that blows it up.
        let scale = if scale.is_nan() {
            f64::from(MAX_SCALE)
        } else {
            scale.max(f64::MIN_POSITIVE)
        };
        let (cx, cy) = area.centre();
        View {
            scale,
            from: (
                bounds.x + bounds.width / 2.0,
                bounds.y + bounds.height / 2.0,
            ),
            to: (f64::from(cx), f64::from(cy)),
        }
    }

    fn point(&self, (x, y): (f64, f64)) -> (f32, f32) {
        (
            ((x - self.from.0) * self.scale + self.to.0) as f32,
            ((y - self.from.1) * self.scale + self.to.1) as f32,
        )
    }

    fn rect(&self, r: &Rect) -> Area {
        let (x, y) = self.point((r.x, r.y));
        Area {
            x,
            y,
            width: (r.width * self.scale) as f32,
            height: (r.height * self.scale) as f32,
        }
    }

    /// A size in layout units, in points.
    fn size(&self, units: f32) -> f32 {
        (f64::from(units) * self.scale) as f32
    }
}

/// Draws the whole system in `area`: trust boundaries as dashed, tinted, labelled boxes;
/// nodes in their kind's shape and colour with their names; edges as arrows from border to
/// border, labelled with their relation when the scale leaves room for it.
pub fn draw_system(canvas: &mut Canvas, model: &Model, area: Area) {
    if model.nodes.is_empty() && model.boundaries.is_empty() {
        let font = Font::new(Face::Regular, 9.0, MUTED);
        let (cx, cy) = area.centre();
        canvas.text_centered(cx, cy, font, "The model has no nodes.");
        return;
    }
    let mut layout = DiagramLayout::of(model);
    if model.layout.is_empty() {
        // An automatic layout is free to use the page's spare height (or width): more room
        // between nodes at the same scale.
        let fit = View::fit(layout.bounds, area).scale;
        let spare = |available: f32, used: f64| {
            let room = f64::from(available) / fit - 2.0 * MARGIN;
            if used > 0.0 {
                (room / used).clamp(1.0, MAX_SPREAD)
            } else {
                1.0
            }
        };
        layout = layout.spread(
            spare(area.width, layout.bounds.width),
            spare(area.height, layout.bounds.height),
        );
    }
    let view = View::fit(layout.bounds, area);
    let fonts = canvas.fonts();

    // Boundaries, larger first so that nested ones are drawn over their parents.
    let mut boxes: Vec<(Area, usize)> = model
        .boundaries
        .iter()
        .enumerate()
        .filter_map(|(b, boundary)| {
            layout
                .boundaries
                .get(&boundary.id)
                .map(|r| (view.rect(r), b))
        })
        .collect();
    boxes.sort_by(|a, b| {
        (b.0.width * b.0.height)
            .total_cmp(&(a.0.width * a.0.height))
            .then(a.1.cmp(&b.1))
    });
    let stroke = view.size(1.6).clamp(0.4, 1.1);
    let label_size = view.size(BOUNDARY_LABEL_UNITS).clamp(1.5, 8.5);
    let mut headers = Vec::new();
    for &(frame, b) in &boxes {
        let boundary = &model.boundaries[b];
        let color = zone_color(boundary.zone);
        let paint = Paint::fill_and_stroke(tint(color, 0.05), color, stroke).dashed();
        canvas.rounded_rect(
            frame.x,
            frame.y,
            frame.width,
            frame.height,
            view.size(14.0),
            paint,
        );
        let header = view.size(BOUNDARY_HEADER as f32).min(frame.height);
        headers.extend(draw_boundary_label(
            canvas,
            frame,
            header,
            &boundary.name,
            boundary.zone,
            label_size,
        ));
    }

    // Nodes, indexed like `model.nodes`.
    let frames: Vec<Option<Area>> = model
        .nodes
        .iter()
        .map(|node| layout.nodes.get(&node.id).map(|r| view.rect(r)))
        .collect();
    let index: HashMap<&str, usize> = model
        .nodes
        .iter()
        .enumerate()
        .rev()
        .map(|(i, node)| (node.id.as_str(), i))
        .collect();

    // Edges: lines and arrowheads now, labels after the nodes so that nothing covers them.
    let edge_width = view.size(1.3).clamp(0.35, 0.9);
    let arrow = view.size(11.0).clamp(2.2, 6.0);
    let label_font = Font::new(Face::Regular, view.size(EDGE_LABEL_UNITS).min(7.0), MUTED);
    let show_labels = label_font.size >= MIN_LABEL;
    let mut parallel: HashMap<(usize, usize), (usize, usize)> = HashMap::default();
    let ends = |edge: &crate::model::Edge| {
        let from = *index.get(edge.from.as_str())?;
        let to = *index.get(edge.to.as_str())?;
        Some((from, to, frames[from]?, frames[to]?))
    };
    for (e, edge) in model.edges.iter().enumerate() {
        if let Some((from, to, _, _)) = ends(edge)
            && layout.bends[e].is_empty()
        {
            parallel.entry((from.min(to), from.max(to))).or_default().1 += 1;
        }
    }
    // Straight edges that would run behind a node get a bend around it; the search is
    // quadratic, so only for diagrams small enough for a reader to follow single edges.
    let route_around = frames.len() <= ROUTE_LIMIT;
    let obstacles: Vec<(usize, Area)> = frames
        .iter()
        .enumerate()
        .filter_map(|(i, frame)| frame.map(|f| (i, f.inset(-edge_width))))
        .collect();
    let mut loops: HashMap<usize, usize> = HashMap::default();
    let mut labels: Vec<(Vec<(f32, f32)>, String)> = Vec::new();
    for (e, edge) in model.edges.iter().enumerate() {
        let Some((from, to, a, b)) = ends(edge) else {
            continue;
        };
        let (from_kind, to_kind) = (model.nodes[from].kind(), model.nodes[to].kind());
        let points = if from == to {
            let count = loops.entry(from).or_default();
            *count += 1;
            self_loop(a, *count, view)
        } else {
            let (mut start, mut end) = (a.centre(), b.centre());
            let bends: Vec<(f32, f32)> = layout.bends[e].iter().map(|&p| view.point(p)).collect();
            if bends.is_empty() {
                // Parallel edges between the same two nodes fan out side by side.
                let (slot, count) = parallel.entry((from.min(to), from.max(to))).or_default();
                if *count > 1 {
                    let spacing = view
                        .size(16.0)
                        .min(a.height.min(b.height) * 0.8 / *count as f32);
                    let offset = (*slot as f32 - (*count - 1) as f32 / 2.0) * spacing;
                    let (low, high) = if from < to {
                        (start, end)
                    } else {
                        (end, start)
                    };
                    let (ox, oy) = across(low, high, offset);
                    start = (start.0 + ox, start.1 + oy);
                    end = (end.0 + ox, end.1 + oy);
                }
                *slot += 1;
            }
            let first = bends.first().copied().unwrap_or(end);
            let last = bends.last().copied().unwrap_or(start);
            let shift = |frame: Area, p: (f32, f32), centre: (f32, f32)| Area {
                x: frame.x + p.0 - centre.0,
                y: frame.y + p.1 - centre.1,
                ..frame
            };
            let (a, b) = (shift(a, start, a.centre()), shift(b, end, b.centre()));
            let mut points = vec![border_point(Some(from_kind), a, first)];
            let straight = bends.is_empty();
            points.extend(bends);
            points.push(border_point(Some(to_kind), b, last));
            if straight && route_around {
                let others = |i: usize| i != from && i != to;
                let step = a.height.max(b.height);
                if let Some(bend) = detour(&points, &obstacles, others, step, area) {
                    points = vec![
                        border_point(Some(from_kind), a, bend),
                        bend,
                        border_point(Some(to_kind), b, bend),
                    ];
                }
            }
            points
        };
        draw_arrow(canvas, &points, EDGE, edge_width, arrow, false);
        if show_labels {
            labels.push((points, relation_label(edge.relation)));
        }
    }

    let name_size = view.size(NAME_UNITS).clamp(1.5, 9.0);
    let node_stroke = view.size(1.6).clamp(0.3, 1.0);
    for (node, frame) in model.nodes.iter().zip(&frames) {
        if let Some(frame) = *frame {
            draw_shape(canvas, Some(node.kind()), frame, node_stroke);
            draw_node_text(canvas, Some(node.kind()), frame, &node.name, name_size);
        }
    }

    if show_labels {
        let mut obstacles: Vec<Area> = frames
            .iter()
            .flatten()
            .map(|f| f.inset(-arrow * 0.5))
            .collect();
        obstacles.extend(headers);
        place_edge_labels(canvas, fonts, &labels, &obstacles, label_font, area);
    }
}

/// Diagrams with more nodes than this draw their straight edges straight.
const ROUTE_LIMIT: usize = 400;

/// The offset `by` at right angles to the line from `p` to `q`.
fn across(p: (f32, f32), q: (f32, f32), by: f32) -> (f32, f32) {
    let (dx, dy) = (q.0 - p.0, q.1 - p.1);
    let length = (dx * dx + dy * dy).sqrt().max(1e-6);
    (-dy / length * by, dx / length * by)
}

/// The `count`-th loop of an edge from a node to itself, out of its top and back into its
/// right side. A second loop goes round the first; more share the second's place rather than
/// leave the margin kept for them.
fn self_loop(frame: Area, count: usize, view: View) -> Vec<(f32, f32)> {
    let step = view.size(6.0) * (count.clamp(1, 2) - 1) as f32;
    let (right, top) = (frame.right(), frame.y);
    let reach = view.size(16.0) + step;
    let x = right - frame.width * 0.18 - step;
    let y = top + frame.height * 0.3 + step;
    vec![
        (x, top),
        (x, top - reach),
        (right + reach, top - reach),
        (right + reach, y),
        (right, y),
    ]
}

/// A bend point inside `bounds` for the straight line `points` (two points) that takes it
/// clear of every obstacle `consider` accepts, or `None` when it is clear already or no nearby
/// bend helps.
fn detour(
    points: &[(f32, f32)],
    obstacles: &[(usize, Area)],
    consider: impl Fn(usize) -> bool,
    step: f32,
    bounds: Area,
) -> Option<(f32, f32)> {
    let (p, q) = (*points.first()?, *points.last()?);
    let clear = |a: (f32, f32), b: (f32, f32)| {
        !obstacles
            .iter()
            .any(|&(i, o)| consider(i) && segment_hits(a, b, o))
    };
    if clear(p, q) {
        return None;
    }
    let step = step.max(1.0) * 1.1;
    for along in [0.5, 0.3, 0.7] {
        let middle = (p.0 + (q.0 - p.0) * along, p.1 + (q.1 - p.1) * along);
        for k in [1.0, -1.0, 2.0, -2.0, 3.0, -3.0] {
            let (ox, oy) = across(p, q, step * k);
            let bend = (middle.0 + ox, middle.1 + oy);
            let inside = (bounds.x..=bounds.right()).contains(&bend.0)
                && (bounds.y..=bounds.bottom()).contains(&bend.1);
            if inside && clear(p, bend) && clear(bend, q) {
                return Some(bend);
            }
        }
    }
    None
}

/// Whether the segment from `a` to `b` passes through `rect` (Liang–Barsky clipping).
fn segment_hits(a: (f32, f32), b: (f32, f32), rect: Area) -> bool {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut low, mut high) = (0.0_f32, 1.0_f32);
    for (p, q) in [
        (-dx, a.0 - rect.x),
        (dx, rect.right() - a.0),
        (-dy, a.1 - rect.y),
        (dy, rect.bottom() - a.1),
    ] {
        if p.abs() < 1e-9 {
            if q < 0.0 {
                return false;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                low = low.max(t);
            } else {
                high = high.min(t);
            }
            if low > high {
                return false;
            }
        }
    }
    true
}

/// A boundary's zone tag and name in its header; returns the region they cover.
fn draw_boundary_label(
    canvas: &mut Canvas,
    frame: Area,
    header: f32,
    name: &str,
    zone: Zone,
    size: f32,
) -> Option<Area> {
    let fonts = canvas.fonts();
    let color = zone_color(zone);
    let pad = (header * 0.28).min(size);
    if header < size * 1.1 || frame.width < pad * 2.0 + size * 2.0 {
        return None;
    }
    let mut x = frame.x + pad;
    let available = frame.width - pad * 2.0;
    let baseline = frame.y + header * 0.55 + size * 0.36;
    let tag = zone.as_str().to_uppercase();
    let tag_font = Font::new(Face::Bold, size * 0.78, Color::WHITE);
    let tag_width = fonts.width(tag_font.face, tag_font.size, &tag) + size * 0.8;
    let name_font = Font::new(Face::Bold, size, shade(color, 0.55));
    if tag_width + size * 4.0 <= available {
        let height = size * 1.25;
        canvas.rounded_rect(
            x,
            baseline - size * 0.36 - height / 2.0,
            tag_width,
            height,
            height * 0.25,
            Paint::fill(color),
        );
        canvas.text(x + size * 0.4, baseline - size * 0.08, tag_font, &tag);
        x += tag_width + size * 0.45;
    }
    let name = fonts.truncate(
        name_font.face,
        name_font.size,
        name.trim(),
        frame.right() - pad - x,
    );
    canvas.text(x, baseline, name_font, &name);
    let right = x + fonts.width(name_font.face, name_font.size, &name);
    let top = baseline - size * 1.2;
    Some(Area {
        x: frame.x + pad,
        y: top,
        width: right - frame.x - pad,
        height: size * 1.6,
    })
}

/// A line through `points` with an arrowhead at its end (or, `at_start`, at its start).
fn draw_arrow(
    canvas: &mut Canvas,
    points: &[(f32, f32)],
    color: Color,
    width: f32,
    arrow: f32,
    at_start: bool,
) {
    if points.len() < 2 {
        return;
    }
    let mut line = points.to_vec();
    let (tip, from) = if at_start {
        (line[0], line[1])
    } else {
        (line[line.len() - 1], line[line.len() - 2])
    };
    let (dx, dy) = (tip.0 - from.0, tip.1 - from.1);
    let length = (dx * dx + dy * dy).sqrt();
    // The line stops inside the arrowhead, so its end does not blunt the tip.
    if length > arrow {
        let back = (
            tip.0 - dx / length * arrow * 0.7,
            tip.1 - dy / length * arrow * 0.7,
        );
        if at_start {
            line[0] = back;
        } else {
            let last = line.len() - 1;
            line[last] = back;
        }
    }
    canvas.polyline(&line, color, width, false);
    canvas.arrowhead(from, tip, arrow.min(length.max(arrow * 0.5)), color);
}

/// Writes each edge's label on a white patch along its line, at the first place that covers
/// no node and no other label; a label with no such place is left out.
fn place_edge_labels(
    canvas: &mut Canvas,
    fonts: &Fonts,
    labels: &[(Vec<(f32, f32)>, String)],
    obstacles: &[Area],
    font: Font,
    area: Area,
) {
    let mut placed: Vec<Area> = Vec::new();
    let pad = font.size * 0.3;
    for (points, text) in labels {
        let width = fonts.width(font.face, font.size, text) + 2.0 * pad;
        let height = font.size * 1.3;
        let spot = [0.5, 0.38, 0.62, 0.28, 0.72, 0.2, 0.8]
            .iter()
            .find_map(|&t| {
                let (x, y) = point_along(points, t)?;
                let label = Area {
                    x: x - width / 2.0,
                    y: y - height / 2.0,
                    width,
                    height,
                }
                .clamped(area);
                let free = !obstacles.iter().chain(&placed).any(|o| o.overlaps(label));
                free.then_some(label)
            });
        if let Some(label) = spot {
            canvas.rounded_rect(
                label.x,
                label.y,
                label.width,
                label.height,
                height * 0.3,
                Paint::fill(Color::WHITE),
            );
            canvas.text(
                label.x + pad,
                label.y + height * 0.5 + font.size * 0.36,
                font,
                text,
            );
            placed.push(label);
        }
    }
}

/// The point at fraction `t` of a polyline's length.
fn point_along(points: &[(f32, f32)], t: f32) -> Option<(f32, f32)> {
    let lengths: Vec<f32> = points
        .windows(2)
        .map(|w| ((w[1].0 - w[0].0).powi(2) + (w[1].1 - w[0].1).powi(2)).sqrt())
        .collect();
    let total: f32 = lengths.iter().sum();
    if total <= 0.0 {
        return None;
    }
    let mut left = total * t;
    for (w, &length) in points.windows(2).zip(&lengths) {
        if left <= length && length > 0.0 {
            let f = left / length;
            return Some((
                w[0].0 + (w[1].0 - w[0].0) * f,
                w[0].1 + (w[1].1 - w[0].1) * f,
            ));
        }
        left -= length;
    }
    points.last().copied()
}

// ---------------------------------------------------------------------------------------------
// The legend

const LEGEND_FONT: Font = Font::new(Face::Regular, 7.0, INK);
const LEGEND_ROW: f32 = 14.0;

/// Draws the legend of the node kinds present in `model` (shape, colour, name), then the
/// conventions for edges and for the zones of the trust boundaries present, in rows that wrap
/// at the area's width. Returns the height used.
pub fn draw_legend(canvas: &mut Canvas, model: &Model, area: Area) -> f32 {
    let fonts = canvas.fonts();
    let (sample_w, sample_h) = (22.0, 10.0);
    let mut flow = Flow {
        area,
        x: area.x,
        row: 0,
    };
    let text_width = |text: &str| fonts.width(LEGEND_FONT.face, LEGEND_FONT.size, text);
    let baseline = |top: f32| top + LEGEND_ROW / 2.0 + LEGEND_FONT.size * 0.36;

    for &kind in NodeKind::ALL {
        if !model.nodes.iter().any(|node| node.kind() == kind) {
            continue;
        }
        let label = kind_label(kind);
        let (left, top) = flow.place(sample_w + 4.0 + text_width(label));
        let frame = Area {
            x: left,
            y: top + (LEGEND_ROW - sample_h) / 2.0,
            width: sample_w,
            height: sample_h,
        };
        draw_shape(canvas, Some(kind), frame, 0.6);
        canvas.text(left + sample_w + 4.0, baseline(top), LEGEND_FONT, label);
    }
    // Conventions start on a row of their own.
    flow.break_row();
    if !model.edges.is_empty() {
        let label = "relation, from → to";
        let (left, top) = flow.place(sample_w + 4.0 + text_width(label));
        let y = top + LEGEND_ROW / 2.0;
        draw_arrow(
            canvas,
            &[(left, y), (left + sample_w, y)],
            EDGE,
            0.7,
            4.0,
            false,
        );
        canvas.text(left + sample_w + 4.0, baseline(top), LEGEND_FONT, label);
    }
    for &zone in Zone::ALL {
        if !model.boundaries.iter().any(|b| b.zone == zone) {
            continue;
        }
        let label = format!("{zone} trust boundary");
        let (left, top) = flow.place(sample_w + 4.0 + text_width(&label));
        let color = zone_color(zone);
        let paint = Paint::fill_and_stroke(tint(color, 0.05), color, 0.7).dashed();
        canvas.rounded_rect(
            left,
            top + (LEGEND_ROW - sample_h) / 2.0,
            sample_w,
            sample_h,
            2.5,
            paint,
        );
        canvas.text(left + sample_w + 4.0, baseline(top), LEGEND_FONT, &label);
    }
    flow.break_row();
    flow.row as f32 * LEGEND_ROW
}

/// Items set left to right in rows of the legend.
struct Flow {
    area: Area,
    x: f32,
    row: usize,
}

impl Flow {
    const GAP: f32 = 12.0;

    /// The top-left corner for an item `width` wide, on a new row when this one is full.
    fn place(&mut self, width: f32) -> (f32, f32) {
        if self.x > self.area.x && self.x + width > self.area.right() {
            self.break_row();
        }
        let at = (self.x, self.area.y + self.row as f32 * LEGEND_ROW);
        self.x += width + Self::GAP;
        at
    }

    /// Ends the current row unless it is empty.
    fn break_row(&mut self) {
        if self.x > self.area.x {
            self.x = self.area.x;
            self.row += 1;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Witness paths

const PATH_NODE: (f32, f32) = (112.0, 34.0);
const PATH_NAME: f32 = 7.0;
const PATH_LABEL: Font = Font::new(Face::Regular, 6.5, MUTED);
const PATH_ROW_GAP: f32 = 20.0;
const PATH_MIN_GAP: f32 = 44.0;
const PATH_MAX_GAP: f32 = 132.0;

/// Where each step of a witness path goes: its row, its left edge relative to the row's
/// start, and the label lines of the hop into it.
struct PathPlan {
    node: (f32, f32),
    steps: Vec<PlannedStep>,
    rows: usize,
}

struct PlannedStep {
    row: usize,
    x: f32,
    label: Vec<String>,
}

impl PathPlan {
    fn new(path: &[Step], width: f32, fonts: &Fonts) -> PathPlan {
        let node_width = PATH_NODE.0.min(width * 0.4).max(1.0);
        let node = (node_width, PATH_NODE.1);
        let max_gap = PATH_MAX_GAP
            .min(width - node_width)
            .max(PATH_MIN_GAP.min(width * 0.3));
        let mut steps = Vec::with_capacity(path.len());
        let (mut row, mut x) = (0, 0.0);
        for (i, step) in path.iter().enumerate() {
            let mut label = Vec::new();
            if let Some(hop) = step.hop.as_ref().filter(|_| i > 0) {
                let room = max_gap - 12.0;
                // Across the nodes a long path leaves out, the label says so first.
                let reason = if step.elided > 0 {
                    format!(
                        "… {} more … {}",
                        crate::report::plural_steps(step.elided),
                        hop.reason.trim()
                    )
                } else {
                    hop.reason.trim().to_owned()
                };
                label = fonts.wrap(PATH_LABEL.face, PATH_LABEL.size, &reason, room);
                if label.len() > 2 {
                    let rest = label[1..].join(" ");
                    label.truncate(1);
                    label.push(fonts.truncate(PATH_LABEL.face, PATH_LABEL.size, &rest, room));
                }
                label.retain(|l| !l.is_empty());
            }
            if i > 0 {
                let text = label
                    .iter()
                    .map(|l| fonts.width(PATH_LABEL.face, PATH_LABEL.size, l))
                    .fold(0.0, f32::max);
                let gap = (text + 12.0).clamp(PATH_MIN_GAP.min(max_gap), max_gap);
                if x + gap + node_width > width && x > 0.0 {
                    row += 1;
                    x = 0.0;
                }
                x += gap;
            }
            steps.push(PlannedStep { row, x, label });
            x += node_width;
        }
        PathPlan {
            node,
            steps,
            rows: if path.is_empty() { 0 } else { row + 1 },
        }
    }

    fn height(&self) -> f32 {
        if self.rows == 0 {
            return 0.0;
        }
        self.rows as f32 * self.node.1 + (self.rows - 1) as f32 * PATH_ROW_GAP
    }
}

/// The height `draw_path` needs for a witness path at `width`.
pub fn path_diagram_height(path: &[Step], width: f32, fonts: &Fonts) -> f32 {
    PathPlan::new(path, width, fonts).height()
}

/// Draws a witness path left to right: each node in its kind's shape with its name,
/// joined by arrows labelled with why the hop is possible. A hop that walks an edge against
/// its direction has its arrowhead at the previous node (the edge's real direction). A path
/// longer than a row continues on the next, joined by an elbow under the row.
pub fn draw_path(canvas: &mut Canvas, model: &Model, path: &[Step], area: Area) {
    let fonts = canvas.fonts();
    let plan = PathPlan::new(path, area.width, fonts);
    let (node_width, node_height) = plan.node;
    let top_of = |row: usize| area.y + row as f32 * (node_height + PATH_ROW_GAP);
    let frame_of = |step: &PlannedStep| Area {
        x: area.x + step.x,
        y: top_of(step.row),
        width: node_width,
        height: node_height,
    };
    let kinds: Vec<Option<NodeKind>> = path
        .iter()
        .map(|step| model.node(&step.node).map(|node| node.kind()))
        .collect();

    for i in 1..plan.steps.len() {
        let (previous, current) = (&plan.steps[i - 1], &plan.steps[i]);
        let (a, b) = (frame_of(previous), frame_of(current));
        let reversed = path[i].hop.as_ref().is_some_and(|hop| hop.reversed);
        let y = b.centre().1;
        let points = if previous.row == current.row {
            vec![
                border_point(kinds[i - 1], a, b.centre()),
                border_point(kinds[i], b, a.centre()),
            ]
        } else {
            // Down from the end of the row, back along the gap beneath it, into the next row.
            let below = a.bottom() + PATH_ROW_GAP / 2.0;
            let start = border_point(kinds[i - 1], a, (a.centre().0, a.bottom() + 1.0));
            let x = area.x + 2.0;
            vec![
                start,
                (start.0, below),
                (x, below),
                (x, y),
                border_point(kinds[i], b, (x, y)),
            ]
        };
        draw_arrow(canvas, &points, EDGE, 0.8, 4.5, reversed);
        // The label sits over the last, horizontal stretch of the arrow.
        let n = points.len();
        let (x0, x1) = (points[n - 2].0, points[n - 1].0);
        let cx = (x0 + x1) / 2.0;
        let line = PATH_LABEL.size * 1.15;
        let mut baseline = y - 2.5 - (current.label.len() as f32 - 1.0) * line;
        for text in &current.label {
            canvas.text_centered(cx, baseline, PATH_LABEL, text);
            baseline += line;
        }
    }
    for ((step, planned), &kind) in path.iter().zip(&plan.steps).zip(&kinds) {
        let frame = frame_of(planned);
        draw_shape(canvas, kind, frame, 0.8);
        let name = model
            .node(&step.node)
            .map_or(step.node.as_str(), |node| node.name.as_str());
        draw_node_text(canvas, kind, frame, name, PATH_NAME);
    }
}

#[cfg(test)]
mod tests {
    use printpdf::Op;

    use super::*;
    use crate::findings::{Hop, Step};
    use crate::graph::ModelGraph;
    use crate::model::{Boundary, Edge, Node, NodeProperties, Position};
    use crate::syntax::{Format, Limits, parse_model};

    const PAGE: f32 = 595.0;
    const AREA: Area = Area {
        x: 30.0,
        y: 60.0,
        width: 780.0,
        height: 470.0,
    };

    fn fonts() -> Fonts {
        Fonts::load()
    }

    fn render(fonts: &Fonts, draw: impl FnOnce(&mut Canvas)) -> Vec<Op> {
        let mut ops = Vec::new();
        draw(&mut Canvas::new(&mut ops, fonts, PAGE));
        ops
    }

    fn texts(ops: &[Op]) -> Vec<String> {
        ops.iter()
            .filter_map(|op| match op {
                Op::ShowText { items } => Some(
                    items
                        .iter()
                        .map(|item| match item {
                            printpdf::TextItem::Text(text) => text.as_str(),
                            _ => "",
                        })
                        .collect(),
                ),
                _ => None,
            })
            .collect()
    }

    /// Every point drawn and every text position, back in top-left coordinates.
    fn points(ops: &[Op]) -> Vec<(f32, f32)> {
        let flip = |p: &printpdf::Point| (p.x.0, PAGE - p.y.0);
        let mut out = Vec::new();
        for op in ops {
            match op {
                Op::DrawPolygon { polygon } => out.extend(
                    polygon
                        .rings
                        .iter()
                        .flat_map(|r| r.points.iter().map(|lp| flip(&lp.p))),
                ),
                Op::DrawLine { line } => out.extend(line.points.iter().map(|lp| flip(&lp.p))),
                Op::SetTextCursor { pos } => out.push(flip(pos)),
                _ => {}
            }
        }
        out
    }

    fn assert_inside(ops: &[Op], area: Area) {
        let points = points(ops);
        assert!(!points.is_empty());
        for (x, y) in points {
            assert!(
                x >= area.x - 0.01
                    && x <= area.right() + 0.01
                    && y >= area.y - 0.01
                    && y <= area.bottom() + 0.01,
                "({x}, {y}) outside {area:?}"
            );
        }
    }

    fn example(name: &str) -> Model {
        let text = std::fs::read_to_string(format!(
            "{}/models/{name}.bartizan.yaml",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("the example model is readable");
        let parsed = parse_model(&text, Format::Yaml, &Limits::default());
        parsed
            .valid_model()
            .cloned()
            .expect("the example model is valid")
    }

    fn node(id: &str, kind: NodeKind, name: &str) -> Node {
        let properties = match kind {
            NodeKind::Agent => NodeProperties::Agent(Default::default()),
            NodeKind::Model => NodeProperties::Model(Default::default()),
            NodeKind::Tool => NodeProperties::Tool(Default::default()),
            NodeKind::Identity => NodeProperties::Identity(Default::default()),
            NodeKind::Secret => NodeProperties::Secret(Default::default()),
            NodeKind::Datastore => NodeProperties::Datastore(Default::default()),
            NodeKind::Memory => NodeProperties::Memory(Default::default()),
            NodeKind::Workflow => NodeProperties::Workflow(Default::default()),
            NodeKind::Human => NodeProperties::Human(Default::default()),
            NodeKind::Input => NodeProperties::Input(Default::default()),
            NodeKind::Gateway => NodeProperties::Gateway(Default::default()),
        };
        Node {
            id: id.to_owned(),
            name: name.to_owned(),
            description: None,
            properties,
        }
    }

    /// About `count` nodes of every kind in team boundaries, chained and linked across teams.
    fn big(count: usize) -> Model {
        let mut model = Model::new("big");
        for i in 0..count {
            let kind = NodeKind::ALL[i % NodeKind::ALL.len()];
            model.nodes.push(node(
                &format!("n{i}"),
                kind,
                &format!("Node number {i} with a long name"),
            ));
            if i % 11 != 0 {
                model.edges.push(Edge::new(
                    format!("n{}", i - 1),
                    Relation::Invokes,
                    format!("n{i}"),
                ));
            }
            if i % 7 == 3 && i > 20 {
                model.edges.push(Edge::new(
                    format!("n{i}"),
                    Relation::Feeds,
                    format!("n{}", i / 3),
                ));
            }
        }
        for team in 0..count / 25 {
            model.boundaries.push(Boundary {
                id: format!("team-{team}"),
                name: format!("Team {team}"),
                zone: Zone::ALL[team % Zone::ALL.len()],
                description: None,
                parent: None,
                members: (team * 25..(team + 1) * 25)
                    .map(|i| format!("n{i}"))
                    .collect(),
            });
        }
        model
    }

    fn path(steps: &[(&str, Option<(&str, bool)>)]) -> Vec<Step> {
        steps
            .iter()
            .map(|&(node, hop)| Step {
                elided: 0,
                node: node.to_owned(),
                hop: hop.map(|(reason, reversed)| Hop {
                    edge: "e".into(),
                    relation: Relation::Invokes,
                    reversed,
                    reason: reason.to_owned(),
                }),
            })
            .collect()
    }

    #[test]
    fn the_system_diagram_names_every_node_and_labels_every_edge() {
        let fonts = fonts();
        for name in ["customer-support", "finance-ops", "well-governed"] {
            let model = example(name);
            let ops = render(&fonts, |canvas| draw_system(canvas, &model, AREA));
            let texts = texts(&ops);
            for node in &model.nodes {
                let first = node.name.split(' ').next().unwrap_or_default();
                assert!(
                    texts.iter().any(|t| t.contains(first)),
                    "{name}: {} in {texts:?}",
                    node.name
                );
            }
            let relations = texts
                .iter()
                .filter(|t| Relation::ALL.iter().any(|r| relation_label(*r) == **t))
                .count();
            assert!(
                relations * 10 >= model.edges.len() * 9,
                "{name}: {relations} of {} edge labels",
                model.edges.len()
            );
            let arrows = ops
                .iter()
                .filter(|op| matches!(op, Op::DrawLine { .. }))
                .count();
            assert!(arrows >= model.edges.len());
            assert_inside(&ops, AREA);
        }
    }

    #[test]
    fn the_diagram_fits_its_area_at_any_size_and_with_odd_models() {
        let fonts = fonts();
        let mut odd = Model::new("odd");
        odd.nodes = vec![
            node("z", NodeKind::Human, "Zürich Ops — Ünïcode"),
            node(
                "long",
                NodeKind::Datastore,
                &"A very long datastore name ".repeat(8),
            ),
            node("m", NodeKind::Memory, ""),
        ];
        odd.edges = vec![
            Edge::new("z", Relation::Delegates, "z"),
            Edge::new("z", Relation::Reads, "long"),
            Edge::new("z", Relation::Writes, "long"),
            Edge::new("long", Relation::Feeds, "z"),
            Edge::new("m", Relation::Feeds, "m"),
        ];
        let mut placed = odd.clone();
        placed.layout.nodes.insert(
            "z".into(),
            Position {
                x: -900.0,
                y: -400.0,
            },
        );
        placed.layout.nodes.insert(
            "long".into(),
            Position {
                x: -100.0,
                y: 350.0,
            },
        );
        let one = {
            let mut one = Model::new("one");
            one.nodes
                .push(node("a", NodeKind::Gateway, "Policy gateway"));
            one
        };
        for model in [&odd, &placed, &one, &Model::new("empty"), &big(300)] {
            for area in [
                AREA,
                Area {
                    x: 10.0,
                    y: 10.0,
                    width: 200.0,
                    height: 90.0,
                },
            ] {
                let ops = render(&fonts, |canvas| draw_system(canvas, model, area));
                assert_inside(&ops, area);
            }
        }
        let ops = render(&fonts, |canvas| draw_system(canvas, &odd, AREA));
        let texts = texts(&ops);
        assert!(
            texts.join(" ").contains("Zürich Ops — Ünïcode"),
            "{texts:?}"
        );
        assert!(
            texts.iter().any(|t| t.ends_with('…')),
            "the long name is cut: {texts:?}"
        );
        assert!(
            texts.iter().any(|t| t == "delegates"),
            "the self-loop is labelled: {texts:?}"
        );
    }

    #[test]
    fn three_hundred_nodes_draw_quickly() {
        let fonts = fonts();
        let model = big(300);
        let start = std::time::Instant::now();
        let ops = render(&fonts, |canvas| draw_system(canvas, &model, AREA));
        eprintln!(
            "300 nodes drawn in {:?}, {} operations",
            start.elapsed(),
            ops.len()
        );
        let shapes = ops
            .iter()
            .filter(|op| matches!(op, Op::DrawPolygon { .. }))
            .count();
        assert!(shapes >= 300);
    }

    #[test]
    fn the_legend_lists_the_kinds_present() {
        let fonts = fonts();
        let model = example("customer-support");
        let mut height = 0.0;
        let ops = render(&fonts, |canvas| {
            height = draw_legend(
                canvas,
                &model,
                Area {
                    height: 40.0,
                    ..AREA
                },
            )
        });
        let texts = texts(&ops);
        for node in &model.nodes {
            assert!(texts.iter().any(|t| t == kind_label(node.kind())));
        }
        assert!(
            !texts.iter().any(|t| t == "Gateway")
                || model.nodes.iter().any(|n| n.kind() == NodeKind::Gateway)
        );
        assert!(height > 0.0 && height <= 40.0, "{height}");
        assert_inside(&ops, Area { height, ..AREA });
    }

    #[test]
    fn a_witness_path_draws_its_nodes_and_reasons_and_wraps() {
        let fonts = fonts();
        let model = example("customer-support");
        let graph = ModelGraph::new(&model);
        let risks = crate::risks::assess(&graph).risks;
        let longest = risks
            .iter()
            .flat_map(|risk| &risk.paths)
            .max_by_key(|path| path.len())
            .expect("the example has risks");
        let width = 480.0;
        let height = path_diagram_height(longest, width, &fonts);
        let area = Area {
            x: 50.0,
            y: 100.0,
            width,
            height,
        };
        let ops = render(&fonts, |canvas| draw_path(canvas, &model, longest, area));
        let texts = texts(&ops);
        for step in longest {
            let name = &model.node(&step.node).expect("path nodes exist").name;
            let first = name.split(' ').next().unwrap_or_default();
            assert!(
                texts.iter().any(|t| t.contains(first)),
                "{name} in {texts:?}"
            );
        }
        assert_inside(&ops, area);

        // A long path with a node the model lacks and a reversed hop wraps onto more rows.
        let mut steps: Vec<(&str, Option<(&str, bool)>)> = vec![("inbound-email", None)];
        for i in 0..9 {
            steps.push(if i % 2 == 0 {
                ("crm-connector", Some(("is invoked by", true)))
            } else {
                (
                    "no-such-node",
                    Some(("grants read, write, delete, admin, payment on", false)),
                )
            });
        }
        let long = path(&steps);
        let height = path_diagram_height(&long, width, &fonts);
        assert!(height > 2.0 * PATH_NODE.1, "{height}");
        let area = Area {
            x: 50.0,
            y: 100.0,
            width,
            height,
        };
        let ops = render(&fonts, |canvas| draw_path(canvas, &model, &long, area));
        assert_inside(&ops, area);
        assert!(texts_contain(&ops, "no-such-node"));
        assert_eq!(
            super::tests::texts(&ops)
                .iter()
                .filter(|t| *t == "is invoked by")
                .count(),
            5
        );

        let single = path(&[("crm", None)]);
        let height = path_diagram_height(&single, width, &fonts);
        assert_eq!(height, PATH_NODE.1);
        let ops = render(&fonts, |canvas| {
            draw_path(canvas, &model, &single, Area { height, ..area })
        });
        assert!(texts_contain(&ops, "CRM"));
        assert_eq!(path_diagram_height(&[], width, &fonts), 0.0);
    }

    fn texts_contain(ops: &[Op], text: &str) -> bool {
        texts(ops).iter().any(|t| t == text)
    }

    #[test]
    fn edges_end_on_the_border_of_each_shape() {
        let frame = Area {
            x: 0.0,
            y: 0.0,
            width: 100.0,
            height: 30.0,
        };
        for &kind in NodeKind::ALL {
            let (x, y) = border_point(Some(kind), frame, (500.0, 15.0));
            assert!(
                (95.0..=100.01).contains(&x) && (y - 15.0).abs() < 0.01,
                "{kind}: {x}"
            );
            let (x, y) = border_point(Some(kind), frame, (50.0, -200.0));
            assert!(
                (x - 50.0).abs() < 0.01 && (-0.01..=10.0).contains(&y),
                "{kind}: {y}"
            );
        }
    }
}
