//! Errors in the Management API's shape: `{statusCode, error, message, errorCode}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An error answer of the emulated Management API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
    pub error_code: Option<&'static str>,
}

impl ApiError {
    /// An error with the given status, message and `errorCode`.
    pub fn new(status: StatusCode, message: impl Into<String>, error_code: &'static str) -> Self {
        ApiError {
            status,
            message: message.into(),
            error_code: Some(error_code),
        }
    }

    /// 400 `invalid_body` with the API's "Payload validation error" wording.
    pub fn invalid_body(detail: impl AsRef<str>) -> Self {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("Payload validation error: {}", detail.as_ref()),
            "invalid_body",
        )
    }

    /// 400 for a body that is not JSON at all.
    pub fn invalid_json() -> Self {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "Invalid request payload JSON format",
            "invalid_body",
        )
    }

    /// 401 when no bearer token was sent.
    pub fn missing_authentication() -> Self {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "Missing authentication",
            "missing_authentication",
        )
    }

    /// 401 for a token the tenant did not issue, or one that expired.
    pub fn invalid_token(message: &str) -> Self {
        ApiError::new(StatusCode::UNAUTHORIZED, message, "invalid_token")
    }

    /// 403 when the token lacks the endpoint's scope.
    pub fn insufficient_scope(scope: &str) -> Self {
        ApiError::new(
            StatusCode::FORBIDDEN,
            format!("Insufficient scope, expected any of: {scope}"),
            "insufficient_scope",
        )
    }

    /// 404 for a path the API does not serve.
    pub fn not_found() -> Self {
        ApiError::new(StatusCode::NOT_FOUND, "Not Found", "not_found")
    }

    /// 429 when the rate limit's bucket is empty (body as recorded from the real API).
    pub fn too_many_requests() -> Self {
        ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "Global limit has been reached",
            "too_many_requests",
        )
    }

    /// 500, as the fault injector answers it.
    pub fn internal_server_error() -> Self {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal Server Error",
            "internal_server_error",
        )
    }

    /// 503, as the fault injector answers it.
    pub fn service_unavailable() -> Self {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "Service Unavailable",
            "service_unavailable",
        )
    }

    /// The error's JSON body.
    pub fn body(&self) -> serde_json::Value {
        let reason = self.status.canonical_reason().unwrap_or("Error");
        let mut body = json!({
            "statusCode": self.status.as_u16(),
            "error": reason,
            "message": self.message,
        });
        if let (Some(code), Some(map)) = (self.error_code, body.as_object_mut()) {
            map.insert("errorCode".to_owned(), json!(code));
        }
        body
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        json_response(self.status, &self.body())
    }
}

/// A JSON response with the API's content type.
pub fn json_response(status: StatusCode, body: &serde_json::Value) -> Response {
    let text = body.to_string();
    (
        status,
        [(
            axum::http::header::CONTENT_TYPE,
            "application/json; charset=utf-8",
        )],
        text,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_has_the_auth0_shape() {
        let body = ApiError::too_many_requests().body();
        assert_eq!(
            body.to_string(),
            r#"{"statusCode":429,"error":"Too Many Requests","message":"Global limit has been reached","errorCode":"too_many_requests"}"#
        );
    }
}
