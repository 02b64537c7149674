//! Whatever `mfactl export` writes passes `validate --strict` and plans empty against the tenant
//! it came from: a property test over random emulator states.
//!
//! The states are ones the API can hold and a valid mfactl file could have written (a new
//! tenant's defaults, factors on and off in any mix, either phone kind, providers configured
//! or not). Values the validator checks for plausibility (a Twilio SID, an E.164 number, a
//! template with its code, an SNS ARN) are plausible here: the property is about what export
//! chooses to write, not about a tenant holding implausible values.
//!
//! The export is read as `mfactl export` reads it: every resource, then the MFA prompts' texts
//! in the tenant's languages.

use mfactl_client::{Client, read_live};
use mfactl_core::config::export::{everything, export, with_prompt_languages};
use mfactl_core::config::load_str;
use mfactl_core::live::LiveTenant;
use mfactl_core::model::{
    Factor, MessageType, MfaState, PhoneProvider, Policy, PushProvider, UserVerification,
};
use mfactl_core::phone_kind::PHONE_CONSOLIDATED_EXPERIENCE;
use mfactl_core::plan::{DiffOptions, diff};
use mfactl_emulator::EmulatorConfig;
use mfactl_emulator::tenant::{FactorState, TenantState};
use mfactl_emulator::tenant_phone::{
    PhoneProviderConfiguration, PhoneProviderCredentials, PhoneProviderRecord,
};
use proptest::prelude::*;
use serde_json::{Value, json};

use crate::support::{client_for, emulator_with, fast_options};

/// The Tenant Phone Settings provider of a seed.
#[derive(Debug, Clone)]
struct TenantProviderSeed {
    twilio: bool,
    text: bool,
    voice: bool,
    disabled: bool,
}

/// The random parts of a tenant.
#[derive(Debug, Clone)]
struct Seed {
    factors: Vec<bool>,
    policy: Option<Policy>,
    consolidated: bool,
    factor_existed: bool,
    sms: bool,
    voice: bool,
    phone_provider: PhoneProvider,
    twilio: Option<bool>,
    custom_templates: bool,
    push_provider: PushProvider,
    sns: bool,
    apns: Option<bool>,
    custom_app: bool,
    duo: bool,
    user_verification: UserVerification,
    roaming_rp: bool,
    platform_rp: bool,
    phone_otp: (i64, i64),
    email_otp: (i64, i64),
    session: (bool, bool, i64, i64),
    flags: (bool, bool),
    tenant_provider: Option<TenantProviderSeed>,
    /// Custom texts of the SMS prompt in English, and whether French is a tenant language
    /// with texts of its own.
    prompt_texts: Option<bool>,
}

fn seeds() -> impl Strategy<Value = Seed> {
    let phone = (
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        prop::sample::select(PhoneProvider::ALL.to_vec()),
        prop::option::of(any::<bool>()),
        any::<bool>(),
    );
    let push = (
        prop::sample::select(PushProvider::ALL.to_vec()),
        any::<bool>(),
        prop::option::of(any::<bool>()),
        any::<bool>(),
    );
    let others = (
        any::<bool>(),
        prop::sample::select(UserVerification::ALL.to_vec()),
        any::<bool>(),
        any::<bool>(),
        (4i64..=10, 30i64..=3600),
        (4i64..=10, 30i64..=3600),
        (
            any::<bool>(),
            any::<bool>(),
            3600i64..=2_592_000,
            0i64..=5_184_000,
        ),
        (any::<bool>(), any::<bool>()),
    );
    let tenant_provider = prop::option::of(
        (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()).prop_map(
            |(twilio, text, voice, disabled)| TenantProviderSeed {
                twilio,
                text,
                voice,
                disabled,
            },
        ),
    );
    (
        prop::collection::vec(any::<bool>(), 8),
        prop::option::of(prop::sample::select(Policy::ALL.to_vec())),
        any::<bool>(),
        phone,
        push,
        others,
        tenant_provider,
        prop::option::of(any::<bool>()),
    )
        .prop_map(
            |(
                factors,
                policy,
                consolidated,
                phone,
                push,
                others,
                tenant_provider,
                prompt_texts,
            )| Seed {
                factors,
                policy,
                consolidated,
                factor_existed: phone.0,
                sms: phone.1,
                voice: phone.2,
                custom_templates: phone.3,
                phone_provider: phone.4,
                twilio: phone.5,
                push_provider: push.0,
                sns: push.1,
                apns: push.2,
                custom_app: push.3,
                duo: others.0,
                user_verification: others.1,
                roaming_rp: others.2,
                platform_rp: others.3,
                phone_otp: others.4,
                email_otp: others.5,
                session: others.6,
                flags: others.7,
                tenant_provider,
                prompt_texts,
            },
        )
}

const TWILIO_TOKEN: &str = "seeded-twilio-token-1";
const DUO_KEY: &str = "seeded-duo-skey-1";

/// Sets a settings resource of the emulated tenant: the API's JSON object at its plan address.
fn set(tenant: &mut TenantState, address: &str, value: Value) {
    match value {
        Value::Object(map) => {
            tenant.settings.insert(address.to_string(), map);
        }
        other => panic!("{address}: not an object: {other}"),
    }
}

/// The tenant a seed describes.
fn tenant_of(seed: &Seed) -> TenantState {
    let mut tenant = TenantState::new_tenant(seed.consolidated);
    tenant.factors = Factor::ALL
        .iter()
        .zip(&seed.factors)
        .map(|(name, enabled)| FactorState {
            name: *name,
            enabled: *enabled,
            trial_expired: false,
        })
        .collect();
    tenant.policies = seed.policy.into_iter().collect();
    let sms_on = seed.factors[0];
    tenant.phone_factor_exists = seed.factor_existed || sms_on;
    // Auth0's own provider sends text messages only.
    let voice = seed.voice && seed.phone_provider != PhoneProvider::Auth0;
    let message_types: Vec<MessageType> =
        [(seed.sms, MessageType::Sms), (voice, MessageType::Voice)]
            .into_iter()
            .filter(|(on, _)| *on)
            .map(|(_, t)| t)
            .collect();
    set(
        &mut tenant,
        "phone.message_types",
        json!({ "message_types": message_types }),
    );
    set(
        &mut tenant,
        "phone.provider",
        json!({ "provider": seed.phone_provider }),
    );
    if let Some(messaging_service) = seed.twilio {
        // Voice calls need a `from` number; a Messaging Service sends text only.
        let use_service = messaging_service && !voice;
        set(
            &mut tenant,
            "phone.twilio",
            json!({
                "auth_token": TWILIO_TOKEN,
                "sid": format!("AC{}", "0".repeat(32)),
                "from": (!use_service).then_some("+15550001111"),
                "messaging_service_sid": use_service.then(|| format!("MG{}", "1".repeat(32))),
            }),
        );
    }
    if seed.custom_templates {
        set(
            &mut tenant,
            "phone.templates",
            json!({
                "enrollment_message": "{{code}} enrols you",
                "verification_message": "{{code}} lets you in"
            }),
        );
    }
    set(
        &mut tenant,
        "push.provider",
        json!({ "provider": seed.push_provider }),
    );
    if seed.sns {
        set(
            &mut tenant,
            "push.sns",
            json!({
                "aws_access_key_id": "AKIAEXAMPLE",
                "aws_secret_access_key": "seeded-aws-secret",
                "aws_region": "eu-west-1",
                "sns_apns_platform_application_arn": "arn:aws:sns:eu-west-1:1:app/APNS/a",
                "sns_gcm_platform_application_arn": null
            }),
        );
    }
    if let Some(sandbox) = seed.apns {
        set(
            &mut tenant,
            "push.apns",
            json!({"bundle_id": "com.example.app", "sandbox": sandbox, "p12": "seeded-p12"}),
        );
    }
    if seed.custom_app {
        set(
            &mut tenant,
            "push.custom_app",
            json!({
                "google_app_link": "https://play.google.com/store/apps/details?id=x",
                "app_name": "Example"
            }),
        );
    }
    if seed.duo {
        set(
            &mut tenant,
            "duo",
            json!({
                "ikey": "DIXXXXXXXXXXXXXXXXXX",
                "skey": DUO_KEY,
                "host": "api-1234abcd.duosecurity.com"
            }),
        );
    }
    let relying_party = |on: bool| on.then_some("example.com");
    set(
        &mut tenant,
        "webauthn_roaming",
        json!({
            "userVerification": seed.user_verification,
            "overrideRelyingParty": seed.roaming_rp,
            "relyingPartyIdentifier": relying_party(seed.roaming_rp)
        }),
    );
    set(
        &mut tenant,
        "webauthn_platform",
        json!({
            "overrideRelyingParty": seed.platform_rp,
            "relyingPartyIdentifier": relying_party(seed.platform_rp)
        }),
    );
    for (address, (length, expiration)) in
        [("phone.otp", seed.phone_otp), ("email.otp", seed.email_otp)]
    {
        set(
            &mut tenant,
            address,
            json!({"otp_length": length, "otp_expiration_time": expiration}),
        );
    }
    let (checkbox, remember, inactivity, extra) = seed.session;
    set(
        &mut tenant,
        "mfa_session",
        json!({
            "display_remember_me_checkbox": checkbox,
            "remember_me_default_value": remember,
            "mfa_session_inactivity_timeout": inactivity,
            "mfa_session_overall_timeout": (inactivity + extra).min(7_776_000)
        }),
    );
    tenant.tenant_settings.insert(
        "customize_mfa_in_postlogin_action".into(),
        seed.flags.0.into(),
    );
    if let Some(flags) = tenant
        .tenant_settings
        .get_mut("flags")
        .and_then(|f| f.as_object_mut())
    {
        flags.insert(
            "mfa_show_factor_list_on_enrollment".into(),
            seed.flags.1.into(),
        );
    }
    if let Some(french) = seed.prompt_texts {
        set(
            &mut tenant,
            "prompts.mfa-sms.en",
            json!({"mfa-sms-enrollment": {"title": "Secure your account"}}),
        );
        if french {
            tenant
                .tenant_settings
                .insert("enabled_locales".into(), json!(["en", "fr"]));
            set(
                &mut tenant,
                "prompts.mfa.fr",
                json!({"mfa-login-options": {"title": "Choisissez"}}),
            );
        }
    }
    if let Some(provider) = &seed.tenant_provider {
        // The provider must deliver what MFA's message types need.
        let text = provider.text || seed.sms || !(provider.voice || voice);
        let voice_delivery = provider.voice || voice;
        let methods: Vec<String> = [(text, "text"), (voice_delivery, "voice")]
            .into_iter()
            .filter(|(on, _)| *on)
            .map(|(_, m)| m.to_string())
            .collect();
        tenant.tenant_phone.provider = Some(PhoneProviderRecord {
            id: "pro_seeded000000000000001".into(),
            name: if provider.twilio { "twilio" } else { "custom" }.into(),
            disabled: provider.disabled,
            configuration: PhoneProviderConfiguration {
                sid: provider.twilio.then(|| format!("AC{}", "2".repeat(32))),
                default_from: provider.twilio.then(|| "+15550002222".into()),
                mssid: None,
                delivery_methods: methods,
            },
            credentials: provider.twilio.then(|| PhoneProviderCredentials {
                auth_token: Some("seeded-tenant-phone-token".into()),
            }),
            created_at: "2025-01-01T00:00:00.000Z".into(),
            updated_at: "2025-01-01T00:00:00.000Z".into(),
        });
    }
    assert_eq!(
        tenant
            .tenant_settings
            .get(PHONE_CONSOLIDATED_EXPERIENCE)
            .and_then(|v| v.as_bool()),
        Some(seed.consolidated)
    );
    tenant
}

/// The environment a user exporting this tenant sets: the secrets the tenant holds.
fn secret_env(name: &str) -> Option<String> {
    match name {
        "TWILIO_AUTH_TOKEN" => Some(TWILIO_TOKEN.into()),
        "DUO_SECRET_KEY" => Some(DUO_KEY.into()),
        "AWS_SECRET_ACCESS_KEY" | "APNS_P12" => Some("write-only-value".into()),
        _ => None,
    }
}

/// The tenant as `mfactl export` reads it: every resource, then the prompt texts of the
/// tenant's languages.
async fn read_for_export(client: &Client) -> Result<LiveTenant, String> {
    let mut live = read_live(client, &everything())
        .await
        .map_err(|e| e.to_string())?;
    let languages = live.enabled_locales.clone().unwrap_or_default();
    let prompts = with_prompt_languages(&languages);
    let texts = read_live(client, &prompts)
        .await
        .map_err(|e| e.to_string())?;
    live.state.resources.extend(texts.state.resources);
    live.unavailable.extend(texts.unavailable);
    Ok(live)
}

/// Exports the tenant, validates the file strictly and plans it against the same tenant.
async fn export_validate_plan(tenant: TenantState) -> Result<(), String> {
    let emulator = emulator_with(EmulatorConfig {
        state: Some(tenant),
        ..EmulatorConfig::default()
    })
    .await;
    let client = client_for(&emulator, fast_options());
    let live = read_for_export(&client).await?;
    let exported = export(&live, "test")?;
    let loaded = load_str("export.yaml", &exported.text, Some(&secret_env));
    if !loaded.is_usable(true) {
        return Err(format!(
            "the export fails validate --strict: {:?}\n{}",
            loaded.diagnostics, exported.text
        ));
    }
    let desired: MfaState = loaded.config.map(|c| c.state).unwrap_or_default();
    let again = read_live(&client, &desired)
        .await
        .map_err(|e| e.to_string())?;
    let plan = diff(&desired, &again, &DiffOptions::default()).map_err(|e| e.to_string())?;
    if !plan.is_empty() {
        let addresses: Vec<String> = plan.changes.iter().map(|c| c.address.to_string()).collect();
        return Err(format!(
            "the export does not plan empty: {addresses:?}\n{}",
            exported.text
        ));
    }
    emulator.shutdown();
    Ok(())
}

#[test]
fn an_untouched_new_tenant_exports_a_strictly_valid_file_that_plans_empty() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    for consolidated in [false, true] {
        let result = runtime.block_on(export_validate_plan(TenantState::new_tenant(consolidated)));
        assert_eq!(result, Ok(()), "consolidated: {consolidated}");
    }
}

#[test]
fn a_tenant_nobody_can_log_in_to_exports_without_its_policies() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut tenant = TenantState::new_tenant(false);
    tenant.policies = vec![Policy::AllApplications];
    assert_eq!(runtime.block_on(export_validate_plan(tenant)), Ok(()));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn every_export_is_strictly_valid_and_plans_empty(seed in seeds()) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let result = runtime.block_on(export_validate_plan(tenant_of(&seed)));
        prop_assert_eq!(result, Ok(()), "{:?}", seed);
    }
}
