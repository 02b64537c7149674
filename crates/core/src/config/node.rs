//! The config file as a tree of YAML nodes, each with its place in the file.
//!
//! The file is read into this generic tree (not into one Rust type per section) so that the
//! resource table can drive validation: every section, key and value is checked against its
//! [`crate::resource::ResourceSpec`], and every problem in a file is reported at once.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use super::located::{Located, Span};

/// One YAML node and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Span,
    pub value: NodeValue,
}

/// What a node holds. Scalars keep YAML 1.2's types (with strict booleans: only `true` and
/// `false`); a plain scalar's source text can be recovered from its span (`+15550001111` is an
/// integer to YAML but a phone number to mfactl).
#[derive(Debug, Clone, PartialEq)]
pub enum NodeValue {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Keys in file order, each with its place.
    Map(Vec<(Located<String>, Node)>),
}

impl Node {
    pub fn as_map(&self) -> Option<&[(Located<String>, Node)]> {
        match &self.value {
            NodeValue::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            NodeValue::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// The value under `key` of a mapping node.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.value == key)
            .map(|(_, v)| v)
    }

    /// The text of a scalar: a string as written; any other scalar (a number, a boolean) as it
    /// stands in `source`. `None` for null, sequences and mappings.
    pub fn scalar_text(&self, source: &str) -> Option<String> {
        match &self.value {
            NodeValue::Str(text) => Some(text.clone()),
            NodeValue::Int(_) | NodeValue::Float(_) | NodeValue::Bool(_) => {
                match self.span.byte_range() {
                    Some(range) => source.get(range).map(|s| s.trim().to_string()),
                    None => Some(self.value.scalar_fallback()),
                }
            }
            NodeValue::Null | NodeValue::Seq(_) | NodeValue::Map(_) => None,
        }
    }

    /// What the node is, for messages: `the string "yes"`, `the number 1`, `a list`.
    pub fn describe(&self) -> String {
        match &self.value {
            NodeValue::Null => "nothing (null)".to_string(),
            NodeValue::Bool(b) => format!("the boolean {b}"),
            NodeValue::Int(n) => format!("the number {n}"),
            NodeValue::Float(f) => format!("the number {f}"),
            NodeValue::Str(s) => format!("the string \"{}\"", s.escape_debug()),
            NodeValue::Seq(_) => "a list".to_string(),
            NodeValue::Map(_) => "a mapping".to_string(),
        }
    }
}

impl NodeValue {
    fn scalar_fallback(&self) -> String {
        match self {
            NodeValue::Bool(b) => b.to_string(),
            NodeValue::Int(n) => n.to_string(),
            NodeValue::Float(f) => f.to_string(),
            _ => String::new(),
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<NodeValue>::deserialize(deserializer)?;
        Ok(Node {
            span: Span::from_location(spanned.referenced),
            value: spanned.value,
        })
    }
}

impl<'de> Deserialize<'de> for NodeValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = NodeValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a YAML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<NodeValue, E> {
        Ok(NodeValue::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<NodeValue, E> {
        Ok(NodeValue::Int(i128::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<NodeValue, E> {
        Ok(NodeValue::Int(i128::from(v)))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<NodeValue, E> {
        Ok(NodeValue::Int(v))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<NodeValue, E> {
        Ok(NodeValue::Int(i128::try_from(v).unwrap_or(i128::MAX)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<NodeValue, E> {
        Ok(NodeValue::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<NodeValue, E> {
        Ok(NodeValue::Str(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<NodeValue, E> {
        Ok(NodeValue::Str(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<NodeValue, E> {
        Ok(NodeValue::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<NodeValue, E> {
        Ok(NodeValue::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<NodeValue, D::Error> {
        NodeValue::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<NodeValue, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(NodeValue::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NodeValue, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Node>()? {
            let text = match &key.value {
                NodeValue::Str(s) => s.clone(),
                // `invalid_type` (not `custom`) so that the parser attaches the key's place.
                NodeValue::Seq(_) => {
                    return Err(de::Error::invalid_type(
                        de::Unexpected::Seq,
                        &"a mapping key must be plain text",
                    ));
                }
                NodeValue::Map(_) => {
                    return Err(de::Error::invalid_type(
                        de::Unexpected::Map,
                        &"a mapping key must be plain text",
                    ));
                }
                other => other.scalar_fallback(),
            };
            let value = map.next_value::<Node>()?;
            entries.push((
                Located {
                    value: text,
                    span: key.span,
                },
                value,
            ));
        }
        Ok(NodeValue::Map(entries))
    }
}
