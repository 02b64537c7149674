//! Output that cannot be delivered: every command exits 1 when its results do not all reach
//! stdout (a full disk: `/dev/full`); `users recovery-code` says the new code was not
//! delivered, and refuses to make one that would go to `/dev/null`; `plan --out` that cannot
//! save prints nothing; `users remove-provider` looks before it removes; `enrollments ticket
//! --email` sends the mail it names.

use std::path::Path;

use serde_json::Value;

use crate::support::{EmulatorProcess, mfactl, mfactl_writing_to, temp_config};

const FULL: &str = "/dev/full";
const DEMO: &str = "jo.doe@example.com";
const DEMO_ID: &str = "auth0|65f0c0ffee5eed0000d3e301";

fn demo_user(state: &Value) -> &Value {
    state["users"]
        .as_array()
        .and_then(|users| users.iter().find(|u| u["profile"]["user_id"] == DEMO_ID))
        .expect("the demo user")
}

#[test]
fn every_command_fails_when_stdout_cannot_be_written() {
    let emulator = EmulatorProcess::start(&["--demo-user"]);
    let env = emulator.env();
    let tf = "tests/fixtures/convert/terraform/main.tf";
    let commands: &[&[&str]] = &[
        &["export"],
        &["plan", "-c", "examples/minimal.yaml"],
        &["plan", "-c", "examples/minimal.yaml", "--format", "json"],
        &[
            "plan",
            "-c",
            "examples/minimal.yaml",
            "--format",
            "markdown",
        ],
        &["validate", "-c", "examples/minimal.yaml"],
        &["users", "methods", "list", DEMO],
        &["users", "enrollments", DEMO, "--format", "json"],
        &["enrollments", "get", "dev_Qm3x9Lk2Pz8Rt4Vw"],
        &["enrollments", "ticket", DEMO],
        &["convert", "terraform", tf],
        &["completions", "bash"],
        &["schema"],
        &["man"],
    ];
    for args in commands {
        let run = mfactl_writing_to(args, &env, Path::new(FULL));
        assert_eq!(run.code, 1, "{args:?}\n{}", run.transcript());
        assert!(
            run.stderr.contains("No space left on device"),
            "{args:?}\n{}",
            run.transcript()
        );
    }
    // The same commands succeed when stdout can be written.
    let run = mfactl(&["users", "methods", "list", DEMO], &env);
    assert_eq!(run.code, 0, "{}", run.transcript());
}

#[test]
fn apply_sends_nothing_when_the_plan_cannot_be_shown() {
    let emulator = EmulatorProcess::start(&[]);
    let run = mfactl_writing_to(
        &["apply", "-c", "examples/minimal.yaml", "--auto-approve"],
        &emulator.env(),
        Path::new(FULL),
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(
        run.stderr.contains(
            "error: cannot write the plan to stdout: No space left on device (os error 28); nothing was sent"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(emulator.writes(), Vec::<String>::new());
}

#[test]
fn a_recovery_code_that_cannot_be_delivered_says_so() {
    let emulator = EmulatorProcess::start(&["--demo-user"]);
    let env = emulator.env();
    let run = mfactl_writing_to(&["users", "recovery-code", DEMO], &env, Path::new(FULL));
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert_eq!(
        run.stderr,
        format!(
            "error: the new recovery code of user {DEMO_ID} (jo****@exam*******) was NOT delivered: cannot write to stdout (No space left on device (os error 28)). The previous code no longer works either: run `mfactl users recovery-code` again with stdout going to a file or a terminal\n"
        )
    );
    // What the message says is true: a new code was made.
    let code = demo_user(&emulator.state())["recovery_code"]
        .as_str()
        .map(str::to_owned)
        .expect("a new code");
    assert!(!run.stderr.contains(&code));
}

#[test]
fn no_recovery_code_is_made_for_dev_null() {
    let emulator = EmulatorProcess::start(&["--demo-user"]);
    let run = mfactl_writing_to(
        &["users", "recovery-code", DEMO],
        &emulator.env(),
        Path::new("/dev/null"),
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert_eq!(
        run.stderr,
        "error: stdout is /dev/null (or was closed), where the new recovery code would be lost; nothing was changed. Send stdout to a file (`> new-code.txt`) or a terminal\n"
    );
    assert_eq!(emulator.requests(), Vec::<Value>::new(), "nothing is sent");
}

#[test]
fn plan_out_that_cannot_be_saved_prints_nothing() {
    let emulator = EmulatorProcess::start(&[]);
    let env = emulator.env();
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-folder").join("mfa.plan");
    let missing = missing.to_str().unwrap();
    let run = mfactl(
        &[
            "plan",
            "-c",
            "examples/minimal.yaml",
            "--out",
            missing,
            "--detailed-exitcode",
        ],
        &env,
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert_eq!(run.stdout, "", "nothing on stdout");
    assert_eq!(
        run.stderr,
        format!("error: cannot write {missing}: No such file or directory (os error 2)\n")
    );

    // A plan that cannot be printed is not saved, and leaves an earlier plan file alone.
    let out = dir.path().join("mfa.plan");
    std::fs::write(&out, "earlier plan").unwrap();
    let run = mfactl_writing_to(
        &[
            "plan",
            "-c",
            "examples/minimal.yaml",
            "--out",
            out.to_str().unwrap(),
        ],
        &env,
        Path::new(FULL),
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "earlier plan");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file is left"
    );

    // Both written: the file holds the plan.
    let run = mfactl(
        &[
            "plan",
            "-c",
            "examples/minimal.yaml",
            "--out",
            out.to_str().unwrap(),
        ],
        &env,
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(run.stdout.contains("Plan: "), "{}", run.stdout);
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert!(saved.is_object());
}

#[test]
fn remove_provider_looks_before_it_removes() {
    let emulator = EmulatorProcess::start(&["--demo-user"]);
    let env = emulator.env();
    // The demo user has Google Authenticator, not Duo: nothing to remove, nothing sent.
    let run = mfactl(&["users", "remove-provider", DEMO, "duo", "--yes"], &env);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(
        run.stdout,
        format!(
            "User {DEMO_ID} (jo****@exam*******) does not have the duo MFA provider (its MFA providers: google-authenticator); nothing to remove.\n"
        )
    );
    assert_eq!(emulator.writes(), Vec::<String>::new());

    // Without a terminal or --yes: shown, then refused.
    let run = mfactl(
        &["users", "remove-provider", DEMO, "google-authenticator"],
        &env,
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert_eq!(
        run.stdout,
        format!(
            "User {DEMO_ID} (jo****@exam*******) has the google-authenticator MFA provider; without it they set up MFA again at their next login that asks for it.\n"
        )
    );
    assert!(
        run.stderr
            .contains("no terminal to confirm on; nothing was changed")
    );
    assert_eq!(emulator.writes(), Vec::<String>::new());

    let run = mfactl(
        &[
            "users",
            "remove-provider",
            DEMO,
            "google-authenticator",
            "--yes",
        ],
        &env,
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(
        run.stdout
            .ends_with("Removed the google-authenticator MFA provider from user auth0|65f0c0ffee5eed0000d3e301 (jo****@exam*******).\n"),
        "{}",
        run.stdout
    );
    assert_eq!(
        emulator.writes(),
        [format!(
            "DELETE /api/v2/users/{}/multifactor/google-authenticator",
            DEMO_ID.replace('|', "%7C")
        )]
    );

    // Twice: the second run finds nothing.
    let run = mfactl(
        &[
            "users",
            "remove-provider",
            DEMO,
            "google-authenticator",
            "--yes",
        ],
        &env,
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(
        run.stdout
            .contains("does not have the google-authenticator MFA provider (it has no MFA provider); nothing to remove."),
        "{}",
        run.stdout
    );
    assert_eq!(emulator.writes().len(), 1);
}

#[test]
fn a_ticket_email_address_sends_the_mail() {
    let emulator = EmulatorProcess::start(&["--demo-user"]);
    let env = emulator.env();
    let run = mfactl(
        &[
            "enrollments",
            "ticket",
            DEMO,
            "--email",
            "helpdesk@example.com",
        ],
        &env,
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(
        run.stderr
            .contains("Auth0 emails the link to help****@exam*******; it works once."),
        "{}",
        run.stderr
    );
    let tickets: Vec<Value> = emulator
        .requests()
        .into_iter()
        .filter(|r| r["path"] == "/api/v2/guardian/enrollments/ticket")
        .collect();
    assert_eq!(tickets.len(), 1);
    assert_eq!(tickets[0]["body"]["send_mail"], true, "{}", tickets[0]);

    // A locale without any mail is a usage error, before anything is sent.
    let before = emulator.requests().len();
    let run = mfactl(
        &["enrollments", "ticket", DEMO, "--email-locale", "fr"],
        &env,
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(run.stderr.contains("--email-locale"), "{}", run.stderr);
    assert_eq!(emulator.requests().len(), before);
}

#[test]
fn validate_fails_on_a_full_stdout_too() {
    let (_dir, path) = temp_config("ok.yaml", "version: 1\nfactors:\n  otp: true\n");
    let run = mfactl_writing_to(
        &["validate", "-c", path.to_str().unwrap()],
        &[],
        Path::new(FULL),
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert_eq!(
        run.stderr,
        "error: cannot write to stdout: No space left on device (os error 28); the output is incomplete\n"
    );
}

#[test]
fn a_reader_that_closes_the_pipe_early_is_not_an_error() {
    // `mfactl plan | head -0`: the reader is gone before the plan is written (the built-in
    // emulator takes longer to start than the pipe takes to close).
    let mut child =
        crate::support::spawn_mfactl(&["plan", "-c", "examples/minimal.yaml", "--emulator"], &[]);
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("mfactl ends");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
}
