//! The rows of `mfactl users import`, checked offline. Pure: the command reads the file (CSV,
//! JSON Lines, or Auth0's bulk-import users JSON) and passes each row's cells in.
//!
//! A row names one user (a user id, or an email address to look up) and one method to add:
//! `phone` (with `phone_number`, optionally `preferred: sms|voice`), `email` (with `email`) or
//! `totp` (with `totp_secret`), each optionally with a `name`. Auth0's bulk-import format gives
//! a user's methods as `mfa_factors`, a list of `{"phone": {"value": …}}`,
//! `{"email": {"value": …}}` and `{"totp": {"secret": …}}` ("Import user MFA authenticator
//! enrollments": un-padded base32 secrets, phone numbers with `+` and the country code); each
//! factor is a row. Every problem of a row is reported, worded without a secret and with
//! personal data masked.

use std::collections::HashMap;

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::config::suggest::closest;
use crate::secret::Secret;
use crate::users::checks::{check_email, check_phone, check_totp_secret};
use crate::users::identity::new_method_identity;
use crate::users::masking::{mask_email, mask_phone};
use crate::users::method::{MethodKind, NewMethod, PhonePreference};
use crate::users::user_ref::UserRef;

/// The columns of a CSV or JSON Lines row.
pub const COLUMNS: &[&str] = &[
    "user",
    "type",
    "phone_number",
    "email",
    "totp_secret",
    "preferred",
    "name",
];

/// The method types a row may add (those Auth0's bulk import takes too).
pub const IMPORT_TYPES: &[&str] = &["phone", "email", "totp"];

/// A checked row: the user and the method to add.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRow {
    pub user: UserRef,
    pub method: NewMethod,
}

impl ImportRow {
    /// How messages and reports name the user: the id, or the masked email.
    pub fn shown_user(&self) -> String {
        self.user.shown()
    }

    /// The method's value as reports show it: a masked phone or email, never a secret.
    pub fn shown_value(&self) -> String {
        match &self.method.kind {
            MethodKind::Phone { phone_number, .. } => mask_phone(phone_number),
            MethodKind::Email { email } => mask_email(email),
            MethodKind::Totp { .. } => crate::secret::REDACTED.to_owned(),
            MethodKind::WebAuthnRoaming { key_id, .. } => key_id.clone(),
        }
    }

    /// The identity the live list is searched for (`phone XXXXXXXX4567`, `totp`).
    pub fn identity(&self) -> String {
        new_method_identity(&self.method)
    }

    /// What makes two rows the same method for the same user: the user as written (an email
    /// in lower case), the type, and the phone number or the email (a user has one
    /// authenticator app, so two `totp` rows of one user are the same). 16 bytes of SHA-256.
    pub fn duplicate_key(&self) -> u128 {
        let user = match &self.user {
            UserRef::Id(id) => format!("id:{id}"),
            UserRef::Email(email) => format!("email:{}", email.to_lowercase()),
        };
        let reach = match &self.method.kind {
            MethodKind::Phone { phone_number, .. } => phone_number.clone(),
            MethodKind::Email { email } => email.to_lowercase(),
            MethodKind::Totp { .. } => String::new(),
            MethodKind::WebAuthnRoaming { key_id, .. } => key_id.clone(),
        };
        short_hash(&[
            user.as_bytes(),
            self.method.method_type().as_bytes(),
            reach.as_bytes(),
        ])
    }

    /// A salted digest of the whole row (user, type, values, secret, name), hex: what a journal
    /// keeps instead of the row. With a random salt per journal, it cannot be looked up in a
    /// table of phone numbers.
    pub fn digest(&self, salt: &[u8]) -> String {
        let user = self.user.key_text();
        let body = self.method.body().to_string();
        let hash = short_hash(&[salt, user.as_bytes(), body.as_bytes()]);
        format!("{hash:032x}")
    }
}

fn short_hash(parts: &[&[u8]]) -> u128 {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    let digest = hasher.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    u128::from_le_bytes(bytes)
}

/// Problems with a CSV header: unknown columns (with a suggestion), a column named twice (which
/// of its cells would count is a guess), and a missing `user` or `type` column.
pub fn check_columns(header: &[&str]) -> Vec<String> {
    let mut problems = Vec::new();
    for (index, column) in header.iter().enumerate() {
        if !COLUMNS.contains(column) {
            problems.push(unknown_column(column));
        }
        let earlier = header.get(..index).unwrap_or_default();
        if let Some(first) = earlier.iter().position(|c| c == column)
            && COLUMNS.contains(column)
        {
            problems.push(format!(
                "the column `{column}` is named twice (columns {} and {}); keep one",
                first + 1,
                index + 1
            ));
        }
    }
    for needed in ["user", "type"] {
        if !header.contains(&needed) {
            problems.push(format!("the `{needed}` column is missing"));
        }
    }
    problems
}

fn unknown_column(column: &str) -> String {
    match closest(column, COLUMNS.iter().copied()) {
        Some(near) => format!("unknown column `{column}` (did you mean `{near}`?)"),
        None => format!(
            "unknown column `{column}`; the columns are {}",
            COLUMNS.join(", ")
        ),
    }
}

/// Checks one CSV or JSON Lines row, given as `(column, value)` pairs; empty values are unset.
/// Columns outside [`COLUMNS`] are problems (a CSV header's are reported once, by
/// [`check_columns`]). Returns the row, or every problem it has.
pub fn check_row(cells: &[(&str, &str)]) -> Result<ImportRow, Vec<String>> {
    let mut problems = Vec::new();
    let get = |key: &str| {
        cells
            .iter()
            .find(|(k, v)| *k == key && !v.trim().is_empty())
            .map(|(_, v)| v.trim())
    };
    for (key, value) in cells {
        if !COLUMNS.contains(key) {
            problems.push(unknown_column(key));
        } else if value.chars().any(char::is_control) {
            // A CSV quote left open takes the lines after it into this value.
            problems.push(format!(
                "`{key}` holds a line break or another control character: if a quote opens in this row, close it (the rows after it were read into this value)"
            ));
        }
    }
    let user = match get("user").map(UserRef::parse) {
        Some(Ok(user)) => Some(user),
        Some(Err(problem)) => {
            problems.push(problem);
            None
        }
        None => {
            problems.push("`user` is empty: give a user id (auth0|…) or the user's email".into());
            None
        }
    };
    if let Some(UserRef::Email(email)) = &user
        && let Err(reason) = check_email(email)
    {
        problems.push(format!("`user` {} {reason}", mask_email(email)));
    }
    let kind = match get("type") {
        Some(kind) if IMPORT_TYPES.contains(&kind) => Some(kind),
        Some(other) => {
            let hint = match other {
                "sms" | "voice" => format!(" (write type phone with preferred {other})"),
                _ => closest(other, IMPORT_TYPES.iter().copied())
                    .map(|near| format!(" (did you mean `{near}`?)"))
                    .unwrap_or_default(),
            };
            problems.push(format!(
                "`type` `{other}` cannot be imported{hint}; the types are {}",
                IMPORT_TYPES.join(", ")
            ));
            None
        }
        None => {
            problems.push(format!(
                "`type` is empty; write one of {}",
                IMPORT_TYPES.join(", ")
            ));
            None
        }
    };
    let name = get("name").map(str::to_owned);
    let method = kind.and_then(|kind| method_of(kind, &get, name, &mut problems));
    match (user, method) {
        (Some(user), Some(method)) if problems.is_empty() => Ok(ImportRow { user, method }),
        _ => Err(problems),
    }
}

/// The method of a row of `kind`, reporting its value problems and the columns that belong to
/// another type.
fn method_of<'c>(
    kind: &str,
    get: &dyn Fn(&str) -> Option<&'c str>,
    name: Option<String>,
    problems: &mut Vec<String>,
) -> Option<NewMethod> {
    let own: &[&str] = match kind {
        "phone" => &["phone_number", "preferred"],
        "email" => &["email"],
        _ => &["totp_secret"],
    };
    for column in ["phone_number", "email", "totp_secret", "preferred"] {
        if !own.contains(&column) && get(column).is_some() {
            problems.push(format!("`{column}` does not apply to type {kind}"));
        }
    }
    let required = own[0];
    let Some(value) = get(required) else {
        problems.push(format!("type {kind} needs `{required}`, which is empty"));
        return None;
    };
    let kind = match kind {
        "phone" => {
            if let Err(reason) = check_phone(value) {
                problems.push(format!("`phone_number` {} {reason}", mask_phone(value)));
            }
            let preferred = match get("preferred") {
                None => PhonePreference::Sms,
                Some(text) => match PhonePreference::parse(text) {
                    Some(preferred) => preferred,
                    None => {
                        problems.push(format!("`preferred` `{text}` is not sms or voice"));
                        PhonePreference::Sms
                    }
                },
            };
            MethodKind::Phone {
                phone_number: value.to_owned(),
                preferred,
            }
        }
        "email" => {
            if let Err(reason) = check_email(value) {
                problems.push(format!("`email` {} {reason}", mask_email(value)));
            }
            MethodKind::Email {
                email: value.to_owned(),
            }
        }
        _ => {
            if let Err(reason) = check_totp_secret(value) {
                problems.push(format!("`totp_secret` {reason}"));
            }
            MethodKind::Totp {
                secret: Secret::new(value),
            }
        }
    };
    Some(NewMethod { kind, name })
}

/// The user of one user object of Auth0's bulk-import file: its `email` when it has one (looked
/// up), else its `user_id` (`auth0|` put in front when it has no provider: the import job
/// prefixes database users' ids so).
pub fn bulk_user(user: &Value) -> Result<UserRef, String> {
    if let Some(email) = user.get("email").and_then(Value::as_str)
        && !email.trim().is_empty()
    {
        check_email(email.trim())
            .map_err(|reason| format!("`email` {} {reason}", mask_email(email)))?;
        return Ok(UserRef::Email(email.trim().to_owned()));
    }
    match user.get("user_id").and_then(Value::as_str).map(str::trim) {
        Some(id) if id.contains('|') => Ok(UserRef::Id(id.to_owned())),
        Some(id) if !id.is_empty() => Ok(UserRef::Id(format!("auth0|{id}"))),
        _ => Err("the user has neither `email` nor `user_id`".into()),
    }
}

/// One item of a bulk-import user's `mfa_factors` as `(column, value)` cells:
/// `{"phone": {"value": "+1…"}}` → type phone, phone_number; `{"email": {"value": …}}`;
/// `{"totp": {"secret": …}}`. Anything else is a problem.
pub fn bulk_factor_cells(factor: &Value) -> Result<Vec<(&'static str, String)>, String> {
    let Some(map) = factor.as_object().filter(|m| m.len() == 1) else {
        return Err("a factor must be an object with one key: phone, email or totp".into());
    };
    let (kind, inner) = map.iter().next().ok_or("an empty factor")?;
    let (column, key) = match kind.as_str() {
        "phone" => ("phone_number", "value"),
        "email" => ("email", "value"),
        "totp" => ("totp_secret", "secret"),
        other => {
            return Err(format!(
                "unknown factor `{other}`; Auth0's bulk import takes phone, email and totp"
            ));
        }
    };
    let Some(object) = inner.as_object() else {
        return Err(format!("`{kind}` must be an object with `{key}`"));
    };
    if let Some(extra) = object.keys().find(|k| *k != key) {
        return Err(format!(
            "`{kind}.{extra}` is not a key of the factor (only `{key}`)"
        ));
    }
    let value = object
        .get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("`{kind}.{key}` is missing or not text"))?;
    let kind: &'static str = match kind.as_str() {
        "phone" => "phone",
        "email" => "email",
        _ => "totp",
    };
    Ok(vec![("type", kind.to_owned()), (column, value.to_owned())])
}

/// Remembers each row's duplicate key ([`ImportRow::duplicate_key`]) with its line, to tell a
/// row that repeats an earlier one. 16 bytes and a line number per row: the rows themselves
/// are never kept.
#[derive(Debug, Default)]
pub struct Duplicates {
    seen: HashMap<u128, u64>,
}

impl Duplicates {
    /// The line of the earlier row that `row` repeats, if any; otherwise remembers it at `line`.
    pub fn check(&mut self, row: &ImportRow, line: u64) -> Option<u64> {
        match self.seen.entry(row.duplicate_key()) {
            std::collections::hash_map::Entry::Occupied(first) => Some(*first.get()),
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(line);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(cells: &[(&str, &str)]) -> Result<ImportRow, Vec<String>> {
        check_row(cells)
    }

    #[test]
    fn good_rows_become_methods() {
        let phone = row(&[
            ("user", "auth0|1"),
            ("type", "phone"),
            ("phone_number", "+15551234567"),
            ("preferred", "voice"),
            ("name", "Work"),
        ])
        .unwrap();
        assert_eq!(phone.user, UserRef::Id("auth0|1".into()));
        assert_eq!(phone.shown_value(), "XXXXXXXX4567");
        assert_eq!(phone.identity(), "phone XXXXXXXX4567");
        let totp = row(&[
            ("user", "jo@example.com"),
            ("type", "totp"),
            ("totp_secret", "JBSWY3DPEHPK3PXP"),
            ("email", ""),
        ])
        .unwrap();
        assert_eq!(totp.shown_value(), crate::secret::REDACTED);
        assert_eq!(totp.shown_user(), "****@exam*******");
    }

    #[test]
    fn every_problem_of_a_row_is_named_without_the_secret() {
        let problems = row(&[
            ("user", ""),
            ("type", "phone"),
            ("phone_number", "555-1234"),
            ("totp_secret", "abc="),
            ("colour", "x"),
        ])
        .unwrap_err();
        let text = problems.join("\n");
        assert!(text.contains("unknown column `colour`"), "{text}");
        assert!(text.contains("`user` is empty"), "{text}");
        assert!(text.contains("E.164"), "{text}");
        assert!(
            text.contains("`totp_secret` does not apply to type phone"),
            "{text}"
        );
        assert!(!text.contains("abc"), "{text}");
        let problems = row(&[
            ("user", "auth0|1"),
            ("type", "totp"),
            ("totp_secret", "JBSWY3DPEHPK3PX0"),
        ])
        .unwrap_err();
        assert_eq!(
            problems,
            ["`totp_secret` holds the digit 0, 1, 8 or 9, which base32 does not use (A-Z, 2-7)"]
        );
        let header = check_columns(&["user", "type", "phone"]);
        assert_eq!(header.len(), 1, "{header:?}");
        assert!(
            header[0].starts_with("unknown column `phone` (did you mean"),
            "{header:?}"
        );
        assert_eq!(check_columns(&["type"]), ["the `user` column is missing"]);
        assert_eq!(
            check_columns(&["user", "type", "phone_number", "user", "user"]),
            [
                "the column `user` is named twice (columns 1 and 4); keep one",
                "the column `user` is named twice (columns 1 and 5); keep one"
            ]
        );
    }

    #[test]
    fn duplicates_are_per_user_and_value() {
        let mut seen = Duplicates::default();
        let a = row(&[
            ("user", "auth0|1"),
            ("type", "phone"),
            ("phone_number", "+15551234567"),
        ])
        .unwrap();
        let b = row(&[
            ("user", "auth0|1"),
            ("type", "phone"),
            ("phone_number", "+15551234567"),
            ("name", "again"),
        ])
        .unwrap();
        let c = row(&[
            ("user", "auth0|2"),
            ("type", "phone"),
            ("phone_number", "+15551234567"),
        ])
        .unwrap();
        assert_eq!(seen.check(&a, 2), None);
        assert_eq!(seen.check(&b, 3), Some(2));
        assert_eq!(seen.check(&c, 4), None);
        assert_ne!(a.digest(b"salt"), b.digest(b"salt"));
        assert_ne!(a.digest(b"salt"), a.digest(b"pepper"));
    }

    #[test]
    fn bulk_import_factors() {
        assert_eq!(
            bulk_factor_cells(&json!({"phone": {"value": "+15551234567"}})).unwrap(),
            [
                ("type", "phone".to_owned()),
                ("phone_number", "+15551234567".to_owned())
            ]
        );
        assert!(bulk_factor_cells(&json!({"totp": {"secret": "X", "extra": 1}})).is_err());
        assert!(
            bulk_factor_cells(&json!({"sms": {"value": "x"}}))
                .unwrap_err()
                .contains("unknown factor")
        );
        assert_eq!(
            bulk_user(&json!({"user_id": "abc"})).unwrap(),
            UserRef::Id("auth0|abc".into())
        );
        assert_eq!(
            bulk_user(&json!({"email": "jo@example.com", "user_id": "abc"})).unwrap(),
            UserRef::Email("jo@example.com".into())
        );
        assert!(bulk_user(&json!({})).is_err());
    }
}
