//! From a desired state to the GETs it needs, and from each GET's answer to live values and
//! fingerprints. Driven by each resource's [`ReadSpec`]; no I/O.

use std::collections::BTreeSet;

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::live::LiveTenant;
use crate::model::{Address, Factor, FieldValue, MessageType, MfaState, PhoneProvider, Values};
use crate::resource::specs::{PHONE_MESSAGE_TYPES, PHONE_PROVIDER, POLICIES, tenant_settings};
use crate::resource::{Extract, FieldSpec, FieldType, Fingerprint, Keys, ReadSpec, ResourceSpec};
use crate::secret::is_secret_key;

/// One GET: its path (under `/api/v2`), the scope it needs, the managed addresses its answer
/// serves (all the factors share one), and the addresses it reads only for the plan's checks
/// (known, never planned or fingerprinted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Read {
    pub path: String,
    pub scope: &'static str,
    pub addresses: Vec<Address>,
    pub context: Vec<Address>,
    /// The envelope's list key when the answer comes in pages ([`ReadSpec::paged`]): the
    /// client reads every page and passes the whole list as the answer.
    pub paged: Option<&'static str>,
}

impl Read {
    /// Whether this is `GET /tenants/settings`, which also tells the tenant's phone kind and
    /// languages.
    pub fn is_tenant_settings(&self) -> bool {
        self.path == tenant_settings::PATH
    }

    /// Whether a 404 answer means "nothing set yet" (see [`ReadSpec::not_found_is_empty`]).
    pub fn not_found_is_empty(&self) -> bool {
        let mut served = self.addresses.iter().chain(&self.context).peekable();
        served.peek().is_some()
            && served.all(|a| a.spec().read.is_some_and(|r| r.not_found_is_empty))
    }

    /// The answer a 404 stands for when [`Read::not_found_is_empty`]: every field empty.
    pub fn empty_answer(&self) -> Value {
        let Some(spec) = self
            .addresses
            .iter()
            .chain(&self.context)
            .next()
            .map(Address::spec)
        else {
            return Value::Null;
        };
        let mut map = Map::new();
        for field in spec.fields {
            let empty = match field.ty {
                FieldType::Set { .. } => Value::Array(Vec::new()),
                _ => Value::Null,
            };
            insert_path(&mut map, field.api, empty);
        }
        Value::Object(map)
    }
}

/// The reads `desired` needs: one GET per distinct read path of its readable addresses (one
/// `GET /guardian/factors` for all factors, one list for all phone templates), plus
/// `GET /tenants/settings` once when anything phone-related is managed (the tenant's phone kind
/// decides which phone endpoints it accepts), plus the reads the plan's checks of phone
/// delivery ([`phone_check_reads`]) and of lockout ([`lockout_check_reads`]) need. Write-only resources are never read.
pub fn reads_for(desired: &MfaState) -> Vec<Read> {
    let mut reads: Vec<Read> = Vec::new();
    let mut phone_related = false;
    for address in desired.managed_addresses() {
        let spec = address.spec();
        phone_related |= spec.is_phone_related();
        add(&mut reads, address, true);
    }
    for address in phone_check_reads(desired)
        .into_iter()
        .chain(lockout_check_reads(desired))
    {
        add(&mut reads, address, false);
    }
    if phone_related && !reads.iter().any(Read::is_tenant_settings) {
        reads.push(Read {
            path: tenant_settings::PATH.to_string(),
            scope: tenant_settings::TENANT_SETTINGS
                .read
                .map_or("read:tenant_settings", |r| r.scope),
            addresses: Vec::new(),
            context: Vec::new(),
            paged: None,
        });
    }
    reads
}

/// Adds `address` to the read of its path, managed or for context.
fn add(reads: &mut Vec<Read>, address: Address, managed: bool) {
    let Some(read) = address.spec().read else {
        return;
    };
    let path = address.fill(read.path);
    let index = match reads.iter().position(|r| r.path == path) {
        Some(index) => index,
        None => {
            reads.push(Read {
                path,
                scope: read.scope,
                addresses: Vec::new(),
                context: Vec::new(),
                paged: read.paged,
            });
            reads.len() - 1
        }
    };
    let Some(entry) = reads.get_mut(index) else {
        return;
    };
    if managed {
        entry.addresses.push(address);
    } else if !entry.addresses.contains(&address) && !entry.context.contains(&address) {
        entry.context.push(address);
    }
}

/// Resources `desired` may not manage that the plan needs to check its phone writes
/// ([`crate::plan::preconditions`]): the `sms` factor when message types or the phone provider
/// are managed (is the phone factor on, so that message types can be written?), the selected
/// provider when the file offers voice without naming the provider, and the message types when
/// the file selects Auth0's provider without naming them (it cannot place calls). All need
/// `read:guardian_factors`, which managing either already needs.
pub fn phone_check_reads(desired: &MfaState) -> Vec<Address> {
    let types = desired.message_types();
    let provider = desired.phone_provider();
    let mut reads = Vec::new();
    if types.is_some() || provider.is_some() {
        reads.push(MfaState::factor_address(Factor::Sms));
    }
    let offers_voice = types
        .as_ref()
        .is_some_and(|t| t.contains(&MessageType::Voice));
    if offers_voice && provider.is_none() {
        reads.push(Address::of(&PHONE_PROVIDER));
    }
    if provider == Some(PhoneProvider::Auth0) && types.is_none() {
        reads.push(Address::of(&PHONE_MESSAGE_TYPES));
    }
    reads
}

/// Resources `desired` may not manage that the lockout check ([`crate::plan::safety::check_lockout`])
/// needs, so that a plan ending with MFA required and no factor on is refused whichever side
/// the file manages: the policies when the file manages factors but not the policies (turning
/// factors off may leave MFA required), and the factors (one `GET /guardian/factors` gives
/// them all) when the file requires MFA without managing every factor. The policies need
/// `read:mfa_policies`, the factors `read:guardian_factors`.
pub fn lockout_check_reads(desired: &MfaState) -> Vec<Address> {
    let factors = desired.factors();
    let mut reads = Vec::new();
    match desired.policies() {
        None if !factors.is_empty() => reads.push(Address::of(&POLICIES)),
        Some(policies) if !policies.is_empty() => {
            if let Some(unmanaged) = Factor::ALL.iter().find(|f| !factors.contains_key(f)) {
                reads.push(MfaState::factor_address(*unmanaged));
            }
        }
        _ => {}
    }
    reads
}

/// The phone kind of `GET /tenants/settings`, as [`crate::phone_kind::is_consolidated`]
/// reads it.
pub fn parse_consolidated_phone(body: &Value) -> bool {
    crate::phone_kind::is_consolidated(body.get(crate::phone_kind::PHONE_CONSOLIDATED_EXPERIENCE))
}

/// `enabled_locales` of `GET /tenants/settings`.
pub fn parse_enabled_locales(body: &Value) -> Option<Vec<String>> {
    let list = body.get("enabled_locales")?.as_array()?;
    Some(
        list.iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
    )
}

/// Puts the answer of `read` into `live`: the values of every address it serves (and, for a
/// list of keyed resources, of every key it holds, so the plan's safety checks know every
/// factor), a fingerprint of each served address, and the tenant's phone kind and languages
/// from `/tenants/settings`. An empty answer (`Value::Null`) counts as `{}`.
pub fn absorb(read: &Read, body: &Value, live: &mut LiveTenant) -> Result<(), String> {
    if read.is_tenant_settings() {
        live.consolidated_phone = Some(parse_consolidated_phone(body));
        live.enabled_locales = parse_enabled_locales(body);
    }
    let served = read.addresses.iter().map(|a| (a, true));
    let context = read.context.iter().map(|a| (a, false));
    for (address, managed) in served.chain(context) {
        let spec = address.spec();
        let Some(read_spec) = spec.read else {
            continue;
        };
        let part = extract(read_spec, address, body);
        let mut values = parse_values(spec, part.unwrap_or(&Value::Null))?;
        if let (Extract::Entry { .. } | Extract::First { .. }, Some(entry)) =
            (read_spec.extract, part)
        {
            values.id = entry.get("id").and_then(Value::as_str).map(str::to_string);
        }
        if managed {
            let print = match read_spec.fingerprint {
                Fingerprint::Extracted => fingerprint(part.unwrap_or(&Value::Null)),
                Fingerprint::Fields => fingerprint(&fields_of(spec, body)),
            };
            live.fingerprints.insert(address.clone(), print);
        }
        live.state.insert(address.clone(), values);
        absorb_siblings(read_spec, spec, body, &mut live.state)?;
    }
    Ok(())
}

/// The other keyed entries of a list answer (every factor's state), known but not managed.
fn absorb_siblings(
    read_spec: ReadSpec,
    spec: &'static ResourceSpec,
    body: &Value,
    state: &mut MfaState,
) -> Result<(), String> {
    let (Extract::Entry { .. }, Keys::Fixed(info)) = (read_spec.extract, spec.keys) else {
        return Ok(());
    };
    for name in info.names() {
        let address = Address::keyed(spec, [name]);
        if state.contains(&address) {
            continue;
        }
        if let Some(entry) = extract(read_spec, &address, body) {
            let mut values = parse_values(spec, entry)?;
            values.id = entry.get("id").and_then(Value::as_str).map(str::to_string);
            state.insert(address, values);
        }
    }
    Ok(())
}

/// The part of an answer that is `address`'s resource.
fn extract<'v>(read: ReadSpec, address: &Address, body: &'v Value) -> Option<&'v Value> {
    match read.extract {
        Extract::Body => Some(body),
        Extract::Entry { list, key_field } => {
            let items = match list {
                Some(key) => body.get(key)?,
                None => body,
            };
            let name = address.name()?;
            items
                .as_array()?
                .iter()
                .find(|entry| entry.get(key_field).and_then(Value::as_str) == Some(name))
        }
        Extract::First { list } => body.get(list)?.as_array()?.first(),
    }
}

/// `{config key: the raw value at its API key}` of every field: what a resource that shares
/// its endpoint with other settings fingerprints.
fn fields_of(spec: &ResourceSpec, body: &Value) -> Value {
    let map = spec
        .fields
        .iter()
        .map(|f| {
            let value = get_path(body, f.api).cloned().unwrap_or(Value::Null);
            (f.key.to_string(), value)
        })
        .collect();
    Value::Object(map)
}

/// The value at a dotted key (`configuration.sid`); the whole value for an empty key.
pub fn get_path<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    if path.is_empty() {
        return Some(value);
    }
    path.split('.').try_fold(value, |v, key| v.get(key))
}

/// Inserts `value` at a dotted key (`configuration.sid` → `{"configuration":{"sid":…}}`).
pub fn insert_path(map: &mut Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        None => {
            map.insert(path.to_string(), value);
        }
        Some((head, rest)) => {
            let entry = map
                .entry(head.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if !entry.is_object() {
                *entry = Value::Object(Map::new());
            }
            if let Value::Object(inner) = entry {
                insert_path(inner, rest, value);
            }
        }
    }
}

/// A resource's values from an answer: every readable field at its API key. `null` and absent
/// keys are unset (or the value a missing field reads as); write-only fields are never read.
/// Errors name the key and never quote a secret.
pub fn parse_values(spec: &ResourceSpec, part: &Value) -> Result<Values, String> {
    parse(spec, part, true)
}

/// The readable values a write's body sets (absent keys stay unset).
pub fn parse_written(spec: &ResourceSpec, body: &Value) -> Result<Values, String> {
    parse(spec, body, false)
}

fn parse(spec: &ResourceSpec, part: &Value, answer: bool) -> Result<Values, String> {
    let mut values = Values::default();
    for field in spec
        .fields
        .iter()
        .filter(|f| !f.is_write_only() && !f.local)
    {
        let raw = if part.is_null() {
            None
        } else {
            get_path(part, field.api)
        };
        match raw {
            None | Some(Value::Null) => {
                if let (true, Some(value)) = (answer, field.reads_as) {
                    values.set(field.key, value.to_value());
                }
            }
            Some(raw) => {
                values.set(field.key, parse_field(field, raw)?);
            }
        }
    }
    Ok(values)
}

fn parse_field(field: &FieldSpec, raw: &Value) -> Result<FieldValue, String> {
    let key = if field.api.is_empty() {
        field.key
    } else {
        field.api
    };
    let enum_value = |text: &str, info: &crate::model::EnumInfo| -> Result<String, String> {
        info.rank(text).map(|_| text.to_string()).ok_or_else(|| {
            format!(
                "`{key}` has the {} `{text}`, which mfactl does not know",
                info.what
            )
        })
    };
    match field.ty {
        FieldType::Text { .. } => {
            let text = raw.as_str().ok_or_else(|| format!("`{key}` is not text"))?;
            Ok(if field.is_secret() {
                FieldValue::Secret(crate::secret::Secret::new(text))
            } else {
                FieldValue::Text(text.to_string())
            })
        }
        FieldType::Bool => raw
            .as_bool()
            .map(FieldValue::Bool)
            .ok_or_else(|| format!("`{key}` is not true or false")),
        FieldType::Integer { .. } => raw
            .as_u64()
            .map(FieldValue::Number)
            .ok_or_else(|| format!("`{key}` is not a whole number")),
        FieldType::Enum(info) => {
            let text = raw.as_str().ok_or_else(|| format!("`{key}` is not text"))?;
            enum_value(text, info).map(FieldValue::Text)
        }
        FieldType::Set { of, .. } => {
            let items = raw
                .as_array()
                .ok_or_else(|| format!("`{key}` is not a list"))?;
            let mut names = BTreeSet::new();
            for item in items {
                let text = item
                    .as_str()
                    .ok_or_else(|| format!("`{key}` holds a value that is not text"))?;
                names.insert(enum_value(text, of)?);
            }
            Ok(FieldValue::list(names))
        }
        FieldType::Items { of, .. } => {
            let items = raw
                .as_array()
                .ok_or_else(|| format!("`{key}` is not a list"))?;
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                out.push(parse_item(of, item)?);
            }
            Ok(FieldValue::Items(out))
        }
        FieldType::Texts => {
            let screens = raw
                .as_object()
                .ok_or_else(|| format!("`{key}` is not an object of screens"))?;
            let mut out = std::collections::BTreeMap::new();
            for (screen, texts) in screens {
                let texts = texts
                    .as_object()
                    .ok_or_else(|| format!("`{key}.{screen}` is not an object of texts"))?;
                let mut by_id = std::collections::BTreeMap::new();
                for (id, text) in texts {
                    let text = text
                        .as_str()
                        .ok_or_else(|| format!("`{key}.{screen}.{id}` is not text"))?;
                    by_id.insert(id.clone(), text.to_string());
                }
                out.insert(screen.clone(), by_id);
            }
            Ok(FieldValue::Texts(out))
        }
    }
}

/// One item of a list answer: its readable fields at their API keys, and its `id`. A value an
/// enum field does not list (a method type mfactl cannot declare, such as `passkey`) is kept
/// as read: such items are known, never written.
fn parse_item(of: &[FieldSpec], raw: &Value) -> Result<Values, String> {
    let mut values = Values::default();
    for field in of.iter().filter(|f| !f.is_write_only() && !f.local) {
        match get_path(raw, field.api) {
            None | Some(Value::Null) => {}
            Some(Value::String(text)) if matches!(field.ty, FieldType::Enum(_)) => {
                values.set(field.key, FieldValue::Text(text.clone()));
            }
            Some(value) => values.set(field.key, parse_field(field, value)?),
        }
    }
    values.id = raw.get("id").and_then(Value::as_str).map(str::to_string);
    Ok(values)
}

/// Hex SHA-256 of `body` as canonical JSON (object keys sorted, no spaces) with the value of
/// every secret key ([`crate::secret::all_secret_keys`]) replaced by `null`.
pub fn fingerprint(body: &Value) -> String {
    let mut text = String::new();
    write_canonical(body, &mut text);
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                if is_secret_key(key) {
                    out.push_str("null");
                } else if let Some(inner) = map.get(key) {
                    write_canonical(inner, out);
                }
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Factor;
    use crate::resource::specs::{
        DUO, FACTORS, PHONE_MESSAGE_TYPES, PHONE_TEMPLATES, PHONE_TWILIO, POLICIES, PROMPT_TEXTS,
        PUSH_FCM, PUSH_SNS, TENANT_SETTINGS, WEBAUTHN_PLATFORM, WEBAUTHN_ROAMING,
    };
    use serde_json::json;

    #[test]
    fn one_read_per_managed_resource_and_one_for_all_factors() {
        let mut desired = MfaState::default();
        desired.set_factor(Factor::Otp, true);
        desired.set_factor(Factor::Sms, false);
        desired.insert(Address::of(&PUSH_FCM), Values::default());
        desired.insert(Address::of(&DUO), Values::default());
        let paths: Vec<String> = reads_for(&desired).into_iter().map(|r| r.path).collect();
        // The policies too, for the lockout check: the file turns a factor off.
        assert_eq!(
            paths,
            ["/guardian/factors", DUO.write.path, "/guardian/policies"]
        );
        assert!(reads_for(&MfaState::default()).is_empty());
        // A file that requires MFA without listing factors reads them all.
        let mut required = MfaState::default();
        required.set_policies([crate::model::Policy::AllApplications]);
        let reads = reads_for(&required);
        let paths: Vec<&str> = reads.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(paths, ["/guardian/policies", "/guardian/factors"]);
        assert!(reads[1].addresses.is_empty(), "read for context only");
        // `policies: []` needs no factor.
        required.set_policies([]);
        assert_eq!(reads_for(&required).len(), 1);
    }

    #[test]
    fn the_factor_list_tells_every_factor_but_fingerprints_only_managed_ones() {
        let mut desired = MfaState::default();
        desired.set_factor(Factor::Otp, true);
        let mut live = LiveTenant::default();
        let body = json!([{"name":"otp","enabled":false},{"name":"sms","enabled":true}]);
        for read in reads_for(&desired)
            .into_iter()
            .filter(|r| r.path == "/guardian/factors")
        {
            absorb(&read, &body, &mut live).unwrap();
        }
        assert_eq!(
            live.state.factors(),
            std::collections::BTreeMap::from([(Factor::Sms, true), (Factor::Otp, false)])
        );
        let printed: Vec<String> = live.fingerprints.keys().map(ToString::to_string).collect();
        assert_eq!(printed, ["factors.otp"]);
    }

    #[test]
    fn write_only_secrets_are_never_read_and_readable_ones_kept() {
        let sns = parse_values(
            &PUSH_SNS,
            &json!({"aws_access_key_id":"AK","aws_region":"us-west-1","aws_secret_access_key":"x"}),
        )
        .unwrap();
        assert_eq!(sns.get("aws_secret_access_key"), None);
        assert_eq!(sns.text("aws_region"), Some("us-west-1"));
        let duo = parse_values(&DUO, &json!({"ikey":"k","skey":"s3cr3t","host":"h"})).unwrap();
        assert_eq!(duo.secret("skey").map(|s| s.expose()), Some("s3cr3t"));
        let twilio = parse_values(
            &PHONE_TWILIO,
            &json!({"auth_token":"t","sid":"s","from":"f","messaging_service_sid":null}),
        )
        .unwrap();
        assert_eq!(twilio.get("messaging_service_sid"), None);
    }

    #[test]
    fn parse_errors_never_quote_a_secret() {
        let err =
            parse_values(&DUO, &json!({"ikey": 7, "skey": 12345678, "host": "h"})).unwrap_err();
        assert!(!err.contains("12345678"), "{err}");
        let err = parse_values(&PHONE_TWILIO, &json!({"auth_token": 987654321})).unwrap_err();
        assert!(!err.contains("987654321"), "{err}");
    }

    #[test]
    fn nulls_unknown_keys_and_empty_bodies_parse() {
        let twilio = parse_values(
            &PHONE_TWILIO,
            &json!({"auth_token":"tok","sid":"s","from":null,"messaging_service_sid":null,"extra":1}),
        )
        .unwrap();
        assert_eq!(twilio.get("from"), None);
        assert_eq!(twilio.secret("auth_token").map(|s| s.expose()), Some("tok"));
        assert!(!format!("{twilio:?}").contains("tok\""));
        for spec in [&PUSH_SNS, &PUSH_FCM, &PHONE_TEMPLATES, &WEBAUTHN_PLATFORM] {
            assert_eq!(parse_values(spec, &json!({})).unwrap(), Values::default());
            // An empty answer (no body) counts as `{}`.
            assert_eq!(parse_values(spec, &Value::Null).unwrap(), Values::default());
        }
    }

    #[test]
    fn webauthn_uses_camel_case() {
        let roaming = parse_values(
            &WEBAUTHN_ROAMING,
            &json!({"userVerification":"required","overrideRelyingParty":false}),
        )
        .unwrap();
        assert_eq!(roaming.text("user_verification"), Some("required"));
        assert_eq!(roaming.bool("override_relying_party"), Some(false));
        let err =
            parse_values(&WEBAUTHN_ROAMING, &json!({"userVerification":"always"})).unwrap_err();
        assert!(err.contains("`userVerification`"), "{err}");
    }

    #[test]
    fn answers_of_the_wrong_shape_are_errors_naming_the_key() {
        let err = parse_values(&POLICIES, &json!({"x": 1})).unwrap_err();
        assert!(err.contains("`policies` is not a list"), "{err}");
        let err = parse_values(&FACTORS, &json!({"enabled": "yes"})).unwrap_err();
        assert!(err.contains("`enabled` is not true or false"), "{err}");
        let err = parse_values(
            &PHONE_MESSAGE_TYPES,
            &json!({"message_types": ["sms", "fax"]}),
        )
        .unwrap_err();
        assert!(err.contains("`fax`"), "{err}");
    }

    #[test]
    fn tenant_flags_never_set_read_as_false_and_the_phone_kind_defaults_to_consolidated() {
        let flags = parse_values(&TENANT_SETTINGS, &json!({"flags": {}})).unwrap();
        assert_eq!(flags.bool("customize_mfa_in_postlogin_action"), Some(false));
        assert_eq!(
            flags.bool("mfa_show_factor_list_on_enrollment"),
            Some(false)
        );
        assert!(parse_consolidated_phone(&json!({})));
        assert!(!parse_consolidated_phone(
            &json!({"phone_consolidated_experience": false})
        ));
        assert_eq!(
            parse_enabled_locales(&json!({"enabled_locales": ["en", "fr"]})),
            Some(vec!["en".to_string(), "fr".to_string()])
        );
    }

    #[test]
    fn prompt_texts_are_read_for_the_prompt_and_language_of_the_path() {
        let mut desired = MfaState::default();
        let address = Address::keyed(&PROMPT_TEXTS, ["mfa-sms", "en"]);
        desired.insert(address.clone(), Values::default());
        let reads = reads_for(&desired);
        assert_eq!(reads.len(), 1);
        assert_eq!(reads[0].path, "/prompts/mfa-sms/custom-text/en");
        assert_eq!(reads[0].scope, "read:prompts");
        let mut live = LiveTenant::default();
        let body = json!({"mfa-sms-enrollment": {"title": "Hi"}});
        absorb(&reads[0], &body, &mut live).unwrap();
        let Some(FieldValue::Texts(texts)) = live.state.get(&address).and_then(|v| v.get("texts"))
        else {
            panic!("{live:?}")
        };
        assert_eq!(texts["mfa-sms-enrollment"]["title"], "Hi");
        let err = parse_values(&PROMPT_TEXTS, &json!({"s": {"t": 1}})).unwrap_err();
        assert!(err.contains("`texts.s.t` is not text"), "{err}");
    }

    #[test]
    fn fingerprint_sorts_keys_and_hides_secrets() {
        let a = fingerprint(&json!({"ikey":"k","skey":"one","host":"h"}));
        let b = fingerprint(&json!({"host":"h","skey":"two","ikey":"k"}));
        let c = fingerprint(&json!({"host":"h","skey":null,"ikey":"k"}));
        assert_eq!(a, b);
        assert_eq!(a, c);
        assert_ne!(
            a,
            fingerprint(&json!({"host":"h2","skey":"one","ikey":"k"}))
        );
        assert_eq!(a.len(), 64);
        let expected: String = Sha256::digest(br#"{"host":"h","ikey":"k","skey":null}"#)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(a, expected);
    }
}
