//! A credential an agent can use that belongs to nobody: no one rotates it, reviews what it
//! grants, or revokes it when the agent or the integration is retired.

use super::{agent_reach, agents_evidence, agents_phrase, secrets};
use crate::findings::{Finding, Severity};
use crate::frameworks::*;
use crate::rules::{Area, CheckContext, RiskKind, Rule};

pub static RULE: Rule = Rule {
    id: "BTZ-CRD-003",
    slug: "unowned-credential",
    title: "Credential with no owner",
    area: Area::Credentials,
    risk: RiskKind::Credential,
    version: 2,
    default_severity: Severity::Low,
    summary: "An agent can use a secret (held, through an identity, or behind any tool, workflow, gateway or agent it can call) that has no stated owner. An owner left unstated is asked about: the finding waits on the answer.",
    rationale: "A credential nobody owns is a credential nobody rotates, right-sizes or revokes: it outlives the project that created it, survives the departure of the person who issued it, and during an incident nobody can say what will break if it is revoked. Orphaned non-human credentials are among the most common findings in cloud and SaaS breaches.",
    remediation: "Record an accountable owner (a team, not a person who may leave) for every credential an agent can use, in the secret store's inventory, and tie the credential's lifecycle — issuance, rotation, review of its scope and revocation — to that owner and to the agent's own lifecycle.",
    references: &[
        nhi("NHI1:2025"),
        asi("ASI03"),
        maestro_layer("L6"),
        nist("GOVERN 1.6"),
    ],
    check,
};

fn check(context: &CheckContext) -> Vec<Finding> {
    let mut findings = Vec::new();
    for secret in secrets(context) {
        let owned = context
            .secret(secret)
            .and_then(|s| s.owner.as_deref())
            .is_some_and(|owner| !owner.trim().is_empty());
        if owned {
            continue;
        }
        let Some(reach) = agent_reach(context, secret) else {
            continue;
        };
        let witness = reach.witness(context, reach.nearest());
        findings.push(
            context
                .finding(&RULE)
                .title(format!(
                    "`{}` has no owner, and {} can use it",
                    context.id(secret),
                    agents_phrase(context, &reach)
                ))
                .subjects([context.id(secret)])
                .path(context.steps(&witness), witness.shortest_paths)
                .evidence("owner not stated")
                .assumes(context.id(secret), "owner", "nobody", true)
                .evidence(agents_evidence(context, &reach))
                .build(),
        );
    }
    findings
}
