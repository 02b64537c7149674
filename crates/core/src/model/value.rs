//! The values of one resource: its fields by config key.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::secret::{REDACTED, Secret};

/// One field's value, in the model's terms (see [`crate::resource::FieldType`] for the kinds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    Text(String),
    Bool(bool),
    Number(u64),
    /// A set of names, kept sorted and without repeats so that order never makes a difference.
    List(Vec<String>),
    Secret(Secret),
    /// Texts by screen and text id (a prompt's custom texts).
    Texts(BTreeMap<String, BTreeMap<String, String>>),
    /// A list of objects, each with its fields by config key (a user's authentication methods;
    /// a live item keeps its `id`). Shown only through their spec
    /// ([`crate::resource::instance::item_view`]), which masks personal data.
    Items(Vec<Values>),
}

impl FieldValue {
    /// A set of names, sorted and without repeats.
    pub fn list<I: IntoIterator<Item = S>, S: Into<String>>(items: I) -> Self {
        let mut items: Vec<String> = items.into_iter().map(Into::into).collect();
        items.sort();
        items.dedup();
        FieldValue::List(items)
    }

    /// The value as the API takes it. Exposes secrets: only for request bodies.
    pub fn to_api_json(&self) -> Value {
        match self {
            FieldValue::Text(text) => Value::String(text.clone()),
            FieldValue::Bool(b) => Value::Bool(*b),
            FieldValue::Number(n) => Value::from(*n),
            FieldValue::List(items) => Value::from(items.clone()),
            FieldValue::Secret(secret) => Value::String(secret.expose().to_string()),
            FieldValue::Items(items) => Value::Array(
                items
                    .iter()
                    .map(|item| {
                        Value::Object(
                            item.fields
                                .iter()
                                .map(|(k, v)| ((*k).to_string(), v.to_api_json()))
                                .collect(),
                        )
                    })
                    .collect(),
            ),
            FieldValue::Texts(screens) => Value::Object(
                screens
                    .iter()
                    .map(|(screen, texts)| {
                        let texts = texts
                            .iter()
                            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                            .collect();
                        (screen.clone(), Value::Object(texts))
                    })
                    .collect(),
            ),
        }
    }

    /// The value for display: a secret becomes the redaction marker; items show with their
    /// secrets redacted and phone numbers and emails masked.
    pub fn to_view(&self) -> Value {
        match self {
            FieldValue::Secret(_) => Value::String(REDACTED.to_string()),
            FieldValue::Items(items) => Value::Array(
                items
                    .iter()
                    .map(|item| {
                        let map = item
                            .fields
                            .iter()
                            .map(|(k, v)| ((*k).to_string(), v.to_view()))
                            .collect();
                        crate::users::masking::for_display(&Value::Object(map))
                    })
                    .collect(),
            ),
            other => other.to_api_json(),
        }
    }

    pub fn as_text(&self) -> Option<&str> {
        match self {
            FieldValue::Text(text) => Some(text),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            FieldValue::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<u64> {
        match self {
            FieldValue::Number(n) => Some(*n),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[String]> {
        match self {
            FieldValue::List(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_secret(&self) -> Option<&Secret> {
        match self {
            FieldValue::Secret(secret) => Some(secret),
            _ => None,
        }
    }

    pub fn as_items(&self) -> Option<&[Values]> {
        match self {
            FieldValue::Items(items) => Some(items),
            _ => None,
        }
    }

    /// Every secret this value holds (its own, or its items').
    pub fn secrets(&self) -> Vec<&Secret> {
        match self {
            FieldValue::Secret(secret) => vec![secret],
            FieldValue::Items(items) => items
                .iter()
                .flat_map(|item| item.fields.values())
                .flat_map(FieldValue::secrets)
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// One resource's values: the fields that are set, by config key (a field that is absent is
/// unset), and for resources addressed by id (Tenant Phone Settings) the id the live read found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Values {
    pub fields: BTreeMap<&'static str, FieldValue>,
    /// The id a PATCH addresses (live only).
    pub id: Option<String>,
}

impl Values {
    /// Values with these fields set.
    pub fn of<I: IntoIterator<Item = (&'static str, FieldValue)>>(fields: I) -> Self {
        Values {
            fields: fields.into_iter().collect(),
            id: None,
        }
    }

    pub fn get(&self, key: &str) -> Option<&FieldValue> {
        self.fields.get(key)
    }

    pub fn set(&mut self, key: &'static str, value: FieldValue) {
        self.fields.insert(key, value);
    }

    pub fn text(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(FieldValue::as_text)
    }

    pub fn bool(&self, key: &str) -> Option<bool> {
        self.get(key).and_then(FieldValue::as_bool)
    }

    pub fn number(&self, key: &str) -> Option<u64> {
        self.get(key).and_then(FieldValue::as_number)
    }

    pub fn list(&self, key: &str) -> Option<&[String]> {
        self.get(key).and_then(FieldValue::as_list)
    }

    pub fn secret(&self, key: &str) -> Option<&Secret> {
        self.get(key).and_then(FieldValue::as_secret)
    }

    pub fn items(&self, key: &str) -> Option<&[Values]> {
        self.get(key).and_then(FieldValue::as_items)
    }
}
