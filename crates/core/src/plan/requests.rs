//! The exact Management API request that writes each address, built from its spec.

use serde_json::{Map, Value};

use crate::live::read::insert_path;
use crate::model::{Address, MfaState};
use crate::request::{ApiRequest, HttpMethod};
use crate::resource::Semantics;

/// The request that brings `address` to its desired value, or `None` when `desired` does not
/// manage it.
///
/// The body holds every field the desired state sets (and a field's default when it leaves it
/// unset); for endpoints that want every field in each write, the live values of the fields
/// it leaves unset. A resource created once and then addressed by id is POSTed when `live`
/// has none and PATCHed by id otherwise. The body holds secret values in clear;
/// `secret_fields` names the top-level keys that do, and every display redacts them.
pub fn build_request(address: &Address, desired: &MfaState, live: &MfaState) -> Option<ApiRequest> {
    let spec = address.spec();
    let wanted = desired.get(address)?;
    let current = live.get(address);
    let mut map = Map::new();
    let mut bare = None;
    for field in spec.fields {
        let mut value = wanted
            .get(field.key)
            .cloned()
            .or_else(|| field.default.map(|d| d.to_value()));
        if value.is_none() && spec.semantics == Semantics::MergeResendingAll {
            value = current.and_then(|c| c.get(field.key)).cloned();
        }
        let Some(value) = value else {
            continue;
        };
        if field.api.is_empty() {
            bare = Some(value.to_api_json());
        } else {
            insert_path(&mut map, field.api, value.to_api_json());
        }
    }
    let path = address.fill(spec.write.path);
    let (method, path) = match (spec.write.by_id, current.and_then(|c| c.id.as_deref())) {
        (Some(_), Some(id)) => (HttpMethod::Patch, format!("{path}/{id}")),
        (Some(by_id), None) => {
            if let (Some(field), Some(key)) = (by_id.key_field_on_create, address.name()) {
                map.insert(field.to_string(), Value::String(key.to_string()));
            }
            (spec.write.method, path)
        }
        (None, _) => (spec.write.method, path),
    };
    let mut secret_fields: Vec<&'static str> = spec
        .fields
        .iter()
        .filter(|f| f.is_secret())
        .map(|f| f.api_top())
        .collect();
    secret_fields.dedup();
    Some(
        ApiRequest::new(method, path)
            .with_body(bare.unwrap_or(Value::Object(map)))
            .with_secret_fields(&secret_fields),
    )
}
