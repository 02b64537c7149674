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
    serde_saphyr::from_str_with_options::<RawConfig>(text, options)
        .map_err(|e| to_diagnostic(&e, text))
}

fn to_diagnostic(error: &serde_saphyr::Error, text: &str) -> Diagnostic {
    let inner = error.without_snippet();
    let message = UserMessageFormatter.format_message(inner).into_owned();
    let span = error
        .location()
        .map(Span::from_location)
        .filter(|s| s.line > 0);
    if let Some(reference) = span.and_then(|s| unquoted_reference_in_flow(text, s)) {
        return reference.diagnostic(span);
    }
    let key = span.and_then(|s| key_before(text, s));
    explain(&message, span, key.as_deref())
}

/// A `${VAR}` reference written without quotes inside a `{ … }` or `[ … ]` collection, where
/// its braces end the value early: `skey: ${DUO_SECRET_KEY}` in `duo: { …, skey: ${…} }`.
#[derive(Debug, PartialEq, Eq)]
struct UnquotedReference {
    /// The key before the reference, when there is one (`skey`).
    key: Option<String>,
    /// The reference as written (`${DUO_SECRET_KEY}`).
    reference: String,
}

impl UnquotedReference {
    fn diagnostic(&self, span: Option<Span>) -> Diagnostic {
        let written = match &self.key {
            Some(key) => format!("{key}: {}", self.reference),
            None => self.reference.clone(),
        };
        let quoted = match &self.key {
            Some(key) => format!("{key}: \"{}\"", self.reference),
            None => format!("\"{}\"", self.reference),
        };
        Diagnostic::error(
            format!("`{written}` needs quotes inside `{{ … }}` or `[ … ]`"),
            span,
        )
        .with_label("the `{` of the reference ends the value here")
        .with_help(format!(
            "quote the value: `{quoted}` (or write the section one key per line, where no quotes are needed)"
        ))
    }
}

/// Looks for an unquoted `${` on the error's line (or the line above, for a collection spread
/// over lines) that sits inside a flow collection opened earlier on that line.
fn unquoted_reference_in_flow(text: &str, span: Span) -> Option<UnquotedReference> {
    let lines: Vec<&str> = text.lines().collect();
    let index = span.line.checked_sub(1)?;
    std::iter::once(index)
        .chain(index.checked_sub(1))
        .filter_map(|index| lines.get(index))
        .find_map(|line| reference_on_line(line))
}

fn reference_on_line(line: &str) -> Option<UnquotedReference> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut token_start = 0usize;
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '#') if line[..i].ends_with(' ') => return None,
            (None, '$') if depth > 0 && line[i..].starts_with("${") => {
                let end = line[i..].find('}').map_or(line.len(), |e| i + e + 1);
                let before = line[token_start..i].trim();
                let key = before
                    .strip_suffix(':')
                    .map(|k| k.trim().trim_matches(['"', '\'']).to_string())
                    .filter(|k| !k.is_empty());
                return Some(UnquotedReference {
                    key,
                    reference: line[i..end].to_string(),
                });
            }
            (None, '{' | '[') => {
                depth += 1;
                token_start = i + 1;
            }
            (None, '}' | ']') => depth = depth.saturating_sub(1),
            (None, ',') => token_start = i + 1,
            _ => {}
        }
    }
    None
}

/// The mapping key whose value starts at `span`: `key` in `key: value` on the same line, or
/// on the line above when the value starts its own line.
fn key_before(text: &str, span: Span) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let line = lines.get(span.line.checked_sub(1)?)?;
    let before: String = line.chars().take(span.column.saturating_sub(1)).collect();
    let candidate = if before.trim().is_empty() || before.trim() == "-" {
        lines.get(span.line.checked_sub(2)?)?.to_string()
    } else {
        before
    };
    let head = candidate.trim_end().strip_suffix(':')?;
    let key = head
        .rsplit(['{', ',', ' '])
        .next()?
        .trim_matches(['"', '\'', '-', ' ']);
    (!key.is_empty()).then(|| key.to_string())
}

/// Rewrites serde's wording into what a user of this file needs: the culprit, and for a
/// misspelt key or value the right one.
fn explain(message: &str, span: Option<Span>, key: Option<&str>) -> Diagnostic {
    let subject = key.map_or_else(|| "the file's top level".to_string(), |k| format!("`{k}`"));
    let expected = match message {
        "expected mapping start" => Some((
            "a mapping of `key: value` lines",
            "write `key: value` pairs, one per line, indented under it",
        )),
        "expected sequence start" => Some(("a list", "write it as `[a, b]` or as `- a` lines")),
        "expected string scalar" => Some((
            "a single text value",
            "quote it if it holds special characters",
        )),
        _ => None,
    };
    if let Some((kind, help)) = expected {
        return Diagnostic::error(format!("{subject} must be {kind}"), span)
            .with_label(format!("expected {kind}"))
            .with_help(help);
    }
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
        return Diagnostic::error(message.to_string(), span)
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
    fn an_unquoted_reference_in_a_flow_mapping_says_to_quote_it() {
        let text = "version: 1\nduo: { ikey: DI1, skey: ${DUO_SECRET_KEY}, host: h.example }\n";
        let d = parse(text).unwrap_err();
        assert_eq!(
            d.message,
            "`skey: ${DUO_SECRET_KEY}` needs quotes inside `{ … }` or `[ … ]`"
        );
        let help = d.help.unwrap_or_default();
        assert!(help.contains("`skey: \"${DUO_SECRET_KEY}\"`"), "{help}");
        assert_eq!(d.span.map(|s| s.line), Some(2));
        // Quoted, or outside a flow collection, the reference parses.
        assert!(parse("version: 1\nduo: { ikey: DI1, skey: \"${K}\", host: h }\n").is_ok());
        assert!(parse("version: 1\nduo:\n  skey: ${K}\n").is_ok());
        // In a flow sequence there is no key to name.
        let list = reference_on_line("policies: [${POLICY}]").unwrap();
        assert_eq!(list.key, None);
        assert_eq!(list.reference, "${POLICY}");
        assert_eq!(reference_on_line("skey: ${K} # { not a collection"), None);
        assert_eq!(reference_on_line("x: { a: \"${K}\" }"), None);
    }

    #[test]
    fn empty_and_garbage_input_are_errors() {
        assert_eq!(parse("").unwrap_err().message, "the file is empty");
        assert!(parse("\u{0}\u{1}[[[").is_err());
        assert!(parse("- 1\n- 2\n").is_err());
    }
}
