//! Tenant Phone Settings endpoints: `/branding/phone/providers[/{id}]` and
//! `/branding/phone/templates[/{id}[/reset]]`.
//!
//! Shapes follow answers recorded from a real tenant (terraform-provider-auth0's
//! `TestAccCheckPhoneProvider` and `TestAccPhoneNotificationTemplate` cassettes): POST answers
//! 201 with the record, DELETE answers 204 with no body, a provider's `credentials` never appear
//! in a single-record answer, a template without `from` leaves `content.from` out.
//!
//! Both kinds of tenant serve these endpoints (they exist on every real tenant; only the MFA
//! phone factor of a legacy tenant ignores them).

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::api_error::ApiError;
use super::body_schema::{self, Schema, TEXT};
use super::management_api::{Answer, CallContext, from_value, to_value};
use super::tenant::TenantState;
use super::tenant_phone::{
    PhoneProviderConfiguration, PhoneProviderCredentials, PhoneProviderRecord, PhoneTemplateBody,
    PhoneTemplateContent, PhoneTemplateRecord, PhoneTemplateType, TENANT_NAME,
};

/// `GET` (list) and `POST` on `/branding/phone/providers`.
pub fn providers(
    tenant: &mut TenantState,
    method: &Method,
    body: &Value,
    context: &CallContext<'_>,
) -> Result<Answer, ApiError> {
    if *method == Method::GET {
        let list: Vec<Value> = tenant
            .tenant_phone
            .provider
            .iter()
            .map(|provider| {
                let mut value = provider_json(provider);
                if let Some(map) = value.as_object_mut() {
                    // Decision: the list shows the key with a null value (the single-record
                    // answers leave it out altogether).
                    map.insert("credentials".to_owned(), Value::Null);
                }
                value
            })
            .collect();
        return Ok((StatusCode::OK, Some(json!({ "providers": list }))));
    }
    body_schema::validate(&PROVIDER_CREATE, body)?;
    if tenant.tenant_phone.provider.is_some() {
        // Decision: wording and code are ours; the docs only say one provider per tenant.
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "A phone provider is already configured for this tenant; update or delete it.",
            "already_exists",
        ));
    }
    let now = (context.now)();
    let provider = PhoneProviderRecord {
        id: record_id("pro_", context),
        name: text_of(&body["name"]),
        disabled: body["disabled"].as_bool().unwrap_or(false),
        configuration: from_value(&body["configuration"])?,
        credentials: credentials_of(body)?,
        created_at: now.clone(),
        updated_at: now,
    };
    check_provider(&provider)?;
    let answer = provider_json(&provider);
    tenant.tenant_phone.provider = Some(provider);
    Ok((StatusCode::CREATED, Some(answer)))
}

/// `GET`, `PATCH` and `DELETE` on `/branding/phone/providers/{id}`.
pub fn provider(
    tenant: &mut TenantState,
    id: &str,
    method: &Method,
    body: &Value,
    context: &CallContext<'_>,
) -> Result<Answer, ApiError> {
    let stored = match &tenant.tenant_phone.provider {
        Some(provider) if provider.id == id => provider,
        _ => return Err(provider_not_found()),
    };
    match method.as_str() {
        "GET" => Ok((StatusCode::OK, Some(provider_json(stored)))),
        "DELETE" => {
            tenant.tenant_phone.provider = None;
            Ok((StatusCode::NO_CONTENT, None))
        }
        _ => {
            body_schema::validate(&PROVIDER_UPDATE, body)?;
            let mut updated = stored.clone();
            if let Some(name) = body.get("name") {
                updated.name = text_of(name);
            }
            if let Some(disabled) = body.get("disabled").and_then(Value::as_bool) {
                updated.disabled = disabled;
            }
            // PATCH replaces `configuration` and `credentials` as wholes.
            if let Some(configuration) = body.get("configuration") {
                updated.configuration = from_value(configuration)?;
            }
            if body.get("credentials").is_some() {
                updated.credentials = credentials_of(body)?;
            }
            check_provider(&updated)?;
            updated.updated_at = (context.now)();
            let answer = provider_json(&updated);
            tenant.tenant_phone.provider = Some(updated);
            Ok((StatusCode::OK, Some(answer)))
        }
    }
}

/// `GET` (list) and `POST` on `/branding/phone/templates`.
pub fn templates(
    tenant: &mut TenantState,
    method: &Method,
    body: &Value,
    context: &CallContext<'_>,
) -> Result<Answer, ApiError> {
    if *method == Method::GET {
        let list: Vec<Value> = tenant
            .tenant_phone
            .templates
            .iter()
            .map(template_json)
            .collect();
        return Ok((StatusCode::OK, Some(json!({ "templates": list }))));
    }
    body_schema::validate(&TEMPLATE_CREATE, body)?;
    let kind: PhoneTemplateType = from_value(&body["type"])?;
    let mut content = kind.default_content();
    if let Some(changes) = body.get("content") {
        merge_content(&mut content, changes);
    }
    let now = (context.now)();
    // Decision: a POST always creates a new template, even for a type that already has one
    // (a real tenant accepted POSTs for every type; whether it keeps duplicates is not known).
    let template = PhoneTemplateRecord {
        id: record_id("tem_", context),
        kind,
        disabled: body["disabled"].as_bool().unwrap_or(false),
        created_at: now.clone(),
        updated_at: now,
        content,
    };
    let answer = template_json(&template);
    tenant.tenant_phone.templates.push(template);
    Ok((StatusCode::CREATED, Some(answer)))
}

/// `GET`, `PATCH` and `DELETE` on `/branding/phone/templates/{id}`, and `PATCH …/{id}/reset`.
pub fn template(
    tenant: &mut TenantState,
    id: &str,
    reset: bool,
    method: &Method,
    body: &Value,
    context: &CallContext<'_>,
) -> Result<Answer, ApiError> {
    let templates = &mut tenant.tenant_phone.templates;
    let index = templates
        .iter()
        .position(|t| t.id == id)
        .ok_or_else(template_not_found)?;
    if reset {
        // Decision: any body is accepted (the docs type it as "any"); the whole content (both
        // bodies and `from`) goes back to the type's default, `disabled` is kept.
        let template = &mut templates[index];
        template.content = template.kind.default_content();
        template.updated_at = (context.now)();
        return Ok((StatusCode::OK, Some(template_json(template))));
    }
    match method.as_str() {
        "GET" => Ok((StatusCode::OK, Some(template_json(&templates[index])))),
        "DELETE" => {
            templates.remove(index);
            Ok((StatusCode::NO_CONTENT, None))
        }
        _ => {
            body_schema::validate(&TEMPLATE_UPDATE, body)?;
            let template = &mut templates[index];
            if let Some(disabled) = body.get("disabled").and_then(Value::as_bool) {
                template.disabled = disabled;
            }
            if let Some(changes) = body.get("content") {
                merge_content(&mut template.content, changes);
            }
            template.updated_at = (context.now)();
            Ok((StatusCode::OK, Some(template_json(template))))
        }
    }
}

/// A provider as single-record answers show it: no `credentials` key.
fn provider_json(provider: &PhoneProviderRecord) -> Value {
    json!({
        "id": provider.id,
        "tenant": TENANT_NAME,
        "name": provider.name,
        "channel": "phone",
        "disabled": provider.disabled,
        "configuration": to_value(&provider.configuration),
        "created_at": provider.created_at,
        "updated_at": provider.updated_at,
    })
}

fn template_json(template: &PhoneTemplateRecord) -> Value {
    json!({
        "id": template.id,
        "tenant": TENANT_NAME,
        "channel": "phone",
        "type": template.kind.as_str(),
        "disabled": template.disabled,
        "created_at": template.created_at,
        "updated_at": template.updated_at,
        "content": to_value(&template.content),
    })
}

/// Overlays a PATCH/POST `content` on stored content: `from` and each of `body.text` /
/// `body.voice` are replaced when present, removed when `null`, kept when absent.
///
/// Decision: the docs do not say whether `content` merges or replaces; merging key by key is
/// what the recorded PATCH (which sent every key) cannot tell apart, and loses nothing.
fn merge_content(content: &mut PhoneTemplateContent, changes: &Value) {
    if let Some(from) = changes.get("from") {
        content.from = from.as_str().map(str::to_owned);
    }
    if let Some(body) = changes.get("body") {
        let PhoneTemplateBody { text, voice } = &mut content.body;
        if let Some(value) = body.get("text") {
            *text = value.as_str().map(str::to_owned);
        }
        if let Some(value) = body.get("voice") {
            *voice = value.as_str().map(str::to_owned);
        }
    }
}

/// A new record id: the prefix and 22 random characters, like the real ones.
fn record_id(prefix: &str, context: &CallContext<'_>) -> String {
    let random: String = (context.random_id)().chars().take(22).collect();
    format!("{prefix}{random}")
}

fn text_of(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_owned()
}

fn credentials_of(body: &Value) -> Result<Option<PhoneProviderCredentials>, ApiError> {
    match body.get("credentials") {
        None | Some(Value::Null) => Ok(None),
        Some(value) => from_value(value).map(Some),
    }
}

/// Rules beyond the body schema, checked on the provider a write would leave behind.
fn check_provider(provider: &PhoneProviderRecord) -> Result<(), ApiError> {
    if provider.name != "twilio" {
        return Ok(());
    }
    let PhoneProviderConfiguration {
        sid,
        default_from,
        mssid,
        ..
    } = &provider.configuration;
    if sid.is_none() {
        return Err(ApiError::invalid_body(
            "'Missing required property: sid' on property configuration.",
        ));
    }
    let has_token = provider
        .credentials
        .as_ref()
        .is_some_and(|c| c.auth_token.is_some());
    if !has_token {
        return Err(ApiError::invalid_body(
            "'Missing required property: auth_token' on property credentials.",
        ));
    }
    if default_from.is_none() && mssid.is_none() {
        // The message a real tenant answers with (terraform-provider-auth0's acceptance test
        // expects it); the code is our choice.
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "Bad Operation on Notification Resource",
            "bad_request",
        ));
    }
    Ok(())
}

fn provider_not_found() -> ApiError {
    // Decision: wording and code are ours.
    ApiError::new(
        StatusCode::NOT_FOUND,
        "The phone provider does not exist.",
        "not_found",
    )
}

fn template_not_found() -> ApiError {
    // Decision: wording and code are ours.
    ApiError::new(
        StatusCode::NOT_FOUND,
        "The phone notification template does not exist.",
        "not_found",
    )
}

const PROVIDER_NAMES: &[&str] = &["twilio", "custom"];
const DELIVERY_METHODS: &[&str] = &["text", "voice"];
const TEMPLATE_TYPES: &[&str] = &[
    "otp_verify",
    "otp_enroll",
    "change_password",
    "blocked_account",
    "password_breach",
];

const CONFIGURATION: Schema = Schema::Object {
    properties: &[
        ("sid", TEXT),
        ("default_from", TEXT),
        ("mssid", TEXT),
        (
            "delivery_methods",
            Schema::Array {
                items: &Schema::OneOf(DELIVERY_METHODS),
                unique: true,
                min_items: 1,
            },
        ),
    ],
    required: &["delivery_methods"],
};

const CREDENTIALS: Schema = Schema::Object {
    properties: &[("auth_token", TEXT)],
    required: &[],
};

const PROVIDER_CREATE: Schema = Schema::Object {
    properties: &[
        ("name", Schema::OneOf(PROVIDER_NAMES)),
        ("disabled", Schema::Bool),
        ("configuration", CONFIGURATION),
        ("credentials", CREDENTIALS),
    ],
    required: &["name", "configuration"],
};

const PROVIDER_UPDATE: Schema = Schema::Object {
    properties: &[
        ("name", Schema::OneOf(PROVIDER_NAMES)),
        ("disabled", Schema::Bool),
        ("configuration", CONFIGURATION),
        ("credentials", CREDENTIALS),
    ],
    required: &[],
};

const TEMPLATE_TEXT: Schema = Schema::Text {
    nullable: true,
    min: 1,
    max: 10_000,
    pattern: None,
};

const TEMPLATE_BODY: Schema = Schema::Object {
    properties: &[("text", TEMPLATE_TEXT), ("voice", TEMPLATE_TEXT)],
    required: &[],
};

const TEMPLATE_CREATE: Schema = Schema::Object {
    properties: &[
        ("type", Schema::OneOf(TEMPLATE_TYPES)),
        ("disabled", Schema::Bool),
        (
            "content",
            Schema::Object {
                properties: &[
                    ("syntax", Schema::OneOf(&["liquid"])),
                    ("from", body_schema::NULLABLE_TEXT),
                    ("body", TEMPLATE_BODY),
                ],
                required: &[],
            },
        ),
    ],
    required: &["type"],
};

/// PATCH leaves out `type` and `content.syntax`: sending either is "Additional properties not
/// allowed", which is how the API refuses to change them.
const TEMPLATE_UPDATE: Schema = Schema::Object {
    properties: &[
        ("disabled", Schema::Bool),
        (
            "content",
            Schema::Object {
                properties: &[
                    ("from", body_schema::NULLABLE_TEXT),
                    ("body", TEMPLATE_BODY),
                ],
                required: &[],
            },
        ),
    ],
    required: &[],
};

// Keeps the type spellings above in step with the state's enum.
const _: () = assert!(TEMPLATE_TYPES.len() == PhoneTemplateType::ALL.len());
