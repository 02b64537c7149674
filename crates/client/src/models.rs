//! Request and response bodies of the Management API, as the real API sends them.
//!
//! Every response type accepts unknown fields, `null` for any optional field, and `{}`. Secret
//! fields are [`Secret`]s, so `Debug` never shows them; they serialize as plain strings only when
//! a request body is built.

use serde::{Deserialize, Serialize};

use mfactl_core::model::{MessageType, PhoneProvider, Policy, PushProvider, UserVerification};
use mfactl_core::secret::Secret;

/// (De)serializes an `Option<Secret>` as an optional JSON string.
pub mod secret_field {
    use serde::{Deserialize, Deserializer, Serializer};

    use mfactl_core::secret::Secret;

    pub fn serialize<S: Serializer>(value: &Option<Secret>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(secret) => s.serialize_some(secret.expose()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Secret>, D::Error> {
        Ok(Option::<String>::deserialize(d)?.map(Secret::new))
    }
}

/// `GET /guardian/policies` and the `PUT` body: a bare array.
pub type PoliciesBody = Vec<Policy>;

/// One entry of `GET /guardian/factors`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct FactorStatus {
    pub name: String,
    #[serde(default)]
    pub enabled: bool,
    #[serde(default)]
    pub trial_expired: Option<bool>,
}

/// `PUT /guardian/factors/{name}` body and answer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
pub struct FactorEnabledBody {
    #[serde(default)]
    pub enabled: Option<bool>,
}

/// `/guardian/factors/phone/message-types`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct MessageTypesBody {
    pub message_types: Option<Vec<MessageType>>,
}

/// `/guardian/factors/phone/selected-provider`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct PhoneProviderBody {
    pub provider: Option<PhoneProvider>,
}

/// `/guardian/factors/push-notification/selected-provider`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct PushProviderBody {
    pub provider: Option<PushProvider>,
}

/// `/guardian/factors/phone/providers/twilio`. The GET returns `auth_token`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct TwilioBody {
    pub sid: Option<String>,
    #[serde(with = "secret_field")]
    pub auth_token: Option<Secret>,
    pub from: Option<String>,
    pub messaging_service_sid: Option<String>,
}

/// `/guardian/factors/phone/templates`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct TemplatesBody {
    pub enrollment_message: Option<String>,
    pub verification_message: Option<String>,
}

/// `/guardian/factors/push-notification/providers/sns`. The GET omits the secret key.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct SnsBody {
    pub aws_access_key_id: Option<String>,
    #[serde(with = "secret_field", skip_serializing_if = "Option::is_none")]
    pub aws_secret_access_key: Option<Secret>,
    pub aws_region: Option<String>,
    pub sns_apns_platform_application_arn: Option<String>,
    pub sns_gcm_platform_application_arn: Option<String>,
}

/// `/guardian/factors/push-notification/providers/apns`. The GET omits `p12` and adds `enabled`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ApnsBody {
    pub bundle_id: Option<String>,
    pub sandbox: Option<bool>,
    #[serde(with = "secret_field", skip_serializing_if = "Option::is_none")]
    pub p12: Option<Secret>,
    /// Informational, sent by the GET only.
    #[serde(skip_serializing)]
    pub enabled: Option<bool>,
}

/// `PUT /guardian/factors/push-notification/providers/fcm` (answers `{}`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct FcmBody {
    #[serde(with = "secret_field")]
    pub server_key: Option<Secret>,
}

/// `PUT /guardian/factors/push-notification/providers/fcmv1` (answers `{}`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct FcmV1Body {
    #[serde(with = "secret_field")]
    pub server_credentials: Option<Secret>,
}

/// `/prompts/mfa-push`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct CustomAppBody {
    pub app_name: Option<String>,
    pub apple_app_link: Option<String>,
    pub google_app_link: Option<String>,
}

/// `/guardian/factors/duo/settings`. The GET returns `skey`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct DuoBody {
    pub ikey: Option<String>,
    #[serde(with = "secret_field")]
    pub skey: Option<Secret>,
    pub host: Option<String>,
}

/// `/guardian/factors/webauthn-roaming/settings` (camelCase keys).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase")]
pub struct WebAuthnRoamingBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_verification: Option<UserVerification>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub override_relying_party: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relying_party_identifier: Option<String>,
}

/// `/guardian/factors/webauthn-platform/settings` (camelCase keys).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase")]
pub struct WebAuthnPlatformBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub override_relying_party: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relying_party_identifier: Option<String>,
}

/// The API's error answer: `{"statusCode":403,"error":"Forbidden","message":"…","errorCode":"…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ErrorBody {
    pub status_code: Option<u16>,
    pub error: Option<String>,
    pub message: Option<String>,
    pub error_code: Option<String>,
    /// The token endpoint's OAuth error fields.
    #[serde(rename = "error_description")]
    pub error_description: Option<String>,
}

/// The token endpoint's answer.
#[derive(Debug, Clone, Deserialize)]
pub struct TokenResponse {
    #[serde(with = "secret_field", default)]
    pub access_token: Option<Secret>,
    #[serde(default)]
    pub scope: Option<String>,
    #[serde(default)]
    pub expires_in: Option<u64>,
    #[serde(default)]
    pub token_type: Option<String>,
}

/// The token endpoint's request for the client-credentials grant.
#[derive(Serialize)]
pub struct ClientCredentialsRequest<'a> {
    pub grant_type: &'static str,
    pub client_id: &'a str,
    pub client_secret: &'a str,
    pub audience: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nulls_and_empty_bodies_parse() {
        let twilio: TwilioBody = serde_json::from_str(
            r#"{"auth_token":"tok","sid":"s","from":null,"messaging_service_sid":null,"extra":1}"#,
        )
        .unwrap();
        assert_eq!(twilio.from, None);
        assert_eq!(twilio.auth_token, Some(Secret::new("tok")));
        assert!(!format!("{twilio:?}").contains("tok\""));
        let _: SnsBody = serde_json::from_str("{}").unwrap();
        let _: FcmBody = serde_json::from_str("{}").unwrap();
    }

    #[test]
    fn webauthn_uses_camel_case() {
        let body: WebAuthnRoamingBody =
            serde_json::from_str(r#"{"userVerification":"required","overrideRelyingParty":false}"#)
                .unwrap();
        assert_eq!(body.user_verification, Some(UserVerification::Required));
        assert_eq!(body.override_relying_party, Some(false));
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r#"{"userVerification":"required","overrideRelyingParty":false}"#
        );
    }

    #[test]
    fn error_body_parses() {
        let body: ErrorBody = serde_json::from_str(
            r#"{"statusCode":403,"error":"Forbidden","message":"Insufficient scope, expected any of: read:guardian_factors","errorCode":"insufficient_scope"}"#,
        )
        .unwrap();
        assert_eq!(body.error_code.as_deref(), Some("insufficient_scope"));
    }
}
