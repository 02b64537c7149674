//! Whether output may carry colour, decided once for the whole run.

use std::ffi::OsStr;
use std::io::IsTerminal;

use crate::render::use_color;

/// Colour for stdout (plans) and stderr (diagnostics, logs, progress): each only on a
/// terminal, and never when `NO_COLOR` is set to a non-empty value (<https://no-color.org>).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Colors {
    pub stdout: bool,
    pub stderr: bool,
}

impl Colors {
    /// Reads the terminals and `NO_COLOR` of this process.
    pub fn detect() -> Self {
        Self::from_parts(
            std::io::stdout().is_terminal(),
            std::io::stderr().is_terminal(),
            std::env::var_os("NO_COLOR").as_deref(),
        )
    }

    /// The decision for given terminals and `NO_COLOR` value.
    pub fn from_parts(stdout_tty: bool, stderr_tty: bool, no_color: Option<&OsStr>) -> Self {
        Colors {
            stdout: use_color(stdout_tty, no_color),
            stderr: use_color(stderr_tty, no_color),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_turns_both_off() {
        let both = Colors::from_parts(true, true, None);
        assert_eq!(
            both,
            Colors {
                stdout: true,
                stderr: true
            }
        );
        let off = Colors::from_parts(true, true, Some(OsStr::new("1")));
        assert_eq!(off, Colors::default());
        let piped = Colors::from_parts(false, true, Some(OsStr::new("")));
        assert_eq!(
            piped,
            Colors {
                stdout: false,
                stderr: true
            }
        );
    }
}
