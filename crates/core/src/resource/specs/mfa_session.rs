//! `mfa_session`: how long an MFA session lasts, and the "remember this device" checkbox.
//! `GET/PUT /guardian/settings`; the PUT wants every field.

use crate::resource::{FieldSpec, ReadSpec, ResourceSpec, SectionCheck, Semantics, WriteSpec};

const PATH: &str = "/guardian/settings";

/// The config key of the inactivity timeout (seconds).
pub const INACTIVITY: &str = "inactivity_timeout";
/// The config key of the overall timeout (seconds).
pub const OVERALL: &str = "overall_timeout";

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
            FieldSpec::integer(INACTIVITY, 3600, 2_592_000, "seconds")
                .api("mfa_session_inactivity_timeout")
                .doc(
                    "Seconds of inactivity after which a remembered device must do MFA again\n\
                     (3600 to 2592000).",
                ),
            FieldSpec::integer(OVERALL, 3600, 7_776_000, "seconds")
                .api("mfa_session_overall_timeout")
                .doc(
                    "Seconds after which a remembered device must do MFA again in any case\n\
                     (3600 to 7776000).",
                ),
        ],
    )
};

/// Auth0 refuses an inactivity timeout longer than the overall one (400 "Payload validation
/// error: 'mfa_session_inactivity_timeout cannot exceed mfa_session_overall_timeout'", the
/// Management API reference; the emulator answers the same). With both in the file this is an
/// error here; with one, the plan checks it against the tenant's other value
/// ([`crate::plan::preconditions::check_session_timeouts`]).
fn validate(check: &mut SectionCheck<'_, '_>) {
    if let (Some(inactive), Some(overall)) = (check.number(INACTIVITY), check.number(OVERALL))
        && inactive > overall
    {
        let span = check.span_of(INACTIVITY);
        check
            .error(
                format!(
                    "`mfa_session.{INACTIVITY}` ({inactive} seconds) is longer than \
                     `{OVERALL}` ({overall} seconds); Auth0 refuses this"
                ),
                span,
            )
            .help = Some(format!(
            "set `{INACTIVITY}` to at most `{OVERALL}` ({overall}), or raise `{OVERALL}`"
        ));
    }
}
