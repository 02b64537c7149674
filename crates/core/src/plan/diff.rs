//! The diff: (desired, live) → plan.
//!
//! Only the addresses the desired state manages are looked at. Each is compared after the
//! normalisations the API applies (see [`crate::plan::resource`] for settings resources):
//! - `policies` and `phone.message_types` are sets: order never matters;
//! - `null`, an absent key and an empty string are the same unset value;
//! - an omitted Twilio field reads back `null`, so unset compares to `null` there;
//! - `push.apns.sandbox` unset means `false`;
//! - fields the file leaves unset on resources the API merges (SNS, APNs, Duo, WebAuthn, custom
//!   app, templates) are not compared;
//! - write-only values (`aws_secret_access_key`, `p12`, `server_key`, `server_credentials`) are
//!   never compared.
//!
//! A resource whose only difference could be a write-only value is not a change; it is listed
//! in [`Plan::unverifiable`]. It becomes a change with `--resend-write-only`, and the
//! credentials of a push provider become one when this plan switches `push.provider` to it
//! (`sns` → `push.sns`; `direct` → `push.apns`, `push.fcm`, `push.fcmv1`), since nothing could
//! tell whether the tenant holds them. Every write of a resource sends all the values the file
//! sets for it, write-only ones included.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::live::LiveTenant;
use crate::model::{Address, MfaState, PushProvider};
use crate::plan::change::{Action, Change, FieldChange, FieldKind};
use crate::plan::error::PlanError;
use crate::plan::preconditions::{check_phone_delivery, defer_unready};
use crate::plan::requests::build_request;
use crate::plan::resource::{Field, FieldValue, SettingsResource, Unset, settings_resource};
use crate::plan::safety::{
    check_available, check_lockout, check_phone_kind, mark_dangerous, phone_kind_warnings,
};
use crate::plan::stage::Stage;
use crate::plan::{Plan, Unverifiable};
use crate::secret::REDACTED;

/// Choices that change what the diff plans.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiffOptions {
    /// The tenant label the plan shows (normally the domain in use).
    pub tenant: String,
    /// Write every resource that holds write-only values, so they are sent again.
    pub resend_write_only: bool,
}

/// Compares what the file wants with what the tenant has.
///
/// Fails before comparing anything when a managed resource is unavailable on the tenant, or
/// when the end state would require MFA with no factor enabled. The tenant guard
/// ([`crate::plan::check_tenant`]) is the caller's, before any request is sent.
pub fn diff(
    desired: &MfaState,
    live: &LiveTenant,
    options: &DiffOptions,
) -> Result<Plan, PlanError> {
    check_phone_kind(desired, live)?;
    check_available(desired, live)?;
    check_lockout(desired, &live.state)?;
    check_phone_delivery(desired, live)?;
    let have = &live.state;
    let mut changes = Vec::new();
    let mut unverifiable = Vec::new();
    for address in desired.managed_addresses() {
        let change = match address {
            Address::Policies => diff_set(
                address,
                desired.policies.as_ref().map(names),
                have.policies.as_ref().map(names),
            ),
            Address::PhoneMessageTypes => diff_set(
                address,
                desired.phone.message_types.as_ref().map(names),
                have.phone.message_types.as_ref().map(names),
            ),
            Address::Factor(factor) => diff_factor(
                address,
                desired.factors.get(&factor).copied(),
                have.factors.get(&factor).copied(),
            ),
            Address::PhoneProvider => diff_provider(
                address,
                desired.phone.provider.map(|p| p.as_str()),
                have.phone.provider.map(|p| p.as_str()),
            ),
            Address::PushProvider => diff_provider(
                address,
                desired.push.provider.map(|p| p.as_str()),
                have.push.provider.map(|p| p.as_str()),
            ),
            _ => {
                let force =
                    options.resend_write_only || provider_switches_to(address, desired, have);
                let (change, unknown) = diff_settings(address, desired, have, force);
                unverifiable.extend(unknown);
                change
            }
        };
        let Some(mut change) = change else {
            continue;
        };
        let Some(request) = build_request(address, desired, have) else {
            continue;
        };
        change.request = request;
        changes.push(change);
    }
    let deferred = defer_unready(&mut changes, desired, have);
    changes.sort_by_key(|c| (c.stage, c.address));
    mark_dangerous(&mut changes, desired, have);
    let mut warnings = phone_kind_warnings(desired, live);
    warnings.extend(deferred);
    Ok(Plan {
        tenant: options.tenant.clone(),
        changes,
        unverifiable,
        warnings,
    })
}

fn names<T: Copy + ToString>(set: &BTreeSet<T>) -> BTreeSet<String> {
    set.iter().map(|v| v.to_string()).collect()
}

/// Whether this plan switches the push provider to the one whose credentials live at
/// `address`.
fn provider_switches_to(address: Address, desired: &MfaState, live: &MfaState) -> bool {
    let Some(want) = desired.push.provider else {
        return false;
    };
    if live.push.provider == Some(want) {
        return false;
    }
    matches!(
        (want, address),
        (PushProvider::Sns, Address::PushSns)
            | (PushProvider::Direct, Address::PushApns)
            | (PushProvider::Direct, Address::PushFcm)
            | (PushProvider::Direct, Address::PushFcmV1)
    )
}

/// A change with every field but the request filled in.
fn change(
    address: Address,
    action: Action,
    stage: Stage,
    before: Option<Value>,
    after: Value,
    fields: Vec<FieldChange>,
) -> Change {
    let (method, path) = crate::plan::requests::endpoint(address);
    Change {
        address,
        action,
        stage,
        before,
        after,
        fields,
        sensitive_fields: Vec::new(),
        write_only_fields: Vec::new(),
        dangerous: None,
        request: crate::request::ApiRequest::new(method, path),
    }
}

fn whole_value(before: Option<&Value>, after: &Value) -> Vec<FieldChange> {
    vec![FieldChange {
        field: "",
        before: before.cloned().unwrap_or(Value::Null),
        after: after.clone(),
        kind: FieldKind::Plain,
    }]
}

fn diff_set(
    address: Address,
    want: Option<BTreeSet<String>>,
    have: Option<BTreeSet<String>>,
) -> Option<Change> {
    let want = want?;
    if have.as_ref() == Some(&want) {
        return None;
    }
    let after = json!(want);
    let before = have.as_ref().map(|h| json!(h));
    let action = match (&have, address) {
        (Some(h), Address::Policies) if !h.is_empty() && want.is_empty() => Action::Disable,
        (Some(h), Address::Policies) if h.is_empty() => Action::Enable,
        (None, Address::PhoneMessageTypes) => Action::Create,
        _ => Action::Update,
    };
    let stage = Stage::of(address, true);
    let fields = whole_value(before.as_ref(), &after);
    Some(change(address, action, stage, before, after, fields))
}

fn diff_factor(address: Address, want: Option<bool>, have: Option<bool>) -> Option<Change> {
    let want = want?;
    if have == Some(want) {
        return None;
    }
    let action = if want {
        Action::Enable
    } else {
        Action::Disable
    };
    let before = have.map(Value::Bool);
    let after = Value::Bool(want);
    let fields = whole_value(before.as_ref(), &after);
    Some(change(
        address,
        action,
        Stage::of(address, want),
        before,
        after,
        fields,
    ))
}

fn diff_provider(address: Address, want: Option<&str>, have: Option<&str>) -> Option<Change> {
    let want = want?;
    if have == Some(want) {
        return None;
    }
    let action = if have.is_some() {
        Action::Update
    } else {
        Action::Create
    };
    let before = have.map(|h| json!(h));
    let after = json!(want);
    let fields = whole_value(before.as_ref(), &after);
    Some(change(
        address,
        action,
        Stage::of(address, true),
        before,
        after,
        fields,
    ))
}

fn view_of(value: Option<FieldValue>) -> Value {
    value
        .as_ref()
        .map(FieldValue::to_view)
        .unwrap_or(Value::Null)
}

/// Compares one settings resource. Returns the change (if the resource must be written) and
/// the write-only values it cannot compare.
fn diff_settings(
    address: Address,
    desired: &MfaState,
    live: &MfaState,
    force_write_only: bool,
) -> (Option<Change>, Option<Unverifiable>) {
    let Some(wanted) = settings_resource(address, desired) else {
        return (None, None);
    };
    let current = settings_resource(address, live);
    let mut fields = Vec::new();
    for field in &wanted.fields {
        if field.kind == FieldKind::WriteOnly {
            continue;
        }
        let want = field.normalised();
        if want.is_none() && wanted.unset != Unset::Null {
            continue;
        }
        let have = current
            .as_ref()
            .and_then(|c| c.field(field.config_name))
            .and_then(Field::normalised);
        if want != have {
            fields.push(FieldChange {
                field: field.config_name,
                before: view_of(have),
                after: view_of(want),
                kind: field.kind,
            });
        }
    }
    let write_only = wanted.write_only_set();
    let mut unknown = (!write_only.is_empty()).then(|| Unverifiable {
        address,
        fields: write_only.clone(),
        sent: false,
    });
    let write = !fields.is_empty() || (!write_only.is_empty() && force_write_only);
    if !write {
        return (None, unknown);
    }
    if let Some(unknown) = unknown.as_mut() {
        unknown.sent = true;
    }
    for name in &write_only {
        fields.push(FieldChange {
            field: name,
            before: Value::Null,
            after: Value::String(REDACTED.to_string()),
            kind: FieldKind::WriteOnly,
        });
    }
    let action = match &current {
        _ if address.is_write_only() => Action::Update,
        Some(c) if !c.is_blank() => Action::Update,
        _ => Action::Create,
    };
    let before = current.as_ref().map(|c| c.view(false));
    let after = after_view(&wanted, current.as_ref());
    let mut change = change(
        address,
        action,
        Stage::of(address, true),
        before,
        after,
        fields,
    );
    change.sensitive_fields = wanted.sensitive_fields();
    change.write_only_fields = write_only;
    (Some(change), unknown)
}

/// The resource as it will read after the write: the file's values, and for fields it leaves
/// unset either `null` (resources written whole) or the live value (resources merged).
fn after_view(wanted: &SettingsResource, current: Option<&SettingsResource>) -> Value {
    let mut view = wanted.view(true);
    if wanted.unset == Unset::Null {
        return view;
    }
    if let (Value::Object(map), Some(current)) = (&mut view, current) {
        for field in &wanted.fields {
            if field.value.is_some() || field.kind == FieldKind::WriteOnly {
                continue;
            }
            if let Some(live) = current.field(field.config_name) {
                map.insert(field.config_name.to_string(), view_of(live.value.clone()));
            }
        }
    }
    view
}

#[cfg(test)]
mod tests;
