//! The example files the tests load: every file of `examples/` is in the shared table, and each
//! loads without a diagnostic.

use std::collections::BTreeSet;
use std::path::Path;

use mfactl_core::config::load_str;

use crate::examples::{EXAMPLES, secret_env};

#[test]
fn the_shared_table_lists_every_example_file() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".yaml"))
        .collect();
    let listed: BTreeSet<String> = EXAMPLES.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(
        listed, on_disk,
        "tests/fixtures/examples.rs must list every file of examples/"
    );
    for (name, text) in EXAMPLES {
        let file = std::fs::read_to_string(dir.join(name)).unwrap();
        assert_eq!(*text, file, "{name}");
    }
}

#[test]
fn every_example_loads_without_a_diagnostic() {
    for (name, text) in EXAMPLES {
        let loaded = load_str(name, text, Some(&secret_env));
        assert!(loaded.is_usable(true), "{name}: {:?}", loaded.diagnostics);
        let state = loaded.config.unwrap().state;
        assert!(!state.resources.is_empty(), "{name} manages nothing");
    }
}
