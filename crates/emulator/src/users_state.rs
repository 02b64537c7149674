//! The emulated tenant's users: their profiles, authentication methods, recovery code and
//! remembered-browser resets, kept in clear (this is a test double; answers mask what the API
//! masks). Also how users are created: by `POST /users`, by the `POST /__emulator/users` test
//! hook, and for the demo user that `--emulator` and `mfactl emulator --demo-user` start with.

use md5::{Digest, Md5};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::api_error::ApiError;
use super::tenant::TenantState;

/// One user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EmulatedUser {
    /// The user object as `GET /users/{id}` answers it (key order kept); `user_id` is its id.
    pub profile: Map<String, Value>,
    /// `/users/{id}/authentication-methods`, in creation order.
    pub authentication_methods: Vec<StoredMethod>,
    /// The last code `POST /users/{id}/recovery-code-regeneration` answered.
    pub recovery_code: Option<String>,
    /// How many times `invalidate-remember-browser` was called.
    pub remember_browser_invalidations: u32,
}

impl Default for EmulatedUser {
    fn default() -> Self {
        EmulatedUser {
            profile: Map::new(),
            authentication_methods: Vec::new(),
            recovery_code: None,
            remember_browser_invalidations: 0,
        }
    }
}

impl EmulatedUser {
    /// The `user_id` of the profile (`""` if a seed left it out).
    pub fn user_id(&self) -> &str {
        self.profile
            .get("user_id")
            .and_then(Value::as_str)
            .unwrap_or("")
    }

    /// The profile's `email`.
    pub fn email(&self) -> Option<&str> {
        self.profile.get("email").and_then(Value::as_str)
    }
}

/// One authentication method, every value in clear.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredMethod {
    /// `<type>|dev_<16 characters>`; filled in when a seed leaves it empty.
    #[serde(default)]
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default = "yes")]
    pub confirmed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub totp_secret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_authentication_method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relying_party_identifier: Option<String>,
    /// ISO 8601 with milliseconds; filled in when a seed leaves it empty.
    #[serde(default)]
    pub created_at: String,
}

fn yes() -> bool {
    true
}

impl StoredMethod {
    /// A phone's preferred delivery, `sms` when none was given (Auth0's default).
    pub fn preferred(&self) -> &str {
        self.preferred_authentication_method
            .as_deref()
            .unwrap_or("sms")
    }

    /// The `dev_…` part of the id, which the method's Guardian enrollment shares.
    pub fn device_id(&self) -> &str {
        self.id
            .split_once('|')
            .map(|(_, device)| device)
            .unwrap_or(&self.id)
    }
}

/// A user to add through the `POST /__emulator/users` hook or [`super::RunningEmulator::add_user`]:
/// a profile made like `POST /users` makes it, with methods. Methods of type `phone` and `totp`
/// are also the user's Guardian enrollments (same `dev_…` id).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SeedUser {
    /// `auth0|<24 hex>` when absent.
    pub user_id: Option<String>,
    pub email: Option<String>,
    pub name: Option<String>,
    /// `Username-Password-Authentication` when absent.
    pub connection: Option<String>,
    /// Legacy MFA providers the user is enrolled with (`duo`, `google-authenticator`).
    pub multifactor: Vec<String>,
    pub authentication_methods: Vec<StoredMethod>,
}

/// Where ids and times come from: random and now in the emulator, fixed in tests.
pub struct Sources<'a> {
    /// Random `[A-Za-z0-9]` text (any length; called again when more is needed).
    pub random: &'a dyn Fn() -> String,
    /// ISO 8601 with milliseconds.
    pub now: &'a dyn Fn() -> String,
}

impl Sources<'_> {
    /// `n` random alphanumeric characters.
    pub fn chars(&self, n: usize) -> String {
        let mut out = String::new();
        let mut tries = 0;
        while out.chars().count() < n && tries < 64 {
            out.extend((self.random)().chars().filter(char::is_ascii_alphanumeric));
            tries += 1;
        }
        while out.chars().count() < n {
            out.push('0');
        }
        out.chars().take(n).collect()
    }

    /// A method or enrollment device id: `dev_` and 16 characters (as recorded:
    /// `dev_f0O81fTcftc0kN2v`).
    pub fn device_id(&self) -> String {
        format!("dev_{}", self.chars(16))
    }

    /// 24 lower-case hex digits, like the recorded `640b5a0ed3534be8b2db9dd3`.
    pub fn hex_id(&self) -> String {
        const HEX: &[u8] = b"0123456789abcdef";
        self.chars(24)
            .bytes()
            .map(|b| HEX[usize::from(b % 16)] as char)
            .collect()
    }
}

/// The connection a user is created in when none is named.
pub const DEFAULT_CONNECTION: &str = "Username-Password-Authentication";

/// Request keys `POST /users` keeps out of the user it answers with.
const NOT_ECHOED: &[&str] = &["connection", "password", "verify_email", "user_id"];

/// The user `POST /users` creates from `body` (an object), as recorded: the request's fields
/// except the connection, password and `verify_email`; `user_id` `auth0|<24 hex>` (or
/// `auth0|<given user_id>`); `identities`; `created_at` = `updated_at`; `email_verified` false,
/// `name` the email, `nickname` the email's local part and a Gravatar `picture` when not given.
/// Keys are in alphabetical order with `app_metadata` last (both recorded answers).
pub fn new_profile(body: &Map<String, Value>, sources: &Sources<'_>) -> Map<String, Value> {
    let connection = body
        .get("connection")
        .and_then(Value::as_str)
        .unwrap_or(DEFAULT_CONNECTION)
        .to_owned();
    let local_id = match body.get("user_id").and_then(Value::as_str) {
        Some(given) => given.to_owned(),
        None => sources.hex_id(),
    };
    let now = (sources.now)();
    let mut fields: std::collections::BTreeMap<String, Value> = body
        .iter()
        .filter(|(key, _)| !NOT_ECHOED.contains(&key.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let email = body.get("email").and_then(Value::as_str).map(str::to_owned);
    fields.insert("created_at".into(), json!(now));
    fields.insert("updated_at".into(), json!(now));
    fields.insert("user_id".into(), json!(format!("auth0|{local_id}")));
    fields.insert(
        "identities".into(),
        json!([{"connection": connection, "user_id": local_id, "provider": "auth0", "isSocial": false}]),
    );
    fields
        .entry("email_verified".into())
        .or_insert(json!(false));
    if let Some(email) = &email {
        fields.entry("name".into()).or_insert(json!(email));
        let local = email.split('@').next().unwrap_or(email);
        fields.entry("nickname".into()).or_insert(json!(local));
        let name = fields
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or(email)
            .to_owned();
        fields
            .entry("picture".into())
            .or_insert_with(|| json!(gravatar(email, &name)));
    }
    let app_metadata = fields.remove("app_metadata");
    let mut profile: Map<String, Value> = fields.into_iter().collect();
    if let Some(app_metadata) = app_metadata {
        profile.insert("app_metadata".into(), app_metadata);
    }
    profile
}

/// Auth0's default picture: the Gravatar of the email, falling back to an avatar of the name's
/// initials (recorded: `…/avatar/28607929c5bdf4954ee65d055fea6e69?s=480&r=pg&d=https%3A%2F%2Fcdn.auth0.com%2Favatars%2Fru.png`
/// for `rubytest-210908-rubytest-210908-username@auth0.com`, name `rubytest-210908-username`).
fn gravatar(email: &str, name: &str) -> String {
    let digest = Md5::digest(email.trim().to_lowercase().as_bytes());
    let hash: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let words: Vec<&str> = name.split_whitespace().collect();
    let initials: String = match words.as_slice() {
        [first, second, ..] => first
            .chars()
            .take(1)
            .chain(second.chars().take(1))
            .collect(),
        _ => name.chars().take(2).collect(),
    };
    format!(
        "https://s.gravatar.com/avatar/{hash}?s=480&r=pg&d=https%3A%2F%2Fcdn.auth0.com%2Favatars%2F{}.png",
        initials.to_lowercase()
    )
}

/// Adds a seeded user; returns it as the state holds it. An id already taken is a 400 in the
/// API's error shape.
pub fn add_seed_user(
    tenant: &mut TenantState,
    seed: SeedUser,
    sources: &Sources<'_>,
) -> Result<EmulatedUser, ApiError> {
    let mut body = Map::new();
    body.insert(
        "connection".into(),
        json!(seed.connection.as_deref().unwrap_or(DEFAULT_CONNECTION)),
    );
    if let Some(email) = &seed.email {
        body.insert("email".into(), json!(email));
    }
    if let Some(name) = &seed.name {
        body.insert("name".into(), json!(name));
    }
    let mut profile = new_profile(&body, sources);
    if let Some(user_id) = seed.user_id {
        let local = user_id
            .split_once('|')
            .map(|(_, id)| id.to_owned())
            .unwrap_or_else(|| user_id.clone());
        profile.insert("user_id".into(), json!(user_id));
        if let Some(identity) = profile
            .get_mut("identities")
            .and_then(|i| i.get_mut(0))
            .and_then(Value::as_object_mut)
        {
            identity.insert("user_id".into(), json!(local));
        }
    }
    if !seed.multifactor.is_empty() {
        profile.insert("multifactor".into(), json!(seed.multifactor));
    }
    let mut user = EmulatedUser {
        profile,
        ..EmulatedUser::default()
    };
    if tenant.users.iter().any(|u| u.user_id() == user.user_id()) {
        return Err(ApiError::invalid_body(format!(
            "'user {} already exists'.",
            user.user_id()
        )));
    }
    for mut method in seed.authentication_methods {
        if method.id.is_empty() {
            method.id = format!("{}|{}", method.kind, sources.device_id());
        }
        if method.created_at.is_empty() {
            method.created_at = (sources.now)();
        }
        if method.kind == "phone" && method.preferred_authentication_method.is_none() {
            method.preferred_authentication_method = Some("sms".into());
        }
        user.authentication_methods.push(method);
    }
    tenant.users.push(user.clone());
    Ok(user)
}

/// The demo user that `--emulator` on `mfactl users …`/`mfactl enrollments …` and
/// `mfactl emulator --demo-user` start with: `jo.doe@example.com`, an SMS phone, an
/// authenticator app (both Guardian enrollments) and the legacy Google Authenticator provider.
pub fn demo_user() -> SeedUser {
    let method = |id: &str, kind: &str, name: &str| StoredMethod {
        id: id.into(),
        kind: kind.into(),
        confirmed: true,
        name: Some(name.into()),
        phone_number: None,
        email: None,
        totp_secret: None,
        preferred_authentication_method: None,
        key_id: None,
        public_key: None,
        relying_party_identifier: None,
        created_at: String::new(),
    };
    let mut phone = method("phone|dev_Qm3x9Lk2Pz8Rt4Vw", "phone", "Work phone");
    phone.phone_number = Some("+15555550123".into());
    phone.preferred_authentication_method = Some("sms".into());
    phone.created_at = "2024-05-02T09:14:07.512Z".into();
    let mut totp = method("totp|dev_Hn5c7Bv1Xz3Lk9Qw", "totp", "Authenticator app");
    // The RFC 4648 example secret, public on purpose.
    totp.totp_secret = Some("JBSWY3DPEHPK3PXP".into());
    totp.created_at = "2024-05-02T09:15:41.088Z".into();
    SeedUser {
        user_id: Some("auth0|65f0c0ffee5eed0000d3e301".into()),
        email: Some("jo.doe@example.com".into()),
        name: Some("Jo Doe".into()),
        connection: None,
        multifactor: vec!["google-authenticator".into()],
        authentication_methods: vec![phone, totp],
    }
}

/// `tenant` with the demo user added (its profile dated 2024-05-02).
pub fn with_demo_user(mut tenant: TenantState) -> TenantState {
    let now = || "2024-05-02T09:12:55.301Z".to_owned();
    let random = || "0".to_owned();
    let sources = Sources {
        random: &random,
        now: &now,
    };
    // The demo id is fixed; a state that already has it keeps its own.
    let _ = add_seed_user(&mut tenant, demo_user(), &sources);
    tenant
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources() -> (impl Fn() -> String, impl Fn() -> String) {
        (
            || "abcdefghijklmnopqrstuvwxyz0123456789".to_owned(),
            || "2023-03-10T16:25:50.971Z".to_owned(),
        )
    }

    #[test]
    fn post_users_answer_matches_the_ruby_recording() {
        let (random, now) = sources();
        let sources = Sources {
            random: &random,
            now: &now,
        };
        let body: Value = serde_json::from_str(r#"{"name":"rubytest-210908-username","email":"rubytest-210908-rubytest-210908-username@auth0.com","password":"5MzHy3An33X","connection":"Username-Password-Authentication"}"#).unwrap();
        let mut profile = new_profile(body.as_object().unwrap(), &sources);
        let id = profile["user_id"].as_str().unwrap().to_owned();
        assert!(id.starts_with("auth0|") && id.len() == 30, "{id}");
        profile.insert("user_id".into(), json!("auth0|613282adac819400692c0dd9"));
        profile["identities"][0]["user_id"] = json!("613282adac819400692c0dd9");
        assert_eq!(
            Value::Object(profile).to_string(),
            r#"{"created_at":"2023-03-10T16:25:50.971Z","email":"rubytest-210908-rubytest-210908-username@auth0.com","email_verified":false,"identities":[{"connection":"Username-Password-Authentication","user_id":"613282adac819400692c0dd9","provider":"auth0","isSocial":false}],"name":"rubytest-210908-username","nickname":"rubytest-210908-rubytest-210908-username","picture":"https://s.gravatar.com/avatar/28607929c5bdf4954ee65d055fea6e69?s=480&r=pg&d=https%3A%2F%2Fcdn.auth0.com%2Favatars%2Fru.png","updated_at":"2023-03-10T16:25:50.971Z","user_id":"auth0|613282adac819400692c0dd9"}"#
        );
    }

    #[test]
    fn app_metadata_comes_last() {
        let (random, now) = sources();
        let sources = Sources {
            random: &random,
            now: &now,
        };
        let body = json!({"connection": "c", "email": "a@b.co", "app_metadata": {"x": 1}, "blocked": false, "picture": "p"});
        let profile = new_profile(body.as_object().unwrap(), &sources);
        let keys: Vec<&String> = profile.keys().collect();
        assert_eq!(keys.first().map(|k| k.as_str()), Some("blocked"));
        assert_eq!(keys.last().map(|k| k.as_str()), Some("app_metadata"));
        assert_eq!(sources.hex_id().len(), 24);
        assert_eq!(sources.device_id().len(), 20);
    }

    #[test]
    fn demo_user_is_seeded_once() {
        let tenant = with_demo_user(with_demo_user(TenantState::default()));
        assert_eq!(tenant.users.len(), 1);
        let user = &tenant.users[0];
        assert_eq!(user.user_id(), "auth0|65f0c0ffee5eed0000d3e301");
        assert_eq!(user.authentication_methods.len(), 2);
        assert_eq!(
            user.authentication_methods[0].device_id(),
            "dev_Qm3x9Lk2Pz8Rt4Vw"
        );
    }
}
