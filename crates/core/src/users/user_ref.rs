//! How a command names a user: a user id (`auth0|…`) or an email address, looked up with
//! `GET /users-by-email`. Pure: the lookup's answer is passed in.

use serde_json::Value;

use crate::users::masking::mask_email;

/// The `USER` argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserRef {
    /// A user id, e.g. `auth0|640b5a0ed3534be8b2db9dd3`.
    Id(String),
    /// An email address, to look up.
    Email(String),
}

impl UserRef {
    /// Reads `USER`: an email when it has an `@` and no `|` (user ids are `provider|id`),
    /// otherwise a user id. The error is a message naming the fix.
    pub fn parse(text: &str) -> Result<UserRef, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err(
                "USER is empty: give a user id (e.g. auth0|640b5a0ed3534be8b2db9dd3) or the user's email address"
                    .into(),
            );
        }
        if text.contains('@') && !text.contains('|') {
            Ok(UserRef::Email(text.to_owned()))
        } else {
            Ok(UserRef::Id(text.to_owned()))
        }
    }

    /// The id or the email as given (for hashing; never shown).
    pub fn key_text(&self) -> String {
        match self {
            UserRef::Id(id) => format!("id:{id}"),
            UserRef::Email(email) => format!("email:{email}"),
        }
    }

    /// As messages show it: the id, or the masked email.
    pub fn shown(&self) -> String {
        match self {
            UserRef::Id(id) => id.clone(),
            UserRef::Email(email) => mask_email(email),
        }
    }
}

/// A resolved user: the id for paths, and how messages name them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedUser {
    pub user_id: String,
    /// `auth0|… (chuc****@exam*******)` when named by email, else the id.
    pub shown: String,
}

impl ResolvedUser {
    /// A user named by id.
    pub fn by_id(user_id: &str) -> Self {
        ResolvedUser {
            user_id: user_id.to_owned(),
            shown: user_id.to_owned(),
        }
    }
}

/// Picks the one user `GET /users-by-email` found for `email`. No match or several matches is
/// an error listing what was found (ids, connections, masked emails).
pub fn pick_user(email: &str, found: &[Value], domain: &str) -> Result<ResolvedUser, String> {
    let masked = mask_email(email);
    match found {
        [] => Err(format!(
            "no user has the email {masked} on {domain}. Check the address, or name the user by id (e.g. auth0|640b5a0ed3534be8b2db9dd3)"
        )),
        [user] => {
            let user_id = user_id_of(user).ok_or_else(|| {
                format!("the user found for {masked} has no user_id; name the user by id")
            })?;
            Ok(ResolvedUser {
                shown: format!("{user_id} ({masked})"),
                user_id,
            })
        }
        several => {
            let list: Vec<String> = several.iter().map(describe_user).collect();
            Err(format!(
                "{} users have the email {masked} on {domain}; name one by its user id:\n{}",
                several.len(),
                list.join("\n")
            ))
        }
    }
}

fn user_id_of(user: &Value) -> Option<String> {
    user.get("user_id")
        .and_then(Value::as_str)
        .map(String::from)
}

/// `  auth0|1  Username-Password-Authentication  chuc****@exam*******`.
fn describe_user(user: &Value) -> String {
    let id = user_id_of(user).unwrap_or_else(|| "(no user_id)".into());
    let connection = user
        .pointer("/identities/0/connection")
        .and_then(Value::as_str)
        .unwrap_or("(unknown connection)");
    let email = user
        .get("email")
        .and_then(Value::as_str)
        .map(mask_email)
        .unwrap_or_default();
    format!("  {id}  {connection}  {email}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_and_emails() {
        assert_eq!(
            UserRef::parse("auth0|1").unwrap(),
            UserRef::Id("auth0|1".into())
        );
        assert_eq!(
            UserRef::parse(" jo@example.com ").unwrap(),
            UserRef::Email("jo@example.com".into())
        );
        assert_eq!(
            UserRef::parse("email|jo@example.com").unwrap(),
            UserRef::Id("email|jo@example.com".into())
        );
        assert!(UserRef::parse("  ").is_err());
        assert_eq!(
            UserRef::Email("chuck334@example.com".into()).shown(),
            "chuc****@exam*******"
        );
    }

    #[test]
    fn one_match_or_a_masked_list() {
        let user = |id: &str, connection: &str| json!({"user_id": id, "email": "chuck334@example.com", "identities": [{"connection": connection}]});
        let one = pick_user("chuck334@example.com", &[user("auth0|1", "db")], "t").unwrap();
        assert_eq!(one.user_id, "auth0|1");
        assert_eq!(one.shown, "auth0|1 (chuc****@exam*******)");
        let none = pick_user("chuck334@example.com", &[], "t").unwrap_err();
        assert!(
            none.starts_with("no user has the email chuc****@exam*******"),
            "{none}"
        );
        let two = pick_user(
            "chuck334@example.com",
            &[
                user("auth0|1", "db"),
                user("google-oauth2|2", "google-oauth2"),
            ],
            "t",
        )
        .unwrap_err();
        assert_eq!(
            two,
            "2 users have the email chuc****@exam******* on t; name one by its user id:\n  auth0|1  db  chuc****@exam*******\n  google-oauth2|2  google-oauth2  chuc****@exam*******"
        );
        assert!(!two.contains("chuck334@"));
    }
}
