//! The WebAuthn relying-party rule both WebAuthn factors share: `relying_party_identifier` is
//! used exactly when `override_relying_party` is `true`.

use crate::model::Values;
use crate::resource::{FieldSpec, SectionCheck};

/// `override_relying_party` and `relying_party_identifier`, with the API's camelCase keys.
pub(crate) const OVERRIDE: FieldSpec = FieldSpec::bool("override_relying_party")
    .api("overrideRelyingParty")
    .doc("`true` to use `relying_party_identifier` instead of the tenant's domain.");
pub(crate) const IDENTIFIER: FieldSpec = FieldSpec::text("relying_party_identifier", 255)
    .api("relyingPartyIdentifier")
    .doc("The relying party identifier; only with `override_relying_party: true`.");

pub(crate) fn check(check: &mut SectionCheck<'_, '_>) {
    let path = check.path().to_string();
    let override_rp = check.bool("override_relying_party");
    let identifier = check.is_present("relying_party_identifier");
    match (override_rp, identifier) {
        (Some(true), false) => {
            let span = check.span_of("override_relying_party");
            check
                .error(
                    format!(
                        "`{path}.override_relying_party: true` needs `relying_party_identifier`"
                    ),
                    span,
                )
                .help =
                Some("add the domain to use, e.g. `relying_party_identifier: acme.com`".into());
        }
        (Some(false) | None, true) => {
            let span = check.span_of("relying_party_identifier");
            check
                .error(
                    format!("`{path}.relying_party_identifier` is only used with `override_relying_party: true`"),
                    span,
                )
                .help = Some("set `override_relying_party: true`, or remove the identifier".into());
        }
        _ => {}
    }
}

/// An identifier the tenant keeps while `override_relying_party` is off is not used, and the
/// config file may not set it: export leaves it out.
pub(crate) fn export_fix(values: &mut Values) {
    if values.bool("override_relying_party") != Some(true) {
        values.fields.remove("relying_party_identifier");
    }
}
