//! `mfa_session`: how long an MFA session lasts, and the "remember this device" checkbox.
//! `GET/PUT /guardian/settings`; the PUT wants every field.

use crate::resource::{FieldSpec, ReadSpec, ResourceSpec, SectionCheck, Semantics, WriteSpec};

const PATH: &str = "/guardian/settings";

// Decision: the MFA session settings share the MFA policies' scopes (Auth0's reference pages do
// not name theirs).
pub static MFA_SESSION: ResourceSpec = ResourceSpec {
    schema_name: "MfaSession",
    doc: "How long an MFA session lasts, and the \"remember this device\" checkbox.",
    semantics: Semantics::MergeResendingAll,
    needs_a_field: true,
    validate: Some(validate),
    ..ResourceSpec::new(
        "mfa_session",
        &["mfa_session"],
        Some(ReadSpec::get(PATH, "read:mfa_policies")),
        WriteSpec::put(PATH, "update:mfa_policies"),
        &[
            FieldSpec::bool("display_remember_me_checkbox")
                .doc("Show the \"remember this device\" checkbox on the MFA prompt."),
            FieldSpec::bool("remember_me_default_value")
                .doc("Whether that checkbox starts ticked."),
            FieldSpec::integer("inactivity_timeout", 3600, 2_592_000, "seconds")
                .api("mfa_session_inactivity_timeout")
                .doc(
                    "Seconds of inactivity after which a remembered device must do MFA again\n\
                     (3600 to 2592000).",
                ),
            FieldSpec::integer("overall_timeout", 3600, 7_776_000, "seconds")
                .api("mfa_session_overall_timeout")
                .doc(
                    "Seconds after which a remembered device must do MFA again in any case\n\
                     (3600 to 7776000).",
                ),
        ],
    )
};

fn validate(check: &mut SectionCheck<'_, '_>) {
    if let (Some(inactive), Some(overall)) = (
        check.number("inactivity_timeout"),
        check.number("overall_timeout"),
    ) && inactive > overall
    {
        let span = check.span_of("inactivity_timeout");
        check.warning(
            "`mfa_session.inactivity_timeout` is longer than `overall_timeout`, so it never applies",
            span,
        );
    }
}
