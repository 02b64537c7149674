//! `factors.<name>`: each factor's on/off switch. One `GET /guardian/factors` lists them all;
//! `PUT /guardian/factors/{name}` `{"enabled": b}` writes one.

use crate::model::Factor;
use crate::resource::{
    ActionRule, ExportRule, Extract, FieldSpec, Keys, ReadSpec, ResourceSpec, Shape, StageRule,
    WriteSpec,
};

pub static FACTORS: ResourceSpec = ResourceSpec {
    schema_name: "Factors",
    doc: "Which factors are enabled. Only the factors listed here are managed: `true` enables a \
          factor, `false` disables it; a factor not listed is left as it is.",
    shape: Shape::Value,
    keys: Keys::Fixed(&Factor::INFO),
    stage: StageRule::BySwitch,
    action: ActionRule::Switch,
    export: ExportRule::Always,
    ..ResourceSpec::new(
        "factors",
        &["factors"],
        Some(
            ReadSpec::get("/guardian/factors", "read:guardian_factors").extract(Extract::Entry {
                list: None,
                key_field: "name",
            }),
        ),
        WriteSpec::put("/guardian/factors/{key}", "update:guardian_factors"),
        &[FieldSpec::bool("enabled")],
    )
};
