//! `tenant_phone.provider`: the tenant's phone provider in Tenant Phone Settings (the
//! consolidated phone experience). `GET /branding/phone/providers` lists at most one; it is
//! created with `POST /branding/phone/providers` and updated with
//! `PATCH /branding/phone/providers/{id}`. Credentials are write-only.

use crate::model::{DeliveryMethod, TenantPhoneProviderName};
use crate::resource::specs::twilio_sender;
use crate::resource::{
    Constant, Extract, FieldSpec, PhoneScope, ReadSpec, ResourceSpec, SectionCheck, Semantics,
    WriteSpec,
};

const PATH: &str = "/branding/phone/providers";

pub static TENANT_PHONE_PROVIDER: ResourceSpec = ResourceSpec {
    schema_name: "TenantPhoneProvider",
    doc: "The tenant's one phone provider. mfactl creates it when the tenant has none.",
    semantics: Semantics::Overwrite,
    phone: PhoneScope::TenantPhone,
    validate: Some(validate),
    ..ResourceSpec::new(
        "tenant_phone.provider",
        &["tenant_phone", "provider"],
        Some(
            ReadSpec::get(PATH, "read:phone_providers")
                .extract(Extract::First { list: "providers" }),
        ),
        WriteSpec::create_or_patch(
            PATH,
            "create:phone_providers",
            "update:phone_providers",
            None,
        ),
        &[
            FieldSpec::one_of("name", &TenantPhoneProviderName::INFO)
                .required()
                .doc("`twilio` (your Twilio account) or `custom` (an Action sends the messages)."),
            FieldSpec::bool("disabled")
                .default(Constant::Bool(false))
                .doc("`true` to keep the provider configured but unused. Default `false`."),
            FieldSpec::text("sid", 255)
                .api("configuration.sid")
                .when("name", "twilio")
                .required()
                .doc("Twilio account SID (twilio only)."),
            FieldSpec::text("default_from", 255)
                .api("configuration.default_from")
                .when("name", "twilio")
                .doc("Sending phone number in E.164 form (twilio only). Set this or `mssid`."),
            FieldSpec::text("mssid", 255)
                .api("configuration.mssid")
                .when("name", "twilio")
                .doc("Twilio Messaging Service SID (twilio only). Set this or `default_from`."),
            FieldSpec::set_of("delivery_methods", &DeliveryMethod::INFO)
                .api("configuration.delivery_methods")
                .required()
                .doc(
                    "How messages are delivered: `text`, `voice` or both. MFA's \
                     `phone.message_types` must\nbe covered: `sms` needs `text`, `voice` needs \
                     `voice`.",
                ),
            FieldSpec::text("auth_token", usize::MAX)
                .api("credentials.auth_token")
                .write_only("TWILIO_AUTH_TOKEN")
                .when("name", "twilio")
                .required()
                .doc(
                    "Twilio auth token (twilio only). Secret and write-only: write it as\n\
                     `${TWILIO_AUTH_TOKEN}`.",
                ),
        ],
    )
};

fn validate(check: &mut SectionCheck<'_, '_>) {
    let path = check.path().to_string();
    if let Some(span) = check.empty_list("delivery_methods") {
        check
            .error(format!("`{path}.delivery_methods` is empty"), span)
            .help = Some("list `text`, `voice` or both".into());
    }
    match check.text("name").and_then(TenantPhoneProviderName::parse) {
        Some(TenantPhoneProviderName::Twilio) => {
            let voice = check
                .values()
                .list("delivery_methods")
                .is_some_and(|m| m.iter().any(|d| d == DeliveryMethod::Voice.as_str()));
            twilio_sender::check(check, "default_from", "mssid", voice);
        }
        Some(TenantPhoneProviderName::Custom) => {
            let twilio_only = TENANT_PHONE_PROVIDER
                .fields
                .iter()
                .filter(|f| f.when.is_some())
                .map(|f| f.key);
            for key in twilio_only {
                if check.is_present(key) {
                    let span = check.span_of(key);
                    check
                        .error(format!("`{path}.{key}` is only for `name: twilio`"), span)
                        .help = Some(
                        "a custom provider sends messages from its Action; remove the key".into(),
                    );
                    check.unset(key);
                }
            }
        }
        None => {}
    }
}
