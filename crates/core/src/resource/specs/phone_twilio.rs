//! `phone.twilio`: Twilio credentials of the legacy phone provider.
//! `GET/PUT /guardian/factors/phone/providers/twilio`. The PUT overwrites all four fields (an
//! omitted one reads back `null`); the GET returns `auth_token`.

use crate::model::{MessageType, PhoneProvider};
use crate::resource::specs::twilio_sender;
use crate::resource::{
    FieldSpec, PhoneScope, ReadSpec, ResourceSpec, SectionCheck, Semantics, WriteSpec,
};

const PATH: &str = "/guardian/factors/phone/providers/twilio";

pub static PHONE_TWILIO: ResourceSpec = ResourceSpec {
    schema_name: "Twilio",
    doc: "Twilio account used when `provider` is `twilio` (legacy tenants). Writing it replaces \
          all four values: a key left out becomes empty.",
    semantics: Semantics::Overwrite,
    phone: PhoneScope::Legacy,
    validate: Some(validate),
    ..ResourceSpec::new(
        "phone.twilio",
        &["phone", "twilio"],
        Some(ReadSpec::get(PATH, "read:guardian_factors")),
        WriteSpec::put(PATH, "update:guardian_factors"),
        &[
            FieldSpec::text("sid", 255)
                .required()
                .doc("Twilio account SID (starts with `AC`)."),
            FieldSpec::text("auth_token", 255)
                .sensitive("TWILIO_AUTH_TOKEN")
                .required()
                .doc("Twilio auth token. Secret: write it as `${TWILIO_AUTH_TOKEN}`."),
            FieldSpec::text("from", 255).doc(
                "Sending phone number in E.164 form (`+15550001111`). Set this or \
                 `messaging_service_sid`.",
            ),
            FieldSpec::text("messaging_service_sid", 255)
                .doc("Twilio Messaging Service SID (starts with `MG`). Set this or `from`."),
        ],
    )
};

fn validate(check: &mut SectionCheck<'_, '_>) {
    if let Some(sid) = check.text("sid")
        && !(sid.starts_with("AC") && sid.len() == 34)
    {
        let span = check.span_of("sid");
        check
            .warning(
                "`phone.twilio.sid` does not look like a Twilio account SID",
                span,
            )
            .help = Some("account SIDs start with `AC` and have 34 characters".into());
    }
    // Voice calls go out through Twilio only when Twilio is (or may be) the provider.
    let state = check.state();
    let voice = state
        .message_types()
        .is_some_and(|t| t.contains(&MessageType::Voice))
        && state
            .phone_provider()
            .is_none_or(|p| p == PhoneProvider::Twilio);
    twilio_sender::check(check, "from", "messaging_service_sid", voice);
}
