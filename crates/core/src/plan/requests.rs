//! The exact Management API request that writes each address, built from its spec.

use serde_json::{Map, Value};

use crate::live::read::insert_path;
use crate::model::{Address, MfaState, Values};
use crate::request::{ApiRequest, HttpMethod};
use crate::resource::instance::applies;
use crate::resource::{CollectionSpec, FieldSpec, Personal, Semantics};

/// The request that brings `address` to its desired value, or `None` when `desired` does not
/// manage it.
///
/// The body holds every field the desired state sets (and a field's default when it leaves it
/// unset); for endpoints that want every field in each write, the live values of the fields
/// it leaves unset. A resource created once and then addressed by id is POSTed when `live`
/// has none and PATCHed by id otherwise. The body holds secret values in clear;
/// `secret_fields` names the top-level keys that do, and every display redacts them.
pub fn build_request(address: &Address, desired: &MfaState, live: &MfaState) -> Option<ApiRequest> {
    let spec = address.spec();
    let wanted = desired.get(address)?;
    let current = live.get(address);
    let mut map = Map::new();
    let mut bare = None;
    for field in spec.fields {
        let mut value = wanted
            .get(field.key)
            .cloned()
            .or_else(|| field.default.map(|d| d.to_value()));
        if value.is_none() && spec.semantics == Semantics::MergeResendingAll {
            value = current.and_then(|c| c.get(field.key)).cloned();
        }
        let Some(value) = value else {
            continue;
        };
        if field.api.is_empty() {
            bare = Some(value.to_api_json());
        } else {
            insert_path(&mut map, field.api, value.to_api_json());
        }
    }
    let path = address.fill(spec.write.path);
    let (method, path) = match (spec.write.by_id, current.and_then(|c| c.id.as_deref())) {
        (Some(_), Some(id)) => (HttpMethod::Patch, format!("{path}/{id}")),
        (Some(by_id), None) => {
            if let (Some(field), Some(key)) = (by_id.key_field_on_create, address.name()) {
                map.insert(field.to_string(), Value::String(key.to_string()));
            }
            (spec.write.method, path)
        }
        (None, _) => (spec.write.method, path),
    };
    let mut secret_fields = secret_keys(spec.fields);
    secret_fields.dedup();
    Some(
        ApiRequest::new(method, path)
            .with_body(bare.unwrap_or(Value::Object(map)))
            .with_secret_fields(&secret_fields),
    )
}

/// The request that creates one item of `address`'s collection (`POST` to the collection):
/// every field of `of` the item sets (and that applies to it), at its API key. The body holds
/// secrets and personal data in clear; the request marks them, so every display hides them.
pub fn item_create(address: &Address, of: &'static [FieldSpec], item: &Values) -> ApiRequest {
    let spec = address.spec();
    let mut map = Map::new();
    for field in of.iter().filter(|f| !f.local && applies(f, item)) {
        if let Some(value) = item.get(field.key) {
            insert_path(&mut map, field.api, value.to_api_json());
        }
    }
    ApiRequest::new(spec.write.method, address.fill(spec.write.path))
        .with_body(Value::Object(map))
        .with_secret_fields(&secret_keys(of))
        .with_personal_fields(&personal_keys(of))
}

/// The request that changes `fields` of the live item `id` to the file's values (`PATCH`).
pub fn item_update(
    address: &Address,
    collection: &CollectionSpec,
    of: &'static [FieldSpec],
    id: &str,
    item: &Values,
    fields: &[&'static str],
) -> ApiRequest {
    let mut map = Map::new();
    for field in of.iter().filter(|f| fields.contains(&f.key)) {
        if let Some(value) = item.get(field.key) {
            insert_path(&mut map, field.api, value.to_api_json());
        }
    }
    let user = address.key().first().map(String::as_str).unwrap_or("");
    ApiRequest::new(
        collection.update.method,
        collection.update.fill(&[user, id]),
    )
    .with_body(Value::Object(map))
    .with_secret_fields(&secret_keys(of))
    .with_personal_fields(&personal_keys(of))
}

/// The request that deletes the live item `id` (`DELETE`).
pub fn item_delete(address: &Address, collection: &CollectionSpec, id: &str) -> ApiRequest {
    let user = address.key().first().map(String::as_str).unwrap_or("");
    ApiRequest::new(
        collection.delete.method,
        collection.delete.fill(&[user, id]),
    )
}

fn secret_keys(of: &[FieldSpec]) -> Vec<&'static str> {
    of.iter()
        .filter(|f| f.is_secret())
        .map(|f| f.api_top())
        .collect()
}

fn personal_keys(of: &[FieldSpec]) -> Vec<(&'static str, Personal)> {
    of.iter()
        .filter_map(|f| Some((f.api_top(), f.personal?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Factor, FieldValue, Policy, Values};
    use crate::resource::ResourceSpec;
    use crate::resource::specs::*;
    use crate::secret::Secret;
    use serde_json::json;

    fn text(value: &str) -> FieldValue {
        FieldValue::Text(value.to_string())
    }

    fn set<const N: usize>(
        state: &mut MfaState,
        address: Address,
        fields: [(&'static str, FieldValue); N],
    ) {
        state.insert(address, Values::of(fields));
    }

    fn of(spec: &'static ResourceSpec) -> Address {
        Address::of(spec)
    }

    fn body(address: Address, desired: &MfaState) -> Value {
        build_request(&address, desired, &MfaState::default())
            .unwrap()
            .body
            .unwrap()
    }

    #[test]
    fn bodies_match_what_the_api_takes() {
        let mut d = MfaState::default();
        d.set_policies([Policy::AllApplications]);
        d.set_factor(Factor::RecoveryCode, true);
        d.set_factor(Factor::PushNotification, true);
        set(
            &mut d,
            of(&PHONE_MESSAGE_TYPES),
            [("message_types", FieldValue::list(["voice", "sms"]))],
        );
        set(
            &mut d,
            of(&PHONE_PROVIDER),
            [("provider", text("phone-message-hook"))],
        );
        set(&mut d, of(&PUSH_PROVIDER), [("provider", text("sns"))]);
        set(
            &mut d,
            of(&WEBAUTHN_ROAMING),
            [
                ("user_verification", text("required")),
                ("override_relying_party", FieldValue::Bool(false)),
            ],
        );
        set(&mut d, of(&PUSH_CUSTOM_APP), [("app_name", text("Acme"))]);
        assert_eq!(body(of(&POLICIES), &d), json!(["all-applications"]));
        assert_eq!(
            body(MfaState::factor_address(Factor::RecoveryCode), &d),
            json!({"enabled": true})
        );
        assert_eq!(
            body(of(&PHONE_MESSAGE_TYPES), &d),
            json!({"message_types": ["sms", "voice"]})
        );
        assert_eq!(
            body(of(&PHONE_PROVIDER), &d),
            json!({"provider": "phone-message-hook"})
        );
        assert_eq!(body(of(&PUSH_PROVIDER), &d), json!({"provider": "sns"}));
        assert_eq!(
            body(of(&WEBAUTHN_ROAMING), &d),
            json!({"userVerification": "required", "overrideRelyingParty": false})
        );
        let custom = build_request(&of(&PUSH_CUSTOM_APP), &d, &MfaState::default()).unwrap();
        assert_eq!(custom.method, HttpMethod::Patch);
        assert_eq!(custom.path, "/prompts/mfa-push");
        assert_eq!(custom.body, Some(json!({"app_name": "Acme"})));
        let push = MfaState::factor_address(Factor::PushNotification);
        let request = build_request(&push, &d, &MfaState::default()).unwrap();
        assert_eq!(
            (request.method, request.path.as_str()),
            (HttpMethod::Put, "/guardian/factors/push-notification")
        );
    }

    #[test]
    fn secrets_are_sent_but_marked() {
        let mut d = MfaState::default();
        set(
            &mut d,
            of(&PUSH_SNS),
            [
                ("aws_access_key_id", text("AKIA1")),
                (
                    "aws_secret_access_key",
                    FieldValue::Secret(Secret::new("aws-secret")),
                ),
                ("aws_region", text("us-east-1")),
            ],
        );
        let request = build_request(&of(&PUSH_SNS), &d, &MfaState::default()).unwrap();
        assert_eq!(
            request.body,
            Some(json!({
                "aws_access_key_id": "AKIA1",
                "aws_secret_access_key": "aws-secret",
                "aws_region": "us-east-1"
            }))
        );
        assert_eq!(request.secret_fields, ["aws_secret_access_key"]);
        assert!(!format!("{request:?}").contains("aws-secret"));
    }

    #[test]
    fn templates_send_back_the_live_text_of_an_unset_message() {
        let mut d = MfaState::default();
        set(
            &mut d,
            of(&PHONE_TEMPLATES),
            [("enrollment_message", text("{{code}} enrol"))],
        );
        let mut live = MfaState::default();
        set(
            &mut live,
            of(&PHONE_TEMPLATES),
            [
                ("enrollment_message", text("old")),
                ("verification_message", text("{{code}} verify")),
            ],
        );
        let request = build_request(&of(&PHONE_TEMPLATES), &d, &live).unwrap();
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
        set(
            &mut d,
            of(&TENANT_PHONE_PROVIDER),
            [
                ("name", text("twilio")),
                ("disabled", FieldValue::Bool(false)),
                ("sid", text("AC1")),
                ("default_from", text("+15550001111")),
                ("delivery_methods", FieldValue::list(["voice", "text"])),
                (
                    "auth_token",
                    FieldValue::Secret(Secret::new("tenant-phone-token")),
                ),
            ],
        );
        let otp_verify = Address::keyed(&TENANT_PHONE_TEMPLATES, ["otp_verify"]);
        set(&mut d, otp_verify.clone(), [("text", text("{{ code }}"))]);
        let none = MfaState::default();
        let create = build_request(&of(&TENANT_PHONE_PROVIDER), &d, &none).unwrap();
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
        let template = build_request(&otp_verify, &d, &none).unwrap();
        assert_eq!(template.method, HttpMethod::Post);
        assert_eq!(
            template.body,
            Some(json!({"content": {"body": {"text": "{{ code }}"}}, "type": "otp_verify"}))
        );

        let mut live = MfaState::default();
        let with_id = |id: &str| Values {
            id: Some(id.to_string()),
            ..Values::default()
        };
        live.insert(of(&TENANT_PHONE_PROVIDER), with_id("pro_1"));
        live.insert(otp_verify.clone(), with_id("tem_1"));
        let patch = build_request(&of(&TENANT_PHONE_PROVIDER), &d, &live).unwrap();
        assert_eq!(
            (patch.method, patch.path.as_str()),
            (HttpMethod::Patch, "/branding/phone/providers/pro_1")
        );
        let patch = build_request(&otp_verify, &d, &live).unwrap();
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
        set(
            &mut d,
            of(&TENANT_SETTINGS),
            [("mfa_show_factor_list_on_enrollment", FieldValue::Bool(true))],
        );
        let request = build_request(&of(&TENANT_SETTINGS), &d, &MfaState::default()).unwrap();
        assert_eq!(request.method, HttpMethod::Patch);
        assert_eq!(
            request.body,
            Some(json!({"flags": {"mfa_show_factor_list_on_enrollment": true}}))
        );
    }

    #[test]
    fn prompt_texts_put_the_whole_language_object() {
        let mut d = MfaState::default();
        let texts = serde_json::from_value(json!({
            "mfa-sms-enrollment": {"title": "Secure your account", "description": "We text you"}
        }))
        .map(FieldValue::Texts)
        .unwrap();
        let address = Address::keyed(&PROMPT_TEXTS, ["mfa-sms", "en"]);
        set(&mut d, address.clone(), [("texts", texts)]);
        let request = build_request(&address, &d, &MfaState::default()).unwrap();
        assert_eq!(
            (request.method, request.path.as_str()),
            (HttpMethod::Put, "/prompts/mfa-sms/custom-text/en")
        );
        assert_eq!(
            request.body,
            Some(json!({
                "mfa-sms-enrollment": {"description": "We text you", "title": "Secure your account"}
            }))
        );
    }

    #[test]
    fn unmanaged_addresses_have_no_request() {
        let d = MfaState::default();
        assert!(build_request(&of(&POLICIES), &d, &d).is_none());
        assert!(build_request(&of(&DUO), &d, &d).is_none());
        assert!(build_request(&MfaState::factor_address(Factor::Otp), &d, &d).is_none());
        let texts = Address::keyed(&PROMPT_TEXTS, ["mfa", "en"]);
        assert!(build_request(&texts, &d, &d).is_none());
    }
}
