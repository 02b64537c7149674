//! The tenant's MFA state: one type for what the file wants and what the tenant has.
//!
//! Every resource is an `Option` (or an entry in a map): `None` means *unmanaged* in a desired
//! state and *not read* in a live state. The config loader produces a desired [`MfaState`]; the
//! API client reads exactly the resources that state manages and returns a live `MfaState` of the
//! same shape; the plan compares the two.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::secret::Secret;

macro_rules! api_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $text)] $variant, )+
        }

        impl $name {
            /// Every value, in the order the API lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The spelling the API and the config file use.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }

            /// Parses the API spelling.
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

api_enum! {
    /// An MFA factor, named as the Management API names it.
    Factor {
        /// SMS and voice codes (the phone factor).
        Sms = "sms",
        /// Auth0 Guardian push notifications.
        PushNotification = "push-notification",
        /// One-time passwords from an authenticator app.
        Otp = "otp",
        /// Codes sent by email.
        Email = "email",
        /// Duo Security.
        Duo = "duo",
        /// WebAuthn with security keys.
        WebauthnRoaming = "webauthn-roaming",
        /// WebAuthn with device biometrics.
        WebauthnPlatform = "webauthn-platform",
        /// Recovery codes.
        RecoveryCode = "recovery-code",
    }
}

impl Factor {
    /// The config file's section that holds this factor's settings, if it has one: `phone` for
    /// `sms`, `push` for `push-notification`, `duo`, `webauthn_roaming`, `webauthn_platform`,
    /// and `email` (its one-time code settings).
    pub fn settings_section(self) -> Option<&'static str> {
        match self {
            Factor::Sms => Some("phone"),
            Factor::PushNotification => Some("push"),
            Factor::Duo => Some("duo"),
            Factor::WebauthnRoaming => Some("webauthn_roaming"),
            Factor::WebauthnPlatform => Some("webauthn_platform"),
            Factor::Email => Some("email"),
            Factor::Otp | Factor::RecoveryCode => None,
        }
    }
}

api_enum! {
    /// When the tenant asks for MFA.
    Policy {
        /// Every login to every application.
        AllApplications = "all-applications",
        /// Adaptive MFA: only when the login's confidence is low (needs an entitled plan).
        ConfidenceScore = "confidence-score",
    }
}

api_enum! {
    /// How the phone factor delivers codes.
    MessageType {
        /// Text messages.
        Sms = "sms",
        /// Voice calls.
        Voice = "voice",
    }
}

api_enum! {
    /// Who sends the phone factor's messages (legacy tenants).
    PhoneProvider {
        /// Auth0's own provider.
        Auth0 = "auth0",
        /// Your Twilio account.
        Twilio = "twilio",
        /// A Send Phone Message hook or action.
        PhoneMessageHook = "phone-message-hook",
    }
}

impl PhoneProvider {
    /// Whether this provider can deliver codes by `message_type`. Auth0's own provider sends
    /// text messages only (Auth0 docs, "Configure SMS and Voice Notifications for MFA": "You
    /// can't use this provider to send voice messages"); Twilio and a Send Phone Message hook
    /// or action deliver both.
    pub fn delivers(self, message_type: MessageType) -> bool {
        !matches!(
            (self, message_type),
            (PhoneProvider::Auth0, MessageType::Voice)
        )
    }
}

api_enum! {
    /// Who delivers push notifications.
    PushProvider {
        /// Auth0 Guardian's own delivery.
        Guardian = "guardian",
        /// Amazon SNS.
        Sns = "sns",
        /// Directly through APNs and FCM.
        Direct = "direct",
    }
}

api_enum! {
    /// WebAuthn user verification requirement for security keys.
    UserVerification {
        Discouraged = "discouraged",
        Preferred = "preferred",
        Required = "required",
    }
}

api_enum! {
    /// The kind of Tenant Phone Settings provider.
    TenantPhoneProviderName {
        /// Your Twilio account.
        Twilio = "twilio",
        /// A custom provider implemented in an Action.
        Custom = "custom",
    }
}

api_enum! {
    /// How a Tenant Phone Settings provider delivers messages.
    DeliveryMethod {
        /// Text messages.
        Text = "text",
        /// Voice calls.
        Voice = "voice",
    }
}

api_enum! {
    /// A Tenant Phone Settings message template.
    PhoneTemplateType {
        /// The one-time code sent at each login.
        OtpVerify = "otp_verify",
        /// The one-time code sent while a user enrolls.
        OtpEnroll = "otp_enroll",
        /// A password change code.
        ChangePassword = "change_password",
        /// The notice that an account was blocked.
        BlockedAccount = "blocked_account",
        /// The notice that a breached password was used.
        PasswordBreach = "password_breach",
    }
}

/// The whole MFA configuration of a tenant, as far as it is managed or read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MfaState {
    /// `Some(empty)` means MFA is never required.
    pub policies: Option<BTreeSet<Policy>>,
    /// Only the factors listed are managed; `true` = enabled.
    pub factors: BTreeMap<Factor, bool>,
    pub phone: PhoneSettings,
    pub push: PushSettings,
    pub duo: Option<DuoSettings>,
    pub webauthn_roaming: Option<WebAuthnRoamingSettings>,
    pub webauthn_platform: Option<WebAuthnPlatformSettings>,
    /// One-time code settings of the email factor.
    pub email_otp: Option<OtpSettings>,
    /// Tenant Phone Settings (the consolidated phone experience).
    pub tenant_phone: TenantPhone,
    /// How long an MFA session lasts and whether users may skip MFA on a device.
    pub mfa_session: Option<MfaSessionSettings>,
    /// MFA-related tenant settings (`PATCH /tenants/settings`).
    pub tenant_settings: Option<TenantMfaSettings>,
}

/// One-time code settings of the phone or email factor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OtpSettings {
    /// Digits in a code (4 to 10).
    pub length: Option<u64>,
    /// Seconds a code stays valid (30 to 3600).
    pub expiration_time: Option<u64>,
}

/// Tenant Phone Settings: the provider and the templates the file manages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TenantPhone {
    pub provider: Option<TenantPhoneProvider>,
    /// Only the template types listed are managed.
    pub templates: BTreeMap<PhoneTemplateType, TenantPhoneTemplate>,
}

/// The tenant's phone provider. `auth_token` is write-only: a live read leaves it `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TenantPhoneProvider {
    /// The provider's id (live only: what a PATCH addresses).
    pub id: Option<String>,
    pub name: Option<TenantPhoneProviderName>,
    pub disabled: Option<bool>,
    pub sid: Option<String>,
    pub default_from: Option<String>,
    pub mssid: Option<String>,
    pub delivery_methods: Option<BTreeSet<DeliveryMethod>>,
    pub auth_token: Option<Secret>,
}

/// One phone message template.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TenantPhoneTemplate {
    /// The template's id (live only: what a PATCH addresses).
    pub id: Option<String>,
    pub disabled: Option<bool>,
    pub from: Option<String>,
    pub text: Option<String>,
    pub voice: Option<String>,
}

/// MFA session settings (`/guardian/settings`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MfaSessionSettings {
    pub display_remember_me_checkbox: Option<bool>,
    pub remember_me_default_value: Option<bool>,
    /// Seconds of inactivity after which MFA is asked again (3600 to 2592000).
    pub inactivity_timeout: Option<u64>,
    /// Seconds after which MFA is asked again in any case (3600 to 7776000).
    pub overall_timeout: Option<u64>,
}

/// MFA-related tenant settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TenantMfaSettings {
    /// Whether a post-login Action may customise the MFA flow.
    pub customize_mfa_in_postlogin_action: Option<bool>,
    /// Whether users choose from the list of factors while enrolling.
    pub mfa_show_factor_list_on_enrollment: Option<bool>,
}

/// The phone ("sms") factor's settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PhoneSettings {
    pub message_types: Option<BTreeSet<MessageType>>,
    pub provider: Option<PhoneProvider>,
    pub twilio: Option<TwilioSettings>,
    pub templates: Option<PhoneTemplates>,
    /// One-time code settings of the phone factor.
    pub otp: Option<OtpSettings>,
}

/// Twilio credentials for the legacy phone provider. A PUT overwrites all four fields: a field
/// left out reads back as `None` (JSON `null`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TwilioSettings {
    pub sid: Option<String>,
    pub auth_token: Option<Secret>,
    pub from: Option<String>,
    pub messaging_service_sid: Option<String>,
}

/// The legacy phone factor's message templates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PhoneTemplates {
    pub enrollment_message: Option<String>,
    pub verification_message: Option<String>,
}

/// The push-notification factor's settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PushSettings {
    pub provider: Option<PushProvider>,
    pub sns: Option<SnsSettings>,
    pub apns: Option<ApnsSettings>,
    pub fcm: Option<FcmSettings>,
    pub fcmv1: Option<FcmV1Settings>,
    pub custom_app: Option<CustomApp>,
}

/// Amazon SNS. `aws_secret_access_key` is write-only: a live read leaves it `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SnsSettings {
    pub aws_access_key_id: Option<String>,
    pub aws_secret_access_key: Option<Secret>,
    pub aws_region: Option<String>,
    pub sns_apns_platform_application_arn: Option<String>,
    pub sns_gcm_platform_application_arn: Option<String>,
}

/// Direct APNs. `p12` is write-only: a live read leaves it `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApnsSettings {
    pub bundle_id: Option<String>,
    pub sandbox: Option<bool>,
    pub p12: Option<Secret>,
}

/// Legacy FCM. Write-only as a whole: there is no read endpoint.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FcmSettings {
    pub server_key: Option<Secret>,
}

/// FCM HTTP v1. Write-only as a whole: there is no read endpoint.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FcmV1Settings {
    pub server_credentials: Option<Secret>,
}

/// The custom app users install for push (the `mfa-push` prompt).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomApp {
    pub app_name: Option<String>,
    pub apple_app_link: Option<String>,
    pub google_app_link: Option<String>,
}

/// Duo Security. The API returns `skey` on reads, so it can be compared, but never shown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DuoSettings {
    pub ikey: Option<String>,
    pub skey: Option<Secret>,
    pub host: Option<String>,
}

/// WebAuthn with security keys.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WebAuthnRoamingSettings {
    pub user_verification: Option<UserVerification>,
    pub override_relying_party: Option<bool>,
    pub relying_party_identifier: Option<String>,
}

/// WebAuthn with device biometrics.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WebAuthnPlatformSettings {
    pub override_relying_party: Option<bool>,
    pub relying_party_identifier: Option<String>,
}

/// One resource of the tenant: one endpoint, one line in a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Address {
    Policies,
    Factor(Factor),
    PhoneMessageTypes,
    PhoneProvider,
    PhoneTwilio,
    PhoneTemplates,
    PushProvider,
    PushSns,
    PushApns,
    PushFcm,
    PushFcmV1,
    PushCustomApp,
    Duo,
    WebAuthnRoaming,
    WebAuthnPlatform,
    PhoneOtp,
    EmailOtp,
    TenantPhoneProvider,
    TenantPhoneTemplate(PhoneTemplateType),
    MfaSession,
    TenantSettings,
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Address::Policies => f.write_str("policies"),
            Address::Factor(factor) => write!(f, "factors.{factor}"),
            Address::PhoneMessageTypes => f.write_str("phone.message_types"),
            Address::PhoneProvider => f.write_str("phone.provider"),
            Address::PhoneTwilio => f.write_str("phone.twilio"),
            Address::PhoneTemplates => f.write_str("phone.templates"),
            Address::PushProvider => f.write_str("push.provider"),
            Address::PushSns => f.write_str("push.sns"),
            Address::PushApns => f.write_str("push.apns"),
            Address::PushFcm => f.write_str("push.fcm"),
            Address::PushFcmV1 => f.write_str("push.fcmv1"),
            Address::PushCustomApp => f.write_str("push.custom_app"),
            Address::Duo => f.write_str("duo"),
            Address::WebAuthnRoaming => f.write_str("webauthn_roaming"),
            Address::WebAuthnPlatform => f.write_str("webauthn_platform"),
            Address::PhoneOtp => f.write_str("phone.otp"),
            Address::EmailOtp => f.write_str("email.otp"),
            Address::TenantPhoneProvider => f.write_str("tenant_phone.provider"),
            Address::TenantPhoneTemplate(t) => write!(f, "tenant_phone.templates.{t}"),
            Address::MfaSession => f.write_str("mfa_session"),
            Address::TenantSettings => f.write_str("tenant_settings"),
        }
    }
}

impl Address {
    /// Whether the API has no read for this resource, so it can never be compared.
    pub fn is_write_only(self) -> bool {
        matches!(self, Address::PushFcm | Address::PushFcmV1)
    }

    /// Whether this is a legacy Guardian phone resource, refused by tenants on the
    /// consolidated phone experience.
    pub fn is_legacy_phone(self) -> bool {
        matches!(
            self,
            Address::PhoneProvider | Address::PhoneTwilio | Address::PhoneTemplates
        )
    }

    /// Whether this resource belongs to phone delivery (the tenant's phone kind matters).
    pub fn is_phone_related(self) -> bool {
        matches!(
            self,
            Address::PhoneMessageTypes
                | Address::PhoneProvider
                | Address::PhoneTwilio
                | Address::PhoneTemplates
                | Address::PhoneOtp
                | Address::TenantPhoneProvider
                | Address::TenantPhoneTemplate(_)
        )
    }
}

impl MfaState {
    /// Every address this state manages, in address order.
    pub fn managed_addresses(&self) -> Vec<Address> {
        let mut out = Vec::new();
        if self.policies.is_some() {
            out.push(Address::Policies);
        }
        out.extend(self.factors.keys().map(|f| Address::Factor(*f)));
        let phone = &self.phone;
        let push = &self.push;
        let present = [
            (phone.message_types.is_some(), Address::PhoneMessageTypes),
            (phone.provider.is_some(), Address::PhoneProvider),
            (phone.twilio.is_some(), Address::PhoneTwilio),
            (phone.templates.is_some(), Address::PhoneTemplates),
            (push.provider.is_some(), Address::PushProvider),
            (push.sns.is_some(), Address::PushSns),
            (push.apns.is_some(), Address::PushApns),
            (push.fcm.is_some(), Address::PushFcm),
            (push.fcmv1.is_some(), Address::PushFcmV1),
            (push.custom_app.is_some(), Address::PushCustomApp),
            (self.duo.is_some(), Address::Duo),
            (self.webauthn_roaming.is_some(), Address::WebAuthnRoaming),
            (self.webauthn_platform.is_some(), Address::WebAuthnPlatform),
            (phone.otp.is_some(), Address::PhoneOtp),
            (self.email_otp.is_some(), Address::EmailOtp),
            (
                self.tenant_phone.provider.is_some(),
                Address::TenantPhoneProvider,
            ),
        ];
        out.extend(present.into_iter().filter(|(p, _)| *p).map(|(_, a)| a));
        out.extend(
            self.tenant_phone
                .templates
                .keys()
                .map(|t| Address::TenantPhoneTemplate(*t)),
        );
        if self.mfa_session.is_some() {
            out.push(Address::MfaSession);
        }
        if self.tenant_settings.is_some() {
            out.push(Address::TenantSettings);
        }
        out
    }

    /// Every secret value this state holds, for tests and output scrubbing.
    pub fn secrets(&self) -> Vec<&Secret> {
        let twilio = self
            .phone
            .twilio
            .as_ref()
            .and_then(|t| t.auth_token.as_ref());
        let sns = self
            .push
            .sns
            .as_ref()
            .and_then(|s| s.aws_secret_access_key.as_ref());
        let apns = self.push.apns.as_ref().and_then(|a| a.p12.as_ref());
        let fcm = self.push.fcm.as_ref().and_then(|a| a.server_key.as_ref());
        let fcmv1 = self
            .push
            .fcmv1
            .as_ref()
            .and_then(|a| a.server_credentials.as_ref());
        let duo = self.duo.as_ref().and_then(|d| d.skey.as_ref());
        let tenant_phone = self
            .tenant_phone
            .provider
            .as_ref()
            .and_then(|p| p.auth_token.as_ref());
        [twilio, sns, apns, fcm, fcmv1, duo, tenant_phone]
            .into_iter()
            .flatten()
            .collect()
    }
}

#[cfg(test)]
#[allow(clippy::field_reassign_with_default)]
mod tests {
    use super::*;

    #[test]
    fn factor_names_follow_the_api_order() {
        let names: Vec<_> = Factor::ALL.iter().map(|f| f.as_str()).collect();
        assert_eq!(
            names,
            [
                "sms",
                "push-notification",
                "otp",
                "email",
                "duo",
                "webauthn-roaming",
                "webauthn-platform",
                "recovery-code"
            ]
        );
        assert_eq!(Factor::parse("recovery-code"), Some(Factor::RecoveryCode));
        assert_eq!(Factor::parse("sms "), None);
    }

    #[test]
    fn managed_addresses_list_only_what_is_set() {
        let mut state = MfaState::default();
        assert!(state.managed_addresses().is_empty());
        state.factors.insert(Factor::Otp, true);
        state.push.custom_app = Some(CustomApp::default());
        state.policies = Some(BTreeSet::new());
        let shown: Vec<String> = state
            .managed_addresses()
            .iter()
            .map(|a| a.to_string())
            .collect();
        assert_eq!(shown, ["policies", "factors.otp", "push.custom_app"]);
    }

    #[test]
    fn secrets_are_collected() {
        let state = MfaState {
            duo: Some(DuoSettings {
                skey: Some(Secret::new("duo-secret")),
                ..Default::default()
            }),
            ..Default::default()
        };
        let secrets: Vec<&str> = state.secrets().iter().map(|s| s.expose()).collect();
        assert_eq!(secrets, ["duo-secret"]);
    }
}
