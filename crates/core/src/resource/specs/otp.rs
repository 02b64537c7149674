//! `phone.otp` and `email.otp`: one-time code settings of the phone and email factors.
//! `GET/PUT /guardian/factors/{phone,email}/settings` `{"otp_length", "otp_expiration_time"}`;
//! the PUT wants both keys.

use crate::resource::{FieldSpec, PhoneScope, ReadSpec, ResourceSpec, Semantics, WriteSpec};

const FIELDS: &[FieldSpec] = &[
    FieldSpec::integer("length", 4, 10, "digits")
        .api("otp_length")
        .doc("Digits in a code, 4 to 10."),
    FieldSpec::integer("expiration_time", 30, 3600, "seconds")
        .api("otp_expiration_time")
        .doc("Seconds a code stays valid, 30 to 3600."),
];

const PHONE_PATH: &str = "/guardian/factors/phone/settings";
const EMAIL_PATH: &str = "/guardian/factors/email/settings";

pub static PHONE_OTP: ResourceSpec = ResourceSpec {
    schema_name: "OtpSettings",
    doc: "One-time codes sent by SMS or voice.",
    semantics: Semantics::MergeResendingAll,
    phone: PhoneScope::Any,
    needs_a_field: true,
    ..ResourceSpec::new(
        "phone.otp",
        &["phone", "otp"],
        Some(ReadSpec::get(PHONE_PATH, "read:guardian_factors")),
        WriteSpec::put(PHONE_PATH, "update:guardian_factors"),
        FIELDS,
    )
};

pub static EMAIL_OTP: ResourceSpec = ResourceSpec {
    schema_name: "OtpSettings",
    doc: "One-time codes sent by email.",
    semantics: Semantics::MergeResendingAll,
    needs_a_field: true,
    ..ResourceSpec::new(
        "email.otp",
        &["email", "otp"],
        Some(ReadSpec::get(EMAIL_PATH, "read:guardian_factors")),
        WriteSpec::put(EMAIL_PATH, "update:guardian_factors"),
        FIELDS,
    )
};
