//! The Management API scopes a config needs, from the resource table.

use std::collections::BTreeSet;

use crate::live::read::reads_for;
use crate::model::MfaState;

/// Every scope needed to read what `desired` manages (what `plan` needs): one per read it
/// sends, `/tenants/settings` included when anything phone-related is managed.
pub fn required_read_scopes(desired: &MfaState) -> BTreeSet<String> {
    reads_for(desired)
        .into_iter()
        .map(|read| read.scope.to_string())
        .collect()
}

/// Every scope needed to write what `desired` manages. `apply` also reads, so it needs these
/// and [`required_read_scopes`].
///
/// Resources created once and then updated by id (Tenant Phone Settings) need the `create:`
/// scope as well as `update:`; both are asked for, since which one a run needs is only known
/// after the read.
///
/// A collection (users' methods) needs its create and update scopes, and its delete scope
/// only where the file deletes (`manage: exact`).
pub fn required_write_scopes(desired: &MfaState) -> BTreeSet<String> {
    let mut scopes = BTreeSet::new();
    for address in desired.managed_addresses() {
        let spec = address.spec();
        scopes.extend(spec.write.scopes().map(String::from));
        if let Some(collection) = spec.collection {
            scopes.insert(collection.update.scope.to_string());
            let (mode, every) = collection.mode;
            let exact = desired
                .get(&address)
                .is_some_and(|v| v.text(mode) == Some(every));
            if exact {
                scopes.insert(collection.delete.scope.to_string());
            }
        }
    }
    scopes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Address, Factor, Values};
    use crate::resource::specs::{PUSH_CUSTOM_APP, PUSH_FCM, TENANT_PHONE_PROVIDER};

    fn sorted(scopes: BTreeSet<String>) -> Vec<String> {
        scopes.into_iter().collect()
    }

    #[test]
    fn scopes_follow_what_is_managed() {
        let mut desired = MfaState::default();
        assert!(required_read_scopes(&desired).is_empty());
        desired.set_factor(Factor::Otp, true);
        desired.insert(Address::of(&PUSH_FCM), Values::default());
        // Factors without the policies: the policies are read for the lockout check.
        assert_eq!(
            sorted(required_read_scopes(&desired)),
            ["read:guardian_factors", "read:mfa_policies"]
        );
        desired.set_policies([]);
        desired.insert(Address::of(&PUSH_CUSTOM_APP), Values::default());
        assert_eq!(
            sorted(required_read_scopes(&desired)),
            ["read:guardian_factors", "read:mfa_policies", "read:prompts"]
        );
        assert_eq!(
            sorted(required_write_scopes(&desired)),
            [
                "update:guardian_factors",
                "update:mfa_policies",
                "update:prompts"
            ]
        );
    }

    #[test]
    fn tenant_phone_objects_need_create_and_update_and_the_phone_kind() {
        let mut desired = MfaState::default();
        desired.insert(Address::of(&TENANT_PHONE_PROVIDER), Values::default());
        assert_eq!(
            sorted(required_read_scopes(&desired)),
            ["read:phone_providers", "read:tenant_settings"]
        );
        assert_eq!(
            sorted(required_write_scopes(&desired)),
            ["create:phone_providers", "update:phone_providers"]
        );
    }
}
