//! One function per Management API endpoint mfactl uses, with typed bodies.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::client::Client;
use crate::error::ApiError;
use crate::models::{
    ApnsBody, CustomAppBody, DuoBody, FactorEnabledBody, FactorStatus, FcmBody, FcmV1Body,
    MessageTypesBody, PhoneProviderBody, PoliciesBody, PushProviderBody, SnsBody, TemplatesBody,
    TwilioBody, WebAuthnPlatformBody, WebAuthnRoamingBody,
};
use crate::resources::{ReadTarget, parse_without_leaking};
use mfactl_core::model::Factor;
use mfactl_core::request::{ApiRequest, HttpMethod};
use mfactl_core::secret::all_secret_keys;

/// Decodes an answer into `T`; an empty answer (204, no body) counts as `null`, then `{}`.
pub fn decode<T: DeserializeOwned>(method: &str, path: &str, value: Value) -> Result<T, ApiError> {
    let attempt = if value.is_null() {
        serde_json::from_value::<T>(Value::Null)
            .or_else(|_| parse_without_leaking::<T>(Value::Object(Default::default())))
    } else {
        parse_without_leaking::<T>(value)
    };
    attempt.map_err(|detail| ApiError::InvalidResponse {
        method: method.to_string(),
        path: path.to_string(),
        detail,
    })
}

/// A request with a typed body, its secret fields marked.
pub fn request_with_body<B: Serialize>(
    method: HttpMethod,
    path: &str,
    body: &B,
) -> Result<ApiRequest, ApiError> {
    let value = serde_json::to_value(body).map_err(|e| ApiError::InvalidResponse {
        method: method.as_str().to_string(),
        path: path.to_string(),
        detail: format!("could not build the request body: {e}"),
    })?;
    let secret_fields: Vec<&'static str> = match &value {
        Value::Object(map) => all_secret_keys()
            .filter(|field| map.contains_key(*field))
            .collect(),
        _ => Vec::new(),
    };
    Ok(ApiRequest::new(method, path)
        .with_body(value)
        .with_secret_fields(&secret_fields))
}

const PHONE_MESSAGE_TYPES: &str = "/guardian/factors/phone/message-types";
const PHONE_PROVIDER: &str = "/guardian/factors/phone/selected-provider";
const PHONE_TWILIO: &str = "/guardian/factors/phone/providers/twilio";
const PHONE_TEMPLATES: &str = "/guardian/factors/phone/templates";
const PUSH_PROVIDER: &str = "/guardian/factors/push-notification/selected-provider";
const PUSH_SNS: &str = "/guardian/factors/push-notification/providers/sns";
const PUSH_APNS: &str = "/guardian/factors/push-notification/providers/apns";
const PUSH_FCM: &str = "/guardian/factors/push-notification/providers/fcm";
const PUSH_FCMV1: &str = "/guardian/factors/push-notification/providers/fcmv1";
const CUSTOM_APP: &str = "/prompts/mfa-push";
const DUO: &str = "/guardian/factors/duo/settings";
const WEBAUTHN_ROAMING: &str = "/guardian/factors/webauthn-roaming/settings";
const WEBAUTHN_PLATFORM: &str = "/guardian/factors/webauthn-platform/settings";

/// The write path of a factor's on/off switch.
pub fn factor_path(factor: Factor) -> String {
    format!("/guardian/factors/{factor}")
}

impl Client {
    async fn get_typed<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        let value = self.get(path).await?;
        decode("GET", path, value)
    }

    async fn write_typed<B: Serialize, T: DeserializeOwned>(
        &self,
        method: HttpMethod,
        path: &str,
        body: &B,
    ) -> Result<T, ApiError> {
        let request = request_with_body(method, path, body)?;
        let value = self.send(&request).await?;
        decode(method.as_str(), path, value)
    }

    /// `GET /guardian/policies`.
    pub async fn get_policies(&self) -> Result<PoliciesBody, ApiError> {
        self.get_typed(ReadTarget::Policies.path()).await
    }

    /// `PUT /guardian/policies` (a bare array).
    pub async fn put_policies(&self, body: &PoliciesBody) -> Result<PoliciesBody, ApiError> {
        self.write_typed(HttpMethod::Put, ReadTarget::Policies.path(), body)
            .await
    }

    /// `GET /guardian/factors`: every factor and whether it is enabled.
    pub async fn get_factors(&self) -> Result<Vec<FactorStatus>, ApiError> {
        self.get_typed(ReadTarget::Factors.path()).await
    }

    /// `PUT /guardian/factors/{name}` `{"enabled": b}`.
    pub async fn put_factor(
        &self,
        factor: Factor,
        enabled: bool,
    ) -> Result<FactorEnabledBody, ApiError> {
        let body = FactorEnabledBody {
            enabled: Some(enabled),
        };
        self.write_typed(HttpMethod::Put, &factor_path(factor), &body)
            .await
    }

    /// `GET /guardian/factors/phone/message-types`.
    pub async fn get_phone_message_types(&self) -> Result<MessageTypesBody, ApiError> {
        self.get_typed(PHONE_MESSAGE_TYPES).await
    }

    /// `PUT /guardian/factors/phone/message-types`.
    pub async fn put_phone_message_types(
        &self,
        body: &MessageTypesBody,
    ) -> Result<MessageTypesBody, ApiError> {
        self.write_typed(HttpMethod::Put, PHONE_MESSAGE_TYPES, body)
            .await
    }

    /// `GET /guardian/factors/phone/selected-provider`.
    pub async fn get_phone_provider(&self) -> Result<PhoneProviderBody, ApiError> {
        self.get_typed(PHONE_PROVIDER).await
    }

    /// `PUT /guardian/factors/phone/selected-provider`.
    pub async fn put_phone_provider(
        &self,
        body: &PhoneProviderBody,
    ) -> Result<PhoneProviderBody, ApiError> {
        self.write_typed(HttpMethod::Put, PHONE_PROVIDER, body)
            .await
    }

    /// `GET /guardian/factors/phone/providers/twilio` (includes `auth_token`).
    pub async fn get_phone_twilio(&self) -> Result<TwilioBody, ApiError> {
        self.get_typed(PHONE_TWILIO).await
    }

    /// `PUT /guardian/factors/phone/providers/twilio` (omitted fields become null).
    pub async fn put_phone_twilio(&self, body: &TwilioBody) -> Result<TwilioBody, ApiError> {
        self.write_typed(HttpMethod::Put, PHONE_TWILIO, body).await
    }

    /// `GET /guardian/factors/phone/templates`.
    pub async fn get_phone_templates(&self) -> Result<TemplatesBody, ApiError> {
        self.get_typed(PHONE_TEMPLATES).await
    }

    /// `PUT /guardian/factors/phone/templates` (may answer 204).
    pub async fn put_phone_templates(
        &self,
        body: &TemplatesBody,
    ) -> Result<TemplatesBody, ApiError> {
        self.write_typed(HttpMethod::Put, PHONE_TEMPLATES, body)
            .await
    }

    /// `GET /guardian/factors/push-notification/selected-provider`.
    pub async fn get_push_provider(&self) -> Result<PushProviderBody, ApiError> {
        self.get_typed(PUSH_PROVIDER).await
    }

    /// `PUT /guardian/factors/push-notification/selected-provider`.
    pub async fn put_push_provider(
        &self,
        body: &PushProviderBody,
    ) -> Result<PushProviderBody, ApiError> {
        self.write_typed(HttpMethod::Put, PUSH_PROVIDER, body).await
    }

    /// `GET .../push-notification/providers/sns` (without the secret key).
    pub async fn get_push_sns(&self) -> Result<SnsBody, ApiError> {
        self.get_typed(PUSH_SNS).await
    }

    /// `PUT .../push-notification/providers/sns`.
    pub async fn put_push_sns(&self, body: &SnsBody) -> Result<SnsBody, ApiError> {
        self.write_typed(HttpMethod::Put, PUSH_SNS, body).await
    }

    /// `GET .../push-notification/providers/apns` (without `p12`, with `enabled`).
    pub async fn get_push_apns(&self) -> Result<ApnsBody, ApiError> {
        self.get_typed(PUSH_APNS).await
    }

    /// `PUT .../push-notification/providers/apns`.
    pub async fn put_push_apns(&self, body: &ApnsBody) -> Result<ApnsBody, ApiError> {
        self.write_typed(HttpMethod::Put, PUSH_APNS, body).await
    }

    /// `PUT .../push-notification/providers/fcm` (write-only; answers `{}`).
    pub async fn put_push_fcm(&self, body: &FcmBody) -> Result<Value, ApiError> {
        self.write_typed(HttpMethod::Put, PUSH_FCM, body).await
    }

    /// `PUT .../push-notification/providers/fcmv1` (write-only; answers `{}`).
    pub async fn put_push_fcmv1(&self, body: &FcmV1Body) -> Result<Value, ApiError> {
        self.write_typed(HttpMethod::Put, PUSH_FCMV1, body).await
    }

    /// `GET /prompts/mfa-push`.
    pub async fn get_push_custom_app(&self) -> Result<CustomAppBody, ApiError> {
        self.get_typed(CUSTOM_APP).await
    }

    /// `PATCH /prompts/mfa-push`.
    pub async fn patch_push_custom_app(
        &self,
        body: &CustomAppBody,
    ) -> Result<CustomAppBody, ApiError> {
        self.write_typed(HttpMethod::Patch, CUSTOM_APP, body).await
    }

    /// `GET /guardian/factors/duo/settings` (includes `skey`).
    pub async fn get_duo(&self) -> Result<DuoBody, ApiError> {
        self.get_typed(DUO).await
    }

    /// `PUT /guardian/factors/duo/settings`.
    pub async fn put_duo(&self, body: &DuoBody) -> Result<DuoBody, ApiError> {
        self.write_typed(HttpMethod::Put, DUO, body).await
    }

    /// `GET /guardian/factors/webauthn-roaming/settings`.
    pub async fn get_webauthn_roaming(&self) -> Result<WebAuthnRoamingBody, ApiError> {
        self.get_typed(WEBAUTHN_ROAMING).await
    }

    /// `PUT /guardian/factors/webauthn-roaming/settings`.
    pub async fn put_webauthn_roaming(
        &self,
        body: &WebAuthnRoamingBody,
    ) -> Result<WebAuthnRoamingBody, ApiError> {
        self.write_typed(HttpMethod::Put, WEBAUTHN_ROAMING, body)
            .await
    }

    /// `GET /guardian/factors/webauthn-platform/settings`.
    pub async fn get_webauthn_platform(&self) -> Result<WebAuthnPlatformBody, ApiError> {
        self.get_typed(WEBAUTHN_PLATFORM).await
    }

    /// `PUT /guardian/factors/webauthn-platform/settings`.
    pub async fn put_webauthn_platform(
        &self,
        body: &WebAuthnPlatformBody,
    ) -> Result<WebAuthnPlatformBody, ApiError> {
        self.write_typed(HttpMethod::Put, WEBAUTHN_PLATFORM, body)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mfactl_core::secret::Secret;

    #[test]
    fn request_bodies_mark_their_secret_fields() {
        let body = DuoBody {
            ikey: Some("DI".into()),
            skey: Some(Secret::new("duo-secret-value")),
            host: Some("h".into()),
        };
        let request = request_with_body(HttpMethod::Put, DUO, &body).unwrap();
        assert_eq!(request.secret_fields, ["skey"]);
        assert!(!format!("{request:?}").contains("duo-secret-value"));
        assert_eq!(
            request.body.unwrap()["skey"],
            Value::String("duo-secret-value".into())
        );
    }

    #[test]
    fn empty_answers_decode() {
        let _: TemplatesBody = decode("PUT", PHONE_TEMPLATES, Value::Null).unwrap();
        let v: Value = decode("PUT", PUSH_FCM, serde_json::json!({})).unwrap();
        assert_eq!(v, serde_json::json!({}));
        assert!(
            decode::<PoliciesBody>("GET", "/guardian/policies", serde_json::json!({"x":1}))
                .is_err()
        );
    }
}
