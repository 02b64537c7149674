//! Snapshots of the printers for several tenants, on a mixed run: one tenant unchanged, one
//! drifted, one with a dangerous change, one with bad credentials and one unreachable.

use crate::fleet::compare::compare;
use crate::fleet::{ApplyStatus, FleetPlan, Rollout, TenantApply, TenantError, TenantPlan};
use crate::live::LiveTenant;
use crate::model::*;
use crate::plan::fixtures::{all_factors, fresh_live, live_of, secret, secrets, set, text};
use crate::plan::{DiffOptions, Plan, diff};
use crate::render::fleet::{comparison_human, comparison_json, human, json, markdown, rollout};
use crate::resource::specs::{DUO, PHONE_TWILIO};

fn plan_for(domain: &str, desired: &MfaState, live: &LiveTenant) -> Plan {
    let options = DiffOptions {
        tenant: domain.into(),
        resend_write_only: false,
    };
    diff(desired, live, &options).unwrap()
}

fn planned(name: &str, plan: Plan) -> TenantPlan {
    TenantPlan {
        name: name.into(),
        domain: plan.tenant.clone(),
        result: Ok(plan),
    }
}

fn failed(name: &str, domain: &str, message: &str, summary: &str) -> TenantPlan {
    TenantPlan {
        name: name.into(),
        domain: domain.into(),
        result: Err(TenantError {
            summary: summary.into(),
            message: message.into(),
        }),
    }
}

fn mixed() -> FleetPlan {
    let mut unchanged = MfaState::default();
    unchanged.set_policies([]);
    let mut drifted = MfaState::default();
    drifted.set_policies([Policy::AllApplications]);
    drifted.set_factor(Factor::Otp, true);
    drifted.set_factor(Factor::RecoveryCode, true);
    let mut on = MfaState::default();
    on.set_policies([Policy::AllApplications]);
    all_factors(&mut on, false);
    on.set_factor(Factor::Otp, true);
    let mut off = MfaState::default();
    off.set_policies([]);
    FleetPlan {
        tenants: vec![
            planned(
                "dev",
                plan_for("acme-dev.eu.auth0.com", &unchanged, &fresh_live()),
            ),
            planned(
                "staging",
                plan_for("acme-staging.eu.auth0.com", &drifted, &fresh_live()),
            ),
            planned("eu", plan_for("acme-eu.eu.auth0.com", &off, &live_of(on))),
            failed(
                "us",
                "acme-us.us.auth0.com",
                "acme-us.us.auth0.com refused to issue an access token (401 access_denied: Unauthorized). Check AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET, that the application is authorized for the Auth0 Management API, and AUTH0_AUDIENCE if you set it",
                "access token refused (401 access_denied: Unauthorized)",
            ),
            failed(
                "prod",
                "acme.eu.auth0.com",
                "POST /oauth/token: could not talk to acme.eu.auth0.com (error sending request for url (https://acme.eu.auth0.com/oauth/token)) after 2 attempts. Check that AUTH0_DOMAIN is right and reachable from here (DNS, proxy, firewall, TLS interception)",
                "unreachable: could not connect (error sending request for url (https://acme.eu.auth0.com/oauth/token))",
            ),
        ],
    }
}

fn text_of(write: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> String {
    let mut out = Vec::new();
    write(&mut out).unwrap();
    String::from_utf8(out)
        .unwrap()
        .replace(env!("CARGO_PKG_VERSION"), "[version]")
}

#[test]
fn the_summary_table_of_a_mixed_run() {
    let fleet = mixed();
    assert_eq!(fleet.detailed_exit_code(), 1);
    let summary = text_of(|out| human::summary(&fleet, out, false));
    insta::assert_snapshot!("summary_table", summary);
    let whole = text_of(|out| human::render(&fleet, out, false));
    let hint = "Dangerous changes need `apply --allow-dangerous`.\n";
    assert!(
        whole.ends_with(&format!("{summary}{hint}")),
        "the table closes the output, then the hint"
    );
    assert_eq!(
        whole.matches(hint).count(),
        1,
        "the hint once, not per tenant"
    );
    let allowed = text_of(|out| human::render_dangerous_allowed(&fleet, out, false));
    assert_eq!(allowed, whole.replace(hint, ""));
    insta::assert_snapshot!("human", whole);
}

#[test]
fn the_markdown_comment_of_a_mixed_run() {
    let fleet = mixed();
    let text = text_of(|out| markdown::render(&fleet, out));
    assert_eq!(text.matches("<!-- mfactl-plan -->").count(), 1);
    assert!(text.starts_with("<!-- mfactl-plan -->\n"));
    let table = text.find("| Tenant |").unwrap();
    let first_section = text.find("<details>").unwrap();
    assert!(
        table < first_section,
        "the summary table comes before the sections"
    );
    assert_eq!(text.matches("<details>").count(), fleet.tenants.len());
    let head: String = text[..first_section].to_string();
    insta::assert_snapshot!("markdown_head", head);
    insta::assert_snapshot!("markdown", text);
}

#[test]
fn the_json_document_has_a_tenants_map_in_file_order() {
    let fleet = mixed();
    let value = json::to_value(&fleet);
    let names: Vec<&String> = value["tenants"].as_object().unwrap().keys().collect();
    assert_eq!(names, ["dev", "staging", "eu", "us", "prod"]);
    assert_eq!(value["tenants"]["dev"]["plan"]["summary"]["changes"], 0);
    assert_eq!(value["tenants"]["us"]["status"], "failed");
    assert_eq!(value["summary"]["failed"], 2);
    let text = text_of(|out| json::render(&fleet, out));
    insta::assert_snapshot!("json_summary", {
        let mut summary = value.clone();
        for tenant in summary["tenants"].as_object_mut().unwrap().values_mut() {
            if let Some(plan) = tenant.get_mut("plan").filter(|p| !p.is_null()) {
                *plan = serde_json::json!("(the tenant's plan, as `plan --format json` prints it)");
            }
        }
        serde_json::to_string_pretty(&summary)
            .unwrap()
            .replace(env!("CARGO_PKG_VERSION"), "[version]")
    });
    assert!(text.ends_with("}\n"));
}

#[test]
fn the_rollout_table() {
    let rollout_result = Rollout {
        tenants: vec![
            TenantApply {
                name: "dev".into(),
                status: ApplyStatus::Applied { changes: 2 },
            },
            TenantApply {
                name: "staging".into(),
                status: ApplyStatus::Failed {
                    reason: "Applied 0 of 1 change: 1 failed, 0 not attempted.".into(),
                },
            },
            TenantApply {
                name: "prod".into(),
                status: ApplyStatus::NotAttempted,
            },
        ],
    };
    insta::assert_snapshot!(text_of(|out| rollout::render(&rollout_result, out)));
}

fn with_duo(domain: &str, skey: &str, email: bool) -> LiveTenant {
    let mut live = fresh_live();
    live.domain = domain.into();
    live.consolidated_phone = Some(false);
    live.state.set_factor(Factor::Email, email);
    set(
        &mut live.state,
        &DUO,
        [
            ("ikey", text("DIXXXXXXXXXXXXXXXXXX")),
            ("skey", secret(skey)),
            ("host", text("api-1234abcd.duosecurity.com")),
        ],
    );
    live
}

#[test]
fn the_comparison_of_three_tenants() {
    let dev = with_duo("acme-dev.eu.auth0.com", "duo-skey-SECRET-1111", false);
    let staging = with_duo("acme-staging.eu.auth0.com", "duo-skey-SECRET-1111", true);
    let mut prod = with_duo("acme.eu.auth0.com", "duo-skey-SECRET-2222", true);
    set(
        &mut prod.state,
        &PHONE_TWILIO,
        [
            ("sid", text("AC00000000000000000000000000000000")),
            ("auth_token", secret("twilio-SECRET-3333")),
            ("from", text("+15550001111")),
        ],
    );
    let comparison = compare(&[("dev", &dev), ("staging", &staging), ("prod", &prod)]);
    let human_text = text_of(|out| comparison_human::render(&comparison, out, false));
    let json_text = text_of(|out| comparison_json::render(&comparison, out));
    for shown in [&human_text, &json_text] {
        for secret in secrets().into_iter().chain([
            "duo-skey-SECRET-1111",
            "duo-skey-SECRET-2222",
            "twilio-SECRET-3333",
        ]) {
            assert!(!shown.contains(secret), "{secret} shown:\n{shown}");
        }
    }
    insta::assert_snapshot!("comparison_human", human_text);
    insta::assert_snapshot!("comparison_json", json_text);
}
