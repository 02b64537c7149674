//! `duo`: Duo Security settings. `GET/PUT /guardian/factors/duo/settings`; the GET returns
//! `skey`, so it is compared (never shown).

use crate::model::Factor;
use crate::resource::{FieldSpec, ReadSpec, ResourceSpec, SectionCheck, WriteSpec};

const PATH: &str = "/guardian/factors/duo/settings";

pub static DUO: ResourceSpec = ResourceSpec {
    schema_name: "Duo",
    doc: "Duo Security settings.",
    factor: Some(Factor::Duo),
    validate: Some(validate),
    ..ResourceSpec::new(
        "duo",
        &["duo"],
        Some(ReadSpec::get(PATH, "read:guardian_factors")),
        WriteSpec::put(PATH, "update:guardian_factors"),
        &[
            FieldSpec::text("ikey", 255)
                .required()
                .doc("Duo integration key."),
            FieldSpec::text("skey", 255)
                .sensitive("DUO_SECRET_KEY")
                .required()
                .doc("Duo secret key. Secret: write it as `${DUO_SECRET_KEY}`."),
            FieldSpec::text("host", 255)
                .required()
                .doc("Duo API host name, e.g. `api-1234abcd.duosecurity.com`."),
        ],
    )
};

fn validate(check: &mut SectionCheck<'_, '_>) {
    if let Some(host) = check.text("host")
        && (host.contains("://") || host.contains('/'))
    {
        let span = check.span_of("host");
        check
            .error("`duo.host` must be a host name, not a URL", span)
            .help = Some("write it as `api-1234abcd.duosecurity.com`".into());
    }
}
