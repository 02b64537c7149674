//! Every answer recorded from real tenants (`tests/fixtures/recordings/`) parses with the
//! resource table, and every recorded error answer classifies with its message.

use std::collections::BTreeSet;

use mfactl_client::answer::{Failure, RequestContext, classify};
use mfactl_client::models::ErrorBody;
use mfactl_core::live::LiveTenant;
use mfactl_core::live::read::{Read, absorb, parse_values};
use mfactl_core::model::Address;
use mfactl_core::resource::registry::{Routed, known_key, route};
use mfactl_core::resource::{Keys, ResourceSpec};
use serde_json::Value;

use crate::support::recordings;

/// The recordings of successful answers: Guardian, the calls beside it, prompt texts.
const SUCCESS_FILES: &[&str] = &[
    "guardian-interactions.jsonl",
    "guardian-adjacent-interactions.jsonl",
    "prompt-custom-text-interactions.jsonl",
];

/// Whether `key` names a resource the API serves: the table's keys, and any prompt's texts
/// (the recording customises `login`, which mfactl does not manage; every prompt's texts have
/// the same shape).
fn served_key(spec: &ResourceSpec, key: &[String]) -> bool {
    let any_prompt = match (spec.keys, key) {
        (Keys::PromptLanguage { languages, .. }, [_, language]) => {
            languages.rank(language).is_some()
        }
        _ => false,
    };
    known_key(spec, key) || any_prompt
}

/// The resource of the table a recorded request names. The deprecated
/// `/guardian/factors/sms/…` twins answer as `/guardian/factors/phone/…`.
fn table_route(path: &str, read: bool) -> Option<Routed> {
    let path = path.trim_start_matches("/api/v2");
    let path = path.split('?').next().unwrap_or(path);
    let path = match path.strip_prefix("/guardian/factors/sms/") {
        Some(rest) => format!("/guardian/factors/phone/{rest}"),
        None => path.to_string(),
    };
    route(&path, read, &served_key)
}

/// Parses one successful answer as mfactl does: a GET's answer through the live read (each
/// address it serves gets values and a fingerprint), a write's answer as the resource's values.
/// Returns the plan address, or `None` for an endpoint outside the table.
fn parse_success(method: &str, path: &str, body: &Value) -> Result<Option<&'static str>, String> {
    let read = method == "GET";
    let Some(routed) = table_route(path, read) else {
        return Ok(None);
    };
    let spec = routed.spec;
    if !read {
        parse_values(spec, body)?;
        return Ok(Some(spec.address));
    }
    let read_spec = spec.read.ok_or("a GET of a resource without a read")?;
    let addresses: Vec<Address> = match (spec.keys, routed.key.is_empty()) {
        // The list of every keyed resource (`GET /guardian/factors`).
        (Keys::Fixed(info), true) => info.names().map(|n| Address::keyed(spec, [n])).collect(),
        _ => vec![Address::keyed(spec, routed.key)],
    };
    let read = Read {
        path: path.to_string(),
        scope: read_spec.scope,
        addresses: addresses.clone(),
        context: Vec::new(),
        paged: read_spec.paged,
    };
    let mut live = LiveTenant::default();
    absorb(&read, body, &mut live)?;
    for address in &addresses {
        if !live.fingerprints.contains_key(address) {
            return Err(format!("{address} has no fingerprint"));
        }
    }
    Ok(Some(spec.address))
}

#[test]
fn every_recorded_success_body_parses_with_the_table() {
    let mut parsed = 0;
    let mut resources = BTreeSet::new();
    let mut skipped = BTreeSet::new();
    for file in SUCCESS_FILES {
        for record in recordings(file) {
            let status = record["status"].as_u64().unwrap();
            if !(200..300).contains(&status) {
                continue;
            }
            let method = record["method"].as_str().unwrap();
            let path = record["path"].as_str().unwrap();
            let text = record["response_body"].as_str().unwrap_or("");
            let body = if text.trim().is_empty() {
                Value::Null
            } else {
                serde_json::from_str(text).unwrap()
            };
            match parse_success(method, path, &body) {
                Ok(Some(address)) => {
                    parsed += 1;
                    resources.insert(address);
                }
                Ok(None) => {
                    skipped.insert(format!("{method} {path}"));
                }
                Err(e) => panic!("{method} {path} ({file}): {e}\n{text}"),
            }
        }
    }
    // 352 Guardian + 30 adjacent + 17 prompt texts, less the 3 enrollment calls.
    assert_eq!(parsed, 396);
    // Only endpoints outside the table are skipped: Guardian enrollments (users' MFA).
    for entry in &skipped {
        assert!(
            entry.contains("/guardian/enrollments"),
            "unexpected endpoint outside the table: {entry}"
        );
    }
    let expected: BTreeSet<&str> = [
        "policies",
        "factors",
        "phone.message_types",
        "phone.provider",
        "phone.twilio",
        "phone.templates",
        "push.provider",
        "push.sns",
        "push.apns",
        "push.fcm",
        "push.fcmv1",
        "push.custom_app",
        "duo",
        "webauthn_roaming",
        "webauthn_platform",
        "tenant_settings",
        "prompts",
    ]
    .into_iter()
    .collect();
    assert_eq!(resources, expected);
}

#[test]
fn every_recorded_error_body_classifies_with_its_message() {
    let mut seen = 0;
    for file in [
        "guardian-interactions.jsonl",
        "guardian-historical-non2xx.jsonl",
    ] {
        for record in recordings(file) {
            let status = record["status"].as_u64().unwrap() as u16;
            if status < 400 {
                continue;
            }
            let method = record["method"].as_str().unwrap();
            let path = record["path"].as_str().unwrap();
            let text = record["response_body"].as_str().unwrap();
            let body: ErrorBody = serde_json::from_str(text).unwrap();
            let message = body.message.clone().unwrap();
            let ctx = RequestContext {
                domain: "tenant.example",
                method,
                path,
            };
            match (status, classify(ctx, status, text.as_bytes())) {
                (429, Failure::Retryable { message: m, .. }) => assert_eq!(m, message),
                (404, Failure::Final(e)) => assert!(e.to_string().contains(&message), "{e}"),
                (s, other) => panic!("{s}: {other:?}"),
            }
            seen += 1;
        }
    }
    assert!(seen >= 17, "{seen}");
}
