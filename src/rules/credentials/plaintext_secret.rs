//! A secret kept where anyone who can read the host, the file share or the repository can
//! read it: an environment variable, a configuration file, source code.

use petgraph::Direction::Incoming;
use petgraph::stable_graph::{EdgeIndex, NodeIndex};

use super::{agent_reach, agents_evidence, agents_phrase, id_list, secrets};
use crate::findings::{Factor, FactorKind, Finding, Severity};
use crate::frameworks::*;
use crate::graph::{Traversal, Witness, WitnessHop};
use crate::model::{Action, NodeKind, Relation, Storage, ToolType};
use crate::rules::context::is_capability_edge;
use crate::rules::{Area, CheckContext, RiskKind, Rule};

pub static RULE: Rule = Rule {
    id: "BTZ-CRD-005",
    slug: "plaintext-secret",
    title: "Secret stored in plaintext",
    area: Area::Credentials,
    risk: RiskKind::Credential,
    version: 1,
    default_severity: Severity::High,
    summary: "A secret is kept in an environment variable, a configuration file or source code. Severity rises when an agent exposed to untrusted content can read the value: it holds the secret itself (or through an identity it acts as), or it can call a tool that holds it and runs commands.",
    rationale: "Plaintext secrets leak through the ordinary reading of hosts and repositories: committed config files, environment dumps in logs and crash reports, backups, CI output, and any process or person on the machine. An agent that can run commands or read files next to them — or be talked into printing its own configuration by injected content — hands them straight to an attacker, and harvesting credentials from agent configuration is an established attack technique.",
    remediation: "Move the secret into a secrets manager or KMS and have the tool fetch it at call time under its own workload identity — better, replace it with a just-in-time credential per task with a short TTL — then revoke the old value and purge it from files, history and images.",
    references: &[
        nhi("NHI2:2025"),
        asi("ASI03"),
        atlas("AML.T0055"),
        atlas("AML.T0083"),
        maestro_layer("L4"),
        nist("MEASURE 2.7"),
    ],
    check,
};

fn check(context: &CheckContext) -> Vec<Finding> {
    let mut findings = Vec::new();
    for secret in secrets(context) {
        let Some(storage) = context.secret(secret).and_then(|s| s.storage) else {
            continue;
        };
        if !storage.is_plaintext() {
            continue;
        }
        let mut holders: Vec<NodeIndex> = context
            .related(secret, Relation::Holds, Incoming)
            .map(|(_, n)| n)
            .collect();
        holders.sort_by_key(|&n| context.id(n));
        holders.dedup();
        let mut builder = context
            .finding(&RULE)
            .subjects([context.id(secret)])
            .evidence(where_stored(storage));
        if !holders.is_empty() {
            builder = builder.evidence(format!(
                "held by {}",
                id_list(holders.iter().map(|&n| context.id(n)))
            ));
        }
        match agent_reach(context, secret) {
            Some(reach) => {
                builder = builder.evidence(agents_evidence(context, &reach));
                // An exposed agent that can read the value itself is the likeliest leak;
                // otherwise the nearest agent that can use the secret.
                let (agent, witness, factor) = match exposed_reader(context, secret) {
                    Some((agent, witness, factor)) => (agent, witness, Some(factor)),
                    None => {
                        let agent = reach.nearest();
                        (agent, reach.witness(context, agent), None)
                    }
                };
                let user = if agent == reach.nearest() {
                    agents_phrase(context, &reach)
                } else {
                    format!("`{}`", context.id(agent))
                };
                builder = builder
                    .title(format!(
                        "`{}` is stored in plaintext ({storage}), and {user} can use it",
                        context.id(secret)
                    ))
                    .path(context.steps(&witness), witness.shortest_paths)
                    .factor(factor);
            }
            None => {
                let witness = holder_witness(context, secret, holders.first().copied());
                builder = builder
                    .title(format!(
                        "`{}` is stored in plaintext ({storage})",
                        context.id(secret)
                    ))
                    .path(context.steps(&witness), witness.shortest_paths);
            }
        }
        findings.push(builder.build());
    }
    findings
}

/// The nearest agent exposed to untrusted content that can read the secret's value, not
/// only use it: an agent that holds it (itself or through an identity it acts as), or one
/// that can call a tool that holds it and runs commands (execute, or a shell), where the
/// environment and the files around the secret are open to whatever the agent is told to
/// run. A tool that merely uses the secret does not show its value to the agent.
fn exposed_reader(
    context: &CheckContext,
    secret: NodeIndex,
) -> Option<(NodeIndex, Witness, Factor)> {
    // Each reader and the hops from it to the secret.
    let mut readers: Vec<(NodeIndex, Vec<(EdgeIndex, NodeIndex)>)> = Vec::new();
    for (holds, holder) in context.related(secret, Relation::Holds, Incoming) {
        let mut candidates = vec![(holder, vec![(holds, secret)])];
        if context.kind(holder) == NodeKind::Identity {
            candidates = context
                .related(holder, Relation::ActsAs, Incoming)
                .map(|(acts_as, actor)| (actor, vec![(acts_as, holder), (holds, secret)]))
                .collect();
        }
        for (reader, chain) in candidates {
            let runs_commands = context.tool(reader).is_some_and(|tool| {
                tool.actions.contains(&Action::Execute) || tool.tool_type == Some(ToolType::Shell)
            });
            if (context.kind(reader) == NodeKind::Agent || runs_commands)
                && !readers.iter().any(|(r, _)| *r == reader)
            {
                readers.push((reader, chain));
            }
        }
    }
    let sources: Vec<NodeIndex> = readers.iter().map(|&(r, _)| r).collect();
    let search = context
        .graph
        .search(&sources, &Traversal::backward(&is_capability_edge));
    let agent = search
        .reached_nodes()
        .filter(|&n| context.kind(n) == NodeKind::Agent && context.is_exposed(n))
        .min_by_key(|&n| (search.distance(n), context.id(n)))?;
    let mut witness = context.reversed(&search.witness(agent)?);
    let reader = *witness.nodes.last().expect("a path has a node");
    let (_, chain) = readers.iter().find(|&&(r, _)| r == reader)?;
    for &(edge, node) in chain {
        witness.nodes.push(node);
        witness.hops.push(WitnessHop {
            edge,
            reversed: false,
        });
    }
    let input = context.exposure_source(agent)?;
    let how = if reader == agent && chain.len() > 1 {
        format!("which holds it as `{}`", context.id(chain[0].1))
    } else if reader == agent {
        "which holds it".to_owned()
    } else {
        format!(
            "which can read it by running commands through `{}`",
            context.id(reader)
        )
    };
    let factor = Factor {
        kind: FactorKind::UntrustedExposure,
        effect: 1,
        detail: format!(
            "untrusted content from `{}` reaches `{}`, {how}",
            context.id(input),
            context.id(agent)
        ),
    };
    Some((agent, witness, factor))
}

/// `holder → secret`, or the secret alone when nothing holds it.
fn holder_witness(context: &CheckContext, secret: NodeIndex, holder: Option<NodeIndex>) -> Witness {
    let edge = holder.and_then(|h| {
        context
            .related(h, Relation::Holds, petgraph::Direction::Outgoing)
            .find(|&(_, target)| target == secret)
            .map(|(e, _)| e)
    });
    match (holder, edge) {
        (Some(holder), Some(edge)) => Witness::one_hop(holder, edge, secret),
        _ => Witness::at(secret),
    }
}

fn where_stored(storage: Storage) -> &'static str {
    match storage {
        Storage::Env => {
            "stored in an environment variable: readable by anything running on the host, and by environment dumps in logs and crash reports"
        }
        Storage::ConfigFile => {
            "stored in a configuration file: readable by anyone who can read the file, its copies or its backups"
        }
        Storage::Code => {
            "stored in source code: readable by anyone with the repository or its history"
        }
        Storage::Vault | Storage::Kms => "stored in a secrets manager",
    }
}
