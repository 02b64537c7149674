//! `--request-deadline` bounds every wait: connect, TLS, headers, a body that trickles in, the
//! token request, backoff sleeps and pacing waits. The servers here are local sockets that
//! accept and stay silent, or drip bytes forever.
//!
//! No timing assertion is tighter than "deadline + 1 s"; deadlines are 2 s to keep CI fast.
//! (`mfactl plan` against a silent host: `tests/cli/deadlines.rs`.)

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use mfactl_client::{ApiError, Client, ClientOptions};
use mfactl_core::secret::Secret;

use crate::support;

const DEADLINE: Duration = Duration::from_secs(2);
/// The most any command or request may take: the deadline plus a second.
const BUDGET: Duration = Duration::from_secs(3);

/// A server that accepts connections and then does what `serve` says with each, on its own
/// thread. Returns `http://127.0.0.1:PORT` (or `https://…` with `tls`).
fn server(scheme: &str, serve: fn(TcpStream)) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || serve(stream));
        }
    });
    format!("{scheme}://{address}")
}

/// Accepts and never answers (not even a TLS handshake).
fn silent(stream: TcpStream) {
    std::thread::sleep(Duration::from_secs(60));
    drop(stream);
}

/// Writes `bytes` one at a time, 200 ms apart, then keeps the connection open.
fn drip(mut stream: TcpStream, bytes: &[u8]) {
    for byte in bytes.iter().cycle().take(10_000) {
        if stream.write_all(&[*byte]).is_err() {
            return;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A status line and headers that trickle in byte by byte.
fn drip_headers(stream: TcpStream) {
    drip(stream, b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Pad: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n");
}

/// Headers at once, then a body that trickles in and never ends.
fn drip_body(mut stream: TcpStream) {
    let mut request = [0u8; 4096];
    let _ = std::io::Read::read(&mut stream, &mut request);
    let head =
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n";
    if stream.write_all(head).is_err() {
        return;
    }
    drip(stream, b"[\"all-applications\",");
}

/// Answers every request at once with a 503 that asks to come back in a second.
fn always_busy(mut stream: TcpStream) {
    let mut request = [0u8; 4096];
    loop {
        match std::io::Read::read(&mut stream, &mut request) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let body = r#"{"statusCode":503,"error":"Service Unavailable","message":"try later"}"#;
        let answer = format!(
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 1\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        if stream.write_all(answer.as_bytes()).is_err() {
            return;
        }
    }
}

/// Answers every request at once with an empty list, and says the rate-limit bucket is empty
/// for the next minute, so the requests after the first wait for pacing.
fn empty_bucket(mut stream: TcpStream) {
    let mut request = [0u8; 4096];
    loop {
        match std::io::Read::read(&mut stream, &mut request) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let reset = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() + 60)
            .unwrap_or_default();
        let answer = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nx-ratelimit-limit: 1\r\nx-ratelimit-remaining: 0\r\nx-ratelimit-reset: {reset}\r\nContent-Length: 2\r\n\r\n[]"
        );
        if stream.write_all(answer.as_bytes()).is_err() {
            return;
        }
    }
}

fn options() -> ClientOptions {
    ClientOptions {
        deadline: DEADLINE,
        ..ClientOptions::default()
    }
}

fn static_client(base: &str) -> Client {
    support::static_client(base, "deadline-test-token", options())
}

/// Runs one GET and checks it failed with the deadline, within the budget.
async fn get_fails_by_the_deadline(client: &Client) -> String {
    let started = Instant::now();
    let err = client.get("/guardian/policies").await.unwrap_err();
    let took = started.elapsed();
    assert!(took < BUDGET, "took {took:?}: {err}");
    assert!(
        matches!(err, ApiError::DeadlineExceeded { .. }),
        "{err:?}: {err}"
    );
    let text = err.to_string();
    assert_eq!(
        text.matches("second").count(),
        1,
        "the deadline is named once: {text}"
    );
    assert!(text.contains("the request deadline of 2 seconds"), "{text}");
    text
}

#[tokio::test]
async fn a_silent_host_ends_at_the_deadline() {
    let text = get_fails_by_the_deadline(&static_client(&server("http", silent))).await;
    assert!(text.contains("no answer from 127.0.0.1:"), "{text}");
}

#[tokio::test]
async fn a_silent_tls_handshake_ends_at_the_deadline() {
    get_fails_by_the_deadline(&static_client(&server("https", silent))).await;
}

#[tokio::test]
async fn headers_that_trickle_in_end_at_the_deadline() {
    get_fails_by_the_deadline(&static_client(&server("http", drip_headers))).await;
}

#[tokio::test]
async fn a_body_that_trickles_in_ends_at_the_deadline() {
    get_fails_by_the_deadline(&static_client(&server("http", drip_body))).await;
}

#[tokio::test]
async fn a_silent_token_endpoint_ends_at_the_deadline() {
    let base = server("http", silent);
    let client = Client::for_emulator(
        &base,
        "deadline-client",
        Secret::new("client-secret-123"),
        options(),
    )
    .unwrap();
    let started = Instant::now();
    let err = client.get("/guardian/policies").await.unwrap_err();
    assert!(started.elapsed() < BUDGET, "{err}");
    let text = err.to_string();
    assert!(text.starts_with("POST /oauth/token: no answer"), "{text}");
}

#[tokio::test]
async fn backoff_never_sleeps_past_the_deadline() {
    let client = static_client(&server("http", always_busy));
    let text = get_fails_by_the_deadline(&client).await;
    assert!(
        text.contains("the server answered 503 (try later)"),
        "{text}"
    );
    assert!(client.stats().requests >= 2, "it was retried");
}

#[tokio::test]
async fn pacing_waits_end_at_the_deadline() {
    let client = static_client(&server("http", empty_bucket));
    // The first answer says the bucket is empty for a minute: the second request waits for
    // pacing, but never past its deadline.
    client.get("/guardian/policies").await.expect("first read");
    let started = Instant::now();
    let err = client.get("/guardian/policies").await.unwrap_err();
    assert!(started.elapsed() < BUDGET, "{err}");
    assert!(matches!(err, ApiError::DeadlineExceeded { .. }), "{err}");
}
