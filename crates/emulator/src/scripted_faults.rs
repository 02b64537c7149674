//! Deterministic faults for tests: "answer the next N `PUT /api/v2/guardian/factors/otp` with a
//! 503". Set through `POST /__emulator/faults` or [`super::RunningEmulator::add_fault`].
//!
//! A scripted fault matches on method (case-insensitive; `*` matches any) and exact path (query
//! string ignored). The first pending fault that matches a request answers it instead of the
//! tenant: the state does not change and no rate-limit token is taken, but the request is logged
//! with the fault's status like any other. After `times` answers the fault is used up; without
//! `times` it lasts until cleared (`DELETE /__emulator/faults`, or a reset).
//!
//! A 2xx status with a `body` is a write the tenant acknowledges but does not keep: the answer
//! says it was done, the state does not change (what a "does not verify" test needs).

use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::api_error::ApiError;

/// One scripted fault, in the JSON shape `POST /__emulator/faults` accepts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScriptedFault {
    /// HTTP method to match, e.g. `PUT`; `*` matches any.
    pub method: String,
    /// Exact request path, e.g. `/api/v2/guardian/factors/otp`.
    pub path: String,
    /// Status to answer with: 400 to 599, or 200 to 299 with a `body` (acknowledged, not kept).
    pub status: u16,
    /// How many matching requests to answer; `None` = every one until cleared.
    #[serde(default)]
    pub times: Option<u32>,
    /// Body to answer with instead of the standard Auth0-shaped error for `status`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
}

impl ScriptedFault {
    /// A fault that answers every matching request with `status` until cleared.
    pub fn new(method: &str, path: &str, status: u16) -> Self {
        ScriptedFault {
            method: method.to_owned(),
            path: path.to_owned(),
            status,
            times: None,
            body: None,
        }
    }

    /// Limits the fault to the next `times` matching requests.
    pub fn times(mut self, times: u32) -> Self {
        self.times = Some(times);
        self
    }

    /// Answers with this body instead of the standard error body.
    pub fn with_body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    /// Why the fault cannot be used, if it cannot.
    pub fn problem(&self) -> Option<String> {
        let acknowledged = (200..=299).contains(&self.status) && self.body.is_some();
        if !(400..=599).contains(&self.status) && !acknowledged {
            return Some(format!(
                "status must be between 400 and 599 (or 200 to 299 with a body), got {}",
                self.status
            ));
        }
        if self.times == Some(0) {
            return Some("times must be at least 1 (or null for every request)".to_owned());
        }
        if !self.path.starts_with('/') {
            return Some(format!("path must start with '/', got {:?}", self.path));
        }
        None
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        (self.method == "*" || self.method.eq_ignore_ascii_case(method)) && self.path == path
    }

    /// The status and body a matched request gets. 500, 503 and 429 use the bodies the random
    /// faults use; any other status gets `{statusCode, error, message, errorCode}` built from its
    /// reason phrase (e.g. 409 → `Conflict` / `conflict`).
    fn answer(&self) -> (StatusCode, Value) {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if let Some(body) = &self.body {
            return (status, body.clone());
        }
        let error = match status {
            StatusCode::INTERNAL_SERVER_ERROR => ApiError::internal_server_error(),
            StatusCode::SERVICE_UNAVAILABLE => ApiError::service_unavailable(),
            StatusCode::TOO_MANY_REQUESTS => ApiError::too_many_requests(),
            _ => {
                let reason = status.canonical_reason().unwrap_or("Error");
                let code = reason.to_ascii_lowercase().replace([' ', '-'], "_");
                let body = json!({
                    "statusCode": status.as_u16(),
                    "error": reason,
                    "message": reason,
                    "errorCode": code,
                });
                return (status, body);
            }
        };
        (status, error.body())
    }
}

/// The pending scripted faults of one emulator, in the order they were added.
#[derive(Debug, Clone, Default)]
pub struct ScriptedFaults {
    pending: Vec<ScriptedFault>,
}

impl ScriptedFaults {
    /// Adds a fault after the ones already pending.
    pub fn add(&mut self, fault: ScriptedFault) {
        self.pending.push(fault);
    }

    /// Forgets every pending fault.
    pub fn clear(&mut self) {
        self.pending.clear();
    }

    /// The pending faults, with what is left of their `times`.
    pub fn pending(&self) -> Vec<ScriptedFault> {
        self.pending.clone()
    }

    /// The answer for a request, if a pending fault matches it; uses up one of its `times`.
    pub fn take(&mut self, method: &str, path: &str) -> Option<(StatusCode, Value)> {
        let index = self
            .pending
            .iter()
            .position(|fault| fault.matches(method, path))?;
        let answer = self.pending[index].answer();
        match &mut self.pending[index].times {
            Some(1) => {
                self.pending.remove(index);
            }
            Some(left) => *left -= 1,
            None => {}
        }
        Some(answer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_match_in_order_and_run_out() {
        let mut faults = ScriptedFaults::default();
        faults.add(ScriptedFault::new("put", "/api/v2/x", 503).times(2));
        faults.add(ScriptedFault::new("*", "/api/v2/x", 409));
        assert_eq!(faults.take("GET", "/api/v2/y"), None);
        let first = faults.take("PUT", "/api/v2/x").unwrap();
        assert_eq!(first.0, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(first.1["errorCode"], json!("service_unavailable"));
        assert_eq!(faults.pending()[0].times, Some(1));
        assert_eq!(
            faults.take("PUT", "/api/v2/x").unwrap().0,
            StatusCode::SERVICE_UNAVAILABLE
        );
        // Used up: the catch-all 409 answers from now on, forever.
        for _ in 0..3 {
            let (status, body) = faults.take("PUT", "/api/v2/x").unwrap();
            assert_eq!(status, StatusCode::CONFLICT);
            assert_eq!(
                body,
                json!({"statusCode": 409, "error": "Conflict", "message": "Conflict", "errorCode": "conflict"})
            );
        }
        faults.clear();
        assert_eq!(faults.take("PUT", "/api/v2/x"), None);
    }

    #[test]
    fn custom_bodies_and_problems() {
        let fault = ScriptedFault::new("GET", "/a", 400).with_body(json!({"custom": true}));
        assert_eq!(
            fault.answer(),
            (StatusCode::BAD_REQUEST, json!({"custom": true}))
        );
        assert!(ScriptedFault::new("GET", "/a", 200).problem().is_some());
        // Acknowledged but not kept: a 2xx needs the body it answers with.
        let acknowledged = ScriptedFault::new("PUT", "/a", 200).with_body(json!({"enabled": true}));
        assert!(acknowledged.problem().is_none());
        assert_eq!(
            acknowledged.answer(),
            (StatusCode::OK, json!({"enabled": true}))
        );
        assert!(
            ScriptedFault::new("PUT", "/a", 302)
                .with_body(json!({}))
                .problem()
                .is_some()
        );
        assert!(
            ScriptedFault::new("GET", "/a", 500)
                .times(0)
                .problem()
                .is_some()
        );
        assert!(ScriptedFault::new("GET", "a", 500).problem().is_some());
        assert!(ScriptedFault::new("GET", "/a", 500).problem().is_none());
    }
}
