//! `webauthn_platform`: WebAuthn with device biometrics.
//! `GET/PUT /guardian/factors/webauthn-platform/settings` (camelCase JSON keys).

use crate::model::Factor;
use crate::resource::specs::relying_party;
use crate::resource::{ReadSpec, ResourceSpec, WriteSpec};

const PATH: &str = "/guardian/factors/webauthn-platform/settings";

pub static WEBAUTHN_PLATFORM: ResourceSpec = ResourceSpec {
    schema_name: "WebAuthnPlatform",
    doc: "WebAuthn with device biometrics (`webauthn-platform`).",
    factor: Some(Factor::WebauthnPlatform),
    validate: Some(relying_party::check),
    export_fix: Some(relying_party::export_fix),
    ..ResourceSpec::new(
        "webauthn_platform",
        &["webauthn_platform"],
        Some(ReadSpec::get(PATH, "read:guardian_factors")),
        WriteSpec::put(PATH, "update:guardian_factors"),
        &[relying_party::OVERRIDE, relying_party::IDENTIFIER],
    )
};
