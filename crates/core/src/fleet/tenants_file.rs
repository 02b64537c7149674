//! The tenants file: YAML text → the config file's located nodes → checked [`Tenant`]s, with
//! the config file's strict, located diagnostics (unknown keys with suggestions, wrong types,
//! secrets in clear masked and warned about).
//!
//! ```yaml
//! tenants:
//!   dev:
//!     domain: acme-dev.eu.auth0.com
//!     client_id: ${DEV_CLIENT_ID}
//!     client_secret: ${DEV_CLIENT_SECRET}
//!     vars: { TWILIO_FROM: "+15550001111" }
//!   prod:
//!     domain: acme.eu.auth0.com
//!     api_token: ${PROD_API_TOKEN}
//! ```
//!
//! Tenants keep the file's order: apply rolls out in it. Every text value may hold `${VAR}`
//! references, resolved from the environment; a `vars` value gives the config file's `${VAR}`
//! for that tenant.

use crate::config::report::Report;
use std::collections::BTreeSet;

use crate::config::EnvLookup;
use crate::config::diagnostic::{Diagnostic, Severity};
use crate::config::interpolate::{InterpolationError, interpolate, is_variable_name};
use crate::config::located::{Located, Span};
use crate::config::node::{Node, NodeValue};
use crate::config::parse::parse;
use crate::config::source::SourceFile;
use crate::config::suggest::closest;
use crate::config::validate::{MAPPING, MAX_DOMAIN, NUMBER, TEXT};
use crate::fleet::{MissingVariable, Tenant, TenantCredentials};
use crate::secret::Secret;

/// The keys of one tenant.
pub const TENANT_KEYS: &[&str] = &[
    "domain",
    "client_id",
    "client_secret",
    "api_token",
    "audience",
    "vars",
];

/// The keys of the file's top level.
const TOP_LEVEL_KEYS: &[&str] = &["version", "tenants"];

/// The keys whose values are secrets.
pub const SECRET_KEYS: &[&str] = &["client_secret", "api_token"];

/// The longest tenant name: it names files.
const MAX_NAME: usize = 64;

/// A tenants file whose every entry is valid, tenants in the file's order.
#[derive(Debug, Clone, PartialEq)]
pub struct TenantsFile {
    pub tenants: Vec<Tenant>,
}

impl TenantsFile {
    /// The tenants' names, in the file's order.
    pub fn names(&self) -> Vec<&str> {
        self.tenants.iter().map(|t| t.name.as_str()).collect()
    }

    /// The tenants `only` names (all of them when `only` is empty), in the file's order
    /// whatever the order of `only`. A name the file does not list is an error naming it,
    /// with a suggestion.
    pub fn select(&self, only: &[String]) -> Result<Vec<&Tenant>, String> {
        let names = self.names();
        let unknown: Vec<String> = only
            .iter()
            .filter(|name| !names.contains(&name.as_str()))
            .map(|name| match closest(name, names.iter().copied()) {
                Some(close) => format!("`{name}` (did you mean `{close}`?)"),
                None => format!("`{name}`"),
            })
            .collect();
        if !unknown.is_empty() {
            return Err(format!(
                "--only names {} that the tenants file does not list; it lists: {}",
                unknown.join(", "),
                names.join(", ")
            ));
        }
        Ok(self
            .tenants
            .iter()
            .filter(|t| only.is_empty() || only.contains(&t.name))
            .collect())
    }
}

/// A tenants file after loading: its tenants when it is valid, every diagnostic, and every
/// variable its values need that the environment does not set.
#[derive(Debug, Clone)]
pub struct LoadedTenants {
    pub source: SourceFile,
    /// `Some` when the file has no error (a missing variable is not one: see `missing`).
    pub file: Option<TenantsFile>,
    pub diagnostics: Vec<Diagnostic>,
    pub missing: Vec<MissingVariable>,
    /// Every secret value the file gives (credentials, and `vars` values of the config's
    /// secret variables), from the environment or in clear, even when the file is invalid: a
    /// command registers them for scrubbing before it shows any diagnostic.
    pub secrets: Vec<Secret>,
}

impl LoadedTenants {
    /// Whether the file can be used: no error, and no warning when `strict`.
    pub fn is_usable(&self, strict: bool) -> bool {
        self.file.is_some() && (!strict || self.diagnostics.is_empty())
    }

    /// The diagnostics, with warnings turned into errors when `strict`.
    pub fn effective_diagnostics(&self, strict: bool) -> Vec<Diagnostic> {
        self.diagnostics
            .iter()
            .cloned()
            .map(|mut d| {
                if strict {
                    d.severity = Severity::Error;
                }
                d
            })
            .collect()
    }
}

/// Loads a tenants file's bytes. `name` is what diagnostics call the file; `env` resolves its
/// `${VAR}` references (`None`: check their syntax only); `secret_vars` are the variables the
/// config file uses for secrets ([`crate::fleet::variables::secret_names`]): a `vars` value
/// for one of them is masked in diagnostics, and warned about when written in clear.
pub fn load_tenants(
    name: &str,
    bytes: &[u8],
    env: Option<EnvLookup<'_>>,
    secret_vars: &BTreeSet<String>,
) -> LoadedTenants {
    let keys = SECRET_KEYS
        .iter()
        .copied()
        .chain(secret_vars.iter().map(String::as_str));
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let diagnostic = crate::config::parse::not_utf8(bytes, e);
            return LoadedTenants {
                source: SourceFile::with_secret_keys(
                    name,
                    String::from_utf8_lossy(bytes).into_owned(),
                    keys,
                ),
                file: None,
                diagnostics: vec![diagnostic],
                missing: Vec::new(),
                secrets: Vec::new(),
            };
        }
    };
    let source = SourceFile::with_secret_keys(name, text, keys);
    let mut check = Check {
        file: name,
        text,
        env,
        secret_vars,
        diagnostics: Vec::new(),
        missing: Vec::new(),
        secrets: Vec::new(),
    };
    let tenants = if crate::config::parse::only_comments(text) {
        check
            .diagnostics
            .push(Diagnostic::error("the file is empty", None).with_help(
                "list the tenants under `tenants:`, each with its `domain` and credentials",
            ));
        None
    } else {
        match parse(text) {
            Ok(root) => check.file(&root),
            Err(diagnostic) => {
                check.diagnostics.push(*diagnostic);
                None
            }
        }
    };
    let Check {
        mut diagnostics,
        missing,
        mut secrets,
        ..
    } = check;
    secrets.extend(source.hidden().iter().map(|v| Secret::new(v.as_str())));
    for d in &mut diagnostics {
        d.message = source.scrub(&d.message);
    }
    diagnostics.sort_by_key(|d| d.span.map(|s| (s.line, s.column)));
    let valid = !diagnostics.iter().any(Diagnostic::is_error);
    LoadedTenants {
        source,
        file: tenants
            .filter(|_| valid)
            .map(|tenants| TenantsFile { tenants }),
        diagnostics,
        missing,
        secrets,
    }
}

/// A value after resolving its `${VAR}` references.
enum Resolved {
    /// The text, and whether it came (at least in part) from the environment.
    Text(String, bool),
    /// A variable is missing (recorded), the file is loaded without an environment, or the
    /// reference is malformed (an error).
    Unknown,
}

struct Check<'a> {
    file: &'a str,
    text: &'a str,
    env: Option<EnvLookup<'a>>,
    secret_vars: &'a BTreeSet<String>,
    diagnostics: Vec<Diagnostic>,
    missing: Vec<MissingVariable>,
    /// Every secret value met, valid or not.
    secrets: Vec<Secret>,
}

impl Report for Check<'_> {
    fn diagnostics(&mut self) -> &mut Vec<Diagnostic> {
        &mut self.diagnostics
    }
}

impl Check<'_> {
    fn file(&mut self, root: &Node) -> Option<Vec<Tenant>> {
        let Some(entries) = root.as_map() else {
            self.wrong_type("the file's top level", root.span, MAPPING);
            return None;
        };
        let mut tenants = None;
        for (key, node) in entries {
            match key.value.as_str() {
                "version" => self.version(node),
                "tenants" => tenants = Some(self.tenants(node)),
                _ => self.unknown_key(key, TOP_LEVEL_KEYS),
            }
        }
        if tenants.is_none() {
            let span = entries.first().map_or(root.span, |(k, _)| k.span);
            self.error("missing key `tenants`", span).help = Some(
                "add `tenants:` with one `name:` entry per tenant, each with its `domain` and credentials"
                    .into(),
            );
        }
        tenants
    }

    fn version(&mut self, node: &Node) {
        match node.value {
            NodeValue::Int(1) => {}
            NodeValue::Int(version) => {
                let d = self.error(
                    format!("unsupported tenants file version {version}"),
                    node.span,
                );
                d.label = Some("this mfactl reads version 1".into());
                d.help = Some("set `version: 1`, or leave it out".into());
            }
            _ => self.wrong_type("`version`", node.span, NUMBER),
        }
    }

    fn tenants(&mut self, node: &Node) -> Vec<Tenant> {
        let Some(entries) = node.as_map() else {
            self.wrong_type("`tenants`", node.span, MAPPING);
            return Vec::new();
        };
        if entries.is_empty() {
            self.error("`tenants` lists no tenant", node.span).help = Some(
                "add one `name:` entry per tenant, each with its `domain` and credentials".into(),
            );
        }
        let mut tenants: Vec<Tenant> = Vec::new();
        for (key, entry) in entries {
            let Some(tenant) = self.tenant(key, entry) else {
                continue;
            };
            if let Some(other) = tenants
                .iter()
                .find(|t| t.name.eq_ignore_ascii_case(&tenant.name))
            {
                let message = format!(
                    "tenant names `{}` and `{}` differ only in case",
                    other.name, tenant.name
                );
                self.error(message, tenant.span).help = Some(
                    "each tenant's plan and export files are named after it, and would be the same file on macOS and Windows: rename one"
                        .into(),
                );
            }
            self.same_domain(&tenants, &tenant);
            tenants.push(tenant);
        }
        tenants
    }

    /// Warns when `tenant` has the domain of a tenant listed before it.
    fn same_domain(&mut self, before: &[Tenant], tenant: &Tenant) {
        let Some(domain) = &tenant.domain else {
            return;
        };
        let normal = |d: &str| d.trim().trim_end_matches('/').to_ascii_lowercase();
        let twin = before.iter().find(|t| {
            t.domain
                .as_ref()
                .is_some_and(|d| normal(&d.value) == normal(&domain.value))
        });
        if let Some(twin) = twin {
            let message = format!(
                "`tenants.{}.domain` is the domain of `tenants.{}` too",
                tenant.name, twin.name
            );
            self.warning(message, domain.span).help = Some(
                "list each tenant once: every plan and apply would run against it twice".into(),
            );
        }
    }

    fn tenant(&mut self, key: &Located<String>, node: &Node) -> Option<Tenant> {
        let name = key.value.as_str();
        self.check_name(key);
        let path = format!("tenants.{name}");
        let Some(entries) = node.as_map() else {
            self.wrong_type(&format!("`{path}`"), node.span, MAPPING);
            return None;
        };
        let mut fields: Vec<(&str, &Node)> = Vec::new();
        for (field, value) in entries {
            match TENANT_KEYS.iter().find(|k| **k == field.value) {
                Some(known) => fields.push((known, value)),
                None => self.unknown_key(field, TENANT_KEYS),
            }
        }
        let field = |wanted: &str| fields.iter().find(|(k, _)| *k == wanted).map(|(_, v)| *v);
        let mut tenant = Tenant {
            name: name.to_string(),
            span: key.span,
            domain: None,
            credentials: None,
            vars: Default::default(),
            unresolved_vars: Default::default(),
        };
        match field("domain") {
            Some(node) => tenant.domain = self.domain(name, node),
            None => {
                self.error(format!("`{path}` is missing `domain`"), key.span)
                    .help = Some(format!(
                    "add `domain:` under `{path}`: the tenant's domain, such as `acme-{name}.eu.auth0.com`"
                ));
            }
        }
        tenant.credentials = self.credentials(name, key.span, &field);
        if let Some(vars) = field("vars") {
            self.vars(&mut tenant, vars);
        }
        Some(tenant)
    }

    fn check_name(&mut self, key: &Located<String>) {
        let name = key.value.as_str();
        let mut chars = name.chars();
        let valid = chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
            && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            && name.len() <= MAX_NAME;
        if !valid {
            let d = self.error(format!("`{name}` cannot be a tenant name"), key.span);
            d.label = Some("not a tenant name".into());
            d.help = Some(format!(
                "use up to {MAX_NAME} letters, digits, `-`, `_` and `.`, starting with a letter or digit: the name is used for the tenant's plan and export files"
            ));
        }
    }

    /// A text value: a scalar (numbers and booleans as written), with its references resolved.
    fn text(&mut self, tenant: &str, node: &Node, path: &str) -> Resolved {
        let Some(raw) = node.scalar_text(self.text) else {
            self.wrong_type(&format!("`{path}`"), node.span, TEXT);
            return Resolved::Unknown;
        };
        let resolved = self.resolve(tenant, &raw, node.span, path);
        if let Resolved::Text(value, from_env) = &resolved
            && value.trim().is_empty()
        {
            let origin = if *from_env {
                " (after resolving its variables)"
            } else {
                ""
            };
            self.error(format!("`{path}` is empty{origin}"), node.span);
            return Resolved::Unknown;
        }
        resolved
    }

    fn resolve(&mut self, tenant: &str, raw: &str, span: Span, path: &str) -> Resolved {
        let placeholder = |_: &str| Some("-".to_string());
        let lookup: EnvLookup<'_> = self.env.unwrap_or(&placeholder);
        match interpolate(raw, lookup) {
            Ok(resolved) if self.env.is_none() && !resolved.variables.is_empty() => {
                Resolved::Unknown
            }
            Ok(resolved) => Resolved::Text(resolved.value, !resolved.variables.is_empty()),
            Err(InterpolationError::Missing(names)) => {
                for name in names {
                    self.missing.push(MissingVariable {
                        tenant: tenant.to_string(),
                        name,
                        file: self.file.to_string(),
                        line: span.line,
                        column: span.column,
                    });
                }
                Resolved::Unknown
            }
            Err(InterpolationError::Malformed(reference)) => {
                self.error(
                    format!("`{path}` has a malformed reference `{reference}`"),
                    span,
                )
                .help = Some(
                    "write `${NAME}` with letters, digits and `_`; write `$${` for a literal `${`"
                        .into(),
                );
                Resolved::Unknown
            }
        }
    }

    fn domain(&mut self, tenant: &str, node: &Node) -> Option<Located<String>> {
        let path = format!("tenants.{tenant}.domain");
        let Resolved::Text(value, _) = self.text(tenant, node, &path) else {
            return None;
        };
        let value = value.trim().to_string();
        if value.chars().count() > MAX_DOMAIN || value.contains(char::is_whitespace) {
            self.error(format!("`{path}` is not a domain name"), node.span)
                .help = Some("write the tenant's domain, such as `acme.eu.auth0.com`".into());
            return None;
        }
        Some(Located {
            value,
            span: node.span,
        })
    }

    fn credentials<'n>(
        &mut self,
        tenant: &str,
        name_span: Span,
        field: &dyn Fn(&str) -> Option<&'n Node>,
    ) -> Option<TenantCredentials> {
        let path = format!("tenants.{tenant}");
        let (token, id, secret, audience) = (
            field("api_token"),
            field("client_id"),
            field("client_secret"),
            field("audience"),
        );
        match (token, id, secret) {
            (Some(token), None, None) => {
                if let Some(audience) = audience {
                    self.error(
                        format!(
                            "`{path}.audience` is used only with `client_id` and `client_secret`"
                        ),
                        audience.span,
                    )
                    .help = Some("remove it: a token carries its own audience".into());
                }
                let token = self.secret(tenant, token, "api_token")?;
                Some(TenantCredentials::ApiToken(token))
            }
            (None, Some(id), Some(secret)) => {
                let client_id = match self.text(tenant, id, &format!("{path}.client_id")) {
                    Resolved::Text(value, _) => Some(value.trim().to_string()),
                    Resolved::Unknown => None,
                };
                let client_secret = self.secret(tenant, secret, "client_secret");
                let audience = match audience {
                    Some(node) => match self.text(tenant, node, &format!("{path}.audience")) {
                        Resolved::Text(value, _) => Some(value.trim().to_string()),
                        Resolved::Unknown => return None,
                    },
                    None => None,
                };
                Some(TenantCredentials::ClientCredentials {
                    client_id: client_id?,
                    client_secret: client_secret?,
                    audience,
                })
            }
            (None, Some(id), None) => {
                self.error(format!("`{path}` is missing `client_secret`"), id.span)
                    .help = Some(format!(
                    "add `client_secret: ${{{}}}` beside `client_id`, or give `api_token` instead",
                    suggested_variable(tenant, "client_secret")
                ));
                None
            }
            (None, None, Some(secret)) => {
                self.error(format!("`{path}` is missing `client_id`"), secret.span)
                    .help = Some("add the application's `client_id` beside `client_secret`".into());
                None
            }
            (None, None, None) => {
                self.error(format!("`{path}` has no credentials"), name_span)
                    .help = Some(format!(
                    "add `api_token: ${{{}}}` (a Management API token), or `client_id` and `client_secret: ${{{}}}` (a machine-to-machine application)",
                    suggested_variable(tenant, "api_token"),
                    suggested_variable(tenant, "client_secret")
                ));
                None
            }
            (Some(token), _, _) => {
                self.error(
                    format!("`{path}` gives both `api_token` and a client id and secret"),
                    token.span,
                )
                .help = Some(
                    "keep one: a Management API token, or a machine-to-machine application's `client_id` and `client_secret`"
                        .into(),
                );
                None
            }
        }
    }

    /// A secret value: warned about when written in clear.
    fn secret(&mut self, tenant: &str, node: &Node, key: &str) -> Option<Secret> {
        let path = format!("tenants.{tenant}.{key}");
        let Resolved::Text(value, from_env) = self.text(tenant, node, &path) else {
            return None;
        };
        self.secrets.push(Secret::new(value.trim()));
        if !from_env {
            let variable = suggested_variable(tenant, key);
            self.warning(
                format!("`{path}` is a secret written in clear in the file"),
                node.span,
            )
            .help = Some(format!(
                "write `{key}: ${{{variable}}}` and set {variable} in the environment"
            ));
        }
        Some(Secret::new(value.trim()))
    }

    fn vars(&mut self, tenant: &mut Tenant, node: &Node) {
        let path = format!("tenants.{}.vars", tenant.name);
        let Some(entries) = node.as_map() else {
            self.wrong_type(&format!("`{path}`"), node.span, MAPPING);
            return;
        };
        for (key, value) in entries {
            let name = key.value.as_str();
            if !is_variable_name(name) {
                let d = self.error(format!("`{name}` is not a variable name"), key.span);
                d.label = Some("not a variable name".into());
                d.help = Some(
                    "use letters, digits and `_`, not starting with a digit, as the config file's `${NAME}` does"
                        .into(),
                );
                continue;
            }
            let var_path = format!("{path}.{name}");
            match self.text(&tenant.name, value, &var_path) {
                Resolved::Text(text, from_env) => {
                    if self.secret_vars.contains(name) {
                        self.secrets.push(Secret::new(text.as_str()));
                    }
                    if !from_env && self.secret_vars.contains(name) {
                        let variable = format!("{}_{name}", suggested_prefix(&tenant.name));
                        self.warning(
                            format!(
                                "`{var_path}` is a secret written in clear in the file: the config file uses `${{{name}}}` for a secret"
                            ),
                            value.span,
                        )
                        .help = Some(format!(
                            "write `{name}: ${{{variable}}}` and set {variable} in the environment"
                        ));
                    }
                    tenant.vars.insert(name.to_string(), text);
                }
                Resolved::Unknown => {
                    tenant.unresolved_vars.insert(name.to_string());
                }
            }
        }
    }
}

/// The environment variable hints suggest for a tenant's secret: `DEV_CLIENT_SECRET`.
fn suggested_variable(tenant: &str, key: &str) -> String {
    format!("{}_{}", suggested_prefix(tenant), key.to_ascii_uppercase())
}

/// A tenant name as the start of a variable name: `eu-west` → `EU_WEST`, `1eu` → `TENANT_1EU`.
fn suggested_prefix(tenant: &str) -> String {
    let upper: String = tenant
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    if upper.starts_with(|c: char| c.is_ascii_digit()) {
        format!("TENANT_{upper}")
    } else {
        upper
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::diagnostic::render_all;

    const FILE: &str = "tenants:
  dev:
    domain: acme-dev.eu.auth0.com
    client_id: ${DEV_CLIENT_ID}
    client_secret: ${DEV_CLIENT_SECRET}
    vars: { TWILIO_FROM: \"+15550001111\", TWILIO_AUTH_TOKEN: \"${DEV_TWILIO}\" }
  prod:
    domain: acme.eu.auth0.com
    api_token: ${PROD_API_TOKEN}
    vars:
      TWILIO_FROM: +15550002222
";

    fn env(name: &str) -> Option<String> {
        match name {
            "DEV_CLIENT_ID" => Some("dev-client-id".into()),
            "DEV_CLIENT_SECRET" => Some("dev-client-secret-123".into()),
            "PROD_API_TOKEN" => Some("prod-token-456".into()),
            "DEV_TWILIO" => Some("dev-twilio-789".into()),
            _ => None,
        }
    }

    fn load(text: &str) -> LoadedTenants {
        load_tenants(
            "tenants.yaml",
            text.as_bytes(),
            Some(&env),
            &BTreeSet::new(),
        )
    }

    fn rendered(loaded: &LoadedTenants) -> String {
        render_all(&loaded.diagnostics, &loaded.source, false)
    }

    #[test]
    fn a_valid_file_resolves_credentials_and_vars_in_order() {
        let loaded = load(FILE);
        assert!(loaded.diagnostics.is_empty(), "{}", rendered(&loaded));
        assert!(loaded.missing.is_empty());
        let file = loaded.file.unwrap();
        assert_eq!(file.names(), ["dev", "prod"]);
        let dev = &file.tenants[0];
        assert_eq!(
            dev.domain.as_ref().map(|d| d.value.as_str()),
            Some("acme-dev.eu.auth0.com")
        );
        assert_eq!(
            dev.credentials,
            Some(TenantCredentials::ClientCredentials {
                client_id: "dev-client-id".into(),
                client_secret: Secret::new("dev-client-secret-123"),
                audience: None,
            })
        );
        assert_eq!(dev.vars["TWILIO_AUTH_TOKEN"], "dev-twilio-789");
        let prod = &file.tenants[1];
        assert_eq!(
            prod.credentials,
            Some(TenantCredentials::ApiToken(Secret::new("prod-token-456")))
        );
        // A plain number keeps its text: a phone number stays a phone number.
        assert_eq!(prod.vars["TWILIO_FROM"], "+15550002222");
        assert_eq!(prod.secrets().len(), 1);
    }

    #[test]
    fn missing_variables_are_listed_per_tenant_not_as_errors() {
        let loaded = load_tenants(
            "tenants.yaml",
            FILE.as_bytes(),
            Some(&|_: &str| None),
            &BTreeSet::new(),
        );
        assert!(loaded.diagnostics.is_empty(), "{}", rendered(&loaded));
        let listed: Vec<(String, String, String)> = loaded
            .missing
            .iter()
            .map(|m| (m.tenant.clone(), m.name.clone(), m.place()))
            .collect();
        assert_eq!(
            listed,
            [
                (
                    "dev".into(),
                    "DEV_CLIENT_ID".into(),
                    "tenants.yaml:4:16".into()
                ),
                (
                    "dev".into(),
                    "DEV_CLIENT_SECRET".into(),
                    "tenants.yaml:5:20".into()
                ),
                (
                    "dev".into(),
                    "DEV_TWILIO".into(),
                    "tenants.yaml:6:61".into()
                ),
                (
                    "prod".into(),
                    "PROD_API_TOKEN".into(),
                    "tenants.yaml:9:16".into()
                ),
            ]
        );
        let file = loaded.file.unwrap();
        assert_eq!(file.tenants[0].credentials, None);
        assert!(file.tenants[0].declares("TWILIO_AUTH_TOKEN"));
        assert!(!file.tenants[0].vars.contains_key("TWILIO_AUTH_TOKEN"));
    }

    #[test]
    fn without_an_environment_only_the_syntax_is_checked() {
        let loaded = load_tenants("tenants.yaml", FILE.as_bytes(), None, &BTreeSet::new());
        assert!(loaded.diagnostics.is_empty(), "{}", rendered(&loaded));
        assert!(loaded.missing.is_empty());
        assert!(loaded.file.is_some());
    }

    #[test]
    fn every_problem_is_reported_with_its_place() {
        let text = "tenants:
  dev:
    domian: acme-dev.eu.auth0.com
    client_id: abc
  prod/eu:
    domain: acme.eu.auth0.com
    api_token: literal-token-value
    client_secret: ${X}
  Dev:
    domain: acme-dev.eu.auth0.com
    api_token: ${T}
    vars: { 9LIVES: x, EMPTY: \"\" }
  staging: acme-staging.eu.auth0.com
tenant: {}
";
        let loaded = load_tenants(
            "tenants.yaml",
            text.as_bytes(),
            Some(&|_: &str| Some("value-from-env".to_string())),
            &BTreeSet::new(),
        );
        assert!(loaded.file.is_none());
        insta::assert_snapshot!(rendered(&loaded));
        assert!(!rendered(&loaded).contains("literal-token-value"));
    }

    #[test]
    fn secrets_in_clear_are_warned_about_and_masked() {
        let text = "tenants:
  dev:
    domain: acme-dev.eu.auth0.com
    client_id: abc
    client_secret: clear-client-secret-1
    vars:
      TWILIO_AUTH_TOKEN: clear-twilio-token-2
      TWILIO_FROM: \"+15550001111\"
";
        let secret_vars = BTreeSet::from(["TWILIO_AUTH_TOKEN".to_string()]);
        let loaded = load_tenants("tenants.yaml", text.as_bytes(), Some(&env), &secret_vars);
        assert!(loaded.file.is_some());
        let shown = rendered(&loaded);
        assert!(!shown.contains("clear-client-secret-1"), "{shown}");
        assert!(!shown.contains("clear-twilio-token-2"), "{shown}");
        insta::assert_snapshot!(shown);
    }

    #[test]
    fn selection_keeps_the_file_order_and_suggests_names() {
        let file = load(FILE).file.unwrap();
        let names = |only: &[&str]| -> Vec<String> {
            let only: Vec<String> = only.iter().map(|s| s.to_string()).collect();
            file.select(&only)
                .unwrap()
                .iter()
                .map(|t| t.name.clone())
                .collect()
        };
        assert_eq!(names(&[]), ["dev", "prod"]);
        assert_eq!(names(&["prod", "dev"]), ["dev", "prod"]);
        assert_eq!(names(&["prod"]), ["prod"]);
        let error = file.select(&["prd".to_string()]).unwrap_err();
        assert_eq!(
            error,
            "--only names `prd` (did you mean `prod`?) that the tenants file does not list; it lists: dev, prod"
        );
    }

    #[test]
    fn odd_files_get_a_clear_error() {
        assert_eq!(load("").diagnostics[0].message, "the file is empty");
        assert_eq!(
            load("tenants: {}\n").diagnostics[0].message,
            "`tenants` lists no tenant"
        );
        assert_eq!(
            load("version: 1\n").diagnostics[0].message,
            "missing key `tenants`"
        );
        assert_eq!(
            load("- dev\n").diagnostics[0].message,
            "the file's top level must be a mapping of `key: value` lines"
        );
        let twice = "tenants:\n  dev: {domain: a.auth0.com, api_token: \"${T}\"}\n  dev: {domain: b.auth0.com, api_token: \"${T}\"}\n";
        assert_eq!(load(twice).diagnostics[0].message, "duplicate key `dev`");
        assert!(
            load_tenants("t.yaml", b"\xff\xfe", None, &BTreeSet::new())
                .file
                .is_none()
        );
    }

    #[test]
    fn suggested_variables_are_variable_names() {
        assert_eq!(
            suggested_variable("eu-west", "api_token"),
            "EU_WEST_API_TOKEN"
        );
        assert_eq!(
            suggested_variable("1eu", "client_secret"),
            "TENANT_1EU_CLIENT_SECRET"
        );
        assert!(is_variable_name(&suggested_variable("a.b", "api_token")));
    }
}
