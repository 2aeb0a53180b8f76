//! Files on disk. Everything the product reads goes through [`read_bounded`]: only regular
//! files (a FIFO, device, socket or directory is refused without blocking on it), with the
//! size checked before reading and the read itself bounded. Model files are written
//! atomically (temporary file, fsync, rename) so a crash never leaves half a model. And the
//! `workspace`, the database of each model's recorded revisions and audit log.

pub mod workspace;

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Location};
use crate::model::Model;
use crate::syntax::{self, Format, Limits, Parsed};

/// The largest baseline file read. A baseline holds one fingerprint (about 40 bytes of JSON)
/// per finding of one model; a model within the 16 MiB model limit gives far fewer than the
/// 400,000 findings this allows, so only a wrong file (or `/dev/zero`) reaches it.
pub const BASELINE_MAX_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read {path}: it is {kind}, not a regular file")]
    NotAFile { path: PathBuf, kind: &'static str },
    #[error("cannot read {path}: it is {size} bytes or more; the limit is {limit} bytes")]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl StoreError {
    /// The file the error is about.
    pub fn path(&self) -> &Path {
        match self {
            StoreError::Read { path, .. }
            | StoreError::NotAFile { path, .. }
            | StoreError::TooLarge { path, .. }
            | StoreError::Write { path, .. } => path,
        }
    }
}

/// Reads a whole regular file of at most `limit` bytes. Anything else (a directory, FIFO,
/// device or socket) is refused before a byte is read, and nothing blocks: the type is checked
/// on the path and again on the opened handle, which is opened non-blocking so a FIFO swapped
/// in between cannot wait for a writer. The read stops one byte past the limit.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, StoreError> {
    let read_error = |source| StoreError::Read {
        path: path.to_owned(),
        source,
    };
    let refuse_special = |metadata: &fs::Metadata| match special_kind(metadata) {
        Some(kind) => Err(StoreError::NotAFile {
            path: path.to_owned(),
            kind,
        }),
        None => Ok(()),
    };
    refuse_special(&fs::metadata(path).map_err(read_error)?)?;
    let file = open_nonblocking(path).map_err(read_error)?;
    let metadata = file.metadata().map_err(read_error)?;
    refuse_special(&metadata)?;
    let too_large = |size| StoreError::TooLarge {
        path: path.to_owned(),
        size,
        limit,
    };
    if metadata.len() > limit {
        return Err(too_large(metadata.len()));
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// What a file that is not a regular file is, in words for an error message.
fn special_kind(metadata: &fs::Metadata) -> Option<&'static str> {
    let file_type = metadata.file_type();
    if file_type.is_file() {
        return None;
    }
    if file_type.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if file_type.is_socket() {
            return Some("a socket");
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return Some("a device");
        }
    }
    Some("not a regular file")
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    // Opening a FIFO for reading waits for a writer unless non-blocking; on a regular file
    // the flag changes nothing.
    OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    OpenOptions::new().read(true).open(path)
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
    let refuse = |diagnostic: Diagnostic| ModelFile {
        path: path.to_owned(),
        source: String::new(),
        parsed: Parsed {
            model: None,
            diagnostics: vec![diagnostic],
            tree: None,
            complete: false,
        },
    };
    let bytes = match read_bounded(path, limits.max_bytes) {
        Ok(bytes) => bytes,
        Err(StoreError::TooLarge { size, .. }) => {
            return Ok(refuse(syntax::size_error(size, limits)));
        }
        Err(error) => return Err(error),
    };
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
/// syncs the directory: readers see the old file or the new one, never a mix. The temporary
/// file has a random name and is created exclusively without following a symlink, so neither
/// a file planted at a guessable name nor a second writer of the same target can be written
/// through; an existing target's permissions carry over to the new file.
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
    let (temporary, mut file) =
        create_temporary(&directory, &file_name.to_string_lossy()).map_err(write_error)?;
    let result = (|| {
        if let Ok(existing) = fs::metadata(path) {
            file.set_permissions(existing.permissions())?;
        }
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

/// Creates a new file `.NAME.RANDOM.tmp` in `directory`, never one that exists (a name taken,
/// even by a symlink, is retried with another random part).
fn create_temporary(directory: &Path, file_name: &str) -> std::io::Result<(PathBuf, File)> {
    const ATTEMPTS: usize = 16;
    for _ in 0..ATTEMPTS {
        let random = uuid::Uuid::now_v7().simple().to_string();
        let temporary = directory.join(format!(".{file_name}.{random}.tmp"));
        match create_new_no_follow(&temporary) {
            Ok(file) => return Ok((temporary, file)),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(error) => return Err(error),
        }
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::AlreadyExists,
        format!("no free temporary file name after {ATTEMPTS} attempts"),
    ))
}

#[cfg(unix)]
fn create_new_no_follow(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    // `create_new` already refuses an existing symlink (O_EXCL); O_NOFOLLOW says so twice.
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
}

#[cfg(not(unix))]
fn create_new_no_follow(path: &Path) -> std::io::Result<File> {
    OpenOptions::new().write(true).create_new(true).open(path)
}
