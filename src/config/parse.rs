//! YAML text → [`RawConfig`], with serde-saphyr's errors turned into diagnostics.

use serde_saphyr::{DuplicateKeyPolicy, MessageFormatter, UserMessageFormatter};

use super::diagnostic::Diagnostic;
use super::located::Span;
use super::raw::RawConfig;
use super::suggest::closest;

/// The largest config file mfactl reads. Real files are a few kilobytes.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;

/// Parses YAML text. Structural problems (syntax, unknown or duplicate keys, wrong types) stop
/// at the first one, as a YAML parser must; everything else is left to validation.
pub fn parse(text: &str) -> Result<RawConfig, Diagnostic> {
    if text.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            format!(
                "the file is {} bytes; mfactl reads config files of at most {} bytes",
                text.len(),
                MAX_FILE_BYTES
            ),
            None,
        ));
    }
    if text.trim().is_empty() {
        return Err(Diagnostic::error("the file is empty", None)
            .with_help("start from `mfactl export` or one of the files in examples/"));
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
    serde_saphyr::from_str_with_options::<RawConfig>(text, options).map_err(|e| to_diagnostic(&e))
}

fn to_diagnostic(error: &serde_saphyr::Error) -> Diagnostic {
    let inner = error.without_snippet();
    let message = UserMessageFormatter.format_message(inner).into_owned();
    let span = error
        .location()
        .map(Span::from_location)
        .filter(|s| s.line > 0);
    explain(&message, span)
}

/// Rewrites serde's wording into what a user of this file needs: the culprit, and for a
/// misspelt key or value the right one.
fn explain(message: &str, span: Option<Span>) -> Diagnostic {
    if let Some((found, expected)) = unknown_field(message) {
        let suggestion = closest(&found, expected.iter().map(String::as_str));
        let diagnostic = Diagnostic::error(format!("unknown key `{found}`"), span)
            .with_label("not a key mfactl knows here");
        return match suggestion {
            Some(s) => diagnostic.with_help(format!("did you mean `{s}`?")),
            None => diagnostic.with_help(format!("expected one of: {}", expected.join(", "))),
        };
    }
    if let Some(key) = message
        .strip_prefix("duplicate mapping key `")
        .and_then(|r| r.split('`').next())
    {
        return Diagnostic::error(format!("duplicate key `{key}`"), span)
            .with_label("this key was already set above")
            .with_help("keep one of the two");
    }
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|r| r.split('`').next())
    {
        return Diagnostic::error(format!("missing key `{field}`"), span)
            .with_help(format!("add `{field}:`"));
    }
    if message.contains("strict mode") || message.contains("invalid boolean") {
        return Diagnostic::error(format!("{message}"), span)
            .with_help("write true or false; yes/no/on/off are not booleans here");
    }
    Diagnostic::error(message.to_string(), span)
}

/// Parses serde's "unknown field `x`, expected one of a, b" (and "expected `a` or `b`").
fn unknown_field(message: &str) -> Option<(String, Vec<String>)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (found, rest) = rest.split_once('`')?;
    let expected = rest
        .trim_start_matches(',')
        .trim()
        .trim_start_matches("expected one of")
        .trim_start_matches("expected")
        .split([',', ' '])
        .map(|s| s.trim().trim_matches('`'))
        .filter(|s| !s.is_empty() && *s != "or")
        .map(str::to_string)
        .collect();
    Some((found.to_string(), expected))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_get_a_suggestion() {
        let d = parse("version: 1\nfactors:\n  opt: true\n").unwrap_err();
        assert_eq!(d.message, "unknown key `opt`");
        assert_eq!(d.help.as_deref(), Some("did you mean `otp`?"));
        let span = d.span.unwrap();
        assert_eq!((span.line, span.column), (3, 3));
    }

    #[test]
    fn empty_and_garbage_input_are_errors() {
        assert_eq!(parse("").unwrap_err().message, "the file is empty");
        assert!(parse("\u{0}\u{1}[[[").is_err());
        assert!(parse("- 1\n- 2\n").is_err());
    }
}
