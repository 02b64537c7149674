//! `push.provider`: who delivers push notifications.
//! `GET/PUT /guardian/factors/push-notification/selected-provider` `{"provider": …}`.

use crate::model::PushProvider;
use crate::plan::Stage;
use crate::resource::{
    ActionRule, ExportRule, FieldSpec, ReadSpec, ResourceSpec, Shape, StageRule, WriteSpec,
};

const PATH: &str = "/guardian/factors/push-notification/selected-provider";

pub static PUSH_PROVIDER: ResourceSpec = ResourceSpec {
    doc: "Who delivers notifications: `guardian` (the Auth0 Guardian app), `sns` (Amazon SNS) or\n\
          `direct` (APNs and FCM, for your own app).",
    shape: Shape::Value,
    stage: StageRule::Fixed(Stage::SelectProviders),
    action: ActionRule::Selection,
    export: ExportRule::Always,
    ..ResourceSpec::new(
        "push.provider",
        &["push", "provider"],
        Some(ReadSpec::get(PATH, "read:guardian_factors")),
        WriteSpec::put(PATH, "update:guardian_factors"),
        &[FieldSpec::one_of("provider", &PushProvider::INFO)],
    )
};
