//! The users' MFA client calls against a stub server that answers with the bodies recorded from
//! real tenants (`tests/fixtures/recordings/user-mfa-interactions.jsonl`): the client sends the
//! recorded requests (paths from the resource table's per-user endpoints) and parses every
//! recorded answer.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{Method, StatusCode, Uri};
use axum::response::IntoResponse;
use mfactl_client::{ApiError, Client, ClientOptions};
use mfactl_core::secret::Secret;
use mfactl_core::users::method::{
    MethodKind, MethodUpdate, NewMethod, PhonePreference, TicketRequest,
};
use serde_json::Value;

use crate::support::{recordings, serve, static_client};

#[derive(Default)]
struct Script {
    answers: VecDeque<(u16, String)>,
    seen: Vec<(String, String, String)>,
}

type Shared = Arc<Mutex<Script>>;

async fn answer(
    State(script): State<Shared>,
    method: Method,
    uri: Uri,
    body: Bytes,
) -> impl IntoResponse {
    let mut script = script.lock().unwrap();
    script.seen.push((
        method.to_string(),
        uri.to_string(),
        String::from_utf8_lossy(&body).into_owned(),
    ));
    let (status, text) = script.answers.pop_front().unwrap_or((500, String::new()));
    (
        StatusCode::from_u16(status).unwrap(),
        [("content-type", "application/json; charset=utf-8")],
        text,
    )
}

/// A stub that answers each request with the next queued answer, and a client for it.
async fn server() -> (Client, Shared) {
    let script: Shared = Arc::default();
    let app = Router::new().fallback(answer).with_state(script.clone());
    let base = serve(app).await;
    (
        static_client(&base, "stub-token", ClientOptions::default()),
        script,
    )
}

/// One recorded interaction of `cassette`, by index: (status, response body, the record).
fn recorded(cassette: &str, index: u64) -> (u16, String, Value) {
    let line = recordings("user-mfa-interactions.jsonl")
        .into_iter()
        .find(|v| {
            v["source_file"].as_str().unwrap().ends_with(cassette)
                && v["interaction_index"] == index
        })
        .unwrap();
    (
        line["status"].as_u64().unwrap() as u16,
        line["response_body"].as_str().unwrap().to_owned(),
        line,
    )
}

fn queue(script: &Shared, answers: &[(u16, String)]) {
    script
        .lock()
        .unwrap()
        .answers
        .extend(answers.iter().cloned());
}

fn last_request(script: &Shared) -> (String, String, String) {
    script.lock().unwrap().seen.last().cloned().unwrap()
}

const METHODS: &str = "TestUserManager_AuthenticationMethods.yaml";
const USER: &str = "auth0|640b5a0ed3534be8b2db9dd3";

#[tokio::test]
async fn authentication_method_calls_send_and_parse_what_was_recorded() {
    let (client, script) = server().await;
    let (status, body, request) = recorded(METHODS, 1);
    queue(&script, &[(status, body)]);
    let created = client
        .create_authentication_method(
            USER,
            &NewMethod {
                kind: MethodKind::Email {
                    email: "chuck334@example.com".into(),
                },
                name: Some("Test".into()),
            },
        )
        .await
        .unwrap();
    assert_eq!(created["id"], "email|dev_f0O81fTcftc0kN2v");
    let (method, uri, sent) = last_request(&script);
    assert_eq!(method, "POST");
    assert_eq!(uri, request["path"].as_str().unwrap());
    assert_eq!(
        sent.trim(),
        request["request_body"].as_str().unwrap().trim()
    );

    // The envelope with `total`, then the empty one without it.
    for (index, count) in [(2, 1), (7, 0), (9, 3)] {
        let (status, body, _) = recorded(METHODS, index);
        queue(&script, &[(status, body)]);
        let list = client.list_authentication_methods(USER).await.unwrap();
        assert_eq!(list.len(), count, "interaction {index}");
        let (_, uri, _) = last_request(&script);
        assert_eq!(
            uri,
            "/api/v2/users/auth0%7C640b5a0ed3534be8b2db9dd3/authentication-methods?include_totals=true&page=0&per_page=50"
        );
    }

    let (status, body, request) = recorded(METHODS, 3);
    queue(&script, &[(status, body)]);
    let one = client
        .get_authentication_method(USER, "email|dev_f0O81fTcftc0kN2v")
        .await
        .unwrap();
    assert_eq!(one["email"], "chuc****@exam*******");
    assert_eq!(last_request(&script).1, request["path"].as_str().unwrap());

    let (status, body, request) = recorded(METHODS, 4);
    queue(&script, &[(status, body)]);
    let renamed = client
        .update_authentication_method(
            USER,
            "email|dev_f0O81fTcftc0kN2v",
            &MethodUpdate {
                name: Some("Test2".into()),
                preferred: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(renamed["name"], "Test2");
    assert_eq!(
        last_request(&script).2.trim(),
        request["request_body"].as_str().unwrap().trim()
    );

    let (status, body, request) = recorded(METHODS, 8);
    queue(&script, &[(status, body)]);
    let replaced = client
        .replace_authentication_methods(
            USER,
            &[
                NewMethod {
                    kind: MethodKind::Email {
                        email: "foo@example.com".into(),
                    },
                    name: Some("MyEmail".into()),
                },
                NewMethod {
                    kind: MethodKind::Phone {
                        phone_number: "+44207183875044".into(),
                        preferred: PhonePreference::Sms,
                    },
                    name: Some("MyPhone".into()),
                },
                NewMethod {
                    kind: MethodKind::Totp {
                        secret: Secret::new("5HCWXIP2MJNSUBGYVUZFLRB2HWIGXR4SYJQXNBQ"),
                    },
                    name: Some("MyTotp".into()),
                },
            ],
        )
        .await
        .unwrap();
    assert_eq!(replaced.len(), 3);
    let sent: Value = serde_json::from_str(&last_request(&script).2).unwrap();
    let recorded_body: Value =
        serde_json::from_str(request["request_body"].as_str().unwrap()).unwrap();
    // Same fields; mfactl puts `name` right after `type`.
    assert_eq!(sent, recorded_body);

    for index in [6, 10] {
        let (status, body, _) = recorded(METHODS, index);
        queue(&script, &[(status, body)]);
    }
    client
        .delete_authentication_method(USER, "email|dev_f0O81fTcftc0kN2v")
        .await
        .unwrap();
    client.delete_authentication_methods(USER).await.unwrap();
}

#[tokio::test]
async fn user_actions_and_enrollments_parse_what_was_recorded() {
    let (client, script) = server().await;
    let (status, body, _) = recorded("TestUserManager_RegenerateRecoveryCode.yaml", 1);
    queue(&script, &[(status, body)]);
    let code = client
        .regenerate_recovery_code("auth0|63d17c639d503d76c056c16e")
        .await
        .unwrap();
    assert_eq!(code.expose(), "32YCGV1JUE9G7MDJ71UTN12W");
    assert_eq!(format!("{code:?}"), "(sensitive value)");

    let (status, body, _) = recorded("TestUserManager_Enrollments.yaml", 1);
    queue(&script, &[(status, body)]);
    assert!(
        client
            .list_user_enrollments("auth0|1")
            .await
            .unwrap()
            .is_empty()
    );

    for (cassette, call) in [
        ("TestUserManager_InvalidateRememberBrowser.yaml", 0),
        (
            "should_attempt_to_delete_the_MFA_provider_for_the_User.yml",
            1,
        ),
    ] {
        let index = if cassette.ends_with(".yml") { 0 } else { 1 };
        let (status, body, request) = recorded(cassette, index);
        queue(&script, &[(status, body)]);
        let user = "auth0|613282adac819400692c0dd9";
        match call {
            0 => client.invalidate_remember_browser(user).await.unwrap(),
            _ => {
                client
                    .delete_multifactor_provider(user, "google-authenticator")
                    .await
                    .unwrap();
                assert_eq!(last_request(&script).1, request["path"].as_str().unwrap());
            }
        }
    }

    let (status, body, request) = recorded("TestGuardian/Enrollment/CreateTicket.yaml", 1);
    queue(&script, &[(status, body)]);
    let ticket = client
        .create_enrollment_ticket(&TicketRequest {
            user_id: "auth0|68998c2d684ac37fcd52bfbe".into(),
            email: Some("jon@example.com".into()),
            factor: Some("push-notification".into()),
            allow_multiple_enrollments: true,
            ..TicketRequest::default()
        })
        .await
        .unwrap();
    assert!(ticket["ticket_url"].as_str().unwrap().contains("ticket="));
    let sent: Value = serde_json::from_str(&last_request(&script).2).unwrap();
    let mut expected: Value =
        serde_json::from_str(request["request_body"].as_str().unwrap()).unwrap();
    // mfactl always says whether Auth0 should email the link.
    expected["send_mail"] = Value::Bool(false);
    assert_eq!(sent, expected);

    for (cassette, delete) in [
        ("TestGuardian/Enrollment/Get.yaml", false),
        ("TestGuardian/Enrollment/Delete.yaml", true),
    ] {
        let (status, body, _) = recorded(cassette, 0);
        queue(&script, &[(status, body)]);
        let error = if delete {
            client
                .delete_guardian_enrollment("dev_0000000000000001")
                .await
                .unwrap_err()
        } else {
            client
                .get_guardian_enrollment("dev_0000000000000001")
                .await
                .unwrap_err()
        };
        match error {
            ApiError::NotFound { message, .. } => assert_eq!(message, "Enrollment not found"),
            other => panic!("{other:?}"),
        }
    }
}

#[tokio::test]
async fn a_bare_array_list_parses_too() {
    let (client, script) = server().await;
    // The OpenAPI's other form (docs example in user-mfa-fixtures.jsonl).
    queue(
        &script,
        &[(
            200,
            r#"[{"id":"totp|dev_XXXXXXXXXXXXXXXX","type":"totp","confirmed":true,"created_at":"2021-09-23T22:57:30.206Z"}]"#.into(),
        )],
    );
    assert_eq!(
        client.list_authentication_methods("u").await.unwrap().len(),
        1
    );
    queue(&script, &[(200, r#"{"total":1}"#.into())]);
    let error = client.list_authentication_methods("u").await.unwrap_err();
    assert!(error.to_string().contains("authenticators"), "{error}");
}
