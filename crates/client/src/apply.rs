//! Executes a plan: stage after stage, the requests of one stage at once, wave by wave
//! ([`Wave`]: within a stage, the delete that makes room for a create goes first, and the
//! deletes of users' methods go after the creates).
//!
//! The next wave or stage starts only when every request of the previous one succeeded; after
//! a failure the rest is reported as not attempted. Every request here is idempotent (PUT and
//! PATCH of whole settings), so running apply again after any failure converges.

use std::fmt;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use futures_util::stream;

use crate::error::is_route_not_found;
use crate::{ApiError, Client};
use mfactl_core::model::{Address, MfaState};
use mfactl_core::plan::fix::{Refusal, RefusedOn, fix_for};
use mfactl_core::plan::{Change, Plan, Stage, Wave};
use mfactl_core::request::HttpMethod;

/// What became of one planned request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Applied,
    /// The API's (or the network's) message.
    Failed(String),
    NotAttempted,
}

/// One request of an apply and its outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestResult {
    pub address: Address,
    pub stage: Stage,
    pub method: HttpMethod,
    pub path: String,
    pub outcome: Outcome,
    pub duration: Duration,
}

impl fmt::Display for RequestResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let request = format!("{} /api/v2{}", self.method, self.path);
        match &self.outcome {
            Outcome::Applied => write!(
                f,
                "applied        {} ({request}, {} ms)",
                self.address,
                self.duration.as_millis()
            ),
            Outcome::Failed(message) => {
                write!(f, "failed         {} ({request}): {message}", self.address)
            }
            Outcome::NotAttempted => write!(f, "not attempted  {} ({request})", self.address),
        }
    }
}

/// Everything an apply did, in plan order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApplyReport {
    pub results: Vec<RequestResult>,
}

impl ApplyReport {
    pub fn succeeded(&self) -> bool {
        self.results.iter().all(|r| r.outcome == Outcome::Applied)
    }

    pub fn count(&self, wanted: fn(&Outcome) -> bool) -> usize {
        self.results.iter().filter(|r| wanted(&r.outcome)).count()
    }

    /// `Applied 3 of 5 changes: 1 failed, 1 not attempted.` or `Applied 5 changes.`
    pub fn summary(&self) -> String {
        let applied = self.count(|o| *o == Outcome::Applied);
        let failed = self.count(|o| matches!(o, Outcome::Failed(_)));
        let skipped = self.count(|o| *o == Outcome::NotAttempted);
        let total = self.results.len();
        let noun = if total == 1 { "change" } else { "changes" };
        if failed == 0 && skipped == 0 {
            format!("Applied {applied} {noun}.")
        } else {
            format!(
                "Applied {applied} of {total} {noun}: {failed} failed, {skipped} not attempted."
            )
        }
    }
}

/// Runs the plan's stages in order; `progress` hears of each request as it ends. `desired` is
/// the file's state the plan was made from: a refusal's fix is worked out from it.
pub async fn execute(
    client: &Client,
    plan: &Plan,
    desired: &MfaState,
    progress: &(dyn Fn(&RequestResult) + Sync),
) -> ApplyReport {
    let concurrency = client.options().concurrency.max(1);
    let mut report = ApplyReport::default();
    let mut failed = false;
    for (stage, changes) in plan.stages() {
        if failed {
            for change in changes {
                let result = result_of(change, Outcome::NotAttempted, Duration::ZERO);
                progress(&result);
                report.results.push(result);
            }
            continue;
        }
        let mut results: Vec<(usize, RequestResult)> = Vec::new();
        for wave in Wave::ALL {
            let batch = changes
                .iter()
                .enumerate()
                .filter(|(_, change)| change.wave == wave);
            if failed {
                for (index, change) in batch {
                    let result = result_of(change, Outcome::NotAttempted, Duration::ZERO);
                    progress(&result);
                    results.push((index, result));
                }
                continue;
            }
            let sent: Vec<(usize, RequestResult)> = stream::iter(batch)
                .map(|(index, change)| async move {
                    let started = Instant::now();
                    let outcome = match client.send(&change.request).await {
                        Ok(_) => Outcome::Applied,
                        Err(e) => Outcome::Failed(failure_message(change, e, desired)),
                    };
                    let result = result_of(change, outcome, started.elapsed());
                    progress(&result);
                    (index, result)
                })
                .buffer_unordered(concurrency)
                .collect()
                .await;
            let mut sent = sent;
            note_what_was_replaced(&changes, &results, &mut sent);
            failed = sent
                .iter()
                .any(|(_, r)| matches!(r.outcome, Outcome::Failed(_)));
            results.extend(sent);
        }
        results.sort_by_key(|(index, _)| *index);
        tracing::debug!(stage = stage.as_str(), failed, "stage done");
        report.results.extend(results.into_iter().map(|(_, r)| r));
    }
    report
}

/// A create that failed after the delete of the item it replaces went through ([`Wave::First`]:
/// a user's one authenticator app) says so: the user holds neither until apply runs again.
fn note_what_was_replaced(
    changes: &[&Change],
    done: &[(usize, RequestResult)],
    sent: &mut [(usize, RequestResult)],
) {
    let owner = |change: &Change| {
        (
            change.address.spec().address,
            change.address.key().first().cloned(),
        )
    };
    let replaced: Vec<_> = done
        .iter()
        .filter(|(_, result)| result.outcome == Outcome::Applied)
        .filter_map(|(index, _)| changes.get(*index))
        .filter(|change| change.wave == Wave::First)
        .map(|change| owner(change))
        .collect();
    for (index, result) in sent.iter_mut() {
        if let Outcome::Failed(message) = &mut result.outcome
            && let Some(change) = changes.get(*index)
            && replaced.contains(&owner(change))
        {
            message.push_str(
                " The method it replaces was deleted first (a user holds one), so until apply runs again the user has neither."
            );
        }
    }
}

/// The API's message; for a feature the tenant cannot use, or a resource it lacks, also what to
/// change in the file (worked out from the file: [`mfactl_core::plan::fix`]).
fn failure_message(change: &Change, error: ApiError, desired: &MfaState) -> String {
    let refusal = |status, code| Refusal {
        address: &change.address,
        status,
        code,
        on: RefusedOn::Write,
    };
    match &error {
        ApiError::Unavailable {
            status,
            code,
            message,
            ..
        } => {
            let fix = fix_for(refusal(*status, code), desired)
                .map(|f| format!(" Fix: {f}"))
                .unwrap_or_default();
            format!("the tenant cannot use this: {message} ({status} {code}).{fix}")
        }
        ApiError::NotFound { message, code, .. } if !is_route_not_found(message, code) => {
            match fix_for(refusal(404, code), desired) {
                Some(fix) => {
                    format!("the tenant does not have this yet: {message} (404). Fix: {fix}")
                }
                None => error.to_string(),
            }
        }
        _ => error.to_string(),
    }
}

fn result_of(change: &Change, outcome: Outcome, duration: Duration) -> RequestResult {
    RequestResult {
        address: change.address.clone(),
        stage: change.stage,
        method: change.request.method,
        path: change.request.path.clone(),
        outcome,
        duration,
    }
}
