//! A file saved in two steps: written (scrubbed) under a temporary name beside its
//! destination, then given its name once the command has done everything else that can fail.
//! `plan --out FILE` uses it so that a plan file that cannot be written stops the command
//! before anything is printed, and a plan that cannot be printed leaves no file (and an earlier
//! FILE untouched).

use std::path::{Path, PathBuf};

use crate::error::CommandError;
use crate::scrub;

/// A written file still under its temporary name; dropped without [`PendingFile::keep`], it is
/// removed.
pub struct PendingFile {
    file: tempfile::NamedTempFile,
    path: PathBuf,
}

impl PendingFile {
    /// Writes `text`, scrubbed of every secret, into a new file in `path`'s folder. Errors:
    /// [`CommandError::Write`] naming `path` when the folder does not exist or cannot be
    /// written, or the disk is full.
    pub fn write(path: &Path, text: &str) -> Result<Self, CommandError> {
        use std::io::Write;
        let folder = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        let mut builder = tempfile::Builder::new();
        builder.prefix(".mfactl-").suffix(".tmp");
        #[cfg(unix)]
        {
            // As `std::fs::write` would create it: read-write for all, less the umask.
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let mut file = builder
            .tempfile_in(folder)
            .map_err(|e| CommandError::write(path, without_temporary_name(e)))?;
        file.write_all(scrub::scrub(text).as_bytes())
            .and_then(|()| file.as_file().sync_all())
            .map_err(|e| CommandError::write(path, e))?;
        Ok(PendingFile {
            file,
            path: path.to_path_buf(),
        })
    }

    /// Gives the file its name, replacing any file of that name.
    pub fn keep(self) -> Result<(), CommandError> {
        let PendingFile { file, path } = self;
        file.persist(&path)
            .map(drop)
            .map_err(|e| CommandError::write(&path, e.error))
    }
}

/// `error` without the temporary file's name that `tempfile` appends (`… at path "…"`): the
/// message names the destination instead.
fn without_temporary_name(error: std::io::Error) -> std::io::Error {
    let text = error.to_string();
    match text.rsplit_once(" at path ") {
        Some((cause, _)) => std::io::Error::new(error.kind(), cause.to_owned()),
        None => error,
    }
}
