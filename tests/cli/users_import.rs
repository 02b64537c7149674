//! `mfactl users import` end to end: `--dry-run` on a file with every kind of bad row (a
//! snapshot of what a user sees), an import killed with SIGKILL half-way and run again (the
//! emulator's request log shows each row's method created exactly once), progress lines,
//! `--report`, Auth0's bulk-import format, and a leak scan of every output, report and journal.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::{EmulatorProcess, Run, mfactl, spawn_mfactl};

const SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DP";

/// The file's folder written as `DIR`, so snapshots do not depend on the temporary path.
fn in_dir(run: &Run, dir: &std::path::Path) -> String {
    run.transcript()
        .replace(&format!("{}/", dir.display()), "DIR/")
}

#[test]
fn a_dry_run_reports_every_bad_row_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("users.csv");
    std::fs::write(
        &file,
        "user,type,phone_number,email,totp_secret,preferred,name,phone
auth0|65f0c0ffee5eed0000d3e301,phone,+15551234567,,,sms,Work phone,
auth0|65f0c0ffee5eed0000d3e301,phone,555-123-4567,,,,Desk,
auth0|65f0c0ffee5eed0000d3e302,totp,,,JBSWY3DPEHPK3PXP====,,Phone app,
jo.doe@example.com,email,,jo.doe@example,,,,
auth0|65f0c0ffee5eed0000d3e301,phone,+15551234567,,,voice,Work again,
auth0|65f0c0ffee5eed0000d3e303,totp,,,jbswy3dpehpk3pxp,,,
auth0|65f0c0ffee5eed0000d3e304,sms,+15559870000,,,,,
",
    )
    .unwrap();
    let run = mfactl(
        &["users", "import", file.to_str().unwrap(), "--dry-run"],
        &[],
    );
    assert_eq!(run.code, 1);
    run.assert_no_secrets(&[
        "+15551234567",
        "555-123-4567",
        "jo.doe@example",
        "JBSWY3DPEHPK3PXP",
        "jbswy3dpehpk3pxp",
    ]);
    insta::assert_snapshot!("dry_run_bad_rows", in_dir(&run, dir.path()));

    let good = dir.path().join("good.jsonl");
    std::fs::write(
        &good,
        format!(
            "{{\"user\": \"auth0|1\", \"type\": \"phone\", \"phone_number\": \"+15551234567\"}}\n\n{{\"user\": \"jo@example.com\", \"type\": \"totp\", \"totp_secret\": \"{SECRET}\", \"name\": null}}\n"
        ),
    )
    .unwrap();
    let run = mfactl(
        &["users", "import", good.to_str().unwrap(), "--dry-run"],
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(
        run.stdout
            .ends_with("2 rows, all valid (1 phone, 1 totp); nothing was sent.\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn auth0_bulk_import_files_give_one_row_per_factor() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("users.json");
    std::fs::write(
        &file,
        format!(
            r#"[
  {{"email": "jo@example.com", "password_hash": "$2b$10$x",
    "mfa_factors": [{{"phone": {{"value": "+15551234567"}}}}, {{"totp": {{"secret": "{SECRET}"}}}}]}},
  {{"user_id": "abc", "mfa_factors": [{{"email": {{"value": "oncall@example"}}}}, {{"sms": {{"value": "+1"}}}}]}}
]
"#
        ),
    )
    .unwrap();
    let run = mfactl(
        &["users", "import", file.to_str().unwrap(), "--dry-run"],
        &[],
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    let shown = in_dir(&run, dir.path());
    assert!(
        shown.contains(
            "DIR/users.json:4: mfa_factors[0]: `email` on****@exam*** is not an email address"
        ),
        "{shown}"
    );
    assert!(
        shown.contains("DIR/users.json:4: mfa_factors[1]: unknown factor `sms`"),
        "{shown}"
    );
    assert!(shown.contains("2 of 4 rows are bad"), "{shown}");
    run.assert_no_secrets(&[SECRET, "+15551234567", "oncall@example"]);
}

/// Runs `mfactl users import FILE --report REPORT EXTRA…` against `emulator`.
fn import_reporting(
    emulator: &EmulatorProcess,
    file: &std::path::Path,
    report: &std::path::Path,
    extra: &[&str],
) -> Run {
    let mut args = vec![
        "users",
        "import",
        file.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    mfactl(&args, &emulator.env())
}

/// `n` users `auth0|kill{i}`, each with no method, and a CSV of one phone per user.
fn seed(emulator: &EmulatorProcess, dir: &std::path::Path, n: usize) -> std::path::PathBuf {
    let mut csv = String::from("user,type,phone_number,totp_secret,name\n");
    for i in 0..n {
        emulator.add_user(json!({"user_id": format!("auth0|kill{i:03}")}));
        if i % 2 == 0 {
            csv.push_str(&format!("auth0|kill{i:03},phone,+1555000{i:04},,Work\n"));
        } else {
            csv.push_str(&format!(
                "auth0|kill{i:03},totp,,{SECRET}{},app\n",
                ["AB", "CD", "EF"][i % 3]
            ));
        }
    }
    let path = dir.join("rows.csv");
    std::fs::write(&path, csv).unwrap();
    path
}

/// Created methods in the emulator's log, by path (one path per user).
fn creations(emulator: &EmulatorProcess) -> std::collections::BTreeMap<String, usize> {
    let mut by_path = std::collections::BTreeMap::new();
    for request in emulator.requests() {
        if request["method"] == "POST" && request["status"] == 201 {
            let path = request["path"].as_str().unwrap_or("").to_owned();
            *by_path.entry(path).or_insert(0) += 1;
        }
    }
    by_path
}

#[test]
fn an_import_killed_half_way_resumes_without_creating_anything_twice() {
    const ROWS: usize = 30;
    let emulator = EmulatorProcess::start(&["--rate-limit", "5/5"]);
    let dir = tempfile::tempdir().unwrap();
    let file = seed(&emulator, dir.path(), ROWS);
    let file = file.to_str().unwrap();
    let journal = format!("{file}.journal");
    let env = emulator.env();

    let mut child = spawn_mfactl(&["users", "import", file], &env);
    wait_for_done(&journal, 10);
    child.kill().unwrap(); // SIGKILL
    let killed = child.wait_with_output().unwrap();
    assert!(!killed.status.success());
    let before = creations(&emulator).values().sum::<usize>();
    assert!(before < ROWS, "killed half-way, not at the end: {before}");

    let report = dir.path().join("failed.jsonl");
    let resumed = mfactl(
        &[
            "users",
            "import",
            file,
            "--progress-every",
            "1",
            "--report",
            report.to_str().unwrap(),
        ],
        &env,
    );
    assert_eq!(resumed.code, 0, "{}", resumed.transcript());
    assert!(resumed.stdout.contains(" 0 failed"), "{}", resumed.stdout);
    assert!(resumed.stderr.contains("progress: "), "{}", resumed.stderr);
    let created = creations(&emulator);
    assert_eq!(created.len(), ROWS, "{created:?}");
    assert!(
        created.values().all(|n| *n == 1),
        "a row's method was created twice: {created:?}"
    );
    let state = emulator.state();
    for user in state["users"].as_array().unwrap() {
        assert_eq!(
            user["authentication_methods"].as_array().map(Vec::len),
            Some(1),
            "{}",
            user["profile"]["user_id"]
        );
    }
    // A third run sends nothing: every row is skipped.
    let api_calls = |e: &EmulatorProcess| {
        e.requests()
            .iter()
            .filter(|r| {
                r["path"]
                    .as_str()
                    .is_some_and(|p| p.starts_with("/api/v2/"))
            })
            .count()
    };
    let log_before = api_calls(&emulator);
    let third = mfactl(&["users", "import", file], &env);
    assert_eq!(third.code, 0, "{}", third.transcript());
    assert!(
        third.stdout.contains(&format!(
            "0 done, 0 already present, 0 failed, {ROWS} skipped"
        )),
        "{}",
        third.stdout
    );
    assert_eq!(api_calls(&emulator), log_before);

    // Nothing shows a secret or a phone number: outputs, journal, report.
    let mut leaks: Vec<String> = vec![SECRET.to_owned()];
    leaks.extend((0..ROWS).map(|i| format!("+1555000{i:04}")));
    let leaks: Vec<&str> = leaks.iter().map(String::as_str).collect();
    let outputs = [
        String::from_utf8_lossy(&killed.stdout).into_owned(),
        String::from_utf8_lossy(&killed.stderr).into_owned(),
        resumed.stdout.clone(),
        resumed.stderr.clone(),
        third.stdout.clone(),
        third.stderr.clone(),
        std::fs::read_to_string(&journal).unwrap(),
        std::fs::read_to_string(&report).unwrap(),
    ];
    for text in &outputs {
        for leak in &leaks {
            assert!(!text.contains(leak), "{leak} leaked into\n{text}");
        }
    }
}

#[test]
fn failed_rows_go_to_the_report_masked_and_exit_1() {
    let emulator = EmulatorProcess::start(&[]);
    emulator.add_user(json!({"user_id": "auth0|here", "email": "here@example.com",
        "authentication_methods": [{"type": "phone", "phone_number": "+15551230001"}]}));
    // A user holds one authenticator app: a row whose app has the same name is already there;
    // one beside a differently named app fails, saying its secret was not used.
    emulator.add_user(json!({"user_id": "auth0|sameapp",
        "authentication_methods": [{"type": "totp", "totp_secret": "GEZDGNBVGY3TQOJQ", "name": "app"}]}));
    emulator.add_user(json!({"user_id": "auth0|otherapp",
        "authentication_methods": [{"type": "totp", "totp_secret": "GEZDGNBVGY3TQOJQ", "name": "Authy"}]}));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rows.jsonl");
    std::fs::write(
        &file,
        format!(
            "{{\"user\": \"auth0|here\", \"type\": \"phone\", \"phone_number\": \"+15551230001\"}}
{{\"user\": \"here@example.com\", \"type\": \"totp\", \"totp_secret\": \"{SECRET}\"}}
{{\"user\": \"auth0|gone\", \"type\": \"email\", \"email\": \"gone.user@example.com\"}}
{{\"user\": \"auth0|sameapp\", \"type\": \"totp\", \"totp_secret\": \"{SECRET}\", \"name\": \"app\"}}
{{\"user\": \"auth0|otherapp\", \"type\": \"totp\", \"totp_secret\": \"{SECRET}\", \"name\": \"app\"}}
"
        ),
    )
    .unwrap();
    let report = dir.path().join("report.jsonl");
    let run = import_reporting(&emulator, &file, &report, &[]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(
        run.stdout
            .contains("1 done, 2 already present, 2 failed, 0 skipped"),
        "{}",
        run.stdout
    );
    let mut lines: Vec<Value> = std::fs::read_to_string(&report)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    lines.sort_by_key(|l| l["line"].as_u64());
    let other_app = emulator.stored_user("auth0|otherapp")["authentication_methods"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        lines,
        [
            json!({"line": 3, "row": 3, "user": "auth0|gone", "type": "email",
            "value": "gone****@exam*******",
            "reason": "user auth0|gone not found (404: The user does not exist.)"}),
            json!({"line": 5, "row": 5, "user": "auth0|otherapp", "type": "totp",
            "value": "(sensitive value)",
            "reason": format!("the user already has a totp method (totp Authy, {other_app}) and holds one at most, so the row's was not added (its secret was not used). To replace it, delete it first: mfactl users methods delete auth0|otherapp '{other_app}'")})
        ]
    );
    run.assert_no_secrets(&[
        SECRET,
        "+15551230001",
        "gone.user@example.com",
        "here@example.com",
    ]);
    let journal = std::fs::read_to_string(format!("{}.journal", file.display())).unwrap();
    for leak in [
        SECRET,
        "+15551230001",
        "gone.user@example.com",
        "here@example.com",
        "auth0|",
    ] {
        assert!(!journal.contains(leak), "{leak} in the journal:\n{journal}");
    }
}

#[test]
fn a_row_retried_after_a_5xx_is_sent_again_though_another_method_reads_the_same() {
    // The user's john.smith@ and the row's john.brown@ both read `john****@exam*******`, and
    // +15551110000 and +15552220000 both read `XXXXXXXX0000`: a masked match is no proof the
    // row's method is there. After a 503 (nothing created), the row is sent again and created.
    let emulator = EmulatorProcess::start(&[]);
    emulator.add_user(json!({"user_id": "auth0|m2", "authentication_methods": [
        {"type": "email", "email": "john.smith@example.com"},
        {"type": "phone", "phone_number": "+15551110000", "name": "Old phone"}
    ]}));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rows.csv");
    std::fs::write(
        &file,
        "user,type,phone_number,email,name\nauth0|m2,email,,john.brown@example.com,\nauth0|m2,phone,+15552220000,,New phone\n",
    )
    .unwrap();
    emulator.add_fault(json!({"method": "POST",
        "path": "/api/v2/users/auth0%7Cm2/authentication-methods", "status": 503, "times": 2}));
    let run = mfactl(
        &["users", "import", file.to_str().unwrap()],
        &emulator.env(),
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(
        run.stdout
            .contains("2 done, 0 already present, 0 failed, 0 skipped"),
        "{}",
        run.stdout
    );
    let user = emulator.stored_user("auth0|m2");
    assert_eq!(user["authentication_methods"].as_array().unwrap().len(), 4);
    run.assert_no_secrets(&[
        "john.brown@example.com",
        "john.smith@example.com",
        "+15552220000",
    ]);

    // Run again (a fresh journal): the API's 409 says both are there; nothing is duplicated.
    std::fs::remove_file(format!("{}.journal", file.display())).unwrap();
    let again = mfactl(
        &["users", "import", file.to_str().unwrap()],
        &emulator.env(),
    );
    assert_eq!(again.code, 0, "{}", again.transcript());
    assert!(
        again
            .stdout
            .contains("0 done, 2 already present, 0 failed, 0 skipped"),
        "{}",
        again.stdout
    );
}

#[test]
fn line_numbers_are_the_same_with_crlf_line_endings_and_a_bom() {
    let dir = tempfile::tempdir().unwrap();
    let lf = "user,type,phone_number\nauth0|i1,phone,+15550101001\nauth0|i1,phone,+1555\n\nauth0|i1,phone,+15550101003\nauth0|i1,phone,+1666\n";
    for (name, text) in [
        ("lf.csv", lf.to_owned()),
        ("crlf.csv", lf.replace('\n', "\r\n")),
        ("bom.csv", format!("\u{feff}{}", lf.replace('\n', "\r\n"))),
    ] {
        let file = dir.path().join(name);
        std::fs::write(&file, text).unwrap();
        let run = mfactl(
            &["users", "import", file.to_str().unwrap(), "--dry-run"],
            &[],
        );
        assert_eq!(run.code, 1, "{}", run.transcript());
        let shown = in_dir(&run, dir.path());
        assert!(
            shown.contains(&format!(
                "DIR/{name}:3: `phone_number` X1555 is not in E.164"
            )),
            "{shown}"
        );
        assert!(
            shown.contains(&format!(
                "DIR/{name}:6: `phone_number` X1666 is not in E.164"
            )),
            "{shown}"
        );
    }

    // The journal and the report number lines the same way.
    let emulator = EmulatorProcess::start(&[]);
    emulator.add_user(json!({"user_id": "auth0|i1"}));
    let file = dir.path().join("real.csv");
    std::fs::write(
        &file,
        "\u{feff}user,type,phone_number\r\nauth0|i1,phone,+15550101001\r\n\r\nauth0|nobody,phone,+15550101002\r\n",
    )
    .unwrap();
    let report = dir.path().join("report.jsonl");
    let run = import_reporting(&emulator, &file, &report, &[]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    let journal = std::fs::read_to_string(format!("{}.journal", file.display())).unwrap();
    let lines: Vec<(u64, u64)> = journal
        .lines()
        .skip(1)
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .map(|r| (r["row"].as_u64().unwrap(), r["line"].as_u64().unwrap()))
        .collect();
    assert!(
        lines.contains(&(1, 2)) && lines.contains(&(2, 4)),
        "{journal}"
    );
    assert!(
        lines.iter().all(|l| *l == (1, 2) || *l == (2, 4)),
        "{journal}"
    );
    let report: Value =
        serde_json::from_str(std::fs::read_to_string(&report).unwrap().trim()).unwrap();
    assert_eq!(report["line"], 4, "{report}");
}

#[test]
fn file_shape_problems_are_named_and_a_bom_is_accepted_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let dry_run = |name: &str, text: &str| {
        let file = dir.path().join(name);
        std::fs::write(&file, text).unwrap();
        let run = mfactl(
            &["users", "import", file.to_str().unwrap(), "--dry-run"],
            &[],
        );
        (run.code, in_dir(&run, dir.path()))
    };
    // A column named twice: which cell counts would be a guess.
    let (code, shown) = dry_run(
        "dup.csv",
        "user,type,phone_number,user\nauth0|i1,phone,+15550909091,auth0|i2\n",
    );
    assert_eq!(code, 1, "{shown}");
    assert!(
        shown.contains(
            "DIR/dup.csv:1: the column `user` is named twice (columns 1 and 4); keep one"
        ),
        "{shown}"
    );
    // A UTF-8 BOM (PowerShell 5's `Out-File -Encoding utf8`) in JSON Lines and Auth0's JSON.
    let (code, shown) = dry_run(
        "bom.json",
        "\u{feff}[{\"email\":\"a@example.com\",\"mfa_factors\":[{\"phone\":{\"value\":\"+15550101001\"}}]}]",
    );
    assert_eq!(code, 0, "{shown}");
    assert!(shown.contains("1 row, valid (1 phone)"), "{shown}");
    let (code, shown) = dry_run(
        "bom.jsonl",
        "\u{feff}{\"user\":\"auth0|i1\",\"type\":\"phone\",\"phone_number\":\"+15550101001\"}\n",
    );
    assert_eq!(code, 0, "{shown}");
    assert!(shown.contains("1 row, valid (1 phone)"), "{shown}");
    // `mfa_factors` that is not an array is an error, not a user passed over.
    let (code, shown) = dry_run(
        "obj.json",
        "[\n{\"email\":\"x@example.com\",\"mfa_factors\":{\"phone\":{\"value\":\"+15550303006\"}}}\n]\n",
    );
    assert_eq!(code, 1, "{shown}");
    assert!(
        shown.contains("DIR/obj.json:2: mfa_factors: must be an array of factors"),
        "{shown}"
    );
    assert!(shown.contains("1 of 1 row is bad"), "{shown}");
    // An unknown JSON Lines key is an unknown column, whatever its value.
    let (code, shown) = dry_run(
        "keys.jsonl",
        "{\"user\":\"auth0|i1\",\"type\":\"phone\",\"phone_numbr\":\"+15550101001\",\"extra\":1}\n",
    );
    assert_eq!(code, 1, "{shown}");
    assert!(
        shown.contains("unknown column `phone_numbr` (did you mean `phone_number`?)"),
        "{shown}"
    );
    assert!(shown.contains("unknown column `extra`"), "{shown}");
    assert!(!shown.contains("must be a JSON string"), "{shown}");
    // A key given twice in a row: which value was meant? (`user` twice would go to the wrong
    // user.)
    let (code, shown) = dry_run(
        "twice.jsonl",
        "{\"user\":\"auth0|i1\",\"type\":\"phone\",\"phone_number\":\"+15550101002\",\"user\":\"auth0|i2\"}\n",
    );
    assert_eq!(code, 1, "{shown}");
    assert!(
        shown.contains("DIR/twice.jsonl:1: the key `user` is given twice; keep one"),
        "{shown}"
    );
    // A quote left open in a CSV takes the rows after it into one value: refused, not imported
    // as a name holding the next rows (and their phone numbers).
    let (code, shown) = dry_run(
        "open-quote.csv",
        "user,type,phone_number,name\nauth0|i1,phone,+15550101002,\"unterminated\nauth0|i2,phone,+15550101003,x\n",
    );
    assert_eq!(code, 1, "{shown}");
    assert!(
        shown.contains("DIR/open-quote.csv:2: `name` holds a line break or another control character: if a quote opens in this row, close it"),
        "{shown}"
    );
    assert!(!shown.contains("5550101003"), "{shown}");
}

#[test]
fn a_journal_that_is_not_a_regular_file_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rows.csv");
    std::fs::write(
        &file,
        "user,type,phone_number\nauth0|m1,phone,+15553334444\n",
    )
    .unwrap();
    for journal in ["/dev/zero", dir.path().to_str().unwrap()] {
        let run = mfactl(
            &[
                "users",
                "import",
                file.to_str().unwrap(),
                "--journal",
                journal,
            ],
            &[],
        );
        assert_eq!(run.code, 1, "{}", run.transcript());
        assert_eq!(
            run.stderr,
            format!(
                "error: the journal {journal} is not a regular file (a device, pipe or folder cannot hold an import journal): nothing was sent. Give --journal the path of a file (created if missing), or leave --journal out to use the file beside the input\n"
            )
        );
    }
}

#[test]
fn a_second_import_of_the_same_file_at_once_is_refused() {
    const ROWS: usize = 30;
    let emulator = EmulatorProcess::start(&["--rate-limit", "5/5"]);
    let dir = tempfile::tempdir().unwrap();
    let file = seed(&emulator, dir.path(), ROWS);
    let file = file.to_str().unwrap();
    let journal = format!("{file}.journal");
    let env = emulator.env();
    let mut first = spawn_mfactl(&["users", "import", file], &env);
    wait_for_done(&journal, 1);
    let second = mfactl(&["users", "import", file], &env);
    first.kill().unwrap();
    let _ = first.wait();
    assert_eq!(second.code, 1, "{}", second.transcript());
    assert_eq!(
        second.stderr,
        format!(
            "error: another `mfactl users import` is using the journal {journal} (it is importing the same file now): nothing was sent. Wait for it to end; running this command again then resumes where it stopped\n"
        )
    );
    assert_eq!(second.stdout, "");
    let created = creations(&emulator);
    assert!(created.values().all(|n| *n == 1), "{created:?}");
}

#[test]
fn a_report_or_journal_that_is_the_input_or_each_other_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rows.csv");
    let text = "user,type,phone_number\nauth0|r1,phone,+15557770001\n";
    std::fs::write(&file, text).unwrap();
    let input = file.to_str().unwrap();
    let journal = format!("{input}.journal");
    let also_input = format!("{}/./rows.csv", dir.path().display());
    for (args, message) in [
        (
            vec!["--report", also_input.as_str()],
            format!(
                "--report {also_input} is the same file as the input {input}: writing it would destroy the input."
            ),
        ),
        (
            vec!["--journal", input],
            format!(
                "--journal {input} is the same file as the input {input}: writing it would destroy the input."
            ),
        ),
        (
            vec!["--report", journal.as_str()],
            format!(
                "--report {journal} is the same file as the journal {journal}: writing it would destroy the journal."
            ),
        ),
    ] {
        let mut all = vec!["users", "import", input];
        all.extend(args);
        let run = mfactl(&all, &[]);
        assert_eq!(run.code, 1, "{}", run.transcript());
        assert_eq!(
            run.stderr,
            format!(
                "error: {message} Nothing was read or sent; give {} another path\n",
                all[3]
            )
        );
        assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
        assert!(!std::path::Path::new(&journal).exists());
    }

    // A report that is a dangling link to the journal-to-be is the journal too.
    #[cfg(unix)]
    {
        let link = dir.path().join("report.lnk");
        std::os::unix::fs::symlink(&journal, &link).unwrap();
        let link = link.to_str().unwrap();
        let run = mfactl(&["users", "import", input, "--report", link], &[]);
        assert_eq!(run.code, 1, "{}", run.transcript());
        assert!(
            run.stderr
                .contains(&format!("--report {link} is the same file as the journal")),
            "{}",
            run.stderr
        );
        assert!(!std::path::Path::new(&journal).exists());

        // A pipe as the journal is refused at once: nothing opens it (that would wait).
        let fifo = dir.path().join("journal.fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let run = mfactl(
                &[
                    "users",
                    "import",
                    input,
                    "--journal",
                    fifo.to_str().unwrap(),
                ],
                &[],
            );
            assert_eq!(run.code, 1, "{}", run.transcript());
            assert!(
                run.stderr.contains("is not a regular file"),
                "{}",
                run.stderr
            );
        }
    }
}

#[test]
fn a_secret_the_api_quotes_back_is_scrubbed_while_its_row_is_in_flight() {
    const ECHOED: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    const ACKED: &str = "MFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LK";
    let emulator = EmulatorProcess::start(&[]);
    emulator.add_user(json!({"user_id": "auth0|echo"}));
    emulator.add_user(json!({"user_id": "auth0|ack"}));
    emulator.add_fault(json!({"method": "POST",
        "path": "/api/v2/users/auth0%7Cecho/authentication-methods", "status": 400, "times": 1,
        "body": {"statusCode": 400, "error": "Bad Request", "errorCode": "invalid_body",
            "message": format!("Payload validation error: totp_secret {ECHOED} ({}) is not accepted", ECHOED.to_lowercase())}}));
    emulator.add_fault(json!({"method": "POST",
        "path": "/api/v2/users/auth0%7Cack/authentication-methods", "status": 201, "times": 1,
        "body": {"id": "totp|dev_echo", "type": "totp", "confirmed": true,
            "totp_secret": ACKED, "name": format!("app {ACKED}")}}));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rows.csv");
    std::fs::write(
        &file,
        format!("user,type,totp_secret\nauth0|echo,totp,{ECHOED}\nauth0|ack,totp,{ACKED}\n"),
    )
    .unwrap();
    let report = dir.path().join("report.jsonl");
    let run = import_reporting(&emulator, &file, &report, &["-vv"]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(
        run.stdout
            .contains("1 done, 0 already present, 1 failed, 0 skipped"),
        "{}",
        run.stdout
    );
    // The -vv log shows the bodies, scrubbed.
    assert!(run.stderr.contains("answer body"), "{}", run.stderr);
    let report = std::fs::read_to_string(&report).unwrap();
    assert!(
        report.contains("Payload validation error: totp_secret (sensitive value) ((sensitive value)) is not accepted"),
        "{report}"
    );
    let journal = std::fs::read_to_string(format!("{}.journal", file.display())).unwrap();
    let lower = [ECHOED.to_lowercase(), ACKED.to_lowercase()];
    for text in [&run.stdout, &run.stderr, &report, &journal] {
        for leak in [ECHOED, ACKED, &lower[0], &lower[1]] {
            assert!(!text.contains(leak), "{leak} leaked into\n{text}");
        }
    }
}

/// Waits until the journal records at least `n` rows done.
fn wait_for_done(journal: &str, n: usize) {
    let started = Instant::now();
    while std::fs::read_to_string(journal)
        .unwrap_or_default()
        .matches("\"state\":\"done\"")
        .count()
        < n
    {
        assert!(started.elapsed() < Duration::from_secs(60), "no progress");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[cfg(unix)]
#[test]
fn sigint_and_sigterm_finish_the_rows_in_flight_then_say_how_to_resume() {
    const ROWS: usize = 40;
    let emulator = EmulatorProcess::start(&["--rate-limit", "5/5"]);
    let dir = tempfile::tempdir().unwrap();
    let file = seed(&emulator, dir.path(), ROWS);
    let file = file.to_str().unwrap();
    let journal = format!("{file}.journal");
    let env = emulator.env();
    let mut done_so_far = 0;
    for (signal, code) in [("-INT", 130), ("-TERM", 143)] {
        let child = spawn_mfactl(&["users", "import", file], &env);
        wait_for_done(&journal, done_so_far + 3);
        let status = std::process::Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let output = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(code), "{stdout}\n{stderr}");
        assert!(
            stdout.starts_with(&format!("Imported {file} into ")),
            "{stdout}"
        );
        let name = &signal[1..];
        assert!(
            stderr.contains(&format!("SIG{name}: starting no more rows; waiting for the rows in flight to end (send it again to stop at once).\n")),
            "{stderr}"
        );
        assert!(
            stderr.contains(&format!(
                "Interrupted by SIG{name}: the rows in flight were finished and recorded; "
            )),
            "{stderr}"
        );
        assert!(
            stderr.contains(&format!(" row(s) not sent yet. Run the same command again to resume: the journal {journal} skips the rows done.\n")),
            "{stderr}"
        );
        // Every row sent has its outcome recorded: none is left in flight.
        let text = std::fs::read_to_string(&journal).unwrap();
        done_so_far = text.matches("\"state\":\"done\"").count();
        assert_eq!(
            text.matches("\"state\":\"sending\"").count(),
            done_so_far,
            "{text}"
        );
        assert!(done_so_far < ROWS, "interrupted at the end, not mid-way");
    }
    let last = mfactl(&["users", "import", file], &env);
    assert_eq!(last.code, 0, "{}", last.transcript());
    assert!(
        last.stdout.contains(&format!(
            "{} done, 0 already present, 0 failed, {done_so_far} skipped",
            ROWS - done_so_far
        )),
        "{}",
        last.stdout
    );
    let created = creations(&emulator);
    assert_eq!(created.len(), ROWS, "{created:?}");
    assert!(created.values().all(|n| *n == 1), "{created:?}");
}
