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
