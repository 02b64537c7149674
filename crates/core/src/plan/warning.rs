//! Warnings a plan carries: things to know that do not stop it, in every format.

use std::fmt;

/// Where a warning comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WarningSource {
    /// A check of the config file (`validate` shows the same warning).
    Config,
    /// What the live tenant is like (its phone kind, a write it cannot take yet).
    Tenant,
}

impl WarningSource {
    /// The name the JSON plan uses.
    pub fn as_str(self) -> &'static str {
        match self {
            WarningSource::Config => "config",
            WarningSource::Tenant => "tenant",
        }
    }
}

/// A place in the config file: the file as named on the command line, and the 1-based line and
/// column when the warning has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilePosition {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl fmt::Display for FilePosition {
    /// `file:line:col`, or the file alone.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(f, "{}:{line}:{column}", self.file),
            (Some(line), None) => write!(f, "{}:{line}", self.file),
            _ => f.write_str(&self.file),
        }
    }
}

/// One warning of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub source: WarningSource,
    /// The place in the config file, for config warnings.
    pub position: Option<FilePosition>,
    pub message: String,
    /// What to do about it, when there is advice.
    pub help: Option<String>,
}

impl Warning {
    /// A warning about the tenant, with no place in the file.
    pub fn tenant(message: impl Into<String>) -> Self {
        Warning {
            source: WarningSource::Tenant,
            position: None,
            message: message.into(),
            help: None,
        }
    }

    /// The warning in one line: `file:line:col: message (help)`.
    pub fn one_line(&self) -> String {
        let mut text = match &self.position {
            Some(position) => format!("{position}: {}", self.message),
            None => self.message.clone(),
        };
        if let Some(help) = &self.help {
            text.push_str(&format!(" ({help})"));
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_names_the_place_and_the_advice() {
        let warning = Warning {
            source: WarningSource::Config,
            position: Some(FilePosition {
                file: "mfa.yaml".into(),
                line: Some(3),
                column: Some(5),
            }),
            message: "`phone` is configured but `factors.sms` is false".into(),
            help: Some("enable it".into()),
        };
        assert_eq!(
            warning.one_line(),
            "mfa.yaml:3:5: `phone` is configured but `factors.sms` is false (enable it)"
        );
        assert_eq!(Warning::tenant("kind").one_line(), "kind");
    }
}
