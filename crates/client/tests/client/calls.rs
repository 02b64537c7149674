//! The HTTP client against small stub servers: token refresh, retries, deadlines, timeouts,
//! connection errors, User-Agent and logging.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use mfactl_client::error::ForGood;
use mfactl_client::retry::RetryPolicy;
use mfactl_client::{ApiError, Client, ClientOptions, ConnectionSettings};
use mfactl_core::live::read::parse_values;
use mfactl_core::model::{Address, Factor, MfaState, Values};
use mfactl_core::request::{ApiRequest, HttpMethod};
use mfactl_core::resource::specs::{DUO, PUSH_CUSTOM_APP};
use mfactl_core::secret::Secret;
use serde_json::json;

use crate::support::{serve, static_client};

const STUB_CLIENT_SECRET: &str = "stub-client-secret-6a7b";

#[derive(Default)]
struct Stub {
    token_calls: AtomicUsize,
    api_calls: AtomicUsize,
    user_agents: Mutex<Vec<String>>,
}

fn options() -> ClientOptions {
    ClientOptions {
        max_attempts: 3,
        retry: RetryPolicy {
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_secs(1),
        },
        ..ClientOptions::default()
    }
}

fn error_body(status: u16, message: &str, code: &str) -> serde_json::Value {
    json!({"statusCode": status, "error": "Error", "message": message, "errorCode": code})
}

#[tokio::test]
async fn a_401_fetches_a_fresh_token_once_per_run() {
    let stub = Arc::new(Stub::default());
    let router = Router::new()
        .route(
            "/oauth/token",
            post(|State(s): State<Arc<Stub>>| async move {
                let n = s.token_calls.fetch_add(1, Ordering::SeqCst) + 1;
                axum::Json(json!({"access_token": format!("token-{n}"), "token_type": "Bearer"}))
            }),
        )
        .route(
            "/api/v2/guardian/policies",
            get(
                |State(s): State<Arc<Stub>>, headers: HeaderMap| async move {
                    s.api_calls.fetch_add(1, Ordering::SeqCst);
                    let auth = headers["authorization"].to_str().unwrap().to_string();
                    if auth == "Bearer token-2" {
                        (StatusCode::OK, axum::Json(json!(["all-applications"])))
                    } else {
                        (
                            StatusCode::UNAUTHORIZED,
                            axum::Json(error_body(401, "Expired token", "invalid_token")),
                        )
                    }
                },
            ),
        )
        .with_state(stub.clone());
    let base = serve(router).await;
    let client =
        Client::for_emulator(&base, "cid", Secret::new(STUB_CLIENT_SECRET), options()).unwrap();
    assert_eq!(
        client.get("/guardian/policies").await.unwrap(),
        json!(["all-applications"])
    );
    assert_eq!(stub.token_calls.load(Ordering::SeqCst), 2);
    assert_eq!(client.stats().token_requests, 2);
    assert_eq!(client.stats().requests, 4);
}

#[tokio::test]
async fn a_second_401_is_an_error_without_another_token() {
    let stub = Arc::new(Stub::default());
    let router = Router::new()
        .route(
            "/oauth/token",
            post(|State(s): State<Arc<Stub>>| async move {
                s.token_calls.fetch_add(1, Ordering::SeqCst);
                axum::Json(json!({"access_token": "always-refused"}))
            }),
        )
        .route(
            "/api/v2/guardian/policies",
            get(|| async {
                (
                    StatusCode::UNAUTHORIZED,
                    axum::Json(error_body(401, "Invalid token", "invalid_token")),
                )
            }),
        )
        .with_state(stub.clone());
    let base = serve(router).await;
    let client =
        Client::for_emulator(&base, "cid", Secret::new(STUB_CLIENT_SECRET), options()).unwrap();
    let err = client.get("/guardian/policies").await.unwrap_err();
    assert!(matches!(err, ApiError::Unauthorized { .. }), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET"),
        "{text}"
    );
    assert!(text.contains("Invalid token"), "{text}");
    let _ = client.get("/guardian/policies").await.unwrap_err();
    assert_eq!(
        stub.token_calls.load(Ordering::SeqCst),
        2,
        "refetched once per run"
    );
}

#[tokio::test]
async fn retry_after_and_rate_limits_are_retried_until_success() {
    let stub = Arc::new(Stub::default());
    let router = Router::new()
        .route(
            "/api/v2/guardian/factors",
            get(|State(s): State<Arc<Stub>>| async move {
                match s.api_calls.fetch_add(1, Ordering::SeqCst) {
                    0 => (
                        StatusCode::TOO_MANY_REQUESTS,
                        [("retry-after", "0")],
                        axum::Json(error_body(
                            429,
                            "Global limit has been reached",
                            "too_many_requests",
                        )),
                    )
                        .into_response(),
                    1 => (
                        StatusCode::SERVICE_UNAVAILABLE,
                        axum::Json(error_body(
                            503,
                            "Service Unavailable",
                            "service_unavailable",
                        )),
                    )
                        .into_response(),
                    _ => axum::Json(json!([{"name": "otp", "enabled": true}])).into_response(),
                }
            }),
        )
        .with_state(stub.clone());
    let base = serve(router).await;
    let client = static_client(&base, "stub-token", options());
    let factors = client.get("/guardian/factors").await.unwrap();
    assert_eq!(factors[0]["name"], "otp");
    let stats = client.stats();
    assert_eq!(
        (stats.requests, stats.retries, stats.rate_limited),
        (3, 2, 1)
    );
}

#[tokio::test]
async fn attempts_are_bounded_and_the_message_says_so() {
    let router = Router::new().route(
        "/api/v2/guardian/policies",
        get(|| async {
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                axum::Json(error_body(
                    500,
                    "Internal Server Error",
                    "internal_server_error",
                )),
            )
        }),
    );
    let base = serve(router).await;
    let client = static_client(&base, "stub-token", options());
    let text = client
        .get("/guardian/policies")
        .await
        .unwrap_err()
        .to_string();
    assert!(text.contains("answered 500"), "{text}");
    assert!(text.contains("after 3 attempts"), "{text}");
    assert!(text.contains("status.auth0.com"), "{text}");
    assert_eq!(client.stats().requests, 3);
}

#[tokio::test]
async fn post_is_not_retried() {
    let router = Router::new().route(
        "/api/v2/guardian/enrollments/ticket",
        post(|| async {
            (
                StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(error_body(
                    503,
                    "Service Unavailable",
                    "service_unavailable",
                )),
            )
        }),
    );
    let base = serve(router).await;
    let client = static_client(&base, "stub-token", options());
    let request = ApiRequest::new(HttpMethod::Post, "/guardian/enrollments/ticket")
        .with_body(json!({"user_id": "u"}));
    assert!(client.send(&request).await.is_err());
    assert_eq!(client.stats().requests, 1);
}

#[tokio::test]
async fn post_is_sent_again_after_a_429_only() {
    let stub = Arc::new(Stub::default());
    let router = Router::new()
        .route(
            "/api/v2/users/u/authentication-methods",
            post(|State(s): State<Arc<Stub>>| async move {
                match s.api_calls.fetch_add(1, Ordering::SeqCst) {
                    0 => (
                        StatusCode::TOO_MANY_REQUESTS,
                        [("retry-after", "0")],
                        axum::Json(error_body(
                            429,
                            "Global limit has been reached",
                            "too_many_requests",
                        )),
                    )
                        .into_response(),
                    _ => (
                        StatusCode::CREATED,
                        axum::Json(json!({"id": "phone|dev_1"})),
                    )
                        .into_response(),
                }
            }),
        )
        .with_state(stub.clone());
    let base = serve(router).await;
    let client = static_client(&base, "stub-token", options());
    let request = ApiRequest::new(HttpMethod::Post, "/users/u/authentication-methods")
        .with_body(json!({"type": "phone", "phone_number": "+15551234567"}));
    // A 429 refused the request before it did anything: sending it again is safe.
    assert_eq!(client.send(&request).await.unwrap()["id"], "phone|dev_1");
    assert_eq!(client.stats().rate_limited, 1);
    assert_eq!(stub.api_calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_wait_past_the_deadline_gives_up_at_once() {
    let router = Router::new().route(
        "/api/v2/guardian/policies",
        get(|| async {
            (
                StatusCode::TOO_MANY_REQUESTS,
                [("retry-after", "30")],
                axum::Json(error_body(
                    429,
                    "Global limit has been reached",
                    "too_many_requests",
                )),
            )
        }),
    );
    let base = serve(router).await;
    let client = static_client(
        &base,
        "stub-token",
        ClientOptions {
            deadline: Duration::from_secs(2),
            retry: RetryPolicy {
                base_delay: Duration::from_millis(5),
                max_delay: Duration::from_secs(60),
            },
            ..options()
        },
    );
    let text = client
        .get("/guardian/policies")
        .await
        .unwrap_err()
        .to_string();
    assert!(text.contains("deadline"), "{text}");
    assert!(text.contains("Global limit has been reached"), "{text}");
    assert_eq!(client.stats().requests, 1);
}

#[tokio::test]
async fn timeouts_are_retried_then_explained() {
    let router = Router::new().route(
        "/api/v2/guardian/policies",
        get(|| async {
            tokio::time::sleep(Duration::from_secs(5)).await;
            axum::Json(json!([]))
        }),
    );
    let base = serve(router).await;
    let client = static_client(
        &base,
        "stub-token",
        ClientOptions {
            max_attempts: 2,
            request_timeout: Duration::from_millis(100),
            ..options()
        },
    );
    let err = client.get("/guardian/policies").await.unwrap_err();
    assert!(matches!(err, ApiError::Timeout { .. }), "{err}");
    let text = err.to_string();
    assert!(text.contains("no answer from 127.0.0.1:"), "{text}");
    assert!(text.contains("after 2 attempts"), "{text}");
    assert_eq!(client.stats().requests, 2);
}

#[tokio::test]
async fn connection_errors_are_retried_then_explained() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let client = static_client(&format!("http://{address}"), "stub-token", options());
    let err = client.get("/guardian/policies").await.unwrap_err();
    assert!(matches!(err, ApiError::Connection { .. }), "{err}");
    let text = err.to_string();
    assert!(text.contains("could not talk to"), "{text}");
    assert!(text.contains("AUTH0_DOMAIN"), "{text}");
    assert_eq!(client.stats().requests, 3);
}

#[tokio::test]
async fn https_to_a_plain_http_port_fails_at_once() {
    let base = serve(Router::new().route("/oauth/token", post(|| async { "{}" }))).await;
    let host = base.trim_start_matches("http://");
    // A bare host means HTTPS; the stub only speaks plain HTTP.
    let client =
        Client::for_emulator(host, "cid", Secret::new(STUB_CLIENT_SECRET), options()).unwrap();
    let err = client.get("/guardian/policies").await.unwrap_err();
    assert!(
        matches!(
            err,
            ApiError::ConnectionRefusedForGood {
                why: ForGood::NotTls,
                ..
            }
        ),
        "{err}"
    );
    let text = err.to_string();
    assert!(text.contains("does not speak HTTPS"), "{text}");
    assert!(text.contains("http://HOST:PORT"), "{text}");
    assert!(text.contains("Not tried again"), "{text}");
    assert!(!text.contains("attempts"), "{text}");
    assert_eq!(client.stats().requests, 1);
}

#[tokio::test]
async fn a_domain_that_is_no_host_name_fails_at_once() {
    // A DNS label has at most 63 characters.
    let domain = format!("{}.example.com", "a".repeat(64));
    let client = static_client(&domain, "stub-token", options());
    let err = client.get("/guardian/policies").await.unwrap_err();
    assert!(
        matches!(
            err,
            ApiError::ConnectionRefusedForGood {
                why: ForGood::InvalidName,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("not a valid host name"), "{err}");
    assert_eq!(client.stats().requests, 1);
}

/// A log sink for one test.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn user_agent_and_debug_logs_without_secrets() {
    let captured = Captured::default();
    let sink = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_writer(move || sink.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let stub = Arc::new(Stub::default());
    let router = Router::new()
        .route(
            "/oauth/token",
            post(|| async { axum::Json(json!({"access_token": "issued-token-secret-99"})) }),
        )
        .route(
            "/api/v2/guardian/factors/duo/settings",
            get(
                |State(s): State<Arc<Stub>>, headers: HeaderMap| async move {
                    let ua = headers["user-agent"].to_str().unwrap().to_string();
                    s.user_agents.lock().unwrap().push(ua);
                    axum::Json(json!({"ikey": "DI", "skey": "duo-skey-in-answer", "host": "h"}))
                },
            )
            .put(|| async { StatusCode::NO_CONTENT }),
        )
        .with_state(stub.clone());
    let base = serve(router).await;
    let client =
        Client::for_emulator(&base, "cid", Secret::new(STUB_CLIENT_SECRET), options()).unwrap();
    let answer = client.get("/guardian/factors/duo/settings").await.unwrap();
    let duo = parse_values(&DUO, &answer).unwrap();
    assert_eq!(duo.secret("skey").unwrap().expose(), "duo-skey-in-answer");
    let request = ApiRequest::new(HttpMethod::Put, "/guardian/factors/duo/settings")
        .with_body(json!({"ikey": "DI", "skey": "duo-skey-sent", "host": "h"}))
        .with_secret_fields(&["skey"]);
    assert_eq!(
        client.send(&request).await.unwrap(),
        serde_json::Value::Null
    );

    assert_eq!(
        stub.user_agents.lock().unwrap().as_slice(),
        [format!("mfactl/{}", env!("CARGO_PKG_VERSION"))]
    );
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("method=\"GET\""), "{logs}");
    assert!(
        logs.contains("path=\"/guardian/factors/duo/settings\""),
        "{logs}"
    );
    assert!(logs.contains("status=200"), "{logs}");
    assert!(logs.contains("status=204"), "{logs}");
    assert!(logs.contains("attempt=1"), "{logs}");
    assert!(logs.contains("duration_ms="), "{logs}");
    assert!(logs.contains("path=\"/oauth/token\""), "{logs}");
    for secret in [
        STUB_CLIENT_SECRET,
        "issued-token-secret-99",
        "duo-skey-in-answer",
        "duo-skey-sent",
    ] {
        assert!(!logs.contains(secret), "{secret} leaked into the log");
        assert!(!format!("{client:?}").contains(secret));
    }
}

#[tokio::test]
async fn https_certificates_are_checked() {
    use mfactl_emulator::{EmulatorConfig, start};
    let dir = tempfile::tempdir().unwrap();
    let cert_path = dir.path().join("emulator.pem");
    let emulator = start(EmulatorConfig {
        tls_cert_out: Some(cert_path.clone()),
        ..EmulatorConfig::default()
    })
    .await
    .unwrap();
    let domain = emulator.domain();
    assert!(!domain.contains("://"), "a bare host means HTTPS: {domain}");
    let token = emulator.issue_token(&mfactl_emulator::access_token::ALL_SCOPES);

    // The self-signed certificate is refused, at once: another attempt would be refused too.
    let settings = ConnectionSettings::with_static_token(&domain, Secret::new(&*token)).unwrap();
    let client = Client::new(settings.clone(), options()).unwrap();
    let err = client.get("/guardian/policies").await.unwrap_err();
    assert!(
        matches!(
            err,
            ApiError::ConnectionRefusedForGood {
                why: ForGood::Certificate,
                ..
            }
        ),
        "{err}"
    );
    assert!(
        err.to_string().to_lowercase().contains("certificate"),
        "{err}"
    );
    assert_eq!(client.stats().requests, 1);

    // Trusted explicitly, it works over HTTPS.
    let pem = std::fs::read(&cert_path).unwrap();
    let client = Client::new(
        settings,
        ClientOptions {
            extra_root_certificates: vec![pem],
            ..options()
        },
    )
    .unwrap();
    assert_eq!(client.get("/guardian/policies").await.unwrap(), json!([]));
}

#[tokio::test]
async fn an_opaque_token_learns_missing_scopes_from_the_api_all_at_once() {
    let forbidden = |scope: &'static str| {
        move || async move {
            (
                StatusCode::FORBIDDEN,
                axum::Json(error_body(
                    403,
                    &format!("Insufficient scope, expected any of: {scope}"),
                    "insufficient_scope",
                )),
            )
        }
    };
    let router = Router::new()
        .route(
            "/api/v2/guardian/policies",
            get(forbidden("read:mfa_policies")),
        )
        .route("/api/v2/prompts/mfa-push", get(forbidden("read:prompts")))
        .route(
            "/api/v2/guardian/factors",
            get(|| async { axum::Json(json!([{"name": "otp", "enabled": true}])) }),
        );
    let base = serve(router).await;
    let client = static_client(&base, "stub-token", options());
    let mut desired = MfaState::default();
    desired.set_policies([]);
    desired.set_factor(Factor::Otp, true);
    desired.insert(Address::of(&PUSH_CUSTOM_APP), Values::default());
    let err = mfactl_client::read_live(&client, &desired)
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string().split(" Grant").next().unwrap(),
        "the access token lacks scope(s): read:mfa_policies, read:prompts. This config needs: read:guardian_factors, read:mfa_policies, read:prompts."
    );
}
