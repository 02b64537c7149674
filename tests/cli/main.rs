//! The command line as a user runs it: the real `mfactl` binary, mostly against `mfactl
//! emulator` child processes. Plans, apply and export end to end (every example, prompt
//! texts), `validate` on good and bad files, the committed JSON Schema, the emulator command
//! itself, and users' MFA (`users`, `enrollments`).
//!
//! One test binary (`cargo test --test cli`) with one support module. Snapshots live in
//! `snapshots/` beside this file; the invalid and warning config files in `tests/invalid/` and
//! `tests/warnings/`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod support;

mod ci_action;
mod completions_and_man;
mod config_validate;
mod convert;
mod deadlines;
mod e2e_plan_apply;
mod emulator_binary;
mod exit_codes;
mod output_failures;
mod prompt_texts;
mod schema;
mod secret_echo;
mod secret_forms;
mod tenants;
mod users_cli;
mod users_config;
mod users_import;
