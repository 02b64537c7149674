//! The JSON Schema of the config file (`mfactl schema`, committed as
//! `schema/mfactl.schema.json`), derived from the resource table: one definition per object
//! resource, container section and enum, with each key's description for editors to show.

use serde_json::{Map, Value, json};

use crate::model::EnumInfo;
use crate::resource::registry::{self, SECTIONS};
use crate::resource::{FieldSpec, FieldType, Keys, RESOURCES, ResourceSpec, Shape};

const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";

/// The schema as a JSON value.
pub fn schema() -> Value {
    let mut defs = Map::new();
    let mut properties = Map::new();
    properties.insert(
        "version".into(),
        json!({
            "description": "Version of this file's format. Always 1.",
            "type": "integer",
            "minimum": 1,
            "maximum": 1
        }),
    );
    properties.insert(
        "tenant".into(),
        json!({
            "description": "The tenant's domain (e.g. `acme-prod.eu.auth0.com`). When set, \
                            mfactl refuses to run\nagainst any other domain.",
            "type": "string",
            "minLength": 1,
            "maxLength": 255
        }),
    );
    for key in registry::top_level_keys() {
        let property = match registry::section(key) {
            Some(section) => {
                let mut children = Map::new();
                for spec in RESOURCES
                    .iter()
                    .filter(|s| s.config_path.first() == Some(&key))
                {
                    if let Some(child) = spec.config_path.get(1) {
                        children.insert((*child).to_string(), resource_schema(spec, &mut defs));
                    }
                }
                defs.insert(
                    section.schema_name.to_string(),
                    object(section.doc, children, Vec::new()),
                );
                reference(section.doc, section.schema_name)
            }
            None => match RESOURCES.iter().find(|s| s.config_path == [key]) {
                Some(spec) => resource_schema(spec, &mut defs),
                None => continue,
            },
        };
        properties.insert(key.to_string(), property);
    }
    let _ = SECTIONS;
    json!({
        "$schema": DRAFT,
        "title": "mfactl configuration",
        "description": "mfactl configuration: the multi-factor authentication settings an Auth0 \
                        tenant must have.\nA key that is absent is unmanaged: mfactl never reads, \
                        writes or shows it.",
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
        "required": ["version"],
        "$defs": defs
    })
}

/// The schema as pretty JSON with a trailing newline, exactly as committed under `schema/`.
pub fn schema_json() -> String {
    let mut text = serde_json::to_string_pretty(&schema()).unwrap_or_default();
    text.push('\n');
    text
}

fn reference(description: &str, name: &str) -> Value {
    json!({ "description": description, "$ref": format!("#/$defs/{name}") })
}

fn object(description: &str, properties: Map<String, Value>, required: Vec<&str>) -> Value {
    let mut schema = json!({
        "description": description,
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
    });
    if !required.is_empty()
        && let Value::Object(map) = &mut schema
    {
        map.insert("required".into(), json!(required));
    }
    schema
}

/// A closed map: one property per value of `keys`, each with `item`.
fn keyed(description: &str, keys: &EnumInfo, item: impl Fn(&str) -> Value) -> Value {
    let properties = keys
        .values
        .iter()
        .map(|(name, _)| ((*name).to_string(), item(name)))
        .collect();
    object(description, properties, Vec::new())
}

/// The schema of a resource at its config key.
fn resource_schema(spec: &'static ResourceSpec, defs: &mut Map<String, Value>) -> Value {
    let instance = |defs: &mut Map<String, Value>| -> Value {
        match (spec.shape, spec.value_field()) {
            (Shape::Value, Some(field)) => field_schema(field, defs),
            _ => {
                if !defs.contains_key(spec.schema_name) {
                    let properties = spec
                        .fields
                        .iter()
                        .map(|f| {
                            let mut schema = field_schema(f, defs);
                            describe(&mut schema, f.doc);
                            (f.key.to_string(), schema)
                        })
                        .collect();
                    let required = spec
                        .fields
                        .iter()
                        .filter(|f| f.required)
                        .map(|f| f.key)
                        .collect();
                    defs.insert(
                        spec.schema_name.to_string(),
                        object(spec.doc, properties, required),
                    );
                }
                json!({ "$ref": format!("#/$defs/{}", spec.schema_name) })
            }
        }
    };
    let mut schema = match spec.keys {
        Keys::Single => instance(defs),
        Keys::Fixed(info) => {
            let item = instance(defs);
            let map = keyed(spec.doc, info, |name| {
                let mut item = item.clone();
                describe(&mut item, info.doc_of(name).unwrap_or(""));
                item
            });
            if !spec.schema_name.is_empty() && spec.shape == Shape::Value {
                defs.insert(spec.schema_name.to_string(), map);
                json!({ "$ref": format!("#/$defs/{}", spec.schema_name) })
            } else {
                map
            }
        }
        Keys::User => {
            let item = instance(defs);
            json!({
                "type": "object",
                "propertyNames": { "type": "string", "pattern": "^[^|\\s]+\\|\\S+$" },
                "additionalProperties": item
            })
        }
        Keys::PromptLanguage { prompts, languages } => {
            let item = instance(defs);
            defs.insert(spec.schema_name.to_string(), item);
            let language = enum_ref(languages, defs);
            let by_language = json!({
                "type": "object",
                "propertyNames": language,
                "additionalProperties": { "$ref": format!("#/$defs/{}", spec.schema_name) }
            });
            keyed(spec.doc, prompts, |name| {
                let mut texts = by_language.clone();
                describe(&mut texts, prompts.doc_of(name).unwrap_or(""));
                texts
            })
        }
    };
    describe(&mut schema, spec.doc);
    schema
}

fn describe(schema: &mut Value, description: &str) {
    if let (Value::Object(map), false) = (schema, description.is_empty()) {
        let mut with = Map::new();
        with.insert("description".into(), Value::String(description.to_string()));
        for (k, v) in std::mem::take(map) {
            if k != "description" {
                with.insert(k, v);
            }
        }
        *map = with;
    }
}

fn enum_ref(info: &'static EnumInfo, defs: &mut Map<String, Value>) -> Value {
    if !defs.contains_key(info.name) && info.values.iter().all(|(_, doc)| doc.is_empty()) {
        let names: Vec<&str> = info.names().collect();
        defs.insert(
            info.name.to_string(),
            json!({ "description": info.doc, "type": "string", "enum": names }),
        );
    }
    if !defs.contains_key(info.name) {
        let one_of: Vec<Value> = info
            .values
            .iter()
            .map(|(name, doc)| {
                let mut value = json!({ "type": "string", "const": name });
                describe(&mut value, doc);
                value
            })
            .collect();
        defs.insert(
            info.name.to_string(),
            json!({ "description": info.doc, "oneOf": one_of }),
        );
    }
    json!({ "$ref": format!("#/$defs/{}", info.name) })
}

fn field_schema(field: &FieldSpec, defs: &mut Map<String, Value>) -> Value {
    let mut schema = match field.ty {
        FieldType::Text { max } => {
            let mut schema = json!({ "type": "string", "minLength": 1 });
            if let Value::Object(map) = &mut schema {
                if max != usize::MAX {
                    map.insert("maxLength".into(), json!(max));
                }
                if let Some(pattern) = field.pattern {
                    map.insert("pattern".into(), json!(pattern));
                }
            }
            schema
        }
        FieldType::Bool => json!({ "type": "boolean" }),
        FieldType::Integer { min, max, .. } => {
            json!({ "type": "integer", "minimum": min, "maximum": max })
        }
        FieldType::Enum(info) => enum_ref(info, defs),
        FieldType::Set { of, max_items } => {
            let mut schema = json!({
                "type": "array",
                "items": enum_ref(of, defs),
                "uniqueItems": true
            });
            if let (Value::Object(map), Some(max)) = (&mut schema, max_items) {
                map.insert("maxItems".into(), json!(max));
            }
            schema
        }
        FieldType::Items { of, max_items } => {
            let properties: Map<String, Value> = of
                .iter()
                .map(|f| (f.key.to_string(), field_schema(f, defs)))
                .collect();
            let required: Vec<&str> = of
                .iter()
                .filter(|f| f.required && f.when.is_none())
                .map(|f| f.key)
                .collect();
            json!({
                "type": "array",
                "maxItems": max_items,
                "items": object("", properties, required)
            })
        }
        FieldType::Texts => json!({
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "additionalProperties": { "type": "string" }
            }
        }),
    };
    describe(&mut schema, field.doc);
    schema
}
