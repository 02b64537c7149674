//! Problems found in a config file, each with its place, rendered like a compiler's.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

use super::located::Span;
use super::source::SourceFile;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// One problem. `message` says what is wrong and names the culprit; `label` is the short text
/// under the caret; `help` says what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    #[serde(skip)]
    pub span: Option<Span>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>, span: Option<Span>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            span,
            label: None,
            help: None,
        }
    }

    pub fn warning(message: impl Into<String>, span: Option<Span>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message, span)
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders the diagnostic with a snippet of the file (secrets masked).
    pub fn render(&self, source: &SourceFile, color: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = level.primary_title(self.message.as_str());
        let mut group = match self.span {
            Some(span) if span.line > 0 => {
                let range = source.byte_range(span);
                let mut annotation = AnnotationKind::Primary.span(range);
                if let Some(label) = &self.label {
                    annotation = annotation.label(label.as_str());
                }
                title.element(
                    Snippet::source(source.shown.as_str())
                        .path(source.name.as_str())
                        .fold(true)
                        .annotation(annotation),
                )
            }
            _ => title.element(annotate_snippets::Origin::path(source.name.as_str())),
        };
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        let report: [Group<'_>; 1] = [group];
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        renderer.render(&report)
    }

    /// `file:line:col` of the culprit, or the file alone.
    pub fn position(&self, source: &SourceFile) -> String {
        match self.span {
            Some(span) if span.line > 0 => format!("{}:{}:{}", source.name, span.line, span.column),
            _ => source.name.clone(),
        }
    }
}

/// Every diagnostic of one file, rendered one after another, then a count.
pub fn render_all(diagnostics: &[Diagnostic], source: &SourceFile, color: bool) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        out.push_str(&diagnostic.render(source, color));
        out.push_str("\n\n");
    }
    out.push_str(&summary(diagnostics, source));
    out.push('\n');
    out
}

/// `examples/x.yaml: 2 errors, 1 warning` or `examples/x.yaml: valid`.
pub fn summary(diagnostics: &[Diagnostic], source: &SourceFile) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    match (errors, warnings) {
        (0, 0) => format!("{}: valid", source.name),
        (0, w) => format!("{}: valid, {}", source.name, plural(w, "warning")),
        (e, 0) => format!("{}: {}", source.name, plural(e, "error")),
        (e, w) => format!(
            "{}: {}, {}",
            source.name,
            plural(e, "error"),
            plural(w, "warning")
        ),
    }
}

/// A diagnostic as JSON, for `validate --format json`.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    pub file: &'a str,
    pub line: Option<usize>,
    pub column: Option<usize>,
    #[serde(flatten)]
    pub diagnostic: &'a Diagnostic,
}

impl<'a> JsonDiagnostic<'a> {
    pub fn new(diagnostic: &'a Diagnostic, source: &'a SourceFile) -> Self {
        let span = diagnostic.span.filter(|s| s.line > 0);
        JsonDiagnostic {
            file: &source.name,
            line: span.map(|s| s.line),
            column: span.map(|s| s.column),
            diagnostic,
        }
    }
}
