//! Benchmark: planning five tenants in one run (`mfactl plan --tenants`), against the slowest
//! of the five planned alone and against the five planned one after another.
//!
//! Starts five `mfactl emulator --latency-ms 100` processes (each a tenant with its own rate
//! limit), then times the real binary planning `examples/full.yaml` (17 endpoints and a token
//! request per tenant): each tenant alone (`AUTH0_*` environment), and all five with
//! `--tenants`. Three rounds after a warm-up run. Target: the run of five within 1.3× the
//! slowest single plan. See bench/README.md; timing assertions do not belong in tests, so
//! this only reports.

#![allow(clippy::unwrap_used, clippy::expect_used)] // bench code: a panic is a failed run

#[path = "../tests/fixtures/examples.rs"]
mod examples;

#[path = "emulator.rs"]
mod emulator;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use emulator::{Emulator, start_emulator};

const TENANTS: usize = 5;
const ROUNDS: usize = 3;
const TARGET: f64 = 1.3;

/// Runs `mfactl ARGS` with only `env`, output discarded; its wall time. Panics unless it exits
/// with `expected`.
fn timed(args: &[&str], env: &[(String, String)], expected: i32) -> Duration {
    let started = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_mfactl"))
        .args(args)
        .env_clear()
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("mfactl runs");
    let elapsed = started.elapsed();
    assert_eq!(status.code(), Some(expected), "mfactl {args:?}");
    elapsed
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn secrets_env() -> Vec<(String, String)> {
    examples::SECRET_ENV
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn single_env(emulator: &Emulator) -> Vec<(String, String)> {
    let mut env = secrets_env();
    env.push(("AUTH0_DOMAIN".into(), emulator.domain.clone()));
    env.push(("AUTH0_CLIENT_ID".into(), emulator.client_id.clone()));
    env.push(("AUTH0_CLIENT_SECRET".into(), emulator.client_secret.clone()));
    env
}

fn write_files(dir: &Path, emulators: &[Emulator]) -> Vec<(String, String)> {
    let config: String = examples::example_text("full.yaml")
        .lines()
        .filter(|l| !l.starts_with("tenant:"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.join("mfa.yaml"), config).expect("config");
    let mut env = secrets_env();
    let mut tenants = String::from("tenants:\n");
    for (i, emulator) in emulators.iter().enumerate() {
        let variable = format!("TENANT{}_CLIENT_SECRET", i + 1);
        tenants.push_str(&format!(
            "  tenant{}:\n    domain: {}\n    client_id: {}\n    client_secret: ${{{variable}}}\n",
            i + 1,
            emulator.domain,
            emulator.client_id
        ));
        env.push((variable, emulator.client_secret.clone()));
    }
    std::fs::write(dir.join("tenants.yaml"), tenants).expect("tenants file");
    env
}

fn main() {
    let emulators: Vec<Emulator> = (0..TENANTS)
        .map(|_| start_emulator(&["--port", "0", "--latency-ms", "100"]))
        .collect();
    let dir = tempfile::tempdir().expect("temp dir");
    let fleet_env = write_files(dir.path(), &emulators);
    let config = dir.path().join("mfa.yaml").display().to_string();
    let tenants = dir.path().join("tenants.yaml").display().to_string();
    let single = ["plan", "-c", config.as_str(), "--detailed-exitcode"];
    let fleet = [
        "plan",
        "-c",
        config.as_str(),
        "--tenants",
        tenants.as_str(),
        "--detailed-exitcode",
    ];
    // Warm-up: the binary in the page cache, every emulator's first connection served.
    timed(&fleet, &fleet_env, 2);
    println!("== {TENANTS} emulators at --latency-ms 100, examples/full.yaml, the real binary");
    let mut ratios = Vec::new();
    for round in 1..=ROUNDS {
        let singles: Vec<Duration> = emulators
            .iter()
            .map(|e| timed(&single, &single_env(e), 2))
            .collect();
        let slowest = singles.iter().max().copied().unwrap_or_default();
        let sequential: Duration = singles.iter().sum();
        let together = timed(&fleet, &fleet_env, 2);
        let ratio = together.as_secs_f64() / slowest.as_secs_f64();
        ratios.push(ratio);
        println!(
            "round {round}: singles {} ms; slowest {:.0} ms; one after another {:.0} ms; --tenants {:.0} ms = {ratio:.2}x the slowest (target <= {TARGET}) {}, {:.1}x faster than one after another",
            singles
                .iter()
                .map(|d| format!("{:.0}", ms(*d)))
                .collect::<Vec<_>>()
                .join("/"),
            ms(slowest),
            ms(sequential),
            ms(together),
            if ratio <= TARGET { "OK" } else { "MISSED" },
            sequential.as_secs_f64() / together.as_secs_f64(),
        );
    }
    ratios.sort_by(f64::total_cmp);
    println!(
        "median ratio --tenants / slowest single: {:.2}x",
        ratios[ratios.len() / 2]
    );
}
