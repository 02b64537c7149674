//! Loading the config file for a command: diagnostics go to stderr.

use std::io::Write;
use std::path::Path;

use crate::config::diagnostic::render_all;
use crate::config::{DesiredConfig, load_bytes};
use crate::terminal::stderr_color;

/// A config file that loaded cleanly, with its bytes (for the saved plan's hash).
pub struct ConfigFile {
    pub path: String,
    pub bytes: Vec<u8>,
    pub config: DesiredConfig,
}

/// Reads and validates the file, resolving `${VAR}` from the environment. Prints warnings
/// (and errors) on stderr; returns `None` when the file cannot be used.
pub fn load(path: &Path, strict: bool) -> Option<ConfigFile> {
    let name = path.display().to_string();
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("error: cannot read {name}: {e}");
            return None;
        }
    };
    let env = |key: &str| std::env::var(key).ok();
    let loaded = load_bytes(&name, &bytes, Some(&env));
    let diagnostics = loaded.effective_diagnostics(strict);
    if !diagnostics.is_empty() {
        let text = render_all(&diagnostics, &loaded.source, stderr_color());
        let _ = std::io::stderr().write_all(text.as_bytes());
    }
    if !loaded.is_usable(strict) {
        return None;
    }
    let config = loaded.config?;
    Some(ConfigFile {
        path: name,
        bytes,
        config,
    })
}
