pub mod unsandboxed_code_execution;
