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
//! - **The MFA session's inactivity timeout cannot exceed its overall timeout.** Auth0 answers
//!   `PUT /guardian/settings` with 400 "mfa_session_inactivity_timeout cannot exceed
//!   mfa_session_overall_timeout" (the Management API reference; the emulator answers the same),
//!   and the PUT sends both values. `validate` refuses a file that sets both; a file that sets
//!   one is checked here against the tenant's other value.
//! - **MFA required needs a factor.** A plan whose end state requires MFA with no factor enabled
//!   is refused ([`crate::plan::safety::check_lockout`]); the reads fetch the policies and every
//!   factor for it even when the file manages only one side
//!   ([`crate::live::read::lockout_check_reads`]).
//!
//! Features the tenant's plan lacks and legacy endpoints it refuses are found by the reads and
//! refused in [`crate::plan::safety::check_available`]. One cannot be found by a read: Adaptive
//! MFA. `GET /guardian/policies` answers the same on every plan, and only the write of
//! `[confidence-score]` is refused (403 `insufficient_entitlement`), so a plan that selects it
//! on a tenant not using it yet warns ([`adaptive_mfa_warning`]).

use crate::live::LiveTenant;
use crate::model::{Address, Factor, MessageType, MfaState, PhoneProvider, Policy};
use crate::plan::change::Change;
use crate::plan::error::PlanError;
use crate::plan::stage::Stage;
use crate::plan::warning::Warning;
use crate::resource::specs::PHONE_MESSAGE_TYPES;
use crate::resource::specs::mfa_session::{INACTIVITY, MFA_SESSION, OVERALL};

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

/// Refuses a plan after which the MFA session's inactivity timeout would exceed its overall
/// timeout: each is the file's value, else the tenant's. Both from the file is `validate`'s
/// error, so here one comes from the tenant, and the fix names the key the file sets.
pub fn check_session_timeouts(desired: &MfaState, live: &MfaState) -> Result<(), PlanError> {
    let address = Address::of(&MFA_SESSION);
    let Some(wanted) = desired.get(&address) else {
        return Ok(());
    };
    let have = live.get(&address);
    let end = |key: &str| {
        wanted
            .number(key)
            .or_else(|| have.and_then(|h| h.number(key)))
    };
    let (Some(inactivity), Some(overall)) = (end(INACTIVITY), end(OVERALL)) else {
        return Ok(());
    };
    if inactivity <= overall {
        return Ok(());
    }
    let fix = if wanted.number(INACTIVITY).is_some() && wanted.number(OVERALL).is_none() {
        format!(
            "set `mfa_session.{INACTIVITY}` to at most {overall}, or set `mfa_session.{OVERALL}` to at least {inactivity}"
        )
    } else {
        format!(
            "set `mfa_session.{OVERALL}` to at least {inactivity}, or set `mfa_session.{INACTIVITY}` to at most {overall}"
        )
    };
    Err(PlanError::SessionTimeouts {
        inactivity,
        overall,
        from_file: if wanted.number(INACTIVITY).is_some() {
            INACTIVITY
        } else {
            OVERALL
        },
        fix,
    })
}

/// A warning when the plan selects Adaptive MFA on a tenant that does not use it now: no read
/// tells whether the tenant's plan includes it, and apply finds out only when it writes the
/// policies, after the stages before (their changes stay applied).
pub fn adaptive_mfa_warning(desired: &MfaState, live: &MfaState) -> Option<Warning> {
    let adaptive = |policies: Option<std::collections::BTreeSet<Policy>>| {
        policies.is_some_and(|p| p.contains(&Policy::ConfidenceScore))
    };
    if !adaptive(desired.policies()) || adaptive(live.policies()) {
        return None;
    }
    Some(Warning::tenant(format!(
        "`policies: [confidence-score]` needs a plan that includes Adaptive MFA, which no read \
         can check: a tenant without it refuses the write of `policies` (403 \
         insufficient_entitlement) in stage {} of apply, after the earlier stages are applied. \
         If unsure, check the tenant's plan in the Auth0 dashboard (Security > Multi-factor \
         Auth) or use `policies: [all-applications]`",
        Stage::Policies.number()
    )))
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

    fn session(inactivity: u64, overall: u64) -> MfaState {
        let mut state = MfaState::default();
        state.insert(
            Address::of(&MFA_SESSION),
            Values::of([
                (INACTIVITY, FieldValue::Number(inactivity)),
                (OVERALL, FieldValue::Number(overall)),
            ]),
        );
        state
    }

    #[test]
    fn session_timeouts_are_checked_against_the_tenants_other_value() {
        // The emulator's and a new tenant's values: 7 days of inactivity, 30 days overall.
        let live = session(604_800, 2_592_000);
        let desired = file("mfa_session:\n  overall_timeout: 3600");
        let err = check_session_timeouts(&desired, &live).unwrap_err();
        insta::assert_snapshot!(err.to_string(), @"`mfa_session.inactivity_timeout` would be 604800 seconds and `mfa_session.overall_timeout` 3600 seconds after this plan (the file sets `overall_timeout`, the tenant has the other); Auth0 refuses an inactivity timeout longer than the overall one, so no write was sent. Fix: set `mfa_session.overall_timeout` to at least 604800, or set `mfa_session.inactivity_timeout` to at most 3600");
        let desired = file("mfa_session:\n  inactivity_timeout: 2592000");
        let live = session(3600, 86_400);
        let err = check_session_timeouts(&desired, &live)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("Fix: set `mfa_session.inactivity_timeout` to at most 86400"),
            "{err}"
        );
        // Within the tenant's other value, or not managed: fine.
        let desired = file("mfa_session:\n  overall_timeout: 604800");
        assert!(check_session_timeouts(&desired, &session(604_800, 2_592_000)).is_ok());
        assert!(check_session_timeouts(&MfaState::default(), &session(7200, 3600)).is_ok());
        // The diff refuses it before any change.
        let desired = file("mfa_session:\n  overall_timeout: 3600");
        let live = crate::plan::fixtures::fresh_live();
        let err = diff(&desired, &live, &DiffOptions::default()).unwrap_err();
        assert!(matches!(err, PlanError::SessionTimeouts { .. }), "{err}");
    }

    #[test]
    fn adaptive_mfa_is_warned_about_when_the_tenant_does_not_use_it_yet() {
        let desired = file("policies: [confidence-score]\nfactors: {otp: true}");
        let mut live = MfaState::default();
        live.set_policies([Policy::AllApplications]);
        let warning = adaptive_mfa_warning(&desired, &live).unwrap();
        insta::assert_snapshot!(warning.message, @"`policies: [confidence-score]` needs a plan that includes Adaptive MFA, which no read can check: a tenant without it refuses the write of `policies` (403 insufficient_entitlement) in stage 6 of apply, after the earlier stages are applied. If unsure, check the tenant's plan in the Auth0 dashboard (Security > Multi-factor Auth) or use `policies: [all-applications]`");
        // The tenant uses it already (so its plan has it), or the file does not ask for it.
        live.set_policies([Policy::ConfidenceScore]);
        assert!(adaptive_mfa_warning(&desired, &live).is_none());
        let desired = file("policies: [all-applications]\nfactors: {otp: true}");
        assert!(adaptive_mfa_warning(&desired, &MfaState::default()).is_none());
    }

    /// What a tenant requiring MFA with `otp` and `recovery-code` on answers to each GET.
    fn requiring_mfa(path: &str) -> serde_json::Value {
        match path {
            "/guardian/policies" => serde_json::json!(["all-applications"]),
            "/guardian/factors" => Factor::ALL
                .iter()
                .map(|f| {
                    let on = matches!(f, Factor::Otp | Factor::RecoveryCode);
                    serde_json::json!({"name": f.as_str(), "enabled": on})
                })
                .collect(),
            _ => serde_json::json!({}),
        }
    }

    fn read(desired: &MfaState) -> LiveTenant {
        let mut live = LiveTenant::default();
        for read in crate::live::read::reads_for(desired) {
            crate::live::read::absorb(&read, &requiring_mfa(&read.path), &mut live).unwrap();
        }
        live
    }

    #[test]
    fn turning_every_factor_off_while_the_tenant_requires_mfa_is_a_plan_error() {
        // The file manages the factors only: the policies are read for the check.
        let desired = file("factors:\n  otp: false\n  recovery-code: false");
        let err = diff(&desired, &read(&desired), &DiffOptions::default()).unwrap_err();
        insta::assert_snapshot!(err.to_string(), @"the plan would require MFA (policies: [all-applications]) with no factor enabled, so no user could complete a login; enable at least one factor under `factors:` or set `policies: []`");
        // One factor stays on: a plan.
        let desired = file("factors:\n  otp: false");
        assert!(diff(&desired, &read(&desired), &DiffOptions::default()).is_ok());
        // Turning MFA off as well: dangerous, not an error.
        let desired = file("policies: []\nfactors:\n  otp: false\n  recovery-code: false");
        let plan = diff(&desired, &read(&desired), &DiffOptions::default()).unwrap();
        assert!(plan.dangerous_count() > 0);
    }
}
