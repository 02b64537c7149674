//! A strict boolean: only the YAML words `true` and `false`.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::de::{self, Deserialize, Deserializer, Visitor};

/// What the file wrote where a boolean belongs. MFA on/off must never hinge on YAML 1.1 quirks,
/// so `yes`, `on`, `"true"` or `1` are kept as [`Flag::NotBool`] and reported by validation with
/// their exact location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Flag {
    Bool(bool),
    /// A description of what was written instead, e.g. `the string "yes"`.
    NotBool(String),
}

impl Flag {
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Flag::Bool(b) => Some(*b),
            Flag::NotBool(_) => None,
        }
    }
}

struct FlagVisitor;

impl<'de> Visitor<'de> for FlagVisitor {
    type Value = Flag;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("true or false")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Flag, E> {
        Ok(Flag::Bool(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Flag, E> {
        Ok(Flag::NotBool(format!(
            "the string \"{}\"",
            v.escape_debug()
        )))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Flag, E> {
        Ok(Flag::NotBool(format!("the number {v}")))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Flag, E> {
        Ok(Flag::NotBool(format!("the number {v}")))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Flag, E> {
        Ok(Flag::NotBool(format!("the number {v}")))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Flag, E> {
        Ok(Flag::NotBool("nothing (null)".to_string()))
    }

    fn visit_none<E: de::Error>(self) -> Result<Flag, E> {
        self.visit_unit()
    }
}

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(FlagVisitor)
    }
}

impl JsonSchema for Flag {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "Boolean".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        bool::json_schema(generator)
    }
}
