//! A value read from another tool's file, before it is typed by the resource table: plain data,
//! text made of literal parts and variable references, or an expression the converter cannot
//! evaluate. Each value remembers its line for notes.

/// One value and the line it starts on (1-based), when known.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Input {
    pub line: Option<usize>,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Bool(bool),
    /// A number as written (`6`; `+15550001111`, which YAML reads as a number).
    Number(String),
    /// Text: literal parts and references to variables (`##ENVIRONMENT##`, `var.region`).
    Text(Vec<Part>),
    List(Vec<Input>),
    /// Keys in the order written.
    Map(Vec<(String, Input)>),
    /// An expression the converter cannot evaluate (`filebase64("cert.p12")`): as written, and
    /// the variable it names, when it names one.
    Unknown {
        written: String,
        variable: Option<String>,
    },
}

/// A piece of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Part {
    Literal(String),
    /// A variable: its name in the converted file (`${NAME}`) and how the input wrote it
    /// (`##NAME##`, `var.name`).
    Variable {
        name: String,
        written: String,
    },
}

impl Input {
    pub fn new(line: Option<usize>, value: Value) -> Self {
        Input { line, value }
    }

    /// A literal text.
    pub fn text(line: Option<usize>, text: impl Into<String>) -> Self {
        Input::new(line, Value::Text(vec![Part::Literal(text.into())]))
    }

    /// The value under `key` of a mapping.
    pub fn get(&self, key: &str) -> Option<&Input> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The value at a dotted path of mappings (`configuration.sid`).
    pub fn get_path(&self, path: &str) -> Option<&Input> {
        path.split('.').try_fold(self, |node, key| node.get(key))
    }

    /// The text of a value that is literal text only.
    pub fn literal(&self) -> Option<String> {
        match &self.value {
            Value::Text(parts) => parts
                .iter()
                .map(|p| match p {
                    Part::Literal(text) => Some(text.as_str()),
                    Part::Variable { .. } => None,
                })
                .collect(),
            Value::Number(text) => Some(text.clone()),
            _ => None,
        }
    }

    pub fn entries(&self) -> &[(String, Input)] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Input] {
        match &self.value {
            Value::List(items) => items,
            _ => &[],
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// What the value is, for notes (never its text: it may be a secret).
    pub fn describe(&self) -> &'static str {
        match &self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::Text(_) => "text",
            Value::List(_) => "a list",
            Value::Map(_) => "a mapping",
            Value::Unknown { .. } => "an expression",
        }
    }
}

/// A name fit for `${NAME}`: letters, digits and `_`, not starting with a digit; every other
/// character becomes `_`, and letters are upper-cased (`twilio-token` → `TWILIO_TOKEN`).
pub(crate) fn variable_name(raw: &str) -> String {
    let mut name: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variable_names_fit_references() {
        assert_eq!(variable_name("twilio_auth_token"), "TWILIO_AUTH_TOKEN");
        assert_eq!(variable_name("duo-secret"), "DUO_SECRET");
        assert_eq!(variable_name("1st"), "_1ST");
        assert_eq!(variable_name(""), "_");
    }

    #[test]
    fn paths_and_literals() {
        let tree = Input::new(
            Some(1),
            Value::Map(vec![(
                "configuration".into(),
                Input::new(
                    Some(2),
                    Value::Map(vec![("sid".into(), Input::text(Some(3), "AC1"))]),
                ),
            )]),
        );
        let sid = tree.get_path("configuration.sid").unwrap();
        assert_eq!(sid.literal().as_deref(), Some("AC1"));
        assert_eq!(sid.line, Some(3));
        assert!(tree.get_path("configuration.from").is_none());
        let mixed = Input::new(
            None,
            Value::Text(vec![
                Part::Literal("a".into()),
                Part::Variable {
                    name: "B".into(),
                    written: "##B##".into(),
                },
            ]),
        );
        assert_eq!(mixed.literal(), None);
    }
}
