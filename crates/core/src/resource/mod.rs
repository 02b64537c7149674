//! The resource table: each Management API resource mfactl manages, described once.
//!
//! A [`ResourceSpec`] says where a resource sits in the config file, how it is read and written
//! (routes, scopes, write semantics, stage) and what its fields are ([`FieldSpec`]: config key,
//! API key, type and limits, secrecy, default). [`registry::RESOURCES`] lists every spec in plan
//! order; every layer of mfactl iterates it instead of naming resources. The per-user endpoints
//! (authentication methods, enrollments, tickets: collections keyed by user, not settings) are
//! in the same table as [`EndpointSpec`]s, listed by [`registry::USER_ENDPOINTS`].

mod collection;
mod endpoint;
mod field;
pub mod instance;
pub mod registry;
mod spec;
pub mod specs;
pub mod template;

pub use collection::{CollectionSpec, IdentityHook};
pub use endpoint::{EndpointSpec, UserEndpoint, decode, encode};
pub use field::{Constant, FieldSpec, FieldType, Personal, Secrecy};
pub use registry::RESOURCES;
pub use spec::{
    ActionRule, ById, ExportRule, Extract, Fingerprint, Keys, PhoneScope, ReadSpec, ResourceSpec,
    Semantics, Shape, StageRule, ValidateHook, WriteSpec,
};

pub use crate::config::section::SectionCheck;
