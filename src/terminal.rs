//! Whether output may carry colour: only on a terminal, and never with `NO_COLOR` set.

use std::io::IsTerminal;

/// Whether stderr (diagnostics, logs, progress) may carry colour.
pub fn stderr_color() -> bool {
    std::io::stderr().is_terminal() && no_color_unset()
}

/// Whether `NO_COLOR` is absent or empty (<https://no-color.org>).
pub fn no_color_unset() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}
