//! The plan: what apply will write, in which order, and why it is safe.
//!
//! Everything here is pure: [`diff`] compares a desired [`crate::model::MfaState`] with a
//! [`crate::live::LiveTenant`] and returns a [`Plan`]; the renderers in [`crate::render`] print
//! it; [`saved`] turns it into a plan file that holds no secret.

pub mod change;
pub mod collection;
pub mod diff;
pub mod error;
pub mod fix;
pub mod preconditions;
pub mod record;
pub mod requests;
pub mod safety;
pub mod saved;
pub mod scopes;
pub mod stage;
pub mod warning;

#[cfg(test)]
pub(crate) mod fixtures;
#[cfg(test)]
pub(crate) mod readback;

pub use change::{Action, Change, FieldChange, FieldKind, Wave};
pub use collection::ItemProblem;
pub use diff::{DiffOptions, diff};
pub use error::{PlanError, UnavailableResource};
pub use safety::check_tenant;
pub use stage::Stage;
pub use warning::{FilePosition, Warning, WarningSource};

use crate::model::Address;

/// The exit code of `plan --detailed-exitcode` when the plan is empty.
pub const EXIT_NO_CHANGES: i32 = 0;
/// The exit code of `plan --detailed-exitcode` when the plan has changes.
pub const EXIT_CHANGES: i32 = 2;

/// What apply would do to a tenant.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The tenant the plan is for (the domain in use), shown in every format.
    pub tenant: String,
    /// The changes, ordered by stage and then by address.
    pub changes: Vec<Change>,
    /// Write-only values the plan cannot compare, whether or not they are sent.
    pub unverifiable: Vec<Unverifiable>,
    /// Things the user should know that do not stop the plan, config warnings first (shown in
    /// every format; the human plan leaves config warnings to the diagnostics on stderr).
    pub warnings: Vec<Warning>,
}

/// Write-only values of one resource that the API never returns, so the plan cannot tell
/// whether the tenant holds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unverifiable {
    pub address: Address,
    /// Config keys of the write-only values the file sets.
    pub fields: Vec<&'static str>,
    /// Whether this plan sends them (the resource is written for another reason, the push
    /// provider switches to it, or `--resend-write-only`).
    pub sent: bool,
    /// Instead of write-only: the fields are read back masked (a user's phone number or email,
    /// `XXXXXXXX4567`), so only their masked forms were compared, and a value that masks alike
    /// reads the same. Never sent again.
    pub masked: bool,
}

impl Plan {
    /// Whether the tenant already matches the configuration.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The changes apply refuses without `--allow-dangerous`.
    pub fn dangerous_changes(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(|c| c.is_dangerous())
    }

    /// How many changes are dangerous.
    pub fn dangerous_count(&self) -> usize {
        self.dangerous_changes().count()
    }

    /// The changes grouped by stage, in the order apply runs them; empty stages are left out.
    pub fn stages(&self) -> Vec<(Stage, Vec<&Change>)> {
        Stage::ALL
            .iter()
            .map(|stage| {
                let changes: Vec<&Change> =
                    self.changes.iter().filter(|c| c.stage == *stage).collect();
                (*stage, changes)
            })
            .filter(|(_, changes)| !changes.is_empty())
            .collect()
    }

    /// The exit code of `plan --detailed-exitcode` for a plan that was made: 0 when there is
    /// nothing to change, 2 otherwise. (Errors exit 1.)
    pub fn detailed_exit_code(&self) -> i32 {
        if self.is_empty() {
            EXIT_NO_CHANGES
        } else {
            EXIT_CHANGES
        }
    }

    /// The closing line of the human plan: `Plan: N to change.`, with `(M dangerous)` before
    /// the full stop when some are, or the no-changes sentence.
    pub fn summary(&self) -> String {
        if self.is_empty() {
            return "No changes. The tenant matches the configuration.".to_string();
        }
        let count = self.changes.len();
        match self.dangerous_count() {
            0 => format!("Plan: {count} to change."),
            dangerous => format!("Plan: {count} to change ({dangerous} dangerous)."),
        }
    }
}
