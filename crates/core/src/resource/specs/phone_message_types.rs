//! `phone.message_types`: how the phone factor delivers codes.
//! `GET/PUT /guardian/factors/phone/message-types` `{"message_types": [...]}`; both answer 404
//! "The phone factor does not exist." until the sms factor was enabled once.

use crate::model::MessageType;
use crate::plan::Stage;
use crate::resource::{
    ActionRule, ExportRule, FieldSpec, PhoneScope, ReadSpec, ResourceSpec, Shape, StageRule,
    WriteSpec,
};

const PATH: &str = "/guardian/factors/phone/message-types";

pub static PHONE_MESSAGE_TYPES: ResourceSpec = ResourceSpec {
    doc: "How codes are delivered: `sms`, `voice` or both.",
    shape: Shape::Value,
    stage: StageRule::Fixed(Stage::PhoneMessageTypes),
    action: ActionRule::Selection,
    phone: PhoneScope::Any,
    export: ExportRule::Always,
    ..ResourceSpec::new(
        "phone.message_types",
        &["phone", "message_types"],
        Some(ReadSpec::get(PATH, "read:guardian_factors").not_found_is_empty()),
        WriteSpec::put(PATH, "update:guardian_factors"),
        &[FieldSpec::set_of("message_types", &MessageType::INFO)],
    )
};
