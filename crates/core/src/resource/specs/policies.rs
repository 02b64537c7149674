//! `policies`: when the tenant asks for MFA. `GET/PUT /guardian/policies`, a bare array.

use crate::model::Policy;
use crate::plan::Stage;
use crate::resource::{
    ActionRule, ExportRule, FieldSpec, ReadSpec, ResourceSpec, SectionCheck, Shape, StageRule,
    WriteSpec,
};

const PATH: &str = "/guardian/policies";

pub static POLICIES: ResourceSpec = ResourceSpec {
    doc: "When MFA is required: `[]` never, `[all-applications]` on every login,\n\
          `[confidence-score]` only when Adaptive MFA judges the login risky. At most one.",
    shape: Shape::Value,
    stage: StageRule::Fixed(Stage::Policies),
    action: ActionRule::Requirement,
    export: ExportRule::Always,
    validate: Some(at_most_one),
    ..ResourceSpec::new(
        "policies",
        &["policies"],
        Some(ReadSpec::get(PATH, "read:mfa_policies")),
        WriteSpec::put(PATH, "update:mfa_policies"),
        &[FieldSpec::set_of("policies", &Policy::INFO)
            .api("")
            .max_items(1)],
    )
};

/// The API takes one policy at most.
fn at_most_one(check: &mut SectionCheck<'_, '_>) {
    for span in check.set_items_after("policies", 1) {
        check.error("at most one policy can be set", span).help =
            Some("use `[all-applications]` (always) or `[confidence-score]` (Adaptive MFA)".into());
    }
}
