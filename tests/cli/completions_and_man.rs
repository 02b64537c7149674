//! `mfactl completions SHELL` and `mfactl man`, as a user runs them.

use crate::support::mfactl;

/// Every subcommand a user can complete.
const SUBCOMMANDS: &[&str] = &[
    "validate",
    "plan",
    "apply",
    "export",
    "schema",
    "emulator",
    "completions",
    "man",
];

#[test]
fn every_shell_gets_a_completion_script() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = mfactl(&["completions", shell], &[]);
        assert_eq!(run.code, 0, "{shell}: {}", run.transcript());
        assert_eq!(run.stderr, "", "{shell}");
        assert!(
            run.stdout.contains("mfactl") && run.stdout.contains("validate"),
            "{shell}: not a completion script for mfactl:\n{}",
            run.stdout
        );
    }
}

#[test]
fn the_bash_script_completes_every_subcommand_and_option() {
    let run = mfactl(&["completions", "bash"], &[]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(run.stdout.starts_with("_mfactl() {"), "{}", run.stdout);
    assert!(run.stdout.contains("complete -F _mfactl"), "{}", run.stdout);
    for subcommand in SUBCOMMANDS {
        assert!(
            run.stdout
                .contains(&format!("cmd=\"mfactl__subcmd__{subcommand}\"")),
            "`{subcommand}` is not completed"
        );
    }
    for option in ["--detailed-exitcode", "--no-env", "--emulator"] {
        assert!(run.stdout.contains(option), "`{option}` is not completed");
    }
}

#[test]
fn an_unknown_shell_is_refused_with_the_list() {
    let run = mfactl(&["completions", "tcsh"], &[]);
    assert_eq!(
        run.code, 1,
        "usage errors exit 1, never 2 (which means changes)"
    );
    assert!(
        run.stderr
            .contains("[possible values: bash, elvish, fish, powershell, zsh]"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_man_page_is_roff_with_a_name_section() {
    let run = mfactl(&["man"], &[]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(run.stdout.contains("\n.TH mfactl 1 "), "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "\n.SH NAME\nmfactl \\- Manage an Auth0 tenant\\*(Aqs multi\\-factor authentication settings as code\n"
        ),
        "{}",
        run.stdout
    );
    for section in [
        "SYNOPSIS",
        "DESCRIPTION",
        "OPTIONS",
        "SUBCOMMANDS",
        "VERSION",
    ] {
        assert!(
            run.stdout.contains(&format!("\n.SH {section}\n")),
            "no {section}"
        );
    }
    for subcommand in SUBCOMMANDS {
        assert!(
            run.stdout.contains(&format!("mfactl\\-{subcommand}(1)")),
            "`{subcommand}` is not listed"
        );
    }
    assert!(
        !run.stdout.contains("mfactl\\-help(1)"),
        "help has no page of its own"
    );
}

#[test]
fn man_dir_writes_a_page_per_command() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("man1");
    let run = mfactl(&["man", "--dir", pages.to_str().unwrap()], &[]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let plan = std::fs::read_to_string(pages.join("mfactl-plan.1")).unwrap();
    assert!(plan.contains("\n.SH NAME\nmfactl\\-plan \\- "), "{plan}");
    assert!(plan.contains("detailed\\-exitcode"), "{plan}");
    for subcommand in SUBCOMMANDS {
        assert!(pages.join(format!("mfactl-{subcommand}.1")).is_file());
    }
    assert!(pages.join("mfactl.1").is_file());
}
