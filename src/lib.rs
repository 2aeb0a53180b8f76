//! Bartizan: threat modeling for AI agent systems.
//!
//! A model file is parsed (`syntax`), checked for consistency (`validate`), viewed as a graph
//! (`graph`) and checked for ungoverned paths (`rules`, producing `findings` that cite
//! `frameworks`); `report` renders findings for people and machines, `store` reads and writes
//! files and keeps each model's recorded revisions in the workspace, `history` compares
//! revisions, and `cli` is the command line over all of it.

pub mod allocator;
pub mod analysis;
pub mod cli;
pub mod diagnostic;
pub mod edit;
pub mod findings;
pub mod frameworks;
pub mod graph;
pub mod history;
pub mod model;
pub mod plan;
pub mod report;
pub mod risks;
#[doc(hidden)]
pub mod robustness;
pub mod rules;
pub mod store;
pub mod syntax;
pub mod validate;
