//! The emulated Management API endpoints: which resource a path names, the scope each method
//! needs, and what each call does to the tenant state.
//!
//! Behaviour follows the recorded traffic in `shared/recordings/`: PUT answers echo the request
//! body (APNs leaves out `p12`; FCM and FCMv1 answer `{}`), Twilio, SNS and APNs PUTs overwrite
//! (omitted fields read back as `null`), Duo, WebAuthn and the `mfa-push` prompt merge.
//! Tenant Phone Settings live in [`super::tenant_phone_api`], the OTP, MFA-session and tenant
//! settings in [`super::mfa_settings_api`].

use axum::http::{Method, StatusCode};
use serde_json::{Map, Value, json};

use super::api_error::ApiError;
use super::body_schema::{self, NULLABLE_LONG_TEXT, NULLABLE_TEXT, Schema, TEXT};
use super::mfa_settings_api::{self, OtpFactor};
use super::tenant::TenantState;
use super::tenant_phone_api;
use mfactl_core::model::{
    Factor, MessageType, PhoneProvider, Policy, PushProvider, UserVerification,
};

/// A resource of the emulated API, resolved from a path under `/api/v2`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resource {
    Policies,
    Factors,
    Factor(Factor),
    PhoneMessageTypes,
    /// `/phone/selected-provider` and its deprecated `/sms/` twin.
    PhoneProvider,
    PhoneTwilio,
    PhoneTemplates,
    PushProvider,
    PushSns,
    PushApns,
    PushFcm,
    PushFcmV1,
    DuoSettings,
    WebAuthnRoamingSettings,
    WebAuthnPlatformSettings,
    MfaPushPrompt,
    TenantSettings,
    Enrollment(String),
    EnrollmentTicket,
    /// `/guardian/factors/phone/settings` and `/guardian/factors/email/settings`.
    OtpSettings(OtpFactor),
    /// `/guardian/settings`: MFA session settings.
    GuardianSettings,
    /// `/branding/phone/providers`.
    TenantPhoneProviders,
    /// `/branding/phone/providers/{id}`.
    TenantPhoneProvider(String),
    /// `/branding/phone/templates`.
    TenantPhoneTemplates,
    /// `/branding/phone/templates/{id}`.
    TenantPhoneTemplate(String),
    /// `/branding/phone/templates/{id}/reset`.
    TenantPhoneTemplateReset(String),
}

impl Resource {
    /// Resolves a path relative to `/api/v2` (e.g. `/guardian/factors`).
    pub fn from_path(path: &str) -> Option<Resource> {
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        let resource = match segments.as_slice() {
            ["guardian", "policies"] => Resource::Policies,
            ["guardian", "factors"] => Resource::Factors,
            ["guardian", "factors", "phone", "message-types"] => Resource::PhoneMessageTypes,
            ["guardian", "factors", "phone" | "sms", "selected-provider"] => {
                Resource::PhoneProvider
            }
            [
                "guardian",
                "factors",
                "phone" | "sms",
                "providers",
                "twilio",
            ] => Resource::PhoneTwilio,
            ["guardian", "factors", "phone" | "sms", "templates"] => Resource::PhoneTemplates,
            [
                "guardian",
                "factors",
                "push-notification",
                "selected-provider",
            ] => Resource::PushProvider,
            [
                "guardian",
                "factors",
                "push-notification",
                "providers",
                provider,
            ] => match *provider {
                "sns" => Resource::PushSns,
                "apns" => Resource::PushApns,
                "fcm" => Resource::PushFcm,
                "fcmv1" => Resource::PushFcmV1,
                _ => return None,
            },
            ["guardian", "factors", "duo", "settings"] => Resource::DuoSettings,
            ["guardian", "factors", "webauthn-roaming", "settings"] => {
                Resource::WebAuthnRoamingSettings
            }
            ["guardian", "factors", "webauthn-platform", "settings"] => {
                Resource::WebAuthnPlatformSettings
            }
            ["guardian", "factors", "phone", "settings"] => Resource::OtpSettings(OtpFactor::Phone),
            ["guardian", "factors", "email", "settings"] => Resource::OtpSettings(OtpFactor::Email),
            ["guardian", "settings"] => Resource::GuardianSettings,
            ["branding", "phone", "providers"] => Resource::TenantPhoneProviders,
            ["branding", "phone", "providers", id] if !id.is_empty() => {
                Resource::TenantPhoneProvider((*id).to_owned())
            }
            ["branding", "phone", "templates"] => Resource::TenantPhoneTemplates,
            ["branding", "phone", "templates", id] if !id.is_empty() => {
                Resource::TenantPhoneTemplate((*id).to_owned())
            }
            ["branding", "phone", "templates", id, "reset"] if !id.is_empty() => {
                Resource::TenantPhoneTemplateReset((*id).to_owned())
            }
            ["guardian", "factors", name] => Resource::Factor(Factor::parse(name)?),
            ["guardian", "enrollments", "ticket"] => Resource::EnrollmentTicket,
            ["guardian", "enrollments", id] if !id.is_empty() => {
                Resource::Enrollment((*id).to_owned())
            }
            ["prompts", "mfa-push"] => Resource::MfaPushPrompt,
            ["tenants", "settings"] => Resource::TenantSettings,
            _ => return None,
        };
        Some(resource)
    }

    /// The scope a method on this resource needs; `None` = the method is not served here.
    pub fn scope(&self, method: &Method) -> Option<&'static str> {
        use Resource::*;
        let read = *method == Method::GET;
        let scope = match (self, method.as_str()) {
            (Policies, "GET" | "PUT") => pick(read, "read:mfa_policies", "update:mfa_policies"),
            (Factors, "GET") => "read:guardian_factors",
            (Factor(_), "PUT") => "update:guardian_factors",
            (PushFcm | PushFcmV1, "PUT") => "update:guardian_factors",
            (
                PhoneMessageTypes
                | PhoneProvider
                | PhoneTwilio
                | PhoneTemplates
                | PushProvider
                | PushSns
                | PushApns
                | DuoSettings
                | WebAuthnRoamingSettings
                | WebAuthnPlatformSettings
                | OtpSettings(_),
                "GET" | "PUT",
            ) => pick(read, "read:guardian_factors", "update:guardian_factors"),
            // Decision: MFA session settings share the MFA policies' scopes (the reference
            // pages do not name theirs).
            (GuardianSettings, "GET" | "PUT") => {
                pick(read, "read:mfa_policies", "update:mfa_policies")
            }
            (MfaPushPrompt, "GET" | "PATCH") => pick(read, "read:prompts", "update:prompts"),
            (TenantSettings, "GET" | "PATCH") => {
                pick(read, "read:tenant_settings", "update:tenant_settings")
            }
            (TenantPhoneProviders, "GET") | (TenantPhoneProvider(_), "GET") => {
                "read:phone_providers"
            }
            (TenantPhoneProviders, "POST") => "create:phone_providers",
            (TenantPhoneProvider(_), "PATCH") => "update:phone_providers",
            (TenantPhoneProvider(_), "DELETE") => "delete:phone_providers",
            (TenantPhoneTemplates, "GET") | (TenantPhoneTemplate(_), "GET") => {
                "read:phone_templates"
            }
            (TenantPhoneTemplates, "POST") => "create:phone_templates",
            (TenantPhoneTemplate(_), "PATCH") | (TenantPhoneTemplateReset(_), "PATCH") => {
                "update:phone_templates"
            }
            (TenantPhoneTemplate(_), "DELETE") => "delete:phone_templates",
            (Enrollment(_), "GET") => "read:guardian_enrollments",
            (Enrollment(_), "DELETE") => "delete:guardian_enrollments",
            (EnrollmentTicket, "POST") => "create:guardian_enrollment_tickets",
            _ => return None,
        };
        Some(scope)
    }
}

fn pick(read: bool, read_scope: &'static str, write_scope: &'static str) -> &'static str {
    if read { read_scope } else { write_scope }
}

/// A successful answer: status and JSON body (`None` = empty body).
pub type Answer = (StatusCode, Option<Value>);

/// What a call may need besides the tenant: the public base URL (for ticket URLs), a source
/// of random ids and the current time (ISO 8601, for `created_at`/`updated_at`).
pub struct CallContext<'a> {
    pub base_url: &'a str,
    pub random_id: &'a dyn Fn() -> String,
    pub now: &'a dyn Fn() -> String,
}

/// Runs one authorised call against the tenant.
pub fn call(
    tenant: &mut TenantState,
    resource: &Resource,
    method: &Method,
    raw_body: &[u8],
    context: &CallContext<'_>,
) -> Result<Answer, ApiError> {
    let writes = *method != Method::GET && *method != Method::DELETE;
    let body = if writes {
        parse_body(raw_body)?
    } else {
        Value::Null
    };
    let ok = |value: Value| Ok((StatusCode::OK, Some(value)));
    match resource {
        Resource::Policies if writes => {
            body_schema::validate(&POLICIES, &body)?;
            let policies: Vec<Policy> = from_value(&body)?;
            if policies.contains(&Policy::ConfidenceScore) && !tenant.entitlements.adaptive_mfa {
                return Err(no_adaptive_mfa());
            }
            tenant.policies = policies;
            ok(to_value(&tenant.policies))
        }
        Resource::Policies => ok(to_value(&tenant.policies)),
        Resource::Factors => ok(to_value(&tenant.factors)),
        Resource::Factor(factor) => {
            body_schema::validate(&ENABLED, &body)?;
            let enabled = body["enabled"].as_bool().unwrap_or(false);
            tenant.factor_mut(*factor).enabled = enabled;
            if *factor == Factor::Sms && enabled {
                tenant.phone.factor_exists = true;
            }
            ok(json!({ "enabled": enabled }))
        }
        Resource::PhoneMessageTypes => {
            // Decision: following auth0-deploy-cli's handling of this code, a tenant without
            // voice MFA answers 403 `voice_mfa_not_allowed` on the whole endpoint.
            if !tenant.entitlements.voice {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "This endpoint is disabled for your tenant.",
                    "voice_mfa_not_allowed",
                ));
            }
            if writes {
                body_schema::validate(&MESSAGE_TYPES, &body)?;
                if !tenant.phone.factor_exists {
                    return Err(ApiError::new(
                        StatusCode::NOT_FOUND,
                        "The phone factor does not exist.",
                        "factor_not_found",
                    ));
                }
                tenant.phone.message_types =
                    from_value::<Vec<MessageType>>(&body["message_types"])?;
                return ok(body);
            }
            ok(json!({ "message_types": tenant.phone.message_types }))
        }
        Resource::PhoneProvider | Resource::PhoneTwilio | Resource::PhoneTemplates
            if tenant.consolidated_phone() =>
        {
            Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "Legacy MFA phone provider configuration is not allowed: this tenant uses the \
                 consolidated phone experience (configure /branding/phone/providers instead).",
                "legacy_mfa_phone_provider_not_allowed",
            ))
        }
        Resource::PhoneProvider => {
            if writes {
                body_schema::validate(&PHONE_PROVIDER, &body)?;
                tenant.phone.selected_provider = from_value::<PhoneProvider>(&body["provider"])?;
                return ok(body);
            }
            ok(json!({ "provider": tenant.phone.selected_provider }))
        }
        Resource::PhoneTwilio => {
            if writes {
                body_schema::validate(&TWILIO, &body)?;
                tenant.phone.twilio = from_value(&body)?;
                return ok(body);
            }
            ok(to_value(&tenant.phone.twilio))
        }
        Resource::PhoneTemplates => {
            if writes {
                body_schema::validate(&TEMPLATES, &body)?;
                tenant.phone.templates = from_value(&body)?;
                return ok(body);
            }
            ok(to_value(&tenant.phone.templates))
        }
        Resource::PushProvider => {
            if writes {
                body_schema::validate(&PUSH_PROVIDER, &body)?;
                tenant.push.selected_provider = from_value::<PushProvider>(&body["provider"])?;
                return ok(body);
            }
            ok(json!({ "provider": tenant.push.selected_provider }))
        }
        Resource::PushSns => {
            if writes {
                body_schema::validate(&SNS, &body)?;
                tenant.push.sns = from_value(&body)?;
                return ok(body);
            }
            let mut value = to_value(&tenant.push.sns);
            if let Some(map) = value.as_object_mut() {
                map.remove("aws_secret_access_key");
            }
            ok(value)
        }
        Resource::PushApns => {
            if writes {
                body_schema::validate(&APNS, &body)?;
                tenant.push.apns = from_value(&body)?;
                let mut echo = body;
                if let Some(map) = echo.as_object_mut() {
                    map.remove("p12");
                }
                return ok(echo);
            }
            let apns = &tenant.push.apns;
            // Decision: `enabled` reports whether a certificate was uploaded.
            ok(json!({
                "bundle_id": apns.bundle_id,
                "sandbox": apns.sandbox,
                "enabled": apns.p12.is_some(),
            }))
        }
        Resource::PushFcm => {
            body_schema::validate(&FCM, &body)?;
            tenant.push.fcm = from_value(&body)?;
            ok(json!({}))
        }
        Resource::PushFcmV1 => {
            body_schema::validate(&FCMV1, &body)?;
            tenant.push.fcmv1 = from_value(&body)?;
            ok(json!({}))
        }
        Resource::DuoSettings => {
            if writes {
                body_schema::validate(&DUO, &body)?;
                let merged = merge(to_value(&tenant.duo), &body);
                tenant.duo = from_value(&merged)?;
                return ok(body);
            }
            ok(to_value(&tenant.duo))
        }
        Resource::WebAuthnRoamingSettings => {
            if writes {
                body_schema::validate(&WEBAUTHN_ROAMING, &body)?;
                let merged = merge(to_value(&tenant.webauthn_roaming), &body);
                tenant.webauthn_roaming = from_value(&merged)?;
                return ok(body);
            }
            ok(to_value(&tenant.webauthn_roaming))
        }
        Resource::WebAuthnPlatformSettings => {
            if writes {
                body_schema::validate(&WEBAUTHN_PLATFORM, &body)?;
                let merged = merge(to_value(&tenant.webauthn_platform), &body);
                tenant.webauthn_platform = from_value(&merged)?;
                return ok(body);
            }
            ok(to_value(&tenant.webauthn_platform))
        }
        Resource::MfaPushPrompt => {
            if writes {
                body_schema::validate(&MFA_PUSH, &body)?;
                let merged = merge(to_value(&tenant.mfa_push_prompt), &body);
                tenant.mfa_push_prompt = from_value(&merged)?;
            }
            ok(to_value(&tenant.mfa_push_prompt))
        }
        Resource::TenantSettings => mfa_settings_api::tenant_settings(tenant, method, &body),
        Resource::OtpSettings(factor) => {
            mfa_settings_api::otp_settings(tenant, *factor, method, &body)
        }
        Resource::GuardianSettings => mfa_settings_api::guardian_settings(tenant, method, &body),
        Resource::TenantPhoneProviders => {
            tenant_phone_api::providers(tenant, method, &body, context)
        }
        Resource::TenantPhoneProvider(id) => {
            tenant_phone_api::provider(tenant, id, method, &body, context)
        }
        Resource::TenantPhoneTemplates => {
            tenant_phone_api::templates(tenant, method, &body, context)
        }
        Resource::TenantPhoneTemplate(id) => {
            tenant_phone_api::template(tenant, id, false, method, &body, context)
        }
        Resource::TenantPhoneTemplateReset(id) => {
            tenant_phone_api::template(tenant, id, true, method, &body, context)
        }
        Resource::Enrollment(id) => {
            let position = tenant
                .enrollments
                .iter()
                .position(|e| e.get("id").and_then(Value::as_str) == Some(id.as_str()))
                .ok_or_else(|| {
                    ApiError::new(
                        StatusCode::NOT_FOUND,
                        "Enrollment not found",
                        "enrollment_not_found",
                    )
                })?;
            if *method == Method::DELETE {
                tenant.enrollments.remove(position);
                return Ok((StatusCode::NO_CONTENT, None));
            }
            ok(tenant.enrollments[position].clone())
        }
        Resource::EnrollmentTicket => {
            body_schema::validate(&TICKET, &body)?;
            let ticket_id = (context.random_id)();
            let ticket_url = format!(
                "{}/mfa/enrollment?ticket={ticket_id}",
                context.base_url.trim_end_matches('/')
            );
            ok(json!({ "ticket_id": ticket_id, "ticket_url": ticket_url }))
        }
    }
}

fn no_adaptive_mfa() -> ApiError {
    // Decision: wording is ours; the code is the one Auth0 uses for plan features.
    ApiError::new(
        StatusCode::FORBIDDEN,
        "Adaptive MFA (confidence-score) is not available on this tenant's plan.",
        "insufficient_entitlement",
    )
}

fn parse_body(raw: &[u8]) -> Result<Value, ApiError> {
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Map::new()));
    }
    serde_json::from_slice(raw).map_err(|_| ApiError::invalid_json())
}

/// A value as JSON (`null` if it cannot be, which the emulator's own types never do).
pub(super) fn to_value<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// A checked body as a typed value; the error is the API's 400 `invalid_body`.
pub(super) fn from_value<T: serde::de::DeserializeOwned>(value: &Value) -> Result<T, ApiError> {
    // The schema was checked first, so this only fails on a bug; answer like the API would.
    serde_json::from_value(value.clone()).map_err(|e| ApiError::invalid_body(format!("'{e}'.")))
}

/// Overlays the body's keys on the stored object; a `null` removes the key.
fn merge(stored: Value, body: &Value) -> Value {
    let mut stored = match stored {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    if let Value::Object(changes) = body {
        for (key, value) in changes {
            if value.is_null() {
                stored.remove(key);
            } else {
                stored.insert(key.clone(), value.clone());
            }
        }
    }
    Value::Object(stored)
}

const POLICY_NAMES: &[&str] = &["all-applications", "confidence-score"];
const MESSAGE_TYPE_NAMES: &[&str] = &["sms", "voice"];
const PHONE_PROVIDERS: &[&str] = &["auth0", "twilio", "phone-message-hook"];
const PUSH_PROVIDERS: &[&str] = &["guardian", "sns", "direct"];
const USER_VERIFICATION: &[&str] = &["discouraged", "preferred", "required"];
const FACTOR_NAMES: &[&str] = &[
    "sms",
    "push-notification",
    "otp",
    "email",
    "duo",
    "webauthn-roaming",
    "webauthn-platform",
    "recovery-code",
];

const POLICIES: Schema = Schema::Array {
    items: &Schema::OneOf(POLICY_NAMES),
    unique: true,
    min_items: 0,
};

const ENABLED: Schema = Schema::Object {
    properties: &[("enabled", Schema::Bool)],
    required: &["enabled"],
};

const MESSAGE_TYPES: Schema = Schema::Object {
    properties: &[(
        "message_types",
        Schema::Array {
            items: &Schema::OneOf(MESSAGE_TYPE_NAMES),
            unique: true,
            min_items: 0,
        },
    )],
    required: &["message_types"],
};

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

const TICKET: Schema = Schema::Object {
    properties: &[
        ("user_id", TEXT),
        ("email", TEXT),
        ("send_mail", Schema::Bool),
        ("email_locale", TEXT),
        ("factor", Schema::OneOf(FACTOR_NAMES)),
        ("allow_multiple_enrollments", Schema::Bool),
    ],
    required: &["user_id"],
};

// Keeps the enum spellings above in step with the model.
const _: () = assert!(FACTOR_NAMES.len() == Factor::ALL.len());
const _: () = assert!(USER_VERIFICATION.len() == UserVerification::ALL.len());

#[cfg(test)]
mod tests {
    use super::*;

    fn run(
        tenant: &mut TenantState,
        method: Method,
        path: &str,
        body: &str,
    ) -> Result<Answer, ApiError> {
        let resource = Resource::from_path(path).unwrap();
        let random = || "ticket".to_owned();
        let now = || "2026-01-01T00:00:00.000Z".to_owned();
        let context = CallContext {
            base_url: "http://h",
            random_id: &random,
            now: &now,
        };
        call(tenant, &resource, &method, body.as_bytes(), &context)
    }

    #[test]
    fn resolves_paths_and_sms_twins() {
        assert_eq!(
            Resource::from_path("/guardian/factors/sms"),
            Some(Resource::Factor(Factor::Sms))
        );
        assert_eq!(
            Resource::from_path("/guardian/factors/sms/templates"),
            Resource::from_path("/guardian/factors/phone/templates")
        );
        assert_eq!(Resource::from_path("/guardian/factors/fax"), None);
        assert_eq!(Resource::Factors.scope(&Method::PUT), None);
        assert_eq!(
            Resource::Factor(Factor::Otp).scope(&Method::PUT),
            Some("update:guardian_factors")
        );
    }

    #[test]
    fn message_types_need_the_phone_factor_once() {
        let mut tenant = TenantState::default();
        let body = r#"{"message_types":["sms"]}"#;
        let err = run(
            &mut tenant,
            Method::PUT,
            "/guardian/factors/phone/message-types",
            body,
        )
        .unwrap_err();
        assert_eq!(err.status, StatusCode::NOT_FOUND);
        run(
            &mut tenant,
            Method::PUT,
            "/guardian/factors/sms",
            r#"{"enabled":true}"#,
        )
        .unwrap();
        run(
            &mut tenant,
            Method::PUT,
            "/guardian/factors/sms",
            r#"{"enabled":false}"#,
        )
        .unwrap();
        let (status, _) = run(
            &mut tenant,
            Method::PUT,
            "/guardian/factors/phone/message-types",
            body,
        )
        .unwrap();
        assert_eq!(status, StatusCode::OK);
    }

    #[test]
    fn merge_removes_nulls_and_overlays_values() {
        let merged = merge(json!({"a": 1, "b": 2}), &json!({"b": null, "c": 3}));
        assert_eq!(merged, json!({"a": 1, "c": 3}));
    }
}
