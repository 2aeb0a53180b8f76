//! A credential an agent can use that nobody can switch off quickly: when the agent goes
//! wrong, the key keeps working until a person finds it and replaces it by hand.

use super::{agent_reach, agents_evidence, agents_phrase, lifetime_evidence, secrets};
use crate::findings::{Finding, Severity};
use crate::frameworks::*;
use crate::model::{Lifetime, Revocation};
use crate::rules::SHORT_LIVED;
use crate::rules::{Area, CheckContext, RiskKind, Rule};

pub static RULE: Rule = Rule {
    id: "BTZ-CRD-002",
    slug: "no-automated-revocation",
    title: "Credential without automated revocation",
    area: Area::Credentials,
    risk: RiskKind::Credential,
    version: 2,
    default_severity: Severity::Medium,
    summary: "An agent can use a secret (held, through an identity, or behind any tool, workflow, gateway or agent it can call) whose revocation is manual or impossible. A just-in-time secret living an hour or less needs none: it expires before a person could revoke it.",
    rationale: "When an agent is hijacked or a key leaks, the time it takes to revoke the credential is the time the attacker keeps access. Manual revocation depends on someone knowing the key exists, who owns it and what breaks when it goes — in incident after incident, leaked keys stay valid for days or months, and keys of decommissioned integrations are never revoked at all. Revocation that is not stated is asked about: the finding waits on the answer.",
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
        let Some(properties) = context.secret(secret) else {
            continue;
        };
        let just_in_time = properties.lifetime == Some(Lifetime::Jit);
        if just_in_time && properties.ttl.is_some_and(|ttl| ttl <= SHORT_LIVED) {
            continue;
        }
        let (how, revocation) = match properties.revocation {
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
                "revocation not stated: asked, read as manual until answered",
            ),
        };
        let Some(reach) = agent_reach(context, secret) else {
            continue;
        };
        let witness = reach.witness(context, reach.nearest());
        let mut builder = context.finding(&RULE);
        if properties.revocation.is_none() {
            builder = builder.assumes(context.id(secret), "revocation", "manual", true);
        }
        // A just-in-time secret with no TTL may live an hour or less, and then need none.
        if just_in_time && properties.ttl.is_none() {
            builder = builder.assumes(context.id(secret), "ttl", "longer than an hour", true);
        }
        findings.push(
            builder
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
