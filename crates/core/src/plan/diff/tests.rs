use std::collections::BTreeMap;

use proptest::prelude::*;
use serde_json::json;

use super::*;
use crate::live::LiveTenant;
use crate::model::*;
use crate::plan::fixtures::{
    OLD_TWILIO_TOKEN, all_factors, fresh_live, full_desired, live_of, load_config, part, secret,
    secret_of, secrets, set, text,
};
use crate::plan::readback::read_back;
use crate::resource::specs::*;
use crate::resource::{Keys, RESOURCES};

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
    let changes: Vec<_> = plan.changes.iter().collect();
    live_of(read_back(&live.state, &changes))
}

/// A live state with every factor off but `on`.
fn factors_on(on: &[Factor]) -> MfaState {
    let mut state = MfaState::default();
    all_factors(&mut state, false);
    for factor in on {
        state.set_factor(*factor, true);
    }
    state
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
            ("email.otp".to_string(), 1),
            ("tenant_settings".to_string(), 1),
            ("phone.provider".to_string(), 2),
            ("push.provider".to_string(), 2),
            ("factors.sms".to_string(), 3),
            ("factors.push-notification".to_string(), 3),
            ("factors.otp".to_string(), 3),
            ("factors.email".to_string(), 3),
            ("factors.duo".to_string(), 3),
            ("factors.webauthn-roaming".to_string(), 3),
            ("factors.webauthn-platform".to_string(), 3),
            ("factors.recovery-code".to_string(), 3),
            ("phone.message_types".to_string(), 4),
            ("policies".to_string(), 6),
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
    let mut desired = part(&full_desired(), &[&PHONE_TWILIO]);
    set(
        &mut desired,
        &PHONE_PROVIDER,
        [("provider", text("twilio"))],
    );
    desired.set_factor(Factor::Sms, true);
    set(
        &mut desired,
        &PHONE_MESSAGE_TYPES,
        [("message_types", FieldValue::list(["sms"]))],
    );
    desired.set_policies([Policy::AllApplications]);
    let plan = plan(&desired, &fresh_live());
    assert_eq!(
        stages(&plan),
        [
            ("phone.twilio".to_string(), 1),
            ("phone.provider".to_string(), 2),
            ("factors.sms".to_string(), 3),
            ("phone.message_types".to_string(), 4),
            ("policies".to_string(), 6),
        ]
    );
    assert_eq!(plan.changes[4].action, Action::Enable);
}

#[test]
fn switching_factors_under_mfa_always_enables_the_new_one_first() {
    let mut live = factors_on(&[Factor::Otp]);
    live.set_policies([Policy::AllApplications]);
    let mut desired = MfaState::default();
    desired.set_factor(Factor::Otp, false);
    desired.set_factor(Factor::Email, true);
    let plan = plan(&desired, &live_of(live));
    assert_eq!(
        stages(&plan),
        [
            ("factors.email".to_string(), 3),
            ("factors.otp".to_string(), 7)
        ]
    );
    assert_eq!(plan.changes[1].action, Action::Disable);
    assert_eq!(plan.dangerous_count(), 0);
}

#[test]
fn turning_mfa_off_changes_policies_before_factors_and_is_dangerous() {
    let mut live = factors_on(&[Factor::Otp]);
    live.set_policies([Policy::AllApplications]);
    let mut desired = MfaState::default();
    desired.set_policies([]);
    desired.set_factor(Factor::Otp, false);
    let plan = plan(&desired, &live_of(live));
    assert_eq!(
        stages(&plan),
        [("policies".to_string(), 6), ("factors.otp".to_string(), 7)]
    );
    assert_eq!(plan.changes[0].action, Action::Disable);
    assert!(plan.changes.iter().all(|c| c.is_dangerous()));
    assert_eq!(plan.summary(), "Plan: 2 to change (2 dangerous).");
    assert_eq!(plan.changes[0].request.body, Some(json!([])));
}

#[test]
fn disabling_one_of_two_factors_is_not_dangerous() {
    let live = factors_on(&[Factor::Otp, Factor::Email]);
    let mut desired = MfaState::default();
    desired.set_factor(Factor::Otp, false);
    let plan = plan(&desired, &live_of(live));
    assert_eq!(plan.dangerous_count(), 0);
}

#[test]
fn requiring_mfa_with_every_factor_off_is_an_error() {
    let live = factors_on(&[Factor::Otp]);
    let mut desired = MfaState::default();
    desired.set_policies([Policy::AllApplications]);
    desired.set_factor(Factor::Otp, false);
    let err = diff(&desired, &live_of(live), &options()).unwrap_err();
    assert!(matches!(err, PlanError::Lockout { .. }), "{err}");
}

#[test]
fn switching_push_from_guardian_to_sns() {
    let mut desired = part(&full_desired(), &[&PUSH_SNS]);
    set(&mut desired, &PUSH_PROVIDER, [("provider", text("sns"))]);
    desired.set_factor(Factor::PushNotification, true);
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
        json!(secret_of("AWS_SECRET_ACCESS_KEY"))
    );
}

#[test]
fn switching_to_sns_sends_credentials_that_cannot_be_compared() {
    // The SNS settings read back equal, only the secret is unknown: the switch still sends it.
    let mut live = fresh_live();
    let mut desired = part(&full_desired(), &[&PUSH_SNS]);
    let mut read = desired.get(&Address::of(&PUSH_SNS)).unwrap().clone();
    read.fields.remove("aws_secret_access_key");
    live.state.insert(Address::of(&PUSH_SNS), read);
    set(&mut desired, &PUSH_PROVIDER, [("provider", text("sns"))]);
    let switching = plan(&desired, &live);
    assert_eq!(addresses(&switching), ["push.sns", "push.provider"]);
    // Once SNS is selected, the same file plans nothing.
    set(&mut live.state, &PUSH_PROVIDER, [("provider", text("sns"))]);
    let settled = plan(&desired, &live);
    assert!(settled.is_empty());
    assert!(!settled.unverifiable[0].sent);
}

#[test]
fn switching_to_direct_sends_the_fcm_keys() {
    let mut desired = part(&full_desired(), &[&PUSH_FCMV1]);
    set(&mut desired, &PUSH_PROVIDER, [("provider", text("direct"))]);
    let plan = plan(&desired, &fresh_live());
    assert_eq!(addresses(&plan), ["push.fcmv1", "push.provider"]);
    assert_eq!(plan.changes[0].action, Action::Update);
    assert_eq!(plan.changes[0].before, None);
    assert_eq!(
        plan.changes[0].request.body,
        Some(json!({"server_credentials": secret_of("FCM_V1_CREDENTIALS")}))
    );
}

#[test]
fn write_only_differences_are_unverifiable_until_resent() {
    let mut live = fresh_live();
    set(
        &mut live.state,
        &PUSH_APNS,
        [
            ("bundle_id", text("com.acme.app")),
            ("sandbox", FieldValue::Bool(false)),
        ],
    );
    let mut desired = part(&full_desired(), &[&PUSH_APNS, &PUSH_FCMV1]);
    // No example uses the legacy FCM server key.
    let fcm = "version: 1\npush:\n  fcm: { server_key: \"${FCM_SERVER_KEY}\" }\n";
    desired
        .resources
        .extend(load_config("fcm.yaml", fcm).resources);
    let quiet = plan(&desired, &live);
    assert!(quiet.is_empty());
    assert_eq!(quiet.unverifiable.len(), 3);
    assert!(quiet.unverifiable.iter().all(|u| !u.sent));

    let resend = DiffOptions {
        resend_write_only: true,
        ..options()
    };
    let loud = diff(&desired, &live, &resend).unwrap();
    assert_eq!(addresses(&loud), ["push.apns", "push.fcm", "push.fcmv1"]);
    assert_eq!(
        loud.changes[1].request.body,
        Some(json!({"server_key": secret_of("FCM_SERVER_KEY")}))
    );
    let apns = &loud.changes[0];
    assert_eq!(apns.action, Action::Update);
    assert_eq!(apns.fields.len(), 1);
    assert_eq!(apns.fields[0].kind, FieldKind::WriteOnly);
    assert_eq!(
        apns.request.body,
        Some(json!({"bundle_id": "com.acme.app", "sandbox": false, "p12": secret_of("APNS_P12")}))
    );
    assert!(loud.unverifiable.iter().all(|u| u.sent));
}

#[test]
fn sets_compare_without_order_and_twilio_unset_reads_as_null() {
    let mut live = fresh_live();
    live.state.set_factor(Factor::Otp, true);
    live.state.set_policies([Policy::AllApplications]);
    set(
        &mut live.state,
        &PHONE_MESSAGE_TYPES,
        [("message_types", FieldValue::list(["voice", "sms"]))],
    );
    set(
        &mut live.state,
        &PHONE_TWILIO,
        [
            ("sid", text("AC1")),
            ("auth_token", secret(OLD_TWILIO_TOKEN)),
            ("from", text("+15550001111")),
        ],
    );
    let mut desired = MfaState::default();
    desired.set_policies([Policy::AllApplications]);
    set(
        &mut desired,
        &PHONE_MESSAGE_TYPES,
        [("message_types", FieldValue::list(["sms", "voice"]))],
    );
    set(
        &mut desired,
        &PHONE_TWILIO,
        [
            ("sid", text("AC1")),
            ("auth_token", secret(OLD_TWILIO_TOKEN)),
            ("from", text("+15550001111")),
            ("messaging_service_sid", text("")),
        ],
    );
    assert!(plan(&desired, &live).is_empty());

    // A messaging service the file does not name is removed: the PUT overwrites.
    live.state
        .get_mut(&Address::of(&PHONE_TWILIO))
        .unwrap()
        .set("messaging_service_sid", text("MG1"));
    let plan = plan(&desired, &live);
    assert_eq!(addresses(&plan), ["phone.twilio"]);
    assert_eq!(plan.changes[0].fields[0].field, "messaging_service_sid");
    assert_eq!(plan.changes[0].fields[0].after, serde_json::Value::Null);
}

#[test]
fn a_changed_twilio_token_is_a_sensitive_change() {
    let mut live = fresh_live();
    set(
        &mut live.state,
        &PHONE_TWILIO,
        [
            ("sid", text("AC1")),
            ("auth_token", secret(OLD_TWILIO_TOKEN)),
        ],
    );
    let mut desired = MfaState::default();
    set(
        &mut desired,
        &PHONE_TWILIO,
        [
            ("sid", text("AC1")),
            ("auth_token", secret(secret_of("TWILIO_AUTH_TOKEN"))),
        ],
    );
    let plan = plan(&desired, &live);
    let change = &plan.changes[0];
    assert_eq!(change.sensitive_fields, ["auth_token"]);
    assert_eq!(change.fields[0].kind, FieldKind::Sensitive);
    let shown = format!("{:?}", plan);
    for secret in secrets() {
        assert!(!shown.contains(secret), "Debug shows {secret}");
    }
}

#[test]
fn merged_resources_ignore_what_the_file_leaves_out() {
    let mut live = fresh_live();
    set(
        &mut live.state,
        &WEBAUTHN_ROAMING,
        [
            ("user_verification", text("required")),
            ("override_relying_party", FieldValue::Bool(true)),
            ("relying_party_identifier", text("acme.com")),
        ],
    );
    set(
        &mut live.state,
        &PUSH_CUSTOM_APP,
        [
            ("app_name", text("Acme")),
            ("apple_app_link", text("https://apps.apple.com/app/id1")),
        ],
    );
    let mut desired = MfaState::default();
    set(
        &mut desired,
        &WEBAUTHN_ROAMING,
        [("user_verification", text("required"))],
    );
    set(&mut desired, &PUSH_CUSTOM_APP, [("app_name", text("Acme"))]);
    // apns: sandbox unset means false, which the tenant reports.
    set(&mut desired, &PUSH_APNS, []);
    assert!(plan(&desired, &live).is_empty());

    set(
        &mut desired,
        &PUSH_CUSTOM_APP,
        [("app_name", text("Acme 2"))],
    );
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
    desired.set_factor(Factor::Otp, false);
    assert!(plan(&desired, &live).is_empty());
    assert!(plan(&MfaState::default(), &live).is_empty());
}

#[test]
fn unavailable_managed_resources_stop_the_plan() {
    let mut live = fresh_live();
    live.unavailable.insert(
        Address::of(&POLICIES),
        crate::live::Unavailable {
            status: 403,
            error_code: "insufficient_entitlement".into(),
            message: "Adaptive MFA is not available".into(),
        },
    );
    let mut desired = MfaState::default();
    desired.set_policies([Policy::ConfidenceScore]);
    let err = diff(&desired, &live, &options()).unwrap_err();
    assert!(matches!(err, PlanError::Unavailable(_)), "{err}");
}

#[test]
fn a_tenant_flag_the_file_leaves_unset_is_not_managed() {
    // `/tenants/settings` leaves out flags never set (they read as `false`); a flag the file
    // does not name is neither compared nor sent, whatever the tenant holds.
    let mut live = fresh_live();
    set(
        &mut live.state,
        &TENANT_SETTINGS,
        [
            ("customize_mfa_in_postlogin_action", FieldValue::Bool(true)),
            (
                "mfa_show_factor_list_on_enrollment",
                FieldValue::Bool(false),
            ),
        ],
    );
    let mut desired = MfaState::default();
    set(
        &mut desired,
        &TENANT_SETTINGS,
        [("mfa_show_factor_list_on_enrollment", FieldValue::Bool(true))],
    );
    let first = plan(&desired, &live);
    let fields: Vec<&str> = first.changes[0]
        .fields
        .iter()
        .map(|f| f.field.as_str())
        .collect();
    assert_eq!(fields, ["mfa_show_factor_list_on_enrollment"]);
    assert_eq!(
        first.changes[0].request.body,
        Some(json!({"flags": {"mfa_show_factor_list_on_enrollment": true}}))
    );
    assert!(plan(&desired, &applied(&first, &live)).is_empty());
}

#[test]
fn prompt_texts_replace_the_language_and_an_empty_mapping_clears_it() {
    let address = Address::keyed(&PROMPT_TEXTS, ["mfa-sms", "en"]);
    let texts = |value: serde_json::Value| -> Values {
        crate::live::read::parse_values(&PROMPT_TEXTS, &value).unwrap()
    };
    let mut live = fresh_live();
    live.state.insert(
        address.clone(),
        texts(json!({"mfa-sms-enrollment": {"title": "Old", "description": "Kept?"}})),
    );
    let mut desired = MfaState::default();
    desired.insert(
        address.clone(),
        texts(json!({"mfa-sms-enrollment": {"title": "New"}})),
    );
    let change = plan(&desired, &live);
    assert_eq!(addresses(&change), ["prompts.mfa-sms.en"]);
    let fields: Vec<(&str, serde_json::Value)> = change.changes[0]
        .fields
        .iter()
        .map(|f| (f.field.as_str(), f.after.clone()))
        .collect();
    // The PUT replaces the language's whole object: a text the file leaves out is removed.
    assert_eq!(
        fields,
        [
            ("mfa-sms-enrollment.description", serde_json::Value::Null),
            ("mfa-sms-enrollment.title", json!("New")),
        ]
    );
    assert_eq!(change.changes[0].action, Action::Update);
    let after = applied(&change, &live);
    assert!(plan(&desired, &after).is_empty());

    desired.insert(address.clone(), texts(json!({})));
    let clear = plan(&desired, &after);
    assert_eq!(clear.changes[0].request.body, Some(json!({})));
    assert_eq!(
        clear.changes[0].request.path,
        "/prompts/mfa-sms/custom-text/en"
    );
    assert!(plan(&desired, &applied(&clear, &after)).is_empty());
}

// ---- property: applying a plan and planning again gives nothing ----

/// Values a field may hold: a few of each kind, so that generated states often agree.
fn field_value(field: &'static FieldSpec) -> BoxedStrategy<FieldValue> {
    let texts = |values: &'static [&'static str]| {
        proptest::sample::select(values)
            .prop_map(|t| FieldValue::Text(t.to_string()))
            .boxed()
    };
    match field.ty {
        _ if field.is_secret() => proptest::sample::select(&["s1", "s2"][..])
            .prop_map(|s| FieldValue::Secret(crate::secret::Secret::new(s)))
            .boxed(),
        FieldType::Text { .. } => texts(&["", "a", "b"]),
        FieldType::Bool => any::<bool>().prop_map(FieldValue::Bool).boxed(),
        FieldType::Integer { min, max, .. } => proptest::sample::select(vec![min, max])
            .prop_map(FieldValue::Number)
            .boxed(),
        FieldType::Enum(info) => proptest::sample::select(info.names().collect::<Vec<_>>())
            .prop_map(|t| FieldValue::Text(t.to_string()))
            .boxed(),
        FieldType::Set { of, .. } => {
            let all: Vec<&'static str> = of.names().collect();
            let len = all.len();
            proptest::sample::subsequence(all, 0..=len)
                .prop_map(FieldValue::list)
                .boxed()
        }
        FieldType::Items { .. } => methods().boxed(),
        FieldType::Texts => proptest::sample::select(vec![
            json!({}),
            json!({"screen": {"title": "a"}}),
            json!({"screen": {"title": "b", "description": "a"}}),
        ])
        .prop_map(
            |v| match crate::live::read::parse_values(&PROMPT_TEXTS, &v) {
                Ok(values) => values
                    .get("texts")
                    .cloned()
                    .unwrap_or(FieldValue::Texts(BTreeMap::new())),
                Err(e) => panic!("{e}"),
            },
        )
        .boxed(),
    }
}

/// A user's methods: up to three of a few, with distinct identities (validation refuses two
/// of the file with one identity), the personal data of a live one as a read masks it.
fn methods() -> impl Strategy<Value = FieldValue> {
    let one = proptest::sample::select(vec![
        ("phone", "phone_number", "+15551234567", Some("Work")),
        ("phone", "phone_number", "+442071838750", None),
        ("email", "email", "oncall@example.com", None),
        ("totp", "totp_secret", "JBSWY3DPEHPK3PXP", Some("e2e")),
        ("totp", "totp_secret", "KRUGS4ZANFZSAYJA", None),
    ]);
    (
        proptest::collection::vec(one, 0..=3),
        proptest::sample::select(vec![None, Some("sms"), Some("voice")]),
    )
        .prop_map(|(picked, preferred)| {
            let mut items: Vec<Values> = Vec::new();
            for (n, (kind, key, value, name)) in picked.into_iter().enumerate() {
                let mut item = Values::of([("type", FieldValue::Text(kind.into()))]);
                let value = if key == "totp_secret" {
                    FieldValue::Secret(crate::secret::Secret::new(value))
                } else {
                    FieldValue::Text(value.into())
                };
                item.set(key, value);
                if let Some(name) = name {
                    item.set("name", FieldValue::Text(name.into()));
                }
                if let (Some(p), "phone") = (preferred, kind) {
                    item.set("preferred", FieldValue::Text(p.into()));
                }
                item.id = Some(format!("{kind}|dev_{n}"));
                let id = crate::users::identity::method_identity(&item);
                if !items
                    .iter()
                    .any(|i| crate::users::identity::method_identity(i) == id)
                {
                    items.push(item);
                }
            }
            FieldValue::Items(items)
        })
}

/// A resource's values: each field unset or one of a few values. A resource that is one
/// value always has it.
fn resource_values(spec: &'static ResourceSpec) -> BoxedStrategy<Values> {
    let fields: Vec<BoxedStrategy<Option<(&'static str, FieldValue)>>> = spec
        .fields
        .iter()
        .map(|field| {
            let value = field_value(field).prop_map(move |v| (field.key, v));
            if spec.shape == Shape::Value {
                value.prop_map(Some).boxed()
            } else {
                proptest::option::of(value).boxed()
            }
        })
        .collect();
    fields
        .prop_map(|fields| Values::of(fields.into_iter().flatten()))
        .boxed()
}

/// Every address of the table (two prompt languages for the prompt texts).
fn all_addresses() -> Vec<Address> {
    let mut addresses = Vec::new();
    for spec in RESOURCES.iter().copied() {
        match spec.keys {
            Keys::Single => addresses.push(Address::of(spec)),
            Keys::Fixed(info) => {
                addresses.extend(info.names().map(|name| Address::keyed(spec, [name])));
            }
            Keys::PromptLanguage { .. } => {
                addresses.push(Address::keyed(spec, ["mfa-sms", "en"]));
                addresses.push(Address::keyed(spec, ["mfa", "fr"]));
            }
            Keys::User => addresses.push(Address::keyed(spec, ["auth0|1"])),
        }
    }
    addresses
}

/// A state that holds any of the table's resources, with any values.
fn state() -> impl Strategy<Value = MfaState> {
    let parts: Vec<BoxedStrategy<Option<(Address, Values)>>> = all_addresses()
        .into_iter()
        .map(|address| {
            proptest::option::of(resource_values(address.spec()))
                .prop_map(move |values| values.map(|v| (address.clone(), v)))
                .boxed()
        })
        .collect();
    parts.prop_map(|parts| MfaState {
        resources: parts.into_iter().flatten().collect(),
    })
}

/// What a read of `state` could return: write-only values and resources are never read.
fn as_read(mut state: MfaState) -> MfaState {
    state
        .resources
        .retain(|address, _| address.spec().read.is_some());
    for (address, values) in state.resources.iter_mut() {
        let spec = address.spec();
        values.fields.retain(|key, _| {
            spec.field(key)
                .is_some_and(|f| !f.is_write_only() && !f.local)
        });
        for value in values.fields.values_mut() {
            if let FieldValue::Items(items) = value {
                for item in items.iter_mut() {
                    item.fields.retain(|key, _| *key != "totp_secret");
                    for key in ["phone_number", "email"] {
                        if let Some(FieldValue::Text(text)) = item.fields.get_mut(key) {
                            *text = crate::users::masking::mask_field(key, &json!(text))
                                .as_str()
                                .unwrap_or_default()
                                .to_string();
                        }
                    }
                }
            }
        }
    }
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
