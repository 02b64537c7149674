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

/// Refuses a plan whose end state requires MFA while no factor is enabled.
///
/// Only what is known counts: the end policies are the desired ones, else the live ones; the
/// end factors are the desired ones laid over the live ones. When a factor's end state is
/// unknown (neither managed nor read) nothing is concluded, so this never refuses on a guess.
pub fn check_lockout(desired: &MfaState, live: &MfaState) -> Result<(), PlanError> {
    let Some(policies) = desired.policies().or_else(|| live.policies()) else {
        return Ok(());
    };
    if policies.is_empty() {
        return Ok(());
    }
    let end = end_factors(desired, live);
    let all_known = Factor::ALL.iter().all(|f| end.contains_key(f));
    if all_known && !end.values().any(|on| *on) {
        let names: Vec<&str> = policies.iter().map(|p: &Policy| p.as_str()).collect();
        return Err(PlanError::Lockout {
            policies: names.join(", "),
        });
    }
    Ok(())
}

/// Flags the dangerous changes of a plan: turning MFA off (policies from some to none), and
/// every factor disabling change of a plan after which no known factor is enabled while one
/// was before.
pub fn mark_dangerous(changes: &mut [Change], desired: &MfaState, live: &MfaState) {
    let mfa_off = matches!(
        (desired.policies(), live.policies()),
        (Some(want), Some(have)) if want.is_empty() && !have.is_empty()
    );
    let was_on = live.factors().values().any(|on| *on);
    let end_on = end_factors(desired, live).values().any(|on| *on);
    let all_off = was_on && !end_on;
    for change in changes {
        if change.address.is(&POLICIES) && mfa_off {
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
