//! Logs go to stderr, scrubbed of every secret ([`crate::scrub`]); stdout carries only results.

use tracing_subscriber::EnvFilter;

/// Sets up logging to stderr at the level `-v` asks for (`RUST_LOG` overrides), coloured when
/// stderr may be.
pub fn init(verbosity: u8, color: bool) {
    let level = match verbosity {
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        EnvFilter::new(format!(
            "mfactl={level},mfactl_core={level},mfactl_client={level},mfactl_emulator={level}"
        ))
    });
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(color)
        .with_writer(crate::scrub::LogWriter::default)
        .with_target(false)
        .without_time()
        .try_init();
}
