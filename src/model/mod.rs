//! The model document of SPEC §2: the types, the closed vocabularies, the relation table
//! and the JSON Schema generated from them. Pure data: no I/O, no parsing positions.

mod document;
mod duration;
mod node;
pub mod relations;
mod schema;
mod vocabulary;

pub use document::*;
pub use duration::{DURATION_EXPECTED, Duration};
pub use node::*;
pub use schema::{json_schema, vocabulary_json};
pub use vocabulary::*;
