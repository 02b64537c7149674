//! Reading the live tenant and planning against it: shared by `plan` and `apply`.

use std::collections::BTreeSet;

use crate::api::{Client, read_live, required_read_scopes};
use crate::commands::config_file::ConfigFile;
use crate::error::CommandError;
use crate::live::LiveTenant;
use crate::plan::{DiffOptions, Plan, check_tenant, diff};

/// How to plan.
#[derive(Debug, Clone, Default)]
pub struct PlanOptions {
    /// The tenant is the built-in emulator: the file's `tenant:` guard does not apply.
    pub is_emulator: bool,
    /// Send write-only values even when nothing else in their resource changed.
    pub resend_write_only: bool,
    /// Scopes the command needs besides the reads' (apply's writes), checked up front too.
    pub extra_scopes: BTreeSet<String>,
}

/// Checks the tenant guard, checks the token's scopes up front, reads exactly what the config
/// manages and plans; the plan carries the file's warnings first.
pub async fn plan_against(
    client: &Client,
    file: &ConfigFile,
    options: &PlanOptions,
) -> Result<(Plan, LiveTenant), CommandError> {
    let config = &file.config;
    if !options.is_emulator {
        check_tenant(config.tenant.as_deref(), client.domain())?;
    }
    let mut scopes = required_read_scopes(&config.state);
    scopes.extend(options.extra_scopes.iter().cloned());
    client.check_scopes(&scopes).await?;
    let live = read_live(client, &config.state).await?;
    let diff_options = DiffOptions {
        tenant: client.domain().to_string(),
        resend_write_only: options.resend_write_only,
    };
    let mut plan = diff(&config.state, &live, &diff_options)?;
    plan.warnings.splice(0..0, file.warnings.iter().cloned());
    Ok((plan, live))
}
