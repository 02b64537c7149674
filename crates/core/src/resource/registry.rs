//! Every resource mfactl manages, listed once, in plan order; and the config file's container
//! sections (`phone`, `push`, …) that group them.
//!
//! Config parsing and validation, the JSON Schema, the live read, request building, the diff,
//! the read-back simulation, scope checks, export, the list of secret keys and the emulator's
//! routing all iterate [`RESOURCES`].

use crate::model::Factor;
use crate::resource::ResourceSpec;
use crate::resource::specs::*;

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
/// and the last part of its API key), from the table.
pub fn secret_field_keys() -> impl Iterator<Item = &'static str> {
    RESOURCES
        .iter()
        .flat_map(|s| s.fields.iter())
        .filter(|f| f.is_secret())
        .flat_map(|f| [f.key, f.api_leaf()])
}
