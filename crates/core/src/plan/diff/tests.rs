// Tests build states field by field: it reads better than one large literal.
#![allow(clippy::field_reassign_with_default)]
use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use serde_json::json;

use super::*;
use crate::live::LiveTenant;
use crate::model::*;
use crate::plan::fixtures::{SECRETS, fresh_live, full_desired, live_of};
use crate::plan::readback::read_back;
use crate::secret::Secret;

fn options() -> DiffOptions {
    DiffOptions {
        tenant: "acme-dev.eu.auth0.com".into(),
        resend_write_only: false,
    }
}

fn plan(desired: &MfaState, live: &LiveTenant) -> Plan {
    diff(desired, live, &options()).unwrap()
}

fn addresses(plan: &Plan) -> Vec<String> {
    plan.changes.iter().map(|c| c.address.to_string()).collect()
}

fn stages(plan: &Plan) -> Vec<(String, u8)> {
    plan.changes
        .iter()
        .map(|c| (c.address.to_string(), c.stage.number()))
        .collect()
}

/// Applies a plan's requests the way the API would and reads the tenant back.
fn applied(plan: &Plan, live: &LiveTenant) -> LiveTenant {
    let requests: Vec<_> = plan.changes.iter().map(|c| &c.request).collect();
    live_of(read_back(&live.state, &requests))
}

fn all_off() -> BTreeMap<Factor, bool> {
    Factor::ALL.iter().map(|f| (*f, false)).collect()
}

#[test]
fn a_first_run_lists_every_section_in_stage_order() {
    let plan = plan(&full_desired(), &fresh_live());
    assert_eq!(
        stages(&plan),
        [
            ("phone.twilio".to_string(), 1),
            ("phone.templates".to_string(), 1),
            ("push.sns".to_string(), 1),
            ("push.apns".to_string(), 1),
            ("push.custom_app".to_string(), 1),
            ("duo".to_string(), 1),
            ("webauthn_roaming".to_string(), 1),
            ("phone.provider".to_string(), 2),
            ("push.provider".to_string(), 2),
            ("factors.sms".to_string(), 3),
            ("factors.push-notification".to_string(), 3),
            ("factors.otp".to_string(), 3),
            ("factors.duo".to_string(), 3),
            ("factors.webauthn-roaming".to_string(), 3),
            ("factors.recovery-code".to_string(), 3),
            ("phone.message_types".to_string(), 4),
            ("policies".to_string(), 5),
        ]
    );
    let actions: Vec<&str> = plan.changes.iter().map(|c| c.action.as_str()).collect();
    assert_eq!(&actions[..3], ["create", "update", "create"]);
    assert_eq!(plan.dangerous_count(), 0);
    // FCM keys cannot be compared and the provider does not switch to direct: not sent.
    let unknown: Vec<(String, bool)> = plan
        .unverifiable
        .iter()
        .map(|u| (u.address.to_string(), u.sent))
        .collect();
    assert_eq!(
        unknown,
        [
            ("push.sns".to_string(), true),
            ("push.apns".to_string(), true),
            ("push.fcm".to_string(), false),
            ("push.fcmv1".to_string(), false),
        ]
    );
}

#[test]
fn a_tenant_that_matches_gives_an_empty_plan() {
    let desired = full_desired();
    let live = fresh_live();
    let first = plan(&desired, &live);
    let after = applied(&first, &live);
    let second = plan(&desired, &after);
    assert!(second.is_empty(), "{:?}", addresses(&second));
    assert_eq!(second.detailed_exit_code(), 0);
    assert_eq!(first.detailed_exit_code(), 2);
    assert_eq!(
        second.summary(),
        "No changes. The tenant matches the configuration."
    );
}

#[test]
fn turning_sms_on_with_twilio_configures_then_selects_then_enables_then_requires() {
    let mut desired = MfaState::default();
    desired.phone.twilio = full_desired().phone.twilio;
    desired.phone.provider = Some(PhoneProvider::Twilio);
    desired.factors.insert(Factor::Sms, true);
    desired.phone.message_types = Some(BTreeSet::from([MessageType::Sms]));
    desired.policies = Some(BTreeSet::from([Policy::AllApplications]));
    let plan = plan(&desired, &fresh_live());
    assert_eq!(
        stages(&plan),
        [
            ("phone.twilio".to_string(), 1),
            ("phone.provider".to_string(), 2),
            ("factors.sms".to_string(), 3),
            ("phone.message_types".to_string(), 4),
            ("policies".to_string(), 5),
        ]
    );
    assert_eq!(plan.changes[4].action, Action::Enable);
}

#[test]
fn switching_factors_under_mfa_always_enables_the_new_one_first() {
    let mut live = MfaState::default();
    live.policies = Some(BTreeSet::from([Policy::AllApplications]));
    live.factors = all_off();
    live.factors.insert(Factor::Otp, true);
    let mut desired = MfaState::default();
    desired.factors.insert(Factor::Otp, false);
    desired.factors.insert(Factor::Email, true);
    let plan = plan(&desired, &live_of(live));
    assert_eq!(
        stages(&plan),
        [
            ("factors.email".to_string(), 3),
            ("factors.otp".to_string(), 6)
        ]
    );
    assert_eq!(plan.changes[1].action, Action::Disable);
    assert_eq!(plan.dangerous_count(), 0);
}

#[test]
fn turning_mfa_off_changes_policies_before_factors_and_is_dangerous() {
    let mut live = MfaState::default();
    live.policies = Some(BTreeSet::from([Policy::AllApplications]));
    live.factors = all_off();
    live.factors.insert(Factor::Otp, true);
    let mut desired = MfaState::default();
    desired.policies = Some(BTreeSet::new());
    desired.factors.insert(Factor::Otp, false);
    let plan = plan(&desired, &live_of(live));
    assert_eq!(
        stages(&plan),
        [("policies".to_string(), 5), ("factors.otp".to_string(), 6)]
    );
    assert_eq!(plan.changes[0].action, Action::Disable);
    assert!(plan.changes.iter().all(|c| c.is_dangerous()));
    assert_eq!(plan.summary(), "Plan: 2 to change (2 dangerous).");
    assert_eq!(plan.changes[0].request.body, Some(json!([])));
}

#[test]
fn disabling_one_of_two_factors_is_not_dangerous() {
    let mut live = MfaState::default();
    live.factors = all_off();
    live.factors.insert(Factor::Otp, true);
    live.factors.insert(Factor::Email, true);
    let mut desired = MfaState::default();
    desired.factors.insert(Factor::Otp, false);
    let plan = plan(&desired, &live_of(live));
    assert_eq!(plan.dangerous_count(), 0);
}

#[test]
fn requiring_mfa_with_every_factor_off_is_an_error() {
    let mut live = MfaState::default();
    live.factors = all_off();
    live.factors.insert(Factor::Otp, true);
    let mut desired = MfaState::default();
    desired.policies = Some(BTreeSet::from([Policy::AllApplications]));
    desired.factors.insert(Factor::Otp, false);
    let err = diff(&desired, &live_of(live), &options()).unwrap_err();
    assert!(matches!(err, PlanError::Lockout { .. }), "{err}");
}

#[test]
fn switching_push_from_guardian_to_sns() {
    let mut desired = MfaState::default();
    desired.push.sns = full_desired().push.sns;
    desired.push.provider = Some(PushProvider::Sns);
    desired.factors.insert(Factor::PushNotification, true);
    let plan = plan(&desired, &fresh_live());
    assert_eq!(
        stages(&plan),
        [
            ("push.sns".to_string(), 1),
            ("push.provider".to_string(), 2),
            ("factors.push-notification".to_string(), 3),
        ]
    );
    let sns = &plan.changes[0];
    assert_eq!(sns.write_only_fields, ["aws_secret_access_key"]);
    assert_eq!(
        sns.request.body.as_ref().unwrap()["aws_secret_access_key"],
        json!(SECRETS[1])
    );
}

#[test]
fn switching_to_sns_sends_credentials_that_cannot_be_compared() {
    // The SNS settings read back equal, only the secret is unknown: the switch still sends it.
    let mut live = fresh_live();
    let sns = full_desired().push.sns.unwrap();
    live.state.push.sns = Some(SnsSettings {
        aws_secret_access_key: None,
        ..sns.clone()
    });
    let mut desired = MfaState::default();
    desired.push.sns = Some(sns);
    desired.push.provider = Some(PushProvider::Sns);
    let switching = plan(&desired, &live);
    assert_eq!(addresses(&switching), ["push.sns", "push.provider"]);
    // Once SNS is selected, the same file plans nothing.
    live.state.push.provider = Some(PushProvider::Sns);
    let settled = plan(&desired, &live);
    assert!(settled.is_empty());
    assert!(!settled.unverifiable[0].sent);
}

#[test]
fn switching_to_direct_sends_the_fcm_keys() {
    let mut desired = MfaState::default();
    desired.push.provider = Some(PushProvider::Direct);
    desired.push.fcmv1 = full_desired().push.fcmv1;
    let plan = plan(&desired, &fresh_live());
    assert_eq!(addresses(&plan), ["push.fcmv1", "push.provider"]);
    assert_eq!(plan.changes[0].action, Action::Update);
    assert_eq!(plan.changes[0].before, None);
    assert_eq!(
        plan.changes[0].request.body,
        Some(json!({"server_credentials": SECRETS[4]}))
    );
}

#[test]
fn write_only_differences_are_unverifiable_until_resent() {
    let mut live = fresh_live();
    live.state.push.apns = Some(ApnsSettings {
        bundle_id: Some("com.acme.app".into()),
        sandbox: Some(false),
        p12: None,
    });
    let mut desired = MfaState::default();
    desired.push.apns = full_desired().push.apns;
    desired.push.fcm = full_desired().push.fcm;
    let quiet = plan(&desired, &live);
    assert!(quiet.is_empty());
    assert_eq!(quiet.unverifiable.len(), 2);
    assert!(quiet.unverifiable.iter().all(|u| !u.sent));

    let resend = DiffOptions {
        resend_write_only: true,
        ..options()
    };
    let loud = diff(&desired, &live, &resend).unwrap();
    assert_eq!(addresses(&loud), ["push.apns", "push.fcm"]);
    let apns = &loud.changes[0];
    assert_eq!(apns.action, Action::Update);
    assert_eq!(apns.fields.len(), 1);
    assert_eq!(apns.fields[0].kind, FieldKind::WriteOnly);
    assert_eq!(
        apns.request.body,
        Some(json!({"bundle_id": "com.acme.app", "sandbox": false, "p12": SECRETS[2]}))
    );
    assert!(loud.unverifiable.iter().all(|u| u.sent));
}

#[test]
fn sets_compare_without_order_and_twilio_unset_reads_as_null() {
    let mut live = fresh_live();
    live.state.factors.insert(Factor::Otp, true);
    live.state.policies = Some(BTreeSet::from([Policy::AllApplications]));
    live.state.phone.message_types = Some(BTreeSet::from([MessageType::Voice, MessageType::Sms]));
    live.state.phone.twilio = Some(TwilioSettings {
        sid: Some("AC1".into()),
        auth_token: Some(Secret::new(SECRETS[6])),
        from: Some("+15550001111".into()),
        messaging_service_sid: None,
    });
    let mut desired = MfaState::default();
    desired.policies = Some(BTreeSet::from([Policy::AllApplications]));
    desired.phone.message_types = Some(BTreeSet::from([MessageType::Sms, MessageType::Voice]));
    desired.phone.twilio = Some(TwilioSettings {
        sid: Some("AC1".into()),
        auth_token: Some(Secret::new(SECRETS[6])),
        from: Some("+15550001111".into()),
        messaging_service_sid: Some(String::new()),
    });
    assert!(plan(&desired, &live).is_empty());

    // A messaging service the file does not name is removed: the PUT overwrites.
    live.state
        .phone
        .twilio
        .as_mut()
        .unwrap()
        .messaging_service_sid = Some("MG1".into());
    let plan = plan(&desired, &live);
    assert_eq!(addresses(&plan), ["phone.twilio"]);
    assert_eq!(plan.changes[0].fields[0].field, "messaging_service_sid");
    assert_eq!(plan.changes[0].fields[0].after, serde_json::Value::Null);
}

#[test]
fn a_changed_twilio_token_is_a_sensitive_change() {
    let mut live = fresh_live();
    live.state.phone.twilio = Some(TwilioSettings {
        sid: Some("AC1".into()),
        auth_token: Some(Secret::new(SECRETS[6])),
        ..Default::default()
    });
    let mut desired = MfaState::default();
    desired.phone.twilio = Some(TwilioSettings {
        sid: Some("AC1".into()),
        auth_token: Some(Secret::new(SECRETS[0])),
        ..Default::default()
    });
    let plan = plan(&desired, &live);
    let change = &plan.changes[0];
    assert_eq!(change.sensitive_fields, ["auth_token"]);
    assert_eq!(change.fields[0].kind, FieldKind::Sensitive);
    let shown = format!("{:?}", plan);
    for secret in SECRETS {
        assert!(!shown.contains(secret), "Debug shows {secret}");
    }
}

#[test]
fn merged_resources_ignore_what_the_file_leaves_out() {
    let mut live = fresh_live();
    live.state.webauthn_roaming = Some(WebAuthnRoamingSettings {
        user_verification: Some(UserVerification::Required),
        override_relying_party: Some(true),
        relying_party_identifier: Some("acme.com".into()),
    });
    live.state.push.custom_app = Some(CustomApp {
        app_name: Some("Acme".into()),
        apple_app_link: Some("https://apps.apple.com/app/id1".into()),
        google_app_link: None,
    });
    let mut desired = MfaState::default();
    desired.webauthn_roaming = Some(WebAuthnRoamingSettings {
        user_verification: Some(UserVerification::Required),
        ..Default::default()
    });
    desired.push.custom_app = Some(CustomApp {
        app_name: Some("Acme".into()),
        ..Default::default()
    });
    // apns: sandbox unset means false, which the tenant reports.
    desired.push.apns = Some(ApnsSettings::default());
    assert!(plan(&desired, &live).is_empty());

    desired.push.custom_app.as_mut().unwrap().app_name = Some("Acme 2".into());
    let plan = plan(&desired, &live);
    let change = &plan.changes[0];
    assert_eq!(change.request.method, crate::request::HttpMethod::Patch);
    assert_eq!(change.request.body, Some(json!({"app_name": "Acme 2"})));
    assert_eq!(
        change.after,
        json!({
            "app_name": "Acme 2",
            "apple_app_link": "https://apps.apple.com/app/id1",
            "google_app_link": null
        })
    );
}

#[test]
fn unmanaged_resources_are_never_planned() {
    let live = fresh_live();
    let mut desired = MfaState::default();
    desired.factors.insert(Factor::Otp, false);
    assert!(plan(&desired, &live).is_empty());
    assert!(plan(&MfaState::default(), &live).is_empty());
}

#[test]
fn unavailable_managed_resources_stop_the_plan() {
    let mut live = fresh_live();
    live.unavailable.insert(
        Address::Policies,
        crate::live::Unavailable {
            status: 403,
            error_code: "insufficient_entitlement".into(),
            message: "Adaptive MFA is not available".into(),
        },
    );
    let mut desired = MfaState::default();
    desired.policies = Some(BTreeSet::from([Policy::ConfidenceScore]));
    let err = diff(&desired, &live, &options()).unwrap_err();
    assert!(matches!(err, PlanError::Unavailable(_)), "{err}");
}

// ---- property: applying a plan and planning again gives nothing ----

fn text() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        Just(Some(String::new())),
        Just(Some("a".to_string())),
        Just(Some("b".to_string())),
    ]
}

fn secret() -> impl Strategy<Value = Option<Secret>> {
    prop_oneof![
        Just(None),
        Just(Some(Secret::new("s1"))),
        Just(Some(Secret::new("s2")))
    ]
}

fn subset<T: Copy + Ord + std::fmt::Debug + 'static>(
    all: &'static [T],
) -> impl Strategy<Value = BTreeSet<T>> {
    proptest::sample::subsequence(all, 0..=all.len()).prop_map(|v| v.into_iter().collect())
}

fn pick<T: Copy + std::fmt::Debug + 'static>(all: &'static [T]) -> impl Strategy<Value = T> {
    proptest::sample::select(all)
}

fn state() -> impl Strategy<Value = MfaState> {
    let head = (
        proptest::option::of(subset(Policy::ALL)),
        proptest::collection::btree_map(pick(Factor::ALL), any::<bool>(), 0..=8),
        proptest::option::of(subset(MessageType::ALL)),
        proptest::option::of(pick(PhoneProvider::ALL)),
        proptest::option::of((text(), secret(), text(), text())),
        proptest::option::of((text(), text())),
        proptest::option::of(pick(PushProvider::ALL)),
    );
    let tail = (
        proptest::option::of((text(), secret(), text(), text(), text())),
        proptest::option::of((text(), proptest::option::of(any::<bool>()), secret())),
        proptest::option::of(secret()),
        proptest::option::of(secret()),
        proptest::option::of((text(), text(), text())),
        proptest::option::of((text(), secret(), text())),
        proptest::option::of((
            proptest::option::of(pick(UserVerification::ALL)),
            proptest::option::of(any::<bool>()),
            text(),
        )),
        proptest::option::of((proptest::option::of(any::<bool>()), text())),
    );
    (head, tail).prop_map(|(head, tail)| {
        let (policies, factors, message_types, phone_provider, twilio, templates, push_provider) =
            head;
        let (sns, apns, fcm, fcmv1, custom_app, duo, roaming, platform) = tail;
        MfaState {
            policies,
            factors,
            phone: PhoneSettings {
                message_types,
                provider: phone_provider,
                twilio: twilio.map(|(sid, auth_token, from, messaging_service_sid)| {
                    TwilioSettings {
                        sid,
                        auth_token,
                        from,
                        messaging_service_sid,
                    }
                }),
                templates: templates.map(|(e, v)| PhoneTemplates {
                    enrollment_message: e,
                    verification_message: v,
                }),
                otp: None,
            },
            push: PushSettings {
                provider: push_provider,
                sns: sns.map(|(id, key, region, apns_arn, gcm_arn)| SnsSettings {
                    aws_access_key_id: id,
                    aws_secret_access_key: key,
                    aws_region: region,
                    sns_apns_platform_application_arn: apns_arn,
                    sns_gcm_platform_application_arn: gcm_arn,
                }),
                apns: apns.map(|(bundle_id, sandbox, p12)| ApnsSettings {
                    bundle_id,
                    sandbox,
                    p12,
                }),
                fcm: fcm.map(|server_key| FcmSettings { server_key }),
                fcmv1: fcmv1.map(|server_credentials| FcmV1Settings { server_credentials }),
                custom_app: custom_app.map(|(app_name, apple_app_link, google_app_link)| {
                    CustomApp {
                        app_name,
                        apple_app_link,
                        google_app_link,
                    }
                }),
            },
            duo: duo.map(|(ikey, skey, host)| DuoSettings { ikey, skey, host }),
            webauthn_roaming: roaming.map(|(user_verification, override_relying_party, id)| {
                WebAuthnRoamingSettings {
                    user_verification,
                    override_relying_party,
                    relying_party_identifier: id,
                }
            }),
            webauthn_platform: platform.map(|(override_relying_party, id)| {
                WebAuthnPlatformSettings {
                    override_relying_party,
                    relying_party_identifier: id,
                }
            }),
            ..MfaState::default()
        }
    })
}

/// What a read of `state` could return: write-only values are never read.
fn as_read(mut state: MfaState) -> MfaState {
    if let Some(sns) = state.push.sns.as_mut() {
        sns.aws_secret_access_key = None;
    }
    if let Some(apns) = state.push.apns.as_mut() {
        apns.p12 = None;
    }
    state.push.fcm = None;
    state.push.fcmv1 = None;
    state
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn applying_a_plan_converges(desired in state(), live in state(), resend in any::<bool>()) {
        let live = live_of(as_read(live));
        let options = DiffOptions { resend_write_only: resend, ..options() };
        let Ok(first) = diff(&desired, &live, &options) else {
            return Ok(());
        };
        let after = applied(&first, &live);
        let second = diff(&desired, &after, &DiffOptions { resend_write_only: false, ..options })
            .expect("a converged tenant plans without error");
        prop_assert!(second.is_empty(), "left over: {:?}", addresses(&second));
        let order: Vec<Stage> = first.changes.iter().map(|c| c.stage).collect();
        let mut sorted = order.clone();
        sorted.sort();
        prop_assert_eq!(order, sorted);
    }
}
