//! The plans of several tenants made in one run: each tenant's plan or the error that stopped
//! it, and what they add up to (the summary table's rows, the exit code).

use crate::plan::{EXIT_CHANGES, EXIT_NO_CHANGES, Plan};

/// The exit code of `plan --detailed-exitcode` when a tenant could not be planned.
pub const EXIT_ERROR: i32 = 1;

/// Why one tenant has no plan. Never holds a secret: the client and the loaders scrub what
/// they pass up, and every output is scrubbed again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantError {
    /// A few words for the summary table: `access token refused (401 Unauthorized)`.
    pub summary: String,
    /// The whole message, with what to check, for the tenant's own section.
    pub message: String,
}

impl TenantError {
    /// An error whose summary is the first sentence of its message.
    pub fn new(message: impl Into<String>) -> Self {
        let message = message.into();
        TenantError {
            summary: first_sentence(&message),
            message,
        }
    }
}

/// One tenant's part of the run.
#[derive(Debug, Clone, PartialEq)]
pub struct TenantPlan {
    /// The tenant's name in the tenants file.
    pub name: String,
    /// The domain in use, as plans name the tenant.
    pub domain: String,
    pub result: Result<Plan, TenantError>,
}

impl TenantPlan {
    /// The changes, when the tenant was planned.
    pub fn changes(&self) -> Option<usize> {
        self.result.as_ref().ok().map(|p| p.changes.len())
    }

    /// The dangerous changes, when the tenant was planned.
    pub fn dangerous(&self) -> Option<usize> {
        self.result.as_ref().ok().map(Plan::dangerous_count)
    }

    /// The error, when the tenant could not be planned.
    pub fn error(&self) -> Option<&TenantError> {
        self.result.as_ref().err()
    }

    /// A few words on the outcome: `no changes`, `3 to change (1 dangerous)`, `error`.
    pub fn headline(&self) -> String {
        match &self.result {
            Ok(plan) if plan.is_empty() => "no changes".to_string(),
            Ok(plan) => match plan.dangerous_count() {
                0 => format!("{} to change", plan.changes.len()),
                d => format!("{} to change ({d} dangerous)", plan.changes.len()),
            },
            Err(_) => "error".to_string(),
        }
    }
}

/// Every tenant's plan, in the tenants file's order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FleetPlan {
    pub tenants: Vec<TenantPlan>,
}

impl FleetPlan {
    /// The tenants that could not be planned.
    pub fn failed(&self) -> impl Iterator<Item = &TenantPlan> {
        self.tenants.iter().filter(|t| t.result.is_err())
    }

    /// The tenants whose plan has changes.
    pub fn with_changes(&self) -> impl Iterator<Item = &TenantPlan> {
        self.tenants.iter().filter(|t| t.changes().unwrap_or(0) > 0)
    }

    /// Changes over every tenant planned.
    pub fn total_changes(&self) -> usize {
        self.tenants.iter().filter_map(TenantPlan::changes).sum()
    }

    /// Dangerous changes over every tenant planned.
    pub fn total_dangerous(&self) -> usize {
        self.tenants.iter().filter_map(TenantPlan::dangerous).sum()
    }

    /// The exit code of `plan --detailed-exitcode`: 1 when any tenant errored, else 2 when any
    /// has changes, else 0.
    pub fn detailed_exit_code(&self) -> i32 {
        if self.failed().next().is_some() {
            EXIT_ERROR
        } else if self.with_changes().next().is_some() {
            EXIT_CHANGES
        } else {
            EXIT_NO_CHANGES
        }
    }

    /// `4 tenants: 1 with changes, 1 unchanged, 2 failed` (parts that count 0 left out), or
    /// `3 tenants: no changes`.
    pub fn headline(&self) -> String {
        let total = self.tenants.len();
        let changed = self.with_changes().count();
        let failed = self.failed().count();
        let unchanged = total - changed - failed;
        let noun = if total == 1 { "tenant" } else { "tenants" };
        if changed == 0 && failed == 0 {
            return format!("{total} {noun}: no changes");
        }
        let mut parts = Vec::new();
        if changed > 0 {
            parts.push(format!("{changed} with changes"));
        }
        if unchanged > 0 {
            parts.push(format!("{unchanged} unchanged"));
        }
        if failed > 0 {
            parts.push(format!("{failed} failed"));
        }
        format!("{total} {noun}: {}", parts.join(", "))
    }
}

/// The first sentence of `message`: up to the first `. ` outside parentheses (an API's own
/// message in parentheses may hold full stops), without its full stop.
pub fn first_sentence(message: &str) -> String {
    let mut depth = 0usize;
    let mut chars = message.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            '.' if depth == 0 && chars.peek().is_some_and(|(_, next)| *next == ' ') => {
                return message[..i].to_string();
            }
            '\n' => return message[..i].trim_end_matches('.').to_string(),
            _ => {}
        }
    }
    message.trim_end().trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::fixtures::{fresh_live, full_desired};
    use crate::plan::{DiffOptions, diff};

    fn planned(name: &str, changes: bool) -> TenantPlan {
        let mut plan = diff(
            &full_desired(),
            &fresh_live(),
            &DiffOptions {
                tenant: format!("{name}.example"),
                resend_write_only: false,
            },
        )
        .unwrap();
        if !changes {
            plan.changes.clear();
        }
        TenantPlan {
            name: name.into(),
            domain: format!("{name}.example"),
            result: Ok(plan),
        }
    }

    fn failed(name: &str) -> TenantPlan {
        TenantPlan {
            name: name.into(),
            domain: format!("{name}.example"),
            result: Err(TenantError::new("it broke. Try again.")),
        }
    }

    #[test]
    fn the_exit_code_rolls_up_error_then_changes_then_none() {
        let fleet = |tenants: Vec<TenantPlan>| FleetPlan { tenants };
        assert_eq!(fleet(vec![planned("a", false)]).detailed_exit_code(), 0);
        assert_eq!(
            fleet(vec![planned("a", false), planned("b", true)]).detailed_exit_code(),
            2
        );
        let mixed = fleet(vec![planned("a", false), planned("b", true), failed("c")]);
        assert_eq!(mixed.detailed_exit_code(), 1);
        assert_eq!(
            mixed.headline(),
            "3 tenants: 1 with changes, 1 unchanged, 1 failed"
        );
        assert_eq!(fleet(vec![failed("c")]).headline(), "1 tenant: 1 failed");
        assert_eq!(
            fleet(vec![planned("a", false), planned("b", false)]).headline(),
            "2 tenants: no changes"
        );
    }

    #[test]
    fn first_sentences_skip_full_stops_in_parentheses() {
        assert_eq!(
            first_sentence(
                "acme refused to issue an access token (401 access_denied: Unauthorized.). Check AUTH0_CLIENT_ID."
            ),
            "acme refused to issue an access token (401 access_denied: Unauthorized.)"
        );
        assert_eq!(
            first_sentence("plan is stale; run plan again"),
            "plan is stale; run plan again"
        );
        assert_eq!(first_sentence("one line.\nmore"), "one line");
        assert_eq!(first_sentence("v1.2 is out. Yes"), "v1.2 is out");
    }
}
