//! The emulated Management API through HTTP against in-process emulators: behaviour of every
//! endpoint, Tenant Phone Settings, prompt texts, users' MFA, fidelity to recorded Auth0 traffic
//! (the Guardian recordings and the users' MFA replay), and that the scopes the client asks for
//! are the ones the emulator enforces.
//!
//! One test binary (`cargo test -p mfactl-emulator --test emulator`) with one support module.
//! (`mfactl emulator` as a process is tested with the command line, in `tests/cli/`.)

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod support;

mod api;
mod fidelity;
mod prompt_texts;
mod scopes;
mod tenant_phone;
mod user_mfa_replay;
mod users;
