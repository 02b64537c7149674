//! The `users:` section end to end against `mfactl emulator`: plan in every format with
//! personal data masked, `manage: exact` deletions refused without `--allow-dangerous`, apply,
//! convergence, `export --users` round trip, offline validation with file positions, and a
//! leak scan of every output for the phone numbers, emails and TOTP secret used.

use serde_json::{Value, json};

use crate::support::{EmulatorProcess, Run, mfactl, temp_config};

const USER: &str = "auth0|6501f0c0a1b2c3d4e5f60718";
const PHONE: &str = "+15551234567";
const EMAIL: &str = "oncall@example.com";
const OLD_EMAIL: &str = "old.address@example.com";
const TOTP: &str = "JBSWY3DPEHPK3PXPJBSWY3DP";

fn config() -> String {
    format!(
        "version: 1
factors: {{sms: true, otp: true, email: true}}
users:
  \"{USER}\":
    manage: exact
    methods:
      - {{ type: phone, phone_number: \"{PHONE}\", preferred: sms, name: Work phone }}
      - {{ type: totp, totp_secret: \"${{E2E_TOTP_SECRET}}\", name: e2e }}
      - {{ type: email, email: {EMAIL} }}
"
    )
}

fn leaks() -> [&'static str; 5] {
    [PHONE, EMAIL, OLD_EMAIL, TOTP, "5551234567"]
}

fn assert_clean(run: &Run) {
    run.assert_no_secrets(&leaks());
}

#[test]
fn a_users_section_plans_applies_converges_and_exports() {
    let emulator = EmulatorProcess::start(&[]);
    emulator.add_user(json!({
        "user_id": USER,
        "email": "admin@example.com",
        "authentication_methods": [{"type": "email", "email": OLD_EMAIL}]
    }));
    let (dir, path) = temp_config("users.yaml", &config());
    let path = path.to_str().unwrap();
    let mut env = emulator.env();
    env.push(("E2E_TOTP_SECRET", TOTP));

    let plan = mfactl(&["plan", "-c", path], &env);
    assert_eq!(plan.code, 0, "{}", plan.transcript());
    assert_clean(&plan);
    let head = format!("users[\"{USER}\"].methods");
    for line in [
        format!("  + {head}[phone XXXXXXXX4567]"),
        format!("  + {head}[totp e2e]"),
        format!("  + {head}[email on****@exam*******]"),
        format!("  - {head}[email old.****@exam*******]"),
        "Stage 5: users' authentication methods".to_owned(),
        "DANGEROUS: deletes an authentication method".to_owned(),
        "totp_secret: (sensitive value) (write-only, not compared)".to_owned(),
    ] {
        assert!(
            plan.stdout.contains(&line),
            "no {line:?} in\n{}",
            plan.stdout
        );
    }
    let json_plan = mfactl(&["plan", "-c", path, "--format", "json"], &env);
    assert_clean(&json_plan);
    let parsed: Value = serde_json::from_str(&json_plan.stdout).unwrap();
    let deleted = parsed["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["action"] == "delete")
        .unwrap();
    assert_eq!(deleted["dangerous"], true);
    assert_eq!(deleted["stage_number"], 5);
    assert_eq!(deleted["request"]["method"], "DELETE");
    let markdown = mfactl(&["plan", "-c", path, "--format", "markdown"], &env);
    assert_clean(&markdown);
    assert!(
        markdown.stdout.contains("`users[\"auth0\\|"),
        "the user id's `|` is escaped in the table:\n{}",
        markdown.stdout
    );

    // Dangerous without --allow-dangerous: refused, nothing sent.
    let refused = mfactl(&["apply", "-c", path, "--auto-approve"], &env);
    assert_eq!(refused.code, 1, "{}", refused.transcript());
    assert!(
        refused.stderr.contains("dangerous change"),
        "{}",
        refused.stderr
    );
    assert_clean(&refused);
    assert!(emulator.writes().is_empty(), "{:?}", emulator.writes());

    let applied = mfactl(
        &["apply", "-c", path, "--auto-approve", "--allow-dangerous"],
        &env,
    );
    assert_eq!(applied.code, 0, "{}", applied.transcript());
    assert!(applied.stdout.contains("Verified"), "{}", applied.stdout);
    assert_clean(&applied);
    let again = mfactl(&["plan", "-c", path, "--detailed-exitcode"], &env);
    assert_eq!(
        again.code,
        0,
        "a second plan is empty:\n{}",
        again.transcript()
    );
    assert_clean(&again);

    // Export of the named user round-trips: it plans empty against the same tenant.
    let exported = dir.path().join("exported.yaml");
    let exported = exported.to_str().unwrap();
    let export = mfactl(&["export", "--users", USER, "-o", exported], &env);
    assert_eq!(export.code, 0, "{}", export.transcript());
    assert_clean(&export);
    let text = std::fs::read_to_string(exported).unwrap();
    for leak in leaks() {
        assert!(!text.contains(leak), "{leak} in\n{text}");
    }
    assert!(text.contains("phone_number: XXXXXXXX4567"), "{text}");
    assert!(text.contains("totp_secret: ${TOTP_SECRET_1}"), "{text}");
    assert!(
        text.contains("fill in the full number or address"),
        "{text}"
    );
    let mut export_env = emulator.env();
    export_env.push(("TOTP_SECRET_1", TOTP));
    let round_trip = mfactl(
        &["plan", "-c", exported, "--detailed-exitcode"],
        &export_env,
    );
    assert_eq!(round_trip.code, 0, "{}", round_trip.transcript());
    let strict = mfactl(&["validate", "--strict", exported], &export_env);
    assert_eq!(strict.code, 0, "{}", strict.transcript());

    // The emulator holds exactly the file's methods.
    let user = emulator.stored_user(USER);
    let mut kinds: Vec<&str> = user["authentication_methods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["type"].as_str().unwrap())
        .collect();
    kinds.sort_unstable();
    assert_eq!(kinds, ["email", "phone", "totp"]);
}

#[test]
fn a_user_the_tenant_lacks_and_a_masked_method_to_create_are_plan_errors() {
    let emulator = EmulatorProcess::start(&[]);
    emulator.add_user(json!({"user_id": USER}));
    let text = format!(
        "version: 1
users:
  \"auth0|nobody\":
    methods: []
  \"{USER}\":
    methods:
      - {{ type: phone, phone_number: XXXXXXXX4567 }}
"
    );
    let (_dir, path) = temp_config("users.yaml", &text);
    let run = mfactl(&["plan", "-c", path.to_str().unwrap()], &emulator.env());
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(
        run.stderr
            .contains("`users[\"auth0|nobody\"]`: 404 inexistent_user"),
        "{}",
        run.stderr
    );
    emulator.add_user(json!({"user_id": "auth0|nobody"}));
    let run = mfactl(&["plan", "-c", path.to_str().unwrap()], &emulator.env());
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(
        run.stderr
            .contains("cannot be created. Fix: write the full `phone_number`"),
        "{}",
        run.stderr
    );
}

#[test]
fn validation_names_each_bad_method_by_its_place() {
    let methods: String = (0..11)
        .map(|i| format!("      - {{ type: phone, phone_number: \"+1555000{i:04}\" }}\n"))
        .collect();
    let text = format!(
        "version: 1
users:
  \"{USER}\":
    methods:
      - {{ type: phone, phone_number: \"555 1234\" }}
      - {{ type: totp, totp_secret: \"jbswy3dpehpk3pxp==\", name: app }}
      - {{ type: email, email: not-an-email }}
      - {{ type: phone, phone_number: \"+15551234567\" }}
      - {{ type: phone, phone_number: \"+15559994567\" }}
      - {{ type: email, phone_number: \"+15551230000\" }}
  jo@example.com:
    methods: []
  \"auth0|many\":
    methods:
{methods}"
    );
    let (_dir, path) = temp_config("users.yaml", &text);
    let run = mfactl(&["validate", path.to_str().unwrap()], &[]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    let found = |needle: &str| {
        assert!(
            run.stderr.contains(needle),
            "no {needle:?} in\n{}",
            run.stderr
        );
    };
    found("users.yaml:5:");
    found("methods[0].phone_number` is not in E.164 form");
    found("methods[1].totp_secret` is padded with `=`");
    found("methods[2].email` is not an email address");
    found("methods[4]` is the same method as");
    found("methods[5].phone_number` applies only to `type: phone`");
    found("`****@exam*******` is not a user id");
    assert!(!run.stderr.contains("jo@example.com"), "{}", run.stderr);
    found("lists 11 items; at most 10 are allowed");
    assert!(!run.stderr.contains("jbswy3dpehpk3pxp"), "{}", run.stderr);
}

#[test]
fn an_authenticator_app_is_replaced_under_exact_and_refused_beside_another() {
    let emulator = EmulatorProcess::start(&[]);
    emulator.add_user(json!({
        "user_id": USER,
        "authentication_methods": [
            {"type": "totp", "totp_secret": "GEZDGNBVGY3TQOJQ", "name": "Authenticator app"},
            {"type": "phone", "phone_number": "+15559990000", "name": "Old phone"}
        ]
    }));
    let file = |manage: &str| {
        format!(
            "version: 1
factors: {{otp: true, sms: true}}
users:
  \"{USER}\":
    manage: {manage}
    methods:
      - {{ type: totp, totp_secret: \"${{E2E_TOTP_SECRET}}\", name: e2e }}
      - {{ type: phone, phone_number: \"{PHONE}\", name: Work phone }}
"
        )
    };
    let mut env = emulator.env();
    env.push(("E2E_TOTP_SECRET", TOTP));

    // Additive: the user's app stays, so a second one can never be created; the plan says so
    // up front, naming both ways out, and nothing is sent.
    let (_dir, additive) = temp_config("users.yaml", &file("additive"));
    let additive = additive.to_str().unwrap();
    let writes = emulator.writes();
    let run = mfactl(&["apply", "-c", additive, "--auto-approve"], &env);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert_clean(&run);
    assert!(
        run.stderr.contains(
            "methods[totp e2e]` cannot be created: the user already has a totp method (totp Authenticator app, totp|dev_"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("Fix: give it the live one's name, `name: Authenticator app`"),
        "{}",
        run.stderr
    );
    assert_eq!(emulator.writes(), writes, "nothing may be written");

    // Exact: the old app is deleted before the new one is created (else 409), and the old
    // phone only after the new one is there. Apply converges.
    let (_dir, exact) = temp_config("users.yaml", &file("exact"));
    let exact = exact.to_str().unwrap();
    let run = mfactl(
        &["apply", "-c", exact, "--auto-approve", "--allow-dangerous"],
        &env,
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_clean(&run);
    assert!(run.stdout.contains("Verified"), "{}", run.stdout);
    assert!(
        !run.stdout.contains("Dangerous changes need"),
        "given --allow-dangerous: {}",
        run.stdout
    );
    let order: Vec<String> = emulator
        .requests()
        .iter()
        .filter(|r| {
            r["path"]
                .as_str()
                .unwrap_or("")
                .contains("/authentication-methods")
        })
        .filter(|r| r["method"] == "POST" || r["method"] == "DELETE")
        .map(|r| {
            let path = r["path"].as_str().unwrap_or("");
            let kind = if path.contains("totp")
                || r["method"] == "POST" && r.to_string().contains("totp")
            {
                "totp"
            } else {
                "phone"
            };
            format!(
                "{} {kind} {}",
                r["method"].as_str().unwrap_or(""),
                r["status"]
            )
        })
        .collect();
    assert_eq!(
        order.first().map(String::as_str),
        Some("DELETE totp 204"),
        "{order:?}"
    );
    assert_eq!(
        order.last().map(String::as_str),
        Some("DELETE phone 204"),
        "{order:?}"
    );
    assert_eq!(order.len(), 4, "{order:?}");
    let methods: Vec<String> = emulator.stored_user(USER)["authentication_methods"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|m| {
            format!(
                "{} {}",
                m["type"].as_str().unwrap_or(""),
                m["name"].as_str().unwrap_or("")
            )
        })
        .collect();
    let mut methods = methods;
    methods.sort();
    assert_eq!(methods, ["phone Work phone", "totp e2e"]);

    let again = mfactl(&["plan", "-c", exact, "--detailed-exitcode"], &env);
    assert_eq!(again.code, 0, "{}", again.transcript());
    // The phone matched by its mask only, and the plan says so.
    assert!(
        again.stdout.contains(&format!(
            "Read back masked (compared by the mask only):\n  users[\"{USER}\"].methods[phone XXXXXXXX4567]: phone_number is read back masked, so only the mask was compared"
        )),
        "{}",
        again.stdout
    );
    assert_clean(&again);
}

#[test]
fn export_names_users_by_id_or_email_and_masks_an_unknown_email() {
    let emulator = EmulatorProcess::start(&[]);
    emulator.add_user(json!({
        "user_id": USER,
        "email": "admin@example.com",
        "authentication_methods": [{"type": "email", "email": OLD_EMAIL}]
    }));
    let run = mfactl(&["export", "--users", "admin@example.com"], &emulator.env());
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(run.stdout.contains(&format!("{USER}:")), "{}", run.stdout);
    assert!(
        run.stdout.contains("old.****@exam*******"),
        "{}",
        run.stdout
    );
    let run = mfactl(
        &["export", "--users", "nobody.here@example.com"],
        &emulator.env(),
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(
        run.stderr
            .contains("error: no user has the email nobo****@exam*******"),
        "{}",
        run.stderr
    );
    run.assert_no_secrets(&["nobody.here@example.com", OLD_EMAIL, "admin@example.com"]);
}

#[test]
fn an_export_leaves_out_methods_that_read_the_same_and_plans_empty() {
    let emulator = EmulatorProcess::start(&[]);
    emulator.add_user(json!({
        "user_id": USER,
        "authentication_methods": [
            {"type": "phone", "phone_number": PHONE, "name": "Work"},
            {"type": "phone", "phone_number": "+15559994567", "name": "Home"},
            {"type": "email", "email": EMAIL}
        ]
    }));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("exported.yaml");
    let file = file.to_str().unwrap();
    let run = mfactl(&["export", "--users", USER, "-o", file], &emulator.env());
    assert_eq!(run.code, 0, "{}", run.transcript());
    let text = std::fs::read_to_string(file).unwrap();
    assert!(
        text.contains(&format!(
            "# Left out, as they read the same as each other (the API masks them alike), so a file\n# cannot tell them apart; they stay on the tenant, which this file never deletes from:\n#   users[\"{USER}\"].methods[phone XXXXXXXX4567] (phone|dev_"
        )),
        "{text}"
    );
    for leak in leaks() {
        assert!(!text.contains(leak), "{leak} in\n{text}");
    }
    let check = mfactl(&["validate", "--strict", "--no-env", "-c", file], &[]);
    assert_eq!(check.code, 0, "{}", check.transcript());
    let plan = mfactl(
        &["plan", "-c", file, "--detailed-exitcode"],
        &emulator.env(),
    );
    assert_eq!(plan.code, 0, "{}", plan.transcript());
}

#[test]
fn a_replacement_app_that_fails_says_the_old_one_is_gone_and_a_rerun_converges() {
    let emulator = EmulatorProcess::start(&[]);
    emulator.add_user(json!({
        "user_id": USER,
        "authentication_methods": [
            {"type": "totp", "totp_secret": "GEZDGNBVGY3TQOJQ", "name": "old"}
        ]
    }));
    let text = format!(
        "version: 1
users:
  \"{USER}\":
    manage: exact
    methods:
      - {{ type: totp, totp_secret: \"${{E2E_TOTP_SECRET}}\", name: new }}
"
    );
    let (_dir, path) = temp_config("users.yaml", &text);
    let path = path.to_str().unwrap();
    let mut env = emulator.env();
    env.push(("E2E_TOTP_SECRET", TOTP));
    emulator.add_fault(json!({"method": "POST",
        "path": format!("/api/v2/users/{}/authentication-methods", USER.replace('|', "%7C")),
        "status": 503, "times": 1}));
    let args = ["apply", "-c", path, "--auto-approve", "--allow-dangerous"];
    let run = mfactl(&args, &env);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(
        run.stdout.contains(
            "The method it replaces was deleted first (a user holds one), so until apply runs again the user has neither."
        ),
        "{}",
        run.transcript()
    );
    assert_clean(&run);
    let again = mfactl(&args, &env);
    assert_eq!(again.code, 0, "{}", again.transcript());
    let methods = emulator.stored_user(USER)["authentication_methods"].clone();
    assert_eq!(methods.as_array().map(Vec::len), Some(1), "{methods}");
    assert_eq!(methods[0]["name"], "new");
}
