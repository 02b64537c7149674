//! States shared by the plan and render tests.

use crate::config::load_str;
use crate::live::LiveTenant;
use crate::model::*;
use crate::resource::ResourceSpec;
use crate::resource::specs::*;
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

/// The environment the fixtures load config files with: each secret variable of the examples
/// set to one of [`SECRETS`].
pub(crate) fn env(name: &str) -> Option<String> {
    let value = match name {
        "TWILIO_AUTH_TOKEN" => SECRETS[0],
        "AWS_SECRET_ACCESS_KEY" => SECRETS[1],
        "APNS_P12" => SECRETS[2],
        "FCM_SERVER_KEY" => SECRETS[3],
        "FCM_V1_CREDENTIALS" => SECRETS[4],
        "DUO_SECRET_KEY" => SECRETS[5],
        _ => return None,
    };
    Some(value.to_string())
}

/// The desired state of a config file's text, loaded with [`env`]; panics on any error.
pub(crate) fn load(name: &str, text: &str) -> MfaState {
    let loaded = load_str(name, text, Some(&env));
    match loaded.config {
        Some(config) => config.state,
        None => panic!("{name} does not load: {:?}", loaded.diagnostics),
    }
}

/// A config that covers every section of the file.
pub(crate) fn full_desired() -> MfaState {
    load(
        "full.yaml",
        r#"
version: 1
policies: [all-applications]
factors:
  otp: true
  recovery-code: true
  sms: true
  push-notification: true
  webauthn-roaming: true
  webauthn-platform: false
  email: false
  duo: true
phone:
  message_types: [sms, voice]
  provider: twilio
  twilio:
    sid: AC00000000000000000000000000000000
    auth_token: ${TWILIO_AUTH_TOKEN}
    from: "+15550001111"
  templates:
    enrollment_message: "{{code}} is your enrollment code for {{tenant.friendly_name}}"
    verification_message: "{{code}} is your verification code for {{tenant.friendly_name}}"
push:
  provider: sns
  sns:
    aws_access_key_id: AKIAEXAMPLE
    aws_secret_access_key: ${AWS_SECRET_ACCESS_KEY}
    aws_region: us-east-1
    sns_apns_platform_application_arn: arn:aws:sns:us-east-1:123456789012:app/APNS/acme
    sns_gcm_platform_application_arn: arn:aws:sns:us-east-1:123456789012:app/GCM/acme
  apns: { bundle_id: com.acme.app, sandbox: false, p12: "${APNS_P12}" }
  fcm: { server_key: "${FCM_SERVER_KEY}" }
  fcmv1: { server_credentials: "${FCM_V1_CREDENTIALS}" }
  custom_app:
    app_name: Acme
    apple_app_link: "https://apps.apple.com/app/id1"
    google_app_link: "https://play.google.com/store/apps/details?id=com.acme"
duo:
  ikey: DIXXXXXXXXXXXXXXXXXX
  skey: ${DUO_SECRET_KEY}
  host: api-1234abcd.duosecurity.com
webauthn_roaming:
  user_verification: required
  override_relying_party: false
webauthn_platform:
  override_relying_party: false
"#,
    )
}

/// The default templates of a new tenant.
pub(crate) const DEFAULT_ENROLLMENT: &str = "{{code}} is your verification code for {{tenant.friendly_name}}. Please enter this code to verify your enrollment.";
pub(crate) const DEFAULT_VERIFICATION: &str =
    "{{code}} is your verification code for {{tenant.friendly_name}}";

pub(crate) fn text(value: &str) -> FieldValue {
    FieldValue::Text(value.to_string())
}

pub(crate) fn secret(value: &str) -> FieldValue {
    FieldValue::Secret(Secret::new(value))
}

/// Sets a single resource's fields.
pub(crate) fn set<const N: usize>(
    state: &mut MfaState,
    spec: &'static ResourceSpec,
    fields: [(&'static str, FieldValue); N],
) {
    state.insert(Address::of(spec), Values::of(fields));
}

/// A new tenant as a full read returns it.
pub(crate) fn fresh_live() -> LiveTenant {
    let mut s = MfaState::default();
    s.set_policies([]);
    all_factors(&mut s, false);
    set(&mut s, &PHONE_PROVIDER, [("provider", text("auth0"))]);
    set(&mut s, &PHONE_TWILIO, []);
    set(
        &mut s,
        &PHONE_TEMPLATES,
        [
            ("enrollment_message", text(DEFAULT_ENROLLMENT)),
            ("verification_message", text(DEFAULT_VERIFICATION)),
        ],
    );
    set(&mut s, &PUSH_PROVIDER, [("provider", text("guardian"))]);
    set(&mut s, &PUSH_SNS, []);
    set(&mut s, &PUSH_APNS, [("sandbox", FieldValue::Bool(false))]);
    set(&mut s, &PUSH_CUSTOM_APP, []);
    set(&mut s, &DUO, []);
    set(
        &mut s,
        &WEBAUTHN_ROAMING,
        [
            ("user_verification", text("preferred")),
            ("override_relying_party", FieldValue::Bool(false)),
        ],
    );
    set(
        &mut s,
        &WEBAUTHN_PLATFORM,
        [("override_relying_party", FieldValue::Bool(false))],
    );
    let fingerprints = s
        .managed_addresses()
        .into_iter()
        .map(|a| {
            let print = format!("{:064x}", a.to_string().len());
            (a, print)
        })
        .collect();
    LiveTenant {
        domain: "acme-dev.eu.auth0.com".into(),
        state: s,
        fingerprints,
        ..LiveTenant::default()
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

/// The part of `state` that `specs` describe (every key of a keyed spec).
pub(crate) fn part(state: &MfaState, specs: &[&'static ResourceSpec]) -> MfaState {
    let mut out = MfaState::default();
    for (address, values) in &state.resources {
        if specs.iter().any(|spec| address.is(spec)) {
            out.insert(address.clone(), values.clone());
        }
    }
    out
}

/// Every factor set to `on`.
pub(crate) fn all_factors(state: &mut MfaState, on: bool) {
    for factor in Factor::ALL {
        state.set_factor(*factor, on);
    }
}
