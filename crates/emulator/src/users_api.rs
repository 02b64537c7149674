//! The emulated per-user endpoints of the resource table
//! ([`mfactl_core::resource::registry::USER_ENDPOINTS`], routed by [`super::routes`]): users,
//! their authentication methods, Guardian enrollments and tickets, recovery codes, remembered
//! browsers and legacy MFA providers.
//!
//! Answers follow the recorded traffic (`tests/fixtures/recordings/user-mfa-interactions.jsonl`
//! and its README): key order; phone numbers and emails masked in reads and in the POST/PATCH
//! answers, in clear in the PUT answer; `confirmed` only in reads; the list envelope whose
//! `total` is absent when the list is empty; ids `<type>|dev_<16 chars>`; `created_at` with
//! milliseconds; a 24-character recovery code; `…/mfa/enrollment?ticket=<id>` ticket URLs; 404
//! `enrollment_not_found`. Answers no recording shows are marked `Unrecorded [Un]` below and
//! listed, with their source (Auth0's OpenAPI, `user-mfa-openapi-excerpt.json`) or the decision
//! taken, in `crates/emulator/tests/emulator/unrecorded_answers.md`.

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use super::api_error::ApiError;
use super::body_schema::{self, Schema, TEXT};
use super::management_api::{Answer, CallContext, parse_body};
use super::tenant::TenantState;
use super::users_state::{EmulatedUser, Sources, StoredMethod, new_profile};
use mfactl_core::resource::specs::user_methods::METHODS_COLLECTION;
use mfactl_core::resource::{EndpointSpec, UserEndpoint as Endpoint, decode};
use mfactl_core::users::checks::check_phone;
use mfactl_core::users::masking::{looks_like_email, mask_email, mask_phone};
use mfactl_core::users::method::{
    CREATABLE_TYPES, MULTIFACTOR_PROVIDERS, PhonePreference, REPLACEABLE_TYPES, TICKET_FACTORS,
    required_fields,
};

/// A request for one of the per-user endpoints: the endpoint, its decoded path parameters in
/// template order, and its decoded query.
#[derive(Debug, Clone)]
pub struct UserCall<'r> {
    spec: &'static EndpointSpec,
    params: &'r [String],
    query: Vec<(String, String)>,
}

impl<'r> UserCall<'r> {
    /// A call of `spec` with the path's parameters and the raw query string (`""` when none).
    pub fn new(spec: &'static EndpointSpec, params: &'r [String], query: &str) -> Self {
        let query = query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| match pair.split_once('=') {
                Some((key, value)) => (decode(key), decode(&value.replace('+', " "))),
                None => (decode(pair), String::new()),
            })
            .collect();
        UserCall {
            spec,
            params,
            query,
        }
    }

    fn param(&self, index: usize) -> &str {
        self.params.get(index).map_or("", String::as_str)
    }

    fn query(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Runs one authorised call.
pub fn call(
    tenant: &mut TenantState,
    request: &UserCall<'_>,
    raw_body: &[u8],
    context: &CallContext<'_>,
) -> Result<Answer, ApiError> {
    let sources = Sources {
        random: context.random_id,
        now: context.now,
    };
    let user_id = request.param(0);
    match request.spec.endpoint {
        Endpoint::CreateUser => create_user(tenant, &parse_body(raw_body)?, &sources),
        Endpoint::GetUser => {
            // Unrecorded [U19]: the user as `POST /users` answered it.
            let user = find_user(tenant, user_id)?;
            ok(Value::Object(user.profile.clone()))
        }
        Endpoint::DeleteUser => {
            // Unrecorded [U17]: deleting a user that does not exist also answers 204.
            tenant.users.retain(|u| u.user_id() != user_id);
            tenant
                .enrollments
                .retain(|e| e.get("user_id").and_then(Value::as_str) != Some(user_id));
            no_content()
        }
        Endpoint::UsersByEmail => {
            let Some(email) = request.query("email").filter(|e| !e.is_empty()) else {
                // Unrecorded [U18]: the query parameter is required.
                return Err(invalid_query("Missing required query parameter: email"));
            };
            // Unrecorded [U18]: every user with the address, in any connection.
            let found: Vec<Value> = tenant
                .users
                .iter()
                .filter(|u| u.email().is_some_and(|e| e.eq_ignore_ascii_case(email)))
                .map(|u| Value::Object(u.profile.clone()))
                .collect();
            ok(Value::Array(found))
        }
        Endpoint::ListMethods => list_methods(find_user(tenant, user_id)?, request),
        Endpoint::GetMethod => {
            let user = find_user(tenant, user_id)?;
            let method = find_method(user, request.param(1))?;
            ok(read_view(method))
        }
        Endpoint::CreateMethod => {
            let body = parse_body(raw_body)?;
            let user = find_user_mut(tenant, user_id)?;
            create_method(user, &body, &sources)
        }
        Endpoint::ReplaceMethods => {
            let body = parse_body(raw_body)?;
            let user = find_user_mut(tenant, user_id)?;
            replace_methods(user, &body, &sources)
        }
        Endpoint::DeleteMethods => {
            let user = find_user_mut(tenant, user_id)?;
            user.authentication_methods.clear();
            no_content()
        }
        Endpoint::UpdateMethod => {
            let body = parse_body(raw_body)?;
            let user = find_user_mut(tenant, user_id)?;
            update_method(user, request.param(1), &body)
        }
        Endpoint::DeleteMethod => {
            let user = find_user_mut(tenant, user_id)?;
            let method_id = request.param(1);
            find_method(user, method_id)?;
            user.authentication_methods.retain(|m| m.id != method_id);
            no_content()
        }
        Endpoint::ListUserEnrollments => {
            let user = find_user(tenant, user_id)?;
            let mut list: Vec<Value> = user
                .authentication_methods
                .iter()
                .filter_map(|m| enrollment_view(m, true))
                .collect();
            list.extend(
                tenant
                    .enrollments
                    .iter()
                    .filter(|e| e.get("user_id").and_then(Value::as_str) == Some(user_id))
                    .map(stored_enrollment_view),
            );
            ok(Value::Array(list))
        }
        Endpoint::RegenerateRecoveryCode => {
            let user = find_user_mut(tenant, user_id)?;
            // Recorded: 24 upper-case letters and digits, even for a user without MFA.
            let code = sources.chars(24).to_ascii_uppercase();
            user.recovery_code = Some(code.clone());
            ok(json!({ "recovery_code": code }))
        }
        Endpoint::InvalidateRememberBrowser => {
            let user = find_user_mut(tenant, user_id)?;
            user.remember_browser_invalidations += 1;
            no_content()
        }
        Endpoint::DeleteMultifactorProvider => {
            let provider = request.param(1);
            if !MULTIFACTOR_PROVIDERS.contains(&provider) {
                // Unrecorded [U15]: the path parameter is an enum in the OpenAPI.
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    format!(
                        "Path validation error: 'No enum match for: \"{provider}\"' on property provider (expected one of: {})",
                        MULTIFACTOR_PROVIDERS.join(", ")
                    ),
                    "invalid_uri",
                ));
            }
            let user = find_user_mut(tenant, user_id)?;
            // Recorded: 204 even when the user never enrolled with the provider.
            if let Some(Value::Array(list)) = user.profile.get_mut("multifactor") {
                list.retain(|p| p.as_str() != Some(provider));
            }
            no_content()
        }
        Endpoint::CreateEnrollmentTicket => {
            let body = parse_body(raw_body)?;
            body_schema::validate(&TICKET, &body)?;
            let ticket_user = body["user_id"].as_str().unwrap_or("");
            // Unrecorded [U1]: the OpenAPI's 404 "User not found".
            find_user(tenant, ticket_user)?;
            let ticket_id = sources.chars(32);
            let ticket_url = format!(
                "{}/mfa/enrollment?ticket={ticket_id}",
                context.base_url.trim_end_matches('/')
            );
            ok(json!({ "ticket_id": ticket_id, "ticket_url": ticket_url }))
        }
        Endpoint::GetEnrollment => {
            let id = request.param(0);
            if let Some(method) = enrollment_method(tenant, id) {
                return ok(enrollment_view(method, false).unwrap_or(Value::Null));
            }
            let stored = tenant
                .enrollments
                .iter()
                .find(|e| e.get("id").and_then(Value::as_str) == Some(id))
                .ok_or_else(enrollment_not_found)?;
            let mut view = stored_enrollment_view(stored);
            if let Some(map) = view.as_object_mut() {
                map.remove("type");
                map.remove("auth_method");
            }
            ok(view)
        }
        Endpoint::DeleteEnrollment => {
            let id = request.param(0).to_owned();
            // Unrecorded [U14]: deleting a method's enrollment deletes the method.
            let mut found = false;
            for user in &mut tenant.users {
                let before = user.authentication_methods.len();
                user.authentication_methods
                    .retain(|m| !(is_guardian_method(m) && m.device_id() == id));
                found |= user.authentication_methods.len() != before;
            }
            let before = tenant.enrollments.len();
            tenant
                .enrollments
                .retain(|e| e.get("id").and_then(Value::as_str) != Some(id.as_str()));
            found |= tenant.enrollments.len() != before;
            if found {
                no_content()
            } else {
                Err(enrollment_not_found())
            }
        }
    }
}

fn ok(value: Value) -> Result<Answer, ApiError> {
    Ok((StatusCode::OK, Some(value)))
}

fn no_content() -> Result<Answer, ApiError> {
    Ok((StatusCode::NO_CONTENT, None))
}

/// Recorded for unknown enrollments (GET and DELETE).
fn enrollment_not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "Enrollment not found",
        "enrollment_not_found",
    )
}

/// The 404 for an unknown user, on every per-user endpoint.
pub fn user_not_found() -> ApiError {
    // Unrecorded [U1]: the OpenAPI's 404 "The user does not exist.".
    ApiError::new(
        StatusCode::NOT_FOUND,
        "The user does not exist.",
        "inexistent_user",
    )
}

/// The 404 for an unknown method of a known user.
pub fn method_not_found() -> ApiError {
    // Unrecorded [U2]: the OpenAPI documents only the user's 404; wording and code are ours.
    ApiError::new(
        StatusCode::NOT_FOUND,
        "The authentication method does not exist.",
        "inexistent_authentication_method",
    )
}

fn invalid_query(detail: &str) -> ApiError {
    // Unrecorded [U10]: the OpenAPI's 400 "Invalid request URI"; wording is ours.
    ApiError::new(
        StatusCode::BAD_REQUEST,
        format!("Query validation error: '{detail}'."),
        "invalid_query_string",
    )
}

fn find_user<'t>(tenant: &'t TenantState, user_id: &str) -> Result<&'t EmulatedUser, ApiError> {
    tenant
        .users
        .iter()
        .find(|u| u.user_id() == user_id)
        .ok_or_else(user_not_found)
}

fn find_user_mut<'t>(
    tenant: &'t mut TenantState,
    user_id: &str,
) -> Result<&'t mut EmulatedUser, ApiError> {
    tenant
        .users
        .iter_mut()
        .find(|u| u.user_id() == user_id)
        .ok_or_else(user_not_found)
}

fn find_method<'u>(user: &'u EmulatedUser, method_id: &str) -> Result<&'u StoredMethod, ApiError> {
    user.authentication_methods
        .iter()
        .find(|m| m.id == method_id)
        .ok_or_else(method_not_found)
}

fn create_user(
    tenant: &mut TenantState,
    body: &Value,
    sources: &Sources<'_>,
) -> Result<Answer, ApiError> {
    body_schema::validate(&CREATE_USER, body)?;
    let Value::Object(map) = body else {
        return Err(ApiError::invalid_body("'Expected type object'."));
    };
    let connection = map.get("connection").and_then(Value::as_str).unwrap_or("");
    let email = map.get("email").and_then(Value::as_str);
    let taken = tenant.users.iter().any(|u| {
        email.is_some_and(|e| u.email().is_some_and(|x| x.eq_ignore_ascii_case(e)))
            && u.profile
                .get("identities")
                .and_then(|i| i.pointer("/0/connection"))
                .and_then(Value::as_str)
                == Some(connection)
    });
    if taken {
        // Unrecorded [U16]: Auth0's answer for an email already used in the connection.
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "The user already exists.",
            "auth0_idp_error",
        ));
    }
    let profile = new_profile(map, sources);
    let answer = Value::Object(profile.clone());
    tenant.users.push(EmulatedUser {
        profile,
        ..EmulatedUser::default()
    });
    Ok((StatusCode::CREATED, Some(answer)))
}

/// Whether a method is also a Guardian enrollment. Unrecorded [U14]: phone and TOTP methods
/// are (their ids share the `dev_…` part, as `phone|dev_X` and `sms|dev_X` do in the
/// recordings); email and WebAuthn methods are not.
fn is_guardian_method(method: &StoredMethod) -> bool {
    matches!(method.kind.as_str(), "phone" | "totp")
}

/// The method whose Guardian enrollment has this id.
fn enrollment_method<'t>(tenant: &'t TenantState, id: &str) -> Option<&'t StoredMethod> {
    tenant
        .users
        .iter()
        .flat_map(|u| &u.authentication_methods)
        .find(|m| is_guardian_method(m) && m.device_id() == id)
}

/// A method's Guardian enrollment: the `UsersEnrollment` shape in a user's list
/// (`with_type`), the `GetGuardianEnrollmentResponseContent` shape by id. Unrecorded [U14]
/// (the OpenAPI's key order; `type`/`auth_method` `sms` for phones, `authenticator` for TOTP).
fn enrollment_view(method: &StoredMethod, with_type: bool) -> Option<Value> {
    let kind = match method.kind.as_str() {
        "phone" => "sms",
        "totp" => "authenticator",
        _ => return None,
    };
    let mut view = Map::new();
    view.insert("id".into(), json!(method.device_id()));
    view.insert(
        "status".into(),
        json!(if method.confirmed {
            "confirmed"
        } else {
            "pending"
        }),
    );
    if with_type {
        view.insert("type".into(), json!(kind));
    }
    if let Some(name) = &method.name {
        view.insert("name".into(), json!(name));
    }
    if let Some(phone) = &method.phone_number {
        view.insert("phone_number".into(), json!(mask_phone(phone)));
    }
    if with_type {
        view.insert("auth_method".into(), json!(kind));
    }
    view.insert("enrolled_at".into(), json!(method.created_at));
    Some(Value::Object(view))
}

/// A seeded enrollment as answered: without its `user_id`, the phone number masked.
fn stored_enrollment_view(stored: &Value) -> Value {
    let mut view = stored.clone();
    if let Some(map) = view.as_object_mut() {
        map.remove("user_id");
        if let Some(Value::String(phone)) = map.get("phone_number") {
            let masked = mask_phone(phone);
            map.insert("phone_number".into(), json!(masked));
        }
    }
    view
}

/// The personal-data field a method reaches, masked or in clear. Unrecorded [U20]: local
/// parts longer than eight characters (see [`mfactl_core::users::masking`]).
fn insert_reach(view: &mut Map<String, Value>, method: &StoredMethod, masked: bool) {
    if let Some(email) = &method.email {
        let value = if masked {
            mask_email(email)
        } else {
            email.clone()
        };
        view.insert("email".into(), json!(value));
    }
    if let Some(phone) = &method.phone_number {
        let value = if masked {
            mask_phone(phone)
        } else {
            phone.clone()
        };
        view.insert("phone_number".into(), json!(value));
    }
}

/// `authentication_methods` of a phone method: `[{id: "<preferred>|dev_X", type: preferred}]`
/// (recorded for `sms`; Unrecorded [U12] for `voice`).
fn sub_methods(method: &StoredMethod) -> Value {
    let preferred = method.preferred();
    json!([{ "id": format!("{preferred}|{}", method.device_id()), "type": preferred }])
}

/// The read shape (GET one, list items), as recorded: `id, type, confirmed, name, email |
/// phone_number (masked), created_at`, then `preferred_authentication_method` and
/// `authentication_methods` for phones. WebAuthn keys: Unrecorded [U8].
fn read_view(method: &StoredMethod) -> Value {
    let mut view = Map::new();
    view.insert("id".into(), json!(method.id));
    view.insert("type".into(), json!(method.kind));
    view.insert("confirmed".into(), json!(method.confirmed));
    if let Some(name) = &method.name {
        view.insert("name".into(), json!(name));
    }
    insert_reach(&mut view, method, true);
    if let Some(key_id) = &method.key_id {
        view.insert("key_id".into(), json!(key_id));
    }
    if let Some(public_key) = &method.public_key {
        view.insert("public_key".into(), json!(public_key));
    }
    view.insert("created_at".into(), json!(method.created_at));
    if method.kind == "phone" {
        view.insert(
            "preferred_authentication_method".into(),
            json!(method.preferred()),
        );
        view.insert("authentication_methods".into(), sub_methods(method));
    }
    if let Some(rp) = &method.relying_party_identifier {
        view.insert("relying_party_identifier".into(), json!(rp));
    }
    Value::Object(view)
}

/// The POST and PATCH answer, as recorded for email: `type, name, created_at, email (masked),
/// id`, no `confirmed`. Phones, TOTP and WebAuthn keys: Unrecorded [U8] (the order of the
/// docs' examples: phones add `preferred_authentication_method` before `id` and
/// `authentication_methods` after it).
fn write_view(method: &StoredMethod) -> Value {
    let mut view = Map::new();
    view.insert("type".into(), json!(method.kind));
    if let Some(name) = &method.name {
        view.insert("name".into(), json!(name));
    }
    if let Some(rp) = &method.relying_party_identifier {
        view.insert("relying_party_identifier".into(), json!(rp));
    }
    if let Some(key_id) = &method.key_id {
        view.insert("key_id".into(), json!(key_id));
    }
    if let Some(public_key) = &method.public_key {
        view.insert("public_key".into(), json!(public_key));
    }
    view.insert("created_at".into(), json!(method.created_at));
    insert_reach(&mut view, method, true);
    if method.kind == "phone" {
        view.insert(
            "preferred_authentication_method".into(),
            json!(method.preferred()),
        );
    }
    view.insert("id".into(), json!(method.id));
    if method.kind == "phone" {
        view.insert("authentication_methods".into(), sub_methods(method));
    }
    Value::Object(view)
}

/// The PUT answer item, as recorded: `id, type, name, email | phone_number (in clear),
/// created_at`, then the phone's `preferred_authentication_method` and
/// `authentication_methods`; a TOTP item never echoes its secret.
fn replace_view(method: &StoredMethod) -> Value {
    let mut view = Map::new();
    view.insert("id".into(), json!(method.id));
    view.insert("type".into(), json!(method.kind));
    if let Some(name) = &method.name {
        view.insert("name".into(), json!(name));
    }
    insert_reach(&mut view, method, false);
    view.insert("created_at".into(), json!(method.created_at));
    if method.kind == "phone" {
        view.insert(
            "preferred_authentication_method".into(),
            json!(method.preferred()),
        );
        view.insert("authentication_methods".into(), sub_methods(method));
    }
    Value::Object(view)
}

/// List order: by `created_at`; methods created in the same millisecond in the type order
/// email, totp, phone, then the rest. Recorded once (the list after the PUT lists email
/// (…098Z), totp and phone (both …099Z)); the tie rule is Unrecorded [U9].
fn listed(user: &EmulatedUser) -> Vec<&StoredMethod> {
    let rank = |kind: &str| match kind {
        "email" => 0,
        "totp" => 1,
        "phone" => 2,
        _ => 3,
    };
    let mut methods: Vec<&StoredMethod> = user.authentication_methods.iter().collect();
    methods.sort_by(|a, b| {
        a.created_at
            .cmp(&b.created_at)
            .then(rank(&a.kind).cmp(&rank(&b.kind)))
    });
    methods
}

fn list_methods(user: &EmulatedUser, request: &UserCall<'_>) -> Result<Answer, ApiError> {
    let number = |key: &str, default: u64, max: u64| -> Result<u64, ApiError> {
        match request.query(key) {
            None | Some("") => Ok(default),
            Some(text) => match text.parse::<u64>() {
                Ok(n) if n <= max => Ok(n),
                _ => Err(invalid_query(&format!(
                    "{key} must be an integer from 0 to {max}"
                ))),
            },
        }
    };
    let include_totals = match request.query("include_totals") {
        None | Some("" | "false") => false,
        Some("true") => true,
        Some(_) => return Err(invalid_query("include_totals must be true or false")),
    };
    // Unrecorded [U9]: paging without per_page, and the bare-array form without
    // include_totals (the OpenAPI's oneOf), are not recorded; 50 per page is our default.
    let page = number("page", 0, u64::from(u32::MAX))?;
    let per_page = number("per_page", 50, 100)?;
    let all = listed(user);
    let start = page.saturating_mul(per_page);
    let items: Vec<Value> = all
        .iter()
        .skip(usize::try_from(start).unwrap_or(usize::MAX))
        .take(usize::try_from(per_page).unwrap_or(usize::MAX))
        .map(|m| read_view(m))
        .collect();
    if !include_totals {
        return ok(Value::Array(items));
    }
    let mut envelope = Map::new();
    envelope.insert("authenticators".into(), Value::Array(items));
    if !all.is_empty() {
        // Recorded: `total` is absent when the list is empty.
        envelope.insert("total".into(), json!(all.len()));
    }
    envelope.insert("start".into(), json!(start));
    envelope.insert("limit".into(), json!(per_page));
    ok(Value::Object(envelope))
}

/// Checks a new method's fields beyond the schema. Unrecorded [U3], [U4], [U5], [U7].
fn check_new_method(body: &Value, allowed_types: &[&str], at: &str) -> Result<(), ApiError> {
    let property = |name: &str| {
        if at.is_empty() {
            name.to_owned()
        } else {
            format!("{at}.{name}")
        }
    };
    let kind = body["type"].as_str().unwrap_or("");
    if !allowed_types.contains(&kind) {
        // Unrecorded [U4].
        return Err(ApiError::invalid_body(format!(
            "'No enum match for: \"{kind}\" (expected one of: {})' on property {}.",
            allowed_types.join(", "),
            property("type")
        )));
    }
    if kind == "passkey" {
        // Unrecorded [U21].
        return Err(ApiError::invalid_body(
            "'Creating passkeys is not emulated' on property type.",
        ));
    }
    for field in required_fields(kind) {
        if body.get(*field).is_none() {
            // Unrecorded [U5].
            return Err(ApiError::invalid_body(format!(
                "'Missing required property: {field}' for type {kind}."
            )));
        }
    }
    if let Some(phone) = body.get("phone_number").and_then(Value::as_str)
        && check_phone(phone).is_err()
    {
        // Unrecorded [U3]: the value is never echoed.
        return Err(ApiError::invalid_body(format!(
            "'Phone number must be in E.164 format: + then 7 to 15 digits' on property {}.",
            property("phone_number")
        )));
    }
    if let Some(email) = body.get("email").and_then(Value::as_str)
        && !looks_like_email(email)
    {
        // Unrecorded [U7].
        return Err(ApiError::invalid_body(format!(
            "'Invalid email address' on property {}.",
            property("email")
        )));
    }
    if let Some(secret) = body.get("totp_secret").and_then(Value::as_str)
        && !is_base32(secret)
    {
        // Unrecorded [U7]: the OpenAPI says base32; the value is never echoed.
        return Err(ApiError::invalid_body(format!(
            "'The TOTP secret must be base32 (A-Z, 2-7)' on property {}.",
            property("totp_secret")
        )));
    }
    Ok(())
}

fn is_base32(secret: &str) -> bool {
    let core = secret.trim_end_matches('=');
    !core.is_empty()
        && core
            .chars()
            .all(|c| c.is_ascii_alphabetic() || ('2'..='7').contains(&c))
}

/// The method a POST or PUT item creates, `created_at` = `now`.
fn stored_from(body: &Value, sources: &Sources<'_>, now: &str) -> StoredMethod {
    let text = |key: &str| body.get(key).and_then(Value::as_str).map(str::to_owned);
    let kind = text("type").unwrap_or_default();
    let preferred = if kind == "phone" {
        Some(text("preferred_authentication_method").unwrap_or_else(|| "sms".into()))
    } else {
        None
    };
    StoredMethod {
        id: format!("{kind}|{}", sources.device_id()),
        kind,
        confirmed: true,
        name: text("name"),
        phone_number: text("phone_number"),
        email: text("email"),
        totp_secret: text("totp_secret"),
        preferred_authentication_method: preferred,
        key_id: text("key_id"),
        public_key: text("public_key"),
        relying_party_identifier: text("relying_party_identifier"),
        created_at: now.to_owned(),
    }
}

/// Whether two methods reach the same thing. Unrecorded [U6]: the OpenAPI's 409 "Authentication
/// method already exists"; a user has at most one method of the types the table says a user
/// holds once (TOTP).
fn same_method(a: &StoredMethod, b: &StoredMethod) -> bool {
    a.kind == b.kind
        && match a.kind.as_str() {
            kind if METHODS_COLLECTION.single.contains(&kind) => true,
            "phone" => a.phone_number == b.phone_number,
            "email" => a
                .email
                .as_deref()
                .zip(b.email.as_deref())
                .is_some_and(|(x, y)| x.eq_ignore_ascii_case(y)),
            _ => a.key_id == b.key_id,
        }
}

fn already_exists() -> ApiError {
    // Unrecorded [U6].
    ApiError::new(
        StatusCode::CONFLICT,
        "Authentication method already exists.",
        "already_exists",
    )
}

fn create_method(
    user: &mut EmulatedUser,
    body: &Value,
    sources: &Sources<'_>,
) -> Result<Answer, ApiError> {
    body_schema::validate(&CREATE_METHOD, body)?;
    check_new_method(body, CREATABLE_TYPES, "")?;
    let method = stored_from(body, sources, &(sources.now)());
    if user
        .authentication_methods
        .iter()
        .any(|m| same_method(m, &method))
    {
        return Err(already_exists());
    }
    let answer = write_view(&method);
    user.authentication_methods.push(method);
    // Recorded: 201, the email already masked.
    Ok((StatusCode::CREATED, Some(answer)))
}

fn replace_methods(
    user: &mut EmulatedUser,
    body: &Value,
    sources: &Sources<'_>,
) -> Result<Answer, ApiError> {
    body_schema::validate(&REPLACE_METHODS, body)?;
    let items = body.as_array().cloned().unwrap_or_default();
    let mut created: Vec<StoredMethod> = Vec::new();
    // One time for the whole request: the recording's three methods are 1 ms apart at most
    // (email …098Z, totp and phone …099Z), and one time keeps the list order (the tie rule of
    // `listed`) the same however long the request takes.
    let now = (sources.now)();
    for (index, item) in items.iter().enumerate() {
        check_new_method(item, REPLACEABLE_TYPES, &format!("[{index}]"))?;
        let method = stored_from(item, sources, &now);
        if created.iter().any(|m| same_method(m, &method)) {
            return Err(already_exists());
        }
        created.push(method);
    }
    // Unrecorded [U11]: the recording replaced an empty list; existing methods are dropped.
    let answer: Vec<Value> = created.iter().map(replace_view).collect();
    user.authentication_methods = created;
    // Recorded: 200 (not 201), request order, values in clear.
    ok(Value::Array(answer))
}

fn update_method(
    user: &mut EmulatedUser,
    method_id: &str,
    body: &Value,
) -> Result<Answer, ApiError> {
    body_schema::validate(&UPDATE_METHOD, body)?;
    let method = user
        .authentication_methods
        .iter_mut()
        .find(|m| m.id == method_id)
        .ok_or_else(method_not_found)?;
    if let Some(preferred) = body
        .get("preferred_authentication_method")
        .and_then(Value::as_str)
    {
        if method.kind != "phone" {
            // Unrecorded [U13].
            return Err(ApiError::invalid_body(
                "'preferred_authentication_method applies to phone methods only' on property preferred_authentication_method.",
            ));
        }
        method.preferred_authentication_method = Some(preferred.to_owned());
    }
    if let Some(name) = body.get("name").and_then(Value::as_str) {
        method.name = Some(name.to_owned());
    }
    // Recorded: 200 with the POST's shape (no `confirmed`), `created_at` unchanged.
    ok(write_view(method))
}

const NAME_20: Schema = Schema::Text {
    nullable: false,
    min: 1,
    max: 20,
    pattern: None,
};

const PHONE_NUMBER: Schema = Schema::Text {
    nullable: false,
    min: 2,
    max: 30,
    pattern: None,
};

const LONG_TEXT: Schema = Schema::Text {
    nullable: false,
    min: 1,
    max: 100_000,
    pattern: None,
};

/// `CreateUserAuthenticationMethodRequestContent`.
const CREATE_METHOD: Schema = Schema::Object {
    properties: &[
        ("type", TEXT),
        ("name", TEXT),
        ("totp_secret", TEXT),
        ("phone_number", PHONE_NUMBER),
        ("email", TEXT),
        (
            "preferred_authentication_method",
            Schema::OneOf(PhonePreference::NAMES),
        ),
        ("key_id", TEXT),
        ("public_key", LONG_TEXT),
        ("aaguid", TEXT),
        ("relying_party_identifier", TEXT),
        (
            "credential_device_type",
            Schema::OneOf(&["single_device", "multi_device"]),
        ),
        ("credential_backed_up", Schema::Bool),
        ("identity_user_id", TEXT),
        ("user_agent", TEXT),
        ("user_handle", TEXT),
        (
            "transports",
            Schema::Array {
                items: &TEXT,
                unique: false,
                min_items: 0,
            },
        ),
    ],
    required: &["type"],
};

/// `SetUserAuthenticationMethodsRequestContent`: an array of `SetUserAuthenticationMethods`.
const REPLACE_METHODS: Schema = Schema::Array {
    items: &Schema::Object {
        properties: &[
            ("type", TEXT),
            (
                "preferred_authentication_method",
                Schema::OneOf(PhonePreference::NAMES),
            ),
            ("name", NAME_20),
            ("phone_number", PHONE_NUMBER),
            ("email", TEXT),
            ("totp_secret", TEXT),
        ],
        required: &["type"],
    },
    unique: false,
    min_items: 0,
};

/// `UpdateUserAuthenticationMethodRequestContent`.
const UPDATE_METHOD: Schema = Schema::Object {
    properties: &[
        ("name", TEXT),
        (
            "preferred_authentication_method",
            Schema::OneOf(PhonePreference::NAMES),
        ),
    ],
    required: &[],
};

/// `CreateGuardianEnrollmentTicketRequestContent`.
const TICKET: Schema = Schema::Object {
    properties: &[
        ("user_id", TEXT),
        ("email", TEXT),
        ("send_mail", Schema::Bool),
        ("email_locale", TEXT),
        ("factor", Schema::OneOf(TICKET_FACTORS)),
        ("allow_multiple_enrollments", Schema::Bool),
    ],
    required: &["user_id"],
};

/// `POST /users`: the fields the recorded requests send. Unrecorded [U16]: `connection` is
/// required.
const CREATE_USER: Schema = Schema::Object {
    properties: &[
        ("connection", TEXT),
        ("email", TEXT),
        ("phone_number", TEXT),
        ("user_id", TEXT),
        ("given_name", TEXT),
        ("family_name", TEXT),
        ("name", TEXT),
        ("nickname", TEXT),
        ("picture", TEXT),
        ("username", TEXT),
        ("password", TEXT),
        ("verify_email", Schema::Bool),
        ("email_verified", Schema::Bool),
        ("phone_verified", Schema::Bool),
        ("blocked", Schema::Bool),
        ("user_metadata", Schema::Any),
        ("app_metadata", Schema::Any),
    ],
    required: &["connection"],
};
