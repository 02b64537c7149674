//! `tenant_phone.templates.<type>`: Tenant Phone Settings message templates, one per type.
//! `GET /branding/phone/templates` lists them all; one is created with
//! `POST /branding/phone/templates` (with its `type`) and updated with
//! `PATCH /branding/phone/templates/{id}`.

use crate::model::PhoneTemplateType;
use crate::resource::template::mentions_code;
use crate::resource::{
    Extract, FieldSpec, Keys, PhoneScope, ReadSpec, ResourceSpec, SectionCheck, WriteSpec,
};

const PATH: &str = "/branding/phone/templates";

pub static TENANT_PHONE_TEMPLATES: ResourceSpec = ResourceSpec {
    schema_name: "TenantPhoneTemplate",
    doc: "Message templates by type. Only the types listed here are managed. Liquid syntax: \
          `{{ code }}` is the one-time code.",
    keys: Keys::Fixed(&PhoneTemplateType::INFO),
    phone: PhoneScope::TenantPhone,
    needs_a_field: true,
    validate: Some(validate),
    ..ResourceSpec::new(
        "tenant_phone.templates",
        &["tenant_phone", "templates"],
        Some(
            ReadSpec::get(PATH, "read:phone_templates").extract(Extract::Entry {
                list: Some("templates"),
                key_field: "type",
            }),
        ),
        WriteSpec::create_or_patch(
            PATH,
            "create:phone_templates",
            "update:phone_templates",
            Some("type"),
        ),
        &[
            FieldSpec::bool("disabled").doc("`true` to stop sending this message."),
            FieldSpec::text("from", 255)
                .api("content.from")
                .doc("The sender shown to users; the provider's default when unset."),
            FieldSpec::text("text", 1000)
                .api("content.body.text")
                .template()
                .doc("The text message."),
            FieldSpec::text("voice", 1000)
                .api("content.body.voice")
                .template()
                .doc("What a voice call says."),
        ],
    )
};

fn validate(check: &mut SectionCheck<'_, '_>) {
    let needs_code = matches!(
        check.key_name().and_then(PhoneTemplateType::parse),
        Some(
            PhoneTemplateType::OtpVerify
                | PhoneTemplateType::OtpEnroll
                | PhoneTemplateType::ChangePassword
        )
    );
    if !needs_code {
        return;
    }
    let path = check.path().to_string();
    for key in ["text", "voice"] {
        if let Some(body) = check.text(key)
            && !mentions_code(body)
        {
            let span = check.span_of(key);
            check
                .warning(
                    format!("`{path}.{key}` does not contain `{{{{ code }}}}`"),
                    span,
                )
                .help = Some("without `{{ code }}` users never see their one-time code".into());
        }
    }
}
