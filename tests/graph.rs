//! The graph view: reachability under a filter, shortest witness paths, path counts, and
//! independence from the order of the file.

use bartizan::graph::{ModelGraph, Traversal};
use bartizan::model::{Model, Relation};
use bartizan::syntax::{Format, Limits, parse_model};

fn model(yaml: &str) -> Model {
    let parsed = parse_model(yaml, Format::Yaml, &Limits::default());
    assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
    parsed.model.unwrap()
}

const DIAMOND: &str = "
bartizan: 1
metadata: { name: Diamond }
nodes:
  - { id: mail, kind: input, name: Mail, properties: { trust: untrusted } }
  - { id: agent, kind: agent, name: Agent }
  - { id: pep, kind: gateway, name: Policy gateway, properties: { controls: [request_time_policy] } }
  - { id: search, kind: tool, name: Search, properties: { actions: [read] } }
  - { id: notes, kind: tool, name: Notes, properties: { actions: [read] } }
  - { id: pay, kind: tool, name: Payments, properties: { actions: [payment] } }
  - { id: key, kind: secret, name: Key }
edges:
  - { from: mail, relation: feeds, to: agent }
  - { from: agent, relation: invokes, to: search }
  - { from: agent, relation: invokes, to: notes }
  - { from: search, relation: feeds, to: agent }
  - { from: agent, relation: invokes, to: pep }
  - { from: pep, relation: invokes, to: pay }
  - { from: search, relation: invokes, to: pay }
  - { from: notes, relation: invokes, to: pay }
  - { from: pay, relation: holds, to: key }
";

fn ids(graph: &ModelGraph, nodes: &[petgraph::stable_graph::NodeIndex]) -> Vec<String> {
    nodes.iter().map(|&n| graph.id(n).to_owned()).collect()
}

fn data_and_calls(edge: &bartizan::model::Edge) -> bool {
    matches!(edge.relation, Relation::Feeds | Relation::Invokes)
}

#[test]
fn finds_the_shortest_witness_and_counts_the_others() {
    let model = model(DIAMOND);
    let graph = ModelGraph::new(&model);
    let mail = graph.index_of("mail").unwrap();
    let witness = graph
        .shortest_path(
            &[mail],
            |n| graph.id(n) == "pay",
            &Traversal::forward(&data_and_calls),
        )
        .unwrap();
    // Three paths of length 3 (via notes, pep, search); the witness takes the smallest ids.
    assert_eq!(
        ids(&graph, &witness.nodes),
        ["mail", "agent", "notes", "pay"]
    );
    assert_eq!(witness.hops.len(), 3);
    assert_eq!(witness.shortest_paths, 3);
    assert_eq!(graph.edge(witness.hops[2].edge).relation, Relation::Invokes);
    assert!(!witness.hops[2].reversed);
}

#[test]
fn a_node_that_does_not_pass_breaks_paths_through_it() {
    let model = model(DIAMOND);
    let graph = ModelGraph::new(&model);
    let mail = graph.index_of("mail").unwrap();
    let not_tools = |n| graph.kind(n) != bartizan::model::NodeKind::Tool || graph.id(n) == "pay";
    let traversal = Traversal::forward(&data_and_calls).through(&not_tools);
    let witness = graph
        .shortest_path(&[mail], |n| graph.id(n) == "pay", &traversal)
        .unwrap();
    assert_eq!(ids(&graph, &witness.nodes), ["mail", "agent", "pep", "pay"]);
    assert_eq!(witness.shortest_paths, 1);

    let no_gateways = |n| {
        graph.kind(n) != bartizan::model::NodeKind::Gateway
            && graph.kind(n) != bartizan::model::NodeKind::Tool
    };
    let blocked = Traversal::forward(&data_and_calls).through(&no_gateways);
    assert!(
        graph
            .shortest_path(&[mail], |n| graph.id(n) == "pay", &blocked)
            .is_none()
    );
}

#[test]
fn reachability_follows_only_the_chosen_relations_and_direction() {
    let model = model(DIAMOND);
    let graph = ModelGraph::new(&model);
    let key = graph.index_of("key").unwrap();
    let holds = |e: &bartizan::model::Edge| e.relation == Relation::Holds;
    let holders = graph.reachable(&[key], &Traversal::backward(&holds));
    assert_eq!(ids(&graph, &holders), ["key", "pay"]);
    let witness = graph
        .shortest_path(
            &[key],
            |n| graph.id(n) == "pay",
            &Traversal::backward(&holds),
        )
        .unwrap();
    assert!(witness.hops[0].reversed);
    let only_feeds = |e: &bartizan::model::Edge| e.relation == Relation::Feeds;
    let fed = graph.reachable(
        &[graph.index_of("mail").unwrap()],
        &Traversal::forward(&only_feeds),
    );
    assert_eq!(ids(&graph, &fed), ["mail", "agent"]);
}

#[test]
fn witnesses_do_not_depend_on_file_order() {
    let forward = model(DIAMOND);
    let mut reversed = forward.clone();
    reversed.nodes.reverse();
    reversed.edges.reverse();
    for model in [&forward, &reversed] {
        let graph = ModelGraph::new(model);
        let mail = graph.index_of("mail").unwrap();
        let witness = graph
            .shortest_path(
                &[mail],
                |n| graph.id(n) == "pay",
                &Traversal::forward(&data_and_calls),
            )
            .unwrap();
        assert_eq!(
            ids(&graph, &witness.nodes),
            ["mail", "agent", "notes", "pay"]
        );
    }
}

#[test]
fn knows_the_innermost_boundary_and_crossings() {
    let model = model(
        "
bartizan: 1
metadata: { name: Zones }
nodes:
  - { id: web, kind: input, name: Web }
  - { id: agent, kind: agent, name: Agent }
  - { id: db, kind: datastore, name: DB }
edges:
  - { from: web, relation: feeds, to: agent }
  - { from: agent, relation: reads, to: db }
boundaries:
  - { id: internet, name: Internet, zone: internet, members: [web] }
  - { id: corp, name: Corp, zone: corporate, members: [agent, db] }
  - { id: prod, name: Prod, zone: production, parent: corp, members: [db] }
",
    );
    let graph = ModelGraph::new(&model);
    let db = graph.index_of("db").unwrap();
    assert_eq!(graph.boundary_of(db).unwrap().id, "prod");
    let crossings: Vec<bool> = graph
        .petgraph()
        .edge_indices()
        .map(|e| graph.crosses_boundary(e))
        .collect();
    assert_eq!(crossings, [true, true]);
}

#[test]
fn a_search_for_enough_targets_stops_after_the_nearest_level_and_says_so() {
    let model = model(DIAMOND);
    let graph = ModelGraph::new(&model);
    let mail = graph.index_of("mail").unwrap();
    let is_tool = |n| graph.kind(n) == bartizan::model::NodeKind::Tool;
    let traversal = Traversal::forward(&data_and_calls);

    let everything = graph.search(&[mail], &traversal);
    assert!(everything.is_complete());

    // One tool is enough: the search stops while expanding the agent, with the nearest
    // tools' level (distance 2) found and the payment tool behind them never reached.
    let one = graph.search_for(&[mail], &traversal, is_tool, 1);
    assert!(!one.is_complete());
    let search = graph.index_of("search").unwrap();
    assert_eq!(one.distance(search), Some(2));
    assert!(!one.reached(graph.index_of("pay").unwrap()));

    // Asking for more than there are explores everything, with the same distances and path
    // counts as the plain search.
    let all = graph.search_for(&[mail], &traversal, is_tool, 10);
    assert!(all.is_complete());
    let pay = graph.index_of("pay").unwrap();
    assert_eq!(all.witness(pay), everything.witness(pay));
}
