//! `webauthn_roaming`: WebAuthn with security keys.
//! `GET/PUT /guardian/factors/webauthn-roaming/settings` (camelCase JSON keys).

use crate::model::{Factor, UserVerification};
use crate::resource::specs::relying_party;
use crate::resource::{FieldSpec, ReadSpec, ResourceSpec, WriteSpec};

const PATH: &str = "/guardian/factors/webauthn-roaming/settings";

pub static WEBAUTHN_ROAMING: ResourceSpec = ResourceSpec {
    schema_name: "WebAuthnRoaming",
    doc: "WebAuthn with security keys (`webauthn-roaming`).",
    factor: Some(Factor::WebauthnRoaming),
    validate: Some(relying_party::check),
    export_fix: Some(relying_party::export_fix),
    ..ResourceSpec::new(
        "webauthn_roaming",
        &["webauthn_roaming"],
        Some(ReadSpec::get(PATH, "read:guardian_factors")),
        WriteSpec::put(PATH, "update:guardian_factors"),
        &[
            FieldSpec::one_of("user_verification", &UserVerification::INFO)
                .api("userVerification")
                .doc("Whether the key must verify the user (PIN or biometrics)."),
            relying_party::OVERRIDE,
            relying_party::IDENTIFIER,
        ],
    )
};
