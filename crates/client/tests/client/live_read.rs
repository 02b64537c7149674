//! Reading the live tenant from an in-process emulator: what is read, what comes back, and how
//! errors, faults and rate limits are handled.

use std::collections::{BTreeMap, BTreeSet};

use mfactl_client::{ApiError, ClientOptions, ConnectionSettings, read_live};
use mfactl_core::model::*;
use mfactl_core::request::{ApiRequest, HttpMethod};
use mfactl_core::resource::specs::*;
use mfactl_core::secret::Secret;
use mfactl_emulator::access_token::ALL_SCOPES;
use mfactl_emulator::{EmulatorConfig, RateLimit, RunningEmulator};
use serde_json::{Value, json};

use crate::support::*;

fn api_requests(emulator: &RunningEmulator) -> Vec<(String, String)> {
    emulator
        .requests()
        .into_iter()
        .map(|r| (r.method, r.path))
        .collect()
}

/// A client with a static token that `emulator` issued for `scopes`.
fn scoped_client(emulator: &RunningEmulator, scopes: &[&str]) -> mfactl_client::Client {
    let token = emulator.issue_token(scopes);
    static_client(&emulator.domain(), &token, fast_options())
}

/// Writes `body` with `method` at `path`, as a plain request.
async fn write(client: &mfactl_client::Client, method: HttpMethod, path: &str, body: Value) {
    let request = ApiRequest::new(method, path).with_body(body);
    if let Err(e) = client.send(&request).await {
        panic!("{path}: {e}");
    }
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
    assert_eq!(live.state.policies(), Some(BTreeSet::new()));
    assert_eq!(live.state.factors().len(), 8);
    assert!(live.state.factors().values().all(|on| !on));
    assert!(
        !live.state.contains(&Address::of(&PUSH_FCMV1)),
        "write-only: never read"
    );
    assert!(live.unavailable.is_empty(), "{:?}", live.unavailable);
    assert_eq!(live.consolidated_phone, Some(false));
    assert_eq!(live.enabled_locales, Some(vec!["en".to_string()]));
    // Every managed readable address has a fingerprint; write-only ones do not.
    let fingerprinted: BTreeSet<Address> = live.fingerprints.keys().cloned().collect();
    let readable: BTreeSet<Address> = desired
        .managed_addresses()
        .into_iter()
        .filter(|a| !a.spec().is_write_only())
        .collect();
    assert_eq!(fingerprinted, readable);
}

#[tokio::test]
async fn unmanaged_resources_are_not_read() {
    let emulator = emulator_with(EmulatorConfig::default()).await;
    let client = client_for(&emulator, fast_options());
    let mut desired = MfaState::default();
    desired.set_factor(Factor::Otp, true);
    desired.insert(Address::of(&PUSH_FCM), Values::default());
    let live = read_live(&client, &desired).await.unwrap();
    assert_eq!(
        api_requests(&emulator),
        [
            ("POST".to_string(), "/oauth/token".to_string()),
            ("GET".to_string(), "/api/v2/guardian/factors".to_string()),
            // For the lockout check: the file manages a factor, not the policies.
            ("GET".to_string(), "/api/v2/guardian/policies".to_string())
        ]
    );
    // The one factor list tells every factor's state (for the plan's safety checks); only the
    // managed one is fingerprinted.
    assert_eq!(live.state.factors().len(), 8);
    assert_eq!(live.state.factor(Factor::Otp), Some(false));
    assert_eq!(
        live.fingerprints.keys().collect::<Vec<_>>(),
        [&MfaState::factor_address(Factor::Otp)]
    );
    assert_eq!(live.state.policies(), Some(BTreeSet::new()));
    assert!(!live.state.contains(&Address::of(&PUSH_FCM)));
    assert_eq!(
        live.consolidated_phone, None,
        "nothing phone-related is managed"
    );

    // Nothing managed: nothing sent, not even a token request.
    let emulator = emulator_with(EmulatorConfig::default()).await;
    let client = client_for(&emulator, fast_options());
    read_live(&client, &MfaState::default()).await.unwrap();
    assert!(api_requests(&emulator).is_empty());
}

#[tokio::test]
async fn written_values_read_back_through_every_endpoint() {
    use HttpMethod::{Patch, Put};
    let emulator = emulator_with(EmulatorConfig::default()).await;
    let client = client_for(&emulator, fast_options());
    let desired = full_desired();
    let twilio_token = secret_of("TWILIO_AUTH_TOKEN");
    let duo_skey = secret_of("DUO_SECRET_KEY");

    let f = "/guardian/factors";
    let push = "/guardian/factors/push-notification";
    write(&client, Put, &format!("{f}/sms"), json!({"enabled": true})).await;
    write(&client, Put, &format!("{f}/otp"), json!({"enabled": true})).await;
    write(
        &client,
        Put,
        "/guardian/policies",
        json!(["all-applications"]),
    )
    .await;
    let message_types = json!({"message_types": ["sms", "voice"]});
    write(
        &client,
        Put,
        &format!("{f}/phone/message-types"),
        message_types,
    )
    .await;
    let provider = json!({"provider": "twilio"});
    write(
        &client,
        Put,
        &format!("{f}/phone/selected-provider"),
        provider,
    )
    .await;
    let twilio = json!({"sid": "AC1", "auth_token": twilio_token, "from": "+15550001111"});
    write(&client, Put, &format!("{f}/phone/providers/twilio"), twilio).await;
    let templates = json!({
        "enrollment_message": "{{code}} enroll",
        "verification_message": "{{code}} verify"
    });
    write(&client, Put, &format!("{f}/phone/templates"), templates).await;
    write(
        &client,
        Put,
        &format!("{push}/selected-provider"),
        json!({"provider": "sns"}),
    )
    .await;
    let sns = json!({
        "aws_access_key_id": "AKIA1",
        "aws_secret_access_key": secret_of("AWS_SECRET_ACCESS_KEY"),
        "aws_region": "us-east-1",
        "sns_apns_platform_application_arn": "arn:a",
        "sns_gcm_platform_application_arn": "arn:g"
    });
    write(&client, Put, &format!("{push}/providers/sns"), sns).await;
    let apns = json!({"bundle_id": "com.acme", "sandbox": true, "p12": secret_of("APNS_P12")});
    write(&client, Put, &format!("{push}/providers/apns"), apns).await;
    let fcm = json!({"server_key": secret_of("FCM_SERVER_KEY")});
    write(&client, Put, &format!("{push}/providers/fcm"), fcm).await;
    let fcmv1 = json!({"server_credentials": secret_of("FCM_V1_CREDENTIALS")});
    write(&client, Put, &format!("{push}/providers/fcmv1"), fcmv1).await;
    let custom_app =
        json!({"app_name": "Acme", "apple_app_link": "https://apps.apple.com/app/id1"});
    write(&client, Patch, "/prompts/mfa-push", custom_app).await;
    let duo = json!({"ikey": "DI1", "skey": duo_skey, "host": "api-1.duosecurity.com"});
    write(&client, Put, &format!("{f}/duo/settings"), duo).await;
    let roaming = json!({"userVerification": "preferred", "overrideRelyingParty": false});
    write(
        &client,
        Put,
        &format!("{f}/webauthn-roaming/settings"),
        roaming,
    )
    .await;
    let platform = json!({"overrideRelyingParty": true, "relyingPartyIdentifier": "acme.com"});
    write(
        &client,
        Put,
        &format!("{f}/webauthn-platform/settings"),
        platform,
    )
    .await;
    let otp = json!({"otp_length": 8, "otp_expiration_time": 120});
    write(&client, Put, &format!("{f}/email/settings"), otp).await;
    let session = json!({
        "display_remember_me_checkbox": false,
        "remember_me_default_value": false,
        "mfa_session_inactivity_timeout": 3600,
        "mfa_session_overall_timeout": 86400
    });
    write(&client, Put, "/guardian/settings", session).await;
    let flags = json!({"flags": {"mfa_show_factor_list_on_enrollment": true}});
    write(&client, Patch, "/tenants/settings", flags).await;

    let live = read_live(&client, &desired).await.unwrap();
    let s = &live.state;
    let of =
        |spec: &'static mfactl_core::resource::ResourceSpec| s.get(&Address::of(spec)).unwrap();
    assert_eq!(
        s.policies(),
        Some(BTreeSet::from([Policy::AllApplications]))
    );
    assert_eq!(s.factor(Factor::Sms), Some(true));
    assert_eq!(s.factor(Factor::Email), Some(false));
    assert_eq!(
        s.message_types(),
        Some(BTreeSet::from([MessageType::Sms, MessageType::Voice]))
    );
    assert_eq!(s.phone_provider(), Some(PhoneProvider::Twilio));
    let twilio = of(&PHONE_TWILIO);
    assert_eq!(twilio.secret("auth_token").unwrap().expose(), twilio_token);
    assert_eq!(twilio.get("messaging_service_sid"), None);
    assert_eq!(
        of(&PHONE_TEMPLATES).text("verification_message"),
        Some("{{code}} verify")
    );
    assert_eq!(s.push_provider(), Some(PushProvider::Sns));
    let sns = of(&PUSH_SNS);
    assert_eq!(sns.text("aws_region"), Some("us-east-1"));
    assert_eq!(sns.get("aws_secret_access_key"), None, "write-only");
    let apns = of(&PUSH_APNS);
    assert_eq!((apns.bool("sandbox"), apns.get("p12")), (Some(true), None));
    assert_eq!(of(&PUSH_CUSTOM_APP).text("app_name"), Some("Acme"));
    assert_eq!(of(&DUO).secret("skey").unwrap().expose(), duo_skey);
    assert_eq!(
        of(&WEBAUTHN_ROAMING).text("user_verification"),
        Some("preferred")
    );
    assert_eq!(
        of(&WEBAUTHN_PLATFORM).text("relying_party_identifier"),
        Some("acme.com")
    );
    assert_eq!(of(&EMAIL_OTP).number("length"), Some(8));
    assert_eq!(of(&PHONE_OTP).number("length"), Some(6), "the phone's own");
    assert_eq!(of(&MFA_SESSION).number("overall_timeout"), Some(86400));
    let flags = of(&TENANT_SETTINGS);
    assert_eq!(flags.bool("mfa_show_factor_list_on_enrollment"), Some(true));
    assert_eq!(
        flags.bool("customize_mfa_in_postlogin_action"),
        Some(false),
        "never set: reads as false"
    );

    // Fingerprints hold no secret and do not change when only a secret changes.
    let before = live.fingerprints[&Address::of(&DUO)].clone();
    let duo = json!({"ikey": "DI1", "skey": "another-duo-secret", "host": "api-1.duosecurity.com"});
    write(&client, Put, &format!("{f}/duo/settings"), duo).await;
    let again = read_live(&client, &desired).await.unwrap();
    assert_eq!(again.fingerprints[&Address::of(&DUO)], before);
    assert_eq!(again.fingerprints, live.fingerprints);
    let shown = format!("{live:?} {again:?}");
    for secret in secret_values().into_iter().chain([CLIENT_SECRET]) {
        assert!(!shown.contains(secret), "{secret} leaked");
    }
}

#[tokio::test]
async fn prompt_texts_are_read_per_prompt_and_language() {
    let emulator = emulator_with(EmulatorConfig::default()).await;
    let client = client_for(&emulator, fast_options());
    let desired = example("prompt-texts.yaml");
    let texts = json!({"mfa-sms-enrollment": {"title": "Secure your account"}});
    let request =
        ApiRequest::new(HttpMethod::Put, "/prompts/mfa-sms/custom-text/en").with_body(texts);
    client.send(&request).await.unwrap();
    let live = read_live(&client, &desired).await.unwrap();
    let sms = live
        .state
        .get(&Address::keyed(&PROMPT_TEXTS, ["mfa-sms", "en"]))
        .unwrap();
    let Some(FieldValue::Texts(screens)) = sms.get("texts") else {
        panic!("{sms:?}")
    };
    assert_eq!(
        screens["mfa-sms-enrollment"]["title"],
        "Secure your account"
    );
    // Never customised: `{}`, no texts.
    let mfa = live
        .state
        .get(&Address::keyed(&PROMPT_TEXTS, ["mfa", "en"]))
        .unwrap();
    assert_eq!(mfa.get("texts"), Some(&FieldValue::Texts(BTreeMap::new())));
    let read: Vec<String> = api_requests(&emulator)
        .into_iter()
        .filter(|(m, p)| m == "GET" && p.contains("/custom-text/"))
        .map(|(_, p)| p)
        .collect();
    assert_eq!(
        read,
        [
            "/api/v2/prompts/mfa/custom-text/en",
            "/api/v2/prompts/mfa-sms/custom-text/en"
        ]
    );
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
    assert!(live.state.phone_provider().is_none());
    assert!(live.state.policies().is_some());
    assert_eq!(live.consolidated_phone, Some(true));
}

#[tokio::test]
async fn missing_scopes_are_all_named_before_any_call() {
    let emulator = emulator_with(EmulatorConfig::default()).await;
    let token = emulator.issue_token(&["read:guardian_factors"]);
    let client = static_client(&emulator.domain(), &token, fast_options());
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
    let client = static_client(&emulator.domain(), "opaque-token-value", fast_options());
    let err = client.get("/guardian/policies").await.unwrap_err();
    // The emulator refuses the unreadable token outright.
    assert!(matches!(err, ApiError::Unauthorized { .. }), "{err}");
    let client = scoped_client(&emulator, &["read:guardian_factors"]);
    let err = client.get("/guardian/policies").await.unwrap_err();
    assert!(err.to_string().contains("read:mfa_policies"), "{err}");
}

#[tokio::test]
async fn a_bad_static_token_says_what_to_check() {
    let emulator = emulator_with(EmulatorConfig::default()).await;
    let client = static_client(&emulator.domain(), "not-a-valid-token-abc", fast_options());
    // One read (`policies: []` needs no factor).
    let mut desired = MfaState::default();
    desired.set_policies([]);
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
    let client = mfactl_client::Client::for_emulator(
        &emulator.domain(),
        CLIENT_ID,
        Secret::new("wrong-secret-value-xyz"),
        fast_options(),
    )
    .unwrap();
    let mut desired = MfaState::default();
    desired.set_factor(Factor::Otp, true);
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
    desired.insert(
        Address::of(&PHONE_MESSAGE_TYPES),
        Values::of([("message_types", FieldValue::list(["sms"]))]),
    );
    let live = read_live(&client, &desired).await.unwrap();
    assert_eq!(live.state.message_types(), Some(BTreeSet::new()));
}

#[tokio::test]
async fn bad_request_and_not_found_carry_the_api_message() {
    let emulator = emulator_with(EmulatorConfig::default()).await;
    let client = client_for(&emulator, fast_options());
    let request = ApiRequest::new(HttpMethod::Put, "/guardian/factors/otp")
        .with_body(json!({"enabled": true, "x": 1}));
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
    let emulator = emulator_with(EmulatorConfig::default()).await;
    let client = client_for(&emulator, fast_options());
    let request = ApiRequest::new(HttpMethod::Put, "/guardian/factors/email")
        .with_body(json!({"enabled": true}));
    assert_eq!(
        client.send(&request).await.unwrap(),
        json!({"enabled": true})
    );
    let request = ApiRequest::new(HttpMethod::Put, "/guardian/factors/phone/templates")
        .with_body(json!({"enrollment_message": "{{code}}", "verification_message": "{{code}}"}));
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
    let options = ClientOptions {
        max_attempts: 8,
        ..fast_options()
    };
    let client = client_for(&emulator, options);
    let live = read_live(&client, &full_desired()).await.unwrap();
    assert_eq!(live.state.factors().len(), 8);
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
    let client = scoped_client(&emulator, &ALL_SCOPES);
    let mut desired = MfaState::default();
    desired.set_factor(Factor::Otp, true);
    desired.set_policies([]);
    for spec in [&DUO, &WEBAUTHN_ROAMING, &WEBAUTHN_PLATFORM] {
        desired.insert(Address::of(spec), Values::default());
    }
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
    use mfactl_core::phone_kind::PHONE_CONSOLIDATED_EXPERIENCE;
    for (seed, consolidated) in [(Some(true), true), (Some(false), false), (None, true)] {
        let mut state = mfactl_emulator::TenantState::new_tenant(false);
        match seed {
            Some(value) => {
                state
                    .tenant_settings
                    .insert(PHONE_CONSOLIDATED_EXPERIENCE.into(), value.into());
            }
            None => {
                state.tenant_settings.remove(PHONE_CONSOLIDATED_EXPERIENCE);
            }
        }
        let emulator = emulator_with(EmulatorConfig {
            state: Some(state),
            ..EmulatorConfig::default()
        })
        .await;
        let client = client_for(&emulator, fast_options());
        let mut desired = MfaState::default();
        desired.insert(
            Address::of(&PHONE_PROVIDER),
            Values::of([("provider", FieldValue::Text("auth0".into()))]),
        );
        let live = read_live(&client, &desired).await.unwrap();
        assert_eq!(live.consolidated_phone, Some(consolidated), "seed {seed:?}");
        assert_eq!(
            emulator.state().consolidated_phone(),
            consolidated,
            "seed {seed:?}"
        );
        let refused = live
            .unavailable
            .get(&Address::of(&PHONE_PROVIDER))
            .map(|u| u.error_code.as_str());
        let expected = consolidated.then_some("legacy_mfa_phone_provider_not_allowed");
        assert_eq!(refused, expected, "seed {seed:?}");
    }
}

/// Tenants of one run share an HTTP client (`Client::sharing`), not their tokens, pacing or
/// counters: each reads its own tenant with its own token.
#[tokio::test]
async fn clients_sharing_an_http_client_keep_their_own_tenant_and_token() {
    let first = emulator_with(EmulatorConfig::default()).await;
    let second = emulator_with(EmulatorConfig::default()).await;
    let a = client_for(&first, fast_options());
    let settings = ConnectionSettings::with_client_credentials(
        &second.domain(),
        CLIENT_ID,
        Secret::new(CLIENT_SECRET),
    )
    .unwrap();
    let b = a.sharing(settings);
    assert_eq!(b.domain(), second.domain().trim_start_matches("http://"));
    let desired = full_desired();
    let (left, right) = tokio::join!(read_live(&a, &desired), read_live(&b, &desired));
    assert_eq!(left.unwrap().domain, a.domain());
    assert_eq!(right.unwrap().domain, b.domain());
    for client in [&a, &b] {
        let stats = client.stats();
        assert_eq!(stats.token_requests, 1, "{stats:?}");
        assert_eq!(
            stats.requests,
            FULL_READ_PATHS.len() as u64 + 1,
            "{stats:?}"
        );
    }
}
