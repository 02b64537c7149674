//! `push.custom_app`: the app users install for push (the `mfa-push` prompt's settings).
//! `GET/PATCH /prompts/mfa-push`.

use crate::resource::{FieldSpec, ReadSpec, ResourceSpec, SectionCheck, WriteSpec};

const PATH: &str = "/prompts/mfa-push";

pub static PUSH_CUSTOM_APP: ResourceSpec = ResourceSpec {
    schema_name: "CustomApp",
    doc: "The app users install to receive push notifications (the `mfa-push` prompt): links \
          to your own push app, shown to users while they enroll.",
    needs_a_field: true,
    validate: Some(validate),
    ..ResourceSpec::new(
        "push.custom_app",
        &["push", "custom_app"],
        Some(ReadSpec::get(PATH, "read:prompts")),
        WriteSpec::patch(PATH, "update:prompts"),
        &[
            FieldSpec::text("app_name", 255).doc("The app's name."),
            FieldSpec::text("apple_app_link", 1024)
                .pattern("^https://")
                .doc("App Store link (https)."),
            FieldSpec::text("google_app_link", 1024)
                .pattern("^https://")
                .doc("Google Play link (https)."),
        ],
    )
};

fn validate(check: &mut SectionCheck<'_, '_>) {
    for key in ["apple_app_link", "google_app_link"] {
        if let Some(url) = check.text(key)
            && !url.starts_with("https://")
        {
            let span = check.span_of(key);
            check
                .error(
                    format!("`push.custom_app.{key}` must be an https:// link"),
                    span,
                )
                .help = Some("app store links are served over https".into());
        }
    }
}
