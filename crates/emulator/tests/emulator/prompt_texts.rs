//! `GET/PUT /prompts/{prompt}/custom-text/{language}`: what the recording shows (an unset
//! language reads `{}`, a PUT replaces the whole object and answers with it), prompt and
//! language names checked, scopes `read:prompts` and `update:prompts`.

use serde_json::json;

use crate::support::{api, assert_error, call, emulator};

#[tokio::test]
async fn texts_are_replaced_whole_and_an_empty_object_clears_them() {
    let emulator = emulator().await;
    let path = "/prompts/mfa-sms/custom-text/en";
    let unset = api(&emulator, "GET", path, None).await;
    assert_eq!((unset.status, unset.body), (200, json!({})));

    let first = json!({
        "mfa-sms-enrollment": {"title": "Secure your account", "description": "We text you"},
        "mfa-sms-challenge": {"title": "Check your phone"}
    });
    let put = api(&emulator, "PUT", path, Some(first.clone())).await;
    assert_eq!((put.status, &put.body), (200, &first));
    assert_eq!(api(&emulator, "GET", path, None).await.body, first);

    // A second PUT replaces: the challenge screen's text is gone.
    let second = json!({"mfa-sms-enrollment": {"title": "Protect your account"}});
    api(&emulator, "PUT", path, Some(second.clone())).await;
    assert_eq!(api(&emulator, "GET", path, None).await.body, second);

    // Each prompt and language is its own object.
    for other in [
        "/prompts/mfa-sms/custom-text/fr",
        "/prompts/mfa/custom-text/en",
    ] {
        assert_eq!(api(&emulator, "GET", other, None).await.body, json!({}));
    }

    let cleared = api(&emulator, "PUT", path, Some(json!({}))).await;
    assert_eq!((cleared.status, cleared.body), (200, json!({})));
    assert_eq!(api(&emulator, "GET", path, None).await.body, json!({}));
    assert_eq!(
        emulator.state().settings["prompts.mfa-sms.en"],
        json!({}).as_object().cloned().unwrap()
    );
}

#[tokio::test]
async fn prompts_outside_mfa_are_served_too() {
    // The API customises every prompt's texts (the recording writes `login`); mfactl manages
    // only the MFA ones, but the emulator serves them all.
    let emulator = emulator().await;
    let body = json!({"login": {"title": "Welcome to ${companyName}"}});
    let put = api(
        &emulator,
        "PUT",
        "/prompts/login/custom-text/en",
        Some(body.clone()),
    )
    .await;
    assert_eq!((put.status, put.body), (200, body));
}

#[tokio::test]
async fn unknown_prompts_and_languages_are_not_found() {
    let emulator = emulator().await;
    for path in [
        "/prompts/mfa-fax/custom-text/en",
        "/prompts/mfa-sms/custom-text/xx",
        "/prompts/mfa-sms/custom-text/EN",
    ] {
        let answer = api(&emulator, "GET", path, None).await;
        assert_error(&answer, 404, "not_found", "Not Found");
        let answer = api(&emulator, "PUT", path, Some(json!({}))).await;
        assert_eq!(answer.status, 404, "PUT {path}");
    }
    assert!(
        !emulator
            .state()
            .settings
            .keys()
            .any(|k| k.starts_with("prompts."))
    );
}

#[tokio::test]
async fn bodies_must_be_screens_of_texts() {
    let emulator = emulator().await;
    let path = "/prompts/mfa/custom-text/en";
    let cases = [
        (
            json!([]),
            "Payload validation error: 'Expected type object but found type array'.",
        ),
        (
            json!({"mfa-login-options": "title"}),
            "Payload validation error: 'Expected type object but found type string' on property mfa-login-options.",
        ),
        (
            json!({"mfa-login-options": {"title": 1}}),
            "Payload validation error: 'Expected type string but found type number' on property mfa-login-options.title.",
        ),
    ];
    for (body, message) in cases {
        let answer = api(&emulator, "PUT", path, Some(body)).await;
        assert_error(&answer, 400, "invalid_body", message);
    }
    assert_eq!(api(&emulator, "GET", path, None).await.body, json!({}));
}

#[tokio::test]
async fn reads_and_writes_need_the_prompts_scopes() {
    let emulator = emulator().await;
    let path = "/prompts/mfa-otp/custom-text/de";
    let read = call(&emulator, &["update:prompts"], "GET", path, None).await;
    assert_error(
        &read,
        403,
        "insufficient_scope",
        "Insufficient scope, expected any of: read:prompts",
    );
    let write = call(&emulator, &["read:prompts"], "PUT", path, Some(json!({}))).await;
    assert_error(
        &write,
        403,
        "insufficient_scope",
        "Insufficient scope, expected any of: update:prompts",
    );
    assert_eq!(
        call(&emulator, &["read:prompts"], "GET", path, None)
            .await
            .status,
        200
    );
}
