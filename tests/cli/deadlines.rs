//! `--request-deadline` from the command line: a plan against a host that never answers ends
//! within the deadline. (How the client bounds each wait: `crates/client/tests/client/deadlines.rs`.)

use std::net::TcpListener;
use std::time::{Duration, Instant};

use crate::support::{SECRET_ENV, example_without_tenant, mfactl, secret_values};

/// The most the command may take: the deadline (2 s) plus a second.
const BUDGET: Duration = Duration::from_secs(3);

/// `http://127.0.0.1:PORT` of a host that accepts connections and never answers.
fn silent_host() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    format!("http://{address}")
}

/// `mfactl plan` against a host that never answers: over within the deadline plus a second,
/// with one plain sentence naming the deadline, for both kinds of credentials.
#[test]
fn plan_against_a_silent_host_ends_within_the_deadline() {
    let base = silent_host();
    let (_dir, config) = example_without_tenant("full.yaml");
    let config = config.to_str().unwrap();
    let credentials: [&[(&str, &str)]; 2] = [
        &[("AUTH0_API_TOKEN", "deadline-test-token")],
        &[
            ("AUTH0_CLIENT_ID", "deadline-client"),
            ("AUTH0_CLIENT_SECRET", "deadline-client-secret"),
        ],
    ];
    for credential in credentials {
        let mut env = vec![("AUTH0_DOMAIN", base.as_str())];
        env.extend_from_slice(credential);
        let started = Instant::now();
        let run = mfactl(
            &["plan", "-c", config, "--request-deadline", "2"],
            &[env.as_slice(), SECRET_ENV].concat(),
        );
        let took = started.elapsed();
        assert_eq!(run.code, 1, "{}", run.transcript());
        assert!(took < BUDGET, "plan took {took:?}:\n{}", run.transcript());
        assert!(
            run.stderr
                .contains("within the request deadline of 2 seconds"),
            "{}",
            run.stderr
        );
        assert_eq!(run.stderr.matches("second").count(), 1, "{}", run.stderr);
        run.assert_no_secrets(&secret_values());
    }
}
