//! Everything that can go wrong talking to the Management API, worded for the person who has to
//! fix it. No variant ever holds a secret: messages come from settings, paths and the API's own
//! error text.

use std::collections::BTreeSet;
use std::time::Duration;

/// An error from the Management API client. `Display` is the message for the user: what
/// happened and what to check.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Required environment variables are not set.
    #[error(
        "cannot connect to a tenant: missing {}. Set AUTH0_DOMAIN and either AUTH0_API_TOKEN (a Management API token) or AUTH0_CLIENT_ID + AUTH0_CLIENT_SECRET (a machine-to-machine application)",
        missing.join(", ")
    )]
    MissingSettings { missing: Vec<String> },

    /// `AUTH0_DOMAIN` cannot be used.
    #[error("AUTH0_DOMAIN `{domain}` cannot be used: {reason}")]
    InvalidDomain { domain: String, reason: String },

    /// The token lacks scopes. `missing` lists every scope known to be lacking; `needed` every
    /// scope the config needs (empty when not known).
    #[error("{}", missing_scopes_message(missing, needed))]
    MissingScopes {
        missing: BTreeSet<String>,
        needed: BTreeSet<String>,
    },

    /// 401 from the Management API (after one fresh token when the client fetches its own).
    #[error(
        "{domain} rejected the access token (401 {message}). {}",
        if *static_token {
            "Check that AUTH0_API_TOKEN is a current Management API token issued by this tenant (tokens expire) and that AUTH0_DOMAIN names the same tenant"
        } else {
            "Check that AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET belong to this tenant's application and that AUTH0_AUDIENCE (if set) is this tenant's Management API"
        }
    )]
    Unauthorized {
        domain: String,
        message: String,
        static_token: bool,
    },

    /// The token endpoint refused the client-credentials grant.
    #[error(
        "{domain} refused to issue an access token ({status} {message}). Check AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET, that the application is authorized for the Auth0 Management API, and AUTH0_AUDIENCE if you set it"
    )]
    TokenRequest {
        domain: String,
        status: u16,
        message: String,
    },

    /// The tenant cannot use this feature (plan entitlement or legacy endpoint refused).
    #[error(
        "{method} {path}: the tenant cannot use this feature ({code}: {message}). Remove it from the config or change the tenant's plan or settings"
    )]
    Unavailable {
        method: String,
        path: String,
        status: u16,
        code: String,
        message: String,
    },

    /// Another 403.
    #[error(
        "{method} {path} was forbidden (403 {code}: {message}). Check the application's permissions on the Auth0 Management API"
    )]
    Forbidden {
        method: String,
        path: String,
        code: String,
        message: String,
    },

    /// 404.
    #[error(
        "{method} {path} was not found on {domain} (404: {message}). Check that AUTH0_DOMAIN is the tenant's own domain (e.g. acme.eu.auth0.com, not a custom domain) and that the feature exists on it"
    )]
    NotFound {
        domain: String,
        method: String,
        path: String,
        message: String,
    },

    /// 400: the API refused the request body.
    #[error(
        "{method} {path} was refused as invalid (400 {message}). Check the matching setting in the config file"
    )]
    BadRequest {
        method: String,
        path: String,
        message: String,
    },

    /// 429 on every attempt.
    #[error(
        "{method} {path}: still rate limited after {attempts} attempts (429 {message}). Another tool may be using the tenant's Management API quota; try again later or raise --max-attempts"
    )]
    RateLimited {
        method: String,
        path: String,
        attempts: u32,
        message: String,
    },

    /// 5xx or 408 on the last attempt.
    #[error(
        "{method} {path}: the server answered {status} ({message}) after {attempts} attempts. Auth0 may be having an outage: check https://status.auth0.com and try again"
    )]
    Server {
        method: String,
        path: String,
        status: u16,
        message: String,
        attempts: u32,
    },

    /// No answer in time.
    #[error(
        "{method} {path}: no answer from {domain} within {}s after {attempts} attempts. Check your network and proxy settings, that AUTH0_DOMAIN is right, or raise the request timeout",
        timeout.as_secs_f64()
    )]
    Timeout {
        domain: String,
        method: String,
        path: String,
        timeout: Duration,
        attempts: u32,
    },

    /// Could not connect or the connection dropped.
    #[error(
        "{method} {path}: could not talk to {domain} ({detail}) after {attempts} attempts. Check that AUTH0_DOMAIN is right and reachable from here (DNS, proxy, firewall, TLS interception)"
    )]
    Connection {
        domain: String,
        method: String,
        path: String,
        detail: String,
        attempts: u32,
    },

    /// The retries would run past the overall deadline.
    #[error(
        "{method} {path}: gave up after {attempts} attempts because the next try would pass the {}s deadline (last problem: {last}). Try again later or raise the deadline",
        deadline.as_secs_f64()
    )]
    DeadlineExceeded {
        method: String,
        path: String,
        attempts: u32,
        deadline: Duration,
        last: String,
    },

    /// A body that does not have the shape the API documents.
    #[error(
        "{method} {path}: unexpected answer from the API ({detail}). If AUTH0_DOMAIN is right, please report this"
    )]
    InvalidResponse {
        method: String,
        path: String,
        detail: String,
    },

    /// Any other status.
    #[error("{method} {path}: unexpected status {status} ({message})")]
    UnexpectedStatus {
        method: String,
        path: String,
        status: u16,
        message: String,
    },

    /// The HTTP client could not be built (TLS setup).
    #[error("could not set up the HTTPS client: {0}")]
    Setup(String),
}

fn missing_scopes_message(missing: &BTreeSet<String>, needed: &BTreeSet<String>) -> String {
    let list = |set: &BTreeSet<String>| set.iter().cloned().collect::<Vec<_>>().join(", ");
    let mut text = format!("the access token lacks scope(s): {}.", list(missing));
    if !needed.is_empty() {
        text.push_str(&format!(" This config needs: {}.", list(needed)));
    }
    text.push_str(
        " Grant them to the application (Dashboard > Applications > APIs > Auth0 Management API > Machine To Machine Applications) or create a token that has them",
    );
    text
}

impl ApiError {
    /// Whether this error means the resource is not available to the tenant.
    pub fn unavailable_code(&self) -> Option<&str> {
        match self {
            ApiError::Unavailable { code, .. } => Some(code),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_scopes_lists_all_of_them() {
        let err = ApiError::MissingScopes {
            missing: ["read:prompts", "read:guardian_factors"]
                .into_iter()
                .map(String::from)
                .collect(),
            needed: BTreeSet::new(),
        };
        let text = err.to_string();
        assert!(
            text.starts_with(
                "the access token lacks scope(s): read:guardian_factors, read:prompts."
            ),
            "{text}"
        );
    }
}
