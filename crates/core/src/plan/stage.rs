//! The seven stages apply runs one after another (DESIGN.md section 4, and issue 14 for users'
//! methods).

use std::fmt;

use crate::model::Address;
use crate::resource::StageRule;

/// When a change runs. Stages run in declaration order; changes inside one stage are
/// independent of each other and may run in parallel.
///
/// The order keeps a tenant usable at every step: a factor is never exposed before its
/// provider is ready, MFA is never required before a factor is on, and a factor is never taken
/// away before policies and replacements are in place.
///
/// Users' authentication methods (the `users:` section) have their own stage, after the
/// factors they use are enabled (a phone method is of no use while `sms` is off, and its
/// preferred delivery needs the phone message types) and before the policies that make MFA
/// required: a declared user (a break-glass administrator, an end-to-end test user) then holds
/// the method it logs in with before the first login that asks for one. Methods the file
/// deletes (`manage: exact`) go in the same stage, so a factor is disabled only after them.
///
/// Adding this stage moved the numbers of the two after it: policies are stage 6 and disabled
/// factors stage 7 (the JSON plan's `stage_number`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// Provider credentials and factor settings (Twilio, SNS, APNs, FCM, custom app, Duo,
    /// WebAuthn, phone templates).
    ConfigureProviders,
    /// The phone and push selected providers.
    SelectProviders,
    /// Factors turned on.
    EnableFactors,
    /// The phone factor's message types (the phone factor exists once SMS was enabled).
    PhoneMessageTypes,
    /// Users' authentication methods: created, updated and (with `manage: exact`) deleted.
    UserMethods,
    /// The MFA policies.
    Policies,
    /// Factors turned off.
    DisableFactors,
}

impl Stage {
    /// Every stage in the order apply runs them.
    pub const ALL: [Stage; 7] = [
        Stage::ConfigureProviders,
        Stage::SelectProviders,
        Stage::EnableFactors,
        Stage::PhoneMessageTypes,
        Stage::UserMethods,
        Stage::Policies,
        Stage::DisableFactors,
    ];

    /// The stage's position, from 1 to 7.
    pub fn number(self) -> u8 {
        match self {
            Stage::ConfigureProviders => 1,
            Stage::SelectProviders => 2,
            Stage::EnableFactors => 3,
            Stage::PhoneMessageTypes => 4,
            Stage::UserMethods => 5,
            Stage::Policies => 6,
            Stage::DisableFactors => 7,
        }
    }

    /// The machine-readable name used in the JSON plan and saved plans.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::ConfigureProviders => "configure-providers",
            Stage::SelectProviders => "select-providers",
            Stage::EnableFactors => "enable-factors",
            Stage::PhoneMessageTypes => "phone-message-types",
            Stage::UserMethods => "user-methods",
            Stage::Policies => "policies",
            Stage::DisableFactors => "disable-factors",
        }
    }

    /// A heading for people.
    pub fn title(self) -> &'static str {
        match self {
            Stage::ConfigureProviders => "configure providers and settings",
            Stage::SelectProviders => "select providers",
            Stage::EnableFactors => "enable factors",
            Stage::PhoneMessageTypes => "phone message types",
            Stage::UserMethods => "users' authentication methods",
            Stage::Policies => "policies",
            Stage::DisableFactors => "disable factors",
        }
    }

    /// The stage a write to `address` belongs to. `enable` is the switch's desired state and
    /// only matters for switches (factors).
    pub fn of(address: &Address, enable: bool) -> Stage {
        match address.spec().stage {
            StageRule::Fixed(stage) => stage,
            StageRule::BySwitch if enable => Stage::EnableFactors,
            StageRule::BySwitch => Stage::DisableFactors,
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Factor, MfaState};

    #[test]
    fn stages_are_numbered_in_order() {
        let numbers: Vec<u8> = Stage::ALL.iter().map(|s| s.number()).collect();
        assert_eq!(numbers, [1, 2, 3, 4, 5, 6, 7]);
        let mut sorted = Stage::ALL;
        sorted.sort();
        assert_eq!(sorted, Stage::ALL);
    }

    #[test]
    fn factors_go_early_when_enabled_and_last_when_disabled() {
        use crate::resource::specs::{PUSH_PROVIDER, PUSH_SNS};
        let sms = MfaState::factor_address(Factor::Sms);
        assert_eq!(Stage::of(&sms, true), Stage::EnableFactors);
        assert_eq!(Stage::of(&sms, false), Stage::DisableFactors);
        assert_eq!(
            Stage::of(&Address::of(&PUSH_SNS), true),
            Stage::ConfigureProviders
        );
        assert_eq!(
            Stage::of(&Address::of(&PUSH_PROVIDER), true),
            Stage::SelectProviders
        );
    }
}
