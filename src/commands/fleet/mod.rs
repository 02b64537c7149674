//! Several tenants in one run (`--tenants FILE`): the tenants file and each tenant's config
//! ([`members`]), then `plan`, `apply`, `export` and `validate` over them, and the comparison
//! `diff-tenants`. Each tenant has its own client, so its own rate-limit bucket: the tenants
//! are read at once and a run takes about as long as its slowest tenant.

pub mod apply;
pub mod diff_tenants;
pub mod errors;
pub mod export;
pub mod members;
pub mod plan;
pub mod validate;

use std::path::Path;

use crate::cli::{TargetArgs, TenantsArgs};
use crate::error::CommandError;

/// The tenants file of `--tenants`; `--only` without it is an error.
pub fn tenants_file(args: &TenantsArgs) -> Result<&Path, CommandError> {
    args.tenants.as_deref().ok_or_else(|| {
        CommandError::Other(
            "--only picks tenants of a tenants file: give the file with --tenants FILE".into(),
        )
    })
}

/// `--emulator` runs one in-process tenant; a tenants file names its own tenants.
pub fn refuse_emulator(target: &TargetArgs) -> Result<(), CommandError> {
    if target.emulator {
        return Err(CommandError::Other(
            "--emulator and --tenants cannot be combined: the tenants file names the tenants (point a tenant's `domain` at a running `mfactl emulator` to try it out)".into(),
        ));
    }
    Ok(())
}
