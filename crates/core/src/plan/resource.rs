//! Settings resources seen as lists of fields, with the rules the API applies to each.
//!
//! Every resource that is an object (`phone.twilio`, `push.sns`, `duo`, …) is projected into a
//! [`SettingsResource`]: its fields in API order, each with the config key, the JSON key the API
//! uses, the value and how to treat it. The diff, the request builder and the views all work
//! on this one projection, so a field's rules are written once.

use serde_json::{Map, Value};

use crate::model::{Address, MfaState};
use crate::plan::change::FieldKind;
use crate::secret::{REDACTED, Secret};

/// A field's value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FieldValue {
    Text(String),
    Bool(bool),
    Number(u64),
    /// A set of names, kept sorted so that order never makes a difference.
    List(Vec<String>),
    Secret(Secret),
}

impl FieldValue {
    /// The value as the API takes it. Exposes secrets: only for request bodies.
    pub(crate) fn to_api_json(&self) -> Value {
        match self {
            FieldValue::Text(text) => Value::String(text.clone()),
            FieldValue::Bool(b) => Value::Bool(*b),
            FieldValue::Number(n) => Value::from(*n),
            FieldValue::List(items) => Value::from(items.clone()),
            FieldValue::Secret(secret) => Value::String(secret.expose().to_string()),
        }
    }

    /// The value for display: a secret becomes the redaction marker.
    pub(crate) fn to_view(&self) -> Value {
        match self {
            FieldValue::Secret(_) => Value::String(REDACTED.to_string()),
            other => other.to_api_json(),
        }
    }
}

/// What a field that the desired state leaves unset means for the resource's write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unset {
    /// The write replaces the whole resource: an unset field becomes `null`, so it is compared
    /// with the live value (which must be `null` too).
    Null,
    /// The write leaves the field as it is: an unset field is neither compared nor sent.
    Keep,
    /// As `Keep` for the comparison, but the write must carry every field, so the live value is
    /// sent back unchanged.
    KeepAndResend,
}

/// One field of a settings resource.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    /// The key in the config file (and in plan views).
    pub config_name: &'static str,
    /// The key in the API's JSON body.
    pub api_name: &'static str,
    pub value: Option<FieldValue>,
    pub kind: FieldKind,
    /// The value the API reports when the field was never set; unset and this value compare
    /// equal.
    pub default: Option<FieldValue>,
}

impl Field {
    fn new(config_name: &'static str, api_name: &'static str, value: Option<FieldValue>) -> Self {
        Field {
            config_name,
            api_name,
            value,
            kind: FieldKind::Plain,
            default: None,
        }
    }

    fn kind(mut self, kind: FieldKind) -> Self {
        self.kind = kind;
        self
    }

    fn default(mut self, default: FieldValue) -> Self {
        self.default = Some(default);
        self
    }

    /// The value as compared: an empty string is unset (the API reads both back as `null`),
    /// and an unset field takes its default.
    pub(crate) fn normalised(&self) -> Option<FieldValue> {
        match &self.value {
            Some(FieldValue::Text(text)) if text.is_empty() => self.default.clone(),
            None => self.default.clone(),
            Some(value) => Some(value.clone()),
        }
    }
}

/// A settings resource projected into fields.
#[derive(Debug, Clone)]
pub(crate) struct SettingsResource {
    pub unset: Unset,
    pub fields: Vec<Field>,
}

impl SettingsResource {
    /// Whether the resource holds no value beyond the API's defaults: never configured.
    pub(crate) fn is_blank(&self) -> bool {
        self.fields
            .iter()
            .filter(|f| f.kind != FieldKind::WriteOnly)
            .all(|f| f.normalised() == f.default)
    }

    /// The field with this config key.
    pub(crate) fn field(&self, config_name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.config_name == config_name)
    }

    /// The config keys of secret fields.
    pub(crate) fn sensitive_fields(&self) -> Vec<&'static str> {
        self.fields
            .iter()
            .filter(|f| f.kind.is_sensitive())
            .map(|f| f.config_name)
            .collect()
    }

    /// The top-level body keys that hold secrets, for
    /// [`crate::request::ApiRequest::secret_fields`] (a nested secret such as
    /// `credentials.auth_token` marks its whole top-level object).
    pub(crate) fn secret_api_names(&self) -> Vec<&'static str> {
        let mut names: Vec<&'static str> = self
            .fields
            .iter()
            .filter(|f| f.kind.is_sensitive())
            .map(|f| f.api_name.split('.').next().unwrap_or(f.api_name))
            .collect();
        names.dedup();
        names
    }

    /// The write-only fields this state sets.
    pub(crate) fn write_only_set(&self) -> Vec<&'static str> {
        self.fields
            .iter()
            .filter(|f| f.kind == FieldKind::WriteOnly && f.value.is_some())
            .map(|f| f.config_name)
            .collect()
    }

    /// The resource in the config file's shape with secrets redacted. Write-only fields are
    /// left out when `include_write_only` is false (a live read never knows them).
    pub(crate) fn view(&self, include_write_only: bool) -> Value {
        let mut map = Map::new();
        for field in &self.fields {
            if field.kind == FieldKind::WriteOnly && !include_write_only {
                continue;
            }
            let value = field
                .value
                .as_ref()
                .map(FieldValue::to_view)
                .unwrap_or(Value::Null);
            map.insert(field.config_name.to_string(), value);
        }
        Value::Object(map)
    }
}

fn text(value: &Option<String>) -> Option<FieldValue> {
    value.clone().map(FieldValue::Text)
}

fn secret(value: &Option<Secret>) -> Option<FieldValue> {
    value.clone().map(FieldValue::Secret)
}

fn boolean(value: Option<bool>) -> Option<FieldValue> {
    value.map(FieldValue::Bool)
}

fn number(value: Option<u64>) -> Option<FieldValue> {
    value.map(FieldValue::Number)
}

fn names<T: ToString>(value: Option<&std::collections::BTreeSet<T>>) -> Option<FieldValue> {
    value.map(|set| FieldValue::List(set.iter().map(ToString::to_string).collect()))
}

fn otp_fields(otp: &crate::model::OtpSettings) -> Vec<Field> {
    vec![
        Field::new("length", "otp_length", number(otp.length)),
        Field::new(
            "expiration_time",
            "otp_expiration_time",
            number(otp.expiration_time),
        ),
    ]
}

/// Projects the settings resource at `address` out of `state`; `None` when the address is not a
/// settings resource or the state does not hold it.
///
/// The rule for unset fields follows each endpoint's write:
/// - `phone.twilio`: the PUT overwrites all four fields (an omitted one reads back `null`), so
///   unset compares to `null`.
/// - `phone.templates`: the PUT takes both messages; an unset one is not compared and its live
///   text is sent back unchanged.
/// - `push.sns`, `push.apns`, `duo`, `webauthn_*`: an unset field is not compared and not sent,
///   so a file that leaves a field out never fights the tenant over it.
/// - `push.custom_app`: a PATCH; unset fields are not compared and not sent.
/// - `push.apns.sandbox`: unset means `false`, the API's default.
/// - `push.fcm`, `push.fcmv1`: one write-only secret each; never compared.
pub(crate) fn settings_resource(address: Address, state: &MfaState) -> Option<SettingsResource> {
    use FieldKind::{Sensitive, Template, WriteOnly};
    let (unset, fields) = match address {
        Address::PhoneTwilio => {
            let t = state.phone.twilio.as_ref()?;
            (
                Unset::Null,
                vec![
                    Field::new("sid", "sid", text(&t.sid)),
                    Field::new("auth_token", "auth_token", secret(&t.auth_token)).kind(Sensitive),
                    Field::new("from", "from", text(&t.from)),
                    Field::new(
                        "messaging_service_sid",
                        "messaging_service_sid",
                        text(&t.messaging_service_sid),
                    ),
                ],
            )
        }
        Address::PhoneTemplates => {
            let t = state.phone.templates.as_ref()?;
            (
                Unset::KeepAndResend,
                vec![
                    Field::new(
                        "enrollment_message",
                        "enrollment_message",
                        text(&t.enrollment_message),
                    )
                    .kind(Template),
                    Field::new(
                        "verification_message",
                        "verification_message",
                        text(&t.verification_message),
                    )
                    .kind(Template),
                ],
            )
        }
        Address::PushSns => {
            let s = state.push.sns.as_ref()?;
            (
                Unset::Keep,
                vec![
                    Field::new(
                        "aws_access_key_id",
                        "aws_access_key_id",
                        text(&s.aws_access_key_id),
                    ),
                    Field::new(
                        "aws_secret_access_key",
                        "aws_secret_access_key",
                        secret(&s.aws_secret_access_key),
                    )
                    .kind(WriteOnly),
                    Field::new("aws_region", "aws_region", text(&s.aws_region)),
                    Field::new(
                        "sns_apns_platform_application_arn",
                        "sns_apns_platform_application_arn",
                        text(&s.sns_apns_platform_application_arn),
                    ),
                    Field::new(
                        "sns_gcm_platform_application_arn",
                        "sns_gcm_platform_application_arn",
                        text(&s.sns_gcm_platform_application_arn),
                    ),
                ],
            )
        }
        Address::PushApns => {
            let a = state.push.apns.as_ref()?;
            (
                Unset::Keep,
                vec![
                    Field::new("bundle_id", "bundle_id", text(&a.bundle_id)),
                    Field::new("sandbox", "sandbox", boolean(a.sandbox))
                        .default(FieldValue::Bool(false)),
                    Field::new("p12", "p12", secret(&a.p12)).kind(WriteOnly),
                ],
            )
        }
        Address::PushFcm => {
            let f = state.push.fcm.as_ref()?;
            (
                Unset::Keep,
                vec![Field::new("server_key", "server_key", secret(&f.server_key)).kind(WriteOnly)],
            )
        }
        Address::PushFcmV1 => {
            let f = state.push.fcmv1.as_ref()?;
            (
                Unset::Keep,
                vec![
                    Field::new(
                        "server_credentials",
                        "server_credentials",
                        secret(&f.server_credentials),
                    )
                    .kind(WriteOnly),
                ],
            )
        }
        Address::PushCustomApp => {
            let c = state.push.custom_app.as_ref()?;
            (
                Unset::Keep,
                vec![
                    Field::new("app_name", "app_name", text(&c.app_name)),
                    Field::new("apple_app_link", "apple_app_link", text(&c.apple_app_link)),
                    Field::new(
                        "google_app_link",
                        "google_app_link",
                        text(&c.google_app_link),
                    ),
                ],
            )
        }
        Address::Duo => {
            let d = state.duo.as_ref()?;
            (
                Unset::Keep,
                vec![
                    Field::new("ikey", "ikey", text(&d.ikey)),
                    Field::new("skey", "skey", secret(&d.skey)).kind(Sensitive),
                    Field::new("host", "host", text(&d.host)),
                ],
            )
        }
        Address::WebAuthnRoaming => {
            let w = state.webauthn_roaming.as_ref()?;
            (
                Unset::Keep,
                vec![
                    Field::new(
                        "user_verification",
                        "userVerification",
                        w.user_verification
                            .map(|u| FieldValue::Text(u.as_str().to_string())),
                    ),
                    Field::new(
                        "override_relying_party",
                        "overrideRelyingParty",
                        boolean(w.override_relying_party),
                    ),
                    Field::new(
                        "relying_party_identifier",
                        "relyingPartyIdentifier",
                        text(&w.relying_party_identifier),
                    ),
                ],
            )
        }
        Address::WebAuthnPlatform => {
            let w = state.webauthn_platform.as_ref()?;
            (
                Unset::Keep,
                vec![
                    Field::new(
                        "override_relying_party",
                        "overrideRelyingParty",
                        boolean(w.override_relying_party),
                    ),
                    Field::new(
                        "relying_party_identifier",
                        "relyingPartyIdentifier",
                        text(&w.relying_party_identifier),
                    ),
                ],
            )
        }
        Address::PhoneOtp => (Unset::KeepAndResend, otp_fields(state.phone.otp.as_ref()?)),
        Address::EmailOtp => (Unset::KeepAndResend, otp_fields(state.email_otp.as_ref()?)),
        Address::MfaSession => {
            let m = state.mfa_session.as_ref()?;
            (
                Unset::KeepAndResend,
                vec![
                    Field::new(
                        "display_remember_me_checkbox",
                        "display_remember_me_checkbox",
                        boolean(m.display_remember_me_checkbox),
                    ),
                    Field::new(
                        "remember_me_default_value",
                        "remember_me_default_value",
                        boolean(m.remember_me_default_value),
                    ),
                    Field::new(
                        "inactivity_timeout",
                        "mfa_session_inactivity_timeout",
                        number(m.inactivity_timeout),
                    ),
                    Field::new(
                        "overall_timeout",
                        "mfa_session_overall_timeout",
                        number(m.overall_timeout),
                    ),
                ],
            )
        }
        Address::TenantSettings => {
            let t = state.tenant_settings.as_ref()?;
            (
                Unset::Keep,
                vec![
                    Field::new(
                        "customize_mfa_in_postlogin_action",
                        "customize_mfa_in_postlogin_action",
                        boolean(t.customize_mfa_in_postlogin_action),
                    ),
                    Field::new(
                        "mfa_show_factor_list_on_enrollment",
                        "flags.mfa_show_factor_list_on_enrollment",
                        boolean(t.mfa_show_factor_list_on_enrollment),
                    ),
                ],
            )
        }
        Address::TenantPhoneProvider => {
            let p = state.tenant_phone.provider.as_ref()?;
            (
                Unset::Null,
                vec![
                    Field::new(
                        "name",
                        "name",
                        p.name.map(|n| FieldValue::Text(n.to_string())),
                    ),
                    Field::new("disabled", "disabled", boolean(p.disabled))
                        .default(FieldValue::Bool(false)),
                    Field::new("sid", "configuration.sid", text(&p.sid)),
                    Field::new(
                        "default_from",
                        "configuration.default_from",
                        text(&p.default_from),
                    ),
                    Field::new("mssid", "configuration.mssid", text(&p.mssid)),
                    Field::new(
                        "delivery_methods",
                        "configuration.delivery_methods",
                        names(p.delivery_methods.as_ref()),
                    ),
                    Field::new(
                        "auth_token",
                        "credentials.auth_token",
                        secret(&p.auth_token),
                    )
                    .kind(WriteOnly),
                ],
            )
        }
        Address::TenantPhoneTemplate(kind) => {
            let t = state.tenant_phone.templates.get(&kind)?;
            (
                Unset::Keep,
                vec![
                    Field::new("disabled", "disabled", boolean(t.disabled)),
                    Field::new("from", "content.from", text(&t.from)),
                    Field::new("text", "content.body.text", text(&t.text)).kind(Template),
                    Field::new("voice", "content.body.voice", text(&t.voice)).kind(Template),
                ],
            )
        }
        Address::Policies
        | Address::Factor(_)
        | Address::PhoneMessageTypes
        | Address::PhoneProvider
        | Address::PushProvider => return None,
    };
    Some(SettingsResource { unset, fields })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ApnsSettings, TwilioSettings};

    #[test]
    fn empty_strings_and_defaults_normalise() {
        let mut state = MfaState::default();
        state.phone.twilio = Some(TwilioSettings {
            messaging_service_sid: Some(String::new()),
            ..Default::default()
        });
        let twilio = settings_resource(Address::PhoneTwilio, &state).unwrap();
        assert_eq!(
            twilio.field("messaging_service_sid").unwrap().normalised(),
            None
        );
        assert!(twilio.is_blank());

        state.push.apns = Some(ApnsSettings::default());
        let apns = settings_resource(Address::PushApns, &state).unwrap();
        assert_eq!(
            apns.field("sandbox").unwrap().normalised(),
            Some(FieldValue::Bool(false))
        );
        assert!(apns.is_blank());
    }

    #[test]
    fn views_redact_secrets_and_can_leave_write_only_out() {
        let mut state = MfaState::default();
        state.push.apns = Some(ApnsSettings {
            bundle_id: Some("com.acme".into()),
            sandbox: None,
            p12: Some(Secret::new("p12-secret")),
        });
        let apns = settings_resource(Address::PushApns, &state).unwrap();
        let full = apns.view(true).to_string();
        assert!(!full.contains("p12-secret"), "{full}");
        assert!(full.contains(REDACTED), "{full}");
        assert!(apns.view(false).get("p12").is_none());
    }
}
