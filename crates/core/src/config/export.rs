//! Live tenant → config file text, for `mfactl export`, driven by the resource table.
//!
//! Secrets are never written: each becomes a `${VAR}` reference named by its field's spec, and
//! the header lists the variables to set before `apply`. What the API cannot read back (FCM
//! keys) is named in a comment instead. Of the tenant's two phone setups, only the one its MFA
//! uses is written (legacy Guardian phone settings, or Tenant Phone Settings).
//!
//! Whatever export writes passes `validate --strict` and plans empty against the tenant it came
//! from (a property test checks that for random tenants). So:
//! - the settings of a factor the tenant has turned off (`phone` for `sms`, `push`, `duo`,
//!   `webauthn_roaming`, `webauthn_platform`, `email`) are left out, unmanaged, and the header
//!   names them: they would only draw the "configured but the factor is off" warning, which
//!   stays for hand-written files whatever their values (a file that both turns a factor off
//!   and configures it says two things; a section restating a new tenant's defaults is no
//!   exception, as nothing tells those values from deliberate ones);
//! - an empty `phone.message_types` is left out (it is what a phone factor never configured
//!   reads as, and an enabled `sms` factor with no message type is refused by validation);
//! - `policies` is left out when they require MFA while no factor is enabled (a tenant nobody
//!   can log in to cannot be written as a valid file); the header says so.

use serde_json::{Map, Value};

use crate::live::LiveTenant;
use crate::model::{Address, Factor, FieldValue, MfaState, PushProvider, Values};
use crate::resource::instance::{applies, config_value, field_view, is_blank};
use crate::resource::specs::{PHONE_MESSAGE_TYPES, POLICIES};
use crate::resource::{
    ExportRule, FieldSpec, FieldType, Keys, PhoneScope, RESOURCES, ResourceSpec, Shape, registry,
};

/// How to get editor completion for an exported file. Deliberately not a YAML language server
/// modeline: a file can be written anywhere, and a modeline pointing at a schema path that does
/// not exist beside it (as `../schema/mfactl.schema.json` outside this repository) only makes
/// editors complain.
pub const SCHEMA_HINT: &str = "# Editor completion: save `mfactl schema` as mfactl.schema.json and point your editor's\n# YAML schema setting at it.\n";

/// A desired state that manages every readable resource, so that a live read returns the
/// whole tenant. Prompt texts are keyed by language: [`with_prompt_languages`] adds them once
/// the tenant's languages are known.
pub fn everything() -> MfaState {
    let mut state = MfaState::default();
    for spec in RESOURCES.iter().copied().filter(|s| !s.is_write_only()) {
        match spec.keys {
            Keys::Single => state.insert(Address::of(spec), Values::default()),
            Keys::Fixed(info) => {
                for name in info.names() {
                    state.insert(Address::keyed(spec, [name]), Values::default());
                }
            }
            // Users are exported only when named: `with_users`.
            Keys::PromptLanguage { .. } | Keys::User => {}
        }
    }
    state
}

/// A desired state that manages the texts of every prompt of `spec` in `languages`.
pub fn with_prompt_languages(languages: &[String]) -> MfaState {
    let mut state = MfaState::default();
    for spec in RESOURCES.iter().copied() {
        if let Keys::PromptLanguage { prompts, .. } = spec.keys {
            for prompt in prompts.names() {
                for language in languages {
                    state.insert(
                        Address::keyed(spec, [prompt, language.as_str()]),
                        Values::default(),
                    );
                }
            }
        }
    }
    state
}

/// A desired state that manages the authentication methods of each user of `user_ids`
/// (`export --users`): never every user, only the ones named.
pub fn with_users(user_ids: &[String]) -> MfaState {
    let mut state = MfaState::default();
    for spec in RESOURCES.iter().copied().filter(|s| s.keys == Keys::User) {
        for user in user_ids {
            state.insert(Address::keyed(spec, [user.as_str()]), Values::default());
        }
    }
    state
}

/// The header lines of an export that holds users' methods.
const USERS_NOTE: &str = "# users: phone numbers and emails are masked, as Auth0's reads mask them. A masked method\n# matches the live one, so this file plans no change for it; to create it (on another\n# tenant, or after deleting it), fill in the full number or address. Each TOTP_SECRET_n\n# stands for an authenticator app's secret, which cannot be read back: it is sent only when\n# its method is created.\n";

/// The result of an export: the file's text and the variables it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    pub text: String,
    /// Environment variables the file refers to, to set before `apply`.
    pub variables: Vec<String>,
}

fn is_loopback(domain: &str) -> bool {
    let host = domain
        .trim_start_matches("http://")
        .trim_start_matches("https://");
    host.starts_with("127.") || host.starts_with("localhost") || host.starts_with("[::1]")
}

/// Whether `spec` belongs in the export of a tenant of this phone kind.
fn phone_kind_exports(spec: &ResourceSpec, consolidated: bool) -> bool {
    match spec.phone {
        PhoneScope::Legacy => !consolidated,
        PhoneScope::TenantPhone => consolidated,
        PhoneScope::None | PhoneScope::Any => true,
    }
}

/// One resource in the config file's shape: a value, or a mapping of its fields with every
/// secret the config needs as a `${VAR}` reference.
fn resource_value(
    spec: &ResourceSpec,
    values: &Values,
    variables: &mut Vec<String>,
) -> Option<Value> {
    if spec.shape == Shape::Value {
        return values.get(spec.value_field()?.key).map(config_value);
    }
    let mut map = Map::new();
    for field in spec.fields {
        if !applies(field, values) {
            continue;
        }
        if field.is_secret() {
            let (Some(variable), true) =
                (field.env, field.required || values.get(field.key).is_some())
            else {
                continue;
            };
            if !variables.iter().any(|v| v == variable) {
                variables.push(variable.to_string());
            }
            map.insert(
                field.key.to_string(),
                Value::String(format!("${{{variable}}}")),
            );
            continue;
        }
        match values.get(field.key) {
            Some(FieldValue::Text(text)) if text.is_empty() => {}
            Some(FieldValue::Items(items)) => {
                if let FieldType::Items { of, .. } = field.ty {
                    let list = items
                        .iter()
                        .filter_map(|item| item_value(of, item, variables))
                        .collect();
                    map.insert(field.key.to_string(), Value::Array(list));
                }
            }
            Some(value) => {
                map.insert(field.key.to_string(), config_value(value));
            }
            None => {}
        }
    }
    Some(Value::Object(map))
}

/// One item as the file writes it: its fields in the spec's order, personal data masked, and
/// each write-only value as a `${VAR_n}` reference of its own (n counts them over the file).
/// Items whose kind the file cannot declare (a passkey) are left out.
fn item_value(of: &[FieldSpec], item: &Values, variables: &mut Vec<String>) -> Option<Value> {
    let mut map = Map::new();
    for field in of.iter().filter(|f| applies(f, item)) {
        if let FieldType::Enum(info) = field.ty
            && field.required
            && item.text(field.key).is_none_or(|v| info.rank(v).is_none())
        {
            return None;
        }
        if field.is_write_only() {
            let Some(variable) = field.env else {
                continue;
            };
            let n = variables
                .iter()
                .filter(|v| v.starts_with(&format!("{variable}_")))
                .count()
                + 1;
            let name = format!("{variable}_{n}");
            map.insert(field.key.to_string(), Value::String(format!("${{{name}}}")));
            variables.push(name);
            continue;
        }
        if let Some(value) = item.get(field.key) {
            map.insert(field.key.to_string(), field_view(field, value));
        }
    }
    Some(Value::Object(map))
}

/// Leaves out the items of a collection that share an identity (two phones with the same length
/// and last four digits, two unnamed security keys): a file can list neither, as it would match
/// both live ones. Returns the addresses of the items left out, with their ids.
fn leave_out_alike(address: &Address, values: &mut Values) -> Vec<String> {
    let Some(collection) = address.spec().collection else {
        return Vec::new();
    };
    let Some(items) = values.items(collection.items) else {
        return Vec::new();
    };
    let identities: Vec<String> = items.iter().map(collection.identity).collect();
    let mut kept = Vec::new();
    let mut left_out = Vec::new();
    for (item, identity) in items.iter().zip(&identities) {
        if identities.iter().filter(|other| *other == identity).count() > 1 {
            left_out.push(format!(
                "{} ({})",
                address.item(identity.clone()),
                item.id.as_deref().unwrap_or("?")
            ));
        } else {
            kept.push(item.clone());
        }
    }
    if !left_out.is_empty() {
        values.set(collection.items, FieldValue::Items(kept));
    }
    left_out
}

/// Puts `value` at `path` in `root`, making the mappings on the way.
pub(crate) fn insert_at(root: &mut Map<String, Value>, path: &[&str], value: Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut map = root;
    for key in parents {
        let entry = map
            .entry((*key).to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        let Value::Object(inner) = entry else {
            return;
        };
        map = inner;
    }
    map.insert((*last).to_string(), value);
}

/// Whether the tenant requires MFA while every factor is off (nobody can log in).
fn locked_out(state: &MfaState) -> bool {
    let requires_mfa = state.policies().is_some_and(|p| !p.is_empty());
    let factors = state.factors();
    let all_known = Factor::ALL.iter().all(|f| factors.contains_key(f));
    requires_mfa && all_known && factors.values().all(|on| !on)
}

/// Whether export leaves this resource out of the file, whatever its values.
fn left_out(address: &Address, values: &Values, state: &MfaState) -> bool {
    let spec = address.spec();
    let factor_off = spec
        .config_path
        .first()
        .and_then(|key| registry::factor_of_top_level(key))
        .is_some_and(|factor| state.factor(factor) == Some(false));
    let no_message_types = address.is(&PHONE_MESSAGE_TYPES)
        && values
            .list("message_types")
            .is_none_or(|types| types.is_empty());
    factor_off || no_message_types || (address.is(&POLICIES) && locked_out(state))
}

/// Writes the live tenant as a config file. `tool_version` goes into the header comment.
pub fn export(live: &LiveTenant, tool_version: &str) -> Result<Export, String> {
    let consolidated = live.consolidated_phone == Some(true);
    let state = &live.state;
    let mut root = Map::new();
    root.insert("version".into(), Value::from(1));
    if !is_loopback(&live.domain) {
        root.insert(
            "tenant".into(),
            Value::String(live.domain.to_ascii_lowercase()),
        );
    }
    let mut variables = Vec::new();
    let mut alike = Vec::new();
    for (address, values) in &live.state.resources {
        let spec = address.spec();
        if !phone_kind_exports(spec, consolidated) || left_out(address, values, state) {
            continue;
        }
        let mut values = values.clone();
        if let Some(fix) = spec.export_fix {
            fix(&mut values);
        }
        alike.extend(leave_out_alike(address, &mut values));
        if spec.export == ExportRule::UnlessBlank && is_blank(spec, &values) {
            continue;
        }
        let Some(value) = resource_value(spec, &values, &mut variables) else {
            continue;
        };
        let mut path: Vec<&str> = spec.config_path.to_vec();
        path.extend(address.key().iter().map(String::as_str));
        insert_at(&mut root, &path, value);
    }
    let body = serde_saphyr::to_string(&Value::Object(root)).map_err(|e| e.to_string())?;
    let mut text = String::new();
    text.push_str(&format!(
        "# Exported by mfactl {tool_version} from {}.\n",
        live.domain
    ));
    if variables.is_empty() {
        text.push_str("# It holds no secret references.\n");
    } else {
        text.push_str(&format!(
            "# Secrets are not exported. Set these environment variables before `mfactl apply`:\n#   {}\n",
            variables.join(", ")
        ));
    }
    let off = |factor: Factor| state.factor(factor) == Some(false);
    let sections_left_out: Vec<&str> = registry::top_level_keys()
        .into_iter()
        .filter(|key| registry::factor_of_top_level(key).is_some_and(off))
        .collect();
    if !sections_left_out.is_empty() {
        text.push_str(&format!(
            "# Left out, as their factors are off (the tenant keeps them as they are; add a\n# section back to manage it): {}.\n",
            sections_left_out.join(", ")
        ));
    }
    if locked_out(state) {
        text.push_str(
            "# `policies` is left out: the tenant requires MFA while no factor is enabled, so nobody\n# can log in. Enable a factor, then set `policies`.\n",
        );
    }
    if state.resources.keys().any(|a| a.spec().keys == Keys::User) {
        text.push_str(USERS_NOTE);
    }
    if !alike.is_empty() {
        text.push_str(&format!(
            "# Left out, as they read the same as each other (the API masks them alike), so a file\n# cannot tell them apart; they stay on the tenant, which this file never deletes from:\n#   {}\n",
            alike.join("\n#   ")
        ));
    }
    if state.push_provider() == Some(PushProvider::Direct) && !off(Factor::PushNotification) {
        text.push_str(
            "# FCM keys cannot be read back from Auth0: if this tenant uses them, add\n#   push.fcm.server_key: ${FCM_SERVER_KEY} or push.fcmv1.server_credentials: ${FCM_V1_CREDENTIALS}\n",
        );
    }
    text.push_str(SCHEMA_HINT);
    text.push_str(&body);
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(Export { text, variables })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::load_str;
    use crate::model::{Factor, FieldValue, Policy};
    use crate::resource::specs::*;
    use crate::secret::Secret;

    fn text(value: &str) -> FieldValue {
        FieldValue::Text(value.to_string())
    }

    fn set<const N: usize>(
        state: &mut MfaState,
        address: Address,
        fields: [(&'static str, FieldValue); N],
    ) {
        state.insert(address, Values::of(fields));
    }

    fn prompt(prompt: &str, language: &str) -> Address {
        Address::keyed(&PROMPT_TEXTS, [prompt, language])
    }

    fn configured_tenant() -> LiveTenant {
        let mut state = everything();
        state.set_policies([Policy::AllApplications]);
        for factor in Factor::ALL {
            let on = !matches!(factor, Factor::Email | Factor::RecoveryCode);
            state.set_factor(*factor, on);
        }
        set(
            &mut state,
            Address::of(&PHONE_MESSAGE_TYPES),
            [("message_types", FieldValue::list(["sms", "voice"]))],
        );
        set(
            &mut state,
            Address::of(&PHONE_PROVIDER),
            [("provider", text("twilio"))],
        );
        set(
            &mut state,
            Address::of(&PHONE_TWILIO),
            [
                ("sid", text("AC00000000000000000000000000000000")),
                (
                    "auth_token",
                    FieldValue::Secret(Secret::new("live-twilio-token")),
                ),
                ("from", text("+15550001111")),
            ],
        );
        set(
            &mut state,
            Address::of(&PHONE_TEMPLATES),
            [
                ("enrollment_message", text("{{code}} is your code: yes")),
                ("verification_message", text("{{code}}")),
            ],
        );
        set(
            &mut state,
            Address::of(&PUSH_PROVIDER),
            [("provider", text("sns"))],
        );
        set(
            &mut state,
            Address::of(&PUSH_SNS),
            [
                ("aws_access_key_id", text("AKIA1")),
                ("aws_region", text("us-east-1")),
                (
                    "sns_apns_platform_application_arn",
                    text("arn:aws:sns:us-east-1:1:app/APNS/a"),
                ),
            ],
        );
        set(
            &mut state,
            Address::of(&DUO),
            [
                ("ikey", text("DI1")),
                ("skey", FieldValue::Secret(Secret::new("live-duo-skey"))),
                ("host", text("api-1.duosecurity.com")),
            ],
        );
        set(
            &mut state,
            Address::of(&WEBAUTHN_ROAMING),
            [
                ("user_verification", text("required")),
                ("override_relying_party", FieldValue::Bool(false)),
            ],
        );
        set(
            &mut state,
            Address::of(&WEBAUTHN_PLATFORM),
            [("override_relying_party", FieldValue::Bool(false))],
        );
        // The prompt texts of the tenant's languages: one customised, one never set.
        let texts = serde_json::from_value(serde_json::json!({
            "mfa-sms-enrollment": {"title": "Secure your account"}
        }))
        .map(FieldValue::Texts)
        .unwrap();
        set(&mut state, prompt("mfa-sms", "en"), [("texts", texts)]);
        set(
            &mut state,
            prompt("mfa", "en"),
            [("texts", FieldValue::Texts(Default::default()))],
        );
        LiveTenant {
            domain: "acme.eu.auth0.com".into(),
            state,
            ..LiveTenant::default()
        }
    }

    #[test]
    fn exported_file_validates_and_loads_back_to_the_same_state() {
        let live = configured_tenant();
        let export = export(&live, "0.0.0").unwrap();
        assert!(!export.text.contains("live-twilio-token"));
        assert!(!export.text.contains("live-duo-skey"));
        assert_eq!(
            export.variables,
            [
                "TWILIO_AUTH_TOKEN",
                "AWS_SECRET_ACCESS_KEY",
                "DUO_SECRET_KEY"
            ]
        );
        let env = |name: &str| match name {
            "TWILIO_AUTH_TOKEN" => Some("live-twilio-token".to_string()),
            "DUO_SECRET_KEY" => Some("live-duo-skey".to_string()),
            "AWS_SECRET_ACCESS_KEY" => Some("whatever".to_string()),
            _ => None,
        };
        let loaded = load_str("export.yaml", &export.text, Some(&env));
        assert!(
            loaded.is_usable(true),
            "{:?}\n{}",
            loaded.diagnostics,
            export.text
        );
        let config = loaded.config.unwrap();
        assert_eq!(config.tenant.as_deref(), Some("acme.eu.auth0.com"));
        let mut expected = live.state.clone();
        // Write-only and unexported parts: the SNS secret comes from the environment.
        if let Some(sns) = expected.get_mut(&Address::of(&PUSH_SNS)) {
            sns.set(
                "aws_secret_access_key",
                FieldValue::Secret(Secret::new("whatever")),
            );
        }
        // The export leaves out what the tenant does not use (settings never configured, a
        // prompt language without custom texts), and Tenant Phone Settings on a tenant whose
        // MFA does not use them.
        let left_out: [&ResourceSpec; 8] = [
            &PUSH_APNS,
            &PUSH_CUSTOM_APP,
            &PHONE_OTP,
            &EMAIL_OTP,
            &TENANT_PHONE_PROVIDER,
            &TENANT_PHONE_TEMPLATES,
            &MFA_SESSION,
            &TENANT_SETTINGS,
        ];
        expected
            .resources
            .retain(|address, _| !left_out.iter().any(|spec| address.is(spec)));
        expected.remove(&prompt("mfa", "en"));
        assert_eq!(config.state, expected);
    }

    #[test]
    fn a_new_tenant_exports_only_what_it_has() {
        let mut live = LiveTenant {
            domain: "127.0.0.1:4000".into(),
            state: everything(),
            ..LiveTenant::default()
        };
        live.state.remove(&Address::of(&PHONE_PROVIDER));
        set(
            &mut live.state,
            Address::of(&PUSH_PROVIDER),
            [("provider", text("guardian"))],
        );
        set(
            &mut live.state,
            Address::of(&WEBAUTHN_ROAMING),
            [
                ("user_verification", text("preferred")),
                ("override_relying_party", FieldValue::Bool(false)),
            ],
        );
        for factor in Factor::ALL {
            live.state.set_factor(*factor, false);
        }
        let export = export(&live, "0.0.0").unwrap();
        assert!(export.variables.is_empty());
        assert!(!export.text.contains("$schema"), "{}", export.text);
        assert!(!export.text.contains("tenant:"), "{}", export.text);
        let loaded = load_str("export.yaml", &export.text, Some(&|_| None));
        assert!(loaded.is_usable(true), "{:?}", loaded.diagnostics);
        // Every factor is off: no settings section is written, and the header says why.
        for section in ["phone:", "push:", "webauthn_roaming:", "email:"] {
            let line = format!("\n{section}");
            assert!(!export.text.contains(&line), "{}", export.text);
        }
        assert!(export.text.contains("# Left out, as their factors are off"));
    }

    #[test]
    fn prompt_texts_are_read_for_the_tenants_languages() {
        let languages = ["en".to_string(), "fr".to_string()];
        let state = with_prompt_languages(&languages);
        let shown: Vec<String> = state.resources.keys().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 2 * crate::model::MfaPrompt::ALL.len());
        assert_eq!(shown[..2], ["prompts.mfa.en", "prompts.mfa.fr"]);
        assert!(everything().addresses_of(&PROMPT_TEXTS).next().is_none());
    }
}
