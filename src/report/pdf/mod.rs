//! The PDF report: a document for people who were not in the room (an auditor, a review
//! board), drawn natively with printpdf. Fonts (DejaVu) are embedded and subset; the diagram
//! and charts are vectors.

use std::time::{SystemTime, UNIX_EPOCH};

mod canvas;
mod contents;
mod diagram;
mod document;
mod fonts;
mod report;
mod sections;
mod theme;

use printpdf::{Mm, OffsetDateTime, PdfDocument, PdfPage, PdfSaveOptions, Pt};

use crate::history::AuditEntry;
use crate::report::CheckRun;
use document::Writer;
use fonts::Fonts;
use report::Report;

/// What the report states about its own making, and what it adds from outside the model.
#[derive(Clone, Debug)]
pub struct PdfOptions {
    /// When the report was generated, in seconds since the Unix epoch (UTC).
    pub generated_at: i64,
    /// The model's triage audit trail from the workspace, oldest first (`None` when no
    /// workspace was consulted, as for a document that was never saved).
    pub audit: Option<Vec<AuditEntry>>,
}

impl PdfOptions {
    /// Generated now, or at `SOURCE_DATE_EPOCH` when that is set (reproducible reports).
    pub fn now() -> PdfOptions {
        let from_env = std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|value| value.trim().parse::<i64>().ok());
        let generated_at = from_env.unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |elapsed| elapsed.as_secs() as i64)
        });
        PdfOptions {
            generated_at,
            audit: None,
        }
    }

    /// The same, with the model's audit trail from the workspace.
    pub fn with_audit(self, audit: Vec<AuditEntry>) -> PdfOptions {
        PdfOptions {
            audit: Some(audit),
            ..self
        }
    }

    /// `2026-11-25 16:40 UTC`.
    pub fn generated_label(&self) -> String {
        let stamp = crate::history::format_utc(self.generated_at);
        format!("{} {} UTC", &stamp[..10], &stamp[11..16])
    }
}

impl CheckRun<'_> {
    /// The PDF report's bytes.
    pub fn render_pdf(&self, options: &PdfOptions) -> Vec<u8> {
        // Every number in the plan comes from re-running the checks on an edited copy.
        let plan = crate::plan::plan(self.model)
            .steps
            .into_iter()
            .map(|step| report::PlanStep {
                title: step.title,
                closes: step.closes.into_iter().map(|risk| risk.title).collect(),
            })
            .collect();
        let report = Report::new(self, options).with_plan(plan);
        let title = format!("Threat model report: {}", self.model.metadata.name);
        let mut document = PdfDocument::new(&title);
        let fonts = Fonts::load();
        let mut writer = Writer::new(&fonts);

        sections::cover(&mut writer, &report);
        let contents_at = writer.pages.len();
        sections::summary(&mut writer, &report);
        sections::system(&mut writer, &report);
        sections::risks(&mut writer, &report);
        sections::questions(&mut writer, &report);
        sections::coverage(&mut writer, &report);
        sections::appendix(&mut writer, &report);
        contents::insert(&mut writer, contents_at);
        contents::running_heads(&mut writer, &report);
        for heading in writer.headings.iter().filter(|h| h.level <= 2) {
            document.add_bookmark(&heading.title, heading.page + 1);
        }

        let info = &mut document.metadata.info;
        info.document_title = title;
        info.author = self.model.metadata.owner.clone().unwrap_or_default();
        info.subject = format!(
            "Threat model of {} ({} risks, {} open questions)",
            self.model.metadata.name,
            self.risks.len(),
            self.questions.len()
        );
        info.creator = format!("Bartizan {}", env!("CARGO_PKG_VERSION"));
        info.producer = info.creator.clone();
        info.keywords = vec!["threat model".to_owned(), "AI agents".to_owned()];
        if let Ok(date) = OffsetDateTime::from_unix_timestamp(options.generated_at) {
            info.creation_date = date;
            info.modification_date = date;
            info.metadata_date = date;
        }

        fonts.embed(
            &mut document,
            writer.pages.iter().map(|page| page.ops.as_slice()),
        );
        let pages = writer
            .pages
            .into_iter()
            .map(|page| {
                let (width, height) = page.orientation.size();
                PdfPage::new(Mm::from(Pt(width)), Mm::from(Pt(height)), page.ops)
            })
            .collect();
        document.with_pages(pages);
        let save = PdfSaveOptions {
            optimize: false,
            ..PdfSaveOptions::default()
        };
        let mut pdf = document.to_lopdf_document(&save, &mut Vec::new());
        // The file identifier: from what the report is of and when, not a counter.
        let id = crate::report::content_hash(
            format!("{}@{}", self.content_hash, options.generated_at).as_bytes(),
        );
        let id = lopdf::Object::string_literal(&id["sha256:".len().."sha256:".len() + 32]);
        pdf.trailer
            .set("ID", lopdf::Object::Array(vec![id.clone(), id]));
        claim_no_standard(&mut pdf);
        compress_streams(&mut pdf);
        let mut bytes = Vec::new();
        pdf.save_to(&mut bytes)
            .expect("writing to memory does not fail");
        bytes
    }
}

/// printpdf writes an empty `GTS_PDFXVersion` into the document information, which readers
/// take as a claim of PDF/X conformance; the report makes no such claim.
fn claim_no_standard(pdf: &mut lopdf::Document) {
    let Ok(info) = pdf
        .trailer
        .get(b"Info")
        .and_then(lopdf::Object::as_reference)
    else {
        return;
    };
    if let Ok(lopdf::Object::Dictionary(info)) = pdf.get_object_mut(info) {
        info.remove(b"GTS_PDFXVersion");
        info.remove(b"Identifier");
    }
}

/// Deflates every stream that is not compressed yet. printpdf compresses at the best level,
/// which takes most of a long report's time for a few percent of size; the default level
/// keeps a 1,000-finding report well under the time budget (`docs/performance.md`).
fn compress_streams(pdf: &mut lopdf::Document) {
    use std::io::Write;

    use flate2::Compression;
    use flate2::write::ZlibEncoder;

    for object in pdf.objects.values_mut() {
        let lopdf::Object::Stream(stream) = object else {
            continue;
        };
        if !stream.allows_compression || stream.dict.get(b"Filter").is_ok() {
            continue;
        }
        let mut encoder = ZlibEncoder::new(Vec::new(), Compression::new(COMPRESSION_LEVEL));
        if encoder.write_all(&stream.content).is_err() {
            continue;
        }
        let Ok(compressed) = encoder.finish() else {
            continue;
        };
        if compressed.len() < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(compressed);
        }
    }
}

const COMPRESSION_LEVEL: u32 = 6;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generation_time_is_printed_as_a_utc_date() {
        let at = |generated_at| {
            PdfOptions {
                generated_at,
                audit: None,
            }
            .generated_label()
        };
        assert_eq!(at(0), "1970-01-01 00:00 UTC");
        assert_eq!(at(1_795_624_800), "2026-11-25 16:40 UTC");
        assert_eq!(at(951_782_400), "2000-02-29 00:00 UTC");
    }

    fn render(text: &str, generated_at: i64) -> Vec<u8> {
        let parsed = crate::syntax::parse_model(
            text,
            crate::syntax::Format::Yaml,
            &crate::syntax::Limits::default(),
        );
        crate::analysis::render_pdf(
            text,
            &parsed,
            "m.bartizan.yaml",
            &PdfOptions {
                generated_at,
                audit: None,
            },
        )
        .expect("a valid model")
    }

    const MODEL: &str = "bartizan: 1
metadata:
  name: Zürich Ops — Ünïcode
nodes:
  - id: a
    kind: agent
    name: Agent
  - id: k
    kind: secret
    name: Key
  - id: h
    kind: human
    name: Human
edges:
  - from: a
    relation: holds
    to: k
  - from: h
    relation: holds
    to: k
";

    #[test]
    fn the_same_run_gives_the_same_bytes() {
        let first = render(MODEL, 1_795_624_800);
        assert!(first.starts_with(b"%PDF-"));
        assert_eq!(first, render(MODEL, 1_795_624_800));
        assert_ne!(
            first,
            render(MODEL, 1_795_624_801),
            "the date is part of the report"
        );
    }
}
