//! `--report FILE`: one JSON line per failed row, `{"line", "row", "user", "type", "value",
//! "reason"}`, with the user's email and the value masked (a TOTP secret reads
//! `(sensitive value)`), scrubbed like every output.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde_json::json;

use crate::api::import::ImportItem;
use crate::error::CommandError;
use crate::scrub;

pub struct Report {
    path: PathBuf,
    file: Mutex<File>,
}

impl Report {
    pub fn create(path: &Path) -> Result<Report, CommandError> {
        let file = File::create(path).map_err(|e| CommandError::write(path, e))?;
        Ok(Report {
            path: path.to_path_buf(),
            file: Mutex::new(file),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes the line of one failed row.
    pub fn failed(&self, item: &ImportItem, reason: &str) {
        let line = json!({
            "line": item.line,
            "row": item.row,
            "user": item.import.shown_user(),
            "type": item.import.method.method_type(),
            "value": item.import.shown_value(),
            "reason": reason,
        });
        if let Ok(mut file) = self.file.lock() {
            let _ = file.write_all(scrub::scrub(&format!("{line}\n")).as_bytes());
        }
    }
}
