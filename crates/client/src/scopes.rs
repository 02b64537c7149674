//! The scopes a token carries, and the scopes an `insufficient_scope` answer names. (The scopes
//! a config needs come from the resource table: [`mfactl_core::plan::scopes`].)

use std::collections::BTreeSet;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

pub use mfactl_core::plan::scopes::{required_read_scopes, required_write_scopes};

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
