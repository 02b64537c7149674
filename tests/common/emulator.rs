//! A `mfactl emulator` child process for end-to-end tests.

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdout, Command, Stdio};

use serde_json::Value;

use super::SECRET_ENV;

/// A running `mfactl emulator --port 0`, killed on drop.
pub struct EmulatorProcess {
    child: Child,
    pub domain: String,
    pub client_id: String,
    pub client_secret: String,
    _stdout: BufReader<ChildStdout>,
}

impl EmulatorProcess {
    pub fn start(args: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mfactl"))
            .args(["emulator", "--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the emulator");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut values = Vec::new();
        for _ in 0..3 {
            let mut line = String::new();
            stdout.read_line(&mut line).expect("read an export line");
            let (_, value) = line.trim_end().split_once('=').expect("NAME=value");
            values.push(value.to_string());
        }
        EmulatorProcess {
            child,
            domain: values[0].clone(),
            client_id: values[1].clone(),
            client_secret: values[2].clone(),
            _stdout: stdout,
        }
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
