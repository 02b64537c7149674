//! Helpers shared by the integration tests: running the real binary.
#![allow(dead_code)]

pub mod emulator;

use std::path::Path;
use std::process::{Command, Output};

use std::path::PathBuf;

/// Secret values the tests put in the environment; no output may ever contain them.
pub const SECRET_ENV: &[(&str, &str)] = &[
    ("TWILIO_AUTH_TOKEN", "twilio-token-7f3a9c1e5b"),
    ("AWS_SECRET_ACCESS_KEY", "aws-secret-2d8e4f6a0c"),
    ("APNS_P12", "apns-p12-9b1d3f5e7a"),
    ("FCM_V1_CREDENTIALS", "fcm-v1-credentials-4c6e8a0b2d"),
    ("FCM_SERVER_KEY", "fcm-server-key-1a3c5e7b9d"),
    ("DUO_SECRET_KEY", "duo-secret-key-8e0a2c4f6b"),
];

/// The result of one run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from_output(output: Output) -> Self {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// stdout and stderr as a user reads them, for snapshots.
    pub fn transcript(&self) -> String {
        format!(
            "exit code: {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }

    /// Fails the test if any output holds one of `secrets`.
    pub fn assert_no_secrets(&self, secrets: &[&str]) {
        for secret in secrets {
            assert!(
                !self.stdout.contains(secret) && !self.stderr.contains(secret),
                "secret {secret:?} leaked into the output:\n{}",
                self.transcript()
            );
        }
    }
}

/// The crate's root, where the tests run the binary.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `mfactl ARGS` in the crate root with only the given environment (no colour).
pub fn mfactl(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mfactl"));
    command
        .args(args)
        .current_dir(root())
        .stdin(std::process::Stdio::null())
        .env_clear()
        .env("NO_COLOR", "1");
    for (key, value) in env {
        command.env(key, value);
    }
    match command.output() {
        Ok(output) => Run::from_output(output),
        Err(e) => panic!("cannot run mfactl: {e}"),
    }
}

/// Every secret value of [`SECRET_ENV`].
pub fn secret_values() -> Vec<&'static str> {
    SECRET_ENV.iter().map(|(_, v)| *v).collect()
}

/// An example copied to a temporary folder without its `tenant:` guard line, so it can run
/// against an emulator on 127.0.0.1. Returns the folder (keep it alive) and the copy's path.
pub fn example_without_tenant(name: &str) -> (tempfile::TempDir, PathBuf) {
    let text = std::fs::read_to_string(root().join("examples").join(name)).expect("example");
    let kept: String = text
        .lines()
        .filter(|l| !l.starts_with("tenant:"))
        .map(|l| format!("{l}\n"))
        .collect();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    std::fs::write(&path, kept).expect("write the copy");
    (dir, path)
}

/// Writes `text` to a file in a new temporary folder.
pub fn temp_config(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("write the config");
    (dir, path)
}
