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

    /// 404: either the API has no such endpoint on this host (a generic "Not Found": the domain
    /// is wrong), or the tenant has no such resource yet (Auth0 names it, e.g. "The phone
    /// factor does not exist.").
    #[error("{}", not_found_message(domain, method, path, message, code))]
    NotFound {
        domain: String,
        method: String,
        path: String,
        message: String,
        /// Auth0's `errorCode`, empty when the answer had none.
        code: String,
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

    /// No answer within one attempt's time limit, on every attempt (the deadline had time left).
    #[error(
        "{method} {path}: no answer from {domain} within {} ({}) after {}. Check your network and proxy settings and that AUTH0_DOMAIN is right, or allow more attempts with --max-attempts",
        seconds(*timeout),
        "the time one attempt may take",
        attempts_text(*attempts)
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

    /// The connection failed in a way that another attempt would repeat (the server does not
    /// speak TLS, its certificate or TLS is refused, the domain is no host name), so it was
    /// tried once. `why` says which, and what to check.
    #[error(
        "{method} {path}: could not talk to {domain} ({detail}). {why}. Not tried again: this does not fix itself"
    )]
    ConnectionRefusedForGood {
        domain: String,
        method: String,
        path: String,
        detail: String,
        why: ForGood,
    },

    /// The request's deadline passed (or the next attempt could not start before it). Every
    /// wait of a request ends by its deadline: token request, pacing, connect, TLS, headers,
    /// body and backoff.
    #[error("{}", deadline_message(domain, method, path, *attempts, *deadline, last.as_deref()))]
    DeadlineExceeded {
        domain: String,
        method: String,
        path: String,
        /// Attempts started (0 when the deadline passed before the first one could start).
        attempts: u32,
        deadline: Duration,
        /// What the last attempt ran into, in a few words and with no duration
        /// ([`ApiError::short_cause`]); `None` when it got no answer at all.
        last: Option<String>,
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

/// Why a connection cannot succeed however often it is tried, with what to check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForGood {
    /// The TLS handshake got an answer that is not TLS (a plain-HTTP port).
    NotTls,
    /// The server's certificate is not trusted, or not for this domain.
    Certificate,
    /// Any other TLS refusal (protocol versions, cipher suites, an alert from the server).
    Tls,
    /// The domain is not a valid DNS name (nothing can be looked up).
    InvalidName,
}

impl std::fmt::Display for ForGood {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ForGood::NotTls => {
                "The server does not speak HTTPS there: check the port in AUTH0_DOMAIN, and write http://HOST:PORT for a local emulator (plain HTTP is allowed for loopback hosts only)"
            }
            ForGood::Certificate => {
                "Its TLS certificate is not trusted: check that AUTH0_DOMAIN is the tenant's domain, and that no proxy intercepts TLS"
            }
            ForGood::Tls => {
                "The TLS handshake was refused: check that AUTH0_DOMAIN is the tenant's domain, and that no proxy intercepts TLS"
            }
            ForGood::InvalidName => {
                "That is not a valid host name: AUTH0_DOMAIN must be the tenant's domain, e.g. acme.eu.auth0.com"
            }
        })
    }
}

/// Whether a 404 answer only says the path is unknown (a route missing on this host), rather
/// than naming a resource the tenant lacks.
pub fn is_route_not_found(message: &str, code: &str) -> bool {
    let generic = message
        .trim_end_matches('.')
        .eq_ignore_ascii_case("not found")
        || message.starts_with("HTTP 404");
    generic && (code.is_empty() || code == "not_found" || code == "Not Found")
}

fn not_found_message(domain: &str, method: &str, path: &str, message: &str, code: &str) -> String {
    if is_route_not_found(message, code) {
        format!(
            "{method} {path} was not found on {domain} (404: {message}). Check that AUTH0_DOMAIN is the tenant's own domain (e.g. acme.eu.auth0.com, not a custom domain) and that the feature exists on it"
        )
    } else {
        format!(
            "{method} {path}: the tenant has no such resource yet (404: {message}). It may need another setting first, or have been deleted since the plan was made: run `mfactl plan` again"
        )
    }
}

/// A duration in plain words: `5 seconds`, `1 second`, `1.5 seconds`.
fn seconds(duration: Duration) -> String {
    let secs = duration.as_secs_f64();
    if secs == 1.0 {
        "1 second".to_string()
    } else if secs.fract() == 0.0 {
        format!("{secs:.0} seconds")
    } else {
        format!("{} seconds", (secs * 1000.0).round() / 1000.0)
    }
}

fn attempts_text(attempts: u32) -> String {
    match attempts {
        1 => "1 attempt".to_string(),
        n => format!("{n} attempts"),
    }
}

fn deadline_message(
    domain: &str,
    method: &str,
    path: &str,
    attempts: u32,
    deadline: Duration,
    last: Option<&str>,
) -> String {
    let limit = format!("the request deadline of {}", seconds(deadline));
    match last {
        None => format!(
            "{method} {path}: no answer from {domain} within {limit}, after {}. Check that AUTH0_DOMAIN is right and reachable from here (network, proxy, firewall), or allow more time with --request-deadline",
            attempts_text(attempts)
        ),
        Some(last) => format!(
            "{method} {path}: not done within {limit}, after {}; the last attempt: {last}. Try again later, or allow more time with --request-deadline",
            attempts_text(attempts)
        ),
    }
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
    /// What went wrong, in a few words and without a duration or advice, for the message of a
    /// request whose deadline passed after this problem; `None` for no answer at all.
    pub fn short_cause(&self) -> Option<String> {
        Some(match self {
            ApiError::Timeout { .. } => return None,
            ApiError::Connection { detail, .. } => format!("could not connect ({detail})"),
            ApiError::RateLimited { message, .. } => format!("rate limited (429 {message})"),
            ApiError::Server {
                status, message, ..
            } => format!("the server answered {status} ({message})"),
            ApiError::TokenRequest {
                status, message, ..
            } => format!("the token endpoint answered {status} ({message})"),
            other => other.to_string(),
        })
    }

    /// Whether this error means the tenant could not be reached in time (no connection, no
    /// answer, deadline passed): other requests to it would fare no better.
    pub fn is_unreachable(&self) -> bool {
        matches!(
            self,
            ApiError::DeadlineExceeded { .. }
                | ApiError::Timeout { .. }
                | ApiError::Connection { .. }
                | ApiError::ConnectionRefusedForGood { .. }
        )
    }

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
    fn a_passed_deadline_is_named_once_in_plain_words() {
        let silent = ApiError::DeadlineExceeded {
            domain: "acme.auth0.com".into(),
            method: "GET".into(),
            path: "/guardian/policies".into(),
            attempts: 1,
            deadline: Duration::from_secs(5),
            last: None,
        }
        .to_string();
        assert_eq!(
            silent,
            "GET /guardian/policies: no answer from acme.auth0.com within the request deadline of 5 seconds, after 1 attempt. Check that AUTH0_DOMAIN is right and reachable from here (network, proxy, firewall), or allow more time with --request-deadline"
        );
        let busy = ApiError::DeadlineExceeded {
            domain: "acme.auth0.com".into(),
            method: "GET".into(),
            path: "/guardian/policies".into(),
            attempts: 3,
            deadline: Duration::from_millis(1500),
            last: Some("the server answered 503 (Service Unavailable)".into()),
        }
        .to_string();
        assert!(
            busy.contains("the request deadline of 1.5 seconds"),
            "{busy}"
        );
        assert!(
            busy.contains("after 3 attempts; the last attempt: the server answered 503"),
            "{busy}"
        );
        assert_eq!(seconds(Duration::from_secs(1)), "1 second");
    }

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
