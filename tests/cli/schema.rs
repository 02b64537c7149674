//! The committed JSON Schema is the one `mfactl schema` prints.

use crate::support::{mfactl, root};

#[test]
fn committed_schema_is_current() {
    let run = mfactl(&["schema"], &[]);
    assert_eq!(run.code, 0);
    let committed = std::fs::read_to_string(root().join("schema/mfactl.schema.json")).unwrap();
    assert!(
        committed == run.stdout,
        "schema/mfactl.schema.json is stale: run `cargo run -- schema > schema/mfactl.schema.json`"
    );
}

#[test]
fn schema_describes_every_section_and_rejects_unknown_keys() {
    let run = mfactl(&["schema"], &[]);
    let schema: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(schema["additionalProperties"], false);
    for key in [
        "version",
        "tenant",
        "policies",
        "factors",
        "phone",
        "push",
        "duo",
        "webauthn_roaming",
        "webauthn_platform",
        "email",
        "tenant_phone",
        "mfa_session",
        "tenant_settings",
        "prompts",
    ] {
        let description = schema["properties"][key]["description"]
            .as_str()
            .unwrap_or("");
        assert!(description.len() > 10, "{key} has no description");
    }
    let factors = &schema["$defs"]["Factors"]["properties"];
    assert_eq!(factors.as_object().map(|o| o.len()), Some(8));
    assert_eq!(
        schema["$defs"]["Policy"]["oneOf"].as_array().map(Vec::len),
        Some(2)
    );
}

/// `.ci/check-schema.py` runs check-jsonschema on the invalid fixtures as this list says; a
/// fixture added without a line would escape it.
#[test]
fn every_invalid_fixture_says_whether_the_schema_rejects_it() {
    let list = std::fs::read_to_string(root().join("tests/invalid/schema-coverage.txt")).unwrap();
    let mut listed = std::collections::BTreeMap::new();
    for line in list.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut words = line.split_whitespace();
        let (name, kind) = (words.next().unwrap(), words.next().unwrap_or_default());
        assert!(
            ["schema", "parse", "mfactl"].contains(&kind),
            "unknown kind in: {line}"
        );
        assert!(words.next().is_some(), "no reason given in: {line}");
        assert!(
            listed.insert(name.to_string(), kind).is_none(),
            "twice: {name}"
        );
    }
    let mut present: Vec<String> = std::fs::read_dir(root().join("tests/invalid"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".yaml"))
        .collect();
    present.sort();
    let listed: Vec<String> = listed.into_keys().collect();
    assert_eq!(
        present, listed,
        "tests/invalid/schema-coverage.txt must list every invalid fixture"
    );
}
