//! Scrubbing secret values out of every text mfactl prints or saves, however they got there.
//!
//! mfactl redacts the secrets it formats itself, but the API can quote them back: a payload
//! validation error repeats the body it refused, a token endpoint may repeat the request, a
//! proxy may echo a header into a page. So every secret value is registered here as soon as it
//! is known (the config file's secret values when it loads, the credentials from the
//! environment when a command connects, each access token when it is issued, secrets read from
//! the tenant), and every output of a command goes through [`scrub`]: stdout and stderr lines
//! ([`print`], [`eprint`]), saved files ([`write_file`]) and logs ([`LogWriter`]).
//!
//! The registry is process-wide because outputs happen far from where secrets are learnt; pure
//! code never prints, so it never needs it.

use std::collections::HashSet;
use std::io::Write;
use std::sync::RwLock;

use mfactl_core::secret::{REDACTED, Secret};

/// Values shorter than this are not scrubbed: they would match ordinary words and numbers in
/// the output, and no real credential (token, key, client secret) is that short.
pub const MIN_SCRUBBED_LEN: usize = 6;

/// The registered values: a set for registering many (a bulk import registers each TOTP
/// secret it reads), and the same values longest first for scrubbing, sorted when next needed.
struct Registry {
    known: Option<HashSet<String>>,
    ordered: Vec<String>,
    sorted: bool,
}

static SECRETS: RwLock<Registry> = RwLock::new(Registry {
    known: None,
    ordered: Vec::new(),
    sorted: true,
});

/// Registers a secret value: from now on no output shows it.
pub fn register(value: &str) {
    let value = value.trim();
    if value.chars().count() < MIN_SCRUBBED_LEN {
        return;
    }
    let Ok(mut registry) = SECRETS.write() else {
        return;
    };
    for form in forms(value) {
        if registry
            .known
            .get_or_insert_with(HashSet::new)
            .insert(form.clone())
        {
            registry.ordered.push(form);
            registry.sorted = false;
        }
    }
}

/// Registers every secret of a list.
pub fn register_all<'a>(secrets: impl IntoIterator<Item = &'a Secret>) {
    for secret in secrets {
        register(secret.expose());
    }
}

/// The ways a value can appear in text: as is, and escaped inside a JSON string (a body quoted
/// back without being parsed).
fn forms(value: &str) -> Vec<String> {
    let mut forms = vec![value.to_string()];
    if let Ok(json) = serde_json::to_string(value) {
        let escaped = json.trim_matches('"').to_string();
        if escaped != value {
            forms.push(escaped);
        }
    }
    forms
}

/// `text` with every registered secret replaced by [`REDACTED`].
pub fn scrub(text: &str) -> String {
    let needs_sort = SECRETS.read().map(|r| !r.sorted).unwrap_or(false);
    if needs_sort && let Ok(mut registry) = SECRETS.write() {
        // Longest first, so a secret that contains another is replaced whole.
        registry.ordered.sort_by_key(|s| std::cmp::Reverse(s.len()));
        registry.sorted = true;
    }
    let Ok(registry) = SECRETS.read() else {
        return text.to_string();
    };
    scrub_with(text, &registry.ordered)
}

/// `text` with every value of `secrets` (longest first) replaced by [`REDACTED`].
pub fn scrub_with(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_string();
    for secret in secrets {
        if out.contains(secret.as_str()) {
            out = out.replace(secret.as_str(), REDACTED);
        }
    }
    out
}

/// Writes `text`, scrubbed, to stdout. A failed write is not lost: [`crate::stdout`] keeps it,
/// and the command ends with exit 1 and the reason.
pub fn print(text: &str) {
    let _ = try_print(text);
}

/// [`print`], for a caller that must react at once when `text` did not reach stdout.
pub fn try_print(text: &str) -> std::io::Result<()> {
    crate::stdout::write_all(scrub(text).as_bytes())
}

/// Writes `text`, scrubbed, to stderr.
pub fn eprint(text: &str) {
    let _ = std::io::stderr().write_all(scrub(text).as_bytes());
}

/// Writes `text`, scrubbed, to a file.
pub fn write_file(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, scrub(text))
}

/// A log sink: collects one log event and writes it, scrubbed, to stderr when dropped (the
/// `fmt` subscriber makes one writer per event).
#[derive(Debug, Default)]
pub struct LogWriter {
    event: Vec<u8>,
}

impl Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.event.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for LogWriter {
    fn drop(&mut self) {
        if !self.event.is_empty() {
            eprint(&String::from_utf8_lossy(&self.event));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_of_a_secret_is_replaced_and_short_values_are_left_alone() {
        let secrets: Vec<String> = ["tok\"en-123456", "abc"]
            .iter()
            .flat_map(|s| forms(s))
            .filter(|s| s.chars().count() >= MIN_SCRUBBED_LEN)
            .collect();
        let text = r#"refused tok"en-123456 and {"t":"tok\"en-123456"} for abc"#;
        assert_eq!(
            scrub_with(text, &secrets),
            r#"refused (sensitive value) and {"t":"(sensitive value)"} for abc"#
        );
    }

    #[test]
    fn registered_secrets_are_scrubbed_from_every_output() {
        register("registered-secret-42");
        register("x");
        assert_eq!(
            scrub("the API said: registered-secret-42 is invalid (x)"),
            "the API said: (sensitive value) is invalid (x)"
        );
    }
}
