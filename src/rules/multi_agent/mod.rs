pub mod confused_deputy;
pub mod transitive_delegation;
pub mod unauthenticated_delegation;
pub mod unauthenticated_endpoint;
pub mod unverified_endpoint;

use petgraph::Direction::Outgoing;
use petgraph::stable_graph::{EdgeIndex, NodeIndex};

use crate::model::{NodeKind, Relation, ToolType};
use crate::rules::CheckContext;

/// The identity every one of `agents` acts as, first by id, if they share one: then they act
/// as one principal, and the fix (a workload identity each) belongs to that identity.
pub fn common_identity(context: &CheckContext, agents: &[NodeIndex]) -> Option<NodeIndex> {
    let (&first, rest) = agents.split_first()?;
    context
        .related(first, Relation::ActsAs, Outgoing)
        .map(|(_, identity)| identity)
        .filter(|&identity| {
            rest.iter().all(|&agent| {
                context
                    .related(agent, Relation::ActsAs, Outgoing)
                    .any(|(_, other)| other == identity)
            })
        })
        .min_by_key(|&identity| context.id(identity))
}

/// Whether a call or hand-off reaches into another trust boundary, or to an MCP server: an
/// endpoint the caller reaches over a network, whose identity and whose callers can differ
/// from what the caller expects.
pub fn is_remote_call(context: &CheckContext, edge: EdgeIndex, callee: NodeIndex) -> bool {
    context.graph.crosses_boundary(edge) || is_mcp_server(context, callee)
}

/// Every remote call ([`is_remote_call`]) over an edge of `relations` to a node whose kind
/// `callee` accepts, as (caller, edge, callee): callers in file order, each one's edges in the
/// graph's order.
pub fn remote_calls<'a>(
    context: &'a CheckContext,
    relations: &'a [Relation],
    callee: fn(NodeKind) -> bool,
) -> impl Iterator<Item = (NodeIndex, EdgeIndex, NodeIndex)> + 'a {
    context.graph.nodes().flat_map(move |caller| {
        context
            .graph
            .edges(caller, Outgoing)
            .iter()
            .filter(move |&&(edge, to)| {
                relations.contains(&context.graph.edge(edge).relation)
                    && callee(context.kind(to))
                    && is_remote_call(context, edge, to)
            })
            .map(move |&(edge, to)| (caller, edge, to))
    })
}

pub fn is_mcp_server(context: &CheckContext, n: NodeIndex) -> bool {
    context
        .tool(n)
        .is_some_and(|t| t.tool_type == Some(ToolType::McpServer))
}

/// What a called node is, in a title: "MCP server" or its kind.
pub fn endpoint_word(context: &CheckContext, n: NodeIndex) -> &'static str {
    if is_mcp_server(context, n) {
        "MCP server"
    } else {
        context.kind(n).as_str()
    }
}

/// "`llm` in vendor zone `vendor-llm`", or just "`llm`" for a node in no boundary.
pub fn placed(context: &CheckContext, n: NodeIndex) -> String {
    match context.zone_words(n) {
        Some(zone) => format!("`{}` in {zone}", context.id(n)),
        None => format!("`{}`", context.id(n)),
    }
}

/// Whether a call goes from one zone into another (or between a node in a boundary and one in
/// none): where an unstated authentication or verification is worth asking about. Nested
/// boundaries of one zone are one trust level.
pub fn crosses_zone(context: &CheckContext, caller: NodeIndex, callee: NodeIndex) -> bool {
    context.graph.zone(caller) != context.graph.zone(callee)
}

/// Whether a call crosses a trust boundary, where an unstated authentication or verification
/// is worth asking about: it goes into another zone, or it reaches an agent or MCP server in
/// another boundary. An agent or MCP server answers whoever reaches it over the network, so
/// boundaries of one zone (departments, tenants, nested in one enterprise) are trust
/// boundaries for it; for a plain tool or model endpoint they are not.
pub fn crosses_trust_boundary(
    context: &CheckContext,
    edge: EdgeIndex,
    caller: NodeIndex,
    callee: NodeIndex,
) -> bool {
    crosses_zone(context, caller, callee)
        || (context.graph.crosses_boundary(edge)
            && (context.kind(callee) == NodeKind::Agent || is_mcp_server(context, callee)))
}
