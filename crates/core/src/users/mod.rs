//! Users' MFA, the pure parts: personal-data masking ([`masking`]), the methods and tickets a
//! command asks for ([`method`]), how a command names a user ([`user_ref`]) and the tables it
//! prints ([`render`]). The per-user endpoints themselves are in the resource table
//! ([`crate::resource::registry::USER_ENDPOINTS`]). No I/O, no async.
pub mod masking;
pub mod method;
pub mod render;
pub mod user_ref;
