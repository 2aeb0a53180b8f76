//! Untrusted content can be written into a memory that agents read later: the injection
//! persists across sessions and, in shared memory, spreads to other agents and users.

use petgraph::stable_graph::NodeIndex;

use crate::findings::{Factor, FactorKind, Finding, Severity};
use crate::frameworks::*;
use crate::graph::Traversal;
use crate::model::{Control, Edge, NodeKind, NodeProperties, Relation};
use crate::rules::counted::{Count, listed_ids};
use crate::rules::{Area, CheckContext, RiskKind, Rule};

pub static RULE: Rule = Rule {
    id: "BTZ-INP-003",
    slug: "memory-poisoning",
    title: "Untrusted content can poison agent memory",
    area: Area::Input,
    risk: RiskKind::ContextIntegrity,
    version: 3,
    default_severity: Severity::High,
    summary: "Untrusted content reaches an actor that writes a memory, vector store or RAG index, and an agent reads that memory, directly or through a tool or workflow that feeds it; severity rises when the memory is shared or read by more than one agent, and the evidence counts its readers. A content filter on the way in or out lowers the finding and never closes it: injected instructions are ordinary language, and a new wording passes a filter tuned on known ones.",
    rationale: "An injection that lands in long-term memory or a retrieval index outlives the conversation that carried it: every later session that retrieves the entry is instructed again, long after the source is gone, and a shared store carries it to other agents and users. Memory and RAG poisoning are hard to notice because the poisoned entry looks like the agent's own knowledge.",
    remediation: "Filter and label untrusted content before it is written to memory, keep provenance with every entry and let agents treat retrieved content as data rather than instructions; give each agent, user or tenant its own memory instead of a shared one, validate writes at runtime and monitor memory for injected instructions.",
    references: &[
        asi("ASI06"),
        threat("T1"),
        llm("LLM04:2025"),
        llm("LLM08:2025"),
        atlas("AML.T0080.000"),
        atlas("AML.T0070"),
        maestro("L2", "Compromised RAG Pipelines"),
        nist("MEASURE 2.7"),
    ],
    check,
};

fn check(context: &CheckContext) -> Vec<Finding> {
    let mut findings = Vec::new();
    for memory in context.nodes_of_kind(NodeKind::Memory) {
        // Memory is only reached by the exposure search through a `writes` edge.
        let Some(written) = context.exposure_witness(memory) else {
            continue;
        };
        if written.nodes.len() < 2 {
            continue;
        }
        let writer = written.nodes[written.nodes.len() - 2];
        // Who reads the memory: agents that read it or that it feeds, directly or through
        // tools, workflows and gateways that retrieve from it. A content filter on the way
        // lowers the finding, it does not stop the walk.
        let forward = |e: &Edge| e.relation == Relation::Feeds;
        let backward = |e: &Edge| e.relation == Relation::Reads;
        let retrieves = |n: NodeIndex| {
            n == memory
                || matches!(
                    context.kind(n),
                    NodeKind::Tool | NodeKind::Workflow | NodeKind::Gateway
                )
        };
        let retrieves_unfiltered =
            |n: NodeIndex| retrieves(n) && !context.gateway_has(n, &[Control::ContentFilter]);
        let readers_search = context.graph.search(
            &[memory],
            &Traversal {
                forward: &forward,
                backward: &backward,
                passes: &retrieves,
            },
        );
        let readers: Vec<NodeIndex> = readers_search
            .reached_nodes()
            .filter(|&n| context.kind(n) == NodeKind::Agent)
            .collect();
        // Prefer a reader other than the writer: it shows the poison spreading.
        let Some(&reader) = readers
            .iter()
            .filter(|&&r| r != writer)
            .min_by_key(|&&r| (readers_search.distance(r), context.id(r)))
            .or_else(|| readers.first())
        else {
            continue;
        };
        let Some(read) = readers_search.witness(reader) else {
            continue;
        };
        // The content is filtered when every way in passes a filter, or every way out to the
        // reader does (searched only then: most memories have no filter on either side).
        let filter_on_write = context.content_filter_before(memory);
        let filter_on_read = if filter_on_write.is_none()
            && read
                .nodes
                .iter()
                .any(|&n| context.gateway_has(n, &[Control::ContentFilter]))
        {
            let unfiltered = context.graph.search(
                &[memory],
                &Traversal {
                    forward: &forward,
                    backward: &backward,
                    passes: &retrieves_unfiltered,
                },
            );
            (!unfiltered.reached(reader))
                .then(|| {
                    read.nodes
                        .iter()
                        .copied()
                        .find(|&n| context.gateway_has(n, &[Control::ContentFilter]))
                })
                .flatten()
        } else {
            None
        };
        let input = written.nodes[0];
        // When the writer reads its own memory back (in a later task), the path ends at the
        // memory rather than passing the writer twice; the title says who reads it.
        let mut steps = context.steps(&written);
        let mut paths = written.shortest_paths;
        if !read
            .nodes
            .iter()
            .any(|n| written.nodes.contains(n) && *n != memory)
        {
            steps.extend(context.steps(&read).into_iter().skip(1));
            paths = paths.saturating_mul(read.shortest_paths);
        }
        let shared = context.memory(memory).and_then(|m| m.shared) == Some(true);
        let mut reader_ids: Vec<&str> = readers.iter().map(|&r| context.id(r)).collect();
        reader_ids.sort();
        let reader_count = Count::Exactly(readers.len());
        let mut builder = context
            .finding(&RULE)
            .title(format!(
                "Untrusted content from `{}` can be written into `{}` by `{}` and is read back by `{}`",
                context.id(input),
                context.id(memory),
                context.id(writer),
                context.id(reader)
            ))
            .subjects([context.id(memory)])
            .path(steps, paths)
            .evidence(format!(
                "read by {}",
                listed_ids(reader_ids.iter().copied(), reader_count)
            ));
        // Content of unstated trust is treated as untrusted (and asked about): the finding
        // stands on it, as on any untrusted source.
        if matches!(&context.node(input).properties, NodeProperties::Input(i) if i.trust.is_none())
        {
            builder = builder.assumes(context.id(input), "trust", "untrusted", false);
        }
        if filter_on_write.is_some() {
            builder = builder.factor(context.content_filter_factor(memory));
        } else if let Some(filter) = filter_on_read {
            builder = builder.factor(Some(Factor {
                kind: FactorKind::ContentFilter,
                effect: -1,
                detail: format!(
                    "`{}` reads `{}` only through content filter `{}`, which lowers injection but does not stop it",
                    context.id(reader),
                    context.id(memory),
                    context.id(filter)
                ),
            }));
        }
        // A knowledge base several agents read spreads one poisoned entry to all of them,
        // whether or not the model calls it shared.
        let spread = if readers.len() > 1 {
            Some(format!(
                "`{}` is read by {} agents: one poisoned entry reaches every one of them",
                context.id(memory),
                readers.len()
            ))
        } else if shared {
            Some(format!(
                "`{}` is shared: a poisoned entry reaches other agents, users or sessions",
                context.id(memory)
            ))
        } else {
            None
        };
        builder = builder.factor(spread.map(|detail| Factor {
            kind: FactorKind::UntrustedExposure,
            effect: 1,
            detail,
        }));
        findings.push(builder.build());
    }
    findings
}
