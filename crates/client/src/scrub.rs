//! Scrubbing secret values out of every text mfactl prints or saves, however they got there.
//!
//! mfactl redacts the secrets it formats itself, but the API can quote them back: a payload
//! validation error repeats the body it refused, a token endpoint may repeat the request, a
//! proxy may echo a header into a page. So every secret value is registered here as soon as it
//! is known (the config and tenants files' secret values when they load, valid or not; the
//! credentials from the environment when a command connects; each access token when it is
//! issued; the secret fields of every API body as it arrives), and every output of a command
//! goes through [`scrub`]: stdout and stderr lines ([`print`], [`eprint`]), saved and appended
//! files ([`write_file`], the job summary) and logs ([`LogWriter`], held back by [`LogHold`]
//! while a live read's answers may still reveal secrets). A value is matched as is,
//! JSON-escaped, and in any letter case (a domain name built from it is lower-cased).
//!
//! The registry is process-wide because outputs happen far from where secrets are learnt; pure
//! code never prints, so it never needs it.

use std::collections::HashSet;
use std::io::Write;
use std::sync::{Mutex, RwLock};

use aho_corasick::{AhoCorasick, MatchKind};
use serde_json::Value;

use mfactl_core::secret::{REDACTED, Secret, secret_keys};

/// Values shorter than this are not scrubbed: they would match ordinary words and numbers in
/// the output, and no real credential (token, key, client secret) is that short.
pub use mfactl_core::secret::MIN_MATCHED_LEN as MIN_SCRUBBED_LEN;

/// The values registered for good, in every form they may take (see [`forms`]), and the
/// matcher built from them when next needed (so several registrations in a row cost one
/// build).
struct Registry {
    /// The forms, lower-cased (ASCII), so a form differing only in case is kept once.
    known: Option<HashSet<String>>,
    forms: Vec<String>,
    /// `None` when a value was registered since it was built.
    matcher: Option<AhoCorasick>,
}

static SECRETS: RwLock<Registry> = RwLock::new(Registry {
    known: None,
    forms: Vec::new(),
    matcher: None,
});

/// Registers a secret value: from now on no output shows it, in any letter case.
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
            .insert(form.to_ascii_lowercase())
        {
            registry.forms.push(form);
            registry.matcher = None;
        }
    }
}

/// Secrets registered for a while only: each value with how many [`InFlight`] guards hold it,
/// and the matcher of their forms, built when next needed. A bulk import holds each row's
/// secret while the row is in flight, so this stays as small as the rows in flight, and the
/// process-wide matcher is never rebuilt for them.
struct Passing {
    values: Vec<(String, usize)>,
    /// `None` when the values changed since it was built.
    matcher: Option<AhoCorasick>,
}

static PASSING: Mutex<Passing> = Mutex::new(Passing {
    values: Vec::new(),
    matcher: None,
});

/// A secret registered while this guard lives ([`register_in_flight`]); dropping it forgets the
/// secret (unless another guard holds it too).
#[must_use = "the secret is scrubbed only while the guard lives"]
pub struct InFlight(Option<String>);

/// Registers a secret until the returned guard is dropped: every output written meanwhile is
/// scrubbed of it, in every form, as [`register`] does for good. For a secret whose use ends
/// (an imported row's TOTP secret, once its outcome is written): memory and matching time stay
/// those of the secrets in use. Log events held back by a [`LogHold`] are scrubbed when written,
/// so a secret in flight must not outlive its guard in a held event (a bulk import takes no
/// hold).
pub fn register_in_flight(value: &str) -> InFlight {
    let value = value.trim();
    if value.chars().count() < MIN_SCRUBBED_LEN {
        return InFlight(None);
    }
    let Ok(mut passing) = PASSING.lock() else {
        return InFlight(None);
    };
    match passing.values.iter_mut().find(|(v, _)| v == value) {
        Some((_, holders)) => *holders += 1,
        None => {
            passing.values.push((value.to_owned(), 1));
            passing.matcher = None;
        }
    }
    InFlight(Some(value.to_owned()))
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let Some(value) = self.0.take() else {
            return;
        };
        let Ok(mut passing) = PASSING.lock() else {
            return;
        };
        let Some(index) = passing.values.iter().position(|(v, _)| *v == value) else {
            return;
        };
        if let Some((_, holders)) = passing.values.get_mut(index) {
            *holders -= 1;
            if *holders > 0 {
                return;
            }
        }
        passing.values.swap_remove(index);
        passing.matcher = None;
    }
}

/// Whether `value` is registered in flight (then it is not registered for good as well).
fn in_flight(value: &str) -> bool {
    let value = value.trim();
    PASSING
        .lock()
        .map(|p| p.values.iter().any(|(v, _)| v == value))
        .unwrap_or(false)
}

/// `text` scrubbed of the secrets in flight.
fn scrub_in_flight(text: String) -> String {
    let Ok(mut passing) = PASSING.lock() else {
        return text;
    };
    if passing.values.is_empty() {
        return text;
    }
    if passing.matcher.is_none() {
        let forms: Vec<String> = passing.values.iter().flat_map(|(v, _)| forms(v)).collect();
        passing.matcher = matcher(&forms);
    }
    match &passing.matcher {
        Some(matcher) => replace(matcher, &text),
        None => text,
    }
}

/// Registers every secret of a list.
pub fn register_all<'a>(secrets: impl IntoIterator<Item = &'a Secret>) {
    for secret in secrets {
        register(secret.expose());
    }
}

/// Registers the value of every secret key ([`mfactl_core::secret::secret_keys`]: `auth_token`,
/// `skey`, …) found at any depth of an API body, so that the same text in another field of
/// this body or of a later output is scrubbed too (the API may echo a Twilio token in a
/// template or a `sid`). A value registered in flight ([`register_in_flight`]) is left to its
/// guard: a bulk import's request bodies do not register each row's secret for good.
pub fn register_in_body(body: &Value) {
    match body {
        Value::Object(map) => {
            for (key, value) in map {
                match value {
                    Value::String(text) if secret_keys().any(|k| k == key) => {
                        if !in_flight(text) {
                            register(text);
                        }
                    }
                    other => register_in_body(other),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(register_in_body),
        _ => {}
    }
}

/// The ways a value can appear in text: as is, escaped inside a JSON string (a body quoted
/// back without being parsed), and lower- or upper-cased (a domain name is lower-cased; the
/// matcher also ignores ASCII case, so mixed forms are caught too).
fn forms(value: &str) -> Vec<String> {
    let mut forms = Vec::new();
    for cased in [
        value.to_string(),
        value.to_lowercase(),
        value.to_uppercase(),
    ] {
        let mut push = |form: String| {
            // The matcher ignores ASCII case: a form differing only in it is kept once.
            if !forms.iter().any(|f: &String| f.eq_ignore_ascii_case(&form)) {
                forms.push(form);
            }
        };
        if let Ok(json) = serde_json::to_string(&cased) {
            push(json.trim_matches('"').to_string());
        }
        push(cased);
    }
    forms
}

/// `text` with every registered secret (for good, or in flight), in any form and letter case,
/// replaced by [`REDACTED`].
pub fn scrub(text: &str) -> String {
    let stale = SECRETS
        .read()
        .map(|r| r.matcher.is_none() && !r.forms.is_empty())
        .unwrap_or(false);
    if stale && let Ok(mut registry) = SECRETS.write() {
        registry.matcher = matcher(&registry.forms);
    }
    let scrubbed = match SECRETS.read() {
        Ok(registry) => match &registry.matcher {
            Some(matcher) => replace(matcher, text),
            None => text.to_string(),
        },
        Err(_) => text.to_string(),
    };
    scrub_in_flight(scrubbed)
}

/// `text` with every value of `secrets` (and their forms) replaced by [`REDACTED`].
#[cfg(test)]
fn scrub_with(text: &str, secrets: &[String]) -> String {
    let forms: Vec<String> = secrets
        .iter()
        .filter(|s| s.chars().count() >= MIN_SCRUBBED_LEN)
        .flat_map(|s| forms(s))
        .collect();
    match matcher(&forms) {
        Some(matcher) => replace(&matcher, text),
        None => text.to_string(),
    }
}

/// A matcher for `forms` ignoring ASCII case, preferring the longest match at a place (so a
/// secret that contains another is replaced whole).
fn matcher(forms: &[String]) -> Option<AhoCorasick> {
    if forms.is_empty() {
        return None;
    }
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .build(forms)
        .ok()
}

fn replace(matcher: &AhoCorasick, text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    matcher.replace_all_with(text, &mut out, |_, _, out| {
        out.push_str(REDACTED);
        true
    });
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
/// `fmt` subscriber makes one writer per event). While a [`LogHold`] lives, events wait
/// instead, and are scrubbed when the last hold ends.
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
        if self.event.is_empty() {
            return;
        }
        let event = String::from_utf8_lossy(&self.event).into_owned();
        if let Ok(mut held) = HELD.lock()
            && held.holds > 0
        {
            held.events.push(event);
            return;
        }
        eprint(&event);
    }
}

/// Log events waiting for the secrets a group of answers will reveal.
struct Held {
    holds: usize,
    events: Vec<String>,
}

static HELD: Mutex<Held> = Mutex::new(Held {
    holds: 0,
    events: Vec::new(),
});

/// Holds back log events until it is dropped (and every other hold too), then writes them,
/// scrubbed of the secrets registered meanwhile. A live read takes one: its answers arrive in
/// any order, and a secret one answer reveals (a Twilio `auth_token`) may already sit in
/// another answer's logged body (a template that quotes it).
#[must_use = "the hold ends when dropped"]
pub struct LogHold(());

/// Starts a [`LogHold`].
pub fn hold_logs() -> LogHold {
    if let Ok(mut held) = HELD.lock() {
        held.holds += 1;
    }
    LogHold(())
}

impl Drop for LogHold {
    fn drop(&mut self) {
        let events = match HELD.lock() {
            Ok(mut held) => {
                held.holds = held.holds.saturating_sub(1);
                if held.holds > 0 {
                    return;
                }
                std::mem::take(&mut held.events)
            }
            Err(_) => return,
        };
        for event in events {
            eprint(&event);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_of_a_secret_is_replaced_and_short_values_are_left_alone() {
        let secrets = ["tok\"en-123456".to_string(), "abc".to_string()];
        let text = r#"refused tok"en-123456 and {"t":"tok\"en-123456"} for abc"#;
        assert_eq!(
            scrub_with(text, &secrets),
            r#"refused (sensitive value) and {"t":"(sensitive value)"} for abc"#
        );
    }

    #[test]
    fn a_secret_is_replaced_in_any_letter_case() {
        let secrets = ["AbCdEf-Secret-9".to_string(), "ÉtéSecretXY".to_string()];
        let text =
            "to abcdef-secret-9 at ABCDEF-SECRET-9, aBcDeF-sEcReT-9; étésecretxy ÉTÉSECRETXY";
        assert_eq!(
            scrub_with(text, &secrets),
            "to (sensitive value) at (sensitive value), (sensitive value); (sensitive value) (sensitive value)"
        );
    }

    #[test]
    fn a_longer_secret_containing_another_is_replaced_whole() {
        let secrets = ["secret-1".to_string(), "secret-1-and-more".to_string()];
        assert_eq!(
            scrub_with("x secret-1-and-more y secret-1", &secrets),
            "x (sensitive value) y (sensitive value)"
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

    #[test]
    fn a_secret_in_flight_is_scrubbed_until_its_last_guard_is_dropped() {
        let first = register_in_flight("in-flight-secret-77");
        let second = register_in_flight("in-flight-secret-77");
        let body = serde_json::json!({"auth_token": "in-flight-secret-77"});
        register_in_body(&body);
        assert_eq!(
            scrub("echo: IN-FLIGHT-SECRET-77"),
            "echo: (sensitive value)"
        );
        drop(first);
        assert_eq!(scrub("in-flight-secret-77"), "(sensitive value)");
        drop(second);
        // Not registered for good by the body that carried it.
        assert_eq!(scrub("in-flight-secret-77"), "in-flight-secret-77");
    }

    #[test]
    fn secret_keys_of_a_body_are_registered_at_any_depth() {
        let body = serde_json::json!({"providers": [{"auth_token": "Body-Token\"42", "sid": "Body-Token\"42"}]});
        register_in_body(&body);
        assert_eq!(
            scrub(r#"{"sid":"Body-Token\"42"} and body-token"42"#),
            r#"{"sid":"(sensitive value)"} and (sensitive value)"#
        );
    }
}
