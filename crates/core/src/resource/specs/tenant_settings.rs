//! `tenant_settings`: MFA-related tenant settings. `GET/PATCH /tenants/settings`; only the keys
//! the file sets are sent, and flags never set read as `false`.

use crate::resource::{Constant, FieldSpec, Fingerprint, ReadSpec, ResourceSpec, WriteSpec};

/// `GET /tenants/settings`: also where the tenant's phone kind is read.
pub const PATH: &str = "/tenants/settings";

pub static TENANT_SETTINGS: ResourceSpec = ResourceSpec {
    schema_name: "TenantSettings",
    doc: "MFA-related tenant settings. Only the keys written here are ever sent.",
    needs_a_field: true,
    ..ResourceSpec::new(
        "tenant_settings",
        &["tenant_settings"],
        Some(ReadSpec::get(PATH, "read:tenant_settings").fingerprint(Fingerprint::Fields)),
        WriteSpec::patch(PATH, "update:tenant_settings"),
        &[
            FieldSpec::bool("customize_mfa_in_postlogin_action")
                .reads_as(Constant::Bool(false))
                .doc("Let a post-login Action customise the MFA flow (choose factors, skip MFA)."),
            FieldSpec::bool("mfa_show_factor_list_on_enrollment")
                .api("flags.mfa_show_factor_list_on_enrollment")
                .reads_as(Constant::Bool(false))
                .doc("Let users pick a factor from a list while enrolling."),
        ],
    )
};
