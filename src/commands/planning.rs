//! Reading the live tenant and planning against it: shared by `plan` and `apply`.

use crate::api::{Client, read_live, required_read_scopes};
use crate::config::DesiredConfig;
use crate::live::LiveTenant;
use crate::plan::{DiffOptions, Plan, check_tenant, diff};

/// Checks the tenant guard, checks the token's scopes up front, reads exactly what the config
/// manages and plans. The error is a message for the user.
pub async fn plan_against(
    client: &Client,
    config: &DesiredConfig,
    is_emulator: bool,
    resend_write_only: bool,
    extra_scopes: &std::collections::BTreeSet<String>,
) -> Result<(Plan, LiveTenant), String> {
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
    let plan = diff(&config.state, &live, &options).map_err(|e| e.to_string())?;
    Ok((plan, live))
}
