//! `push.sns`: Amazon SNS for push notifications.
//! `GET/PUT /guardian/factors/push-notification/providers/sns`; the GET leaves out
//! `aws_secret_access_key` (write-only).

use crate::model::PushProvider;
use crate::resource::{FieldSpec, ReadSpec, ResourceSpec, SectionCheck, WriteSpec};

const PATH: &str = "/guardian/factors/push-notification/providers/sns";

/// The AWS region families the Guardian SNS endpoint accepts (`-N` follows).
const REGION_PREFIXES: &[&str] = &[
    "us-east",
    "us-west",
    "ap-southeast",
    "ap-northeast",
    "ap-central",
    "eu-west",
    "eu-central",
];

pub static PUSH_SNS: ResourceSpec = ResourceSpec {
    schema_name: "Sns",
    doc: "Amazon SNS, used when `provider` is `sns`.",
    push_provider: Some(PushProvider::Sns),
    validate: Some(validate),
    ..ResourceSpec::new(
        "push.sns",
        &["push", "sns"],
        Some(ReadSpec::get(PATH, "read:guardian_factors")),
        WriteSpec::put(PATH, "update:guardian_factors"),
        &[
            FieldSpec::text("aws_access_key_id", 255)
                .required()
                .doc("AWS access key ID."),
            FieldSpec::text("aws_secret_access_key", 255)
                .write_only("AWS_SECRET_ACCESS_KEY")
                .required()
                .doc(
                    "AWS secret access key. Secret and write-only: write it as \
                     `${AWS_SECRET_ACCESS_KEY}`.",
                ),
            FieldSpec::text("aws_region", 255)
                .required()
                .pattern(
                    r"^(us-east|us-west|ap-southeast|ap-northeast|ap-central|eu-west|eu-central)-[0-9]{1,2}$",
                )
                .doc("AWS region, e.g. `us-east-1`."),
            FieldSpec::text("sns_apns_platform_application_arn", 1024)
                .doc("ARN of the SNS platform application for APNs (iOS)."),
            FieldSpec::text("sns_gcm_platform_application_arn", 1024)
                .doc("ARN of the SNS platform application for FCM/GCM (Android)."),
        ],
    )
};

fn validate(check: &mut SectionCheck<'_, '_>) {
    if let Some(region) = check.text("aws_region").map(str::to_string)
        && !is_sns_region(&region)
    {
        let shown = check.shown_value("aws_region", &region);
        let span = check.span_of("aws_region");
        check
            .error(
                format!("`push.sns.aws_region` {shown} is not a region Guardian can use"),
                span,
            )
            .help = Some(format!(
            "use one of the {}-N regions, e.g. us-east-1",
            REGION_PREFIXES.join("-N, ")
        ));
    }
    for key in [
        "sns_apns_platform_application_arn",
        "sns_gcm_platform_application_arn",
    ] {
        if let Some(arn) = check.text(key)
            && !arn.starts_with("arn:aws:sns:")
        {
            let span = check.span_of(key);
            check
                .warning(
                    format!("`push.sns.{key}` does not look like an SNS ARN"),
                    span,
                )
                .help = Some("platform application ARNs start with `arn:aws:sns:`".into());
        }
    }
}

fn is_sns_region(region: &str) -> bool {
    REGION_PREFIXES.iter().any(|prefix| {
        region
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_prefix('-'))
            .is_some_and(|n| (1..=2).contains(&n.len()) && n.chars().all(|c| c.is_ascii_digit()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sns_regions_follow_the_api_pattern() {
        assert!(is_sns_region("us-east-1"));
        assert!(is_sns_region("eu-central-12"));
        assert!(!is_sns_region("sa-east-1"));
        assert!(!is_sns_region("us-east-123"));
        assert!(!is_sns_region("us-east-"));
    }
}
