//! Users' MFA, the pure parts: personal-data masking ([`masking`]), the methods and tickets a
//! command asks for ([`method`]), the offline checks of a method's values ([`checks`]), what
//! identifies a method when only a masked read can be compared ([`identity`]), how a command
//! names a user ([`user_ref`]), the tables it prints ([`render`]) and the rows of a bulk import
//! ([`import`]). The per-user endpoints themselves are in the resource table
//! ([`crate::resource::registry::USER_ENDPOINTS`]), and the `users:` section of the config file
//! is a resource of it ([`crate::resource::specs::USER_METHODS`]). No I/O, no async.
pub mod checks;
pub mod identity;
pub mod import;
pub mod masking;
pub mod method;
pub mod render;
pub mod user_ref;
