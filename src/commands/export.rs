//! `mfactl export`: the live tenant as a config file.

use std::process::ExitCode;

use crate::api::read_live;
use crate::cli::ExportArgs;
use crate::commands::target::{connect, runtime};
use crate::config::export::{everything, export, with_prompt_languages, with_users};
use crate::error::{CommandError, CommandResult};
use crate::resource::PhoneScope;
use crate::scrub;

pub fn run(args: &ExportArgs) -> CommandResult {
    let runtime = runtime()?;
    let live = runtime.block_on(async {
        let target = connect(&args.target).await?;
        let mut live = read_live(&target.client, &everything()).await?;
        // Prompt texts are kept per language: read them for the tenant's languages.
        let languages = live.enabled_locales.clone().unwrap_or_default();
        let prompts = with_prompt_languages(&languages);
        if !prompts.resources.is_empty() {
            let texts = read_live(&target.client, &prompts).await?;
            live.state.resources.extend(texts.state.resources);
            live.unavailable.extend(texts.unavailable);
        }
        if !args.users.is_empty() {
            let users = read_live(&target.client, &with_users(&args.users)).await?;
            if let Some((address, why)) = users.unavailable.iter().next() {
                return Err(CommandError::Other(format!(
                    "cannot export `{address}`: {} ({} {}); name existing users by their user id",
                    why.message, why.status, why.error_code
                )));
            }
            live.state.resources.extend(users.state.resources);
        }
        Ok::<_, CommandError>(live)
    })?;
    let consolidated = live.consolidated_phone == Some(true);
    for (address, why) in &live.unavailable {
        if consolidated && address.spec().phone == PhoneScope::Legacy {
            // Expected: this tenant keeps its phone settings in Tenant Phone Settings.
            continue;
        }
        scrub::eprint(&format!(
            "note: `{address}` is not exported: the tenant cannot use it ({}: {})\n",
            why.error_code, why.message
        ));
    }
    let exported = export(&live, env!("CARGO_PKG_VERSION"))
        .map_err(|e| CommandError::Other(format!("cannot write the config: {e}")))?;
    match &args.output {
        Some(path) => {
            scrub::write_file(path, &exported.text).map_err(|e| CommandError::write(path, e))?;
            scrub::eprint(&format!("Wrote {}.\n", path.display()));
        }
        None => scrub::print(&exported.text),
    }
    if !exported.variables.is_empty() {
        scrub::eprint(&format!(
            "Set these environment variables before `mfactl apply`: {}\n",
            exported.variables.join(", ")
        ));
    }
    Ok(ExitCode::SUCCESS)
}
