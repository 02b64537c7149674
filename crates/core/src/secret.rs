//! A credential value that must never be shown.
//!
//! `Secret` wraps [`secrecy::SecretString`]: its `Debug` and `Display` print a fixed placeholder,
//! it does not implement `Serialize`, and the only way to the text is [`Secret::expose`], which
//! callers use solely to build a request body or to compare two values.

use secrecy::{ExposeSecret, SecretString};

/// What every output shows in place of a secret value.
pub const REDACTED: &str = "(sensitive value)";

/// Secret values shorter than this are not searched for in other text (scrubbing, masking a
/// config file's other lines): they would match ordinary words and numbers, and no real
/// credential (token, key, client secret) is that short. Counted in characters.
pub const MIN_MATCHED_LEN: usize = 6;

/// The keys of MFA settings whose values are secrets, in the config file and in the API's
/// bodies alike (`auth_token`, `skey`, `p12`, …), from the resource table.
pub fn secret_keys() -> impl Iterator<Item = &'static str> {
    crate::resource::registry::secret_field_keys()
}

/// Keys of OAuth and login credentials that may appear in token requests and answers.
pub const CREDENTIAL_KEYS: &[&str] = &[
    "client_secret",
    "client_assertion",
    "access_token",
    "api_key",
    "password",
];

/// Keys of users' MFA secrets: a TOTP seed sent when enrolling an authenticator app, and a
/// recovery code the API answers with (`POST /users/{id}/authentication-methods`,
/// `POST /users/{id}/recovery-code-regeneration`).
pub const USER_SECRET_KEYS: &[&str] = &["totp_secret", "recovery_code"];

/// Every key whose value is a secret wherever it appears: [`secret_keys`],
/// [`CREDENTIAL_KEYS`] and [`USER_SECRET_KEYS`].
pub fn all_secret_keys() -> impl Iterator<Item = &'static str> {
    secret_keys()
        .chain(CREDENTIAL_KEYS.iter().copied())
        .chain(USER_SECRET_KEYS.iter().copied())
}

/// Whether the value under `key` is a secret.
pub fn is_secret_key(key: &str) -> bool {
    all_secret_keys().any(|k| k == key)
}

/// A secret string: Twilio auth token, AWS secret key, APNs p12, FCM keys, Duo secret key.
#[derive(Clone)]
pub struct Secret(SecretString);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(SecretString::from(value.into()))
    }

    /// The secret text. Use it only to build a request body or to compare.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.expose() == other.expose()
    }
}

impl Eq for Secret {}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(REDACTED)
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(REDACTED)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret::new(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_value() {
        let secret = Secret::new("hunter2-very-secret");
        assert_eq!(format!("{secret:?}"), REDACTED);
        assert_eq!(format!("{secret}"), REDACTED);
        assert_eq!(
            format!("{:?}", Some(secret.clone())),
            "Some((sensitive value))"
        );
        assert_eq!(secret.expose(), "hunter2-very-secret");
    }

    #[test]
    fn equality_compares_the_values() {
        assert_eq!(Secret::new("a"), Secret::new("a"));
        assert_ne!(Secret::new("a"), Secret::new("b"));
    }
}
