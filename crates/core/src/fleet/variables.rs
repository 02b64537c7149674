//! `${VAR}` references across a tenants file and a config file: which ones the config makes,
//! which ones each tenant leaves unset, and the one error that names them all.
//!
//! With several tenants, the config file's `${VAR}` is resolved per tenant: from the tenant's
//! `vars` first, then from the environment ([`crate::fleet::Tenant::variable`]). Every variable
//! that is missing for any tenant, in the tenants file or in the config file, is reported in
//! one message before mfactl sends anything.

use std::collections::BTreeSet;

use crate::config::EnvLookup;
use crate::config::interpolate::interpolate;
use crate::config::located::Span;
use crate::config::node::{Node, NodeValue};
use crate::fleet::Tenant;
use crate::secret::is_secret_key;

/// One `${VAR}` reference in the config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub name: String,
    /// Where the value holding it starts.
    pub span: Span,
    /// Whether the value is a secret (its key is a secret key: `auth_token`, `skey`, …).
    pub secret: bool,
}

/// Every `${VAR}` reference in a parsed config file, in file order (a malformed reference is
/// the config validation's to report, and is skipped here).
pub fn references(root: &Node) -> Vec<Reference> {
    let mut found = Vec::new();
    collect(root, None, &mut found);
    found
}

fn collect(node: &Node, key: Option<&str>, found: &mut Vec<Reference>) {
    match &node.value {
        NodeValue::Str(text) if text.contains("${") => {
            let any = |_: &str| Some("-".to_string());
            if let Ok(resolved) = interpolate(text, &any) {
                for name in resolved.variables {
                    found.push(Reference {
                        name,
                        span: node.span,
                        secret: key.is_some_and(is_secret_key),
                    });
                }
            }
        }
        NodeValue::Seq(items) => {
            for item in items {
                collect(item, key, found);
            }
        }
        NodeValue::Map(entries) => {
            for (child_key, child) in entries {
                collect(child, Some(child_key.value.as_str()), found);
            }
        }
        _ => {}
    }
}

/// The names the config file uses for secrets: a tenant that gives one of them in clear under
/// `vars:` is warned, and its value is masked like any secret.
pub fn secret_names(references: &[Reference]) -> BTreeSet<String> {
    references
        .iter()
        .filter(|r| r.secret)
        .map(|r| r.name.clone())
        .collect()
}

/// A variable a tenant needs and nothing sets: `tenant`'s `name`, first referenced at
/// `file:line:column`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingVariable {
    pub tenant: String,
    pub name: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl MissingVariable {
    /// `file:line:column`.
    pub fn place(&self) -> String {
        format!("{}:{}:{}", self.file, self.line, self.column)
    }
}

/// The config file's references (`config_file` as diagnostics name it) that `tenant` leaves
/// unset: not in its `vars`, not in `env`. A reference to one of its `vars` whose own value is
/// missing is not repeated (that variable is reported instead). Each name once, at its first
/// reference.
pub fn missing_for(
    tenant: &Tenant,
    references: &[Reference],
    config_file: &str,
    env: EnvLookup<'_>,
) -> Vec<MissingVariable> {
    let mut missing: Vec<MissingVariable> = Vec::new();
    for reference in references {
        let set = tenant.declares(&reference.name)
            || tenant.variable(&reference.name, Some(env)).is_some();
        if set || missing.iter().any(|m| m.name == reference.name) {
            continue;
        }
        missing.push(MissingVariable {
            tenant: tenant.name.clone(),
            name: reference.name.clone(),
            file: config_file.to_string(),
            line: reference.span.line,
            column: reference.span.column,
        });
    }
    missing
}

/// The one error for every missing variable of every tenant, tenants in the order given
/// (the file's): a count, a line per tenant, and what to do.
///
/// ```text
/// 3 variables are not set:
///   dev:  DEV_CLIENT_SECRET (tenants.yaml:5:20)
///   prod: PROD_CLIENT_SECRET (tenants.yaml:10:20), TWILIO_AUTH_TOKEN (mfa.yaml:14:17)
/// Set them in the environment. A variable of mfa.yaml can also be set for one tenant under its `vars:` in tenants.yaml.
/// ```
pub fn missing_message(
    missing: &[MissingVariable],
    tenants_file: &str,
    config_file: Option<&str>,
) -> String {
    let mut tenants: Vec<&str> = Vec::new();
    for m in missing {
        if !tenants.contains(&m.tenant.as_str()) {
            tenants.push(&m.tenant);
        }
    }
    let width = tenants.iter().map(|t| t.chars().count()).max().unwrap_or(0) + 1;
    let noun = if missing.len() == 1 {
        "variable is"
    } else {
        "variables are"
    };
    let mut text = format!("{} {noun} not set:", missing.len());
    for tenant in tenants {
        let names: Vec<String> = missing
            .iter()
            .filter(|m| m.tenant == tenant)
            .map(|m| format!("{} ({})", m.name, m.place()))
            .collect();
        let label = format!("{tenant}:");
        text.push_str(&format!("\n  {label:<width$} {}", names.join(", ")));
    }
    text.push_str("\nSet them in the environment.");
    if let Some(config) = config_file.filter(|c| missing.iter().any(|m| m.file == *c)) {
        text.push_str(&format!(
            " A variable of {config} can also be set for one tenant under its `vars:` in {tenants_file}."
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;
    use crate::config::parse::parse;

    fn tenant(name: &str, vars: &[(&str, &str)], unresolved: &[&str]) -> Tenant {
        Tenant {
            name: name.into(),
            span: Span::default(),
            domain: None,
            credentials: None,
            vars: vars
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<BTreeMap<_, _>>(),
            unresolved_vars: unresolved.iter().map(|s| s.to_string()).collect(),
        }
    }

    const CONFIG: &str = "version: 1
phone:
  twilio:
    sid: AC1
    auth_token: ${TWILIO_AUTH_TOKEN}
    from: \"${TWILIO_FROM}\"
  templates:
    enrollment_message: \"$${literal} ${BRAND} ${BRAND}\"
";

    #[test]
    fn references_name_their_place_and_secrecy() {
        let root = parse(CONFIG).unwrap();
        let found = references(&root);
        let listed: Vec<(&str, usize, bool)> = found
            .iter()
            .map(|r| (r.name.as_str(), r.span.line, r.secret))
            .collect();
        assert_eq!(
            listed,
            [
                ("TWILIO_AUTH_TOKEN", 5, true),
                ("TWILIO_FROM", 6, false),
                ("BRAND", 8, false),
                ("BRAND", 8, false),
            ]
        );
        assert_eq!(
            secret_names(&found),
            BTreeSet::from(["TWILIO_AUTH_TOKEN".to_string()])
        );
    }

    #[test]
    fn each_tenant_misses_what_neither_its_vars_nor_the_environment_set() {
        let root = parse(CONFIG).unwrap();
        let found = references(&root);
        let env = |name: &str| (name == "BRAND").then(|| "Acme".to_string());
        let dev = tenant(
            "dev",
            &[("TWILIO_FROM", "+15550001111")],
            &["TWILIO_AUTH_TOKEN"],
        );
        assert_eq!(missing_for(&dev, &found, "mfa.yaml", &env), []);
        let prod = tenant("prod", &[], &[]);
        let missing = missing_for(&prod, &found, "mfa.yaml", &env);
        let names: Vec<(&str, String)> = missing
            .iter()
            .map(|m| (m.name.as_str(), m.place()))
            .collect();
        assert_eq!(
            names,
            [
                ("TWILIO_AUTH_TOKEN", "mfa.yaml:5:17".to_string()),
                ("TWILIO_FROM", "mfa.yaml:6:11".to_string()),
            ]
        );
    }

    #[test]
    fn one_message_names_every_tenant_and_variable() {
        let at = |tenant: &str, name: &str, file: &str, line| MissingVariable {
            tenant: tenant.into(),
            name: name.into(),
            file: file.into(),
            line,
            column: 20,
        };
        let missing = [
            at("dev", "DEV_CLIENT_SECRET", "tenants.yaml", 5),
            at("prod", "PROD_CLIENT_SECRET", "tenants.yaml", 10),
            at("prod", "TWILIO_AUTH_TOKEN", "mfa.yaml", 14),
        ];
        assert_eq!(
            missing_message(&missing, "tenants.yaml", Some("mfa.yaml")),
            "3 variables are not set:
  dev:  DEV_CLIENT_SECRET (tenants.yaml:5:20)
  prod: PROD_CLIENT_SECRET (tenants.yaml:10:20), TWILIO_AUTH_TOKEN (mfa.yaml:14:20)
Set them in the environment. A variable of mfa.yaml can also be set for one tenant under its `vars:` in tenants.yaml."
        );
        assert_eq!(
            missing_message(&missing[..1], "tenants.yaml", Some("mfa.yaml")),
            "1 variable is not set:
  dev: DEV_CLIENT_SECRET (tenants.yaml:5:20)
Set them in the environment."
        );
    }
}
