//! A standing credential an agent can use: whatever steers the agent holds a key that works
//! all the time, for every task, until someone remembers to take it away.

use petgraph::Direction::Outgoing;
use petgraph::stable_graph::{EdgeIndex, NodeIndex};

use super::{
    agent_reach, agents_evidence, agents_phrase, assume_lifetime, assume_permissions,
    grant_evidence, lifetime_evidence, secrets, stated_permissions, unscoped,
};
use crate::findings::{Finding, Severity};
use crate::frameworks::*;
use crate::model::{NodeKind, Relation};
use crate::rules::{Area, CheckContext, RiskKind, Rule};

pub static RULE: Rule = Rule {
    id: "BTZ-CRD-001",
    slug: "standing-credential",
    title: "Standing credential reachable by an agent",
    area: Area::Credentials,
    risk: RiskKind::Credential,
    version: 2,
    default_severity: Severity::High,
    summary: "An agent can use a standing credential — one stated to be always valid, or issued just in time but living longer than a day — by holding it, acting as an identity that holds it, or calling (through any gateway) a tool, workflow or agent that does.",
    rationale: "A standing credential is valid between tasks as well as during them, so a prompt-injected or compromised agent, or anyone who copies the key out of its tools, can use it at any time and for anything it grants. Harvesting long-lived keys from agent tools is a routine step in real intrusions, and a gateway in front of the tool does not shorten the key's life. A lifetime that is not stated is asked about: the finding waits on the answer.",
    remediation: "Issue the credential just in time for each task, scoped to that task, with a short TTL (minutes, not days) and automated revocation when the task ends; have a broker or the gateway mint it per call under the agent's own workload identity rather than storing a key with the tool.",
    references: &[
        nhi("NHI7:2025"),
        asi("ASI03"),
        threat("T3"),
        atlas("AML.T0098"),
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
        let Some(reach) = agent_reach(context, secret) else {
            continue;
        };
        let witness = reach.witness(context, reach.nearest());
        let grants: Vec<(EdgeIndex, NodeIndex)> = context
            .related(secret, Relation::Grants, Outgoing)
            .collect();
        let permissions = stated_permissions(context, &grants);
        let stores: Vec<NodeIndex> = grants
            .iter()
            .map(|&(_, target)| target)
            .filter(|&target| context.kind(target) == NodeKind::Datastore)
            .collect();
        let mut builder = context
            .finding(&RULE)
            .title(format!(
                "`{}` is a standing credential that {} can use",
                context.id(secret),
                agents_phrase(context, &reach)
            ))
            .subjects([context.id(secret)])
            .path(context.steps(&witness), witness.shortest_paths)
            .evidence(lifetime_evidence(context, secret))
            .evidence(agents_evidence(context, &reach));
        for &(edge, target) in &grants {
            builder = builder.evidence(grant_evidence(context, edge, target));
        }
        // An unstated lifetime decides the finding; unstated permissions only leave its
        // impact unknown, and add no factor.
        builder = assume_lifetime(builder, context, secret, true);
        builder = assume_permissions(builder, context, &unscoped(context, &grants), false);
        findings.push(
            builder
                .factor(context.impact_factor(&permissions))
                .factor(context.sensitivity_factor(&stores))
                .build(),
        );
    }
    findings
}
