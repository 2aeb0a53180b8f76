pub mod approver_overload;
pub mod audit_log_tampering;
pub mod no_audit_trail;
