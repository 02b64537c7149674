//! `phone.provider`: who sends the phone factor's messages on legacy tenants.
//! `GET/PUT /guardian/factors/phone/selected-provider` `{"provider": …}`.

use crate::model::PhoneProvider;
use crate::plan::Stage;
use crate::resource::{
    ActionRule, ExportRule, FieldSpec, PhoneScope, ReadSpec, ResourceSpec, Shape, StageRule,
    WriteSpec,
};

const PATH: &str = "/guardian/factors/phone/selected-provider";

pub static PHONE_PROVIDER: ResourceSpec = ResourceSpec {
    doc: "Who sends the messages (legacy tenants only; tenants on the consolidated phone\n\
          experience use Tenant Phone Settings instead).",
    shape: Shape::Value,
    stage: StageRule::Fixed(Stage::SelectProviders),
    action: ActionRule::Selection,
    phone: PhoneScope::Legacy,
    export: ExportRule::Always,
    ..ResourceSpec::new(
        "phone.provider",
        &["phone", "provider"],
        Some(ReadSpec::get(PATH, "read:guardian_factors")),
        WriteSpec::put(PATH, "update:guardian_factors"),
        &[FieldSpec::one_of("provider", &PhoneProvider::INFO)],
    )
};
