//! YAML text → [`RawConfig`], with serde-saphyr's errors turned into diagnostics.

use serde_saphyr::{DuplicateKeyPolicy, MessageFormatter, UserMessageFormatter};

use super::diagnostic::Diagnostic;
use super::located::Span;
use super::node::Node;

/// The largest config file mfactl reads. Real files are a few kilobytes.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;

/// Parses YAML text into a tree of located nodes. Syntax problems, duplicate keys and files too
/// large or too deeply nested stop at the first one, as a YAML parser must; everything else
/// (unknown keys, wrong types, bad values) is left to validation, which reports all of them.
pub fn parse(text: &str) -> Result<Node, Box<Diagnostic>> {
    if text.len() > MAX_FILE_BYTES {
        return Err(Box::new(Diagnostic::error(
            format!(
                "the file is {} bytes; mfactl reads config files of at most {} bytes",
                text.len(),
                MAX_FILE_BYTES
            ),
            None,
        )));
    }
    if text.trim().is_empty() {
        return Err(Box::new(
            Diagnostic::error("the file is empty", None)
                .with_help("start from `mfactl export` or one of the files in examples/"),
        ));
    }
    let options = serde_saphyr::options! {
        strict_booleans: true,
        duplicate_keys: DuplicateKeyPolicy::Error,
        budget: serde_saphyr::budget! {
            max_events: 100_000,
            max_aliases: 1_000,
            max_anchors: 1_000,
            max_depth: 32,
            max_documents: 1,
            max_nodes: 50_000,
            max_total_scalar_bytes: MAX_FILE_BYTES,
            max_recorded_anchor_events: 10_000,
            max_recorded_anchor_bytes: MAX_FILE_BYTES,
        },
    };
    serde_saphyr::from_str_with_options::<Node>(text, options)
        .map_err(|e| Box::new(to_diagnostic(&e, text)))
}

fn to_diagnostic(error: &serde_saphyr::Error, _text: &str) -> Diagnostic {
    let inner = error.without_snippet();
    let message = UserMessageFormatter.format_message(inner).into_owned();
    let span = error
        .location()
        .map(Span::from_location)
        .filter(|s| s.line > 0);
    explain(&message, span)
}

/// Rewrites the parser's wording into what a user of this file needs.
fn explain(message: &str, span: Option<Span>) -> Diagnostic {
    if message.contains("limits breached: Documents") {
        return Diagnostic::error("the file holds more than one YAML document", span)
            .with_label("a second document starts here")
            .with_help(
                "mfactl reads one document per file: remove the `---` line and what follows",
            );
    }
    if message.contains("too large or too complex") {
        return Diagnostic::error(
            format!("the file is too large or too deeply nested for a config file ({message})"),
            span,
        );
    }
    if message.contains("illegal placement of ':'") || message.contains("did not find expected") {
        return Diagnostic::error(format!("YAML syntax error: {message}"), span).with_help(
            "check the lines above for an unclosed `[`, `{` or quote, or a wrong indentation",
        );
    }
    if let Some(key) = message
        .strip_prefix("duplicate mapping key `")
        .and_then(|r| r.split('`').next())
    {
        return Diagnostic::error(format!("duplicate key `{key}`"), span)
            .with_label("this key was already set above")
            .with_help("keep one of the two");
    }
    Diagnostic::error(message.to_string(), span)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_keep_their_places_and_plain_scalar_text() {
        let text = "version: 1\nphone:\n  twilio: { from: +15550001111 }\n";
        let root = parse(text).unwrap();
        let from = root
            .get("phone")
            .unwrap()
            .get("twilio")
            .unwrap()
            .get("from")
            .unwrap();
        assert_eq!((from.span.line, from.span.column), (3, 19));
        assert_eq!(from.scalar_text(text).as_deref(), Some("+15550001111"));
    }

    #[test]
    fn empty_and_garbage_input_are_errors() {
        assert_eq!(parse("").unwrap_err().message, "the file is empty");
        assert!(parse("\u{0}\u{1}[[[").is_err());
        // A list is YAML, so it parses; loading it is the error (validation checks shapes).
        assert!(parse("- 1\n- 2\n").is_ok());
        let loaded = crate::config::load_str("list.yaml", "- 1\n- 2\n", None);
        assert!(loaded.config.is_none());
        assert_eq!(
            loaded.diagnostics[0].message,
            "the file's top level must be a mapping of `key: value` lines"
        );
    }
}
