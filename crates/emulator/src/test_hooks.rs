//! Test hooks under `/__emulator/`: read and seed the state, read the request log, reset,
//! script faults, and add users with authentication methods. They need no token and never count against the rate limit or draw faults.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;

use super::scripted_faults::ScriptedFault;
use super::server::{Shared, hook_error, hook_json, hook_ok, lock};
use super::tenant::TenantState;
use super::users_state::SeedUser;

/// `GET /__emulator/state`: everything, write-only values included.
pub(crate) async fn get_state(State(shared): State<Arc<Shared>>) -> Response {
    let state = lock(&shared.tenant).clone();
    hook_json(&serde_json::to_value(&state).unwrap_or_default())
}

/// `PUT /__emulator/state`: replace the state (missing parts are a new tenant's).
pub(crate) async fn put_state(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    match serde_json::from_slice::<TenantState>(&body) {
        Ok(state) => {
            *lock(&shared.tenant) = state;
            hook_ok()
        }
        Err(error) => hook_error(format!("invalid emulator state: {error}")),
    }
}

/// `GET /__emulator/requests`: the request log in arrival order, secrets masked.
pub(crate) async fn get_requests(State(shared): State<Arc<Shared>>) -> Response {
    hook_json(&serde_json::to_value(shared.requests()).unwrap_or_default())
}

/// `POST /__emulator/reset`: back to a new tenant, empty log.
pub(crate) async fn reset(State(shared): State<Arc<Shared>>) -> Response {
    shared.reset();
    hook_ok()
}

/// `POST /__emulator/faults`: add one scripted fault (an object) or several (an array), e.g.
/// `{"method":"PUT","path":"/api/v2/guardian/factors/otp","status":503,"times":1}`. Nothing is
/// added when any of them is unusable.
pub(crate) async fn add_faults(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let faults = match serde_json::from_slice::<ScriptedFault>(&body) {
        Ok(fault) => vec![fault],
        Err(single_error) => match serde_json::from_slice::<Vec<ScriptedFault>>(&body) {
            Ok(faults) => faults,
            Err(_) => return hook_error(format!("invalid scripted fault: {single_error}")),
        },
    };
    if let Some(problem) = faults.iter().find_map(ScriptedFault::problem) {
        return hook_error(format!("invalid scripted fault: {problem}"));
    }
    let mut scripted = lock(&shared.scripted);
    for fault in faults {
        scripted.add(fault);
    }
    hook_ok()
}

/// `GET /__emulator/faults`: the pending scripted faults, with what is left of their `times`.
pub(crate) async fn get_faults(State(shared): State<Arc<Shared>>) -> Response {
    let pending = lock(&shared.scripted).pending();
    hook_json(&serde_json::to_value(pending).unwrap_or_default())
}

/// `DELETE /__emulator/faults`: forget every scripted fault.
pub(crate) async fn clear_faults(State(shared): State<Arc<Shared>>) -> Response {
    lock(&shared.scripted).clear();
    hook_ok()
}

/// `POST /__emulator/users`: add a user with authentication methods (see
/// [`super::users_state::SeedUser`]), e.g. `{"email":"jo@example.com","authentication_methods":
/// [{"type":"phone","phone_number":"+15551234567"}]}`; answers the user as stored.
pub(crate) async fn add_user(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let seed = match serde_json::from_slice::<SeedUser>(&body) {
        Ok(seed) => seed,
        Err(error) => return hook_error(format!("invalid user: {error}")),
    };
    match shared.add_user(seed) {
        Ok(user) => hook_json(&serde_json::to_value(&user).unwrap_or_default()),
        Err(error) => hook_error(error.message),
    }
}
