//! `mfactl export`: the live tenant as a config file.

use std::process::ExitCode;

use crate::api::users::UserLookup;
use crate::api::{ApiError, Client, read_live};
use crate::cli::ExportArgs;
use crate::commands::target::{connect, runtime};
use crate::config::export::{everything, export, with_prompt_languages, with_users};
use crate::error::{CommandError, CommandResult};
use crate::live::LiveTenant;
use crate::resource::PhoneScope;
use crate::scrub;
use crate::users::masking::{mask_email, mask_text};
use crate::users::user_ref::UserRef;

pub fn run(args: &ExportArgs) -> CommandResult {
    if args.fleet.is_used() {
        return crate::commands::fleet::export::run(args);
    }
    let runtime = runtime()?;
    let live = runtime.block_on(async {
        let target = connect(&args.target).await?;
        let mut live = read_everything(&target.client).await?;
        if !args.users.is_empty() {
            let ids = user_ids(&target.client, &args.users).await?;
            let users = read_live(&target.client, &with_users(&ids)).await?;
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
    for note in unexported(&live) {
        scrub::eprint(&format!("note: {note}\n"));
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

/// The user ids of `--users`: an id as given, an email looked up (`GET /users-by-email`, which
/// needs `read:users`). Errors mask the email.
async fn user_ids(client: &Client, given: &[String]) -> Result<Vec<String>, CommandError> {
    let mut ids = Vec::with_capacity(given.len());
    for text in given {
        match UserRef::parse(text).map_err(|e| CommandError::Other(mask_text(&e)))? {
            UserRef::Id(id) => ids.push(id),
            UserRef::Email(email) => {
                let user = client.user_by_email(&email).await.map_err(|e| {
                    CommandError::Other(mask_text(&match e {
                        UserLookup::Api(e) => format!(
                            "cannot look up the user {} for --users: {e}",
                            mask_email(&email)
                        ),
                        UserLookup::Pick(why) => why,
                    }))
                })?;
                ids.push(user.user_id);
            }
        }
    }
    Ok(ids)
}

/// The whole tenant: every readable resource, and the prompt texts of its languages.
pub async fn read_everything(client: &Client) -> Result<LiveTenant, ApiError> {
    let mut live = read_live(client, &everything()).await?;
    // Prompt texts are kept per language: read them for the tenant's languages.
    let languages = live.enabled_locales.clone().unwrap_or_default();
    let prompts = with_prompt_languages(&languages);
    if !prompts.resources.is_empty() {
        let texts = read_live(client, &prompts).await?;
        live.state.resources.extend(texts.state.resources);
        live.unavailable.extend(texts.unavailable);
    }
    Ok(live)
}

/// What an export leaves out because the tenant cannot use it, one sentence each (a
/// consolidated tenant's legacy phone endpoints are expected, and not named).
pub fn unexported(live: &LiveTenant) -> Vec<String> {
    let consolidated = live.consolidated_phone == Some(true);
    live.unavailable
        .iter()
        .filter(|(address, _)| !(consolidated && address.spec().phone == PhoneScope::Legacy))
        .map(|(address, why)| {
            format!(
                "`{address}` is not exported: the tenant cannot use it ({}: {})",
                why.error_code, why.message
            )
        })
        .collect()
}
