//! Code execution without a sandbox: an agent can make a shell or code interpreter run
//! commands on a host that is not isolated, or an agent that writes and runs code has nowhere
//! isolated to run it.

use petgraph::Direction::Outgoing;
use petgraph::stable_graph::NodeIndex;

use crate::findings::{Finding, Severity};
use crate::frameworks::*;
use crate::graph::{Traversal, Witness};
use crate::model::{Action, Edge, NodeKind, Relation, ToolType};
use crate::rules::{Area, CheckContext, RiskKind, Rule};

pub static RULE: Rule = Rule {
    id: "BTZ-EXE-001",
    slug: "unsandboxed-code-execution",
    title: "Code execution without a sandbox",
    area: Area::Execution,
    risk: RiskKind::UngatedActions,
    version: 2,
    default_severity: Severity::High,
    summary: "An agent can reach a tool that executes code or commands locally (a `shell` tool, or an `execute` action on anything but a remote `api`) that is not stated to be sandboxed, or an agent that runs code (`runs_code: true`) invokes no code-execution tool, directly or through a gateway, so its code runs in its own runtime. A tool whose `sandboxed` is unstated raises a question and its finding waits on the answer; a gateway on the path does not count, since it does not isolate the host.",
    rationale: "Code an agent runs is code an attacker can write: a prompt injected into an issue, a web page or a document becomes a shell command, and without isolation that command runs with the host's files, network and credentials — environment variables, cloud metadata, deploy tokens. Real incidents follow this path from a planted instruction to remote code execution, credential theft and lateral movement to production.",
    remediation: "Run every code or command execution in a sandbox: an ephemeral container or microVM per task, with no ambient credentials, a read-only view of what the task needs, no network egress beyond an allowlist, and resource limits. Keep secrets out of the sandbox; give the code a just-in-time credential scoped to the task if it must call anything, and validate and audit every external call it makes at runtime.",
    references: &[
        asi("ASI05"),
        threat("T11"),
        llm("LLM05:2025"),
        atlas("AML.T0105"),
        maestro_layer("L4"),
        nist("MEASURE 2.7"),
    ],
    check,
};

/// A tool that runs code or commands where the agent's tool runs. A remote API with an
/// `execute` action (start a deployment, run a job) runs code elsewhere, under that
/// system's own isolation, and is left to the authorization checks.
fn is_executor(context: &CheckContext, n: NodeIndex) -> bool {
    context.tool(n).is_some_and(|tool| {
        tool.tool_type == Some(ToolType::Shell)
            || (tool.actions.contains(&Action::Execute) && tool.tool_type != Some(ToolType::Api))
    })
}

fn is_sandboxed(context: &CheckContext, n: NodeIndex) -> bool {
    context
        .tool(n)
        .is_some_and(|tool| tool.sandboxed == Some(true))
}

fn check(context: &CheckContext) -> Vec<Finding> {
    let agents = context.agents();
    let mut findings = Vec::new();

    // Unsandboxed executors any agent can reach. A gateway does not isolate the host, so no
    // control breaks the path.
    let reach = context.capability_search(&agents, &[]);
    for tool in context.nodes_of_kind(NodeKind::Tool) {
        if !is_executor(context, tool) || is_sandboxed(context, tool) {
            continue;
        }
        let Some(witness) = reach.witness(tool) else {
            continue;
        };
        let agent = witness.nodes[0];
        let caller = context.caller(&witness);
        let sandboxed = context.tool(tool).and_then(|t| t.sandboxed);
        let stated = match sandboxed {
            Some(false) => "`sandboxed: false`".to_owned(),
            _ => "`sandboxed` is not stated; read as not sandboxed".to_owned(),
        };
        let mut builder = context
            .finding(&RULE)
            .title(format!(
                "`{}` executes code outside a sandbox and is reachable from `{}`",
                context.id(tool),
                context.id(agent)
            ))
            .subjects([context.id(tool)])
            .place(context.id(caller))
            .path(context.steps(&witness), witness.shortest_paths)
            .evidence(stated);
        builder = context.with_exposure(builder, tool);
        if sandboxed.is_none() {
            builder = builder.assumes(context.id(tool), "sandboxed", "no", true);
        } else if let Some(why) =
            context.critical_reach(caller, tool, &[Action::Execute], &witness.nodes)
        {
            builder = builder.critical(why);
        }
        let in_reach = credentials_of(context, tool);
        if !in_reach.is_empty() {
            builder = builder.evidence(format!(
                "credentials within the code's reach: {}",
                in_reach.join(", ")
            ));
        }
        let sinks: Vec<String> = context
            .related(tool, Relation::Sends, Outgoing)
            .map(|(_, n)| format!("`{}`", context.id(n)))
            .collect();
        if !sinks.is_empty() {
            builder = builder.evidence(format!("it can send to {}", sinks.join(", ")));
        }
        findings.push(builder.build());
    }

    // Agents that run code with no code-execution tool of their own: the code runs in the
    // agent's runtime. An agent with an unsandboxed executor is reported through the tool.
    let invokes = |edge: &Edge| edge.relation == Relation::Invokes;
    for &agent in &agents {
        if context.agent(agent).and_then(|a| a.runs_code) != Some(true) {
            continue;
        }
        let through_gateways = |n: NodeIndex| context.kind(n) == NodeKind::Gateway;
        let direct = context.graph.search(
            &[agent],
            &Traversal::forward(&invokes).through(&through_gateways),
        );
        if direct.reached_nodes().any(|n| is_executor(context, n)) {
            continue;
        }
        let witness = context
            .exposure_witness(agent)
            .unwrap_or_else(|| Witness::at(agent));
        let builder = context
            .finding(&RULE)
            .title(format!(
                "`{}` runs the code it writes with no sandboxed execution tool",
                context.id(agent)
            ))
            .subjects([context.id(agent)])
            .place(context.id(agent))
            .path(context.steps(&witness), witness.shortest_paths)
            .evidence("`runs_code: true`, and it invokes no code-execution tool, directly or through a gateway: the code runs in the agent's own runtime");
        findings.push(context.with_exposure(builder, agent).build());
    }
    findings
}

/// The secrets the tool holds and the identities it runs as, as "`id`" words.
fn credentials_of(context: &CheckContext, tool: NodeIndex) -> Vec<String> {
    let mut credentials: Vec<String> = context
        .related(tool, Relation::Holds, Outgoing)
        .chain(context.related(tool, Relation::ActsAs, Outgoing))
        .map(|(_, n)| format!("`{}`", context.id(n)))
        .collect();
    credentials.dedup();
    credentials
}
