//! Whatever `mfactl export` writes passes `validate --strict` and plans empty against the tenant
//! it came from: a property test over random emulator states.
//!
//! The states are ones the API can hold and a valid mfactl file could have written (a new
//! tenant's defaults, factors on and off in any mix, either phone kind, providers configured
//! or not). Values the validator checks for plausibility (a Twilio SID, an E.164 number, a
//! template with its code, an SNS ARN) are plausible here: the property is about what export
//! chooses to write, not about a tenant holding implausible values.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod api_support;

use api_support::*;
use mfactl::api::read_live;
use mfactl::config::export::{
    APNS_P12, AWS_SECRET_ACCESS_KEY, DUO_SECRET_KEY, TWILIO_AUTH_TOKEN, everything, export,
};
use mfactl::config::load_str;
use mfactl::emulator::EmulatorConfig;
use mfactl::emulator::tenant::{
    ApnsState, DuoState, FactorState, MfaPushPrompt, SnsState, TenantState, TwilioState,
};
use mfactl::emulator::tenant_phone::{
    PhoneProviderConfiguration, PhoneProviderCredentials, PhoneProviderRecord,
};
use mfactl::model::{Factor, MessageType, PhoneProvider, Policy, PushProvider, UserVerification};
use mfactl::phone_kind::PHONE_CONSOLIDATED_EXPERIENCE;
use mfactl::plan::{DiffOptions, diff};
use proptest::prelude::*;

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
    )
        .prop_map(
            |(factors, policy, consolidated, phone, push, others, tenant_provider)| Seed {
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
            },
        )
}

const TWILIO_TOKEN: &str = "seeded-twilio-token-1";
const DUO_KEY: &str = "seeded-duo-skey-1";

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
    tenant.phone.factor_exists = seed.factor_existed || sms_on;
    // Auth0's own provider sends text messages only.
    let voice = seed.voice && seed.phone_provider != PhoneProvider::Auth0;
    tenant.phone.message_types = [(seed.sms, MessageType::Sms), (voice, MessageType::Voice)]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, t)| t)
        .collect();
    tenant.phone.selected_provider = seed.phone_provider;
    if let Some(messaging_service) = seed.twilio {
        // Voice calls need a `from` number; a Messaging Service sends text only.
        let use_service = messaging_service && !voice;
        tenant.phone.twilio = TwilioState {
            auth_token: Some(TWILIO_TOKEN.into()),
            sid: Some(format!("AC{}", "0".repeat(32))),
            from: (!use_service).then(|| "+15550001111".into()),
            messaging_service_sid: use_service.then(|| format!("MG{}", "1".repeat(32))),
        };
    }
    if seed.custom_templates {
        tenant.phone.templates.enrollment_message = "{{code}} enrols you".into();
        tenant.phone.templates.verification_message = "{{code}} lets you in".into();
    }
    tenant.push.selected_provider = seed.push_provider;
    if seed.sns {
        tenant.push.sns = SnsState {
            aws_access_key_id: Some("AKIAEXAMPLE".into()),
            aws_secret_access_key: Some("seeded-aws-secret".into()),
            aws_region: Some("eu-west-1".into()),
            sns_apns_platform_application_arn: Some("arn:aws:sns:eu-west-1:1:app/APNS/a".into()),
            sns_gcm_platform_application_arn: None,
        };
    }
    if let Some(sandbox) = seed.apns {
        tenant.push.apns = ApnsState {
            bundle_id: Some("com.example.app".into()),
            sandbox,
            p12: Some("seeded-p12".into()),
        };
    }
    if seed.custom_app {
        tenant.mfa_push_prompt = MfaPushPrompt {
            google_app_link: Some("https://play.google.com/store/apps/details?id=x".into()),
            apple_app_link: None,
            app_name: Some("Example".into()),
        };
    }
    if seed.duo {
        tenant.duo = DuoState {
            ikey: Some("DIXXXXXXXXXXXXXXXXXX".into()),
            skey: Some(DUO_KEY.into()),
            host: Some("api-1234abcd.duosecurity.com".into()),
        };
    }
    tenant.webauthn_roaming.user_verification = seed.user_verification;
    if seed.roaming_rp {
        tenant.webauthn_roaming.override_relying_party = true;
        tenant.webauthn_roaming.relying_party_identifier = Some("example.com".into());
    }
    if seed.platform_rp {
        tenant.webauthn_platform.override_relying_party = true;
        tenant.webauthn_platform.relying_party_identifier = Some("example.com".into());
    }
    tenant.phone_factor_settings.otp_length = seed.phone_otp.0;
    tenant.phone_factor_settings.otp_expiration_time = seed.phone_otp.1;
    tenant.email_factor_settings.otp_length = seed.email_otp.0;
    tenant.email_factor_settings.otp_expiration_time = seed.email_otp.1;
    let (checkbox, remember, inactivity, extra) = seed.session;
    tenant.guardian_settings.display_remember_me_checkbox = checkbox;
    tenant.guardian_settings.remember_me_default_value = remember;
    tenant.guardian_settings.mfa_session_inactivity_timeout = inactivity;
    tenant.guardian_settings.mfa_session_overall_timeout = (inactivity + extra).min(7_776_000);
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
        TWILIO_AUTH_TOKEN => Some(TWILIO_TOKEN.into()),
        DUO_SECRET_KEY => Some(DUO_KEY.into()),
        AWS_SECRET_ACCESS_KEY | APNS_P12 => Some("write-only-value".into()),
        _ => None,
    }
}

/// Exports the tenant, validates the file strictly and plans it against the same tenant.
async fn export_validate_plan(tenant: TenantState) -> Result<(), String> {
    let emulator = emulator_with(EmulatorConfig {
        state: Some(tenant),
        ..EmulatorConfig::default()
    })
    .await;
    let client = client_for(&emulator, fast_options());
    let live = read_live(&client, &everything())
        .await
        .map_err(|e| e.to_string())?;
    let exported = export(&live, "test")?;
    let loaded = load_str("export.yaml", &exported.text, Some(&secret_env));
    if !loaded.is_usable(true) {
        return Err(format!(
            "the export fails validate --strict: {:?}\n{}",
            loaded.diagnostics, exported.text
        ));
    }
    let desired = loaded.config.map(|c| c.state).unwrap_or_default();
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
