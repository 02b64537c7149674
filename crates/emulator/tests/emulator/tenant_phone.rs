//! Tenant Phone Settings in the emulator (`/branding/phone/providers`, `/branding/phone/templates`),
//! through HTTP against an in-process emulator.

use mfactl_emulator::access_token::ALL_SCOPES;
use mfactl_emulator::{EmulatorConfig, TenantState};
use serde_json::{Value, json};

use crate::support::{api, call, client, emulator_of_kind, emulator_with_state};

const AUTH_TOKEN: &str = "twilio-branding-token-5c7e9a";
const OTHER_TOKEN: &str = "twilio-branding-token-2-b4d6f8";

fn twilio_provider() -> Value {
    json!({
        "name": "twilio",
        "disabled": false,
        "configuration": {"sid": "AC123", "default_from": "+15550001111", "delivery_methods": ["text", "voice"]},
        "credentials": {"auth_token": AUTH_TOKEN}
    })
}

fn keys(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect()
}

#[tokio::test]
async fn a_new_consolidated_tenant_has_no_provider_and_default_templates() {
    let emulator = emulator_of_kind(true).await;
    let providers = api(&emulator, "GET", "/branding/phone/providers", None).await;
    assert_eq!(
        (providers.status, providers.body),
        (200, json!({"providers": []}))
    );

    let templates = api(&emulator, "GET", "/branding/phone/templates", None).await;
    assert_eq!(templates.status, 200);
    let list = templates.body["templates"].as_array().unwrap();
    let types: Vec<&str> = list.iter().map(|t| t["type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        [
            "otp_verify",
            "otp_enroll",
            "change_password",
            "blocked_account",
            "password_breach"
        ]
    );
    for template in list {
        assert_eq!(
            keys(template),
            [
                "id",
                "tenant",
                "channel",
                "type",
                "disabled",
                "created_at",
                "updated_at",
                "content"
            ]
        );
        assert!(template["id"].as_str().unwrap().starts_with("tem_"));
        assert_eq!(template["channel"], json!("phone"));
        assert_eq!(template["disabled"], json!(false));
        assert_eq!(template["content"]["syntax"], json!("liquid"));
        assert!(template["content"].get("from").is_none());
    }
    for index in [0, 1] {
        for channel in ["text", "voice"] {
            let body = list[index]["content"]["body"][channel].as_str().unwrap();
            assert!(body.contains("{{ code }}"), "{body}");
        }
    }

    // A legacy tenant serves the same endpoints with the same defaults.
    let legacy = emulator_of_kind(false).await;
    let legacy_templates = api(&legacy, "GET", "/branding/phone/templates", None).await;
    assert_eq!(legacy_templates.body, templates.body);
}

#[tokio::test]
async fn the_provider_is_created_once_read_without_credentials_patched_and_deleted() {
    let emulator = emulator_of_kind(true).await;
    let created = api(
        &emulator,
        "POST",
        "/branding/phone/providers",
        Some(twilio_provider()),
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(
        keys(&created.body),
        [
            "id",
            "tenant",
            "name",
            "channel",
            "disabled",
            "configuration",
            "created_at",
            "updated_at"
        ]
    );
    let id = created.body["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("pro_") && id.len() == 26, "{id}");
    assert_eq!(
        created.body["configuration"],
        json!({"sid": "AC123", "default_from": "+15550001111", "delivery_methods": ["text", "voice"]})
    );
    assert_eq!(created.body["created_at"], created.body["updated_at"]);
    assert!(!created.text.contains(AUTH_TOKEN));

    let second = api(
        &emulator,
        "POST",
        "/branding/phone/providers",
        Some(twilio_provider()),
    )
    .await;
    assert_eq!(second.status, 409);
    assert_eq!(
        keys(&second.body),
        ["statusCode", "error", "message", "errorCode"]
    );

    let path = format!("/branding/phone/providers/{id}");
    let read = api(&emulator, "GET", &path, None).await;
    assert_eq!(read.body, created.body);
    let list = api(&emulator, "GET", "/branding/phone/providers", None).await;
    let listed = &list.body["providers"][0];
    assert_eq!(listed["credentials"], Value::Null);
    assert!(listed.as_object().unwrap().contains_key("credentials"));
    assert_eq!(listed["id"], json!(id));
    assert!(!list.text.contains(AUTH_TOKEN));

    // PATCH replaces the configuration as a whole: `default_from` goes, `mssid` comes.
    let patched = api(
        &emulator,
        "PATCH",
        &path,
        Some(json!({
            "disabled": true,
            "configuration": {"sid": "AC123", "mssid": "MG9", "delivery_methods": ["text"]},
            "credentials": {"auth_token": OTHER_TOKEN}
        })),
    )
    .await;
    assert_eq!(patched.status, 200, "{}", patched.body);
    assert_eq!(
        patched.body["configuration"],
        json!({"sid": "AC123", "mssid": "MG9", "delivery_methods": ["text"]})
    );
    assert_eq!(patched.body["disabled"], json!(true));
    assert_eq!(patched.body["created_at"], created.body["created_at"]);
    assert!(!patched.text.contains(OTHER_TOKEN));
    let stored = emulator.state().tenant_phone.provider.unwrap();
    assert_eq!(
        stored.credentials.unwrap().auth_token.as_deref(),
        Some(OTHER_TOKEN)
    );

    // A PATCH without credentials keeps the stored ones.
    let renamed = api(
        &emulator,
        "PATCH",
        &path,
        Some(json!({"name": "custom", "configuration": {"delivery_methods": ["voice"]}})),
    )
    .await;
    assert_eq!(renamed.status, 200, "{}", renamed.body);
    assert_eq!(renamed.body["name"], json!("custom"));

    assert_eq!(api(&emulator, "DELETE", &path, None).await.status, 204);
    assert_eq!(api(&emulator, "GET", &path, None).await.status, 404);
    assert_eq!(
        api(&emulator, "PATCH", &path, Some(json!({}))).await.status,
        404
    );
    let again = api(
        &emulator,
        "POST",
        "/branding/phone/providers",
        Some(twilio_provider()),
    )
    .await;
    assert_eq!(again.status, 201);
    assert_ne!(again.body["id"], json!(id));
}

#[tokio::test]
async fn provider_bodies_are_validated() {
    let emulator = emulator_of_kind(true).await;
    let no_from = api(
        &emulator,
        "POST",
        "/branding/phone/providers",
        Some(json!({
            "name": "twilio",
            "configuration": {"sid": "AC1", "delivery_methods": ["text"]},
            "credentials": {"auth_token": AUTH_TOKEN}
        })),
    )
    .await;
    assert_eq!(no_from.status, 400);
    assert_eq!(
        no_from.body["message"],
        json!("Bad Operation on Notification Resource")
    );
    assert!(!no_from.text.contains(AUTH_TOKEN));

    let cases = [
        (
            json!({"name": "twilio", "configuration": {"sid": "AC1", "default_from": "+1", "delivery_methods": []}, "credentials": {"auth_token": "t"}}),
            "Payload validation error: 'Array is too short (0), minimum 1' on property configuration.delivery_methods.",
        ),
        (
            json!({"name": "twilio", "configuration": {"sid": "AC1", "default_from": "+1", "delivery_methods": ["sms"]}, "credentials": {"auth_token": "t"}}),
            "Payload validation error: 'No enum match for: \"sms\"' on property configuration.delivery_methods[0].",
        ),
        (
            json!({"name": "vonage", "configuration": {"delivery_methods": ["text"]}}),
            "Payload validation error: 'No enum match for: \"vonage\"' on property name.",
        ),
        (
            json!({"name": "twilio", "configuration": {"default_from": "+1", "delivery_methods": ["text"]}, "credentials": {"auth_token": "t"}}),
            "Payload validation error: 'Missing required property: sid' on property configuration.",
        ),
        (
            json!({"name": "twilio", "configuration": {"sid": "AC1", "default_from": "+1", "delivery_methods": ["text"]}}),
            "Payload validation error: 'Missing required property: auth_token' on property credentials.",
        ),
        (
            json!({"name": "custom", "disabled": "no", "configuration": {"delivery_methods": ["text"]}}),
            "Payload validation error: 'Expected type boolean but found type string' on property disabled.",
        ),
        (
            json!({"name": "custom", "configuration": {"delivery_methods": ["text"]}, "extra": 1}),
            "Payload validation error: 'Additional properties not allowed: extra'.",
        ),
    ];
    for (body, message) in cases {
        let answer = api(&emulator, "POST", "/branding/phone/providers", Some(body)).await;
        assert_eq!(answer.status, 400, "{message}");
        assert_eq!(answer.body["errorCode"], json!("invalid_body"));
        assert_eq!(answer.body["message"], json!(message));
    }
    assert!(emulator.state().tenant_phone.provider.is_none());

    // A custom provider needs no credentials.
    let custom = api(
        &emulator,
        "POST",
        "/branding/phone/providers",
        Some(json!({"name": "custom", "configuration": {"delivery_methods": ["text"]}, "credentials": {}})),
    )
    .await;
    assert_eq!(custom.status, 201, "{}", custom.body);
    // Turning it into Twilio without a sender is refused and changes nothing.
    let id = custom.body["id"].as_str().unwrap();
    let refused = api(
        &emulator,
        "PATCH",
        &format!("/branding/phone/providers/{id}"),
        Some(json!({"name": "twilio", "configuration": {"sid": "AC1", "delivery_methods": ["text"]}, "credentials": {"auth_token": "t"}})),
    )
    .await;
    assert_eq!(refused.status, 400);
    assert_eq!(
        emulator.state().tenant_phone.provider.unwrap().name,
        "custom"
    );
}

#[tokio::test]
async fn templates_are_created_patched_reset_and_deleted() {
    let emulator = emulator_of_kind(true).await;
    let list = api(&emulator, "GET", "/branding/phone/templates", None).await;
    let enroll = list.body["templates"][1].clone();
    assert_eq!(enroll["type"], json!("otp_enroll"));
    let path = format!(
        "/branding/phone/templates/{}",
        enroll["id"].as_str().unwrap()
    );

    let patched = api(
        &emulator,
        "PATCH",
        &path,
        Some(json!({"disabled": true, "content": {"from": "+15550002222", "body": {"text": "Code: {{ code }}"}}})),
    )
    .await;
    assert_eq!(patched.status, 200, "{}", patched.body);
    assert_eq!(patched.body["disabled"], json!(true));
    assert_eq!(
        patched.body["content"],
        json!({
            "syntax": "liquid",
            "body": {"text": "Code: {{ code }}", "voice": enroll["content"]["body"]["voice"]},
            "from": "+15550002222"
        })
    );
    assert_eq!(api(&emulator, "GET", &path, None).await.body, patched.body);

    for (body, property) in [
        (json!({"type": "otp_verify"}), "type"),
        (json!({"content": {"syntax": "liquid"}}), "syntax"),
    ] {
        let refused = api(&emulator, "PATCH", &path, Some(body)).await;
        assert_eq!(refused.status, 400);
        assert!(
            refused.body["message"]
                .as_str()
                .unwrap()
                .contains(&format!("Additional properties not allowed: {property}")),
            "{}",
            refused.body
        );
    }

    let reset = api(
        &emulator,
        "PATCH",
        &format!("{path}/reset"),
        Some(json!({})),
    )
    .await;
    assert_eq!(reset.status, 200, "{}", reset.body);
    assert_eq!(reset.body["content"], enroll["content"]);
    assert_eq!(reset.body["disabled"], json!(true));

    let created = api(
        &emulator,
        "POST",
        "/branding/phone/templates",
        Some(json!({"type": "blocked_account", "disabled": false, "content": {"body": {"text": "Blocked", "voice": "Blocked"}}})),
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(
        created.body["content"],
        json!({"syntax": "liquid", "body": {"text": "Blocked", "voice": "Blocked"}})
    );
    let created_path = format!(
        "/branding/phone/templates/{}",
        created.body["id"].as_str().unwrap()
    );
    assert_eq!(
        api(&emulator, "DELETE", &created_path, None).await.status,
        204
    );
    assert_eq!(api(&emulator, "GET", &created_path, None).await.status, 404);
    let bad_type = api(
        &emulator,
        "POST",
        "/branding/phone/templates",
        Some(json!({"type": "welcome"})),
    )
    .await;
    assert_eq!(bad_type.status, 400);
    assert_eq!(
        api(
            &emulator,
            "PATCH",
            "/branding/phone/templates/tem_nope/reset",
            None
        )
        .await
        .status,
        404
    );
}

#[tokio::test]
async fn branding_endpoints_check_their_scopes() {
    let emulator = emulator_of_kind(true).await;
    let cases = [
        ("GET", "/branding/phone/providers", "read:phone_providers"),
        (
            "POST",
            "/branding/phone/providers",
            "create:phone_providers",
        ),
        (
            "GET",
            "/branding/phone/providers/pro_1",
            "read:phone_providers",
        ),
        (
            "PATCH",
            "/branding/phone/providers/pro_1",
            "update:phone_providers",
        ),
        (
            "DELETE",
            "/branding/phone/providers/pro_1",
            "delete:phone_providers",
        ),
        ("GET", "/branding/phone/templates", "read:phone_templates"),
        (
            "POST",
            "/branding/phone/templates",
            "create:phone_templates",
        ),
        (
            "GET",
            "/branding/phone/templates/tem_1",
            "read:phone_templates",
        ),
        (
            "PATCH",
            "/branding/phone/templates/tem_1",
            "update:phone_templates",
        ),
        (
            "PATCH",
            "/branding/phone/templates/tem_1/reset",
            "update:phone_templates",
        ),
        (
            "DELETE",
            "/branding/phone/templates/tem_1",
            "delete:phone_templates",
        ),
    ];
    for (method, path, scope) in cases {
        let others: Vec<&str> = ALL_SCOPES.iter().copied().filter(|s| *s != scope).collect();
        let answer = call(&emulator, &others, method, path, Some(json!({}))).await;
        assert_eq!(answer.status, 403, "{method} {path}");
        assert_eq!(
            answer.body["message"],
            json!(format!("Insufficient scope, expected any of: {scope}"))
        );
    }
    assert_eq!(
        api(
            &emulator,
            "PUT",
            "/branding/phone/providers",
            Some(json!({}))
        )
        .await
        .status,
        404
    );
}

#[tokio::test]
async fn the_auth_token_is_masked_in_the_log_and_kept_in_the_state_hooks() {
    let emulator = emulator_of_kind(true).await;
    api(
        &emulator,
        "POST",
        "/branding/phone/providers",
        Some(twilio_provider()),
    )
    .await;
    let log: Value = client()
        .get(format!("{}/__emulator/requests", emulator.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(!log.to_string().contains(AUTH_TOKEN));
    assert_eq!(
        log[0]["body"]["credentials"]["auth_token"],
        json!("(sensitive value)")
    );
    assert_eq!(log[0]["status"], json!(201));

    let state: Value = client()
        .get(format!("{}/__emulator/state", emulator.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        state["tenant_phone"]["provider"]["credentials"]["auth_token"],
        json!(AUTH_TOKEN)
    );
    // The state seeds another emulator as it is.
    let seeded: TenantState = serde_json::from_value(state).unwrap();
    let other = emulator_with_state(seeded.clone()).await;
    assert_eq!(other.state(), seeded);
    let id = seeded.tenant_phone.provider.unwrap().id;
    assert_eq!(
        api(
            &other,
            "GET",
            &format!("/branding/phone/providers/{id}"),
            None
        )
        .await
        .status,
        200
    );

    // Reset returns to a new tenant: no provider, default templates.
    emulator.reset();
    assert_eq!(
        emulator.state(),
        EmulatorConfig {
            consolidated_phone: true,
            ..EmulatorConfig::default()
        }
        .new_tenant()
    );
}
