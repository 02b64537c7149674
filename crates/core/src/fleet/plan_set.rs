//! A folder of saved plans, one per tenant (`plan --tenants FILE --out DIR`, `apply DIR`).
//!
//! The folder holds one saved plan per tenant planned ([`crate::plan::saved::SavedPlan`], the
//! single-tenant format, as `<tenant>.plan.json`) and an index, [`PLAN_SET_FILE`]: which
//! tenants file and config file the plans were made from (with a SHA-256 of the tenants
//! file), and each tenant in the file's order with its plan file, or the error that left it
//! without one. Nothing in the folder is ever a secret.

use serde::{Deserialize, Serialize};

use crate::plan::saved::{Stale, config_hash};

/// The index file's name in the folder.
pub const PLAN_SET_FILE: &str = "mfactl-plans.json";

/// The version of the index format this build writes and reads.
pub const PLAN_SET_FORMAT_VERSION: &str = "1";

/// The saved plan file of a tenant in the folder.
pub fn plan_file_name(tenant: &str) -> String {
    format!("{tenant}.plan.json")
}

/// The index of a folder of saved plans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanSet {
    pub format_version: String,
    /// The mfactl version that wrote it.
    pub tool_version: String,
    /// The tenants file, as given on the command line.
    pub tenants_file: String,
    /// Hex SHA-256 of the tenants file's bytes.
    pub tenants_sha256: String,
    /// The config file, as given on the command line.
    pub config_path: String,
    /// Whether the plans were made with `--resend-write-only`.
    #[serde(default)]
    pub resend_write_only: bool,
    /// Every tenant planned, in the tenants file's order.
    pub tenants: Vec<PlanSetEntry>,
}

/// One tenant of a plan set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanSetEntry {
    pub name: String,
    /// Its saved plan, relative to the folder; `None` when it could not be planned.
    pub plan_file: Option<String>,
    /// Why it could not be planned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Why a plan set's index cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum PlanSetError {
    #[error("not an index of saved mfactl plans: {0}")]
    Parse(#[from] serde_json::Error),
    #[error(
        "plan folder format version {0} is not supported (this mfactl reads version {PLAN_SET_FORMAT_VERSION}); run plan again"
    )]
    Version(String),
}

impl PlanSet {
    /// An index for plans made from these files (`tenants_bytes`: the tenants file's bytes).
    pub fn new(tenants_file: &str, tenants_bytes: &[u8], config_path: &str) -> Self {
        PlanSet {
            format_version: PLAN_SET_FORMAT_VERSION.to_string(),
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            tenants_file: tenants_file.to_string(),
            tenants_sha256: config_hash(tenants_bytes),
            config_path: config_path.to_string(),
            resend_write_only: false,
            tenants: Vec::new(),
        }
    }

    /// The index's text (pretty JSON with a final newline).
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        let mut text = serde_json::to_string_pretty(self)?;
        text.push('\n');
        Ok(text)
    }

    /// Reads an index's text.
    pub fn from_json(text: &str) -> Result<Self, PlanSetError> {
        let set: PlanSet = serde_json::from_str(text)?;
        if set.format_version != PLAN_SET_FORMAT_VERSION {
            return Err(PlanSetError::Version(set.format_version));
        }
        Ok(set)
    }

    /// The tenants planned, in order.
    pub fn names(&self) -> Vec<String> {
        self.tenants.iter().map(|t| t.name.clone()).collect()
    }

    /// Refuses the set when the tenants file changed since the plans were made (a tenant's
    /// `vars`, domain or credentials may have).
    pub fn check_tenants_file(&self, tenants_bytes: &[u8]) -> Result<(), Stale> {
        if self.tenants_sha256 == config_hash(tenants_bytes) {
            Ok(())
        } else {
            Err(Stale {
                reasons: vec![format!("the tenants file {} changed", self.tenants_file)],
            })
        }
    }

    /// The tenants that have no plan, with why.
    pub fn unplanned(&self) -> Vec<(&str, &str)> {
        self.tenants
            .iter()
            .filter(|t| t.plan_file.is_none())
            .map(|t| {
                (
                    t.name.as_str(),
                    t.error.as_deref().unwrap_or("it could not be planned"),
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_index_round_trips_and_notices_a_changed_tenants_file() {
        let mut set = PlanSet::new("tenants.yaml", b"tenants: {}\n", "mfa.yaml");
        set.tenants.push(PlanSetEntry {
            name: "dev".into(),
            plan_file: Some(plan_file_name("dev")),
            error: None,
        });
        set.tenants.push(PlanSetEntry {
            name: "prod".into(),
            plan_file: None,
            error: Some("unreachable".into()),
        });
        let text = set.to_json().unwrap();
        assert_eq!(PlanSet::from_json(&text).unwrap(), set);
        assert!(set.check_tenants_file(b"tenants: {}\n").is_ok());
        let stale = set.check_tenants_file(b"tenants: {x: 1}\n").unwrap_err();
        assert_eq!(
            stale.to_string(),
            "plan is stale; run plan again (the tenants file tenants.yaml changed)"
        );
        assert_eq!(set.unplanned(), [("prod", "unreachable")]);
        assert_eq!(set.names(), ["dev", "prod"]);
        let other = text.replace("\"format_version\": \"1\"", "\"format_version\": \"7\"");
        assert!(
            PlanSet::from_json(&other)
                .unwrap_err()
                .to_string()
                .contains("version 7")
        );
    }
}
