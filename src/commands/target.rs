//! The tenant a command talks to: the one in the environment, or a built-in emulator.

use crate::api::{Client, ConnectionSettings};
use crate::cli::TargetArgs;
use crate::emulator::{EmulatorConfig, RunningEmulator, start};
use crate::error::CommandError;
use crate::secret::Secret;

/// A connected tenant. Holds the in-process emulator, when there is one, for as long as the
/// command runs.
pub struct Target {
    pub client: Client,
    /// `Some` when running against the built-in emulator.
    pub emulator: Option<RunningEmulator>,
}

impl Target {
    /// Whether this is the built-in emulator (the config's `tenant:` guard does not apply).
    pub fn is_emulator(&self) -> bool {
        self.emulator.is_some()
    }
}

/// Connects as the arguments say.
pub async fn connect(args: &TargetArgs) -> Result<Target, CommandError> {
    connect_with(
        args,
        EmulatorConfig::default(),
        "a new tenant; the file's `tenant:` guard does not apply",
    )
    .await
}

/// Like [`connect`]; with `--emulator` the built-in emulator starts from `emulator`, and the
/// note on stderr says `what` it holds.
pub async fn connect_with(
    args: &TargetArgs,
    emulator: EmulatorConfig,
    what: &str,
) -> Result<Target, CommandError> {
    if args.emulator {
        let emulator = start(emulator)
            .await
            .map_err(|e| CommandError::Other(format!("cannot start the built-in emulator: {e}")))?;
        let client = Client::for_emulator(
            emulator.base_url(),
            emulator.client_id(),
            Secret::new(emulator.client_secret()),
            args.client_options(),
        )?;
        crate::scrub::eprint(&format!(
            "note: running against the built-in emulator at {} ({what})\n",
            emulator.domain()
        ));
        return Ok(Target {
            client,
            emulator: Some(emulator),
        });
    }
    let settings = ConnectionSettings::from_process_env()?;
    let client = Client::new(settings, args.client_options())?;
    Ok(Target {
        client,
        emulator: None,
    })
}

/// A runtime for one command.
pub fn runtime() -> Result<tokio::runtime::Runtime, CommandError> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| CommandError::Other(format!("cannot start the async runtime: {e}")))
}
