//! The emulated Management API endpoints: what each call does to the tenant state. Which
//! resource a path names and the scope it needs come from [`super::routes`].
//!
//! Behaviour follows the recorded traffic in `tests/fixtures/recordings/`. Policies, the factor
//! list and switches and the phone message types are served here; Tenant Phone Settings in
//! [`super::tenant_phone_api`], `/tenants/settings` in [`super::mfa_settings_api`], users' MFA
//! and Guardian enrollments and tickets in [`super::users_api`], and every other settings
//! resource generically by [`super::settings_api`].

use axum::http::{Method, StatusCode};
use serde_json::{Map, Value, json};

use super::api_error::ApiError;
use super::body_schema::{self, Schema};
use super::mfa_settings_api;
use super::routes::Route;
use super::settings_api;
use super::tenant::TenantState;
use super::tenant_phone_api;
use super::users_api::{self, UserCall};
use mfactl_core::model::{Address, Factor, MessageType, Policy};
use mfactl_core::resource::ResourceSpec;
use mfactl_core::resource::specs::{
    FACTORS, PHONE_MESSAGE_TYPES, POLICIES, TENANT_PHONE_PROVIDER, TENANT_PHONE_TEMPLATES,
    TENANT_SETTINGS,
};

/// A successful answer: status and JSON body (`None` = empty body).
pub type Answer = (StatusCode, Option<Value>);

/// What a call may need besides the tenant: the request's query string, the public base URL
/// (for ticket URLs), a source of random ids and the current time (ISO 8601, for
/// `created_at`/`updated_at`).
pub struct CallContext<'a> {
    /// The raw query string (`include_totals=true&page=0`), `""` when there is none.
    pub query: &'a str,
    pub base_url: &'a str,
    pub random_id: &'a dyn Fn() -> String,
    pub now: &'a dyn Fn() -> String,
}

/// Runs one authorised call against the tenant.
pub fn call(
    tenant: &mut TenantState,
    route: &Route,
    method: &Method,
    raw_body: &[u8],
    context: &CallContext<'_>,
) -> Result<Answer, ApiError> {
    if let Route::User { spec, params } = route {
        // Each per-user endpoint reads its own body (some ignore it).
        let call = UserCall::new(spec, params, context.query);
        return users_api::call(tenant, &call, raw_body, context);
    }
    let writes = *method != Method::GET && *method != Method::DELETE;
    let body = if writes {
        parse_body(raw_body)?
    } else {
        Value::Null
    };
    match route {
        Route::Table { spec, key, id } => {
            table_call(tenant, spec, key, id.as_deref(), method, &body, context)
        }
        Route::TemplateReset(id) => {
            tenant_phone_api::template(tenant, id, true, method, &body, context)
        }
        // Answered above.
        Route::User { .. } => Err(ApiError::not_found()),
    }
}

/// A resource of the table. The ones with an endpoint of their own are named here; every other
/// settings resource is kept generically by [`settings_api`].
fn table_call(
    tenant: &mut TenantState,
    spec: &'static ResourceSpec,
    key: &[String],
    id: Option<&str>,
    method: &Method,
    body: &Value,
    context: &CallContext<'_>,
) -> Result<Answer, ApiError> {
    let writes = *method != Method::GET && *method != Method::DELETE;
    let ok = |value: Value| Ok((StatusCode::OK, Some(value)));
    if std::ptr::eq(spec, &POLICIES) {
        if writes {
            body_schema::validate(&POLICIES_BODY, body)?;
            let policies: Vec<Policy> = from_value(body)?;
            if policies.contains(&Policy::ConfidenceScore) && !tenant.entitlements.adaptive_mfa {
                return Err(no_adaptive_mfa());
            }
            tenant.policies = policies;
        }
        return ok(to_value(&tenant.policies));
    }
    if std::ptr::eq(spec, &FACTORS) {
        let Some(name) = key.first() else {
            return ok(to_value(&tenant.factors));
        };
        let factor = Factor::parse(name).ok_or_else(ApiError::not_found)?;
        body_schema::validate(&ENABLED, body)?;
        let enabled = body["enabled"].as_bool().unwrap_or(false);
        tenant.factor_mut(factor).enabled = enabled;
        if factor == Factor::Sms && enabled {
            tenant.phone_factor_exists = true;
        }
        return ok(json!({ "enabled": enabled }));
    }
    if std::ptr::eq(spec, &PHONE_MESSAGE_TYPES) {
        return message_types(tenant, method, body);
    }
    if std::ptr::eq(spec, &TENANT_SETTINGS) {
        return mfa_settings_api::tenant_settings(tenant, method, body);
    }
    if std::ptr::eq(spec, &TENANT_PHONE_PROVIDER) {
        return match id {
            Some(id) => tenant_phone_api::provider(tenant, id, method, body, context),
            None => tenant_phone_api::providers(tenant, method, body, context),
        };
    }
    if std::ptr::eq(spec, &TENANT_PHONE_TEMPLATES) {
        return match id {
            Some(id) => tenant_phone_api::template(tenant, id, false, method, body, context),
            None => tenant_phone_api::templates(tenant, method, body, context),
        };
    }
    let address = Address::keyed(spec, key.iter().cloned()).to_string();
    settings_api::call(tenant, spec, &address, method, body)
}

/// `/guardian/factors/phone/message-types`.
fn message_types(
    tenant: &mut TenantState,
    method: &Method,
    body: &Value,
) -> Result<Answer, ApiError> {
    // Decision: following auth0-deploy-cli's handling of this code, a tenant without voice MFA
    // answers 403 `voice_mfa_not_allowed` on the whole endpoint.
    if !tenant.entitlements.voice {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "This endpoint is disabled for your tenant.",
            "voice_mfa_not_allowed",
        ));
    }
    let address = PHONE_MESSAGE_TYPES.address;
    if *method != Method::GET {
        body_schema::validate(&MESSAGE_TYPES, body)?;
        if !tenant.phone_factor_exists {
            return Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "The phone factor does not exist.",
                "factor_not_found",
            ));
        }
        let _: Vec<MessageType> = from_value(&body["message_types"])?;
        if let Value::Object(map) = body {
            tenant.settings.insert(address.to_string(), map.clone());
        }
        return Ok((StatusCode::OK, Some(body.clone())));
    }
    let stored = tenant.settings.get(address).cloned().unwrap_or_default();
    let types = stored.get("message_types").cloned().unwrap_or(json!([]));
    Ok((StatusCode::OK, Some(json!({ "message_types": types }))))
}

fn no_adaptive_mfa() -> ApiError {
    // Decision: wording is ours; the code is the one Auth0 uses for plan features.
    ApiError::new(
        StatusCode::FORBIDDEN,
        "Adaptive MFA (confidence-score) is not available on this tenant's plan.",
        "insufficient_entitlement",
    )
}

pub(super) fn parse_body(raw: &[u8]) -> Result<Value, ApiError> {
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

const POLICY_NAMES: &[&str] = &["all-applications", "confidence-score"];
const MESSAGE_TYPE_NAMES: &[&str] = &["sms", "voice"];
const POLICIES_BODY: Schema = Schema::Array {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routes::resolve;

    fn run(
        tenant: &mut TenantState,
        method: Method,
        path: &str,
        body: &str,
    ) -> Result<Answer, ApiError> {
        let route = resolve(&method, path).unwrap();
        let random = || "ticket".to_owned();
        let now = || "2026-01-01T00:00:00.000Z".to_owned();
        let context = CallContext {
            query: "",
            base_url: "http://h",
            random_id: &random,
            now: &now,
        };
        call(tenant, &route, &method, body.as_bytes(), &context)
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
    fn twilio_overwrites_and_duo_merges() {
        let mut tenant = TenantState::default();
        let twilio = "/guardian/factors/phone/providers/twilio";
        run(
            &mut tenant,
            Method::PUT,
            twilio,
            r#"{"sid":"AC1","from":"+1555"}"#,
        )
        .unwrap();
        run(&mut tenant, Method::PUT, twilio, r#"{"sid":"AC2"}"#).unwrap();
        let (_, read) = run(&mut tenant, Method::GET, twilio, "").unwrap();
        assert_eq!(read.unwrap()["from"], Value::Null);
        let duo = mfactl_core::resource::specs::DUO.write.path;
        run(&mut tenant, Method::PUT, duo, r#"{"ikey":"k","host":"h"}"#).unwrap();
        run(&mut tenant, Method::PUT, duo, r#"{"ikey":"k2"}"#).unwrap();
        let (_, read) = run(&mut tenant, Method::GET, duo, "").unwrap();
        assert_eq!(read.unwrap(), json!({"ikey": "k2", "host": "h"}));
    }

    #[test]
    fn merge_removes_nulls_and_overlays_values() {
        let mut tenant = TenantState::default();
        let sns = "/guardian/factors/push-notification/providers/sns";
        let first = r#"{"aws_access_key_id":"AK1","aws_region":"us-east-1","sns_gcm_platform_application_arn":"arn:g"}"#;
        run(&mut tenant, Method::PUT, sns, first).unwrap();
        let second = r#"{"aws_region":"eu-west-1","sns_gcm_platform_application_arn":null}"#;
        run(&mut tenant, Method::PUT, sns, second).unwrap();
        let (_, read) = run(&mut tenant, Method::GET, sns, "").unwrap();
        assert_eq!(
            read.unwrap(),
            json!({"aws_access_key_id": "AK1", "aws_region": "eu-west-1"})
        );
    }

    #[test]
    fn prompt_texts_are_replaced_whole_and_read_empty_until_set() {
        let mut tenant = TenantState::default();
        let path = "/prompts/mfa-sms/custom-text/en";
        let (_, read) = run(&mut tenant, Method::GET, path, "").unwrap();
        assert_eq!(read.unwrap(), json!({}));
        let body = r#"{"mfa-sms-enrollment":{"title":"Hi"}}"#;
        let (_, answer) = run(&mut tenant, Method::PUT, path, body).unwrap();
        assert_eq!(
            answer.unwrap(),
            json!({"mfa-sms-enrollment": {"title": "Hi"}})
        );
        run(
            &mut tenant,
            Method::PUT,
            path,
            r#"{"mfa-sms-challenge":{"title":"Yo"}}"#,
        )
        .unwrap();
        let (_, read) = run(&mut tenant, Method::GET, path, "").unwrap();
        assert_eq!(read.unwrap(), json!({"mfa-sms-challenge": {"title": "Yo"}}));
        let err = run(&mut tenant, Method::PUT, path, r#"{"s":{"t":1}}"#).unwrap_err();
        assert_eq!(err.status, StatusCode::BAD_REQUEST);
    }
}
