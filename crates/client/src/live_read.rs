//! Reading the live tenant: exactly the endpoints the config manages, all at once.

use std::collections::BTreeSet;

use futures_util::StreamExt;
use futures_util::stream;

use crate::client::Client;
use crate::error::ApiError;
use crate::resources::{ReadTarget, absorb_read, parse_consolidated_phone, read_targets};
use crate::scopes::required_read_scopes;
use mfactl_core::live::{LiveTenant, Unavailable};
use mfactl_core::model::MfaState;

/// Reads the live values of every readable resource `desired` manages, one GET per endpoint
/// (one `GET /guardian/factors` for all factors), at most `concurrency` at a time.
///
/// Write-only resources (`push.fcm`, `push.fcmv1`) send no request and stay `None`. A 403 with
/// an entitlement or legacy code puts the resource into `unavailable`. A token known (from its
/// claims) to lack scopes fails before any read, naming all of them. A read that cannot reach
/// the tenant in time (its deadline passed, or no connection) stops every other read at once,
/// so a read ends within one request deadline. A 404 on
/// `phone.message_types` ("The phone factor does not exist.") reads as no message types. Any
/// other error fails the read.
pub async fn read_live(client: &Client, desired: &MfaState) -> Result<LiveTenant, ApiError> {
    let mut live = LiveTenant {
        domain: client.domain().to_string(),
        ..LiveTenant::default()
    };
    let targets = read_targets(desired);
    if targets.is_empty() {
        return Ok(live);
    }
    let needed = required_read_scopes(desired);
    client.check_scopes(&needed).await?;

    let concurrency = client.options().concurrency.max(1);
    let mut reads = stream::iter(targets)
        .map(|target| async move { (target, client.get(target.path()).await) })
        .buffer_unordered(concurrency);
    let mut answers: Vec<(ReadTarget, Result<serde_json::Value, ApiError>)> = Vec::new();
    while let Some((target, answer)) = reads.next().await {
        match answer {
            // The tenant cannot be reached in time: the reads still queued or in flight would
            // only wait out their own deadlines. Returning drops (stops) them.
            Err(error) if error.is_unreachable() => return Err(error),
            answer => answers.push((target, answer)),
        }
    }
    answers.sort_by_key(|(target, _)| *target);

    let mut missing_scopes = BTreeSet::new();
    let mut first_error = None;
    for (target, answer) in answers {
        let body = match answer {
            Ok(body) => body,
            Err(ApiError::Unavailable {
                status,
                code,
                message,
                ..
            }) => {
                for address in target.addresses(desired) {
                    live.unavailable.insert(
                        address,
                        Unavailable {
                            status,
                            error_code: code.clone(),
                            message: message.clone(),
                        },
                    );
                }
                continue;
            }
            Err(ApiError::NotFound { .. }) if target == ReadTarget::PhoneMessageTypes => {
                serde_json::json!({ "message_types": [] })
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
        if target == ReadTarget::TenantSettings {
            live.consolidated_phone = Some(parse_consolidated_phone(&body));
        }
        absorb_read(
            target,
            desired,
            &body,
            &mut live.state,
            &mut live.fingerprints,
        )
        .map_err(|detail| ApiError::InvalidResponse {
            method: "GET".into(),
            path: target.path().into(),
            detail,
        })?;
    }
    if !missing_scopes.is_empty() {
        return Err(ApiError::MissingScopes {
            missing: missing_scopes,
            needed,
        });
    }
    // Secrets the tenant returns (Duo `skey`, Twilio `auth_token`) must not show either.
    crate::scrub::register_all(live.state.secrets());
    match first_error {
        Some(error) => Err(error),
        None => Ok(live),
    }
}
