//! mfactl: manage an Auth0 tenant's MFA settings as code.
//!
//! This crate is the command line: argument parsing ([`cli`]) and one module per subcommand
//! ([`commands`]). The work is done by three library crates, re-exported here under the names
//! the rest of the program uses:
//! - [`mfactl_core`]: config file, model, resource table, plan and renderers. Pure: no I/O, no
//!   async, no network dependency.
//! - [`mfactl_client`] (as [`api`]; [`apply`]): the Management API client and apply.
//! - [`mfactl_emulator`] (as [`emulator`]): the local tenant emulator.
pub mod cli;
pub mod commands;
pub mod error;
pub mod logging;
pub mod terminal;

pub use mfactl_client as api;
pub use mfactl_client::{apply, scrub, stdout};
pub use mfactl_core::{
    config, fleet, live, model, phone_kind, plan, render, request, resource, secret, users,
};
pub use mfactl_emulator as emulator;
