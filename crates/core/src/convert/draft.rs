//! The converted config, built by resource address and field: each value is typed by its
//! field's spec (text, boolean, number, choice, set, texts), secrets become `${VAR}` references
//! named by the spec, and whatever does not fit becomes a note. Then the draft is written as a
//! config file through the table, as `mfactl export` writes one, and checked by the validator.

use std::collections::BTreeMap;

use serde_json::{Map, Value as Json};

use crate::config::export::{SCHEMA_HINT, insert_at};
use crate::convert::input::{Input, Part, Value, variable_name};
use crate::convert::{Conflict, Conversion, ConvertError, Note, NoteKind, Variable};
use crate::model::{Address, Factor, FieldValue, Values};
use crate::resource::instance::applies;
use crate::resource::{FieldSpec, FieldType, ResourceSpec, Shape, registry};
use crate::secret::Secret;

/// One field's value in the converted file.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Value(FieldValue),
    /// Text as the config file writes it, with `${VAR}` references (a literal `${` written as
    /// `$${`).
    Template(String),
}

/// The converted config while it is being built.
#[derive(Debug, Default)]
pub(crate) struct Draft {
    resources: BTreeMap<Address, BTreeMap<&'static str, Cell>>,
    /// Where each resource was first read, for notes about it.
    places: BTreeMap<Address, String>,
    pub notes: Vec<Note>,
    variables: Vec<Variable>,
    secrets: Vec<Secret>,
    /// The variable each secret in clear is read from.
    clear_by_variable: Vec<(String, Secret)>,
    /// Where each field got its value (`file:line`).
    origins: BTreeMap<(Address, &'static str), String>,
    /// Fields the input sets twice, to different values: the conversion fails with them.
    conflicts: Vec<Conflict>,
}

/// `file:line`, or `file` when the line is unknown.
pub(crate) fn place(file: &str, line: Option<usize>) -> String {
    match line {
        Some(line) => format!("{file}:{line}"),
        None => file.to_string(),
    }
}

/// The config path of one field (`push.sns.aws_region`; `factors.otp` for a value-shaped
/// resource).
fn field_path(address: &Address, field: &FieldSpec) -> String {
    if address.spec().shape == Shape::Value {
        address.to_string()
    } else {
        format!("{address}.{}", field.key)
    }
}

/// What a field of this type must be, for notes.
fn expected(field: &FieldSpec) -> &'static str {
    match field.ty {
        FieldType::Text { .. } => "text",
        FieldType::Bool => "true or false",
        FieldType::Integer { .. } => "a whole number",
        FieldType::Enum(_) => "one of its values",
        FieldType::Set { .. } => "a list",
        FieldType::Texts => "texts by screen and text id",
        FieldType::Items { .. } => "a list of objects",
    }
}

/// Text for a config file value that mfactl interpolates: a literal `${` becomes `$${`.
fn escaped(text: &str) -> String {
    text.replace("${", "$${")
}

impl Draft {
    pub fn note(
        &mut self,
        kind: NoteKind,
        place: impl Into<String>,
        subject: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.notes.push(Note::new(kind, place, subject, message));
    }

    /// Records a secret the input holds in clear somewhere other than the field (a Terraform
    /// variable's value), for scrubbing, with a note.
    pub fn secret_in_clear(
        &mut self,
        value: String,
        place: String,
        subject: String,
        message: String,
    ) {
        self.secrets.push(Secret::new(value));
        self.note(NoteKind::SecretInClear, place, subject, message);
    }

    /// Makes the resource part of the file even if no field gets a value (its place is
    /// remembered for notes).
    pub fn touch(&mut self, address: &Address, place: &str) {
        self.resources.entry(address.clone()).or_default();
        self.places
            .entry(address.clone())
            .or_insert_with(|| place.to_string());
    }

    /// Whether the draft holds this resource.
    pub fn has(&self, address: &Address) -> bool {
        self.resources.contains_key(address)
    }

    /// A factor's switch, when the draft sets it to a literal value.
    pub fn factor(&self, factor: Factor) -> Option<bool> {
        match self
            .resources
            .get(&crate::model::MfaState::factor_address(factor))?
            .get("enabled")?
        {
            Cell::Value(FieldValue::Bool(on)) => Some(*on),
            _ => None,
        }
    }

    /// The literal value of a field, when the draft holds one.
    pub fn text(&self, address: &Address, key: &str) -> Option<&str> {
        match self.resources.get(address)?.get(key)? {
            Cell::Value(FieldValue::Text(text)) => Some(text),
            _ => None,
        }
    }

    /// Sets a field. A field set a second time keeps its first value: the same value again gets
    /// a note, another value is a [`Conflict`] that fails the conversion (the input is
    /// ambiguous, and choosing either value would hide that from the user).
    fn set(&mut self, address: &Address, field: &'static FieldSpec, cell: Cell, place: &str) {
        self.touch(address, place);
        let Some(cells) = self.resources.get_mut(address) else {
            return;
        };
        let Some(first) = cells.get(field.key) else {
            cells.insert(field.key, cell);
            self.origins
                .insert((address.clone(), field.key), place.to_string());
            return;
        };
        let same = *first == cell;
        let path = field_path(address, field);
        let first = self
            .origins
            .get(&(address.clone(), field.key))
            .cloned()
            .unwrap_or_default();
        if same {
            self.note(
                NoteKind::Assumed,
                place,
                path,
                format!("set again, to the value it has at {first}"),
            );
        } else {
            self.conflicts.push(Conflict {
                path,
                first,
                second: place.to_string(),
            });
        }
    }

    fn variable(&mut self, name: &str, used_at: &str, secret: bool) {
        match self.variables.iter_mut().find(|v| v.name == name) {
            Some(known) => known.secret |= secret,
            None => self.variables.push(Variable {
                name: name.to_string(),
                used_at: used_at.to_string(),
                secret,
            }),
        }
    }

    /// Sets one field from the input, typed by its spec. `file` names the input file for notes.
    pub fn put(&mut self, address: &Address, field: &'static FieldSpec, input: &Input, file: &str) {
        let at = place(file, input.line);
        let path = field_path(address, field);
        if input.is_null() {
            return;
        }
        if field.is_secret() {
            self.put_secret(address, field, input, &at, &path);
            return;
        }
        if let Value::Unknown { written, variable } = &input.value {
            let name = variable.clone().unwrap_or_else(|| variable_name(&path));
            self.reference_for_unknown(address, field, &name, written, &at, &path);
            return;
        }
        let literal = input.literal();
        let cell = match (field.ty, &input.value) {
            (FieldType::Text { .. }, Value::Text(parts)) => match literal {
                Some(text) if text.is_empty() => return,
                Some(text) => Cell::Value(FieldValue::Text(text)),
                None => {
                    let mut template = String::new();
                    for part in parts {
                        match part {
                            Part::Literal(text) => template.push_str(&escaped(text)),
                            Part::Variable { name, written } => {
                                template.push_str(&format!("${{{name}}}"));
                                self.variable(name, &path, false);
                                self.note(
                                    NoteKind::Reference,
                                    at.clone(),
                                    path.clone(),
                                    format!("`{written}` is now `${{{name}}}`"),
                                );
                            }
                        }
                    }
                    Cell::Template(template)
                }
            },
            (FieldType::Text { .. }, Value::Number(text)) => {
                Cell::Value(FieldValue::Text(text.clone()))
            }
            (FieldType::Bool, Value::Bool(b)) => Cell::Value(FieldValue::Bool(*b)),
            (FieldType::Integer { .. }, Value::Number(text)) => match text.parse::<u64>() {
                Ok(n) => Cell::Value(FieldValue::Number(n)),
                Err(_) => {
                    self.note(
                        NoteKind::NotCarriedOver,
                        at,
                        path,
                        "not a whole number of the range mfactl accepts",
                    );
                    return;
                }
            },
            (FieldType::Enum(_), Value::Text(_)) if literal.is_some() => {
                Cell::Value(FieldValue::Text(literal.unwrap_or_default()))
            }
            (FieldType::Set { .. }, Value::List(items)) => {
                let names: Option<Vec<String>> = items.iter().map(Input::literal).collect();
                match names {
                    Some(names) => Cell::Value(FieldValue::list(names)),
                    None => {
                        self.note(
                            NoteKind::NotCarriedOver,
                            at,
                            path,
                            "its items must be plain values; keyword markers or variables inside the list cannot be converted",
                        );
                        return;
                    }
                }
            }
            (FieldType::Texts, Value::Map(_)) => match self.texts(input, file, &path) {
                Some(texts) => Cell::Value(FieldValue::Texts(texts)),
                None => return,
            },
            (_, Value::Text(parts)) if literal.is_none() => {
                // A reference where mfactl takes no `${VAR}` (a boolean, a choice, a list).
                let (name, written) = parts
                    .iter()
                    .find_map(|p| match p {
                        Part::Variable { name, written } => Some((name.clone(), written.clone())),
                        Part::Literal(_) => None,
                    })
                    .unwrap_or_else(|| (variable_name(&path), String::new()));
                self.reference_for_unknown(address, field, &name, &written, &at, &path);
                return;
            }
            _ => {
                self.note(
                    NoteKind::NotCarriedOver,
                    at,
                    path,
                    format!("expected {}, found {}", expected(field), input.describe()),
                );
                return;
            }
        };
        self.set(address, field, cell, &at);
    }

    /// A value the converter cannot know: the file reads `${name}` in its place.
    fn reference_for_unknown(
        &mut self,
        address: &Address,
        field: &'static FieldSpec,
        name: &str,
        written: &str,
        at: &str,
        path: &str,
    ) {
        let what = if written.is_empty() {
            String::from("the value")
        } else {
            format!("`{written}`")
        };
        let message = if matches!(field.ty, FieldType::Text { .. }) {
            format!("{what} cannot be evaluated here: the file reads `${{{name}}}` instead")
        } else {
            format!(
                "{what} cannot be evaluated here, and mfactl reads `${{VAR}}` in text values only: replace `${{{name}}}` with {}",
                expected(field)
            )
        };
        self.note(NoteKind::Reference, at, path, message);
        self.variable(name, path, field.is_secret());
        self.set(address, field, Cell::Template(format!("${{{name}}}")), at);
    }

    fn put_secret(
        &mut self,
        address: &Address,
        field: &'static FieldSpec,
        input: &Input,
        at: &str,
        path: &str,
    ) {
        let env = field
            .env
            .map(str::to_string)
            .unwrap_or_else(|| variable_name(path));
        match &input.value {
            Value::Text(parts) => {
                if let [Part::Variable { name, written }] = parts.as_slice() {
                    self.note(
                        NoteKind::Reference,
                        at,
                        path,
                        format!("`{written}` is now `${{{name}}}`"),
                    );
                    self.variable(name, path, true);
                    self.set(address, field, Cell::Template(format!("${{{name}}}")), at);
                    return;
                }
                let clear: String = parts
                    .iter()
                    .map(|p| match p {
                        Part::Literal(text) => text.as_str(),
                        Part::Variable { .. } => "",
                    })
                    .collect();
                if clear.is_empty() && parts.len() <= 1 {
                    return;
                }
                self.clear_secret(address, field, clear, parts.len() > 1, &env, at, path);
            }
            Value::Number(text) => {
                self.clear_secret(address, field, text.clone(), false, &env, at, path);
            }
            Value::Unknown { written, variable } => {
                let name = variable.clone().unwrap_or(env);
                self.reference_for_unknown(address, field, &name, written, at, path);
            }
            _ => self.note(
                NoteKind::NotCarriedOver,
                at,
                path,
                format!("expected text, found {}", input.describe()),
            ),
        }
    }

    /// A secret written in clear: the file reads the field's variable instead, or, when another
    /// secret in clear already took that name with another value, a variable named after the
    /// field's path.
    #[allow(clippy::too_many_arguments)]
    fn clear_secret(
        &mut self,
        address: &Address,
        field: &'static FieldSpec,
        value: String,
        partly: bool,
        env: &str,
        at: &str,
        path: &str,
    ) {
        let taken = self
            .clear_by_variable
            .iter()
            .any(|(name, secret)| name == env && secret.expose() != value);
        let name = if taken {
            variable_name(path)
        } else {
            env.to_string()
        };
        let secret = Secret::new(value);
        self.clear_by_variable.push((name.clone(), secret.clone()));
        self.secrets.push(secret);
        let partly = if partly { "partly " } else { "" };
        self.note(
            NoteKind::SecretInClear,
            at,
            path,
            format!("{partly}in clear in the input; the file reads `${{{name}}}`: set {name} to the secret"),
        );
        self.variable(&name, path, true);
        self.set(address, field, Cell::Template(format!("${{{name}}}")), at);
    }

    /// `{screen: {text_id: text}}`. Prompt texts are sent as written (`${…}` in them are Auth0's
    /// own variables), so a keyword marker in them cannot become a reference: it stays as written,
    /// with a note.
    fn texts(
        &mut self,
        input: &Input,
        file: &str,
        path: &str,
    ) -> Option<BTreeMap<String, BTreeMap<String, String>>> {
        let mut out = BTreeMap::new();
        for (screen, texts) in input.entries() {
            let mut by_id = BTreeMap::new();
            for (id, text) in texts.entries() {
                let at = place(file, text.line);
                let written = match &text.value {
                    Value::Text(parts) => parts
                        .iter()
                        .map(|p| match p {
                            Part::Literal(t) => t.clone(),
                            Part::Variable { written, .. } => {
                                self.note(
                                    NoteKind::NotCarriedOver,
                                    at.clone(),
                                    format!("{path}.{screen}.{id}"),
                                    format!(
                                        "keyword marker `{written}` kept as written: in prompt texts `${{…}}` is Auth0's own variable, so mfactl cannot fill it in; replace it with the text"
                                    ),
                                );
                                written.clone()
                            }
                        })
                        .collect(),
                    Value::Number(t) => t.clone(),
                    _ => {
                        self.note(
                            NoteKind::NotCarriedOver,
                            at,
                            format!("{path}.{screen}.{id}"),
                            format!("expected text, found {}", text.describe()),
                        );
                        continue;
                    }
                };
                by_id.insert(id.clone(), written);
            }
            out.insert(screen.clone(), by_id);
        }
        Some(out)
    }

    /// Tidies the draft before it is written: leaves out the settings of factors the file turns
    /// off, drops settings that received no value, and refers to the required secrets the input
    /// leaves out.
    pub fn tidy(&mut self) {
        self.leave_out_settings_of_disabled_factors();
        self.resources
            .retain(|address, cells| address.spec().shape == Shape::Value || !cells.is_empty());
        self.require_secrets();
    }

    /// Every required secret the input leaves out (exports never hold write-only values) becomes
    /// a reference to its field's variable, so the file can write the resource.
    fn require_secrets(&mut self) {
        let mut missing: Vec<(Address, &'static FieldSpec)> = Vec::new();
        for (address, cells) in &self.resources {
            let spec = address.spec();
            if spec.shape != Shape::Object {
                continue;
            }
            let values = self.values_of(cells);
            for field in spec.fields {
                if field.is_secret()
                    && field.required
                    && applies(field, &values)
                    && !cells.contains_key(field.key)
                {
                    missing.push((address.clone(), field));
                }
            }
        }
        for (address, field) in missing {
            let Some(env) = field.env else { continue };
            let path = field_path(&address, field);
            let at = self.places.get(&address).cloned().unwrap_or_default();
            self.note(
                NoteKind::Assumed,
                at.clone(),
                path.clone(),
                format!(
                    "not in the input (exports never hold it); the file reads `${{{env}}}`, as mfactl sends it whenever it writes `{address}`"
                ),
            );
            self.variable(env, &path, true);
            self.set(&address, field, Cell::Template(format!("${{{env}}}")), &at);
        }
    }

    /// Values of a resource's literal fields (for the `when` rules).
    fn values_of(&self, cells: &BTreeMap<&'static str, Cell>) -> Values {
        Values::of(cells.iter().filter_map(|(key, cell)| match cell {
            Cell::Value(value) => Some((*key, value.clone())),
            Cell::Template(_) => None,
        }))
    }

    /// Leaves out the settings of every factor the file turns off, as `mfactl export` does: the
    /// validator warns about settings of a factor that is off, and the tenant keeps them as they
    /// are.
    fn leave_out_settings_of_disabled_factors(&mut self) {
        let addresses: Vec<Address> = self.resources.keys().cloned().collect();
        for address in addresses {
            let spec: &ResourceSpec = address.spec();
            let Some(top) = spec.config_path.first() else {
                continue;
            };
            let Some(factor) = registry::factor_of_top_level(top) else {
                continue;
            };
            if self.factor(factor) != Some(false) {
                continue;
            }
            self.resources.remove(&address);
            let at = self.places.get(&address).cloned().unwrap_or_default();
            self.note(
                NoteKind::NotCarriedOver,
                at,
                address.to_string(),
                format!(
                    "left out, as `factors.{factor}` is false: mfactl leaves the settings of a factor that is off unmanaged (the tenant keeps them); add them back when you turn the factor on"
                ),
            );
        }
    }

    /// Writes the draft as a config file, and checks it as `mfactl validate --strict --no-env`
    /// would. `source` says what was converted (`deploy-cli export tenant.yaml`).
    pub fn finish(
        self,
        source: String,
        tool_version: &str,
        output_name: &str,
    ) -> Result<Conversion, ConvertError> {
        if !self.conflicts.is_empty() {
            return Err(ConvertError::Conflicts(self.conflicts));
        }
        let mut root = Map::new();
        root.insert("version".into(), Json::from(1));
        for (address, cells) in &self.resources {
            let spec = address.spec();
            let json_of = |field: &FieldSpec, cell: &Cell| match cell {
                Cell::Template(text) => Json::String(text.clone()),
                Cell::Value(FieldValue::Text(text))
                    if matches!(field.ty, FieldType::Text { .. }) =>
                {
                    Json::String(escaped(text))
                }
                Cell::Value(value) => value.to_view(),
            };
            let value = if spec.shape == Shape::Value {
                let Some(field) = spec.value_field() else {
                    continue;
                };
                let Some(cell) = cells.get(field.key) else {
                    continue;
                };
                json_of(field, cell)
            } else {
                let mut map = Map::new();
                for field in spec.fields {
                    if let Some(cell) = cells.get(field.key) {
                        map.insert(field.key.to_string(), json_of(field, cell));
                    }
                }
                Json::Object(map)
            };
            let mut path: Vec<&str> = spec.config_path.to_vec();
            path.extend(address.key().iter().map(String::as_str));
            insert_at(&mut root, &path, value);
        }
        let body = serde_saphyr::to_string(&Json::Object(root))
            .map_err(|e| ConvertError::Render(e.to_string()))?;
        let mut text = format!("# Converted by mfactl {tool_version} from {source}.\n");
        if self.variables.is_empty() {
            text.push_str("# It reads no variables.\n");
        } else {
            let names: Vec<&str> = self.variables.iter().map(|v| v.name.as_str()).collect();
            text.push_str(&format!(
                "# Set these environment variables before `mfactl plan` or `mfactl apply`:\n#   {}\n",
                names.join(", ")
            ));
        }
        text.push_str(SCHEMA_HINT);
        text.push_str(&body);
        if !text.ends_with('\n') {
            text.push('\n');
        }
        let loaded = crate::config::load_str(output_name, &text, None);
        Ok(Conversion {
            source,
            text,
            variables: self.variables,
            notes: self.notes,
            diagnostics: loaded.effective_diagnostics(true),
            secrets_in_clear: self.secrets,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource::specs::{DUO, FACTORS, PHONE_TWILIO, POLICIES, PUSH_SNS};

    fn text(line: usize, text: &str) -> Input {
        Input::text(Some(line), text)
    }

    #[test]
    fn secrets_in_clear_become_references_named_by_the_spec() {
        let mut draft = Draft::default();
        let duo = Address::of(&DUO);
        draft.put(
            &duo,
            DUO.field("ikey").unwrap(),
            &text(3, "DIXXXX"),
            "t.yaml",
        );
        draft.put(
            &duo,
            DUO.field("skey").unwrap(),
            &text(4, "duo-secret-123"),
            "t.yaml",
        );
        draft.put(
            &duo,
            DUO.field("host").unwrap(),
            &text(5, "api-1.duosecurity.com"),
            "t.yaml",
        );
        let conversion = draft.finish("test".into(), "0.0.0", "out.yaml").unwrap();
        assert!(
            !conversion.text.contains("duo-secret-123"),
            "{}",
            conversion.text
        );
        assert!(
            conversion.text.contains("skey: ${DUO_SECRET_KEY}"),
            "{}",
            conversion.text
        );
        assert_eq!(conversion.variables[0].name, "DUO_SECRET_KEY");
        assert_eq!(conversion.secrets_in_clear[0].expose(), "duo-secret-123");
        assert_eq!(conversion.notes[0].kind, NoteKind::SecretInClear);
        assert_eq!(conversion.notes[0].place, "t.yaml:4");
        assert!(
            conversion.diagnostics.is_empty(),
            "{:?}",
            conversion.diagnostics
        );
    }

    #[test]
    fn references_literal_dollars_and_placeholders() {
        let mut draft = Draft::default();
        let twilio = Address::of(&PHONE_TWILIO);
        let sid = Input::new(
            Some(2),
            Value::Text(vec![
                Part::Literal("AC".into()),
                Part::Variable {
                    name: "SID_SUFFIX".into(),
                    written: "##SID_SUFFIX##".into(),
                },
            ]),
        );
        draft.put(&twilio, PHONE_TWILIO.field("sid").unwrap(), &sid, "t.yaml");
        draft.put(
            &twilio,
            PHONE_TWILIO.field("from").unwrap(),
            &text(3, "costs ${5}"),
            "t.yaml",
        );
        // A policy list from an array marker cannot be a reference.
        let policies = Input::new(
            Some(7),
            Value::Text(vec![Part::Variable {
                name: "POLICIES".into(),
                written: "@@POLICIES@@".into(),
            }]),
        );
        draft.put(
            &Address::of(&POLICIES),
            POLICIES.value_field().unwrap(),
            &policies,
            "t.yaml",
        );
        draft.tidy();
        let conversion = draft.finish("test".into(), "0.0.0", "out.yaml").unwrap();
        assert!(
            conversion.text.contains("sid: AC${SID_SUFFIX}"),
            "{}",
            conversion.text
        );
        assert!(
            conversion.text.contains("from: costs $${5}"),
            "{}",
            conversion.text
        );
        assert!(
            conversion.text.contains("auth_token: ${TWILIO_AUTH_TOKEN}"),
            "{}",
            conversion.text
        );
        assert!(
            conversion.text.contains("policies: ${POLICIES}"),
            "{}",
            conversion.text
        );
        // The placeholder list does not validate: the report says so.
        assert!(
            conversion
                .diagnostics
                .iter()
                .any(|d| d.message.contains("policies")),
            "{:?}",
            conversion.diagnostics
        );
    }

    #[test]
    fn settings_of_a_disabled_factor_are_left_out() {
        let mut draft = Draft::default();
        let push = Address::keyed(&FACTORS, ["push-notification"]);
        let off = Input::new(Some(1), Value::Bool(false));
        draft.put(&push, FACTORS.value_field().unwrap(), &off, "t.yaml");
        let sns = Address::of(&PUSH_SNS);
        draft.put(
            &sns,
            PUSH_SNS.field("aws_region").unwrap(),
            &text(9, "us-east-1"),
            "t.yaml",
        );
        draft.tidy();
        assert!(!draft.has(&sns));
        assert_eq!(draft.notes[0].place, "t.yaml:9");
        assert_eq!(draft.notes[0].subject, "push.sns");
    }
}
