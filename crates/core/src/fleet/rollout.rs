//! Applying several tenants: what became of each, in the tenants file's order.
//!
//! A progressive rollout applies one tenant after another and stops at the first tenant whose
//! apply fails or whose tenant does not match the file afterwards; the later ones are not
//! attempted. `--parallel` applies every tenant at once, so none is left out.

/// What became of one tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApplyStatus {
    /// Its plan was empty: nothing was sent.
    Unchanged,
    /// Every change was applied and the tenant now matches the file.
    Applied { changes: usize },
    /// A request failed, or the tenant could not be reached or re-read: the apply report's
    /// summary or the error.
    Failed { reason: String },
    /// Every request succeeded, but the tenant still differs from the file at these addresses.
    NotVerified { addresses: Vec<String> },
    /// Not started: an earlier tenant of a progressive rollout failed.
    NotAttempted,
}

impl ApplyStatus {
    /// Whether a progressive rollout stops after this tenant.
    pub fn stops_rollout(&self) -> bool {
        matches!(
            self,
            ApplyStatus::Failed { .. } | ApplyStatus::NotVerified { .. }
        )
    }

    /// The word the result table shows.
    pub fn label(&self) -> &'static str {
        match self {
            ApplyStatus::Unchanged => "unchanged",
            ApplyStatus::Applied { .. } => "applied",
            ApplyStatus::Failed { .. } => "failed",
            ApplyStatus::NotVerified { .. } => "not verified",
            ApplyStatus::NotAttempted => "not attempted",
        }
    }

    /// What the result table says beside the label.
    pub fn detail(&self) -> String {
        match self {
            ApplyStatus::Unchanged => "no changes".to_string(),
            ApplyStatus::Applied { changes } => {
                let noun = if *changes == 1 { "change" } else { "changes" };
                format!("{changes} {noun}, verified")
            }
            ApplyStatus::Failed { reason } => reason.clone(),
            ApplyStatus::NotVerified { addresses } => {
                format!("still differs at {}", addresses.join(", "))
            }
            ApplyStatus::NotAttempted => "an earlier tenant failed".to_string(),
        }
    }
}

/// One tenant's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantApply {
    pub name: String,
    pub status: ApplyStatus,
}

/// Every tenant's result, in the tenants file's order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rollout {
    pub tenants: Vec<TenantApply>,
}

impl Rollout {
    /// Whether every tenant ended applied or unchanged.
    pub fn succeeded(&self) -> bool {
        self.tenants.iter().all(|t| {
            matches!(
                t.status,
                ApplyStatus::Applied { .. } | ApplyStatus::Unchanged
            )
        })
    }

    /// The tenants that failed or did not verify.
    pub fn stopped(&self) -> Vec<&str> {
        self.names(ApplyStatus::stops_rollout)
    }

    /// The tenants that were not attempted.
    pub fn not_attempted(&self) -> Vec<&str> {
        self.names(|s| *s == ApplyStatus::NotAttempted)
    }

    fn names(&self, wanted: impl Fn(&ApplyStatus) -> bool) -> Vec<&str> {
        self.tenants
            .iter()
            .filter(|t| wanted(&t.status))
            .map(|t| t.name.as_str())
            .collect()
    }

    /// The sentence an unsuccessful rollout ends with (`None` when it succeeded).
    pub fn failure_message(&self) -> Option<String> {
        if self.succeeded() {
            return None;
        }
        let stopped = self.stopped().join(", ");
        let skipped = self.not_attempted();
        let mut text = format!("apply did not complete for {stopped}");
        if !skipped.is_empty() {
            text.push_str(&format!(
                "; not attempted: {} (a rollout stops at the first tenant that fails)",
                skipped.join(", ")
            ));
        }
        text.push_str(". Fix the cause and run apply again: every write is idempotent, so it picks up where this one stopped");
        Some(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rollout(statuses: &[(&str, ApplyStatus)]) -> Rollout {
        Rollout {
            tenants: statuses
                .iter()
                .map(|(name, status)| TenantApply {
                    name: name.to_string(),
                    status: status.clone(),
                })
                .collect(),
        }
    }

    #[test]
    fn a_stopped_rollout_names_where_it_stopped_and_what_was_left() {
        let done = rollout(&[
            ("dev", ApplyStatus::Applied { changes: 2 }),
            ("staging", ApplyStatus::Unchanged),
        ]);
        assert!(done.succeeded());
        assert_eq!(done.failure_message(), None);
        let stopped = rollout(&[
            ("dev", ApplyStatus::Applied { changes: 2 }),
            (
                "staging",
                ApplyStatus::NotVerified {
                    addresses: vec!["factors.otp".into()],
                },
            ),
            ("prod", ApplyStatus::NotAttempted),
        ]);
        assert!(!stopped.succeeded());
        assert_eq!(
            stopped.failure_message().unwrap(),
            "apply did not complete for staging; not attempted: prod (a rollout stops at the first tenant that fails). Fix the cause and run apply again: every write is idempotent, so it picks up where this one stopped"
        );
        assert!(ApplyStatus::Failed { reason: "x".into() }.stops_rollout());
        assert!(!ApplyStatus::Unchanged.stops_rollout());
    }
}
