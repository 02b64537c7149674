//! Every response body recorded from real tenants parses into the client's typed models.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use std::path::Path;

use mfactl::api::answer::{Failure, RequestContext, classify};
use mfactl::api::endpoints::decode;
use mfactl::api::models::*;
use serde_json::Value;

const RECORDINGS: &str = "../shared/recordings";

fn recordings(file: &str) -> Vec<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(RECORDINGS)
        .join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Parses one successful body into the model of its endpoint; `false` when the endpoint is not
/// one mfactl uses.
fn parse_success(method: &str, path: &str, body: Value) -> Result<bool, String> {
    let path = path.trim_start_matches("/api/v2");
    let path = path.split('?').next().unwrap_or(path);
    let err = |e: mfactl::api::ApiError| e.to_string();
    macro_rules! as_type {
        ($t:ty) => {
            decode::<$t>(method, path, body).map(|_| true).map_err(err)
        };
    }
    match path {
        "/guardian/policies" => as_type!(PoliciesBody),
        "/guardian/factors" => as_type!(Vec<FactorStatus>),
        "/guardian/factors/phone/message-types" => as_type!(MessageTypesBody),
        "/guardian/factors/phone/selected-provider" => as_type!(PhoneProviderBody),
        "/guardian/factors/phone/providers/twilio" | "/guardian/factors/sms/providers/twilio" => {
            as_type!(TwilioBody)
        }
        "/guardian/factors/phone/templates" | "/guardian/factors/sms/templates" => {
            as_type!(TemplatesBody)
        }
        "/guardian/factors/push-notification/selected-provider" => as_type!(PushProviderBody),
        "/guardian/factors/push-notification/providers/sns" => as_type!(SnsBody),
        "/guardian/factors/push-notification/providers/apns" => as_type!(ApnsBody),
        "/guardian/factors/push-notification/providers/fcm" => as_type!(FcmBody),
        "/guardian/factors/push-notification/providers/fcmv1" => as_type!(FcmV1Body),
        "/guardian/factors/duo/settings" => as_type!(DuoBody),
        "/guardian/factors/webauthn-roaming/settings" => as_type!(WebAuthnRoamingBody),
        "/guardian/factors/webauthn-platform/settings" => as_type!(WebAuthnPlatformBody),
        "/prompts/mfa-push" => as_type!(CustomAppBody),
        p if p.starts_with("/guardian/factors/") && p.matches('/').count() == 3 => {
            as_type!(FactorEnabledBody)
        }
        _ => Ok(false),
    }
}

#[test]
fn every_recorded_success_body_parses() {
    let mut parsed = 0;
    let mut skipped = Vec::new();
    for file in [
        "guardian-interactions.jsonl",
        "guardian-adjacent-interactions.jsonl",
    ] {
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
            match parse_success(method, path, body) {
                Ok(true) => parsed += 1,
                Ok(false) => skipped.push(format!("{method} {path}")),
                Err(e) => panic!("{method} {path} ({file}): {e}\n{text}"),
            }
        }
    }
    assert!(parsed > 350, "parsed only {parsed}");
    // Only endpoints mfactl does not use are skipped.
    skipped.sort();
    skipped.dedup();
    for entry in &skipped {
        assert!(
            entry.contains("/guardian/enrollments") || entry.contains("/tenants/settings"),
            "unexpected endpoint without a model: {entry}"
        );
    }
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
