//! A Management API request as plain data: built by the pure plan, sent by the API client.

use std::fmt;

use serde_json::Value;

use crate::resource::Personal;
use crate::secret::REDACTED;

/// The HTTP methods mfactl sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl HttpMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
        }
    }
}

impl fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One request. `path` is relative to `/api/v2` and starts with `/`. `body` may hold secret
/// values and personal data; `secret_fields` and `personal_fields` name the top-level body keys
/// that do, so that every display of the request goes through [`ApiRequest::redacted_body`].
/// `Debug` is redacted too.
#[derive(Clone, PartialEq)]
pub struct ApiRequest {
    pub method: HttpMethod,
    pub path: String,
    pub body: Option<Value>,
    pub secret_fields: Vec<&'static str>,
    /// Keys of phone numbers and emails, masked in every display.
    pub personal_fields: Vec<(&'static str, Personal)>,
}

impl ApiRequest {
    pub fn new(method: HttpMethod, path: impl Into<String>) -> Self {
        ApiRequest {
            method,
            path: path.into(),
            body: None,
            secret_fields: Vec::new(),
            personal_fields: Vec::new(),
        }
    }

    pub fn with_body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    pub fn with_secret_fields(mut self, fields: &[&'static str]) -> Self {
        self.secret_fields.extend_from_slice(fields);
        self
    }

    pub fn with_personal_fields(mut self, fields: &[(&'static str, Personal)]) -> Self {
        self.personal_fields.extend_from_slice(fields);
        self
    }

    /// The body with every secret field replaced by the redaction marker and every personal
    /// field masked.
    pub fn redacted_body(&self) -> Option<Value> {
        let mut body = self.body.clone()?;
        if let Value::Object(map) = &mut body {
            for field in &self.secret_fields {
                if let Some(value) = map.get_mut(*field)
                    && !value.is_null()
                {
                    *value = Value::String(REDACTED.to_string());
                }
            }
            for (field, personal) in &self.personal_fields {
                if let Some(Value::String(text)) = map.get_mut(*field) {
                    *text = personal.mask(text);
                }
            }
        }
        Some(body)
    }
}

impl fmt::Debug for ApiRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("body", &self.redacted_body())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn debug_and_redacted_body_hide_secret_fields() {
        let request = ApiRequest::new(HttpMethod::Put, "/guardian/factors/example/settings")
            .with_body(json!({"ikey": "DI1", "skey": "top-secret", "host": "h"}))
            .with_secret_fields(&["skey"]);
        let shown = format!("{request:?}");
        assert!(!shown.contains("top-secret"), "{shown}");
        assert_eq!(
            request.redacted_body(),
            Some(json!({"ikey": "DI1", "skey": REDACTED, "host": "h"}))
        );
    }
}
