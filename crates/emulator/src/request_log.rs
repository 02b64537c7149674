//! The request log behind `GET /__emulator/requests`, with secret values masked and personal
//! data (phone numbers, emails) masked the way the API masks it.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use mfactl_core::secret::{REDACTED, is_secret_key};
use mfactl_core::users::masking::{is_personal_key, mask_field};

/// One request as the emulator received it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoggedRequest {
    pub method: String,
    /// Path without the query string.
    pub path: String,
    /// The answer's status; 0 while in flight or when the connection was dropped on purpose.
    pub status: u16,
    /// The body as JSON with secret values masked; `null` when empty.
    pub body: Value,
    /// Arrival time as an HTTP date (e.g. `Sun, 23 Nov 2026 02:00:00 GMT`).
    pub time: String,
}

/// Turns a raw request body into its logged form: JSON (or a form, as a JSON object) with every
/// secret field masked. Anything else is summarised, never copied.
pub fn masked_body(raw: &[u8], is_form: bool) -> Value {
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Value::Null;
    }
    if is_form {
        let map: Map<String, Value> = form_pairs(raw)
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect();
        return mask(Value::Object(map));
    }
    match serde_json::from_slice::<Value>(raw) {
        Ok(value) => mask(value),
        Err(_) => Value::String(format!("(unparsed body, {} bytes)", raw.len())),
    }
}

/// Masks every secret field at any depth, and the personal data of users' bodies
/// (`phone_number`, `email` the way the API masks them in reads; profile fields redacted).
pub fn mask(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(key, inner)| {
                    if is_secret_key(&key) && !inner.is_null() {
                        (key, Value::String(REDACTED.to_owned()))
                    } else if is_personal_key(&key) {
                        let masked = mask_field(&key, &inner);
                        (key, masked)
                    } else {
                        (key, mask(inner))
                    }
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(mask).collect()),
        other => other,
    }
}

/// Decodes `application/x-www-form-urlencoded` pairs.
pub fn form_pairs(raw: &[u8]) -> Vec<(String, String)> {
    raw.split(|b| *b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let mut parts = pair.splitn(2, |b| *b == b'=');
            let key = percent_decode(parts.next().unwrap_or_default());
            let value = percent_decode(parts.next().unwrap_or_default());
            (key, value)
        })
        .collect()
}

fn percent_decode(raw: &[u8]) -> String {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < raw.len() => {
                let hex = std::str::from_utf8(&raw[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn masks_secret_fields_at_any_depth() {
        let body = br#"{"sid":"AC1","auth_token":"tok-123","nested":[{"p12":"abc"}],"from":null}"#;
        let logged = masked_body(body, false);
        let text = logged.to_string();
        assert!(!text.contains("tok-123") && !text.contains("abc"));
        assert_eq!(logged["sid"], json!("AC1"));
        assert_eq!(logged["auth_token"], json!(REDACTED));
    }

    #[test]
    fn masks_personal_data_and_user_secrets() {
        let body = br#"[{"type":"phone","phone_number":"+44207183875044"},{"type":"email","email":"foo@example.com"},{"type":"totp","totp_secret":"5HCWXIP2MJNSUBGY"}]"#;
        let logged = masked_body(body, false).to_string();
        assert_eq!(
            logged,
            r#"[{"type":"phone","phone_number":"XXXXXXXXXXX5044"},{"type":"email","email":"****@exam*******"},{"type":"totp","totp_secret":"(sensitive value)"}]"#
        );
    }

    #[test]
    fn decodes_and_masks_forms() {
        let logged = masked_body(
            b"grant_type=client_credentials&client_secret=s%2F3cr+t&scope=a%20b",
            true,
        );
        assert_eq!(logged["grant_type"], json!("client_credentials"));
        assert_eq!(logged["client_secret"], json!(REDACTED));
        assert_eq!(logged["scope"], json!("a b"));
    }

    #[test]
    fn non_json_bodies_are_summarised() {
        assert_eq!(
            masked_body(b"secret!", false),
            json!("(unparsed body, 7 bytes)")
        );
        assert_eq!(masked_body(b"", false), Value::Null);
    }
}
