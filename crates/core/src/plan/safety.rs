//! Safety guards: the tenant guard, unavailable resources, lockout and dangerous changes.

use std::collections::BTreeMap;

use crate::live::LiveTenant;
use crate::model::{Address, Factor, MfaState, PhoneProvider, Policy};
use crate::plan::change::Change;
use crate::plan::error::{PlanError, UnavailableResource};
use crate::plan::fix::{Refusal, RefusedOn, fix_for};
use crate::plan::warning::Warning;
use crate::resource::PhoneScope;
use crate::resource::specs::{FACTORS, PHONE_TEMPLATES, PHONE_TWILIO, POLICIES};

/// Refuses to go on when the file's `tenant:` names another domain than the one in use.
///
/// Both sides are reduced to `host[:port]`: a scheme (`https://`, `http://`), a path and a
/// trailing dot are dropped, and host names compare case-insensitively. A loopback domain given
/// as `http://127.0.0.1:PORT` therefore matches `127.0.0.1:PORT`.
pub fn check_tenant(expected: Option<&str>, domain_in_use: &str) -> Result<(), PlanError> {
    let Some(expected) = expected else {
        return Ok(());
    };
    if host_of(expected) == host_of(domain_in_use) {
        Ok(())
    } else {
        Err(PlanError::TenantMismatch {
            expected: expected.to_string(),
            actual: domain_in_use.to_string(),
        })
    }
}

fn host_of(domain: &str) -> String {
    let trimmed = domain.trim();
    let without_scheme = trimmed
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or(trimmed);
    let host = without_scheme.split('/').next().unwrap_or(without_scheme);
    let host = host.to_ascii_lowercase();
    match host.rsplit_once(':') {
        Some((name, port)) => format!("{}:{port}", name.trim_end_matches('.')),
        None => host.trim_end_matches('.').to_string(),
    }
}

/// A plan error for every resource `desired` manages that the tenant refused; resources the
/// file does not manage are ignored. Each names the fix, worked out from the file
/// ([`crate::plan::fix`]): a refused read closes the endpoint whatever the value.
pub fn check_available(desired: &MfaState, live: &LiveTenant) -> Result<(), PlanError> {
    let refused: Vec<UnavailableResource> = desired
        .managed_addresses()
        .into_iter()
        .filter_map(|address| {
            let why = live.unavailable.get(&address)?;
            let refusal = Refusal {
                address: &address,
                status: why.status,
                code: &why.error_code,
                on: RefusedOn::Read,
            };
            let fix = fix_for(refusal, desired).map_or_else(
                || format!("remove `{address}` from the file"),
                |f| f.to_string(),
            );
            Some(UnavailableResource {
                address,
                status: why.status,
                error_code: why.error_code.clone(),
                message: why.message.clone(),
                fix,
            })
        })
        .collect();
    if refused.is_empty() {
        Ok(())
    } else {
        Err(PlanError::Unavailable(refused))
    }
}

/// The factors whose end state is known: the desired value where the file manages the factor,
/// the live value otherwise.
fn end_factors(desired: &MfaState, live: &MfaState) -> BTreeMap<Factor, bool> {
    let mut end = live.factors();
    end.extend(desired.factors());
    end
}

/// Refuses a plan whose end state requires MFA while no factor is enabled, `--allow-dangerous`
/// or not.
///
/// Only what is known counts: the end policies are the desired ones, else the live ones; the
/// end factors are the desired ones laid over the live ones. When a factor's end state is
/// unknown (neither managed nor read) nothing is concluded, so this never refuses on a guess.
/// The reads fetch the side the file does not manage
/// ([`crate::live::read::lockout_check_reads`]). A file that leaves the policies alone on a
/// tenant already in that state (MFA required, every factor off) is not refused: its plan does
/// not cause it, and an export of such a tenant must plan empty.
pub fn check_lockout(desired: &MfaState, live: &MfaState) -> Result<(), PlanError> {
    let from_file = desired.policies();
    let managed = from_file.is_some();
    let Some(policies) = from_file.or_else(|| live.policies()) else {
        return Ok(());
    };
    if policies.is_empty() {
        return Ok(());
    }
    let end = end_factors(desired, live);
    let all_known = Factor::ALL.iter().all(|f| end.contains_key(f));
    let now = live.factors();
    let locked_now = Factor::ALL.iter().all(|f| now.get(f) == Some(&false));
    if !managed && locked_now {
        return Ok(());
    }
    if all_known && !end.values().any(|on| *on) {
        let names: Vec<&str> = policies.iter().map(|p: &Policy| p.as_str()).collect();
        return Err(PlanError::Lockout {
            policies: names.join(", "),
        });
    }
    Ok(())
}

/// Flags the dangerous changes of a plan: turning MFA off (policies from some to none), every
/// factor disabling change of a plan after which no known factor is enabled while one was
/// before, and every deleted item of a collection (a user's method under `manage: exact`).
pub fn mark_dangerous(changes: &mut [Change], desired: &MfaState, live: &MfaState) {
    let mfa_off = matches!(
        (desired.policies(), live.policies()),
        (Some(want), Some(have)) if want.is_empty() && !have.is_empty()
    );
    let was_on = live.factors().values().any(|on| *on);
    let end_on = end_factors(desired, live).values().any(|on| *on);
    let all_off = was_on && !end_on;
    for change in changes {
        if change.action == crate::plan::Action::Delete {
            change.dangerous = change
                .address
                .spec()
                .collection
                .map(|c| c.delete_reason.to_string());
        } else if change.address.is(&POLICIES) && mfa_off {
            change.dangerous =
                Some("turns MFA off: no login will ask for a second factor any more".to_string());
        } else if change.address.is(&FACTORS)
            && all_off
            && desired.get(&change.address).and_then(|v| v.bool("enabled")) == Some(false)
        {
            change.dangerous = Some(
                "disables every enabled factor: users can no longer use or enrol any factor"
                    .to_string(),
            );
        }
    }
}

/// Where each legacy phone key of the file belongs on a consolidated tenant.
fn legacy_moves(desired: &MfaState) -> Vec<(String, String)> {
    let mut moves = Vec::new();
    if let Some(provider) = desired.phone_provider() {
        let to = match provider {
            PhoneProvider::Twilio => "tenant_phone.provider.name: twilio".to_string(),
            PhoneProvider::PhoneMessageHook => {
                "tenant_phone.provider.name: custom (with a Send Phone Message action)".to_string()
            }
            PhoneProvider::Auth0 => {
                "nothing: remove it (without a provider the tenant uses Auth0's)".to_string()
            }
        };
        moves.push((format!("phone.provider: {provider}"), to));
    }
    if let Some(twilio) = desired.get(&Address::of(&PHONE_TWILIO)) {
        let keys = [
            ("sid", "sid"),
            ("auth_token", "auth_token"),
            ("from", "default_from"),
            ("messaging_service_sid", "mssid"),
        ];
        for (from, to) in keys {
            if twilio.get(from).is_some() {
                moves.push((
                    format!("phone.twilio.{from}"),
                    format!("tenant_phone.provider.{to}"),
                ));
            }
        }
    }
    if let Some(templates) = desired.get(&Address::of(&PHONE_TEMPLATES)) {
        if templates.get("enrollment_message").is_some() {
            moves.push((
                "phone.templates.enrollment_message".into(),
                "tenant_phone.templates.otp_enroll.text (Liquid: `{{ code }}`)".into(),
            ));
        }
        if templates.get("verification_message").is_some() {
            moves.push((
                "phone.templates.verification_message".into(),
                "tenant_phone.templates.otp_verify.text (Liquid: `{{ code }}`)".into(),
            ));
        }
    }
    moves
}

/// Refuses legacy Guardian phone settings on a tenant on the consolidated phone experience,
/// before any write, naming where each key goes.
pub fn check_phone_kind(desired: &MfaState, live: &LiveTenant) -> Result<(), PlanError> {
    if live.consolidated_phone != Some(true) {
        return Ok(());
    }
    let moves = legacy_moves(desired);
    if moves.is_empty() {
        return Ok(());
    }
    Err(PlanError::LegacyPhone { moves })
}

/// Warnings about the tenant's phone kind that do not stop the plan.
pub fn phone_kind_warnings(desired: &MfaState, live: &LiveTenant) -> Vec<Warning> {
    let manages_tenant_phone = desired
        .managed_addresses()
        .iter()
        .any(|a| a.spec().phone == PhoneScope::TenantPhone);
    if live.consolidated_phone == Some(false) && manages_tenant_phone {
        vec![Warning::tenant(
            "this tenant uses the legacy Guardian phone provider: MFA does not use the \
             `tenant_phone` settings (they are applied all the same); MFA's SMS and voice are \
             configured under `phone.provider`, `phone.twilio` and `phone.templates`",
        )]
    } else {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::Unavailable;
    use crate::model::{FieldValue, Values};
    use crate::resource::specs::{PHONE_MESSAGE_TYPES, PHONE_PROVIDER, TENANT_PHONE_PROVIDER};

    #[test]
    fn tenant_guard_compares_hosts() {
        assert!(check_tenant(None, "anything.auth0.com").is_ok());
        assert!(check_tenant(Some("Acme.EU.auth0.com"), "acme.eu.auth0.com").is_ok());
        assert!(check_tenant(Some("acme.eu.auth0.com"), "https://acme.eu.auth0.com/").is_ok());
        assert!(check_tenant(Some("127.0.0.1:8080"), "http://127.0.0.1:8080").is_ok());
        assert!(check_tenant(Some("127.0.0.1:8080"), "http://127.0.0.1:9090").is_err());
        let err = check_tenant(Some("acme-prod.eu.auth0.com"), "acme-dev.eu.auth0.com")
            .unwrap_err()
            .to_string();
        assert!(err.contains("acme-prod.eu.auth0.com"), "{err}");
        assert!(err.contains("acme-dev.eu.auth0.com"), "{err}");
    }

    fn all_factors(state: &mut MfaState, on: bool) {
        for factor in Factor::ALL {
            state.set_factor(*factor, on);
        }
    }

    fn refuse(code: &str, message: &str) -> Unavailable {
        Unavailable {
            status: 403,
            error_code: code.into(),
            message: message.into(),
        }
    }

    #[test]
    fn lockout_needs_known_factors() {
        let mut desired = MfaState::default();
        desired.set_policies([Policy::AllApplications]);
        desired.set_factor(Factor::Otp, false);
        // Other factors unknown: no conclusion.
        assert!(check_lockout(&desired, &MfaState::default()).is_ok());
        let mut live = MfaState::default();
        all_factors(&mut live, false);
        live.set_factor(Factor::Otp, true);
        let err = check_lockout(&desired, &live).unwrap_err().to_string();
        assert!(err.contains("all-applications"), "{err}");
        // MFA off: no lockout.
        desired.set_policies([]);
        assert!(check_lockout(&desired, &live).is_ok());
        // A factor stays on: fine.
        desired.set_policies([Policy::AllApplications]);
        live.set_factor(Factor::Email, true);
        assert!(check_lockout(&desired, &live).is_ok());
    }

    #[test]
    fn lockout_from_the_tenants_policies() {
        // The file turns the last factors off; the tenant requires MFA.
        let mut desired = MfaState::default();
        desired.set_factor(Factor::Otp, false);
        let mut live = MfaState::default();
        all_factors(&mut live, false);
        live.set_factor(Factor::Otp, true);
        live.set_policies([Policy::AllApplications]);
        assert!(check_lockout(&desired, &live).is_err());
        // The tenant is in that state already and the file leaves the policies alone: the
        // plan does not cause it (an export of such a tenant plans empty).
        live.set_factor(Factor::Otp, false);
        assert!(check_lockout(&desired, &live).is_ok());
        // The file asks for MFA itself: refused all the same.
        desired.set_policies([Policy::AllApplications]);
        assert!(check_lockout(&desired, &live).is_err());
    }

    #[test]
    fn unavailable_resources_name_the_fix() {
        let mut desired = MfaState::default();
        desired.set_policies([Policy::ConfidenceScore]);
        desired.insert(
            Address::of(&PHONE_MESSAGE_TYPES),
            Values::of([("message_types", FieldValue::list(["voice"]))]),
        );
        let mut live = LiveTenant::default();
        live.unavailable.insert(
            Address::of(&POLICIES),
            refuse("insufficient_entitlement", "refused"),
        );
        live.unavailable.insert(
            Address::of(&PHONE_MESSAGE_TYPES),
            refuse("voice_mfa_not_allowed", "refused"),
        );
        live.unavailable.insert(
            Address::of(&PHONE_TWILIO),
            refuse("legacy_mfa_phone_provider_not_allowed", "refused"),
        );
        let err = check_available(&desired, &live).unwrap_err();
        let PlanError::Unavailable(list) = &err else {
            panic!("{err}")
        };
        // phone.twilio is not managed: ignored.
        assert_eq!(list.len(), 2);
        let text = err.to_string();
        assert!(
            text.contains("`policies`: 403 insufficient_entitlement"),
            "{text}"
        );
        // The reads were refused: the endpoints are closed whatever the file's values, so the
        // fix is to stop managing them, not to write other values.
        assert!(!text.contains("[all-applications]"), "{text}");
        assert!(text.contains("remove `policies` from the file"), "{text}");
        assert!(
            text.contains("remove `phone.message_types` from the file"),
            "{text}"
        );
    }

    #[test]
    fn legacy_phone_refusal_points_to_tenant_phone_settings() {
        let mut desired = MfaState::default();
        desired.insert(
            Address::of(&PHONE_PROVIDER),
            Values::of([("provider", FieldValue::Text("twilio".into()))]),
        );
        let mut live = LiveTenant::default();
        live.unavailable.insert(
            Address::of(&PHONE_PROVIDER),
            refuse(
                "legacy_mfa_phone_provider_not_allowed",
                "Legacy phone provider is not allowed",
            ),
        );
        let text = check_available(&desired, &live).unwrap_err().to_string();
        assert!(text.contains("`phone.provider`"), "{text}");
        assert!(text.contains("Tenant Phone Settings"), "{text}");
    }

    #[test]
    fn legacy_phone_keys_on_a_consolidated_tenant_name_where_they_go() {
        let mut desired = MfaState::default();
        desired.insert(
            Address::of(&PHONE_PROVIDER),
            Values::of([("provider", FieldValue::Text("twilio".into()))]),
        );
        desired.insert(
            Address::of(&PHONE_TWILIO),
            Values::of([("from", FieldValue::Text("+15550001111".into()))]),
        );
        let mut live = LiveTenant::default();
        assert!(
            check_phone_kind(&desired, &live).is_ok(),
            "kind unknown: no verdict"
        );
        live.consolidated_phone = Some(false);
        assert!(check_phone_kind(&desired, &live).is_ok());
        live.consolidated_phone = Some(true);
        let message = check_phone_kind(&desired, &live).unwrap_err().to_string();
        assert!(message.contains("`phone.provider: twilio` -> tenant_phone.provider.name: twilio"));
        assert!(message.contains("`phone.twilio.from` -> tenant_phone.provider.default_from"));
        assert!(
            !message.contains("phone.twilio.sid"),
            "only keys the file sets: {message}"
        );
    }

    #[test]
    fn tenant_phone_settings_on_a_legacy_tenant_warn() {
        let mut desired = MfaState::default();
        desired.insert(Address::of(&TENANT_PHONE_PROVIDER), Values::default());
        let mut live = LiveTenant {
            consolidated_phone: Some(true),
            ..LiveTenant::default()
        };
        assert!(phone_kind_warnings(&desired, &live).is_empty());
        live.consolidated_phone = Some(false);
        assert_eq!(phone_kind_warnings(&desired, &live).len(), 1);
    }
}
