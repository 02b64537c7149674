//! Integration tests of the pure core, through its public API: the resource table's
//! consistency, the loader under arbitrary input, and the example files.
//!
//! One test binary (`cargo test -p mfactl-core --test core`); the shared fixtures come from
//! `tests/fixtures/examples.rs` at the repository root.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

#[path = "../../../../tests/fixtures/examples.rs"]
mod examples;

mod config_fuzz;
mod example_files;
mod registry;
mod tenants_fuzz;
