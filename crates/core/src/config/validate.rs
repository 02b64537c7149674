//! The file's tree of nodes → desired state, reporting every problem at once.
//!
//! The walk follows the resource table: each top-level key is `version`, `tenant`, a container
//! section ([`registry::SECTIONS`]) or a resource ([`registry::RESOURCES`]); each resource's
//! fields are checked against their [`FieldSpec`] (type, limits, enum values, secrets written in
//! clear, `${VAR}` references), then its section against its rules (required keys, a section
//! that sets nothing, the spec's own hook). Problems only the whole file shows come last.

use std::collections::BTreeMap;

use super::diagnostic::Diagnostic;
use super::interpolate::{InterpolationError, interpolate};
use super::located::{Located, Span};
use super::node::{Node, NodeValue};
use super::section::SectionCheck;
use super::suggest::closest;
use crate::config::report::Report;
use crate::model::{
    Address, DeliveryMethod, EnumInfo, Factor, FieldValue, MessageType, MfaState, Values,
};
use crate::resource::instance::applies;
use crate::resource::specs::{PHONE_MESSAGE_TYPES, PHONE_PROVIDER, TENANT_PHONE_PROVIDER};
use crate::resource::{FieldSpec, FieldType, Keys, ResourceSpec, Shape, registry};
use crate::secret::Secret;

/// The config file's content once it is known to be valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesiredConfig {
    /// The tenant domain the file is for, when it says.
    pub tenant: Option<String>,
    /// What the tenant must have.
    pub state: MfaState,
}

/// Looks up an environment variable.
pub type EnvLookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The longest text the `tenant` key takes (a domain name).
pub(crate) const MAX_DOMAIN: usize = 255;

/// What [`validate`] found in a file.
pub struct Validated {
    /// The desired config, when there is no error.
    pub config: Option<DesiredConfig>,
    pub diagnostics: Vec<Diagnostic>,
    /// Every value a secret field took (from `${VAR}` or written in clear), whether or not the
    /// file is valid: a diagnostic's snippet may show the same text elsewhere in the file.
    pub secrets: Vec<Secret>,
}

/// Checks a parsed file (`source` is its text, for the source form of plain scalars); gives
/// the desired config when there is no error. With `env` set to `None`, `${VAR}` references are
/// checked for syntax only and the values they stand for are left out (for
/// `validate --no-env` in jobs that hold no secrets).
pub fn validate(root: &Node, source: &str, env: Option<EnvLookup<'_>>) -> Validated {
    let mut check = Checker {
        source,
        pending: Vec::new(),
        env,
        diagnostics: Vec::new(),
        missing: Vec::new(),
        spans: BTreeMap::new(),
        secrets: Vec::new(),
    };
    let config = check.config(root);
    check.report_missing_variables();
    let Checker {
        diagnostics,
        secrets,
        ..
    } = check;
    let ok = !diagnostics.iter().any(Diagnostic::is_error);
    Validated {
        config: ok.then_some(config),
        diagnostics,
        secrets,
    }
}

/// A section read from the file, waiting for its spec's own checks.
struct Pending<'a> {
    address: Address,
    path: String,
    span: Span,
    nodes: Vec<(&'static str, &'a Node)>,
    values: Values,
}

pub(crate) struct Checker<'a> {
    pub(crate) source: &'a str,
    pending: Vec<Pending<'a>>,
    env: Option<EnvLookup<'a>>,
    diagnostics: Vec<Diagnostic>,
    /// Missing variables with the place of their first use.
    missing: Vec<(String, Span)>,
    /// Where each config path the file sets starts (`phone`, `phone.message_types`).
    spans: BTreeMap<String, Span>,
    /// Every value a secret field took, valid or not.
    secrets: Vec<Secret>,
}

/// How a value's type is named in "must be" messages: (noun phrase, help).
pub(crate) const MAPPING: (&str, &str) = (
    "a mapping of `key: value` lines",
    "write `key: value` pairs, one per line, indented under it",
);
const LIST: (&str, &str) = ("a list", "write it as `[a, b]` or as `- a` lines");
pub(crate) const TEXT: (&str, &str) = (
    "a single text value",
    "quote it if it holds special characters",
);
pub(crate) const NUMBER: (&str, &str) = ("a whole number", "write digits only, without quotes");

impl Report for Checker<'_> {
    fn diagnostics(&mut self) -> &mut Vec<Diagnostic> {
        &mut self.diagnostics
    }
}

impl<'a> Checker<'a> {
    /// The text of a plain (unquoted) scalar written as a whole number, `-` allowed, however
    /// large: `99999999999999999999999999`. `None` for anything else, quoted digits included.
    fn plain_digits(&self, node: &Node) -> Option<String> {
        if !matches!(node.value, NodeValue::Float(_) | NodeValue::Str(_)) {
            return None;
        }
        let text = self.source.get(node.span.byte_range()?)?.trim();
        let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
        let whole = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
        whole.then(|| text.trim_start_matches('+').to_string())
    }

    pub(crate) fn missing_key(&mut self, section: &str, key: &str, section_span: Span) {
        self.error(format!("`{section}` is missing `{key}`"), section_span)
            .help = Some(format!("add `{key}:` under `{section}`"));
    }

    fn config(&mut self, root: &'a Node) -> DesiredConfig {
        let mut state = MfaState::default();
        let mut tenant = None;
        let Some(entries) = root.as_map() else {
            self.wrong_type("the file's top level", root.span, MAPPING);
            return DesiredConfig { tenant, state };
        };
        let sections = registry::top_level_keys();
        let mut known = vec!["version", "tenant"];
        known.extend(&sections);
        let mut version = false;
        for (key, node) in entries {
            self.spans.insert(key.value.clone(), node.span);
            match key.value.as_str() {
                "version" => {
                    version = true;
                    self.version(node);
                }
                "tenant" => tenant = self.tenant(node),
                name if registry::section(name).is_some() => self.container(name, node),
                name => match resource_at(&[name]) {
                    Some(spec) => self.resource(spec, node),
                    None => self.unknown_key(key, &known),
                },
            }
        }
        if !version {
            let span = entries.first().map_or(root.span, |(k, _)| k.span);
            self.error("missing key `version`", span).help = Some(
                "add `version: 1` at the top of the file (the config format this mfactl reads)"
                    .into(),
            );
        }
        self.run_pending(&mut state);
        self.combinations(&state);
        DesiredConfig { tenant, state }
    }

    fn version(&mut self, node: &Node) {
        match node.value {
            NodeValue::Int(1) => {}
            NodeValue::Int(version) => {
                let d = self.error(format!("unsupported config version {version}"), node.span);
                d.label = Some("this mfactl reads version 1".into());
                d.help = Some("set `version: 1`".into());
            }
            _ => self.wrong_type("`version`", node.span, NUMBER),
        }
    }

    fn tenant(&mut self, node: &Node) -> Option<String> {
        let Some(text) = node.scalar_text(self.source) else {
            self.wrong_type("`tenant`", node.span, TEXT);
            return None;
        };
        let domain = self.string_at(&text, node.span, "tenant", MAX_DOMAIN)?;
        if domain.contains("://") || domain.contains('/') {
            self.error("`tenant` must be a domain name, not a URL", node.span)
                .help = Some("write it as `acme-prod.eu.auth0.com`".into());
            return None;
        }
        Some(domain.to_ascii_lowercase())
    }

    /// A mapping that only groups resources (`phone`, `push`, `email`, `tenant_phone`).
    fn container(&mut self, name: &str, node: &'a Node) {
        let Some(entries) = node.as_map() else {
            self.wrong_type(&format!("`{name}`"), node.span, MAPPING);
            return;
        };
        let children: Vec<&'static ResourceSpec> = registry::RESOURCES
            .iter()
            .copied()
            .filter(|s| s.config_path.len() == 2 && s.config_path[0] == name)
            .collect();
        let known: Vec<&str> = children.iter().map(|s| s.config_path[1]).collect();
        for (key, child) in entries {
            self.spans
                .insert(format!("{name}.{}", key.value), child.span);
            match children.iter().find(|s| s.config_path[1] == key.value) {
                Some(spec) => self.resource(spec, child),
                None => self.unknown_key(key, &known),
            }
        }
    }

    /// One resource spec's part of the file.
    fn resource(&mut self, spec: &'static ResourceSpec, node: &'a Node) {
        let path = spec.config_key();
        let last = spec.config_path.last().copied().unwrap_or("");
        match spec.keys {
            Keys::Single => self.instance(spec, Vec::new(), path, last, node),
            Keys::Fixed(info) => {
                let Some(entries) = self.map_of(node, last) else {
                    return;
                };
                for (key, child) in entries {
                    if info.rank(&key.value).is_none() {
                        self.unknown_key(key, &info.names().collect::<Vec<_>>());
                        continue;
                    }
                    let child_path = format!("{path}.{}", key.value);
                    self.instance(spec, vec![key.value.clone()], child_path, &key.value, child);
                }
            }
            Keys::User => {
                let Some(entries) = self.map_of(node, last) else {
                    return;
                };
                for (user, child) in entries {
                    if !user.value.contains('|') || user.value.trim() != user.value {
                        // Keying a user by email is the likely mistake: never echo it in clear.
                        let shown = crate::users::masking::mask_text(&user.value);
                        let d = self.error(format!("`{shown}` is not a user id"), user.span);
                        d.label = Some("expected `provider|id`".into());
                        d.help = Some(
                            "key each user by user id, e.g. `\"auth0|640b5a0ed3534be8b2db9dd3\"` (`mfactl users methods list EMAIL` shows it)"
                                .into(),
                        );
                        continue;
                    }
                    let child_path = format!("{path}[\"{}\"]", user.value);
                    self.instance(
                        spec,
                        vec![user.value.clone()],
                        child_path,
                        &user.value,
                        child,
                    );
                }
            }
            Keys::PromptLanguage { prompts, languages } => {
                let Some(entries) = self.map_of(node, last) else {
                    return;
                };
                for (prompt, by_language) in entries {
                    if prompts.rank(&prompt.value).is_none() {
                        self.unknown_key(prompt, &prompts.names().collect::<Vec<_>>());
                        continue;
                    }
                    let Some(languages_found) = self.map_of(by_language, &prompt.value) else {
                        continue;
                    };
                    for (language, texts) in languages_found {
                        if languages.rank(&language.value).is_none() {
                            self.unknown_language(language, languages);
                            continue;
                        }
                        let child_path = format!("{path}.{}.{}", prompt.value, language.value);
                        self.instance(
                            spec,
                            vec![prompt.value.clone(), language.value.clone()],
                            child_path,
                            &language.value,
                            texts,
                        );
                    }
                }
            }
        }
    }

    fn unknown_language(&mut self, key: &Located<String>, languages: &EnumInfo) {
        let names: Vec<&str> = languages.names().collect();
        let suggestion = closest(&key.value, names.iter().copied());
        let d = self.error(
            format!("`{}` is not a language Universal Login supports", key.value),
            key.span,
        );
        d.label = Some("unknown language".into());
        d.help = Some(match suggestion {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("use one of: {}", names.join(", ")),
        });
    }

    fn map_of(&mut self, node: &'a Node, subject: &str) -> Option<&'a [(Located<String>, Node)]> {
        let entries = node.as_map();
        if entries.is_none() {
            self.wrong_type(&format!("`{subject}`"), node.span, MAPPING);
        }
        entries
    }

    /// One resource: an object section, or the value of a value-shaped resource.
    fn instance(
        &mut self,
        spec: &'static ResourceSpec,
        key: Vec<String>,
        path: String,
        last: &str,
        node: &'a Node,
    ) {
        if spec.shape == Shape::Value {
            let Some(field) = spec.value_field() else {
                return;
            };
            if let Some(value) = self.value(field, node, &path, last) {
                let mut values = Values::default();
                values.set(field.key, value);
                self.queue(
                    Address::keyed(spec, key),
                    path,
                    node,
                    vec![(field.key, node)],
                    values,
                );
            }
            return;
        }
        let Some(entries) = self.map_of(node, last) else {
            return;
        };
        let known: Vec<&str> = spec.fields.iter().map(|f| f.key).collect();
        let mut nodes = Vec::new();
        let mut values = Values::default();
        for (name, child) in entries {
            let Some(field) = spec.field(&name.value) else {
                self.unknown_key(name, &known);
                continue;
            };
            nodes.push((field.key, child));
            if let Some(value) =
                self.value(field, child, &format!("{path}.{}", field.key), field.key)
            {
                values.set(field.key, value);
            }
        }
        for field in spec
            .fields
            .iter()
            .filter(|f| applies(f, &values) && f.required)
        {
            if !nodes.iter().any(|(k, _)| *k == field.key) {
                self.missing_key(&path, field.key, node.span);
            }
        }
        if spec.needs_a_field && nodes.is_empty() {
            let keys: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
            let listed = match keys.split_last() {
                Some((last_key, [])) => last_key.clone(),
                Some((last_key, rest)) => format!("{} or {last_key}", rest.join(", ")),
                None => String::new(),
            };
            self.error(format!("`{path}` sets nothing"), node.span).help =
                Some(format!("set {listed}, or remove the section"));
        }
        self.queue(Address::keyed(spec, key), path, node, nodes, values);
    }

    /// Queues a section for its spec's checks, which run once the whole file is read, in the
    /// registry's order (a rule may look at resources the file lists later).
    fn queue(
        &mut self,
        address: Address,
        path: String,
        node: &'a Node,
        nodes: Vec<(&'static str, &'a Node)>,
        values: Values,
    ) {
        self.pending.push(Pending {
            address,
            path,
            span: node.span,
            nodes,
            values,
        });
    }

    /// Runs every queued section's own checks in registry order and puts its values into
    /// `state`.
    fn run_pending(&mut self, state: &mut MfaState) {
        let mut pending = std::mem::take(&mut self.pending);
        pending.sort_by(|a, b| a.address.cmp(&b.address));
        for section in pending {
            let spec = section.address.spec();
            let values = {
                let mut check = SectionCheck {
                    checker: self,
                    spec,
                    path: section.path,
                    key: section.address.key().to_vec(),
                    span: section.span,
                    nodes: section.nodes,
                    values: section.values,
                    state,
                };
                if let Some(hook) = spec.validate {
                    hook(&mut check);
                }
                check.values
            };
            state.insert(section.address, values);
        }
    }

    /// One field's value, checked against its spec; `None` (with a diagnostic, or for an
    /// unresolved `${VAR}`) when it cannot be used.
    fn value(
        &mut self,
        field: &FieldSpec,
        node: &Node,
        path: &str,
        key: &str,
    ) -> Option<FieldValue> {
        match field.ty {
            FieldType::Text { max } => {
                let Some(text) = node.scalar_text(self.source) else {
                    self.wrong_type(&format!("`{key}`"), node.span, TEXT);
                    return None;
                };
                if field.is_secret() {
                    self.secret(&text, node, path, field, max)
                        .map(FieldValue::Secret)
                } else {
                    self.string_at(&text, node.span, path, max)
                        .map(FieldValue::Text)
                }
            }
            FieldType::Bool => match node.value {
                NodeValue::Bool(b) => Some(FieldValue::Bool(b)),
                _ => {
                    let found = node.describe();
                    let d = self.error(
                        format!("`{path}` must be true or false, found {found}"),
                        node.span,
                    );
                    d.label = Some("not a boolean".into());
                    d.help = Some(
                        "write true or false without quotes; yes/no/on/off are not booleans here"
                            .into(),
                    );
                    None
                }
            },
            FieldType::Integer { min, max, unit } => {
                let value = match node.value {
                    NodeValue::Int(value) => value.to_string(),
                    // Too large for the parser's integers: YAML reads it as a float or a
                    // string, but it is written as a whole number.
                    _ => match self.plain_digits(node) {
                        Some(digits) => digits,
                        None => {
                            self.wrong_type(&format!("`{key}`"), node.span, NUMBER);
                            return None;
                        }
                    },
                };
                match value.parse::<u64>() {
                    Ok(n) if (min..=max).contains(&n) => Some(FieldValue::Number(n)),
                    _ => {
                        self.error(
                            format!(
                                "`{path}` is {value} {unit}; it must be between {min} and {max}"
                            ),
                            node.span,
                        )
                        .label = Some(format!("{min} to {max}"));
                        None
                    }
                }
            }
            FieldType::Enum(info) => {
                let Some(text) = node.scalar_text(self.source) else {
                    self.wrong_type(&format!("`{key}`"), node.span, TEXT);
                    return None;
                };
                self.enum_value(&text, node.span, info)
                    .map(|v| FieldValue::Text(v.to_string()))
            }
            FieldType::Set { of, .. } => {
                let Some(items) = node.as_seq() else {
                    self.wrong_type(&format!("`{key}`"), node.span, LIST);
                    return None;
                };
                let mut out: Vec<&'static str> = Vec::new();
                let mut ok = true;
                for item in items {
                    let Some(text) = item.scalar_text(self.source) else {
                        self.wrong_type(&format!("an item of `{key}`"), item.span, TEXT);
                        ok = false;
                        continue;
                    };
                    match self.enum_value(&text, item.span, of) {
                        Some(value) if out.contains(&value) => {
                            self.error(format!("{} `{value}` is listed twice", of.what), item.span);
                            ok = false;
                        }
                        Some(value) => out.push(value),
                        None => ok = false,
                    }
                }
                ok.then(|| FieldValue::list(out))
            }
            FieldType::Texts => self.texts(node, key),
            FieldType::Items { of, max_items } => self.items(of, max_items, node, path, key),
        }
    }

    /// A list of objects with the fields `of`: each item's keys and values are checked as a
    /// section's are (unknown keys, types, keys that belong to another `type`, required keys).
    /// The items that passed come back even when others did not, so the resource's own checks
    /// see them all.
    fn items(
        &mut self,
        of: &'static [FieldSpec],
        max_items: usize,
        node: &Node,
        path: &str,
        key: &str,
    ) -> Option<FieldValue> {
        let Some(list) = node.as_seq() else {
            self.wrong_type(&format!("`{key}`"), node.span, LIST);
            return None;
        };
        if list.len() > max_items {
            self.error(
                format!(
                    "`{path}` lists {} items; at most {max_items} are allowed",
                    list.len()
                ),
                node.span,
            )
            .help = Some(format!("keep at most {max_items}"));
        }
        let known: Vec<&str> = of.iter().map(|f| f.key).collect();
        let mut out = Vec::new();
        for (index, item) in list.iter().enumerate() {
            let item_path = format!("{path}[{index}]");
            let Some(entries) = item.as_map() else {
                self.wrong_type(&format!("`{item_path}`"), item.span, MAPPING);
                continue;
            };
            let mut values = Values::default();
            let mut present: Vec<(&'static FieldSpec, Span)> = Vec::new();
            for (name, child) in entries {
                let Some(field) = of.iter().find(|f| f.key == name.value) else {
                    self.unknown_key(name, &known);
                    continue;
                };
                present.push((field, name.span));
                let field_path = format!("{item_path}.{}", field.key);
                if let Some(value) = self.value(field, child, &field_path, field.key) {
                    values.set(field.key, value);
                }
            }
            for (field, span) in &present {
                if let Some((other, wanted)) = field.when
                    && let Some(found) = values.text(other)
                    && found != wanted
                {
                    let d = self.error(
                        format!(
                            "`{item_path}.{}` applies only to `{other}: {wanted}`, not `{other}: {found}`",
                            field.key
                        ),
                        *span,
                    );
                    d.help = Some(format!("remove `{}` from this item", field.key));
                }
            }
            let kind_known = of
                .iter()
                .filter_map(|f| f.when.map(|(k, _)| k))
                .all(|k| values.get(k).is_some());
            for field in of.iter().filter(|f| f.required && applies(f, &values)) {
                let given = present.iter().any(|(f, _)| f.key == field.key);
                if !given && (kind_known || field.when.is_none()) {
                    self.missing_key(&item_path, field.key, item.span);
                }
            }
            out.push(values);
        }
        Some(FieldValue::Items(out))
    }

    /// `{screen: {text_id: text}}`.
    fn texts(&mut self, node: &Node, key: &str) -> Option<FieldValue> {
        let Some(screens) = node.as_map() else {
            self.wrong_type(&format!("`{key}`"), node.span, MAPPING);
            return None;
        };
        let mut out = BTreeMap::new();
        let mut ok = true;
        for (screen, texts) in screens {
            let Some(entries) = texts.as_map() else {
                self.wrong_type(&format!("`{}`", screen.value), texts.span, MAPPING);
                ok = false;
                continue;
            };
            let mut by_id = BTreeMap::new();
            for (id, text) in entries {
                match text.scalar_text(self.source) {
                    Some(value) => {
                        by_id.insert(id.value.clone(), value);
                    }
                    None => {
                        self.wrong_type(&format!("`{}`", id.value), text.span, TEXT);
                        ok = false;
                    }
                }
            }
            out.insert(screen.value.clone(), by_id);
        }
        ok.then_some(FieldValue::Texts(out))
    }

    fn enum_value(
        &mut self,
        text: &str,
        span: Span,
        info: &'static EnumInfo,
    ) -> Option<&'static str> {
        if let Some(rank) = info.rank(text) {
            return info.values.get(rank).map(|(name, _)| *name);
        }
        let names: Vec<&str> = info.names().collect();
        let suggestion = closest(text, names.iter().copied());
        let what = info.what;
        let d = self.error(format!("`{text}` is not a valid {what}"), span);
        d.label = Some(format!("unknown {what}"));
        d.help = Some(match suggestion {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("expected one of: {}", names.join(", ")),
        });
        None
    }

    /// Resolves `${VAR}` references; records missing variables.
    fn resolve(&mut self, text: &str, span: Span, path: &str) -> Option<(String, bool)> {
        let placeholder = |_: &str| Some("-".to_string());
        let lookup: EnvLookup<'_> = self.env.unwrap_or(&placeholder);
        match interpolate(text, lookup) {
            Ok(resolved) if self.env.is_none() && !resolved.variables.is_empty() => None,
            Ok(resolved) => Some((resolved.value, !resolved.variables.is_empty())),
            Err(InterpolationError::Missing(names)) => {
                for name in names {
                    if !self.missing.iter().any(|(n, _)| *n == name) {
                        self.missing.push((name, span));
                    }
                }
                None
            }
            Err(InterpolationError::Malformed(reference)) => {
                self.error(
                    format!("`{path}` has a malformed reference `{reference}`"),
                    span,
                )
                .help = Some(
                    "write `${NAME}` with letters, digits and `_`; write `$${` for a literal `${`"
                        .into(),
                );
                None
            }
        }
    }

    fn string_at(&mut self, text: &str, span: Span, path: &str, max: usize) -> Option<String> {
        let (value, from_env) = self.resolve(text, span, path)?;
        let chars = value.chars().count();
        let origin = if from_env {
            " (after resolving its variables)"
        } else {
            ""
        };
        if value.trim().is_empty() {
            self.error(format!("`{path}` is empty{origin}"), span);
            return None;
        }
        if chars > max {
            self.error(
                format!(
                    "`{path}` is {chars} characters long{origin}; the API allows at most {max}"
                ),
                span,
            );
            return None;
        }
        Some(value)
    }

    fn secret(
        &mut self,
        text: &str,
        node: &Node,
        path: &str,
        field: &FieldSpec,
        max: usize,
    ) -> Option<Secret> {
        let (value, from_env) = self.resolve(text, node.span, path)?;
        self.secrets.push(Secret::new(value.as_str()));
        if !from_env {
            let key = field.key;
            let variable = field.env.unwrap_or("SECRET");
            self.warning(
                format!("`{path}` is a secret written in clear in the file"),
                node.span,
            )
            .help = Some(format!(
                "write `{key}: ${{{variable}}}` and set {variable} in the environment"
            ));
        }
        if value.is_empty() {
            self.error(format!("`{path}` is empty"), node.span);
            return None;
        }
        let chars = value.chars().count();
        if chars > max {
            self.error(
                format!("`{path}` is {chars} characters long; the API allows at most {max}"),
                node.span,
            );
            return None;
        }
        Some(Secret::new(value))
    }

    fn span_of(&self, path: &str) -> Span {
        self.spans.get(path).copied().unwrap_or_default()
    }

    /// Problems only the whole file shows.
    fn combinations(&mut self, state: &MfaState) {
        let requires_mfa = state.policies().is_some_and(|p| !p.is_empty());
        let listed = state.factors();
        let none_enabled = !listed.is_empty() && listed.values().all(|on| !on);
        if requires_mfa && none_enabled {
            let span = self.span_of("policies");
            if listed.len() == Factor::ALL.len() {
                self.error(
                    "`policies` requires MFA but every factor is disabled: nobody could log in",
                    span,
                )
                .help = Some("enable at least one factor, or set `policies: []`".into());
            } else {
                self.warning(
                    "`policies` requires MFA but every factor this file lists is disabled",
                    span,
                )
                .help = Some(
                    "users can log in only if the tenant has another factor enabled; `plan` checks that"
                        .into(),
                );
            }
        }
        let sms_on = listed.get(&Factor::Sms) == Some(&true);
        if sms_on && state.message_types().is_some_and(|t| t.is_empty()) {
            let span = self.span_of(&PHONE_MESSAGE_TYPES.config_key());
            self.error(
                "the sms factor is enabled but `phone.message_types` allows no message type",
                span,
            )
            .help = Some("list `sms`, `voice` or both".into());
        }
        self.delivery_covers_message_types(state);
        self.provider_delivers_message_types(state);
        for key in registry::top_level_keys() {
            let Some(factor) = registry::factor_of_top_level(key) else {
                continue;
            };
            if let (Some(span), Some(false)) =
                (self.spans.get(key).copied(), listed.get(&factor).copied())
            {
                self.warning(
                    format!("`{key}` is configured but `factors.{factor}` is false"),
                    span,
                )
                .help = Some(if factor == Factor::Sms {
                    "the settings are unused while the factor is off, and `phone.message_types` is not written until it is on; enable `factors.sms` or remove `phone`".to_string()
                } else {
                    format!(
                        "the settings are applied but unused while the factor is off; enable `factors.{factor}` or remove `{key}`"
                    )
                });
            }
        }
    }

    /// MFA's message types must be deliverable by the legacy phone provider the file selects.
    fn provider_delivers_message_types(&mut self, state: &MfaState) {
        let (Some(types), Some(provider)) = (state.message_types(), state.phone_provider()) else {
            return;
        };
        let span = self
            .spans
            .get(&PHONE_MESSAGE_TYPES.config_key())
            .or_else(|| self.spans.get(&PHONE_PROVIDER.config_key()))
            .copied()
            .unwrap_or_default();
        for message_type in types.iter().filter(|t| !provider.delivers(**t)) {
            self.error(
                format!(
                    "`phone.message_types` allows `{message_type}` but `phone.provider: {provider}` cannot deliver it"
                ),
                span,
            )
            .help = Some(format!(
                "Auth0's own provider sends text messages only: choose `phone.provider: twilio` or `phone-message-hook` for {message_type}, or remove `{message_type}` from `phone.message_types`"
            ));
        }
    }

    /// MFA's message types must be deliverable by the Tenant Phone Settings provider.
    fn delivery_covers_message_types(&mut self, state: &MfaState) {
        let Some(types) = state.message_types() else {
            return;
        };
        let Some(methods) = state
            .get(&Address::of(&TENANT_PHONE_PROVIDER))
            .and_then(|p| p.list("delivery_methods"))
        else {
            return;
        };
        let span = self.span_of(&PHONE_MESSAGE_TYPES.config_key());
        for message_type in types {
            let needed = match message_type {
                MessageType::Sms => DeliveryMethod::Text,
                MessageType::Voice => DeliveryMethod::Voice,
            };
            if !methods.iter().any(|m| m == needed.as_str()) {
                self.error(
                    format!(
                        "`phone.message_types` allows `{message_type}` but `tenant_phone.provider.delivery_methods` has no `{needed}`"
                    ),
                    span,
                )
                .help = Some(format!(
                    "add `{needed}` to the provider's `delivery_methods`, or remove `{message_type}` from `phone.message_types`"
                ));
            }
        }
    }

    fn report_missing_variables(&mut self) {
        self.missing
            .sort_by_key(|(_, span)| (span.line, span.column));
        let Some((_, first_span)) = self.missing.first().cloned() else {
            return;
        };
        let names: Vec<&str> = self.missing.iter().map(|(n, _)| n.as_str()).collect();
        let places: Vec<String> = self
            .missing
            .iter()
            .map(|(n, s)| format!("{n} (line {})", s.line))
            .collect();
        let noun = if names.len() == 1 {
            "environment variable is"
        } else {
            "environment variables are"
        };
        let message = format!("{} {noun} not set: {}", names.len(), names.join(", "));
        let help = format!(
            "set them before running mfactl; referenced at {}",
            places.join(", ")
        );
        self.diagnostics.push(
            Diagnostic::error(message, Some(first_span))
                .with_label("first reference")
                .with_help(help),
        );
    }
}

/// The resource whose config path is exactly `path`.
fn resource_at(path: &[&str]) -> Option<&'static ResourceSpec> {
    registry::RESOURCES
        .iter()
        .copied()
        .find(|s| s.config_path == path)
}

#[cfg(test)]
mod tests {
    use crate::config::load_str;
    use crate::model::Factor;
    use crate::resource::registry::{factor_of_top_level, top_level_keys};

    #[test]
    fn every_factor_section_is_warned_about_at_its_key_while_its_factor_is_off() {
        let text = "version: 1
factors: {sms: false, push-notification: false, otp: true, email: false, duo: false, webauthn-roaming: false, webauthn-platform: false, recovery-code: false}
phone:
  message_types: [sms]
push:
  provider: guardian
duo:
  ikey: DI1
  skey: \"${DUO_SECRET_KEY}\"
  host: api-1.duosecurity.com
webauthn_roaming:
  user_verification: required
webauthn_platform:
  override_relying_party: false
email:
  otp: { length: 6, expiration_time: 300 }
";
        let env = |_: &str| Some("secret-value-123".to_string());
        let loaded = load_str("f.yaml", text, Some(&env));
        assert!(loaded.config.is_some(), "{:?}", loaded.diagnostics);
        let sections: Vec<(&str, Factor)> = top_level_keys()
            .into_iter()
            .filter_map(|key| Some((key, factor_of_top_level(key)?)))
            .collect();
        assert_eq!(sections.len(), 6, "{sections:?}");
        for (key, factor) in sections {
            let line = text
                .lines()
                .position(|l| l.starts_with(&format!("{key}:")))
                .map(|i| i + 1)
                .unwrap_or_else(|| panic!("the file has no `{key}`"));
            let message = format!("`{key}` is configured but `factors.{factor}` is false");
            let warning = loaded
                .diagnostics
                .iter()
                .find(|d| d.message == message)
                .unwrap_or_else(|| panic!("no warning `{message}`: {:?}", loaded.diagnostics));
            assert!(!warning.is_error());
            assert_eq!(warning.span.map(|s| s.line), Some(line + 1), "{key}");
        }
    }

    /// The only diagnostic of a file, as `line:col message`.
    fn only_diagnostic(text: &str) -> String {
        let loaded = load_str("f.yaml", text, None);
        assert_eq!(loaded.diagnostics.len(), 1, "{:?}", loaded.diagnostics);
        let d = &loaded.diagnostics[0];
        let span = d.span.unwrap_or_default();
        format!("{}:{} {}", span.line, span.column, d.message)
    }

    #[test]
    fn integers_too_large_for_any_type_name_the_range() {
        insta::assert_snapshot!(
            only_diagnostic("version: 1\nphone:\n  otp:\n    length: 99999999999999999999999999\n"),
            @"4:13 `phone.otp.length` is 99999999999999999999999999 digits; it must be between 4 and 10"
        );
        insta::assert_snapshot!(
            only_diagnostic("version: 1\nmfa_session:\n  inactivity_timeout: 18446744073709551616\n"),
            @"3:23 `mfa_session.inactivity_timeout` is 18446744073709551616 seconds; it must be between 3600 and 2592000"
        );
        // Quoted digits are text, not a number.
        assert!(
            only_diagnostic("version: 1\nmfa_session:\n  inactivity_timeout: \"7200\"\n")
                .contains("must be a whole number")
        );
    }

    #[test]
    fn an_inactivity_timeout_longer_than_the_overall_one_is_an_error() {
        let text =
            "version: 1\nmfa_session:\n  inactivity_timeout: 7200\n  overall_timeout: 3600\n";
        let loaded = load_str("f.yaml", text, None);
        assert!(loaded.config.is_none(), "{:?}", loaded.diagnostics);
        let d = &loaded.diagnostics[0];
        assert!(d.is_error());
        insta::assert_snapshot!(format!("{}\nhelp: {}", d.message, d.help.as_deref().unwrap_or_default()), @r"
        `mfa_session.inactivity_timeout` (7200 seconds) is longer than `overall_timeout` (3600 seconds); Auth0 refuses this
        help: set `inactivity_timeout` to at most `overall_timeout` (3600), or raise `overall_timeout`
        ");
        let equal =
            "version: 1\nmfa_session:\n  inactivity_timeout: 3600\n  overall_timeout: 3600\n";
        assert!(load_str("f.yaml", equal, None).diagnostics.is_empty());
    }

    #[test]
    fn liquid_code_tags_with_spaces_satisfy_the_legacy_templates() {
        let text = "version: 1\nfactors: {sms: true}\nphone:\n  message_types: [sms]\n  templates:\n    enrollment_message: \"{{ code }} is your enrollment code\"\n    verification_message: \"{{code}} is your login code\"\n";
        let loaded = load_str("f.yaml", text, None);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        let without = text.replace("{{ code }}", "{{ token }}");
        let loaded = load_str("f.yaml", &without, None);
        assert_eq!(loaded.diagnostics.len(), 1, "{:?}", loaded.diagnostics);
    }

    #[test]
    fn unknown_keys_get_a_suggestion() {
        let loaded = load_str("f.yaml", "version: 1\nfactors:\n  opt: true\n", None);
        assert!(loaded.config.is_none());
        let d = &loaded.diagnostics[0];
        assert_eq!(d.message, "unknown key `opt`");
        assert_eq!(d.help.as_deref(), Some("did you mean `otp`?"));
        let span = d.span.unwrap();
        assert_eq!((span.line, span.column), (3, 3));
    }

    /// Every legacy phone provider × sender × message types, and every Tenant Phone Settings
    /// sender × delivery methods: which combinations can deliver what the file offers.
    #[test]
    fn providers_deliver_only_what_they_can() {
        let env = |_: &str| Some("secret-value-123".to_string());
        let valid = |text: &str| {
            let loaded = load_str("t.yaml", text, Some(&env));
            let errors: Vec<String> = loaded
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| d.message.clone())
                .collect();
            (loaded.config.is_some(), errors)
        };
        let senders = [
            ("from", "from: \"+15550001111\""),
            ("service", "messaging_service_sid: MG1"),
            (
                "both",
                "from: \"+15550001111\"\n    messaging_service_sid: MG1",
            ),
        ];
        for types in ["[sms]", "[voice]", "[sms, voice]"] {
            let voice = types.contains("voice");
            for provider in ["auth0", "phone-message-hook"] {
                let text = format!(
                    "version: 1\nfactors: {{sms: true}}\nphone:\n  provider: {provider}\n  message_types: {types}\n"
                );
                let expected = !(voice && provider == "auth0");
                assert_eq!(
                    valid(&text).0,
                    expected,
                    "{provider} {types}: {:?}",
                    valid(&text).1
                );
            }
            for (sender, keys) in senders {
                let text = format!(
                    "version: 1\nfactors: {{sms: true}}\nphone:\n  provider: twilio\n  message_types: {types}\n  twilio:\n    sid: AC00000000000000000000000000000000\n    auth_token: ${{T}}\n    {keys}\n"
                );
                let expected = match sender {
                    "from" => true,
                    "service" => !voice,
                    _ => voice,
                };
                assert_eq!(
                    valid(&text).0,
                    expected,
                    "twilio {sender} {types}: {:?}",
                    valid(&text).1
                );
            }
            for (sender, keys) in [
                ("from", "default_from: \"+15550001111\""),
                ("service", "mssid: MG1"),
                ("both", "default_from: \"+15550001111\"\n    mssid: MG1"),
            ] {
                let methods = types.replace("sms", "text");
                let text = format!(
                    "version: 1\ntenant_phone:\n  provider:\n    name: twilio\n    sid: AC1\n    auth_token: ${{T}}\n    {keys}\n    delivery_methods: {methods}\n"
                );
                let expected = match sender {
                    "from" => true,
                    "service" => !voice,
                    _ => voice,
                };
                assert_eq!(
                    valid(&text).0,
                    expected,
                    "tenant phone {sender} {types}: {:?}",
                    valid(&text).1
                );
            }
        }
    }
}
