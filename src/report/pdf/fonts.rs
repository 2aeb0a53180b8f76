//! The report's typefaces: DejaVu Sans (regular, bold) and DejaVu Sans Mono, shipped in
//! `assets/fonts/` and embedded in every report, so names in any European script render the
//! same on every machine. printpdf does not measure text, so the advances are read here once
//! per face and every line is measured against them. Once the pages are laid out, each face
//! is embedded as a subset of the glyphs the pages use (a few dozen kilobytes instead of
//! 1.8 MB for the three faces).

use std::collections::BTreeSet;

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{CmapTarget, SubsetProfile, subset};
use printpdf::{FontId, Op, ParsedFont, PdfDocument, PdfFont, PdfFontHandle, TextItem};
use rustc_hash::FxHashMap;

const SANS: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
const SANS_BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");
const MONO: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSansMono.ttf");

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Face {
    Regular,
    Bold,
    Mono,
}

/// One face: its id in the document, its advances in thousandths of an em, and the parsed
/// font to subset from.
struct Metrics {
    id: FontId,
    bytes: &'static [u8],
    font: ParsedFont,
    advances: FxHashMap<char, f32>,
    /// The advance of a character the face lacks (it is drawn as the `.notdef` box).
    missing: f32,
}

pub struct Fonts {
    regular: Metrics,
    bold: Metrics,
    mono: Metrics,
}

impl Fonts {
    /// Parses the shipped faces. Their ids are fixed names (with the six-letter tag that
    /// marks a subset font), so that the same report comes out byte for byte the same.
    pub fn load() -> Fonts {
        Fonts {
            regular: Metrics::load("BTZSAN+DejaVuSans", SANS),
            bold: Metrics::load("BTZSBD+DejaVuSans-Bold", SANS_BOLD),
            mono: Metrics::load("BTZMON+DejaVuSansMono", MONO),
        }
    }

    /// Adds each face to `document` as the subset of glyphs that `pages` show (the whole
    /// face if subsetting fails, which the shipped faces never make it do).
    pub fn embed<'p>(&self, document: &mut PdfDocument, pages: impl Iterator<Item = &'p [Op]>) {
        let faces = [&self.regular, &self.bold, &self.mono];
        let mut used: Vec<BTreeSet<char>> = vec![BTreeSet::new(); faces.len()];
        let mut current: Option<usize> = None;
        for ops in pages {
            for op in ops {
                match op {
                    Op::SetFont {
                        font: PdfFontHandle::External(id),
                        ..
                    } => {
                        current = faces.iter().position(|face| face.id == *id);
                    }
                    Op::ShowText { items } => {
                        let Some(face) = current else { continue };
                        for item in items {
                            if let TextItem::Text(text) = item {
                                used[face].extend(text.chars());
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        for (face, chars) in faces.iter().zip(&used) {
            if chars.is_empty() {
                continue;
            }
            let font = face.subset(chars).unwrap_or_else(|| face.font.clone());
            document
                .resources
                .fonts
                .map
                .insert(face.id.clone(), PdfFont::new(font));
        }
    }

    fn metrics(&self, face: Face) -> &Metrics {
        match face {
            Face::Regular => &self.regular,
            Face::Bold => &self.bold,
            Face::Mono => &self.mono,
        }
    }

    pub fn id(&self, face: Face) -> &FontId {
        &self.metrics(face).id
    }

    /// The width of `text` set in `face` at `size` points.
    pub fn width(&self, face: Face, size: f32, text: &str) -> f32 {
        let metrics = self.metrics(face);
        let thousandths: f32 = text
            .chars()
            .map(|c| *metrics.advances.get(&c).unwrap_or(&metrics.missing))
            .sum();
        thousandths * size / 1000.0
    }

    /// `text`, cut at a character boundary and ended with "…" when it is wider than
    /// `max_width`.
    pub fn truncate(&self, face: Face, size: f32, text: &str, max_width: f32) -> String {
        if self.width(face, size, text) <= max_width {
            return text.to_owned();
        }
        let metrics = self.metrics(face);
        let ellipsis = self.width(face, size, "…");
        let mut width = 0.0;
        let mut out = String::new();
        for c in text.chars() {
            let advance = metrics.advances.get(&c).unwrap_or(&metrics.missing) * size / 1000.0;
            if width + advance + ellipsis > max_width {
                break;
            }
            width += advance;
            out.push(c);
        }
        out.truncate(out.trim_end().len());
        out.push('…');
        out
    }

    /// [`Fonts::wrap`] into at most `max_lines` lines, the last ended with "…" when the text
    /// goes on: for a field that must keep what follows it on the page.
    pub fn wrap_at_most(
        &self,
        face: Face,
        size: f32,
        text: &str,
        max_width: f32,
        max_lines: usize,
    ) -> Vec<String> {
        let mut lines = self.wrap(face, size, text, max_width);
        if lines.len() > max_lines.max(1) {
            let kept = max_lines.max(1) - 1;
            let rest = lines[kept..].join(" ");
            lines.truncate(kept);
            lines.push(self.truncate(face, size, &rest, max_width));
        }
        lines
    }

    /// Breaks `text` into lines no wider than `max_width`: at spaces where it can, inside a
    /// word (identifiers, hashes) where it must. Existing line breaks are kept.
    pub fn wrap(&self, face: Face, size: f32, text: &str, max_width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            let mut line_width = 0.0;
            let space = self.width(face, size, " ");
            for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
                let word_width = self.width(face, size, word);
                let needed = if line.is_empty() {
                    word_width
                } else {
                    line_width + space + word_width
                };
                if needed <= max_width {
                    if !line.is_empty() {
                        line.push(' ');
                    }
                    line.push_str(word);
                    line_width = needed;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    line_width = 0.0;
                }
                if word_width <= max_width {
                    line.push_str(word);
                    line_width = word_width;
                    continue;
                }
                // A word wider than the line: cut it where it overflows.
                for c in word.chars() {
                    let advance = self.width(face, size, c.encode_utf8(&mut [0; 4]));
                    if line_width + advance > max_width && !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                        line_width = 0.0;
                    }
                    line.push(c);
                    line_width += advance;
                }
            }
            lines.push(line);
        }
        lines
    }
}

impl Metrics {
    fn load(name: &str, bytes: &'static [u8]) -> Metrics {
        let font = ParsedFont::from_bytes(bytes, 0, &mut Vec::new())
            .expect("the fonts shipped in assets/fonts parse");
        let scale = 1000.0 / f32::from(font.units_per_em);
        let advance = |glyph: u16| f32::from(font.get_glyph_width(glyph).unwrap_or(0)) * scale;
        let advances = font
            .codepoint_to_glyph
            .iter()
            .filter_map(|(&codepoint, &glyph)| Some((char::from_u32(codepoint)?, advance(glyph))))
            .collect();
        let missing = advance(0);
        Metrics {
            id: FontId(name.to_owned()),
            bytes,
            font,
            advances,
            missing,
        }
    }

    /// The face cut down to the glyphs of `chars` (and `.notdef`), parsed back so that the
    /// text is encoded with the subset's glyph ids.
    fn subset(&self, chars: &BTreeSet<char>) -> Option<ParsedFont> {
        let mut glyphs: Vec<u16> = vec![0];
        let mut seen: BTreeSet<u16> = BTreeSet::from([0]);
        for &c in chars {
            if let Some(glyph) = self.font.lookup_glyph_index(u32::from(c))
                && seen.insert(glyph)
            {
                glyphs.push(glyph);
            }
        }
        let scope = ReadScope::new(self.bytes);
        let data = scope.read::<FontData<'_>>().ok()?;
        let provider = data.table_provider(0).ok()?;
        let bytes = subset(
            &provider,
            &glyphs,
            &SubsetProfile::Minimal,
            CmapTarget::Unrestricted,
        )
        .ok()?;
        ParsedFont::from_bytes(&bytes, 0, &mut Vec::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fonts() -> Fonts {
        Fonts::load()
    }

    #[test]
    fn measures_text_from_the_embedded_advances() {
        let fonts = fonts();
        // DejaVu Sans: "M" is 863 thousandths of an em, "i" 278.
        assert!((fonts.width(Face::Regular, 10.0, "Mi") - 11.41).abs() < 0.01);
        assert!(fonts.width(Face::Bold, 10.0, "Mi") > fonts.width(Face::Regular, 10.0, "Mi"));
        let mono = fonts.width(Face::Mono, 10.0, "iiii");
        assert!((mono - fonts.width(Face::Mono, 10.0, "MMMM")).abs() < 0.001);
        assert!(fonts.width(Face::Regular, 10.0, "Zürich Ops — Ünïcode") > 0.0);
    }

    #[test]
    fn wraps_at_spaces_and_cuts_words_longer_than_a_line() {
        let fonts = fonts();
        let lines = fonts.wrap(Face::Regular, 10.0, "the quick brown fox jumps over", 60.0);
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(
            lines
                .iter()
                .all(|l| fonts.width(Face::Regular, 10.0, l) <= 60.0)
        );
        assert_eq!(lines.join(" "), "the quick brown fox jumps over");

        let long = "sha256:0123456789abcdef0123456789abcdef";
        let lines = fonts.wrap(Face::Mono, 10.0, long, 50.0);
        assert!(lines.len() > 1);
        assert_eq!(lines.concat(), long);
        assert_eq!(fonts.wrap(Face::Regular, 10.0, "a\nb", 100.0), ["a", "b"]);
    }

    #[test]
    fn truncates_with_an_ellipsis() {
        let fonts = fonts();
        let cut = fonts.truncate(Face::Regular, 10.0, "Customer support agent", 50.0);
        assert!(cut.ends_with('…'), "{cut}");
        assert!(fonts.width(Face::Regular, 10.0, &cut) <= 50.0);
        assert_eq!(fonts.truncate(Face::Regular, 10.0, "Agent", 50.0), "Agent");
    }
}
