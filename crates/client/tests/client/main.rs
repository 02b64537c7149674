//! The Management API client: HTTP behaviour against small stub servers (tokens, retries,
//! deadlines, logs), live reads against in-process emulators, parsing of every recorded Auth0
//! answer with the resource table, and the users' MFA calls against recorded answers.
//!
//! One test binary (`cargo test -p mfactl-client --test client`) with one support module.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod support;

mod calls;
mod deadlines;
mod export_roundtrip;
mod live_read;
mod recordings;
mod users;
