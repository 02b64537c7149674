//! Snapshots of every printer for the plans people meet, and the secret scan.

use crate::live::LiveTenant;
use crate::model::*;
use crate::plan::fixtures::{
    OLD_DUO_SKEY, OLD_TWILIO_TOKEN, all_factors, fresh_live, full_desired, live_of, part, secret,
    secret_of, secrets, set,
};
use crate::plan::readback::read_back;
use crate::plan::saved::SavedPlan;
use crate::plan::{DiffOptions, FilePosition, Plan, Warning, WarningSource, diff};
use crate::render::{human, json, markdown};
use crate::resource::specs::{DUO, PHONE_TEMPLATES, PHONE_TWILIO, TENANT_PHONE_PROVIDER};

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
    let changes: Vec<_> = first.changes.iter().collect();
    let after = live_of(read_back(&live.state, &changes));
    (desired, after)
}

fn mfa_off() -> Plan {
    let mut live = MfaState::default();
    live.set_policies([Policy::AllApplications]);
    all_factors(&mut live, false);
    live.set_factor(Factor::Otp, true);
    live.set_factor(Factor::Sms, true);
    let mut desired = MfaState::default();
    desired.set_policies([]);
    desired.set_factor(Factor::Otp, false);
    desired.set_factor(Factor::Sms, false);
    plan_with(&desired, &live_of(live), false)
}

#[test]
fn empty_plan() {
    let mut desired = MfaState::default();
    desired.set_policies([]);
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
    let desired = part(&full_desired(), &[&PHONE_TEMPLATES]);
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
    desired.insert(Address::of(&TENANT_PHONE_PROVIDER), Values::default());
    let mut live = fresh_live();
    // A legacy tenant that has no Tenant Phone provider yet.
    live.consolidated_phone = Some(false);
    live.state.remove(&Address::of(&TENANT_PHONE_PROVIDER));
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
    set(
        &mut live.state,
        &PHONE_TWILIO,
        [("auth_token", secret(OLD_TWILIO_TOKEN))],
    );
    set(&mut live.state, &DUO, [("skey", secret(OLD_DUO_SKEY))]);
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
        assert!(
            bodies.contains(secret_of("TWILIO_AUTH_TOKEN"))
                && bodies.contains(secret_of("FCM_V1_CREDENTIALS"))
        );
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
            for secret in secrets() {
                assert!(!output.contains(secret), "{secret} leaked into:\n{output}");
            }
        }
    }
}

#[test]
fn error_paths_hold_no_secret() {
    let mut desired = full_desired();
    all_factors(&mut desired, false);
    let mut live = fresh_live();
    set(
        &mut live.state,
        &PHONE_TWILIO,
        [("auth_token", secret(OLD_TWILIO_TOKEN))],
    );
    let options = DiffOptions::default();
    let lockout = diff(&desired, &live, &options).unwrap_err();
    live.unavailable.insert(
        Address::of(&PHONE_TWILIO),
        crate::live::Unavailable {
            status: 403,
            error_code: "legacy_mfa_phone_provider_not_allowed".into(),
            message: "Not allowed".into(),
        },
    );
    let unavailable = diff(&desired, &live, &options).unwrap_err();
    for error in [lockout, unavailable] {
        let shown = format!("{error} {error:?}");
        for secret in secrets() {
            assert!(!shown.contains(secret), "{secret} leaked into {shown}");
        }
    }
}
