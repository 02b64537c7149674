//! `POST /oauth/token`: the client-credentials grant.
//!
//! Accepts a JSON or form body with `grant_type=client_credentials`, `client_id`,
//! `client_secret`, `audience` and an optional `scope` that narrows the token to fewer of the
//! client's granted scopes. Errors use the Authentication API's `{error, error_description}`
//! shape, not the Management API's.
//!
//! Decision: any audience whose path is `/api/v2/` is accepted (clients build it from whatever
//! `AUTH0_DOMAIN` they were given: `http://127.0.0.1:PORT`, `127.0.0.1:PORT`, …).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::access_token::{ALL_SCOPES, TOKEN_LIFETIME_SECONDS};
use super::api_error::json_response;
use super::request_log::form_pairs;
use super::server::Shared;

pub(crate) async fn handle(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let fields: Map<String, Value> = if is_form {
        form_pairs(&body)
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect()
    } else {
        match serde_json::from_slice::<Value>(&body) {
            Ok(Value::Object(map)) => map,
            _ => {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    "Missing required parameter: grant_type",
                );
            }
        }
    };
    let text = |name: &str| fields.get(name).and_then(Value::as_str).unwrap_or("");

    match text("grant_type") {
        "client_credentials" => {}
        "" => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "Missing required parameter: grant_type",
            );
        }
        other => {
            return oauth_error(
                StatusCode::FORBIDDEN,
                "unsupported_grant_type",
                &format!("Unsupported grant type: {other}"),
            );
        }
    }
    if text("client_id") != shared.client_id || text("client_secret") != shared.client_secret {
        return oauth_error(StatusCode::UNAUTHORIZED, "access_denied", "Unauthorized");
    }
    let audience = text("audience");
    if audience.is_empty() {
        return oauth_error(
            StatusCode::FORBIDDEN,
            "access_denied",
            "No audience parameter was provided, and no default audience has been configured",
        );
    }
    if !(audience.ends_with("/api/v2/") || audience.ends_with("/api/v2")) {
        return oauth_error(
            StatusCode::FORBIDDEN,
            "access_denied",
            &format!("Service not enabled within domain: {audience}"),
        );
    }
    let requested: Vec<&str> = text("scope").split_whitespace().collect();
    let scopes: Vec<&str> = if requested.is_empty() {
        ALL_SCOPES.to_vec()
    } else {
        let missing: Vec<&str> = requested
            .iter()
            .copied()
            .filter(|s| !ALL_SCOPES.contains(s))
            .collect();
        if !missing.is_empty() {
            return oauth_error(
                StatusCode::FORBIDDEN,
                "access_denied",
                &format!("Client has not been granted scopes: {}", missing.join(",")),
            );
        }
        requested
    };
    let token = shared
        .tokens
        .issue(&shared.issuer(), audience, &shared.client_id, &scopes);
    json_response(
        StatusCode::OK,
        &json!({
            "access_token": token,
            "scope": scopes.join(" "),
            "expires_in": TOKEN_LIFETIME_SECONDS,
            "token_type": "Bearer",
        }),
    )
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    json_response(
        status,
        &json!({ "error": error, "error_description": description }),
    )
}
