//! What revisions recorded before risks kept of each finding. Such a revision is still read as
//! it was stored; comparing it with another re-checks its text for risks (`store::workspace`).

use serde::{Deserialize, Serialize};

use crate::findings::Severity;
use crate::model::TriageStatus;

/// A finding as a revision recorded before risks kept it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingRecord {
    pub fingerprint: String,
    pub rule: String,
    pub severity: Severity,
    pub status: TriageStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
    pub title: String,
    pub subjects: Vec<String>,
}
