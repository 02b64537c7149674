//! Several tenants in one run (`--tenants FILE`): the real binary against several `mfactl
//! emulator` processes. Mixed results and their exit codes, a progressive apply that stops at
//! a failing tenant, saved plan folders, export into a folder, the tenant comparison, the
//! missing variables of every tenant in one error, the tenants file's diagnostics, and a scan
//! of every output (and every file written) for every secret the runs used.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::support::{EmulatorProcess, Run, SECRET_ENV, mfactl, secret_of, secret_values};

/// The config every tenant gets: Twilio SMS, with the sender from each tenant's `vars` and
/// the auth token from the environment (or from a tenant's `vars`).
const CONFIG: &str = "version: 1
policies: [all-applications]
factors:
  otp: true
  recovery-code: true
  sms: true
phone:
  message_types: [sms]
  provider: twilio
  twilio:
    sid: AC00000000000000000000000000000000
    auth_token: ${TWILIO_AUTH_TOKEN}
    from: \"${TWILIO_FROM}\"
";

/// A secret only one tenant's `vars` gives (as `${STAGING_TWILIO_TOKEN}`).
const STAGING_TWILIO_TOKEN: &str = "staging-twilio-token-5c1d9e";
/// The client secret of the tenant whose credentials are wrong.
const WRONG_SECRET: &str = "wrong-client-secret-8d2f6a";
/// The token of the tenant nobody answers for.
const DOWN_TOKEN: &str = "unreachable-api-token-3b7e0c";

/// One tenant of a run: its entry in the tenants file and the environment it needs.
struct Tenant {
    name: &'static str,
    /// `None` for a tenant whose domain answers nothing.
    emulator: Option<EmulatorProcess>,
    entry: String,
    env: Vec<(String, String)>,
}

impl Tenant {
    /// A tenant on a new emulator, its client secret in `<NAME>_CLIENT_SECRET`.
    fn new(name: &'static str, from: &str) -> Self {
        Self::on(name, EmulatorProcess::start(&[]), from)
    }

    fn on(name: &'static str, emulator: EmulatorProcess, from: &str) -> Self {
        let variable = format!("{}_CLIENT_SECRET", name.to_uppercase());
        let entry = format!(
            "  {name}:\n    domain: {}\n    client_id: {}\n    client_secret: ${{{variable}}}\n    vars: {{ TWILIO_FROM: \"{from}\" }}\n",
            emulator.domain, emulator.client_id
        );
        Tenant {
            name,
            env: vec![(variable, emulator.client_secret.clone())],
            emulator: Some(emulator),
            entry,
        }
    }

    /// A tenant whose credentials the emulator refuses.
    fn with_wrong_secret(name: &'static str) -> Self {
        let mut tenant = Self::new(name, "+15550003333");
        tenant.env = vec![(tenant.env[0].0.clone(), WRONG_SECRET.to_string())];
        tenant
    }

    /// A tenant at a loopback port nothing listens on.
    fn unreachable(name: &'static str) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        Tenant {
            name,
            emulator: None,
            entry: format!(
                "  {name}:\n    domain: http://127.0.0.1:{port}\n    api_token: ${{DOWN_TOKEN}}\n    vars: {{ TWILIO_FROM: \"+15550004444\" }}\n"
            ),
            env: vec![("DOWN_TOKEN".to_string(), DOWN_TOKEN.to_string())],
        }
    }

    fn emulator(&self) -> &EmulatorProcess {
        self.emulator.as_ref().expect("an emulator")
    }
}

/// The tenants of a run, their files in a temporary folder.
struct Fleet {
    tenants: Vec<Tenant>,
    dir: tempfile::TempDir,
}

impl Fleet {
    fn new(tenants: Vec<Tenant>) -> Self {
        let fleet = Fleet {
            tenants,
            dir: tempfile::tempdir().expect("temp dir"),
        };
        fleet.write("mfa.yaml", CONFIG);
        fleet.write_tenants();
        fleet
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn arg(&self, name: &str) -> String {
        self.path(name).display().to_string()
    }

    fn write(&self, name: &str, text: &str) {
        std::fs::write(self.path(name), text).expect("write");
    }

    fn write_tenants(&self) {
        let entries: String = self.tenants.iter().map(|t| t.entry.as_str()).collect();
        self.write("tenants.yaml", &format!("tenants:\n{entries}"));
    }

    fn tenant(&self, name: &str) -> &Tenant {
        self.tenants
            .iter()
            .find(|t| t.name == name)
            .expect("a tenant of the run")
    }

    /// Every tenant's environment, and the examples' fake secrets.
    fn env(&self) -> Vec<(String, String)> {
        let mut env: Vec<(String, String)> = SECRET_ENV
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        env.push((
            "STAGING_TWILIO_TOKEN".to_string(),
            STAGING_TWILIO_TOKEN.to_string(),
        ));
        for tenant in &self.tenants {
            env.extend(tenant.env.iter().cloned());
        }
        env
    }

    /// Every secret the runs use: the examples', every client secret and token.
    fn secrets(&self) -> Vec<String> {
        let mut secrets: Vec<String> = secret_values().iter().map(|s| s.to_string()).collect();
        secrets.extend([STAGING_TWILIO_TOKEN, WRONG_SECRET, DOWN_TOKEN].map(String::from));
        for tenant in &self.tenants {
            secrets.extend(tenant.emulator.iter().map(|e| e.client_secret.clone()));
        }
        secrets
    }

    /// Runs mfactl with `args` (`{dir}` stands for the run's folder) and scans its output and
    /// every file in the folder for every secret.
    fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, &[])
    }

    fn run_with(&self, args: &[&str], extra: &[(&str, &str)]) -> Run {
        let dir = self.dir.path().display().to_string();
        let args: Vec<String> = args.iter().map(|a| a.replace("{dir}", &dir)).collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let env = self.env();
        let mut env: Vec<(&str, &str)> =
            env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        env.extend_from_slice(extra);
        let run = mfactl(&args, &env);
        let secrets = self.secrets();
        let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
        run.assert_no_secrets(&secrets);
        for file in files_under(self.dir.path()) {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            for secret in &secrets {
                assert!(
                    !text.contains(secret),
                    "secret {secret:?} leaked into {}",
                    file.display()
                );
            }
        }
        run
    }

    /// `text` with every tenant's port written as `PORT`.
    fn without_ports(&self, text: &str) -> String {
        let mut out = text.to_string();
        for tenant in &self.tenants {
            if let Some(emulator) = &tenant.emulator {
                out = out.replace(emulator.host(), "127.0.0.1:PORT");
            }
        }
        // The unreachable tenant's port.
        let mut rest = out.as_str();
        let mut cleaned = String::new();
        while let Some(at) = rest.find("127.0.0.1:") {
            let (head, tail) = rest.split_at(at + "127.0.0.1:".len());
            cleaned.push_str(head);
            let digits = tail.len() - tail.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            if digits > 0 {
                cleaned.push_str("PORT");
            }
            rest = &tail[digits..];
        }
        cleaned.push_str(rest);
        cleaned
    }
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// The lines from the summary table's header to the end.
fn summary_table(stdout: &str) -> String {
    let start = stdout
        .find("\nTenant ")
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("no summary table:\n{stdout}"));
    stdout[start..].to_string()
}

/// The same, for an apply: the rollout's result table (the last table).
fn rollout_table(stdout: &str) -> String {
    let start = stdout
        .rfind("\nTenant ")
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("no result table:\n{stdout}"));
    stdout[start..].to_string()
}

/// A table's row for `tenant`, its cells separated by single spaces.
fn row(table: &str, tenant: &str) -> String {
    let line = table
        .lines()
        .find(|l| l.split_whitespace().next() == Some(tenant))
        .unwrap_or_else(|| panic!("no row for {tenant}:\n{table}"));
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn mixed_results_are_each_in_their_row_and_roll_up_into_one_exit_code() {
    let fleet = Fleet::new(vec![
        Tenant::new("unchanged", "+15550001111"),
        Tenant::new("drifted", "+15550002222"),
        Tenant::with_wrong_secret("badcreds"),
        Tenant::unreachable("down"),
    ]);
    let plan = [
        "plan",
        "-c",
        "{dir}/mfa.yaml",
        "--tenants",
        "{dir}/tenants.yaml",
    ];
    let quick = ["--max-attempts", "2"];
    // One tenant made to match the file first.
    let seeded = fleet.run(&[
        "apply",
        "-c",
        "{dir}/mfa.yaml",
        "--tenants",
        "{dir}/tenants.yaml",
        "--only",
        "unchanged",
        "--auto-approve",
    ]);
    assert_eq!(seeded.code, 0, "{}", seeded.transcript());

    let summary = fleet.path("summary.md");
    let summary_arg = summary.display().to_string();
    let mixed = fleet.run_with(
        &[&plan[..], &quick[..], &["--detailed-exitcode"]].concat(),
        &[("GITHUB_STEP_SUMMARY", &summary_arg)],
    );
    assert_eq!(mixed.code, 1, "{}", mixed.transcript());
    insta::assert_snapshot!(
        "mixed_summary_table",
        fleet.without_ports(&summary_table(&mixed.stdout))
    );
    // Each tenant has its section, in the file's order.
    let sections: Vec<usize> = ["unchanged", "drifted", "badcreds", "down"]
        .iter()
        .map(|name| {
            mixed
                .stdout
                .find(&format!("=== {name} ===\n"))
                .unwrap_or_else(|| panic!("no section for {name}:\n{}", mixed.stdout))
        })
        .collect();
    assert!(sections.windows(2).all(|w| w[0] < w[1]), "{}", mixed.stdout);
    assert!(
        mixed.stdout.contains("from: \"+15550002222\""),
        "{}",
        mixed.stdout
    );
    assert!(
        mixed
            .stdout
            .contains("Check `tenants.badcreds.client_id` and `tenants.badcreds.client_secret`"),
        "{}",
        mixed.stdout
    );
    assert!(
        mixed
            .stderr
            .contains("error: 2 of 4 tenants could not be planned: badcreds, down"),
        "{}",
        mixed.stderr
    );
    // Planning wrote nothing anywhere.
    assert_eq!(
        fleet.tenant("drifted").emulator().writes(),
        Vec::<String>::new()
    );
    // The job summary holds the same comment as --format markdown.
    let step_summary = std::fs::read_to_string(&summary).expect("a job summary");
    assert!(step_summary.starts_with("<!-- mfactl-plan -->\n### mfactl plan for 4 tenants"));

    let markdown = fleet.run(&[&plan[..], &quick[..], &["--format", "markdown"]].concat());
    assert_eq!(markdown.code, 1, "{}", markdown.transcript());
    let head_end = markdown
        .stdout
        .find("<details>")
        .expect("a section per tenant");
    insta::assert_snapshot!(
        "mixed_markdown_head",
        fleet.without_ports(&markdown.stdout[..head_end])
    );
    for name in ["unchanged", "drifted", "badcreds", "down"] {
        let section = format!("<details><summary><code>{name}</code> (127.0.0.1:");
        assert_eq!(markdown.stdout.matches(&section).count(), 1, "{name}");
    }
    assert_eq!(markdown.stdout.matches("<!-- mfactl-plan -->").count(), 1);
    // (Which read of the unreachable tenant fails first varies: its section is left out.)
    let before_down = |text: &str| -> String {
        let end = text
            .find("<details><summary><code>down</code>")
            .expect("down's section");
        text[..end].to_string()
    };
    assert_eq!(
        before_down(&step_summary),
        before_down(&markdown.stdout),
        "the job summary is the Markdown plan"
    );

    let json_run = fleet.run(&[&plan[..], &quick[..], &["--format", "json"]].concat());
    assert_eq!(json_run.code, 1, "{}", json_run.transcript());
    let document: Value = serde_json::from_str(&json_run.stdout).expect("one JSON document");
    let names: Vec<&String> = document["tenants"]
        .as_object()
        .expect("a map")
        .keys()
        .collect();
    assert_eq!(names, ["unchanged", "drifted", "badcreds", "down"]);
    assert_eq!(
        document["tenants"]["unchanged"]["plan"]["summary"]["changes"],
        0
    );
    assert_eq!(
        document["tenants"]["drifted"]["plan"]["summary"]["changes"],
        7
    );
    assert_eq!(document["tenants"]["badcreds"]["status"], "failed");
    assert_eq!(document["tenants"]["down"]["plan"], Value::Null);
    assert_eq!(
        document["summary"],
        json!({"tenants": 4, "with_changes": 1, "failed": 2, "changes": 7, "dangerous": 0})
    );

    // Without the failing tenants: 2 for changes, 0 for none.
    let drift = fleet.run(
        &[
            &plan[..],
            &["--only", "drifted,unchanged", "--detailed-exitcode"],
        ]
        .concat(),
    );
    assert_eq!(drift.code, 2, "{}", drift.transcript());
    assert!(
        drift
            .stdout
            .ends_with("2 tenants: 1 with changes, 1 unchanged.\n"),
        "{}",
        drift.stdout
    );
    let clean = fleet.run(&[&plan[..], &["--only", "unchanged", "--detailed-exitcode"]].concat());
    assert_eq!(clean.code, 0, "{}", clean.transcript());
    let misspelt = fleet.run(&[&plan[..], &["--only", "drifed"]].concat());
    assert_eq!(misspelt.code, 1);
    assert!(
        misspelt
            .stderr
            .contains("--only names `drifed` (did you mean `drifted`?)"),
        "{}",
        misspelt.stderr
    );
}

#[test]
fn a_progressive_apply_stops_at_the_first_failing_tenant() {
    let fleet = Fleet::new(vec![
        Tenant::new("dev", "+15550001111"),
        Tenant::new("staging", "+15550002222"),
        Tenant::new("prod", "+15550003333"),
    ]);
    // staging refuses to enable OTP, twice (an apply makes one attempt).
    fleet.tenant("staging").emulator().add_fault(json!({
        "method": "PUT",
        "path": "/api/v2/guardian/factors/otp",
        "status": 500,
        "times": 2,
    }));
    let apply = [
        "apply",
        "-c",
        "{dir}/mfa.yaml",
        "--tenants",
        "{dir}/tenants.yaml",
        "--max-attempts",
        "1",
    ];
    let unconfirmed = fleet.run(&apply);
    assert_eq!(unconfirmed.code, 1);
    assert!(
        unconfirmed
            .stderr
            .contains("no terminal to confirm on; nothing was sent")
    );
    assert!(fleet.tenant("dev").emulator().writes().is_empty());

    let rollout = fleet.run(&[&apply[..], &["--auto-approve"]].concat());
    assert_eq!(rollout.code, 1, "{}", rollout.transcript());
    insta::assert_snapshot!("progressive_rollout", rollout_table(&rollout.stdout));
    assert!(
        rollout.stderr.contains(
            "error: apply did not complete for staging; not attempted: prod (a rollout stops at the first tenant that fails)"
        ),
        "{}",
        rollout.stderr
    );
    assert!(!fleet.tenant("dev").emulator().writes().is_empty());
    assert!(
        fleet.tenant("prod").emulator().writes().is_empty(),
        "prod was written after staging failed"
    );
    // dev's token request and reads came before staging's writes; prod saw only the plan's
    // reads.
    let dev_twilio = &fleet.tenant("dev").emulator().state();
    assert!(
        dev_twilio.to_string().contains("+15550001111"),
        "{dev_twilio}"
    );

    // --parallel applies every tenant at once: staging fails again, prod is applied.
    let parallel = fleet.run(&[&apply[..], &["--auto-approve", "--parallel"]].concat());
    assert_eq!(parallel.code, 1, "{}", parallel.transcript());
    let table = rollout_table(&parallel.stdout);
    assert!(table.contains("dev      unchanged"), "{table}");
    assert!(table.contains("staging  failed"), "{table}");
    assert!(
        table.contains("prod     applied    7 changes, verified"),
        "{table}"
    );

    // The fault is used up: a third run converges, and a plan is empty everywhere.
    let again = fleet.run(&[&apply[..], &["--auto-approve"]].concat());
    assert_eq!(again.code, 0, "{}", again.transcript());
    let plan = fleet.run(&[
        "plan",
        "-c",
        "{dir}/mfa.yaml",
        "--tenants",
        "{dir}/tenants.yaml",
        "--detailed-exitcode",
    ]);
    assert_eq!(plan.code, 0, "{}", plan.transcript());
    assert!(
        plan.stdout.ends_with("3 tenants: no changes.\n"),
        "{}",
        plan.stdout
    );
}

#[test]
fn a_progressive_apply_stops_at_a_tenant_that_does_not_verify() {
    let fleet = Fleet::new(vec![
        Tenant::new("dev", "+15550001111"),
        Tenant::new("staging", "+15550002222"),
        Tenant::new("prod", "+15550003333"),
    ]);
    // staging acknowledges enabling OTP but does not keep it: every write answers, and the
    // read that verifies the apply still shows OTP off.
    fleet.tenant("staging").emulator().add_fault(json!({
        "method": "PUT",
        "path": "/api/v2/guardian/factors/otp",
        "status": 200,
        "body": {"enabled": true},
        "times": 1,
    }));
    let rollout = fleet.run(&[
        "apply",
        "-c",
        "{dir}/mfa.yaml",
        "--tenants",
        "{dir}/tenants.yaml",
        "--auto-approve",
    ]);
    assert_eq!(rollout.code, 1, "{}", rollout.transcript());
    let table = rollout_table(&rollout.stdout);
    assert_eq!(row(&table, "dev"), "dev applied 7 changes, verified");
    assert!(
        row(&table, "staging").starts_with("staging not verified"),
        "{table}"
    );
    assert_eq!(
        row(&table, "prod"),
        "prod not attempted an earlier tenant failed"
    );
    assert!(
        rollout.stderr.contains("not attempted: prod"),
        "{}",
        rollout.stderr
    );
    assert!(
        fleet.tenant("prod").emulator().writes().is_empty(),
        "prod was written after staging did not verify"
    );
    insta::assert_snapshot!("rollout_not_verified", table);
}

#[test]
fn each_tenant_gets_its_own_variables_and_secrets_from_vars_win() {
    let mut staging = Tenant::new("staging", "+15550002222");
    staging.entry = staging.entry.replace(
        "vars: {",
        "vars: { TWILIO_AUTH_TOKEN: \"${STAGING_TWILIO_TOKEN}\",",
    );
    let fleet = Fleet::new(vec![Tenant::new("dev", "+15550001111"), staging]);
    let apply = fleet.run(&[
        "apply",
        "-c",
        "{dir}/mfa.yaml",
        "--tenants",
        "{dir}/tenants.yaml",
        "--auto-approve",
    ]);
    assert_eq!(apply.code, 0, "{}", apply.transcript());
    let twilio = |name: &str| {
        let state = fleet.tenant(name).emulator().state();
        let text = state.to_string();
        (
            text.contains(secret_of("TWILIO_AUTH_TOKEN")),
            text.contains(STAGING_TWILIO_TOKEN),
        )
    };
    assert_eq!(
        twilio("dev"),
        (true, false),
        "dev's token comes from the environment"
    );
    assert_eq!(
        twilio("staging"),
        (false, true),
        "staging's comes from its vars"
    );
}

#[test]
fn saved_plans_apply_from_a_folder_and_are_refused_when_stale() {
    let fleet = Fleet::new(vec![
        Tenant::new("dev", "+15550001111"),
        Tenant::new("prod", "+15550002222"),
    ]);
    let plan = [
        "plan",
        "-c",
        "{dir}/mfa.yaml",
        "--tenants",
        "{dir}/tenants.yaml",
        "--out",
        "{dir}/plans",
    ];
    let saved = fleet.run(&plan);
    assert_eq!(saved.code, 0, "{}", saved.transcript());
    let mut files: Vec<String> = std::fs::read_dir(fleet.path("plans"))
        .expect("a plan folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        ["dev.plan.json", "mfactl-plans.json", "prod.plan.json"]
    );
    let applied = fleet.run(&["apply", "{dir}/plans"]);
    assert_eq!(applied.code, 0, "{}", applied.transcript());
    assert_eq!(
        row(&rollout_table(&applied.stdout), "prod"),
        "prod applied 7 changes, verified"
    );

    // The config changes and is planned again, then someone turns OTP off in prod by hand:
    // nothing is sent to either tenant.
    fleet.write(
        "mfa.yaml",
        &CONFIG.replace("recovery-code: true", "recovery-code: false"),
    );
    let saved = fleet.run(&plan);
    assert_eq!(saved.code, 0, "{}", saved.transcript());
    fleet.write("otp-off.yaml", "version: 1\nfactors:\n  otp: false\n");
    let prod = fleet.tenant("prod").emulator();
    let moved = mfactl(
        &["apply", "-c", &fleet.arg("otp-off.yaml"), "--auto-approve"],
        &prod.env(),
    );
    assert_eq!(moved.code, 0, "{}", moved.transcript());
    let before = (
        fleet.tenant("dev").emulator().writes().len(),
        prod.writes().len(),
    );
    let stale = fleet.run(&["apply", "{dir}/plans"]);
    assert_eq!(stale.code, 1, "{}", stale.transcript());
    assert!(
        stale
            .stderr
            .contains("plan is stale; run plan again. Nothing was sent to any tenant:"),
        "{}",
        stale.stderr
    );
    assert!(
        stale
            .stderr
            .contains("\n  prod: the live resource `factors.otp` changed\n"),
        "{}",
        stale.stderr
    );
    assert!(
        !stale.stderr.contains("  dev:"),
        "dev's plan is current: {}",
        stale.stderr
    );
    let after = (
        fleet.tenant("dev").emulator().writes().len(),
        prod.writes().len(),
    );
    assert_eq!(before, after, "a stale folder sends nothing");
    // A changed tenants file makes every plan stale.
    fleet.write("mfa.yaml", CONFIG);
    let saved = fleet.run(&plan);
    assert_eq!(saved.code, 0, "{}", saved.transcript());
    fleet.write_tenants();
    let tenants_text = std::fs::read_to_string(fleet.path("tenants.yaml")).expect("tenants");
    fleet.write("tenants.yaml", &format!("# edited\n{tenants_text}"));
    let stale = fleet.run(&["apply", "{dir}/plans"]);
    assert_eq!(stale.code, 1, "{}", stale.transcript());
    assert!(
        stale
            .stderr
            .contains("plan is stale; run plan again (the tenants file"),
        "{}",
        stale.stderr
    );
}

#[test]
fn export_writes_every_tenant_into_a_folder() {
    let fleet = Fleet::new(vec![
        Tenant::new("dev", "+15550001111"),
        Tenant::new("prod", "+15550002222"),
    ]);
    let applied = fleet.run(&[
        "apply",
        "-c",
        "{dir}/mfa.yaml",
        "--tenants",
        "{dir}/tenants.yaml",
        "--only",
        "prod",
        "--auto-approve",
    ]);
    assert_eq!(applied.code, 0, "{}", applied.transcript());
    let export = fleet.run(&[
        "export",
        "--tenants",
        "{dir}/tenants.yaml",
        "-o",
        "{dir}/exported",
    ]);
    assert_eq!(export.code, 0, "{}", export.transcript());
    assert!(
        export
            .stderr
            .contains("set TWILIO_AUTH_TOKEN in the environment or under `vars:` of `prod`"),
        "{}",
        export.stderr
    );
    for tenant in &fleet.tenants {
        let file = fleet.path(&format!("exported/{}.yaml", tenant.name));
        let text = std::fs::read_to_string(&file).expect("one file per tenant");
        assert!(text.starts_with("# Exported by mfactl"), "{text}");
        let emulator = tenant.emulator();
        let mut env = emulator.env();
        env.push(("TWILIO_AUTH_TOKEN", secret_of("TWILIO_AUTH_TOKEN")));
        let file = file.display().to_string();
        let valid = mfactl(&["validate", "--strict", "-c", &file], &env);
        assert_eq!(valid.code, 0, "{}: {}", tenant.name, valid.transcript());
        let plan = mfactl(&["plan", "-c", &file, "--detailed-exitcode"], &env);
        assert_eq!(plan.code, 0, "{}: {}", tenant.name, plan.transcript());
    }
    let prod = std::fs::read_to_string(fleet.path("exported/prod.yaml")).expect("prod");
    assert!(prod.contains("auth_token: ${TWILIO_AUTH_TOKEN}"), "{prod}");
    assert!(
        prod.contains("from: '+15550002222'") || prod.contains("from: \"+15550002222\""),
        "{prod}"
    );
    let no_folder = fleet.run(&["export", "--tenants", "{dir}/tenants.yaml"]);
    assert_eq!(no_folder.code, 1);
    assert!(no_folder.stderr.contains("-o DIR"), "{}", no_folder.stderr);
}

#[test]
fn diff_tenants_shows_where_tenants_differ_setting_by_setting() {
    let fleet = Fleet::new(vec![
        Tenant::new("dev", "+15550001111"),
        Tenant::new("staging", "+15550002222"),
        Tenant::new("prod", "+15550003333"),
    ]);
    // Every tenant set up from the same file; prod with another Twilio token and email on.
    let apply = fleet.run(&[
        "apply",
        "-c",
        "{dir}/mfa.yaml",
        "--tenants",
        "{dir}/tenants.yaml",
        "--auto-approve",
    ]);
    assert_eq!(apply.code, 0, "{}", apply.transcript());
    fleet.write(
        "prod.yaml",
        "version: 1\nfactors:\n  email: true\nphone:\n  twilio:\n    sid: AC00000000000000000000000000000000\n    auth_token: ${TWILIO_AUTH_TOKEN}\n    from: \"+15550003333\"\n",
    );
    let prod = fleet.tenant("prod").emulator();
    let mut env = prod.env();
    env.retain(|(k, _)| *k != "TWILIO_AUTH_TOKEN");
    env.push(("TWILIO_AUTH_TOKEN", STAGING_TWILIO_TOKEN));
    let moved = mfactl(
        &["apply", "-c", &fleet.arg("prod.yaml"), "--auto-approve"],
        &env,
    );
    assert_eq!(moved.code, 0, "{}", moved.transcript());

    let diff = fleet.run(&[
        "diff-tenants",
        "--tenants",
        "{dir}/tenants.yaml",
        "--detailed-exitcode",
    ]);
    assert_eq!(diff.code, 2, "{}", diff.transcript());
    insta::assert_snapshot!("diff_tenants", fleet.without_ports(&diff.stdout));

    let json_run = fleet.run(&[
        "diff-tenants",
        "--tenants",
        "{dir}/tenants.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(json_run.code, 0, "{}", json_run.transcript());
    let document: Value = serde_json::from_str(&json_run.stdout).expect("JSON");
    let token = document["differences"]
        .as_array()
        .expect("differences")
        .iter()
        .find(|d| d["setting"] == "phone.twilio.auth_token")
        .expect("the Twilio token differs");
    assert_eq!(
        token["values"],
        json!({
            "dev": {"sensitive_value": 1},
            "staging": {"sensitive_value": 1},
            "prod": {"sensitive_value": 2},
        })
    );
    assert_eq!(token["sensitive"], true);

    let same = fleet.run(&[
        "diff-tenants",
        "--tenants",
        "{dir}/tenants.yaml",
        "--only",
        "dev,staging",
        "--detailed-exitcode",
    ]);
    assert_eq!(same.code, 2, "the senders differ: {}", same.transcript());
    assert!(
        same.stdout.contains("~ phone.twilio.from\n"),
        "{}",
        same.stdout
    );
    assert!(
        !same.stdout.contains("phone.twilio.auth_token"),
        "{}",
        same.stdout
    );
    let one = fleet.run(&[
        "diff-tenants",
        "--tenants",
        "{dir}/tenants.yaml",
        "--only",
        "dev",
    ]);
    assert_eq!(one.code, 1);
    assert!(
        one.stderr.contains("compares two tenants or more"),
        "{}",
        one.stderr
    );
}

#[test]
fn every_missing_variable_of_every_tenant_is_named_in_one_error_before_any_request() {
    let dev = Tenant::new("dev", "+15550001111");
    let mut prod = Tenant::new("prod", "+15550002222");
    prod.entry = prod.entry.replace(
        "vars: {",
        "vars: { TWILIO_AUTH_TOKEN: \"${PROD_TWILIO_TOKEN}\",",
    );
    let fleet = Fleet::new(vec![dev, prod]);
    // No variable at all in the environment.
    let run = mfactl(
        &[
            "plan",
            "-c",
            &fleet.arg("mfa.yaml"),
            "--tenants",
            &fleet.arg("tenants.yaml"),
        ],
        &[],
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    let dir = fleet.dir.path().display().to_string();
    insta::assert_snapshot!("missing_variables", run.stderr.replace(&dir, "DIR"));
    for tenant in &fleet.tenants {
        assert!(
            tenant.emulator().requests().is_empty(),
            "{} was sent a request",
            tenant.name
        );
    }
}

#[test]
fn the_tenants_file_gets_located_diagnostics() {
    let fleet = Fleet::new(vec![]);
    fleet.write(
        "tenants.yaml",
        "tenants:
  dev:
    domian: acme-dev.eu.auth0.com
    client_id: abc
    client_secret: clear-client-secret-7a1
  prod:
    domain: acme.eu.auth0.com
    api_token: ${PROD_API_TOKEN}
    vars: { twilio-from: \"+15550002222\" }
",
    );
    let run = fleet.run_with(
        &["validate", "--tenants", "{dir}/tenants.yaml"],
        &[("PROD_API_TOKEN", "prod-api-token-value")],
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    run.assert_no_secrets(&["clear-client-secret-7a1", "prod-api-token-value"]);
    let dir = fleet.dir.path().display().to_string();
    insta::assert_snapshot!(
        "tenants_file_diagnostics",
        run.transcript().replace(&dir, "DIR")
    );
    // A domain the client would refuse is named at its place too.
    fleet.write(
        "tenants.yaml",
        "tenants:\n  prod:\n    domain: http://acme.eu.auth0.com\n    api_token: ${PROD_API_TOKEN}\n",
    );
    let run = fleet.run_with(
        &["validate", "--tenants", "{dir}/tenants.yaml"],
        &[("PROD_API_TOKEN", "prod-api-token-value")],
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(
        run.stderr.contains("error: `tenants.prod.domain` cannot be used: plain http:// is allowed only for loopback hosts"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("tenants.yaml:3:13"), "{}", run.stderr);
}

#[test]
fn literal_domains_are_checked_without_the_environment_and_beside_missing_variables() {
    let fleet = Fleet::new(vec![]);
    fleet.write(
        "tenants.yaml",
        "tenants:
  prod:
    domain: http://example.com
    api_token: ${PROD_TOKEN}
  stage:
    domain: \"https://acme.auth0.com/path\"
    api_token: ${PROD_TOKEN}
",
    );
    let dir = fleet.dir.path().display().to_string();
    // `validate --no-env` (the pre-commit hook): the literal domains are checked.
    let offline = fleet.run_with(
        &["validate", "--no-env", "--tenants", "{dir}/tenants.yaml"],
        &[],
    );
    assert_eq!(offline.code, 1, "{}", offline.transcript());
    insta::assert_snapshot!(
        "literal_domains_without_env",
        offline.transcript().replace(&dir, "DIR")
    );
    // The variable unset: the domains and the missing variable, in one run.
    let unset = fleet.run_with(&["validate", "--tenants", "{dir}/tenants.yaml"], &[]);
    assert_eq!(unset.code, 1, "{}", unset.transcript());
    for needle in [
        "`tenants.prod.domain` cannot be used",
        "`tenants.stage.domain` cannot be used",
        "PROD_TOKEN",
    ] {
        assert!(unset.stderr.contains(needle), "{needle}: {}", unset.stderr);
    }
    // A command that connects stops on both, naming the variable too.
    let (_c, config) =
        crate::support::temp_config("mfa.yaml", "version: 1\nfactors: {otp: true}\n");
    let plan = fleet.run_with(
        &[
            "plan",
            "-c",
            config.to_str().unwrap(),
            "--tenants",
            "{dir}/tenants.yaml",
        ],
        &[],
    );
    assert_eq!(plan.code, 1, "{}", plan.transcript());
    assert!(plan.stderr.contains("cannot be used"), "{}", plan.stderr);
    assert!(plan.stderr.contains("PROD_TOKEN"), "{}", plan.stderr);
}

#[test]
fn config_diagnostics_are_shown_once_naming_the_tenants_they_hold_for() {
    let fleet = Fleet::new(vec![
        Tenant::new("dev", "+15550001111"),
        Tenant::new("prod", "5550002222"),
    ]);
    let validate = fleet.run(&[
        "validate",
        "-c",
        "{dir}/mfa.yaml",
        "--tenants",
        "{dir}/tenants.yaml",
    ]);
    assert_eq!(validate.code, 0, "{}", validate.transcript());
    let dir = fleet.dir.path().display().to_string();
    insta::assert_snapshot!(
        "tenant_specific_warning",
        validate.transcript().replace(&dir, "DIR")
    );
    // An error every tenant shares is shown once, and stops the run before any request.
    fleet.write("mfa.yaml", &CONFIG.replace("factors:", "factros:"));
    let plan = fleet.run(&[
        "plan",
        "-c",
        "{dir}/mfa.yaml",
        "--tenants",
        "{dir}/tenants.yaml",
    ]);
    assert_eq!(plan.code, 1, "{}", plan.transcript());
    assert_eq!(
        plan.stderr.matches("unknown key `factros`").count(),
        1,
        "{}",
        plan.stderr
    );
    assert!(
        plan.stderr.contains("did you mean `factors`?"),
        "{}",
        plan.stderr
    );
    assert!(plan.stdout.is_empty(), "{}", plan.stdout);
    for tenant in &fleet.tenants {
        assert!(tenant.emulator().requests().is_empty(), "{}", tenant.name);
    }
}
