//! A model's history: the revisions the workspace recorded, what changed between two of them
//! (risks added, resolved and changed by fingerprint; nodes, edges, boundaries and triage
//! decisions added, removed and changed by id) and the audit trail of triage decisions.
//!
//! Pure: models and risk lists in, differences out. `store::workspace` keeps the revisions
//! and `report::history` renders them.

mod findings;
mod model;
mod risks;
mod triage;

use serde::Serialize;

pub use findings::FindingRecord;
pub use model::{ElementChange, ElementDiff, FieldChange, ModelDiff, diff_models};
pub use risks::{RiskChange, RiskRecord, RisksDelta, RisksDiff, diff_risks};
pub use triage::{TriageChange, triage_changes};

use crate::findings::Severity;
use crate::model::TriageStatus;

/// One recorded state of a model: what the workspace keeps about it besides its text and
/// risks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Revision {
    /// 1, 2, 3… per model, in the order the revisions were recorded.
    pub number: u32,
    /// `sha256:` of the model text.
    pub content_hash: String,
    /// When it was recorded, in seconds since the Unix epoch (UTC).
    pub recorded_at: i64,
    /// Who recorded it.
    pub author: String,
    /// The model's `metadata.name` at this revision.
    pub name: String,
    pub nodes: u32,
    pub edges: u32,
    /// The risks at this revision, by severity (a revision recorded before risks counted its
    /// findings, and keeps those counts).
    pub risks: SeverityCounts,
    /// How many of them are open (no triage decision, or one that leaves them open).
    pub open: u32,
    /// The risks added, resolved and changed since the previous revision (for the first
    /// revision every risk is added).
    pub delta: RisksDelta,
}

/// Risk counts by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SeverityCounts {
    pub critical: u32,
    pub high: u32,
    pub medium: u32,
    pub low: u32,
    pub info: u32,
}

impl SeverityCounts {
    pub fn of<'a>(severities: impl IntoIterator<Item = &'a Severity>) -> SeverityCounts {
        let mut counts = SeverityCounts::default();
        for severity in severities {
            *counts.get_mut(*severity) += 1;
        }
        counts
    }

    pub fn get(&self, severity: Severity) -> u32 {
        match severity {
            Severity::Critical => self.critical,
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low => self.low,
            Severity::Info => self.info,
        }
    }

    fn get_mut(&mut self, severity: Severity) -> &mut u32 {
        match severity {
            Severity::Critical => &mut self.critical,
            Severity::High => &mut self.high,
            Severity::Medium => &mut self.medium,
            Severity::Low => &mut self.low,
            Severity::Info => &mut self.info,
        }
    }

    pub fn total(&self) -> u32 {
        self.critical + self.high + self.medium + self.low + self.info
    }
}

/// What changed between two revisions of a model.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diff {
    /// The model's path as the workspace knows it (canonical and absolute).
    pub model: String,
    /// The older side; `None` compares with nothing (an empty model with no risks), as for
    /// the first revision.
    pub from: Option<Revision>,
    pub to: Revision,
    pub risks: RisksDiff,
    pub elements: ModelDiff,
}

impl Diff {
    /// Whether the two sides differ in risks or in the model (layout included).
    pub fn is_empty(&self) -> bool {
        self.risks.is_empty() && self.elements.is_empty()
    }
}

/// One line of the audit trail: a triage decision that appeared, changed or was removed
/// when a revision was recorded. The log only grows: triggers refuse updates and deletes, and
/// the workspace's hash chain shows any made to the file anyway.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    /// The entry's place in the log (increasing across all models).
    pub id: i64,
    /// The model's path as the workspace knows it (canonical and absolute).
    pub model: String,
    /// The revision whose recording wrote the entry.
    pub revision: u32,
    pub fingerprint: String,
    pub rule: Option<String>,
    /// The decision's status before; `None` when there was no decision.
    pub old_status: Option<TriageStatus>,
    /// The decision's status after; `None` when the decision was removed.
    pub new_status: Option<TriageStatus>,
    /// The justification given with the new decision.
    pub justification: Option<String>,
    /// Who decided: the decision's `by`, else whoever recorded the revision.
    pub by: String,
    /// When: the decision's `at`, else the recording time (RFC 3339, UTC).
    pub at: String,
    /// When the entry was written, in seconds since the Unix epoch (UTC).
    pub recorded_at: i64,
    /// Who recorded the revision that wrote it.
    pub recorded_by: String,
}

/// `2026-11-25T16:40:07Z`: seconds since the Unix epoch as an RFC 3339 UTC timestamp.
pub fn format_utc(seconds: i64) -> String {
    let (year, month, day) = civil_date(seconds.div_euclid(86_400));
    let time = seconds.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        time / 3600,
        time % 3600 / 60,
        time % 60
    )
}

/// The proleptic Gregorian date of a day number counted from 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
fn civil_date(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_rfc3339_utc() {
        assert_eq!(format_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_utc(1_795_624_807), "2026-11-25T16:40:07Z");
        assert_eq!(format_utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(format_utc(-1), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn severity_counts_add_up() {
        let counts = SeverityCounts::of(&[Severity::High, Severity::High, Severity::Info]);
        assert_eq!(counts.high, 2);
        assert_eq!(counts.get(Severity::Info), 1);
        assert_eq!(counts.total(), 3);
    }
}
