//! Request-body validation with the Management API's wording.
//!
//! The real API validates bodies against JSON schemas (`additionalProperties: false`, types,
//! enums, string lengths, patterns) and answers 400 `invalid_body` with messages such as
//! `Payload validation error: 'Additional properties not allowed: x'.` or
//! `Payload validation error: 'Expected type boolean but found type string' on property enabled.`
//! This module holds a tiny schema language and the schemas of the endpoints the emulator serves.

use serde_json::Value;

use super::api_error::ApiError;

/// A JSON schema, reduced to what the Guardian endpoints use.
#[derive(Debug, Clone, Copy)]
pub enum Schema {
    /// An object with these properties and no others.
    Object {
        properties: &'static [(&'static str, Schema)],
        required: &'static [&'static str],
    },
    /// An array of at least `min_items` items that match `items`; `unique` forbids repeated
    /// items.
    Array {
        items: &'static Schema,
        unique: bool,
        min_items: usize,
    },
    /// A whole number in `min..=max`.
    Integer { min: i64, max: i64 },
    /// A string (or `null` when `nullable`) of `min..=max` characters, optionally matching a
    /// pattern given as its text and a checker.
    Text {
        nullable: bool,
        min: usize,
        max: usize,
        pattern: Option<Pattern>,
    },
    /// A boolean.
    Bool,
    /// One of these strings.
    OneOf(&'static [&'static str]),
    /// Any JSON value (free-form metadata).
    Any,
}

/// A string pattern: its text (as error messages show it) and the function that checks it.
#[derive(Debug, Clone, Copy)]
pub struct Pattern {
    pub text: &'static str,
    pub matches: fn(&str) -> bool,
}

/// A nullable string of 1 to 1000 characters, the API's usual credential field.
pub const NULLABLE_TEXT: Schema = Schema::Text {
    nullable: true,
    min: 1,
    max: 1000,
    pattern: None,
};

/// A nullable string of up to 100 000 characters: certificates and credential files (APNs
/// `p12`, FCM v1 service-account JSON), which the real API accepts far beyond 1000 characters
/// (the recordings hold a 5245-character `p12`).
pub const NULLABLE_LONG_TEXT: Schema = Schema::Text {
    nullable: true,
    min: 1,
    max: 100_000,
    pattern: None,
};

/// A string of 1 to 1000 characters.
pub const TEXT: Schema = Schema::Text {
    nullable: false,
    min: 1,
    max: 1000,
    pattern: None,
};

/// Checks `body` against `schema`; the error is the API's 400 `invalid_body`.
pub fn validate(schema: &Schema, body: &Value) -> Result<(), ApiError> {
    check(schema, body, "").map_err(|(detail, path)| {
        if path.is_empty() {
            ApiError::invalid_body(format!("'{detail}'."))
        } else {
            ApiError::invalid_body(format!("'{detail}' on property {path}."))
        }
    })
}

type Failure = (String, String);

fn check(schema: &Schema, value: &Value, path: &str) -> Result<(), Failure> {
    match schema {
        Schema::Object {
            properties,
            required,
        } => {
            let Value::Object(map) = value else {
                return Err(type_mismatch("object", value, path));
            };
            let extra: Vec<&str> = map
                .keys()
                .filter(|key| !properties.iter().any(|(name, _)| name == key))
                .map(String::as_str)
                .collect();
            if !extra.is_empty() {
                return Err((
                    format!("Additional properties not allowed: {}", extra.join(",")),
                    path.to_owned(),
                ));
            }
            if let Some(missing) = required.iter().find(|name| !map.contains_key(**name)) {
                return Err((
                    format!("Missing required property: {missing}"),
                    path.to_owned(),
                ));
            }
            for (name, property) in properties.iter() {
                if let Some(item) = map.get(*name) {
                    check(property, item, &join(path, name))?;
                }
            }
            Ok(())
        }
        Schema::Array {
            items,
            unique,
            min_items,
        } => {
            let Value::Array(list) = value else {
                return Err(type_mismatch("array", value, path));
            };
            if list.len() < *min_items {
                return Err((
                    format!("Array is too short ({}), minimum {min_items}", list.len()),
                    path.to_owned(),
                ));
            }
            for (index, item) in list.iter().enumerate() {
                check(items, item, &format!("{path}[{index}]"))?;
            }
            if *unique {
                for (later, item) in list.iter().enumerate() {
                    if let Some(earlier) = list[..later].iter().position(|other| other == item) {
                        return Err((
                            format!("Array items are not unique (indexes {earlier} and {later})"),
                            path.to_owned(),
                        ));
                    }
                }
            }
            Ok(())
        }
        Schema::Text {
            nullable,
            min,
            max,
            pattern,
        } => {
            let text = match value {
                Value::String(text) => text,
                Value::Null if *nullable => return Ok(()),
                _ => {
                    let expected = if *nullable { "string,null" } else { "string" };
                    return Err(type_mismatch(expected, value, path));
                }
            };
            let length = text.chars().count();
            if length < *min {
                return Err((
                    format!("String is too short ({length} chars), minimum {min}"),
                    path.to_owned(),
                ));
            }
            if length > *max {
                return Err((
                    format!("String is too long ({length} chars), maximum {max}"),
                    path.to_owned(),
                ));
            }
            if let Some(pattern) = pattern
                && !(pattern.matches)(text)
            {
                return Err((
                    format!("String does not match pattern {}: {text}", pattern.text),
                    path.to_owned(),
                ));
            }
            Ok(())
        }
        Schema::Integer { min, max } => {
            let Some(number) = value.as_i64() else {
                return Err(type_mismatch("integer", value, path));
            };
            if number < *min {
                return Err((
                    format!("Value {number} is less than minimum {min}"),
                    path.to_owned(),
                ));
            }
            if number > *max {
                return Err((
                    format!("Value {number} is greater than maximum {max}"),
                    path.to_owned(),
                ));
            }
            Ok(())
        }
        Schema::Bool => match value {
            Value::Bool(_) => Ok(()),
            _ => Err(type_mismatch("boolean", value, path)),
        },
        Schema::OneOf(allowed) => match value {
            Value::String(text) if allowed.contains(&text.as_str()) => Ok(()),
            _ => Err((format!("No enum match for: {value}"), path.to_owned())),
        },
        Schema::Any => Ok(()),
    }
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

fn type_mismatch(expected: &str, value: &Value, path: &str) -> Failure {
    (
        format!(
            "Expected type {expected} but found type {}",
            json_type(value)
        ),
        path.to_owned(),
    )
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The AWS region pattern the SNS endpoint enforces, as shown in error messages.
///
/// Decision: Auth0's published pattern lists region families; the emulator accepts the general
/// AWS shape `<area>[-gov]-<direction>-<number>` (e.g. `us-east-1`, `eu-central-2`,
/// `us-gov-west-1`), which covers every region AWS has published.
pub const AWS_REGION_PATTERN: &str = "^[a-z]{2}(-gov)?-(central|north|south|east|west|northeast|northwest|southeast|southwest)-[0-9]{1,2}$";

/// Whether `text` matches [`AWS_REGION_PATTERN`].
pub fn is_aws_region(text: &str) -> bool {
    const DIRECTIONS: [&str; 9] = [
        "central",
        "north",
        "south",
        "east",
        "west",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
    ];
    let parts: Vec<&str> = text.split('-').collect();
    let (area, rest) = match parts.split_first() {
        Some((area, rest)) => (*area, rest),
        None => return false,
    };
    let rest = match rest.split_first() {
        Some((&"gov", tail)) => tail,
        _ => rest,
    };
    let [direction, number] = rest else {
        return false;
    };
    area.len() == 2
        && area.bytes().all(|b| b.is_ascii_lowercase())
        && DIRECTIONS.contains(direction)
        && (1..=2).contains(&number.len())
        && number.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ENABLED: Schema = Schema::Object {
        properties: &[("enabled", Schema::Bool)],
        required: &["enabled"],
    };

    fn message(schema: &Schema, body: Value) -> String {
        validate(schema, &body).unwrap_err().message
    }

    #[test]
    fn reports_additional_properties_like_the_api() {
        assert_eq!(
            message(&ENABLED, json!({"enabled": true, "x": 1})),
            "Payload validation error: 'Additional properties not allowed: x'."
        );
    }

    #[test]
    fn reports_types_missing_properties_and_enums() {
        assert_eq!(
            message(&ENABLED, json!({"enabled": "yes"})),
            "Payload validation error: 'Expected type boolean but found type string' on property enabled."
        );
        assert_eq!(
            message(&ENABLED, json!({})),
            "Payload validation error: 'Missing required property: enabled'."
        );
        let provider = Schema::Object {
            properties: &[("provider", Schema::OneOf(&["a", "b"]))],
            required: &[],
        };
        assert_eq!(
            message(&provider, json!({"provider": "c"})),
            "Payload validation error: 'No enum match for: \"c\"' on property provider."
        );
    }

    #[test]
    fn checks_lengths_nulls_and_unique_items() {
        let body = Schema::Object {
            properties: &[("key", NULLABLE_TEXT)],
            required: &[],
        };
        assert!(validate(&body, &json!({"key": null})).is_ok());
        assert!(
            message(&body, json!({"key": ""})).contains("String is too short (0 chars), minimum 1")
        );
        let list = Schema::Array {
            items: &Schema::OneOf(&["sms", "voice"]),
            unique: true,
            min_items: 1,
        };
        assert!(message(&list, json!(["sms", "sms"])).contains("not unique"));
        assert!(message(&list, json!(["fax"])).contains("on property [0]"));
        assert!(message(&list, json!([])).contains("Array is too short (0), minimum 1"));
    }

    #[test]
    fn checks_integers_and_their_bounds() {
        let body = Schema::Object {
            properties: &[("n", Schema::Integer { min: 4, max: 10 })],
            required: &[],
        };
        assert!(validate(&body, &json!({"n": 4})).is_ok());
        assert_eq!(
            message(&body, json!({"n": 3})),
            "Payload validation error: 'Value 3 is less than minimum 4' on property n."
        );
        assert_eq!(
            message(&body, json!({"n": 11})),
            "Payload validation error: 'Value 11 is greater than maximum 10' on property n."
        );
        assert!(
            message(&body, json!({"n": 6.5}))
                .contains("Expected type integer but found type number")
        );
        assert!(
            message(&body, json!({"n": "6"}))
                .contains("Expected type integer but found type string")
        );
    }

    #[test]
    fn aws_regions() {
        for ok in [
            "us-east-1",
            "eu-central-2",
            "us-gov-west-1",
            "ap-southeast-10",
        ] {
            assert!(is_aws_region(ok), "{ok}");
        }
        for bad in [
            "",
            "us-east",
            "US-east-1",
            "us-middle-1",
            "usa-east-1",
            "us-east-100",
        ] {
            assert!(!is_aws_region(bad), "{bad}");
        }
    }
}
