//! Replays the real recorded users' MFA traffic (`user-mfa-interactions.jsonl`) against one
//! emulator and compares status codes and JSON bodies, key order included.
//!
//! Values the real API draws at random (user ids, method ids, `created_at`/`updated_at`,
//! recovery codes, ticket ids) cannot be equal; the replay learns each recorded value's
//! counterpart from the first answer that holds it, once the counterpart has the recorded
//! value's form (`<type>|dev_` + 16 characters, 24 hex digits, ISO 8601 with milliseconds,
//! 24 upper-case letters and digits, 32 letters and digits). Later paths, bodies and answers
//! use the learned counterpart, so an answer that repeats an id or a time wrongly mismatches.
//! Every remaining mismatch must be listed, with its reason, in `user_mfa_replay_mismatches.md`
//! beside this file; at least 90% must match.
//!
//! Also: every answer the emulator gives without a recording to follow is marked and listed in
//! `unrecorded_answers.md` beside this file.

use std::collections::BTreeSet;
use std::path::PathBuf;

use mfactl_core::resource::{decode, encode};
use mfactl_emulator::access_token::ALL_SCOPES;
use serde_json::Value;

use crate::support::{emulator, recordings, send};

/// The emulator crate's folder.
fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A file beside this one.
fn beside(name: &str) -> PathBuf {
    crate_dir().join("tests/emulator").join(name)
}

struct Interaction {
    key: String,
    method: String,
    path: String,
    query: String,
    request_body: String,
    status: u16,
    response_body: String,
}

fn load() -> Vec<Interaction> {
    recordings("user-mfa-interactions.jsonl")
        .iter()
        .map(|v| {
            let source = v["source_file"].as_str().unwrap();
            let cassette = source
                .split("recordings/")
                .nth(1)
                .or_else(|| source.split("vcr_cassettes/").nth(1))
                .unwrap_or(source);
            Interaction {
                key: format!("{cassette}#{}", v["interaction_index"]),
                method: v["method"].as_str().unwrap().to_owned(),
                path: v["path"].as_str().unwrap().to_owned(),
                query: v["query"].as_str().unwrap_or("").to_owned(),
                request_body: v["request_body"].as_str().unwrap_or("").to_owned(),
                status: v["status"].as_u64().unwrap() as u16,
                response_body: v["response_body"].as_str().unwrap_or("").to_owned(),
            }
        })
        .collect()
}

/// Recorded random values and their counterparts in the replay.
#[derive(Default)]
struct Learned(Vec<(String, String)>);

fn all(text: &str, pred: impl Fn(char) -> bool) -> bool {
    !text.is_empty() && text.chars().all(pred)
}

fn is_iso_millis(text: &str) -> bool {
    let b = text.as_bytes();
    text.len() == 24
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[19] == b'.'
        && b[23] == b'Z'
}

/// Whether `actual` has the form of the recorded random value `recorded` under `key`.
fn same_form(key: &str, recorded: &str, actual: &str) -> bool {
    match key {
        "created_at" | "updated_at" => is_iso_millis(recorded) && is_iso_millis(actual),
        "recovery_code" => {
            actual.len() == 24 && all(actual, |c| c.is_ascii_uppercase() || c.is_ascii_digit())
        }
        "ticket_id" => actual.len() == 32 && all(actual, |c| c.is_ascii_alphanumeric()),
        "id" | "user_id" => {
            let split = |t: &str| match t.split_once('|') {
                Some((prefix, rest)) => (Some(prefix.to_owned()), rest.to_owned()),
                None => (None, t.to_owned()),
            };
            let (rp, rs) = split(recorded);
            let (ap, as_) = split(actual);
            let hex24 = |t: &str| t.len() == 24 && all(t, |c| c.is_ascii_hexdigit());
            let dev = |t: &str| {
                t.len() == 20
                    && t.starts_with("dev_")
                    && all(&t[4..], |c| c.is_ascii_alphanumeric())
            };
            rp == ap && ((hex24(&rs) && hex24(&as_)) || (dev(&rs) && dev(&as_)))
        }
        _ => false,
    }
}

impl Learned {
    fn get(&self, recorded: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(r, _)| r == recorded)
            .map(|(_, a)| a.as_str())
    }

    /// Learns counterparts from an answer, walking the recorded and actual bodies together.
    fn learn(&mut self, expected: &Value, actual: &Value, key: &str) {
        match (expected, actual) {
            (Value::Object(e), Value::Object(a)) => {
                for (k, ev) in e {
                    if let Some(av) = a.get(k) {
                        self.learn(ev, av, k);
                    }
                }
            }
            (Value::Array(e), Value::Array(a)) => {
                for (ev, av) in e.iter().zip(a) {
                    self.learn(ev, av, key);
                }
            }
            (Value::String(e), Value::String(a))
                if self.get(e).is_none() && same_form(key, e, a) =>
            {
                self.0.push((e.clone(), a.clone()));
                // `auth0|<hex>` also stands for `<hex>` (the identity's user_id).
                if let (Some((_, eh)), Some((_, ah))) = (e.split_once('|'), a.split_once('|'))
                    && self.get(eh).is_none()
                {
                    self.0.push((eh.to_owned(), ah.to_owned()));
                }
            }
            _ => {}
        }
    }

    /// `value` with every learned recorded value replaced by its counterpart.
    fn apply(&self, value: &Value) -> Value {
        match value {
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), self.apply(v)))
                    .collect(),
            ),
            Value::Array(items) => Value::Array(items.iter().map(|v| self.apply(v)).collect()),
            Value::String(s) => Value::String(self.get(s).unwrap_or(s).to_owned()),
            other => other.clone(),
        }
    }

    /// A recorded path with learned ids replaced, segment by segment (percent-encoded).
    fn path(&self, path: &str) -> String {
        path.split('/')
            .map(|segment| match self.get(&decode(segment)) {
                Some(actual) => encode(actual),
                None => segment.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("/")
    }
}

/// Compact JSON text: comparing it compares key order too.
fn as_text(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

fn parse_json(text: &str) -> Value {
    if text.trim().is_empty() {
        Value::Null
    } else {
        serde_json::from_str(text).unwrap_or(Value::String(text.to_owned()))
    }
}

fn documented_mismatches() -> BTreeSet<String> {
    let text = std::fs::read_to_string(beside("user_mfa_replay_mismatches.md")).unwrap_or_default();
    text.lines()
        .filter_map(|line| line.trim().strip_prefix("- `"))
        .filter_map(|rest| rest.split('`').next())
        .filter(|key| key.contains(".y"))
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn replaying_recorded_user_mfa_traffic_matches_the_real_api() {
    let interactions = load();
    assert_eq!(interactions.len(), 32);
    let emulator = emulator().await;
    let token = emulator.issue_token(&ALL_SCOPES);
    let mut learned = Learned::default();
    let mut matched = 0;
    let mut mismatched = BTreeSet::new();
    let mut report = String::new();
    for interaction in &interactions {
        let mut path = learned.path(&interaction.path);
        if !interaction.query.is_empty() {
            path.push('?');
            path.push_str(&interaction.query);
        }
        let body = interaction.request_body.trim();
        let sent = (!(body.is_empty() || body == "null")).then(|| learned.apply(&parse_json(body)));
        let answer = send(&emulator, &interaction.method, &path, Some(&token), sent).await;
        let status = answer.status;
        let actual = answer.body;
        let expected = parse_json(&interaction.response_body);
        learned.learn(&expected, &actual, "");
        let expected = learned.apply(&expected);
        // Serialised text compares key order too.
        if status == interaction.status && as_text(&expected) == as_text(&actual) {
            matched += 1;
        } else {
            mismatched.insert(interaction.key.clone());
            report.push_str(&format!(
                "MISMATCH {} {} {}\n  recorded {} {}\n  emulator {} {}\n",
                interaction.key,
                interaction.method,
                interaction.path,
                interaction.status,
                expected,
                status,
                actual,
            ));
        }
    }
    eprint!("{report}");
    println!(
        "user-MFA replay: {matched} of {} recorded interactions match ({} mismatches)",
        interactions.len(),
        mismatched.len()
    );
    assert!(
        matched * 10 >= interactions.len() * 9,
        "only {matched} of {} match",
        interactions.len()
    );
    assert_eq!(
        mismatched,
        documented_mismatches(),
        "user_mfa_replay_mismatches.md must list exactly the remaining mismatches"
    );
}

/// Every answer the emulator gives without a recording to follow is marked `Unrecorded [Un]`
/// in its source and listed in `unrecorded_answers.md`, and the list names no tag the source
/// lacks.
#[test]
fn every_unrecorded_answer_is_marked_and_listed() {
    let tags = |text: &str, marker: &str| -> BTreeSet<String> {
        text.match_indices(marker)
            .filter_map(|(at, _)| {
                let rest = &text[at + marker.len()..];
                let tag: String = rest
                    .chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .collect();
                let numbered = tag
                    .strip_prefix('U')
                    .is_some_and(|n| all(n, |c| c.is_ascii_digit()));
                numbered.then_some(tag)
            })
            .collect()
    };
    let source = ["src/users_api.rs", "src/users_state.rs"]
        .iter()
        .map(|p| std::fs::read_to_string(crate_dir().join(p)).unwrap())
        .collect::<String>();
    let listed = std::fs::read_to_string(beside("unrecorded_answers.md")).unwrap();
    let in_source = tags(&source, "Unrecorded [");
    let in_list = tags(&listed, "- **[");
    assert!(!in_source.is_empty());
    assert_eq!(in_source, in_list);
}
