//! Reading the live tenant from an in-process emulator: what is read, what comes back, and how
//! errors, faults and rate limits are handled.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod api_support;

use std::collections::{BTreeMap, BTreeSet};

use api_support::*;
use mfactl::api::{ApiError, read_live};
use mfactl::emulator::access_token::ALL_SCOPES;
use mfactl::emulator::{EmulatorConfig, RateLimit};
use mfactl::model::*;

fn api_requests(emulator: &mfactl::emulator::RunningEmulator) -> Vec<(String, String)> {
    emulator
        .requests()
        .into_iter()
        .map(|r| (r.method, r.path))
        .collect()
}

#[tokio::test]
async fn full_config_reads_each_managed_endpoint_once() {
    let emulator = emulator_with(EmulatorConfig::default()).await;
    let client = client_for(&emulator, fast_options());
    let desired = full_desired();
    let live = read_live(&client, &desired).await.unwrap();

    let mut sent = api_requests(&emulator);
    sent.sort();
    let mut expected: Vec<(String, String)> = FULL_READ_PATHS
        .iter()
        .map(|p| ("GET".to_string(), format!("/api/v2{p}")))
        .collect();
    expected.push(("POST".into(), "/oauth/token".into()));
    expected.sort();
    assert_eq!(sent, expected);
    let stats = client.stats();
    assert_eq!(stats.requests, FULL_READ_PATHS.len() as u64 + 1);
    assert_eq!(stats.token_requests, 1);

    // A new tenant: every factor off, no policies, nothing configured.
    assert_eq!(live.state.policies, Some(BTreeSet::new()));
    assert_eq!(live.state.factors.len(), 8);
    assert!(live.state.factors.values().all(|on| !on));
    assert!(live.state.push.fcmv1.is_none(), "write-only: never read");
    assert!(live.unavailable.is_empty(), "{:?}", live.unavailable);
    // Every managed readable address has a fingerprint; write-only ones do not.
    let fingerprinted: BTreeSet<Address> = live.fingerprints.keys().copied().collect();
    let readable: BTreeSet<Address> = desired
        .managed_addresses()
        .into_iter()
        .filter(|a| !a.is_write_only())
        .collect();
    assert_eq!(fingerprinted, readable);
}

#[tokio::test]
async fn unmanaged_resources_are_not_read() {
    let emulator = emulator_with(EmulatorConfig::default()).await;
    let client = client_for(&emulator, fast_options());
    let mut desired = MfaState::default();
    desired.factors.insert(Factor::Otp, true);
    desired.push.fcm = Some(FcmSettings::default());
    let live = read_live(&client, &desired).await.unwrap();
    assert_eq!(
        api_requests(&emulator),
        [
            ("POST".to_string(), "/oauth/token".to_string()),
            ("GET".to_string(), "/api/v2/guardian/factors".to_string())
        ]
    );
    // The one factor list tells every factor's state (for the plan's safety checks); only the
    // managed one is fingerprinted.
    assert_eq!(live.state.factors.len(), 8);
    assert!(!live.state.factors[&Factor::Otp]);
    assert_eq!(
        live.fingerprints.keys().collect::<Vec<_>>(),
        [&mfactl::model::Address::Factor(Factor::Otp)]
    );
    assert_eq!(live.state.policies, None);
    assert_eq!(live.state.push.fcm, None);

    // Nothing managed: nothing sent, not even a token request.
    let emulator = emulator_with(EmulatorConfig::default()).await;
    let client = client_for(&emulator, fast_options());
    read_live(&client, &MfaState::default()).await.unwrap();
    assert!(api_requests(&emulator).is_empty());
}

#[tokio::test]
async fn written_values_read_back_through_every_endpoint() {
    use mfactl::api::models::*;
    let emulator = emulator_with(EmulatorConfig::default()).await;
    let client = client_for(&emulator, fast_options());
    let desired = full_desired();

    client.put_factor(Factor::Sms, true).await.unwrap();
    client.put_factor(Factor::Otp, true).await.unwrap();
    client
        .put_policies(&vec![Policy::AllApplications])
        .await
        .unwrap();
    client
        .put_phone_message_types(&MessageTypesBody {
            message_types: Some(vec![MessageType::Sms, MessageType::Voice]),
        })
        .await
        .unwrap();
    client
        .put_phone_provider(&PhoneProviderBody {
            provider: Some(PhoneProvider::Twilio),
        })
        .await
        .unwrap();
    client
        .put_phone_twilio(&TwilioBody {
            sid: Some("AC1".into()),
            auth_token: Some(mfactl::secret::Secret::new(TWILIO_TOKEN)),
            from: Some("+15550001111".into()),
            messaging_service_sid: None,
        })
        .await
        .unwrap();
    client
        .put_phone_templates(&TemplatesBody {
            enrollment_message: Some("{{code}} enroll".into()),
            verification_message: Some("{{code}} verify".into()),
        })
        .await
        .unwrap();
    client
        .put_push_provider(&PushProviderBody {
            provider: Some(PushProvider::Sns),
        })
        .await
        .unwrap();
    client
        .put_push_sns(&SnsBody {
            aws_access_key_id: Some("AKIA1".into()),
            aws_secret_access_key: Some(mfactl::secret::Secret::new(SNS_SECRET)),
            aws_region: Some("us-east-1".into()),
            sns_apns_platform_application_arn: Some("arn:a".into()),
            sns_gcm_platform_application_arn: Some("arn:g".into()),
        })
        .await
        .unwrap();
    client
        .put_push_apns(&ApnsBody {
            bundle_id: Some("com.acme".into()),
            sandbox: Some(true),
            p12: Some(mfactl::secret::Secret::new(APNS_P12)),
            enabled: None,
        })
        .await
        .unwrap();
    client
        .put_push_fcm(&FcmBody {
            server_key: Some(mfactl::secret::Secret::new("fcm-legacy-key")),
        })
        .await
        .unwrap();
    client
        .put_push_fcmv1(&FcmV1Body {
            server_credentials: Some(mfactl::secret::Secret::new(FCM_V1)),
        })
        .await
        .unwrap();
    client
        .patch_push_custom_app(&CustomAppBody {
            app_name: Some("Acme".into()),
            apple_app_link: Some("https://apps.apple.com/app/id1".into()),
            google_app_link: None,
        })
        .await
        .unwrap();
    client
        .put_duo(&DuoBody {
            ikey: Some("DI1".into()),
            skey: Some(mfactl::secret::Secret::new(DUO_SKEY)),
            host: Some("api-1.duosecurity.com".into()),
        })
        .await
        .unwrap();
    client
        .put_webauthn_roaming(&WebAuthnRoamingBody {
            user_verification: Some(UserVerification::Preferred),
            override_relying_party: Some(false),
            relying_party_identifier: None,
        })
        .await
        .unwrap();
    client
        .put_webauthn_platform(&WebAuthnPlatformBody {
            override_relying_party: Some(true),
            relying_party_identifier: Some("acme.com".into()),
        })
        .await
        .unwrap();

    let live = read_live(&client, &desired).await.unwrap();
    let s = &live.state;
    assert_eq!(s.policies, Some(BTreeSet::from([Policy::AllApplications])));
    assert!(s.factors[&Factor::Sms]);
    assert!(!s.factors[&Factor::Email]);
    assert_eq!(
        s.phone.message_types,
        Some(BTreeSet::from([MessageType::Sms, MessageType::Voice]))
    );
    assert_eq!(s.phone.provider, Some(PhoneProvider::Twilio));
    let twilio = s.phone.twilio.as_ref().unwrap();
    assert_eq!(twilio.auth_token.as_ref().unwrap().expose(), TWILIO_TOKEN);
    assert_eq!(twilio.messaging_service_sid, None);
    assert_eq!(
        s.phone
            .templates
            .as_ref()
            .unwrap()
            .verification_message
            .as_deref(),
        Some("{{code}} verify")
    );
    assert_eq!(s.push.provider, Some(PushProvider::Sns));
    let sns = s.push.sns.as_ref().unwrap();
    assert_eq!(sns.aws_region.as_deref(), Some("us-east-1"));
    assert_eq!(sns.aws_secret_access_key, None, "write-only");
    let apns = s.push.apns.as_ref().unwrap();
    assert_eq!((apns.sandbox, apns.p12.is_none()), (Some(true), true));
    assert_eq!(
        s.push.custom_app.as_ref().unwrap().app_name.as_deref(),
        Some("Acme")
    );
    assert_eq!(
        s.duo.as_ref().unwrap().skey.as_ref().unwrap().expose(),
        DUO_SKEY
    );
    assert_eq!(
        s.webauthn_roaming.as_ref().unwrap().user_verification,
        Some(UserVerification::Preferred)
    );
    assert_eq!(
        s.webauthn_platform
            .as_ref()
            .unwrap()
            .relying_party_identifier
            .as_deref(),
        Some("acme.com")
    );

    // Fingerprints hold no secret and do not change when only a secret changes.
    let before = live.fingerprints[&Address::Duo].clone();
    client
        .put_duo(&DuoBody {
            ikey: Some("DI1".into()),
            skey: Some(mfactl::secret::Secret::new("another-duo-secret")),
            host: Some("api-1.duosecurity.com".into()),
        })
        .await
        .unwrap();
    let again = read_live(&client, &desired).await.unwrap();
    assert_eq!(again.fingerprints[&Address::Duo], before);
    assert_eq!(again.fingerprints, live.fingerprints);
    let shown = format!("{live:?} {again:?}");
    for secret in [
        TWILIO_TOKEN,
        DUO_SKEY,
        SNS_SECRET,
        APNS_P12,
        FCM_V1,
        CLIENT_SECRET,
    ] {
        assert!(!shown.contains(secret), "{secret} leaked");
    }
}

#[tokio::test]
async fn legacy_and_entitlement_refusals_are_unavailable_not_errors() {
    let emulator = emulator_with(EmulatorConfig {
        consolidated_phone: true,
        voice: false,
        adaptive_mfa: false,
        ..EmulatorConfig::default()
    })
    .await;
    let client = client_for(&emulator, fast_options());
    let live = read_live(&client, &full_desired()).await.unwrap();
    let codes: BTreeMap<String, String> = live
        .unavailable
        .iter()
        .map(|(a, u)| (a.to_string(), u.error_code.clone()))
        .collect();
    assert_eq!(
        codes.get("phone.provider").map(String::as_str),
        Some("legacy_mfa_phone_provider_not_allowed")
    );
    assert_eq!(
        codes.get("phone.templates").map(String::as_str),
        Some("legacy_mfa_phone_provider_not_allowed")
    );
    assert_eq!(
        codes.get("phone.message_types").map(String::as_str),
        Some("voice_mfa_not_allowed")
    );
    assert!(live.state.phone.provider.is_none());
    assert!(live.state.policies.is_some());
}

#[tokio::test]
async fn missing_scopes_are_all_named_before_any_call() {
    let emulator = emulator_with(EmulatorConfig::default()).await;
    let token = emulator.issue_token(&["read:guardian_factors"]);
    let client = static_client(&emulator, &token, fast_options());
    let err = read_live(&client, &full_desired()).await.unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with(
            "the access token lacks scope(s): read:mfa_policies, read:prompts, read:tenant_settings."
        ),
        "{text}"
    );
    assert!(matches!(err, ApiError::MissingScopes { .. }));
    assert!(api_requests(&emulator).is_empty(), "nothing was sent");
    assert!(!text.contains(&token));
}

#[tokio::test]
async fn insufficient_scope_answers_name_the_scope() {
    // A token whose claims cannot be read (not a JWT) learns it from the API's 403.
    let emulator = emulator_with(EmulatorConfig::default()).await;
    let client = static_client(&emulator, "opaque-token-value", fast_options());
    let err = client.get("/guardian/policies").await.unwrap_err();
    // The emulator refuses the unreadable token outright.
    assert!(matches!(err, ApiError::Unauthorized { .. }), "{err}");
    let token = emulator.issue_token(&["read:guardian_factors"]);
    let client = static_client(&emulator, &token, fast_options());
    let err = client.get("/guardian/policies").await.unwrap_err();
    assert!(err.to_string().contains("read:mfa_policies"), "{err}");
}

#[tokio::test]
async fn a_bad_static_token_says_what_to_check() {
    let emulator = emulator_with(EmulatorConfig::default()).await;
    let client = static_client(&emulator, "not-a-valid-token-abc", fast_options());
    let mut desired = MfaState::default();
    desired.factors.insert(Factor::Otp, true);
    let err = read_live(&client, &desired).await.unwrap_err();
    let text = err.to_string();
    assert!(text.contains("rejected the access token (401"), "{text}");
    assert!(text.contains("AUTH0_API_TOKEN"), "{text}");
    assert!(!text.contains("not-a-valid-token-abc"));
    assert_eq!(client.stats().requests, 1, "a 401 is not retried");
}

#[tokio::test]
async fn wrong_client_secret_says_what_to_check() {
    let emulator = emulator_with(EmulatorConfig::default()).await;
    let client = mfactl::api::Client::for_emulator(
        &emulator.domain(),
        CLIENT_ID,
        mfactl::secret::Secret::new("wrong-secret-value-xyz"),
        fast_options(),
    )
    .unwrap();
    let mut desired = MfaState::default();
    desired.factors.insert(Factor::Otp, true);
    let err = read_live(&client, &desired).await.unwrap_err();
    let text = err.to_string();
    assert!(text.contains("refused to issue an access token"), "{text}");
    assert!(text.contains("AUTH0_CLIENT_SECRET"), "{text}");
    assert!(!text.contains("wrong-secret-value-xyz"));
}

#[tokio::test]
async fn phone_message_types_before_sms_was_ever_enabled_read_as_none() {
    let emulator = emulator_with(EmulatorConfig::default()).await;
    let client = client_for(&emulator, fast_options());
    let mut desired = MfaState::default();
    desired.phone.message_types = Some(BTreeSet::from([MessageType::Sms]));
    let live = read_live(&client, &desired).await.unwrap();
    assert_eq!(live.state.phone.message_types, Some(BTreeSet::new()));
}

#[tokio::test]
async fn bad_request_and_not_found_carry_the_api_message() {
    use mfactl::request::{ApiRequest, HttpMethod};
    let emulator = emulator_with(EmulatorConfig::default()).await;
    let client = client_for(&emulator, fast_options());
    let request = ApiRequest::new(HttpMethod::Put, "/guardian/factors/otp")
        .with_body(serde_json::json!({"enabled": true, "x": 1}));
    let text = client.send(&request).await.unwrap_err().to_string();
    assert!(
        text.contains("PUT /guardian/factors/otp was refused as invalid (400"),
        "{text}"
    );
    assert!(text.contains("Additional properties not allowed"), "{text}");

    let text = client
        .get("/guardian/factors/nope/settings")
        .await
        .unwrap_err()
        .to_string();
    assert!(text.contains("was not found"), "{text}");
    assert!(text.contains("AUTH0_DOMAIN"), "{text}");
}

#[tokio::test]
async fn send_returns_null_for_empty_answers_and_json_otherwise() {
    use mfactl::request::{ApiRequest, HttpMethod};
    let emulator = emulator_with(EmulatorConfig::default()).await;
    let client = client_for(&emulator, fast_options());
    let request = ApiRequest::new(HttpMethod::Put, "/guardian/factors/email")
        .with_body(serde_json::json!({"enabled": true}));
    assert_eq!(
        client.send(&request).await.unwrap(),
        serde_json::json!({"enabled": true})
    );
    let request = ApiRequest::new(HttpMethod::Put, "/guardian/factors/phone/templates").with_body(
        serde_json::json!({"enrollment_message": "{{code}}", "verification_message": "{{code}}"}),
    );
    let answer = client.send(&request).await.unwrap();
    assert!(answer.is_null() || answer.is_object(), "{answer}");
}

#[tokio::test]
async fn retries_through_faults_converge() {
    let emulator = emulator_with(EmulatorConfig {
        fault_rate: 0.3,
        seed: 7,
        ..EmulatorConfig::default()
    })
    .await;
    let options = mfactl::api::ClientOptions {
        max_attempts: 8,
        ..fast_options()
    };
    let client = client_for(&emulator, options);
    let live = read_live(&client, &full_desired()).await.unwrap();
    assert_eq!(live.state.factors.len(), 8);
    let stats = client.stats();
    assert!(stats.retries > 0, "{stats:?}");
    // Every managed endpoint was eventually answered with 200.
    let ok: BTreeSet<String> = emulator
        .requests()
        .into_iter()
        .filter(|r| r.status == 200 && r.method == "GET")
        .map(|r| r.path)
        .collect();
    assert_eq!(ok.len(), FULL_READ_PATHS.len());
}

#[tokio::test]
async fn paced_under_a_small_bucket() {
    let emulator = emulator_with(EmulatorConfig {
        rate_limit: Some(RateLimit {
            burst: 2,
            per_second: 2.0,
        }),
        ..EmulatorConfig::default()
    })
    .await;
    let token = emulator.issue_token(ALL_SCOPES);
    let client = static_client(&emulator, &token, fast_options());
    let mut desired = MfaState::default();
    desired.factors.insert(Factor::Otp, true);
    desired.policies = Some(BTreeSet::new());
    desired.duo = Some(DuoSettings::default());
    desired.webauthn_roaming = Some(WebAuthnRoamingSettings::default());
    desired.webauthn_platform = Some(WebAuthnPlatformSettings::default());
    read_live(&client, &desired).await.unwrap();
    let stats = client.stats();
    // 5 endpoints through a bucket of 2: the pacer waits instead of collecting 429s.
    assert!(stats.rate_limited <= 1, "{stats:?}");
    assert_eq!(stats.requests, 5 + stats.rate_limited);
}

/// `phone_consolidated_experience` seeded true, false and absent: the client's reading of the
/// tenant's phone kind and the emulator's behaviour (the legacy phone endpoints refuse on a
/// consolidated tenant) agree, and absent reads as consolidated, as the real API's tenants do.
#[tokio::test]
async fn client_and_emulator_read_the_phone_kind_the_same_way() {
    for (seed, consolidated) in [(Some(true), true), (Some(false), false), (None, true)] {
        let mut state = mfactl::emulator::TenantState::new_tenant(false);
        match seed {
            Some(value) => {
                state.tenant_settings.insert(
                    mfactl::phone_kind::PHONE_CONSOLIDATED_EXPERIENCE.into(),
                    value.into(),
                );
            }
            None => {
                state
                    .tenant_settings
                    .remove(mfactl::phone_kind::PHONE_CONSOLIDATED_EXPERIENCE);
            }
        }
        let emulator = emulator_with(EmulatorConfig {
            state: Some(state),
            ..EmulatorConfig::default()
        })
        .await;
        let client = client_for(&emulator, fast_options());
        let desired = MfaState {
            phone: PhoneSettings {
                provider: Some(PhoneProvider::Auth0),
                ..PhoneSettings::default()
            },
            ..MfaState::default()
        };
        let live = read_live(&client, &desired).await.unwrap();
        assert_eq!(live.consolidated_phone, Some(consolidated), "seed {seed:?}");
        assert_eq!(
            emulator.state().consolidated_phone(),
            consolidated,
            "seed {seed:?}"
        );
        let refused = live
            .unavailable
            .get(&Address::PhoneProvider)
            .map(|u| u.error_code.as_str());
        let expected = consolidated.then_some("legacy_mfa_phone_provider_not_allowed");
        assert_eq!(refused, expected, "seed {seed:?}");
    }
}
