//! The config file's text, with secrets written in clear masked for display.

use super::located::Span;

use crate::secret::{MIN_MATCHED_LEN, secret_keys};

/// A loaded config file.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The name shown in diagnostics (the path as given).
    pub name: String,
    /// The text, as read.
    pub text: String,
    /// The text with every literal secret value replaced by `*`, character for character the
    /// same length on each line, so that spans still point at the right place: where a secret
    /// key gives it, and wherever the same text appears again (another key, a comment, a line
    /// that does not parse). Only this is ever shown.
    pub shown: String,
    /// The literal secret values that were masked, to scrub from any message text.
    hidden: Vec<String>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self::with_secret_keys(name, text, secret_keys())
    }

    /// A file whose secrets sit under other keys than the config file's (the tenants file's
    /// `client_secret`, `api_token` and the variables the config uses as secrets): the values
    /// of these keys are masked instead.
    pub fn with_secret_keys<'k>(
        name: impl Into<String>,
        text: impl Into<String>,
        keys: impl IntoIterator<Item = &'k str>,
    ) -> Self {
        let text = text.into();
        let keys: Vec<&str> = keys.into_iter().collect();
        let (mut shown, hidden) = mask_values_of(&text, &keys);
        for value in hidden
            .iter()
            .filter(|v| v.chars().count() >= MIN_MATCHED_LEN)
        {
            if shown.contains(value.as_str()) {
                shown = shown.replace(value.as_str(), &stars(value));
            }
        }
        SourceFile {
            name: name.into(),
            text,
            shown,
            hidden,
        }
    }

    /// The literal secret values the file holds (masked in [`SourceFile::shown`]).
    pub fn hidden(&self) -> &[String] {
        &self.hidden
    }

    /// `message` with every literal secret value of the file replaced by `***`.
    pub fn scrub(&self, message: &str) -> String {
        let mut out = message.to_string();
        for value in &self.hidden {
            out = out.replace(value.as_str(), "***");
        }
        out
    }

    /// The byte range of `span` in the text, clamped to the text and to the span's line.
    pub fn byte_range(&self, span: Span) -> std::ops::Range<usize> {
        let text = self.shown.as_str();
        let mut line_start = 0usize;
        for _ in 1..span.line.max(1) {
            match text[line_start..].find('\n') {
                Some(i) => line_start += i + 1,
                None => return text.len()..text.len(),
            }
        }
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        let line = &text[line_start..line_end];
        let char_start = span.column.saturating_sub(1);
        let start = line
            .char_indices()
            .nth(char_start)
            .map_or(line_end, |(i, _)| line_start + i);
        let end = text[start..line_end]
            .char_indices()
            .nth(span.len)
            .map_or(line_end, |(i, _)| start + i);
        start..end.max(start)
    }
}

/// Replaces the literal values of secret keys with `*`. `${VAR}` references stay visible: they
/// are names, not values. Block scalars (`p12: |`) mask their indented continuation lines too.
/// Returns the masked text and the values it hid.
pub fn mask_secret_values(text: &str) -> (String, Vec<String>) {
    let keys: Vec<&str> = secret_keys().collect();
    mask_values_of(text, &keys)
}

/// [`mask_secret_values`] for the values of `keys`.
fn mask_values_of(text: &str, keys: &[&str]) -> (String, Vec<String>) {
    let mut out = String::with_capacity(text.len());
    let mut hidden = Vec::new();
    let mut block_indent: Option<usize> = None;
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let blank = line.trim().is_empty();
        if let Some(parent) = block_indent {
            if blank || indent > parent {
                hide(&mut hidden, line);
                out.push_str(&mask_all(line));
                continue;
            }
            block_indent = None;
        }
        let (masked, opens_block) = mask_line(line, keys, &mut hidden);
        if opens_block {
            block_indent = Some(indent);
        }
        out.push_str(&masked);
    }
    (out, hidden)
}

fn hide(hidden: &mut Vec<String>, value: &str) {
    let value = value.trim().trim_matches(['"', '\'']);
    if value.len() >= 3 {
        hidden.push(value.to_string());
    }
}

/// `text` with every character but whitespace replaced by `*`.
fn stars(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_whitespace() { c } else { '*' })
        .collect()
}

fn mask_all(line: &str) -> String {
    stars(line)
}

/// Masks secret values on one line; says whether a secret block scalar starts here.
fn mask_line(line: &str, keys: &[&str], hidden: &mut Vec<String>) -> (String, bool) {
    let mut masked = line.to_string();
    let mut opens_block = false;
    for key in keys.iter().copied() {
        let mut search_from = 0;
        while let Some(found) = masked[search_from..].find(key) {
            let key_start = search_from + found;
            let key_end = key_start + key.len();
            search_from = key_end;
            let before_ok = masked[..key_start]
                .chars()
                .next_back()
                .is_none_or(|c| c.is_whitespace() || matches!(c, '{' | ',' | '"' | '\'' | '-'));
            let rest = &masked[key_end..];
            let rest = rest.trim_start_matches(['"', '\'']);
            if !before_ok || !rest.starts_with(':') {
                continue;
            }
            let value_start = masked.len() - rest.len() + 1;
            let tail = &masked[value_start..];
            let in_flow = masked[..key_start].contains('{');
            let value_end = if in_flow {
                tail.find([',', '}'])
                    .map_or(masked.len(), |i| value_start + i)
            } else {
                tail.find(" #").map_or(masked.len(), |i| value_start + i)
            };
            let value = &masked[value_start..value_end];
            let trimmed = value.trim();
            if trimmed.starts_with('|') || trimmed.starts_with('>') {
                opens_block = true;
                continue;
            }
            if trimmed.trim_matches(['"', '\'']).starts_with("${") {
                continue;
            }
            hide(hidden, value);
            let replaced = stars(value);
            masked.replace_range(value_start..value_end, &replaced);
        }
    }
    (masked, opens_block)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_literal_secrets_but_not_references() {
        let text = "duo:\n  skey: hunter2\n  ikey: DI1\ntwilio: { auth_token: tok123, sid: AC1 }\nsns:\n  aws_secret_access_key: ${AWS}\n";
        let (shown, hidden) = mask_secret_values(text);
        assert_eq!(hidden, ["hunter2", "tok123"]);
        assert!(!shown.contains("hunter2"));
        assert!(!shown.contains("tok123"));
        assert!(shown.contains("ikey: DI1"));
        assert!(shown.contains("sid: AC1"));
        assert!(shown.contains("${AWS}"));
        assert_eq!(shown.len(), text.len());
    }

    #[test]
    fn a_literal_secret_is_masked_wherever_its_text_appears() {
        let text = "duo:\n  skey: ClearDuoSkey12345\n  hots: ClearDuoSkey12345 # ClearDuoSkey12345\ntwilio: {auth_token: ClearTok3n, extra: ClearTok3n}\nbad: \"ClearTok3n\n";
        let file = SourceFile::new("x.yaml", text);
        assert!(!file.shown.contains("ClearDuoSkey12345"), "{}", file.shown);
        assert!(!file.shown.contains("ClearTok3n"), "{}", file.shown);
        assert!(
            file.shown
                .contains("  hots: ***************** # *****************\n")
        );
        assert_eq!(file.shown.chars().count(), text.chars().count());
    }

    #[test]
    fn masks_block_scalars() {
        let text = "apns:\n  p12: |\n    c2VjcmV0\n    bW9yZQ==\n  bundle_id: com.acme\n";
        let (shown, _) = mask_secret_values(text);
        assert!(!shown.contains("c2VjcmV0"));
        assert!(!shown.contains("bW9yZQ=="));
        assert!(shown.contains("bundle_id: com.acme"));
    }

    #[test]
    fn byte_range_follows_lines_and_columns() {
        let file = SourceFile::new("x.yaml", "a: 1\nbé: xyz\n");
        let range = file.byte_range(Span::at(2, 5, 3));
        assert_eq!(&file.text[range], "xyz");
        let past = file.byte_range(Span::at(9, 1, 1));
        assert_eq!(past, file.text.len()..file.text.len());
    }
}
