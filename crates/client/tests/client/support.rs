//! What the client's tests share: clients for in-process emulators and stub servers, fast
//! options, the examples' desired states (`tests/fixtures/examples.rs`) and the recorded traffic
//! (`tests/fixtures/recordings.rs`).

use std::time::Duration;

use mfactl_client::retry::RetryPolicy;
use mfactl_client::{Client, ClientOptions, ConnectionSettings};
use mfactl_core::secret::Secret;
use mfactl_emulator::{EmulatorConfig, RunningEmulator, start};

#[path = "../../../../tests/fixtures/examples.rs"]
mod examples;
#[path = "../../../../tests/fixtures/recordings.rs"]
mod recordings;

pub use examples::{example, full_desired, secret_of, secret_values};
pub use recordings::recordings;

pub const CLIENT_ID: &str = "api-test-client";
pub const CLIENT_SECRET: &str = "api-test-client-secret-5c1d0e";

/// Starts an in-process emulator with fixed client credentials.
pub async fn emulator_with(config: EmulatorConfig) -> RunningEmulator {
    start(EmulatorConfig {
        client_id: Some(CLIENT_ID.to_owned()),
        client_secret: Some(CLIENT_SECRET.to_owned()),
        ..config
    })
    .await
    .expect("emulator starts")
}

/// A client-credentials client for `emulator`.
pub fn client_for(emulator: &RunningEmulator, options: ClientOptions) -> Client {
    Client::for_emulator(
        &emulator.domain(),
        CLIENT_ID,
        Secret::new(CLIENT_SECRET),
        options,
    )
    .expect("client builds")
}

/// A client with a static token for `base` (an emulator's domain or a stub's URL).
pub fn static_client(base: &str, token: &str, options: ClientOptions) -> Client {
    let settings =
        ConnectionSettings::with_static_token(base, Secret::new(token)).expect("settings");
    Client::new(settings, options).expect("client builds")
}

/// Serves `router` on a free port of 127.0.0.1 (a stub server); returns its base URL.
pub async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://{address}")
}

/// Options that keep tests fast: short retry delays.
pub fn fast_options() -> ClientOptions {
    ClientOptions {
        retry: RetryPolicy {
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_secs(2),
        },
        ..ClientOptions::default()
    }
}

/// The GET paths (under /api/v2) reading `examples/full.yaml` sends: one per readable resource
/// it manages (one for all factors), `/tenants/settings` once for both the MFA flags and the
/// tenant's phone kind; `push.fcmv1` is write-only and never read.
pub const FULL_READ_PATHS: &[&str] = &[
    "/guardian/policies",
    "/guardian/factors",
    "/guardian/factors/phone/message-types",
    "/guardian/factors/phone/selected-provider",
    "/guardian/factors/phone/providers/twilio",
    "/guardian/factors/phone/templates",
    "/guardian/factors/push-notification/selected-provider",
    "/guardian/factors/push-notification/providers/sns",
    "/guardian/factors/push-notification/providers/apns",
    "/prompts/mfa-push",
    "/guardian/factors/duo/settings",
    "/guardian/factors/webauthn-roaming/settings",
    "/guardian/factors/webauthn-platform/settings",
    "/guardian/factors/phone/settings",
    "/guardian/factors/email/settings",
    "/guardian/settings",
    "/tenants/settings",
];
