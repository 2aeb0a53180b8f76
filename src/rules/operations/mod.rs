pub mod approver_overload;
pub mod no_audit_trail;
