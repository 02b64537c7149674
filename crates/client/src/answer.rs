//! What a non-2xx answer of the Management API means for the caller. Pure.

use crate::error::ApiError;
use crate::models::ErrorBody;
use crate::scopes::scopes_in_message;

pub use mfactl_core::live::UNAVAILABLE_CODES;

/// Where a request went, for messages.
#[derive(Debug, Clone, Copy)]
pub struct RequestContext<'a> {
    pub domain: &'a str,
    pub method: &'a str,
    pub path: &'a str,
}

/// What to do about a failed answer.
#[derive(Debug)]
pub enum Failure {
    /// Worth another attempt: 429, 5xx, 408. `message` is the API's text.
    Retryable { status: u16, message: String },
    /// 401: the token was refused.
    Unauthorized { message: String },
    /// Final.
    Final(ApiError),
}

/// The API's message and error code from an error body (or the raw text when it is not JSON).
pub fn error_text(status: u16, body: &[u8]) -> (String, String) {
    match serde_json::from_slice::<ErrorBody>(body) {
        Ok(parsed) => {
            let message = parsed
                .message
                .or(parsed.error_description)
                .or(parsed.error.clone())
                .unwrap_or_else(|| format!("HTTP {status}"));
            let code = parsed.error_code.or(parsed.error).unwrap_or_default();
            (message, code)
        }
        Err(_) => {
            let text = String::from_utf8_lossy(body);
            let text: String = text.trim().chars().take(200).collect();
            let message = if text.is_empty() {
                format!("HTTP {status}")
            } else {
                text
            };
            (message, String::new())
        }
    }
}

/// Classifies a non-2xx answer.
pub fn classify(ctx: RequestContext<'_>, status: u16, body: &[u8]) -> Failure {
    let (message, code) = error_text(status, body);
    let method = ctx.method.to_string();
    let path = ctx.path.to_string();
    match status {
        429 | 408 | 500..=599 => Failure::Retryable { status, message },
        401 => Failure::Unauthorized { message },
        400 => Failure::Final(ApiError::BadRequest {
            method,
            path,
            message,
        }),
        404 => Failure::Final(ApiError::NotFound {
            domain: ctx.domain.to_string(),
            method,
            path,
            message,
            code,
        }),
        403 if code == "insufficient_scope" => Failure::Final(ApiError::MissingScopes {
            missing: scopes_in_message(&message),
            needed: Default::default(),
        }),
        403 if UNAVAILABLE_CODES.contains(&code.as_str()) => {
            Failure::Final(ApiError::Unavailable {
                method,
                path,
                status,
                code,
                message,
            })
        }
        403 => Failure::Final(ApiError::Forbidden {
            method,
            path,
            code,
            message,
        }),
        _ => Failure::Final(ApiError::UnexpectedStatus {
            method,
            path,
            status,
            message,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CTX: RequestContext<'static> = RequestContext {
        domain: "acme.auth0.com",
        method: "GET",
        path: "/guardian/policies",
    };

    fn final_message(status: u16, body: &str) -> String {
        match classify(CTX, status, body.as_bytes()) {
            Failure::Final(err) => err.to_string(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn entitlement_codes_are_unavailable() {
        for code in UNAVAILABLE_CODES {
            let body = format!(
                r#"{{"statusCode":403,"error":"Forbidden","message":"nope","errorCode":"{code}"}}"#
            );
            match classify(CTX, 403, body.as_bytes()) {
                Failure::Final(err) => assert_eq!(err.unavailable_code(), Some(*code)),
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn messages_say_what_to_check() {
        let text = final_message(
            400,
            r#"{"statusCode":400,"error":"Bad Request","message":"Payload validation error: 'Additional properties not allowed: x'.","errorCode":"invalid_body"}"#,
        );
        assert!(
            text.contains("Additional properties not allowed: x"),
            "{text}"
        );
        let text = final_message(404, r#"{"statusCode":404,"message":"Not Found"}"#);
        assert!(text.contains("AUTH0_DOMAIN"), "{text}");
        // A 404 that names what the tenant lacks is not about the domain.
        let text = final_message(
            404,
            r#"{"statusCode":404,"error":"Not Found","message":"The phone factor does not exist.","errorCode":"factor_not_found"}"#,
        );
        assert!(!text.contains("AUTH0_DOMAIN"), "{text}");
        assert!(text.contains("The phone factor does not exist."), "{text}");
        let text = final_message(
            403,
            r#"{"statusCode":403,"error":"Forbidden","message":"Insufficient scope, expected any of: read:mfa_policies","errorCode":"insufficient_scope"}"#,
        );
        assert!(text.contains("read:mfa_policies"), "{text}");
    }

    #[test]
    fn retryable_statuses() {
        for status in [408, 429, 500, 502, 503] {
            assert!(matches!(
                classify(CTX, status, b"upstream"),
                Failure::Retryable { .. }
            ));
        }
        assert!(matches!(
            classify(CTX, 401, b"{}"),
            Failure::Unauthorized { .. }
        ));
    }
}
