//! Rampart: threat modeling for AI agent systems.
//!
//! A model file is parsed (`syntax`), checked for consistency (`validate`), viewed as a graph
//! (`graph`) and read or written on disk (`store`); `cli` is the command line over all of it.

pub mod cli;
pub mod diagnostic;
pub mod graph;
pub mod model;
pub mod store;
pub mod syntax;
pub mod validate;
