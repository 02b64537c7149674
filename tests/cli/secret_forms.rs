//! Secrets and personal data stay out of every output whatever form their text takes: copied
//! into another field or another file (the job summary), quoted back by the API in any field
//! or JSON-escaped, lower-cased into a domain name, repeated on another line of an invalid
//! config file; and a user's profile stays out of `-vv` logs. Each test scans every output of
//! its runs (stdout, stderr, files written) for the values it used, in every form.

use std::path::Path;

use serde_json::json;

use crate::support::{EmulatorProcess, Run, mfactl, temp_config};

/// A Twilio auth token written into a template as well as `auth_token`.
const TOKEN: &str = "PlainSecretNoQuotes1";

/// A Twilio auth token with characters JSON escapes.
const ESCAPED_TOKEN: &str = r#"Sec"ret\Val.*[x]$"#;

/// Twilio on, with `${TWILIO_AUTH_TOKEN}` in `auth_token` and in a template.
const TWILIO_ECHO: &str = "version: 1
factors: {sms: true}
phone:
  provider: twilio
  message_types: [sms]
  twilio:
    sid: AC00000000000000000000000000000000
    auth_token: ${TWILIO_AUTH_TOKEN}
    from: \"+15550001111\"
  templates:
    enrollment_message: \"{{code}} ${TWILIO_AUTH_TOKEN}\"
    verification_message: \"{{code}} x\"
";

/// Every form a value may take in text: as is, lower- and upper-cased, JSON-escaped.
fn forms(value: &str) -> Vec<String> {
    let mut forms = vec![
        value.to_string(),
        value.to_lowercase(),
        value.to_uppercase(),
    ];
    let escaped = serde_json::to_string(value).unwrap();
    forms.push(escaped.trim_matches('"').to_string());
    forms
}

/// Fails if any of `texts` holds any form of any of `values`.
fn assert_none_in(texts: &[(&str, &str)], values: &[&str]) {
    for value in values {
        for form in forms(value) {
            for (name, text) in texts {
                assert!(
                    !text.contains(&form),
                    "{form:?} (a form of {value:?}) leaked into {name}:\n{text}"
                );
            }
        }
    }
}

fn outputs(run: &Run) -> [(&str, &str); 2] {
    [("stdout", &run.stdout), ("stderr", &run.stderr)]
}

/// A tenants file naming the emulator twice (`a`, `b`), with its client credentials from the
/// environment.
fn tenants_file(dir: &Path, emulator: &EmulatorProcess) -> String {
    let tenant = |name: &str| {
        format!(
            "  {name}:\n    domain: {}\n    client_id: ${{AUTH0_CLIENT_ID}}\n    client_secret: ${{AUTH0_CLIENT_SECRET}}\n",
            emulator.domain
        )
    };
    let path = dir.join("tenants.yaml");
    std::fs::write(&path, format!("tenants:\n{}{}", tenant("a"), tenant("b"))).unwrap();
    path.display().to_string()
}

#[test]
fn the_job_summary_is_scrubbed_like_stdout() {
    let emulator = EmulatorProcess::start(&[]);
    let (dir, config) = temp_config("twilio.yaml", TWILIO_ECHO);
    let config = config.display().to_string();
    let summary = dir.path().join("summary.md");
    let summary_arg = summary.display().to_string();
    let tenants = tenants_file(dir.path(), &emulator);
    let mut env = emulator.env();
    env.push(("TWILIO_AUTH_TOKEN", TOKEN));
    env.push(("GITHUB_STEP_SUMMARY", &summary_arg));

    let runs = [
        mfactl(&["plan", "-c", &config, "--format", "markdown"], &env),
        mfactl(&["plan", "-c", &config, "--tenants", &tenants], &env),
        mfactl(&["apply", "-c", &config, "--auto-approve"], &env),
    ];
    for run in &runs {
        assert_eq!(run.code, 0, "{}", run.transcript());
        assert_none_in(&outputs(run), &[TOKEN]);
    }
    let written = std::fs::read_to_string(&summary).unwrap();
    assert_none_in(&[("the job summary", &written)], &[TOKEN]);
    // The three plans are there, scrubbed the way stdout is.
    assert_eq!(
        written.matches("<!-- mfactl-plan -->").count(),
        3,
        "{written}"
    );
    assert!(
        written.contains("enrollment_message: \"{{code}} (sensitive value)\""),
        "{written}"
    );
    assert!(runs[0].stdout.contains("{{code}} (sensitive value)"));
}

/// A file with an error elsewhere: the template repeats the env secret's text.
const INVALID_WITH_ENV_SECRET: &str = "version: 1
phone:
  twilio:
    sid: AC00000000000000000000000000000000
    auth_token: ${TWILIO_AUTH_TOKEN}
    from: \"+15550001111\"
  templates:
    enrollment_message: \"EnvTok3nSecret99 here\"
    verification_message: \"{{code}}\"
  otp: {length: 3}
";

#[test]
fn env_secrets_are_scrubbed_from_the_diagnostics_of_an_invalid_file() {
    let (_dir, config) = temp_config("invalid.yaml", INVALID_WITH_ENV_SECRET);
    let config = config.display().to_string();
    let env = [("TWILIO_AUTH_TOKEN", "EnvTok3nSecret99")];
    for args in [
        vec!["validate", "-c", &config],
        vec!["validate", "-c", &config, "--format", "json"],
        vec!["plan", "-c", &config, "--emulator"],
    ] {
        let run = mfactl(&args, &env);
        assert_eq!(run.code, 1, "{}", run.transcript());
        assert!(run.stderr.contains("otp.length") || run.stdout.contains("otp.length"));
        assert_none_in(&outputs(&run), &["EnvTok3nSecret99"]);
    }
    let run = mfactl(&["validate", "-c", &config], &env);
    assert!(
        run.stderr
            .contains("enrollment_message: \"(sensitive value) here\""),
        "{}",
        run.stderr
    );
}

#[test]
fn debug_logs_never_show_a_secret_the_api_echoes_in_another_field() {
    let emulator = EmulatorProcess::start(&[]);
    let (dir, config) = temp_config("twilio.yaml", TWILIO_ECHO);
    let config = config.display().to_string();
    let tenants = tenants_file(dir.path(), &emulator);
    let mut env = emulator.env();
    env.push(("TWILIO_AUTH_TOKEN", ESCAPED_TOKEN));
    let applied = mfactl(&["apply", "-c", &config, "--auto-approve"], &env);
    assert_eq!(applied.code, 0, "{}", applied.transcript());

    // Commands that learn the secret only from the tenant's answers.
    let connection: Vec<(&str, &str)> = emulator.env()[..3].to_vec();
    let exported = mfactl(&["-vv", "export"], &connection);
    let diffed = mfactl(&["-vv", "diff-tenants", "--tenants", &tenants], &connection);
    // And commands that know it from the config.
    let planned = mfactl(&["-vv", "plan", "-c", &config], &env);
    for run in [&applied, &exported, &diffed, &planned] {
        assert_none_in(&outputs(run), &[ESCAPED_TOKEN]);
    }
    for run in [&exported, &diffed, &planned] {
        assert_eq!(run.code, 0, "{}", run.transcript());
        assert!(run.stderr.contains("answer body"), "{}", run.stderr);
    }
    assert!(
        exported
            .stderr
            .contains(r#""enrollment_message":"{{code}} (sensitive value)""#),
        "{}",
        exported.stderr
    );
}

#[test]
fn credentials_do_not_leak_in_another_letter_case() {
    let emulator = EmulatorProcess::start(&[]);
    let secret = emulator.client_secret.clone();
    assert_ne!(
        secret,
        secret.to_lowercase(),
        "the test needs a mixed-case secret"
    );
    let guarded = "version: 1\ntenant: acme.auth0.com\nfactors: {otp: true}\n";
    let (dir, config) = temp_config("guarded.yaml", guarded);
    let config = config.display().to_string();
    let plain = dir.path().join("plain.yaml");
    std::fs::write(&plain, "version: 1\nfactors: {otp: true}\n").unwrap();
    let plain = plain.display().to_string();
    let mut env = emulator.env();
    env[0] = ("AUTH0_DOMAIN", &secret);
    let quick = ["--max-attempts", "1"];
    let mismatch = mfactl(&["plan", "-c", &config], &env);
    let no_host = mfactl(&[&["plan", "-c", &plain][..], &quick].concat(), &env);
    // Longer than a DNS label (63), so the host is refused without a lookup.
    let api_token = format!("Api-Token-As-Domain-{}", "Xy".repeat(30));
    let token = mfactl(
        &["plan", "-c", &plain, "--max-attempts", "1"],
        &[
            ("AUTH0_DOMAIN", &api_token),
            ("AUTH0_API_TOKEN", &api_token),
        ],
    );
    for run in [&mismatch, &no_host, &token] {
        assert_none_in(&outputs(run), &[&secret, &api_token]);
        assert_eq!(run.code, 1, "{}", run.transcript());
        assert!(run.stderr.contains("(sensitive value)"), "{}", run.stderr);
    }

    // A tenants file's `vars` secret used as the config's `tenant:`.
    let vars_config = dir.path().join("vars.yaml");
    std::fs::write(
        &vars_config,
        TWILIO_ECHO.replace("version: 1\n", "version: 1\ntenant: ${DOMAIN}\n"),
    )
    .unwrap();
    let vars_tenants = dir.path().join("vars-tenants.yaml");
    std::fs::write(
        &vars_tenants,
        format!(
            "tenants:\n  prod:\n    domain: {}\n    client_id: ${{AUTH0_CLIENT_ID}}\n    client_secret: ${{AUTH0_CLIENT_SECRET}}\n    vars:\n      TWILIO_AUTH_TOKEN: ${{PROD_TWILIO}}\n      DOMAIN: ${{PROD_TWILIO}}\n",
            emulator.domain
        ),
    )
    .unwrap();
    let mut env = emulator.env();
    env.push(("PROD_TWILIO", "VarsSecretTwilio123"));
    let fleet = mfactl(
        &[
            "plan",
            "-c",
            &vars_config.display().to_string(),
            "--tenants",
            &vars_tenants.display().to_string(),
        ],
        &env,
    );
    assert_none_in(&outputs(&fleet), &["VarsSecretTwilio123"]);
    assert_eq!(fleet.code, 1, "{}", fleet.transcript());
    assert!(
        fleet.stdout.contains("for tenant `(sensitive value)`"),
        "{}",
        fleet.transcript()
    );
}

#[test]
fn a_secret_written_in_clear_is_masked_on_every_line_that_repeats_it() {
    let files = [
        // An unknown key repeating it.
        "version: 1\nduo:\n  ikey: DIXXXXXXXXXXXXXXXXXX\n  skey: ClearDuoSkey12345\n  host: ClearDuoSkey12345\n  hots: ClearDuoSkey12345\n",
        // A flow mapping on one line.
        "version: 1\nphone:\n  twilio: {sid: AC00000000000000000000000000000000, auth_token: ClearDuoSkey12345, from: \"+15550001111\", extra: ClearDuoSkey12345}\n",
        // A syntax error on a later line.
        "version: 1\nphone:\n  twilio:\n    sid: AC00000000000000000000000000000000\n    auth_token: ClearDuoSkey12345\n    from: \"+15550001111\"\n  templates:\n    enrollment_message: \"{{code}} ClearDuoSkey12345\n",
    ];
    for text in files {
        let (_dir, config) = temp_config("clear.yaml", text);
        let config = config.display().to_string();
        for args in [
            vec!["validate", "-c", &config],
            vec!["validate", "-c", &config, "--format", "json"],
            vec!["validate", "--no-env", "-c", &config],
            vec!["plan", "-c", &config, "--emulator"],
        ] {
            let run = mfactl(&args, &[]);
            assert_eq!(run.code, 1, "{}", run.transcript());
            assert_none_in(&outputs(&run), &["ClearDuoSkey12345"]);
        }
    }
}

#[test]
fn debug_logs_of_user_lookups_show_no_personal_data() {
    let emulator = EmulatorProcess::start(&[]);
    // Through `POST /users`, which takes the whole profile; the emulator fills in `name`,
    // `nickname` and `picture` from the email the way Auth0 does.
    let created = create_user(
        &emulator,
        json!({
            "connection": "Username-Password-Authentication",
            "email": "chuck334@example.com",
            "given_name": "Chuckgiven",
            "family_name": "Sanchezfamily",
            "username": "chuckusername",
            "phone_number": "+15550009876",
        }),
    );
    assert!(created["user_id"].is_string(), "{created}");
    let env = emulator.env();
    let run = mfactl(
        &["-vv", "users", "methods", "list", "chuck334@example.com"],
        &env,
    );
    // The emulator's defaults: `name` the email, `nickname` its local part, a Gravatar of its
    // MD5 hash.
    let state = emulator.state().to_string();
    let avatar = state
        .find("gravatar.com/avatar/")
        .map(|at| &state[at + "gravatar.com/avatar/".len()..])
        .expect("a Gravatar picture");
    let hash: String = avatar.chars().take_while(char::is_ascii_hexdigit).collect();
    assert_eq!(hash.len(), 32, "{avatar}");
    assert_none_in(
        &outputs(&run),
        &[
            "chuck334",
            "example.com",
            "Chuckgiven",
            "Sanchezfamily",
            "chuckusername",
            "+15550009876",
            "5550009876",
            &hash,
        ],
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(run.stderr.contains("users-by-email"), "{}", run.stderr);
    // The API's masks where it has one, redacted otherwise.
    assert!(
        run.stderr.contains(r#""email":"chuc****@exam*******""#),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(r#""nickname":"(personal data)""#),
        "{}",
        run.stderr
    );
}

/// `POST /api/v2/users` on the emulator; returns the user as created.
fn create_user(emulator: &EmulatorProcess, body: serde_json::Value) -> serde_json::Value {
    let token = emulator.token_with(&["create:users"]);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let _ = rustls::crypto::ring::default_provider().install_default();
    runtime.block_on(async {
        let answer = reqwest::Client::new()
            .post(format!("{}/api/v2/users", emulator.domain))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap();
        answer.json().await.unwrap()
    })
}
