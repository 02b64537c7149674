//! The tenants file loader never panics, whatever it is given, and never shows a secret
//! written in clear.

use std::collections::BTreeSet;

use mfactl_core::config::diagnostic::render_all;
use mfactl_core::fleet::load_tenants;
use proptest::prelude::*;

/// A secret some fragments write in clear: no rendered diagnostic may show it.
const CLEAR: &str = "clear-secret-value-4f1a";

fn env(name: &str) -> Option<String> {
    name.len()
        .is_multiple_of(2)
        .then(|| format!("value-of-{name}"))
}

/// Fragments of real tenants files, so generated input reaches deep into the loader.
const FRAGMENTS: &[&str] = &[
    "tenants:\n",
    "version: 1\n",
    "version: 3\n",
    "  dev:\n",
    "  prod/eu:\n",
    "  Dev:\n",
    "    domain: acme-dev.eu.auth0.com\n",
    "    domain: ${DOMAIN}\n",
    "    domian: x\n",
    "    client_id: ${ID}\n",
    "    client_secret: ${SECRET}\n",
    "    client_secret: clear-secret-value-4f1a\n",
    "    api_token: clear-secret-value-4f1a\n",
    "    audience: https://x/api/v2/\n",
    "    vars: { A: 1, B: \"${B}\", 9C: x, TOKEN: clear-secret-value-4f1a }\n",
    "    vars:\n",
    "      TOKEN: clear-secret-value-4f1a\n",
    "      FROM: +15550001111\n",
    "      EMPTY: \"\"\n",
    "      BAD: ${1X}\n",
    "  staging: acme\n",
    "  - a\n",
    "- b\n",
    "&a x: *a\n",
    "---\n",
    "{\n",
    "'\n",
    "\t\n",
    "\u{0}",
    "é: ü\n",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let loaded = load_tenants("fuzz.yaml", &bytes, Some(&env), &BTreeSet::new());
        prop_assert!(loaded.file.is_some() || !loaded.diagnostics.is_empty());
    }

    #[test]
    fn tenants_shaped_text_never_panics_nor_shows_a_secret(
        parts in proptest::collection::vec(0..FRAGMENTS.len(), 0..24),
    ) {
        let text: String = parts.iter().map(|i| FRAGMENTS[*i]).collect();
        let secret_vars = BTreeSet::from(["TOKEN".to_string()]);
        let loaded = load_tenants("fuzz.yaml", text.as_bytes(), Some(&env), &secret_vars);
        let shown = render_all(&loaded.diagnostics, &loaded.source, false);
        prop_assert!(!shown.contains(CLEAR), "{}", shown);
        prop_assert!(loaded.file.is_some() || !loaded.diagnostics.is_empty());
    }
}
