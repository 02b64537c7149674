//! The emulated tenant's state: everything the Management API endpoints read and write.
//!
//! The JSON form of [`TenantState`] is what `GET /__emulator/state` returns and what
//! `PUT /__emulator/state` and `--state FILE` accept. Every field has a default (a new tenant), so a
//! seed only needs the parts it cares about. Write-only values (SNS secret key, APNs p12, FCM keys)
//! are kept here in clear: this is a local test double, and the hooks exist to let tests check them.
//!
//! Settings resources of the table live in `settings`, as the API's JSON by plan address;
//! policies, factors, enrollments, users, tenant settings and Tenant Phone Settings records have
//! their own fields.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::tenant_phone::TenantPhoneState;
use super::users_state::EmulatedUser;
use mfactl_core::model::{Factor, Policy};
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
    /// Whether the phone factor was ever enabled: until then the message-types PUT answers 404.
    pub phone_factor_exists: bool,
    /// Every other settings resource of the table, as the API's JSON object, by plan address
    /// (`duo`, `push.sns`, `phone.provider`, `prompts.mfa-sms.en`). Write-only values are kept
    /// in clear: this is a local test double, and the hooks let tests check them. A seed's
    /// entries are laid over a new tenant's.
    #[serde(deserialize_with = "settings_over_defaults")]
    pub settings: BTreeMap<String, Map<String, Value>>,
    /// Guardian enrollments by id (`/guardian/enrollments/{id}`) besides those of users'
    /// phone and TOTP methods; a `user_id` key (never answered) lists one under that user.
    pub enrollments: Vec<Value>,
    /// Users and their MFA (`/users/…`, see [`super::users_state`]).
    pub users: Vec<EmulatedUser>,
    /// `GET /tenants/settings`, free-form; `phone_consolidated_experience` decides whether the
    /// legacy phone provider and template endpoints answer.
    pub tenant_settings: Map<String, Value>,
    /// Tenant Phone Settings: `/branding/phone/providers` and `/branding/phone/templates`.
    pub tenant_phone: TenantPhoneState,
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
            phone_factor_exists: false,
            settings: default_settings(),
            enrollments: Vec::new(),
            users: Vec::new(),
            tenant_settings: default_tenant_settings(consolidated_phone),
            tenant_phone: TenantPhoneState::default(),
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

fn settings_over_defaults<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<String, Map<String, Value>>, D::Error> {
    let seeded = BTreeMap::<String, Map<String, Value>>::deserialize(deserializer)?;
    let mut settings = default_settings();
    settings.extend(seeded);
    Ok(settings)
}

/// A new tenant's settings resources, by plan address. Resources a new tenant has nothing for
/// (Twilio, SNS, Duo, the custom app, FCM, prompt texts) are absent: they read back as
/// documented in [`super::settings_api`].
fn default_settings() -> BTreeMap<String, Map<String, Value>> {
    let defaults = [
        ("phone.message_types", json!({"message_types": []})),
        ("phone.provider", json!({"provider": "auth0"})),
        // Decision: a new tenant answers with Auth0's stock templates (the recordings only show
        // tenants whose templates had been changed before).
        (
            "phone.templates",
            json!({
                "enrollment_message": "{{code}} is your verification code for {{tenant.friendly_name}}. Please enter this code to verify your enrollment.",
                "verification_message": "{{code}} is your verification code for {{tenant.friendly_name}}"
            }),
        ),
        ("push.provider", json!({"provider": "guardian"})),
        ("push.apns", json!({"sandbox": false})),
        // Decision: `required`. Both recorded tenants read `required` without having written it
        // in their cassette; Auth0's docs do not state the default.
        (
            "webauthn_roaming",
            json!({"userVerification": "required", "overrideRelyingParty": false}),
        ),
        ("webauthn_platform", json!({"overrideRelyingParty": false})),
        // Decision: 6 digits, 5 minutes (the values Auth0's own examples use; the docs state no
        // default).
        (
            "phone.otp",
            json!({"otp_length": 6, "otp_expiration_time": 300}),
        ),
        (
            "email.otp",
            json!({"otp_length": 6, "otp_expiration_time": 300}),
        ),
        // The defaults Auth0's API reference lists for each field.
        (
            "mfa_session",
            json!({
                "display_remember_me_checkbox": true,
                "remember_me_default_value": false,
                "mfa_session_inactivity_timeout": 604_800,
                "mfa_session_overall_timeout": 2_592_000
            }),
        ),
    ];
    defaults
        .into_iter()
        .filter_map(|(address, value)| match value {
            Value::Object(map) => Some((address.to_string(), map)),
            _ => None,
        })
        .collect()
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
