//! auth0-deploy-cli → mfactl.
//!
//! deploy-cli keeps a tenant in one YAML file (`tenant.yaml`: one top-level key per resource
//! type) or in a directory (one JSON file per resource). Its MFA sections, as its handlers
//! read and write them (auth0-deploy-cli `src/context/{yaml,directory}/handlers/guardian*.ts`,
//! `src/tools/auth0/handlers/guardian*.ts`):
//!
//! | YAML key | directory file | Management API call deploy-cli makes | mfactl |
//! |---|---|---|---|
//! | `guardianFactors: [{name, enabled}]` | `guardian/factors/<name>.json` | `PUT /guardian/factors/{name}` | `factors.<name>` |
//! | `guardianFactorProviders: [{name, provider, …}]` | `guardian/providers/<name>-<provider>.json` | `PUT /guardian/factors/{sms,phone}/providers/twilio`, `…/push-notification/providers/{sns,apns,fcm}` | `phone.twilio`, `push.sns`, `push.apns`, `push.fcm` |
//! | `guardianFactorTemplates: [{name, …}]` | `guardian/templates/<name>.json` | `PUT /guardian/factors/{sms,phone}/templates` | `phone.templates` |
//! | `guardianPhoneFactorMessageTypes: {message_types}` | `guardian/phoneFactorMessageTypes.json` | `PUT /guardian/factors/phone/message-types` | `phone.message_types` |
//! | `guardianPhoneFactorSelectedProvider: {provider}` | `guardian/phoneFactorSelectedProvider.json` | `PUT /guardian/factors/phone/selected-provider` | `phone.provider` |
//! | `guardianPolicies: {policies}` | `guardian/policies.json` | `PUT /guardian/policies` | `policies` |
//! | `prompts: {customText: {lang: {prompt: …}}}` | `prompts/custom-text.json` | `PUT /prompts/{prompt}/custom-text/{lang}` | `prompts.<prompt>.<lang>` (MFA prompts) |
//! | `phoneProviders: [{name, configuration, credentials}]` | `phone-providers/provider.json` | `POST/PATCH /branding/phone/providers` | `tenant_phone.provider` |
//! | `phoneTemplates: [{type, content, disabled}]` | `phone-templates/<type>.json` | `POST/PATCH /branding/phone/templates` | `tenant_phone.templates.<type>` |
//! | `tenant: {customize_mfa_in_postlogin_action, flags}` | `tenant.json` | `PATCH /tenants/settings` | `tenant_settings` |
//!
//! The objects are API bodies, so each field is found by its spec's API key. deploy-cli's
//! keyword markers, `##NAME##` (replaced as is) and `@@NAME@@` (replaced with the JSON of the
//! value), become `${NAME}`; like deploy-cli, a marker written without quotes is quoted before
//! the YAML or JSON is parsed.

use std::collections::BTreeSet;

use serde_saphyr::DuplicateKeyPolicy;

use crate::config::located::Span;
use crate::config::node::{Node, NodeValue};
use crate::convert::draft::{Draft, place};
use crate::convert::input::{Input, Part, Value};
use crate::convert::{Conversion, ConvertError, InputFile, NoteKind};
use crate::model::{Address, Factor, MfaPrompt, PhoneTemplateType};
use crate::resource::specs::prompt_texts::LANGUAGES;
use crate::resource::specs::{
    FACTORS, PHONE_MESSAGE_TYPES, PHONE_PROVIDER, PHONE_TEMPLATES, PHONE_TWILIO, POLICIES,
    PROMPT_TEXTS, PUSH_APNS, PUSH_FCM, PUSH_SNS, TENANT_PHONE_PROVIDER, TENANT_PHONE_TEMPLATES,
    TENANT_SETTINGS,
};
use crate::resource::{FieldSpec, ResourceSpec};

/// The largest input file read (deploy-cli's `tenant.yaml` holds the whole tenant).
const MAX_INPUT_BYTES: usize = 16 * 1024 * 1024;

/// What to convert.
#[derive(Debug, Clone)]
pub enum Source {
    /// A `tenant.yaml`.
    Yaml(InputFile),
    /// A directory export: `root` as given, and the files the converter reads, by their path
    /// under the root with `/` separators (see [`wanted`]).
    Directory {
        root: String,
        files: Vec<(String, String)>,
    },
}

/// Whether a directory export's file (path under its root, `/` separators) is one the converter
/// reads; the command reads only these.
pub fn wanted(relative: &str) -> bool {
    let json = relative.ends_with(".json");
    let folders = [
        "guardian/factors/",
        "guardian/providers/",
        "guardian/templates/",
        "phone-templates/",
    ];
    json && (folders.iter().any(|f| {
        relative
            .strip_prefix(f)
            .is_some_and(|rest| !rest.contains('/'))
    }) || [
        "guardian/policies.json",
        "guardian/phoneFactorMessageTypes.json",
        "guardian/phoneFactorSelectedProvider.json",
        "prompts/custom-text.json",
        "phone-providers/provider.json",
        "tenant.json",
    ]
    .contains(&relative))
}

/// The MFA sections found, each value with the file it came from.
#[derive(Debug, Default)]
struct Sections {
    factors: Vec<(String, Input)>,
    providers: Vec<(String, Input)>,
    templates: Vec<(String, Input)>,
    policies: Option<(String, Input)>,
    message_types: Option<(String, Input)>,
    selected_provider: Option<(String, Input)>,
    custom_text: Option<(String, Input)>,
    phone_providers: Vec<(String, Input)>,
    phone_templates: Vec<(String, Input)>,
    tenant: Option<(String, Input)>,
}

impl Sections {
    fn is_empty(&self) -> bool {
        self.factors.is_empty()
            && self.providers.is_empty()
            && self.templates.is_empty()
            && self.policies.is_none()
            && self.message_types.is_none()
            && self.selected_provider.is_none()
            && self.custom_text.is_none()
            && self.phone_providers.is_empty()
            && self.phone_templates.is_empty()
            && self.tenant.is_none()
    }
}

/// The YAML keys of the sections converted, in the order the report names them.
const SECTION_KEYS: &[&str] = &[
    "guardianFactors",
    "guardianFactorProviders",
    "guardianFactorTemplates",
    "guardianPhoneFactorMessageTypes",
    "guardianPhoneFactorSelectedProvider",
    "guardianPolicies",
    "prompts",
    "phoneProviders",
    "phoneTemplates",
    "tenant",
];

/// Converts a deploy-cli export. `output_name` names the converted file in its own
/// diagnostics.
pub fn convert(
    source: &Source,
    tool_version: &str,
    output_name: &str,
) -> Result<Conversion, ConvertError> {
    let mut draft = Draft::default();
    let (sections, described) = match source {
        Source::Yaml(file) => (
            read_yaml(file, &mut draft)?,
            format!("deploy-cli config {}", file.name),
        ),
        Source::Directory { root, files } => (
            read_directory(root, files)?,
            format!("deploy-cli directory {root}"),
        ),
    };
    if sections.is_empty() {
        return Err(ConvertError::Nothing(format!(
            "{} holds no MFA section: mfactl converts {}",
            described.trim_start_matches("deploy-cli "),
            SECTION_KEYS.join(", ")
        )));
    }
    for (file, item) in &sections.factors {
        factor(&mut draft, file, item);
    }
    for (file, item) in &sections.providers {
        provider(&mut draft, file, item);
    }
    let mut templates_seen = false;
    for (file, item) in &sections.templates {
        template(&mut draft, file, item, &mut templates_seen);
    }
    if let Some((file, section)) = &sections.policies {
        single_key(
            &mut draft,
            file,
            section,
            "guardianPolicies",
            &POLICIES,
            "policies",
        );
    }
    if let Some((file, section)) = &sections.message_types {
        message_types(&mut draft, file, section);
    }
    if let Some((file, section)) = &sections.selected_provider {
        single_key(
            &mut draft,
            file,
            section,
            "guardianPhoneFactorSelectedProvider",
            &PHONE_PROVIDER,
            "provider",
        );
    }
    if let Some((file, texts)) = &sections.custom_text {
        custom_text(&mut draft, file, texts);
    }
    for (index, (file, item)) in sections.phone_providers.iter().enumerate() {
        if index > 0 {
            draft.note(
                NoteKind::NotCarriedOver,
                place(file, item.line),
                "phoneProviders",
                "a tenant has one phone provider: only the first entry is converted",
            );
            continue;
        }
        let address = Address::of(&TENANT_PHONE_PROVIDER);
        draft.touch(&address, &place(file, item.line));
        put_body(
            &mut draft,
            &address,
            file,
            item,
            "phoneProviders[]",
            (
                &[],
                &["id", "channel", "created_at", "updated_at", "tenant"],
            ),
        );
    }
    for (file, item) in &sections.phone_templates {
        phone_template(&mut draft, file, item);
    }
    if let Some((file, tenant)) = &sections.tenant {
        let address = Address::of(&TENANT_SETTINGS);
        for field in TENANT_SETTINGS.fields {
            if let Some(value) = tenant.get_path(field.api) {
                draft.put(&address, field, value, file);
            }
        }
    }
    draft.tidy();
    draft.finish(described, tool_version, output_name)
}

/// `tenant.yaml`: its MFA sections; the other top-level keys are named in one note.
fn read_yaml(file: &InputFile, draft: &mut Draft) -> Result<Sections, ConvertError> {
    let root = parse(file)?;
    let mut sections = Sections::default();
    let name = file.name.clone();
    let items = |key: &str| -> Vec<(String, Input)> {
        root.get(key)
            .map(|list| {
                list.items()
                    .iter()
                    .map(|item| (name.clone(), item.clone()))
                    .collect()
            })
            .unwrap_or_default()
    };
    sections.factors = items("guardianFactors");
    sections.providers = items("guardianFactorProviders");
    sections.templates = items("guardianFactorTemplates");
    sections.phone_providers = items("phoneProviders");
    sections.phone_templates = items("phoneTemplates");
    let one = |key: &str| {
        root.get(key)
            .filter(|v| !v.is_null())
            .map(|v| (name.clone(), v.clone()))
    };
    sections.policies = one("guardianPolicies");
    sections.message_types = one("guardianPhoneFactorMessageTypes");
    sections.selected_provider = one("guardianPhoneFactorSelectedProvider");
    sections.tenant = one("tenant");
    if let Some(prompts) = root.get("prompts") {
        sections.custom_text = prompts
            .get("customText")
            .filter(|v| !v.is_null())
            .map(|v| (name.clone(), v.clone()));
        let others: Vec<&str> = prompts
            .entries()
            .iter()
            .map(|(k, _)| k.as_str())
            .filter(|k| *k != "customText")
            .collect();
        if !others.is_empty() {
            draft.note(
                NoteKind::NotCarriedOver,
                place(&name, prompts.line),
                "prompts",
                format!(
                    "{} are not MFA settings: only the MFA prompts' `customText` is converted",
                    quoted_list(&others)
                ),
            );
        }
    }
    let others: Vec<&str> = root
        .entries()
        .iter()
        .map(|(k, _)| k.as_str())
        .filter(|k| !SECTION_KEYS.contains(k))
        .collect();
    if !others.is_empty() {
        draft.note(
            NoteKind::Assumed,
            name.clone(),
            "other sections",
            format!(
                "{} hold no MFA setting mfactl manages: deploy-cli keeps managing them",
                quoted_list(&others)
            ),
        );
    }
    Ok(sections)
}

/// `` `a`, `b` and `c` ``.
fn quoted_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

fn read_directory(root: &str, files: &[(String, String)]) -> Result<Sections, ConvertError> {
    let root = root.trim_end_matches('/');
    let mut sections = Sections::default();
    let mut files: Vec<&(String, String)> = files.iter().filter(|(r, _)| wanted(r)).collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    for (relative, text) in files {
        let name = format!("{root}/{relative}");
        let input = parse(&InputFile::new(name.clone(), text.clone()))?;
        let entry = (name, input);
        let folder = relative.rsplit_once('/').map_or("", |(folder, _)| folder);
        match (folder, relative.as_str()) {
            ("guardian/factors", _) => sections.factors.push(entry),
            ("guardian/providers", _) => sections.providers.push(entry),
            ("guardian/templates", _) => sections.templates.push(entry),
            ("phone-templates", _) => sections.phone_templates.push(entry),
            (_, "guardian/policies.json") => sections.policies = Some(entry),
            (_, "guardian/phoneFactorMessageTypes.json") => sections.message_types = Some(entry),
            (_, "guardian/phoneFactorSelectedProvider.json") => {
                sections.selected_provider = Some(entry)
            }
            (_, "prompts/custom-text.json") => sections.custom_text = Some(entry),
            (_, "phone-providers/provider.json") => {
                let (name, list) = entry;
                sections.phone_providers = list
                    .items()
                    .iter()
                    .map(|item| (name.clone(), item.clone()))
                    .collect();
            }
            (_, "tenant.json") => sections.tenant = Some(entry),
            _ => {}
        }
    }
    Ok(sections)
}

/// One `guardianFactors` entry: `{name, enabled}`.
fn factor(draft: &mut Draft, file: &str, item: &Input) {
    let at = place(file, item.line);
    let Some(name) = item.get("name").and_then(Input::literal) else {
        draft.note(
            NoteKind::NotCarriedOver,
            at,
            "guardianFactors[]",
            "an entry without a `name`",
        );
        return;
    };
    let Some(factor) = Factor::parse(&name) else {
        draft.note(
            NoteKind::NotCarriedOver,
            at,
            format!("guardianFactors[{name}]"),
            "not a factor Auth0 has",
        );
        return;
    };
    let address = Address::keyed(&FACTORS, [factor.as_str()]);
    for (key, value) in item.entries() {
        match key.as_str() {
            "name" => {}
            "enabled" => {
                if let Some(field) = FACTORS.value_field() {
                    draft.put(&address, field, value, file);
                }
            }
            "trial_expired" => draft.note(
                NoteKind::NotCarriedOver,
                place(file, value.line),
                "guardianFactors[].trial_expired",
                "read-only: Auth0 reports it, nothing sets it",
            ),
            other => draft.note(
                NoteKind::NotCarriedOver,
                place(file, value.line),
                format!("guardianFactors[{name}].{other}"),
                "not a setting of a factor",
            ),
        }
    }
}

/// The resource a `guardianFactorProviders` entry configures, as deploy-cli sends it.
fn provider_spec(name: &str, provider: &str) -> Option<&'static ResourceSpec> {
    match (name, provider) {
        ("sms" | "phone", "twilio") => Some(&PHONE_TWILIO),
        ("push-notification", "sns") => Some(&PUSH_SNS),
        ("push-notification", "apns") => Some(&PUSH_APNS),
        ("push-notification", "fcm") => Some(&PUSH_FCM),
        _ => None,
    }
}

/// One `guardianFactorProviders` entry: `{name, provider, …the provider's API body}`.
fn provider(draft: &mut Draft, file: &str, item: &Input) {
    let at = place(file, item.line);
    let name = item
        .get("name")
        .and_then(Input::literal)
        .unwrap_or_default();
    let provider = item
        .get("provider")
        .and_then(Input::literal)
        .unwrap_or_default();
    let subject = format!("guardianFactorProviders[{name}/{provider}]");
    let Some(spec) = provider_spec(&name, &provider) else {
        draft.note(
            NoteKind::NotCarriedOver,
            at,
            subject,
            "deploy-cli sends nothing for this provider (it writes twilio for sms, and sns, apns or fcm for push-notification)",
        );
        return;
    };
    let address = Address::of(spec);
    draft.touch(&address, &at);
    // The APNs read adds `enabled`, which deploy-cli exports but the API does not take.
    put_body(
        draft,
        &address,
        file,
        item,
        &subject,
        (&["name", "provider"], &["enabled"]),
    );
}

/// One `guardianFactorTemplates` entry: `{name: sms|phone, enrollment_message,
/// verification_message}` (both names write the same templates).
fn template(draft: &mut Draft, file: &str, item: &Input, seen: &mut bool) {
    let at = place(file, item.line);
    let name = item
        .get("name")
        .and_then(Input::literal)
        .unwrap_or_default();
    let subject = format!("guardianFactorTemplates[{name}]");
    if !matches!(name.as_str(), "sms" | "phone") {
        draft.note(
            NoteKind::NotCarriedOver,
            at,
            subject,
            "deploy-cli writes templates for `sms` (or `phone`) only",
        );
        return;
    }
    if *seen {
        draft.note(
            NoteKind::Assumed,
            at.clone(),
            subject.clone(),
            "`sms` and `phone` set the same templates: the two entries must agree",
        );
    }
    *seen = true;
    let address = Address::of(&PHONE_TEMPLATES);
    draft.touch(&address, &at);
    put_body(draft, &address, file, item, &subject, (&["name"], &[]));
}

/// A section that is an object with one key holding the value (`{policies: [...]}`,
/// `{provider: twilio}`).
fn single_key(
    draft: &mut Draft,
    file: &str,
    section: &Input,
    subject: &str,
    spec: &'static ResourceSpec,
    key: &str,
) {
    let Some(field) = spec.value_field() else {
        return;
    };
    for (name, value) in section.entries() {
        if name == key {
            draft.put(&Address::of(spec), field, value, file);
        } else {
            draft.note(
                NoteKind::NotCarriedOver,
                place(file, value.line),
                format!("{subject}.{name}"),
                format!("deploy-cli sends only `{key}`"),
            );
        }
    }
}

/// `{message_types: [...]}`; deploy-cli's own directory example writes `message-types`.
fn message_types(draft: &mut Draft, file: &str, section: &Input) {
    if section.get("message_types").is_none()
        && let Some(value) = section.get("message-types")
    {
        draft.note(
            NoteKind::Assumed,
            place(file, value.line),
            "guardianPhoneFactorMessageTypes.message-types",
            "read as `message_types`, the key the API and deploy-cli use (deploy-cli itself rejects `message-types`)",
        );
        if let Some(field) = PHONE_MESSAGE_TYPES.value_field() {
            draft.put(&Address::of(&PHONE_MESSAGE_TYPES), field, value, file);
        }
        return;
    }
    single_key(
        draft,
        file,
        section,
        "guardianPhoneFactorMessageTypes",
        &PHONE_MESSAGE_TYPES,
        "message_types",
    );
}

/// `customText: {language: {prompt: {screen: {text_id: text}}}}`: the MFA prompts' texts.
fn custom_text(draft: &mut Draft, file: &str, texts: &Input) {
    let Some(field) = PROMPT_TEXTS.value_field() else {
        return;
    };
    for (language, prompts) in texts.entries() {
        let at = place(file, prompts.line);
        if LANGUAGES.rank(language).is_none() {
            draft.note(
                NoteKind::NotCarriedOver,
                at,
                format!("prompts.customText.{language}"),
                "not a language Universal Login supports",
            );
            continue;
        }
        let mut others = Vec::new();
        for (prompt, screens) in prompts.entries() {
            match MfaPrompt::parse(prompt) {
                Some(_) => {
                    let address = Address::keyed(&PROMPT_TEXTS, [prompt.as_str(), language]);
                    draft.put(&address, field, screens, file);
                }
                None => others.push(prompt.as_str()),
            }
        }
        if !others.is_empty() {
            draft.note(
                NoteKind::NotCarriedOver,
                at,
                format!("prompts.customText.{language}"),
                format!(
                    "{} {}: mfactl manages the MFA prompts' texts only",
                    quoted_list(&others),
                    if others.len() == 1 {
                        "is not an MFA prompt"
                    } else {
                        "are not MFA prompts"
                    }
                ),
            );
        }
    }
}

/// One `phoneTemplates` entry: `{type, disabled, content: {from, body: {text, voice}}}`.
fn phone_template(draft: &mut Draft, file: &str, item: &Input) {
    let at = place(file, item.line);
    let kind = item
        .get("type")
        .and_then(Input::literal)
        .unwrap_or_default();
    let subject = format!("phoneTemplates[{kind}]");
    if PhoneTemplateType::parse(&kind).is_none() {
        draft.note(
            NoteKind::NotCarriedOver,
            at,
            subject,
            "not a template type Tenant Phone Settings has",
        );
        return;
    }
    let address = Address::keyed(&TENANT_PHONE_TEMPLATES, [kind.as_str()]);
    draft.touch(&address, &at);
    put_body(
        draft,
        &address,
        file,
        item,
        &subject,
        (&["type"], &["id", "channel", "customizable", "tenant"]),
    );
}

/// Keys of an entry that no field reads: those that identify the entry (passed over), and those
/// the API reports but does not take (named as read-only).
type Unread<'a> = (&'a [&'a str], &'a [&'a str]);

/// Puts each field of `address`'s spec from `body`, found by the field's API key; names every
/// other key of the body except the entry's identity.
fn put_body(
    draft: &mut Draft,
    address: &Address,
    file: &str,
    body: &Input,
    subject: &str,
    skip: Unread<'_>,
) {
    let spec = address.spec();
    for field in spec.fields {
        if let Some(value) = body.get_path(field.api) {
            draft.put(address, field, value, file);
        }
    }
    let read: BTreeSet<&str> = spec.fields.iter().map(|f: &FieldSpec| f.api).collect();
    unread(draft, file, body, "", &read, subject, skip);
}

fn unread(
    draft: &mut Draft,
    file: &str,
    body: &Input,
    prefix: &str,
    read: &BTreeSet<&str>,
    subject: &str,
    (identity, read_only): Unread<'_>,
) {
    for (key, value) in body.entries() {
        let path = format!("{prefix}{key}");
        if read.contains(path.as_str()) || (prefix.is_empty() && identity.contains(&key.as_str())) {
            continue;
        }
        let nested = format!("{path}.");
        if read.iter().any(|r| r.starts_with(&nested)) {
            unread(draft, file, value, &nested, read, subject, (&[], &[]));
            continue;
        }
        let reason = if prefix.is_empty() && read_only.contains(&key.as_str()) {
            "read-only: the API reports it but does not take it"
        } else {
            "not a setting mfactl manages here"
        };
        draft.note(
            NoteKind::NotCarriedOver,
            place(file, value.line),
            format!("{subject}.{path}"),
            reason,
        );
    }
}

/// Parses a YAML or JSON file into an input tree, quoting bare `@@NAME@@` markers first.
fn parse(file: &InputFile) -> Result<Input, ConvertError> {
    if file.text.len() > MAX_INPUT_BYTES {
        return Err(ConvertError::Syntax {
            place: file.name.clone(),
            message: format!("the file is larger than {MAX_INPUT_BYTES} bytes"),
        });
    }
    let text = quote_bare_markers(&file.text);
    let options = serde_saphyr::options! {
        strict_booleans: true,
        duplicate_keys: DuplicateKeyPolicy::Error,
        budget: serde_saphyr::budget! {
            max_depth: 64,
            max_documents: 1,
            max_nodes: 2_000_000,
            max_events: 4_000_000,
            max_total_scalar_bytes: MAX_INPUT_BYTES,
        },
    };
    match serde_saphyr::from_str_with_options::<Node>(&text, options) {
        Ok(node) => Ok(from_node(&node, &text)),
        Err(error) => {
            // JSON that YAML refuses (tabs before keys): read it as JSON, without lines. A
            // `.json` file that is not JSON either is reported where the JSON breaks.
            match serde_json::from_str::<serde_json::Value>(&text) {
                Ok(json) => return Ok(from_json(&json)),
                Err(json) if file.name.ends_with(".json") => {
                    let message = json.to_string();
                    let message = message
                        .rsplit_once(" at line ")
                        .map_or(message.as_str(), |(m, _)| m);
                    return Err(ConvertError::Syntax {
                        place: format!("{}:{}:{}", file.name, json.line(), json.column()),
                        message: message.to_string(),
                    });
                }
                Err(_) => {}
            }
            let span = error.location().map(Span::from_location);
            let place = match span.filter(|s| s.line > 0) {
                Some(s) => format!("{}:{}:{}", file.name, s.line, s.column),
                None => file.name.clone(),
            };
            Err(ConvertError::Syntax {
                place,
                message: error.without_snippet().to_string(),
            })
        }
    }
}

fn from_node(node: &Node, source: &str) -> Input {
    let line = Some(node.span.line).filter(|l| *l > 0);
    let value = match &node.value {
        NodeValue::Null => Value::Null,
        NodeValue::Bool(b) => Value::Bool(*b),
        NodeValue::Int(_) | NodeValue::Float(_) => {
            Value::Number(node.scalar_text(source).unwrap_or_default())
        }
        NodeValue::Str(text) => Value::Text(parts(text)),
        NodeValue::Seq(items) => Value::List(items.iter().map(|i| from_node(i, source)).collect()),
        NodeValue::Map(entries) => Value::Map(
            entries
                .iter()
                .map(|(k, v)| (k.value.clone(), from_node(v, source)))
                .collect(),
        ),
    };
    Input::new(line, value)
}

fn from_json(json: &serde_json::Value) -> Input {
    use serde_json::Value as J;
    let value = match json {
        J::Null => Value::Null,
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => Value::Number(n.to_string()),
        J::String(text) => Value::Text(parts(text)),
        J::Array(items) => Value::List(items.iter().map(from_json).collect()),
        J::Object(map) => Value::Map(map.iter().map(|(k, v)| (k.clone(), from_json(v))).collect()),
    };
    Input::new(None, value)
}

/// The length of a marker name at the start of `text`: letters, digits and `_`.
fn name_len(text: &str) -> usize {
    text.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len())
}

/// The marker (`##NAME##` or `@@NAME@@`) starting `text`: its name and its length.
fn marker_at(text: &str) -> Option<(&str, usize)> {
    let delimiter = text.get(..2).filter(|d| *d == "##" || *d == "@@")?;
    let rest = &text[2..];
    let len = name_len(rest);
    (len > 0 && rest[len..].starts_with(delimiter)).then(|| (&rest[..len], len + 4))
}

/// Text with deploy-cli's keyword markers as variable references.
fn parts(text: &str) -> Vec<Part> {
    let mut out = Vec::new();
    let mut literal = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        if let Some((name, len)) = marker_at(rest) {
            if !literal.is_empty() {
                out.push(Part::Literal(std::mem::take(&mut literal)));
            }
            out.push(Part::Variable {
                name: name.to_string(),
                written: rest[..len].to_string(),
            });
            rest = &rest[len..];
            continue;
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            literal.push(c);
        }
        rest = chars.as_str();
    }
    if !literal.is_empty() || out.is_empty() {
        out.push(Part::Literal(literal));
    }
    out
}

/// Quotes every `@@NAME@@` that stands alone as a value without quotes (`key: @@NAME@@`,
/// `- @@NAME@@`, `"key": @@NAME@@,`), as deploy-cli does before parsing: unquoted, `@` cannot
/// start a YAML value, and JSON has no bare words.
fn quote_bare_markers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let mut rest = line;
        while let Some(at) = rest.find("@@") {
            let (before, from) = rest.split_at(at);
            out.push_str(before);
            match marker_at(from) {
                Some((_, len)) => {
                    let after = from[len..].trim_start_matches([' ', '\t']);
                    let starts_value = out
                        .trim_end_matches([' ', '\t'])
                        .ends_with([':', '-', '[', ',', '{']);
                    let ends_value =
                        after.is_empty() || after.starts_with(['\n', '\r', ',', ']', '}', '#']);
                    if starts_value && ends_value {
                        out.push('"');
                        out.push_str(&from[..len]);
                        out.push('"');
                    } else {
                        out.push_str(&from[..len]);
                    }
                    rest = &from[len..];
                }
                None => {
                    out.push_str("@@");
                    rest = &from[2..];
                }
            }
        }
        out.push_str(rest);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_become_variables() {
        assert_eq!(
            parts("##ENV## tenant @@X@@"),
            vec![
                Part::Variable {
                    name: "ENV".into(),
                    written: "##ENV##".into()
                },
                Part::Literal(" tenant ".into()),
                Part::Variable {
                    name: "X".into(),
                    written: "@@X@@".into()
                },
            ]
        );
        assert_eq!(
            parts("## heading"),
            vec![Part::Literal("## heading".into())]
        );
        assert_eq!(parts("a##b"), vec![Part::Literal("a##b".into())]);
        assert_eq!(parts(""), vec![Part::Literal(String::new())]);
        assert_eq!(
            parts("ü##X##"),
            vec![
                Part::Literal("ü".into()),
                Part::Variable {
                    name: "X".into(),
                    written: "##X##".into()
                }
            ]
        );
    }

    #[test]
    fn bare_array_markers_are_quoted_as_deploy_cli_does() {
        assert_eq!(
            quote_bare_markers("policies: @@POLICIES@@\n  - @@A@@ # c\n"),
            "policies: \"@@POLICIES@@\"\n  - \"@@A@@\" # c\n"
        );
        assert_eq!(
            quote_bare_markers("{\"policies\": @@P@@, \"x\": \"@@Q@@\"}"),
            "{\"policies\": \"@@P@@\", \"x\": \"@@Q@@\"}"
        );
        assert_eq!(
            quote_bare_markers("title: mail me @@X@@ now"),
            "title: mail me @@X@@ now"
        );
    }

    #[test]
    fn directory_files_read() {
        assert!(wanted("guardian/factors/sms.json"));
        assert!(wanted("guardian/policies.json"));
        assert!(wanted("prompts/custom-text.json"));
        assert!(!wanted("guardian/factors/old/sms.json"));
        assert!(!wanted("clients/app.json"));
        assert!(!wanted("prompts/prompts.json"));
    }

    fn yaml(text: &str) -> Conversion {
        let source = Source::Yaml(InputFile::new("tenant.yaml", text));
        convert(&source, "0.0.0", "mfa.yaml").unwrap()
    }

    fn notes(conversion: &Conversion) -> Vec<String> {
        conversion
            .notes
            .iter()
            .map(|n| format!("{}: {}: {}", n.place, n.subject, n.message))
            .collect()
    }

    #[test]
    fn tenant_phone_settings_and_tenant_flags_map_by_api_key() {
        let conversion = yaml(
            "phoneProviders:
  - name: twilio
    disabled: false
    configuration:
      sid: AC1
      default_from: '+15550001111'
      delivery_methods: [text, voice]
    credentials:
      auth_token: '##TWILIO_AUTH_TOKEN##'
phoneTemplates:
  - type: otp_verify
    disabled: false
    customizable: true
    content:
      from: '+15550001111'
      body:
        text: 'Your code is {{ code }}'
        voice: 'Your code is {{ code }}'
  - type: not_a_type
tenant:
  friendly_name: Acme
  customize_mfa_in_postlogin_action: true
",
        );
        let text = &conversion.text;
        for line in [
            "tenant_phone:\n  provider:\n    name: twilio\n    disabled: false\n    sid: AC1\n",
            "    default_from: \"+15550001111\"\n",
            "    auth_token: ${TWILIO_AUTH_TOKEN}\n",
            "  templates:\n    otp_verify:\n      disabled: false\n",
            "tenant_settings:\n  customize_mfa_in_postlogin_action: true\n",
        ] {
            assert!(text.contains(line), "{line:?} missing from\n{text}");
        }
        let notes = notes(&conversion);
        assert!(
            notes.iter().any(|n| n.contains(
                "phoneTemplates[otp_verify].customizable: read-only: the API reports it"
            )),
            "{notes:#?}"
        );
        assert!(
            notes
                .iter()
                .any(|n| n.contains("phoneTemplates[not_a_type]: not a template type")),
            "{notes:#?}"
        );
        assert!(
            conversion.diagnostics.is_empty(),
            "{:?}",
            conversion.diagnostics
        );
    }

    #[test]
    fn a_setting_given_two_values_is_a_conflict_naming_both_places() {
        let source = Source::Yaml(InputFile::new(
            "tenant.yaml",
            "guardianFactorTemplates:
  - name: sms
    enrollment_message: 'a {{code}}'
    verification_message: 'b {{code}}'
  - name: phone
    enrollment_message: 'c {{code}}'
    verification_message: 'b {{code}}'
",
        ));
        let error = convert(&source, "0.0.0", "mfa.yaml").unwrap_err();
        assert_eq!(
            error,
            ConvertError::Conflicts(vec![crate::convert::Conflict {
                path: "phone.templates.enrollment_message".into(),
                first: "tenant.yaml:3".into(),
                second: "tenant.yaml:6".into(),
            }])
        );
        assert!(!error.to_string().contains("{{code}}"), "{error}");
    }

    #[test]
    fn push_providers_and_what_deploy_cli_does_not_send() {
        let conversion = yaml(
            "guardianFactors:
  - name: push-notification
    enabled: true
  - name: passkeys
    enabled: true
guardianFactorProviders:
  - name: push-notification
    provider: apns
    bundle_id: com.acme.app
    sandbox: true
    enabled: true
  - name: push-notification
    provider: fcm
    server_key: AAAA-server-key-in-clear
  - name: push-notification
    provider: fcmv1
    server_credentials: '{}'
guardianFactorTemplates:
  - name: sms
    enrollment_message: 'a {{code}}'
    verification_message: 'b {{code}}'
  - name: phone
    enrollment_message: 'a {{code}}'
    verification_message: 'b {{code}}'
guardianPolicies:
  policies: '@@POLICIES@@'
",
        );
        let text = &conversion.text;
        assert!(!text.contains("AAAA-server-key-in-clear"), "{text}");
        for line in [
            "  apns:\n    bundle_id: com.acme.app\n    sandbox: true\n    p12: ${APNS_P12}\n",
            "  fcm:\n    server_key: ${FCM_SERVER_KEY}\n",
            "    enrollment_message: a {{code}}\n",
            "policies: ${POLICIES}\n",
        ] {
            assert!(text.contains(line), "{line:?} missing from\n{text}");
        }
        assert_eq!(conversion.secrets_in_clear.len(), 1);
        let notes = notes(&conversion).join("\n");
        for expected in [
            "tenant.yaml:4: guardianFactors[passkeys]: not a factor Auth0 has",
            "guardianFactorProviders[push-notification/apns].enabled: read-only",
            "tenant.yaml:14: push.fcm.server_key: in clear in the input; the file reads `${FCM_SERVER_KEY}`",
            "guardianFactorProviders[push-notification/fcmv1]: deploy-cli sends nothing",
            "guardianFactorTemplates[phone]: `sms` and `phone` set the same templates: the two entries must agree",
            "tenant.yaml:23: phone.templates.enrollment_message: set again, to the value it has at tenant.yaml:20",
            "push.apns.p12: not in the input",
            "policies: `@@POLICIES@@` cannot be evaluated here, and mfactl reads `${VAR}` in text values only: replace `${POLICIES}` with a list",
        ] {
            assert!(
                notes.contains(expected),
                "{expected:?} missing from\n{notes}"
            );
        }
        // The placeholder list is reported as the validator sees it.
        assert!(
            conversion
                .diagnostics
                .iter()
                .any(|d| d.message == "`policies` must be a list"),
            "{:?}",
            conversion.diagnostics
        );
    }

    #[test]
    fn bad_input_names_its_place() {
        let source = Source::Yaml(InputFile::new(
            "tenant.yaml",
            "guardianFactors:\n  - name: [\n",
        ));
        let error = convert(&source, "0.0.0", "mfa.yaml").unwrap_err();
        assert!(
            matches!(&error, ConvertError::Syntax { place, .. } if place.starts_with("tenant.yaml:")),
            "{error:?}"
        );
        let source = Source::Yaml(InputFile::new("tenant.yaml", "clients: []\n"));
        let error = convert(&source, "0.0.0", "mfa.yaml").unwrap_err();
        assert_eq!(
            error.to_string(),
            "config tenant.yaml holds no MFA section: mfactl converts guardianFactors, guardianFactorProviders, guardianFactorTemplates, guardianPhoneFactorMessageTypes, guardianPhoneFactorSelectedProvider, guardianPolicies, prompts, phoneProviders, phoneTemplates, tenant"
        );
    }

    #[test]
    fn directory_json_with_tabs_is_read_as_json() {
        let source = Source::Directory {
            root: "export/".into(),
            files: vec![
                (
                    "guardian/policies.json".into(),
                    "{\n\t\"policies\": [\"all-applications\"]\n}\n".into(),
                ),
                (
                    "guardian/factors/otp.json".into(),
                    "{\"name\": \"otp\", \"enabled\": true}".into(),
                ),
                ("clients/app.json".into(), "{\"name\": \"x\"}".into()),
            ],
        };
        let conversion = convert(&source, "0.0.0", "mfa.yaml").unwrap();
        assert!(
            conversion
                .text
                .contains("policies:\n- all-applications\nfactors:\n  otp: true\n"),
            "{}",
            conversion.text
        );
        assert_eq!(conversion.source, "deploy-cli directory export/");
        assert!(
            conversion.diagnostics.is_empty(),
            "{:?}",
            conversion.diagnostics
        );
    }

    #[test]
    fn two_different_secrets_in_clear_get_two_variables() {
        let conversion = yaml(
            "guardianFactorProviders:
  - name: sms
    provider: twilio
    sid: AC1
    auth_token: legacy-token-123
    from: '+15550001111'
phoneProviders:
  - name: twilio
    configuration:
      sid: AC1
      default_from: '+15550001111'
      delivery_methods: [text]
    credentials:
      auth_token: tenant-phone-token-456
",
        );
        let text = &conversion.text;
        assert!(
            text.contains("    auth_token: ${TWILIO_AUTH_TOKEN}\n"),
            "{text}"
        );
        assert!(
            text.contains("    auth_token: ${TENANT_PHONE_PROVIDER_AUTH_TOKEN}\n"),
            "{text}"
        );
        assert!(!text.contains("-token-"), "{text}");
        let names: Vec<&str> = conversion
            .variables
            .iter()
            .map(|v| v.name.as_str())
            .collect();
        assert_eq!(
            names,
            ["TWILIO_AUTH_TOKEN", "TENANT_PHONE_PROVIDER_AUTH_TOKEN"]
        );
    }
}
