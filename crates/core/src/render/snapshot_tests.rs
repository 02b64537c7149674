//! Snapshots of every printer for the plans people meet, and the secret scan.

// Tests build states field by field: it reads better than one large literal.
#![allow(clippy::field_reassign_with_default)]

use std::collections::BTreeSet;

use crate::live::LiveTenant;
use crate::model::*;
use crate::plan::fixtures::{SECRETS, fresh_live, full_desired, live_of};
use crate::plan::readback::read_back;
use crate::plan::saved::SavedPlan;
use crate::plan::{DiffOptions, FilePosition, Plan, Warning, WarningSource, diff};
use crate::render::{human, json, markdown};
use crate::secret::Secret;

fn plan_with(desired: &MfaState, live: &LiveTenant, resend: bool) -> Plan {
    let options = DiffOptions {
        tenant: "acme-dev.eu.auth0.com".into(),
        resend_write_only: resend,
    };
    diff(desired, live, &options).unwrap()
}

fn human_text(plan: &Plan, color: bool) -> String {
    let mut out = Vec::new();
    human::render(plan, &mut out, color).unwrap();
    String::from_utf8(out).unwrap()
}

fn json_text(plan: &Plan) -> String {
    let mut out = Vec::new();
    json::render(plan, &mut out).unwrap();
    String::from_utf8(out)
        .unwrap()
        .replace(env!("CARGO_PKG_VERSION"), "[version]")
}

fn markdown_text(plan: &Plan) -> String {
    let mut out = Vec::new();
    markdown::render(plan, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn snapshot_all(name: &str, plan: &Plan) {
    insta::assert_snapshot!(format!("{name}_human"), human_text(plan, false));
    insta::assert_snapshot!(format!("{name}_json"), json_text(plan));
    insta::assert_snapshot!(format!("{name}_markdown"), markdown_text(plan));
}

/// The full config after a first apply: the tenant reads back as the file says.
fn converged() -> (MfaState, LiveTenant) {
    let desired = full_desired();
    let live = fresh_live();
    let first = plan_with(&desired, &live, false);
    let requests: Vec<_> = first.changes.iter().map(|c| &c.request).collect();
    let after = live_of(read_back(&live.state, &requests));
    (desired, after)
}

fn mfa_off() -> Plan {
    let mut live = MfaState::default();
    live.policies = Some(BTreeSet::from([Policy::AllApplications]));
    live.factors = Factor::ALL.iter().map(|f| (*f, false)).collect();
    live.factors.insert(Factor::Otp, true);
    live.factors.insert(Factor::Sms, true);
    let mut desired = MfaState::default();
    desired.policies = Some(BTreeSet::new());
    desired.factors.insert(Factor::Otp, false);
    desired.factors.insert(Factor::Sms, false);
    plan_with(&desired, &live_of(live), false)
}

#[test]
fn empty_plan() {
    let mut desired = MfaState::default();
    desired.policies = Some(BTreeSet::new());
    let plan = plan_with(&desired, &fresh_live(), false);
    assert!(plan.is_empty());
    snapshot_all("empty", &plan);
    assert!(markdown_text(&plan).starts_with("<!-- mfactl-plan -->\n"));
}

#[test]
fn first_time_plan_of_every_section() {
    let plan = plan_with(&full_desired(), &fresh_live(), false);
    snapshot_all("first_time", &plan);
}

#[test]
fn template_text_change() {
    let mut desired = MfaState::default();
    desired.phone.templates = full_desired().phone.templates;
    let plan = plan_with(&desired, &fresh_live(), false);
    let text = human_text(&plan, false);
    assert!(
        text.contains("[-verification-]{+enrollment+}"),
        "word diff missing:\n{text}"
    );
    snapshot_all("template_change", &plan);
}

#[test]
fn dangerous_mfa_off() {
    let plan = mfa_off();
    assert!(human_text(&plan, false).contains("DANGEROUS:"));
    assert!(json_text(&plan).contains("\"dangerous\": true"));
    let markdown = markdown_text(&plan);
    let caution = markdown.find("[!CAUTION]").unwrap();
    let table = markdown.find("| | Address").unwrap();
    assert!(caution < table, "dangerous changes come first");
    snapshot_all("dangerous_mfa_off", &plan);
}

#[test]
fn unverifiable_write_only_values() {
    let (desired, live) = converged();
    let quiet = plan_with(&desired, &live, false);
    assert!(quiet.is_empty());
    snapshot_all("unverifiable", &quiet);
    let resend = plan_with(&desired, &live, true);
    snapshot_all("resend_write_only", &resend);
}

#[test]
fn every_format_carries_every_warning_with_its_place() {
    let mut desired = MfaState::default();
    desired.tenant_phone.provider = Some(TenantPhoneProvider::default());
    let mut live = fresh_live();
    live.consolidated_phone = Some(false);
    let mut plan = plan_with(&desired, &live, false);
    plan.warnings.insert(
        0,
        Warning {
            source: WarningSource::Config,
            position: Some(FilePosition {
                file: "mfa.yaml".into(),
                line: Some(7),
                column: Some(3),
            }),
            message: "`duo` is configured but `factors.duo` is false".into(),
            help: Some("enable `factors.duo` or remove `duo`".into()),
        },
    );
    let json: serde_json::Value = serde_json::from_str(&json_text(&plan)).unwrap();
    assert_eq!(json["warnings"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        json["warnings"][0],
        "mfa.yaml:7:3: `duo` is configured but `factors.duo` is false (enable `factors.duo` or remove `duo`)"
    );
    assert_eq!(json["warning_details"][0]["line"], 7);
    assert_eq!(json["warning_details"][1]["source"], "tenant");
    let markdown = markdown_text(&plan);
    assert!(
        markdown.contains("> `mfa.yaml:7:3` `duo` is configured"),
        "{markdown}"
    );
    // The human plan leaves config warnings to the diagnostics on stderr.
    let human = human_text(&plan, false);
    assert!(!human.contains("mfa.yaml:7:3"), "{human}");
    assert!(
        human.contains("Warning: this tenant uses the legacy"),
        "{human}"
    );
    snapshot_all("warnings", &plan);
}

#[test]
fn colour_is_added_only_when_asked() {
    let plan = mfa_off();
    assert!(!human_text(&plan, false).contains('\x1b'));
    let coloured = human_text(&plan, true);
    assert!(coloured.contains("\x1b[31m-\x1b[0m"), "{coloured}");
}

/// A plan that sends and compares every secret: first-time with resend, and changed readable
/// secrets (Twilio token, Duo key) whose old values the live read holds.
fn plans_full_of_secrets() -> Vec<Plan> {
    let first = plan_with(&full_desired(), &fresh_live(), true);
    let mut live = fresh_live();
    live.state.phone.twilio = Some(TwilioSettings {
        auth_token: Some(Secret::new(SECRETS[6])),
        ..Default::default()
    });
    live.state.duo = Some(DuoSettings {
        skey: Some(Secret::new(SECRETS[7])),
        ..Default::default()
    });
    let changed = plan_with(&full_desired(), &live, true);
    vec![first, changed]
}

#[test]
fn no_output_holds_a_secret() {
    for plan in plans_full_of_secrets() {
        // The requests really carry the secrets …
        let bodies: String = plan
            .changes
            .iter()
            .filter_map(|c| c.request.body.as_ref())
            .map(|b| b.to_string())
            .collect();
        assert!(bodies.contains(SECRETS[0]) && bodies.contains(SECRETS[4]));
        // … and no output shows them.
        let saved = SavedPlan::new(&plan, &fresh_live(), "mfa.yaml", "0")
            .to_json()
            .unwrap();
        let outputs = [
            human_text(&plan, false),
            human_text(&plan, true),
            json_text(&plan),
            markdown_text(&plan),
            saved,
            format!("{plan:?}"),
        ];
        for output in &outputs {
            for secret in SECRETS {
                assert!(!output.contains(secret), "{secret} leaked into:\n{output}");
            }
        }
    }
}

#[test]
fn error_paths_hold_no_secret() {
    let mut desired = full_desired();
    desired.factors = Factor::ALL.iter().map(|f| (*f, false)).collect();
    let mut live = fresh_live();
    live.state.phone.twilio = Some(TwilioSettings {
        auth_token: Some(Secret::new(SECRETS[6])),
        ..Default::default()
    });
    let options = DiffOptions::default();
    let lockout = diff(&desired, &live, &options).unwrap_err();
    live.unavailable.insert(
        Address::PhoneTwilio,
        crate::live::Unavailable {
            status: 403,
            error_code: "legacy_mfa_phone_provider_not_allowed".into(),
            message: "Not allowed".into(),
        },
    );
    let unavailable = diff(&desired, &live, &options).unwrap_err();
    for error in [lockout, unavailable] {
        let shown = format!("{error} {error:?}");
        for secret in SECRETS {
            assert!(!shown.contains(secret), "{secret} leaked into {shown}");
        }
    }
}
