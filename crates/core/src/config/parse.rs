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
    if only_comments(text) {
        return Err(Box::new(
            Diagnostic::error("the file is empty", None)
                .with_help("start from `mfactl export` or one of the files in examples/"),
        ));
    }
    let options = serde_saphyr::options! {
        strict_booleans: true,
        reject_unsupported_tags: true,
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

/// Whether the text holds comments and blank lines only: an empty file to YAML (`null`).
pub fn only_comments(text: &str) -> bool {
    text.lines().all(|line| {
        let line = line.trim();
        line.is_empty() || line.starts_with('#')
    })
}

/// The error for bytes that are not UTF-8, at the line and column (in characters) of the
/// first invalid byte (the caller shows the text with that byte as U+FFFD in the snippet).
pub fn not_utf8(bytes: &[u8], error: std::str::Utf8Error) -> Diagnostic {
    let valid = bytes.get(..error.valid_up_to()).unwrap_or_default();
    let before = String::from_utf8_lossy(valid);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |l| l.chars().count()) + 1;
    Diagnostic::error(
        format!(
            "the file is not UTF-8 text (invalid byte at offset {})",
            error.valid_up_to()
        ),
        Some(Span::at(line, column, 1)),
    )
    .with_label("not UTF-8")
    .with_help("save the file as UTF-8")
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
    if let serde_saphyr::Error::UnsupportedTag { tag, .. } = inner {
        let span = span.map(|s| at_tag(text, s, tag));
        return Diagnostic::error(format!("unknown YAML tag `{tag}`"), span)
            .with_label("mfactl does not know this tag")
            .with_help(
                "remove the tag: mfactl reads plain values, typed by the key they are under",
            );
    }
    explain(&message, span)
}

/// The parser places a tag's error at the tagged value: `span` moved to the tag itself when it
/// stands before the value on the same line.
fn at_tag(text: &str, span: Span, tag: &str) -> Span {
    let Some(line) = text.lines().nth(span.line.saturating_sub(1)) else {
        return span;
    };
    let before: String = line.chars().take(span.column.saturating_sub(1)).collect();
    match before.rfind(tag) {
        Some(byte) => Span::at(
            span.line,
            before[..byte].chars().count() + 1,
            tag.chars().count(),
        ),
        None => span,
    }
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
    if message.contains("mapping key must be plain text") {
        return Diagnostic::error("a mapping key must be a plain text value", span)
            .with_label("a list or mapping used as a key")
            .with_help("write `key: value` with a name as the key; `?` introduces a complex key");
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
        // A list is YAML, so it parses; loading it is the error (validation checks shapes).
        assert!(parse("- 1\n- 2\n").is_ok());
        let loaded = crate::config::load_str("list.yaml", "- 1\n- 2\n", None);
        assert!(loaded.config.is_none());
        assert_eq!(
            loaded.diagnostics[0].message,
            "the file's top level must be a mapping of `key: value` lines"
        );
    }

    fn located(result: Result<Node, Box<Diagnostic>>) -> String {
        let d = result.unwrap_err();
        let span = d.span.unwrap_or_default();
        format!("{}:{} {}", span.line, span.column, d.message)
    }

    #[test]
    fn yaml_problems_are_reported_at_their_place() {
        insta::assert_snapshot!(
            located(parse("version: 1\nfactors:\n  ? [a, b]\n  : true\n")),
            @"3:5 a mapping key must be a plain text value"
        );
        insta::assert_snapshot!(
            located(parse("version: 1\n? [a, b]\n: 1\n")),
            @"2:3 a mapping key must be a plain text value"
        );
        insta::assert_snapshot!(
            located(parse("version: 1\nfactors:\n  otp: !custom true\n")),
            @"3:8 unknown YAML tag `!custom`"
        );
        // YAML's own tags are fine.
        assert!(parse("version: 1\nfactors:\n  otp: !!bool true\n").is_ok());
    }

    #[test]
    fn a_file_of_comments_only_is_empty() {
        let d = parse("# MFA settings\n\n   # to be written\n").unwrap_err();
        assert_eq!(d.message, "the file is empty");
        assert!(parse("# comment\nversion: 1\n").is_ok());
    }

    #[test]
    fn bytes_that_are_not_utf8_are_located() {
        let bytes = [
            b"version: 1\nfactors:\n  o".as_slice(),
            &[0xff],
            b"tp: true\n",
        ]
        .concat();
        let error = std::str::from_utf8(&bytes).unwrap_err();
        let d = not_utf8(&bytes, error);
        let span = d.span.unwrap();
        assert_eq!((span.line, span.column), (3, 4));
        assert_eq!(
            d.message,
            "the file is not UTF-8 text (invalid byte at offset 23)"
        );
    }
}
