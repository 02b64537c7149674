//! The config file's text, with secrets written in clear masked for display, and phone numbers
//! and email addresses masked too.

use super::located::Span;

use crate::secret::{MIN_MATCHED_LEN, secret_keys};
use crate::users::masking::{
    PERSONAL_DATA_KEYS, looks_like_email, looks_like_phone, mask_personal_same_length,
};

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
    /// that does not parse). Phone numbers and email addresses are masked the same way, also
    /// character for character ([`mask_personal_same_length`]): the values of `phone_number`
    /// and `email` keys, and any word that is one. Only this is ever shown.
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
        let (shown, hidden) = mask_values_of(&text, &keys, stars);
        let (mut shown, _) = mask_values_of(&shown, PERSONAL_DATA_KEYS, personal);
        shown = mask_personal_words(&shown);
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
    mask_values_of(text, &keys, stars)
}

/// A personal value masked in place: quotes, booleans (`email: true` is a factor) and
/// `${VAR}` references stay.
fn personal(value: &str) -> String {
    let trimmed = value.trim();
    let inner = trimmed.trim_matches(['"', '\'']);
    if inner.is_empty() || matches!(inner, "true" | "false") || inner.starts_with("${") {
        return value.to_string();
    }
    value.replacen(inner, &mask_personal_same_length(inner), 1)
}

/// Every whitespace-separated word that is a phone number or an email address (a `name`, a
/// comment), masked in place; quotes and punctuation around it stay.
fn mask_personal_words(text: &str) -> String {
    let punctuation = |c: char| "'\"`,;:()[]{}<>!?".contains(c);
    let mut out = String::with_capacity(text.len());
    for piece in text.split_inclusive(char::is_whitespace) {
        let word = piece.trim_end_matches(char::is_whitespace);
        let core = word
            .trim_start_matches(punctuation)
            .trim_end_matches(|c: char| punctuation(c) || c == '.');
        if !core.is_empty() && (looks_like_email(core) || looks_like_phone(core)) {
            out.push_str(&piece.replacen(core, &mask_personal_same_length(core), 1));
        } else {
            out.push_str(piece);
        }
    }
    out
}

/// [`mask_secret_values`] for the values of `keys`, each replaced by `mask`.
fn mask_values_of(text: &str, keys: &[&str], mask: fn(&str) -> String) -> (String, Vec<String>) {
    let mut out = String::with_capacity(text.len());
    let mut hidden = Vec::new();
    let mut block_indent: Option<usize> = None;
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let blank = line.trim().is_empty();
        if let Some(parent) = block_indent {
            if blank || indent > parent {
                hide(&mut hidden, line);
                out.push_str(&stars(line));
                continue;
            }
            block_indent = None;
        }
        let (masked, opens_block) = mask_line(line, keys, &mut hidden, mask);
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

/// Masks secret values on one line; says whether a secret block scalar starts here.
fn mask_line(
    line: &str,
    keys: &[&str],
    hidden: &mut Vec<String>,
    mask: fn(&str) -> String,
) -> (String, bool) {
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
            let replaced = mask(value);
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
    fn phone_numbers_and_emails_are_masked_in_place() {
        let text = "factors: {email: true}\nusers:\n  u:\n    methods:\n      - { type: phone, phone_number: \"+1 (555) 123-4567\", name: jane.roe@example.com }\n      - { type: email, email: john.smith@corp }\n      - { type: phone, phone_number: \"${PHONE}\" }\n# call +15551234567\n";
        let file = SourceFile::new("x.yaml", text);
        for leak in ["555) 123", "jane.roe", "john.smith", "15551234567"] {
            assert!(!file.shown.contains(leak), "{leak} in {}", file.shown);
        }
        assert!(file.shown.contains("{email: true}"), "{}", file.shown);
        assert!(file.shown.contains("\"${PHONE}\""), "{}", file.shown);
        assert!(file.shown.contains("XXXXXXXXXXXXX4567"), "{}", file.shown);
        assert!(
            file.shown.contains("jane****@exam*******"),
            "{}",
            file.shown
        );
        let lines = |t: &str| t.lines().map(|l| l.chars().count()).collect::<Vec<_>>();
        assert_eq!(lines(&file.shown), lines(text));
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
