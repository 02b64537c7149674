//! plan, apply and export end to end: the real binary against a `mfactl emulator` process.

use serde_json::Value;

use crate::support::{
    EXAMPLES, EmulatorProcess, Run, SECRET_ENV, example_without_tenant, mfactl, secret_of,
    secret_values, temp_config, without_durations,
};

/// Every example, with the emulator flags of the kind of tenant it is written for.
const EXAMPLE_TENANTS: &[(&str, &[&str])] = &[
    ("adaptive.yaml", &[]),
    ("full.yaml", &[]),
    ("minimal.yaml", &[]),
    ("phone-twilio.yaml", &[]),
    ("prompt-texts.yaml", &[]),
    ("push-direct.yaml", &[]),
    ("tenant-phone.yaml", &["--consolidated-phone"]),
];

fn run(emulator: &EmulatorProcess, args: &[&str]) -> Run {
    let run = mfactl(args, &emulator.env());
    run.assert_no_secrets(&secret_values());
    assert!(
        !run.stdout.contains(&emulator.client_secret)
            && !run.stderr.contains(&emulator.client_secret),
        "the client secret leaked:\n{}",
        run.transcript()
    );
    run
}

/// The stage of DESIGN.md section 4 a logged write belongs to.
fn stage_of(request: &Value) -> u8 {
    let path = request["path"].as_str().unwrap_or_default();
    let tail = path.trim_start_matches("/api/v2");
    if tail == "/guardian/policies" {
        5
    } else if tail.ends_with("/message-types") {
        4
    } else if tail.ends_with("/selected-provider") {
        2
    } else if tail.starts_with("/guardian/factors/") && tail.matches('/').count() == 3 {
        if request["body"]["enabled"] == true {
            3
        } else {
            6
        }
    } else {
        1
    }
}

fn plan_text(run: &Run, emulator: &EmulatorProcess) -> String {
    run.stdout.replace(emulator.host(), "127.0.0.1:PORT")
}

#[test]
fn every_example_converges_in_one_apply() {
    let covered: Vec<&str> = EXAMPLE_TENANTS.iter().map(|(name, _)| *name).collect();
    let examples: Vec<&str> = EXAMPLES.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        covered, examples,
        "every example runs against its kind of tenant"
    );
    for (example, flags) in EXAMPLE_TENANTS {
        let emulator = EmulatorProcess::start(flags);
        let (_dir, path) = example_without_tenant(example);
        let config = path.to_str().unwrap();

        let first = run(&emulator, &["plan", "-c", config, "--detailed-exitcode"]);
        assert_eq!(first.code, 2, "{example}: {}", first.transcript());
        insta::assert_snapshot!(
            format!("first_plan_{example}"),
            plan_text(&first, &emulator)
        );
        let planned = first
            .stdout
            .lines()
            .find_map(|l| l.strip_prefix("Plan: "))
            .and_then(|l| l.split(' ').next())
            .and_then(|n| n.parse::<usize>().ok())
            .unwrap_or_else(|| panic!("{example}: no `Plan: N to change` line"));

        let apply = run(&emulator, &["apply", "-c", config, "--auto-approve"]);
        assert_eq!(apply.code, 0, "{example}: {}", apply.transcript());
        assert!(
            apply
                .stdout
                .contains("Verified: the tenant matches the configuration.")
        );

        let log = emulator.requests();
        let writes: Vec<&Value> = log
            .iter()
            .filter(|r| {
                r["method"] != "GET"
                    && r["path"]
                        .as_str()
                        .is_some_and(|p| p.starts_with("/api/v2/"))
            })
            .collect();
        assert_eq!(
            writes.len(),
            planned,
            "{example}: one write per planned change"
        );
        let stages: Vec<u8> = writes.iter().map(|w| stage_of(w)).collect();
        assert!(
            stages.windows(2).all(|w| w[0] <= w[1]),
            "{example}: writes out of stage order: {:?}",
            writes
                .iter()
                .map(|w| (w["method"].clone(), w["path"].clone()))
                .collect::<Vec<_>>()
        );
        assert!(
            writes.iter().all(|w| w["status"]
                .as_u64()
                .is_some_and(|s| (200..300).contains(&s))),
            "{example}: {writes:?}"
        );

        let second = run(&emulator, &["plan", "-c", config, "--detailed-exitcode"]);
        assert_eq!(second.code, 0, "{example}: {}", second.transcript());
        assert!(
            second
                .stdout
                .contains("No changes. The tenant matches the configuration.")
        );

        let before = emulator.writes().len();
        let again = run(&emulator, &["apply", "-c", config, "--auto-approve"]);
        assert_eq!(again.code, 0, "{example}: {}", again.transcript());
        assert_eq!(
            emulator.writes().len(),
            before,
            "{example}: a second apply wrote"
        );

        let log_text = serde_json::to_string(&emulator.requests()).unwrap();
        for secret in secret_values() {
            assert!(
                !log_text.contains(secret),
                "{example}: the request log shows a secret"
            );
        }
    }
}

#[test]
fn write_only_secrets_reach_the_tenant() {
    let emulator = EmulatorProcess::start(&[]);
    let (_dir, path) = example_without_tenant("push-direct.yaml");
    let config = path.to_str().unwrap();
    let apply = run(&emulator, &["apply", "-c", config, "--auto-approve"]);
    assert_eq!(apply.code, 0, "{}", apply.transcript());
    let state = serde_json::to_string(&emulator.state()).unwrap();
    assert!(
        state.contains(secret_of("APNS_P12")),
        "p12 was not sent: {state}"
    );
    assert!(
        state.contains(secret_of("FCM_V1_CREDENTIALS")),
        "fcmv1 was not sent: {state}"
    );
}

#[test]
fn plan_formats_and_saved_plan_hold_no_secret() {
    let emulator = EmulatorProcess::start(&[]);
    let (dir, path) = example_without_tenant("full.yaml");
    let config = path.to_str().unwrap();
    let json = run(&emulator, &["plan", "-c", config, "--format", "json"]);
    assert_eq!(json.code, 0, "{}", json.transcript());
    let value: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(value["format_version"], "1");
    assert!(value["changes"].as_array().is_some_and(|c| c.len() > 10));

    let markdown = run(&emulator, &["plan", "-c", config, "--format", "markdown"]);
    assert!(markdown.stdout.starts_with("<!-- mfactl-plan -->\n"));

    let saved = dir.path().join("plan.json");
    let out = run(
        &emulator,
        &["plan", "-c", config, "--out", saved.to_str().unwrap()],
    );
    assert_eq!(out.code, 0, "{}", out.transcript());
    let text = std::fs::read_to_string(&saved).unwrap();
    for secret in secret_values() {
        assert!(!text.contains(secret), "the saved plan holds {secret}");
    }
    assert!(!text.contains(&emulator.client_secret));
}

#[test]
fn a_saved_plan_applies_while_current_and_is_refused_when_stale() {
    let emulator = EmulatorProcess::start(&[]);
    let (dir, path) = example_without_tenant("minimal.yaml");
    let config = path.to_str().unwrap();
    let saved = dir.path().join("plan.json");
    let saved = saved.to_str().unwrap();

    let plan = run(&emulator, &["plan", "-c", config, "--out", saved]);
    assert_eq!(plan.code, 0, "{}", plan.transcript());
    let apply = run(&emulator, &["apply", saved]);
    assert_eq!(apply.code, 0, "{}", apply.transcript());
    assert!(apply.stdout.contains("Verified"));

    // The tenant changes behind the saved plan's back.
    let (_other_dir, other) = temp_config(
        "email.yaml",
        "version: 1\nfactors:\n  otp: true\n  email: true\n",
    );
    let stale_plan = run(&emulator, &["plan", "-c", config, "--out", saved]);
    assert_eq!(stale_plan.code, 0);
    let changed = run(
        &emulator,
        &["apply", "-c", other.to_str().unwrap(), "--auto-approve"],
    );
    assert_eq!(changed.code, 0, "{}", changed.transcript());
    // Now make the saved plan's own file differ too: both reasons are named.
    let writes_before = emulator.writes().len();
    std::fs::write(&path, "version: 1\nfactors:\n  otp: true\n  email: false\n").unwrap();
    let refused = run(&emulator, &["apply", saved]);
    assert_eq!(refused.code, 1, "{}", refused.transcript());
    assert!(
        refused.stderr.contains("plan is stale; run plan again"),
        "{}",
        refused.stderr
    );
    assert!(refused.stderr.contains("changed"), "{}", refused.stderr);
    assert_eq!(
        emulator.writes().len(),
        writes_before,
        "a stale plan sent a write"
    );
}

#[test]
fn dangerous_changes_need_allow_dangerous() {
    let emulator = EmulatorProcess::start(&[]);
    let (_dir, path) = example_without_tenant("minimal.yaml");
    let apply = run(
        &emulator,
        &["apply", "-c", path.to_str().unwrap(), "--auto-approve"],
    );
    assert_eq!(apply.code, 0, "{}", apply.transcript());

    let (_off_dir, off) = temp_config("off.yaml", "version: 1\npolicies: []\n");
    let off = off.to_str().unwrap();
    let plan = run(&emulator, &["plan", "-c", off, "--format", "markdown"]);
    assert!(plan.stdout.contains("CAUTION"), "{}", plan.stdout);
    let writes = emulator.writes().len();
    let refused = run(&emulator, &["apply", "-c", off, "--auto-approve"]);
    assert_eq!(refused.code, 1, "{}", refused.transcript());
    assert!(
        refused.stderr.contains("--allow-dangerous"),
        "{}",
        refused.stderr
    );
    assert_eq!(
        emulator.writes().len(),
        writes,
        "a refused apply sent a write"
    );

    let allowed = run(
        &emulator,
        &["apply", "-c", off, "--auto-approve", "--allow-dangerous"],
    );
    assert_eq!(allowed.code, 0, "{}", allowed.transcript());
    assert_eq!(
        emulator.writes(),
        [
            "PUT /api/v2/guardian/factors/otp",
            "PUT /api/v2/guardian/factors/recovery-code",
            "PUT /api/v2/guardian/policies",
            "PUT /api/v2/guardian/policies",
        ]
    );
}

#[test]
fn apply_without_a_terminal_needs_auto_approve() {
    let emulator = EmulatorProcess::start(&[]);
    let run = run(&emulator, &["apply", "-c", "examples/minimal.yaml"]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(run.stderr.contains("--auto-approve"), "{}", run.stderr);
    assert!(emulator.writes().is_empty());
}

#[test]
fn export_then_plan_is_empty() {
    let emulator = EmulatorProcess::start(&[]);
    let (dir, path) = example_without_tenant("full.yaml");
    let apply = run(
        &emulator,
        &["apply", "-c", path.to_str().unwrap(), "--auto-approve"],
    );
    assert_eq!(apply.code, 0, "{}", apply.transcript());

    let exported = dir.path().join("exported.yaml");
    let export = run(&emulator, &["export", "-o", exported.to_str().unwrap()]);
    assert_eq!(export.code, 0, "{}", export.transcript());
    let text = std::fs::read_to_string(&exported).unwrap();
    // No schema modeline: the repository's `../schema/` path does not exist where users
    // write their files.
    assert!(!text.contains("$schema"), "{text}");
    assert!(text.starts_with("# Exported by mfactl "), "{text}");
    assert!(text.contains("${TWILIO_AUTH_TOKEN}") && text.contains("${DUO_SECRET_KEY}"));
    for secret in secret_values() {
        assert!(!text.contains(secret), "export wrote {secret}");
    }
    let validate = run(
        &emulator,
        &["validate", "--strict", "-c", exported.to_str().unwrap()],
    );
    assert_eq!(validate.code, 0, "{}", validate.transcript());
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
    assert!(plan.stdout.contains("No changes."));
}

#[test]
fn the_tenant_guard_refuses_another_domain_before_any_request() {
    let emulator = EmulatorProcess::start(&[]);
    let run = run(&emulator, &["plan", "-c", "examples/full.yaml"]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(
        run.stderr.contains("acme-prod.eu.auth0.com"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains(emulator.host()), "{}", run.stderr);
    let api_calls = emulator
        .requests()
        .iter()
        .filter(|r| {
            r["path"]
                .as_str()
                .is_some_and(|p| p.starts_with("/api/v2/"))
        })
        .count();
    assert_eq!(api_calls, 0);
}

#[test]
fn an_unavailable_feature_is_a_plan_error_naming_the_fix() {
    let emulator = EmulatorProcess::start(&["--no-voice"]);
    let run = run(&emulator, &["plan", "-c", "examples/phone-twilio.yaml"]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(run.stderr.contains("phone.message_types"), "{}", run.stderr);
    assert!(
        run.stderr.contains("voice_mfa_not_allowed"),
        "{}",
        run.stderr
    );
    insta::assert_snapshot!(run.stderr.replace(emulator.host(), "127.0.0.1:PORT"));
    assert!(emulator.writes().is_empty());
}

#[test]
fn a_failed_stage_stops_apply_and_reports_every_request() {
    // Adaptive MFA is refused only when the policy is written (stage 5): the factors are on by
    // then, the later stages are not attempted, and the report says so for each request.
    let emulator = EmulatorProcess::start(&["--no-adaptive-mfa"]);
    let (_dir, path) = temp_config(
        "adaptive-switch.yaml",
        "version: 1\npolicies: [confidence-score]\nfactors:\n  otp: true\n  sms: false\n",
    );
    let seed = run(
        &emulator,
        &[
            "apply",
            "-c",
            "examples/phone-twilio.yaml",
            "--auto-approve",
        ],
    );
    assert_eq!(seed.code, 0, "{}", seed.transcript());
    let apply = run(
        &emulator,
        &["apply", "-c", path.to_str().unwrap(), "--auto-approve"],
    );
    assert_eq!(apply.code, 1, "{}", apply.transcript());
    insta::assert_snapshot!(without_durations(
        &apply.stdout.replace(emulator.host(), "127.0.0.1:PORT")
    ));
    assert!(
        apply.stdout.contains("applied        factors.otp"),
        "{}",
        apply.stdout
    );
    assert!(
        apply.stdout.contains("failed         policies"),
        "{}",
        apply.stdout
    );
    assert!(
        apply.stdout.contains("insufficient_entitlement"),
        "{}",
        apply.stdout
    );
    assert!(
        apply.stdout.contains("not attempted  factors.sms"),
        "{}",
        apply.stdout
    );
    assert!(
        apply
            .stdout
            .contains("Applied 1 of 3 changes: 1 failed, 1 not attempted.")
    );
    let state = emulator.state();
    let enabled = |name: &str| {
        state["factors"]
            .as_array()
            .and_then(|all| all.iter().find(|f| f["name"] == name))
            .map(|f| f["enabled"] == true)
    };
    assert_eq!(enabled("otp"), Some(true), "the applied stage took effect");
    assert_eq!(
        enabled("sms"),
        Some(true),
        "the stage after the failure was not run"
    );
    let policies = &state["policies"];
    assert_eq!(policies, &serde_json::json!(["all-applications"]));
}

#[test]
fn plan_with_the_built_in_emulator_needs_no_account() {
    let minimal = mfactl(&["plan", "-c", "examples/minimal.yaml", "--emulator"], &[]);
    assert_eq!(minimal.code, 0, "{}", minimal.transcript());
    assert!(
        minimal.stdout.contains("Plan: 3 to change."),
        "{}",
        minimal.stdout
    );

    let full = mfactl(&["plan", "-c", "examples/full.yaml", "--emulator"], &[]);
    assert_eq!(full.code, 1);
    assert!(full.stderr.contains(
        "5 environment variables are not set: TWILIO_AUTH_TOKEN, AWS_SECRET_ACCESS_KEY, APNS_P12, FCM_V1_CREDENTIALS, DUO_SECRET_KEY"
    ), "{}", full.stderr);

    let with_secrets = mfactl(
        &[
            "plan",
            "-c",
            "examples/full.yaml",
            "--emulator",
            "--detailed-exitcode",
        ],
        SECRET_ENV,
    );
    assert_eq!(with_secrets.code, 2, "{}", with_secrets.transcript());
    with_secrets.assert_no_secrets(&secret_values());
}

#[test]
fn apply_converges_through_random_faults() {
    let emulator = EmulatorProcess::start(&["--fault-rate", "0.3", "--seed", "11"]);
    let (_dir, path) = example_without_tenant("full.yaml");
    let config = path.to_str().unwrap();
    let mut attempts = 0;
    loop {
        attempts += 1;
        let apply = run(&emulator, &["apply", "-c", config, "--auto-approve"]);
        if apply.code == 0 {
            break;
        }
        assert!(
            attempts < 5,
            "apply did not converge: {}",
            apply.transcript()
        );
    }
    let mut plans = 0;
    loop {
        plans += 1;
        let plan = run(&emulator, &["plan", "-c", config, "--detailed-exitcode"]);
        if plan.code != 1 {
            assert_eq!(plan.code, 0, "{}", plan.transcript());
            break;
        }
        assert!(plans < 5, "plan kept failing: {}", plan.transcript());
    }
}

#[test]
fn a_killed_apply_converges_when_run_again() {
    let emulator = EmulatorProcess::start(&["--latency-ms", "150"]);
    let (_dir, path) = example_without_tenant("full.yaml");
    let config = path.to_str().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_mfactl"))
        .args(["apply", "-c", config, "--auto-approve"])
        .env_clear()
        .envs(emulator.env())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the first stage has written, then kill apply mid-way.
    for _ in 0..200 {
        if !emulator.writes().is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    let _ = child.kill();
    let _ = child.wait();
    let partial = emulator.writes().len();
    assert!(partial > 0, "apply was killed before any write");
    let plan = run(&emulator, &["plan", "-c", config, "--detailed-exitcode"]);
    assert_eq!(plan.code, 2, "{}", plan.transcript());
    let rerun = run(&emulator, &["apply", "-c", config, "--auto-approve"]);
    assert_eq!(rerun.code, 0, "{}", rerun.transcript());
    let after = run(&emulator, &["plan", "-c", config, "--detailed-exitcode"]);
    assert_eq!(after.code, 0, "{}", after.transcript());
}

#[test]
fn a_plan_that_would_lock_everyone_out_is_an_error() {
    let emulator = EmulatorProcess::start(&[]);
    let (_dir, path) = example_without_tenant("minimal.yaml");
    let apply = run(
        &emulator,
        &["apply", "-c", path.to_str().unwrap(), "--auto-approve"],
    );
    assert_eq!(apply.code, 0, "{}", apply.transcript());
    // The file lists only two factors; the tenant has no other factor on, so turning these
    // off while MFA stays required locks everyone out.
    let (_lock_dir, lock) = temp_config(
        "lockout.yaml",
        "version: 1\npolicies: [all-applications]\nfactors:\n  otp: false\n  recovery-code: false\n",
    );
    let writes = emulator.writes().len();
    let plan = run(&emulator, &["plan", "-c", lock.to_str().unwrap()]);
    assert_eq!(plan.code, 1, "{}", plan.transcript());
    insta::assert_snapshot!(plan.stderr.replace(lock.to_str().unwrap(), "lockout.yaml"));
    assert_eq!(emulator.writes().len(), writes);
}

#[test]
fn turning_every_factor_off_under_required_mfa_is_refused_even_with_allow_dangerous() {
    let emulator = EmulatorProcess::start(&[]);
    let (_dir, path) = example_without_tenant("minimal.yaml");
    let apply = run(
        &emulator,
        &["apply", "-c", path.to_str().unwrap(), "--auto-approve"],
    );
    assert_eq!(apply.code, 0, "{}", apply.transcript());
    // The file does not manage the policies: the tenant's `[all-applications]` stays.
    let (_off_dir, off) = temp_config(
        "off.yaml",
        "version: 1\nfactors:\n  otp: false\n  recovery-code: false\n",
    );
    let off = off.to_str().unwrap();
    let writes = emulator.writes().len();
    let plan = run(&emulator, &["plan", "-c", off, "--detailed-exitcode"]);
    assert_eq!(plan.code, 1, "{}", plan.transcript());
    assert!(plan.stdout.is_empty(), "{}", plan.stdout);
    insta::assert_snapshot!(plan.stderr.replace(off, "off.yaml"));
    let apply = run(
        &emulator,
        &["apply", "-c", off, "--auto-approve", "--allow-dangerous"],
    );
    assert_eq!(apply.code, 1, "{}", apply.transcript());
    assert_eq!(
        emulator.writes().len(),
        writes,
        "a refused plan sent a write"
    );
}

#[test]
fn a_session_timeout_the_api_would_refuse_is_a_plan_error() {
    let emulator = EmulatorProcess::start(&[]);
    // The tenant's inactivity timeout is 604800 seconds (7 days): an overall timeout of one
    // hour is refused by the API, so the plan refuses it before any write.
    let (_dir, path) = temp_config(
        "sess.yaml",
        "version: 1\nfactors: {otp: true}\nmfa_session:\n  overall_timeout: 3600\n",
    );
    let path = path.to_str().unwrap();
    let plan = run(&emulator, &["plan", "-c", path]);
    assert_eq!(plan.code, 1, "{}", plan.transcript());
    insta::assert_snapshot!(plan.stderr.replace(path, "sess.yaml"));
    let apply = run(&emulator, &["apply", "-c", path, "--auto-approve"]);
    assert_eq!(apply.code, 1, "{}", apply.transcript());
    assert!(emulator.writes().is_empty(), "{:?}", emulator.writes());
    // Both timeouts in the file: `validate` refuses the pair.
    let (_both_dir, both) = temp_config(
        "both.yaml",
        "version: 1\nmfa_session:\n  inactivity_timeout: 7200\n  overall_timeout: 3600\n",
    );
    let validate = mfactl(&["validate", "-c", both.to_str().unwrap()], &[]);
    assert_eq!(validate.code, 1, "{}", validate.transcript());
    assert!(
        validate.stderr.contains("error: `mfa_session.inactivity_timeout` (7200 seconds) is longer than `overall_timeout` (3600 seconds)"),
        "{}",
        validate.stderr
    );
}

#[test]
fn adaptive_mfa_is_warned_about_at_plan_time() {
    let emulator = EmulatorProcess::start(&["--no-adaptive-mfa"]);
    let (_dir, path) = example_without_tenant("adaptive.yaml");
    let plan = run(&emulator, &["plan", "-c", path.to_str().unwrap()]);
    assert_eq!(plan.code, 0, "{}", plan.transcript());
    let shown = format!("{}{}", plan.stdout, plan.stderr);
    assert!(
        shown.contains("`policies: [confidence-score]` needs a plan that includes Adaptive MFA, which no read can check"),
        "{shown}"
    );
    for format in ["json", "markdown"] {
        let plan = run(
            &emulator,
            &["plan", "-c", path.to_str().unwrap(), "--format", format],
        );
        assert!(
            plan.stdout.contains("Adaptive MFA"),
            "{format}: {}",
            plan.stdout
        );
    }
}

#[test]
fn liquid_code_tags_in_legacy_templates_pass_export_and_strict_validate() {
    let emulator = EmulatorProcess::start(&[]);
    let (_dir, path) = temp_config(
        "liq.yaml",
        "version: 1\nfactors: {sms: true}\nphone:\n  message_types: [sms]\n  templates:\n    enrollment_message: \"{{ code }} is your enrollment code\"\n    verification_message: \"{{ code }} is your login code\"\n",
    );
    let apply = run(
        &emulator,
        &["apply", "-c", path.to_str().unwrap(), "--auto-approve"],
    );
    assert_eq!(apply.code, 0, "{}", apply.transcript());
    assert!(
        !apply.stderr.contains("does not contain"),
        "{}",
        apply.stderr
    );
    let dir = tempfile::tempdir().unwrap();
    let exported = dir.path().join("exported.yaml");
    let exported = exported.to_str().unwrap();
    let export = run(&emulator, &["export", "-o", exported]);
    assert_eq!(export.code, 0, "{}", export.transcript());
    let validate = mfactl(&["validate", "--strict", "-c", exported], &[]);
    assert_eq!(validate.code, 0, "{}", validate.transcript());
}

#[test]
fn a_legacy_phone_file_on_a_consolidated_tenant_fails_at_plan_time_naming_the_keys() {
    let emulator = EmulatorProcess::start(&["--consolidated-phone"]);
    let plan = run(&emulator, &["plan", "-c", "examples/phone-twilio.yaml"]);
    assert_eq!(plan.code, 1, "{}", plan.transcript());
    insta::assert_snapshot!(plan.stderr);
    let apply = run(
        &emulator,
        &[
            "apply",
            "-c",
            "examples/phone-twilio.yaml",
            "--auto-approve",
        ],
    );
    assert_eq!(apply.code, 1, "{}", apply.transcript());
    let methods: Vec<String> = emulator
        .requests()
        .iter()
        .filter(|r| {
            r["path"]
                .as_str()
                .is_some_and(|p| p.starts_with("/api/v2/"))
        })
        .map(|r| r["method"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(!methods.is_empty());
    assert!(
        methods.iter().all(|m| m == "GET"),
        "only reads: {methods:?}"
    );
}

#[test]
fn tenant_phone_settings_on_a_legacy_tenant_are_a_warning() {
    let emulator = EmulatorProcess::start(&[]);
    // A new legacy tenant's MFA sends through Auth0's own provider, which cannot place the
    // voice calls the file offers: refused before any write, naming what to change.
    let refused = run(&emulator, &["plan", "-c", "examples/tenant-phone.yaml"]);
    assert_eq!(refused.code, 1, "{}", refused.transcript());
    assert!(
        refused.stderr.contains(
            "`phone.message_types` offers `voice`, but the tenant's `phone.provider` is `auth0`"
        ),
        "{}",
        refused.stderr
    );
    assert!(
        refused
            .stderr
            .contains("remove `voice` from `phone.message_types`"),
        "{}",
        refused.stderr
    );
    // With Twilio as the legacy provider, the plan goes ahead, with a warning.
    emulator.set_state(serde_json::json!({"settings": {"phone.provider": {"provider": "twilio"}}}));
    let plan = run(&emulator, &["plan", "-c", "examples/tenant-phone.yaml"]);
    assert_eq!(plan.code, 0, "{}", plan.transcript());
    assert!(
        plan.stdout
            .contains("Warning: this tenant uses the legacy Guardian phone provider"),
        "{}",
        plan.stdout
    );
    let json = run(
        &emulator,
        &[
            "plan",
            "-c",
            "examples/tenant-phone.yaml",
            "--format",
            "json",
        ],
    );
    let value: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(value["warnings"].as_array().map(Vec::len), Some(1));
}

#[test]
fn a_consolidated_tenant_round_trips_through_export() {
    let emulator = EmulatorProcess::start(&["--consolidated-phone"]);
    let apply = run(
        &emulator,
        &[
            "apply",
            "-c",
            "examples/tenant-phone.yaml",
            "--auto-approve",
        ],
    );
    assert_eq!(apply.code, 0, "{}", apply.transcript());
    let state = serde_json::to_string(&emulator.state()).unwrap();
    assert!(
        state.contains(secret_of("TWILIO_AUTH_TOKEN")),
        "the auth token was not sent"
    );

    let dir = tempfile::tempdir().unwrap();
    let exported = dir.path().join("exported.yaml");
    let export = run(&emulator, &["export", "-o", exported.to_str().unwrap()]);
    assert_eq!(export.code, 0, "{}", export.transcript());
    assert!(!export.stderr.contains("not exported"), "{}", export.stderr);
    let text = std::fs::read_to_string(&exported).unwrap();
    assert!(
        text.contains("tenant_phone:") && !text.contains("twilio:\n"),
        "{text}"
    );
    assert!(text.contains("auth_token: ${TWILIO_AUTH_TOKEN}"), "{text}");
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
fn otp_session_and_flag_settings_round_trip() {
    let emulator = EmulatorProcess::start(&[]);
    let (_dir, path) = temp_config(
        "settings.yaml",
        "version: 1\nfactors:\n  email: true\n  sms: true\nphone:\n  message_types: [sms]\n  otp: { length: 8, expiration_time: 120 }\nemail:\n  otp: { length: 10, expiration_time: 900 }\nmfa_session:\n  display_remember_me_checkbox: false\n  remember_me_default_value: false\n  inactivity_timeout: 3600\n  overall_timeout: 86400\ntenant_settings:\n  customize_mfa_in_postlogin_action: true\n  mfa_show_factor_list_on_enrollment: true\n",
    );
    let apply = run(
        &emulator,
        &["apply", "-c", path.to_str().unwrap(), "--auto-approve"],
    );
    assert_eq!(apply.code, 0, "{}", apply.transcript());
    let writes = emulator.writes();
    assert!(
        writes.contains(&"PATCH /api/v2/tenants/settings".to_string()),
        "{writes:?}"
    );
    let patch = emulator
        .requests()
        .into_iter()
        .find(|r| r["method"] == "PATCH" && r["path"] == "/api/v2/tenants/settings")
        .unwrap();
    assert_eq!(
        patch["body"],
        serde_json::json!({
            "customize_mfa_in_postlogin_action": true,
            "flags": {"mfa_show_factor_list_on_enrollment": true}
        }),
        "only the keys the file sets are sent"
    );
    let dir = tempfile::tempdir().unwrap();
    let exported = dir.path().join("exported.yaml");
    let export = run(&emulator, &["export", "-o", exported.to_str().unwrap()]);
    assert_eq!(export.code, 0, "{}", export.transcript());
    let text = std::fs::read_to_string(&exported).unwrap();
    for needle in [
        "length: 8",
        "length: 10",
        "overall_timeout: 86400",
        "customize_mfa_in_postlogin_action: true",
    ] {
        assert!(text.contains(needle), "{needle} missing from\n{text}");
    }
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
fn machine_formats_carry_the_config_warnings_with_their_place() {
    let emulator = EmulatorProcess::start(&[]);
    let (_dir, path) = temp_config(
        "warned.yaml",
        "version: 1\nfactors:\n  otp: true\n  duo: false\n  webauthn-roaming: false\nduo:\n  ikey: DIXXXXXXXXXXXXXXXXXX\n  skey: ${DUO_SECRET_KEY}\n  host: api-1234abcd.duosecurity.com\nwebauthn_roaming:\n  user_verification: required\n",
    );
    let config = path.to_str().unwrap();
    let validate = run(&emulator, &["validate", "-c", config, "--format", "json"]);
    let checked: Value = serde_json::from_str(&validate.stdout).unwrap();
    let expected: Vec<String> = checked["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{}",
                d["file"].as_str().unwrap(),
                d["line"],
                d["column"]
            )
        })
        .collect();
    assert_eq!(expected.len(), 2, "{}", validate.stdout);

    let json = run(&emulator, &["plan", "-c", config, "--format", "json"]);
    assert_eq!(json.code, 0, "{}", json.transcript());
    let plan: Value = serde_json::from_str(&json.stdout).unwrap();
    let warnings: Vec<&str> = plan["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(warnings.len(), 2, "{}", json.stdout);
    for (warning, place) in warnings.iter().zip(&expected) {
        assert!(warning.starts_with(&format!("{place}: ")), "{warning}");
    }
    assert_eq!(plan["warning_details"][0]["source"], "config");
    assert_eq!(plan["warning_details"][0]["file"], config);

    let markdown = run(&emulator, &["plan", "-c", config, "--format", "markdown"]);
    for place in &expected {
        assert!(
            markdown.stdout.contains(&format!("> `{place}` ")),
            "{place} missing:\n{}",
            markdown.stdout
        );
    }
}

#[test]
fn an_untouched_new_tenant_exports_a_file_that_passes_strict_and_plans_empty() {
    let dir = tempfile::tempdir().unwrap();
    let exported = dir.path().join("new-tenant.yaml");
    let exported = exported.to_str().unwrap();
    let export = mfactl(&["export", "--emulator", "-o", exported], &[]);
    assert_eq!(export.code, 0, "{}", export.transcript());
    let validate = mfactl(&["validate", "--strict", "-c", exported], &[]);
    assert_eq!(validate.code, 0, "{}", validate.transcript());
    assert_eq!(validate.stderr, "", "no warning at all");
    let plan = mfactl(
        &[
            "plan",
            "--strict",
            "-c",
            exported,
            "--emulator",
            "--detailed-exitcode",
        ],
        &[],
    );
    assert_eq!(plan.code, 0, "{}", plan.transcript());
}

/// Case 3 of issue 11: a file that keeps `phone.message_types` while `factors.sms` is false, on
/// a tenant whose phone factor never existed (an export of one tenant applied to a new one).
/// The plan defers the message types with the real reason; apply converges and stays so.
#[test]
fn message_types_wait_for_a_phone_factor_the_tenant_never_had() {
    let emulator = EmulatorProcess::start(&[]);
    let (_dir, path) = temp_config(
        "phone-off.yaml",
        "version: 1\npolicies: [all-applications]\nfactors:\n  otp: true\n  sms: false\nphone:\n  message_types: [sms]\n",
    );
    let config = path.to_str().unwrap();
    let shown = |run: &Run| {
        run.transcript()
            .replace(config, "phone-off.yaml")
            .replace(emulator.host(), "127.0.0.1:PORT")
    };
    let plan = run(&emulator, &["plan", "-c", config, "--detailed-exitcode"]);
    assert_eq!(plan.code, 2, "{}", plan.transcript());
    assert!(
        !plan.stdout.contains("phone.message_types:"),
        "{}",
        plan.stdout
    );
    insta::assert_snapshot!("phone_off_plan", shown(&plan));

    let apply = run(&emulator, &["apply", "-c", config, "--auto-approve"]);
    assert_eq!(apply.code, 0, "{}", apply.transcript());
    insta::assert_snapshot!("phone_off_apply", shown(&apply));
    assert_eq!(
        emulator.writes(),
        [
            "PUT /api/v2/guardian/factors/otp",
            "PUT /api/v2/guardian/policies"
        ],
        "the policies stage ran; no write was refused"
    );
    let again = run(&emulator, &["plan", "-c", config, "--detailed-exitcode"]);
    assert_eq!(again.code, 0, "{}", again.transcript());
    let rerun = run(&emulator, &["apply", "-c", config, "--auto-approve"]);
    assert_eq!(rerun.code, 0, "{}", rerun.transcript());

    // Once the file enables sms, the factor comes first and the message types follow it.
    std::fs::write(
        &path,
        "version: 1\npolicies: [all-applications]\nfactors:\n  otp: true\n  sms: true\nphone:\n  message_types: [sms]\n",
    )
    .unwrap();
    let enable = run(&emulator, &["apply", "-c", config, "--auto-approve"]);
    assert_eq!(enable.code, 0, "{}", enable.transcript());
    let writes = emulator.writes();
    assert_eq!(
        writes[writes.len() - 2..],
        [
            "PUT /api/v2/guardian/factors/sms",
            "PUT /api/v2/guardian/factors/phone/message-types"
        ]
    );
}

/// Case 4 of issue 11: a tenant whose plan closes the policies endpoint (403 `not_entitled` on
/// the read) and a file with `policies: []`. The fix names what helps: removing `policies`.
#[test]
fn a_closed_policies_endpoint_says_to_remove_policies() {
    let emulator = EmulatorProcess::start(&[]);
    emulator.add_fault(serde_json::json!({
        "method": "GET",
        "path": "/api/v2/guardian/policies",
        "status": 403,
        "body": {
            "statusCode": 403,
            "error": "Forbidden",
            "message": "This feature is not available on your plan.",
            "errorCode": "not_entitled"
        }
    }));
    let (_dir, path) = temp_config(
        "no-mfa.yaml",
        "version: 1\npolicies: []\nfactors:\n  otp: true\n",
    );
    let config = path.to_str().unwrap();
    let plan = run(&emulator, &["plan", "-c", config]);
    assert_eq!(plan.code, 1, "{}", plan.transcript());
    assert!(
        plan.stderr.contains("remove `policies` from the file"),
        "{}",
        plan.stderr
    );
    assert!(!plan.stderr.contains("all-applications"), "{}", plan.stderr);
    assert!(!plan.stderr.contains("Adaptive MFA"), "{}", plan.stderr);
    insta::assert_snapshot!(
        "closed_policies_plan",
        plan.transcript().replace(config, "no-mfa.yaml")
    );
    assert!(emulator.writes().is_empty());

    // Following the fix works.
    std::fs::write(&path, "version: 1\nfactors:\n  otp: true\n").unwrap();
    let fixed = run(&emulator, &["apply", "-c", config, "--auto-approve"]);
    assert_eq!(fixed.code, 0, "{}", fixed.transcript());
}

/// A 404 that names what the tenant lacks gets a hint about that, not about AUTH0_DOMAIN.
#[test]
fn a_missing_resource_at_apply_names_the_cause_not_the_domain() {
    let emulator = EmulatorProcess::start(&[]);
    let (_dir, path) = temp_config(
        "sms-on.yaml",
        "version: 1\nfactors:\n  sms: true\nphone:\n  message_types: [sms]\n",
    );
    let on = run(
        &emulator,
        &["apply", "-c", path.to_str().unwrap(), "--auto-approve"],
    );
    assert_eq!(on.code, 0, "{}", on.transcript());
    emulator.add_fault(serde_json::json!({
        "method": "PUT",
        "path": "/api/v2/guardian/factors/phone/message-types",
        "status": 404,
        "times": 1,
        "body": {
            "statusCode": 404,
            "error": "Not Found",
            "message": "The phone factor does not exist.",
            "errorCode": "factor_not_found"
        }
    }));
    std::fs::write(
        &path,
        "version: 1\nfactors:\n  sms: false\n  otp: true\nphone:\n  message_types: [sms, voice]\n",
    )
    .unwrap();
    let apply = run(
        &emulator,
        &["apply", "-c", path.to_str().unwrap(), "--auto-approve"],
    );
    assert_eq!(apply.code, 1, "{}", apply.transcript());
    assert!(!apply.stdout.contains("AUTH0_DOMAIN"), "{}", apply.stdout);
    assert!(
        apply.stdout.contains(
            "the tenant does not have this yet: The phone factor does not exist. (404). Fix: set `factors.sms: true`, or remove `phone.message_types` from the file"
        ),
        "{}",
        apply.stdout
    );
}

/// The tenant of a plan against the built-in emulator, whose port changes from run to run.
fn without_port(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("127.0.0.1:") {
        let (before, after) = rest.split_at(at + "127.0.0.1:".len());
        out.push_str(before);
        out.push_str("PORT");
        rest = after.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    out.push_str(rest);
    out
}

#[test]
fn plan_appends_the_markdown_plan_to_the_github_step_summary() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("step_summary.md");
    // GitHub may hand the step a file that already holds text: mfactl appends.
    std::fs::write(&summary, "Written by an earlier command").unwrap();
    let summary_path = summary.to_str().unwrap();
    let mut env = vec![("GITHUB_STEP_SUMMARY", summary_path)];
    env.extend_from_slice(SECRET_ENV);
    let run = mfactl(
        &[
            "plan",
            "-c",
            "examples/full.yaml",
            "--emulator",
            "--format",
            "markdown",
        ],
        &env,
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    let written = std::fs::read_to_string(&summary).unwrap();
    assert_eq!(
        written,
        format!("Written by an earlier command\n{}", run.stdout),
        "the summary is the plan printed with --format markdown, after what was there"
    );
    assert!(run.stdout.starts_with("<!-- mfactl-plan -->\n"));
    for secret in secret_values() {
        assert!(!written.contains(secret), "the step summary holds {secret}");
    }
}

#[test]
fn the_step_summary_shows_the_plan_whatever_the_printed_format() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("step_summary.md");
    let env = [("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())];
    let run = mfactl(
        &[
            "plan",
            "-c",
            "examples/minimal.yaml",
            "--emulator",
            "--detailed-exitcode",
        ],
        &env,
    );
    assert_eq!(run.code, 2, "{}", run.transcript());
    assert!(run.stdout.contains("Plan: 3 to change."), "{}", run.stdout);
    let written = std::fs::read_to_string(&summary).unwrap();
    insta::assert_snapshot!("step_summary_minimal", without_port(&written));
}

#[test]
fn an_unwritable_step_summary_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    // A folder cannot be appended to.
    let env = [("GITHUB_STEP_SUMMARY", dir.path().to_str().unwrap())];
    let run = mfactl(&["plan", "-c", "examples/minimal.yaml", "--emulator"], &env);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(run.stdout.contains("Plan: 3 to change."), "{}", run.stdout);
    assert!(
        run.stderr
            .contains("warning: cannot add the plan to the job summary ($GITHUB_STEP_SUMMARY="),
        "{}",
        run.stderr
    );
}
