//! Reading the live tenant and planning against it: shared by `plan` and `apply`.

use crate::api::{Client, read_live, required_read_scopes};
use crate::commands::config_file::ConfigFile;
use crate::live::LiveTenant;
use crate::plan::{DiffOptions, Plan, check_tenant, diff};

/// Checks the tenant guard, checks the token's scopes up front, reads exactly what the config
/// manages and plans; the plan carries the file's warnings. The error is a message for the user.
pub async fn plan_against(
    client: &Client,
    file: &ConfigFile,
    is_emulator: bool,
    resend_write_only: bool,
    extra_scopes: &std::collections::BTreeSet<String>,
) -> Result<(Plan, LiveTenant), String> {
    let config = &file.config;
    if !is_emulator {
        check_tenant(config.tenant.as_deref(), client.domain()).map_err(|e| e.to_string())?;
    }
    let mut scopes = required_read_scopes(&config.state);
    scopes.extend(extra_scopes.iter().cloned());
    client
        .check_scopes(&scopes)
        .await
        .map_err(|e| e.to_string())?;
    let live = read_live(client, &config.state)
        .await
        .map_err(|e| e.to_string())?;
    let options = DiffOptions {
        tenant: client.domain().to_string(),
        resend_write_only,
    };
    let mut plan = diff(&config.state, &live, &options).map_err(|e| e.to_string())?;
    // The file's own warnings come first, so every plan format carries them.
    plan.warnings.splice(0..0, file.warnings.iter().cloned());
    Ok((plan, live))
}
