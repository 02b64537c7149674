//! The diagnostics a checker of a YAML file reports, shared by the config file's checker and the
//! tenants file's: each says what is wrong at a span, with a label and the fix.

use super::diagnostic::Diagnostic;
use super::located::{Located, Span};
use super::suggest::closest;

/// A checker that collects [`Diagnostic`]s; the reporting methods come with it.
pub(crate) trait Report {
    /// Where the diagnostics go.
    fn diagnostics(&mut self) -> &mut Vec<Diagnostic>;

    /// Adds `diagnostic`; returns it to set its label and help.
    fn push(&mut self, diagnostic: Diagnostic) -> &mut Diagnostic {
        let diagnostics = self.diagnostics();
        diagnostics.push(diagnostic);
        let index = diagnostics.len() - 1;
        &mut diagnostics[index]
    }

    fn error(&mut self, message: impl Into<String>, span: Span) -> &mut Diagnostic {
        self.push(Diagnostic::error(message, Some(span)))
    }

    fn warning(&mut self, message: impl Into<String>, span: Span) -> &mut Diagnostic {
        self.push(Diagnostic::warning(message, Some(span)))
    }

    /// "`subject` must be …", for a value of the wrong shape.
    fn wrong_type(&mut self, subject: &str, span: Span, (kind, help): (&str, &str)) {
        let d = self.error(format!("{subject} must be {kind}"), span);
        d.label = Some(format!("expected {kind}"));
        d.help = Some(help.to_string());
    }

    /// A key the place does not have, with the closest one it has.
    fn unknown_key(&mut self, key: &Located<String>, known: &[&str]) {
        let suggestion = closest(&key.value, known.iter().copied());
        let d = self.error(format!("unknown key `{}`", key.value), key.span);
        d.label = Some("not a key mfactl knows here".into());
        d.help = Some(match suggestion {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("expected one of: {}", known.join(", ")),
        });
    }
}
