//! The table of contents (with links to the pages) and the running header and footer. Both
//! need the final page numbers, so they are added after every section is laid out: the
//! contents pages are spliced in after the cover and the headings move down by as many.

use printpdf::{Actions, BorderArray, Destination, LinkAnnotation, Op, Rect};

use super::canvas::{Canvas, Font};
use super::document::{Heading, MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, Orientation, Page, Writer};
use super::fonts::Face;
use super::report::Report;
use super::theme;

pub const TITLE: &str = "Table of contents";

const ENTRY_LEVEL1: Font = Font::new(Face::Bold, 10.5, theme::TEXT);
const ENTRY_LEVEL2: Font = Font::new(Face::Regular, 9.0, theme::TEXT);

/// Where one entry goes: which contents page and how far down.
struct Placed {
    heading: usize,
    page: usize,
    y: f32,
}

/// Lays out the contents for the headings so far and inserts its pages at `at`.
pub fn insert(writer: &mut Writer, at: usize) {
    let listed: Vec<usize> = (0..writer.headings.len())
        .filter(|&i| writer.headings[i].level <= 2)
        .collect();
    let (width, height) = Orientation::Portrait.size();
    let bottom = height - MARGIN_BOTTOM;
    let first_entry = MARGIN_TOP + 40.0;
    let mut placed = Vec::with_capacity(listed.len());
    let (mut page, mut y) = (0, first_entry);
    for &index in &listed {
        let level = writer.headings[index].level;
        let step = if level == 1 { 22.0 } else { 13.5 };
        if y + step > bottom {
            page += 1;
            y = MARGIN_TOP;
        }
        let top = if level == 1 { y + 8.0 } else { y };
        placed.push(Placed {
            heading: index,
            page,
            y: top,
        });
        y += step;
    }
    let count = page + 1;

    for heading in &mut writer.headings {
        if heading.page >= at {
            heading.page += count;
        }
    }
    let mut pages: Vec<Page> = (0..count)
        .map(|_| Page::new(Orientation::Portrait, false))
        .collect();
    let fonts = writer.fonts();
    {
        let mut canvas = pages[0].canvas(fonts);
        let font = theme::heading_font(1);
        canvas.text(MARGIN_X, MARGIN_TOP + font.size, font, TITLE);
        canvas.rect(
            MARGIN_X,
            MARGIN_TOP + font.size * 1.25 + 3.0,
            width - 2.0 * MARGIN_X,
            1.2,
            super::canvas::Paint::fill(theme::ACCENT),
        );
    }
    let right = width - MARGIN_X;
    for entry in &placed {
        let heading = &writer.headings[entry.heading];
        let target = &writer.pages[heading.page - count];
        let target_height = target.orientation.size().1;
        let mut canvas = pages[entry.page].canvas(fonts);
        let (font, indent) = if heading.level == 1 {
            (ENTRY_LEVEL1, 0.0)
        } else {
            (ENTRY_LEVEL2, 14.0)
        };
        let number = (heading.page + 1).to_string();
        let number_width = canvas.text_width(font, &number);
        let baseline = entry.y + font.size;
        let title_room = right - MARGIN_X - indent - number_width - 24.0;
        let title = fonts.truncate(font.face, font.size, &heading.title, title_room);
        let title_width = canvas.text_width(font, &title);
        canvas.text(MARGIN_X + indent, baseline, font, &title);
        canvas.text_right(right, baseline, font, &number);
        leader(
            &mut canvas,
            MARGIN_X + indent + title_width + 4.0,
            right - number_width - 4.0,
            baseline,
        );
        canvas.push(link(
            (MARGIN_X, height - baseline - 3.0),
            (right - MARGIN_X, font.size + 5.0),
            heading.page + 1,
            target_height - heading.y + 6.0,
        ));
    }
    let contents_heading = Heading {
        level: 1,
        title: TITLE.to_owned(),
        page: at,
        y: MARGIN_TOP,
    };
    writer.pages.splice(at..at, pages);
    writer.headings.insert(0, contents_heading);
}

/// Dot leaders from just after the title (`from`) to just before the page number (`to`).
fn leader(canvas: &mut Canvas, from: f32, to: f32, baseline: f32) {
    let dot = Font::new(Face::Regular, 8.0, theme::MUTED);
    let step = canvas.text_width(dot, " .");
    let count = ((to - from) / step).floor();
    if count >= 1.0 {
        let dots = " .".repeat(count as usize);
        canvas.text(to - count * step, baseline, dot, &dots);
    }
}

/// A link annotation over a contents line, to `top` (PDF units, from the bottom) of `page`
/// (1-based).
fn link(origin: (f32, f32), size: (f32, f32), page: usize, top: f32) -> Op {
    Op::LinkAnnotation {
        link: LinkAnnotation::new(
            Rect::from_xywh(
                printpdf::Pt(origin.0),
                printpdf::Pt(origin.1),
                printpdf::Pt(size.0),
                printpdf::Pt(size.1),
            ),
            Actions::go_to(Destination::Xyz {
                page,
                left: Some(0.0),
                top: Some(top),
                zoom: None,
            }),
            Some(BorderArray::Solid([0.0, 0.0, 0.0])),
            None,
            None,
        ),
    }
}

/// The running header (report and section) and footer (version, content hash, page n of N)
/// on every page but the cover.
pub fn running_heads(writer: &mut Writer, report: &Report) {
    let total = writer.pages.len();
    let fonts = writer.fonts();
    let model = &report.run.model.metadata.name;
    let hash = &report.run.content_hash;
    let short_hash = hash.get(..hash.len().min(19)).unwrap_or(hash);
    let mut section = String::new();
    let mut next_heading = 0;
    let mut headings: Vec<&Heading> = writer.headings.iter().filter(|h| h.level == 1).collect();
    headings.sort_by_key(|h| h.page);
    for (index, page) in writer.pages.iter_mut().enumerate() {
        while next_heading < headings.len() && headings[next_heading].page <= index {
            section.clone_from(&headings[next_heading].title);
            next_heading += 1;
        }
        if page.plain {
            continue;
        }
        let (width, height) = page.orientation.size();
        let mut canvas = page.canvas(fonts);
        let font = theme::SMALL_MUTED;
        let right = width - MARGIN_X;
        let header_baseline = 34.0;
        let left_text = format!("Threat model report · {model}");
        let section_width = canvas.text_width(font, &section);
        let left_room = (right - MARGIN_X - section_width - 24.0).max(80.0);
        let left_text = fonts.truncate(font.face, font.size, &left_text, left_room);
        canvas.text(MARGIN_X, header_baseline, font, &left_text);
        canvas.text_right(right, header_baseline, font, &section);
        canvas.polyline(
            &[
                (MARGIN_X, header_baseline + 6.0),
                (right, header_baseline + 6.0),
            ],
            theme::RULE,
            0.5,
            false,
        );
        let footer_baseline = height - 30.0;
        canvas.polyline(
            &[
                (MARGIN_X, footer_baseline - 12.0),
                (right, footer_baseline - 12.0),
            ],
            theme::RULE,
            0.5,
            false,
        );
        let footer = format!(
            "Bartizan {} · model {short_hash}…",
            env!("CARGO_PKG_VERSION")
        );
        canvas.text(MARGIN_X, footer_baseline, font, &footer);
        canvas.text_right(
            right,
            footer_baseline,
            font,
            &format!("Page {} of {total}", index + 1),
        );
    }
}
