//! One resource's values seen through its spec: normalised for comparison, and shown in the
//! config file's shape.

use serde_json::{Map, Value};

use crate::model::{FieldValue, Values};
use crate::resource::{Constant, FieldSpec, FieldType, ResourceSpec};

impl Constant {
    pub fn to_value(self) -> FieldValue {
        match self {
            Constant::Bool(b) => FieldValue::Bool(b),
        }
    }
}

/// A field's value as compared: an empty string is unset (the API reads both back as `null`),
/// and an unset field takes its default. (The value a read that lacks a field stands for,
/// `reads_as`, is filled in when the answer is parsed: a file that leaves the field unset does
/// not manage it.)
pub fn normalised(field: &FieldSpec, values: &Values) -> Option<FieldValue> {
    match values.get(field.key) {
        Some(FieldValue::Text(text)) if text.is_empty() => fallback(field),
        None => fallback(field),
        Some(value) => Some(value.clone()),
    }
}

fn fallback(field: &FieldSpec) -> Option<FieldValue> {
    field.default.map(Constant::to_value)
}

/// Whether the resource holds nothing beyond the API's defaults: never configured (a prompt
/// language without custom texts reads `{}`). (A value a missing field merely reads as, such as
/// a tenant flag's `false`, still counts as set.)
pub fn is_blank(spec: &ResourceSpec, values: &Values) -> bool {
    spec.fields.iter().filter(|f| !f.is_write_only()).all(|f| {
        let value = match values.get(f.key) {
            Some(FieldValue::Text(text)) if text.is_empty() => None,
            Some(FieldValue::Texts(texts)) if texts.is_empty() => None,
            other => other.cloned(),
        };
        value.is_none() || value == f.default.map(Constant::to_value)
    })
}

/// The resource in the config file's shape, secrets redacted; write-only fields left out
/// unless `include_write_only` (a live read never knows them). Unset fields are `null`.
pub fn view(spec: &ResourceSpec, values: &Values, include_write_only: bool) -> Value {
    let mut map = Map::new();
    for field in spec.fields {
        if field.is_write_only() && !include_write_only {
            continue;
        }
        let value = match (field.ty, values.get(field.key)) {
            (FieldType::Items { of, .. }, Some(FieldValue::Items(items))) => {
                Value::Array(items.iter().map(|item| item_view(of, item)).collect())
            }
            (_, Some(value)) => field_view(field, value),
            (_, None) => Value::Null,
        };
        map.insert(field.key.to_string(), value);
    }
    Value::Object(map)
}

/// Whether `field` belongs to an item or resource with these values (see
/// [`FieldSpec::when`]).
pub fn applies(field: &FieldSpec, values: &Values) -> bool {
    field
        .when
        .is_none_or(|(key, value)| values.text(key) == Some(value))
}

/// One value of `field` as outputs show it: a secret redacted, personal data masked.
pub fn field_view(field: &FieldSpec, value: &FieldValue) -> Value {
    match (field.personal, value) {
        (Some(personal), FieldValue::Text(text)) => Value::String(personal.mask(text)),
        _ => value.to_view(),
    }
}

/// One item of an [`crate::resource::FieldType::Items`] field as outputs show it: the fields it
/// sets (that apply to it), by config key, secrets redacted and personal data masked.
pub fn item_view(of: &[FieldSpec], item: &Values) -> Value {
    let map = of
        .iter()
        .filter(|f| applies(f, item))
        .filter_map(|f| Some((f.key.to_string(), field_view(f, item.get(f.key)?))))
        .collect();
    Value::Object(map)
}

/// The value as the config file writes it (never a secret: callers write `${VAR}` instead).
pub fn config_value(value: &FieldValue) -> Value {
    value.to_view()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource::specs::{PHONE_TWILIO, PROMPT_TEXTS, PUSH_APNS, TENANT_SETTINGS};
    use crate::secret::{REDACTED, Secret};

    #[test]
    fn empty_strings_and_defaults_normalise() {
        let twilio = Values::of([("messaging_service_sid", FieldValue::Text(String::new()))]);
        let field = PHONE_TWILIO.field("messaging_service_sid").unwrap();
        assert_eq!(normalised(field, &twilio), None);
        assert!(is_blank(&PHONE_TWILIO, &twilio));

        let apns = Values::default();
        let sandbox = PUSH_APNS.field("sandbox").unwrap();
        assert_eq!(normalised(sandbox, &apns), Some(FieldValue::Bool(false)));
        assert!(is_blank(&PUSH_APNS, &apns));
        // A value a read that lacks the field stands for is filled in by the parse, not here.
        let flag = TENANT_SETTINGS
            .field("customize_mfa_in_postlogin_action")
            .unwrap();
        assert_eq!(normalised(flag, &Values::default()), None);
        // A prompt language without texts is blank; with one it is not.
        let empty = Values::of([("texts", FieldValue::Texts(Default::default()))]);
        assert!(is_blank(&PROMPT_TEXTS, &empty));
        let texts = serde_json::from_value(serde_json::json!({"s": {"t": "x"}})).unwrap();
        let one = Values::of([("texts", FieldValue::Texts(texts))]);
        assert!(!is_blank(&PROMPT_TEXTS, &one));
    }

    #[test]
    fn views_redact_secrets_and_can_leave_write_only_out() {
        let apns = Values::of([
            ("bundle_id", FieldValue::Text("com.acme".into())),
            ("p12", FieldValue::Secret(Secret::new("p12-secret"))),
        ]);
        let full = view(&PUSH_APNS, &apns, true).to_string();
        assert!(!full.contains("p12-secret"), "{full}");
        assert!(full.contains(REDACTED), "{full}");
        assert!(view(&PUSH_APNS, &apns, false).get("p12").is_none());
        assert_eq!(view(&PUSH_APNS, &apns, false)["sandbox"], Value::Null);
    }
}
