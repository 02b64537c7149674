//! `mfactl users …` and `mfactl enrollments …` end to end: the real binary against a
//! `mfactl emulator` process (and `--emulator`), every command, every error path, and a scan of
//! every output and log for the personal data and secrets the tests used.

use mfactl::users::masking::mask_if_personal;
use serde_json::{Value, json};

use crate::support::{EmulatorProcess, Run, mfactl, mfactl_with_stdin};

const ALICE: &str = "auth0|5f1a2b3c4d5e6f7081920a1b";
const ALICE_EMAIL: &str = "alice.smith@example.com";
const ALICE_PHONE: &str = "+447700900123";
const ALICE_PHONE_ID: &str = "phone|dev_AlicePhone000001";
const ALICE_TOTP_ID: &str = "totp|dev_AliceTotp0000001";
const ALICE_TOTP_SECRET: &str = "GEZDGNBVGY3TQOJQ";
const BOB: &str = "auth0|5f1a2b3c4d5e6f7081920a2c";
const BOB_EMAIL: &str = "bob.jones@example.org";
const TWIN_EMAIL: &str = "sam.twin@example.net";
const NEW_PHONE: &str = "+15551230001";
const NEW_EMAIL: &str = "carol.new@example.com";
const COPY_EMAIL: &str = "helpdesk.copy@example.com";
const BAD_PHONE: &str = "+0447700900";
const ENV_TOTP_SECRET: &str = "KRSXG5CTMVRXEZLU";
const STDIN_TOTP_SECRET: &str = "MFRGGZDFMZTWQ2LK";

/// Every phone number, email and TOTP secret the tests use: no output or log may hold one.
const PERSONAL_AND_SECRET: &[&str] = &[
    ALICE_EMAIL,
    ALICE_PHONE,
    ALICE_TOTP_SECRET,
    BOB_EMAIL,
    TWIN_EMAIL,
    NEW_PHONE,
    NEW_EMAIL,
    COPY_EMAIL,
    BAD_PHONE,
    ENV_TOTP_SECRET,
    STDIN_TOTP_SECRET,
];

fn seeded() -> EmulatorProcess {
    let emulator = EmulatorProcess::start(&[]);
    emulator.add_user(json!({
        "user_id": ALICE,
        "email": ALICE_EMAIL,
        "name": "Alice Smith",
        "multifactor": ["duo", "google-authenticator"],
        "authentication_methods": [
            {"id": ALICE_PHONE_ID, "type": "phone", "name": "Old phone", "phone_number": ALICE_PHONE, "created_at": "2025-01-10T08:00:00.000Z"},
            {"id": ALICE_TOTP_ID, "type": "totp", "name": "Authenticator", "totp_secret": ALICE_TOTP_SECRET, "created_at": "2025-01-10T08:01:00.000Z"}
        ]
    }));
    emulator.add_user(json!({"user_id": BOB, "email": BOB_EMAIL}));
    emulator.add_user(json!({"user_id": "auth0|5f1a2b3c4d5e6f7081920a3d", "email": TWIN_EMAIL}));
    emulator.add_user(
        json!({"user_id": "google-oauth2|1234567890", "email": TWIN_EMAIL, "connection": "google-oauth2"}),
    );
    emulator
}

/// Everything the tests saw: every run's output, for the final scan.
#[derive(Default)]
struct Seen(Vec<String>);

impl Seen {
    fn keep(&mut self, run: &Run) {
        self.0.push(run.stdout.clone());
        self.0.push(run.stderr.clone());
    }

    /// Fails if any text holds one of [`PERSONAL_AND_SECRET`] in clear (as given or
    /// lower-cased); prints how much was scanned and how often the masked forms appear.
    fn assert_nothing_leaked(&self, scan: &str) {
        for text in &self.0 {
            for value in PERSONAL_AND_SECRET {
                assert!(!text.contains(value), "{value} leaked into:\n{text}");
                assert!(
                    !text.contains(&value.to_lowercase()),
                    "{value} leaked into:\n{text}"
                );
            }
        }
        let masked: usize = PERSONAL_AND_SECRET
            .iter()
            .filter_map(|value| mask_if_personal(value))
            .map(|form| {
                self.0
                    .iter()
                    .map(|t| t.matches(&form).count())
                    .sum::<usize>()
            })
            .sum();
        let bytes: usize = self.0.iter().map(String::len).sum();
        println!(
            "leak scan ({scan}): {} texts, {bytes} bytes, {} values: 0 in clear, {masked} masked occurrences",
            self.0.len(),
            PERSONAL_AND_SECRET.len()
        );
    }
}

/// Runs `mfactl ARGS -vv` against the emulator, stdin closed.
fn run(emulator: &EmulatorProcess, seen: &mut Seen, args: &[&str]) -> Run {
    let mut all: Vec<&str> = args.to_vec();
    all.push("-vv");
    let result = mfactl(&all, &emulator.env());
    seen.keep(&result);
    result
}

/// Runs `mfactl ARGS -vv` with `input` on stdin (a pipe, not a terminal).
fn run_with_stdin(emulator: &EmulatorProcess, seen: &mut Seen, args: &[&str], input: &str) -> Run {
    let mut all: Vec<&str> = args.to_vec();
    all.push("-vv");
    let result = mfactl_with_stdin(&all, &emulator.env(), input);
    seen.keep(&result);
    result
}

fn ok(result: &Run) -> &Run {
    assert_eq!(result.code, 0, "{}", result.transcript());
    result
}

fn failed(result: &Run) -> &Run {
    assert_eq!(result.code, 1, "{}", result.transcript());
    result
}

fn user<'s>(state: &'s Value, id: &str) -> &'s Value {
    state["users"]
        .as_array()
        .and_then(|users| users.iter().find(|u| u["profile"]["user_id"] == id))
        .expect("user in state")
}

fn method_ids(state: &Value, id: &str) -> Vec<String> {
    user(state, id)["authentication_methods"]
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|m| m["id"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// The error message at the end of stderr, without the log lines before it (they differ run to
/// run).
fn errors_only(result: &Run) -> String {
    match result.stderr.find("error:") {
        Some(start) => result.stderr[start..].to_owned(),
        None => String::new(),
    }
}

/// Replaces the emulator's port, which changes from run to run.
fn without_port(text: &str, emulator: &EmulatorProcess) -> String {
    text.replace(emulator.host(), "127.0.0.1:PORT")
}

#[test]
fn every_command_works_end_to_end_and_nothing_leaks() {
    let emulator = seeded();
    let mut seen = Seen::default();

    // Read: by email and by id, human and JSON.
    let list = run(
        &emulator,
        &mut seen,
        &["users", "methods", "list", ALICE_EMAIL],
    );
    insta::assert_snapshot!("methods_list", ok(&list).stdout);
    assert!(
        list.stderr.contains("answer body"),
        "-vv logs bodies:\n{}",
        list.stderr
    );
    assert!(list.stderr.contains("XXXXXXXXX0123"), "{}", list.stderr);
    let json_list = run(
        &emulator,
        &mut seen,
        &["users", "methods", "list", ALICE, "--format", "json"],
    );
    let parsed: Value = serde_json::from_str(&ok(&json_list).stdout).unwrap();
    assert_eq!(parsed[0]["phone_number"], "XXXXXXXXX0123");
    assert_eq!(parsed[0]["authentication_methods"][0]["type"], "sms");
    let get = run(
        &emulator,
        &mut seen,
        &["users", "methods", "get", ALICE, ALICE_PHONE_ID],
    );
    insta::assert_snapshot!("methods_get", ok(&get).stdout);
    let enrollments = run(&emulator, &mut seen, &["users", "enrollments", ALICE_EMAIL]);
    insta::assert_snapshot!("user_enrollments", ok(&enrollments).stdout);
    let enrollment = run(
        &emulator,
        &mut seen,
        &["enrollments", "get", "dev_AlicePhone000001"],
    );
    assert!(
        ok(&enrollment).stdout.contains("status:"),
        "{}",
        enrollment.stdout
    );

    // Add: a phone (voice), an email, TOTP from the environment and from stdin, a security key.
    let phone = run(
        &emulator,
        &mut seen,
        &[
            "users",
            "methods",
            "add",
            BOB_EMAIL,
            "--phone",
            NEW_PHONE,
            "--voice",
            "--name",
            "New phone",
        ],
    );
    assert!(
        ok(&phone).stdout.starts_with("Added phone|dev_"),
        "{}",
        phone.stdout
    );
    assert!(
        phone
            .stdout
            .contains("phone XXXXXXXX0001 (voice), \"New phone\""),
        "{}",
        phone.stdout
    );
    let email = run(
        &emulator,
        &mut seen,
        &["users", "methods", "add", BOB, "--email", NEW_EMAIL],
    );
    assert!(
        ok(&email).stdout.contains("email caro****@exam*******"),
        "{}",
        email.stdout
    );
    let mut env = emulator.env();
    env.push(("NEW_TOTP", ENV_TOTP_SECRET));
    let totp_env = mfactl(
        &[
            "users",
            "methods",
            "add",
            BOB,
            "--totp-secret-env",
            "NEW_TOTP",
            "--name",
            "Phone app",
            "-vv",
        ],
        &env,
    );
    seen.keep(&totp_env);
    assert!(
        ok(&totp_env).stdout.starts_with("Added totp|dev_"),
        "{}",
        totp_env.stdout
    );
    let state = emulator.state();
    let bob = user(&state, BOB);
    let stored_secret = bob["authentication_methods"][2]["totp_secret"].as_str();
    assert_eq!(stored_secret, Some(ENV_TOTP_SECRET));
    // A second authenticator app is refused (409), and says so.
    let second = run_with_stdin(
        &emulator,
        &mut seen,
        &["users", "methods", "add", BOB, "--totp-secret-stdin"],
        &format!("{}\n", STDIN_TOTP_SECRET.to_lowercase()),
    );
    assert!(
        failed(&second)
            .stderr
            .contains("already has this authentication method (409"),
        "{}",
        second.stderr
    );
    let stdin_totp = run_with_stdin(
        &emulator,
        &mut seen,
        &["users", "methods", "add", ALICE, "--totp-secret-stdin"],
        &format!("{}\n", STDIN_TOTP_SECRET),
    );
    // Alice has one already: delete it first, then add from stdin.
    failed(&stdin_totp);
    ok(&run(
        &emulator,
        &mut seen,
        &["users", "methods", "delete", ALICE, ALICE_TOTP_ID, "--yes"],
    ));
    let stdin_totp = run_with_stdin(
        &emulator,
        &mut seen,
        &[
            "users",
            "methods",
            "add",
            ALICE,
            "--totp-secret-stdin",
            "--format",
            "json",
        ],
        &format!("{}\n", STDIN_TOTP_SECRET.to_lowercase()),
    );
    let created: Value = serde_json::from_str(&ok(&stdin_totp).stdout).unwrap();
    assert_eq!(created["type"], "totp");
    let alice = emulator.state();
    let alice_methods = user(&alice, ALICE)["authentication_methods"]
        .as_array()
        .unwrap()
        .clone();
    assert!(
        alice_methods
            .iter()
            .any(|m| m["totp_secret"] == STDIN_TOTP_SECRET)
    );
    let key = run(
        &emulator,
        &mut seen,
        &[
            "users",
            "methods",
            "add",
            BOB,
            "--webauthn-key-id",
            "a2V5LWlk",
            "--public-key",
            "cHVibGljLWtleQ==",
            "--relying-party",
            "acme.eu.auth0.com",
            "--name",
            "YubiKey",
        ],
    );
    assert!(
        ok(&key)
            .stdout
            .contains("webauthn-roaming acme.eu.auth0.com, \"YubiKey\""),
        "{}",
        key.stdout
    );

    // Update and delete one method.
    let new_phone_id = method_ids(&emulator.state(), BOB)[0].clone();
    let update = run(
        &emulator,
        &mut seen,
        &[
            "users",
            "methods",
            "update",
            BOB,
            &new_phone_id,
            "--name",
            "Mobile",
            "--preferred",
            "sms",
        ],
    );
    assert!(
        ok(&update).stdout.contains("(sms), \"Mobile\")"),
        "{}",
        update.stdout
    );
    let delete = run(
        &emulator,
        &mut seen,
        &[
            "users",
            "methods",
            "delete",
            BOB_EMAIL,
            &new_phone_id,
            "--yes",
        ],
    );
    assert!(
        ok(&delete).stdout.starts_with(&format!(
            "Deleted {new_phone_id} (phone XXXXXXXX0001 (sms), \"Mobile\")"
        )),
        "{}",
        delete.stdout
    );
    assert!(!method_ids(&emulator.state(), BOB).contains(&new_phone_id));

    // Enrollment tickets.
    let ticket = run(
        &emulator,
        &mut seen,
        &[
            "enrollments",
            "ticket",
            BOB_EMAIL,
            "--send-mail",
            "--email",
            COPY_EMAIL,
            "--email-locale",
            "fr",
            "--factor",
            "phone",
        ],
    );
    assert!(
        ok(&ticket).stdout.contains("/mfa/enrollment?ticket="),
        "{}",
        ticket.stdout
    );
    assert!(
        ticket
            .stderr
            .contains("Auth0 emails the link to help****@exam*******"),
        "{}",
        ticket.stderr
    );
    let ticket_json = run(
        &emulator,
        &mut seen,
        &["enrollments", "ticket", BOB, "--format", "json"],
    );
    let ticket_body: Value = serde_json::from_str(&ok(&ticket_json).stdout).unwrap();
    assert_eq!(ticket_body["ticket_id"].as_str().map(str::len), Some(32));

    // Recovery code: on stdout only, once.
    let code = run(
        &emulator,
        &mut seen,
        &["users", "recovery-code", ALICE_EMAIL],
    );
    let printed = ok(&code).stdout.trim().to_owned();
    let state = emulator.state();
    assert_eq!(
        user(&state, ALICE)["recovery_code"].as_str(),
        Some(printed.as_str())
    );
    assert_eq!(printed.len(), 24);
    assert!(
        !code.stderr.contains(&printed),
        "the code reached stderr:\n{}",
        code.stderr
    );
    let log_text = serde_json::to_string(&emulator.requests()).unwrap();
    assert!(
        !log_text.contains(&printed),
        "the code reached the request log"
    );
    seen.0.retain(|text| !text.contains(&printed));

    // Stolen laptop: forget browsers, remove the legacy provider.
    let forget = run(
        &emulator,
        &mut seen,
        &["users", "forget-browsers", ALICE_EMAIL],
    );
    assert!(
        ok(&forget)
            .stdout
            .starts_with("Forgot the remembered browsers"),
        "{}",
        forget.stdout
    );
    let removed = run(
        &emulator,
        &mut seen,
        &[
            "users",
            "remove-provider",
            ALICE,
            "google-authenticator",
            "--yes",
        ],
    );
    ok(&removed);
    let state = emulator.state();
    assert_eq!(user(&state, ALICE)["remember_browser_invalidations"], 1);
    assert_eq!(
        user(&state, ALICE)["profile"]["multifactor"],
        json!(["duo"])
    );

    // Delete an enrollment: its method goes with it.
    let gone = run(
        &emulator,
        &mut seen,
        &["enrollments", "delete", "dev_AlicePhone000001", "--yes"],
    );
    assert_eq!(
        ok(&gone).stdout,
        "Deleted Guardian enrollment dev_AlicePhone000001.\n"
    );
    assert!(!method_ids(&emulator.state(), ALICE).contains(&ALICE_PHONE_ID.to_owned()));

    // Lost phone: reset everything.
    let reset = run(
        &emulator,
        &mut seen,
        &["users", "reset", BOB_EMAIL, "--yes"],
    );
    assert!(
        ok(&reset)
            .stdout
            .contains("Deleted 3 authentication methods of user"),
        "{}",
        reset.stdout
    );
    assert!(method_ids(&emulator.state(), BOB).is_empty());
    let empty = run(&emulator, &mut seen, &["users", "reset", BOB, "--yes"]);
    assert!(
        ok(&empty).stdout.contains("nothing to delete"),
        "{}",
        empty.stdout
    );

    // The scan: outputs, -vv logs and the emulator's request log hold no clear personal data
    // or secret, and do hold the masked forms (so the scan looks at the right places).
    let log = serde_json::to_string(&emulator.requests()).unwrap();
    seen.0.push(log.clone());
    seen.assert_nothing_leaked("every command: stdout, stderr with -vv logs, request log");
    assert!(log.contains("\"phone_number\":\"XXXXXXXX0001\""), "{log}");
    assert!(log.contains("\"email\":\"caro****@exam*******\""), "{log}");
    assert!(
        log.contains("\"totp_secret\":\"(sensitive value)\""),
        "{log}"
    );
    assert!(
        seen.0
            .iter()
            .any(|t| t.contains("/users-by-email?email=alic****@exam*******"))
    );
}

#[test]
fn error_paths_name_what_is_wrong() {
    let emulator = seeded();
    let mut seen = Seen::default();
    let mut transcript = String::new();
    let mut record = |label: &str, result: &Run| {
        failed(result);
        assert!(result.stdout.is_empty(), "{}", result.transcript());
        transcript.push_str(&format!(
            "$ {label}\n{}",
            without_port(&errors_only(result), &emulator)
        ));
    };

    record(
        "users methods list auth0|nobody",
        &run(
            &emulator,
            &mut seen,
            &["users", "methods", "list", "auth0|nobody"],
        ),
    );
    record(
        "users methods list nobody@example.com",
        &run(
            &emulator,
            &mut seen,
            &["users", "methods", "list", "nobody@example.com"],
        ),
    );
    record(
        "users methods list <twin email>",
        &run(
            &emulator,
            &mut seen,
            &["users", "methods", "list", TWIN_EMAIL],
        ),
    );
    record(
        "users methods get <alice> phone|dev_Unknown000000001",
        &run(
            &emulator,
            &mut seen,
            &[
                "users",
                "methods",
                "get",
                ALICE,
                "phone|dev_Unknown000000001",
            ],
        ),
    );
    record(
        "users methods delete <alice> phone|dev_Unknown000000001 --yes",
        &run(
            &emulator,
            &mut seen,
            &[
                "users",
                "methods",
                "delete",
                ALICE,
                "phone|dev_Unknown000000001",
                "--yes",
            ],
        ),
    );
    record(
        "enrollments get dev_0000000000000001",
        &run(
            &emulator,
            &mut seen,
            &["enrollments", "get", "dev_0000000000000001"],
        ),
    );
    let before = emulator.requests().len();
    record(
        "users methods add <alice> --phone <bad>",
        &run(
            &emulator,
            &mut seen,
            &["users", "methods", "add", ALICE_EMAIL, "--phone", BAD_PHONE],
        ),
    );
    // Bad values are refused offline: not one request is sent for them.
    record(
        "users methods add <bob> --email <bad>",
        &run(
            &emulator,
            &mut seen,
            &[
                "users",
                "methods",
                "add",
                BOB,
                "--email",
                "bob.at.example.com",
            ],
        ),
    );
    record(
        "users methods add <bob> (TOTP secret on stdin, not base32)",
        &run_with_stdin(
            &emulator,
            &mut seen,
            &["users", "methods", "add", BOB, "--totp-secret-stdin"],
            "jbsw y3dp ehpk 3pxp 1\n",
        ),
    );
    assert_eq!(emulator.requests().len(), before, "nothing may be sent");
    record(
        "users methods add <bob> --totp-secret-env UNSET",
        &run(
            &emulator,
            &mut seen,
            &["users", "methods", "add", BOB, "--totp-secret-env", "UNSET"],
        ),
    );

    // Missing scope: a token without the delete scope; nothing is sent but the scope check.
    let token = emulator.token_with(&["read:authentication_methods", "read:users"]);
    let env = [
        ("AUTH0_DOMAIN", emulator.domain.as_str()),
        ("AUTH0_API_TOKEN", token.as_str()),
    ];
    let before = emulator.requests().len();
    let scope = mfactl(&["users", "reset", ALICE_EMAIL, "--yes"], &env);
    seen.keep(&scope);
    record(
        "users reset <alice email> --yes (token without delete:authentication_methods)",
        &scope,
    );
    assert_eq!(emulator.requests().len(), before, "nothing may be sent");

    // No terminal and no --yes: every destructive command refuses before changing anything.
    let writes_before = emulator.writes();
    for (label, args) in [
        (
            "users methods delete",
            vec!["users", "methods", "delete", ALICE, ALICE_PHONE_ID],
        ),
        ("users reset", vec!["users", "reset", ALICE]),
        (
            "users remove-provider",
            vec!["users", "remove-provider", ALICE, "duo"],
        ),
        (
            "enrollments delete",
            vec!["enrollments", "delete", "dev_AlicePhone000001"],
        ),
    ] {
        let result = run(&emulator, &mut seen, &args);
        failed(&result);
        assert!(
            result
                .stderr
                .contains("no terminal to confirm on; nothing was changed"),
            "{label}: {}",
            result.stderr
        );
        if label == "users reset" {
            transcript.push_str(&format!(
                "$ {label} (no terminal)\n{}",
                errors_only(&result)
            ));
        }
    }
    assert_eq!(emulator.writes(), writes_before, "nothing may be written");
    assert_eq!(method_ids(&emulator.state(), ALICE).len(), 2);

    insta::assert_snapshot!("error_paths", transcript);
    seen.0
        .push(serde_json::to_string(&emulator.requests()).unwrap());
    seen.assert_nothing_leaked("error paths: stdout, stderr with -vv logs, request log");
}

#[test]
fn every_command_works_with_the_built_in_emulator() {
    let env = [("NO_COLOR", "1")];
    let demo = "jo.doe@example.com";
    let cases: &[(&[&str], &str)] = &[
        (
            &["users", "methods", "list", demo, "--emulator"],
            "has 2 authentication methods",
        ),
        (
            &[
                "users",
                "methods",
                "get",
                demo,
                "phone|dev_Qm3x9Lk2Pz8Rt4Vw",
                "--emulator",
            ],
            "XXXXXXXX0123",
        ),
        (
            &[
                "users",
                "methods",
                "add",
                demo,
                "--email",
                "jo.work@example.com",
                "--emulator",
            ],
            "Added email|dev_",
        ),
        (
            &[
                "users",
                "methods",
                "update",
                demo,
                "phone|dev_Qm3x9Lk2Pz8Rt4Vw",
                "--preferred",
                "voice",
                "--emulator",
            ],
            "(voice)",
        ),
        (
            &[
                "users",
                "methods",
                "delete",
                demo,
                "totp|dev_Hn5c7Bv1Xz3Lk9Qw",
                "--yes",
                "--emulator",
            ],
            "Deleted totp|dev_Hn5c7Bv1Xz3Lk9Qw",
        ),
        (
            &["users", "reset", demo, "--yes", "--emulator"],
            "Deleted 2 authentication methods",
        ),
        (
            &["users", "enrollments", demo, "--emulator"],
            "has 2 Guardian enrollments",
        ),
        (&["users", "recovery-code", demo, "--emulator"], ""),
        (
            &["users", "forget-browsers", demo, "--emulator"],
            "Forgot the remembered browsers",
        ),
        (
            &[
                "users",
                "remove-provider",
                demo,
                "google-authenticator",
                "--yes",
                "--emulator",
            ],
            "Removed the google-authenticator",
        ),
        (
            &["enrollments", "get", "dev_Qm3x9Lk2Pz8Rt4Vw", "--emulator"],
            "confirmed",
        ),
        (
            &[
                "enrollments",
                "delete",
                "dev_Qm3x9Lk2Pz8Rt4Vw",
                "--yes",
                "--emulator",
            ],
            "Deleted Guardian enrollment",
        ),
        (
            &["enrollments", "ticket", demo, "--emulator"],
            "/mfa/enrollment?ticket=",
        ),
    ];
    for (args, expected) in cases {
        let result = mfactl(args, &env);
        assert_eq!(result.code, 0, "{args:?}\n{}", result.transcript());
        assert!(
            result.stdout.contains(expected),
            "{args:?}\n{}",
            result.transcript()
        );
        assert!(
            result.stderr.contains("a new tenant with one demo user"),
            "{}",
            result.stderr
        );
        assert!(!result.stdout.contains(demo) && !result.stderr.contains(demo));
        assert!(!result.stdout.contains("+15555550123") && !result.stderr.contains("+15555550123"));
    }
}

#[test]
fn names_from_the_api_cannot_forge_rows_or_drive_the_terminal() {
    let emulator = EmulatorProcess::start(&[]);
    let forged = "Work\nphone|dev_FAKE  phone  Fake  XXXXXXXX9999 (sms)\u{1b}[2J\u{9b}31m";
    emulator.add_user(json!({"user_id": "auth0|forge", "authentication_methods": [
        {"type": "totp", "totp_secret": "GEZDGNBVGY3TQOJQ", "name": forged}
    ]}));
    for args in [
        vec!["users", "methods", "list", "auth0|forge"],
        vec!["users", "enrollments", "auth0|forge"],
    ] {
        let run = mfactl(&args, &emulator.env());
        ok(&run);
        for text in [&run.stdout, &run.stderr] {
            assert!(
                !text.chars().any(|c| c.is_control() && c != '\n'),
                "{args:?}: {text:?}"
            );
        }
        assert!(
            run.stdout.contains("Work\\nphone|dev_FAKE"),
            "{args:?}: {}",
            run.stdout
        );
        assert!(!run.stdout.contains("\nphone|dev_FAKE"), "{}", run.stdout);
    }
}

#[test]
fn bad_arguments_are_refused_before_any_request() {
    let emulator = seeded();
    let cases: [(Vec<&str>, Option<String>, &str); 4] = [
        (
            vec![
                "enrollments",
                "ticket",
                ALICE,
                "--email",
                "alice.example.com",
            ],
            None,
            "error: --email alic**** is not an email address (local@domain.tld); nothing was sent",
        ),
        (
            vec![
                "users",
                "methods",
                "add",
                ALICE,
                "--email",
                ALICE_EMAIL,
                "--voice",
            ],
            None,
            "error: the argument '--email <ADDRESS>' cannot be used with '--voice'",
        ),
        (
            vec!["users", "methods", "add", ALICE, "--totp-secret-stdin"],
            Some("A".repeat(5000)),
            "error: the TOTP secret on stdin is longer than 1024 bytes; nothing was sent",
        ),
        (
            vec!["users", "methods", "add", ALICE, "--totp-secret-stdin"],
            Some("JBSWY3DP\nEHPK3PXP\n".to_owned()),
            "error: stdin holds more than one line; nothing was sent",
        ),
    ];
    // A grouped number is sent in E.164 form; brackets are refused (`(0)` is no digit to keep).
    let grouped = mfactl(
        &["users", "methods", "add", BOB, "--phone", "+1 555-555.0199"],
        &emulator.env(),
    );
    ok(&grouped);
    assert!(
        grouped.stdout.contains("(phone XXXXXXXX0199 (sms))"),
        "{}",
        grouped.stdout
    );
    let before = emulator.requests().len();
    let bracketed = mfactl(
        &[
            "users",
            "methods",
            "add",
            BOB,
            "--phone",
            "+44 (0)20 7183 8750",
        ],
        &emulator.env(),
    );
    assert_eq!(bracketed.code, 1, "{}", bracketed.transcript());
    for (args, input, expected) in cases {
        let run = match input {
            Some(text) => mfactl_with_stdin(&args, &emulator.env(), &text),
            None => mfactl(&args, &emulator.env()),
        };
        assert_ne!(run.code, 0, "{args:?}: {}", run.transcript());
        assert!(run.stderr.contains(expected), "{args:?}: {}", run.stderr);
    }
    assert_eq!(emulator.requests().len(), before, "nothing may be sent");
}
