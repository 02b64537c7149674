//! The emulated tenant's state: everything the Management API endpoints read and write.
//!
//! The JSON form of [`TenantState`] is what `GET /__emulator/state` returns and what
//! `PUT /__emulator/state` and `--state FILE` accept. Every field has a default (a new tenant), so a
//! seed only needs the parts it cares about. Write-only values (SNS secret key, APNs p12, FCM keys)
//! are kept here in clear: this is a local test double, and the hooks exist to let tests check them.
//!
//! Later features (Tenant Phone Settings under `/branding/phone/*`, phone and email factor
//! settings, `/guardian/settings`) have their own fields; every field defaults to a new tenant's
//! value, so older state files keep loading.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::tenant_phone::TenantPhoneState;
use mfactl_core::model::{
    Factor, MessageType, PhoneProvider, Policy, PushProvider, UserVerification,
};
use mfactl_core::phone_kind::PHONE_CONSOLIDATED_EXPERIENCE;

/// The whole emulated tenant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TenantState {
    /// What the tenant's plan allows.
    pub entitlements: Entitlements,
    /// `GET /guardian/policies`.
    pub policies: Vec<Policy>,
    /// `GET /guardian/factors`, in the order the API lists them.
    pub factors: Vec<FactorState>,
    /// The phone ("sms") factor.
    pub phone: PhoneState,
    /// The push-notification factor.
    pub push: PushState,
    /// `/guardian/factors/duo/settings`.
    pub duo: DuoState,
    /// `/guardian/factors/webauthn-roaming/settings`.
    pub webauthn_roaming: WebAuthnRoamingState,
    /// `/guardian/factors/webauthn-platform/settings`.
    pub webauthn_platform: WebAuthnPlatformState,
    /// `/prompts/mfa-push`: the custom app users install for push.
    pub mfa_push_prompt: MfaPushPrompt,
    /// Guardian enrollments by id (`/guardian/enrollments/{id}`).
    pub enrollments: Vec<Value>,
    /// `GET /tenants/settings`, free-form; `phone_consolidated_experience` decides whether the
    /// legacy phone provider and template endpoints answer.
    pub tenant_settings: Map<String, Value>,
    /// Tenant Phone Settings: `/branding/phone/providers` and `/branding/phone/templates`.
    pub tenant_phone: TenantPhoneState,
    /// `/guardian/factors/phone/settings`.
    pub phone_factor_settings: OtpSettings,
    /// `/guardian/factors/email/settings`.
    pub email_factor_settings: OtpSettings,
    /// `/guardian/settings`: MFA session ("remember me") settings.
    pub guardian_settings: GuardianSettings,
}

/// One-time-password settings of the phone or email factor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OtpSettings {
    /// Digits in a code (4 to 10).
    pub otp_length: i64,
    /// Seconds a code stays valid (30 to 3600).
    pub otp_expiration_time: i64,
}

impl Default for OtpSettings {
    // Decision: 6 digits, 5 minutes (the values Auth0's own examples use; the docs state no
    // default).
    fn default() -> Self {
        OtpSettings {
            otp_length: 6,
            otp_expiration_time: 300,
        }
    }
}

/// MFA session settings, in the order the API answers with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GuardianSettings {
    pub display_remember_me_checkbox: bool,
    pub remember_me_default_value: bool,
    /// Seconds (3600 to 2592000, at most the overall timeout).
    pub mfa_session_inactivity_timeout: i64,
    /// Seconds (3600 to 7776000).
    pub mfa_session_overall_timeout: i64,
}

impl Default for GuardianSettings {
    // The defaults Auth0's API reference lists for each field.
    fn default() -> Self {
        GuardianSettings {
            display_remember_me_checkbox: true,
            remember_me_default_value: false,
            mfa_session_inactivity_timeout: 604_800,
            mfa_session_overall_timeout: 2_592_000,
        }
    }
}

/// Features a tenant's plan may lack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Entitlements {
    /// Adaptive MFA (the `confidence-score` policy).
    pub adaptive_mfa: bool,
    /// Voice delivery for the phone factor (the message-types endpoint).
    pub voice: bool,
}

impl Default for Entitlements {
    fn default() -> Self {
        Entitlements {
            adaptive_mfa: true,
            voice: true,
        }
    }
}

/// One factor's switch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactorState {
    pub name: Factor,
    pub enabled: bool,
    #[serde(default)]
    pub trial_expired: bool,
}

/// The phone factor's state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PhoneState {
    /// Whether the phone factor was ever enabled: until then the message-types PUT answers 404.
    pub factor_exists: bool,
    pub message_types: Vec<MessageType>,
    pub selected_provider: PhoneProvider,
    pub twilio: TwilioState,
    pub templates: PhoneTemplatesState,
}

impl Default for PhoneState {
    fn default() -> Self {
        PhoneState {
            factor_exists: false,
            message_types: Vec::new(),
            selected_provider: PhoneProvider::Auth0,
            twilio: TwilioState::default(),
            templates: PhoneTemplatesState::default(),
        }
    }
}

/// Twilio credentials. Field order is the order the API's GET answers with.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TwilioState {
    pub auth_token: Option<String>,
    pub sid: Option<String>,
    pub from: Option<String>,
    pub messaging_service_sid: Option<String>,
}

/// The legacy phone factor's message templates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PhoneTemplatesState {
    pub enrollment_message: String,
    pub verification_message: String,
}

impl Default for PhoneTemplatesState {
    // Decision: a new tenant answers with Auth0's stock templates (the recordings only show
    // tenants whose templates had been changed before).
    fn default() -> Self {
        PhoneTemplatesState {
            enrollment_message: "{{code}} is your verification code for {{tenant.friendly_name}}. \
                                 Please enter this code to verify your enrollment."
                .to_owned(),
            verification_message: "{{code}} is your verification code for {{tenant.friendly_name}}"
                .to_owned(),
        }
    }
}

/// The push factor's state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PushState {
    pub selected_provider: PushProvider,
    pub sns: SnsState,
    pub apns: ApnsState,
    pub fcm: FcmState,
    pub fcmv1: FcmV1State,
}

impl Default for PushState {
    fn default() -> Self {
        PushState {
            selected_provider: PushProvider::Guardian,
            sns: SnsState::default(),
            apns: ApnsState::default(),
            fcm: FcmState::default(),
            fcmv1: FcmV1State::default(),
        }
    }
}

/// Amazon SNS; `aws_secret_access_key` is write-only through the API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SnsState {
    pub aws_access_key_id: Option<String>,
    pub aws_secret_access_key: Option<String>,
    pub aws_region: Option<String>,
    pub sns_apns_platform_application_arn: Option<String>,
    pub sns_gcm_platform_application_arn: Option<String>,
}

/// Direct APNs; `p12` is write-only through the API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ApnsState {
    pub bundle_id: Option<String>,
    pub sandbox: bool,
    pub p12: Option<String>,
}

/// Legacy FCM; write-only as a whole.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FcmState {
    pub server_key: Option<String>,
}

/// FCM HTTP v1; write-only as a whole.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FcmV1State {
    pub server_credentials: Option<String>,
}

/// Duo settings; the API returns every field, `skey` included.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DuoState {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ikey: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skey: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
}

/// WebAuthn roaming settings, in the API's camelCase.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct WebAuthnRoamingState {
    pub user_verification: UserVerification,
    pub override_relying_party: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relying_party_identifier: Option<String>,
}

impl Default for WebAuthnRoamingState {
    // Decision: `required`. Both recorded tenants read `required` without having written it in
    // their cassette; Auth0's docs do not state the default.
    fn default() -> Self {
        WebAuthnRoamingState {
            user_verification: UserVerification::Required,
            override_relying_party: false,
            relying_party_identifier: None,
        }
    }
}

/// WebAuthn platform settings, in the API's camelCase.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct WebAuthnPlatformState {
    pub override_relying_party: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relying_party_identifier: Option<String>,
}

/// The `mfa-push` prompt's custom app. Field order is the order the API's GET answers with.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MfaPushPrompt {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub google_app_link: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub apple_app_link: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_name: Option<String>,
}

impl Default for TenantState {
    fn default() -> Self {
        TenantState::new_tenant(false)
    }
}

impl TenantState {
    /// A new tenant. `consolidated_phone` = the tenant uses the consolidated phone experience
    /// (Tenant Phone Settings), so the legacy phone provider and template endpoints refuse.
    pub fn new_tenant(consolidated_phone: bool) -> Self {
        TenantState {
            entitlements: Entitlements::default(),
            policies: Vec::new(),
            factors: Factor::ALL
                .iter()
                .map(|name| FactorState {
                    name: *name,
                    enabled: false,
                    trial_expired: false,
                })
                .collect(),
            phone: PhoneState::default(),
            push: PushState::default(),
            duo: DuoState::default(),
            webauthn_roaming: WebAuthnRoamingState::default(),
            webauthn_platform: WebAuthnPlatformState::default(),
            mfa_push_prompt: MfaPushPrompt::default(),
            enrollments: Vec::new(),
            tenant_settings: default_tenant_settings(consolidated_phone),
            tenant_phone: TenantPhoneState::default(),
            phone_factor_settings: OtpSettings::default(),
            email_factor_settings: OtpSettings::default(),
            guardian_settings: GuardianSettings::default(),
        }
    }

    /// Whether the tenant is on the consolidated phone experience, read from its settings as
    /// the client reads them ([`mfactl_core::phone_kind::is_consolidated`]: absent means yes).
    pub fn consolidated_phone(&self) -> bool {
        mfactl_core::phone_kind::is_consolidated(
            self.tenant_settings.get(PHONE_CONSOLIDATED_EXPERIENCE),
        )
    }

    /// The factor's switch, adding it (disabled) if a seed left it out.
    pub fn factor_mut(&mut self, name: Factor) -> &mut FactorState {
        let index = match self.factors.iter().position(|f| f.name == name) {
            Some(index) => index,
            None => {
                self.factors.push(FactorState {
                    name,
                    enabled: false,
                    trial_expired: false,
                });
                self.factors.len() - 1
            }
        };
        &mut self.factors[index]
    }
}

/// A new tenant's settings: a representative subset of what the real endpoint returns.
fn default_tenant_settings(consolidated_phone: bool) -> Map<String, Value> {
    let value = json!({
        "change_password": {"enabled": false},
        "default_audience": "",
        "default_directory": "",
        "enabled_locales": ["en"],
        "flags": {
            "allow_legacy_delegation_grant_types": false,
            "allow_legacy_ro_grant_types": false,
            "allow_other_legacy_grant_types": false,
            "enable_dynamic_client_registration": false,
            "enable_sso": true,
            "universal_login": true,
            "revoke_refresh_token_grant": false,
            "mfa_show_factor_list_on_enrollment": false,
            "disable_clickjack_protection_headers": false
        },
        "friendly_name": "",
        "guardian_mfa_page": {"enabled": false},
        "idle_session_lifetime": 72,
        "picture_url": "",
        "sandbox_version": "22",
        "session_lifetime": 168,
        "support_email": "",
        "support_url": "",
        "sessions": {"oidc_logout_prompt_enabled": true},
        "customize_mfa_in_postlogin_action": false,
        "sandbox_versions_available": ["22", "18"]
    });
    let mut map = match value {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    map.insert(
        PHONE_CONSOLIDATED_EXPERIENCE.to_owned(),
        json!(consolidated_phone),
    );
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_tenant_round_trips_through_json() {
        let state = TenantState::new_tenant(true);
        let text = serde_json::to_string(&state).unwrap();
        let back: TenantState = serde_json::from_str(&text).unwrap();
        assert_eq!(back, state);
        assert!(back.consolidated_phone());
    }

    #[test]
    fn partial_seed_fills_the_rest_from_a_new_tenant() {
        let state: TenantState =
            serde_json::from_str(r#"{"policies":["all-applications"]}"#).unwrap();
        assert_eq!(state.policies, vec![Policy::AllApplications]);
        assert_eq!(state.factors.len(), 8);
        assert!(!state.consolidated_phone());
    }

    #[test]
    fn settings_without_the_phone_kind_are_consolidated() {
        let state: TenantState =
            serde_json::from_str(r#"{"tenant_settings":{"friendly_name":"x"}}"#).unwrap();
        assert!(state.consolidated_phone());
    }

    #[test]
    fn unknown_seed_keys_are_rejected() {
        assert!(serde_json::from_str::<TenantState>(r#"{"policy":[]}"#).is_err());
    }
}
