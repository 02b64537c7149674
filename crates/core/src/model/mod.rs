//! The tenant's MFA state: one type for what the file wants and what the tenant has.
//!
//! An [`MfaState`] maps each [`Address`] it holds to that resource's [`Values`]. In a desired
//! state, an address that is absent is *unmanaged*; in a live state, *not read*. The config
//! loader produces a desired state; the API client reads exactly the addresses that state
//! manages and returns a live state of the same shape; the plan compares the two. What a
//! resource is (its fields, routes and rules) lives in [`crate::resource`].

mod address;
mod enums;
mod value;

use std::collections::{BTreeMap, BTreeSet};

pub use address::Address;
pub use enums::{
    DeliveryMethod, EnumInfo, Factor, MessageType, MfaPrompt, PhoneProvider, PhoneTemplateType,
    Policy, PushProvider, TenantPhoneProviderName, UserVerification,
};
pub use value::{FieldValue, Values};

use crate::resource::ResourceSpec;
use crate::resource::specs::{
    FACTORS, PHONE_MESSAGE_TYPES, PHONE_PROVIDER, POLICIES, PUSH_PROVIDER,
};
use crate::secret::Secret;

/// The whole MFA configuration of a tenant, as far as it is managed or read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MfaState {
    pub resources: BTreeMap<Address, Values>,
}

impl MfaState {
    /// Every address this state holds, in plan order.
    pub fn managed_addresses(&self) -> Vec<Address> {
        self.resources.keys().cloned().collect()
    }

    pub fn get(&self, address: &Address) -> Option<&Values> {
        self.resources.get(address)
    }

    pub fn get_mut(&mut self, address: &Address) -> Option<&mut Values> {
        self.resources.get_mut(address)
    }

    pub fn insert(&mut self, address: Address, values: Values) {
        self.resources.insert(address, values);
    }

    pub fn remove(&mut self, address: &Address) -> Option<Values> {
        self.resources.remove(address)
    }

    pub fn contains(&self, address: &Address) -> bool {
        self.resources.contains_key(address)
    }

    /// The addresses of one spec (all the factors; all the templates), in plan order.
    pub fn addresses_of(&self, spec: &'static ResourceSpec) -> impl Iterator<Item = &Address> {
        self.resources.keys().filter(move |a| a.is(spec))
    }

    /// The single value of a [`crate::resource::Shape::Value`] resource.
    fn value_of(&self, spec: &'static ResourceSpec) -> Option<&FieldValue> {
        let field = spec.value_field()?;
        self.get(&Address::of(spec))?.get(field.key)
    }

    /// `policies`: `Some(empty)` means MFA is never required.
    pub fn policies(&self) -> Option<BTreeSet<Policy>> {
        let list = self.value_of(&POLICIES)?.as_list()?;
        Some(list.iter().filter_map(|p| Policy::parse(p)).collect())
    }

    /// Sets `policies`.
    pub fn set_policies<I: IntoIterator<Item = Policy>>(&mut self, policies: I) {
        let list = FieldValue::list(policies.into_iter().map(Policy::as_str));
        self.insert(Address::of(&POLICIES), Values::of([("policies", list)]));
    }

    /// The address of a factor's switch.
    pub fn factor_address(factor: Factor) -> Address {
        Address::keyed(&FACTORS, [factor.as_str()])
    }

    /// The factors this state holds: `true` = enabled.
    pub fn factors(&self) -> BTreeMap<Factor, bool> {
        self.addresses_of(&FACTORS)
            .filter_map(|address| {
                let factor = Factor::parse(address.name()?)?;
                let on = self.get(address)?.bool("enabled")?;
                Some((factor, on))
            })
            .collect()
    }

    /// One factor's switch, when held.
    pub fn factor(&self, factor: Factor) -> Option<bool> {
        self.get(&Self::factor_address(factor))?.bool("enabled")
    }

    /// Sets a factor's switch.
    pub fn set_factor(&mut self, factor: Factor, enabled: bool) {
        self.insert(
            Self::factor_address(factor),
            Values::of([("enabled", FieldValue::Bool(enabled))]),
        );
    }

    /// `phone.message_types`.
    pub fn message_types(&self) -> Option<BTreeSet<MessageType>> {
        let list = self.value_of(&PHONE_MESSAGE_TYPES)?.as_list()?;
        Some(list.iter().filter_map(|t| MessageType::parse(t)).collect())
    }

    /// `phone.provider`.
    pub fn phone_provider(&self) -> Option<PhoneProvider> {
        PhoneProvider::parse(self.value_of(&PHONE_PROVIDER)?.as_text()?)
    }

    /// `push.provider`.
    pub fn push_provider(&self) -> Option<PushProvider> {
        PushProvider::parse(self.value_of(&PUSH_PROVIDER)?.as_text()?)
    }

    /// Every secret value this state holds, for tests and output scrubbing.
    pub fn secrets(&self) -> Vec<&Secret> {
        self.resources
            .values()
            .flat_map(|v| v.fields.values())
            .flat_map(FieldValue::secrets)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource::specs::{DUO, PUSH_CUSTOM_APP};

    #[test]
    fn managed_addresses_list_only_what_is_set_in_plan_order() {
        let mut state = MfaState::default();
        assert!(state.managed_addresses().is_empty());
        state.insert(Address::of(&PUSH_CUSTOM_APP), Values::default());
        state.set_factor(Factor::Otp, true);
        state.set_factor(Factor::Sms, false);
        state.set_policies([]);
        let shown: Vec<String> = state
            .managed_addresses()
            .iter()
            .map(|a| a.to_string())
            .collect();
        assert_eq!(
            shown,
            ["policies", "factors.sms", "factors.otp", "push.custom_app"]
        );
        assert_eq!(state.policies(), Some(BTreeSet::new()));
        assert_eq!(
            state.factors(),
            BTreeMap::from([(Factor::Sms, false), (Factor::Otp, true)])
        );
    }

    #[test]
    fn secrets_are_collected() {
        let mut state = MfaState::default();
        state.insert(
            Address::of(&DUO),
            Values::of([("skey", FieldValue::Secret(Secret::new("duo-secret")))]),
        );
        let secrets: Vec<&str> = state.secrets().iter().map(|s| s.expose()).collect();
        assert_eq!(secrets, ["duo-secret"]);
    }
}
