//! Loading the config file for a command: diagnostics go to stderr.

use std::io::Write;
use std::path::Path;

use crate::config::diagnostic::render_all;
use crate::config::{DesiredConfig, load_bytes};
use crate::error::CommandError;
use crate::terminal::Colors;

/// A config file that loaded cleanly, with its bytes (for the saved plan's hash).
pub struct ConfigFile {
    pub path: String,
    pub bytes: Vec<u8>,
    pub config: DesiredConfig,
}

/// Reads and validates the file, resolving `${VAR}` from the environment. Prints warnings
/// (and errors, with their places) on stderr; fails when the file cannot be used.
pub fn load(path: &Path, strict: bool, colors: Colors) -> Result<ConfigFile, CommandError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| CommandError::read(path, e))?;
    let env = |key: &str| std::env::var(key).ok();
    let loaded = load_bytes(&name, &bytes, Some(&env));
    let diagnostics = loaded.effective_diagnostics(strict);
    if !diagnostics.is_empty() {
        let text = render_all(&diagnostics, &loaded.source, colors.stderr);
        let _ = std::io::stderr().write_all(text.as_bytes());
    }
    let invalid = || CommandError::InvalidConfig(path.to_path_buf());
    if !loaded.is_usable(strict) {
        return Err(invalid());
    }
    let config = loaded.config.ok_or_else(invalid)?;
    Ok(ConfigFile {
        path: name,
        bytes,
        config,
    })
}
