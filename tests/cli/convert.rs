//! `mfactl convert deploy-cli|terraform` end to end. For each converter: an emulator is
//! configured through the Management API endpoints with the calls the other tool makes for the
//! fixture (deploy-cli's handlers, terraform-provider-auth0's `auth0_guardian` update), the
//! fixture is converted, and `mfactl plan` of the converted file against that tenant must be
//! empty. The converted files and the stderr reports are snapshots; no secret of the inputs
//! ever appears in an output.

use std::path::Path;

use serde_json::{Value, json};

use crate::support::{EmulatorProcess, Run, mfactl, root};

const DEPLOY_CLI_YAML: &str = "tests/fixtures/convert/deploy-cli-yaml/tenant.yaml";
const DEPLOY_CLI_DIRECTORY: &str = "tests/fixtures/convert/deploy-cli-directory";
const TERRAFORM: [&str; 3] = [
    "tests/fixtures/convert/terraform/main.tf",
    "tests/fixtures/convert/terraform/variables.tf",
    "tests/fixtures/convert/terraform/terraform.tfvars",
];
const TERRAFORM_DIRECT: &str = "tests/fixtures/convert/terraform-direct/guardian.tf";

/// The secrets the fixtures hold in clear.
const SECRETS_IN_CLEAR: &[&str] = &[
    "9f8e7d6c5b4a39281706f5e4d3c2b1a0",
    "Zh5eGmUq9zpfQnyUIu5OL9iWoMMv5ZNmk3zLJ4Ep",
];

/// deploy-cli's keyword mappings for the fixtures (its `AUTH0_KEYWORD_REPLACE_MAPPINGS`).
const KEYWORDS: &[(&str, &str)] = &[
    ("ENVIRONMENT", "prod"),
    ("APP_DOMAIN", "app.acme.example"),
    ("TWILIO_AUTH_TOKEN", "twilio-token-from-the-mappings"),
    ("COMPANY_NAME", "Acme"),
];

/// The Management API of an emulator, called as another tool calls it.
struct Api<'a> {
    emulator: &'a EmulatorProcess,
    runtime: tokio::runtime::Runtime,
    client: reqwest::Client,
    token: String,
}

impl<'a> Api<'a> {
    fn new(emulator: &'a EmulatorProcess) -> Self {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let client = reqwest::Client::new();
        let token = runtime.block_on(async {
            let answer: Value = client
                .post(format!("{}/oauth/token", emulator.domain))
                .json(&json!({
                    "grant_type": "client_credentials",
                    "client_id": emulator.client_id,
                    "client_secret": emulator.client_secret,
                    "audience": format!("{}/api/v2/", emulator.domain),
                }))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            answer["access_token"].as_str().unwrap().to_string()
        });
        Api {
            emulator,
            runtime,
            client,
            token,
        }
    }

    /// Sends one request and requires a 2xx answer.
    fn send(&self, method: &str, path: &str, body: Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let url = format!("{}/api/v2{path}", self.emulator.domain);
        let (status, text) = self.runtime.block_on(async {
            let response = self
                .client
                .request(method.clone(), url)
                .bearer_auth(&self.token)
                .json(&body)
                .send()
                .await
                .unwrap();
            (response.status(), response.text().await.unwrap())
        });
        assert!(
            status.is_success(),
            "{method} {path} answered {status}: {text}"
        );
    }
}

/// What deploy-cli sends for its MFA sections (auth0-deploy-cli
/// `src/tools/auth0/handlers/{tenant,guardian*,prompts}.ts`), in its handlers' order.
fn deploy_like_deploy_cli(api: &Api<'_>, assets: &Value) {
    if let Some(tenant) = assets.get("tenant") {
        api.send("PATCH", "/tenants/settings", tenant.clone());
    }
    for factor in assets["guardianFactors"].as_array().into_iter().flatten() {
        let mut data = factor.clone();
        let name = data["name"].as_str().unwrap().to_string();
        data.as_object_mut().unwrap().remove("name");
        // The API's list reports `trial_expired`; deploy-cli's client sends `enabled`.
        data.as_object_mut().unwrap().remove("trial_expired");
        api.send("PUT", &format!("/guardian/factors/{name}"), data);
    }
    for provider in assets["guardianFactorProviders"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let mut data = provider.clone();
        let object = data.as_object_mut().unwrap();
        let name = object.remove("name").unwrap();
        let kind = object.remove("provider").unwrap();
        let path = format!(
            "/guardian/factors/{}/providers/{}",
            name.as_str().unwrap(),
            kind.as_str().unwrap()
        );
        api.send("PUT", &path, data);
    }
    for templates in assets["guardianFactorTemplates"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let mut data = templates.clone();
        let name = data.as_object_mut().unwrap().remove("name").unwrap();
        let path = format!("/guardian/factors/{}/templates", name.as_str().unwrap());
        api.send("PUT", &path, data);
    }
    if let Some(selected) = assets.get("guardianPhoneFactorSelectedProvider") {
        api.send(
            "PUT",
            "/guardian/factors/phone/selected-provider",
            selected.clone(),
        );
    }
    if let Some(types) = assets.get("guardianPhoneFactorMessageTypes") {
        api.send(
            "PUT",
            "/guardian/factors/phone/message-types",
            types.clone(),
        );
    }
    if let Some(policies) = assets.get("guardianPolicies") {
        api.send("PUT", "/guardian/policies", policies["policies"].clone());
    }
    let texts = assets["prompts"]["customText"].as_object().cloned();
    for (language, prompts) in texts.into_iter().flatten() {
        for (prompt, body) in prompts.as_object().unwrap() {
            api.send(
                "PUT",
                &format!("/prompts/{prompt}/custom-text/{language}"),
                body.clone(),
            );
        }
    }
}

/// deploy-cli's keyword replacement of a file's text.
fn replace_keywords(text: &str) -> String {
    KEYWORDS.iter().fold(text.to_string(), |text, (k, v)| {
        text.replace(&format!("##{k}##"), v)
            .replace(&format!("@@{k}@@"), &format!("\"{v}\""))
    })
}

fn read_yaml_assets(path: &str) -> Value {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    serde_saphyr::from_str(&replace_keywords(&text)).unwrap()
}

/// A directory export read as deploy-cli's directory handlers assemble it.
fn read_directory_assets(path: &str) -> Value {
    let dir = root().join(path);
    let json = |relative: &str| -> Value {
        let text = std::fs::read_to_string(dir.join(relative)).unwrap();
        serde_json::from_str(&replace_keywords(&text)).unwrap()
    };
    let folder = |relative: &str| -> Value {
        let mut entries: Vec<_> = std::fs::read_dir(dir.join(relative))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        Value::Array(
            entries
                .iter()
                .map(|p| {
                    let text = std::fs::read_to_string(p).unwrap();
                    serde_json::from_str(&replace_keywords(&text)).unwrap()
                })
                .collect(),
        )
    };
    let mut message_types = json("guardian/phoneFactorMessageTypes.json");
    // The fixture copies deploy-cli's own example, `message-types`; the API (and the converted
    // file) means `message_types`.
    if let Some(types) = message_types
        .as_object_mut()
        .unwrap()
        .remove("message-types")
    {
        message_types = json!({ "message_types": types });
    }
    json!({
        "tenant": json("tenant.json"),
        "guardianFactors": folder("guardian/factors"),
        "guardianFactorProviders": folder("guardian/providers"),
        "guardianFactorTemplates": folder("guardian/templates"),
        "guardianPhoneFactorSelectedProvider": json("guardian/phoneFactorSelectedProvider.json"),
        "guardianPhoneFactorMessageTypes": message_types,
        "guardianPolicies": json("guardian/policies.json"),
        "prompts": { "customText": json("prompts/custom-text.json") },
    })
}

/// Runs mfactl and requires that no input secret appears in its output.
fn run(args: &[&str], env: &[(&str, &str)]) -> Run {
    let run = mfactl(args, env);
    run.assert_no_secrets(SECRETS_IN_CLEAR);
    run
}

/// Converts, makes the edits the report asks for (`edit`), then plans the converted file
/// against `emulator` with `variables` set: the plan must be empty. Returns the report with the
/// temporary path replaced.
fn convert_then_plan(
    args: &[&str],
    emulator: &EmulatorProcess,
    variables: &[(&str, &str)],
    edit: &dyn Fn(String) -> String,
) -> String {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("mfa.yaml");
    let mut convert_args = args.to_vec();
    convert_args.extend(["-o", output.to_str().unwrap()]);
    let conversion = run(&convert_args, &[]);
    assert_eq!(conversion.code, 0, "{}", conversion.transcript());
    assert!(conversion.stdout.is_empty(), "{}", conversion.stdout);
    let text = std::fs::read_to_string(&output).unwrap();
    for secret in SECRETS_IN_CLEAR {
        assert!(!text.contains(secret), "{secret} written to\n{text}");
    }
    let text = edit(text);
    std::fs::write(&output, &text).unwrap();

    let mut env = emulator.env();
    env.extend_from_slice(variables);
    let validate = run(
        &["validate", "--strict", "-c", output.to_str().unwrap()],
        &env,
    );
    assert_eq!(validate.code, 0, "{}\n{text}", validate.transcript());
    let plan = run(
        &[
            "plan",
            "-c",
            output.to_str().unwrap(),
            "--detailed-exitcode",
        ],
        &env,
    );
    assert_eq!(plan.code, 0, "{}\n{text}", plan.transcript());
    assert!(plan.stdout.contains("No changes."), "{}", plan.stdout);
    conversion
        .stderr
        .replace(output.to_str().unwrap(), "OUT/mfa.yaml")
}

#[test]
fn deploy_cli_yaml_plans_empty_against_the_tenant_deploy_cli_configured() {
    let emulator = EmulatorProcess::start(&[]);
    let api = Api::new(&emulator);
    deploy_like_deploy_cli(&api, &read_yaml_assets(DEPLOY_CLI_YAML));
    let report = convert_then_plan(
        &["convert", "deploy-cli", DEPLOY_CLI_YAML],
        &emulator,
        &[
            ("TWILIO_AUTH_TOKEN", SECRETS_IN_CLEAR[0]),
            ("ENVIRONMENT", "prod"),
            ("AWS_SECRET_ACCESS_KEY", "write-only-never-compared"),
        ],
        &|text| text,
    );
    insta::assert_snapshot!(report);
}

#[test]
fn deploy_cli_directory_plans_empty_against_the_tenant_deploy_cli_configured() {
    let emulator = EmulatorProcess::start(&[]);
    let api = Api::new(&emulator);
    deploy_like_deploy_cli(&api, &read_directory_assets(DEPLOY_CLI_DIRECTORY));
    let report = convert_then_plan(
        &["convert", "deploy-cli", DEPLOY_CLI_DIRECTORY],
        &emulator,
        &[("TWILIO_AUTH_TOKEN", "twilio-token-from-the-mappings")],
        // The report asks for this: a keyword marker in a prompt text cannot be a reference.
        &|text| {
            assert!(text.contains("##COMPANY_NAME##"), "{text}");
            text.replace("##COMPANY_NAME##", "Acme")
        },
    );
    insta::assert_snapshot!(report);
}

/// What terraform-provider-auth0 sends to create the fixture's `auth0_guardian`
/// (`internal/auth0/guardian/expand.go`, in `updateGuardian`'s order), with the variables'
/// values of `terraform.tfvars` and the environment.
fn apply_like_terraform(api: &Api<'_>) {
    api.send("PUT", "/guardian/policies", json!(["all-applications"]));
    api.send("PUT", "/guardian/factors/otp", json!({"enabled": true}));
    api.send(
        "PUT",
        "/guardian/factors/recovery-code",
        json!({"enabled": true}),
    );
    // phone
    api.send("PUT", "/guardian/factors/sms", json!({"enabled": true}));
    api.send(
        "PUT",
        "/guardian/factors/phone/selected-provider",
        json!({"provider": "twilio"}),
    );
    api.send(
        "PUT",
        "/guardian/factors/sms/providers/twilio",
        json!({
            "from": "+15550001111",
            "auth_token": "terraform-var-twilio-token",
            "sid": "AC9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a",
        }),
    );
    api.send(
        "PUT",
        "/guardian/factors/sms/templates",
        json!({
            "enrollment_message": "{{code}} is your Acme enrollment code.",
            "verification_message": "{{code}} is your Acme verification code.",
        }),
    );
    api.send(
        "PUT",
        "/guardian/factors/phone/message-types",
        json!({"message_types": ["sms", "voice"]}),
    );
    // webauthn_roaming, webauthn_platform
    api.send(
        "PUT",
        "/guardian/factors/webauthn-roaming",
        json!({"enabled": true}),
    );
    api.send(
        "PUT",
        "/guardian/factors/webauthn-roaming/settings",
        json!({"userVerification": "required"}),
    );
    api.send(
        "PUT",
        "/guardian/factors/webauthn-platform",
        json!({"enabled": false}),
    );
    // duo
    api.send("PUT", "/guardian/factors/duo", json!({"enabled": true}));
    api.send(
        "PUT",
        "/guardian/factors/duo/settings",
        json!({
            "skey": SECRETS_IN_CLEAR[1],
            "host": "api-e4c9863e.duosecurity.com",
            "ikey": "DIWJ8X6AEYOR5OMC6TQ1",
        }),
    );
    // push
    api.send(
        "PUT",
        "/guardian/factors/push-notification",
        json!({"enabled": true}),
    );
    api.send(
        "PUT",
        "/guardian/factors/push-notification/selected-provider",
        json!({"provider": "sns"}),
    );
    api.send(
        "PATCH",
        "/prompts/mfa-push",
        json!({
            "app_name": "Acme Authenticator",
            "apple_app_link": "https://apps.apple.com/us/app/acme-authenticator/id1234567890",
            "google_app_link": "https://play.google.com/store/apps/details?id=com.acme.authenticator",
        }),
    );
    api.send(
        "PUT",
        "/guardian/factors/push-notification/providers/sns",
        json!({
            "aws_access_key_id": "AKIAIOSFODNN7EXAMPLE",
            "aws_secret_access_key": "terraform-var-aws-secret",
            "aws_region": "us-east-1",
            "sns_apns_platform_application_arn": "arn:aws:sns:us-east-1:123456789012:app/APNS/acme-guardian",
            "sns_gcm_platform_application_arn": "arn:aws:sns:us-east-1:123456789012:app/GCM/acme-guardian",
        }),
    );
}

#[test]
fn terraform_plans_empty_against_the_tenant_terraform_configured() {
    let emulator = EmulatorProcess::start(&[]);
    apply_like_terraform(&Api::new(&emulator));
    let mut args = vec!["convert", "terraform"];
    args.extend(TERRAFORM);
    let report = convert_then_plan(
        &args,
        &emulator,
        &[
            ("TWILIO_AUTH_TOKEN", "terraform-var-twilio-token"),
            ("AWS_SECRET_ACCESS_KEY", "terraform-var-aws-secret"),
            ("AWS_REGION", "us-east-1"),
            ("DUO_SECRET_KEY", SECRETS_IN_CLEAR[1]),
        ],
        &|text| text,
    );
    insta::assert_snapshot!(report);
}

#[test]
fn terraform_direct_push_plans_empty_against_the_tenant_terraform_configured() {
    let emulator = EmulatorProcess::start(&[]);
    let api = Api::new(&emulator);
    api.send("PUT", "/guardian/policies", json!(["confidence-score"]));
    api.send("PUT", "/guardian/factors/email", json!({"enabled": true}));
    api.send("PUT", "/guardian/factors/sms", json!({"enabled": true}));
    api.send(
        "PUT",
        "/guardian/factors/phone/selected-provider",
        json!({"provider": "auth0"}),
    );
    api.send(
        "PUT",
        "/guardian/factors/sms/templates",
        json!({
            "enrollment_message": "{{code}} is your Acme enrollment code",
            "verification_message": "{{code}} is your Acme verification code",
        }),
    );
    api.send(
        "PUT",
        "/guardian/factors/phone/message-types",
        json!({"message_types": ["sms"]}),
    );
    api.send(
        "PUT",
        "/guardian/factors/webauthn-platform",
        json!({"enabled": true}),
    );
    api.send(
        "PUT",
        "/guardian/factors/webauthn-platform/settings",
        json!({"overrideRelyingParty": true, "relyingPartyIdentifier": "acme.example"}),
    );
    api.send(
        "PUT",
        "/guardian/factors/push-notification",
        json!({"enabled": true}),
    );
    api.send(
        "PUT",
        "/guardian/factors/push-notification/selected-provider",
        json!({"provider": "direct"}),
    );
    api.send(
        "PATCH",
        "/prompts/mfa-push",
        json!({"app_name": "Acme", "apple_app_link": "https://apps.apple.com/app/acme/id987654321"}),
    );
    api.send(
        "PUT",
        "/guardian/factors/push-notification/providers/apns",
        json!({"sandbox": false, "bundle_id": "com.acme.mobile", "p12": "MIIKYQIBAzCCCh8GCSqGSIb3DQEHAaCCChAEggoMMIIKCDCCBL8"}),
    );
    api.send(
        "PUT",
        "/guardian/factors/push-notification/providers/fcmv1",
        json!({"server_credentials": "{\"type\": \"service_account\"}"}),
    );
    let report = convert_then_plan(
        &["convert", "terraform", TERRAFORM_DIRECT],
        &emulator,
        &[
            (
                "APNS_P12",
                "MIIKYQIBAzCCCh8GCSqGSIb3DQEHAaCCChAEggoMMIIKCDCCBL8",
            ),
            ("FCM_V1_CREDENTIALS", "{\"type\": \"service_account\"}"),
        ],
        &|text| text,
    );
    insta::assert_snapshot!(report);
}

/// The converted files, as printed on stdout.
#[test]
fn converted_files() {
    let mut terraform = vec!["convert", "terraform"];
    terraform.extend(TERRAFORM);
    let cases: [(&str, Vec<&str>); 4] = [
        (
            "deploy_cli_yaml",
            vec!["convert", "deploy-cli", DEPLOY_CLI_YAML],
        ),
        (
            "deploy_cli_directory",
            vec!["convert", "deploy-cli", DEPLOY_CLI_DIRECTORY],
        ),
        ("terraform", terraform),
        (
            "terraform_direct",
            vec!["convert", "terraform", TERRAFORM_DIRECT],
        ),
    ];
    for (name, args) in cases {
        let conversion = run(&args, &[]);
        assert_eq!(conversion.code, 0, "{}", conversion.transcript());
        insta::assert_snapshot!(name, conversion.stdout);
    }
}

#[test]
fn unreadable_inputs_are_errors_naming_the_place() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("main.tf");
    std::fs::write(
        &broken,
        "resource \"auth0_guardian\" \"g\" {\n  policy = \n}\n",
    )
    .unwrap();
    let run_tf = run(&["convert", "terraform", broken.to_str().unwrap()], &[]);
    assert_eq!(run_tf.code, 1, "{}", run_tf.transcript());
    let shown = run_tf.stderr.replace(dir.path().to_str().unwrap(), "DIR");
    assert!(shown.starts_with("error: DIR/main.tf:2:"), "{shown}");
    assert!(run_tf.stdout.is_empty());

    let empty = dir.path().join("tenant.yaml");
    std::fs::write(&empty, "clients: []\n").unwrap();
    let run_yaml = run(&["convert", "deploy-cli", empty.to_str().unwrap()], &[]);
    assert_eq!(run_yaml.code, 1, "{}", run_yaml.transcript());
    assert!(
        run_yaml.stderr.contains("holds no MFA section"),
        "{}",
        run_yaml.stderr
    );
    let missing = run(&["convert", "deploy-cli", "no/such/tenant.yaml"], &[]);
    assert_eq!(missing.code, 1);
    assert!(
        missing
            .stderr
            .starts_with("error: cannot read no/such/tenant.yaml:"),
        "{}",
        missing.stderr
    );
    assert!(Path::new(DEPLOY_CLI_DIRECTORY).is_relative());
}

const REFUSED: &str = "tests/fixtures/convert/refused";

/// Forty locals that each double the one before would build 2⁴⁰ bytes: the converter stops at
/// its bound, names the local where it stopped, and the value that uses it becomes a reference.
#[test]
fn string_doubling_locals_stop_at_the_bound() {
    let laughs = format!("{REFUSED}/laughs.tf");
    let conversion = run(&["convert", "terraform", &laughs], &[]);
    assert_eq!(conversion.code, 0, "{}", conversion.transcript());
    assert!(
        conversion
            .stdout
            .contains("    enrollment_message: ${A39}\n"),
        "{}",
        conversion.stdout
    );
    assert!(
        !conversion.stdout.contains("lollol"),
        "{}",
        conversion.stdout
    );
    insta::assert_snapshot!(conversion.stderr);
}

/// A factor listed twice with different values is a conflict naming both places; listed twice
/// with the same value, a note.
#[test]
fn a_setting_given_twice_is_a_conflict_unless_the_values_agree() {
    let conflicting = format!("{REFUSED}/conflicting-factor.yaml");
    let conversion = run(&["convert", "deploy-cli", &conflicting], &[]);
    assert_eq!(conversion.code, 1, "{}", conversion.transcript());
    assert!(conversion.stdout.is_empty(), "{}", conversion.stdout);
    insta::assert_snapshot!("conflicting_factor", conversion.stderr);

    let repeated = format!("{REFUSED}/repeated-factor.yaml");
    let conversion = run(&["convert", "deploy-cli", &repeated], &[]);
    assert_eq!(conversion.code, 0, "{}", conversion.transcript());
    assert!(
        conversion.stdout.contains("  sms: true\n"),
        "{}",
        conversion.stdout
    );
    insta::assert_snapshot!("repeated_factor", conversion.stderr);
}

/// Mistakes in what was given: a broken JSON file of a directory export (at the place it
/// breaks), a Terraform file without `auth0_guardian`, a file named twice.
#[test]
fn refused_inputs_say_why() {
    let directory = format!("{REFUSED}/directory");
    let noguard = format!("{REFUSED}/noguard.tf");
    let dotted = format!("./{noguard}");
    let cases: [(&str, Vec<&str>); 4] = [
        ("broken_json", vec!["convert", "deploy-cli", &directory]),
        ("no_guardian", vec!["convert", "terraform", &noguard]),
        (
            "file_given_twice",
            vec!["convert", "terraform", &noguard, &noguard],
        ),
        (
            "file_given_twice_by_two_names",
            vec!["convert", "terraform", &noguard, &dotted],
        ),
    ];
    for (name, args) in cases {
        let conversion = run(&args, &[]);
        assert_eq!(conversion.code, 1, "{}", conversion.transcript());
        assert!(conversion.stdout.is_empty(), "{}", conversion.stdout);
        insta::assert_snapshot!(name, conversion.stderr);
    }
}
