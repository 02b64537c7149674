//! A running `mfactl emulator` process for the benchmarks, and the environment it printed.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// A running `mfactl emulator` process, killed on drop.
pub struct Emulator {
    child: Child,
    pub domain: String,
    pub client_id: String,
    pub client_secret: String,
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `mfactl emulator ARGS` and reads the three `export NAME=value` lines it prints.
pub fn start_emulator(args: &[&str]) -> Emulator {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mfactl"))
        .arg("emulator")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("mfactl emulator starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut value = |name: &str| -> String {
        let line = lines.next().expect("a line").expect("text");
        let prefix = format!("export {name}=");
        line.strip_prefix(&prefix)
            .unwrap_or_else(|| panic!("expected {prefix}, got {line}"))
            .to_string()
    };
    let domain = value("AUTH0_DOMAIN");
    let client_id = value("AUTH0_CLIENT_ID");
    let client_secret = value("AUTH0_CLIENT_SECRET");
    Emulator {
        child,
        domain,
        client_id,
        client_secret,
    }
}
