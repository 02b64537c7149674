//! `mfactl emulator` as a user runs it: the real binary, its start-up lines, TLS, and flags.

use std::process::Command;

use serde_json::{Value, json};

use crate::support::EmulatorProcess;

fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

async fn token(client: &reqwest::Client, base: &str, id: &str, secret: &str) -> String {
    let answer: Value = client
        .post(format!("{base}/oauth/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", id),
            ("client_secret", secret),
            ("audience", &format!("{base}/api/v2/")),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["access_token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn prints_three_export_lines_then_serves_the_api() {
    let emulator = EmulatorProcess::start_keeping_stderr(&[]);
    let names: Vec<&str> = emulator.exports.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["AUTH0_DOMAIN", "AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET"]
    );
    let domain = emulator.var("AUTH0_DOMAIN").to_owned();
    let port: u16 = domain
        .strip_prefix("http://127.0.0.1:")
        .unwrap()
        .parse()
        .unwrap();
    assert_ne!(port, 0);
    let secret = emulator.var("AUTH0_CLIENT_SECRET").to_owned();
    assert!(secret.len() >= 32);

    let client = client();
    let token = token(&client, &domain, emulator.var("AUTH0_CLIENT_ID"), &secret).await;
    let factors: Value = client
        .get(format!("{domain}/api/v2/guardian/factors"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(factors.as_array().unwrap().len(), 8);

    let put = client
        .put(format!(
            "{domain}/api/v2/guardian/factors/phone/providers/twilio"
        ))
        .bearer_auth(&token)
        .json(&json!({"sid": "AC1", "auth_token": "binary-twilio-secret"}))
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 200);
    let stderr = emulator.stop();
    for leaked in ["binary-twilio-secret", secret.as_str(), token.as_str()] {
        assert!(!stderr.contains(leaked), "stderr leaks a secret: {stderr}");
    }
}

#[tokio::test]
async fn tls_serves_https_with_the_written_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let cert_path = dir.path().join("emulator.pem");
    let emulator = EmulatorProcess::start(&["--tls", cert_path.to_str().unwrap()]);
    let domain = emulator.var("AUTH0_DOMAIN").to_owned();
    assert!(domain.starts_with("127.0.0.1:"), "{domain}");
    let pem = std::fs::read(&cert_path).unwrap();
    assert!(String::from_utf8_lossy(&pem).contains("BEGIN CERTIFICATE"));

    let _ = rustls::crypto::ring::default_provider().install_default();
    let certificate = reqwest::Certificate::from_pem(&pem).unwrap();
    let base = format!("https://{domain}");
    for host in [base.clone(), base.replace("127.0.0.1", "localhost")] {
        let client = reqwest::Client::builder()
            .tls_certs_only([certificate.clone()])
            .build()
            .unwrap();
        let token = token(
            &client,
            &host,
            emulator.var("AUTH0_CLIENT_ID"),
            emulator.var("AUTH0_CLIENT_SECRET"),
        )
        .await;
        let policies = client
            .get(format!("{host}/api/v2/guardian/policies"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(policies.status(), 200);
        assert_eq!(policies.text().await.unwrap(), "[]");
    }
    // A client that does not trust the certificate refuses to talk.
    let untrusting = reqwest::Client::builder()
        .tls_certs_only(Vec::<reqwest::Certificate>::new())
        .build()
        .unwrap();
    assert!(
        untrusting
            .get(format!("{base}/__emulator/state"))
            .send()
            .await
            .is_err()
    );
}

#[tokio::test]
async fn rate_limit_flag_refuses_calls_beyond_the_burst() {
    // Burst 2, one token back every 100 seconds: the third call is always refused.
    let emulator = EmulatorProcess::start(&["--rate-limit", "2/0.01"]);
    let domain = emulator.var("AUTH0_DOMAIN").to_owned();
    let client = client();
    let token = token(
        &client,
        &domain,
        emulator.var("AUTH0_CLIENT_ID"),
        emulator.var("AUTH0_CLIENT_SECRET"),
    )
    .await;
    let mut statuses = Vec::new();
    for _ in 0..3 {
        let response = client
            .get(format!("{domain}/api/v2/guardian/policies"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["x-ratelimit-limit"], "2");
        statuses.push(response.status().as_u16());
    }
    assert_eq!(statuses, [200, 200, 429]);
}

#[tokio::test]
async fn fault_flag_faults_api_calls_but_not_tokens_or_hooks() {
    let emulator = EmulatorProcess::start(&["--fault-rate", "1", "--seed", "5"]);
    let domain = emulator.var("AUTH0_DOMAIN").to_owned();
    let client = client();
    let token = token(
        &client,
        &domain,
        emulator.var("AUTH0_CLIENT_ID"),
        emulator.var("AUTH0_CLIENT_SECRET"),
    )
    .await;
    for _ in 0..8 {
        let result = client
            .get(format!("{domain}/api/v2/guardian/policies"))
            .bearer_auth(&token)
            .send()
            .await;
        if let Ok(response) = result {
            assert!(
                [429, 500, 503].contains(&response.status().as_u16()),
                "{}",
                response.status()
            );
            let body: Value = response.json().await.unwrap();
            assert!(body["errorCode"].is_string());
        }
    }
    let hook = client
        .get(format!("{domain}/__emulator/requests"))
        .send()
        .await
        .unwrap();
    assert_eq!(hook.status(), 200);
}

#[tokio::test]
async fn state_file_seeds_the_tenant_and_flags_shape_it() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    std::fs::write(&state, r#"{"policies":["all-applications"]}"#).unwrap();
    let emulator = EmulatorProcess::start(&[
        "--state",
        state.to_str().unwrap(),
        "--consolidated-phone",
        "--latency-ms",
        "1",
    ]);
    let domain = emulator.var("AUTH0_DOMAIN").to_owned();
    let client = client();
    let token = token(
        &client,
        &domain,
        emulator.var("AUTH0_CLIENT_ID"),
        emulator.var("AUTH0_CLIENT_SECRET"),
    )
    .await;
    let get = |path: &str| {
        client
            .get(format!("{domain}/api/v2{path}"))
            .bearer_auth(&token)
            .send()
    };
    let policies = get("/guardian/policies").await.unwrap();
    assert_eq!(policies.text().await.unwrap(), r#"["all-applications"]"#);
    let legacy = get("/guardian/factors/phone/templates").await.unwrap();
    assert_eq!(legacy.status(), 403);

    // Reset goes back to a new tenant of the same kind (consolidated), not to the seed.
    client
        .post(format!("{domain}/__emulator/reset"))
        .send()
        .await
        .unwrap();
    let policies = get("/guardian/policies").await.unwrap();
    assert_eq!(policies.text().await.unwrap(), "[]");
    assert_eq!(
        get("/guardian/factors/phone/templates")
            .await
            .unwrap()
            .status(),
        403
    );
}

#[test]
fn bad_flags_fail_with_a_message() {
    let output = Command::new(env!("CARGO_BIN_EXE_mfactl"))
        .args([
            "emulator",
            "--port",
            "0",
            "--state",
            "/nonexistent/state.json",
        ])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
    assert!(String::from_utf8_lossy(&output.stderr).contains("/nonexistent/state.json"));

    let output = Command::new(env!("CARGO_BIN_EXE_mfactl"))
        .args(["emulator", "--rate-limit", "fast"])
        .output()
        .unwrap();
    assert!(!output.status.success());
}
