//! mfactl: manage an Auth0 tenant's MFA settings as code.
//!
//! The pure core ([`config`], [`model`], `plan`, `render`) does no I/O; only [`api`], `apply` and
//! [`emulator`] touch the network.
pub mod api;
pub mod apply;
pub mod cli;
pub mod commands;
pub mod config;
pub mod emulator;
pub mod live;
pub mod logging;
pub mod model;
pub mod phone_kind;
pub mod plan;
pub mod render;
pub mod request;
pub mod scrub;
pub mod secret;
pub mod terminal;
