//! The config file as written: serde types that keep every value's location.
//!
//! Enumerated values are read as strings and checked by validation, so that every bad value in a
//! file is reported at once; the JSON Schema still lists their allowed values. Doc comments here
//! become the schema's descriptions, which editors show on hover.

use schemars::JsonSchema;
use serde::Deserialize;

use super::flag::Flag;
use super::located::{Field, Located};
use crate::model::{
    DeliveryMethod, MessageType, PhoneProvider, Policy, PushProvider, TenantPhoneProviderName,
    UserVerification,
};

/// mfactl configuration: the multi-factor authentication settings an Auth0 tenant must have.
/// A key that is absent is unmanaged: mfactl never reads, writes or shows it.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "mfactl configuration")]
pub struct RawConfig {
    /// Version of this file's format. Always 1.
    #[schemars(range(min = 1, max = 1))]
    pub version: Located<u32>,

    /// The tenant's domain (e.g. `acme-prod.eu.auth0.com`). When set, mfactl refuses to run
    /// against any other domain.
    #[serde(default)]
    #[schemars(length(min = 1, max = 255))]
    pub tenant: Field<String>,

    /// When MFA is required: `[]` never, `[all-applications]` on every login,
    /// `[confidence-score]` only when Adaptive MFA judges the login risky. At most one.
    #[serde(default)]
    #[schemars(with = "Vec<Policy>", length(max = 1))]
    pub policies: Field<Vec<Located<String>>>,

    /// Which factors are enabled. Only the factors listed here are managed.
    #[serde(default)]
    pub factors: Field<RawFactors>,

    /// The phone factor (`sms` in `factors`): SMS and voice.
    #[serde(default)]
    pub phone: Field<RawPhone>,

    /// The push-notification factor.
    #[serde(default)]
    pub push: Field<RawPush>,

    /// Duo Security settings.
    #[serde(default)]
    pub duo: Field<RawDuo>,

    /// WebAuthn with security keys (`webauthn-roaming`).
    #[serde(default)]
    pub webauthn_roaming: Field<RawWebAuthnRoaming>,

    /// WebAuthn with device biometrics (`webauthn-platform`).
    #[serde(default)]
    pub webauthn_platform: Field<RawWebAuthnPlatform>,

    /// The email factor's settings.
    #[serde(default)]
    pub email: Field<RawEmail>,

    /// Tenant Phone Settings: the phone provider and message templates of tenants on the
    /// consolidated phone experience (new tenants). MFA on legacy tenants uses `phone` instead.
    #[serde(default)]
    pub tenant_phone: Field<RawTenantPhone>,

    /// How long an MFA session lasts, and the "remember this device" checkbox.
    #[serde(default)]
    pub mfa_session: Field<RawMfaSession>,

    /// MFA-related tenant settings. Only the keys written here are ever sent.
    #[serde(default)]
    pub tenant_settings: Field<RawTenantSettings>,
}

/// `true` enables a factor, `false` disables it; a factor not listed is left as it is.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
#[schemars(rename = "Factors")]
pub struct RawFactors {
    /// SMS and voice codes; configure them under `phone`.
    pub sms: Field<Flag>,
    /// Push notifications to Auth0 Guardian or your own app; configure them under `push`.
    pub push_notification: Field<Flag>,
    /// One-time passwords from an authenticator app.
    pub otp: Field<Flag>,
    /// Codes sent by email (only for users with a verified email address).
    pub email: Field<Flag>,
    /// Duo Security; configure it under `duo`.
    pub duo: Field<Flag>,
    /// WebAuthn with security keys; configure it under `webauthn_roaming`.
    pub webauthn_roaming: Field<Flag>,
    /// WebAuthn with device biometrics; configure it under `webauthn_platform`.
    pub webauthn_platform: Field<Flag>,
    /// Recovery codes users can use when they lose their other factors.
    pub recovery_code: Field<Flag>,
}

/// The phone factor's settings.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(rename = "Phone")]
pub struct RawPhone {
    /// How codes are delivered: `sms`, `voice` or both.
    #[schemars(with = "Vec<MessageType>")]
    pub message_types: Field<Vec<Located<String>>>,
    /// Who sends the messages (legacy tenants only; tenants on the consolidated phone
    /// experience use Tenant Phone Settings instead).
    #[schemars(with = "PhoneProvider")]
    pub provider: Field<String>,
    /// Twilio account used when `provider` is `twilio` (legacy tenants).
    pub twilio: Field<RawTwilio>,
    /// Message templates (legacy tenants). Both must contain `{{code}}`.
    pub templates: Field<RawPhoneTemplates>,
    /// One-time codes sent by SMS or voice.
    pub otp: Field<RawOtp>,
}

/// One-time code settings.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(rename = "OtpSettings")]
pub struct RawOtp {
    /// Digits in a code, 4 to 10.
    #[schemars(range(min = 4, max = 10))]
    pub length: Field<u64>,
    /// Seconds a code stays valid, 30 to 3600.
    #[schemars(range(min = 30, max = 3600))]
    pub expiration_time: Field<u64>,
}

/// The email factor's settings.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(rename = "Email")]
pub struct RawEmail {
    /// One-time codes sent by email.
    pub otp: Field<RawOtp>,
}

/// Tenant Phone Settings.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(rename = "TenantPhone")]
pub struct RawTenantPhone {
    /// The tenant's one phone provider. mfactl creates it when the tenant has none.
    pub provider: Field<RawTenantPhoneProvider>,
    /// Message templates by type. Only the types listed here are managed.
    pub templates: Field<RawTenantPhoneTemplates>,
}

/// The tenant's phone provider.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(rename = "TenantPhoneProvider")]
pub struct RawTenantPhoneProvider {
    /// `twilio` (your Twilio account) or `custom` (an Action sends the messages).
    #[schemars(with = "TenantPhoneProviderName")]
    pub name: Field<String>,
    /// `true` to keep the provider configured but unused. Default `false`.
    pub disabled: Field<Flag>,
    /// Twilio account SID (twilio only).
    #[schemars(length(min = 1, max = 255))]
    pub sid: Field<String>,
    /// Twilio auth token (twilio only). Secret and write-only: write it as
    /// `${TWILIO_AUTH_TOKEN}`.
    pub auth_token: Field<String>,
    /// Sending phone number in E.164 form (twilio only). Set this or `mssid`.
    #[schemars(length(min = 1, max = 255))]
    pub default_from: Field<String>,
    /// Twilio Messaging Service SID (twilio only). Set this or `default_from`.
    #[schemars(length(min = 1, max = 255))]
    pub mssid: Field<String>,
    /// How messages are delivered: `text`, `voice` or both. MFA's `phone.message_types` must
    /// be covered: `sms` needs `text`, `voice` needs `voice`.
    #[schemars(with = "Vec<DeliveryMethod>")]
    pub delivery_methods: Field<Vec<Located<String>>>,
}

/// Tenant Phone Settings templates by type.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(rename = "TenantPhoneTemplates")]
pub struct RawTenantPhoneTemplates {
    /// The one-time code sent at each login.
    pub otp_verify: Field<RawTenantPhoneTemplate>,
    /// The one-time code sent while a user enrolls.
    pub otp_enroll: Field<RawTenantPhoneTemplate>,
    /// A code to change a password.
    pub change_password: Field<RawTenantPhoneTemplate>,
    /// The notice that an account was blocked.
    pub blocked_account: Field<RawTenantPhoneTemplate>,
    /// The notice that a breached password was used.
    pub password_breach: Field<RawTenantPhoneTemplate>,
}

/// One phone message template (Liquid syntax: `{{ code }}` is the one-time code).
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(rename = "TenantPhoneTemplate")]
pub struct RawTenantPhoneTemplate {
    /// `true` to stop sending this message.
    pub disabled: Field<Flag>,
    /// The sender shown to users; the provider's default when unset.
    #[schemars(length(min = 1, max = 255))]
    pub from: Field<String>,
    /// The text message.
    #[schemars(length(min = 1, max = 1000))]
    pub text: Field<String>,
    /// What a voice call says.
    #[schemars(length(min = 1, max = 1000))]
    pub voice: Field<String>,
}

/// MFA session settings.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(rename = "MfaSession")]
pub struct RawMfaSession {
    /// Show the "remember this device" checkbox on the MFA prompt.
    pub display_remember_me_checkbox: Field<Flag>,
    /// Whether that checkbox starts ticked.
    pub remember_me_default_value: Field<Flag>,
    /// Seconds of inactivity after which a remembered device must do MFA again
    /// (3600 to 2592000).
    #[schemars(range(min = 3600, max = 2_592_000))]
    pub inactivity_timeout: Field<u64>,
    /// Seconds after which a remembered device must do MFA again in any case
    /// (3600 to 7776000).
    #[schemars(range(min = 3600, max = 7_776_000))]
    pub overall_timeout: Field<u64>,
}

/// MFA-related tenant settings.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(rename = "TenantSettings")]
pub struct RawTenantSettings {
    /// Let a post-login Action customise the MFA flow (choose factors, skip MFA).
    pub customize_mfa_in_postlogin_action: Field<Flag>,
    /// Let users pick a factor from a list while enrolling.
    pub mfa_show_factor_list_on_enrollment: Field<Flag>,
}

/// Twilio credentials. Writing them replaces all four values: a key left out becomes empty.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(rename = "Twilio")]
pub struct RawTwilio {
    /// Twilio account SID (starts with `AC`).
    #[schemars(length(min = 1, max = 255))]
    pub sid: Field<String>,
    /// Twilio auth token. Secret: write it as `${TWILIO_AUTH_TOKEN}`.
    #[schemars(length(min = 1, max = 255))]
    pub auth_token: Field<String>,
    /// Sending phone number in E.164 form (`+15550001111`). Set this or `messaging_service_sid`.
    #[schemars(length(min = 1, max = 255))]
    pub from: Field<String>,
    /// Twilio Messaging Service SID (starts with `MG`). Set this or `from`.
    #[schemars(length(min = 1, max = 255))]
    pub messaging_service_sid: Field<String>,
}

/// Legacy phone message templates. `{{code}}` is replaced by the one-time code.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(rename = "PhoneTemplates")]
pub struct RawPhoneTemplates {
    /// Message sent while a user enrolls the phone factor.
    #[schemars(length(min = 1, max = 1000))]
    pub enrollment_message: Field<String>,
    /// Message sent at each login.
    #[schemars(length(min = 1, max = 1000))]
    pub verification_message: Field<String>,
}

/// The push-notification factor's settings.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(rename = "Push")]
pub struct RawPush {
    /// Who delivers notifications: `guardian` (the Auth0 Guardian app), `sns` (Amazon SNS) or
    /// `direct` (APNs and FCM, for your own app).
    #[schemars(with = "PushProvider")]
    pub provider: Field<String>,
    /// Amazon SNS, used when `provider` is `sns`.
    pub sns: Field<RawSns>,
    /// Apple Push Notification service, used when `provider` is `direct`.
    pub apns: Field<RawApns>,
    /// Firebase Cloud Messaging, legacy API (write-only: it can never be read back).
    pub fcm: Field<RawFcm>,
    /// Firebase Cloud Messaging HTTP v1 API (write-only: it can never be read back).
    pub fcmv1: Field<RawFcmV1>,
    /// The app users install to receive push notifications (the `mfa-push` prompt).
    pub custom_app: Field<RawCustomApp>,
}

/// Amazon SNS credentials and platform applications.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(rename = "Sns")]
pub struct RawSns {
    /// AWS access key ID.
    #[schemars(length(min = 1, max = 255))]
    pub aws_access_key_id: Field<String>,
    /// AWS secret access key. Secret and write-only: write it as `${AWS_SECRET_ACCESS_KEY}`.
    #[schemars(length(min = 1, max = 255))]
    pub aws_secret_access_key: Field<String>,
    /// AWS region, e.g. `us-east-1`.
    #[schemars(regex(
        pattern = r"^(us-east|us-west|ap-southeast|ap-northeast|ap-central|eu-west|eu-central)-[0-9]{1,2}$"
    ))]
    pub aws_region: Field<String>,
    /// ARN of the SNS platform application for APNs (iOS).
    #[schemars(length(min = 1, max = 1024))]
    pub sns_apns_platform_application_arn: Field<String>,
    /// ARN of the SNS platform application for FCM/GCM (Android).
    #[schemars(length(min = 1, max = 1024))]
    pub sns_gcm_platform_application_arn: Field<String>,
}

/// Direct APNs settings.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(rename = "Apns")]
pub struct RawApns {
    /// Your iOS app's bundle identifier.
    #[schemars(length(min = 1, max = 255))]
    pub bundle_id: Field<String>,
    /// `true` to use APNs' sandbox (development builds). Default `false`.
    pub sandbox: Field<Flag>,
    /// The APNs certificate as base64 PKCS#12. Secret and write-only: write it as
    /// `${APNS_P12}`.
    pub p12: Field<String>,
}

/// Legacy FCM settings.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(rename = "Fcm")]
pub struct RawFcm {
    /// FCM server key. Secret and write-only: write it as `${FCM_SERVER_KEY}`.
    pub server_key: Field<String>,
}

/// FCM HTTP v1 settings.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(rename = "FcmV1")]
pub struct RawFcmV1 {
    /// The service account JSON. Secret and write-only: write it as `${FCM_V1_CREDENTIALS}`.
    pub server_credentials: Field<String>,
}

/// Links to your own push app, shown to users while they enroll.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(rename = "CustomApp")]
pub struct RawCustomApp {
    /// The app's name.
    #[schemars(length(min = 1, max = 255))]
    pub app_name: Field<String>,
    /// App Store link (https).
    #[schemars(length(min = 1, max = 1024), regex(pattern = r"^https://"))]
    pub apple_app_link: Field<String>,
    /// Google Play link (https).
    #[schemars(length(min = 1, max = 1024), regex(pattern = r"^https://"))]
    pub google_app_link: Field<String>,
}

/// Duo Security settings.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(rename = "Duo")]
pub struct RawDuo {
    /// Duo integration key.
    #[schemars(length(min = 1, max = 255))]
    pub ikey: Field<String>,
    /// Duo secret key. Secret: write it as `${DUO_SECRET_KEY}`.
    #[schemars(length(min = 1, max = 255))]
    pub skey: Field<String>,
    /// Duo API host name, e.g. `api-1234abcd.duosecurity.com`.
    #[schemars(length(min = 1, max = 255))]
    pub host: Field<String>,
}

/// WebAuthn with security keys.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(rename = "WebAuthnRoaming")]
pub struct RawWebAuthnRoaming {
    /// Whether the key must verify the user (PIN or biometrics).
    #[schemars(with = "UserVerification")]
    pub user_verification: Field<String>,
    /// `true` to use `relying_party_identifier` instead of the tenant's domain.
    pub override_relying_party: Field<Flag>,
    /// The relying party identifier; only with `override_relying_party: true`.
    #[schemars(length(min = 1, max = 255))]
    pub relying_party_identifier: Field<String>,
}

/// WebAuthn with device biometrics.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(rename = "WebAuthnPlatform")]
pub struct RawWebAuthnPlatform {
    /// `true` to use `relying_party_identifier` instead of the tenant's domain.
    pub override_relying_party: Field<Flag>,
    /// The relying party identifier; only with `override_relying_party: true`.
    #[schemars(length(min = 1, max = 255))]
    pub relying_party_identifier: Field<String>,
}
