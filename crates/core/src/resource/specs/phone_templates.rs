//! `phone.templates`: the legacy phone factor's message templates.
//! `GET/PUT /guardian/factors/phone/templates`; the PUT takes both messages.

use crate::resource::template::mentions_code;
use crate::resource::{
    FieldSpec, PhoneScope, ReadSpec, ResourceSpec, SectionCheck, Semantics, WriteSpec,
};

const PATH: &str = "/guardian/factors/phone/templates";

pub static PHONE_TEMPLATES: ResourceSpec = ResourceSpec {
    schema_name: "PhoneTemplates",
    doc: "Message templates (legacy tenants). Both must contain `{{code}}` (or Liquid's \
          `{{ code }}`), which is replaced by the one-time code.",
    semantics: Semantics::MergeResendingAll,
    phone: PhoneScope::Legacy,
    validate: Some(validate),
    ..ResourceSpec::new(
        "phone.templates",
        &["phone", "templates"],
        Some(ReadSpec::get(PATH, "read:guardian_factors")),
        WriteSpec::put(PATH, "update:guardian_factors"),
        &[
            FieldSpec::text("enrollment_message", 1000)
                .template()
                .required()
                .doc("Message sent while a user enrolls the phone factor."),
            FieldSpec::text("verification_message", 1000)
                .template()
                .required()
                .doc("Message sent at each login."),
        ],
    )
};

fn validate(check: &mut SectionCheck<'_, '_>) {
    for key in ["enrollment_message", "verification_message"] {
        if let Some(text) = check.text(key)
            && !mentions_code(text)
        {
            let span = check.span_of(key);
            check
                .warning(
                    format!("`phone.templates.{key}` does not contain `{{{{code}}}}`"),
                    span,
                )
                .help = Some("without `{{code}}` users never see their one-time code".into());
        }
    }
}
