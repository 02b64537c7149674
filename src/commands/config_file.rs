//! Loading the config file for a command: diagnostics go to stderr.

use std::path::Path;

use crate::config::diagnostic::render_all;
use crate::config::{DesiredConfig, Diagnostic, SourceFile, load_bytes};
use crate::error::CommandError;
use crate::plan::{FilePosition, Warning, WarningSource};
use crate::scrub;
use crate::terminal::Colors;

/// A config file that loaded cleanly, with its bytes (for the saved plan's hash) and its
/// warnings (for the plan formats that carry them).
pub struct ConfigFile {
    pub path: String,
    pub bytes: Vec<u8>,
    pub config: DesiredConfig,
    pub warnings: Vec<Warning>,
}

/// Reads and validates the file, resolving `${VAR}` from the environment, and registers its
/// secret values with [`crate::scrub`] (valid file or not) before showing any diagnostic. Prints warnings (and errors, with their places) on
/// stderr; fails when the file cannot be used.
pub fn load(path: &Path, strict: bool, colors: Colors) -> Result<ConfigFile, CommandError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| CommandError::read(path, e))?;
    let env = |key: &str| std::env::var(key).ok();
    let loaded = load_bytes(&name, &bytes, Some(&env));
    scrub::register_all(&loaded.secrets);
    let diagnostics = loaded.effective_diagnostics(strict);
    if !diagnostics.is_empty() {
        let text = render_all(&diagnostics, &loaded.source, colors.stderr);
        scrub::eprint(&text);
    }
    let warnings = loaded
        .diagnostics
        .iter()
        .filter(|d| !d.is_error())
        .map(|d| config_warning(d, &loaded.source))
        .collect();
    let invalid = || CommandError::InvalidConfig(path.to_path_buf());
    if !loaded.is_usable(strict) {
        return Err(invalid());
    }
    let config = loaded.config.ok_or_else(invalid)?;
    Ok(ConfigFile {
        path: name,
        bytes,
        config,
        warnings,
    })
}

/// A config diagnostic as a plan warning, with its place in the file.
pub fn config_warning(diagnostic: &Diagnostic, source: &SourceFile) -> Warning {
    let span = diagnostic.span.filter(|s| s.line > 0);
    Warning {
        source: WarningSource::Config,
        position: Some(FilePosition {
            file: source.name.clone(),
            line: span.map(|s| s.line),
            column: span.map(|s| s.column),
        }),
        message: diagnostic.message.clone(),
        help: diagnostic.help.clone(),
    }
}
