//! Reading the live tenant: exactly the endpoints the config manages, all at once.

use std::collections::BTreeSet;

use futures_util::StreamExt;
use futures_util::stream;

use crate::client::Client;
use crate::error::ApiError;
use crate::scopes::required_read_scopes;
use crate::users::{MAX_PAGES, METHODS_PER_PAGE};
use mfactl_core::live::read::{Read, absorb, reads_for};
use mfactl_core::live::{LiveTenant, Unavailable};
use mfactl_core::model::MfaState;

/// Reads the live values of every readable resource `desired` manages, one GET per endpoint
/// (one `GET /guardian/factors` for all factors), at most `concurrency` at a time.
///
/// Write-only resources (`push.fcm`, `push.fcmv1`) send no request. A 403 with an entitlement
/// or legacy code puts the resource into `unavailable`. A token known (from its claims) to
/// lack scopes fails before any read, naming all of them. A read that cannot reach the tenant
/// in time (its deadline passed, or no connection) stops every other read at once, so a read
/// ends within one request deadline. A 404 on a read whose spec says
/// "nothing set yet" (`phone.message_types`: "The phone factor does not exist.") reads as
/// empty; on a paged read (a user's methods) it means the user does not exist, which the plan
/// reports as unavailable. Any other error fails the read. Paged reads take every page.
pub async fn read_live(client: &Client, desired: &MfaState) -> Result<LiveTenant, ApiError> {
    let mut live = LiveTenant {
        domain: client.domain().to_string(),
        ..LiveTenant::default()
    };
    let reads = reads_for(desired);
    if reads.is_empty() {
        return Ok(live);
    }
    let needed = required_read_scopes(desired);
    client.check_scopes(&needed).await?;
    // Logs wait until every answer's secrets are registered (see `scrub::hold_logs`).
    let _hold = crate::scrub::hold_logs();

    let concurrency = client.options().concurrency.max(1);
    let mut pending = stream::iter(reads.into_iter().enumerate())
        .map(|(index, read)| async move {
            let answer = match read.paged {
                Some(list) => client
                    .get_pages(&read.path, list, METHODS_PER_PAGE, MAX_PAGES)
                    .await
                    .map(serde_json::Value::Array),
                None => client.get(&read.path).await,
            };
            (index, read, answer)
        })
        .buffer_unordered(concurrency);
    let mut answers: Vec<(usize, Read, Result<serde_json::Value, ApiError>)> = Vec::new();
    while let Some((index, read, answer)) = pending.next().await {
        match answer {
            // The tenant cannot be reached in time: the reads still queued or in flight would
            // only wait out their own deadlines. Returning drops (stops) them.
            Err(error) if error.is_unreachable() => return Err(error),
            answer => answers.push((index, read, answer)),
        }
    }
    answers.sort_by_key(|(index, _, _)| *index);

    let mut missing_scopes = BTreeSet::new();
    let mut first_error = None;
    for (_, read, answer) in answers {
        // Every address the read serves cannot be read, for the API's reason.
        let mut unavailable = |status: u16, code: String, message: String| {
            for address in &read.addresses {
                live.unavailable.insert(
                    address.clone(),
                    Unavailable {
                        status,
                        error_code: code.clone(),
                        message: message.clone(),
                    },
                );
            }
        };
        let body = match answer {
            Ok(body) => body,
            Err(ApiError::Unavailable {
                status,
                code,
                message,
                ..
            }) => {
                unavailable(status, code, message);
                continue;
            }
            Err(ApiError::NotFound { .. }) if read.not_found_is_empty() => read.empty_answer(),
            // A user the file names that the tenant does not have (`users:`).
            Err(ApiError::NotFound { message, code, .. }) if read.paged.is_some() => {
                unavailable(404, code, message);
                continue;
            }
            Err(ApiError::MissingScopes { missing, .. }) => {
                missing_scopes.extend(missing);
                continue;
            }
            Err(error) => {
                first_error.get_or_insert(error);
                continue;
            }
        };
        absorb(&read, &body, &mut live).map_err(|detail| ApiError::InvalidResponse {
            method: "GET".into(),
            path: read.path.clone(),
            detail,
        })?;
    }
    // Secrets the tenant returns (Duo `skey`, Twilio `auth_token`) must not show either.
    crate::scrub::register_all(live.state.secrets());
    if !missing_scopes.is_empty() {
        return Err(ApiError::MissingScopes {
            missing: missing_scopes,
            needed,
        });
    }
    match first_error {
        Some(error) => Err(error),
        None => Ok(live),
    }
}
