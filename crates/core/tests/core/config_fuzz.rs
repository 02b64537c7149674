//! The loader never panics, whatever it is given.

use mfactl_core::config::load_bytes;
use proptest::prelude::*;

fn env(name: &str) -> Option<String> {
    name.len()
        .is_multiple_of(2)
        .then(|| format!("value-of-{name}"))
}

/// Fragments of real config files, so generated input reaches deep into the loader.
const FRAGMENTS: &[&str] = &[
    "version: 1\n",
    "version: 2\n",
    "factors:\n",
    "  otp: true\n",
    "  sms: yes\n",
    "  opt: 1\n",
    "policies: [all-applications]\n",
    "policies: [confidence-score, x]\n",
    "phone:\n",
    "  message_types: [sms, voice]\n",
    "  provider: twilio\n",
    "  twilio:\n",
    "    sid: AC1\n",
    "    auth_token: ${TWILIO}\n",
    "    from: \"+1555\"\n",
    "push:\n",
    "  sns: { aws_region: us-east-1, aws_secret_access_key: ${X:-y} }\n",
    "duo: ~\n",
    "webauthn_roaming: { override_relying_party: true }\n",
    "  - a\n",
    "- b\n",
    "&a x: *a\n",
    "<<: *a\n",
    "---\n",
    "{\n",
    "]\n",
    "'\n",
    "\"\n",
    "\t\n",
    "  templates:\n",
    "    enrollment_message: |\n      {{code}}\n",
    "custom_app: { apple_app_link: http://x }\n",
    "tenant: ${T}\n",
    "$${A}\n",
    "\u{0}",
    "\u{feff}",
    "é: ü\n",
    "prompts:\n",
    "  mfa-sms:\n",
    "    en:\n",
    "      mfa-sms-enrollment: { title: Secure, description: $${companyName} }\n",
    "    xx: {}\n",
    "  mfa-fax: { en: {} }\n",
    "    en: []\n",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let loaded = load_bytes("fuzz.yaml", &bytes, Some(&env));
        prop_assert!(loaded.config.is_some() || !loaded.diagnostics.is_empty());
    }

    #[test]
    fn config_shaped_text_never_panics(parts in proptest::collection::vec(0..FRAGMENTS.len(), 0..24)) {
        let text: String = parts.iter().map(|i| FRAGMENTS[*i]).collect();
        let loaded = load_bytes("fuzz.yaml", text.as_bytes(), Some(&env));
        // Rendering must not panic either, whatever the spans say.
        for d in &loaded.diagnostics {
            let _ = d.render(&loaded.source, false);
        }
        prop_assert!(loaded.config.is_some() || !loaded.diagnostics.is_empty());
    }
}

#[test]
fn deeply_nested_input_fails_fast() {
    let text = format!(
        "version: 1\nfactors: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let loaded = load_bytes("deep.yaml", text.as_bytes(), None);
    assert!(loaded.config.is_none());
}

#[test]
fn oversized_input_is_refused_before_parsing() {
    let text = format!("version: 1\n# {}\n", "x".repeat(2 * 1024 * 1024));
    let loaded = load_bytes("big.yaml", text.as_bytes(), None);
    assert!(
        loaded.diagnostics[0]
            .message
            .contains("at most 1048576 bytes")
    );
}

#[test]
fn alias_bombs_are_refused() {
    let mut text = String::from("version: 1\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let prev = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
        ));
    }
    let loaded = load_bytes("bomb.yaml", text.as_bytes(), None);
    assert!(loaded.config.is_none());
}
