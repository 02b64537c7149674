//! MFA settings endpoints beyond the factors: OTP settings of the phone and email factors
//! (`/guardian/factors/{phone,email}/settings`), MFA session settings (`/guardian/settings`) and
//! `PATCH /tenants/settings`.

use axum::http::{Method, StatusCode};
use serde_json::{Map, Value};

use super::api_error::ApiError;
use super::body_schema::{self, Schema};
use super::management_api::{Answer, from_value, to_value};
use super::tenant::{GuardianSettings, OtpSettings, TenantState};
use mfactl_core::phone_kind::PHONE_CONSOLIDATED_EXPERIENCE;

/// Which factor's OTP settings a path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtpFactor {
    Phone,
    Email,
}

/// `GET`/`PUT /guardian/factors/{phone,email}/settings`.
///
/// Decision: PUT needs both fields (Auth0's SDKs type both as required) and replaces the
/// settings; the answer is the stored settings.
pub fn otp_settings(
    tenant: &mut TenantState,
    factor: OtpFactor,
    method: &Method,
    body: &Value,
) -> Result<Answer, ApiError> {
    let settings: &mut OtpSettings = match factor {
        OtpFactor::Phone => &mut tenant.phone_factor_settings,
        OtpFactor::Email => &mut tenant.email_factor_settings,
    };
    if *method == Method::PUT {
        body_schema::validate(&OTP_SETTINGS, body)?;
        *settings = from_value(body)?;
    }
    Ok((StatusCode::OK, Some(to_value(settings))))
}

/// `GET`/`PUT /guardian/settings`.
///
/// Decision: PUT needs all four fields (the API reference marks each required) and replaces the
/// settings. An inactivity timeout above the overall timeout answers 400 (the reference says it
/// "cannot exceed" it; the wording is ours).
pub fn guardian_settings(
    tenant: &mut TenantState,
    method: &Method,
    body: &Value,
) -> Result<Answer, ApiError> {
    if *method == Method::PUT {
        body_schema::validate(&GUARDIAN_SETTINGS, body)?;
        let settings: GuardianSettings = from_value(body)?;
        if settings.mfa_session_inactivity_timeout > settings.mfa_session_overall_timeout {
            return Err(ApiError::invalid_body(
                "'mfa_session_inactivity_timeout cannot exceed mfa_session_overall_timeout'.",
            ));
        }
        tenant.guardian_settings = settings;
    }
    Ok((StatusCode::OK, Some(to_value(&tenant.guardian_settings))))
}

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

const OTP_SETTINGS: Schema = Schema::Object {
    properties: &[
        ("otp_length", Schema::Integer { min: 4, max: 10 }),
        (
            "otp_expiration_time",
            Schema::Integer { min: 30, max: 3600 },
        ),
    ],
    required: &["otp_length", "otp_expiration_time"],
};

const GUARDIAN_SETTINGS: Schema = Schema::Object {
    properties: &[
        ("display_remember_me_checkbox", Schema::Bool),
        ("remember_me_default_value", Schema::Bool),
        (
            "mfa_session_inactivity_timeout",
            Schema::Integer {
                min: 3600,
                max: 2_592_000,
            },
        ),
        (
            "mfa_session_overall_timeout",
            Schema::Integer {
                min: 3600,
                max: 7_776_000,
            },
        ),
    ],
    required: &[
        "display_remember_me_checkbox",
        "remember_me_default_value",
        "mfa_session_inactivity_timeout",
        "mfa_session_overall_timeout",
    ],
};
