//! Helpers shared by the API client tests and the read benchmark.
#![allow(dead_code)]

use std::collections::BTreeSet;

use mfactl::api::{Client, ClientOptions};
use mfactl::emulator::{EmulatorConfig, RunningEmulator, start};
use mfactl::model::*;
use mfactl::secret::Secret;

pub const CLIENT_ID: &str = "api-test-client";
pub const CLIENT_SECRET: &str = "api-test-client-secret-5c1d0e";
pub const TWILIO_TOKEN: &str = "twilio-token-3b8f1a-secret";
pub const SNS_SECRET: &str = "aws-secret-key-77e2c9";
pub const APNS_P12: &str = "apns-p12-base64-4d6a";
pub const FCM_V1: &str = "fcm-v1-credentials-90aa";
pub const DUO_SKEY: &str = "duo-skey-secret-1f2e3d";

/// Starts an in-process emulator with fixed client credentials.
pub async fn emulator_with(config: EmulatorConfig) -> RunningEmulator {
    start(EmulatorConfig {
        client_id: Some(CLIENT_ID.to_owned()),
        client_secret: Some(CLIENT_SECRET.to_owned()),
        ..config
    })
    .await
    .expect("emulator starts")
}

/// A client-credentials client for `emulator`.
pub fn client_for(emulator: &RunningEmulator, options: ClientOptions) -> Client {
    Client::for_emulator(
        &emulator.domain(),
        CLIENT_ID,
        Secret::new(CLIENT_SECRET),
        options,
    )
    .expect("client builds")
}

/// A static-token client for `emulator`.
pub fn static_client(emulator: &RunningEmulator, token: &str, options: ClientOptions) -> Client {
    let settings =
        mfactl::api::ConnectionSettings::with_static_token(&emulator.domain(), Secret::new(token))
            .expect("settings");
    Client::new(settings, options).expect("client builds")
}

/// Options that keep tests fast.
pub fn fast_options() -> ClientOptions {
    ClientOptions {
        retry: mfactl::api::retry::RetryPolicy {
            base_delay: std::time::Duration::from_millis(10),
            max_delay: std::time::Duration::from_secs(2),
        },
        ..ClientOptions::default()
    }
}

/// A desired state managing every section of the config (what `examples/full.yaml` holds).
pub fn full_desired() -> MfaState {
    let mut state = MfaState {
        policies: Some(BTreeSet::from([Policy::AllApplications])),
        ..MfaState::default()
    };
    for (factor, on) in [
        (Factor::Otp, true),
        (Factor::RecoveryCode, true),
        (Factor::Sms, true),
        (Factor::PushNotification, true),
        (Factor::WebauthnRoaming, true),
        (Factor::WebauthnPlatform, false),
        (Factor::Email, false),
        (Factor::Duo, false),
    ] {
        state.factors.insert(factor, on);
    }
    state.phone = PhoneSettings {
        message_types: Some(BTreeSet::from([MessageType::Sms, MessageType::Voice])),
        provider: Some(PhoneProvider::Twilio),
        twilio: Some(TwilioSettings {
            sid: Some("AC00000000000000000000000000000000".into()),
            auth_token: Some(Secret::new(TWILIO_TOKEN)),
            from: Some("+15550001111".into()),
            messaging_service_sid: None,
        }),
        templates: Some(PhoneTemplates {
            enrollment_message: Some("{{code}} is your enrollment code".into()),
            verification_message: Some("{{code}} is your verification code".into()),
        }),
        otp: None,
    };
    state.push = PushSettings {
        provider: Some(PushProvider::Sns),
        sns: Some(SnsSettings {
            aws_access_key_id: Some("AKIAEXAMPLE".into()),
            aws_secret_access_key: Some(Secret::new(SNS_SECRET)),
            aws_region: Some("us-east-1".into()),
            sns_apns_platform_application_arn: Some("arn:aws:sns:us-east-1:1:app/APNS/a".into()),
            sns_gcm_platform_application_arn: Some("arn:aws:sns:us-east-1:1:app/GCM/a".into()),
        }),
        apns: Some(ApnsSettings {
            bundle_id: Some("com.acme.app".into()),
            sandbox: Some(false),
            p12: Some(Secret::new(APNS_P12)),
        }),
        fcm: None,
        fcmv1: Some(FcmV1Settings {
            server_credentials: Some(Secret::new(FCM_V1)),
        }),
        custom_app: Some(CustomApp {
            app_name: Some("Acme".into()),
            apple_app_link: Some("https://apps.apple.com/app/id1".into()),
            google_app_link: Some("https://play.google.com/store/apps/details?id=x".into()),
        }),
    };
    state.duo = Some(DuoSettings {
        ikey: Some("DIXXXXXXXXXXXXXXXXXX".into()),
        skey: Some(Secret::new(DUO_SKEY)),
        host: Some("api-1234abcd.duosecurity.com".into()),
    });
    state.webauthn_roaming = Some(WebAuthnRoamingSettings {
        user_verification: Some(UserVerification::Required),
        override_relying_party: Some(false),
        relying_party_identifier: None,
    });
    state.webauthn_platform = Some(WebAuthnPlatformSettings {
        override_relying_party: Some(false),
        relying_party_identifier: None,
    });
    state
}

/// The GET paths (under /api/v2) reading `full_desired()` must send.
pub const FULL_READ_PATHS: &[&str] = &[
    "/guardian/policies",
    "/guardian/factors",
    "/guardian/factors/phone/message-types",
    "/guardian/factors/phone/selected-provider",
    "/guardian/factors/phone/providers/twilio",
    "/guardian/factors/phone/templates",
    "/guardian/factors/push-notification/selected-provider",
    "/guardian/factors/push-notification/providers/sns",
    "/guardian/factors/push-notification/providers/apns",
    "/prompts/mfa-push",
    "/guardian/factors/duo/settings",
    "/guardian/factors/webauthn-roaming/settings",
    "/guardian/factors/webauthn-platform/settings",
    // Read once because the config manages phone settings: the tenant's phone kind.
    "/tenants/settings",
];
