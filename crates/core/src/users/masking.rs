//! Masking of personal data (phone numbers, email addresses) the way the Management API masks
//! them in its reads, so a pasted terminal or CI log leaks nobody's number. Pure.
//!
//! The rule comes from the recorded answers (`tests/fixtures/recordings/README.md`):
//! - phone: every character but the last four, `+` included, becomes `X`; the length is kept
//!   (`+44207183875044` → `XXXXXXXXXXX5044`);
//! - email: the domain keeps its first four characters and the rest become `*`, length kept
//!   (`example.com` → `exam*******`); the local part keeps some leading characters, then `****`
//!   (`chuck334` → `chuc****`, `foo` → `****`, `semp` → `****`). The three recorded local parts
//!   fit both "keep len−4 characters" and "keep min(4, len−4) characters"; mfactl uses the
//!   second, which never shows more than four characters of anyone's address.
//!
//! Masking a masked value changes nothing, so answers the API already masked can go through
//! the same functions.

use serde_json::Value;

use crate::secret::{REDACTED, is_secret_key};

/// Body keys that hold personal data, masked in every output and log.
pub const PERSONAL_DATA_KEYS: &[&str] = &["phone_number", "email"];

/// Keys of a user's profile whose values come from the person's name, email or phone, and
/// which the API does not mask (`GET /users-by-email`, `GET /users/{id}`): `nickname` defaults
/// to the email's local part and `picture` to a Gravatar URL carrying the email's MD5 hash
/// (recorded answers, `tests/fixtures/recordings/user-mfa-interactions.jsonl`). Shown as
/// [`PERSONAL_REDACTED`] in every output and log.
pub const PROFILE_KEYS: &[&str] = &[
    "nickname",
    "given_name",
    "family_name",
    "picture",
    "username",
];

/// What shows in place of personal data that has no mask of the API's.
pub const PERSONAL_REDACTED: &str = "(personal data)";

/// The key that marks an object as a user record, whose `name` is the person's (a method's or
/// an enrollment's `name` is the device's, and stays).
const USER_RECORD_KEY: &str = "user_id";

/// `+44207183875044` → `XXXXXXXXXXX5044`.
pub fn mask_phone(phone: &str) -> String {
    let count = phone.chars().count();
    phone
        .chars()
        .enumerate()
        .map(|(index, c)| if index + 4 < count { 'X' } else { c })
        .collect()
}

/// `chuck334@example.com` → `chuc****@exam*******`. A value without `@` is masked as a local
/// part alone.
pub fn mask_email(email: &str) -> String {
    let (local, domain) = match email.rsplit_once('@') {
        Some((local, domain)) => (local, Some(domain)),
        None => (email, None),
    };
    let local_len = local.chars().count();
    let kept = local_len.saturating_sub(4).min(4);
    let mut masked: String = local.chars().take(kept).collect();
    masked.push_str("****");
    if let Some(domain) = domain {
        masked.push('@');
        masked.extend(
            domain
                .chars()
                .enumerate()
                .map(|(index, c)| if index < 4 { c } else { '*' }),
        );
    }
    masked
}

/// A phone number or email address masked character for character, so a snippet of the file
/// keeps its columns: a phone as [`mask_phone`] (already the same length); an email's local
/// part and domain each keep their first characters (at most four, at most half) and the rest
/// becomes `*` (`jane.roe@example.com` → `ja******@exam*******`). Anything else (a value that
/// is not quite a number, `555 1234`) keeps only its last four characters, like a phone.
pub fn mask_personal_same_length(value: &str) -> String {
    let keep_some = |part: &str| -> String {
        let count = part.chars().count();
        let kept = (count / 2).min(4);
        part.chars()
            .enumerate()
            .map(|(index, c)| if index < kept { c } else { '*' })
            .collect()
    };
    match value.rsplit_once('@') {
        Some((local, domain)) => format!("{}@{}", keep_some(local), keep_some(domain)),
        None => mask_phone(value),
    }
}

/// Masks the value of a personal-data key ([`PERSONAL_DATA_KEYS`]) and redacts that of a
/// profile key ([`PROFILE_KEYS`]); other keys and non-strings are returned as they are.
pub fn mask_field(key: &str, value: &Value) -> Value {
    match (key, value) {
        ("phone_number", Value::String(phone)) => Value::String(mask_phone(phone)),
        ("email", Value::String(email)) => Value::String(mask_email(email)),
        (key, Value::String(_)) if PROFILE_KEYS.contains(&key) => {
            Value::String(PERSONAL_REDACTED.to_owned())
        }
        _ => value.clone(),
    }
}

/// Whether the value under `key` is personal data that [`mask_field`] masks or redacts.
pub fn is_personal_key(key: &str) -> bool {
    PERSONAL_DATA_KEYS.contains(&key) || PROFILE_KEYS.contains(&key)
}

/// A user record's `name`: masked like an email or a phone number when it is one (Auth0 sets
/// it to the email by default), else redacted.
fn mask_user_name(value: &Value) -> Value {
    match value {
        Value::String(name) => {
            Value::String(mask_if_personal(name).unwrap_or_else(|| PERSONAL_REDACTED.to_owned()))
        }
        other => other.clone(),
    }
}

/// Whether `text` is an email address (`local@domain.tld`, no spaces).
pub fn looks_like_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && !text.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

/// Whether `text` is a phone number in international form: `+`, then at least seven digits,
/// optionally grouped with spaces, dashes, dots or parentheses.
pub fn looks_like_phone(text: &str) -> bool {
    let Some(rest) = text.strip_prefix('+') else {
        return false;
    };
    let digits = rest.chars().filter(char::is_ascii_digit).count();
    digits >= 7
        && rest
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')'))
}

/// Masks a free-standing string if it is an email address or a phone number.
pub fn mask_if_personal(text: &str) -> Option<String> {
    if looks_like_email(text) {
        Some(mask_email(text))
    } else if looks_like_phone(text) {
        Some(mask_phone(text))
    } else {
        None
    }
}

/// Keys whose values are the command's result but must not stay in a log: an enrollment
/// ticket's link and id work once, for whoever holds them (`POST /guardian/enrollments/ticket`).
pub const LOG_ONLY_SECRET_KEYS: &[&str] = &["ticket_url", "ticket_id"];

/// `value` as `-vv` logs show it: [`for_display`], with [`LOG_ONLY_SECRET_KEYS`] redacted too.
pub fn for_log(value: &Value) -> Value {
    match for_display(value) {
        Value::Object(mut map) => {
            for key in LOG_ONLY_SECRET_KEYS {
                if let Some(shown) = map.get_mut(*key) {
                    *shown = Value::String(REDACTED.to_owned());
                }
            }
            Value::Object(map)
        }
        other => other,
    }
}

/// `value` as mfactl may show it: secret fields (see [`crate::secret::all_secret_keys`]) read
/// [`REDACTED`], `phone_number` and `email` are masked, profile fields ([`PROFILE_KEYS`], and a
/// user record's `name`) are masked or redacted, and any other string that is an email address
/// or a phone number is masked too (a method `name` may hold one). Used for command output,
/// `-v` logs and error details.
pub fn for_display(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, inner)| {
                    let shown = if is_secret_key(key) && !inner.is_null() {
                        Value::String(REDACTED.to_owned())
                    } else if is_personal_key(key) && inner.is_string() {
                        mask_field(key, inner)
                    } else if key == "name" && map.contains_key(USER_RECORD_KEY) {
                        mask_user_name(inner)
                    } else {
                        for_display(inner)
                    };
                    (key.clone(), shown)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(for_display).collect()),
        Value::String(text) => {
            Value::String(mask_if_personal(text).unwrap_or_else(|| text.clone()))
        }
        other => other.clone(),
    }
}

/// Free text (an error message from the API, a log line) with every word that is an email
/// address or a phone number masked. Quotes and punctuation around a word are kept.
pub fn mask_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word.is_empty() {
            return;
        }
        let punctuation = |c: char| "'\"`,;:()[]{}<>!?".contains(c);
        let core = word
            .trim_start_matches(punctuation)
            .trim_end_matches(|c: char| punctuation(c) || c == '.');
        match mask_if_personal(core) {
            Some(masked) if !core.is_empty() => {
                out.push_str(&word.replacen(core, &masked, 1));
            }
            _ => out.push_str(word),
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_whitespace() {
            flush(&mut word, &mut out);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// A path (relative to `/api/v2`) as logs and errors show it: the values of `email` and
/// `phone_number` in its query string are decoded and masked.
pub fn mask_path(path: &str) -> String {
    let Some((base, query)) = path.split_once('?') else {
        return path.to_owned();
    };
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((key, value)) if PERSONAL_DATA_KEYS.contains(&key) => {
                let decoded = crate::resource::decode(value);
                match mask_field(key, &Value::String(decoded)) {
                    Value::String(masked) => format!("{key}={masked}"),
                    _ => pair.to_owned(),
                }
            }
            _ => pair.to_owned(),
        })
        .collect();
    format!("{base}?{}", pairs.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn logs_redact_an_enrollment_ticket_but_output_keeps_it() {
        let answer = json!({"ticket_id": "V4rm6KujlnlD9fZK", "ticket_url": "https://t/?ticket=V4rm6KujlnlD9fZK"});
        assert_eq!(for_display(&answer), answer);
        assert_eq!(
            for_log(&answer),
            json!({"ticket_id": REDACTED, "ticket_url": REDACTED})
        );
    }

    #[test]
    fn phones_keep_their_last_four_characters_and_length() {
        // user-mfa-interactions.jsonl: PUT answer vs the list after it.
        assert_eq!(mask_phone("+44207183875044"), "XXXXXXXXXXX5044");
        assert_eq!(mask_phone("+15551234567"), "XXXXXXXX4567");
        assert_eq!(mask_phone("XXXXXXXXXXX5044"), "XXXXXXXXXXX5044");
        assert_eq!(mask_phone("1234"), "1234");
        assert_eq!(mask_phone(""), "");
    }

    #[test]
    fn emails_follow_the_recorded_data_points() {
        assert_eq!(mask_email("chuck334@example.com"), "chuc****@exam*******");
        assert_eq!(mask_email("foo@example.com"), "****@exam*******");
        // auth0-java fixture `authenticator_method_by_id.json`.
        assert_eq!(mask_email("semp@pmes.com"), "****@pmes****");
        // Never more than four characters of the local part.
        assert_eq!(
            mask_email("christopher.robin@example.org"),
            "chri****@exam*******"
        );
        assert_eq!(mask_email("chuc****@exam*******"), "chuc****@exam*******");
        assert_eq!(mask_email("no-at-sign"), "no-a****");
        assert_eq!(mask_email("é@ü.de"), "****@ü.de");
    }

    #[test]
    fn detection_of_personal_strings() {
        assert!(looks_like_email("a@b.co"));
        assert!(!looks_like_email("a@b"));
        assert!(!looks_like_email("auth0|abc"));
        assert!(looks_like_phone("+1 (555) 123-4567"));
        assert!(!looks_like_phone("+12"));
        assert!(!looks_like_phone("15551234567"));
        assert!(!looks_like_phone("2023-03-10T16:25:52.099Z"));
    }

    #[test]
    fn display_masks_keys_values_and_secrets() {
        let shown = for_display(&json!({
            "id": "phone|dev_1",
            "phone_number": "+44207183875044",
            "name": "+15551234567",
            "nested": [{"email": "chuck334@example.com", "totp_secret": "ABC", "recovery_code": "XYZ"}],
            "created_at": "2023-03-10T16:25:52.099Z",
            "confirmed": true
        }));
        assert_eq!(
            shown,
            json!({
                "id": "phone|dev_1",
                "phone_number": "XXXXXXXXXXX5044",
                "name": "XXXXXXXX4567",
                "nested": [{"email": "chuc****@exam*******", "totp_secret": REDACTED, "recovery_code": REDACTED}],
                "created_at": "2023-03-10T16:25:52.099Z",
                "confirmed": true
            })
        );
    }

    #[test]
    fn display_masks_or_redacts_a_user_profile() {
        // Shape of `GET /users-by-email` (user-mfa-interactions.jsonl); the emulator's default
        // nickname and Gravatar picture.
        let user = json!({
            "user_id": "auth0|629e007439daeb006997ed61",
            "email": "chuck334@example.com",
            "name": "chuck334@example.com",
            "nickname": "chuck334",
            "given_name": "Chuck",
            "family_name": "Sanchez",
            "username": "test-user43",
            "picture": "https://s.gravatar.com/avatar/68d17a33?s=480",
            "identities": [{"user_id": "629e007439daeb006997ed61", "provider": "auth0"}]
        });
        let shown = for_display(&json!([user]));
        assert_eq!(
            shown,
            json!([{
                "user_id": "auth0|629e007439daeb006997ed61",
                "email": "chuc****@exam*******",
                "name": "chuc****@exam*******",
                "nickname": PERSONAL_REDACTED,
                "given_name": PERSONAL_REDACTED,
                "family_name": PERSONAL_REDACTED,
                "username": PERSONAL_REDACTED,
                "picture": PERSONAL_REDACTED,
                "identities": [{"user_id": "629e007439daeb006997ed61", "provider": "auth0"}]
            }])
        );
        let named = for_display(&json!({"user_id": "auth0|1", "name": "Jo Doe"}));
        assert_eq!(named["name"], PERSONAL_REDACTED);
        // A method's name is the device's.
        let method = for_display(&json!({"id": "phone|dev_1", "name": "Work phone"}));
        assert_eq!(method["name"], "Work phone");
    }

    #[test]
    fn free_text_and_paths() {
        assert_eq!(
            mask_text("no user has the email 'chuck334@example.com'. Phone +44207183875044, ok"),
            "no user has the email 'chuc****@exam*******'. Phone XXXXXXXXXXX5044, ok"
        );
        assert_eq!(
            mask_text("limit 1630700206 reached"),
            "limit 1630700206 reached"
        );
        assert_eq!(
            mask_path("/users-by-email?email=chuck334%40example.com"),
            "/users-by-email?email=chuc****@exam*******"
        );
        assert_eq!(mask_path("/users/auth0%7C1"), "/users/auth0%7C1");
    }
}
