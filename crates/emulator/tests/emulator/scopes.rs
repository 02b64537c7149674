//! The scopes the client asks for (from the resource table) are the ones the emulator enforces,
//! route by route: the settings resources' and the per-user endpoints'.

use std::collections::BTreeSet;

use mfactl_core::model::{Address, MfaState, Values};
use mfactl_core::plan::scopes::{required_read_scopes, required_write_scopes};
use mfactl_core::resource::registry::USER_ENDPOINTS;
use mfactl_core::resource::{Keys, RESOURCES, ResourceSpec};
use mfactl_emulator::access_token::ALL_SCOPES;
use mfactl_emulator::routes::table_scopes;
use serde_json::json;

use crate::support::{assert_error, call, emulator};

/// One address of `spec` (the first key of each closed list).
fn sample_address(spec: &'static ResourceSpec) -> Address {
    match spec.keys {
        Keys::Single => Address::of(spec),
        Keys::Fixed(info) => Address::keyed(spec, info.names().take(1)),
        Keys::PromptLanguage { prompts, languages } => Address::keyed(
            spec,
            [prompts.names().next(), languages.names().next()]
                .into_iter()
                .flatten(),
        ),
        Keys::User => Address::keyed(spec, ["auth0|640b5a0ed3534be8b2db9dd3"]),
    }
}

/// A desired state that manages one address of every resource of the table.
fn manages_everything() -> MfaState {
    let mut state = MfaState::default();
    for spec in RESOURCES.iter().copied() {
        state.insert(sample_address(spec), Values::default());
    }
    state
}

#[test]
fn every_scope_the_client_checks_is_one_the_emulator_enforces() {
    let everything = manages_everything();
    let client: BTreeSet<String> = required_read_scopes(&everything)
        .into_iter()
        .chain(required_write_scopes(&everything))
        .collect();
    let enforced: BTreeSet<String> = table_scopes().into_iter().map(String::from).collect();
    let users: BTreeSet<String> = USER_ENDPOINTS.iter().map(|e| e.scope.to_owned()).collect();
    let client: BTreeSet<String> = client.union(&users).cloned().collect();
    let missing: Vec<&String> = client.difference(&enforced).collect();
    assert!(missing.is_empty(), "the emulator never checks {missing:?}");
    // The emulator's all-scopes token holds every scope it enforces.
    let all: BTreeSet<String> = ALL_SCOPES.iter().copied().map(String::from).collect();
    let not_granted: Vec<&String> = enforced.difference(&all).collect();
    assert!(not_granted.is_empty(), "ALL_SCOPES lacks {not_granted:?}");
}

/// Every scope but `scope`.
fn all_but(scope: &str) -> Vec<&'static str> {
    ALL_SCOPES.iter().copied().filter(|s| *s != scope).collect()
}

#[tokio::test]
async fn each_route_of_the_table_refuses_a_token_without_its_scope() {
    let emulator = emulator().await;
    let mut checked = 0;
    for spec in RESOURCES.iter().copied() {
        let address = sample_address(spec);
        if let Some(read) = spec.read {
            let path = address.fill(read.path);
            let refused = call(&emulator, &all_but(read.scope), "GET", &path, None).await;
            assert_error(
                &refused,
                403,
                "insufficient_scope",
                &format!("Insufficient scope, expected any of: {}", read.scope),
            );
            let allowed = call(&emulator, &[read.scope], "GET", &path, None).await;
            assert_ne!(allowed.status, 403, "GET {path}: {}", allowed.body);
            checked += 1;
        }
        let write = spec.write;
        let path = address.fill(write.path);
        let method = write.method.as_str();
        let refused = call(
            &emulator,
            &all_but(write.scope),
            method,
            &path,
            Some(json!({})),
        )
        .await;
        assert_error(
            &refused,
            403,
            "insufficient_scope",
            &format!("Insufficient scope, expected any of: {}", write.scope),
        );
        if let Some(by_id) = write.by_id {
            let path = format!("{path}/rec_1");
            let refused = call(
                &emulator,
                &all_but(by_id.update_scope),
                "PATCH",
                &path,
                Some(json!({})),
            )
            .await;
            assert_error(
                &refused,
                403,
                "insufficient_scope",
                &format!(
                    "Insufficient scope, expected any of: {}",
                    by_id.update_scope
                ),
            );
        }
        checked += 1;
    }
    assert!(checked > RESOURCES.len(), "{checked}");
}

#[tokio::test]
async fn each_per_user_endpoint_refuses_a_token_without_its_scope() {
    let emulator = emulator().await;
    for spec in USER_ENDPOINTS {
        let params: Vec<&str> = (0..spec.placeholders()).map(|_| "x").collect();
        let path = spec.fill(&params);
        let method = spec.method.as_str();
        let refused = call(
            &emulator,
            &all_but(spec.scope),
            method,
            &path,
            Some(json!({})),
        )
        .await;
        assert_error(
            &refused,
            403,
            "insufficient_scope",
            &format!("Insufficient scope, expected any of: {}", spec.scope),
        );
        let allowed = call(&emulator, &[spec.scope], method, &path, Some(json!({}))).await;
        assert_ne!(allowed.status, 403, "{method} {path}: {}", allowed.body);
    }
}
