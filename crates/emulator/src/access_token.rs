//! JWT-shaped access tokens that only this emulator issues and accepts.
//!
//! A token is `header.payload.signature` in base64url; the payload carries `iss`, `sub`, `aud`,
//! `iat`, `exp`, `azp`, `gty` and `scope` (space separated) like Auth0's Management API tokens, so
//! clients can decode the granted scopes. The signature is HMAC-SHA256 with a key drawn at start.

use std::sync::LazyLock;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::hmac;
use serde::{Deserialize, Serialize};

use crate::routes::table_scopes;

/// Every scope the emulated Management API checks, from the resource table
/// ([`crate::routes::table_scopes`]: the settings resources' reads and writes, the deletes the
/// emulator adds and the per-user endpoints); the emulator's client is granted all of them.
pub static ALL_SCOPES: LazyLock<Vec<&'static str>> = LazyLock::new(table_scopes);

/// How long an issued token lives, in seconds (Auth0's default for Management API tokens).
pub const TOKEN_LIFETIME_SECONDS: u64 = 86_400;

/// The claims inside a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub sub: String,
    pub aud: String,
    pub iat: u64,
    pub exp: u64,
    pub azp: String,
    pub gty: String,
    pub scope: String,
}

impl Claims {
    /// Whether the token grants `scope`.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scope.split(' ').any(|s| s == scope)
    }
}

/// Why a presented token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenRejection {
    /// Not a token this emulator signed.
    Invalid,
    /// Signed here, but past its `exp`.
    Expired,
}

/// Signs and checks tokens with one key.
pub struct TokenIssuer {
    key: hmac::Key,
}

impl std::fmt::Debug for TokenIssuer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenIssuer")
    }
}

impl TokenIssuer {
    /// An issuer with the given signing key bytes.
    pub fn new(key: &[u8]) -> Self {
        TokenIssuer {
            key: hmac::Key::new(hmac::HMAC_SHA256, key),
        }
    }

    /// Issues a token for `client_id` with `scopes`, valid for [`TOKEN_LIFETIME_SECONDS`].
    pub fn issue(&self, issuer: &str, audience: &str, client_id: &str, scopes: &[&str]) -> String {
        let now = now_epoch_seconds();
        let claims = Claims {
            iss: issuer.to_owned(),
            sub: format!("{client_id}@clients"),
            aud: audience.to_owned(),
            iat: now,
            exp: now + TOKEN_LIFETIME_SECONDS,
            azp: client_id.to_owned(),
            gty: "client-credentials".to_owned(),
            scope: scopes.join(" "),
        };
        self.sign(&claims)
    }

    /// Signs arbitrary claims (tests use it for expired tokens).
    pub fn sign(&self, claims: &Claims) -> String {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
        let payload =
            URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap_or_default().as_slice());
        let signing_input = format!("{header}.{payload}");
        let tag = hmac::sign(&self.key, signing_input.as_bytes());
        format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(tag.as_ref()))
    }

    /// Checks a presented token and returns its claims.
    pub fn verify(&self, token: &str) -> Result<Claims, TokenRejection> {
        let (signing_input, signature) = token.rsplit_once('.').ok_or(TokenRejection::Invalid)?;
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| TokenRejection::Invalid)?;
        hmac::verify(&self.key, signing_input.as_bytes(), &signature)
            .map_err(|_| TokenRejection::Invalid)?;
        let (_, payload) = signing_input
            .split_once('.')
            .ok_or(TokenRejection::Invalid)?;
        let payload = URL_SAFE_NO_PAD
            .decode(payload)
            .map_err(|_| TokenRejection::Invalid)?;
        let claims: Claims =
            serde_json::from_slice(&payload).map_err(|_| TokenRejection::Invalid)?;
        if claims.exp <= now_epoch_seconds() {
            return Err(TokenRejection::Expired);
        }
        Ok(claims)
    }
}

/// Seconds since the Unix epoch.
pub fn now_epoch_seconds() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_tokens_verify_and_carry_their_scopes() {
        let issuer = TokenIssuer::new(b"key");
        let token = issuer.issue(
            "http://x/",
            "http://x/api/v2/",
            "cid",
            &["read:mfa_policies"],
        );
        assert_eq!(token.split('.').count(), 3);
        let claims = issuer.verify(&token).unwrap();
        assert!(claims.has_scope("read:mfa_policies"));
        assert!(!claims.has_scope("update:mfa_policies"));
        assert_eq!(claims.sub, "cid@clients");
    }

    #[test]
    fn foreign_tampered_and_expired_tokens_are_refused() {
        let issuer = TokenIssuer::new(b"key");
        let other = TokenIssuer::new(b"other");
        let token = other.issue("i", "a", "c", &ALL_SCOPES);
        assert_eq!(issuer.verify(&token), Err(TokenRejection::Invalid));
        assert_eq!(issuer.verify("not-a-token"), Err(TokenRejection::Invalid));
        let mut claims = issuer.verify(&issuer.issue("i", "a", "c", &[])).unwrap();
        claims.exp = 1;
        assert_eq!(
            issuer.verify(&issuer.sign(&claims)),
            Err(TokenRejection::Expired)
        );
    }
}
