//! From a desired state to the reads it needs, and from each read's JSON body to the model.
//! Pure: no I/O.

use std::collections::{BTreeMap, BTreeSet};

use serde::de::DeserializeOwned;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::models::{
    ApnsBody, CustomAppBody, DuoBody, FactorStatus, MessageTypesBody, PhoneProviderBody,
    PoliciesBody, PushProviderBody, SnsBody, TemplatesBody, TwilioBody, WebAuthnPlatformBody,
    WebAuthnRoamingBody,
};
use mfactl_core::model::{
    Address, ApnsSettings, CustomApp, DeliveryMethod, DuoSettings, Factor, MessageType,
    MfaSessionSettings, MfaState, OtpSettings, PhoneProvider, PhoneTemplateType, PhoneTemplates,
    Policy, PushProvider, SnsSettings, TenantMfaSettings, TenantPhoneProvider,
    TenantPhoneProviderName, TenantPhoneTemplate, TwilioSettings, WebAuthnPlatformSettings,
    WebAuthnRoamingSettings,
};
use mfactl_core::secret::is_secret_key;

/// One GET the live read may send. Several addresses can share one (all factors).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReadTarget {
    Policies,
    Factors,
    PhoneMessageTypes,
    PhoneProvider,
    PhoneTwilio,
    PhoneTemplates,
    PushProvider,
    PushSns,
    PushApns,
    PushCustomApp,
    Duo,
    WebAuthnRoaming,
    WebAuthnPlatform,
    PhoneOtp,
    EmailOtp,
    TenantPhoneProviders,
    TenantPhoneTemplates,
    MfaSession,
    /// `/tenants/settings`: the MFA flags, and the tenant's phone kind.
    TenantSettings,
}

impl ReadTarget {
    /// The read for `address`; `None` for write-only resources.
    pub fn for_address(address: Address) -> Option<Self> {
        Some(match address {
            Address::Policies => ReadTarget::Policies,
            Address::Factor(_) => ReadTarget::Factors,
            Address::PhoneMessageTypes => ReadTarget::PhoneMessageTypes,
            Address::PhoneProvider => ReadTarget::PhoneProvider,
            Address::PhoneTwilio => ReadTarget::PhoneTwilio,
            Address::PhoneTemplates => ReadTarget::PhoneTemplates,
            Address::PushProvider => ReadTarget::PushProvider,
            Address::PushSns => ReadTarget::PushSns,
            Address::PushApns => ReadTarget::PushApns,
            Address::PushCustomApp => ReadTarget::PushCustomApp,
            Address::Duo => ReadTarget::Duo,
            Address::WebAuthnRoaming => ReadTarget::WebAuthnRoaming,
            Address::WebAuthnPlatform => ReadTarget::WebAuthnPlatform,
            Address::PhoneOtp => ReadTarget::PhoneOtp,
            Address::EmailOtp => ReadTarget::EmailOtp,
            Address::TenantPhoneProvider => ReadTarget::TenantPhoneProviders,
            Address::TenantPhoneTemplate(_) => ReadTarget::TenantPhoneTemplates,
            Address::MfaSession => ReadTarget::MfaSession,
            Address::TenantSettings => ReadTarget::TenantSettings,
            Address::PushFcm | Address::PushFcmV1 => return None,
        })
    }

    /// The path under `/api/v2`.
    pub fn path(self) -> &'static str {
        match self {
            ReadTarget::Policies => "/guardian/policies",
            ReadTarget::Factors => "/guardian/factors",
            ReadTarget::PhoneMessageTypes => "/guardian/factors/phone/message-types",
            ReadTarget::PhoneProvider => "/guardian/factors/phone/selected-provider",
            ReadTarget::PhoneTwilio => "/guardian/factors/phone/providers/twilio",
            ReadTarget::PhoneTemplates => "/guardian/factors/phone/templates",
            ReadTarget::PushProvider => "/guardian/factors/push-notification/selected-provider",
            ReadTarget::PushSns => "/guardian/factors/push-notification/providers/sns",
            ReadTarget::PushApns => "/guardian/factors/push-notification/providers/apns",
            ReadTarget::PushCustomApp => "/prompts/mfa-push",
            ReadTarget::Duo => "/guardian/factors/duo/settings",
            ReadTarget::WebAuthnRoaming => "/guardian/factors/webauthn-roaming/settings",
            ReadTarget::WebAuthnPlatform => "/guardian/factors/webauthn-platform/settings",
            ReadTarget::PhoneOtp => "/guardian/factors/phone/settings",
            ReadTarget::EmailOtp => "/guardian/factors/email/settings",
            ReadTarget::TenantPhoneProviders => "/branding/phone/providers",
            ReadTarget::TenantPhoneTemplates => "/branding/phone/templates",
            ReadTarget::MfaSession => "/guardian/settings",
            ReadTarget::TenantSettings => "/tenants/settings",
        }
    }

    /// The managed addresses of `desired` that this read serves.
    pub fn addresses(self, desired: &MfaState) -> Vec<Address> {
        desired
            .managed_addresses()
            .into_iter()
            .filter(|a| ReadTarget::for_address(*a) == Some(self))
            .collect()
    }
}

/// The reads `desired` needs: one per managed readable resource, one for all factors, one
/// for all phone templates, `/tenants/settings` once when anything phone-related is managed
/// (the tenant's phone kind decides which phone endpoints it accepts), and the reads the
/// plan's checks of phone delivery need ([`phone_check_reads`]).
pub fn read_targets(desired: &MfaState) -> Vec<ReadTarget> {
    let managed = desired.managed_addresses();
    let mut set: BTreeSet<ReadTarget> = managed
        .iter()
        .copied()
        .filter_map(ReadTarget::for_address)
        .collect();
    if managed.iter().any(|a| a.is_phone_related()) {
        set.insert(ReadTarget::TenantSettings);
    }
    set.extend(phone_check_reads(desired));
    set.into_iter().collect()
}

/// Reads of resources `desired` may not manage, which the plan needs to check its phone
/// writes (`mfactl_core::plan::preconditions`): the factor list when message types or the phone
/// provider are managed (is the phone factor on, so that message types can be written?), the
/// selected provider when the file offers voice without naming the provider, and the message
/// types when the file selects Auth0's provider without naming them (it cannot place calls).
/// All need `read:guardian_factors`, which managing either already needs.
pub fn phone_check_reads(desired: &MfaState) -> Vec<ReadTarget> {
    let phone = &desired.phone;
    let mut reads = Vec::new();
    if phone.message_types.is_some() || phone.provider.is_some() {
        reads.push(ReadTarget::Factors);
    }
    let offers_voice = phone
        .message_types
        .as_ref()
        .is_some_and(|types| types.contains(&MessageType::Voice));
    if offers_voice && phone.provider.is_none() {
        reads.push(ReadTarget::PhoneProvider);
    }
    if phone.provider == Some(PhoneProvider::Auth0) && phone.message_types.is_none() {
        reads.push(ReadTarget::PhoneMessageTypes);
    }
    reads
}

/// The phone kind of `GET /tenants/settings`, as [`mfactl_core::phone_kind::is_consolidated`] reads it.
pub fn parse_consolidated_phone(body: &Value) -> bool {
    mfactl_core::phone_kind::is_consolidated(
        body.get(mfactl_core::phone_kind::PHONE_CONSOLIDATED_EXPERIENCE),
    )
}

/// Puts the body of `target`'s GET into `live` (only the pieces `desired` manages) and records
/// a fingerprint for each address it serves. An empty answer (`Value::Null`) counts as `{}`.
pub fn absorb_read(
    target: ReadTarget,
    desired: &MfaState,
    body: &Value,
    live: &mut MfaState,
    fingerprints: &mut BTreeMap<Address, String>,
) -> Result<(), String> {
    if target == ReadTarget::Factors {
        let (factors, entries) = parse_factors(body, desired.factors.keys().copied())?;
        for (factor, enabled) in factors {
            live.factors.insert(factor, enabled);
            let entry = entries.get(&factor).cloned().unwrap_or(Value::Null);
            fingerprints.insert(Address::Factor(factor), fingerprint(&entry));
        }
        // The same answer tells every other factor's state: the plan's safety checks need it
        // (is any factor left enabled?) even for factors the file does not manage. They are
        // never planned, only known.
        for factor in Factor::ALL {
            if !live.factors.contains_key(factor)
                && let Ok((other, _)) = parse_factors(body, [*factor])
            {
                live.factors.extend(other);
            }
        }
        return Ok(());
    }
    match target {
        ReadTarget::Policies => live.policies = Some(parse_policies(body)?),
        ReadTarget::PhoneMessageTypes => {
            live.phone.message_types = Some(parse_message_types(body)?)
        }
        ReadTarget::PhoneProvider => live.phone.provider = parse_phone_provider(body)?,
        ReadTarget::PhoneTwilio => live.phone.twilio = Some(parse_twilio(body)?),
        ReadTarget::PhoneTemplates => live.phone.templates = Some(parse_templates(body)?),
        ReadTarget::PushProvider => live.push.provider = parse_push_provider(body)?,
        ReadTarget::PushSns => live.push.sns = Some(parse_sns(body)?),
        ReadTarget::PushApns => live.push.apns = Some(parse_apns(body)?),
        ReadTarget::PushCustomApp => live.push.custom_app = Some(parse_custom_app(body)?),
        ReadTarget::Duo => live.duo = Some(parse_duo(body)?),
        ReadTarget::WebAuthnRoaming => live.webauthn_roaming = Some(parse_webauthn_roaming(body)?),
        ReadTarget::WebAuthnPlatform => {
            live.webauthn_platform = Some(parse_webauthn_platform(body)?)
        }
        ReadTarget::PhoneOtp => live.phone.otp = Some(parse_otp(body)?),
        ReadTarget::EmailOtp => live.email_otp = Some(parse_otp(body)?),
        ReadTarget::MfaSession => live.mfa_session = Some(parse_mfa_session(body)?),
        ReadTarget::TenantSettings => {
            if desired.tenant_settings.is_some() {
                live.tenant_settings = Some(parse_tenant_mfa_settings(body));
                fingerprints.insert(Address::TenantSettings, fingerprint(&mfa_flags_of(body)));
            }
            return Ok(());
        }
        ReadTarget::TenantPhoneProviders => {
            let provider = parse_tenant_phone_providers(body)?;
            let entry = first_provider(body).cloned().unwrap_or(Value::Null);
            fingerprints.insert(Address::TenantPhoneProvider, fingerprint(&entry));
            live.tenant_phone.provider = Some(provider.unwrap_or_default());
            return Ok(());
        }
        ReadTarget::TenantPhoneTemplates => {
            let templates = parse_tenant_phone_templates(body)?;
            for kind in desired.tenant_phone.templates.keys() {
                let (template, entry) = templates
                    .get(kind)
                    .cloned()
                    .unwrap_or((TenantPhoneTemplate::default(), Value::Null));
                fingerprints.insert(Address::TenantPhoneTemplate(*kind), fingerprint(&entry));
                live.tenant_phone.templates.insert(*kind, template);
            }
            return Ok(());
        }
        ReadTarget::Factors => {}
    }
    for address in target.addresses(desired) {
        fingerprints.insert(address, fingerprint(body));
    }
    Ok(())
}

fn u64_field(body: &Value, key: &str) -> Result<Option<u64>, String> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_u64()
            .map(Some)
            .ok_or_else(|| format!("`{key}` is not a whole number")),
    }
}

fn bool_field(body: &Value, key: &str) -> Result<Option<bool>, String> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_bool()
            .map(Some)
            .ok_or_else(|| format!("`{key}` is not true or false")),
    }
}

fn text_field(body: &Value, key: &str) -> Option<String> {
    body.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// `GET /guardian/factors/{phone,email}/settings`.
pub fn parse_otp(body: &Value) -> Result<OtpSettings, String> {
    Ok(OtpSettings {
        length: u64_field(body, "otp_length")?,
        expiration_time: u64_field(body, "otp_expiration_time")?,
    })
}

/// `GET /guardian/settings`.
pub fn parse_mfa_session(body: &Value) -> Result<MfaSessionSettings, String> {
    Ok(MfaSessionSettings {
        display_remember_me_checkbox: bool_field(body, "display_remember_me_checkbox")?,
        remember_me_default_value: bool_field(body, "remember_me_default_value")?,
        inactivity_timeout: u64_field(body, "mfa_session_inactivity_timeout")?,
        overall_timeout: u64_field(body, "mfa_session_overall_timeout")?,
    })
}

/// The MFA keys of `GET /tenants/settings`, the only part a plan fingerprints.
fn mfa_flags_of(body: &Value) -> Value {
    serde_json::json!({
        "customize_mfa_in_postlogin_action": body.get("customize_mfa_in_postlogin_action"),
        "mfa_show_factor_list_on_enrollment": body.get("flags").and_then(|f| f.get("mfa_show_factor_list_on_enrollment")),
    })
}

/// The MFA keys of `GET /tenants/settings`. Unset flags read as `false`, Auth0's default.
pub fn parse_tenant_mfa_settings(body: &Value) -> TenantMfaSettings {
    let flag = |v: Option<&Value>| Some(v.and_then(Value::as_bool).unwrap_or(false));
    TenantMfaSettings {
        customize_mfa_in_postlogin_action: flag(body.get("customize_mfa_in_postlogin_action")),
        mfa_show_factor_list_on_enrollment: flag(
            body.get("flags")
                .and_then(|f| f.get("mfa_show_factor_list_on_enrollment")),
        ),
    }
}

fn first_provider(body: &Value) -> Option<&Value> {
    body.get("providers")
        .and_then(Value::as_array)
        .and_then(|list| list.first())
}

/// `GET /branding/phone/providers`: the tenant's provider, if it has one. Credentials are
/// write-only and never read.
pub fn parse_tenant_phone_providers(body: &Value) -> Result<Option<TenantPhoneProvider>, String> {
    let Some(entry) = first_provider(body) else {
        return Ok(None);
    };
    let configuration = entry.get("configuration").cloned().unwrap_or(Value::Null);
    let delivery_methods = match configuration.get("delivery_methods") {
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .filter_map(Value::as_str)
                .filter_map(DeliveryMethod::parse)
                .collect(),
        ),
        _ => None,
    };
    Ok(Some(TenantPhoneProvider {
        id: text_field(entry, "id"),
        name: entry
            .get("name")
            .and_then(Value::as_str)
            .and_then(TenantPhoneProviderName::parse),
        disabled: bool_field(entry, "disabled")?,
        sid: text_field(&configuration, "sid"),
        default_from: text_field(&configuration, "default_from"),
        mssid: text_field(&configuration, "mssid"),
        delivery_methods,
        auth_token: None,
    }))
}

/// `GET /branding/phone/templates`: the first template of each type, with its JSON entry.
pub fn parse_tenant_phone_templates(
    body: &Value,
) -> Result<BTreeMap<PhoneTemplateType, (TenantPhoneTemplate, Value)>, String> {
    let list = body
        .get("templates")
        .and_then(Value::as_array)
        .ok_or_else(|| "expected `templates`, a list".to_string())?;
    let mut out = BTreeMap::new();
    for entry in list {
        let Some(kind) = entry
            .get("type")
            .and_then(Value::as_str)
            .and_then(PhoneTemplateType::parse)
        else {
            continue;
        };
        if out.contains_key(&kind) {
            continue;
        }
        let content = entry.get("content").cloned().unwrap_or(Value::Null);
        let body_value = content.get("body").cloned().unwrap_or(Value::Null);
        let template = TenantPhoneTemplate {
            id: text_field(entry, "id"),
            disabled: bool_field(entry, "disabled")?,
            from: text_field(&content, "from"),
            text: text_field(&body_value, "text"),
            voice: text_field(&body_value, "voice"),
        };
        out.insert(kind, (template, entry.clone()));
    }
    Ok(out)
}

fn from_body<T: DeserializeOwned>(body: &Value) -> Result<T, String> {
    let body = match body {
        Value::Null => Value::Object(Default::default()),
        other => other.clone(),
    };
    parse_without_leaking(body)
}

/// Deserializes `value`; on failure, the message comes from a copy with every secret field
/// nulled, because serde's messages quote the offending value.
pub fn parse_without_leaking<T: DeserializeOwned>(value: Value) -> Result<T, String> {
    let redacted = redact_secrets(&value);
    serde_json::from_value(value).map_err(|_| match serde_json::from_value::<T>(redacted) {
        Err(e) => e.to_string(),
        Ok(_) => "a secret field has an unexpected type".to_string(),
    })
}

/// `value` with the value of every [`mfactl_core::secret::all_secret_keys`] key, at any depth, replaced by `null`.
pub fn redact_secrets(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, inner)| {
                    let inner = if is_secret_key(key) {
                        Value::Null
                    } else {
                        redact_secrets(inner)
                    };
                    (key.clone(), inner)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(redact_secrets).collect()),
        scalar => scalar.clone(),
    }
}

/// `GET /guardian/policies`.
pub fn parse_policies(body: &Value) -> Result<BTreeSet<Policy>, String> {
    if body.is_null() {
        return Ok(BTreeSet::new());
    }
    let policies: PoliciesBody = from_body(body)?;
    Ok(policies.into_iter().collect())
}

/// The factors read from `GET /guardian/factors`: on/off, and each one's raw entry.
pub type FactorsRead = (BTreeMap<Factor, bool>, BTreeMap<Factor, Value>);

/// `GET /guardian/factors`: the enabled flag of each factor in `wanted`, and each one's raw entry.
pub fn parse_factors(
    body: &Value,
    wanted: impl IntoIterator<Item = Factor>,
) -> Result<FactorsRead, String> {
    let entries = body
        .as_array()
        .ok_or_else(|| "expected a list of factors".to_string())?;
    let mut by_name = BTreeMap::new();
    for entry in entries {
        let status: FactorStatus = from_body(entry)?;
        by_name.insert(status.name.clone(), (status.enabled, entry.clone()));
    }
    let mut enabled = BTreeMap::new();
    let mut raw = BTreeMap::new();
    for factor in wanted {
        let (on, entry) = by_name
            .get(factor.as_str())
            .ok_or_else(|| format!("the factor list has no `{factor}`"))?;
        enabled.insert(factor, *on);
        raw.insert(factor, entry.clone());
    }
    Ok((enabled, raw))
}

/// `GET /guardian/factors/phone/message-types`.
pub fn parse_message_types(body: &Value) -> Result<BTreeSet<MessageType>, String> {
    let parsed: MessageTypesBody = from_body(body)?;
    Ok(parsed
        .message_types
        .unwrap_or_default()
        .into_iter()
        .collect())
}

/// `GET /guardian/factors/phone/selected-provider`.
pub fn parse_phone_provider(body: &Value) -> Result<Option<PhoneProvider>, String> {
    Ok(from_body::<PhoneProviderBody>(body)?.provider)
}

/// `GET /guardian/factors/push-notification/selected-provider`.
pub fn parse_push_provider(body: &Value) -> Result<Option<PushProvider>, String> {
    Ok(from_body::<PushProviderBody>(body)?.provider)
}

/// `GET /guardian/factors/phone/providers/twilio` (nulls become `None`).
pub fn parse_twilio(body: &Value) -> Result<TwilioSettings, String> {
    let b: TwilioBody = from_body(body)?;
    Ok(TwilioSettings {
        sid: b.sid,
        auth_token: b.auth_token,
        from: b.from,
        messaging_service_sid: b.messaging_service_sid,
    })
}

/// `GET /guardian/factors/phone/templates`.
pub fn parse_templates(body: &Value) -> Result<PhoneTemplates, String> {
    let b: TemplatesBody = from_body(body)?;
    Ok(PhoneTemplates {
        enrollment_message: b.enrollment_message,
        verification_message: b.verification_message,
    })
}

/// `GET .../providers/sns`. The secret key is write-only: always `None` here.
pub fn parse_sns(body: &Value) -> Result<SnsSettings, String> {
    let b: SnsBody = from_body(body)?;
    Ok(SnsSettings {
        aws_access_key_id: b.aws_access_key_id,
        aws_secret_access_key: None,
        aws_region: b.aws_region,
        sns_apns_platform_application_arn: b.sns_apns_platform_application_arn,
        sns_gcm_platform_application_arn: b.sns_gcm_platform_application_arn,
    })
}

/// `GET .../providers/apns`. `p12` is write-only (`None`); `enabled` is informational and dropped.
pub fn parse_apns(body: &Value) -> Result<ApnsSettings, String> {
    let b: ApnsBody = from_body(body)?;
    Ok(ApnsSettings {
        bundle_id: b.bundle_id,
        sandbox: b.sandbox,
        p12: None,
    })
}

/// `GET /prompts/mfa-push`.
pub fn parse_custom_app(body: &Value) -> Result<CustomApp, String> {
    let b: CustomAppBody = from_body(body)?;
    Ok(CustomApp {
        app_name: b.app_name,
        apple_app_link: b.apple_app_link,
        google_app_link: b.google_app_link,
    })
}

/// `GET /guardian/factors/duo/settings` (returns `skey`).
pub fn parse_duo(body: &Value) -> Result<DuoSettings, String> {
    let b: DuoBody = from_body(body)?;
    Ok(DuoSettings {
        ikey: b.ikey,
        skey: b.skey,
        host: b.host,
    })
}

/// `GET /guardian/factors/webauthn-roaming/settings` (camelCase keys).
pub fn parse_webauthn_roaming(body: &Value) -> Result<WebAuthnRoamingSettings, String> {
    let b: WebAuthnRoamingBody = from_body(body)?;
    Ok(WebAuthnRoamingSettings {
        user_verification: b.user_verification,
        override_relying_party: b.override_relying_party,
        relying_party_identifier: b.relying_party_identifier,
    })
}

/// `GET /guardian/factors/webauthn-platform/settings` (camelCase keys).
pub fn parse_webauthn_platform(body: &Value) -> Result<WebAuthnPlatformSettings, String> {
    let b: WebAuthnPlatformBody = from_body(body)?;
    Ok(WebAuthnPlatformSettings {
        override_relying_party: b.override_relying_party,
        relying_party_identifier: b.relying_party_identifier,
    })
}

/// Hex SHA-256 of `body` as canonical JSON (object keys sorted, no spaces) with the value of
/// every [`mfactl_core::secret::all_secret_keys`] key replaced by `null`.
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
    use mfactl_core::model::{FcmSettings, UserVerification};
    use mfactl_core::secret::Secret;
    use serde_json::json;

    #[test]
    fn one_read_per_managed_resource_and_one_for_all_factors() {
        let mut desired = MfaState::default();
        desired.factors.insert(Factor::Otp, true);
        desired.factors.insert(Factor::Sms, false);
        desired.push.fcm = Some(FcmSettings::default());
        desired.duo = Some(DuoSettings::default());
        assert_eq!(
            read_targets(&desired),
            [ReadTarget::Factors, ReadTarget::Duo]
        );
        assert!(read_targets(&MfaState::default()).is_empty());
    }

    #[test]
    fn factors_keep_only_the_managed_ones() {
        let body = json!([
            {"name":"sms","enabled":false,"trial_expired":false},
            {"name":"otp","enabled":true,"trial_expired":false},
            {"name":"email","enabled":true,"trial_expired":null, "new_field": 1}
        ]);
        let (enabled, _) = parse_factors(&body, [Factor::Otp, Factor::Email]).unwrap();
        assert_eq!(
            enabled,
            BTreeMap::from([(Factor::Otp, true), (Factor::Email, true)])
        );
        assert!(parse_factors(&body, [Factor::Duo]).is_err());
    }

    #[test]
    fn write_only_secrets_are_none_and_readable_ones_kept() {
        let sns = parse_sns(&json!({"aws_access_key_id":"AK","aws_region":"us-west-1"})).unwrap();
        assert_eq!(sns.aws_secret_access_key, None);
        assert_eq!(sns.aws_region.as_deref(), Some("us-west-1"));
        let apns =
            parse_apns(&json!({"bundle_id":"com.x","sandbox":false,"enabled":true})).unwrap();
        assert_eq!(apns.sandbox, Some(false));
        assert_eq!(apns.p12, None);
        let duo = parse_duo(&json!({"ikey":"k","skey":"s3cr3t","host":"h"})).unwrap();
        assert_eq!(duo.skey, Some(Secret::new("s3cr3t")));
        let twilio = parse_twilio(
            &json!({"auth_token":"t","sid":"s","from":"f","messaging_service_sid":null}),
        )
        .unwrap();
        assert_eq!(twilio.messaging_service_sid, None);
    }

    #[test]
    fn webauthn_and_empty_bodies() {
        let roaming = parse_webauthn_roaming(
            &json!({"userVerification":"required","overrideRelyingParty":false}),
        )
        .unwrap();
        assert_eq!(roaming.user_verification, Some(UserVerification::Required));
        let platform = parse_webauthn_platform(&Value::Null).unwrap();
        assert_eq!(platform, WebAuthnPlatformSettings::default());
        assert_eq!(
            parse_templates(&json!({})).unwrap(),
            PhoneTemplates::default()
        );
    }

    #[test]
    fn parse_errors_never_quote_a_secret() {
        let err = parse_duo(&json!({"ikey": 7, "skey": 12345678, "host": "h"})).unwrap_err();
        assert!(!err.contains("12345678"), "{err}");
        assert!(err.contains("7"), "{err}");
        let err = parse_twilio(&json!({"auth_token": 987654321})).unwrap_err();
        assert!(!err.contains("987654321"), "{err}");
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
        // The canonical text of {"host":"h","ikey":"k","skey":null}.
        let expected: String = Sha256::digest(br#"{"host":"h","ikey":"k","skey":null}"#)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(a, expected);
    }

    #[test]
    fn absorb_knows_every_factor_but_fingerprints_only_managed_ones() {
        let mut desired = MfaState::default();
        desired.factors.insert(Factor::Otp, true);
        let mut live = MfaState::default();
        let mut prints = BTreeMap::new();
        let body = json!([{"name":"otp","enabled":false},{"name":"sms","enabled":true}]);
        absorb_read(ReadTarget::Factors, &desired, &body, &mut live, &mut prints).unwrap();
        assert_eq!(
            live.factors,
            BTreeMap::from([(Factor::Sms, true), (Factor::Otp, false)])
        );
        assert_eq!(
            prints.keys().collect::<Vec<_>>(),
            [&Address::Factor(Factor::Otp)]
        );
    }
}
