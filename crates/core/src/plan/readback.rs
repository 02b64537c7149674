//! What the API reads back after a plan's writes, for no-perpetual-diff tests.
//!
//! Each write's body is parsed as a live read would parse it, then laid over the resource
//! following its spec's write semantics: an overwrite replaces the resource (an omitted field
//! reads `null`), a merge keeps what the body leaves out; write-only values are never read
//! back, and resources without a read cannot be read at all. A resource created by POST gets
//! an id, so the next plan PATCHes it.

use serde_json::Value;

use crate::live::read::parse_written;
use crate::model::{FieldValue, MfaState, Values};
use crate::plan::Change;
use crate::request::HttpMethod;
use crate::resource::{FieldType, Semantics, decode};

/// The state a read returns after `changes` were applied to `live`.
pub(crate) fn read_back(live: &MfaState, changes: &[&Change]) -> MfaState {
    let mut state = live.clone();
    for (n, change) in changes.iter().enumerate() {
        let spec = change.address.spec();
        if spec.read.is_none() {
            continue;
        }
        if spec.semantics == Semantics::Collection {
            read_back_item(&mut state, change, n);
            continue;
        }
        let body = change.request.body.clone().unwrap_or_default();
        let Ok(written) = parse_written(spec, &body) else {
            continue;
        };
        let mut values = match spec.semantics {
            Semantics::Overwrite => written,
            Semantics::Merge
            | Semantics::MergeResendingAll
            | Semantics::WriteOnly
            | Semantics::Collection => {
                let mut values: Values = state.get(&change.address).cloned().unwrap_or_default();
                for (key, value) in written.fields {
                    values.set(key, value);
                }
                values
            }
        };
        let id = state.get(&change.address).and_then(|v| v.id.clone());
        values.id = id.or_else(|| spec.write.by_id.map(|_| "created".to_string()));
        state.insert(change.address.clone(), values);
    }
    state
}

/// An item created (POST: it gets an id, and reads back with its personal data masked and no
/// write-only value), updated (PATCH) or deleted (DELETE, by the id that ends the path).
fn read_back_item(state: &mut MfaState, change: &Change, n: usize) {
    let spec = change.address.spec();
    let Some(collection) = spec.collection else {
        return;
    };
    let Some(FieldType::Items { of, .. }) = spec.field(collection.items).map(|f| f.ty) else {
        return;
    };
    let address = change.address.resource();
    let mut values = state.get(&address).cloned().unwrap_or_default();
    let mut items: Vec<Values> = values
        .items(collection.items)
        .map(<[Values]>::to_vec)
        .unwrap_or_default();
    let body = change.request.body.clone().unwrap_or_default();
    let target = change.request.path.rsplit('/').next().map(decode);
    match change.request.method {
        HttpMethod::Post => {
            let mut item = Values::default();
            for field in of.iter().filter(|f| !f.is_write_only() && !f.local) {
                if let Some(Value::String(text)) = body.get(field.api) {
                    let shown = field.personal.map_or(text.clone(), |p| p.mask(text));
                    item.set(field.key, FieldValue::Text(shown));
                }
            }
            item.id = Some(format!("created|dev_{n}"));
            items.push(item);
        }
        HttpMethod::Patch => {
            if let Some(item) = items.iter_mut().find(|i| i.id == target) {
                for field in of.iter().filter(|f| collection.updatable.contains(&f.key)) {
                    if let Some(Value::String(text)) = body.get(field.api) {
                        item.set(field.key, FieldValue::Text(text.clone()));
                    }
                }
            }
        }
        HttpMethod::Delete => items.retain(|i| i.id != target),
        HttpMethod::Get | HttpMethod::Put => {}
    }
    values.set(collection.items, FieldValue::Items(items));
    state.insert(address, values);
}
