//! The settings resources of the table that need no endpoint of their own: selected providers,
//! Twilio, legacy templates, SNS, APNs, FCM, the custom app, Duo, WebAuthn, OTP and MFA session
//! settings, and prompt texts. Each is kept as the API's JSON object under its plan address.
//!
//! A write follows its spec's semantics: an overwrite replaces the object (Twilio's omitted
//! fields read back `null`), a merge lays the body over it (`null` removes a key). Reads leave
//! write-only fields out. What the answers look like beyond that is the emulator's own
//! knowledge, checked against the recorded traffic by the replay test ([`answer_of_write`],
//! [`read_quirks`]).

use axum::http::{Method, StatusCode};
use serde_json::{Map, Value, json};

use super::api_error::ApiError;
use super::body_schema::{self, NULLABLE_LONG_TEXT, NULLABLE_TEXT, Schema, TEXT};
use super::management_api::Answer;
use super::tenant::TenantState;
use mfactl_core::model::{PhoneProvider, PushProvider, UserVerification};
use mfactl_core::resource::{PhoneScope, ResourceSpec, Semantics};

/// What a write answers with.
enum WriteAnswer {
    /// The request body as sent.
    Body,
    /// The request body without its write-only fields (APNs leaves out `p12`).
    BodyWithoutWriteOnly,
    /// The stored object after the write.
    Stored,
    /// `{}` (FCM and FCMv1).
    Empty,
}

fn answer_of_write(address: &str) -> WriteAnswer {
    match address {
        "push.apns" => WriteAnswer::BodyWithoutWriteOnly,
        "push.fcm" | "push.fcmv1" => WriteAnswer::Empty,
        "push.custom_app" | "phone.otp" | "email.otp" | "mfa_session" => WriteAnswer::Stored,
        _ => WriteAnswer::Body,
    }
}

/// A GET's answer: the stored object, without write-only fields, shaped as the API answers.
fn read_quirks(address: &str, stored: &Map<String, Value>) -> Value {
    match address {
        // Decision: `enabled` reports whether a certificate was uploaded.
        "push.apns" => json!({
            "bundle_id": stored.get("bundle_id").cloned().unwrap_or(Value::Null),
            "sandbox": stored.get("sandbox").cloned().unwrap_or(Value::Bool(false)),
            "enabled": stored.get("p12").is_some_and(|p| !p.is_null()),
        }),
        _ => Value::Object(stored.clone()),
    }
}

/// GET and write of one settings resource at `address`.
pub fn call(
    tenant: &mut TenantState,
    spec: &'static ResourceSpec,
    address: &str,
    method: &Method,
    body: &Value,
) -> Result<Answer, ApiError> {
    if spec.phone == PhoneScope::Legacy && tenant.consolidated_phone() {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "Legacy MFA phone provider configuration is not allowed: this tenant uses the \
             consolidated phone experience (configure /branding/phone/providers instead).",
            "legacy_mfa_phone_provider_not_allowed",
        ));
    }
    if *method == Method::GET {
        let stored = tenant.settings.get(address).cloned().unwrap_or_default();
        let shown = read_quirks(address, &stored);
        let mut shown = shown;
        if let Value::Object(map) = &mut shown {
            for field in spec.fields.iter().filter(|f| f.is_write_only()) {
                map.remove(field.api_top());
            }
        }
        return Ok((StatusCode::OK, Some(shown)));
    }
    validate(address, body)?;
    let Value::Object(changes) = body else {
        return Err(ApiError::invalid_json());
    };
    let stored = tenant.settings.entry(address.to_string()).or_default();
    match spec.semantics {
        Semantics::Overwrite if spec.fields.iter().any(|f| f.api.is_empty()) => {
            // The body is the whole resource (a prompt's texts).
            *stored = changes.clone();
        }
        Semantics::Overwrite => {
            *stored = spec
                .fields
                .iter()
                .map(|f| {
                    let value = changes.get(f.api_top()).cloned().unwrap_or(Value::Null);
                    (f.api_top().to_string(), value)
                })
                .collect();
        }
        // Collections (users' methods) are per-user endpoints, served by `users_api`; this
        // arm is never reached for them.
        Semantics::Merge
        | Semantics::MergeResendingAll
        | Semantics::WriteOnly
        | Semantics::Collection => {
            for (key, value) in changes {
                if value.is_null() {
                    stored.remove(key);
                } else {
                    stored.insert(key.clone(), value.clone());
                }
            }
        }
    }
    let answer = match answer_of_write(address) {
        WriteAnswer::Body => body.clone(),
        WriteAnswer::BodyWithoutWriteOnly => {
            let mut echo = changes.clone();
            for field in spec.fields.iter().filter(|f| f.is_write_only()) {
                echo.remove(field.api_top());
            }
            Value::Object(echo)
        }
        WriteAnswer::Stored => Value::Object(stored.clone()),
        WriteAnswer::Empty => json!({}),
    };
    Ok((StatusCode::OK, Some(answer)))
}

/// The body checks of each write, as the API's schemas have them.
fn validate(address: &str, body: &Value) -> Result<(), ApiError> {
    if address.starts_with("prompts.") {
        return validate_texts(body);
    }
    let Some(schema) = schema_of(address) else {
        return Ok(());
    };
    body_schema::validate(schema, body)?;
    if address == "mfa_session"
        && body["mfa_session_inactivity_timeout"].as_i64()
            > body["mfa_session_overall_timeout"].as_i64()
    {
        // The reference says the inactivity timeout "cannot exceed" the overall one; the
        // wording is ours.
        return Err(ApiError::invalid_body(
            "'mfa_session_inactivity_timeout cannot exceed mfa_session_overall_timeout'.",
        ));
    }
    Ok(())
}

/// A prompt's texts: `{screen: {text_id: text}}`.
fn validate_texts(body: &Value) -> Result<(), ApiError> {
    let Some(screens) = body.as_object() else {
        return Err(ApiError::invalid_body(
            "'Expected type object but found type array'.",
        ));
    };
    for (screen, texts) in screens {
        let Some(texts) = texts.as_object() else {
            return Err(ApiError::invalid_body(format!(
                "'Expected type object but found type {}' on property {screen}.",
                json_type(texts)
            )));
        };
        for (id, text) in texts {
            if !text.is_string() {
                return Err(ApiError::invalid_body(format!(
                    "'Expected type string but found type {}' on property {screen}.{id}.",
                    json_type(text)
                )));
            }
        }
    }
    Ok(())
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn schema_of(address: &str) -> Option<&'static Schema> {
    Some(match address {
        "phone.provider" => &PHONE_PROVIDER,
        "push.provider" => &PUSH_PROVIDER,
        "phone.twilio" => &TWILIO,
        "phone.templates" => &TEMPLATES,
        "push.sns" => &SNS,
        "push.apns" => &APNS,
        "push.fcm" => &FCM,
        "push.fcmv1" => &FCMV1,
        "push.custom_app" => &MFA_PUSH,
        "duo" => &DUO,
        "webauthn_roaming" => &WEBAUTHN_ROAMING,
        "webauthn_platform" => &WEBAUTHN_PLATFORM,
        "phone.otp" | "email.otp" => &OTP_SETTINGS,
        "mfa_session" => &GUARDIAN_SETTINGS,
        _ => return None,
    })
}

const PHONE_PROVIDERS: &[&str] = &["auth0", "twilio", "phone-message-hook"];
const PUSH_PROVIDERS: &[&str] = &["guardian", "sns", "direct"];
const USER_VERIFICATION: &[&str] = &["discouraged", "preferred", "required"];

// Keeps the enum spellings above in step with the model.
const _: () = assert!(PHONE_PROVIDERS.len() == PhoneProvider::ALL.len());
const _: () = assert!(PUSH_PROVIDERS.len() == PushProvider::ALL.len());
const _: () = assert!(USER_VERIFICATION.len() == UserVerification::ALL.len());

const PHONE_PROVIDER: Schema = Schema::Object {
    properties: &[("provider", Schema::OneOf(PHONE_PROVIDERS))],
    required: &["provider"],
};

const PUSH_PROVIDER: Schema = Schema::Object {
    properties: &[("provider", Schema::OneOf(PUSH_PROVIDERS))],
    required: &["provider"],
};

const TWILIO: Schema = Schema::Object {
    properties: &[
        ("from", NULLABLE_TEXT),
        ("messaging_service_sid", NULLABLE_TEXT),
        ("auth_token", NULLABLE_TEXT),
        ("sid", NULLABLE_TEXT),
    ],
    required: &[],
};

const TEMPLATES: Schema = Schema::Object {
    properties: &[("enrollment_message", TEXT), ("verification_message", TEXT)],
    required: &["enrollment_message", "verification_message"],
};

const SNS: Schema = Schema::Object {
    properties: &[
        ("aws_access_key_id", NULLABLE_TEXT),
        ("aws_secret_access_key", NULLABLE_TEXT),
        (
            "aws_region",
            Schema::Text {
                nullable: true,
                min: 1,
                max: 1000,
                pattern: Some(body_schema::Pattern {
                    text: body_schema::AWS_REGION_PATTERN,
                    matches: body_schema::is_aws_region,
                }),
            },
        ),
        ("sns_apns_platform_application_arn", NULLABLE_TEXT),
        ("sns_gcm_platform_application_arn", NULLABLE_TEXT),
    ],
    required: &[],
};

const APNS: Schema = Schema::Object {
    properties: &[
        ("sandbox", Schema::Bool),
        ("bundle_id", NULLABLE_TEXT),
        ("p12", NULLABLE_LONG_TEXT),
    ],
    required: &[],
};

const FCM: Schema = Schema::Object {
    properties: &[("server_key", NULLABLE_TEXT)],
    required: &[],
};

const FCMV1: Schema = Schema::Object {
    properties: &[("server_credentials", NULLABLE_LONG_TEXT)],
    required: &[],
};

const DUO: Schema = Schema::Object {
    properties: &[("ikey", TEXT), ("skey", TEXT), ("host", TEXT)],
    required: &[],
};

const WEBAUTHN_ROAMING: Schema = Schema::Object {
    properties: &[
        ("userVerification", Schema::OneOf(USER_VERIFICATION)),
        ("overrideRelyingParty", Schema::Bool),
        ("relyingPartyIdentifier", NULLABLE_TEXT),
    ],
    required: &[],
};

const WEBAUTHN_PLATFORM: Schema = Schema::Object {
    properties: &[
        ("overrideRelyingParty", Schema::Bool),
        ("relyingPartyIdentifier", NULLABLE_TEXT),
    ],
    required: &[],
};

const MFA_PUSH: Schema = Schema::Object {
    properties: &[
        ("app_name", NULLABLE_TEXT),
        ("apple_app_link", NULLABLE_TEXT),
        ("google_app_link", NULLABLE_TEXT),
    ],
    required: &[],
};

/// `/guardian/factors/{phone,email}/settings`. Decision: a PUT needs both fields (Auth0's SDKs
/// type both as required) and replaces the settings.
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

/// `/guardian/settings`. Decision: a PUT needs all four fields (the API reference marks each
/// required) and replaces the settings.
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
