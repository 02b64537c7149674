//! A model of what the API reads back after a plan's requests, for no-perpetual-diff tests.
//!
//! It follows the write semantics the plan relies on: Twilio and template PUTs overwrite (an
//! omitted field reads `null`); SNS, APNs, Duo, WebAuthn and the custom app keep fields a write
//! leaves out; write-only values are never read back; FCM providers cannot be read at all.

use serde_json::Value;

use crate::model::*;
use crate::request::ApiRequest;
use crate::secret::Secret;

fn text(body: &Value, key: &str) -> Option<String> {
    body.get(key).and_then(Value::as_str).map(str::to_string)
}

fn merge_text(slot: &mut Option<String>, body: &Value, key: &str) {
    if body.get(key).is_some() {
        *slot = text(body, key);
    }
}

fn merge_bool(slot: &mut Option<bool>, body: &Value, key: &str) {
    if let Some(value) = body.get(key) {
        *slot = value.as_bool();
    }
}

/// The state a read returns after `requests` were applied to `live`.
pub(crate) fn read_back(live: &MfaState, requests: &[&ApiRequest]) -> MfaState {
    let mut s = live.clone();
    for request in requests {
        let body = request.body.clone().unwrap_or(Value::Null);
        let path = request.path.as_str();
        let push = "/guardian/factors/push-notification";
        match path {
            "/guardian/policies" => {
                let list = body.as_array().cloned().unwrap_or_default();
                s.policies = Some(
                    list.iter()
                        .filter_map(|v| v.as_str().and_then(Policy::parse))
                        .collect(),
                );
            }
            "/guardian/factors/phone/message-types" => {
                let list = body["message_types"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                s.phone.message_types = Some(
                    list.iter()
                        .filter_map(|v| v.as_str().and_then(MessageType::parse))
                        .collect(),
                );
            }
            "/guardian/factors/phone/selected-provider" => {
                s.phone.provider = body["provider"].as_str().and_then(PhoneProvider::parse);
            }
            "/guardian/factors/phone/providers/twilio" => {
                s.phone.twilio = Some(TwilioSettings {
                    sid: text(&body, "sid"),
                    auth_token: text(&body, "auth_token").map(Secret::new),
                    from: text(&body, "from"),
                    messaging_service_sid: text(&body, "messaging_service_sid"),
                });
            }
            "/guardian/factors/phone/templates" => {
                s.phone.templates = Some(PhoneTemplates {
                    enrollment_message: text(&body, "enrollment_message"),
                    verification_message: text(&body, "verification_message"),
                });
            }
            p if p == format!("{push}/selected-provider") => {
                s.push.provider = body["provider"].as_str().and_then(PushProvider::parse);
            }
            p if p == format!("{push}/providers/sns") => {
                let sns = s.push.sns.get_or_insert_with(Default::default);
                merge_text(&mut sns.aws_access_key_id, &body, "aws_access_key_id");
                merge_text(&mut sns.aws_region, &body, "aws_region");
                merge_text(
                    &mut sns.sns_apns_platform_application_arn,
                    &body,
                    "sns_apns_platform_application_arn",
                );
                merge_text(
                    &mut sns.sns_gcm_platform_application_arn,
                    &body,
                    "sns_gcm_platform_application_arn",
                );
                sns.aws_secret_access_key = None;
            }
            p if p == format!("{push}/providers/apns") => {
                let apns = s.push.apns.get_or_insert_with(Default::default);
                merge_text(&mut apns.bundle_id, &body, "bundle_id");
                merge_bool(&mut apns.sandbox, &body, "sandbox");
                apns.p12 = None;
            }
            p if p.starts_with(&format!("{push}/providers/fcm")) => {}
            "/prompts/mfa-push" => {
                let app = s.push.custom_app.get_or_insert_with(Default::default);
                merge_text(&mut app.app_name, &body, "app_name");
                merge_text(&mut app.apple_app_link, &body, "apple_app_link");
                merge_text(&mut app.google_app_link, &body, "google_app_link");
            }
            "/guardian/factors/duo/settings" => {
                let duo = s.duo.get_or_insert_with(Default::default);
                merge_text(&mut duo.ikey, &body, "ikey");
                merge_text(&mut duo.host, &body, "host");
                if body.get("skey").is_some() {
                    duo.skey = text(&body, "skey").map(Secret::new);
                }
            }
            "/guardian/factors/webauthn-roaming/settings" => {
                let w = s.webauthn_roaming.get_or_insert_with(Default::default);
                if let Some(uv) = body.get("userVerification") {
                    w.user_verification = uv.as_str().and_then(UserVerification::parse);
                }
                merge_bool(&mut w.override_relying_party, &body, "overrideRelyingParty");
                merge_text(
                    &mut w.relying_party_identifier,
                    &body,
                    "relyingPartyIdentifier",
                );
            }
            "/guardian/factors/webauthn-platform/settings" => {
                let w = s.webauthn_platform.get_or_insert_with(Default::default);
                merge_bool(&mut w.override_relying_party, &body, "overrideRelyingParty");
                merge_text(
                    &mut w.relying_party_identifier,
                    &body,
                    "relyingPartyIdentifier",
                );
            }
            factor_path => {
                let name = factor_path.trim_start_matches("/guardian/factors/");
                if let (Some(factor), Some(on)) = (Factor::parse(name), body["enabled"].as_bool()) {
                    s.factors.insert(factor, on);
                }
            }
        }
    }
    s
}
