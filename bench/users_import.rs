//! Benchmark: `mfactl users import` at the tenant's rate-limit floor, and the memory of a long
//! `--dry-run`. See bench/README.md.
//!
//! 1. Starts `mfactl emulator --rate-limit 50/50`, seeds 1,000 users through the
//!    `POST /__emulator/users` hook (hooks are not rate-limited), and imports 1,000 rows (one
//!    phone each) with the real binary. The floor is what the bucket allows: 50 at once, then
//!    50 per second, (1000 − 50) / 50 = 19 s. Target: within 1.15× the floor, zero rows
//!    failed.
//! 2. Runs `mfactl users import --dry-run` on 100,000 rows under `/usr/bin/time -v` and prints
//!    the peak resident memory. Target: under 50 MB.

#![allow(clippy::unwrap_used, clippy::expect_used)] // bench code: a panic is a failed run

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Instant;

const ROWS: usize = 1000;
const BURST: f64 = 50.0;
const RATE: f64 = 50.0;
const DRY_RUN_ROWS: usize = 100_000;

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    import_at_the_floor(dir.path());
    dry_run_memory(dir.path(), false);
    dry_run_memory(dir.path(), true);
}

fn import_at_the_floor(dir: &std::path::Path) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mfactl"))
        .args(["emulator", "--port", "0", "--rate-limit", "50/50"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("mfactl emulator starts");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut env = Vec::new();
    for _ in 0..3 {
        let line = lines.next().expect("a line").expect("text");
        let (name, value) = line
            .trim_start_matches("export ")
            .split_once('=')
            .expect("NAME=value");
        env.push((name.to_owned(), value.to_owned()));
    }
    let domain = env[0].1.clone();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let _ = rustls::crypto::ring::default_provider().install_default();
    runtime.block_on(async {
        let http = reqwest::Client::new();
        for i in 0..ROWS {
            let seed = serde_json::json!({"user_id": format!("auth0|bench{i:05}")});
            http.post(format!("{domain}/__emulator/users"))
                .json(&seed)
                .send()
                .await
                .expect("seed a user");
        }
    });
    let csv = dir.join("rows.csv");
    let mut file = std::fs::File::create(&csv).expect("rows.csv");
    writeln!(file, "user,type,phone_number,name").unwrap();
    for i in 0..ROWS {
        writeln!(file, "auth0|bench{i:05},phone,+1555{i:07},Work phone").unwrap();
    }
    drop(file);
    let started = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_mfactl"))
        .args(["users", "import"])
        .arg(&csv)
        .env_clear()
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .output()
        .expect("mfactl users import runs");
    let elapsed = started.elapsed().as_secs_f64();
    let rate_limited = runtime.block_on(async {
        let log: serde_json::Value = reqwest::get(format!("{domain}/__emulator/requests"))
            .await
            .expect("the request log")
            .json()
            .await
            .expect("JSON");
        log.as_array()
            .map_or(0, |l| l.iter().filter(|r| r["status"] == 429).count())
    });
    let _ = child.kill();
    let _ = child.wait();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let floor = (ROWS as f64 - BURST) / RATE;
    let ok = output.status.success()
        && stdout.contains(&format!("{ROWS} done"))
        && stdout.contains(" 0 failed")
        && elapsed / floor <= 1.15;
    println!(
        "== users import, {ROWS} rows, --rate-limit 50/50: {} in {elapsed:.3} s  floor {floor:.3} s  ratio {:.3} (target <= 1.15)  429s={rate_limited}\n   {}",
        if ok { "ok" } else { "FAILED" },
        elapsed / floor,
        stdout.trim()
    );
    if !ok {
        println!("{}", String::from_utf8_lossy(&output.stderr));
    }
}

/// A `--dry-run` of [`DRY_RUN_ROWS`] rows: a third of each type, or (`all_totp`) every row a
/// TOTP secret of its own, the kind whose secrets the scrubber would hold.
fn dry_run_memory(dir: &std::path::Path, all_totp: bool) {
    let csv = dir.join(if all_totp { "totp.csv" } else { "big.csv" });
    let mut file = std::io::BufWriter::new(std::fs::File::create(&csv).expect("big.csv"));
    writeln!(
        file,
        "user,type,phone_number,email,totp_secret,preferred,name"
    )
    .unwrap();
    const BASE32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    for i in 0..DRY_RUN_ROWS {
        match if all_totp { 2 } else { i % 3 } {
            0 => writeln!(file, "auth0|user{i:06},phone,+1555{i:07},,,sms,Work phone").unwrap(),
            1 => writeln!(
                file,
                "user{i:06}@example.com,email,,oncall{i:06}@example.com,,,"
            )
            .unwrap(),
            _ => {
                // A distinct secret per row (the row number in base32, then filler): a
                // secret kept per row would show in the peak.
                let secret: String = (0..32)
                    .map(|k| match k {
                        0..7 => BASE32[(i >> (5 * k)) % 32] as char,
                        _ => BASE32[(i * 7 + k * 13) % 32] as char,
                    })
                    .collect();
                writeln!(file, "auth0|user{i:06},totp,,,{secret},,app").unwrap()
            }
        }
    }
    drop(file);
    let size = std::fs::metadata(&csv).map(|m| m.len()).unwrap_or(0);
    let output = Command::new("/usr/bin/time")
        .arg("-v")
        .arg(env!("CARGO_BIN_EXE_mfactl"))
        .args(["users", "import", "--dry-run"])
        .arg(&csv)
        .output();
    let Ok(output) = output else {
        println!("== dry run memory: /usr/bin/time is not installed (apt-get install time)");
        return;
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    let peak_kb: u64 = stderr
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let wall = stderr
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Elapsed (wall clock) time (h:mm:ss or m:ss): ")
        })
        .unwrap_or("?");
    println!(
        "== users import --dry-run, {DRY_RUN_ROWS} rows ({:.1} MB file): {} peak RSS {:.1} MB (target < 50 MB), wall {wall}\n   {}",
        size as f64 / 1e6,
        if output.status.success() && peak_kb > 0 && peak_kb < 50 * 1024 {
            "ok"
        } else {
            "FAILED"
        },
        peak_kb as f64 / 1024.0,
        String::from_utf8_lossy(&output.stdout).trim()
    );
}
