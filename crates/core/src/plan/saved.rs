//! Saved plan files (`plan --out FILE`, `apply FILE`).
//!
//! A saved plan holds the changes (after-values and request bodies redacted), a SHA-256 of the
//! config file's bytes and the fingerprint of every live resource the plan read. It never holds
//! a secret: `apply FILE` re-reads the config (whose `${VAR}` references supply the secrets) and
//! the tenant, plans again and refuses unless nothing moved.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::live::LiveTenant;
use crate::plan::Plan;
use crate::plan::record::ChangeRecord;

/// The version of the saved plan format this build writes and reads. Version 1 (mfactl 0.1)
/// kept a shorter record of each change; such plans are refused with a clear message.
pub const SAVED_PLAN_FORMAT_VERSION: &str = "2";

/// The contents of a saved plan file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedPlan {
    pub format_version: String,
    /// The mfactl version that wrote the file.
    pub tool_version: String,
    /// The config file the plan was made from, as given on the command line.
    pub config_path: String,
    /// Hex SHA-256 of the config file's bytes.
    pub config_sha256: String,
    /// The tenant label of the plan.
    pub tenant: String,
    /// The domain the live state was read from.
    pub domain: String,
    /// Address → fingerprint of every live resource read (see [`LiveTenant::fingerprints`]).
    pub fingerprints: BTreeMap<String, String>,
    /// Whether the plan was made with `--resend-write-only`; apply plans the same way.
    #[serde(default)]
    pub resend_write_only: bool,
    /// The changes, as the JSON plan shows them.
    pub changes: Vec<ChangeRecord>,
}

/// Why a saved plan file cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum SavedPlanError {
    #[error("not a saved mfactl plan: {0}")]
    Parse(#[from] serde_json::Error),
    #[error(
        "saved plan format version {found} is not supported (this mfactl reads version \
         {SAVED_PLAN_FORMAT_VERSION}); run plan again"
    )]
    Version { found: String },
    #[error(
        "this plan was made by an older mfactl ({tool}, saved plan format {found}), whose plans \
         this version cannot apply safely; run plan again"
    )]
    Older { found: String, tool: String },
}

/// Hex SHA-256 of a config file's bytes.
pub fn config_hash(config_bytes: &[u8]) -> String {
    let digest = Sha256::digest(config_bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn saved_changes(plan: &Plan) -> Vec<ChangeRecord> {
    plan.changes.iter().map(ChangeRecord::of).collect()
}

fn fingerprints(live: &LiveTenant) -> BTreeMap<String, String> {
    live.fingerprints
        .iter()
        .map(|(a, f)| (a.to_string(), f.clone()))
        .collect()
}

impl SavedPlan {
    /// The saved form of `plan`, made from `live` and a config file whose bytes hash to
    /// `config_sha256` (see [`config_hash`]).
    pub fn new(plan: &Plan, live: &LiveTenant, config_path: &str, config_sha256: &str) -> Self {
        SavedPlan {
            format_version: SAVED_PLAN_FORMAT_VERSION.to_string(),
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            config_path: config_path.to_string(),
            config_sha256: config_sha256.to_string(),
            tenant: plan.tenant.clone(),
            domain: live.domain.clone(),
            fingerprints: fingerprints(live),
            resend_write_only: false,
            changes: saved_changes(plan),
        }
    }

    /// The file's text (pretty JSON with a final newline).
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        let mut text = serde_json::to_string_pretty(self)?;
        text.push('\n');
        Ok(text)
    }

    /// Reads a saved plan file's text.
    pub fn from_json(text: &str) -> Result<Self, SavedPlanError> {
        #[derive(Deserialize)]
        struct Header {
            format_version: String,
            #[serde(default)]
            tool_version: String,
        }
        let header: Header = serde_json::from_str(text)?;
        if header.format_version == "1" {
            return Err(SavedPlanError::Older {
                found: header.format_version,
                tool: format!("mfactl {}", header.tool_version),
            });
        }
        if header.format_version != SAVED_PLAN_FORMAT_VERSION {
            return Err(SavedPlanError::Version {
                found: header.format_version,
            });
        }
        Ok(serde_json::from_str(text)?)
    }
}

/// A saved plan no longer describes what apply would do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    /// What changed since the plan was saved, one item per thing.
    pub reasons: Vec<String>,
}

impl fmt::Display for Stale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "plan is stale; run plan again ({})",
            self.reasons.join("; ")
        )
    }
}

impl std::error::Error for Stale {}

/// Refuses a saved plan when the config file, the tenant domain, any live resource read, or the
/// changes a fresh plan computes differ from what was saved.
pub fn check_fresh(
    saved: &SavedPlan,
    config_sha256: &str,
    fresh_live: &LiveTenant,
    fresh_plan: &Plan,
) -> Result<(), Stale> {
    let mut reasons = Vec::new();
    if saved.config_sha256 != config_sha256 {
        reasons.push(format!("the config file {} changed", saved.config_path));
    }
    if saved.domain != fresh_live.domain {
        reasons.push(format!(
            "the plan was made for {} but the domain in use is {}",
            saved.domain, fresh_live.domain
        ));
    }
    let now = fingerprints(fresh_live);
    let addresses: std::collections::BTreeSet<&String> =
        saved.fingerprints.keys().chain(now.keys()).collect();
    for address in addresses {
        if saved.fingerprints.get(address) != now.get(address) {
            reasons.push(format!("the live resource `{address}` changed"));
        }
    }
    let project = |c: &ChangeRecord| (c.address.clone(), c.action.clone(), c.after.clone());
    let then: Vec<_> = saved.changes.iter().map(project).collect();
    let fresh: Vec<_> = saved_changes(fresh_plan).iter().map(project).collect();
    if then != fresh && reasons.is_empty() {
        reasons.push("the changes planned now differ from the saved ones".to_string());
    }
    if reasons.is_empty() {
        Ok(())
    } else {
        Err(Stale { reasons })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Factor, MfaState};
    use crate::plan::fixtures::{fresh_live, full_desired, secrets};
    use crate::plan::{DiffOptions, diff};

    fn planned() -> (Plan, LiveTenant) {
        let live = fresh_live();
        let options = DiffOptions {
            tenant: live.domain.clone(),
            resend_write_only: true,
        };
        (diff(&full_desired(), &live, &options).unwrap(), live)
    }

    #[test]
    fn a_saved_plan_round_trips_and_holds_no_secret() {
        let (plan, live) = planned();
        let hash = config_hash(b"version: 1\n");
        let saved = SavedPlan::new(&plan, &live, "mfa.yaml", &hash);
        let text = saved.to_json().unwrap();
        for secret in secrets() {
            assert!(!text.contains(secret), "saved plan holds {secret}");
        }
        assert!(text.contains("\"config_sha256\""));
        assert_eq!(saved.fingerprints.len(), live.fingerprints.len());
        assert_eq!(SavedPlan::from_json(&text).unwrap(), saved);
        assert!(check_fresh(&saved, &hash, &live, &plan).is_ok());
    }

    #[test]
    fn config_hash_is_hex_sha256() {
        assert_eq!(
            config_hash(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn stale_when_config_or_tenant_moved() {
        let (plan, live) = planned();
        let hash = config_hash(b"a");
        let saved = SavedPlan::new(&plan, &live, "mfa.yaml", &hash);

        let err = check_fresh(&saved, &config_hash(b"b"), &live, &plan).unwrap_err();
        assert!(err.to_string().starts_with("plan is stale; run plan again"));
        assert!(
            err.to_string().contains("config file mfa.yaml changed"),
            "{err}"
        );

        let mut moved = live.clone();
        moved
            .fingerprints
            .insert(MfaState::factor_address(Factor::Otp), "0".repeat(64));
        let err = check_fresh(&saved, &hash, &moved, &plan).unwrap_err();
        assert!(err.to_string().contains("`factors.otp` changed"), "{err}");

        let mut other_plan = plan.clone();
        other_plan.changes.pop();
        let err = check_fresh(&saved, &hash, &live, &other_plan).unwrap_err();
        assert!(
            err.to_string().contains("differ from the saved ones"),
            "{err}"
        );
    }

    #[test]
    fn other_format_versions_are_refused() {
        let (plan, live) = planned();
        let mut saved = SavedPlan::new(&plan, &live, "mfa.yaml", "x");
        saved.format_version = "9".into();
        let text = saved.to_json().unwrap();
        let err = SavedPlan::from_json(&text).unwrap_err().to_string();
        assert!(err.contains("version 9"), "{err}");
        assert!(SavedPlan::from_json("{").is_err());
    }
}
