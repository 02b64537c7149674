//! The Auth0 Management API client, and apply (which executes a plan with it).
//!
//! - [`settings`]: where the tenant is and how to authenticate ([`ConnectionSettings::from_env`]).
//! - [`client`]: the HTTP client ([`Client`]): tokens, retries, pacing, logging.
//! - [`live_read`]: [`read_live`], the read of exactly what a config manages (which GETs, and
//!   how answers become live values, come from the resource table in
//!   [`mfactl_core::live::read`]).
//! - [`users`]: the per-user MFA calls (authentication methods, enrollments, tickets), with
//!   paths from the resource table's per-user endpoints.
//! - [`import`]: `mfactl users import`'s paced, journaled creation of many users' methods.
//! - [`models`]: the error and token bodies the client itself handles.
//! - [`scrub`] and [`stdout`]: every output scrubbed of secrets; every failed write to stdout
//!   kept, so the command fails.
//! - [`scopes`], [`retry`], [`pacing`], [`answer`], [`error`]: the rules behind them.

pub mod answer;
pub mod apply;
pub mod client;
pub mod error;
pub mod import;
pub mod live_read;
pub mod models;
pub mod pacing;
pub mod retry;
pub mod scopes;
pub mod scrub;
pub mod settings;
pub mod stdout;
pub mod users;

pub use client::{Client, ClientOptions, ClientStats, USER_AGENT};
pub use error::ApiError;
pub use live_read::read_live;
pub use scopes::{required_read_scopes, required_write_scopes};
pub use settings::{ConnectionSettings, Credentials};
