//! Values that remember where in the file they came from.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer};
use serde_saphyr::Spanned;

/// Where a value stands in the config file: 1-based line and column (in characters) and the
/// length of the value's text in characters (0 when unknown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub line: usize,
    pub column: usize,
    pub len: usize,
}

impl Span {
    pub fn from_location(location: serde_saphyr::Location) -> Self {
        Span {
            line: usize::try_from(location.line()).unwrap_or(0),
            column: usize::try_from(location.column()).unwrap_or(0),
            len: usize::try_from(location.span().len()).unwrap_or(0),
        }
    }
}

/// A value with its place in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub span: Span,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Located<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<T>::deserialize(deserializer)?;
        Ok(Located {
            value: spanned.value,
            span: Span::from_location(spanned.referenced),
        })
    }
}

impl<T: JsonSchema> JsonSchema for Located<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }

    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }

    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }
}

/// An optional key. Absent means unmanaged; a key that is present must hold a value of the
/// right type (an explicit `null` is a type error, never a silent "unmanaged").
#[derive(Debug, Clone, PartialEq)]
pub struct Field<T>(pub Option<Located<T>>);

impl<T> Default for Field<T> {
    fn default() -> Self {
        Field(None)
    }
}

impl<T> Field<T> {
    pub fn get(&self) -> Option<&Located<T>> {
        self.0.as_ref()
    }

    pub fn value(&self) -> Option<&T> {
        self.0.as_ref().map(|l| &l.value)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Located::<T>::deserialize(deserializer).map(|l| Field(Some(l)))
    }
}

impl<T: JsonSchema> JsonSchema for Field<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }

    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }

    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }
}
