//! What the emulator's tests share: in-process emulators and HTTP calls to them, and the
//! recorded traffic vendored under `tests/fixtures/recordings/`.

use mfactl_emulator::access_token::ALL_SCOPES;
use mfactl_emulator::{EmulatorConfig, RunningEmulator, TenantState, start};
use serde_json::Value;

#[path = "../../../../tests/fixtures/recordings.rs"]
mod recordings;

pub use recordings::{recordings, recordings_dir};

pub const CLIENT_ID: &str = "test-client-id";
pub const CLIENT_SECRET: &str = "test-client-secret-9f8e7d";

/// A plain HTTP client (rustls with the ring provider, as the emulator's TLS uses).
pub fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

/// An in-process emulator with fixed client credentials.
pub async fn emulator_with(config: EmulatorConfig) -> RunningEmulator {
    start(EmulatorConfig {
        client_id: Some(CLIENT_ID.to_owned()),
        client_secret: Some(CLIENT_SECRET.to_owned()),
        ..config
    })
    .await
    .unwrap()
}

/// A new tenant on the legacy phone experience.
pub async fn emulator() -> RunningEmulator {
    emulator_with(EmulatorConfig::default()).await
}

/// A new tenant, on the consolidated phone experience or not.
pub async fn emulator_of_kind(consolidated_phone: bool) -> RunningEmulator {
    emulator_with(EmulatorConfig {
        consolidated_phone,
        ..EmulatorConfig::default()
    })
    .await
}

/// A tenant seeded with `state`.
pub async fn emulator_with_state(state: TenantState) -> RunningEmulator {
    emulator_with(EmulatorConfig {
        state: Some(state),
        ..EmulatorConfig::default()
    })
    .await
}

/// One answer: status, headers, the body as JSON (`null` when empty) and as text.
pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

/// `method path` (the full path, `/api/v2/…` or a hook) with an optional bearer token and
/// JSON body.
pub async fn send(
    emulator: &RunningEmulator,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> Answer {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut request = client().request(method, format!("{}{path}", emulator.base_url()));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap()
    };
    Answer {
        status,
        headers,
        body,
        text,
    }
}

/// A Management API call (`path` under `/api/v2`) with a token holding `scopes`.
pub async fn call(
    emulator: &RunningEmulator,
    scopes: &[&str],
    method: &str,
    path: &str,
    body: Option<Value>,
) -> Answer {
    let token = emulator.issue_token(scopes);
    send(
        emulator,
        method,
        &format!("/api/v2{path}"),
        Some(&token),
        body,
    )
    .await
}

/// A Management API call with every scope.
pub async fn api(
    emulator: &RunningEmulator,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> Answer {
    call(emulator, &ALL_SCOPES, method, path, body).await
}

/// Asserts an Auth0 error answer: its status, and exactly the four keys in Auth0's order.
pub fn assert_error(answer: &Answer, status: u16, code: &str, message: &str) {
    assert_eq!(answer.status, status, "{}", answer.body);
    let object = answer.body.as_object().unwrap();
    let keys: Vec<&str> = object.keys().map(String::as_str).collect();
    assert_eq!(keys, ["statusCode", "error", "message", "errorCode"]);
    assert_eq!(answer.body["statusCode"], serde_json::json!(status));
    assert_eq!(answer.body["errorCode"], serde_json::json!(code));
    assert_eq!(answer.body["message"], serde_json::json!(message));
}

/// The message of an Auth0 error answer, after checking its status and error code (for tests
/// that check only part of the message).
pub fn error_message(answer: &Answer, status: u16, code: &str) -> String {
    assert_eq!(answer.status, status, "{}", answer.body);
    assert_eq!(answer.body["errorCode"], code, "{}", answer.body);
    answer.body["message"].as_str().unwrap().to_owned()
}
