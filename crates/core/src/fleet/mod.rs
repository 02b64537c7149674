//! Several tenants in one run: the tenants file, each tenant's `${VAR}`s, the plans of many
//! tenants and what they add up to, a rollout's results, saved plan folders, and the
//! comparison of tenants with each other.
//!
//! Pure, like the rest of the core: the command line reads the files and the tenants and
//! passes what it read in.

pub mod compare;
pub mod outcome;
pub mod plan_set;
pub mod rollout;
pub mod tenant;
pub mod tenants_file;
pub mod variables;

pub use outcome::{FleetPlan, TenantError, TenantPlan};
pub use rollout::{ApplyStatus, Rollout, TenantApply};
pub use tenant::{Tenant, TenantCredentials};
pub use tenants_file::{LoadedTenants, TenantsFile, load_tenants};
pub use variables::MissingVariable;
