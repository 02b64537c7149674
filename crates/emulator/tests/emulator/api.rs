//! Behaviour of the emulated Management API, through HTTP against an in-process emulator.

use mfactl_emulator::access_token::ALL_SCOPES;
use mfactl_emulator::{EmulatorConfig, RateLimit, TenantState};
use serde_json::{Value, json};

use crate::support::{
    CLIENT_ID, CLIENT_SECRET, api, assert_error, client, emulator, emulator_with, send,
};

#[tokio::test]
async fn a_new_tenant_answers_like_a_real_new_tenant() {
    let emulator = emulator().await;
    let factors = api(&emulator, "GET", "/guardian/factors", None).await;
    assert_eq!(factors.status, 200);
    let names: Vec<&str> = factors
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "sms",
            "push-notification",
            "otp",
            "email",
            "duo",
            "webauthn-roaming",
            "webauthn-platform",
            "recovery-code"
        ]
    );
    for factor in factors.body.as_array().unwrap() {
        assert_eq!(factor["enabled"], json!(false));
        assert_eq!(factor["trial_expired"], json!(false));
    }
    assert_eq!(
        api(&emulator, "GET", "/guardian/policies", None).await.body,
        json!([])
    );
    assert_eq!(
        api(
            &emulator,
            "GET",
            "/guardian/factors/phone/message-types",
            None
        )
        .await
        .body,
        json!({"message_types": []})
    );
    assert_eq!(
        api(
            &emulator,
            "GET",
            "/guardian/factors/push-notification/selected-provider",
            None
        )
        .await
        .body,
        json!({"provider": "guardian"})
    );
    assert_eq!(
        api(
            &emulator,
            "GET",
            "/guardian/factors/webauthn-platform/settings",
            None
        )
        .await
        .body,
        json!({"overrideRelyingParty": false})
    );
    let settings = api(&emulator, "GET", "/tenants/settings", None).await;
    assert_eq!(settings.body["phone_consolidated_experience"], json!(false));
}

#[tokio::test]
async fn token_endpoint_accepts_json_and_forms_and_narrows_scopes() {
    let emulator = emulator().await;
    let url = format!("{}/oauth/token", emulator.base_url());
    let json_answer: Value = client()
        .post(&url)
        .json(&json!({
            "grant_type": "client_credentials",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "audience": emulator.audience(),
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(json_answer["token_type"], json!("Bearer"));
    assert_eq!(json_answer["expires_in"], json!(86400));
    assert_eq!(
        json_answer["scope"].as_str().unwrap().split(' ').count(),
        ALL_SCOPES.len()
    );

    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", CLIENT_ID),
        ("client_secret", CLIENT_SECRET),
        ("audience", &emulator.audience()),
        ("scope", "read:guardian_factors"),
    ];
    let narrowed: Value = client()
        .post(&url)
        .form(&form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(narrowed["scope"], json!("read:guardian_factors"));
    let token = narrowed["access_token"].as_str().unwrap();

    // JWT-shaped, with the scope claim readable by clients.
    use base64::Engine;
    let payload = token.split('.').nth(1).unwrap();
    let claims: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(claims["scope"], json!("read:guardian_factors"));
    assert_eq!(claims["aud"], json!(emulator.audience()));
    assert!(claims["exp"].as_u64().unwrap() > claims["iat"].as_u64().unwrap());

    let read = send(
        &emulator,
        "GET",
        "/api/v2/guardian/factors",
        Some(token),
        None,
    )
    .await;
    assert_eq!(read.status, 200);
    let write = send(
        &emulator,
        "PUT",
        "/api/v2/guardian/factors/otp",
        Some(token),
        Some(json!({"enabled": true})),
    )
    .await;
    assert_error(
        &write,
        403,
        "insufficient_scope",
        "Insufficient scope, expected any of: update:guardian_factors",
    );

    let wrong_secret = client()
        .post(&url)
        .json(&json!({"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": "nope", "audience": emulator.audience()}))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_secret.status(), 401);
    let ungranted = client()
        .post(&url)
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
            ("audience", &emulator.audience()),
            ("scope", "read:logs"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(ungranted.status(), 403);
}

#[tokio::test]
async fn api_calls_need_a_valid_token_with_the_endpoints_scope() {
    let emulator = emulator().await;
    let none = send(&emulator, "GET", "/api/v2/guardian/policies", None, None).await;
    assert_error(
        &none,
        401,
        "missing_authentication",
        "Missing authentication",
    );
    let forged = send(
        &emulator,
        "GET",
        "/api/v2/guardian/policies",
        Some("a.b.c"),
        None,
    )
    .await;
    assert_eq!(forged.status, 401);
    let other = emulator_with(EmulatorConfig::default()).await;
    let foreign = other.issue_token(&ALL_SCOPES);
    assert_eq!(
        send(
            &emulator,
            "GET",
            "/api/v2/guardian/policies",
            Some(&foreign),
            None
        )
        .await
        .status,
        401
    );

    let cases = [
        ("GET", "/guardian/policies", "read:mfa_policies"),
        ("PUT", "/guardian/policies", "update:mfa_policies"),
        (
            "GET",
            "/guardian/factors/duo/settings",
            "read:guardian_factors",
        ),
        (
            "GET",
            "/guardian/enrollments/x",
            "read:guardian_enrollments",
        ),
        (
            "DELETE",
            "/guardian/enrollments/x",
            "delete:guardian_enrollments",
        ),
        (
            "POST",
            "/guardian/enrollments/ticket",
            "create:guardian_enrollment_tickets",
        ),
        ("GET", "/tenants/settings", "read:tenant_settings"),
        ("GET", "/prompts/mfa-push", "read:prompts"),
        ("PATCH", "/prompts/mfa-push", "update:prompts"),
    ];
    let token = emulator.issue_token(&["read:guardian_factors"]);
    for (method, path, scope) in cases {
        let token = if scope == "read:guardian_factors" {
            emulator.issue_token(&["update:guardian_factors"])
        } else {
            token.clone()
        };
        let answer = send(
            &emulator,
            method,
            &format!("/api/v2{path}"),
            Some(&token),
            Some(json!({})),
        )
        .await;
        assert_error(
            &answer,
            403,
            "insufficient_scope",
            &format!("Insufficient scope, expected any of: {scope}"),
        );
    }
}

#[tokio::test]
async fn put_bodies_are_validated_like_the_api() {
    let emulator = emulator().await;
    let extra = api(
        &emulator,
        "PUT",
        "/guardian/factors/otp",
        Some(json!({"enabled": true, "x": 1})),
    )
    .await;
    assert_error(
        &extra,
        400,
        "invalid_body",
        "Payload validation error: 'Additional properties not allowed: x'.",
    );
    let wrong_type = api(
        &emulator,
        "PUT",
        "/guardian/factors/otp",
        Some(json!({"enabled": "yes"})),
    )
    .await;
    assert_error(
        &wrong_type,
        400,
        "invalid_body",
        "Payload validation error: 'Expected type boolean but found type string' on property enabled.",
    );
    let bad_enum = api(
        &emulator,
        "PUT",
        "/guardian/factors/push-notification/selected-provider",
        Some(json!({"provider": "pigeon"})),
    )
    .await;
    assert_error(
        &bad_enum,
        400,
        "invalid_body",
        "Payload validation error: 'No enum match for: \"pigeon\"' on property provider.",
    );
    let bad_policy = api(
        &emulator,
        "PUT",
        "/guardian/policies",
        Some(json!(["sometimes"])),
    )
    .await;
    assert_eq!(bad_policy.status, 400);
    let too_long = api(
        &emulator,
        "PUT",
        "/guardian/factors/push-notification/providers/sns",
        Some(json!({"aws_access_key_id": "k".repeat(1001)})),
    )
    .await;
    assert_error(
        &too_long,
        400,
        "invalid_body",
        "Payload validation error: 'String is too long (1001 chars), maximum 1000' on property aws_access_key_id.",
    );
    let bad_region = api(
        &emulator,
        "PUT",
        "/guardian/factors/push-notification/providers/sns",
        Some(json!({"aws_region": "moon-base-1"})),
    )
    .await;
    assert_eq!(bad_region.status, 400);
    assert!(
        bad_region.body["message"]
            .as_str()
            .unwrap()
            .contains("String does not match pattern")
    );
    assert!(
        bad_region.body["message"]
            .as_str()
            .unwrap()
            .ends_with("on property aws_region.")
    );
    let missing = api(
        &emulator,
        "PUT",
        "/guardian/factors/phone/templates",
        Some(json!({"enrollment_message": "x"})),
    )
    .await;
    assert_error(
        &missing,
        400,
        "invalid_body",
        "Payload validation error: 'Missing required property: verification_message'.",
    );
    let not_json = send(
        &emulator,
        "PUT",
        "/api/v2/guardian/factors/otp",
        Some(&emulator.issue_token(&ALL_SCOPES)),
        None,
    )
    .await;
    assert_eq!(not_json.status, 400);
    // Nothing changed.
    assert!(emulator.state().factors.iter().all(|f| !f.enabled));
}

#[tokio::test]
async fn write_only_values_behave_as_recorded() {
    let emulator = emulator().await;
    let sns = json!({
        "aws_access_key_id": "AKIA1", "aws_secret_access_key": "sns-secret-123", "aws_region": "eu-central-1",
        "sns_apns_platform_application_arn": "arn:a", "sns_gcm_platform_application_arn": "arn:g"
    });
    let put = api(
        &emulator,
        "PUT",
        "/guardian/factors/push-notification/providers/sns",
        Some(sns.clone()),
    )
    .await;
    assert_eq!(put.body, sns);
    let get = api(
        &emulator,
        "GET",
        "/guardian/factors/push-notification/providers/sns",
        None,
    )
    .await;
    assert_eq!(
        get.body,
        json!({"aws_access_key_id": "AKIA1", "aws_region": "eu-central-1", "sns_apns_platform_application_arn": "arn:a", "sns_gcm_platform_application_arn": "arn:g"})
    );

    let apns_before = api(
        &emulator,
        "GET",
        "/guardian/factors/push-notification/providers/apns",
        None,
    )
    .await;
    assert_eq!(apns_before.body["enabled"], json!(false));
    let apns = json!({"sandbox": true, "bundle_id": "com.acme", "p12": "p12-secret-456"});
    let put = api(
        &emulator,
        "PUT",
        "/guardian/factors/push-notification/providers/apns",
        Some(apns),
    )
    .await;
    assert_eq!(put.body, json!({"sandbox": true, "bundle_id": "com.acme"}));
    let get = api(
        &emulator,
        "GET",
        "/guardian/factors/push-notification/providers/apns",
        None,
    )
    .await;
    assert_eq!(
        get.body,
        json!({"bundle_id": "com.acme", "sandbox": true, "enabled": true})
    );

    for (path, body) in [
        ("fcm", json!({"server_key": "fcm-secret"})),
        (
            "fcmv1",
            json!({"server_credentials": "{\"type\":\"service_account\"}"}),
        ),
    ] {
        let path = format!("/guardian/factors/push-notification/providers/{path}");
        let put = api(&emulator, "PUT", &path, Some(body)).await;
        assert_eq!((put.status, put.body), (200, json!({})));
        assert_eq!(api(&emulator, "GET", &path, None).await.status, 404);
    }
    let state = emulator.state();
    assert_eq!(
        state.settings["push.fcm"]["server_key"],
        json!("fcm-secret")
    );
    assert_eq!(
        state.settings["push.sns"]["aws_secret_access_key"],
        json!("sns-secret-123")
    );
}

#[tokio::test]
async fn twilio_put_overwrites_and_sms_twins_share_state() {
    let emulator = emulator().await;
    let first = json!({"sid": "AC1", "auth_token": "tw-secret", "from": "+15550001111", "messaging_service_sid": "MG1"});
    api(
        &emulator,
        "PUT",
        "/guardian/factors/phone/providers/twilio",
        Some(first),
    )
    .await;
    let second = json!({"sid": "AC2", "auth_token": "tw-secret-2", "from": "+15550002222"});
    let put = api(
        &emulator,
        "PUT",
        "/guardian/factors/sms/providers/twilio",
        Some(second.clone()),
    )
    .await;
    assert_eq!(put.body, second);
    let get = api(
        &emulator,
        "GET",
        "/guardian/factors/phone/providers/twilio",
        None,
    )
    .await;
    assert_eq!(
        get.body,
        json!({"auth_token": "tw-secret-2", "sid": "AC2", "from": "+15550002222", "messaging_service_sid": null})
    );

    let templates =
        json!({"enrollment_message": "{{code}} enrol", "verification_message": "{{code}} verify"});
    api(
        &emulator,
        "PUT",
        "/guardian/factors/sms/templates",
        Some(templates.clone()),
    )
    .await;
    assert_eq!(
        api(&emulator, "GET", "/guardian/factors/phone/templates", None)
            .await
            .body,
        templates
    );
    api(
        &emulator,
        "PUT",
        "/guardian/factors/phone/selected-provider",
        Some(json!({"provider": "twilio"})),
    )
    .await;
    assert_eq!(
        api(
            &emulator,
            "GET",
            "/guardian/factors/sms/selected-provider",
            None
        )
        .await
        .body,
        json!({"provider": "twilio"})
    );
}

#[tokio::test]
async fn message_types_need_the_sms_factor_enabled_once() {
    let emulator = emulator().await;
    let body = json!({"message_types": ["sms", "voice"]});
    let early = api(
        &emulator,
        "PUT",
        "/guardian/factors/phone/message-types",
        Some(body.clone()),
    )
    .await;
    assert_eq!(early.status, 404);
    assert_eq!(
        early.body["message"],
        json!("The phone factor does not exist.")
    );
    api(
        &emulator,
        "PUT",
        "/guardian/factors/sms",
        Some(json!({"enabled": true})),
    )
    .await;
    api(
        &emulator,
        "PUT",
        "/guardian/factors/sms",
        Some(json!({"enabled": false})),
    )
    .await;
    let later = api(
        &emulator,
        "PUT",
        "/guardian/factors/phone/message-types",
        Some(body.clone()),
    )
    .await;
    assert_eq!((later.status, later.body), (200, body.clone()));
    assert_eq!(
        api(
            &emulator,
            "GET",
            "/guardian/factors/phone/message-types",
            None
        )
        .await
        .body,
        body
    );
}

#[tokio::test]
async fn settings_endpoints_merge_partial_puts() {
    let emulator = emulator().await;
    let put = api(
        &emulator,
        "PUT",
        "/guardian/factors/webauthn-roaming/settings",
        Some(json!({"userVerification": "preferred"})),
    )
    .await;
    assert_eq!(put.body, json!({"userVerification": "preferred"}));
    assert_eq!(
        api(
            &emulator,
            "GET",
            "/guardian/factors/webauthn-roaming/settings",
            None
        )
        .await
        .body,
        json!({"userVerification": "preferred", "overrideRelyingParty": false})
    );
    let duo = json!({"ikey": "DI1", "skey": "duo-secret", "host": "api-1.duosecurity.com"});
    assert_eq!(
        api(
            &emulator,
            "PUT",
            "/guardian/factors/duo/settings",
            Some(duo.clone())
        )
        .await
        .body,
        duo
    );
    api(
        &emulator,
        "PUT",
        "/guardian/factors/duo/settings",
        Some(json!({"host": "api-2.duosecurity.com"})),
    )
    .await;
    assert_eq!(
        api(&emulator, "GET", "/guardian/factors/duo/settings", None)
            .await
            .body,
        json!({"ikey": "DI1", "skey": "duo-secret", "host": "api-2.duosecurity.com"})
    );
    let app = json!({"app_name": "Acme", "apple_app_link": "https://apple", "google_app_link": "https://google"});
    let patched = api(&emulator, "PATCH", "/prompts/mfa-push", Some(app.clone())).await;
    assert_eq!(patched.body, app);
}

#[tokio::test]
async fn enrollments_are_found_or_answer_enrollment_not_found() {
    let emulator = emulator().await;
    for method in ["GET", "DELETE"] {
        let answer = api(
            &emulator,
            method,
            "/guardian/enrollments/dev_0000000000000001",
            None,
        )
        .await;
        assert_error(&answer, 404, "enrollment_not_found", "Enrollment not found");
    }
    let mut state = emulator.state();
    state
        .enrollments
        .push(json!({"id": "dev_1", "status": "confirmed", "name": "phone"}));
    emulator.set_state(state);
    let found = api(&emulator, "GET", "/guardian/enrollments/dev_1", None).await;
    assert_eq!(found.body["status"], json!("confirmed"));
    assert_eq!(
        api(&emulator, "DELETE", "/guardian/enrollments/dev_1", None)
            .await
            .status,
        204
    );
    assert_eq!(
        api(&emulator, "GET", "/guardian/enrollments/dev_1", None)
            .await
            .status,
        404
    );
    let unknown_user = api(
        &emulator,
        "POST",
        "/guardian/enrollments/ticket",
        Some(json!({"user_id": "auth0|1"})),
    )
    .await;
    assert_error(
        &unknown_user,
        404,
        "inexistent_user",
        "The user does not exist.",
    );
    emulator
        .add_user(mfactl_emulator::SeedUser {
            user_id: Some("auth0|1".into()),
            ..Default::default()
        })
        .unwrap();
    let ticket = api(
        &emulator,
        "POST",
        "/guardian/enrollments/ticket",
        Some(json!({"user_id": "auth0|1"})),
    )
    .await;
    let id = ticket.body["ticket_id"].as_str().unwrap();
    assert!(
        ticket.body["ticket_url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("?ticket={id}"))
    );
}

#[tokio::test]
async fn consolidated_phone_tenants_refuse_the_legacy_phone_endpoints() {
    let emulator = emulator_with(EmulatorConfig {
        consolidated_phone: true,
        ..EmulatorConfig::default()
    })
    .await;
    for path in [
        "/guardian/factors/phone/selected-provider",
        "/guardian/factors/phone/providers/twilio",
        "/guardian/factors/phone/templates",
        "/guardian/factors/sms/selected-provider",
        "/guardian/factors/sms/providers/twilio",
        "/guardian/factors/sms/templates",
    ] {
        let answer = api(&emulator, "GET", path, None).await;
        assert_eq!(answer.status, 403, "{path}");
        assert_eq!(
            answer.body["errorCode"],
            json!("legacy_mfa_phone_provider_not_allowed")
        );
    }
    let put = api(
        &emulator,
        "PUT",
        "/guardian/factors/phone/selected-provider",
        Some(json!({"provider": "twilio"})),
    )
    .await;
    assert_eq!(put.status, 403);
    assert_eq!(
        api(
            &emulator,
            "GET",
            "/guardian/factors/phone/message-types",
            None
        )
        .await
        .status,
        200
    );
    let settings = api(&emulator, "GET", "/tenants/settings", None).await;
    assert_eq!(settings.body["phone_consolidated_experience"], json!(true));
}

#[tokio::test]
async fn plans_without_adaptive_mfa_or_voice_refuse_those_features() {
    let emulator = emulator_with(EmulatorConfig {
        adaptive_mfa: false,
        voice: false,
        ..EmulatorConfig::default()
    })
    .await;
    let adaptive = api(
        &emulator,
        "PUT",
        "/guardian/policies",
        Some(json!(["confidence-score"])),
    )
    .await;
    assert_eq!(adaptive.status, 403);
    assert_eq!(
        adaptive.body["errorCode"],
        json!("insufficient_entitlement")
    );
    assert_eq!(
        api(
            &emulator,
            "PUT",
            "/guardian/policies",
            Some(json!(["all-applications"]))
        )
        .await
        .status,
        200
    );
    api(
        &emulator,
        "PUT",
        "/guardian/factors/sms",
        Some(json!({"enabled": true})),
    )
    .await;
    let voice = api(
        &emulator,
        "PUT",
        "/guardian/factors/phone/message-types",
        Some(json!({"message_types": ["voice"]})),
    )
    .await;
    assert_eq!(voice.status, 403);
    assert_eq!(voice.body["errorCode"], json!("voice_mfa_not_allowed"));

    let full = emulator_with(EmulatorConfig::default()).await;
    assert_eq!(
        api(
            &full,
            "PUT",
            "/guardian/policies",
            Some(json!(["confidence-score"]))
        )
        .await
        .status,
        200
    );
}

#[tokio::test]
async fn every_response_carries_rate_limit_headers() {
    let emulator = emulator().await;
    let answers = [
        api(&emulator, "GET", "/guardian/factors", None).await,
        send(&emulator, "GET", "/api/v2/guardian/factors", None, None).await,
        api(&emulator, "GET", "/no/such/thing", None).await,
        send(&emulator, "GET", "/__emulator/state", None, None).await,
    ];
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    for answer in answers {
        for name in [
            "x-ratelimit-limit",
            "x-ratelimit-remaining",
            "x-ratelimit-reset",
        ] {
            let value: u64 = answer.headers[name].to_str().unwrap().parse().unwrap();
            if name == "x-ratelimit-reset" {
                assert!(value + 5 >= now, "reset is epoch seconds");
            }
        }
        assert!(answer.headers.get("retry-after").is_none());
    }
}

#[tokio::test]
async fn an_empty_bucket_answers_429_like_the_real_api() {
    // One token that comes back only after 100 seconds: the second call is always refused.
    let limit = RateLimit {
        burst: 1,
        per_second: 0.01,
    };
    let emulator = emulator_with(EmulatorConfig {
        rate_limit: Some(limit),
        ..EmulatorConfig::default()
    })
    .await;
    let first = api(&emulator, "GET", "/guardian/policies", None).await;
    assert_eq!(first.status, 200);
    assert_eq!(first.headers["x-ratelimit-limit"], "1");
    assert_eq!(first.headers["x-ratelimit-remaining"], "0");
    let second = api(&emulator, "GET", "/guardian/policies", None).await;
    assert_eq!(second.status, 429);
    assert_eq!(
        second.body.to_string(),
        r#"{"statusCode":429,"error":"Too Many Requests","message":"Global limit has been reached","errorCode":"too_many_requests"}"#
    );
    assert_eq!(second.headers["x-ratelimit-remaining"], "0");
    // Hooks are exempt.
    assert_eq!(
        send(&emulator, "GET", "/__emulator/requests", None, None)
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn hooks_seed_read_log_and_reset_the_tenant() {
    let emulator = emulator().await;
    let mut seed = TenantState {
        policies: vec![mfactl_core::model::Policy::AllApplications],
        ..TenantState::default()
    };
    seed.settings.insert(
        "push.sns".to_owned(),
        serde_json::from_value(json!({"aws_secret_access_key": "seeded-secret"})).unwrap(),
    );
    let put = client()
        .put(format!("{}/__emulator/state", emulator.base_url()))
        .json(&seed)
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 200);
    assert_eq!(
        api(&emulator, "GET", "/guardian/policies", None).await.body,
        json!(["all-applications"])
    );
    let state = send(&emulator, "GET", "/__emulator/state", None, None).await;
    assert_eq!(
        state.body["settings"]["push.sns"]["aws_secret_access_key"],
        json!("seeded-secret")
    );
    let bad_seed = client()
        .put(format!("{}/__emulator/state", emulator.base_url()))
        .json(&json!({"polices": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad_seed.status(), 400);

    let secrets = [
        "tw-secret-xyz",
        "duo-skey-xyz",
        "aws-secret-xyz",
        "p12-xyz",
        "fcm-key-xyz",
        "fcmv1-xyz",
    ];
    let writes = [
        (
            "/guardian/factors/phone/providers/twilio",
            json!({"sid": "AC1", "auth_token": secrets[0]}),
        ),
        (
            "/guardian/factors/duo/settings",
            json!({"ikey": "DI", "skey": secrets[1], "host": "h"}),
        ),
        (
            "/guardian/factors/push-notification/providers/sns",
            json!({"aws_secret_access_key": secrets[2]}),
        ),
        (
            "/guardian/factors/push-notification/providers/apns",
            json!({"p12": secrets[3]}),
        ),
        (
            "/guardian/factors/push-notification/providers/fcm",
            json!({"server_key": secrets[4]}),
        ),
        (
            "/guardian/factors/push-notification/providers/fcmv1",
            json!({"server_credentials": secrets[5]}),
        ),
    ];
    for (path, body) in writes {
        api(&emulator, "PUT", path, Some(body)).await;
    }
    client()
        .post(format!("{}/oauth/token", emulator.base_url()))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
            ("audience", "x/api/v2/"),
        ])
        .send()
        .await
        .unwrap();

    let log = send(&emulator, "GET", "/__emulator/requests", None, None).await;
    let text = log.body.to_string();
    for secret in secrets.iter().chain([&CLIENT_SECRET]) {
        assert!(!text.contains(secret), "request log leaks {secret}");
    }
    let entries = log.body.as_array().unwrap();
    assert!(
        entries
            .iter()
            .all(|e| !e["path"].as_str().unwrap().starts_with("/__emulator"))
    );
    let twilio = entries
        .iter()
        .find(|e| e["path"] == "/api/v2/guardian/factors/phone/providers/twilio")
        .unwrap();
    assert_eq!(twilio["method"], json!("PUT"));
    assert_eq!(twilio["status"], json!(200));
    assert_eq!(twilio["body"]["sid"], json!("AC1"));
    assert_eq!(twilio["body"]["auth_token"], json!("(sensitive value)"));
    assert_eq!(entries.last().unwrap()["path"], json!("/oauth/token"));
    assert_eq!(
        entries.last().unwrap()["body"]["client_secret"],
        json!("(sensitive value)")
    );

    let reset = client()
        .post(format!("{}/__emulator/reset", emulator.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(reset.status(), 200);
    assert_eq!(emulator.state(), TenantState::default());
    assert_eq!(
        send(&emulator, "GET", "/__emulator/requests", None, None)
            .await
            .body,
        json!([])
    );
}

#[tokio::test]
async fn faults_are_reproducible_for_a_seed() {
    async fn outcomes(seed: u64) -> Vec<String> {
        let emulator = emulator_with(EmulatorConfig {
            fault_rate: 0.5,
            seed,
            ..EmulatorConfig::default()
        })
        .await;
        let token = emulator.issue_token(&ALL_SCOPES);
        let mut out = Vec::new();
        for _ in 0..40 {
            let result = client()
                .get(format!("{}/api/v2/guardian/policies", emulator.base_url()))
                .bearer_auth(&token)
                .send()
                .await;
            out.push(match result {
                Ok(response) => response.status().as_u16().to_string(),
                Err(_) => "dropped".to_owned(),
            });
        }
        out
    }
    let first = outcomes(42).await;
    assert_eq!(first, outcomes(42).await);
    assert_ne!(first, outcomes(43).await);
    for kind in ["200", "500", "503", "429", "dropped"] {
        assert!(
            first.iter().any(|o| o == kind),
            "{kind} never happened: {first:?}"
        );
    }
}

#[tokio::test]
async fn otp_settings_of_phone_and_email_are_read_and_replaced() {
    let emulator = emulator().await;
    for factor in ["phone", "email"] {
        let path = format!("/guardian/factors/{factor}/settings");
        assert_eq!(
            api(&emulator, "GET", &path, None).await.body,
            json!({"otp_length": 6, "otp_expiration_time": 300})
        );
    }
    let put = api(
        &emulator,
        "PUT",
        "/guardian/factors/phone/settings",
        Some(json!({"otp_length": 8, "otp_expiration_time": 120})),
    )
    .await;
    assert_eq!(
        (put.status, put.body),
        (200, json!({"otp_length": 8, "otp_expiration_time": 120}))
    );
    assert_eq!(
        api(&emulator, "GET", "/guardian/factors/phone/settings", None)
            .await
            .body,
        json!({"otp_length": 8, "otp_expiration_time": 120})
    );
    // The email factor's settings are separate.
    assert_eq!(
        api(&emulator, "GET", "/guardian/factors/email/settings", None)
            .await
            .body["otp_length"],
        json!(6)
    );
    let cases = [
        (
            json!({"otp_length": 3, "otp_expiration_time": 300}),
            "Payload validation error: 'Value 3 is less than minimum 4' on property otp_length.",
        ),
        (
            json!({"otp_length": 6, "otp_expiration_time": 3601}),
            "Payload validation error: 'Value 3601 is greater than maximum 3600' on property otp_expiration_time.",
        ),
        (
            json!({"otp_length": "6", "otp_expiration_time": 300}),
            "Payload validation error: 'Expected type integer but found type string' on property otp_length.",
        ),
        (
            json!({"otp_length": 6}),
            "Payload validation error: 'Missing required property: otp_expiration_time'.",
        ),
        (
            json!({"otp_length": 6, "otp_expiration_time": 300, "x": 1}),
            "Payload validation error: 'Additional properties not allowed: x'.",
        ),
    ];
    for (body, message) in cases {
        let answer = api(
            &emulator,
            "PUT",
            "/guardian/factors/email/settings",
            Some(body),
        )
        .await;
        assert_error(&answer, 400, "invalid_body", message);
    }
    assert_eq!(
        emulator.state().settings["email.otp"]["otp_length"],
        json!(6)
    );
    let token = emulator.issue_token(&["read:guardian_factors"]);
    let refused = send(
        &emulator,
        "PUT",
        "/api/v2/guardian/factors/email/settings",
        Some(&token),
        Some(json!({"otp_length": 6, "otp_expiration_time": 300})),
    )
    .await;
    assert_error(
        &refused,
        403,
        "insufficient_scope",
        "Insufficient scope, expected any of: update:guardian_factors",
    );
}

#[tokio::test]
async fn mfa_session_settings_are_read_and_replaced_within_bounds() {
    let emulator = emulator().await;
    let defaults = json!({
        "display_remember_me_checkbox": true,
        "remember_me_default_value": false,
        "mfa_session_inactivity_timeout": 604800,
        "mfa_session_overall_timeout": 2592000
    });
    assert_eq!(
        api(&emulator, "GET", "/guardian/settings", None).await.body,
        defaults
    );
    let wanted = json!({
        "display_remember_me_checkbox": false,
        "remember_me_default_value": true,
        "mfa_session_inactivity_timeout": 3600,
        "mfa_session_overall_timeout": 7776000
    });
    let put = api(&emulator, "PUT", "/guardian/settings", Some(wanted.clone())).await;
    assert_eq!((put.status, put.body), (200, wanted.clone()));
    assert_eq!(
        api(&emulator, "GET", "/guardian/settings", None).await.body,
        wanted
    );
    let mut too_long = wanted.clone();
    too_long["mfa_session_inactivity_timeout"] = json!(2_592_001);
    let mut inverted = wanted.clone();
    inverted["mfa_session_inactivity_timeout"] = json!(7200);
    inverted["mfa_session_overall_timeout"] = json!(3600);
    let mut partial = wanted.clone();
    partial
        .as_object_mut()
        .unwrap()
        .remove("remember_me_default_value");
    for (body, message) in [
        (
            too_long,
            "Payload validation error: 'Value 2592001 is greater than maximum 2592000' on property mfa_session_inactivity_timeout.",
        ),
        (
            inverted,
            "Payload validation error: 'mfa_session_inactivity_timeout cannot exceed mfa_session_overall_timeout'.",
        ),
        (
            partial,
            "Payload validation error: 'Missing required property: remember_me_default_value'.",
        ),
    ] {
        let answer = api(&emulator, "PUT", "/guardian/settings", Some(body)).await;
        assert_error(&answer, 400, "invalid_body", message);
    }
    assert_eq!(
        api(&emulator, "GET", "/guardian/settings", None).await.body,
        wanted
    );
    for (method, scope) in [("GET", "read:mfa_policies"), ("PUT", "update:mfa_policies")] {
        let token = emulator.issue_token(&["read:guardian_factors", "update:guardian_factors"]);
        let answer = send(
            &emulator,
            method,
            "/api/v2/guardian/settings",
            Some(&token),
            Some(json!({})),
        )
        .await;
        assert_error(
            &answer,
            403,
            "insufficient_scope",
            &format!("Insufficient scope, expected any of: {scope}"),
        );
    }
}

#[tokio::test]
async fn tenant_settings_patch_is_partial_and_merges_flags() {
    let emulator = emulator().await;
    let before = api(&emulator, "GET", "/tenants/settings", None).await.body;
    assert_eq!(before["customize_mfa_in_postlogin_action"], json!(false));
    assert_eq!(
        before["flags"]["mfa_show_factor_list_on_enrollment"],
        json!(false)
    );
    let patched = api(
        &emulator,
        "PATCH",
        "/tenants/settings",
        Some(json!({
            "customize_mfa_in_postlogin_action": true,
            "flags": {"mfa_show_factor_list_on_enrollment": true},
            "friendly_name": "Acme"
        })),
    )
    .await;
    assert_eq!(patched.status, 200, "{}", patched.body);
    let after = api(&emulator, "GET", "/tenants/settings", None).await.body;
    assert_eq!(patched.body, after);
    assert_eq!(after["customize_mfa_in_postlogin_action"], json!(true));
    assert_eq!(after["friendly_name"], json!("Acme"));
    // Other flags and settings are untouched.
    assert_eq!(
        after["flags"]["mfa_show_factor_list_on_enrollment"],
        json!(true)
    );
    assert_eq!(after["flags"]["enable_sso"], before["flags"]["enable_sso"]);
    assert_eq!(after["session_lifetime"], before["session_lifetime"]);
    assert_eq!(
        after.as_object().unwrap().len(),
        before.as_object().unwrap().len()
    );

    for (body, message) in [
        (
            json!({"customize_mfa_in_postlogin_action": "yes"}),
            "Payload validation error: 'Expected type boolean but found type string' on property customize_mfa_in_postlogin_action.",
        ),
        (
            json!({"flags": {"mfa_show_factor_list_on_enrollment": 1}}),
            "Payload validation error: 'Expected type boolean but found type integer' on property flags.mfa_show_factor_list_on_enrollment.",
        ),
        (
            json!({"flags": true}),
            "Payload validation error: 'Expected type object but found type boolean' on property flags.",
        ),
        (
            json!([]),
            "Payload validation error: 'Expected type object but found type array'.",
        ),
    ] {
        let answer = api(&emulator, "PATCH", "/tenants/settings", Some(body)).await;
        assert_error(&answer, 400, "invalid_body", message);
    }
    assert_eq!(
        api(&emulator, "GET", "/tenants/settings", None).await.body,
        after
    );
    let token = emulator.issue_token(&["read:tenant_settings"]);
    let refused = send(
        &emulator,
        "PATCH",
        "/api/v2/tenants/settings",
        Some(&token),
        Some(json!({})),
    )
    .await;
    assert_error(
        &refused,
        403,
        "insufficient_scope",
        "Insufficient scope, expected any of: update:tenant_settings",
    );
}

#[tokio::test]
async fn scripted_faults_answer_matching_requests_without_changing_state() {
    let emulator = emulator().await;
    let hooks = format!("{}/__emulator/faults", emulator.base_url());
    let added = client()
        .post(&hooks)
        .json(&json!({"method": "PUT", "path": "/api/v2/guardian/factors/otp", "status": 503, "times": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), 200);

    // Another path and another method are not affected.
    assert_eq!(
        api(&emulator, "GET", "/guardian/factors", None)
            .await
            .status,
        200
    );
    let faulted = api(
        &emulator,
        "PUT",
        "/guardian/factors/otp",
        Some(json!({"enabled": true})),
    )
    .await;
    assert_error(&faulted, 503, "service_unavailable", "Service Unavailable");
    assert!(faulted.headers.contains_key("x-ratelimit-remaining"));
    assert!(
        !emulator
            .state()
            .factor_mut(mfactl_core::model::Factor::Otp)
            .enabled
    );
    // Used up after one answer.
    let retried = api(
        &emulator,
        "PUT",
        "/guardian/factors/otp",
        Some(json!({"enabled": true})),
    )
    .await;
    assert_eq!(retried.status, 200);
    assert!(
        emulator
            .state()
            .factor_mut(mfactl_core::model::Factor::Otp)
            .enabled
    );

    // Without `times` a fault lasts until cleared; a custom body is sent as given.
    client()
        .post(&hooks)
        .json(&json!([
            {"method": "put", "path": "/api/v2/guardian/policies", "status": 429},
            {"method": "*", "path": "/api/v2/guardian/factors/duo/settings", "status": 400, "times": null, "body": {"custom": "body"}}
        ]))
        .send()
        .await
        .unwrap();
    for _ in 0..3 {
        let limited = api(
            &emulator,
            "PUT",
            "/guardian/policies",
            Some(json!(["all-applications"])),
        )
        .await;
        assert_eq!(
            limited.body.to_string(),
            r#"{"statusCode":429,"error":"Too Many Requests","message":"Global limit has been reached","errorCode":"too_many_requests"}"#
        );
    }
    assert_eq!(emulator.state().policies, vec![]);
    let custom = api(&emulator, "GET", "/guardian/factors/duo/settings", None).await;
    assert_eq!(
        (custom.status, custom.body),
        (400, json!({"custom": "body"}))
    );
    let pending: Value = client()
        .get(&hooks)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(pending.as_array().unwrap().len(), 2);

    // Scripted answers are logged like any other answer.
    let log = emulator.requests();
    let statuses: Vec<(String, u16)> = log
        .iter()
        .map(|entry| (entry.method.clone(), entry.status))
        .collect();
    assert_eq!(
        statuses[..4],
        [
            ("GET".to_owned(), 200),
            ("PUT".to_owned(), 503),
            ("PUT".to_owned(), 200),
            ("PUT".to_owned(), 429)
        ]
    );

    assert_eq!(client().delete(&hooks).send().await.unwrap().status(), 200);
    assert_eq!(
        api(
            &emulator,
            "PUT",
            "/guardian/policies",
            Some(json!(["all-applications"]))
        )
        .await
        .status,
        200
    );

    for bad in [
        json!({"method": "PUT", "path": "/api/v2/x", "status": 200}),
        json!({"method": "PUT", "path": "/api/v2/x", "status": 500, "times": 0}),
        json!({"method": "PUT", "path": "/api/v2/x", "status": 500, "when": "now"}),
        json!({"path": "/api/v2/x", "status": 500}),
    ] {
        let refused = client().post(&hooks).json(&bad).send().await.unwrap();
        assert_eq!(refused.status(), 400, "{bad}");
    }
    assert!(emulator.pending_faults().is_empty());
}

#[tokio::test]
async fn scripted_faults_through_the_in_process_api() {
    use mfactl_emulator::ScriptedFault;
    let emulator = emulator().await;
    emulator
        .add_fault(ScriptedFault::new("PUT", "/api/v2/guardian/factors/sms", 500).times(2))
        .unwrap();
    emulator
        .add_fault(
            ScriptedFault::new("GET", "/api/v2/guardian/policies", 403)
                .with_body(json!({"statusCode": 403, "error": "Forbidden", "message": "nope", "errorCode": "insufficient_scope"})),
        )
        .unwrap();
    assert!(
        emulator
            .add_fault(ScriptedFault::new("GET", "/x", 302))
            .is_err()
    );
    for _ in 0..2 {
        let answer = api(
            &emulator,
            "PUT",
            "/guardian/factors/sms",
            Some(json!({"enabled": true})),
        )
        .await;
        assert_error(
            &answer,
            500,
            "internal_server_error",
            "Internal Server Error",
        );
    }
    assert_eq!(
        api(
            &emulator,
            "PUT",
            "/guardian/factors/sms",
            Some(json!({"enabled": true}))
        )
        .await
        .status,
        200
    );
    let forbidden = api(&emulator, "GET", "/guardian/policies", None).await;
    assert_error(&forbidden, 403, "insufficient_scope", "nope");
    assert_eq!(emulator.pending_faults().len(), 1);
    emulator.clear_faults();
    assert_eq!(
        api(&emulator, "GET", "/guardian/policies", None)
            .await
            .status,
        200
    );
    emulator
        .add_fault(ScriptedFault::new("GET", "/api/v2/guardian/policies", 409))
        .unwrap();
    let conflict = api(&emulator, "GET", "/guardian/policies", None).await;
    assert_error(&conflict, 409, "conflict", "Conflict");
    // A reset forgets scripted faults.
    emulator.reset();
    assert!(emulator.pending_faults().is_empty());
}
