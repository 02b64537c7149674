//! `push.fcmv1`: Firebase Cloud Messaging HTTP v1. `PUT .../push-notification/providers/fcmv1`
//! only: there is no read, and the PUT answers `{}`.

use crate::model::PushProvider;
use crate::resource::{FieldSpec, ResourceSpec, Semantics, WriteSpec};

pub static PUSH_FCMV1: ResourceSpec = ResourceSpec {
    schema_name: "FcmV1",
    doc: "Firebase Cloud Messaging HTTP v1 API (write-only: it can never be read back).",
    semantics: Semantics::WriteOnly,
    push_provider: Some(PushProvider::Direct),
    ..ResourceSpec::new(
        "push.fcmv1",
        &["push", "fcmv1"],
        None,
        WriteSpec::put(
            "/guardian/factors/push-notification/providers/fcmv1",
            "update:guardian_factors",
        ),
        &[FieldSpec::text("server_credentials", usize::MAX)
            .write_only("FCM_V1_CREDENTIALS")
            .required()
            .doc(
                "The service account JSON. Secret and write-only: write it as \
                 `${FCM_V1_CREDENTIALS}`.",
            )],
    )
};
