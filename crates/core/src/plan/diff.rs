//! The diff: (desired, live) → plan, one generic comparison over the resource table.
//!
//! Only the addresses the desired state manages are looked at. Each is compared after the
//! normalisations its spec declares (see [`crate::resource::instance::normalised`]):
//! - sets (`policies`, `phone.message_types`) compare without order;
//! - `null`, an absent key and an empty string are the same unset value, and an unset field
//!   with a default (`push.apns.sandbox`) compares as that default;
//! - fields the file leaves unset are compared with `null` on resources a write replaces whole
//!   (Twilio), and not compared at all on resources a write merges (SNS, APNs, Duo, WebAuthn,
//!   custom app, templates);
//! - write-only values (`aws_secret_access_key`, `p12`, `server_key`, `server_credentials`) are
//!   never compared.
//!
//! A collection (a user's authentication methods) is compared item by item
//! ([`crate::plan::collection`]): each item to create, update or delete is a change of its
//! own.
//!
//! A resource whose only difference could be a write-only value is not a change; it is listed
//! in [`Plan::unverifiable`]. It becomes a change with `--resend-write-only`, and the
//! credentials of a push provider become one when this plan switches `push.provider` to it,
//! since nothing could tell whether the tenant holds them. Every write of a resource sends all
//! the values the file sets for it, write-only ones included.

use serde_json::Value;

use crate::live::LiveTenant;
use crate::model::{Address, FieldValue, MfaState, Values};
use crate::plan::change::{Action, Change, FieldChange, FieldKind};
use crate::plan::collection::diff_collection;
use crate::plan::error::PlanError;
use crate::plan::preconditions::{
    adaptive_mfa_warning, check_phone_delivery, check_session_timeouts, defer_unready,
};
use crate::plan::requests::build_request;
use crate::plan::safety::{
    check_available, check_lockout, check_phone_kind, mark_dangerous, phone_kind_warnings,
};
use crate::plan::stage::Stage;
use crate::plan::{Plan, Unverifiable};
use crate::request::ApiRequest;
use crate::resource::instance::{is_blank, normalised, view};
use crate::resource::{ActionRule, FieldSpec, FieldType, ResourceSpec, Semantics, Shape};
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
    check_session_timeouts(desired, &live.state)?;
    let have = &live.state;
    let mut changes = Vec::new();
    let mut unverifiable = Vec::new();
    let mut problems = Vec::new();
    for address in desired.managed_addresses() {
        let Some(wanted) = desired.get(&address) else {
            continue;
        };
        let current = have.get(&address);
        if address.spec().semantics == Semantics::Collection {
            let found = diff_collection(&address, wanted, current);
            changes.extend(found.changes);
            unverifiable.extend(found.unverifiable);
            problems.extend(found.problems);
            continue;
        }
        let change = match address.spec().shape {
            Shape::Value => diff_value(&address, wanted, current),
            Shape::Object => {
                let force = options.resend_write_only
                    || provider_switches_to(address.spec(), desired, have);
                let (change, unknown) = diff_settings(&address, wanted, current, force);
                unverifiable.extend(unknown);
                change
            }
        };
        let Some(mut change) = change else {
            continue;
        };
        let Some(request) = build_request(&address, desired, have) else {
            continue;
        };
        change.request = request;
        changes.push(change);
    }
    if !problems.is_empty() {
        return Err(PlanError::Items(problems));
    }
    let deferred = defer_unready(&mut changes, desired, have);
    // Within a stage, in the order apply sends them: wave by wave, then by address.
    changes.sort_by(|a, b| (a.stage, a.wave, &a.address).cmp(&(b.stage, b.wave, &b.address)));
    mark_dangerous(&mut changes, desired, have);
    let mut warnings = phone_kind_warnings(desired, live);
    warnings.extend(deferred);
    warnings.extend(adaptive_mfa_warning(desired, have));
    Ok(Plan {
        tenant: options.tenant.clone(),
        changes,
        unverifiable,
        warnings,
    })
}

/// Whether this plan switches the push provider to the one that uses `spec`'s credentials.
fn provider_switches_to(spec: &ResourceSpec, desired: &MfaState, live: &MfaState) -> bool {
    let Some(want) = desired.push_provider() else {
        return false;
    };
    live.push_provider() != Some(want) && spec.push_provider == Some(want)
}

fn view_of(value: Option<&FieldValue>) -> Value {
    value.map(FieldValue::to_view).unwrap_or(Value::Null)
}

/// A resource that is one value: policies, a factor, message types, a selected provider, a
/// prompt's texts.
fn diff_value(address: &Address, wanted: &Values, current: Option<&Values>) -> Option<Change> {
    let spec = address.spec();
    let field = spec.value_field()?;
    let want = wanted.get(field.key)?;
    let have = current.and_then(|c| c.get(field.key));
    if have == Some(want) {
        return None;
    }
    let action = match (spec.action, want, have) {
        (ActionRule::Switch, FieldValue::Bool(true), _) => Action::Enable,
        (ActionRule::Switch, _, _) => Action::Disable,
        (ActionRule::Requirement, FieldValue::List(w), Some(FieldValue::List(h))) => {
            match (h.is_empty(), w.is_empty()) {
                (false, true) => Action::Disable,
                (true, _) => Action::Enable,
                _ => Action::Update,
            }
        }
        (ActionRule::Requirement, _, _) => Action::Update,
        (ActionRule::Selection | ActionRule::Settings, _, None) => Action::Create,
        (ActionRule::Settings, _, Some(h)) if is_empty_value(h) => Action::Create,
        (ActionRule::Selection | ActionRule::Settings, _, Some(_)) => Action::Update,
    };
    let enable = want.as_bool().unwrap_or(true);
    let before = have.map(FieldValue::to_view);
    let after = want.to_view();
    let fields = match (field.ty, want, have) {
        (FieldType::Texts, FieldValue::Texts(w), h) => texts_changes(w, h),
        _ => vec![FieldChange {
            field: String::new(),
            before: before.clone().unwrap_or(Value::Null),
            after: after.clone(),
            kind: FieldKind::Plain,
        }],
    };
    Some(Change {
        stage: Stage::of(address, enable),
        fields,
        ..Change::new(address, action, before, after, write_route(address))
    })
}

/// The resource's write route, until [`diff`] puts in the request built from both states.
fn write_route(address: &Address) -> ApiRequest {
    let write = &address.spec().write;
    ApiRequest::new(write.method, address.fill(write.path))
}

fn is_empty_value(value: &FieldValue) -> bool {
    match value {
        FieldValue::Texts(texts) => texts.is_empty(),
        FieldValue::List(items) => items.is_empty(),
        _ => false,
    }
}

type Texts = std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>;

/// One field change per text that differs (`screen.text_id`), with a word diff.
fn texts_changes(want: &Texts, have: Option<&FieldValue>) -> Vec<FieldChange> {
    let empty = Texts::new();
    let have = match have {
        Some(FieldValue::Texts(h)) => h,
        _ => &empty,
    };
    let mut ids: Vec<(&str, &str)> = Vec::new();
    for texts in [want, have] {
        for (screen, by_id) in texts {
            for id in by_id.keys() {
                if !ids.contains(&(screen.as_str(), id.as_str())) {
                    ids.push((screen, id));
                }
            }
        }
    }
    ids.sort();
    let text = |texts: &Texts, screen: &str, id: &str| -> Value {
        texts
            .get(screen)
            .and_then(|t| t.get(id))
            .map_or(Value::Null, |t| Value::String(t.clone()))
    };
    ids.into_iter()
        .filter_map(|(screen, id)| {
            let before = text(have, screen, id);
            let after = text(want, screen, id);
            (before != after).then(|| FieldChange {
                field: format!("{screen}.{id}"),
                before,
                after,
                kind: FieldKind::Template,
            })
        })
        .collect()
}

/// Compares one settings resource. Returns the change (if the resource must be written) and
/// the write-only values it cannot compare.
fn diff_settings(
    address: &Address,
    wanted: &Values,
    current: Option<&Values>,
    force_write_only: bool,
) -> (Option<Change>, Option<Unverifiable>) {
    let spec = address.spec();
    let mut fields = Vec::new();
    for field in spec.fields.iter().filter(|f| !f.is_write_only()) {
        let want = normalised(field, wanted);
        if want.is_none() && spec.semantics != Semantics::Overwrite {
            continue;
        }
        let have = current.and_then(|c| normalised(field, c));
        if want != have {
            fields.push(FieldChange {
                field: field.key.to_string(),
                before: view_of(have.as_ref()),
                after: view_of(want.as_ref()),
                kind: field.kind(),
            });
        }
    }
    let write_only: Vec<&'static str> = spec
        .fields
        .iter()
        .filter(|f| f.is_write_only() && wanted.get(f.key).is_some())
        .map(|f| f.key)
        .collect();
    let mut unknown = (!write_only.is_empty()).then(|| Unverifiable {
        address: address.clone(),
        fields: write_only.clone(),
        sent: false,
        masked: false,
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
            field: (*name).to_string(),
            before: Value::Null,
            after: Value::String(REDACTED.to_string()),
            kind: FieldKind::WriteOnly,
        });
    }
    let action = match current {
        _ if spec.is_write_only() => Action::Update,
        Some(c) if !is_blank(spec, c) => Action::Update,
        _ => Action::Create,
    };
    let before = current.map(|c| view(spec, c, false));
    let after = after_view(spec, wanted, current);
    let mut change = Change {
        fields,
        ..Change::new(address, action, before, after, write_route(address))
    };
    change.sensitive_fields = spec
        .fields
        .iter()
        .filter(|f| f.is_secret())
        .map(|f| f.key)
        .collect();
    change.write_only_fields = write_only;
    (Some(change), unknown)
}

/// The resource as it will read after the write: the file's values, and for fields it leaves
/// unset either `null` (resources written whole) or the live value (resources merged).
fn after_view(spec: &ResourceSpec, wanted: &Values, current: Option<&Values>) -> Value {
    let mut shown = view(spec, wanted, true);
    if spec.semantics == Semantics::Overwrite {
        return shown;
    }
    if let (Value::Object(map), Some(current)) = (&mut shown, current) {
        for field in spec
            .fields
            .iter()
            .filter(|f: &&FieldSpec| !f.is_write_only())
        {
            if wanted.get(field.key).is_some() {
                continue;
            }
            if let Some(live) = current.get(field.key) {
                map.insert(field.key.to_string(), live.to_view());
            }
        }
    }
    shown
}

#[cfg(test)]
mod tests;
