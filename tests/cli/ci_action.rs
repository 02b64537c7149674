//! The script of action.yml's `mfactl plan|apply` step, run as GitHub runs it (`bash -e -o
//! pipefail`), with the real binary against its built-in emulator: its outputs, exit codes,
//! Markdown plan and step summary.

use std::path::Path;
use std::process::Command;

use crate::support::root;

/// The `run:` script of the action's step whose id is `run`.
fn run_step_script() -> String {
    let text = std::fs::read_to_string(root().join("action.yml")).unwrap();
    let action: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
    let steps = action["runs"]["steps"].as_array().unwrap();
    let step = steps.iter().find(|s| s["id"] == "run").unwrap();
    step["run"].as_str().unwrap().to_string()
}

struct StepRun {
    code: i32,
    log: String,
    outputs: String,
    summary: String,
    plan: Option<String>,
}

/// Runs the step with these inputs, in the crate root, in a fresh runner temp folder.
fn run_step(command: &str, config: &str, args: &str, fail_on_changes: &str) -> StepRun {
    let runner = tempfile::tempdir().unwrap();
    let outputs = runner.path().join("github_output");
    let summary = runner.path().join("step_summary");
    let bin = Path::new(env!("CARGO_BIN_EXE_mfactl")).parent().unwrap();
    let path = format!("{}:/usr/bin:/bin", bin.display());
    let run = Command::new("bash")
        .args(["--noprofile", "--norc", "-e", "-o", "pipefail", "-c"])
        .arg(run_step_script())
        .current_dir(root())
        .env_clear()
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env("RUNNER_TEMP", runner.path())
        .env("GITHUB_OUTPUT", &outputs)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("COMMAND", command)
        .env("CONFIG", config)
        .env("MFACTL_ARGS", args)
        .env("FAIL_ON_CHANGES", fail_on_changes)
        .output()
        .unwrap();
    let outputs = std::fs::read_to_string(&outputs).unwrap_or_default();
    let plan = outputs
        .lines()
        .find_map(|l| l.strip_prefix("plan-file="))
        .map(|p| std::fs::read_to_string(p).unwrap());
    StepRun {
        code: run.status.code().unwrap_or(-1),
        log: format!(
            "{}{}",
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        ),
        outputs,
        summary: std::fs::read_to_string(&summary).unwrap_or_default(),
        plan,
    }
}

#[test]
fn plan_passes_with_changes_and_hands_on_the_markdown_plan() {
    let step = run_step("plan", "examples/minimal.yaml", "--emulator", "false");
    assert_eq!(step.code, 0, "{}", step.log);
    assert!(step.outputs.contains("exitcode=2\n"), "{}", step.outputs);
    let plan = step.plan.expect("a plan-file output");
    assert!(plan.starts_with("<!-- mfactl-plan -->\n"), "{plan}");
    assert!(plan.contains(": 3 to change"), "{plan}");
    assert!(
        step.log.contains("<!-- mfactl-plan -->"),
        "the log shows the plan"
    );
    assert_eq!(
        step.summary, plan,
        "mfactl adds the plan to the job summary"
    );
}

#[test]
fn a_drift_check_fails_on_changes() {
    let step = run_step("plan", "examples/minimal.yaml", "--emulator", "true");
    assert_eq!(step.code, 2, "{}", step.log);
    assert!(step.outputs.contains("exitcode=2\n"), "{}", step.outputs);
    assert!(
        step.log
            .contains("::error::the tenant differs from examples/minimal.yaml"),
        "{}",
        step.log
    );
    assert!(step.plan.is_some());
}

#[test]
fn a_plan_error_fails_the_step() {
    let step = run_step(
        "plan",
        "tests/invalid/07-misspelt-factor.yaml",
        "--emulator",
        "false",
    );
    assert_eq!(step.code, 1, "{}", step.log);
    assert!(step.outputs.contains("exitcode=1\n"), "{}", step.outputs);
    assert!(step.log.contains("unknown key `opt`"), "{}", step.log);
}

#[test]
fn apply_applies_and_verifies() {
    let step = run_step(
        "apply",
        "examples/minimal.yaml",
        "--emulator --strict",
        "false",
    );
    assert_eq!(step.code, 0, "{}", step.log);
    assert!(step.outputs.contains("exitcode=0\n"), "{}", step.outputs);
    assert!(
        step.log
            .contains("Verified: the tenant matches the configuration."),
        "{}",
        step.log
    );
    assert!(step.plan.is_none());
}

#[test]
fn an_unknown_command_is_an_error() {
    let step = run_step("destroy", "examples/minimal.yaml", "", "false");
    assert_eq!(step.code, 1, "{}", step.log);
    assert!(
        step.log
            .contains("::error::the command input must be plan or apply, not 'destroy'"),
        "{}",
        step.log
    );
}
