//! `mfactl validate` on good and bad files, as a user sees it.

use crate::support::{EXAMPLES, SECRET_ENV, mfactl, root, secret_values};

/// The environment for the invalid-file tests: three of the secrets set, three not.
const PARTIAL_ENV: &[(&str, &str)] = &[
    SECRET_ENV[0], // TWILIO_AUTH_TOKEN
    SECRET_ENV[1], // AWS_SECRET_ACCESS_KEY
    SECRET_ENV[2], // APNS_P12
];

#[test]
fn every_invalid_config_fails_with_its_diagnostic() {
    let mut count = 0;
    insta::glob!("..", "invalid/*.yaml", |path| {
        count += 1;
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let relative = format!("tests/invalid/{name}");
        let run = mfactl(&["validate", "-c", &relative], PARTIAL_ENV);
        assert_eq!(
            run.code,
            1,
            "{name} should be invalid:\n{}",
            run.transcript()
        );
        run.assert_no_secrets(&secret_values());
        assert!(
            !run.stderr.contains("clear-text-duo-secret-123"),
            "a secret written in the file must be masked:\n{}",
            run.stderr
        );
        let whole_file = ["01-empty", "52-comments-only"];
        if !whole_file.iter().any(|w| name.starts_with(w)) {
            let located = format!("--> {relative}:");
            assert!(
                run.stderr.contains(&located),
                "{name}: no line:column in\n{}",
                run.stderr
            );
        }
        insta::assert_snapshot!(run.transcript());
    });
    assert!(count >= 30, "only {count} invalid configs");
}

#[test]
fn every_example_validates_without_warnings() {
    let mut seen = 0;
    let entries = std::fs::read_dir(root().join("examples")).unwrap();
    for entry in entries {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("yaml") {
            continue;
        }
        seen += 1;
        let relative = format!("examples/{}", path.file_name().unwrap().to_str().unwrap());
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("# yaml-language-server: $schema=../schema/mfactl.schema.json\n"),
            "{relative} must start with the schema line"
        );
        let run = mfactl(&["validate", "--strict", "-c", &relative], SECRET_ENV);
        assert_eq!(run.code, 0, "{}", run.transcript());
        assert_eq!(run.stdout, format!("{relative}: valid\n"));
        assert_eq!(run.stderr, "");
        run.assert_no_secrets(&secret_values());
    }
    assert_eq!(seen, EXAMPLES.len(), "every example of the shared table");
}

#[test]
fn missing_variables_are_all_named_in_one_error() {
    let run = mfactl(&["validate", "-c", "examples/full.yaml"], &[]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains(
        "error: 5 environment variables are not set: TWILIO_AUTH_TOKEN, AWS_SECRET_ACCESS_KEY, APNS_P12, FCM_V1_CREDENTIALS, DUO_SECRET_KEY"
    ), "{}", run.stderr);
    assert_eq!(run.stderr.matches("error:").count(), 1, "{}", run.stderr);
}

#[test]
fn no_env_checks_a_file_without_its_secrets() {
    let run = mfactl(&["validate", "--no-env", "-c", "examples/full.yaml"], &[]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(run.stdout, "examples/full.yaml: valid\n");
}

#[test]
fn warnings_pass_unless_strict() {
    let file = "tests/warnings/template-without-code.yaml";
    let run = mfactl(&["validate", "-c", file], SECRET_ENV);
    assert_eq!(run.code, 0, "{}", run.transcript());
    insta::assert_snapshot!("warnings_pass", run.transcript());
    let strict = mfactl(&["validate", "--strict", "-c", file], SECRET_ENV);
    assert_eq!(strict.code, 1, "{}", strict.transcript());
    assert!(
        strict
            .stderr
            .contains("error: `phone.templates.enrollment_message` does not contain `{{code}}`")
    );
    strict.assert_no_secrets(&secret_values());
}

#[test]
fn json_format_lists_diagnostics_with_positions() {
    let run = mfactl(
        &[
            "validate",
            "--format",
            "json",
            "-c",
            "tests/invalid/07-misspelt-factor.yaml",
        ],
        &[],
    );
    assert_eq!(run.code, 1);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(value["valid"], false);
    let first = &value["diagnostics"][0];
    assert_eq!(first["line"], 3);
    assert_eq!(first["column"], 3);
    assert_eq!(first["severity"], "error");
    assert_eq!(first["message"], "unknown key `opt`");
    assert_eq!(first["help"], "did you mean `otp`?");
}

#[test]
fn an_unreadable_file_is_reported() {
    let run = mfactl(
        &["validate", "-c", "tests/invalid/does-not-exist.yaml"],
        &[],
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .starts_with("error: cannot read tests/invalid/does-not-exist.yaml:")
    );
}

#[test]
fn several_files_are_checked_each_on_its_own() {
    let run = mfactl(
        &[
            "validate",
            "--no-env",
            "-c",
            "examples/minimal.yaml",
            "tests/invalid/07-misspelt-factor.yaml",
            "examples/adaptive.yaml",
            "tests/invalid/does-not-exist.yaml",
        ],
        &[],
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert_eq!(
        run.stdout,
        "examples/minimal.yaml: valid\ntests/invalid/07-misspelt-factor.yaml: 1 error\nexamples/adaptive.yaml: valid\n"
    );
    assert!(
        run.stderr
            .contains("--> tests/invalid/07-misspelt-factor.yaml:3:3"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("error: cannot read tests/invalid/does-not-exist.yaml:"),
        "{}",
        run.stderr
    );

    let all_valid = mfactl(
        &[
            "validate",
            "--no-env",
            "examples/minimal.yaml",
            "examples/full.yaml",
        ],
        &[],
    );
    assert_eq!(all_valid.code, 0, "{}", all_valid.transcript());
}

#[test]
fn several_files_in_json_are_one_document_each() {
    let run = mfactl(
        &[
            "validate",
            "--format",
            "json",
            "--no-env",
            "examples/minimal.yaml",
            "tests/invalid/07-misspelt-factor.yaml",
        ],
        &[],
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    let documents: Vec<serde_json::Value> = serde_json::Deserializer::from_str(&run.stdout)
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(documents.len(), 2, "{}", run.stdout);
    assert_eq!(documents[0]["file"], "examples/minimal.yaml");
    assert_eq!(documents[0]["valid"], true);
    assert_eq!(documents[1]["valid"], false);
}

#[test]
fn validate_needs_a_file() {
    let run = mfactl(&["validate", "--no-env"], &[]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(
        run.stderr
            .contains("error: the following required arguments were not provided"),
        "{}",
        run.stderr
    );
}

/// A hook of `.pre-commit-hooks.yaml`, with the keys pre-commit reads from it.
#[derive(serde::Deserialize)]
struct Hook {
    id: String,
    entry: String,
    language: String,
    files: String,
}

#[test]
fn the_pre_commit_hook_runs_validate_on_the_files_it_is_given() {
    let text = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    let hooks: Vec<Hook> = serde_saphyr::from_str(&text).unwrap();
    let ids: Vec<(&str, &str)> = hooks
        .iter()
        .map(|h| (h.id.as_str(), h.language.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            ("mfactl-validate", "rust"),
            ("mfactl-validate-system", "system")
        ]
    );
    for hook in &hooks {
        assert_eq!(hook.entry, hooks[0].entry, "{}", hook.id);
        assert_eq!(hook.files, hooks[0].files, "{}", hook.id);
    }
    // pre-commit runs the entry with the changed files that match `files` appended.
    let mut words = hooks[0].entry.split_whitespace();
    assert_eq!(words.next(), Some("mfactl"));
    let args: Vec<&str> = words.collect();
    assert_eq!(args, ["validate", "--no-env"]);

    let with = |files: &[&'static str]| {
        let mut all = args.clone();
        all.extend_from_slice(files);
        mfactl(&all, &[])
    };
    // The secrets of full.yaml are not set: --no-env still checks it.
    let good = with(&["examples/minimal.yaml", "examples/full.yaml"]);
    assert_eq!(good.code, 0, "{}", good.transcript());
    assert_eq!(
        good.stdout,
        "examples/minimal.yaml: valid\nexamples/full.yaml: valid\n"
    );
    let bad = with(&[
        "examples/minimal.yaml",
        "tests/invalid/13-misspelt-policy.yaml",
    ]);
    assert_eq!(bad.code, 1, "{}", bad.transcript());
    assert!(
        bad.stderr
            .contains("--> tests/invalid/13-misspelt-policy.yaml:"),
        "{}",
        bad.stderr
    );
}
