//! Model files on disk: reading with the size limit checked before anything is read, and
//! writing atomically (temporary file, fsync, rename) so a crash never leaves half a model;
//! and the `workspace`, the database of each model's recorded revisions and audit log.

pub mod workspace;

use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Location};
use crate::model::Model;
use crate::syntax::{self, Format, Limits, Parsed};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// A model file as read: its text (for showing source lines) and what was parsed from it.
#[derive(Debug)]
pub struct ModelFile {
    pub path: PathBuf,
    pub source: String,
    pub parsed: Parsed,
}

/// Reads and parses a model file. I/O failures are errors; everything wrong with the
/// contents (size, encoding, syntax, structure) is a diagnostic in `parsed`.
pub fn read_model(path: &Path, limits: &Limits) -> Result<ModelFile, StoreError> {
    let read_error = |source| StoreError::Read {
        path: path.to_owned(),
        source,
    };
    let file = File::open(path).map_err(read_error)?;
    let size = file.metadata().map_err(read_error)?.len();
    let refuse = |diagnostic: Diagnostic| ModelFile {
        path: path.to_owned(),
        source: String::new(),
        parsed: Parsed {
            model: None,
            diagnostics: vec![diagnostic],
            tree: None,
        },
    };
    if size > limits.max_bytes {
        return Ok(refuse(syntax::size_error(size, limits)));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limits.max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    if bytes.len() as u64 > limits.max_bytes {
        return Ok(refuse(syntax::size_error(bytes.len() as u64, limits)));
    }
    let source = match String::from_utf8(bytes) {
        Ok(source) => source,
        Err(error) => {
            let valid = error.utf8_error().valid_up_to();
            let before = &error.as_bytes()[..valid];
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            let column = String::from_utf8_lossy(
                &before[before
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |p| p + 1)..],
            )
            .chars()
            .count()
                + 1;
            let mut refused = refuse(
                Diagnostic::error(
                    "encoding",
                    format!(
                        "the file is not UTF-8 text: invalid byte at line {line}, column {column}"
                    ),
                )
                .with_help("save the file as UTF-8"),
            );
            refused.parsed.diagnostics[0].location = Some(Location {
                line,
                column,
                start: 0,
                end: 0,
            });
            return Ok(refused);
        }
    };
    let parsed = syntax::parse_model(&source, Format::from_path(path), limits);
    Ok(ModelFile {
        path: path.to_owned(),
        source,
        parsed,
    })
}

/// Writes a model in the format its extension names, atomically.
pub fn write_model(path: &Path, model: &Model) -> Result<(), StoreError> {
    let text = match Format::from_path(path) {
        Format::Yaml => syntax::to_yaml(model),
        Format::Json => syntax::to_json(model),
    };
    write_atomically(path, text.as_bytes())
}

/// Writes to a temporary file beside the target, syncs it, renames it over the target and
/// syncs the directory: readers see the old file or the new one, never a mix.
pub fn write_atomically(path: &Path, contents: &[u8]) -> Result<(), StoreError> {
    let write_error = |source| StoreError::Write {
        path: path.to_owned(),
        source,
    };
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    let file_name = path
        .file_name()
        .ok_or_else(|| write_error(std::io::Error::other("the path names no file")))?;
    let temporary = directory.join(format!(
        ".{}.{}.tmp",
        file_name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| {
        let mut file = File::create(&temporary)?;
        file.write_all(contents)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&temporary, path)?;
        if let Ok(dir) = File::open(&directory) {
            // Not every platform can sync a directory; the rename itself is what matters.
            let _ = dir.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result.map_err(write_error)
}
