//! The one error every command returns: `{ code, message, path? }`, where `code` is stable for
//! the UI to branch on and `message` is for people.

use std::path::Path;

use serde::Serialize;

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct CommandError {
    /// `io`, `invalid-model`, `not-permitted`, `unknown-example`, `unknown-format`, `dialog`,
    /// `workspace` (the history's database), `unknown-revision`, `read-only` (a file that did
    /// not read completely is not written over), `no-author` (nobody to sign: the user has not
    /// set their name), `invalid-name`, `invalid-rename` (an id that cannot be renamed as asked),
    /// `invalid-plan-step` (a plan step that is unknown or cannot be applied to this model).
    pub code: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

impl CommandError {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        CommandError {
            code,
            message: message.into(),
            path: None,
        }
    }

    pub fn at(mut self, path: &Path) -> Self {
        self.path = Some(path.display().to_string());
        self
    }
}

impl From<bartizan::store::StoreError> for CommandError {
    fn from(error: bartizan::store::StoreError) -> Self {
        CommandError::new("io", error.to_string()).at(error.path())
    }
}

impl From<bartizan::store::workspace::WorkspaceError> for CommandError {
    fn from(error: bartizan::store::workspace::WorkspaceError) -> Self {
        use bartizan::store::workspace::WorkspaceError;
        let code = match error {
            WorkspaceError::NotRecorded { .. } | WorkspaceError::NoSuchRevision { .. } => {
                "unknown-revision"
            }
            _ => "workspace",
        };
        CommandError::new(code, error.to_string())
    }
}

impl From<bartizan::analysis::RenameDocumentError> for CommandError {
    fn from(error: bartizan::analysis::RenameDocumentError) -> Self {
        use bartizan::analysis::RenameDocumentError;
        let code = match error {
            RenameDocumentError::Unreadable(_) => "invalid-model",
            RenameDocumentError::Rename(_) => "invalid-rename",
        };
        CommandError::new(code, error.to_string())
    }
}

impl From<bartizan::analysis::PlanDocumentError> for CommandError {
    fn from(error: bartizan::analysis::PlanDocumentError) -> Self {
        use bartizan::analysis::PlanDocumentError;
        let code = match error {
            PlanDocumentError::Invalid(_) => "invalid-model",
            PlanDocumentError::Step(_) => "invalid-plan-step",
        };
        CommandError::new(code, error.to_string())
    }
}

pub type CommandResult<T> = Result<T, CommandError>;
