//! The live tenant: what a read returns, and (in [`read`]) which reads a desired state needs
//! and how their answers become a live state. Pure: the API client sends the GETs.

pub mod read;

use std::collections::BTreeMap;

use crate::model::{Address, MfaState};

/// The live tenant, as far as the config manages it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LiveTenant {
    /// The domain the state was read from (e.g. `acme.eu.auth0.com` or `127.0.0.1:8080`).
    pub domain: String,
    /// The live values of every managed resource that could be read. Write-only values are
    /// never there.
    pub state: MfaState,
    /// Managed resources the tenant cannot use (plan lacks the feature, legacy endpoint refused).
    pub unavailable: BTreeMap<Address, Unavailable>,
    /// For every resource read: a hex SHA-256 of the response body in canonical JSON (keys
    /// sorted) with every secret field's value replaced by `null`, so a saved plan can tell
    /// whether the tenant changed without ever holding a secret.
    pub fingerprints: BTreeMap<Address, String>,
    /// Whether the tenant is on the consolidated phone experience (its phone provider and
    /// templates live in Tenant Phone Settings); `None` when not read (the file manages
    /// nothing phone-related).
    pub consolidated_phone: Option<bool>,
    /// The tenant's Universal Login languages (`enabled_locales` of `GET /tenants/settings`),
    /// when that was read.
    pub enabled_locales: Option<Vec<String>>,
}

/// `errorCode`s that mean the tenant cannot use a feature: the resource is *unavailable*.
pub const UNAVAILABLE_CODES: &[&str] = &[
    "insufficient_entitlement",
    "not_entitled",
    "voice_mfa_not_allowed",
    "hooks_not_allowed",
    "legacy_mfa_phone_provider_not_allowed",
];

/// Why the tenant cannot use a resource, from the API's error answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unavailable {
    /// HTTP status (403 for entitlement and legacy refusals).
    pub status: u16,
    /// Auth0's `errorCode`, e.g. `insufficient_entitlement`, `legacy_mfa_phone_provider_not_allowed`.
    pub error_code: String,
    /// Auth0's `message`.
    pub message: String,
}
