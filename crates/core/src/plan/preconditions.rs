//! What a write needs from the tenant before it can succeed, checked in the plan so that apply
//! never finds out half-way.
//!
//! - **Phone message types need the phone factor.** Auth0 answers
//!   `PUT /guardian/factors/phone/message-types` with 404 "The phone factor does not exist."
//!   until the `sms` factor has been enabled once (DESIGN.md section 3; Auth0's Terraform
//!   provider enables the factor before it writes message types, "otherwise, we encounter an
//!   error with message_types"; the emulator answers the same). A plan that turns `sms` on writes
//!   them after it (stage 3, then stage 4). A plan that leaves the factor off, on a tenant where
//!   it is off now, cannot tell whether it ever existed (nothing in the API says), so the write
//!   is deferred: left out of the plan with a warning, and made by the apply that turns `sms`
//!   on. Message types of a factor that is off are not used, so nothing is lost meanwhile.
//! - **The phone provider must deliver the message types.** Auth0's own provider sends texts
//!   only. A file that offers voice on a tenant whose provider is Auth0's, or selects Auth0's
//!   provider on a tenant that offers voice, is refused before any write (the file alone is
//!   checked by `validate`).
//!
//! Features the tenant's plan lacks and legacy endpoints it refuses are found by the reads and
//! refused in [`crate::plan::safety::check_available`].

use crate::live::LiveTenant;
use crate::model::{Factor, MessageType, MfaState, PhoneProvider};
use crate::plan::change::Change;
use crate::plan::error::PlanError;
use crate::plan::warning::Warning;
use crate::resource::specs::PHONE_MESSAGE_TYPES;

/// Whether the `sms` factor is on after the plan: the file's value, else the tenant's.
fn sms_ends_on(desired: &MfaState, live: &MfaState) -> bool {
    desired
        .factor(Factor::Sms)
        .or(live.factor(Factor::Sms))
        .unwrap_or(false)
}

/// Takes out of `changes` the writes the tenant cannot take yet, and says why and when they
/// will be made.
pub fn defer_unready(
    changes: &mut Vec<Change>,
    desired: &MfaState,
    live: &MfaState,
) -> Vec<Warning> {
    let factor_on_now = live.factor(Factor::Sms) == Some(true);
    if sms_ends_on(desired, live) || factor_on_now {
        return Vec::new();
    }
    let before = changes.len();
    changes.retain(|c| !c.address.is(&PHONE_MESSAGE_TYPES));
    if changes.len() == before {
        return Vec::new();
    }
    vec![Warning::tenant(
        "`phone.message_types` is not written while the phone factor is off: Auth0 refuses \
         message types (404 \"The phone factor does not exist.\") until `factors.sms` has been \
         enabled once, and does not use them while it is off. The apply that enables \
         `factors.sms` writes them.",
    )]
}

/// Refuses a plan whose phone provider cannot deliver a message type it offers, on a tenant
/// whose MFA uses the legacy phone provider and whose `sms` factor ends on.
pub fn check_phone_delivery(desired: &MfaState, live: &LiveTenant) -> Result<(), PlanError> {
    if live.consolidated_phone == Some(true) || !sms_ends_on(desired, &live.state) {
        return Ok(());
    }
    let provider_from_file = desired.phone_provider().is_some();
    let provider = desired.phone_provider().or(live.state.phone_provider());
    let types = desired.message_types().or(live.state.message_types());
    let (Some(provider), Some(types)) = (provider, types) else {
        return Ok(());
    };
    let Some(message_type) = types.iter().copied().find(|t| !provider.delivers(*t)) else {
        return Ok(());
    };
    let fix = delivery_fix(provider, message_type, provider_from_file);
    Err(PlanError::Undeliverable {
        provider: provider.to_string(),
        message_type: message_type.to_string(),
        provider_from_file,
        fix,
    })
}

/// What to change in the file, for the key the file sets: the message types when the provider
/// is the tenant's, the provider when the message types are the tenant's.
fn delivery_fix(
    provider: PhoneProvider,
    message_type: MessageType,
    provider_from_file: bool,
) -> String {
    let others: Vec<String> = PhoneProvider::ALL
        .iter()
        .filter(|p| p.delivers(message_type))
        .map(|p| format!("`phone.provider: {p}`"))
        .collect();
    if provider_from_file {
        format!(
            "choose {} instead of `{provider}`, or set `phone.message_types` without `{message_type}` (the tenant offers it now)",
            others.join(" or ")
        )
    } else {
        format!(
            "remove `{message_type}` from `phone.message_types`, or add {} to the file (with its settings)",
            others.join(" or ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::load_str;
    use crate::live::LiveTenant;
    use crate::model::{Address, FieldValue, Values};
    use crate::plan::{DiffOptions, diff};
    use crate::resource::specs::PHONE_PROVIDER;

    fn file(yaml: &str) -> MfaState {
        let text = format!("version: 1\n{yaml}");
        let loaded = load_str("f.yaml", &text, Some(&|_| None));
        loaded
            .config
            .unwrap_or_else(|| panic!("{:?}", loaded.diagnostics))
            .state
    }

    fn set_types(state: &mut MfaState, types: &[&str]) {
        state.insert(
            Address::of(&PHONE_MESSAGE_TYPES),
            Values::of([("message_types", FieldValue::list(types.iter().copied()))]),
        );
    }

    fn set_provider(state: &mut MfaState, provider: PhoneProvider) {
        state.insert(
            Address::of(&PHONE_PROVIDER),
            Values::of([("provider", FieldValue::Text(provider.to_string()))]),
        );
    }

    fn legacy_tenant(sms_on: bool) -> LiveTenant {
        let mut live = LiveTenant {
            consolidated_phone: Some(false),
            ..LiveTenant::default()
        };
        for factor in Factor::ALL {
            live.state.set_factor(*factor, false);
        }
        live.state.set_factor(Factor::Sms, sms_on);
        set_types(&mut live.state, &[]);
        live
    }

    fn addresses(desired: &MfaState, live: &LiveTenant) -> Vec<String> {
        let plan = diff(desired, live, &DiffOptions::default()).unwrap();
        plan.changes.iter().map(|c| c.address.to_string()).collect()
    }

    #[test]
    fn message_types_wait_for_the_phone_factor() {
        let mut desired = file("factors: {sms: false}\nphone:\n  message_types: [sms]");
        // Off now and after: deferred, with a warning.
        let plan = diff(&desired, &legacy_tenant(false), &DiffOptions::default()).unwrap();
        assert!(plan.is_empty(), "{:?}", plan.changes);
        assert_eq!(plan.warnings.len(), 1);
        assert!(
            plan.warnings[0]
                .message
                .contains("The phone factor does not exist.")
        );
        // Unmanaged factor, off on the tenant: the same.
        desired.remove(&MfaState::factor_address(Factor::Sms));
        let plan = diff(&desired, &legacy_tenant(false), &DiffOptions::default()).unwrap();
        assert!(plan.is_empty());
        // On now (it exists), off after: written before the factor is turned off.
        desired.set_factor(Factor::Sms, false);
        assert_eq!(
            addresses(&desired, &legacy_tenant(true)),
            ["phone.message_types", "factors.sms"]
        );
        // Turned on by this plan: written after it.
        desired.set_factor(Factor::Sms, true);
        let plan = diff(&desired, &legacy_tenant(false), &DiffOptions::default()).unwrap();
        assert_eq!(
            addresses(&desired, &legacy_tenant(false)),
            ["factors.sms", "phone.message_types"]
        );
        assert!(plan.warnings.is_empty());
    }

    #[test]
    fn the_provider_must_deliver_every_message_type() {
        let desired = file("factors: {sms: true}\nphone:\n  message_types: [sms, voice]");
        let mut live = legacy_tenant(false);
        set_provider(&mut live.state, PhoneProvider::Auth0);
        let err = check_phone_delivery(&desired, &live)
            .unwrap_err()
            .to_string();
        assert!(err.contains("`auth0`"), "{err}");
        assert!(
            err.contains("remove `voice` from `phone.message_types`"),
            "{err}"
        );
        assert!(err.contains("`phone.provider: twilio`"), "{err}");
        assert!(!err.contains("`phone.provider: auth0`"), "{err}");
        // Twilio delivers both; a consolidated tenant's MFA does not use this provider.
        set_provider(&mut live.state, PhoneProvider::Twilio);
        assert!(check_phone_delivery(&desired, &live).is_ok());
        set_provider(&mut live.state, PhoneProvider::Auth0);
        live.consolidated_phone = Some(true);
        assert!(check_phone_delivery(&desired, &live).is_ok());
        // The file selects Auth0's provider on a tenant that offers voice.
        let mut desired = file("factors: {sms: true}\nphone:\n  provider: auth0");
        let mut live = legacy_tenant(true);
        set_types(&mut live.state, &["voice"]);
        let err = check_phone_delivery(&desired, &live)
            .unwrap_err()
            .to_string();
        assert!(err.contains("choose `phone.provider: twilio` or `phone.provider: phone-message-hook` instead of `auth0`"), "{err}");
        // The factor ends off: nothing is delivered, nothing to refuse.
        desired.set_factor(Factor::Sms, false);
        live.state.set_factor(Factor::Sms, false);
        assert!(check_phone_delivery(&desired, &live).is_ok());
    }
}
