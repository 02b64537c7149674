//! No secret reaches an output, however it got there: a local server that echoes every request
//! (body and headers) into every string field it can — values it returns, error messages,
//! error codes, the token endpoint's error — and the binary's stdout, stderr, logs, saved plan
//! and exported file are scanned for every secret the run used.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::support::{Run, SECRET_ENV, example_without_tenant, mfactl, secret_values};

const CLIENT_SECRET: &str = "echo-client-secret-5e7d1c";
const ACCESS_TOKEN: &str = "echo-issued-access-token-93b0f2";
const STATIC_TOKEN: &str = "echo-static-api-token-6a4c8e";

/// Every string field of the settings answers the API sends back.
const STRING_FIELDS: &[&str] = &[
    "sid",
    "from",
    "messaging_service_sid",
    "enrollment_message",
    "verification_message",
    "aws_access_key_id",
    "aws_region",
    "sns_apns_platform_application_arn",
    "sns_gcm_platform_application_arn",
    "bundle_id",
    "app_name",
    "apple_app_link",
    "google_app_link",
    "ikey",
    "host",
    "relyingPartyIdentifier",
];

#[derive(Default)]
struct Echo {
    /// Answer the selected-provider reads with the echo too (the read then fails to parse).
    echo_providers: AtomicBool,
    /// Refuse the client-credentials grant, quoting the request.
    refuse_tokens: AtomicBool,
}

/// The request as one string: method, path, every header (the bearer token included) and body.
fn echo_of(method: &Method, uri: &Uri, headers: &HeaderMap, body: &Bytes) -> String {
    let mut text = format!("{method} {uri}");
    for (name, value) in headers {
        text.push_str(&format!(" {name}: {}", value.to_str().unwrap_or_default()));
    }
    text.push(' ');
    text.push_str(&String::from_utf8_lossy(body));
    text
}

async fn answer(
    State(echo): State<Arc<Echo>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let said = echo_of(&method, &uri, &headers, &body);
    let path = uri.path().trim_start_matches("/api/v2");
    if uri.path() == "/oauth/token" {
        if echo.refuse_tokens.load(Ordering::SeqCst) {
            return (
                StatusCode::UNAUTHORIZED,
                axum::Json(json!({"error": said, "error_description": said})),
            )
                .into_response();
        }
        return axum::Json(json!({
            "access_token": ACCESS_TOKEN,
            "token_type": "Bearer",
            "expires_in": 86400,
        }))
        .into_response();
    }
    if method != Method::GET {
        // A payload validation error that quotes the body back, everywhere it can; the Duo
        // write gets a plain-text 500 that does the same.
        if path.ends_with("/duo/settings") {
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                [("content-type", "text/plain"), ("x-echo", "see body")],
                said,
            )
                .into_response();
        }
        return (
            StatusCode::BAD_REQUEST,
            axum::Json(json!({
                "statusCode": 400,
                "error": said,
                "message": format!("Payload validation error: '{said}'."),
                "errorCode": said,
            })),
        )
            .into_response();
    }
    let body = match path {
        "/guardian/factors" => Value::Array(
            [
                "sms",
                "push-notification",
                "otp",
                "email",
                "duo",
                "webauthn-roaming",
                "webauthn-platform",
                "recovery-code",
            ]
            .iter()
            .map(|name| json!({"name": name, "enabled": false, "note": said}))
            .collect(),
        ),
        "/guardian/policies" => json!([]),
        "/guardian/factors/phone/message-types" => json!({"message_types": []}),
        "/branding/phone/providers" => json!({"providers": []}),
        "/branding/phone/templates" => json!({"templates": []}),
        "/tenants/settings" => {
            json!({"phone_consolidated_experience": false, "friendly_name": said})
        }
        p if p.ends_with("/selected-provider") => {
            if echo.echo_providers.load(Ordering::SeqCst) {
                json!({ "provider": said })
            } else if p.contains("push") {
                json!({"provider": "guardian"})
            } else {
                json!({"provider": "auth0"})
            }
        }
        _ => Value::Object(
            STRING_FIELDS
                .iter()
                .map(|field| (field.to_string(), Value::String(said.clone())))
                .collect(),
        ),
    };
    axum::Json(body).into_response()
}

/// Starts the echo server on its own thread; returns its state and `http://127.0.0.1:PORT`.
fn start() -> (Arc<Echo>, String) {
    let echo = Arc::new(Echo::default());
    let state = echo.clone();
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let address = listener.local_addr().unwrap();
            sender.send(format!("http://{address}")).unwrap();
            let router = Router::new().fallback(answer).with_state(state);
            let _ = axum::serve(listener, router).await;
        });
    });
    let base = receiver.recv().expect("the echo server starts");
    (echo, base)
}

/// Every secret the runs use: the config's `${VAR}` values and the credentials.
fn all_secrets() -> Vec<&'static str> {
    let mut secrets = secret_values();
    secrets.extend([CLIENT_SECRET, ACCESS_TOKEN, STATIC_TOKEN]);
    secrets
}

fn env(base: &str, static_token: bool) -> Vec<(&str, &str)> {
    let mut env = vec![("AUTH0_DOMAIN", base)];
    if static_token {
        env.push(("AUTH0_API_TOKEN", STATIC_TOKEN));
    } else {
        env.push(("AUTH0_CLIENT_ID", "echo-client"));
        env.push(("AUTH0_CLIENT_SECRET", CLIENT_SECRET));
    }
    env.extend_from_slice(SECRET_ENV);
    env
}

/// Runs mfactl with debug logs and checks that no output holds a secret; returns the run.
fn run_clean(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut with_logs = args.to_vec();
    with_logs.push("-vv");
    let run = mfactl(&with_logs, env);
    run.assert_no_secrets(&all_secrets());
    run
}

#[test]
fn secrets_echoed_by_the_api_never_reach_an_output() {
    let (_echo, base) = start();
    let (dir, config) = example_without_tenant("full.yaml");
    let config = config.to_str().unwrap();
    for static_token in [false, true] {
        let env = env(&base, static_token);

        // The tenant's values quote the bearer token back: the plan shows them, scrubbed.
        let plan = run_clean(&["plan", "-c", config], &env);
        assert_eq!(plan.code, 0, "{}", plan.transcript());
        assert!(plan.stdout.contains("(sensitive value)"), "{}", plan.stdout);
        for format in ["json", "markdown"] {
            let other = run_clean(&["plan", "-c", config, "--format", format], &env);
            assert_eq!(other.code, 0, "{}", other.transcript());
        }
        let saved = dir.path().join("echo.plan");
        let out = run_clean(
            &["plan", "-c", config, "--out", saved.to_str().unwrap()],
            &env,
        );
        assert_eq!(out.code, 0, "{}", out.transcript());
        let text = std::fs::read_to_string(&saved).unwrap();
        for secret in all_secrets() {
            assert!(!text.contains(secret), "the saved plan holds {secret}");
        }

        // Every write is refused with the body quoted back in message, error and errorCode
        // (and once as plain text): the apply report shows the refusals, scrubbed.
        let apply = run_clean(&["apply", "-c", config, "--auto-approve"], &env);
        assert_eq!(apply.code, 1, "{}", apply.transcript());
        assert!(apply.stdout.contains("failed"), "{}", apply.stdout);
        assert!(
            apply.stdout.contains("Payload validation error"),
            "{}",
            apply.stdout
        );

        let exported = dir.path().join("echo-export.yaml");
        let export = run_clean(&["export", "-o", exported.to_str().unwrap()], &env);
        assert_eq!(export.code, 0, "{}", export.transcript());
        let text = std::fs::read_to_string(&exported).unwrap();
        for secret in all_secrets() {
            assert!(!text.contains(secret), "the export holds {secret}");
        }
    }
}

#[test]
fn an_echo_in_an_unreadable_answer_or_a_token_refusal_is_scrubbed() {
    let (echo, base) = start();
    let (_dir, config) = example_without_tenant("full.yaml");
    let config = config.to_str().unwrap();

    // A value that cannot be parsed is quoted in the error: scrubbed.
    echo.echo_providers.store(true, Ordering::SeqCst);
    let plan = run_clean(&["plan", "-c", config], &env(&base, true));
    assert_eq!(plan.code, 1, "{}", plan.transcript());
    assert!(plan.stderr.contains("unexpected answer"), "{}", plan.stderr);

    // The token endpoint quotes the client-credentials request (client secret included).
    echo.echo_providers.store(false, Ordering::SeqCst);
    echo.refuse_tokens.store(true, Ordering::SeqCst);
    let plan = run_clean(&["plan", "-c", config], &env(&base, false));
    assert_eq!(plan.code, 1, "{}", plan.transcript());
    assert!(
        plan.stderr.contains("refused to issue an access token"),
        "{}",
        plan.stderr
    );
}
