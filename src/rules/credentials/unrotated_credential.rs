//! A standing credential an agent can use that is never rotated, or rotated so rarely that a
//! copied key stays good for months.

use super::{
    agent_reach, agents_evidence, agents_phrase, assume_lifetime, lifetime_evidence, secrets,
};
use crate::findings::{Finding, Severity};
use crate::frameworks::*;
use crate::rules::{Area, CheckContext, RiskKind, Rule};

/// The longest rotation period, in days, that is not reported.
const MAX_ROTATION_DAYS: u32 = 90;

pub static RULE: Rule = Rule {
    id: "BTZ-CRD-004",
    slug: "unrotated-credential",
    title: "Standing credential never rotated",
    area: Area::Credentials,
    risk: RiskKind::Credential,
    version: 2,
    default_severity: Severity::Medium,
    summary: "An agent can use a standing secret (held, through an identity, or behind any tool, workflow, gateway or agent it can call) whose rotation period is longer than 90 days.",
    rationale: "A key that is never rotated stays valid for as long as anyone holds a copy: in logs, old config files, a laptop, a former contractor's shell history or an agent's context. Rotation bounds how long a silently leaked key is useful; without it, a credential copied years ago still opens the same doors. A rotation period that is not stated is asked about: the finding waits on the answer.",
    remediation: "Prefer just-in-time credentials per task with a short TTL, which need no rotation. Where a standing credential must remain, rotate it automatically from the secret store at least every 90 days (sooner for broad grants) and alert when a rotation fails.",
    references: &[
        nhi("NHI7:2025"),
        asi("ASI03"),
        maestro("L7", "Agent Identity Attack"),
        nist("MEASURE 2.7"),
    ],
    check,
};

fn check(context: &CheckContext) -> Vec<Finding> {
    let mut findings = Vec::new();
    for secret in secrets(context) {
        if !context.is_standing(secret) {
            continue;
        }
        let rotation = context.secret(secret).and_then(|s| s.rotation_days);
        if rotation.is_some_and(|days| days <= MAX_ROTATION_DAYS) {
            continue;
        }
        let Some(reach) = agent_reach(context, secret) else {
            continue;
        };
        let witness = reach.witness(context, reach.nearest());
        let (title, evidence) = match rotation {
            None => (
                "is never rotated".to_owned(),
                "rotation not stated: asked, read as never rotated until answered".to_owned(),
            ),
            Some(days) => (
                format!("is rotated only every {days} days"),
                format!("rotated every {days} days, more than {MAX_ROTATION_DAYS}"),
            ),
        };
        let mut builder = assume_lifetime(context.finding(&RULE), context, secret, true);
        if rotation.is_none() {
            builder = builder.assumes(context.id(secret), "rotation_days", "never rotated", true);
        }
        findings.push(
            builder
                .title(format!(
                    "Standing credential `{}` {title}, and {} can use it",
                    context.id(secret),
                    agents_phrase(context, &reach)
                ))
                .subjects([context.id(secret)])
                .path(context.steps(&witness), witness.shortest_paths)
                .evidence(evidence)
                .evidence(lifetime_evidence(context, secret))
                .evidence(agents_evidence(context, &reach))
                .build(),
        );
    }
    findings
}
