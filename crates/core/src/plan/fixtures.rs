//! States shared by the plan and render tests: desired states loaded from `examples/` (with the
//! fake secrets of `tests/fixtures/examples.rs`), and a new tenant as a live read returns it.

use serde_json::{Value, json};

use crate::config::export::{everything, with_prompt_languages};
use crate::live::LiveTenant;
use crate::live::read::{absorb, reads_for};
use crate::model::*;
use crate::resource::ResourceSpec;
use crate::secret::Secret;

#[path = "../../../../tests/fixtures/examples.rs"]
mod examples;

pub(crate) use examples::{full_desired, load_config, secret_of};

/// Secrets a live tenant holds before the file's are written.
pub(crate) const OLD_TWILIO_TOKEN: &str = "old-twilio-token-SECRET-7777";
pub(crate) const OLD_DUO_SKEY: &str = "old-duo-skey-SECRET-8888";

/// Every secret string the fixtures use, live and desired.
pub(crate) fn secrets() -> Vec<&'static str> {
    let mut all = examples::secret_values();
    all.extend([OLD_TWILIO_TOKEN, OLD_DUO_SKEY]);
    all
}

/// The default templates of a new tenant.
pub(crate) const DEFAULT_ENROLLMENT: &str = "{{code}} is your verification code for {{tenant.friendly_name}}. Please enter this code to verify your enrollment.";
pub(crate) const DEFAULT_VERIFICATION: &str =
    "{{code}} is your verification code for {{tenant.friendly_name}}";

pub(crate) fn text(value: &str) -> FieldValue {
    FieldValue::Text(value.to_string())
}

pub(crate) fn secret(value: &str) -> FieldValue {
    FieldValue::Secret(Secret::new(value))
}

/// Sets a single resource's fields.
pub(crate) fn set<const N: usize>(
    state: &mut MfaState,
    spec: &'static ResourceSpec,
    fields: [(&'static str, FieldValue); N],
) {
    state.insert(Address::of(spec), Values::of(fields));
}

/// The part of `state` that `specs` describe (every key of a keyed spec).
pub(crate) fn part(state: &MfaState, specs: &[&'static ResourceSpec]) -> MfaState {
    let mut out = MfaState::default();
    for (address, values) in &state.resources {
        if specs.iter().any(|spec| address.is(spec)) {
            out.insert(address.clone(), values.clone());
        }
    }
    out
}

/// Every factor set to `on`.
pub(crate) fn all_factors(state: &mut MfaState, on: bool) {
    for factor in Factor::ALL {
        state.set_factor(*factor, on);
    }
}

/// What a new tenant on the legacy phone experience answers to each GET (what the emulator's
/// new tenant answers).
fn new_tenant_answer(path: &str) -> Value {
    match path {
        "/guardian/policies" => json!([]),
        "/guardian/factors" => Factor::ALL
            .iter()
            .map(|f| json!({"name": f.as_str(), "enabled": false, "trial_expired": false}))
            .collect(),
        "/guardian/factors/phone/message-types" => json!({"message_types": []}),
        "/guardian/factors/phone/selected-provider" => json!({"provider": "auth0"}),
        "/guardian/factors/phone/templates" => json!({
            "enrollment_message": DEFAULT_ENROLLMENT,
            "verification_message": DEFAULT_VERIFICATION
        }),
        "/guardian/factors/push-notification/selected-provider" => json!({"provider": "guardian"}),
        "/guardian/factors/push-notification/providers/apns" => {
            json!({"bundle_id": null, "sandbox": false, "enabled": false})
        }
        "/guardian/factors/webauthn-roaming/settings" => {
            json!({"userVerification": "required", "overrideRelyingParty": false})
        }
        "/guardian/factors/webauthn-platform/settings" => json!({"overrideRelyingParty": false}),
        "/guardian/factors/phone/settings" | "/guardian/factors/email/settings" => {
            json!({"otp_length": 6, "otp_expiration_time": 300})
        }
        "/guardian/settings" => json!({
            "display_remember_me_checkbox": true,
            "remember_me_default_value": false,
            "mfa_session_inactivity_timeout": 604_800,
            "mfa_session_overall_timeout": 2_592_000
        }),
        "/tenants/settings" => json!({
            "enabled_locales": ["en"],
            "flags": {"mfa_show_factor_list_on_enrollment": false},
            "customize_mfa_in_postlogin_action": false,
            "phone_consolidated_experience": false
        }),
        "/branding/phone/providers" => json!({"providers": []}),
        "/branding/phone/templates" => json!({"templates": []}),
        // Twilio, SNS, Duo, the custom app and prompt texts: nothing set yet.
        _ => json!({}),
    }
}

/// A new tenant as a full read returns it: every readable resource, read through the live
/// read's own parsing (so fingerprints are real), the prompt texts in English.
pub(crate) fn fresh_live() -> LiveTenant {
    let mut wanted = everything();
    wanted
        .resources
        .extend(with_prompt_languages(&["en".to_string()]).resources);
    let mut live = LiveTenant {
        domain: "acme-dev.eu.auth0.com".into(),
        ..LiveTenant::default()
    };
    for read in reads_for(&wanted) {
        if let Err(e) = absorb(&read, &new_tenant_answer(&read.path), &mut live) {
            panic!("{}: {e}", read.path);
        }
    }
    live
}

/// A live tenant that reads `state`.
pub(crate) fn live_of(state: MfaState) -> LiveTenant {
    LiveTenant {
        domain: "acme-dev.eu.auth0.com".into(),
        state,
        ..Default::default()
    }
}
