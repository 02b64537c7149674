//! The emulator's users' MFA answers that no recording shows (`unrecorded_answers.md` beside
//! this file):
//! 404 for an unknown user or method, 400 for a bad phone, an unknown type or a missing field,
//! 409 for a method that exists, paging, and Guardian enrollments of users' methods.

use mfactl_emulator::{RunningEmulator, SeedUser, StoredMethod};
use serde_json::json;

use crate::support::{api, emulator, error_message as error};

const USER: &str = "/users/auth0%7C1/authentication-methods";

async fn with_user() -> RunningEmulator {
    let emulator = emulator().await;
    let phone: StoredMethod = serde_json::from_value(
        json!({"id": "phone|dev_0123456789abcdef", "type": "phone", "phone_number": "+15551234567", "created_at": "2025-01-01T00:00:00.000Z"}),
    )
    .unwrap();
    emulator
        .add_user(SeedUser {
            user_id: Some("auth0|1".into()),
            email: Some("jo@example.com".into()),
            authentication_methods: vec![phone],
            ..SeedUser::default()
        })
        .unwrap();
    emulator
}

#[tokio::test]
async fn unknown_users_and_methods_answer_404() {
    let emulator = with_user().await;
    for (method, path) in [
        ("GET", "/users/auth0%7Cnobody/authentication-methods"),
        ("POST", "/users/auth0%7Cnobody/recovery-code-regeneration"),
        ("GET", "/users/auth0%7Cnobody/enrollments"),
        ("DELETE", "/users/auth0%7Cnobody/multifactor/duo"),
        ("GET", "/users/auth0%7Cnobody"),
    ] {
        let answer = api(&emulator, method, path, None).await;
        assert_eq!(
            error(&answer, 404, "inexistent_user"),
            "The user does not exist."
        );
    }
    for method in ["GET", "PATCH", "DELETE"] {
        let body = (method == "PATCH").then(|| json!({"name": "x"}));
        let answer = api(&emulator, method, &format!("{USER}/phone%7Cdev_nope"), body).await;
        error(&answer, 404, "inexistent_authentication_method");
    }
}

#[tokio::test]
async fn bad_bodies_answer_400_naming_the_field_and_never_the_value() {
    let emulator = with_user().await;
    let cases = [
        (
            json!({"type": "phone", "phone_number": "+0123456789"}),
            "phone_number",
        ),
        (
            json!({"type": "phone", "phone_number": "555-1234"}),
            "phone_number",
        ),
        (json!({"type": "phone"}), "phone_number"),
        (
            json!({"type": "fax", "phone_number": "+15550001111"}),
            "type",
        ),
        (json!({"type": "email", "email": "not-an-address"}), "email"),
        (
            json!({"type": "totp", "totp_secret": "not base32!"}),
            "totp_secret",
        ),
        (
            json!({"type": "email", "email": "a@b.co", "colour": "red"}),
            "colour",
        ),
        (json!({"name": "no type"}), "type"),
    ];
    for (body, field) in cases {
        let answer = api(&emulator, "POST", USER, Some(body.clone())).await;
        let message = error(&answer, 400, "invalid_body");
        assert!(message.contains(field), "{body}: {message}");
        for value in ["+0123456789", "555-1234", "not-an-address", "not base32!"] {
            assert!(!message.contains(value), "{message}");
        }
    }
    let put = api(
        &emulator,
        "PUT",
        USER,
        Some(json!([{"type": "webauthn-roaming"}])),
    )
    .await;
    error(&put, 400, "invalid_body");
    let patch = api(
        &emulator,
        "POST",
        USER,
        Some(json!({"type": "email", "email": "jo@example.com"})),
    )
    .await;
    let id = patch.body["id"].as_str().unwrap().replace('|', "%7C");
    let answer = api(
        &emulator,
        "PATCH",
        &format!("{USER}/{id}"),
        Some(json!({"preferred_authentication_method": "voice"})),
    )
    .await;
    assert!(error(&answer, 400, "invalid_body").contains("phone methods only"));
    let provider = api(
        &emulator,
        "DELETE",
        "/users/auth0%7C1/multifactor/sms",
        None,
    )
    .await;
    error(&provider, 400, "invalid_uri");
    let lookup = api(&emulator, "GET", "/users-by-email", None).await;
    error(&lookup, 400, "invalid_query_string");
    let paging = api(&emulator, "GET", &format!("{USER}?per_page=101"), None).await;
    error(&paging, 400, "invalid_query_string");
}

#[tokio::test]
async fn existing_methods_answer_409() {
    let emulator = with_user().await;
    let phone = json!({"type": "phone", "phone_number": "+15551234567"});
    let answer = api(&emulator, "POST", USER, Some(phone.clone())).await;
    assert_eq!(
        error(&answer, 409, "already_exists"),
        "Authentication method already exists."
    );
    let totp = json!({"type": "totp", "totp_secret": "JBSWY3DPEHPK3PXP"});
    assert_eq!(
        api(&emulator, "POST", USER, Some(totp.clone()))
            .await
            .status,
        201
    );
    error(
        &api(&emulator, "POST", USER, Some(totp)).await,
        409,
        "already_exists",
    );
    let twice = api(&emulator, "PUT", USER, Some(json!([phone, phone]))).await;
    error(&twice, 409, "already_exists");
}

#[tokio::test]
async fn created_methods_have_the_recorded_forms() {
    let emulator = with_user().await;
    let created = api(
        &emulator,
        "POST",
        USER,
        Some(json!({"type": "phone", "name": "Mobile", "phone_number": "+447700900123", "preferred_authentication_method": "voice"})),
    )
    .await;
    assert_eq!(created.status, 201);
    let id = created.body["id"].as_str().unwrap();
    let device = id.strip_prefix("phone|dev_").unwrap();
    assert_eq!(device.len(), 16);
    assert!(device.chars().all(|c| c.is_ascii_alphanumeric()));
    assert_eq!(created.body["phone_number"], "XXXXXXXXX0123");
    assert!(created.body.get("confirmed").is_none());
    assert_eq!(
        created.body["authentication_methods"][0]["id"],
        format!("voice|dev_{device}")
    );
    let created_at = created.body["created_at"].as_str().unwrap();
    assert_eq!(created_at.len(), 24);
    assert_eq!(&created_at[19..20], ".");
    let keys: Vec<&String> = created.body.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "type",
            "name",
            "created_at",
            "phone_number",
            "preferred_authentication_method",
            "id",
            "authentication_methods"
        ]
    );

    // Without include_totals: a bare array; with it: pages.
    let bare = api(&emulator, "GET", USER, None).await;
    assert_eq!(bare.body.as_array().unwrap().len(), 2);
    let page = api(
        &emulator,
        "GET",
        &format!("{USER}?include_totals=true&page=1&per_page=1"),
        None,
    )
    .await;
    assert_eq!(page.body["total"], 2);
    assert_eq!(page.body["start"], 1);
    assert_eq!(page.body["limit"], 1);
    assert_eq!(page.body["authenticators"][0]["id"], id);
}

#[tokio::test]
async fn phone_and_totp_methods_are_guardian_enrollments() {
    let emulator = with_user().await;
    let list = api(&emulator, "GET", "/users/auth0%7C1/enrollments", None).await;
    assert_eq!(
        list.body,
        json!([{"id": "dev_0123456789abcdef", "status": "confirmed", "type": "sms", "phone_number": "XXXXXXXX4567", "auth_method": "sms", "enrolled_at": "2025-01-01T00:00:00.000Z"}])
    );
    let one = api(
        &emulator,
        "GET",
        "/guardian/enrollments/dev_0123456789abcdef",
        None,
    )
    .await;
    assert_eq!(
        one.body,
        json!({"id": "dev_0123456789abcdef", "status": "confirmed", "phone_number": "XXXXXXXX4567", "enrolled_at": "2025-01-01T00:00:00.000Z"})
    );
    let deleted = api(
        &emulator,
        "DELETE",
        "/guardian/enrollments/dev_0123456789abcdef",
        None,
    )
    .await;
    assert_eq!(deleted.status, 204);
    let methods = api(&emulator, "GET", USER, None).await;
    assert_eq!(methods.body, json!([]));
    let again = api(
        &emulator,
        "DELETE",
        "/guardian/enrollments/dev_0123456789abcdef",
        None,
    )
    .await;
    error(&again, 404, "enrollment_not_found");
}

#[tokio::test]
async fn users_are_created_looked_up_and_deleted() {
    let emulator = with_user().await;
    let missing = api(
        &emulator,
        "POST",
        "/users",
        Some(json!({"email": "x@example.com"})),
    )
    .await;
    error(&missing, 400, "invalid_body");
    let body = json!({"connection": "Username-Password-Authentication", "email": "Jo@Example.com", "password": "p"});
    let taken = api(&emulator, "POST", "/users", Some(body)).await;
    error(&taken, 409, "auth0_idp_error");
    let found = api(
        &emulator,
        "GET",
        "/users-by-email?email=JO%40example.com",
        None,
    )
    .await;
    assert_eq!(found.body[0]["user_id"], "auth0|1");
    assert_eq!(
        api(&emulator, "DELETE", "/users/auth0%7C1", None)
            .await
            .status,
        204
    );
    assert_eq!(
        api(&emulator, "DELETE", "/users/auth0%7C1", None)
            .await
            .status,
        204
    );
    let gone = api(
        &emulator,
        "GET",
        "/users-by-email?email=jo%40example.com",
        None,
    )
    .await;
    assert_eq!(gone.body, json!([]));
}
