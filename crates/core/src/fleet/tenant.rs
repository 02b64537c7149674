//! One tenant of a tenants file: where it is, how mfactl authenticates to it, and the values it
//! gives the config file's `${VAR}` references.

use std::collections::{BTreeMap, BTreeSet};

use crate::config::EnvLookup;
use crate::config::located::{Located, Span};
use crate::secret::Secret;

/// How mfactl gets a Management API token for a tenant (the same two ways as the
/// `AUTH0_API_TOKEN` / `AUTH0_CLIENT_ID` + `AUTH0_CLIENT_SECRET` environment of one tenant).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TenantCredentials {
    /// `api_token`: a Management API token, used as is.
    ApiToken(Secret),
    /// `client_id` + `client_secret`: the client-credentials grant of a machine-to-machine
    /// application; `audience` overrides `https://{domain}/api/v2/`.
    ClientCredentials {
        client_id: String,
        client_secret: Secret,
        audience: Option<String>,
    },
}

/// One entry under `tenants:`.
///
/// Values written as `${VAR}` are resolved from the environment when the file is loaded. A
/// value whose variable is not set is `None` here (and reported once, with every other missing
/// variable: [`crate::fleet::MissingVariable`]); so is every reference when the file is loaded
/// without an environment (`validate --no-env`).
#[derive(Debug, Clone, PartialEq)]
pub struct Tenant {
    /// The tenant's name in the file (`dev`): how every output names it, and the name of its
    /// plan and export files.
    pub name: String,
    /// Where the name stands in the tenants file.
    pub span: Span,
    /// `domain`: a host name (HTTPS), or a loopback `http://` URL (an emulator), as
    /// `AUTH0_DOMAIN` takes it.
    pub domain: Option<Located<String>>,
    pub credentials: Option<TenantCredentials>,
    /// `vars` whose values are known.
    pub vars: BTreeMap<String, String>,
    /// `vars` whose values could not be resolved (a missing environment variable, or no
    /// environment at all): the config's references to them are not reported as missing.
    pub unresolved_vars: BTreeSet<String>,
}

impl Tenant {
    /// The value of the config file's `${name}` for this tenant: its `vars` first, then `env`.
    /// An empty value counts as unset, as in the config file.
    pub fn variable(&self, name: &str, env: Option<EnvLookup<'_>>) -> Option<String> {
        match self.vars.get(name) {
            Some(value) => Some(value.clone()),
            None => env.and_then(|env| env(name)),
        }
        .filter(|value| !value.is_empty())
    }

    /// Whether `name` is known to this tenant, even without a value: one of its `vars`, resolved
    /// or not.
    pub fn declares(&self, name: &str) -> bool {
        self.vars.contains_key(name) || self.unresolved_vars.contains(name)
    }

    /// The secrets of the entry (its token or client secret), to keep out of every output.
    pub fn secrets(&self) -> Vec<&Secret> {
        match &self.credentials {
            Some(TenantCredentials::ApiToken(token)) => vec![token],
            Some(TenantCredentials::ClientCredentials { client_secret, .. }) => {
                vec![client_secret]
            }
            None => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_come_from_vars_first_then_the_environment() {
        let tenant = Tenant {
            name: "dev".into(),
            span: Span::default(),
            domain: None,
            credentials: None,
            vars: BTreeMap::from([("FROM".to_string(), "+15550001111".to_string())]),
            unresolved_vars: BTreeSet::from(["PENDING".to_string()]),
        };
        let env = |name: &str| match name {
            "FROM" => Some("+19999999999".to_string()),
            "TOKEN" => Some("from-env".to_string()),
            "EMPTY" => Some(String::new()),
            _ => None,
        };
        assert_eq!(
            tenant.variable("FROM", Some(&env)).as_deref(),
            Some("+15550001111")
        );
        assert_eq!(
            tenant.variable("TOKEN", Some(&env)).as_deref(),
            Some("from-env")
        );
        assert_eq!(tenant.variable("EMPTY", Some(&env)), None);
        assert_eq!(tenant.variable("TOKEN", None), None);
        assert!(tenant.declares("PENDING") && tenant.declares("FROM"));
        assert!(!tenant.declares("TOKEN"));
    }
}
