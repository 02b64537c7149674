//! Why a plan cannot be made.

use std::fmt;

use crate::model::Address;
use crate::plan::collection::ItemProblem;

/// A reason to stop before any write. Messages name the resource and the fix; they never hold a
/// secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// `tenant:` in the file names another domain than the one in use.
    #[error(
        "the configuration is for tenant `{expected}` but the domain in use is `{actual}`; \
         no request was sent. Point AUTH0_DOMAIN at `{expected}` or change `tenant:` in the file"
    )]
    TenantMismatch { expected: String, actual: String },
    /// Resources the file manages that the tenant cannot use.
    #[error("{}", UnavailableList(.0))]
    Unavailable(Vec<UnavailableResource>),
    /// The end state requires MFA while no factor is enabled: nobody could log in.
    #[error(
        "the plan would require MFA (policies: [{policies}]) with no factor enabled, so no user \
         could complete a login; enable at least one factor under `factors:` or set `policies: []`"
    )]
    Lockout { policies: String },
    /// The phone provider after this plan cannot deliver a message type the plan offers.
    #[error(
        "`phone.message_types` offers `{message_type}`, but {} `phone.provider` is `{provider}`, \
         which cannot deliver it; no write was sent. Fix: {fix}",
        if *provider_from_file { "the file's" } else { "the tenant's" }
    )]
    Undeliverable {
        provider: String,
        message_type: String,
        /// Whether the provider comes from the file (else the message types do).
        provider_from_file: bool,
        /// What to change in the file.
        fix: String,
    },
    /// The MFA session's inactivity timeout after this plan would exceed its overall timeout,
    /// which Auth0 refuses (400 "mfa_session_inactivity_timeout cannot exceed
    /// mfa_session_overall_timeout").
    #[error(
        "`mfa_session.inactivity_timeout` would be {inactivity} seconds and \
         `mfa_session.overall_timeout` {overall} seconds after this plan (the file sets \
         `{from_file}`, the tenant has the other); Auth0 refuses an inactivity timeout longer \
         than the overall one, so no write was sent. Fix: {fix}"
    )]
    SessionTimeouts {
        inactivity: u64,
        overall: u64,
        /// The key the file sets.
        from_file: &'static str,
        /// What to change in the file.
        fix: String,
    },
    /// Items of a collection (users' methods) the plan cannot act on: one that matches several
    /// live items, or one to create whose personal data the file gives masked.
    #[error("{}", ItemList(.0))]
    Items(Vec<ItemProblem>),
    /// Legacy Guardian phone settings on a tenant on the consolidated phone experience.
    #[error("{}", LegacyMoves(.moves))]
    LegacyPhone {
        /// (the file's key, where it belongs now)
        moves: Vec<(String, String)>,
    },
}

struct ItemList<'a>(&'a [ItemProblem]);

impl fmt::Display for ItemList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.0.len();
        let noun = if count == 1 { "method" } else { "methods" };
        write!(
            f,
            "the plan cannot act on {count} {noun} of the file; no write was sent:"
        )?;
        for item in self.0 {
            write!(
                f,
                "\n  - `{}` {}. Fix: {}",
                item.address, item.problem, item.fix
            )?;
        }
        Ok(())
    }
}

struct LegacyMoves<'a>(&'a [(String, String)]);

impl fmt::Display for LegacyMoves<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "this tenant uses the consolidated phone experience (Tenant Phone Settings), which \
             refuses the legacy Guardian phone settings the file manages; no write was sent. \
             Move these keys:"
        )?;
        for (from, to) in self.0 {
            write!(f, "\n  - `{from}` -> {to}")?;
        }
        write!(
            f,
            "\nand give `tenant_phone.provider` its `delivery_methods` (`text` for sms, `voice` \
             for voice). `mfactl export` writes this tenant's current settings in that form."
        )
    }
}

/// One managed resource the tenant refused (403 entitlement or legacy refusal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnavailableResource {
    pub address: Address,
    /// HTTP status of the refusal.
    pub status: u16,
    /// Auth0's `errorCode`.
    pub error_code: String,
    /// Auth0's `message`.
    pub message: String,
    /// What to change in the config file.
    pub fix: String,
}

struct UnavailableList<'a>(&'a [UnavailableResource]);

impl fmt::Display for UnavailableList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.0.len();
        let noun = if count == 1 { "resource" } else { "resources" };
        write!(
            f,
            "the configuration manages {count} {noun} this tenant cannot use:"
        )?;
        for item in self.0 {
            write!(
                f,
                "\n  - `{}`: {} {} ({}). Fix: {}",
                item.address, item.status, item.error_code, item.message, item.fix
            )?;
        }
        Ok(())
    }
}
