//! A credential an agent can use that nobody can switch off quickly: when the agent goes
//! wrong, the key keeps working until a person finds it and replaces it by hand.

use super::{agent_reach, agents_evidence, agents_phrase, lifetime_evidence, secrets};
use crate::findings::{Finding, Severity};
use crate::frameworks::*;
use crate::model::Revocation;
use crate::rules::{Area, CheckContext, RiskKind, Rule};

pub static RULE: Rule = Rule {
    id: "BTZ-CRD-002",
    slug: "no-automated-revocation",
    title: "Credential without automated revocation",
    area: Area::Credentials,
    risk: RiskKind::Credential,
    version: 1,
    default_severity: Severity::Medium,
    summary: "An agent can use a secret (held, through an identity, or behind any tool, workflow, gateway or agent it can call) whose revocation is manual, impossible, or not stated.",
    rationale: "When an agent is hijacked or a key leaks, the time it takes to revoke the credential is the time the attacker keeps access. Manual revocation depends on someone knowing the key exists, who owns it and what breaks when it goes — in incident after incident, leaked keys stay valid for days or months, and keys of decommissioned integrations are never revoked at all. Revocation that is not stated is read as manual.",
    remediation: "Make revocation automated: issue the credential per task so that it is revoked when the task ends, and wire the secret store to revoke it on an incident signal (a kill switch per agent), with the owner notified. A credential that cannot be revoked should be replaced by one that can.",
    references: &[
        nhi("NHI1:2025"),
        nhi("NHI7:2025"),
        asi("ASI03"),
        maestro("L7", "Agent Identity Attack"),
        nist("MANAGE 2.4"),
    ],
    check,
};

fn check(context: &CheckContext) -> Vec<Finding> {
    let mut findings = Vec::new();
    for secret in secrets(context) {
        let (how, revocation) = match context.secret(secret).and_then(|s| s.revocation) {
            Some(Revocation::Automated) => continue,
            Some(Revocation::None) => (
                "cannot be revoked",
                "revocation: none — it stays valid until the integration is replaced",
            ),
            Some(Revocation::Manual) => (
                "can only be revoked by hand",
                "revocation: manual — a person must find and revoke it",
            ),
            None => (
                "has no stated revocation",
                "revocation not stated: read as manual",
            ),
        };
        let Some(reach) = agent_reach(context, secret) else {
            continue;
        };
        let witness = reach.witness(context, reach.nearest());
        findings.push(
            context
                .finding(&RULE)
                .title(format!(
                    "`{}` {}, and {} can use it",
                    context.id(secret),
                    how,
                    agents_phrase(context, &reach)
                ))
                .subjects([context.id(secret)])
                .path(context.steps(&witness), witness.shortest_paths)
                .evidence(revocation)
                .evidence(lifetime_evidence(context, secret))
                .evidence(agents_evidence(context, &reach))
                .build(),
        );
    }
    findings
}
