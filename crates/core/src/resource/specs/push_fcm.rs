//! `push.fcm`: legacy Firebase Cloud Messaging. `PUT .../push-notification/providers/fcm`
//! only: there is no read, and the PUT answers `{}`.

use crate::model::PushProvider;
use crate::resource::{FieldSpec, ResourceSpec, Semantics, WriteSpec};

pub static PUSH_FCM: ResourceSpec = ResourceSpec {
    schema_name: "Fcm",
    doc: "Firebase Cloud Messaging, legacy API (write-only: it can never be read back).",
    semantics: Semantics::WriteOnly,
    push_provider: Some(PushProvider::Direct),
    ..ResourceSpec::new(
        "push.fcm",
        &["push", "fcm"],
        None,
        WriteSpec::put(
            "/guardian/factors/push-notification/providers/fcm",
            "update:guardian_factors",
        ),
        &[FieldSpec::text("server_key", 1000)
            .write_only("FCM_SERVER_KEY")
            .required()
            .doc("FCM server key. Secret and write-only: write it as `${FCM_SERVER_KEY}`.")],
    )
};
