//! The one error type every command ends with, and the exit status it maps to.
//!
//! A command returns `Result<ExitCode, CommandError>`: its own status on success (`plan
//! --detailed-exitcode` exits 2 when there are changes), or an error that `main` prints once,
//! as `error: …` on stderr, before exiting with [`CommandError::exit_code`]. Messages never
//! hold a secret: the API client and the config loader scrub what they pass up.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::api::ApiError;
use crate::plan::PlanError;
use crate::plan::saved::{SavedPlanError, Stale};

/// Why a command failed. Every variant exits 1: 0 and 2 are reserved for success (2 = "the
/// plan has changes" with `--detailed-exitcode`), so no failure can pass for drift.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    /// The config file has errors; they were printed with their places already.
    #[error("{0} is not valid")]
    InvalidConfig(PathBuf),
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
    /// The Management API or the network refused (boxed: the API's errors carry much).
    #[error(transparent)]
    Api(Box<ApiError>),
    /// The plan cannot be made (tenant guard, unavailable resources, lockout, phone kind).
    #[error(transparent)]
    Plan(#[from] PlanError),
    #[error(transparent)]
    Stale(#[from] Stale),
    #[error("{path}: {source}")]
    SavedPlan {
        path: PathBuf,
        source: SavedPlanError,
    },
    /// mfactl stopped on purpose before sending anything (a dangerous change, no terminal to
    /// confirm on, a cancelled prompt), or after a partial apply; the message says what to do.
    #[error("{0}")]
    Refused(String),
    /// Anything else, already worded for the user.
    #[error("{0}")]
    Other(String),
}

impl CommandError {
    /// The process exit status for this error.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::FAILURE
    }

    pub fn read(path: &Path, source: std::io::Error) -> Self {
        CommandError::Read {
            path: path.to_path_buf(),
            source,
        }
    }

    pub fn write(path: &Path, source: std::io::Error) -> Self {
        CommandError::Write {
            path: path.to_path_buf(),
            source,
        }
    }
}

impl From<ApiError> for CommandError {
    fn from(error: ApiError) -> Self {
        CommandError::Api(Box::new(error))
    }
}

/// What every command returns.
pub type CommandResult = Result<ExitCode, CommandError>;
