//! The offline checks of a method's values, shared by the config file's `users:` section and
//! `mfactl users import`. Pure. Each reason is a phrase that follows the value's name
//! (`` `phone_number` is not in E.164 form… ``) and never quotes a secret.
//!
//! Sources: E.164 (ITU-T: `+`, a country code that never starts with 0, at most 15 digits; the
//! emulator refuses the same numbers); TOTP secrets in un-padded base32, `^[A-Z2-7]+$`
//! (Auth0's "Import user MFA authenticator enrollments" schema: "It must be supplied in
//! un-padded Base32 encoding").

use crate::users::masking::{looks_like_email, mask_email};

/// The fewest digits a phone number has after the `+`.
pub const MIN_PHONE_DIGITS: usize = 7;
/// The most digits E.164 allows.
pub const MAX_PHONE_DIGITS: usize = 15;

/// An E.164 phone number: `+`, a non-zero digit, then 6 to 14 more digits.
pub fn check_phone(phone: &str) -> Result<(), String> {
    let Some(digits) = phone.strip_prefix('+') else {
        return Err("is not in E.164 form: it must start with + and the country code".into());
    };
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(
            "is not in E.164 form: after the + it may hold digits only (no spaces, dashes or brackets)"
                .into(),
        );
    }
    let count = digits.len();
    if !(MIN_PHONE_DIGITS..=MAX_PHONE_DIGITS).contains(&count) {
        return Err(format!(
            "is not in E.164 form: it has {count} digits, and E.164 numbers have {MIN_PHONE_DIGITS} to {MAX_PHONE_DIGITS}"
        ));
    }
    if digits.starts_with('0') {
        return Err("is not in E.164 form: no country code starts with 0".into());
    }
    Ok(())
}

/// An email address (`local@domain.tld`, no spaces).
pub fn check_email(email: &str) -> Result<(), String> {
    if looks_like_email(email) {
        Ok(())
    } else {
        Err("is not an email address (local@domain.tld)".into())
    }
}

/// The fewest base32 characters a TOTP secret may have: 16, 80 bits, the length authenticator
/// apps are commonly given (RFC 4226 §4 asks for 128 bits, 26 characters, and recommends 160).
/// A shorter one is most likely cut off (a secret wrapped over two lines).
pub const MIN_TOTP_SECRET_CHARS: usize = 16;

/// A TOTP secret: un-padded base32, `A-Z` and `2-7`, at least [`MIN_TOTP_SECRET_CHARS`]
/// characters. The reason names what is wrong, never a character of the secret.
pub fn check_totp_secret(secret: &str) -> Result<(), String> {
    if secret.is_empty() {
        return Err("is empty".into());
    }
    if secret.ends_with('=') {
        return Err("is padded with `=`: authenticator secrets are un-padded base32".into());
    }
    let base32 = |c: char| c.is_ascii_uppercase() || ('2'..='7').contains(&c);
    if secret.chars().all(base32) {
        let count = secret.chars().count();
        if count < MIN_TOTP_SECRET_CHARS {
            return Err(format!(
                "is {count} characters ({} bits): an authenticator secret has at least {MIN_TOTP_SECRET_CHARS} (80 bits); is it cut off?",
                count * 5
            ));
        }
        return Ok(());
    }
    let reason = if secret.chars().any(|c| c.is_ascii_lowercase()) {
        "holds lower-case letters: base32 is upper-case A-Z and the digits 2-7"
    } else if secret.chars().any(|c| matches!(c, '0' | '1' | '8' | '9')) {
        "holds the digit 0, 1, 8 or 9, which base32 does not use (A-Z, 2-7)"
    } else if secret.chars().any(char::is_whitespace) {
        "holds spaces: write the base32 secret without them"
    } else {
        "holds characters that are not base32 (A-Z, 2-7)"
    };
    Err(reason.into())
}

/// Whether `phone` is a number as the API's reads mask it (`XXXXXXXX4567`), as `export`
/// writes it.
pub fn is_masked_phone(phone: &str) -> bool {
    let chars: Vec<char> = phone.chars().collect();
    chars.len() > 4
        && chars[..chars.len() - 4].iter().all(|c| *c == 'X')
        && chars[chars.len() - 4..].iter().all(char::is_ascii_digit)
}

/// Whether `email` is an address as the API's reads mask it (`chuc****@exam*******`).
pub fn is_masked_email(email: &str) -> bool {
    email.contains("****") && mask_email(email) == email
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_totp_secret_is_refused_as_probably_cut_off() {
        assert!(check_totp_secret("JBSWY3DPEHPK3PXP").is_ok());
        let reason = check_totp_secret("JBSWY3DP").unwrap_err();
        assert_eq!(
            reason,
            "is 8 characters (40 bits): an authenticator secret has at least 16 (80 bits); is it cut off?"
        );
    }

    #[test]
    fn phones() {
        assert!(check_phone("+15551234567").is_ok());
        assert!(check_phone("+442071838750").is_ok());
        for bad in [
            "15551234567",
            "+1 555 123 4567",
            "+123",
            "+0123456789",
            "+1234567890123456",
        ] {
            assert!(check_phone(bad).is_err(), "{bad}");
        }
        assert!(check_phone("+1 555").unwrap_err().contains("digits only"));
        assert!(is_masked_phone("XXXXXXXX4567"));
        assert!(!is_masked_phone("+15551234567"));
        assert!(!is_masked_phone("4567"));
    }

    #[test]
    fn totp_secrets_never_quote_the_secret() {
        assert!(check_totp_secret("JBSWY3DPEHPK3PXP").is_ok());
        for bad in [
            "JBSWY3DPEHPK3PXP====",
            "jbswy3dpehpk3pxp",
            "JBSWY3DPEHPK3PX1",
            "JBSW Y3DP",
            "JBSW-Y3DP",
            "",
        ] {
            let reason = check_totp_secret(bad).unwrap_err();
            assert!(bad.is_empty() || !reason.contains(bad), "{reason}");
        }
        assert!(check_totp_secret("ABC=").unwrap_err().contains("padded"));
    }

    #[test]
    fn emails() {
        assert!(check_email("oncall@example.com").is_ok());
        assert!(check_email("oncall@example").is_err());
        assert!(is_masked_email("chuc****@exam*******"));
        assert!(!is_masked_email("chuck334@example.com"));
    }
}
