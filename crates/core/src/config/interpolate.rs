//! `${VAR}` references in string values, resolved from the environment.
//!
//! Only the braced form `${NAME}` is recognised (NAME: letters, digits and `_`, not starting
//! with a digit); `$${` writes a literal `${`; any other `$` is literal. A variable that is unset
//! or empty counts as missing. The resolved text is returned, never shown: diagnostics name the
//! variable, not its value.

/// A string after interpolation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub value: String,
    /// The variables it referenced, in order.
    pub variables: Vec<String>,
}

/// Why a string could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InterpolationError {
    /// These variables are unset or empty.
    Missing(Vec<String>),
    /// A `${` that does not form a valid reference; the text is the offending reference.
    Malformed(String),
}

/// Resolves every `${NAME}` in `text` with `lookup`.
pub fn interpolate(
    text: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<Resolved, InterpolationError> {
    let mut value = String::with_capacity(text.len());
    let mut variables = Vec::new();
    let mut missing = Vec::new();
    let mut rest = text;
    while let Some(dollar) = rest.find('$') {
        value.push_str(&rest[..dollar]);
        let after = &rest[dollar..];
        if let Some(tail) = after.strip_prefix("$${") {
            value.push_str("${");
            rest = tail;
        } else if let Some(tail) = after.strip_prefix("${") {
            let Some(close) = tail.find('}') else {
                return Err(InterpolationError::Malformed(after.to_string()));
            };
            let name = &tail[..close];
            if !is_variable_name(name) {
                return Err(InterpolationError::Malformed(format!("${{{name}}}")));
            }
            variables.push(name.to_string());
            match lookup(name).filter(|v| !v.is_empty()) {
                Some(resolved) => value.push_str(&resolved),
                None => {
                    if !missing.iter().any(|m| m == name) {
                        missing.push(name.to_string());
                    }
                }
            }
            rest = &tail[close + 1..];
        } else {
            value.push('$');
            rest = &after[1..];
        }
    }
    value.push_str(rest);
    if missing.is_empty() {
        Ok(Resolved { value, variables })
    } else {
        Err(InterpolationError::Missing(missing))
    }
}

/// Whether `name` can be referenced as `${name}`: letters, digits and `_`, not starting with a
/// digit.
pub fn is_variable_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        match name {
            "TOKEN" => Some("s3cr3t".into()),
            "EMPTY" => Some(String::new()),
            _ => None,
        }
    }

    #[test]
    fn resolves_references() {
        let r = interpolate("a-${TOKEN}-b", &env).unwrap();
        assert_eq!(r.value, "a-s3cr3t-b");
        assert_eq!(r.variables, ["TOKEN"]);
    }

    #[test]
    fn plain_text_and_escapes_stay_literal() {
        assert_eq!(interpolate("cost $5", &env).unwrap().value, "cost $5");
        assert_eq!(interpolate("$${TOKEN}", &env).unwrap().value, "${TOKEN}");
    }

    #[test]
    fn reports_every_missing_variable_once() {
        assert_eq!(
            interpolate("${A}${EMPTY}${A}${TOKEN}", &env),
            Err(InterpolationError::Missing(vec![
                "A".into(),
                "EMPTY".into()
            ]))
        );
    }

    #[test]
    fn rejects_malformed_references() {
        assert!(matches!(
            interpolate("${1BAD}", &env),
            Err(InterpolationError::Malformed(_))
        ));
        assert!(matches!(
            interpolate("${OPEN", &env),
            Err(InterpolationError::Malformed(_))
        ));
        assert!(matches!(
            interpolate("${A:-default}", &env),
            Err(InterpolationError::Malformed(_))
        ));
    }
}
