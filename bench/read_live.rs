//! Benchmark: reading the live state of a config that manages every section.
//!
//! Runs the `mfactl emulator` binary twice (`--latency-ms 100`, then `--rate-limit 2/2`) and
//! prints wall times, request counts and 429 counts. See bench/README.md.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

#[path = "../tests/fixtures/examples.rs"]
mod examples;

#[path = "emulator.rs"]
mod emulator;

use std::time::{Duration, Instant};

use emulator::{Emulator, start_emulator};

use mfactl::api::{Client, ClientOptions, ConnectionSettings, read_live};
use mfactl::live::read::reads_for;
use mfactl::secret::Secret;

/// Fetches a token with the emulator's client credentials, to use as a static token.
async fn static_token(emulator: &Emulator) -> Secret {
    let client = Client::for_emulator(
        &emulator.domain,
        &emulator.client_id,
        Secret::new(emulator.client_secret.clone()),
        ClientOptions::default(),
    )
    .expect("client");
    client.access_token().await.expect("token")
}

fn client(emulator: &Emulator, token: &Secret, options: ClientOptions) -> Client {
    let settings =
        ConnectionSettings::with_static_token(&emulator.domain, token.clone()).expect("settings");
    Client::new(settings, options).expect("client")
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn latency_run() {
    let emulator = start_emulator(&["--latency-ms", "100"]);
    let token = static_token(&emulator).await;
    let desired = examples::full_desired();
    let endpoints = reads_for(&desired).len();

    // One round trip, measured on a warm connection.
    let probe = client(&emulator, &token, ClientOptions::default());
    probe.get("/guardian/policies").await.expect("probe");
    let started = Instant::now();
    probe.get("/guardian/policies").await.expect("probe");
    let round_trip = started.elapsed();

    let concurrent = client(&emulator, &token, ClientOptions::default());
    let started = Instant::now();
    read_live(&concurrent, &desired).await.expect("read");
    let concurrent_time = started.elapsed();

    let sequential = client(
        &emulator,
        &token,
        ClientOptions {
            concurrency: 1,
            ..ClientOptions::default()
        },
    );
    let started = Instant::now();
    read_live(&sequential, &desired).await.expect("read");
    let sequential_time = started.elapsed();

    let with_credentials = Client::for_emulator(
        &emulator.domain,
        &emulator.client_id,
        Secret::new(emulator.client_secret.clone()),
        ClientOptions::default(),
    )
    .expect("client");
    let started = Instant::now();
    read_live(&with_credentials, &desired).await.expect("read");
    let credentials_time = started.elapsed();

    let target = 2.0 * ms(round_trip) + 50.0;
    println!("== --latency-ms 100, static token, {endpoints} endpoints");
    println!("round trip (one GET, warm):   {:8.1} ms", ms(round_trip));
    println!(
        "concurrent read:              {:8.1} ms  requests={}  target <= {:.1} ms  {}",
        ms(concurrent_time),
        concurrent.stats().requests,
        target,
        if ms(concurrent_time) <= target {
            "OK"
        } else {
            "MISSED"
        }
    );
    println!(
        "one after another:            {:8.1} ms  requests={}",
        ms(sequential_time),
        sequential.stats().requests
    );
    println!(
        "client credentials (+token):  {:8.1} ms  requests={} (token requests={})",
        ms(credentials_time),
        with_credentials.stats().requests,
        with_credentials.stats().token_requests
    );
}

async fn rate_limit_run(round: u32) {
    let emulator = start_emulator(&["--rate-limit", "2/2"]);
    let token = static_token(&emulator).await;
    let desired = examples::full_desired();
    let endpoints = reads_for(&desired).len();
    let client = client(&emulator, &token, ClientOptions::default());
    let started = Instant::now();
    let result = read_live(&client, &desired).await;
    let elapsed = started.elapsed();
    let floor = (endpoints as f64 - 2.0) / 2.0;
    let stats = client.stats();
    println!(
        "== --rate-limit 2/2 (round {round}): {} in {:6.3} s  floor {:.3} s  ratio {:.3} (target <= 1.15)  requests={}  429s={}",
        if result.is_ok() { "ok" } else { "FAILED" },
        elapsed.as_secs_f64(),
        floor,
        elapsed.as_secs_f64() / floor,
        stats.requests,
        stats.rate_limited
    );
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        latency_run().await;
        for round in 1..=3 {
            rate_limit_run(round).await;
        }
    });
}
