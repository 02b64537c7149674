//! `GET`/`PATCH /tenants/settings`: free-form, with the MFA keys the emulator models checked.

use axum::http::{Method, StatusCode};
use serde_json::{Map, Value};

use super::api_error::ApiError;
use super::body_schema::{self, Schema};
use super::management_api::Answer;
use super::tenant::TenantState;
use mfactl_core::phone_kind::PHONE_CONSOLIDATED_EXPERIENCE;

/// `GET`/`PATCH /tenants/settings`.
///
/// PATCH is a partial update: each top-level key of the body replaces the stored one, except
/// `flags`, which merges key by key. Keys the emulator models are type-checked
/// (`customize_mfa_in_postlogin_action`, `phone_consolidated_experience`, `flags` and
/// `flags.mfa_show_factor_list_on_enrollment`); any other key is stored as sent, since the real
/// endpoint accepts many settings the emulator does not model. The answer is the whole settings
/// object, as the real endpoint answers.
pub fn tenant_settings(
    tenant: &mut TenantState,
    method: &Method,
    body: &Value,
) -> Result<Answer, ApiError> {
    if *method == Method::PATCH {
        body_schema::validate(&MODELED_TENANT_SETTINGS, &modeled_part(body))?;
        let Value::Object(changes) = body else {
            return Err(ApiError::invalid_json());
        };
        let settings = &mut tenant.tenant_settings;
        for (key, value) in changes {
            match (key.as_str(), value) {
                ("flags", Value::Object(flags)) => {
                    let stored = settings
                        .entry("flags")
                        .or_insert_with(|| Value::Object(Map::new()));
                    if !stored.is_object() {
                        *stored = Value::Object(Map::new());
                    }
                    if let Value::Object(stored) = stored {
                        for (flag, on) in flags {
                            stored.insert(flag.clone(), on.clone());
                        }
                    }
                }
                _ => {
                    settings.insert(key.clone(), value.clone());
                }
            }
        }
    }
    Ok((
        StatusCode::OK,
        Some(Value::Object(tenant.tenant_settings.clone())),
    ))
}

/// The part of a PATCH body the emulator models: the modeled top-level keys, with `flags` (when
/// it is an object) cut down to the modeled flags. Anything else passes through unchecked.
fn modeled_part(body: &Value) -> Value {
    let Value::Object(changes) = body else {
        return body.clone();
    };
    let modeled: Map<String, Value> = changes
        .iter()
        .filter(|(key, _)| MODELED_KEYS.contains(&key.as_str()))
        .map(|(key, value)| {
            let value = match value {
                Value::Object(flags) if key == "flags" => Value::Object(
                    flags
                        .iter()
                        .filter(|(flag, _)| MODELED_FLAGS.contains(&flag.as_str()))
                        .map(|(flag, on)| (flag.clone(), on.clone()))
                        .collect(),
                ),
                other => other.clone(),
            };
            (key.clone(), value)
        })
        .collect();
    Value::Object(modeled)
}

const MODELED_KEYS: &[&str] = &[
    "customize_mfa_in_postlogin_action",
    PHONE_CONSOLIDATED_EXPERIENCE,
    "flags",
];

const MODELED_FLAGS: &[&str] = &["mfa_show_factor_list_on_enrollment"];

/// The schema of [`modeled_part`]'s result.
const MODELED_TENANT_SETTINGS: Schema = Schema::Object {
    properties: &[
        ("customize_mfa_in_postlogin_action", Schema::Bool),
        (PHONE_CONSOLIDATED_EXPERIENCE, Schema::Bool),
        (
            "flags",
            Schema::Object {
                properties: &[("mfa_show_factor_list_on_enrollment", Schema::Bool)],
                required: &[],
            },
        ),
    ],
    required: &[],
};
