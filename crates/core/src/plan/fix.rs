//! What to change in the config file when the tenant refuses a resource it manages.
//!
//! Every fix is worked out from the file that met the refusal, so that following it cannot
//! meet the same refusal again: a tenant whose plan refuses the policies endpoint altogether is
//! not told to write other policies, and a file that asks for no Adaptive MFA is not told to
//! upgrade to it. The unit tests apply each fix to the file and check the refusal is gone, for
//! every entitlement and legacy code and every resource that can receive it.

use std::fmt;

use crate::model::{Address, Factor, MessageType, MfaState, PhoneProvider, Policy};
use crate::resource::PhoneScope;
use crate::resource::specs::{PHONE_MESSAGE_TYPES, POLICIES};

/// When the tenant refused: reading the resource (the whole endpoint is closed to this tenant)
/// or writing the file's value (the endpoint is open; that value is not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusedOn {
    Read,
    Write,
}

/// One refusal of a resource the file manages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal<'a> {
    pub address: &'a Address,
    /// HTTP status: 403 for entitlement and legacy refusals, 404 for a resource the tenant lacks.
    pub status: u16,
    /// Auth0's `errorCode`.
    pub code: &'a str,
    pub on: RefusedOn,
}

/// One change to the config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    /// Remove these keys (and what is under them).
    RemoveKeys(Vec<String>),
    /// Remove one value from a list.
    RemoveValue { key: String, value: String },
    /// Write `key: value` instead of what the file has.
    Set { key: String, value: String },
}

impl fmt::Display for Edit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Edit::RemoveKeys(keys) => {
                let keys: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
                write!(f, "remove {} from the file", and_list(&keys))
            }
            Edit::RemoveValue { key, value } => write!(f, "remove `{value}` from `{key}`"),
            Edit::Set { key, value } => write!(f, "set `{key}: {value}`"),
        }
    }
}

/// What to do about a refusal: one of `edits`, or (when `upgrade` names the feature) a plan
/// that has it; `reason` says why in a few words, when the code alone does not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub edits: Vec<Edit>,
    pub upgrade: Option<&'static str>,
    pub reason: Option<&'static str>,
}

impl fmt::Display for Fix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut options: Vec<String> = self.edits.iter().map(Edit::to_string).collect();
        if let Some(feature) = self.upgrade {
            options.push(format!(
                "upgrade the tenant's Auth0 plan to one with {feature}"
            ));
        }
        f.write_str(&options.join(", or "))?;
        if let Some(reason) = self.reason {
            write!(f, " ({reason})")?;
        }
        Ok(())
    }
}

fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The legacy Guardian phone keys the file sets, as the file names them.
fn legacy_phone_keys(desired: &MfaState) -> Vec<String> {
    desired
        .managed_addresses()
        .iter()
        .filter(|a| a.spec().phone == PhoneScope::Legacy)
        .map(ToString::to_string)
        .collect()
}

fn remove(address: &Address) -> Edit {
    Edit::RemoveKeys(vec![address.to_string()])
}

/// The fix for `refusal`, worked out from `desired` (the file's state); `None` when no change
/// to the file can help (a resource deleted since the plan: plan again).
pub fn fix_for(refusal: Refusal<'_>, desired: &MfaState) -> Option<Fix> {
    let Refusal {
        address,
        status,
        code,
        on,
    } = refusal;
    let fix = |edits: Vec<Edit>, upgrade, reason| {
        Some(Fix {
            edits,
            upgrade,
            reason,
        })
    };
    if status == 404 {
        return match address {
            a if a.is(&PHONE_MESSAGE_TYPES) => {
                let enable = Edit::Set {
                    key: MfaState::factor_address(Factor::Sms).to_string(),
                    value: "true".into(),
                };
                let enabled = desired.factor(Factor::Sms) == Some(true);
                let edits = if enabled {
                    vec![remove(address)]
                } else {
                    vec![enable, remove(address)]
                };
                fix(
                    edits,
                    None,
                    Some("Auth0 creates the phone factor the first time `factors.sms` is enabled"),
                )
            }
            _ => None,
        };
    }
    match code {
        "legacy_mfa_phone_provider_not_allowed" => {
            let mut keys = legacy_phone_keys(desired);
            if keys.is_empty() {
                keys.push(address.to_string());
            }
            fix(
                vec![Edit::RemoveKeys(keys)],
                None,
                Some(
                    "this tenant sends phone messages through Tenant Phone Settings, `tenant_phone`",
                ),
            )
        }
        "voice_mfa_not_allowed" => {
            let types = desired.message_types();
            let types = types.as_ref();
            let has_voice = types.is_some_and(|t| t.contains(&MessageType::Voice));
            let others = types.is_some_and(|t| t.iter().any(|m| *m != MessageType::Voice));
            let edit = if on == RefusedOn::Write && has_voice && others {
                Edit::RemoveValue {
                    key: address.to_string(),
                    value: MessageType::Voice.to_string(),
                }
            } else {
                remove(address)
            };
            let reason = (on == RefusedOn::Read)
                .then_some("the tenant's plan closes the message-types endpoint altogether");
            fix(vec![edit], Some("voice MFA"), reason)
        }
        "hooks_not_allowed"
            if on == RefusedOn::Write
                && desired.phone_provider() == Some(PhoneProvider::PhoneMessageHook) =>
        {
            let types = desired.message_types().unwrap_or_default();
            let choices: Vec<Edit> = PhoneProvider::ALL
                .iter()
                .filter(|p| **p != PhoneProvider::PhoneMessageHook)
                .filter(|p| types.iter().all(|t| p.delivers(*t)))
                .map(|p| Edit::Set {
                    key: address.to_string(),
                    value: p.to_string(),
                })
                .collect();
            fix(choices, Some("hooks"), None)
        }
        "insufficient_entitlement" | "not_entitled"
            if address.is(&POLICIES)
                && on == RefusedOn::Write
                && desired
                    .policies()
                    .is_some_and(|p| p.contains(&Policy::ConfidenceScore)) =>
        {
            fix(
                vec![Edit::Set {
                    key: address.to_string(),
                    value: format!("[{}]", Policy::AllApplications),
                }],
                Some("Adaptive MFA"),
                None,
            )
        }
        "insufficient_entitlement" | "not_entitled" => {
            let reason = (on == RefusedOn::Read)
                .then_some("the tenant's plan closes this endpoint altogether, whatever the value");
            fix(vec![remove(address)], Some("this feature"), reason)
        }
        _ => fix(vec![remove(address)], None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::load_str;
    use crate::live::UNAVAILABLE_CODES;
    use crate::model::Values;
    use crate::resource::specs::{PHONE_PROVIDER, PHONE_TEMPLATES, PHONE_TWILIO};

    fn load(text: &str) -> MfaState {
        let env = |_: &str| Some("secret-value-for-tests".to_string());
        let loaded = load_str("f.yaml", text, Some(&env));
        loaded
            .config
            .unwrap_or_else(|| panic!("{:?}\n{text}", loaded.diagnostics))
            .state
    }

    fn file(yaml: &str) -> MfaState {
        load(&format!("version: 1\n{yaml}"))
    }

    /// The full example: a file that manages every resource.
    fn full() -> MfaState {
        crate::plan::fixtures::full_desired()
    }

    /// The file after `edit`, as far as the refusals below care.
    fn apply(edit: &Edit, file: &MfaState) -> MfaState {
        let mut out = file.clone();
        match edit {
            Edit::RemoveKeys(keys) => {
                for key in keys {
                    let address = file
                        .managed_addresses()
                        .into_iter()
                        .find(|a| a.to_string() == *key)
                        .unwrap_or_else(|| panic!("the fix removes `{key}`, which the file lacks"));
                    out.remove(&address);
                }
            }
            Edit::RemoveValue { key, value } => {
                assert_eq!(key, "phone.message_types");
                let address = Address::of(&PHONE_MESSAGE_TYPES);
                let mut types: Vec<String> = out
                    .get(&address)
                    .and_then(|v| v.list("message_types"))
                    .expect("the file lists them")
                    .to_vec();
                let before = types.len();
                types.retain(|t| t != value);
                assert!(types.len() < before, "`{value}` not in the file");
                out.insert(
                    address,
                    Values::of([("message_types", crate::model::FieldValue::list(types))]),
                );
            }
            Edit::Set { key, value } => match key.as_str() {
                "policies" => {
                    let policy = value.trim_matches(['[', ']']);
                    out.set_policies(Policy::parse(policy));
                }
                "phone.provider" => out.insert(
                    Address::of(&PHONE_PROVIDER),
                    Values::of([("provider", crate::model::FieldValue::Text(value.clone()))]),
                ),
                "factors.sms" => out.set_factor(Factor::Sms, value == "true"),
                other => panic!("no model of setting `{other}`"),
            },
        }
        assert_ne!(&out, file, "the fix {edit} changes nothing");
        out
    }

    /// A model of the refusing tenant: whether a file meets the refusal again. A read refusal
    /// closes the endpoint to any file that manages the resource; a write refusal refuses the
    /// value that met it.
    fn refused_again(refusal: Refusal<'_>, file: &MfaState) -> bool {
        let managed = file.contains(refusal.address);
        let voice = file
            .message_types()
            .is_some_and(|t| t.contains(&MessageType::Voice));
        match (refusal.status, refusal.code, refusal.on) {
            (404, _, _) => managed && file.factor(Factor::Sms) != Some(true),
            (_, "legacy_mfa_phone_provider_not_allowed", _) => !legacy_phone_keys(file).is_empty(),
            (_, _, RefusedOn::Read) => managed,
            (_, "voice_mfa_not_allowed", RefusedOn::Write) => voice,
            (_, "hooks_not_allowed", RefusedOn::Write) => {
                file.phone_provider() == Some(PhoneProvider::PhoneMessageHook)
            }
            (_, _, RefusedOn::Write) if refusal.address.is(&POLICIES) => file
                .policies()
                .is_some_and(|p| p.contains(&Policy::ConfidenceScore)),
            (_, _, RefusedOn::Write) => managed,
        }
    }

    /// Files that manage `address`, each in the ways that matter for the refusals.
    fn files_managing(address: &Address) -> Vec<MfaState> {
        let base = full();
        let mut files = Vec::new();
        if address.is(&POLICIES) {
            for policies in ["[]", "[all-applications]", "[confidence-score]"] {
                files.push(file(&format!(
                    "policies: {policies}\nfactors: {{otp: true}}"
                )));
            }
        } else if address.is(&PHONE_MESSAGE_TYPES) {
            for types in ["[sms]", "[voice]", "[sms, voice]"] {
                for sms in [true, false] {
                    files.push(file(&format!(
                        "factors: {{sms: {sms}}}\nphone:\n  provider: twilio\n  message_types: {types}\n  twilio: {{sid: AC00000000000000000000000000000000, auth_token: \"${{T}}\", from: \"+15550001111\"}}"
                    )));
                }
            }
        } else if address.is(&PHONE_PROVIDER) {
            for provider in PhoneProvider::ALL {
                for types in ["[sms]", "[sms, voice]"] {
                    if !provider.delivers(MessageType::Voice) && types.contains("voice") {
                        continue; // validation refuses this file before any request
                    }
                    files.push(file(&format!(
                        "phone:\n  provider: {provider}\n  message_types: {types}"
                    )));
                }
            }
        } else if address.is(&PHONE_TWILIO) {
            files.push(file("phone:\n  twilio: {sid: AC00000000000000000000000000000000, auth_token: \"${T}\", from: \"+15550001111\"}"));
            files.push(base.clone());
        } else if address.is(&PHONE_TEMPLATES) {
            files.push(file("phone:\n  templates: {enrollment_message: \"{{code}}\", verification_message: \"{{code}}\"}"));
            files.push(base.clone());
        } else {
            files.push(base.clone());
        }
        files.into_iter().filter(|f| f.contains(address)).collect()
    }

    /// Which resources can receive each code: the entitlement codes any of them (a plan may
    /// lack any feature); the others the resources Auth0 answers them for.
    fn receivers(code: &str) -> Vec<Address> {
        match code {
            "voice_mfa_not_allowed" => vec![Address::of(&PHONE_MESSAGE_TYPES)],
            "hooks_not_allowed" => vec![Address::of(&PHONE_PROVIDER)],
            "legacy_mfa_phone_provider_not_allowed" => vec![
                Address::of(&PHONE_PROVIDER),
                Address::of(&PHONE_TWILIO),
                Address::of(&PHONE_TEMPLATES),
            ],
            _ => full().managed_addresses(),
        }
    }

    #[test]
    fn every_fix_applied_to_its_file_ends_the_refusal() {
        let mut checked = 0;
        for code in UNAVAILABLE_CODES {
            for address in receivers(code) {
                for on in [RefusedOn::Read, RefusedOn::Write] {
                    for file in files_managing(&address) {
                        let refusal = Refusal {
                            address: &address,
                            status: 403,
                            code,
                            on,
                        };
                        if !refused_again(refusal, &file) {
                            continue; // this file would not have met the refusal
                        }
                        let fix = fix_for(refusal, &file)
                            .unwrap_or_else(|| panic!("no fix for {refusal:?}"));
                        assert!(!fix.edits.is_empty(), "{refusal:?}: {fix}");
                        for edit in &fix.edits {
                            let fixed = apply(edit, &file);
                            assert!(
                                !refused_again(refusal, &fixed),
                                "{refusal:?}: following `{edit}` meets the same refusal"
                            );
                        }
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 60, "only {checked} cases");
    }

    #[test]
    fn a_missing_phone_factor_says_to_enable_it() {
        let off = file("factors: {sms: false}\nphone:\n  message_types: [sms]");
        let address = Address::of(&PHONE_MESSAGE_TYPES);
        let refusal = Refusal {
            address: &address,
            status: 404,
            code: "factor_not_found",
            on: RefusedOn::Write,
        };
        let fix = fix_for(refusal, &off).unwrap();
        for edit in &fix.edits {
            assert!(!refused_again(refusal, &apply(edit, &off)), "{edit}");
        }
        // A file that already enables the factor is not told to enable it.
        let on = file("factors: {sms: true}\nphone:\n  message_types: [sms]");
        let only = fix_for(refusal, &on).unwrap();
        assert_eq!(
            only.edits,
            [Edit::RemoveKeys(vec!["phone.message_types".into()])]
        );
        assert_eq!(
            fix.to_string(),
            "set `factors.sms: true`, or remove `phone.message_types` from the file (Auth0 creates the phone factor the first time `factors.sms` is enabled)"
        );
    }

    #[test]
    fn the_reported_cases_read_as_users_see_them() {
        // `policies: []` on a tenant whose plan closes the policies endpoint.
        let none = file("policies: []");
        let address = Address::of(&POLICIES);
        let closed = Refusal {
            address: &address,
            status: 403,
            code: "not_entitled",
            on: RefusedOn::Read,
        };
        let text = fix_for(closed, &none).unwrap().to_string();
        assert_eq!(
            text,
            "remove `policies` from the file, or upgrade the tenant's Auth0 plan to one with this feature (the tenant's plan closes this endpoint altogether, whatever the value)"
        );
        assert!(!text.contains("all-applications") && !text.contains("Adaptive"));
        // Adaptive MFA refused when written: the other policy helps.
        let adaptive = file("policies: [confidence-score]\nfactors: {otp: true}");
        let written = Refusal {
            on: RefusedOn::Write,
            code: "insufficient_entitlement",
            ..closed
        };
        assert_eq!(
            fix_for(written, &adaptive).unwrap().to_string(),
            "set `policies: [all-applications]`, or upgrade the tenant's Auth0 plan to one with Adaptive MFA"
        );
    }
}
