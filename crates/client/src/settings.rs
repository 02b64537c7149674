//! Where the tenant is and how to authenticate, read from the environment.

use std::fmt;
use std::net::IpAddr;

use reqwest::Url;

use crate::error::ApiError;
use mfactl_core::secret::Secret;

/// How the client gets its access token.
#[derive(Clone, PartialEq, Eq)]
pub enum Credentials {
    /// A Management API token given as is (`AUTH0_API_TOKEN` / `AUTH0_ACCESS_TOKEN`).
    StaticToken(Secret),
    /// The client-credentials grant (`AUTH0_CLIENT_ID` + `AUTH0_CLIENT_SECRET`).
    ClientCredentials {
        client_id: String,
        client_secret: Secret,
        /// The API the token is for; `https://{domain}/api/v2/` unless `AUTH0_AUDIENCE` says otherwise.
        audience: String,
    },
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::StaticToken(token) => f.debug_tuple("StaticToken").field(token).finish(),
            Credentials::ClientCredentials {
                client_id,
                client_secret,
                audience,
            } => f
                .debug_struct("ClientCredentials")
                .field("client_id", client_id)
                .field("client_secret", client_secret)
                .field("audience", audience)
                .finish(),
        }
    }
}

/// The tenant to talk to and the credentials to use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionSettings {
    /// The tenant's domain as shown to users: `acme.eu.auth0.com` or `127.0.0.1:8080`.
    pub domain: String,
    /// Scheme, host and port, without a path: `https://acme.eu.auth0.com`.
    pub base_url: Url,
    pub credentials: Credentials,
}

/// The environment variables mfactl reads, as the Auth0 tools name them.
pub mod env_names {
    pub const DOMAIN: &str = "AUTH0_DOMAIN";
    pub const API_TOKEN: &str = "AUTH0_API_TOKEN";
    pub const ACCESS_TOKEN: &str = "AUTH0_ACCESS_TOKEN";
    pub const CLIENT_ID: &str = "AUTH0_CLIENT_ID";
    pub const CLIENT_SECRET: &str = "AUTH0_CLIENT_SECRET";
    pub const AUDIENCE: &str = "AUTH0_AUDIENCE";
}

impl ConnectionSettings {
    /// Reads the settings through `lookup` (normally [`std::env::var`]); empty values count as
    /// unset. A static token wins over client credentials when both are set.
    pub fn from_env(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ApiError> {
        use env_names::*;
        let get = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());
        let domain = get(DOMAIN);
        let token = get(API_TOKEN).or_else(|| get(ACCESS_TOKEN));
        let client_id = get(CLIENT_ID);
        let client_secret = get(CLIENT_SECRET);

        let mut missing = Vec::new();
        if domain.is_none() {
            missing.push(DOMAIN.to_string());
        }
        if token.is_none() {
            match (&client_id, &client_secret) {
                (Some(_), None) => missing.push(CLIENT_SECRET.to_string()),
                (None, Some(_)) => missing.push(CLIENT_ID.to_string()),
                (None, None) => missing.push(format!(
                    "{API_TOKEN} (or {ACCESS_TOKEN}), or {CLIENT_ID} + {CLIENT_SECRET}"
                )),
                (Some(_), Some(_)) => {}
            }
        }
        let Some(domain) = domain else {
            return Err(ApiError::MissingSettings { missing });
        };
        if !missing.is_empty() {
            return Err(ApiError::MissingSettings { missing });
        }
        let (display, base_url) = parse_domain(&domain)?;
        let credentials = match (token, client_id, client_secret) {
            (Some(token), _, _) => Credentials::StaticToken(Secret::new(token.trim())),
            (None, Some(client_id), Some(client_secret)) => Credentials::ClientCredentials {
                audience: get(AUDIENCE).unwrap_or_else(|| default_audience(&display)),
                client_id,
                client_secret: Secret::new(client_secret),
            },
            _ => return Err(ApiError::MissingSettings { missing }),
        };
        Ok(ConnectionSettings {
            domain: display,
            base_url,
            credentials,
        })
    }

    /// Reads the settings from the process environment.
    pub fn from_process_env() -> Result<Self, ApiError> {
        Self::from_env(|name| std::env::var(name).ok())
    }

    /// Settings for a tenant at `domain` (a host name, or a loopback `http://` URL such as an
    /// emulator's) with a static token.
    pub fn with_static_token(domain: &str, token: Secret) -> Result<Self, ApiError> {
        let (display, base_url) = parse_domain(domain)?;
        Ok(ConnectionSettings {
            domain: display,
            base_url,
            credentials: Credentials::StaticToken(token),
        })
    }

    /// Settings for a tenant at `domain` with the client-credentials grant and the default audience.
    pub fn with_client_credentials(
        domain: &str,
        client_id: impl Into<String>,
        client_secret: Secret,
    ) -> Result<Self, ApiError> {
        let (display, base_url) = parse_domain(domain)?;
        Ok(ConnectionSettings {
            credentials: Credentials::ClientCredentials {
                client_id: client_id.into(),
                client_secret,
                audience: default_audience(&display),
            },
            domain: display,
            base_url,
        })
    }

    /// The URL of a Management API path such as `/guardian/factors`.
    pub fn api_url(&self, path: &str) -> String {
        format!(
            "{}/api/v2{}",
            self.base_url.as_str().trim_end_matches('/'),
            path
        )
    }

    /// The URL of the token endpoint.
    pub fn token_url(&self) -> String {
        format!(
            "{}/oauth/token",
            self.base_url.as_str().trim_end_matches('/')
        )
    }
}

/// The Management API audience of a tenant.
pub fn default_audience(domain: &str) -> String {
    format!("https://{domain}/api/v2/")
}

/// Turns `AUTH0_DOMAIN` into (display domain, base URL). A bare host name means HTTPS; an
/// `http://` URL is accepted only for loopback hosts.
pub fn parse_domain(raw: &str) -> Result<(String, Url), ApiError> {
    let raw = raw.trim();
    let shown = without_userinfo(raw);
    let invalid = |reason: &str| ApiError::InvalidDomain {
        domain: shown.clone(),
        reason: reason.to_string(),
    };
    let with_scheme = if raw.contains("://") {
        raw.to_string()
    } else {
        format!("https://{raw}")
    };
    let url = Url::parse(&with_scheme).map_err(|e| invalid(&e.to_string()))?;
    let host = url
        .host_str()
        .ok_or_else(|| invalid("it has no host name"))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("it must not contain a user name or password"));
    }
    if !matches!(url.path(), "" | "/") || url.query().is_some() {
        return Err(invalid(
            "give only the host name (and port), without a path",
        ));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(host) => {}
        "http" => {
            return Err(invalid(
                "plain http:// is allowed only for loopback hosts (127.0.0.1, ::1, localhost); use the host name alone for HTTPS",
            ));
        }
        other => return Err(invalid(&format!("unsupported scheme `{other}`"))),
    }
    let display = match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    };
    let mut base = url.clone();
    base.set_path("");
    Ok((display, base))
}

/// `raw` with any `user:password@` removed, so an error never repeats a credential.
fn without_userinfo(raw: &str) -> String {
    let (scheme, rest) = match raw.split_once("://") {
        Some((scheme, rest)) => (format!("{scheme}://"), rest),
        None => (String::new(), raw),
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    format!("{scheme}{host}{tail}")
}

fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if bare.eq_ignore_ascii_case("localhost") {
        return true;
    }
    bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn nothing_set_names_what_is_missing() {
        let err = ConnectionSettings::from_env(env(&[])).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("AUTH0_DOMAIN"), "{text}");
        assert!(text.contains("AUTH0_API_TOKEN"), "{text}");
        assert!(text.contains("AUTH0_CLIENT_SECRET"), "{text}");
    }

    #[test]
    fn half_of_the_client_credentials_names_the_other_half() {
        let err = ConnectionSettings::from_env(env(&[
            ("AUTH0_DOMAIN", "acme.auth0.com"),
            ("AUTH0_CLIENT_ID", "abc"),
        ]))
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("cannot connect to a tenant: missing AUTH0_CLIENT_SECRET."),
            "{err}"
        );
    }

    #[test]
    fn static_token_and_its_alias() {
        let s = ConnectionSettings::from_env(env(&[
            ("AUTH0_DOMAIN", "acme.eu.auth0.com"),
            ("AUTH0_ACCESS_TOKEN", "tok-123"),
        ]))
        .unwrap();
        assert_eq!(s.domain, "acme.eu.auth0.com");
        assert_eq!(
            s.api_url("/guardian/factors"),
            "https://acme.eu.auth0.com/api/v2/guardian/factors"
        );
        assert_eq!(
            s.credentials,
            Credentials::StaticToken(Secret::new("tok-123"))
        );
        assert!(!format!("{s:?}").contains("tok-123"));
    }

    #[test]
    fn client_credentials_with_default_and_overridden_audience() {
        let base = [
            ("AUTH0_DOMAIN", "acme.auth0.com"),
            ("AUTH0_CLIENT_ID", "cid"),
            ("AUTH0_CLIENT_SECRET", "very-secret-value"),
        ];
        let s = ConnectionSettings::from_env(env(&base)).unwrap();
        match &s.credentials {
            Credentials::ClientCredentials { audience, .. } => {
                assert_eq!(audience, "https://acme.auth0.com/api/v2/")
            }
            other => panic!("{other:?}"),
        }
        assert!(!format!("{s:?}").contains("very-secret-value"));
        let mut with_audience = base.to_vec();
        with_audience.push(("AUTH0_AUDIENCE", "https://custom/api/v2/"));
        let s = ConnectionSettings::from_env(env(&with_audience)).unwrap();
        match &s.credentials {
            Credentials::ClientCredentials { audience, .. } => {
                assert_eq!(audience, "https://custom/api/v2/")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn http_only_for_loopback() {
        let (display, url) = parse_domain("http://127.0.0.1:8080").unwrap();
        assert_eq!(display, "127.0.0.1:8080");
        assert_eq!(url.as_str(), "http://127.0.0.1:8080/");
        assert!(parse_domain("http://localhost:1234").is_ok());
        assert!(parse_domain("http://[::1]:1234").is_ok());
        let err = parse_domain("http://acme.auth0.com")
            .unwrap_err()
            .to_string();
        assert!(err.contains("loopback"), "{err}");
        assert!(parse_domain("https://acme.auth0.com/api/v2").is_err());
        let err = parse_domain("https://me:hunter2secret@acme.auth0.com")
            .unwrap_err()
            .to_string();
        assert!(!err.contains("hunter2secret"), "{err}");
        assert!(err.contains("https://acme.auth0.com"), "{err}");
        assert!(parse_domain("ftp://acme.auth0.com").is_err());
    }
}
