//! The MFA prompts' custom texts end to end: the real binary plans, applies, converges and
//! exports them against `mfactl emulator`; unknown prompts and languages are validation errors;
//! `{}` clears a language.

use serde_json::{Value, json};

use crate::support::{EmulatorProcess, Run, mfactl, secret_values, temp_config};

const SMS_TEXTS: &str = "version: 1
prompts:
  mfa-sms:
    en:
      mfa-sms-enrollment:
        title: Secure your account
        description: \"${companyName} texts you a code: enter it to finish.\"
";

fn run(emulator: &EmulatorProcess, args: &[&str]) -> Run {
    let run = mfactl(args, &emulator.env());
    run.assert_no_secrets(&secret_values());
    run
}

/// The custom texts the emulator holds for one prompt and language (`null` when never set).
fn stored(emulator: &EmulatorProcess, prompt: &str, language: &str) -> Value {
    emulator.state()["settings"][format!("prompts.{prompt}.{language}")].clone()
}

#[test]
fn prompt_texts_plan_apply_converge_and_export() {
    let emulator = EmulatorProcess::start(&[]);
    let (dir, path) = temp_config("texts.yaml", SMS_TEXTS);
    let config = path.to_str().unwrap();

    let plan = run(&emulator, &["plan", "-c", config, "--detailed-exitcode"]);
    assert_eq!(plan.code, 2, "{}", plan.transcript());
    insta::assert_snapshot!(plan.stdout.replace(emulator.host(), "127.0.0.1:PORT"));
    let json = run(&emulator, &["plan", "-c", config, "--format", "json"]);
    let json: Value = serde_json::from_str(&json.stdout).unwrap();
    let change = &json["changes"][0];
    assert_eq!(change["address"], "prompts.mfa-sms.en");
    assert_eq!(change["action"], "create");
    assert_eq!(
        change["request"],
        json!({
            "method": "PUT",
            "path": "/api/v2/prompts/mfa-sms/custom-text/en",
            "body": {"mfa-sms-enrollment": {
                "description": "${companyName} texts you a code: enter it to finish.",
                "title": "Secure your account"
            }}
        })
    );

    let apply = run(&emulator, &["apply", "-c", config, "--auto-approve"]);
    assert_eq!(apply.code, 0, "{}", apply.transcript());
    assert!(
        apply
            .stdout
            .contains("Verified: the tenant matches the configuration."),
        "{}",
        apply.stdout
    );
    assert_eq!(
        emulator.writes(),
        ["PUT /api/v2/prompts/mfa-sms/custom-text/en"]
    );
    assert_eq!(
        stored(&emulator, "mfa-sms", "en"),
        json!({"mfa-sms-enrollment": {
            "title": "Secure your account",
            "description": "${companyName} texts you a code: enter it to finish."
        }})
    );

    let second = run(&emulator, &["plan", "-c", config, "--detailed-exitcode"]);
    assert_eq!(second.code, 0, "{}", second.transcript());
    assert!(second.stdout.contains("No changes."), "{}", second.stdout);

    // Export reads each MFA prompt in the tenant's languages and writes only the customised
    // ones; the file it writes plans nothing.
    let exported = dir.path().join("exported.yaml");
    let export = run(&emulator, &["export", "-o", exported.to_str().unwrap()]);
    assert_eq!(export.code, 0, "{}", export.transcript());
    let text = std::fs::read_to_string(&exported).unwrap();
    for line in [
        "prompts:\n  mfa-sms:\n    en:\n      mfa-sms-enrollment:\n",
        "        title: Secure your account\n",
        // Auth0's variables are written as they are.
        "        description: \"${companyName} texts you a code: enter it to finish.\"\n",
    ] {
        assert!(text.contains(line), "{line} missing from\n{text}");
    }
    assert!(
        !text.contains("mfa-otp"),
        "uncustomised prompts are left out:\n{text}"
    );
    let plan = run(
        &emulator,
        &[
            "plan",
            "-c",
            exported.to_str().unwrap(),
            "--detailed-exitcode",
        ],
    );
    assert_eq!(plan.code, 0, "{}", plan.transcript());
}

#[test]
fn export_reads_the_tenants_languages_only() {
    let emulator = EmulatorProcess::start(&[]);
    let mut state = emulator.state();
    state["tenant_settings"]["enabled_locales"] = json!(["en", "fr"]);
    state["settings"]["prompts.mfa.fr"] = json!({"mfa-login-options": {"title": "Choisissez"}});
    state["settings"]["prompts.mfa.de"] = json!({"mfa-login-options": {"title": "Wählen Sie"}});
    emulator.set_state(state);

    let dir = tempfile::tempdir().unwrap();
    let exported = dir.path().join("exported.yaml");
    let export = run(&emulator, &["export", "-o", exported.to_str().unwrap()]);
    assert_eq!(export.code, 0, "{}", export.transcript());
    let text = std::fs::read_to_string(&exported).unwrap();
    assert!(text.contains("title: Choisissez"), "{text}");
    assert!(
        !text.contains("Wählen Sie"),
        "de is not a tenant language:\n{text}"
    );
    let languages: Vec<String> = emulator
        .requests()
        .iter()
        .filter_map(|r| r["path"].as_str())
        .filter(|p| p.contains("/custom-text/"))
        .filter_map(|p| p.rsplit('/').next())
        .map(str::to_string)
        .collect();
    // Nine MFA prompts, each in English and French.
    assert_eq!(languages.len(), 18, "{languages:?}");
    assert!(
        languages.iter().all(|l| l == "en" || l == "fr"),
        "{languages:?}"
    );
}

#[test]
fn an_empty_mapping_clears_a_language() {
    let emulator = EmulatorProcess::start(&[]);
    let (_dir, path) = temp_config("texts.yaml", SMS_TEXTS);
    let apply = run(
        &emulator,
        &["apply", "-c", path.to_str().unwrap(), "--auto-approve"],
    );
    assert_eq!(apply.code, 0, "{}", apply.transcript());

    let (_clear_dir, clear) = temp_config(
        "clear.yaml",
        "version: 1\nprompts:\n  mfa-sms:\n    en: {}\n",
    );
    let clear = clear.to_str().unwrap();
    let plan = run(&emulator, &["plan", "-c", clear, "--detailed-exitcode"]);
    assert_eq!(plan.code, 2, "{}", plan.transcript());
    insta::assert_snapshot!(plan.stdout.replace(emulator.host(), "127.0.0.1:PORT"));
    let apply = run(&emulator, &["apply", "-c", clear, "--auto-approve"]);
    assert_eq!(apply.code, 0, "{}", apply.transcript());
    assert_eq!(stored(&emulator, "mfa-sms", "en"), json!({}));
    let again = run(&emulator, &["plan", "-c", clear, "--detailed-exitcode"]);
    assert_eq!(again.code, 0, "{}", again.transcript());
}

#[test]
fn unknown_prompts_and_languages_are_errors_with_a_suggestion() {
    // Their full diagnostics are snapshots of `config_validate` (tests/invalid/48-…, 49-…).
    let prompt = mfactl(
        &["validate", "-c", "tests/invalid/48-misspelt-prompt.yaml"],
        &[],
    );
    assert_eq!(prompt.code, 1, "{}", prompt.transcript());
    assert!(
        prompt.stderr.contains("error: unknown key `mfa-smss`"),
        "{}",
        prompt.stderr
    );
    assert!(
        prompt.stderr.contains("did you mean `mfa-sms`?"),
        "{}",
        prompt.stderr
    );
    let language = mfactl(
        &["validate", "-c", "tests/invalid/49-unknown-language.yaml"],
        &[],
    );
    assert_eq!(language.code, 1, "{}", language.transcript());
    assert!(
        language
            .stderr
            .contains("error: `enn` is not a language Universal Login supports"),
        "{}",
        language.stderr
    );
    assert!(
        language.stderr.contains("did you mean `en`?"),
        "{}",
        language.stderr
    );
}
