//! Drawing on one page in points with the origin at the top-left corner and y growing
//! downwards (the way layouts are computed); converted to PDF's bottom-left origin here and
//! nowhere else. printpdf has no circle: ellipses are four Bézier arcs.

use printpdf::{
    Color as PdfColor, Line, LineDashPattern, LinePoint, Op, PaintMode, PdfFontHandle, Point,
    Polygon, PolygonRing, Pt, Rgb, TextItem, WindingOrder,
};

use super::fonts::{Face, Fonts};

/// An sRGB colour.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Color(pub u8, pub u8, pub u8);

impl Color {
    pub const BLACK: Color = Color(0x1f, 0x23, 0x28);
    pub const WHITE: Color = Color(0xff, 0xff, 0xff);

    fn pdf(self) -> PdfColor {
        PdfColor::Rgb(Rgb {
            r: f32::from(self.0) / 255.0,
            g: f32::from(self.1) / 255.0,
            b: f32::from(self.2) / 255.0,
            icc_profile: None,
        })
    }
}

/// How a shape is painted: a fill, an outline, or both.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Paint {
    pub fill: Option<Color>,
    pub stroke: Option<Color>,
    pub stroke_width: f32,
    pub dashed: bool,
}

impl Paint {
    pub fn fill(color: Color) -> Paint {
        Paint {
            fill: Some(color),
            stroke: None,
            stroke_width: 0.0,
            dashed: false,
        }
    }

    pub fn stroke(color: Color, width: f32) -> Paint {
        Paint {
            fill: None,
            stroke: Some(color),
            stroke_width: width,
            dashed: false,
        }
    }

    pub fn fill_and_stroke(fill: Color, stroke: Color, width: f32) -> Paint {
        Paint {
            fill: Some(fill),
            stroke: Some(stroke),
            stroke_width: width,
            dashed: false,
        }
    }

    pub fn dashed(self) -> Paint {
        Paint {
            dashed: true,
            ..self
        }
    }
}

/// Text style: face, size in points and colour.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Font {
    pub face: Face,
    pub size: f32,
    pub color: Color,
}

impl Font {
    pub const fn new(face: Face, size: f32, color: Color) -> Font {
        Font { face, size, color }
    }
}

/// The Bézier control distance that makes a quarter circle.
const KAPPA: f32 = 0.552_284_8;

/// The largest coordinate written, in points: PDF readers are only required to handle numbers
/// up to ±32,767 (PDF 1.7, Annex C), some four hundred times an A4 page.
const PDF_COORDINATE_LIMIT: f32 = 32_767.0;

/// A number PDF can hold: a drawing gone wrong (a division by zero, an overflow) must not write
/// `NaN` or `inf` into the content stream, which readers reject as a syntax error.
fn pdf_number(value: f32) -> f32 {
    if value.is_nan() {
        0.0
    } else {
        value.clamp(-PDF_COORDINATE_LIMIT, PDF_COORDINATE_LIMIT)
    }
}

pub struct Canvas<'a> {
    ops: &'a mut Vec<Op>,
    fonts: &'a Fonts,
    page_height: f32,
    /// The font and fill colour the page's text was last set in, when the page keeps track:
    /// both persist across text objects, so repeating them only grows the page (a long report
    /// sets tens of thousands of lines).
    text_state: Option<&'a mut Option<Font>>,
}

impl<'a> Canvas<'a> {
    /// A canvas that sets the text state on every line (tests draw onto bare op lists).
    #[cfg(test)]
    pub fn new(ops: &'a mut Vec<Op>, fonts: &'a Fonts, page_height: f32) -> Canvas<'a> {
        Canvas {
            ops,
            fonts,
            page_height,
            text_state: None,
        }
    }

    /// A canvas on a page that remembers its text state between canvases.
    pub fn tracked(
        ops: &'a mut Vec<Op>,
        text_state: &'a mut Option<Font>,
        fonts: &'a Fonts,
        page_height: f32,
    ) -> Canvas<'a> {
        Canvas {
            ops,
            fonts,
            page_height,
            text_state: Some(text_state),
        }
    }

    pub fn fonts(&self) -> &'a Fonts {
        self.fonts
    }

    fn point(&self, x: f32, y: f32) -> Point {
        Point {
            x: Pt(pdf_number(x)),
            y: Pt(pdf_number(self.page_height - y)),
        }
    }

    pub fn rect(&mut self, x: f32, y: f32, width: f32, height: f32, paint: Paint) {
        let corners = [
            (x, y),
            (x + width, y),
            (x + width, y + height),
            (x, y + height),
        ];
        let points = corners.iter().map(|&(x, y)| self.corner(x, y)).collect();
        self.path(points, true, paint);
    }

    /// A rectangle with quarter-circle corners of `radius`.
    pub fn rounded_rect(
        &mut self,
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        radius: f32,
        paint: Paint,
    ) {
        let r = radius.min(width / 2.0).min(height / 2.0);
        if r <= 0.0 {
            return self.rect(x, y, width, height, paint);
        }
        let k = r * KAPPA;
        let (right, bottom) = (x + width, y + height);
        let points = vec![
            self.corner(x + r, y),
            self.corner(right - r, y),
            self.control(right - r + k, y),
            self.control(right, y + r - k),
            self.corner(right, y + r),
            self.corner(right, bottom - r),
            self.control(right, bottom - r + k),
            self.control(right - r + k, bottom),
            self.corner(right - r, bottom),
            self.corner(x + r, bottom),
            self.control(x + r - k, bottom),
            self.control(x, bottom - r + k),
            self.corner(x, bottom - r),
            self.corner(x, y + r),
            self.control(x, y + r - k),
            self.control(x + r - k, y),
            self.corner(x + r, y),
        ];
        self.path(points, true, paint);
    }

    /// An ellipse centred on (`cx`, `cy`).
    pub fn ellipse(&mut self, cx: f32, cy: f32, rx: f32, ry: f32, paint: Paint) {
        let (kx, ky) = (rx * KAPPA, ry * KAPPA);
        let points = vec![
            self.corner(cx + rx, cy),
            self.control(cx + rx, cy + ky),
            self.control(cx + kx, cy + ry),
            self.corner(cx, cy + ry),
            self.control(cx - kx, cy + ry),
            self.control(cx - rx, cy + ky),
            self.corner(cx - rx, cy),
            self.control(cx - rx, cy - ky),
            self.control(cx - kx, cy - ry),
            self.corner(cx, cy - ry),
            self.control(cx + kx, cy - ry),
            self.control(cx + rx, cy - ky),
            self.corner(cx + rx, cy),
        ];
        self.path(points, true, paint);
    }

    /// A closed polygon through `points`.
    pub fn polygon(&mut self, points: &[(f32, f32)], paint: Paint) {
        let points = points.iter().map(|&(x, y)| self.corner(x, y)).collect();
        self.path(points, true, paint);
    }

    /// An open line through `points`.
    pub fn polyline(&mut self, points: &[(f32, f32)], color: Color, width: f32, dashed: bool) {
        let points = points.iter().map(|&(x, y)| self.corner(x, y)).collect();
        let paint = Paint {
            dashed,
            ..Paint::stroke(color, width)
        };
        self.path(points, false, paint);
    }

    /// A filled arrowhead whose tip is at `tip`, pointing away from `from`.
    pub fn arrowhead(&mut self, from: (f32, f32), tip: (f32, f32), size: f32, color: Color) {
        let (dx, dy) = (tip.0 - from.0, tip.1 - from.1);
        let length = (dx * dx + dy * dy).sqrt();
        if length < f32::EPSILON {
            return;
        }
        let (ux, uy) = (dx / length, dy / length);
        let base = (tip.0 - ux * size, tip.1 - uy * size);
        let half = size * 0.45;
        let left = (base.0 - uy * half, base.1 + ux * half);
        let right = (base.0 + uy * half, base.1 - ux * half);
        self.polygon(&[tip, left, right], Paint::fill(color));
    }

    /// One line of text with its baseline at `y`.
    pub fn text(&mut self, x: f32, y: f32, font: Font, text: &str) {
        if text.is_empty() {
            return;
        }
        let pos = self.point(x, y);
        self.ops.push(Op::StartTextSection);
        let current = self.text_state.as_deref().copied().flatten();
        if current.is_none_or(|c| c.color != font.color) {
            self.ops.push(Op::SetFillColor {
                col: font.color.pdf(),
            });
        }
        if current.is_none_or(|c| c.face != font.face || c.size != font.size) {
            self.ops.push(Op::SetFont {
                font: PdfFontHandle::External(self.fonts.id(font.face).clone()),
                size: Pt(pdf_number(font.size)),
            });
        }
        if let Some(state) = self.text_state.as_deref_mut() {
            *state = Some(font);
        }
        self.ops.extend([
            Op::SetTextCursor { pos },
            Op::ShowText {
                items: vec![TextItem::Text(text.to_owned())],
            },
            Op::EndTextSection,
        ]);
    }

    /// One line of text centred on `cx`.
    pub fn text_centered(&mut self, cx: f32, y: f32, font: Font, text: &str) {
        let width = self.fonts.width(font.face, font.size, text);
        self.text(cx - width / 2.0, y, font, text);
    }

    /// One line of text ending at `right`.
    pub fn text_right(&mut self, right: f32, y: f32, font: Font, text: &str) {
        let width = self.fonts.width(font.face, font.size, text);
        self.text(right - width, y, font, text);
    }

    pub fn text_width(&self, font: Font, text: &str) -> f32 {
        self.fonts.width(font.face, font.size, text)
    }

    /// Raw operations, for what the canvas does not draw itself (link annotations).
    pub fn push(&mut self, op: Op) {
        self.ops.push(op);
    }

    fn corner(&self, x: f32, y: f32) -> LinePoint {
        LinePoint {
            p: self.point(x, y),
            bezier: false,
        }
    }

    fn control(&self, x: f32, y: f32) -> LinePoint {
        LinePoint {
            p: self.point(x, y),
            bezier: true,
        }
    }

    fn path(&mut self, points: Vec<LinePoint>, closed: bool, paint: Paint) {
        self.ops.push(Op::SaveGraphicsState);
        if let Some(fill) = paint.fill {
            self.ops.push(Op::SetFillColor { col: fill.pdf() });
        }
        if let Some(stroke) = paint.stroke {
            self.ops.push(Op::SetOutlineColor { col: stroke.pdf() });
            self.ops.push(Op::SetOutlineThickness {
                pt: Pt(pdf_number(paint.stroke_width)),
            });
            if paint.dashed {
                let dash = pdf_number((paint.stroke_width * 3.0).max(2.0));
                self.ops.push(Op::SetLineDashPattern {
                    dash: LineDashPattern::new(0.0, &[dash, dash]),
                });
            }
        }
        if closed {
            let mode = match (paint.fill.is_some(), paint.stroke.is_some()) {
                (true, true) => PaintMode::FillStroke,
                (true, false) => PaintMode::Fill,
                _ => PaintMode::Stroke,
            };
            self.ops.push(Op::DrawPolygon {
                polygon: Polygon {
                    rings: vec![PolygonRing { points }],
                    mode,
                    winding_order: WindingOrder::NonZero,
                },
            });
        } else {
            self.ops.push(Op::DrawLine {
                line: Line {
                    points,
                    is_closed: false,
                },
            });
        }
        self.ops.push(Op::RestoreGraphicsState);
    }
}
