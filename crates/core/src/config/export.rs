//! Live tenant → config file text, for `mfactl export`.
//!
//! Secrets are never written: each becomes a `${VAR}` reference with a conventional name, and
//! the header lists the variables to set before `apply`. What the API cannot read back (FCM
//! keys) is named in a comment instead.
//!
//! Whatever export writes passes `validate --strict` and plans empty against the tenant it came
//! from (`tests/export_roundtrip.rs` checks that for random tenants). So:
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

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::live::LiveTenant;
use crate::model::{
    ApnsSettings, CustomApp, DuoSettings, Factor, MfaSessionSettings, MfaState, OtpSettings,
    PhoneSettings, PhoneTemplateType, PhoneTemplates, PushSettings, SnsSettings, TenantMfaSettings,
    TenantPhone, TenantPhoneProvider, TenantPhoneTemplate, TwilioSettings,
    WebAuthnPlatformSettings, WebAuthnRoamingSettings,
};

/// The environment variable each exported secret refers to.
pub const TWILIO_AUTH_TOKEN: &str = "TWILIO_AUTH_TOKEN";
pub const AWS_SECRET_ACCESS_KEY: &str = "AWS_SECRET_ACCESS_KEY";
pub const APNS_P12: &str = "APNS_P12";
pub const DUO_SECRET_KEY: &str = "DUO_SECRET_KEY";

/// How to get editor completion for an exported file. Deliberately not a YAML language server
/// modeline: a file can be written anywhere, and a modeline pointing at a schema path that does
/// not exist beside it (as `../schema/mfactl.schema.json` outside this repository) only makes
/// editors complain.
pub const SCHEMA_HINT: &str = "# Editor completion: save `mfactl schema` as mfactl.schema.json and point your editor's\n# YAML schema setting at it.\n";

/// A desired state that manages every readable resource, so that a live read returns the
/// whole tenant.
pub fn everything() -> MfaState {
    MfaState {
        policies: Some(BTreeSet::new()),
        factors: Factor::ALL.iter().map(|f| (*f, false)).collect(),
        phone: PhoneSettings {
            message_types: Some(BTreeSet::new()),
            provider: Some(crate::model::PhoneProvider::Auth0),
            twilio: Some(TwilioSettings::default()),
            templates: Some(PhoneTemplates::default()),
            otp: Some(OtpSettings::default()),
        },
        push: PushSettings {
            provider: Some(crate::model::PushProvider::Guardian),
            sns: Some(SnsSettings::default()),
            apns: Some(ApnsSettings::default()),
            fcm: None,
            fcmv1: None,
            custom_app: Some(CustomApp::default()),
        },
        duo: Some(DuoSettings::default()),
        webauthn_roaming: Some(WebAuthnRoamingSettings::default()),
        webauthn_platform: Some(WebAuthnPlatformSettings::default()),
        email_otp: Some(OtpSettings::default()),
        tenant_phone: TenantPhone {
            provider: Some(TenantPhoneProvider::default()),
            templates: PhoneTemplateType::ALL
                .iter()
                .map(|t| (*t, TenantPhoneTemplate::default()))
                .collect(),
        },
        mfa_session: Some(MfaSessionSettings::default()),
        tenant_settings: Some(TenantMfaSettings::default()),
    }
}

#[derive(Serialize)]
struct ExportFile {
    version: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    tenant: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    policies: Option<Vec<String>>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    factors: BTreeMap<Factor, bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<ExportPhone>,
    #[serde(skip_serializing_if = "Option::is_none")]
    push: Option<ExportPush>,
    #[serde(skip_serializing_if = "Option::is_none")]
    duo: Option<ExportDuo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    webauthn_roaming: Option<ExportWebAuthnRoaming>,
    #[serde(skip_serializing_if = "Option::is_none")]
    webauthn_platform: Option<ExportWebAuthnPlatform>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<ExportEmail>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tenant_phone: Option<ExportTenantPhone>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mfa_session: Option<ExportMfaSession>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tenant_settings: Option<ExportTenantSettings>,
}

#[derive(Serialize)]
struct ExportOtp {
    #[serde(skip_serializing_if = "Option::is_none")]
    length: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expiration_time: Option<u64>,
}

impl ExportOtp {
    fn of(otp: &OtpSettings) -> Option<Self> {
        (otp.length.is_some() || otp.expiration_time.is_some()).then_some(ExportOtp {
            length: otp.length,
            expiration_time: otp.expiration_time,
        })
    }
}

#[derive(Serialize)]
struct ExportEmail {
    otp: ExportOtp,
}

#[derive(Serialize)]
struct ExportTenantPhone {
    #[serde(skip_serializing_if = "Option::is_none")]
    provider: Option<ExportTenantPhoneProvider>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    templates: BTreeMap<PhoneTemplateType, ExportTenantPhoneTemplate>,
}

#[derive(Serialize)]
struct ExportTenantPhoneProvider {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    disabled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    sid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    auth_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    default_from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mssid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    delivery_methods: Option<Vec<String>>,
}

#[derive(Serialize)]
struct ExportTenantPhoneTemplate {
    #[serde(skip_serializing_if = "Option::is_none")]
    disabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    voice: Option<String>,
}

#[derive(Serialize)]
struct ExportMfaSession {
    #[serde(skip_serializing_if = "Option::is_none")]
    display_remember_me_checkbox: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    remember_me_default_value: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    inactivity_timeout: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    overall_timeout: Option<u64>,
}

#[derive(Serialize)]
struct ExportTenantSettings {
    #[serde(skip_serializing_if = "Option::is_none")]
    customize_mfa_in_postlogin_action: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mfa_show_factor_list_on_enrollment: Option<bool>,
}

#[derive(Serialize)]
struct ExportPhone {
    #[serde(skip_serializing_if = "Option::is_none")]
    message_types: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    otp: Option<ExportOtp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    provider: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    twilio: Option<ExportTwilio>,
    #[serde(skip_serializing_if = "Option::is_none")]
    templates: Option<ExportTemplates>,
}

#[derive(Serialize)]
struct ExportTwilio {
    #[serde(skip_serializing_if = "Option::is_none")]
    sid: Option<String>,
    auth_token: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    messaging_service_sid: Option<String>,
}

#[derive(Serialize)]
struct ExportTemplates {
    #[serde(skip_serializing_if = "Option::is_none")]
    enrollment_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    verification_message: Option<String>,
}

#[derive(Serialize)]
struct ExportPush {
    #[serde(skip_serializing_if = "Option::is_none")]
    provider: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sns: Option<ExportSns>,
    #[serde(skip_serializing_if = "Option::is_none")]
    apns: Option<ExportApns>,
    #[serde(skip_serializing_if = "Option::is_none")]
    custom_app: Option<ExportCustomApp>,
}

#[derive(Serialize)]
struct ExportSns {
    #[serde(skip_serializing_if = "Option::is_none")]
    aws_access_key_id: Option<String>,
    aws_secret_access_key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    aws_region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sns_apns_platform_application_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sns_gcm_platform_application_arn: Option<String>,
}

#[derive(Serialize)]
struct ExportApns {
    #[serde(skip_serializing_if = "Option::is_none")]
    bundle_id: Option<String>,
    sandbox: bool,
    p12: String,
}

#[derive(Serialize)]
struct ExportCustomApp {
    #[serde(skip_serializing_if = "Option::is_none")]
    app_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    apple_app_link: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    google_app_link: Option<String>,
}

#[derive(Serialize)]
struct ExportDuo {
    #[serde(skip_serializing_if = "Option::is_none")]
    ikey: Option<String>,
    skey: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    host: Option<String>,
}

#[derive(Serialize)]
struct ExportWebAuthnRoaming {
    #[serde(skip_serializing_if = "Option::is_none")]
    user_verification: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    override_relying_party: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    relying_party_identifier: Option<String>,
}

#[derive(Serialize)]
struct ExportWebAuthnPlatform {
    #[serde(skip_serializing_if = "Option::is_none")]
    override_relying_party: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    relying_party_identifier: Option<String>,
}

/// The result of an export: the file's text and the variables it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    pub text: String,
    /// Environment variables the file refers to, to set before `apply`.
    pub variables: Vec<&'static str>,
}

fn reference(name: &'static str, variables: &mut Vec<&'static str>) -> String {
    variables.push(name);
    format!("${{{name}}}")
}

fn is_loopback(domain: &str) -> bool {
    let host = domain
        .trim_start_matches("http://")
        .trim_start_matches("https://");
    host.starts_with("127.") || host.starts_with("localhost") || host.starts_with("[::1]")
}

/// Writes the live tenant as a config file. `tool_version` goes into the header comment.
pub fn export(live: &LiveTenant, tool_version: &str) -> Result<Export, String> {
    let state = &live.state;
    let mut variables = Vec::new();
    let consolidated = live.consolidated_phone == Some(true);
    let off = |factor: Factor| state.factors.get(&factor) == Some(&false);
    let phone = (!off(Factor::Sms))
        .then(|| export_phone(&state.phone, consolidated, &mut variables))
        .flatten();
    let tenant_phone = consolidated
        .then(|| export_tenant_phone(&state.tenant_phone, &mut variables))
        .flatten();
    let push = (!off(Factor::PushNotification))
        .then(|| export_push(&state.push, &mut variables))
        .flatten();
    let duo = state
        .duo
        .as_ref()
        .filter(|_| !off(Factor::Duo))
        .filter(|d| d.ikey.is_some() || d.host.is_some() || d.skey.is_some())
        .map(|d| ExportDuo {
            ikey: d.ikey.clone(),
            skey: reference(DUO_SECRET_KEY, &mut variables),
            host: d.host.clone(),
        });
    let file = ExportFile {
        version: 1,
        tenant: (!is_loopback(&live.domain)).then(|| live.domain.to_ascii_lowercase()),
        policies: state
            .policies
            .as_ref()
            .filter(|_| !locked_out(state))
            .map(|p| p.iter().map(|p| p.to_string()).collect()),
        factors: state.factors.clone(),
        phone,
        push,
        duo,
        webauthn_roaming: state
            .webauthn_roaming
            .as_ref()
            .filter(|_| !off(Factor::WebauthnRoaming))
            .map(|w| ExportWebAuthnRoaming {
                user_verification: w.user_verification.map(|u| u.to_string()),
                override_relying_party: w.override_relying_party,
                relying_party_identifier: w
                    .relying_party_identifier
                    .clone()
                    .filter(|_| w.override_relying_party == Some(true)),
            }),
        webauthn_platform: state
            .webauthn_platform
            .as_ref()
            .filter(|_| !off(Factor::WebauthnPlatform))
            .map(|w| ExportWebAuthnPlatform {
                override_relying_party: w.override_relying_party,
                relying_party_identifier: w
                    .relying_party_identifier
                    .clone()
                    .filter(|_| w.override_relying_party == Some(true)),
            }),
        email: state
            .email_otp
            .as_ref()
            .filter(|_| !off(Factor::Email))
            .and_then(ExportOtp::of)
            .map(|otp| ExportEmail { otp }),
        tenant_phone,
        mfa_session: state
            .mfa_session
            .as_ref()
            .filter(|m| **m != MfaSessionSettings::default())
            .map(|m| ExportMfaSession {
                display_remember_me_checkbox: m.display_remember_me_checkbox,
                remember_me_default_value: m.remember_me_default_value,
                inactivity_timeout: m.inactivity_timeout,
                overall_timeout: m.overall_timeout,
            }),
        tenant_settings: state
            .tenant_settings
            .as_ref()
            .filter(|t| **t != TenantMfaSettings::default())
            .map(|t| ExportTenantSettings {
                customize_mfa_in_postlogin_action: t.customize_mfa_in_postlogin_action,
                mfa_show_factor_list_on_enrollment: t.mfa_show_factor_list_on_enrollment,
            }),
    };
    let body = serde_saphyr::to_string(&file).map_err(|e| e.to_string())?;
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
    let left_out: Vec<&str> = Factor::ALL
        .iter()
        .filter(|f| off(**f))
        .filter_map(|f| f.settings_section())
        .collect();
    if !left_out.is_empty() {
        text.push_str(&format!(
            "# Left out, as their factors are off (the tenant keeps them as they are; add a\n# section back to manage it): {}.\n",
            left_out.join(", ")
        ));
    }
    if locked_out(state) {
        text.push_str(
            "# `policies` is left out: the tenant requires MFA while no factor is enabled, so nobody\n# can log in. Enable a factor, then set `policies`.\n",
        );
    }
    if state.push.provider == Some(crate::model::PushProvider::Direct)
        && !off(Factor::PushNotification)
    {
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

/// Whether the tenant requires MFA while every factor is off (nobody can log in).
fn locked_out(state: &MfaState) -> bool {
    let requires_mfa = state.policies.as_ref().is_some_and(|p| !p.is_empty());
    let all_known = Factor::ALL.iter().all(|f| state.factors.contains_key(f));
    requires_mfa && all_known && state.factors.values().all(|on| !on)
}

fn export_tenant_phone(
    tenant_phone: &TenantPhone,
    variables: &mut Vec<&'static str>,
) -> Option<ExportTenantPhone> {
    let provider = tenant_phone
        .provider
        .as_ref()
        .filter(|p| p.name.is_some())
        .map(|p| {
            let twilio = p.name == Some(crate::model::TenantPhoneProviderName::Twilio);
            ExportTenantPhoneProvider {
                name: p.name.map(|n| n.to_string()),
                disabled: p.disabled.unwrap_or(false),
                sid: p.sid.clone(),
                auth_token: twilio.then(|| reference(TWILIO_AUTH_TOKEN, variables)),
                default_from: p.default_from.clone(),
                mssid: p.mssid.clone(),
                delivery_methods: p
                    .delivery_methods
                    .as_ref()
                    .map(|m| m.iter().map(|d| d.to_string()).collect()),
            }
        });
    let templates: BTreeMap<PhoneTemplateType, ExportTenantPhoneTemplate> = tenant_phone
        .templates
        .iter()
        .filter(|(_, t)| t.text.is_some() || t.voice.is_some() || t.from.is_some())
        .map(|(kind, t)| {
            (
                *kind,
                ExportTenantPhoneTemplate {
                    disabled: t.disabled,
                    from: t.from.clone(),
                    text: t.text.clone(),
                    voice: t.voice.clone(),
                },
            )
        })
        .collect();
    (provider.is_some() || !templates.is_empty()).then_some(ExportTenantPhone {
        provider,
        templates,
    })
}

fn export_phone(
    phone: &PhoneSettings,
    consolidated: bool,
    variables: &mut Vec<&'static str>,
) -> Option<ExportPhone> {
    let legacy = |keep: bool| keep && !consolidated;
    let twilio = phone
        .twilio
        .as_ref()
        .filter(|_| legacy(true))
        .filter(|t| {
            t.sid.is_some()
                || t.from.is_some()
                || t.messaging_service_sid.is_some()
                || t.auth_token.is_some()
        })
        .map(|t| ExportTwilio {
            sid: t.sid.clone(),
            auth_token: reference(TWILIO_AUTH_TOKEN, variables),
            from: t.from.clone(),
            messaging_service_sid: t.messaging_service_sid.clone(),
        });
    let templates = phone
        .templates
        .as_ref()
        .filter(|_| legacy(true))
        .filter(|t| t.enrollment_message.is_some() || t.verification_message.is_some())
        .map(|t| ExportTemplates {
            enrollment_message: t.enrollment_message.clone(),
            verification_message: t.verification_message.clone(),
        });
    let out = ExportPhone {
        message_types: phone
            .message_types
            .as_ref()
            .filter(|m| !m.is_empty())
            .map(|m| m.iter().map(|t| t.to_string()).collect()),
        otp: phone.otp.as_ref().and_then(ExportOtp::of),
        provider: phone
            .provider
            .filter(|_| legacy(true))
            .map(|p| p.to_string()),
        twilio,
        templates,
    };
    let empty = out.message_types.is_none()
        && out.otp.is_none()
        && out.provider.is_none()
        && out.twilio.is_none()
        && out.templates.is_none();
    (!empty).then_some(out)
}

fn export_push(push: &PushSettings, variables: &mut Vec<&'static str>) -> Option<ExportPush> {
    let sns = push
        .sns
        .as_ref()
        .filter(|s| s.aws_access_key_id.is_some() || s.aws_region.is_some())
        .map(|s| ExportSns {
            aws_access_key_id: s.aws_access_key_id.clone(),
            aws_secret_access_key: reference(AWS_SECRET_ACCESS_KEY, variables),
            aws_region: s.aws_region.clone(),
            sns_apns_platform_application_arn: s.sns_apns_platform_application_arn.clone(),
            sns_gcm_platform_application_arn: s.sns_gcm_platform_application_arn.clone(),
        });
    let apns = push
        .apns
        .as_ref()
        .filter(|a| a.bundle_id.is_some())
        .map(|a| ExportApns {
            bundle_id: a.bundle_id.clone(),
            sandbox: a.sandbox.unwrap_or(false),
            p12: reference(APNS_P12, variables),
        });
    let custom_app = push
        .custom_app
        .as_ref()
        .filter(|c| {
            c.app_name.is_some() || c.apple_app_link.is_some() || c.google_app_link.is_some()
        })
        .map(|c| ExportCustomApp {
            app_name: c.app_name.clone(),
            apple_app_link: c.apple_app_link.clone(),
            google_app_link: c.google_app_link.clone(),
        });
    let out = ExportPush {
        provider: push.provider.map(|p| p.to_string()),
        sns,
        apns,
        custom_app,
    };
    let empty = out.provider.is_none()
        && out.sns.is_none()
        && out.apns.is_none()
        && out.custom_app.is_none();
    (!empty).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::load_str;
    use crate::model::{MessageType, Policy, PushProvider, UserVerification};
    use crate::secret::Secret;

    fn configured_tenant() -> LiveTenant {
        let mut state = everything();
        state.policies = Some([Policy::AllApplications].into());
        for factor in [
            Factor::Otp,
            Factor::Sms,
            Factor::PushNotification,
            Factor::Duo,
            Factor::WebauthnRoaming,
            Factor::WebauthnPlatform,
        ] {
            state.factors.insert(factor, true);
        }
        state.phone.message_types = Some([MessageType::Sms, MessageType::Voice].into());
        state.phone.provider = Some(crate::model::PhoneProvider::Twilio);
        state.phone.twilio = Some(TwilioSettings {
            sid: Some("AC00000000000000000000000000000000".into()),
            auth_token: Some(Secret::new("live-twilio-token")),
            from: Some("+15550001111".into()),
            messaging_service_sid: None,
        });
        state.phone.templates = Some(PhoneTemplates {
            enrollment_message: Some("{{code}} is your code: yes".into()),
            verification_message: Some("{{code}}".into()),
        });
        state.push.provider = Some(PushProvider::Sns);
        state.push.sns = Some(SnsSettings {
            aws_access_key_id: Some("AKIA1".into()),
            aws_secret_access_key: None,
            aws_region: Some("us-east-1".into()),
            sns_apns_platform_application_arn: Some("arn:aws:sns:us-east-1:1:app/APNS/a".into()),
            sns_gcm_platform_application_arn: None,
        });
        state.duo = Some(DuoSettings {
            ikey: Some("DI1".into()),
            skey: Some(Secret::new("live-duo-skey")),
            host: Some("api-1.duosecurity.com".into()),
        });
        state.webauthn_roaming = Some(WebAuthnRoamingSettings {
            user_verification: Some(UserVerification::Required),
            override_relying_party: Some(false),
            relying_party_identifier: None,
        });
        state.webauthn_platform = Some(WebAuthnPlatformSettings {
            override_relying_party: Some(false),
            relying_party_identifier: None,
        });
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
            [TWILIO_AUTH_TOKEN, AWS_SECRET_ACCESS_KEY, DUO_SECRET_KEY]
        );
        let env = |name: &str| match name {
            TWILIO_AUTH_TOKEN => Some("live-twilio-token".to_string()),
            DUO_SECRET_KEY => Some("live-duo-skey".to_string()),
            AWS_SECRET_ACCESS_KEY => Some("whatever".to_string()),
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
        if let Some(sns) = expected.push.sns.as_mut() {
            sns.aws_secret_access_key = Some(Secret::new("whatever"));
        }
        // The export leaves out what the tenant does not use, and Tenant Phone Settings on a
        // tenant whose MFA does not use them.
        expected.push.apns = None;
        expected.push.custom_app = None;
        expected.phone.otp = None;
        expected.email_otp = None;
        expected.tenant_phone = TenantPhone::default();
        expected.mfa_session = None;
        expected.tenant_settings = None;
        assert_eq!(config.state, expected);
    }

    #[test]
    fn a_new_tenant_exports_only_what_it_has() {
        let mut live = LiveTenant {
            domain: "127.0.0.1:4000".into(),
            state: everything(),
            ..LiveTenant::default()
        };
        live.state.phone.provider = None;
        live.state.push.provider = Some(PushProvider::Guardian);
        live.state.webauthn_roaming = Some(WebAuthnRoamingSettings {
            user_verification: Some(UserVerification::Preferred),
            override_relying_party: Some(false),
            relying_party_identifier: None,
        });
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
}
