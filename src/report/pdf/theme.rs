//! The report's typography and colours, in one place so every section looks alike. Severity
//! colours are the app's; text stays dark on white so a greyscale print reads.

use super::canvas::{Color, Font};
use super::fonts::Face;
use crate::findings::Severity;

pub const TEXT: Color = Color::BLACK;
pub const MUTED: Color = Color(0x5b, 0x63, 0x70);
pub const ACCENT: Color = Color(0x25, 0x63, 0xeb);
pub const COVER_BAND: Color = Color(0x17, 0x25, 0x54);
pub const RULE: Color = Color(0xd5, 0xda, 0xe2);
pub const ZEBRA: Color = Color(0xf4, 0xf6, 0xf9);
pub const HEADER_FILL: Color = Color(0xe4, 0xe9, 0xf2);
pub const HEADER_TEXT: Color = Color(0x17, 0x25, 0x54);
pub const PANEL: Color = Color(0xf4, 0xf6, 0xf9);

pub const BODY: Font = Font::new(Face::Regular, 9.5, TEXT);
pub const SMALL_MUTED: Font = Font::new(Face::Regular, 8.0, MUTED);
pub const LABEL: Font = Font::new(Face::Bold, 9.5, TEXT);
pub const TABLE: Font = Font::new(Face::Regular, 8.0, TEXT);

pub fn heading_font(level: u8) -> Font {
    match level {
        1 => Font::new(Face::Bold, 18.0, HEADER_TEXT),
        2 => Font::new(Face::Bold, 12.5, HEADER_TEXT),
        _ => Font::new(Face::Bold, 10.5, TEXT),
    }
}

pub fn heading_space_before(level: u8) -> f32 {
    match level {
        1 => 0.0,
        2 => 14.0,
        _ => 8.0,
    }
}

pub fn heading_space_after(level: u8) -> f32 {
    match level {
        1 => 14.0,
        2 => 6.0,
        _ => 3.0,
    }
}

pub fn severity_color(severity: Severity) -> Color {
    match severity {
        Severity::Critical => Color(0xb9, 0x1c, 0x1c),
        Severity::High => Color(0xea, 0x58, 0x0c),
        Severity::Medium => Color(0xca, 0x8a, 0x04),
        Severity::Low => Color(0x25, 0x63, 0xeb),
        Severity::Info => Color(0x6b, 0x72, 0x80),
    }
}
