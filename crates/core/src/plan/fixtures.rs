//! States shared by the plan and render tests.

// Tests build states field by field: it reads better than one large literal.
#![allow(clippy::field_reassign_with_default)]

use std::collections::BTreeSet;

use crate::live::LiveTenant;
use crate::model::*;
use crate::secret::Secret;

/// Every secret string the fixtures use, live and desired.
pub(crate) const SECRETS: &[&str] = &[
    "twilio-token-SECRET-1111",
    "aws-secret-key-SECRET-2222",
    "apns-p12-SECRET-3333",
    "fcm-server-key-SECRET-4444",
    "fcmv1-credentials-SECRET-5555",
    "duo-skey-SECRET-6666",
    "old-twilio-token-SECRET-7777",
    "old-duo-skey-SECRET-8888",
];

/// The default templates of a new tenant.
pub(crate) const DEFAULT_ENROLLMENT: &str = "{{code}} is your verification code for {{tenant.friendly_name}}. Please enter this code to verify your enrollment.";
pub(crate) const DEFAULT_VERIFICATION: &str =
    "{{code}} is your verification code for {{tenant.friendly_name}}";

/// A config that covers every section of the file.
pub(crate) fn full_desired() -> MfaState {
    let mut d = MfaState::default();
    d.policies = Some(BTreeSet::from([Policy::AllApplications]));
    for (factor, on) in [
        (Factor::Otp, true),
        (Factor::RecoveryCode, true),
        (Factor::Sms, true),
        (Factor::PushNotification, true),
        (Factor::WebauthnRoaming, true),
        (Factor::WebauthnPlatform, false),
        (Factor::Email, false),
        (Factor::Duo, true),
    ] {
        d.factors.insert(factor, on);
    }
    d.phone = PhoneSettings {
        message_types: Some(BTreeSet::from([MessageType::Sms, MessageType::Voice])),
        provider: Some(PhoneProvider::Twilio),
        twilio: Some(TwilioSettings {
            sid: Some("AC00000000000000000000000000000000".into()),
            auth_token: Some(Secret::new(SECRETS[0])),
            from: Some("+15550001111".into()),
            messaging_service_sid: None,
        }),
        templates: Some(PhoneTemplates {
            enrollment_message: Some(
                "{{code}} is your enrollment code for {{tenant.friendly_name}}".into(),
            ),
            verification_message: Some(
                "{{code}} is your verification code for {{tenant.friendly_name}}".into(),
            ),
        }),
        otp: None,
    };
    d.push = PushSettings {
        provider: Some(PushProvider::Sns),
        sns: Some(SnsSettings {
            aws_access_key_id: Some("AKIAEXAMPLE".into()),
            aws_secret_access_key: Some(Secret::new(SECRETS[1])),
            aws_region: Some("us-east-1".into()),
            sns_apns_platform_application_arn: Some(
                "arn:aws:sns:us-east-1:123456789012:app/APNS/acme".into(),
            ),
            sns_gcm_platform_application_arn: Some(
                "arn:aws:sns:us-east-1:123456789012:app/GCM/acme".into(),
            ),
        }),
        apns: Some(ApnsSettings {
            bundle_id: Some("com.acme.app".into()),
            sandbox: Some(false),
            p12: Some(Secret::new(SECRETS[2])),
        }),
        fcm: Some(FcmSettings {
            server_key: Some(Secret::new(SECRETS[3])),
        }),
        fcmv1: Some(FcmV1Settings {
            server_credentials: Some(Secret::new(SECRETS[4])),
        }),
        custom_app: Some(CustomApp {
            app_name: Some("Acme".into()),
            apple_app_link: Some("https://apps.apple.com/app/id1".into()),
            google_app_link: Some("https://play.google.com/store/apps/details?id=com.acme".into()),
        }),
    };
    d.duo = Some(DuoSettings {
        ikey: Some("DIXXXXXXXXXXXXXXXXXX".into()),
        skey: Some(Secret::new(SECRETS[5])),
        host: Some("api-1234abcd.duosecurity.com".into()),
    });
    d.webauthn_roaming = Some(WebAuthnRoamingSettings {
        user_verification: Some(UserVerification::Required),
        override_relying_party: Some(false),
        relying_party_identifier: None,
    });
    d.webauthn_platform = Some(WebAuthnPlatformSettings {
        override_relying_party: Some(false),
        relying_party_identifier: None,
    });
    d
}

/// A new tenant as a full read returns it.
pub(crate) fn fresh_live() -> LiveTenant {
    let mut s = MfaState::default();
    s.policies = Some(BTreeSet::new());
    s.factors = Factor::ALL.iter().map(|f| (*f, false)).collect();
    s.phone = PhoneSettings {
        message_types: None,
        provider: Some(PhoneProvider::Auth0),
        twilio: Some(TwilioSettings::default()),
        templates: Some(PhoneTemplates {
            enrollment_message: Some(DEFAULT_ENROLLMENT.into()),
            verification_message: Some(DEFAULT_VERIFICATION.into()),
        }),
        otp: None,
    };
    s.push = PushSettings {
        provider: Some(PushProvider::Guardian),
        sns: Some(SnsSettings::default()),
        apns: Some(ApnsSettings {
            bundle_id: None,
            sandbox: Some(false),
            p12: None,
        }),
        fcm: None,
        fcmv1: None,
        custom_app: Some(CustomApp::default()),
    };
    s.duo = Some(DuoSettings::default());
    s.webauthn_roaming = Some(WebAuthnRoamingSettings {
        user_verification: Some(UserVerification::Preferred),
        override_relying_party: Some(false),
        relying_party_identifier: None,
    });
    s.webauthn_platform = Some(WebAuthnPlatformSettings {
        override_relying_party: Some(false),
        relying_party_identifier: None,
    });
    let fingerprints = s
        .managed_addresses()
        .into_iter()
        .map(|a| (a, format!("{:064x}", a.to_string().len())))
        .collect();
    LiveTenant {
        domain: "acme-dev.eu.auth0.com".into(),
        state: s,
        unavailable: Default::default(),
        fingerprints,
        consolidated_phone: None,
    }
}

/// A live tenant that reads `state`.
pub(crate) fn live_of(state: MfaState) -> LiveTenant {
    LiveTenant {
        domain: "acme-dev.eu.auth0.com".into(),
        state,
        ..Default::default()
    }
}
