//! The six stages apply runs one after another (DESIGN.md section 4).

use std::fmt;

use crate::model::Address;
use crate::resource::StageRule;

/// When a change runs. Stages run in declaration order; changes inside one stage are
/// independent of each other and may run in parallel.
///
/// The order keeps a tenant usable at every step: a factor is never exposed before its
/// provider is ready, MFA is never required before a factor is on, and a factor is never taken
/// away before policies and replacements are in place.
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
    /// The MFA policies.
    Policies,
    /// Factors turned off.
    DisableFactors,
}

impl Stage {
    /// Every stage in the order apply runs them.
    pub const ALL: [Stage; 6] = [
        Stage::ConfigureProviders,
        Stage::SelectProviders,
        Stage::EnableFactors,
        Stage::PhoneMessageTypes,
        Stage::Policies,
        Stage::DisableFactors,
    ];

    /// The stage's position, from 1 to 6.
    pub fn number(self) -> u8 {
        match self {
            Stage::ConfigureProviders => 1,
            Stage::SelectProviders => 2,
            Stage::EnableFactors => 3,
            Stage::PhoneMessageTypes => 4,
            Stage::Policies => 5,
            Stage::DisableFactors => 6,
        }
    }

    /// The machine-readable name used in the JSON plan and saved plans.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::ConfigureProviders => "configure-providers",
            Stage::SelectProviders => "select-providers",
            Stage::EnableFactors => "enable-factors",
            Stage::PhoneMessageTypes => "phone-message-types",
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
        assert_eq!(numbers, [1, 2, 3, 4, 5, 6]);
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
