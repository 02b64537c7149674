//! The exact Management API request that writes each address.

use serde_json::{Map, Value, json};

use crate::model::{Address, MfaState};
use crate::plan::resource::{SettingsResource, Unset, settings_resource};
use crate::request::{ApiRequest, HttpMethod};

/// The method and path (relative to `/api/v2`) that write `address`.
pub fn endpoint(address: Address) -> (HttpMethod, String) {
    let put = HttpMethod::Put;
    let push = "/guardian/factors/push-notification";
    match address {
        Address::Policies => (put, "/guardian/policies".into()),
        Address::Factor(factor) => (put, format!("/guardian/factors/{factor}")),
        Address::PhoneMessageTypes => (put, "/guardian/factors/phone/message-types".into()),
        Address::PhoneProvider => (put, "/guardian/factors/phone/selected-provider".into()),
        Address::PhoneTwilio => (put, "/guardian/factors/phone/providers/twilio".into()),
        Address::PhoneTemplates => (put, "/guardian/factors/phone/templates".into()),
        Address::PushProvider => (put, format!("{push}/selected-provider")),
        Address::PushSns => (put, format!("{push}/providers/sns")),
        Address::PushApns => (put, format!("{push}/providers/apns")),
        Address::PushFcm => (put, format!("{push}/providers/fcm")),
        Address::PushFcmV1 => (put, format!("{push}/providers/fcmv1")),
        Address::PushCustomApp => (HttpMethod::Patch, "/prompts/mfa-push".into()),
        Address::Duo => (put, "/guardian/factors/duo/settings".into()),
        Address::WebAuthnRoaming => (put, "/guardian/factors/webauthn-roaming/settings".into()),
        Address::WebAuthnPlatform => (put, "/guardian/factors/webauthn-platform/settings".into()),
        Address::PhoneOtp => (put, "/guardian/factors/phone/settings".into()),
        Address::EmailOtp => (put, "/guardian/factors/email/settings".into()),
        Address::MfaSession => (put, "/guardian/settings".into()),
        Address::TenantSettings => (HttpMethod::Patch, "/tenants/settings".into()),
        // Created when the tenant has none; `build_request` PATCHes an existing one by id.
        Address::TenantPhoneProvider => (HttpMethod::Post, "/branding/phone/providers".into()),
        Address::TenantPhoneTemplate(_) => (HttpMethod::Post, "/branding/phone/templates".into()),
    }
}

/// The id of the live Tenant Phone Settings object `address` would PATCH, if it exists.
fn existing_id(address: Address, live: &MfaState) -> Option<&str> {
    match address {
        Address::TenantPhoneProvider => live.tenant_phone.provider.as_ref()?.id.as_deref(),
        Address::TenantPhoneTemplate(kind) => live.tenant_phone.templates.get(&kind)?.id.as_deref(),
        _ => None,
    }
}

/// The request that brings `address` to its desired value, or `None` when `desired` does not
/// manage it. `live` supplies the values a settings write must send back unchanged (phone
/// templates). The body holds secret values in clear; `secret_fields` names them.
pub fn build_request(address: Address, desired: &MfaState, live: &MfaState) -> Option<ApiRequest> {
    let (method, path) = endpoint(address);
    let request = ApiRequest::new(method, path);
    let body = match address {
        Address::Policies => {
            let policies = desired.policies.as_ref()?;
            Value::Array(policies.iter().map(|p| json!(p.as_str())).collect())
        }
        Address::Factor(factor) => json!({ "enabled": *desired.factors.get(&factor)? }),
        Address::PhoneMessageTypes => {
            let types = desired.phone.message_types.as_ref()?;
            let types: Vec<&str> = types.iter().map(|t| t.as_str()).collect();
            json!({ "message_types": types })
        }
        Address::PhoneProvider => json!({ "provider": desired.phone.provider?.as_str() }),
        Address::PushProvider => json!({ "provider": desired.push.provider?.as_str() }),
        _ => {
            let wanted = settings_resource(address, desired)?;
            let current = settings_resource(address, live);
            let mut body = settings_body(&wanted, current.as_ref());
            let request = match (existing_id(address, live), address) {
                (Some(id), _) => {
                    let (_, collection) = endpoint(address);
                    ApiRequest::new(HttpMethod::Patch, format!("{collection}/{id}"))
                }
                (None, Address::TenantPhoneTemplate(kind)) => {
                    if let Value::Object(map) = &mut body {
                        map.insert("type".into(), json!(kind.as_str()));
                    }
                    request
                }
                (None, _) => request,
            };
            return Some(
                request
                    .with_body(body)
                    .with_secret_fields(&wanted.secret_api_names()),
            );
        }
    };
    Some(request.with_body(body))
}

/// The body of a settings write: every field the desired state sets (unset ones take their
/// default when they have one), plus, for resources written whole, the live values of the
/// fields it leaves unset.
fn settings_body(wanted: &SettingsResource, current: Option<&SettingsResource>) -> Value {
    let mut map = Map::new();
    for field in &wanted.fields {
        let mut value = field.value.clone().or_else(|| field.default.clone());
        if value.is_none() && wanted.unset == Unset::KeepAndResend {
            value = current
                .and_then(|c| c.field(field.config_name))
                .and_then(|f| f.value.clone());
        }
        if let Some(value) = value {
            insert_path(&mut map, field.api_name, value.to_api_json());
        }
    }
    Value::Object(map)
}

/// Inserts `value` at a dotted key (`configuration.sid` → `{"configuration":{"sid":…}}`).
fn insert_path(map: &mut Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        None => {
            map.insert(path.to_string(), value);
        }
        Some((head, rest)) => {
            let entry = map
                .entry(head.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if !entry.is_object() {
                *entry = Value::Object(Map::new());
            }
            if let Value::Object(inner) = entry {
                insert_path(inner, rest, value);
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::field_reassign_with_default)]
mod tests {
    use super::*;
    use crate::model::*;
    use crate::secret::Secret;
    use std::collections::BTreeSet;

    fn body(address: Address, desired: &MfaState) -> Value {
        build_request(address, desired, &MfaState::default())
            .unwrap()
            .body
            .unwrap()
    }

    #[test]
    fn bodies_match_what_the_api_takes() {
        let mut d = MfaState::default();
        d.policies = Some(BTreeSet::from([Policy::AllApplications]));
        d.factors.insert(Factor::RecoveryCode, true);
        d.phone.message_types = Some(BTreeSet::from([MessageType::Voice, MessageType::Sms]));
        d.phone.provider = Some(PhoneProvider::PhoneMessageHook);
        d.push.provider = Some(PushProvider::Sns);
        d.webauthn_roaming = Some(WebAuthnRoamingSettings {
            user_verification: Some(UserVerification::Required),
            override_relying_party: Some(false),
            relying_party_identifier: None,
        });
        d.push.custom_app = Some(CustomApp {
            app_name: Some("Acme".into()),
            ..Default::default()
        });
        assert_eq!(body(Address::Policies, &d), json!(["all-applications"]));
        assert_eq!(
            body(Address::Factor(Factor::RecoveryCode), &d),
            json!({"enabled": true})
        );
        assert_eq!(
            body(Address::PhoneMessageTypes, &d),
            json!({"message_types": ["sms", "voice"]})
        );
        assert_eq!(
            body(Address::PhoneProvider, &d),
            json!({"provider": "phone-message-hook"})
        );
        assert_eq!(body(Address::PushProvider, &d), json!({"provider": "sns"}));
        assert_eq!(
            body(Address::WebAuthnRoaming, &d),
            json!({"userVerification": "required", "overrideRelyingParty": false})
        );
        let custom = build_request(Address::PushCustomApp, &d, &MfaState::default()).unwrap();
        assert_eq!(custom.method, HttpMethod::Patch);
        assert_eq!(custom.path, "/prompts/mfa-push");
        assert_eq!(custom.body, Some(json!({"app_name": "Acme"})));
        assert_eq!(
            endpoint(Address::Factor(Factor::PushNotification)).1,
            "/guardian/factors/push-notification"
        );
    }

    #[test]
    fn secrets_are_sent_but_marked() {
        let mut d = MfaState::default();
        d.push.sns = Some(SnsSettings {
            aws_access_key_id: Some("AKIA1".into()),
            aws_secret_access_key: Some(Secret::new("aws-secret")),
            aws_region: Some("us-east-1".into()),
            ..Default::default()
        });
        let request = build_request(Address::PushSns, &d, &MfaState::default()).unwrap();
        assert_eq!(
            request.body,
            Some(json!({
                "aws_access_key_id": "AKIA1",
                "aws_secret_access_key": "aws-secret",
                "aws_region": "us-east-1"
            }))
        );
        assert!(!format!("{request:?}").contains("aws-secret"));
    }

    #[test]
    fn templates_send_back_the_live_text_of_an_unset_message() {
        let mut d = MfaState::default();
        d.phone.templates = Some(PhoneTemplates {
            enrollment_message: Some("{{code}} enrol".into()),
            verification_message: None,
        });
        let mut live = MfaState::default();
        live.phone.templates = Some(PhoneTemplates {
            enrollment_message: Some("old".into()),
            verification_message: Some("{{code}} verify".into()),
        });
        let request = build_request(Address::PhoneTemplates, &d, &live).unwrap();
        assert_eq!(
            request.body,
            Some(json!({
                "enrollment_message": "{{code}} enrol",
                "verification_message": "{{code}} verify"
            }))
        );
    }

    #[test]
    fn tenant_phone_objects_are_created_then_patched_by_id() {
        let mut d = MfaState::default();
        d.tenant_phone.provider = Some(TenantPhoneProvider {
            name: Some(TenantPhoneProviderName::Twilio),
            disabled: Some(false),
            sid: Some("AC1".into()),
            default_from: Some("+15550001111".into()),
            delivery_methods: Some(BTreeSet::from([
                DeliveryMethod::Voice,
                DeliveryMethod::Text,
            ])),
            auth_token: Some(Secret::new("tenant-phone-token")),
            ..Default::default()
        });
        d.tenant_phone.templates.insert(
            PhoneTemplateType::OtpVerify,
            TenantPhoneTemplate {
                text: Some("{{ code }}".into()),
                ..Default::default()
            },
        );
        let none = MfaState::default();
        let create = build_request(Address::TenantPhoneProvider, &d, &none).unwrap();
        assert_eq!(create.method, HttpMethod::Post);
        assert_eq!(create.path, "/branding/phone/providers");
        assert_eq!(
            create.body,
            Some(json!({
                "name": "twilio",
                "disabled": false,
                "configuration": {
                    "sid": "AC1",
                    "default_from": "+15550001111",
                    "delivery_methods": ["text", "voice"]
                },
                "credentials": {"auth_token": "tenant-phone-token"}
            }))
        );
        assert!(!format!("{create:?}").contains("tenant-phone-token"));
        let template = build_request(
            Address::TenantPhoneTemplate(PhoneTemplateType::OtpVerify),
            &d,
            &none,
        )
        .unwrap();
        assert_eq!(template.method, HttpMethod::Post);
        assert_eq!(
            template.body,
            Some(json!({"content": {"body": {"text": "{{ code }}"}}, "type": "otp_verify"}))
        );

        let mut live = MfaState::default();
        live.tenant_phone.provider = Some(TenantPhoneProvider {
            id: Some("pro_1".into()),
            ..Default::default()
        });
        live.tenant_phone.templates.insert(
            PhoneTemplateType::OtpVerify,
            TenantPhoneTemplate {
                id: Some("tem_1".into()),
                ..Default::default()
            },
        );
        let patch = build_request(Address::TenantPhoneProvider, &d, &live).unwrap();
        assert_eq!(
            (patch.method, patch.path.as_str()),
            (HttpMethod::Patch, "/branding/phone/providers/pro_1")
        );
        let patch = build_request(
            Address::TenantPhoneTemplate(PhoneTemplateType::OtpVerify),
            &d,
            &live,
        )
        .unwrap();
        assert_eq!(
            (patch.method, patch.path.as_str()),
            (HttpMethod::Patch, "/branding/phone/templates/tem_1")
        );
        assert_eq!(
            patch.body,
            Some(json!({"content": {"body": {"text": "{{ code }}"}}}))
        );
    }

    #[test]
    fn tenant_settings_send_only_the_keys_the_file_sets() {
        let mut d = MfaState::default();
        d.tenant_settings = Some(TenantMfaSettings {
            customize_mfa_in_postlogin_action: None,
            mfa_show_factor_list_on_enrollment: Some(true),
        });
        let request = build_request(Address::TenantSettings, &d, &MfaState::default()).unwrap();
        assert_eq!(request.method, HttpMethod::Patch);
        assert_eq!(
            request.body,
            Some(json!({"flags": {"mfa_show_factor_list_on_enrollment": true}}))
        );
    }

    #[test]
    fn unmanaged_addresses_have_no_request() {
        let d = MfaState::default();
        assert!(build_request(Address::Policies, &d, &d).is_none());
        assert!(build_request(Address::Duo, &d, &d).is_none());
        assert!(build_request(Address::Factor(Factor::Otp), &d, &d).is_none());
    }
}
