//! `push.apns`: direct APNs for push notifications to your own iOS app.
//! `GET/PUT /guardian/factors/push-notification/providers/apns`; the GET leaves out `p12`
//! (write-only) and adds `enabled`.

use crate::model::PushProvider;
use crate::resource::{Constant, FieldSpec, ReadSpec, ResourceSpec, WriteSpec};

const PATH: &str = "/guardian/factors/push-notification/providers/apns";

pub static PUSH_APNS: ResourceSpec = ResourceSpec {
    schema_name: "Apns",
    doc: "Apple Push Notification service, used when `provider` is `direct`.",
    push_provider: Some(PushProvider::Direct),
    ..ResourceSpec::new(
        "push.apns",
        &["push", "apns"],
        Some(ReadSpec::get(PATH, "read:guardian_factors")),
        WriteSpec::put(PATH, "update:guardian_factors"),
        &[
            FieldSpec::text("bundle_id", 255)
                .required()
                .doc("Your iOS app's bundle identifier."),
            FieldSpec::bool("sandbox")
                .default(Constant::Bool(false))
                .doc("`true` to use APNs' sandbox (development builds). Default `false`."),
            FieldSpec::text("p12", usize::MAX)
                .write_only("APNS_P12")
                .required()
                .doc(
                    "The APNs certificate as base64 PKCS#12. Secret and write-only: write it as\n\
                     `${APNS_P12}`.",
                ),
        ],
    )
};
