//! A local, in-memory Auth0 tenant that answers like the Management API.
//!
//! `mfactl emulator` runs one from the command line; [`start`] runs one inside a process (tests,
//! `plan --emulator`). See [`server`] for the request pipeline and [`management_api`] for the
//! endpoints and their behaviour.

pub mod access_token;
pub mod api_error;
pub mod body_schema;
pub mod fault_injection;
pub mod management_api;
pub mod mfa_settings_api;
mod oauth_token;
pub mod rate_limit;
pub mod request_log;
pub mod routes;
pub mod scripted_faults;
pub mod server;
pub mod settings_api;
pub mod tenant;
pub mod tenant_phone;
pub mod tenant_phone_api;
mod test_hooks;
pub mod timestamp;
mod tls;
pub mod users_api;
pub mod users_state;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;

pub use rate_limit::RateLimit;
pub use request_log::LoggedRequest;
pub use scripted_faults::ScriptedFault;
pub use server::{EmulatorConfig, RunningEmulator, start};
pub use tenant::TenantState;
pub use users_state::{EmulatedUser, SeedUser, StoredMethod};

/// `mfactl emulator` options.
#[derive(Debug, Clone, Args)]
pub struct EmulatorArgs {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    pub port: u16,

    /// Seed the tenant from a JSON file (the shape of GET /__emulator/state).
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,

    /// Delay every answer by this many milliseconds.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub latency_ms: u64,

    /// Enforce a token bucket, e.g. 2/2 (the free plan): excess calls answer 429.
    #[arg(long, value_name = "BURST/PER_SECOND")]
    pub rate_limit: Option<RateLimit>,

    /// Answer this fraction (0 to 1) of Management API calls with a 500, 503, 429 or a dropped
    /// connection.
    #[arg(long, value_name = "F", default_value_t = 0.0)]
    pub fault_rate: f64,

    /// Seed for --fault-rate: the same seed and request sequence give the same faults.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub seed: u64,

    /// Emulate a tenant on the consolidated phone experience (legacy phone provider and
    /// template endpoints answer 403).
    #[arg(long)]
    pub consolidated_phone: bool,

    /// Emulate a plan without Adaptive MFA (confidence-score answers 403).
    #[arg(long)]
    pub no_adaptive_mfa: bool,

    /// Emulate a plan without voice MFA (phone message-types answers 403).
    #[arg(long)]
    pub no_voice: bool,

    /// Start with a demo user (jo.doe@example.com, an SMS phone and an authenticator app) for
    /// trying `mfactl users …` and `mfactl enrollments …`.
    #[arg(long)]
    pub demo_user: bool,

    /// Serve HTTPS with a self-signed certificate for 127.0.0.1/localhost, written as PEM here.
    #[arg(long, value_name = "CERT_OUT")]
    pub tls: Option<PathBuf>,
}

impl EmulatorArgs {
    /// The in-process configuration these options describe.
    pub fn to_config(&self) -> Result<EmulatorConfig, String> {
        if !(0.0..=1.0).contains(&self.fault_rate) {
            return Err(format!(
                "--fault-rate must be between 0 and 1, got {}",
                self.fault_rate
            ));
        }
        let state = match &self.state {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                let state: TenantState = serde_json::from_str(&text)
                    .map_err(|e| format!("{} is not an emulator state: {e}", path.display()))?;
                Some(state)
            }
            None => None,
        };
        let state = match (state, self.demo_user) {
            (state, false) => state,
            (Some(state), true) => Some(users_state::with_demo_user(state)),
            (None, true) => Some(users_state::with_demo_user(TenantState::new_tenant(
                self.consolidated_phone,
            ))),
        };
        Ok(EmulatorConfig {
            port: self.port,
            state,
            consolidated_phone: self.consolidated_phone,
            adaptive_mfa: !self.no_adaptive_mfa,
            voice: !self.no_voice,
            latency: Duration::from_millis(self.latency_ms),
            rate_limit: self.rate_limit,
            fault_rate: self.fault_rate,
            seed: self.seed,
            tls_cert_out: self.tls.clone(),
            client_id: None,
            client_secret: None,
        })
    }
}

/// Runs `mfactl emulator`: prints three `export` lines on stdout, then serves until killed.
pub fn run_command(args: EmulatorArgs) -> ExitCode {
    let config = match args.to_config() {
        Ok(config) => config,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let emulator = match start(config).await {
            Ok(emulator) => emulator,
            Err(error) => {
                eprintln!("error: cannot start the emulator: {error}");
                return ExitCode::FAILURE;
            }
        };
        // The client secret is the emulator's own throwaway credential: printing it is the
        // start-up contract (a shell evals these lines).
        let exports = format!(
            "export AUTH0_DOMAIN={}\nexport AUTH0_CLIENT_ID={}\nexport AUTH0_CLIENT_SECRET={}\n",
            emulator.domain(),
            emulator.client_id(),
            emulator.client_secret()
        );
        let mut stdout = std::io::stdout().lock();
        if stdout
            .write_all(exports.as_bytes())
            .and_then(|()| stdout.flush())
            .is_err()
        {
            return ExitCode::FAILURE;
        }
        drop(stdout);
        eprintln!("mfactl emulator serving {}", emulator.base_url());
        wait_for_termination().await;
        emulator.shutdown();
        ExitCode::SUCCESS
    })
}

async fn wait_for_termination() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
