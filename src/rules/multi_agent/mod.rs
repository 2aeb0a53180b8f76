pub mod transitive_delegation;
pub mod unauthenticated_delegation;
