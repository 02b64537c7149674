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
//! before sending them again. A journal of another input is refused.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
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

impl JournalFile {
    /// Opens the journal at `path` for the input whose bytes hash to `input_sha256`: a new one,
    /// or the one an earlier run of the same input left (with the state of each row it
    /// recorded). A journal of another input, or a file that is not a journal, is an error
    /// naming the fix.
    pub fn open(
        path: &Path,
        input_sha256: &str,
    ) -> Result<(JournalFile, HashMap<u64, State>), CommandError> {
        let mut states = HashMap::new();
        let salt = match File::open(path) {
            Ok(file) => {
                let mut lines = BufReader::new(file).lines();
                let header: Value = lines
                    .next()
                    .and_then(Result::ok)
                    .and_then(|l| serde_json::from_str(&l).ok())
                    .unwrap_or(Value::Null);
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
                for line in lines.map_while(Result::ok) {
                    // A line the killed run left half-written is ignored: its row was at most
                    // in flight, and is checked before it is sent again.
                    let Ok(record) = serde_json::from_str::<Value>(&line) else {
                        continue;
                    };
                    if let (Some(row), Some(state)) = (
                        record["row"].as_u64(),
                        record["state"].as_str().and_then(State::parse),
                    ) {
                        states.insert(row, state);
                    }
                }
                header["salt"].as_str().and_then(unhex).unwrap_or_default()
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let salt: Vec<u8> = (0..16).map(|_| fastrand::u8(..)).collect();
                let header = json!({
                    "journal": KIND,
                    "version": VERSION,
                    "input_sha256": input_sha256,
                    "salt": hex(&salt),
                });
                std::fs::write(path, format!("{header}\n"))
                    .map_err(|e| CommandError::write(path, e))?;
                salt
            }
            Err(e) => return Err(CommandError::read(path, e)),
        };
        let file = OpenOptions::new()
            .append(true)
            .open(path)
            .map_err(|e| CommandError::write(path, e))?;
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
