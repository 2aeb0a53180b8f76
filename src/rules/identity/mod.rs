pub mod delegated_human_credentials;
pub mod self_escalation;
pub mod shared_identity;
