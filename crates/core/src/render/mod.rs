//! Printers of a [`crate::plan::Plan`]: human, JSON and Markdown. Each writes to any
//! `io::Write`; none shows a secret (plans only ever hold redacted values).

pub mod fleet;
pub mod human;
pub mod json;
pub mod markdown;
pub(crate) mod paint;
pub mod printable;
pub(crate) mod table;
mod text;

#[cfg(test)]
mod snapshot_tests;

use std::ffi::OsStr;

/// Whether the human plan uses colour: only on a terminal, and never when `NO_COLOR` is set to
/// a non-empty value (<https://no-color.org>).
pub fn use_color(stdout_is_terminal: bool, no_color: Option<&OsStr>) -> bool {
    stdout_is_terminal && no_color.is_none_or(|value| value.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        assert!(use_color(true, None));
        assert!(use_color(true, Some(OsStr::new(""))));
        assert!(!use_color(true, Some(OsStr::new("1"))));
        assert!(!use_color(false, None));
    }
}
