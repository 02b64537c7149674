//! Where tenants differ, setting by setting, without a config file (`mfactl diff-tenants`).
//!
//! Each tenant is read whole (the state [`crate::config::export::everything`] manages, plus
//! its languages' prompt texts), then compared resource by resource and field by field, as the
//! resource table describes them: a prompt's texts text by text, a field that does not apply
//! (a Twilio key of a custom provider) as unset, an unset field as its default. Secrets are
//! never shown: a secret the API returns (Duo `skey`, Twilio `auth_token`) compares as
//! "the same as" another tenant's or not, and a write-only one (SNS secret key, APNs p12) is
//! listed as not compared, since no tenant can be read for it.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::live::LiveTenant;
use crate::model::{Address, FieldValue, Values};
use crate::resource::instance::applies;
use crate::resource::instance::normalised;
use crate::resource::{FieldSpec, FieldType, Shape};

/// One tenant's value of one setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// Not set (or not read: a prompt language the tenant does not use).
    Unset,
    /// The value, in the config file's shape.
    Value(Value),
    /// A secret: tenants with the same number hold the same value (1 for the first value met).
    Secret(usize),
    /// The tenant cannot use the resource: Auth0's `errorCode`.
    Unavailable(String),
}

/// One setting across the tenants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    /// The setting as the config file names it: `factors.sms`, `phone.twilio.from`,
    /// `prompts.mfa-sms.en.mfa-sms-enrollment.title`.
    pub name: String,
    /// Whether its values are secrets.
    pub secret: bool,
    /// One cell per tenant, in the comparison's order.
    pub cells: Vec<Cell>,
}

impl Setting {
    /// Whether some tenant's value differs from another's.
    pub fn differs(&self) -> bool {
        self.cells.windows(2).any(|pair| pair[0] != pair[1])
    }
}

/// The comparison of several tenants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    /// The tenants compared, as (name, domain), in the tenants file's order.
    pub tenants: Vec<(String, String)>,
    /// Every setting at least one tenant has a value for, in plan order.
    pub settings: Vec<Setting>,
    /// Write-only settings of the resources read: the API never returns them, so they are not
    /// compared.
    pub not_compared: Vec<String>,
}

impl Comparison {
    /// The settings that differ.
    pub fn differences(&self) -> impl Iterator<Item = &Setting> {
        self.settings.iter().filter(|s| s.differs())
    }

    /// How many settings are the same on every tenant.
    pub fn same_count(&self) -> usize {
        self.settings.iter().filter(|s| !s.differs()).count()
    }
}

/// Compares the tenants' live states (name, state), in the order given.
pub fn compare(tenants: &[(&str, &LiveTenant)]) -> Comparison {
    let mut settings = tenant_kind_settings(tenants);
    let mut not_compared = Vec::new();
    let addresses: BTreeSet<&Address> = tenants
        .iter()
        .flat_map(|(_, live)| live.state.resources.keys().chain(live.unavailable.keys()))
        .collect();
    for address in addresses {
        let spec = address.spec();
        let cells = Cells {
            address,
            tenants: tenants.iter().map(|(_, live)| *live).collect(),
        };
        if spec.shape == Shape::Value {
            if let Some(field) = spec.value_field() {
                settings.extend(cells.setting(address.to_string(), field, |values| {
                    values.get(field.key).cloned()
                }));
            }
            continue;
        }
        for field in spec.fields {
            let name = format!("{address}.{}", field.key);
            if field.is_write_only() {
                not_compared.push(name);
            } else if field.ty == FieldType::Texts {
                settings.extend(texts(&cells, &address.to_string(), field));
            } else {
                settings.extend(cells.setting(name, field, |values| {
                    applies(field, values)
                        .then(|| normalised(field, values))
                        .flatten()
                }));
            }
        }
    }
    Comparison {
        tenants: tenants
            .iter()
            .map(|(name, live)| (name.to_string(), live.domain.clone()))
            .collect(),
        settings,
        not_compared,
    }
}

/// The tenant-wide facts a live read learns besides resources: the phone experience (which
/// decides where phone settings live) and the Universal Login languages (which decide which
/// prompt texts exist), named as `GET /tenants/settings` names them.
fn tenant_kind_settings(tenants: &[(&str, &LiveTenant)]) -> Vec<Setting> {
    let consolidated = Setting {
        name: "tenant_settings.phone_consolidated_experience".to_string(),
        secret: false,
        cells: tenants
            .iter()
            .map(|(_, live)| {
                live.consolidated_phone
                    .map_or(Cell::Unset, |b| Cell::Value(Value::Bool(b)))
            })
            .collect(),
    };
    let locales = Setting {
        name: "tenant_settings.enabled_locales".to_string(),
        secret: false,
        cells: tenants
            .iter()
            .map(|(_, live)| {
                live.enabled_locales
                    .as_ref()
                    .map_or(Cell::Unset, |l| Cell::Value(Value::from(l.clone())))
            })
            .collect(),
    };
    [consolidated, locales]
        .into_iter()
        .filter(has_a_value)
        .collect()
}

fn has_a_value(setting: &Setting) -> bool {
    setting
        .cells
        .iter()
        .any(|c| matches!(c, Cell::Value(_) | Cell::Secret(_)))
}

/// One address across the tenants.
struct Cells<'a> {
    address: &'a Address,
    tenants: Vec<&'a LiveTenant>,
}

impl Cells<'_> {
    /// The tenant's values of the address, or why it has none.
    fn values<'t>(&self, live: &'t LiveTenant) -> Result<Option<&'t Values>, Cell> {
        match live.unavailable.get(self.address) {
            Some(why) => Err(Cell::Unavailable(why.error_code.clone())),
            None => Ok(live.state.get(self.address)),
        }
    }

    /// The setting `name` of `field`, its value in each tenant picked by `pick`; `None` when
    /// no tenant has a value.
    fn setting(
        &self,
        name: String,
        field: &FieldSpec,
        pick: impl Fn(&Values) -> Option<FieldValue>,
    ) -> Option<Setting> {
        let mut secrets: Vec<String> = Vec::new();
        let cells = self
            .tenants
            .iter()
            .map(|live| match self.values(live) {
                Err(cell) => cell,
                Ok(None) => Cell::Unset,
                Ok(Some(values)) => match pick(values) {
                    None => Cell::Unset,
                    Some(FieldValue::Secret(secret)) => {
                        // Exposed only to tell equal secrets from different ones.
                        let value = secret.expose();
                        let index = match secrets.iter().position(|s| s == value) {
                            Some(index) => index,
                            None => {
                                secrets.push(value.to_string());
                                secrets.len() - 1
                            }
                        };
                        Cell::Secret(index + 1)
                    }
                    Some(value) => Cell::Value(value.to_view()),
                },
            })
            .collect();
        let setting = Setting {
            name,
            secret: field.is_secret(),
            cells,
        };
        has_a_value(&setting).then_some(setting)
    }
}

/// A prompt's texts, one setting per screen and text id (`prompts.mfa-sms.en` +
/// `mfa-sms-enrollment.title`).
fn texts(cells: &Cells<'_>, address: &str, field: &FieldSpec) -> Vec<Setting> {
    let texts_of = |values: &Values| match values.get(field.key) {
        Some(FieldValue::Texts(texts)) => Some(texts.clone()),
        _ => None,
    };
    let ids: BTreeSet<(String, String)> = cells
        .tenants
        .iter()
        .filter_map(|live| cells.values(live).ok().flatten().and_then(texts_of))
        .flat_map(|screens| {
            screens
                .into_iter()
                .flat_map(|(screen, texts)| texts.into_keys().map(move |id| (screen.clone(), id)))
        })
        .collect();
    ids.into_iter()
        .filter_map(|(screen, id)| {
            cells.setting(format!("{address}.{screen}.{id}"), field, |values| {
                let text = texts_of(values)?.get(&screen)?.get(&id)?.clone();
                Some(FieldValue::Text(text))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::Unavailable;
    use crate::model::{Factor, MfaState};
    use crate::plan::fixtures::{fresh_live, secret, set, text};
    use crate::resource::specs::{DUO, PHONE_TWILIO, PUSH_SNS};

    fn tenant(domain: &str, edit: impl Fn(&mut MfaState)) -> LiveTenant {
        let mut live = fresh_live();
        live.domain = domain.into();
        edit(&mut live.state);
        live
    }

    #[test]
    fn differences_are_found_field_by_field_and_secrets_only_compared() {
        let dev = tenant("dev.example", |state| {
            set(state, &PHONE_TWILIO, [("sid", text("AC1"))]);
            set(
                state,
                &DUO,
                [
                    ("ikey", text("DI1")),
                    ("skey", secret("skey-one")),
                    ("host", text("api-1.duosecurity.com")),
                ],
            );
        });
        let staging = tenant("staging.example", |state| {
            state.set_factor(Factor::Email, true);
            set(
                state,
                &DUO,
                [
                    ("ikey", text("DI1")),
                    ("skey", secret("skey-one")),
                    ("host", text("api-1.duosecurity.com")),
                ],
            );
        });
        let mut prod = tenant("prod.example", |state| {
            state.set_factor(Factor::Email, true);
            set(
                state,
                &DUO,
                [
                    ("ikey", text("DI1")),
                    ("skey", secret("skey-two")),
                    ("host", text("api-1.duosecurity.com")),
                ],
            );
        });
        prod.unavailable.insert(
            Address::of(&PHONE_TWILIO),
            Unavailable {
                status: 403,
                error_code: "legacy_mfa_phone_provider_not_allowed".into(),
                message: "no".into(),
            },
        );
        prod.state.remove(&Address::of(&PHONE_TWILIO));
        let comparison = compare(&[("dev", &dev), ("staging", &staging), ("prod", &prod)]);
        let differing: Vec<(&str, &[Cell])> = comparison
            .differences()
            .map(|s| (s.name.as_str(), s.cells.as_slice()))
            .collect();
        let email = Cell::Value(Value::Bool(true));
        let off = Cell::Value(Value::Bool(false));
        assert!(differing.contains(&("factors.email", &[off, email.clone(), email][..])));
        assert!(differing.contains(&(
            "duo.skey",
            &[Cell::Secret(1), Cell::Secret(1), Cell::Secret(2)][..]
        )));
        assert!(
            differing
                .iter()
                .any(|(name, cells)| name.starts_with("phone.twilio.")
                    && cells[2]
                        == Cell::Unavailable("legacy_mfa_phone_provider_not_allowed".into())),
            "{differing:?}"
        );
        assert!(!differing.iter().any(|(name, _)| *name == "duo.ikey"));
        assert!(comparison.same_count() > 0);
        let write_only = format!("{}.aws_secret_access_key", Address::of(&PUSH_SNS));
        assert!(comparison.not_compared.contains(&write_only));
        let shown = format!("{comparison:?}");
        assert!(
            !shown.contains("skey-one") && !shown.contains("skey-two"),
            "{shown}"
        );
    }

    #[test]
    fn identical_tenants_have_no_difference() {
        let a = fresh_live();
        let b = fresh_live();
        let comparison = compare(&[("a", &a), ("b", &b)]);
        assert_eq!(comparison.differences().count(), 0);
        assert_eq!(comparison.same_count(), comparison.settings.len());
        assert!(comparison.settings.iter().any(|s| s.name == "factors.otp"));
    }
}
