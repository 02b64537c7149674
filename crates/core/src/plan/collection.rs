//! The diff of a collection resource (a user's authentication methods): one change per item
//! to create, update or delete. See [`crate::resource::CollectionSpec`] for how items match.
//!
//! - An item of the file that matches no live item is created (`+`). One whose personal value
//!   is masked (as `export` writes it) cannot be: that is a plan error naming the fix.
//! - An item that matches one live item is updated (`~`) when an updatable field it sets
//!   differs (a phone's preferred delivery, a phone's or email's name).
//! - An item that matches several live items is a plan error: the plan never guesses.
//! - With the mode field at its "every item" value (`manage: exact`), a live item of a kind the
//!   file can declare that matches no item of the file is deleted (`-`, dangerous); its address
//!   adds its id when another live item reads the same.
//! - Write-only values (a TOTP secret) are never compared: they are listed as unverifiable,
//!   and sent only when their item is created. A matched item's phone number or email was
//!   compared by its mask only (reads mask it): listed as unverifiable too.
//! - A kind the resource holds one of ([`CollectionSpec::single`]: a user's authenticator app)
//!   cannot be created beside a live one of that kind: under `manage: exact` the live one's
//!   delete goes first ([`Wave::First`]); otherwise the plan refuses the item, naming the live
//!   one. Other deletes go last ([`Wave::Last`]), after the creates, so a user replacing a
//!   phone holds the new one before the old one goes.

use serde_json::Value;

use crate::model::{Address, Values};
use crate::plan::Unverifiable;
use crate::plan::change::{Action, Change, FieldChange, Wave};
use crate::plan::requests::{item_create, item_delete, item_update};
use crate::resource::instance::{applies, field_view, item_view};
use crate::resource::{CollectionSpec, FieldSpec, FieldType};

/// An item of the file the plan cannot act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemProblem {
    /// The item's address (`users["…"].methods[phone XXXXXXXX4567]`).
    pub address: Address,
    /// What is wrong, without personal data in clear.
    pub problem: String,
    /// What to do about it.
    pub fix: String,
}

/// What the diff of one collection resource found.
#[derive(Debug, Default)]
pub(crate) struct CollectionDiff {
    pub changes: Vec<Change>,
    pub unverifiable: Vec<Unverifiable>,
    pub problems: Vec<ItemProblem>,
}

/// The item fields of a collection spec, when the spec is well formed.
fn item_fields(address: &Address) -> Option<(&'static CollectionSpec, &'static [FieldSpec])> {
    let spec = address.spec();
    let collection = spec.collection?;
    match spec.field(collection.items)?.ty {
        FieldType::Items { of, .. } => Some((collection, of)),
        _ => None,
    }
}

/// Compares the items the file wants for `address` with the live ones.
pub(crate) fn diff_collection(
    address: &Address,
    wanted: &Values,
    current: Option<&Values>,
) -> CollectionDiff {
    let mut found = CollectionDiff::default();
    let Some((collection, of)) = item_fields(address) else {
        return found;
    };
    let want = wanted.items(collection.items).unwrap_or_default();
    let have = current
        .and_then(|c| c.items(collection.items))
        .unwrap_or_default();
    let identity = collection.identity;
    let have_ids: Vec<String> = have.iter().map(identity).collect();
    let mut matched = vec![false; have.len()];
    // Creates of a kind held once: (kind, the change's index, the item's address).
    let mut single_creates: Vec<(&str, usize, Address)> = Vec::new();
    for item in want {
        let id = identity(item);
        let item_address = address.item(id.clone());
        let candidates: Vec<usize> = have_ids
            .iter()
            .enumerate()
            .filter(|(_, live)| **live == id)
            .map(|(index, _)| index)
            .collect();
        let write_only: Vec<&'static str> = of
            .iter()
            .filter(|f| f.is_write_only() && applies(f, item) && item.get(f.key).is_some())
            .map(|f| f.key)
            .collect();
        match candidates.as_slice() {
            [] => match masked_field(of, item) {
                Some(field) => found.problems.push(ItemProblem {
                    address: item_address.clone(),
                    problem: format!(
                        "is not on the tenant, and the file gives its `{field}` masked, as `mfactl export` writes it, so it cannot be created"
                    ),
                    fix: format!("write the full `{field}` in the file"),
                }),
                None => {
                    if let Some(kind) = item
                        .text(collection.kind)
                        .filter(|kind| collection.single.contains(kind))
                    {
                        single_creates.push((kind, found.changes.len(), item_address.clone()));
                    }
                    found
                        .changes
                        .push(create(&item_address, of, item, &write_only));
                }
            },
            [one] => {
                if let Some(flag) = matched.get_mut(*one) {
                    *flag = true;
                }
                if let Some(live) = have.get(*one)
                    && let Some(change) = update(&item_address, collection, of, item, live)
                {
                    found.changes.push(change);
                }
            }
            several => {
                let ids: Vec<&str> = several
                    .iter()
                    .filter_map(|i| have.get(*i).and_then(|l| l.id.as_deref()))
                    .collect();
                found.problems.push(ItemProblem {
                    address: item_address.clone(),
                    problem: format!(
                        "matches {} live methods ({}); mfactl does not guess which one the file means",
                        several.len(),
                        ids.join(", ")
                    ),
                    fix: {
                        let user = address.key().first().map(String::as_str).unwrap_or("USER");
                        // A phone or email matches by its masked value: a name cannot help.
                        let by_mask = of
                            .iter()
                            .any(|f| f.personal.is_some() && applies(f, item));
                        if by_mask {
                            format!(
                                "the API masks them alike, so no file can tell them apart: delete the one you do not mean with `mfactl users methods delete {user} METHOD_ID` (`mfactl users methods list {user}` shows their names), or leave this method out of the file"
                            )
                        } else {
                            format!(
                                "give the live ones different names (`mfactl users methods update {user} METHOD_ID --name …`) and use the name in the file, or delete the extra ones with `mfactl users methods delete {user} METHOD_ID`"
                            )
                        }
                    },
                });
                for index in several {
                    if let Some(flag) = matched.get_mut(*index) {
                        *flag = true;
                    }
                }
            }
        }
        // A matched item's personal values were compared by their masks only.
        let masked: Vec<&'static str> = of
            .iter()
            .filter(|f| f.personal.is_some() && applies(f, item) && item.get(f.key).is_some())
            .map(|f| f.key)
            .collect();
        if candidates.len() == 1 && !masked.is_empty() {
            found.unverifiable.push(Unverifiable {
                address: item_address.clone(),
                fields: masked,
                sent: false,
                masked: true,
            });
        }
        if !write_only.is_empty() {
            found.unverifiable.push(Unverifiable {
                address: item_address,
                fields: write_only,
                sent: candidates.is_empty(),
                masked: false,
            });
        }
    }
    let exact = wanted.text(collection.mode.0) == Some(collection.mode.1);
    // The live item of a kind held once that a create of that kind would sit beside.
    let mut replaced: Vec<usize> = Vec::new();
    let mut refused: Vec<usize> = Vec::new();
    for (kind, change_index, item_address) in &single_creates {
        let Some(live_index) = (0..have.len()).find(|i| {
            matched.get(*i) == Some(&false)
                && have.get(*i).and_then(|l| l.text(collection.kind)) == Some(*kind)
        }) else {
            continue;
        };
        if exact {
            replaced.push(live_index);
            continue;
        }
        refused.push(*change_index);
        let live = have.get(live_index);
        let shown = have_ids.get(live_index).cloned().unwrap_or_default();
        let id = live.and_then(|l| l.id.as_deref()).unwrap_or("?");
        let adopt = match live.and_then(|l| l.text("name")) {
            Some(name) => format!(
                "give it the live one's name, `name: {}`, to manage that one (its secret cannot be read, so it is kept)",
                crate::render::printable::printable(name)
            ),
            None => "remove its `name` to manage the live one, which has none (its secret cannot be read, so it is kept)".to_string(),
        };
        found.problems.push(ItemProblem {
            address: item_address.clone(),
            problem: format!(
                "cannot be created: the user already has a {kind} method ({shown}, {id}), and holds one at most (a second is refused with 409)"
            ),
            fix: format!(
                "{adopt}; or set `{}: {}` to replace it (deleting the live one, a dangerous change)",
                collection.mode.0, collection.mode.1
            ),
        });
    }
    for index in refused.into_iter().rev() {
        found.changes.remove(index);
    }
    if exact {
        let kinds = match of.iter().find(|f| f.key == collection.kind).map(|f| f.ty) {
            Some(FieldType::Enum(info)) => Some(info),
            _ => None,
        };
        for (index, live) in have.iter().enumerate() {
            let declarable = live
                .text(collection.kind)
                .is_some_and(|kind| kinds.is_some_and(|info| info.rank(kind).is_some()));
            if matched.get(index) == Some(&false)
                && declarable
                && let Some(id) = live.id.as_deref()
            {
                // Two live items that read the same are told apart by their ids.
                let identity = have_ids.get(index).cloned().unwrap_or_default();
                let shared = have_ids.iter().filter(|other| **other == identity).count() > 1;
                let item_address = address.item(if shared {
                    format!("{identity} {id}")
                } else {
                    identity
                });
                let mut change = delete(&item_address, collection, of, live, id);
                change.wave = if replaced.contains(&index) {
                    Wave::First
                } else {
                    Wave::Last
                };
                found.changes.push(change);
            }
        }
    }
    found
}

/// The first personal field of `item` whose value is already masked.
fn masked_field(of: &[FieldSpec], item: &Values) -> Option<&'static str> {
    of.iter().find_map(|f| {
        let personal = f.personal?;
        let text = item.text(f.key)?;
        (personal.mask(text) == text).then_some(f.key)
    })
}

fn create(
    address: &Address,
    of: &'static [FieldSpec],
    item: &Values,
    write_only: &[&'static str],
) -> Change {
    let mut change = Change::new(
        address,
        Action::Create,
        None,
        item_view(of, item),
        item_create(address, of, item),
    );
    change.fields = of
        .iter()
        .filter(|f| applies(f, item))
        .filter_map(|f| {
            let value = item.get(f.key)?;
            Some(FieldChange {
                field: f.key.to_string(),
                before: Value::Null,
                after: field_view(f, value),
                kind: f.kind(),
            })
        })
        .collect();
    change.sensitive_fields = of
        .iter()
        .filter(|f| f.is_secret() && applies(f, item))
        .map(|f| f.key)
        .collect();
    change.write_only_fields = write_only.to_vec();
    change
}

fn update(
    address: &Address,
    collection: &CollectionSpec,
    of: &'static [FieldSpec],
    item: &Values,
    live: &Values,
) -> Option<Change> {
    let id = live.id.as_deref()?;
    let mut fields = Vec::new();
    let mut keys = Vec::new();
    for field in of
        .iter()
        .filter(|f| collection.updatable.contains(&f.key) && applies(f, item))
    {
        let Some(want) = item.get(field.key) else {
            continue;
        };
        let have = live.get(field.key);
        if have == Some(want) {
            continue;
        }
        keys.push(field.key);
        fields.push(FieldChange {
            field: field.key.to_string(),
            before: have.map_or(Value::Null, |h| field_view(field, h)),
            after: field_view(field, want),
            kind: field.kind(),
        });
    }
    if fields.is_empty() {
        return None;
    }
    let mut after = live.clone();
    for key in &keys {
        if let Some(value) = item.get(key) {
            after.set(key, value.clone());
        }
    }
    let mut change = Change::new(
        address,
        Action::Update,
        Some(item_view(of, live)),
        item_view(of, &after),
        item_update(address, collection, of, id, item, &keys),
    );
    change.fields = fields;
    Some(change)
}

fn delete(
    address: &Address,
    collection: &CollectionSpec,
    of: &'static [FieldSpec],
    live: &Values,
    id: &str,
) -> Change {
    Change::new(
        address,
        Action::Delete,
        Some(item_view(of, live)),
        Value::Null,
        item_delete(address, collection, id),
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::config::load_str;
    use crate::live::LiveTenant;
    use crate::live::read::parse_values;
    use crate::model::{Address, MfaState};
    use crate::plan::{Action, DiffOptions, PlanError, Wave, diff};
    use crate::request::HttpMethod;
    use crate::resource::specs::USER_METHODS;

    const USER: &str = "auth0|1";

    fn desired(methods: &str, manage: &str) -> MfaState {
        let text = format!(
            "version: 1\nusers:\n  \"{USER}\":\n    manage: {manage}\n    methods:\n{methods}"
        );
        let env = |_: &str| Some("JBSWY3DPEHPK3PXP".to_string());
        let loaded = load_str("f.yaml", &text, Some(&env));
        loaded
            .config
            .unwrap_or_else(|| panic!("{:?}", loaded.diagnostics))
            .state
    }

    fn live(methods: serde_json::Value) -> LiveTenant {
        let mut live = LiveTenant::default();
        let values = parse_values(&USER_METHODS, &methods).unwrap();
        live.state
            .insert(Address::keyed(&USER_METHODS, [USER]), values);
        live
    }

    #[test]
    fn matched_methods_update_only_what_differs_and_exact_deletes_only_declarable_kinds() {
        let want = desired(
            "      - { type: phone, phone_number: \"+15551234567\", preferred: voice }\n",
            "exact",
        );
        let have = live(json!([
            {"id": "phone|dev_1", "type": "phone", "phone_number": "XXXXXXXX4567", "preferred_authentication_method": "sms", "name": "Work"},
            {"id": "email|dev_2", "type": "email", "email": "chuc****@exam*******"},
            {"id": "passkey|dev_3", "type": "passkey", "name": "Laptop"}
        ]));
        let plan = diff(&want, &have, &DiffOptions::default()).unwrap();
        let shown: Vec<(String, Action, bool)> = plan
            .changes
            .iter()
            .map(|c| (c.address.to_string(), c.action, c.is_dangerous()))
            .collect();
        assert_eq!(
            shown,
            [
                (
                    "users[\"auth0|1\"].methods[phone XXXXXXXX4567]".to_string(),
                    Action::Update,
                    false
                ),
                (
                    "users[\"auth0|1\"].methods[email chuc****@exam*******]".to_string(),
                    Action::Delete,
                    true
                ),
            ]
        );
        let update = &plan.changes[0].request;
        assert_eq!(
            (update.method, update.path.as_str()),
            (
                HttpMethod::Patch,
                "/users/auth0%7C1/authentication-methods/phone%7Cdev_1"
            )
        );
        assert_eq!(
            update.body,
            Some(json!({"preferred_authentication_method": "voice"}))
        );
        assert_eq!(plan.changes[1].request.method, HttpMethod::Delete);
    }

    #[test]
    fn creations_mask_personal_data_in_every_view_and_send_it_in_clear() {
        let want = desired(
            "      - { type: phone, phone_number: \"+15551234567\" }\n      - { type: totp, totp_secret: \"${S}\", name: e2e }\n",
            "additive",
        );
        let plan = diff(&want, &live(json!([])), &DiffOptions::default()).unwrap();
        assert_eq!(plan.changes.len(), 2);
        let phone = &plan.changes[0];
        assert_eq!(
            phone.request.body.as_ref().unwrap()["phone_number"],
            "+15551234567"
        );
        let shown = format!(
            "{:?} {:?} {:?} {:?}",
            phone.after,
            phone.fields,
            phone.request.redacted_body(),
            plan.changes[1]
        );
        assert!(!shown.contains("+15551234567"), "{shown}");
        assert!(!shown.contains("JBSWY3DPEHPK3PXP"), "{shown}");
        assert!(shown.contains("XXXXXXXX4567"), "{shown}");
        assert_eq!(plan.unverifiable.len(), 1);
        assert!(plan.unverifiable[0].sent);
    }

    const OTHER_APP: &str = r#"{"id": "totp|dev_9", "type": "totp", "name": "Authenticator app"}"#;

    #[test]
    fn an_authenticator_app_beside_another_is_refused_under_additive() {
        let want = desired(
            "      - { type: totp, totp_secret: \"${S}\", name: e2e }\n",
            "additive",
        );
        let have = live(json!([serde_json::from_str::<serde_json::Value>(
            OTHER_APP
        )
        .unwrap()]));
        let Err(error) = diff(&want, &have, &DiffOptions::default()) else {
            panic!("a second authenticator app must not plan")
        };
        let text = error.to_string();
        assert!(
            text.contains("methods[totp e2e]` cannot be created: the user already has a totp method (totp Authenticator app, totp|dev_9)"),
            "{text}"
        );
        assert!(text.contains("`name: Authenticator app`"), "{text}");
        assert!(text.contains("`manage: exact` to replace it"), "{text}");
    }

    #[test]
    fn under_exact_the_replaced_app_goes_first_and_other_deletes_after_the_creates() {
        let want = desired(
            "      - { type: totp, totp_secret: \"${S}\", name: e2e }\n      - { type: phone, phone_number: \"+15551230000\" }\n",
            "exact",
        );
        let have = live(json!([
            serde_json::from_str::<serde_json::Value>(OTHER_APP).unwrap(),
            {"id": "phone|dev_1", "type": "phone", "phone_number": "XXXXXXXX4567"}
        ]));
        let plan = diff(&want, &have, &DiffOptions::default()).unwrap();
        let waves: Vec<(String, Action, Wave)> = plan
            .changes
            .iter()
            .map(|c| (c.address.to_string(), c.action, c.wave))
            .collect();
        let user = "users[\"auth0|1\"].methods";
        assert_eq!(
            waves,
            [
                (
                    format!("{user}[totp Authenticator app]"),
                    Action::Delete,
                    Wave::First
                ),
                (
                    format!("{user}[phone XXXXXXXX0000]"),
                    Action::Create,
                    Wave::Main
                ),
                (format!("{user}[totp e2e]"), Action::Create, Wave::Main),
                (
                    format!("{user}[phone XXXXXXXX4567]"),
                    Action::Delete,
                    Wave::Last
                ),
            ]
        );
    }

    #[test]
    fn deleted_methods_that_read_the_same_are_told_apart_by_id() {
        let want = desired("      - { type: email, email: a.b@example.com }\n", "exact");
        let have = live(json!([
            {"id": "phone|dev_1", "type": "phone", "phone_number": "XXXXXXXX4567"},
            {"id": "phone|dev_2", "type": "phone", "phone_number": "XXXXXXXX4567"},
            {"id": "phone|dev_3", "type": "phone", "phone_number": "XXXXXXXX0000"}
        ]));
        let plan = diff(&want, &have, &DiffOptions::default()).unwrap();
        let deleted: Vec<String> = plan
            .changes
            .iter()
            .filter(|c| c.action == Action::Delete)
            .map(|c| c.address.to_string())
            .collect();
        assert_eq!(
            deleted,
            [
                "users[\"auth0|1\"].methods[phone XXXXXXXX0000]",
                "users[\"auth0|1\"].methods[phone XXXXXXXX4567 phone|dev_1]",
                "users[\"auth0|1\"].methods[phone XXXXXXXX4567 phone|dev_2]",
            ]
        );
    }

    #[test]
    fn one_method_matching_two_live_ones_is_refused_not_guessed() {
        let want = desired(
            "      - { type: phone, phone_number: \"+15551234567\" }\n",
            "exact",
        );
        let have = live(json!([
            {"id": "phone|dev_1", "type": "phone", "phone_number": "XXXXXXXX4567"},
            {"id": "phone|dev_2", "type": "phone", "phone_number": "XXXXXXXX4567"}
        ]));
        let Err(error) = diff(&want, &have, &DiffOptions::default()) else {
            panic!("an ambiguous match must not plan")
        };
        assert!(matches!(error, PlanError::Items(_)));
        let text = error.to_string();
        assert!(
            text.contains("matches 2 live methods (phone|dev_1, phone|dev_2)"),
            "{text}"
        );
    }
}
