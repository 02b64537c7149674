//! Adding many users' authentication methods (`mfactl users import`): one
//! `POST /users/{id}/authentication-methods` per row, as fast as the tenant's rate limit
//! allows, without creating any method twice.
//!
//! - **Pacing.** Rows start while fewer are in flight than the tenant's bucket holds
//!   ([`Client::requests_in_flight_allowed`]: one until the first answer tells the limit); the
//!   client paces each request from the `x-ratelimit-*` headers and sends a 429'd request
//!   again.
//! - **Write-ahead journal.** Before each POST, the row is recorded as being sent
//!   ([`Journal::sending`]), and its outcome after it ([`Journal::finished`]). A row an earlier
//!   run left in flight (or failed) comes back with [`ImportItem::check_first`]: the user's
//!   live methods are read, and a method with the row's identity there means it is already
//!   present; only otherwise is it sent. Only an authenticator app's identity (type and name)
//!   is exact: a read masks phone numbers and emails, and another number with the same last
//!   four digits reads the same, so a phone or email row is sent again and the API's 409 for a
//!   method the user has says it is there.
//! - **Failures that may have taken effect** (5xx, timeouts, dropped connections, a deadline)
//!   are retried like `plan`'s reads, up to the client's attempts, but each retry first reads
//!   the live list, for the same reason. A 409 ("Authentication method already exists") or an
//!   identical live method counts as already present, not as a failure; but a user holds one
//!   authenticator app, and a `totp` row for a user whose app has another name fails, saying
//!   so: the row's secret was not used.
//! - Users named by email are looked up once (`GET /users-by-email`) and remembered while the
//!   import runs (a bounded number of them).
//!
//! - A `totp` row's secret is registered with [`crate::scrub`] while the row is in flight
//!   ([`scrub::register_in_flight`]), so an answer or error that quotes it is scrubbed, and
//!   forgotten once the row's outcome has reached the journal and `done`: however many rows,
//!   the scrubber holds only the secrets in flight.
//!
//! Nothing here prints: outcomes go to the caller, whose messages mask personal data.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::SystemTime;

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use serde_json::Value;

use crate::client::Client;
use crate::error::ApiError;
use crate::retry::{ServerHints, retry_delay};
use crate::scrub;
use crate::users::UserLookup;
use mfactl_core::resource::specs::user_methods::METHODS_COLLECTION;
use mfactl_core::users::identity::identity;
use mfactl_core::users::import::ImportRow;
use mfactl_core::users::masking::{mask_email, mask_text};
use mfactl_core::users::method::MethodKind;
use mfactl_core::users::user_ref::UserRef;

/// Users looked up by email that are remembered at most; the memory of a long import stays
/// flat.
const REMEMBERED_USERS: usize = 10_000;

/// One row to import.
#[derive(Debug, Clone)]
pub struct ImportItem {
    /// The row's number in the file (1-based, in file order): how the journal names it.
    pub row: u64,
    /// The line it starts on, for messages.
    pub line: u64,
    pub import: ImportRow,
    /// An earlier run may have sent it (it was in flight, or failed): read the user's live
    /// methods before sending it.
    pub check_first: bool,
}

/// What became of a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Created by this run.
    Done,
    /// The user already had it (a 409, or an identical live method).
    AlreadyPresent,
    /// Not created; the reason, with personal data masked.
    Failed(String),
}

/// Where the import records each row before and after sending it. Both calls must have
/// reached the file when they return; an error stops the import (nothing is sent that the
/// journal does not know of).
pub trait Journal: Sync {
    fn sending(&self, item: &ImportItem) -> Result<(), String>;
    fn finished(&self, item: &ImportItem, outcome: &Outcome) -> Result<(), String>;
}

/// Imports `rows` in order of start, as many at a time as the rate limit allows; `done` hears
/// of each row's outcome as it ends. Once `stop` says so (a signal), no row starts; those in
/// flight end and are recorded, and it returns. Fails only when the journal cannot be written
/// (rows in flight then finish first).
pub async fn import(
    client: &Client,
    rows: &mut dyn Iterator<Item = ImportItem>,
    journal: &dyn Journal,
    done: &(dyn Fn(&ImportItem, &Outcome) + Sync),
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<(), String> {
    let users = Mutex::new(HashMap::new());
    let mut in_flight = FuturesUnordered::new();
    let mut exhausted = false;
    let mut failure = None;
    loop {
        while !exhausted
            && failure.is_none()
            && !stop()
            && in_flight.len() < client.requests_in_flight_allowed()
        {
            match rows.next() {
                Some(item) => {
                    // The row's secret is scrubbed from every output while the row is in
                    // flight (the API may quote it back), and forgotten once its outcome is
                    // written: memory stays that of the rows in flight.
                    let secret = match &item.import.method.kind {
                        MethodKind::Totp { secret } => {
                            Some(scrub::register_in_flight(secret.expose()))
                        }
                        _ => None,
                    };
                    in_flight.push(row(client, &users, item, journal, secret));
                }
                None => exhausted = true,
            }
        }
        let Some((item, result, secret)) = in_flight.next().await else {
            break;
        };
        match result {
            Ok(outcome) => match journal.finished(&item, &outcome) {
                Ok(()) => done(&item, &outcome),
                Err(e) => {
                    failure.get_or_insert(e);
                }
            },
            Err(e) => {
                failure.get_or_insert(e);
            }
        }
        drop(secret);
    }
    match failure {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// One row, start to end. `Err` only when the journal cannot be written.
async fn row(
    client: &Client,
    users: &Mutex<HashMap<String, Result<String, String>>>,
    item: ImportItem,
    journal: &dyn Journal,
    secret: Option<scrub::InFlight>,
) -> (ImportItem, Result<Outcome, String>, Option<scrub::InFlight>) {
    let result = send(client, users, &item, journal).await;
    (item, result, secret)
}

async fn send(
    client: &Client,
    users: &Mutex<HashMap<String, Result<String, String>>>,
    item: &ImportItem,
    journal: &dyn Journal,
) -> Result<Outcome, String> {
    let user_id = match resolve(client, users, &item.import.user).await {
        Ok(id) => id,
        Err(reason) => return Ok(Outcome::Failed(reason)),
    };
    if item.check_first {
        match present(client, &user_id, &item.import).await {
            Live::Absent => {}
            settled => return Ok(settled.outcome()),
        }
    }
    let attempts = client.options().max_attempts.max(1);
    let mut attempt = 0;
    loop {
        attempt += 1;
        journal.sending(item)?;
        match client
            .create_authentication_method(&user_id, &item.import.method)
            .await
        {
            Ok(_) => return Ok(Outcome::Done),
            Err(ApiError::UnexpectedStatus { status: 409, .. }) => {
                // Which live method the 409 is about: the row's, or another app.
                return Ok(present(client, &user_id, &item.import).await.outcome());
            }
            Err(error) if may_have_taken_effect(&error) && attempt < attempts => {
                match present(client, &user_id, &item.import).await {
                    Live::Absent => {}
                    settled => return Ok(settled.outcome()),
                }
                let jitter = fastrand::f64();
                let hints = ServerHints {
                    retry_after: None,
                    ratelimit_reset: None,
                };
                let wait = retry_delay(
                    &client.options().retry,
                    attempt,
                    hints,
                    SystemTime::now(),
                    jitter,
                );
                tracing::debug!(row = item.row, attempt, "retrying a row");
                tokio::time::sleep(wait).await;
            }
            Err(error) => return Ok(Outcome::Failed(reason(&error, &item.import))),
        }
    }
}

/// Whether a failed POST may still have created the method.
fn may_have_taken_effect(error: &ApiError) -> bool {
    matches!(
        error,
        ApiError::Server { .. }
            | ApiError::Timeout { .. }
            | ApiError::Connection { .. }
            | ApiError::DeadlineExceeded { .. }
    )
}

/// A failure as a report line shows it: what the API said, with personal data masked.
fn reason(error: &ApiError, row: &ImportRow) -> String {
    let text = match error {
        ApiError::NotFound { message, .. } => {
            format!("user {} not found (404: {message})", row.shown_user())
        }
        ApiError::BadRequest { message, .. } => format!("the API refused the row (400: {message})"),
        other => other.to_string(),
    };
    mask_text(&text)
}

/// The user id of a row's user: as given, or looked up by email (remembered).
async fn resolve(
    client: &Client,
    users: &Mutex<HashMap<String, Result<String, String>>>,
    user: &UserRef,
) -> Result<String, String> {
    let email = match user {
        UserRef::Id(id) => return Ok(id.clone()),
        UserRef::Email(email) => email.to_lowercase(),
    };
    if let Some(known) = users.lock().ok().and_then(|m| m.get(&email).cloned()) {
        return known;
    }
    let found = match client.user_by_email(&email).await {
        Ok(user) => Ok(user.user_id),
        Err(UserLookup::Pick(why)) => Err(mask_text(&why)),
        Err(UserLookup::Api(error)) => Err(mask_text(&format!(
            "cannot look up the user {}: {error}",
            mask_email(&email)
        ))),
    };
    if let Ok(mut known) = users.lock() {
        if known.len() >= REMEMBERED_USERS {
            known.clear();
        }
        known.insert(email, found.clone());
    }
    found
}

/// What the user's live methods say of a row.
enum Live {
    /// A method with the row's identity is there.
    Present,
    /// Nothing stands in the row's way.
    Absent,
    /// Another method holds the one place of the row's kind (a differently named
    /// authenticator app): the row cannot be added. The reason, masked.
    Occupied(String),
    /// The live methods could not be read. The reason, masked.
    Unknown(String),
}

impl Live {
    fn outcome(self) -> Outcome {
        match self {
            Live::Present | Live::Absent => Outcome::AlreadyPresent,
            Live::Occupied(reason) | Live::Unknown(reason) => Outcome::Failed(reason),
        }
    }
}

/// Whether the user already has a method with the row's identity, or one of a kind a user holds
/// once ([`METHODS_COLLECTION`]`.single`) under another name.
async fn present(client: &Client, user_id: &str, row: &ImportRow) -> Live {
    let kind_wanted = row.method.method_type();
    // Only a kind held once has an identity a read can confirm (a phone's or email's is masked):
    // for the others the list would tell nothing, so it is not read.
    if !METHODS_COLLECTION.single.contains(&kind_wanted) {
        return Live::Absent;
    }
    let wanted = row.identity();
    let live = match client.list_authentication_methods(user_id).await {
        Ok(live) => live,
        Err(e) => return Live::Unknown(reason(&e, row)),
    };
    let text = |m: &Value, key: &str| m.get(key).and_then(Value::as_str).map(str::to_owned);
    let mut occupied = None;
    for method in &live {
        let kind = text(method, "type").unwrap_or_default();
        let id = text(method, "id");
        let found = identity(
            &kind,
            text(method, "phone_number").as_deref(),
            text(method, "email").as_deref(),
            text(method, "name").as_deref(),
            id.as_deref(),
        );
        if found == wanted {
            return Live::Present;
        }
        if kind == kind_wanted {
            occupied = Some((found, id.unwrap_or_default()));
        }
    }
    match occupied {
        Some((found, id)) => Live::Occupied(mask_text(&format!(
            "the user already has a {kind_wanted} method ({found}, {id}) and holds one at most, so the row's was not added (its secret was not used). To replace it, delete it first: mfactl users methods delete {user_id} '{id}'"
        ))),
        None => Live::Absent,
    }
}
