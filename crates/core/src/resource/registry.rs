//! Every resource mfactl manages, listed once, in plan order; and the config file's container
//! sections (`phone`, `push`, …) that group them.
//!
//! Config parsing and validation, the JSON Schema, the live read, request building, the diff,
//! the read-back simulation, scope checks, export, the list of secret keys and the emulator's
//! routing all iterate [`RESOURCES`]. The per-user endpoints, which the `users` and
//! `enrollments` commands call and the emulator routes, are [`USER_ENDPOINTS`].

use crate::model::Factor;
use crate::request::HttpMethod;
use crate::resource::specs::*;
use crate::resource::{EndpointSpec, ResourceSpec};

pub use crate::resource::specs::users::USER_ENDPOINTS;

/// Every resource, in the order plans list them within a stage.
pub static RESOURCES: &[&ResourceSpec] = &[
    &POLICIES,
    &FACTORS,
    &PHONE_MESSAGE_TYPES,
    &PHONE_PROVIDER,
    &PHONE_TWILIO,
    &PHONE_TEMPLATES,
    &PUSH_PROVIDER,
    &PUSH_SNS,
    &PUSH_APNS,
    &PUSH_FCM,
    &PUSH_FCMV1,
    &PUSH_CUSTOM_APP,
    &DUO,
    &WEBAUTHN_ROAMING,
    &WEBAUTHN_PLATFORM,
    &PHONE_OTP,
    &EMAIL_OTP,
    &TENANT_PHONE_PROVIDER,
    &TENANT_PHONE_TEMPLATES,
    &MFA_SESSION,
    &TENANT_SETTINGS,
    &PROMPT_TEXTS,
    &USER_METHODS,
];

/// A mapping in the config file that only groups resources (`phone:` holds `message_types`,
/// `provider`, `twilio`, `templates` and `otp`).
#[derive(Debug)]
pub struct Section {
    pub key: &'static str,
    /// The JSON Schema definition name.
    pub schema_name: &'static str,
    pub doc: &'static str,
    /// The factor these settings serve: configuring them while the file turns it off is worth
    /// a warning.
    pub factor: Option<Factor>,
}

/// The container sections, by top-level key.
pub static SECTIONS: &[Section] = &[
    Section {
        key: "phone",
        schema_name: "Phone",
        doc: "The phone factor (`sms` in `factors`): SMS and voice.",
        factor: Some(Factor::Sms),
    },
    Section {
        key: "push",
        schema_name: "Push",
        doc: "The push-notification factor.",
        factor: Some(Factor::PushNotification),
    },
    Section {
        key: "email",
        schema_name: "Email",
        doc: "The email factor's settings.",
        factor: Some(Factor::Email),
    },
    Section {
        key: "tenant_phone",
        schema_name: "TenantPhone",
        doc: "Tenant Phone Settings: the phone provider and message templates of tenants on the\n\
              consolidated phone experience (new tenants). MFA on legacy tenants uses `phone` \
              instead.",
        factor: None,
    },
];

/// The container section with this top-level key.
pub fn section(key: &str) -> Option<&'static Section> {
    SECTIONS.iter().find(|s| s.key == key)
}

/// Where `spec` stands in [`RESOURCES`] (the end when it is not listed, which the registry's
/// tests rule out).
pub fn position(spec: &ResourceSpec) -> usize {
    RESOURCES
        .iter()
        .position(|s| std::ptr::eq(*s, spec))
        .unwrap_or(RESOURCES.len())
}

/// The resource whose plan address is `address` (`duo`, `factors`).
pub fn by_address(address: &str) -> Option<&'static ResourceSpec> {
    RESOURCES.iter().copied().find(|s| s.address == address)
}

/// The top-level config keys, in file order: `policies`, `factors`, `phone`, …
pub fn top_level_keys() -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = Vec::new();
    for spec in RESOURCES {
        if let Some(first) = spec.config_path.first()
            && !keys.contains(first)
        {
            keys.push(first);
        }
    }
    keys
}

/// The factor the top-level config key `key` configures, if any (`phone` → sms, `duo` → duo).
pub fn factor_of_top_level(key: &str) -> Option<Factor> {
    section(key).and_then(|s| s.factor).or_else(|| {
        RESOURCES
            .iter()
            .find(|s| s.config_path == [key])
            .and_then(|s| s.factor)
    })
}

/// Every key whose value is a secret in the config file or an API body (a field's config key
/// and the last part of its API key, the fields of list items included), from the table, each
/// once. Worked out once per process: scrubbing and masking ask for every JSON key.
pub fn secret_field_keys() -> impl Iterator<Item = &'static str> {
    static KEYS: std::sync::LazyLock<Vec<&'static str>> =
        std::sync::LazyLock::new(collect_secret_field_keys);
    KEYS.iter().copied()
}

fn collect_secret_field_keys() -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = Vec::new();
    let items = |f: &'static crate::resource::FieldSpec| match f.ty {
        crate::resource::FieldType::Items { of, .. } => of,
        _ => &[],
    };
    let secret_fields = RESOURCES
        .iter()
        .flat_map(|s| s.fields.iter())
        .flat_map(|f| std::iter::once(f).chain(items(f).iter()))
        .filter(|f| f.is_secret());
    for key in secret_fields.flat_map(|f| [f.key, f.api_leaf()]) {
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys
}

/// Matches `path` against a route template; returns the placeholders' values in order.
pub fn match_template(template: &str, path: &str) -> Option<Vec<String>> {
    let template: Vec<&str> = template.trim_matches('/').split('/').collect();
    let path: Vec<&str> = path.trim_matches('/').split('/').collect();
    if template.len() != path.len() {
        return None;
    }
    let mut values = Vec::new();
    for (t, p) in template.iter().zip(&path) {
        if t.starts_with('{') && t.ends_with('}') {
            if p.is_empty() {
                return None;
            }
            values.push((*p).to_string());
        } else if t != p {
            return None;
        }
    }
    Some(values)
}

/// A route of the table a request names: the spec, the key its path holds, and the record id
/// of a resource addressed by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Routed {
    pub spec: &'static ResourceSpec,
    pub key: Vec<String>,
    pub id: Option<String>,
}

/// The resource of the table a `GET` (`read`) or a write of `path` (under `/api/v2`) names.
/// `valid_key` says which keys the caller serves (the client's closed lists; the emulator adds
/// the prompts outside MFA). A keyed resource's collection read (the factor list) has no key.
/// Collections (users' methods) are not routed here: their paths are per-user endpoints
/// ([`user_endpoint`]).
pub fn route(
    path: &str,
    read: bool,
    valid_key: &dyn Fn(&ResourceSpec, &[String]) -> bool,
) -> Option<Routed> {
    for spec in RESOURCES
        .iter()
        .copied()
        .filter(|s| s.semantics != crate::resource::Semantics::Collection)
    {
        let read_path = spec.read.map(|r| r.path);
        let templates = [read_path.filter(|_| read), Some(spec.write.path)];
        for template in templates.into_iter().flatten() {
            let collection = Some(template) == read_path && !template.contains('{');
            if let Some(key) = match_template(template, path)
                && (valid_key(spec, &key) || collection)
                && (read || template == spec.write.path)
            {
                return Some(Routed {
                    spec,
                    key,
                    id: None,
                });
            }
        }
        if spec.write.by_id.is_some()
            && let Some(mut values) = match_template(&format!("{}/{{id}}", spec.write.path), path)
        {
            let id = values.pop();
            return Some(Routed {
                spec,
                key: values,
                id,
            });
        }
    }
    None
}

/// The per-user endpoint that `method` and `path` (relative to `/api/v2`, without the query
/// string, percent-encoded as received) name, with its decoded placeholder values in order.
pub fn user_endpoint(
    method: HttpMethod,
    path: &str,
) -> Option<(&'static EndpointSpec, Vec<String>)> {
    USER_ENDPOINTS
        .iter()
        .filter(|spec| spec.method == method)
        .find_map(|spec| spec.matches(path).map(|params| (spec, params)))
}

/// Whether `key` names a resource of `spec` that mfactl manages.
pub fn known_key(spec: &ResourceSpec, key: &[String]) -> bool {
    use crate::resource::Keys;
    match (spec.keys, key) {
        (Keys::Single, []) => true,
        (Keys::Fixed(info), [name]) => info.rank(name).is_some(),
        (Keys::PromptLanguage { prompts, languages }, [prompt, language]) => {
            prompts.rank(prompt).is_some() && languages.rank(language).is_some()
        }
        _ => false,
    }
}
