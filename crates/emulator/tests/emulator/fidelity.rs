//! Replays real recorded Auth0 traffic (`tests/fixtures/recordings/`) against a freshly reset
//! emulator and compares status codes and JSON bodies.
//!
//! Guardian: every remaining mismatch must be listed, with its reason, in
//! `recording_mismatches.md` beside this file; no PUT may mismatch; at least 90% must match.
//! Prompt custom texts: every interaction must match.

use std::collections::BTreeSet;
use std::path::PathBuf;

use mfactl_emulator::access_token::ALL_SCOPES;
use mfactl_emulator::{EmulatorConfig, RateLimit, RunningEmulator};
use serde_json::Value;

use crate::support::{client, emulator, emulator_with, recordings, recordings_dir};

struct Interaction {
    key: String,
    method: String,
    path: String,
    request_body: String,
    status: u16,
    response_body: String,
}

fn load(file: &str) -> Vec<Interaction> {
    assert!(
        recordings_dir().join(file).is_file(),
        "recorded Auth0 traffic not found: {}",
        recordings_dir().join(file).display()
    );
    recordings(file)
        .into_iter()
        .map(|v| {
            let source = v["source_file"].as_str().unwrap();
            let cassette = source.split("recordings/").nth(1).unwrap_or(source);
            Interaction {
                key: format!("{cassette}#{}", v["interaction_index"]),
                method: v["method"].as_str().unwrap().to_owned(),
                path: v["path"].as_str().unwrap().to_owned(),
                request_body: v["request_body"].as_str().unwrap_or("").to_owned(),
                status: v["status"].as_u64().unwrap() as u16,
                response_body: v["response_body"].as_str().unwrap_or("").to_owned(),
            }
        })
        .collect()
}

/// The keys listed in the committed mismatch file: lines like "- `Cassette.yaml#3` ...".
fn documented_mismatches() -> BTreeSet<String> {
    let path = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/emulator/recording_mismatches.md"
    ));
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    text.lines()
        .filter_map(|line| line.trim().strip_prefix("- `"))
        .filter_map(|rest| rest.split('`').next())
        .filter(|key| key.contains(".yaml#"))
        .map(str::to_owned)
        .collect()
}

fn parse_json(text: &str) -> Value {
    if text.trim().is_empty() {
        Value::Null
    } else {
        serde_json::from_str(text).unwrap_or(Value::String(text.to_owned()))
    }
}

/// What a replay found: how many interactions matched, the keys of those that did not, and a
/// report of each mismatch.
struct Replay {
    matched: usize,
    mismatched: BTreeSet<String>,
    report: String,
}

/// Sends every interaction, in order, to `emulator` (reset first) with an all-scopes token and
/// compares each answer's status and JSON body with the recorded one.
async fn replay(emulator: &RunningEmulator, interactions: &[Interaction]) -> Replay {
    let token = emulator.issue_token(&ALL_SCOPES);
    let client = client();
    let reset = client
        .post(format!("{}/__emulator/reset", emulator.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(reset.status(), 200);

    let mut replay = Replay {
        matched: 0,
        mismatched: BTreeSet::new(),
        report: String::new(),
    };
    for interaction in interactions {
        let method = reqwest::Method::from_bytes(interaction.method.as_bytes()).unwrap();
        let mut request = client
            .request(
                method,
                format!("{}{}", emulator.base_url(), interaction.path),
            )
            .bearer_auth(&token);
        let body = interaction.request_body.trim();
        if !(body.is_empty() || body == "null") {
            request = request
                .header("content-type", "application/json")
                .body(body.to_owned());
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let actual = parse_json(&response.text().await.unwrap());
        let expected = parse_json(&interaction.response_body);
        if status == interaction.status && actual == expected {
            replay.matched += 1;
        } else {
            replay.mismatched.insert(interaction.key.clone());
            replay.report.push_str(&format!(
                "MISMATCH {} {} {}\n  recorded {} {}\n  emulator {} {}\n",
                interaction.key,
                interaction.method,
                interaction.path,
                interaction.status,
                truncate(&expected.to_string()),
                status,
                truncate(&actual.to_string()),
            ));
        }
    }
    eprint!("{}", replay.report);
    println!(
        "emulator fidelity: {} of {} recorded interactions match ({} mismatches)",
        replay.matched,
        interactions.len(),
        replay.mismatched.len()
    );
    replay
}

#[tokio::test]
async fn replaying_recorded_guardian_traffic_matches_the_real_api() {
    let interactions = load("guardian-interactions.jsonl");
    assert_eq!(interactions.len(), 352);
    let emulator = emulator().await;
    let Replay {
        matched,
        mismatched,
        ..
    } = replay(&emulator, &interactions).await;

    let put_mismatches: Vec<_> = interactions
        .iter()
        .filter(|i| i.method == "PUT" && mismatched.contains(&i.key))
        .map(|i| i.key.clone())
        .collect();
    assert!(
        put_mismatches.is_empty(),
        "PUT answers must all match: {put_mismatches:?}"
    );
    assert!(
        matched * 10 >= interactions.len() * 9,
        "only {matched} of {} match",
        interactions.len()
    );
    assert_eq!(
        mismatched,
        documented_mismatches(),
        "recording_mismatches.md must list exactly the remaining mismatches"
    );
}

/// terraform-provider-auth0's `TestAccPromptCustomText` cassette: a language never customised
/// reads `{}`, a PUT replaces the language's whole object and answers with it, `{}` clears.
#[tokio::test]
async fn replaying_recorded_prompt_custom_texts_matches_every_interaction() {
    let interactions = load("prompt-custom-text-interactions.jsonl");
    assert_eq!(interactions.len(), 17);
    let emulator = emulator().await;
    let Replay {
        matched, report, ..
    } = replay(&emulator, &interactions).await;
    assert_eq!(matched, interactions.len(), "{report}");
}

fn truncate(text: &str) -> String {
    if text.len() > 200 {
        format!("{}…", &text[..200])
    } else {
        text.to_owned()
    }
}

/// The older cassettes recorded real error answers: 429s from the rate limit and 404s for an
/// unknown enrollment. The emulator's rate-limited and not-found answers must equal them.
#[tokio::test]
async fn recorded_error_answers_match_the_emulators_errors() {
    let interactions = load("guardian-historical-non2xx.jsonl");
    assert!(!interactions.is_empty());
    let limit = RateLimit {
        burst: 1,
        per_second: 0.01,
    };
    let emulator = emulator_with(EmulatorConfig {
        rate_limit: Some(limit),
        ..EmulatorConfig::default()
    })
    .await;
    let client = client();
    let token = emulator.issue_token(&ALL_SCOPES);
    let mut checked = 0;
    for interaction in &interactions {
        let expected = parse_json(&interaction.response_body);
        let actual = if interaction.status == 429 {
            // The bucket holds one token and refills every 100 s: after the first call every
            // call is rate limited, whatever its path.
            let url = format!("{}{}", emulator.base_url(), interaction.path);
            let _ = client.get(&url).bearer_auth(&token).send().await.unwrap();
            let method = reqwest::Method::from_bytes(interaction.method.as_bytes()).unwrap();
            let response = client
                .request(method, &url)
                .bearer_auth(&token)
                .json(&serde_json::json!({}))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 429, "{}", interaction.key);
            parse_json(&response.text().await.unwrap())
        } else {
            // 404s: a fresh emulator without a rate limit.
            let fresh = emulator_with(EmulatorConfig::default()).await;
            let method = reqwest::Method::from_bytes(interaction.method.as_bytes()).unwrap();
            let response = client
                .request(method, format!("{}{}", fresh.base_url(), interaction.path))
                .bearer_auth(fresh.issue_token(&ALL_SCOPES))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status().as_u16(), interaction.status);
            parse_json(&response.text().await.unwrap())
        };
        assert_eq!(actual, expected, "{}", interaction.key);
        checked += 1;
    }
    assert_eq!(checked, 17);
}
