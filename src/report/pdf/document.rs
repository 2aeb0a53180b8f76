//! The report's page flow: blocks laid out top to bottom on A4 pages, text wrapped against
//! the embedded fonts' advances, tables whose rows never split and whose header repeats on
//! every page they continue on, headings recorded for the table of contents and the outline.
//! Pages may be portrait or landscape; headers and footers are added once the page count is
//! known.

use printpdf::Op;

use super::canvas::{Canvas, Color, Font, Paint};
use super::fonts::{Face, Fonts};
use super::theme;

/// A4 in points.
const A4_SHORT: f32 = 595.28;
const A4_LONG: f32 = 841.89;
pub const MARGIN_X: f32 = 54.0;
/// Room above the content for the running header.
pub const MARGIN_TOP: f32 = 66.0;
/// Room below the content for the footer.
pub const MARGIN_BOTTOM: f32 = 58.0;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Orientation {
    Portrait,
    Landscape,
}

impl Orientation {
    pub fn size(self) -> (f32, f32) {
        match self {
            Orientation::Portrait => (A4_SHORT, A4_LONG),
            Orientation::Landscape => (A4_LONG, A4_SHORT),
        }
    }
}

pub struct Page {
    pub orientation: Orientation,
    pub ops: Vec<Op>,
    /// Cover pages carry no running header or footer.
    pub plain: bool,
    /// The text font and colour last set on the page (see [`Canvas::tracked`]).
    pub text_state: Option<Font>,
}

impl Page {
    pub fn new(orientation: Orientation, plain: bool) -> Page {
        Page {
            orientation,
            ops: Vec::new(),
            plain,
            text_state: None,
        }
    }

    pub fn canvas<'a>(&'a mut self, fonts: &'a Fonts) -> Canvas<'a> {
        let height = self.orientation.size().1;
        Canvas::tracked(&mut self.ops, &mut self.text_state, fonts, height)
    }
}

/// A heading: an entry in the table of contents and the PDF outline.
pub struct Heading {
    pub level: u8,
    pub title: String,
    /// Index into the pages (0-based).
    pub page: usize,
    /// Distance from the top of the page.
    pub y: f32,
}

/// A table column: its header and its share of the content width.
pub struct Column {
    pub header: String,
    pub share: f32,
    pub face: Face,
}

impl Column {
    pub fn new(header: &str, share: f32) -> Column {
        Column {
            header: header.to_owned(),
            share,
            face: Face::Regular,
        }
    }

    pub fn mono(header: &str, share: f32) -> Column {
        Column {
            face: Face::Mono,
            ..Column::new(header, share)
        }
    }
}

/// A table cell: text, optionally on a coloured background (severity badges).
#[derive(Clone, Debug, Default)]
pub struct Cell {
    pub text: String,
    pub fill: Option<Color>,
    pub bold: bool,
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell {
            text,
            ..Cell::default()
        }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::from(text.to_owned())
    }
}

pub struct Writer<'f> {
    fonts: &'f Fonts,
    pub pages: Vec<Page>,
    pub headings: Vec<Heading>,
    /// Distance of the next block from the top of the current page.
    y: f32,
}

/// Rows never split, so a cell stops (with "…") well before a row could outgrow a landscape
/// page; a heading stops where it would crowd out what it heads.
const MAX_CELL_LINES: usize = 20;
const MAX_HEADING_LINES: usize = 4;
const CELL_PAD_X: f32 = 4.0;
const CELL_PAD_Y: f32 = 3.5;

impl<'f> Writer<'f> {
    pub fn new(fonts: &'f Fonts) -> Writer<'f> {
        Writer {
            fonts,
            pages: Vec::new(),
            headings: Vec::new(),
            y: 0.0,
        }
    }

    pub fn fonts(&self) -> &'f Fonts {
        self.fonts
    }

    /// Starts a page; content begins under the header.
    pub fn new_page(&mut self, orientation: Orientation) {
        self.pages.push(Page::new(orientation, false));
        self.y = MARGIN_TOP;
    }

    /// A page without header and footer (the cover), drawn freely.
    pub fn plain_page(&mut self, orientation: Orientation) -> Canvas<'_> {
        self.pages.push(Page::new(orientation, true));
        self.y = MARGIN_TOP;
        self.canvas()
    }

    fn page(&self) -> &Page {
        self.pages.last().expect("a page was started")
    }

    pub fn orientation(&self) -> Orientation {
        self.page().orientation
    }

    pub fn left(&self) -> f32 {
        MARGIN_X
    }

    pub fn width(&self) -> f32 {
        self.orientation().size().0 - 2.0 * MARGIN_X
    }

    fn bottom(&self) -> f32 {
        self.orientation().size().1 - MARGIN_BOTTOM
    }

    /// The room left on the current page.
    pub fn remaining(&self) -> f32 {
        self.bottom() - self.y
    }

    pub fn y(&self) -> f32 {
        self.y
    }

    fn at_top(&self) -> bool {
        self.y <= MARGIN_TOP + 0.5
    }

    /// Moves to a new page (same orientation) unless `height` fits on this one.
    pub fn ensure(&mut self, height: f32) {
        if height > self.remaining() && !self.at_top() {
            let orientation = self.orientation();
            self.new_page(orientation);
        }
    }

    pub fn space(&mut self, height: f32) {
        self.y += height;
    }

    pub fn canvas(&mut self) -> Canvas<'_> {
        let page = self.pages.last_mut().expect("a page was started");
        page.canvas(self.fonts)
    }

    /// A numbered section heading (level 1) or subsection (level 2, 3). Level 1 starts a new
    /// page in `orientation`; the others keep at least `keep_with` points of what follows on
    /// the same page.
    pub fn heading(&mut self, level: u8, title: &str, keep_with: f32) {
        let font = theme::heading_font(level);
        let lines =
            self.fonts
                .wrap_at_most(font.face, font.size, title, self.width(), MAX_HEADING_LINES);
        let line_height = font.size * 1.25;
        let height = line_height * lines.len() as f32 + theme::heading_space_after(level);
        if level > 1 {
            self.space(theme::heading_space_before(level));
            self.ensure(height + keep_with);
            if self.at_top() {
                self.y = MARGIN_TOP;
            }
        }
        self.headings.push(Heading {
            level,
            title: title.to_owned(),
            page: self.pages.len() - 1,
            y: self.y,
        });
        let left = self.left();
        let mut y = self.y;
        for line in &lines {
            y += font.size;
            self.canvas().text(left, y, font, line);
            y += line_height - font.size;
        }
        if level == 1 {
            let width = self.width();
            self.canvas()
                .rect(left, y + 3.0, width, 1.2, Paint::fill(theme::ACCENT));
            y += 4.0;
        }
        self.y = y + theme::heading_space_after(level);
    }

    /// Wrapped text, flowing onto further pages when it must.
    pub fn paragraph(&mut self, text: &str, font: Font) {
        self.paragraph_indented(text, font, 0.0);
    }

    pub fn paragraph_indented(&mut self, text: &str, font: Font, indent: f32) {
        let width = self.width() - indent;
        let lines = self.fonts.wrap(font.face, font.size, text, width);
        let line_height = font.size * 1.4;
        let left = self.left() + indent;
        for line in &lines {
            self.ensure(line_height);
            let baseline = self.y + font.size;
            self.canvas().text(left, baseline, font, line);
            self.y += line_height;
        }
        self.y += font.size * 0.5;
    }

    /// A bulleted item.
    pub fn bullet(&mut self, text: &str, font: Font) {
        let indent = 12.0;
        let width = self.width() - indent;
        let lines = self.fonts.wrap(font.face, font.size, text, width);
        let line_height = font.size * 1.4;
        let left = self.left();
        for (index, line) in lines.iter().enumerate() {
            self.ensure(line_height);
            let baseline = self.y + font.size;
            if index == 0 {
                self.canvas().text(left + 2.0, baseline, font, "•");
            }
            self.canvas().text(left + indent, baseline, font, line);
            self.y += line_height;
        }
        self.y += font.size * 0.3;
    }

    /// Label/value rows (the label in bold on the left, the value wrapped on the right).
    pub fn fields(&mut self, rows: &[(&str, String)], label_width: f32) {
        let label_font = theme::LABEL;
        let value_font = theme::BODY;
        let value_width = self.width() - label_width;
        for (label, value) in rows {
            let lines = self
                .fonts
                .wrap(value_font.face, value_font.size, value, value_width);
            let line_height = value_font.size * 1.4;
            let left = self.left();
            for (index, line) in lines.iter().enumerate() {
                self.ensure(line_height);
                let baseline = self.y + value_font.size;
                if index == 0 {
                    self.canvas().text(left, baseline, label_font, label);
                }
                self.canvas()
                    .text(left + label_width, baseline, value_font, line);
                self.y += line_height;
            }
            self.y += 1.5;
        }
        self.y += 4.0;
    }

    /// A vector drawing of `height` points, kept whole on one page.
    pub fn drawing(&mut self, height: f32, draw: impl FnOnce(&mut Canvas, f32, f32, f32)) {
        self.ensure(height);
        let (left, top, width) = (self.left(), self.y, self.width());
        draw(&mut self.canvas(), left, top, width);
        self.y += height;
    }

    /// A table: wrapped cells, rows kept whole, the header repeated on each page the table
    /// continues on. `font` sets the body text size.
    pub fn table(&mut self, columns: &[Column], rows: &[Vec<Cell>], font: Font) {
        let total: f32 = columns.iter().map(|c| c.share).sum();
        let widths: Vec<f32> = columns
            .iter()
            .map(|c| self.width() * c.share / total)
            .collect();
        let header_font = Font::new(Face::Bold, font.size, theme::HEADER_TEXT);
        let line_height = font.size * 1.3;
        let header_lines: Vec<Vec<String>> = columns
            .iter()
            .zip(&widths)
            .map(|(c, w)| {
                self.fonts
                    .wrap(Face::Bold, font.size, &c.header, w - 2.0 * CELL_PAD_X)
            })
            .collect();
        let header_height = row_height(&header_lines, font.size, line_height);
        let mut needs_header = true;
        for (index, row) in rows.iter().enumerate() {
            let lines: Vec<Vec<String>> = row
                .iter()
                .zip(columns.iter().zip(&widths))
                .map(|(cell, (column, width))| {
                    let face = if cell.bold { Face::Bold } else { column.face };
                    let size = cell_font_size(column.face, font.size);
                    self.fonts.wrap_at_most(
                        face,
                        size,
                        &cell.text,
                        width - 2.0 * CELL_PAD_X,
                        MAX_CELL_LINES,
                    )
                })
                .collect();
            let height = row_height(&lines, font.size, line_height);
            if needs_header || height > self.remaining() {
                self.ensure(header_height + height);
                self.table_header(
                    &header_lines,
                    &widths,
                    header_height,
                    header_font,
                    line_height,
                );
                needs_header = false;
            }
            let left = self.left();
            let top = self.y;
            let width = self.width();
            let mut canvas = self.canvas();
            if index % 2 == 1 {
                canvas.rect(left, top, width, height, Paint::fill(theme::ZEBRA));
            }
            let mut x = left;
            for ((cell, cell_lines), (column, w)) in
                row.iter().zip(&lines).zip(columns.iter().zip(&widths))
            {
                if let Some(fill) = cell.fill {
                    canvas.rect(x + 1.5, top + 1.5, w - 3.0, height - 3.0, Paint::fill(fill));
                }
                let face = if cell.bold { Face::Bold } else { column.face };
                let color = if cell.fill.is_some() {
                    Color::WHITE
                } else {
                    font.color
                };
                let cell_font = Font::new(face, cell_font_size(column.face, font.size), color);
                let mut baseline = top + CELL_PAD_Y + font.size;
                for line in cell_lines {
                    canvas.text(x + CELL_PAD_X, baseline, cell_font, line);
                    baseline += line_height;
                }
                x += w;
            }
            canvas.polyline(
                &[(left, top + height), (left + width, top + height)],
                theme::RULE,
                0.4,
                false,
            );
            self.y += height;
        }
        self.y += 8.0;
    }

    fn table_header(
        &mut self,
        lines: &[Vec<String>],
        widths: &[f32],
        height: f32,
        font: Font,
        line_height: f32,
    ) {
        let (left, top, width) = (self.left(), self.y, self.width());
        let mut canvas = self.canvas();
        canvas.rect(left, top, width, height, Paint::fill(theme::HEADER_FILL));
        let mut x = left;
        for (cell_lines, w) in lines.iter().zip(widths) {
            let mut baseline = top + CELL_PAD_Y + font.size;
            for line in cell_lines {
                canvas.text(x + CELL_PAD_X, baseline, font, line);
                baseline += line_height;
            }
            x += w;
        }
        self.y += height;
    }
}

/// Monospaced cells are set a little smaller: DejaVu Sans Mono is wide.
fn cell_font_size(face: Face, size: f32) -> f32 {
    if face == Face::Mono { size * 0.9 } else { size }
}

/// From the top padding over the first line's cap height to the last line's descender and
/// the bottom padding.
fn row_height(lines: &[Vec<String>], size: f32, line_height: f32) -> f32 {
    let count = lines.iter().map(Vec::len).max().unwrap_or(1).max(1);
    (count - 1) as f32 * line_height + size * 1.25 + 2.0 * CELL_PAD_Y
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text shown on each page, in drawing order.
    fn texts(writer: &Writer) -> Vec<Vec<String>> {
        writer
            .pages
            .iter()
            .map(|page| {
                page.ops
                    .iter()
                    .filter_map(|op| match op {
                        Op::ShowText { items } => Some(
                            items
                                .iter()
                                .filter_map(|item| match item {
                                    printpdf::TextItem::Text(text) => Some(text.as_str()),
                                    _ => None,
                                })
                                .collect::<String>(),
                        ),
                        _ => None,
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn a_long_table_continues_on_the_next_page_under_its_header() {
        let fonts = Fonts::load();
        let mut writer = Writer::new(&fonts);
        writer.new_page(Orientation::Portrait);
        let columns = [Column::new("Node id", 1.0), Column::new("Kind", 1.0)];
        let rows: Vec<Vec<Cell>> = (0..200)
            .map(|n| vec![Cell::from(format!("node-{n}")), Cell::from("agent")])
            .collect();
        writer.table(&columns, &rows, theme::TABLE);

        let pages = texts(&writer);
        assert!(pages.len() >= 3, "{} pages", pages.len());
        for page in &pages {
            assert_eq!(page[0], "Node id", "every page opens with the header");
        }
        let rows_shown: Vec<&String> = pages
            .iter()
            .flatten()
            .filter(|t| t.starts_with("node-"))
            .collect();
        assert_eq!(rows_shown.len(), 200, "no row is lost or repeated");
    }

    #[test]
    fn long_text_wraps_and_flows_onto_new_pages_in_the_same_orientation() {
        let fonts = Fonts::load();
        let mut writer = Writer::new(&fonts);
        writer.new_page(Orientation::Landscape);
        let text = "word ".repeat(6000);
        writer.paragraph(&text, theme::BODY);
        assert!(writer.pages.len() > 1);
        assert!(
            writer
                .pages
                .iter()
                .all(|p| p.orientation == Orientation::Landscape)
        );
        let width = writer.width();
        for line in texts(&writer).iter().flatten() {
            assert!(fonts.width(Face::Regular, theme::BODY.size, line) <= width);
        }
    }

    #[test]
    fn headings_record_their_page_and_keep_with_what_follows() {
        let fonts = Fonts::load();
        let mut writer = Writer::new(&fonts);
        writer.new_page(Orientation::Portrait);
        writer.heading(1, "1 Summary", 0.0);
        writer.space(writer.remaining() - 40.0);
        // Too little room left for the heading and the 100 points it keeps with it.
        writer.heading(2, "1.1 Details", 100.0);
        assert_eq!(writer.headings.len(), 2);
        assert_eq!(writer.headings[0].page, 0);
        assert_eq!(writer.headings[1].page, 1);
        assert_eq!(writer.headings[1].y, MARGIN_TOP);
    }
}
