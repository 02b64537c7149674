//! Terraform → mfactl: the `auth0_guardian` resource of terraform-provider-auth0.
//!
//! The resource's schema and the calls its update makes (terraform-provider-auth0
//! `internal/auth0/guardian/{resource,expand}.go`):
//!
//! | Terraform | Management API call | mfactl |
//! |---|---|---|
//! | `policy` (`never`, `all-applications`, `confidence-score`) | `PUT /guardian/policies` (`never` = `[]`) | `policies` |
//! | `email`, `otp`, `recovery_code` (default `false`) | `PUT /guardian/factors/{name}` | `factors.email`, `.otp`, `.recovery-code` |
//! | `phone { enabled, message_types, provider, options {…} }` | factor, message types, selected provider, Twilio, templates | `factors.sms`, `phone.message_types`, `phone.provider`, `phone.twilio`, `phone.templates` |
//! | `push { enabled, provider, amazon_sns, custom_app, direct_apns, direct_fcm, direct_fcmv1 }` | factor, selected provider, SNS, `/prompts/mfa-push`, APNs, FCM, FCM v1 | `factors.push-notification`, `push.*` |
//! | `duo { enabled, integration_key, secret_key, hostname }` | factor, `PUT /guardian/factors/duo/settings` | `factors.duo`, `duo` |
//! | `webauthn_roaming { … }`, `webauthn_platform { … }` | factor, settings | `factors.webauthn-*`, `webauthn_*` |
//! | `settings`, `phone_settings`, `email_settings` (the provider's MFA-settings work) | `/guardian/settings`, `/guardian/factors/{phone,email}/settings` | `mfa_session`, `phone.otp`, `email.otp` |
//!
//! `direct_fcmv1 { server_credentials }` is read as the FCM v1 counterpart of `direct_fcm`
//! (`PUT …/providers/fcmv1`); the provider's released schema has no such block yet, and its
//! MFA-settings blocks live on its `advanced-mfa-configurations` work.
//!
//! A block that is absent is not managed (the blocks are `Computed`); a block with
//! `enabled = false` only turns its factor off, as the provider then sends nothing else. Values
//! are evaluated with hcl-rs: literals, locals, and `var.x` where a variable's value is known
//! (a `.tfvars` file given, else its `default`). In text values `var.x` becomes `${X}`; an
//! expression that cannot be evaluated becomes a reference named after it, with a note.

use std::collections::BTreeMap;

use hcl::edit::Span as _;
use hcl::edit::expr::{Expression as Expr, TraversalOperator};
use hcl::edit::structure::{Block, Body, Structure};
use hcl::edit::template::Element;
use hcl::eval::{Context, Evaluate};

use crate::convert::bound::{self, Bound, Estimate, Name};
use crate::convert::draft::{Draft, place};
use crate::convert::input::{Input, Part, Value, variable_name};
use crate::convert::{Conversion, ConvertError, InputFile, NoteKind};
use crate::model::{Address, Factor};
use crate::resource::specs::{
    DUO, EMAIL_OTP, FACTORS, MFA_SESSION, PHONE_MESSAGE_TYPES, PHONE_OTP, PHONE_PROVIDER,
    PHONE_TEMPLATES, PHONE_TWILIO, POLICIES, PUSH_APNS, PUSH_CUSTOM_APP, PUSH_FCM, PUSH_FCMV1,
    PUSH_PROVIDER, PUSH_SNS, WEBAUTHN_PLATFORM, WEBAUTHN_ROAMING,
};
use crate::resource::{FieldSpec, FieldType, ResourceSpec};

/// How a block's attributes are named, compared with the spec's fields.
#[derive(Clone, Copy)]
enum Names {
    /// As the config file names them.
    ConfigKeys,
    /// As the API names them (`otp_length`, `mfa_session_overall_timeout`).
    ApiKeys,
    /// Terraform's own names, then config keys.
    Renamed(&'static [(&'static str, &'static str)]),
}

/// A settings block of `auth0_guardian` and the resource it configures.
struct BlockMap {
    /// The block's path under the resource (`push.amazon_sns`).
    path: &'static str,
    spec: &'static ResourceSpec,
    names: Names,
}

const BLOCKS: &[BlockMap] = &[
    BlockMap {
        path: "push.amazon_sns",
        spec: &PUSH_SNS,
        names: Names::ConfigKeys,
    },
    BlockMap {
        path: "push.custom_app",
        spec: &PUSH_CUSTOM_APP,
        names: Names::ConfigKeys,
    },
    BlockMap {
        path: "push.direct_apns",
        spec: &PUSH_APNS,
        names: Names::ConfigKeys,
    },
    BlockMap {
        path: "push.direct_fcm",
        spec: &PUSH_FCM,
        names: Names::ConfigKeys,
    },
    BlockMap {
        path: "push.direct_fcmv1",
        spec: &PUSH_FCMV1,
        names: Names::ConfigKeys,
    },
    BlockMap {
        path: "duo",
        spec: &DUO,
        names: Names::Renamed(&[
            ("integration_key", "ikey"),
            ("secret_key", "skey"),
            ("hostname", "host"),
        ]),
    },
    BlockMap {
        path: "webauthn_roaming",
        spec: &WEBAUTHN_ROAMING,
        names: Names::ConfigKeys,
    },
    BlockMap {
        path: "webauthn_platform",
        spec: &WEBAUTHN_PLATFORM,
        names: Names::ConfigKeys,
    },
    BlockMap {
        path: "settings",
        spec: &MFA_SESSION,
        names: Names::ApiKeys,
    },
    BlockMap {
        path: "phone_settings",
        spec: &PHONE_OTP,
        names: Names::ApiKeys,
    },
    BlockMap {
        path: "email_settings",
        spec: &EMAIL_OTP,
        names: Names::ApiKeys,
    },
];

/// The factor blocks: `{enabled, …}` turns the factor on or off.
const FACTOR_BLOCKS: &[(&str, Factor)] = &[
    ("phone", Factor::Sms),
    ("push", Factor::PushNotification),
    ("duo", Factor::Duo),
    ("webauthn_roaming", Factor::WebauthnRoaming),
    ("webauthn_platform", Factor::WebauthnPlatform),
];

/// The factor switches, with Terraform's default.
const FACTOR_ATTRIBUTES: &[(&str, Factor)] = &[
    ("email", Factor::Email),
    ("otp", Factor::Otp),
    ("recovery_code", Factor::RecoveryCode),
];

/// Terraform resources that hold MFA settings but are not converted, with where mfactl keeps
/// them.
const OTHER_RESOURCES: &[(&str, &str)] = &[
    ("auth0_phone_provider", "`tenant_phone.provider`"),
    (
        "auth0_branding_phone_notification_template",
        "`tenant_phone.templates`",
    ),
    ("auth0_prompt_custom_text", "`prompts.<prompt>.<language>`"),
    ("auth0_tenant", "`tenant_settings`"),
];

/// One parsed input file.
struct Parsed<'a> {
    file: &'a InputFile,
    body: Body,
}

impl Parsed<'_> {
    fn line(&self, span: Option<std::ops::Range<usize>>) -> Option<usize> {
        let start = span?.start;
        let before = self.file.text.get(..start)?;
        Some(before.matches('\n').count() + 1)
    }

    fn place_of(&self, span: Option<std::ops::Range<usize>>) -> String {
        place(&self.file.name, self.line(span))
    }

    /// An expression as written.
    fn written(&self, expr: &Expr) -> String {
        expr.span()
            .and_then(|r| self.file.text.get(r))
            .map(|t| t.trim().to_string())
            .unwrap_or_default()
    }
}

/// What expressions may refer to: `var` and `local` values that could be evaluated.
struct Scope {
    context: Context<'static>,
    /// Variables with a known value: where the value came from.
    known: BTreeMap<String, String>,
    /// The variables each local's definition names, itself or through other locals.
    local_vars: BTreeMap<String, Vec<String>>,
    /// Bounds of the values in `context`.
    bounds: BTreeMap<Name, Bound>,
    /// What the conversion's evaluations built so far.
    spent: std::cell::Cell<u64>,
    /// Locals not evaluated because of a bound, themselves or through a local they use: the
    /// local the bound stopped (`local.a19`) and its place.
    blocked: BTreeMap<String, (String, String)>,
}

impl Scope {
    /// Evaluates an expression of the converted resource, within the bounds (see
    /// [`evaluate_bounded`]).
    fn evaluate(&self, expr: &Expr) -> Result<hcl::Value, Option<String>> {
        let mut spent = self.spent.get();
        let result = evaluate_bounded(expr, &self.bounds, &self.context, &mut spent);
        self.spent.set(spent);
        result
    }

    /// The variables with a known value that `written` uses, itself (`var.x`, when `direct`) or
    /// through locals (`local.y` defined with `var.x`), as `` `var.x` (its default in f:3) ``.
    fn used(&self, written: &str, direct: bool) -> Vec<String> {
        let mut names: Vec<&str> = Vec::new();
        if direct {
            names.extend(
                self.known
                    .keys()
                    .map(String::as_str)
                    .filter(|n| mentions(written, "var", n)),
            );
        }
        for (local, vars) in &self.local_vars {
            if mentions(written, "local", local) {
                names.extend(vars.iter().map(String::as_str));
            }
        }
        names.sort_unstable();
        names.dedup();
        names
            .into_iter()
            .filter_map(|n| self.known.get(n).map(|from| format!("`var.{n}` ({from})")))
            .collect()
    }
}

/// Whether `written` refers to `root.name` (not to a longer name that starts the same).
fn mentions(written: &str, root: &str, name: &str) -> bool {
    let needle = format!("{root}.{name}");
    written.match_indices(&needle).any(|(at, _)| {
        let before = written[..at].chars().next_back();
        let after = written[at + needle.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
            && !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// Converts the `auth0_guardian` resource of these Terraform files (`.tf`; `.tfvars` files
/// give variables' values).
pub fn convert(
    files: &[InputFile],
    tool_version: &str,
    output_name: &str,
) -> Result<Conversion, ConvertError> {
    let mut parsed = Vec::new();
    for file in files {
        let body = hcl::edit::parser::parse_body(&file.text).map_err(|e| {
            let location = e.location();
            ConvertError::Syntax {
                place: format!("{}:{}:{}", file.name, location.line(), location.column()),
                message: e.message().to_string(),
            }
        })?;
        parsed.push(Parsed { file, body });
    }
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    let described = format!("Terraform {}", names.join(", "));
    let mut draft = Draft::default();
    let scope = scope(&parsed, &mut draft);

    let mut guardians = Vec::new();
    for p in &parsed {
        for block in p.body.blocks().filter(|b| b.ident.as_str() == "resource") {
            let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
            match labels.as_slice() {
                ["auth0_guardian", name] => guardians.push((p, *name, block)),
                [kind, name] => {
                    if let Some((_, home)) = OTHER_RESOURCES.iter().find(|(k, _)| k == kind) {
                        draft.note(
                            NoteKind::NotCarriedOver,
                            p.place_of(block.span()),
                            format!("{kind}.{name}"),
                            format!(
                                "only `auth0_guardian` is converted: mfactl keeps these settings in {home}; copy them by hand"
                            ),
                        );
                    }
                }
                _ => {}
            }
        }
    }
    let Some((first, rest)) = guardians.split_first() else {
        let verb = if names.len() == 1 { "holds" } else { "hold" };
        return Err(ConvertError::Nothing(format!(
            "{} {verb} no `resource \"auth0_guardian\"`",
            names.join(", ")
        )));
    };
    for (p, name, block) in rest {
        draft.note(
            NoteKind::NotCarriedOver,
            p.place_of(block.span()),
            format!("auth0_guardian.{name}"),
            format!(
                "a second `auth0_guardian`: only auth0_guardian.{} is converted (one mfactl file per tenant)",
                first.1
            ),
        );
    }
    let (p, name, block) = first;
    Guardian {
        parsed: p,
        scope: &scope,
        draft: &mut draft,
        resource: format!("auth0_guardian.{name}"),
    }
    .convert(block);
    draft.tidy();
    draft.finish(described, tool_version, output_name)
}

/// Evaluates `expr` against `context` when its bound allows (see [`bound`]): `Err(Some(why))`
/// when it does not, `Err(None)` when the expression cannot be evaluated. `spent` counts what
/// the conversion's evaluations built.
fn evaluate_bounded(
    expr: &Expr,
    bounds: &BTreeMap<Name, Bound>,
    context: &Context<'_>,
    spent: &mut u64,
) -> Result<hcl::Value, Option<String>> {
    let bound = Estimate::new(bounds).of(expr);
    if let Some(why) = bound.refusal(*spent) {
        return Err(Some(why));
    }
    *spent = spent.saturating_add(bound.size);
    hcl::Expression::from(expr.clone())
        .evaluate(context)
        .map_err(|_| None)
}

/// A `locals` entry.
struct LocalDefinition<'a> {
    name: String,
    parsed: &'a Parsed<'a>,
    expr: &'a Expr,
    /// The `var.*` and `local.*` it refers to.
    refers_to: std::collections::BTreeSet<Name>,
    /// Whether it uses `local` as a whole.
    whole: bool,
}

/// Evaluates the variables (`.tfvars` values, else defaults) and the locals that can be, each
/// once, in the order they depend on each other, within the bounds of [`bound`]; a value over
/// them is not evaluated and gets a note.
fn scope(parsed: &[Parsed<'_>], draft: &mut Draft) -> Scope {
    let empty = Context::new();
    let no_bounds = BTreeMap::new();
    let mut spent = 0u64;
    let mut values: hcl::value::Map<String, hcl::Value> = hcl::value::Map::new();
    let mut bounds: BTreeMap<Name, Bound> = BTreeMap::new();
    let mut known = BTreeMap::new();
    let literal = |p: &Parsed<'_>,
                   expr: &Expr,
                   subject: String,
                   draft: &mut Draft,
                   spent: &mut u64|
     -> Option<hcl::Value> {
        match evaluate_bounded(expr, &no_bounds, &empty, spent) {
            Ok(value) => Some(value).filter(|v| !v.is_null()),
            Err(Some(why)) => {
                draft.note(
                    NoteKind::NotCarriedOver,
                    p.place_of(expr.span()),
                    subject,
                    format!("not evaluated: {why}"),
                );
                None
            }
            Err(None) => None,
        }
    };
    let mut declare = |name: String, value: hcl::Value, from: String| {
        bounds.insert(("var", name.clone()), bound::size_of(&value));
        known.insert(name.clone(), from);
        values.insert(name, value);
    };
    for p in parsed {
        for block in p.body.blocks().filter(|b| b.ident.as_str() == "variable") {
            let Some(name) = block.labels.first().map(|l| l.as_str().to_string()) else {
                continue;
            };
            if let Some(default) = block.body.get_attribute("default")
                && let Some(value) =
                    literal(p, &default.value, format!("var.{name}"), draft, &mut spent)
            {
                let from = format!("its default in {}", p.place_of(default.span()));
                declare(name, value, from);
            }
        }
    }
    for p in parsed.iter().filter(|p| p.file.name.ends_with(".tfvars")) {
        for attribute in p.body.attributes() {
            let name = attribute.key.as_str().to_string();
            if let Some(value) = literal(
                p,
                &attribute.value,
                format!("var.{name}"),
                draft,
                &mut spent,
            ) {
                let from = format!("its value in {}", p.place_of(attribute.span()));
                declare(name, value, from);
            }
        }
    }

    // Locals may use each other: each is evaluated once, after the locals it uses.
    let mut definitions: Vec<LocalDefinition<'_>> = Vec::new();
    let mut index_of: BTreeMap<String, usize> = BTreeMap::new();
    for p in parsed {
        for block in p.body.blocks().filter(|b| b.ident.as_str() == "locals") {
            for attribute in block.body.attributes() {
                let name = attribute.key.as_str().to_string();
                if index_of.contains_key(&name) {
                    continue;
                }
                let mut estimate = Estimate::new(&no_bounds);
                estimate.of(&attribute.value);
                index_of.insert(name.clone(), definitions.len());
                definitions.push(LocalDefinition {
                    name,
                    parsed: p,
                    expr: &attribute.value,
                    refers_to: estimate.refers_to,
                    whole: estimate.whole,
                });
            }
        }
    }
    let deps: Vec<Vec<usize>> = definitions
        .iter()
        .map(|d| {
            d.refers_to
                .iter()
                .filter(|(root, _)| *root == "local")
                .filter_map(|(_, n)| index_of.get(n).copied())
                .collect()
        })
        .collect();
    let mut waiting: Vec<usize> = deps.iter().map(Vec::len).collect();
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); definitions.len()];
    for (i, ds) in deps.iter().enumerate() {
        for d in ds {
            dependents[*d].push(i);
        }
    }
    // Those that use `local` as a whole come last, with every local evaluated by then.
    let mut order: Vec<usize> = Vec::new();
    let mut ready: std::collections::VecDeque<usize> = (0..definitions.len())
        .filter(|i| waiting[*i] == 0 && !definitions[*i].whole)
        .collect();
    while let Some(i) = ready.pop_front() {
        order.push(i);
        for j in &dependents[i] {
            waiting[*j] = waiting[*j].saturating_sub(1);
            if waiting[*j] == 0 && !definitions[*j].whole {
                ready.push_back(*j);
            }
        }
    }
    order.extend((0..definitions.len()).filter(|i| definitions[*i].whole));
    let mut locals: hcl::value::Map<String, hcl::Value> = hcl::value::Map::new();
    let mut local_vars: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut blocked: BTreeMap<String, (String, String)> = BTreeMap::new();
    for i in order {
        let definition = &definitions[i];
        let mut vars: Vec<String> = definition
            .refers_to
            .iter()
            .filter(|(root, n)| *root == "var" && known.contains_key(n))
            .map(|(_, n)| n.clone())
            .collect();
        for d in &deps[i] {
            if let Some(used) = local_vars.get(&definitions[*d].name) {
                vars.extend(used.iter().cloned());
            }
        }
        vars.sort();
        vars.dedup();
        local_vars.insert(definition.name.clone(), vars);
        if !definition.whole
            && deps[i]
                .iter()
                .any(|d| !locals.contains_key(&definitions[*d].name))
        {
            let root = deps[i]
                .iter()
                .find_map(|d| blocked.get(&definitions[*d].name).cloned());
            if let Some(root) = root {
                blocked.insert(definition.name.clone(), root);
            }
            continue;
        }
        // Only the values it uses, so that no evaluation copies more than its bound.
        let mut context = Context::new();
        let pick = |root: &str, from: &hcl::value::Map<String, hcl::Value>| {
            let picked: hcl::value::Map<String, hcl::Value> = definition
                .refers_to
                .iter()
                .filter(|(r, _)| *r == root)
                .filter_map(|(_, n)| from.get(n).map(|v| (n.clone(), v.clone())))
                .collect();
            hcl::Value::Object(picked)
        };
        context.declare_var("var", pick("var", &values));
        if definition.whole {
            context.declare_var("local", hcl::Value::Object(locals.clone()));
        } else {
            context.declare_var("local", pick("local", &locals));
        }
        match evaluate_bounded(definition.expr, &bounds, &context, &mut spent) {
            Ok(value) => {
                bounds.insert(("local", definition.name.clone()), bound::size_of(&value));
                locals.insert(definition.name.clone(), value);
            }
            Err(Some(why)) => {
                let at = definition.parsed.place_of(definition.expr.span());
                let subject = format!("local.{}", definition.name);
                blocked.insert(definition.name.clone(), (subject.clone(), at.clone()));
                draft.note(
                    NoteKind::NotCarriedOver,
                    at,
                    subject,
                    format!("not evaluated: {why}; what uses it becomes a `${{VAR}}` reference"),
                );
            }
            Err(None) => {}
        }
    }
    // Locals that wait on each other (a cycle) are not evaluated; they name their own
    // variables only.
    for (definition, _) in definitions.iter().zip(&deps) {
        local_vars
            .entry(definition.name.clone())
            .or_insert_with(|| {
                definition
                    .refers_to
                    .iter()
                    .filter(|(root, n)| *root == "var" && known.contains_key(n))
                    .map(|(_, n)| n.clone())
                    .collect()
            });
    }
    let mut context = Context::new();
    context.declare_var("var", hcl::Value::Object(values));
    context.declare_var("local", hcl::Value::Object(locals));
    Scope {
        context,
        known,
        local_vars,
        bounds,
        spent: std::cell::Cell::new(spent),
        blocked,
    }
}

/// The `var.name` a traversal is, when it is exactly that.
fn variable_of(expr: &Expr) -> Option<&str> {
    let Expr::Traversal(traversal) = expr else {
        return None;
    };
    let Expr::Variable(root) = &traversal.expr else {
        return None;
    };
    match (root.as_str(), traversal.operators.as_slice()) {
        ("var", [op]) => match &**op {
            TraversalOperator::GetAttr(name) => Some(name.as_str()),
            _ => None,
        },
        _ => None,
    }
}

/// The name a reference that cannot be evaluated stands for (`local.sid` → `SID`,
/// `data.aws_ssm_parameter.duo.value` → `DUO_VALUE`).
fn reference_name(expr: &Expr) -> Option<String> {
    let Expr::Traversal(traversal) = expr else {
        return None;
    };
    let attrs: Vec<&str> = traversal
        .operators
        .iter()
        .filter_map(|op| match &**op {
            TraversalOperator::GetAttr(name) => Some(name.as_str()),
            _ => None,
        })
        .collect();
    let Expr::Variable(root) = &traversal.expr else {
        return None;
    };
    let parts: Vec<&str> = match (root.as_str(), attrs.as_slice()) {
        ("var" | "local", [name, ..]) => vec![*name],
        ("data", [_, rest @ ..]) => rest.to_vec(),
        (_, rest) => rest.to_vec(),
    };
    (!parts.is_empty()).then(|| variable_name(&parts.join("_")))
}

/// hcl-rs's value as an input value.
fn from_hcl(value: &hcl::Value, line: Option<usize>) -> Input {
    let value = match value {
        hcl::Value::Null => Value::Null,
        hcl::Value::Bool(b) => Value::Bool(*b),
        hcl::Value::Number(n) => Value::Number(n.to_string()),
        hcl::Value::String(s) => Value::Text(vec![Part::Literal(s.clone())]),
        hcl::Value::Array(items) => Value::List(items.iter().map(|i| from_hcl(i, line)).collect()),
        hcl::Value::Object(map) => Value::Map(
            map.iter()
                .map(|(k, v)| (k.clone(), from_hcl(v, line)))
                .collect(),
        ),
    };
    Input::new(line, value)
}

/// Converting one `auth0_guardian` resource.
struct Guardian<'a> {
    parsed: &'a Parsed<'a>,
    scope: &'a Scope,
    draft: &'a mut Draft,
    /// `auth0_guardian.NAME`, for notes.
    resource: String,
}

impl Guardian<'_> {
    fn file(&self) -> &str {
        &self.parsed.file.name
    }

    fn note(
        &mut self,
        kind: NoteKind,
        span: Option<std::ops::Range<usize>>,
        subject: String,
        message: impl Into<String>,
    ) {
        let at = self.parsed.place_of(span);
        self.draft.note(kind, at, subject, message);
    }

    /// An attribute's value, read for `field`: evaluated where it can be, a reference where
    /// mfactl can take one.
    fn input(&mut self, expr: &Expr, field: &FieldSpec, subject: &str) -> Input {
        let line = self.parsed.line(expr.span());
        let text_field = matches!(field.ty, FieldType::Text { .. });
        if let Some(name) = variable_of(expr)
            && (text_field || field.is_secret())
        {
            if field.is_secret()
                && let (Some(from), Ok(hcl::Value::String(secret))) =
                    (self.scope.known.get(name), self.scope.evaluate(expr))
            {
                // The value is never used: the file reads the variable. But it sits in clear
                // in a file, so it is scrubbed from every output, and the user is told.
                let at = self.parsed.place_of(expr.span());
                let env = variable_name(name);
                self.draft.secret_in_clear(
                    secret,
                    at,
                    subject.to_string(),
                    format!(
                        "`var.{name}` has a value in clear ({from}); the file reads `${{{env}}}`: set {env} to the secret, and keep it out of files"
                    ),
                );
            }
            return Input::new(
                line,
                Value::Text(vec![Part::Variable {
                    name: variable_name(name),
                    written: format!("var.{name}"),
                }]),
            );
        }
        if let Expr::StringTemplate(template) = expr
            && field.is_secret()
        {
            // Literal parts of a secret's template are secret text: never shown, never written.
            let value = match self.template_parts(template) {
                Some(parts) => Value::Text(parts),
                None => Value::Unknown {
                    written: String::new(),
                    variable: None,
                },
            };
            return Input::new(line, value);
        }
        if let Expr::StringTemplate(template) = expr
            && text_field
            && let Some(parts) = self.template_parts(template)
        {
            let used = self.scope.used(&self.parsed.written(expr), false);
            self.note_used(expr, field, subject, &used);
            return Input::new(line, Value::Text(parts));
        }
        match self.scope.evaluate(expr) {
            Ok(value) => {
                if !field.is_secret() {
                    let used = self.scope.used(&self.parsed.written(expr), true);
                    self.note_used(expr, field, subject, &used);
                }
                from_hcl(&value, line)
            }
            Err(why) => {
                let at = self.parsed.place_of(expr.span());
                if let Some(why) = why {
                    self.draft.note(
                        NoteKind::Reference,
                        at.clone(),
                        subject.to_string(),
                        format!("not evaluated: {why}"),
                    );
                }
                let written = self.parsed.written(expr);
                let stopped: Vec<String> = self
                    .scope
                    .blocked
                    .iter()
                    .filter(|(local, _)| mentions(&written, "local", local))
                    .map(|(_, (root, place))| format!("`{root}` ({place})"))
                    .collect();
                if !stopped.is_empty() {
                    self.draft.note(
                        NoteKind::Reference,
                        at,
                        subject.to_string(),
                        format!(
                            "not evaluated: it needs {}, which mfactl does not evaluate (see the note there)",
                            stopped.join(", ")
                        ),
                    );
                }
                if let Some(name) = variable_of(expr) {
                    return Input::new(
                        line,
                        Value::Text(vec![Part::Variable {
                            name: variable_name(name),
                            written: format!("var.{name}"),
                        }]),
                    );
                }
                // A secret's expression may hold secret text in its literals: show only what
                // it calls or refers to.
                let written = match expr {
                    _ if !field.is_secret() => self.parsed.written(expr),
                    Expr::FuncCall(call) => format!("{}(…)", call.name.name.as_str()),
                    Expr::Traversal(_) => self.parsed.written(expr),
                    _ => String::new(),
                };
                Input::new(
                    line,
                    Value::Unknown {
                        written,
                        variable: reference_name(expr),
                    },
                )
            }
        }
    }

    /// Says which variables' values a value was evaluated with.
    fn note_used(&mut self, expr: &Expr, field: &FieldSpec, subject: &str, used: &[String]) {
        if used.is_empty() {
            return;
        }
        let why = match field.ty {
            FieldType::Text { .. } => "",
            _ => "mfactl reads `${VAR}` in text values only, so ",
        };
        let at = self.parsed.place_of(expr.span());
        self.draft.note(
            NoteKind::Assumed,
            at,
            subject.to_string(),
            format!(
                "evaluated with {}: {why}edit the file for other environments",
                used.join(", ")
            ),
        );
    }

    /// A string template as literal text and `var.x` references, its other interpolations
    /// evaluated; `None` when one cannot be, or when it holds a directive.
    fn template_parts(&self, template: &hcl::edit::template::StringTemplate) -> Option<Vec<Part>> {
        let mut parts = Vec::new();
        for element in template.iter() {
            match element {
                Element::Literal(text) => parts.push(Part::Literal(text.as_str().to_string())),
                Element::Interpolation(interpolation) => {
                    if let Some(name) = variable_of(&interpolation.expr) {
                        parts.push(Part::Variable {
                            name: variable_name(name),
                            written: format!("var.{name}"),
                        });
                        continue;
                    }
                    let value = self.scope.evaluate(&interpolation.expr).ok()?;
                    let text = match value {
                        hcl::Value::String(s) => s,
                        hcl::Value::Number(n) => n.to_string(),
                        hcl::Value::Bool(b) => b.to_string(),
                        _ => return None,
                    };
                    parts.push(Part::Literal(text));
                }
                Element::Directive(_) => return None,
            }
        }
        Some(parts)
    }

    fn put(&mut self, address: &Address, field: &'static FieldSpec, expr: &Expr, subject: &str) {
        let input = self.input(expr, field, subject);
        let file = self.file().to_string();
        self.draft.put(address, field, &input, &file);
    }

    fn convert(&mut self, block: &Block) {
        let resource = self.resource.clone();
        for structure in block.body.iter() {
            match structure {
                Structure::Attribute(attribute) => {
                    let key = attribute.key.as_str();
                    let subject = format!("{resource}.{key}");
                    match key {
                        "policy" => self.policy(&attribute.value, &subject),
                        _ if FACTOR_ATTRIBUTES.iter().any(|(k, _)| *k == key) => {}
                        "count" | "for_each" | "provider" | "depends_on" => self.note(
                            NoteKind::NotCarriedOver,
                            attribute.span(),
                            subject,
                            "a Terraform meta-argument: mfactl has one file per tenant",
                        ),
                        _ => self.note(
                            NoteKind::NotCarriedOver,
                            attribute.span(),
                            subject,
                            "not an attribute of auth0_guardian",
                        ),
                    }
                }
                Structure::Block(inner) => {
                    let ident = inner.ident.as_str();
                    if FACTOR_BLOCKS.iter().any(|(b, _)| *b == ident)
                        || BLOCKS.iter().any(|m| m.path == ident)
                    {
                        continue;
                    }
                    let message = match ident {
                        "dynamic" => "a dynamic block is not evaluated: write the block out",
                        "lifecycle" => "a Terraform meta-argument: it has no meaning for mfactl",
                        _ => "not a block of auth0_guardian",
                    };
                    self.note(
                        NoteKind::NotCarriedOver,
                        inner.span(),
                        format!("{resource}.{ident}"),
                        message,
                    );
                }
            }
        }
        for (key, factor) in FACTOR_ATTRIBUTES {
            let address = Address::keyed(&FACTORS, [factor.as_str()]);
            let Some(field) = FACTORS.value_field() else {
                continue;
            };
            match block.body.get_attribute(key) {
                Some(attribute) => self.put(
                    &address,
                    field,
                    &attribute.value,
                    &format!("{resource}.{key}"),
                ),
                None => {
                    self.note(
                        NoteKind::Assumed,
                        block.span(),
                        format!("factors.{factor}"),
                        format!(
                            "`{key}` is not set: written as `false`, the provider's default, which it applies"
                        ),
                    );
                    let file = self.file().to_string();
                    let line = self.parsed.line(block.span());
                    self.draft.put(
                        &address,
                        field,
                        &Input::new(line, Value::Bool(false)),
                        &file,
                    );
                }
            }
        }
        for (ident, factor) in FACTOR_BLOCKS {
            for (index, inner) in block.body.get_blocks(ident).enumerate() {
                if index > 0 {
                    self.note(
                        NoteKind::NotCarriedOver,
                        inner.span(),
                        format!("{resource}.{ident}"),
                        "the block may appear once: only the first is converted",
                    );
                    continue;
                }
                self.factor_block(inner, *factor);
            }
        }
        for map in BLOCKS.iter().filter(|m| !m.path.contains('.')) {
            if FACTOR_BLOCKS.iter().any(|(b, _)| *b == map.path) {
                continue;
            }
            if let Some(inner) = block.body.get_blocks(map.path).next() {
                self.settings_block(inner, map, true);
            }
        }
    }

    /// `policy`: one policy, or `never` for none.
    fn policy(&mut self, expr: &Expr, subject: &str) {
        let Some(field) = POLICIES.value_field() else {
            return;
        };
        let input = self.input(expr, field, subject);
        let input = match input.literal() {
            Some(policy) if policy == "never" => Input::new(input.line, Value::List(Vec::new())),
            Some(policy) => Input::new(
                input.line,
                Value::List(vec![Input::text(input.line, policy)]),
            ),
            None => input,
        };
        let file = self.file().to_string();
        self.draft
            .put(&Address::of(&POLICIES), field, &input, &file);
    }

    /// A factor's block: `enabled`, then its settings (only when it is on).
    fn factor_block(&mut self, block: &Block, factor: Factor) {
        let ident = block.ident.as_str().to_string();
        let subject = format!("{}.{ident}", self.resource);
        let address = Address::keyed(&FACTORS, [factor.as_str()]);
        let Some(field) = FACTORS.value_field() else {
            return;
        };
        match block.body.get_attribute("enabled") {
            Some(enabled) => self.put(
                &address,
                field,
                &enabled.value,
                &format!("{subject}.enabled"),
            ),
            None => self.note(
                NoteKind::NotCarriedOver,
                block.span(),
                subject.clone(),
                "`enabled` is required: the factor is left as it is",
            ),
        }
        let off = self.draft.factor(factor) == Some(false);
        let settings = block
            .body
            .iter()
            .any(|s| !matches!(s, Structure::Attribute(a) if a.key.as_str() == "enabled"));
        if off {
            if settings {
                self.note(
                    NoteKind::NotCarriedOver,
                    block.span(),
                    subject,
                    "its settings: the provider sends nothing but `enabled` while a factor is off",
                );
            }
            return;
        }
        match factor {
            Factor::Sms => self.phone(block),
            Factor::PushNotification => self.push(block),
            _ => {
                if let Some(map) = BLOCKS.iter().find(|m| m.path == ident) {
                    self.settings_block(block, map, false);
                }
            }
        }
    }

    /// A block of settings mapped onto one resource. `touch` makes the resource part of the
    /// file even when the block sets nothing.
    fn settings_block(&mut self, block: &Block, map: &BlockMap, touch: bool) {
        let address = Address::of(map.spec);
        let subject = format!("{}.{}", self.resource, map.path);
        if touch {
            let at = self.parsed.place_of(block.span());
            self.draft.touch(&address, &at);
        }
        for structure in block.body.iter() {
            match structure {
                Structure::Attribute(attribute) => {
                    let key = attribute.key.as_str();
                    if key == "enabled" {
                        if map.spec == &PUSH_APNS {
                            self.note(
                                NoteKind::NotCarriedOver,
                                attribute.span(),
                                format!("{subject}.enabled"),
                                "computed: the provider reads it but never sends it",
                            );
                        }
                        continue;
                    }
                    match field_for(map, key) {
                        Some(field) => {
                            let at = self.parsed.place_of(block.span());
                            self.draft.touch(&address, &at);
                            self.put(
                                &address,
                                field,
                                &attribute.value,
                                &format!("{subject}.{key}"),
                            )
                        }
                        None => self.note(
                            NoteKind::NotCarriedOver,
                            attribute.span(),
                            format!("{subject}.{key}"),
                            format!("not an attribute of `{}`", map.path),
                        ),
                    }
                }
                Structure::Block(inner) => self.note(
                    NoteKind::NotCarriedOver,
                    inner.span(),
                    format!("{subject}.{}", inner.ident.as_str()),
                    format!("not a block of `{}`", map.path),
                ),
            }
        }
        if !touch && !self.draft.has(&address) {
            let at = self.parsed.place_of(block.span());
            self.draft.touch(&address, &at);
        }
    }

    /// `phone { message_types, provider, options { … } }`.
    fn phone(&mut self, block: &Block) {
        let subject = format!("{}.phone", self.resource);
        if let (Some(attribute), Some(field)) = (
            block.body.get_attribute("message_types"),
            PHONE_MESSAGE_TYPES.value_field(),
        ) {
            self.put(
                &Address::of(&PHONE_MESSAGE_TYPES),
                field,
                &attribute.value,
                &format!("{subject}.message_types"),
            );
        }
        let mut provider = None;
        if let (Some(attribute), Some(field)) = (
            block.body.get_attribute("provider"),
            PHONE_PROVIDER.value_field(),
        ) {
            self.put(
                &Address::of(&PHONE_PROVIDER),
                field,
                &attribute.value,
                &format!("{subject}.provider"),
            );
            provider = self
                .draft
                .text(&Address::of(&PHONE_PROVIDER), field.key)
                .map(str::to_string);
        }
        for structure in block.body.iter() {
            match structure {
                Structure::Attribute(a)
                    if ["enabled", "message_types", "provider"].contains(&a.key.as_str()) => {}
                Structure::Block(b) if b.ident.as_str() == "options" => {}
                other => {
                    let name = match other {
                        Structure::Attribute(a) => a.key.as_str(),
                        Structure::Block(b) => b.ident.as_str(),
                    };
                    self.note(
                        NoteKind::NotCarriedOver,
                        other.span(),
                        format!("{subject}.{name}"),
                        "not part of the `phone` block",
                    );
                }
            }
        }
        let Some(options) = block.body.get_blocks("options").next() else {
            return;
        };
        let twilio = !matches!(provider.as_deref(), Some("auth0" | "phone-message-hook"));
        for attribute in options.body.attributes() {
            let key = attribute.key.as_str();
            let name = format!("{subject}.options.{key}");
            if let Some(field) = PHONE_TEMPLATES.field(key) {
                let at = self.parsed.place_of(options.span());
                self.draft.touch(&Address::of(&PHONE_TEMPLATES), &at);
                self.put(
                    &Address::of(&PHONE_TEMPLATES),
                    field,
                    &attribute.value,
                    &name,
                );
            } else if let Some(field) = PHONE_TWILIO.field(key) {
                if twilio {
                    let at = self.parsed.place_of(options.span());
                    self.draft.touch(&Address::of(&PHONE_TWILIO), &at);
                    self.put(&Address::of(&PHONE_TWILIO), field, &attribute.value, &name);
                } else {
                    self.note(
                        NoteKind::NotCarriedOver,
                        attribute.span(),
                        name,
                        "a Twilio setting: the provider sends it only with `provider = \"twilio\"`",
                    );
                }
            } else {
                self.note(
                    NoteKind::NotCarriedOver,
                    attribute.span(),
                    name,
                    "not an attribute of `phone.options`",
                );
            }
        }
        if provider.is_none() && block.body.get_attribute("provider").is_none() {
            self.note(
                NoteKind::Assumed,
                options.span(),
                format!("{subject}.options"),
                "`provider` is not set: the options are read as Twilio's",
            );
        }
    }

    /// `push { provider, amazon_sns, custom_app, direct_apns, direct_fcm, direct_fcmv1 }`.
    fn push(&mut self, block: &Block) {
        let subject = format!("{}.push", self.resource);
        if let (Some(attribute), Some(field)) = (
            block.body.get_attribute("provider"),
            PUSH_PROVIDER.value_field(),
        ) {
            self.put(
                &Address::of(&PUSH_PROVIDER),
                field,
                &attribute.value,
                &format!("{subject}.provider"),
            );
        }
        for structure in block.body.iter() {
            match structure {
                Structure::Attribute(a) if ["enabled", "provider"].contains(&a.key.as_str()) => {}
                Structure::Block(inner) => {
                    let path = format!("push.{}", inner.ident.as_str());
                    match BLOCKS.iter().find(|m| m.path == path) {
                        Some(map) => self.settings_block(inner, map, true),
                        None => self.note(
                            NoteKind::NotCarriedOver,
                            inner.span(),
                            format!("{subject}.{}", inner.ident.as_str()),
                            "not a block of `push`",
                        ),
                    }
                }
                Structure::Attribute(a) => self.note(
                    NoteKind::NotCarriedOver,
                    a.span(),
                    format!("{subject}.{}", a.key.as_str()),
                    "not an attribute of `push`",
                ),
            }
        }
    }
}

/// The field a block's attribute sets.
fn field_for(map: &BlockMap, key: &str) -> Option<&'static FieldSpec> {
    match map.names {
        Names::ConfigKeys => map.spec.field(key),
        Names::ApiKeys => map.spec.fields.iter().find(|f| f.api == key),
        Names::Renamed(names) => names
            .iter()
            .find(|(tf, _)| *tf == key)
            .and_then(|(_, k)| map.spec.field(k))
            .or_else(|| map.spec.field(key)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tf(files: &[(&str, &str)]) -> Conversion {
        let files: Vec<InputFile> = files.iter().map(|(n, t)| InputFile::new(*n, *t)).collect();
        convert(&files, "0.0.0", "mfa.yaml").unwrap()
    }

    fn notes(conversion: &Conversion) -> String {
        conversion
            .notes
            .iter()
            .map(|n| format!("{}: {}: {}", n.place, n.subject, n.message))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn unknown_values_become_references_with_notes() {
        let conversion = tf(&[(
            "g.tf",
            r#"resource "auth0_guardian" "g" {
  policy = "never"
  otp    = var.otp_enabled
  email  = true
  recovery_code = false

  duo {
    enabled         = true
    integration_key = data.aws_ssm_parameter.duo_ikey.value
    secret_key      = "prefix-${var.duo_suffix}"
    hostname        = var.duo_host
  }

  phone {
    enabled  = false
    provider = "twilio"
  }

  dynamic "webauthn_roaming" {
    for_each = var.keys ? [1] : []
    content {
      enabled = true
    }
  }
}

resource "auth0_guardian" "second" {
  policy = "never"
}
"#,
        )]);
        let text = &conversion.text;
        for line in [
            "policies: []\n",
            "  otp: ${OTP_ENABLED}\n",
            "  ikey: ${DUO_IKEY_VALUE}\n",
            "  skey: ${DUO_SECRET_KEY}\n",
            "  host: ${DUO_HOST}\n",
            "  sms: false\n",
        ] {
            assert!(text.contains(line), "{line:?} missing from\n{text}");
        }
        assert!(!text.contains("prefix-"), "{text}");
        assert!(!text.contains("phone:"), "{text}");
        let notes = notes(&conversion);
        for expected in [
            "g.tf:3: factors.otp: `var.otp_enabled` cannot be evaluated here, and mfactl reads `${VAR}` in text values only: replace `${OTP_ENABLED}` with true or false",
            "g.tf:9: duo.ikey: `data.aws_ssm_parameter.duo_ikey.value` cannot be evaluated here: the file reads `${DUO_IKEY_VALUE}` instead",
            "g.tf:10: duo.skey: partly in clear in the input; the file reads `${DUO_SECRET_KEY}`",
            "g.tf:11: duo.host: `var.duo_host` is now `${DUO_HOST}`",
            "g.tf:14: auth0_guardian.g.phone: its settings: the provider sends nothing but `enabled` while a factor is off",
            "g.tf:19: auth0_guardian.g.dynamic: a dynamic block is not evaluated: write the block out",
            "g.tf:27: auth0_guardian.second: a second `auth0_guardian`: only auth0_guardian.g is converted",
        ] {
            assert!(
                notes.contains(expected),
                "{expected:?} missing from\n{notes}"
            );
        }
        assert_eq!(conversion.secrets_in_clear.len(), 1);
        assert!(
            conversion
                .diagnostics
                .iter()
                .any(|d| d.message.contains("`factors.otp` must be true or false")),
            "{:?}",
            conversion.diagnostics
        );
    }

    #[test]
    fn mfa_settings_blocks_and_auth0_templates() {
        let conversion = tf(&[(
            "g.tf",
            r#"resource "auth0_guardian" "g" {
  policy = "all-applications"
  otp    = true
  email  = true

  settings {
    display_remember_me_checkbox   = true
    remember_me_default_value      = false
    mfa_session_inactivity_timeout = 604800
    mfa_session_overall_timeout    = 2592000
  }
  phone_settings {
    otp_length          = 6
    otp_expiration_time = 300
  }
  email_settings {
    otp_length          = 8
    otp_expiration_time = 600
  }
  phone {
    enabled       = true
    provider      = "phone-message-hook"
    message_types = ["sms"]
    options {
      enrollment_message   = "{{code}} enroll"
      verification_message = "{{code}} verify"
      sid                  = "AC1"
    }
  }
}
"#,
        )]);
        let text = &conversion.text;
        for line in [
            "mfa_session:\n  display_remember_me_checkbox: true\n  remember_me_default_value: false\n  inactivity_timeout: 604800\n  overall_timeout: 2592000\n",
            "  otp:\n    length: 6\n    expiration_time: 300\n",
            "email:\n  otp:\n    length: 8\n    expiration_time: 600\n",
            "  provider: phone-message-hook\n  templates:\n",
        ] {
            assert!(text.contains(line), "{line:?} missing from\n{text}");
        }
        assert!(!text.contains("twilio"), "{text}");
        assert!(
            notes(&conversion)
                .contains("g.tf:27: auth0_guardian.g.phone.options.sid: a Twilio setting"),
            "{}",
            notes(&conversion)
        );
        assert!(
            conversion.diagnostics.is_empty(),
            "{:?}",
            conversion.diagnostics
        );
    }

    #[test]
    fn bad_input_names_its_place() {
        let files = [InputFile::new(
            "g.tf",
            "resource \"auth0_guardian\" \"g\" {\n  policy = \n}\n",
        )];
        let error = convert(&files, "0.0.0", "mfa.yaml").unwrap_err();
        assert!(
            matches!(&error, ConvertError::Syntax { place, .. } if place.starts_with("g.tf:2:")),
            "{error:?}"
        );
        let files = [InputFile::new(
            "g.tf",
            "resource \"auth0_client\" \"c\" {}\n",
        )];
        let error = convert(&files, "0.0.0", "mfa.yaml").unwrap_err();
        assert_eq!(
            error.to_string(),
            "g.tf holds no `resource \"auth0_guardian\"`"
        );
    }

    #[test]
    fn references_name_what_they_stand_for() {
        assert!(mentions("var.a + 1", "var", "a"));
        assert!(!mentions("var.ab", "var", "a"));
        assert!(!mentions("local.var.a", "var", "a"));
    }

    #[test]
    fn secret_variables_with_values_in_clear_are_named_not_used() {
        let conversion = tf(&[
            (
                "g.tf",
                r#"variable "duo_skey" {
  type      = string
  sensitive = true
}
variable "enable_duo" {
  type    = bool
  default = null
}
resource "auth0_guardian" "g" {
  policy = "all-applications"
  duo {
    enabled         = var.enable_duo
    integration_key = "DI1"
    secret_key      = var.duo_skey
    hostname        = "api-1.duosecurity.com"
  }
}
"#,
            ),
            ("prod.tfvars", "duo_skey = \"tfvars-duo-secret\"\n"),
        ]);
        assert!(
            !conversion.text.contains("tfvars-duo-secret"),
            "{}",
            conversion.text
        );
        assert!(
            conversion.text.contains("skey: ${DUO_SKEY}"),
            "{}",
            conversion.text
        );
        // A `null` default is no value: the switch stays a reference to fill in.
        assert!(
            conversion.text.contains("duo: ${ENABLE_DUO}"),
            "{}",
            conversion.text
        );
        assert_eq!(conversion.secrets_in_clear[0].expose(), "tfvars-duo-secret");
        let notes = notes(&conversion);
        assert!(
            notes.contains(
                "g.tf:14: auth0_guardian.g.duo.secret_key: `var.duo_skey` has a value in clear (its value in prod.tfvars:1)"
            ),
            "{notes}"
        );
        assert!(!notes.contains("tfvars-duo-secret"), "{notes}");
    }
}
