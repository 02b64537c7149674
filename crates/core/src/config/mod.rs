//! The config file: YAML text → a tree of located nodes → validated desired state, all driven
//! by the resource table.
//!
//! Pure: the caller reads the file and passes an environment lookup.

pub mod diagnostic;
pub mod export;
pub mod interpolate;
pub mod located;
pub mod node;
pub mod parse;
pub(crate) mod report;
pub mod schema;
pub mod section;
pub mod source;
pub mod suggest;
pub mod validate;

pub use diagnostic::{Diagnostic, Severity};
pub use source::SourceFile;
pub use validate::{DesiredConfig, EnvLookup};

use crate::secret::Secret;

/// A config file after loading: the desired config when it is valid, and every diagnostic.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub source: SourceFile,
    pub config: Option<DesiredConfig>,
    pub diagnostics: Vec<Diagnostic>,
    /// Every secret value the file gives, resolved from `${VAR}` or written in clear, even
    /// when the file is invalid. A command registers them for scrubbing before it shows any
    /// diagnostic, whose snippets and messages may hold the same text.
    pub secrets: Vec<Secret>,
}

impl Loaded {
    /// Whether the file can be used: no error, and no warning when `strict`.
    pub fn is_usable(&self, strict: bool) -> bool {
        self.config.is_some() && (!strict || self.diagnostics.is_empty())
    }

    /// The diagnostics, with warnings turned into errors when `strict`.
    pub fn effective_diagnostics(&self, strict: bool) -> Vec<Diagnostic> {
        self.diagnostics
            .iter()
            .cloned()
            .map(|mut d| {
                if strict {
                    d.severity = Severity::Error;
                }
                d
            })
            .collect()
    }
}

/// Loads a config file's bytes. `name` is what diagnostics call the file; `env` resolves
/// `${VAR}` references (see [`validate::validate`]).
pub fn load_bytes(name: &str, bytes: &[u8], env: Option<EnvLookup<'_>>) -> Loaded {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let source = SourceFile::new(name, String::from_utf8_lossy(bytes).into_owned());
            let diagnostic = parse::not_utf8(bytes, e);
            // Its literal secrets are masked in `source`; register them for scrubbing too.
            let secrets = source
                .hidden()
                .iter()
                .map(|v| Secret::new(v.as_str()))
                .collect();
            return Loaded {
                source,
                config: None,
                diagnostics: vec![diagnostic],
                secrets,
            };
        }
    };
    load_str(name, text, env)
}

/// Loads config text. `name` is what diagnostics call the file.
pub fn load_str(name: &str, text: &str, env: Option<EnvLookup<'_>>) -> Loaded {
    let source = SourceFile::new(name, text);
    let validate::Validated {
        config,
        mut diagnostics,
        mut secrets,
    } = match parse::parse(text) {
        Ok(root) => validate::validate(&root, text, env),
        Err(diagnostic) => validate::Validated {
            config: None,
            diagnostics: vec![*diagnostic],
            secrets: Vec::new(),
        },
    };
    for d in &mut diagnostics {
        d.message = source.scrub(&d.message);
    }
    diagnostics.sort_by_key(|d| d.span.map(|s| (s.line, s.column)));
    secrets.extend(source.hidden().iter().map(|v| Secret::new(v.as_str())));
    Loaded {
        source,
        config,
        diagnostics,
        secrets,
    }
}

#[cfg(test)]
mod tests {
    use super::load_bytes;

    #[test]
    fn a_file_that_is_not_utf8_still_hands_its_clear_secrets_to_the_scrubber() {
        let bytes = b"version: 1\nduo:\n  skey: ClearDuoSkey12345\n  host: \xff\n";
        let loaded = load_bytes("x.yaml", bytes, None);
        assert!(loaded.config.is_none());
        let secrets: Vec<&str> = loaded.secrets.iter().map(|s| s.expose()).collect();
        assert_eq!(secrets, ["ClearDuoSkey12345"]);
    }
}
