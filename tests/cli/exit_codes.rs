//! Every exit code `mfactl --help` and the README promise, pinned by running the binary.
//!
//! `--help` says: 0 success (with `plan --detailed-exitcode`: no changes), 1 error (a mistyped
//! command line included), 2 only with `plan --detailed-exitcode`: changes. The README says the
//! same for `validate`, `plan --detailed-exitcode` and `apply`.

use mfactl::cli::EXIT_CODES_HELP;

use crate::support::{mfactl, temp_config};

/// A file a new tenant already matches: the plan is empty.
const MATCHES_A_NEW_TENANT: &str = "version: 1\nfactors:\n  otp: false\n";

fn code(args: &[&str]) -> i32 {
    mfactl(args, &[]).code
}

#[test]
fn help_lists_the_exit_codes_it_promises() {
    let help = mfactl(&["--help"], &[]);
    assert_eq!(help.code, 0, "{}", help.transcript());
    assert!(help.stdout.contains(EXIT_CODES_HELP), "{}", help.stdout);
    for promise in [
        "0  success",
        "1  error, a mistyped command line included",
        "2  only with `plan --detailed-exitcode`",
    ] {
        assert!(EXIT_CODES_HELP.contains(promise), "{promise}");
    }
    assert_eq!(code(&["plan", "--help"]), 0);
    assert_eq!(code(&["--version"]), 0);
}

#[test]
fn usage_errors_exit_1_never_2() {
    for args in [
        &["plan", "-c", "examples/minimal.yaml", "--bogus"][..],
        &[
            "plan",
            "-c",
            "examples/minimal.yaml",
            "--detailed-exitcode",
            "--bogus",
        ],
        &["plan", "--detailed-exitcode"],
        &["plan", "-c", "examples/minimal.yaml", "--format", "yaml"],
        &[
            "plan",
            "-c",
            "examples/minimal.yaml",
            "--request-deadline",
            "0",
        ],
        &["frobnicate"],
        &[],
    ] {
        let run = mfactl(args, &[]);
        assert_eq!(run.code, 1, "{args:?}: {}", run.transcript());
        assert!(
            run.stderr.contains("error") || run.stderr.contains("Usage"),
            "{args:?}"
        );
    }
}

#[test]
fn validate_exits_0_when_valid_and_1_otherwise() {
    assert_eq!(code(&["validate", "-c", "examples/minimal.yaml"]), 0);
    assert_eq!(
        code(&["validate", "-c", "tests/invalid/15-lockout.yaml"]),
        1
    );
    assert_eq!(code(&["validate", "-c", "no-such-file.yaml"]), 1);
}

#[test]
fn plan_with_detailed_exitcode_exits_0_2_or_1() {
    let (_dir, matching) = temp_config("matching.yaml", MATCHES_A_NEW_TENANT);
    let matching = matching.to_str().unwrap();
    assert_eq!(
        code(&["plan", "-c", matching, "--emulator", "--detailed-exitcode"]),
        0
    );
    assert_eq!(
        code(&[
            "plan",
            "-c",
            "examples/minimal.yaml",
            "--emulator",
            "--detailed-exitcode"
        ]),
        2
    );
    assert_eq!(
        code(&[
            "plan",
            "-c",
            "no-such-file.yaml",
            "--emulator",
            "--detailed-exitcode"
        ]),
        1
    );
    // Without the flag a plan with changes exits 0.
    assert_eq!(
        code(&["plan", "-c", "examples/minimal.yaml", "--emulator"]),
        0
    );
}

#[test]
fn apply_exits_0_when_the_tenant_matches_and_1_otherwise() {
    assert_eq!(
        code(&[
            "apply",
            "-c",
            "examples/minimal.yaml",
            "--emulator",
            "--auto-approve"
        ]),
        0
    );
    // No terminal to confirm on and no --auto-approve: nothing is sent, exit 1.
    assert_eq!(
        code(&["apply", "-c", "examples/minimal.yaml", "--emulator"]),
        1
    );
}
