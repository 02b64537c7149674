//! The journal of an import: what makes a killed run resumable without sending a done row
//! again.
//!
//! A JSON Lines file. Its first line names the input by the SHA-256 of its bytes and holds a
//! random salt; each later line records one row's state, written (and handed to the operating
//! system) *before* the row is sent (`sending`) and after it ends (`done`, `present`,
//! `failed`). Rows are named by their number and a salted digest
//! ([`crate::users::import::ImportRow::digest`]), never by a value: the journal holds no phone
//! number, email or secret. A run that finds the journal of the same input skips the rows done
//! or present, and checks the rows left `sending` or `failed` against the user's live methods
//! before sending them again. A journal of another input is refused, and so is a journal
//! another import holds (it is locked while a run uses it).

use std::collections::HashMap;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde_json::{Value, json};

use crate::api::import::{ImportItem, Journal, Outcome};
use crate::error::CommandError;

const KIND: &str = "mfactl users import journal";
const VERSION: u64 = 1;

/// A row's last recorded state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Sending,
    Done,
    Present,
    Failed,
}

impl State {
    fn as_str(self) -> &'static str {
        match self {
            State::Sending => "sending",
            State::Done => "done",
            State::Present => "present",
            State::Failed => "failed",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        match text {
            "sending" => Some(State::Sending),
            "done" => Some(State::Done),
            "present" => Some(State::Present),
            "failed" => Some(State::Failed),
            _ => None,
        }
    }
}

/// An open journal, appended to as rows are sent.
pub struct JournalFile {
    path: PathBuf,
    file: Mutex<File>,
    salt: Vec<u8>,
}

/// The journal's default place: beside the input, `FILE.journal`.
pub fn default_path(input: &Path) -> PathBuf {
    let mut name = input
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".journal");
    input.with_file_name(name)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect()
}

/// The longest journal line read: a header is about 170 bytes, a record about 110. A longer
/// line is not the journal's (or was torn and glued to another), and is passed over without
/// being held.
const MAX_LINE: usize = 1024;

/// One line of the journal, read with [`read_line`].
enum Line {
    /// The line's bytes, without its `\n`; `ended` is false for a last line with no `\n` (a
    /// write cut short by a kill).
    Text { bytes: Vec<u8>, ended: bool },
    /// Longer than [`MAX_LINE`]: passed over.
    TooLong { ended: bool },
    /// The end of the file.
    End,
}

/// Reads one line, holding at most [`MAX_LINE`] bytes of it however long it is.
fn read_line(reader: &mut impl BufRead) -> std::io::Result<Line> {
    let mut bytes = Vec::new();
    let mut too_long = false;
    let mut any = false;
    loop {
        let buffer = reader.fill_buf()?;
        if buffer.is_empty() {
            return Ok(match (any, too_long) {
                (false, _) => Line::End,
                (true, true) => Line::TooLong { ended: false },
                (true, false) => Line::Text {
                    bytes,
                    ended: false,
                },
            });
        }
        any = true;
        let (part, newline) = match buffer.iter().position(|b| *b == b'\n') {
            Some(at) => (buffer.get(..at).unwrap_or_default(), true),
            None => (buffer, false),
        };
        let used = part.len() + usize::from(newline);
        if !too_long && bytes.len() + part.len() <= MAX_LINE {
            bytes.extend_from_slice(part);
        } else {
            too_long = true;
            bytes = Vec::new();
        }
        reader.consume(used);
        if newline {
            return Ok(if too_long {
                Line::TooLong { ended: true }
            } else {
                Line::Text { bytes, ended: true }
            });
        }
    }
}

impl JournalFile {
    /// Opens the journal at `path` for the input whose bytes hash to `input_sha256` and that
    /// has `rows` rows: a new one, or the one an earlier run of the same input left (with the
    /// state of each row it recorded). The journal is locked while this run lives: another
    /// import using it is refused. Errors name the fix: a path that is not a regular file (a
    /// device, a pipe, a folder), a file that is not a journal, a journal of another input, a
    /// journal another import holds. Every line is read with a bound ([`MAX_LINE`]); a torn
    /// last line (a kill mid-write) is passed over, and the next record starts on a new line.
    pub fn open(
        path: &Path,
        input_sha256: &str,
        rows: u64,
    ) -> Result<(JournalFile, HashMap<u64, State>), CommandError> {
        let not_regular = || {
            CommandError::Other(format!(
                "the journal {} is not a regular file (a device, pipe or folder cannot hold an import journal): nothing was sent. Give --journal the path of a file (created if missing), or leave --journal out to use the file beside the input",
                path.display()
            ))
        };
        // Checked before opening: opening a pipe for reading would wait for a writer.
        match std::fs::metadata(path) {
            Ok(meta) if !meta.is_file() => return Err(not_regular()),
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(CommandError::read(path, e)),
        }
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(|e| CommandError::write(path, e))?;
        let meta = file.metadata().map_err(|e| CommandError::read(path, e))?;
        if !meta.is_file() {
            return Err(not_regular());
        }
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(CommandError::Refused(format!(
                    "another `mfactl users import` is using the journal {} (it is importing the same file now): nothing was sent. Wait for it to end; running this command again then resumes where it stopped",
                    path.display()
                )));
            }
            Err(TryLockError::Error(e)) if e.kind() == std::io::ErrorKind::Unsupported => {
                tracing::debug!("the file system cannot lock the journal: {e}");
            }
            Err(TryLockError::Error(e)) => return Err(CommandError::write(path, e)),
        }
        let mut states = HashMap::new();
        let salt = if meta.len() == 0 {
            let salt: Vec<u8> = (0..16).map(|_| fastrand::u8(..)).collect();
            let header = json!({
                "journal": KIND,
                "version": VERSION,
                "input_sha256": input_sha256,
                "salt": hex(&salt),
            });
            file.write_all(format!("{header}\n").as_bytes())
                .map_err(|e| CommandError::write(path, e))?;
            salt
        } else {
            let mut reader = BufReader::new(&file);
            let read = |e| CommandError::read(path, e);
            let header: Value = match read_line(&mut reader).map_err(read)? {
                Line::Text { bytes, .. } => serde_json::from_slice(&bytes).unwrap_or(Value::Null),
                Line::TooLong { .. } | Line::End => Value::Null,
            };
            if header["journal"] != KIND || header["version"] != VERSION {
                return Err(CommandError::Other(format!(
                    "{} is not an mfactl import journal; give --journal another file",
                    path.display()
                )));
            }
            if header["input_sha256"] != input_sha256 {
                return Err(CommandError::Other(format!(
                    "the journal {} belongs to another version of the input (its SHA-256 differs): nothing was sent. Delete it to import this file from the start, or give --journal another file",
                    path.display()
                )));
            }
            let mut last_ended = true;
            loop {
                let bytes = match read_line(&mut reader).map_err(read)? {
                    Line::End => break,
                    Line::TooLong { ended } => {
                        last_ended = ended;
                        continue;
                    }
                    Line::Text { bytes, ended } => {
                        last_ended = ended;
                        bytes
                    }
                };
                // A line the killed run left half-written is ignored: its row was at most
                // in flight, and is checked before it is sent again.
                let Ok(record) = serde_json::from_slice::<Value>(&bytes) else {
                    continue;
                };
                if let (Some(row), Some(state)) = (
                    record["row"]
                        .as_u64()
                        .filter(|row| (1..=rows).contains(row)),
                    record["state"].as_str().and_then(State::parse),
                ) {
                    states.insert(row, state);
                }
            }
            if !last_ended {
                // The next record goes on a line of its own, not glued to the torn one.
                file.write_all(b"\n")
                    .map_err(|e| CommandError::write(path, e))?;
            }
            header["salt"].as_str().and_then(unhex).unwrap_or_default()
        };
        Ok((
            JournalFile {
                path: path.to_path_buf(),
                file: Mutex::new(file),
                salt,
            },
            states,
        ))
    }

    fn record(&self, item: &ImportItem, state: State) -> Result<(), String> {
        let line = json!({
            "row": item.row,
            "line": item.line,
            "digest": item.import.digest(&self.salt),
            "state": state.as_str(),
        });
        let mut file = self
            .file
            .lock()
            .map_err(|_| "the journal is unusable after an earlier failure".to_owned())?;
        // One write per record, unbuffered: it is the operating system's as soon as this
        // returns, so killing mfactl loses nothing.
        file.write_all(format!("{line}\n").as_bytes())
            .map_err(|e| format!("cannot write the journal {}: {e}", self.path.display()))
    }
}

impl Journal for JournalFile {
    fn sending(&self, item: &ImportItem) -> Result<(), String> {
        self.record(item, State::Sending)
    }

    fn finished(&self, item: &ImportItem, outcome: &Outcome) -> Result<(), String> {
        let state = match outcome {
            Outcome::Done => State::Done,
            Outcome::AlreadyPresent => State::Present,
            Outcome::Failed(_) => State::Failed,
        };
        self.record(item, state)
    }
}

/// Hex SHA-256 of a file's bytes, read in blocks.
pub fn file_sha256(path: &Path) -> Result<String, CommandError> {
    use sha2::{Digest, Sha256};
    let mut file = File::open(path).map_err(|e| CommandError::read(path, e))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let read =
            std::io::Read::read(&mut file, &mut buffer).map_err(|e| CommandError::read(path, e))?;
        if read == 0 {
            break;
        }
        hasher.update(buffer.get(..read).unwrap_or_default());
    }
    Ok(hex(&hasher.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(sha: &str) -> String {
        format!(
            "{}\n",
            json!({"journal": KIND, "version": VERSION, "input_sha256": sha, "salt": "00ff"})
        )
    }

    #[test]
    fn a_torn_last_line_is_passed_over_and_the_next_record_starts_a_new_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rows.csv.journal");
        let long = "x".repeat(10 * MAX_LINE);
        std::fs::write(
            &path,
            format!(
                "{}{long}\n{{\"row\":1,\"line\":2,\"digest\":\"d\",\"state\":\"done\"}}\n{{\"row\":9,\"line\":10,\"digest\":\"d\",\"state\":\"done\"}}\n{{\"row\":2,\"line\":3,\"dig",
                header("abc")
            ),
        )
        .unwrap();
        let (journal, states) = JournalFile::open(&path, "abc", 3).unwrap();
        assert_eq!(states, HashMap::from([(1, State::Done)]));
        assert_eq!(journal.salt, [0, 255]);
        assert!(std::fs::read_to_string(&path).unwrap().ends_with("\"dig\n"));
        // The journal is locked while a run holds it.
        let Err(CommandError::Refused(message)) = JournalFile::open(&path, "abc", 3) else {
            panic!("a second open of a held journal was not refused");
        };
        assert!(message.starts_with("another `mfactl users import` is using the journal"));
        drop(journal);
        let (_, states) = JournalFile::open(&path, "abc", 3).unwrap();
        assert_eq!(states.len(), 1);
    }

    #[test]
    fn a_line_is_read_within_its_bound() {
        let text = format!("{}\nshort\nlast", "y".repeat(MAX_LINE + 1));
        let mut reader = BufReader::with_capacity(16, text.as_bytes());
        assert!(matches!(
            read_line(&mut reader).unwrap(),
            Line::TooLong { ended: true }
        ));
        assert!(
            matches!(read_line(&mut reader).unwrap(), Line::Text { bytes, ended: true } if bytes == b"short")
        );
        assert!(
            matches!(read_line(&mut reader).unwrap(), Line::Text { bytes, ended: false } if bytes == b"last")
        );
        assert!(matches!(read_line(&mut reader).unwrap(), Line::End));
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_not_a_journal() {
        let Err(error) = JournalFile::open(Path::new("/dev/zero"), "abc", 1) else {
            panic!("/dev/zero was taken for a journal");
        };
        assert!(
            error
                .to_string()
                .starts_with("the journal /dev/zero is not a regular file"),
            "{error}"
        );
    }
}
