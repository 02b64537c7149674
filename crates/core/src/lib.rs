//! mfactl's pure core: the config file, the tenant's MFA model, the plan and its renderers.
//!
//! Nothing here does I/O, runs async code or depends on a network crate: callers read files and
//! the tenant, and pass what they read in. The API client and the emulator are their own crates.
pub mod config;
pub mod convert;
pub mod fleet;
pub mod live;
pub mod model;
pub mod phone_kind;
pub mod plan;
pub mod render;
pub mod request;
pub mod resource;
pub mod secret;
pub mod users;

/// Lets test code shared with the other crates' tests (`tests/fixtures/examples.rs`) name this
/// crate as they do.
#[cfg(test)]
extern crate self as mfactl_core;
