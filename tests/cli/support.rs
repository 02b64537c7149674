//! What the command-line tests share: running the real binary, `mfactl emulator` child
//! processes, temporary config files, and the examples with their fake secrets
//! (`tests/fixtures/examples.rs`).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Output, Stdio};

use serde_json::Value;

#[path = "../fixtures/examples.rs"]
mod examples;

pub use examples::{EXAMPLES, SECRET_ENV, secret_of, secret_values};

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

/// The repository's root, where the tests run the binary.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `mfactl ARGS` in the repository root with only the given environment (no colour).
fn command(args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mfactl"));
    command
        .args(args)
        .current_dir(root())
        .env_clear()
        .env("NO_COLOR", "1");
    for (key, value) in env {
        command.env(key, value);
    }
    command
}

/// Runs `mfactl ARGS` in the repository root with only the given environment (no colour),
/// stdin closed.
pub fn mfactl(args: &[&str], env: &[(&str, &str)]) -> Run {
    match command(args, env).stdin(Stdio::null()).output() {
        Ok(output) => Run::from_output(output),
        Err(e) => panic!("cannot run mfactl: {e}"),
    }
}

/// Like [`mfactl`], with stdout going to the file at `stdout` (`/dev/full`, `/dev/null`)
/// instead of a pipe; [`Run::stdout`] is empty.
pub fn mfactl_writing_to(args: &[&str], env: &[(&str, &str)], stdout: &Path) -> Run {
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(stdout)
        .unwrap_or_else(|e| panic!("cannot open {}: {e}", stdout.display()));
    match command(args, env)
        .stdin(Stdio::null())
        .stdout(file)
        .output()
    {
        Ok(output) => Run::from_output(output),
        Err(e) => panic!("cannot run mfactl: {e}"),
    }
}

/// Starts `mfactl ARGS` in the background (stdin closed, stdout and stderr piped), for tests
/// that stop it half-way.
pub fn spawn_mfactl(args: &[&str], env: &[(&str, &str)]) -> Child {
    command(args, env)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mfactl starts")
}

/// Like [`mfactl`], with `input` on stdin (a pipe, not a terminal).
pub fn mfactl_with_stdin(args: &[&str], env: &[(&str, &str)], input: &str) -> Run {
    let mut child = command(args, env)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mfactl starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write stdin");
    Run::from_output(child.wait_with_output().expect("mfactl ends"))
}

/// `text` with each request's duration in an apply report (`, 12 ms)`) written as `, N ms)`, so
/// snapshots do not depend on how fast the machine is.
pub fn without_durations(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(end) = rest.find(" ms)") {
        let head = &rest[..end];
        let digits = head.len() - head.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        let number_start = end - digits;
        if digits > 0 && head[..number_start].ends_with(", ") {
            out.push_str(&head[..number_start]);
            out.push('N');
        } else {
            out.push_str(head);
        }
        out.push_str(" ms)");
        rest = &rest[end + 4..];
    }
    out.push_str(rest);
    out
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
    temp_config(name, &kept)
}

/// Writes `text` to a file in a new temporary folder.
pub fn temp_config(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("write the config");
    (dir, path)
}

/// A running `mfactl emulator --port 0`, killed on drop.
pub struct EmulatorProcess {
    child: Child,
    /// The `NAME=value` lines it printed first, in order.
    pub exports: Vec<(String, String)>,
    pub domain: String,
    pub client_id: String,
    pub client_secret: String,
    _stdout: BufReader<ChildStdout>,
}

impl EmulatorProcess {
    /// Starts the emulator with `args`; its stderr is discarded.
    pub fn start(args: &[&str]) -> Self {
        Self::spawn(args, Stdio::null())
    }

    /// Starts the emulator with `args`, keeping its stderr for [`EmulatorProcess::stop`]. Only
    /// for short runs: nothing reads the pipe until then.
    pub fn start_keeping_stderr(args: &[&str]) -> Self {
        Self::spawn(args, Stdio::piped())
    }

    fn spawn(args: &[&str], stderr: Stdio) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mfactl"))
            .args(["emulator", "--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("start the emulator");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut exports = Vec::new();
        for _ in 0..3 {
            let mut line = String::new();
            stdout.read_line(&mut line).expect("read an export line");
            let assignment = line
                .trim_end()
                .strip_prefix("export ")
                .unwrap_or_else(|| panic!("not an export line: {line:?}"));
            let (name, value) = assignment.split_once('=').expect("NAME=value");
            exports.push((name.to_owned(), value.to_owned()));
        }
        let var = |name: &str| {
            exports
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| panic!("the emulator printed no {name}"))
        };
        EmulatorProcess {
            domain: var("AUTH0_DOMAIN"),
            client_id: var("AUTH0_CLIENT_ID"),
            client_secret: var("AUTH0_CLIENT_SECRET"),
            exports,
            child,
            _stdout: stdout,
        }
    }

    /// The value of one variable it printed.
    pub fn var(&self, name: &str) -> &str {
        match self.exports.iter().find(|(n, _)| n == name) {
            Some((_, value)) => value,
            None => panic!("the emulator printed no {name}"),
        }
    }

    /// Kills the process and returns everything it wrote to stderr (empty unless started with
    /// [`EmulatorProcess::start_keeping_stderr`]).
    pub fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let mut stderr = String::new();
        if let Some(mut pipe) = self.child.stderr.take() {
            let _ = pipe.read_to_string(&mut stderr);
        }
        stderr
    }

    /// The environment an mfactl command needs: the connection and every test secret.
    pub fn env(&self) -> Vec<(&str, &str)> {
        let mut env = vec![
            ("AUTH0_DOMAIN", self.domain.as_str()),
            ("AUTH0_CLIENT_ID", self.client_id.as_str()),
            ("AUTH0_CLIENT_SECRET", self.client_secret.as_str()),
        ];
        env.extend_from_slice(SECRET_ENV);
        env
    }

    /// The host and port, as plans name the tenant.
    pub fn host(&self) -> &str {
        self.domain.trim_start_matches("http://")
    }

    /// A test hook call, on a runtime of its own (not for async tests).
    fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let _ = rustls::crypto::ring::default_provider().install_default();
        runtime.block_on(async {
            let client = reqwest::Client::new();
            let mut request = client.request(method, format!("{}{path}", self.domain));
            if let Some(body) = body {
                request = request.json(&body);
            }
            let response = request.send().await.expect("emulator answers");
            let text = response.text().await.expect("body");
            serde_json::from_str(&text).unwrap_or(Value::Null)
        })
    }

    /// The request log: `{method, path, status, body}` in arrival order.
    pub fn requests(&self) -> Vec<Value> {
        match self.call(reqwest::Method::GET, "/__emulator/requests", None) {
            Value::Array(items) => items,
            other => panic!("unexpected request log: {other}"),
        }
    }

    /// Writes (PUT, PATCH, POST, DELETE) under /api/v2 in the log, as `METHOD /path`.
    pub fn writes(&self) -> Vec<String> {
        self.requests()
            .iter()
            .filter(|r| {
                r["method"] != "GET"
                    && r["path"]
                        .as_str()
                        .is_some_and(|p| p.starts_with("/api/v2/"))
            })
            .map(|r| {
                format!(
                    "{} {}",
                    r["method"].as_str().unwrap_or(""),
                    r["path"].as_str().unwrap_or("")
                )
            })
            .collect()
    }

    /// The full state, write-only values included.
    pub fn state(&self) -> Value {
        self.call(reqwest::Method::GET, "/__emulator/state", None)
    }

    /// The stored user `id` (`{profile, authentication_methods, …}`, secrets in clear), from
    /// the full state; panics if there is none.
    pub fn stored_user(&self, id: &str) -> Value {
        self.state()["users"]
            .as_array()
            .and_then(|users| users.iter().find(|u| u["profile"]["user_id"] == id))
            .cloned()
            .unwrap_or_else(|| panic!("no user {id} in the emulator's state"))
    }

    /// Adds a user with authentication methods (`POST /__emulator/users`); returns it as stored.
    pub fn add_user(&self, seed: Value) -> Value {
        self.call(reqwest::Method::POST, "/__emulator/users", Some(seed))
    }

    /// An access token with exactly `scopes`, from the emulator's token endpoint.
    pub fn token_with(&self, scopes: &[&str]) -> String {
        let body = serde_json::json!({
            "grant_type": "client_credentials",
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "audience": format!("{}/api/v2/", self.domain),
            "scope": scopes.join(" "),
        });
        let answer = self.call(reqwest::Method::POST, "/oauth/token", Some(body));
        answer["access_token"].as_str().expect("a token").to_owned()
    }

    /// Seeds the state.
    pub fn set_state(&self, state: Value) {
        self.call(reqwest::Method::PUT, "/__emulator/state", Some(state));
    }

    /// Scripts a fault (`{method, path, status, times?, body?}`, see `POST /__emulator/faults`).
    pub fn add_fault(&self, fault: Value) {
        self.call(reqwest::Method::POST, "/__emulator/faults", Some(fault));
    }
}

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
