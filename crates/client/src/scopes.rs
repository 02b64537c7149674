//! The Management API scopes a config needs, and the scopes a token carries.

use std::collections::BTreeSet;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use mfactl_core::model::{Address, MfaState};

/// The scope needed to read `address`, if it can be read.
pub fn read_scope(address: Address) -> Option<&'static str> {
    match address {
        Address::Policies | Address::MfaSession => Some("read:mfa_policies"),
        Address::PushCustomApp => Some("read:prompts"),
        Address::TenantPhoneProvider => Some("read:phone_providers"),
        Address::TenantPhoneTemplate(_) => Some("read:phone_templates"),
        Address::TenantSettings => Some("read:tenant_settings"),
        Address::PushFcm | Address::PushFcmV1 => None,
        _ => Some("read:guardian_factors"),
    }
}

/// The scope needed to write `address`.
pub fn write_scope(address: Address) -> &'static str {
    match address {
        Address::Policies | Address::MfaSession => "update:mfa_policies",
        Address::PushCustomApp => "update:prompts",
        Address::TenantPhoneProvider => "update:phone_providers",
        Address::TenantPhoneTemplate(_) => "update:phone_templates",
        Address::TenantSettings => "update:tenant_settings",
        _ => "update:guardian_factors",
    }
}

/// Every scope needed to read what `desired` manages (what `plan` needs).
pub fn required_read_scopes(desired: &MfaState) -> BTreeSet<String> {
    let managed = desired.managed_addresses();
    let mut scopes: BTreeSet<String> = managed
        .iter()
        .copied()
        .filter_map(read_scope)
        .map(String::from)
        .collect();
    if managed.iter().any(|a| a.is_phone_related()) {
        scopes.insert("read:tenant_settings".into());
    }
    scopes
}

/// Every scope needed to write what `desired` manages. `apply` also reads, so it needs these
/// and [`required_read_scopes`].
///
/// Tenant Phone Settings resources that do not exist yet are created (POST), so they need the
/// `create:` scope as well as `update:`; both are asked for, since which one a run needs is
/// only known after the read.
pub fn required_write_scopes(desired: &MfaState) -> BTreeSet<String> {
    let mut scopes = BTreeSet::new();
    for address in desired.managed_addresses() {
        scopes.insert(write_scope(address).to_string());
        match address {
            Address::TenantPhoneProvider => {
                scopes.insert("create:phone_providers".to_string());
            }
            Address::TenantPhoneTemplate(_) => {
                scopes.insert("create:phone_templates".to_string());
            }
            _ => {}
        }
    }
    scopes
}

/// The scopes a JWT access token grants, from its `scope` claim (space-separated) or
/// `permissions` claim (array). `None` when the token is not a readable JWT or has neither
/// claim: then nothing can be known before a call fails. The signature is not checked; this is
/// only to tell the user early.
pub fn granted_scopes(token: &str) -> Option<BTreeSet<String>> {
    let mut parts = token.split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    if let Some(scope) = claims.get("scope").and_then(|s| s.as_str()) {
        return Some(scope.split_whitespace().map(String::from).collect());
    }
    let permissions = claims.get("permissions")?.as_array()?;
    Some(
        permissions
            .iter()
            .filter_map(|p| p.as_str())
            .map(String::from)
            .collect(),
    )
}

/// The scopes an `insufficient_scope` message names ("Insufficient scope, expected any of: a,b").
pub fn scopes_in_message(message: &str) -> BTreeSet<String> {
    let Some((_, list)) = message.split_once(':') else {
        return BTreeSet::new();
    };
    list.split([',', ' '])
        .map(|s| s.trim().trim_end_matches('.'))
        .filter(|s| s.contains(':'))
        .map(String::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use mfactl_core::model::{CustomApp, Factor, FcmSettings};

    fn jwt(claims: serde_json::Value) -> String {
        let enc = |v: &[u8]| URL_SAFE_NO_PAD.encode(v);
        format!(
            "{}.{}.{}",
            enc(br#"{"alg":"RS256","typ":"JWT"}"#),
            enc(claims.to_string().as_bytes()),
            enc(b"signature")
        )
    }

    #[test]
    fn scopes_follow_what_is_managed() {
        let mut desired = MfaState::default();
        assert!(required_read_scopes(&desired).is_empty());
        desired.factors.insert(Factor::Otp, true);
        desired.push.fcm = Some(FcmSettings::default());
        assert_eq!(
            required_read_scopes(&desired),
            BTreeSet::from(["read:guardian_factors".to_string()])
        );
        desired.policies = Some(Default::default());
        desired.push.custom_app = Some(CustomApp::default());
        let read: Vec<String> = required_read_scopes(&desired).into_iter().collect();
        assert_eq!(
            read,
            ["read:guardian_factors", "read:mfa_policies", "read:prompts"]
        );
        let write: Vec<String> = required_write_scopes(&desired).into_iter().collect();
        assert_eq!(
            write,
            [
                "update:guardian_factors",
                "update:mfa_policies",
                "update:prompts"
            ]
        );
    }

    #[test]
    fn reads_scope_and_permissions_claims() {
        let token = jwt(serde_json::json!({"scope": "read:guardian_factors read:prompts"}));
        assert_eq!(
            granted_scopes(&token).unwrap(),
            BTreeSet::from(["read:guardian_factors".into(), "read:prompts".into()])
        );
        let token = jwt(serde_json::json!({"permissions": ["read:mfa_policies"]}));
        assert_eq!(
            granted_scopes(&token).unwrap(),
            BTreeSet::from(["read:mfa_policies".into()])
        );
        assert_eq!(granted_scopes(&jwt(serde_json::json!({"sub": "x"}))), None);
        assert_eq!(granted_scopes("opaque-token"), None);
        assert_eq!(granted_scopes("a.b.c"), None);
    }

    #[test]
    fn scopes_from_the_error_message() {
        assert_eq!(
            scopes_in_message("Insufficient scope, expected any of: read:guardian_factors"),
            BTreeSet::from(["read:guardian_factors".into()])
        );
        assert_eq!(
            scopes_in_message("Insufficient scope, expected any of: read:prompts,update:prompts"),
            BTreeSet::from(["read:prompts".into(), "update:prompts".into()])
        );
    }
}
