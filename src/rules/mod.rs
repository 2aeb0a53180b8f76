//! The check catalog. Each check is one file under an area folder, declaring its metadata
//! (`RULE`) and its logic (`check`); `ALL` below is the one list of them, and a test keeps it
//! equal to the files on disk. Everything a user reads about a check — CLI text, SARIF rule,
//! PDF section, doc page — is rendered from `RULE`, never retyped.

mod context;
mod counted;
pub mod docs;

mod authorization;
mod credentials;
mod data;
mod execution;
mod identity;
mod input;
mod model_only;
mod multi_agent;
mod operations;
mod resilience;
mod supply_chain;

use serde::Serialize;

pub use context::{CheckContext, FindingBuilder, SHORT_LIVED, is_capability_edge, severity_with};

use crate::findings::{self, Finding, Severity};
use crate::frameworks::Reference;
use crate::graph::ModelGraph;
pub use crate::risks::RiskKind;

/// The part of an agent system a check is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    Identity,
    Credentials,
    Authorization,
    Input,
    Data,
    Execution,
    SupplyChain,
    MultiAgent,
    Operations,
    Resilience,
    ModelOnly,
}

impl Area {
    pub fn label(self) -> &'static str {
        match self {
            Area::Identity => "Identity",
            Area::Credentials => "Credentials",
            Area::Authorization => "Authorization",
            Area::Input => "Input",
            Area::Data => "Data",
            Area::Execution => "Execution",
            Area::SupplyChain => "Supply chain",
            Area::MultiAgent => "Multi-agent",
            Area::Operations => "Operations",
            Area::Resilience => "Resilience",
            Area::ModelOnly => "Model-only controls",
        }
    }
}

/// A check's metadata: the single source of truth for everything shown about it.
pub struct Rule {
    /// Stable id, e.g. `BTZ-CRD-001`. Never reused for another meaning.
    pub id: &'static str,
    /// Stable kebab-case name, e.g. `standing-credential`.
    pub slug: &'static str,
    pub title: &'static str,
    pub area: Area,
    /// The risk its findings contribute to: findings of one kind at one place are one risk.
    pub risk: RiskKind,
    /// Bumped when the logic changes what it finds.
    pub version: u32,
    pub default_severity: Severity,
    /// What the check detects, in one sentence.
    pub summary: &'static str,
    /// Why it matters.
    pub rationale: &'static str,
    /// The control that fixes it.
    pub remediation: &'static str,
    pub references: &'static [Reference],
    pub check: fn(&CheckContext) -> Vec<Finding>,
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Rule", 11)?;
        s.serialize_field("id", self.id)?;
        s.serialize_field("slug", self.slug)?;
        s.serialize_field("title", self.title)?;
        s.serialize_field("area", &self.area)?;
        s.serialize_field("risk", &self.risk)?;
        s.serialize_field("version", &self.version)?;
        s.serialize_field("default_severity", &self.default_severity)?;
        s.serialize_field("summary", self.summary)?;
        s.serialize_field("rationale", self.rationale)?;
        s.serialize_field("remediation", self.remediation)?;
        s.serialize_field("references", self.references)?;
        s.end()
    }
}

/// Declares the catalog from the rule files' paths, in id order.
macro_rules! catalog {
    ($($area:ident :: $rule:ident),+ $(,)?) => {
        /// Every check, in id order.
        pub static ALL: &[&Rule] = &[$(&$area::$rule::RULE),+];

        /// The source file of each check, relative to `src/rules/`, for the test that keeps
        /// this list equal to the files on disk.
        pub const FILES: &[&str] = &[$(concat!(stringify!($area), "/", stringify!($rule), ".rs")),+];
    };
}

catalog! {
    authorization::no_request_time_policy,
    authorization::hybrid_privilege_amplification,
    authorization::approval_bypass,
    authorization::exposed_production_endpoint,
    credentials::standing_credential,
    credentials::no_automated_revocation,
    credentials::unowned_credential,
    credentials::unrotated_credential,
    credentials::plaintext_secret,
    credentials::over_scoped_secret,
    data::exfiltration_via_api,
    data::data_into_vendor_zone,
    data::index_beyond_need,
    execution::unsandboxed_code_execution,
    identity::shared_identity,
    identity::delegated_human_credentials,
    identity::self_escalation,
    input::untrusted_input_to_action,
    input::lethal_trifecta,
    input::memory_poisoning,
    input::rendered_output_to_people,
    multi_agent::unauthenticated_delegation,
    multi_agent::transitive_delegation,
    multi_agent::unauthenticated_endpoint,
    multi_agent::unverified_endpoint,
    multi_agent::confused_deputy,
    model_only::model_only_controls,
    operations::no_audit_trail,
    operations::approver_overload,
    operations::approval_volume,
    operations::audit_log_tampering,
    resilience::cascading_fan_out,
    resilience::unlimited_untrusted_volume,
    resilience::unbounded_agent_loop,
    supply_chain::unverified_tool,
    supply_chain::unpinned_tool,
}

pub fn by_id(id: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|rule| rule.id == id)
}

/// Runs every check on a validated model; findings come back in report order.
pub fn run(graph: &ModelGraph) -> Vec<Finding> {
    let context = CheckContext::new(graph);
    // Each check's findings, then one allocation for all of them: collecting through a flat
    // map grows one vector of large findings by copying it again and again.
    let by_check: Vec<Vec<Finding>> = ALL.iter().map(|rule| (rule.check)(&context)).collect();
    let mut all: Vec<Finding> = Vec::with_capacity(by_check.iter().map(Vec::len).sum());
    for findings in by_check {
        all.extend(findings);
    }
    findings::sort(&mut all);
    all
}
