//! Which resource a request names, and the scope it needs, from the resource table.
//!
//! Every settings resource's GET and write routes and scopes are the client's: the emulator
//! matches a request against each [`ResourceSpec`]'s read and write paths (filling `{key}`,
//! `{prompt}` and `{language}`, and `/{id}` for resources addressed by id). The per-user
//! endpoints (users' authentication methods, Guardian enrollments and tickets, …) are the
//! table's [`USER_ENDPOINTS`], matched by method and path. What the emulator adds on its own:
//! the deprecated `/guardian/factors/sms/…` twins of the phone endpoints, the prompts outside MFA
//! (the API serves custom texts for every prompt), deleting Tenant Phone Settings records and
//! resetting a template.

use axum::http::Method;

use mfactl_core::request::HttpMethod;
use mfactl_core::resource::registry::{self, USER_ENDPOINTS};
use mfactl_core::resource::specs::prompt_texts::LANGUAGES;
use mfactl_core::resource::{EndpointSpec, Keys, RESOURCES, ResourceSpec};

/// What a request under `/api/v2` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// A resource of the table: its spec, the key its path holds (a factor name; a prompt and a
    /// language), and the record id of a resource addressed by id.
    Table {
        spec: &'static ResourceSpec,
        key: Vec<String>,
        id: Option<String>,
    },
    /// A per-user endpoint of the table, with its decoded path parameters in order (a user id,
    /// a method id, an enrollment id, a provider).
    User {
        spec: &'static EndpointSpec,
        params: Vec<String>,
    },
    /// `PATCH /branding/phone/templates/{id}/reset`.
    TemplateReset(String),
}

/// Every prompt whose texts the API customises (node-auth0's `PutCustomTextByLanguagePromptEnum`);
/// mfactl manages only the MFA ones.
const ALL_PROMPTS: &[&str] = &[
    "login",
    "login-id",
    "login-password",
    "login-passwordless",
    "login-email-verification",
    "signup",
    "signup-id",
    "signup-password",
    "reset-password",
    "consent",
    "logout",
    "mfa-push",
    "mfa-otp",
    "mfa-voice",
    "mfa-phone",
    "mfa-webauthn",
    "mfa-sms",
    "mfa-email",
    "mfa-recovery-code",
    "mfa",
    "status",
    "device-flow",
    "email-verification",
    "email-otp-challenge",
    "organizations",
    "invitation",
    "common",
];

/// The deprecated twins of the phone endpoints: `/guardian/factors/sms/…` answers as
/// `/guardian/factors/phone/…`.
fn canonical(path: &str) -> String {
    match path.strip_prefix("/guardian/factors/sms/") {
        Some(rest) => format!("/guardian/factors/phone/{rest}"),
        None => path.to_string(),
    }
}

/// Whether `key` names a resource of `spec` the API serves.
fn valid_key(spec: &ResourceSpec, key: &[String]) -> bool {
    match (spec.keys, key) {
        (Keys::Single, []) => true,
        (Keys::Fixed(info), [name]) => info.rank(name).is_some(),
        (Keys::PromptLanguage { .. }, [prompt, language]) => {
            ALL_PROMPTS.contains(&prompt.as_str()) && LANGUAGES.rank(language).is_some()
        }
        _ => false,
    }
}

/// Resolves a path relative to `/api/v2` for `method`.
pub fn resolve(method: &Method, path: &str) -> Option<Route> {
    if let Some((spec, params)) = http_method(method).and_then(|m| registry::user_endpoint(m, path))
    {
        return Some(Route::User { spec, params });
    }
    let path = canonical(path);
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match segments.as_slice() {
        ["branding", "phone", "templates", id, "reset"] if !id.is_empty() => {
            return Some(Route::TemplateReset((*id).to_string()));
        }
        _ => {}
    }
    registry::route(&path, *method == Method::GET, &valid_key).map(|r| Route::Table {
        spec: r.spec,
        key: r.key,
        id: r.id,
    })
}

/// The scope a method on this route needs; `None` when the method is not served there.
pub fn scope(route: &Route, method: &Method) -> Option<&'static str> {
    match route {
        Route::Table { spec, key, id } => table_scope(spec, key, id.is_some(), method),
        Route::User { spec, .. } => {
            (http_method(method) == Some(spec.method)).then_some(spec.scope)
        }
        Route::TemplateReset(_) => (*method == Method::PATCH).then_some("update:phone_templates"),
    }
}

/// The table's spelling of an HTTP method; `None` for methods the API does not serve.
fn http_method(method: &Method) -> Option<HttpMethod> {
    Some(match method.as_str() {
        "GET" => HttpMethod::Get,
        "POST" => HttpMethod::Post,
        "PUT" => HttpMethod::Put,
        "PATCH" => HttpMethod::Patch,
        "DELETE" => HttpMethod::Delete,
        _ => return None,
    })
}

fn table_scope(
    spec: &ResourceSpec,
    key: &[String],
    by_id: bool,
    method: &Method,
) -> Option<&'static str> {
    let write = spec.write;
    match (method.as_str(), by_id, write.by_id) {
        ("GET", _, _) => spec.read.map(|r| r.scope),
        ("PATCH", true, Some(b)) => Some(b.update_scope),
        // Decision: deleting a record needs the `delete:` scope of its kind, named as Auth0
        // names the others (`update:phone_providers` → `delete:phone_providers`).
        ("DELETE", true, Some(b)) => DELETE_SCOPES
            .iter()
            .find(|(update, _)| *update == b.update_scope)
            .map(|(_, delete)| *delete),
        (_, false, _) if method.as_str() == write.method.as_str() => {
            // A collection (the factor list) takes no write; its members do. A collection that
            // creates its members (POST `/branding/phone/templates`) takes the key in the body.
            let keyed = !matches!(spec.keys, Keys::Single);
            (!keyed || !key.is_empty() || write.by_id.is_some()).then_some(write.scope)
        }
        _ => None,
    }
}

const DELETE_SCOPES: &[(&str, &str)] = &[
    ("update:phone_providers", "delete:phone_providers"),
    ("update:phone_templates", "delete:phone_templates"),
];

/// Every scope a route of the table needs (settings resources, the deletes the emulator adds,
/// the per-user endpoints), each once: the emulator's all-scopes token
/// ([`crate::access_token::ALL_SCOPES`]) and the registry's consistency tests.
pub fn table_scopes() -> Vec<&'static str> {
    let settings = RESOURCES.iter().flat_map(|spec| {
        spec.read
            .map(|r| r.scope)
            .into_iter()
            .chain(spec.write.scopes())
    });
    let deletes = DELETE_SCOPES.iter().map(|(_, delete)| *delete);
    let users = USER_ENDPOINTS.iter().map(|spec| spec.scope);
    let mut scopes: Vec<&'static str> = Vec::new();
    for scope in settings.chain(deletes).chain(users) {
        if !scopes.contains(&scope) {
            scopes.push(scope);
        }
    }
    scopes
}

#[cfg(test)]
mod tests {
    use super::*;
    use mfactl_core::resource::specs::{
        DUO, FACTORS, PHONE_TWILIO, PROMPT_TEXTS, TENANT_PHONE_PROVIDER,
    };

    fn table(route: Option<Route>) -> (&'static str, Vec<String>, Option<String>) {
        match route {
            Some(Route::Table { spec, key, id }) => (spec.address, key, id),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn resolves_table_routes_and_their_scopes() {
        let put = Method::PUT;
        assert_eq!(
            table(resolve(&put, "/guardian/factors/sms")),
            ("factors", vec!["sms".into()], None)
        );
        assert_eq!(resolve(&put, "/guardian/factors/fax"), None);
        assert_eq!(
            table(resolve(&Method::GET, "/guardian/factors/sms/templates")),
            table(resolve(&Method::GET, "/guardian/factors/phone/templates"))
        );
        let duo = resolve(&put, DUO.write.path).unwrap();
        assert_eq!(scope(&duo, &put), Some("update:guardian_factors"));
        let list = resolve(&Method::GET, "/guardian/factors").unwrap();
        assert_eq!(scope(&list, &Method::GET), Some("read:guardian_factors"));
        assert_eq!(scope(&list, &put), None);
        assert_eq!(
            table(resolve(&Method::PATCH, "/branding/phone/providers/pro_1")),
            ("tenant_phone.provider", vec![], Some("pro_1".into()))
        );
        let texts = resolve(&Method::PUT, "/prompts/login/custom-text/en").unwrap();
        assert_eq!(scope(&texts, &Method::PUT), Some("update:prompts"));
        assert_eq!(resolve(&Method::PUT, "/prompts/login/custom-text/xx"), None);
        let ticket = resolve(&Method::POST, "/guardian/enrollments/ticket").unwrap();
        assert_eq!(
            scope(&ticket, &Method::POST),
            Some("create:guardian_enrollment_tickets")
        );
        match resolve(
            &Method::DELETE,
            "/users/auth0%7C1/authentication-methods/phone%7Cdev_x",
        ) {
            Some(Route::User { spec, params }) => {
                assert_eq!(spec.scope, "delete:authentication_methods");
                assert_eq!(params, ["auth0|1", "phone|dev_x"]);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(resolve(&Method::PATCH, "/users/auth0%7C1"), None);
        let _ = (
            &DUO,
            &FACTORS,
            &PHONE_TWILIO,
            &PROMPT_TEXTS,
            &TENANT_PHONE_PROVIDER,
        );
    }
}
