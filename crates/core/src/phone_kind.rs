//! The tenant's phone kind: on the consolidated phone experience (phone provider and templates
//! in Tenant Phone Settings) or legacy (Guardian's own phone provider and templates). Decided
//! here once, for the API client and the emulator alike.
//!
//! The fact comes from `phone_consolidated_experience` in `GET /tenants/settings`. When the key
//! is absent (or `null`), the tenant is on the consolidated experience: Auth0's Terraform
//! provider reads it that way ("Enabled by default for new tenants":
//! auth0/terraform-provider-auth0 `internal/auth0/guardian/resource.go`,
//! `isPhoneConsolidatedExperienceEnabled`, at a00b6921), and Auth0 made the consolidated
//! experience the default for new tenants (DESIGN.md section 3). Every recorded
//! `GET /tenants/settings` answer (`guardian-adjacent-interactions.jsonl`, 12 of them) carries the
//! key, set to `true`, so the recordings never show the absent case.

use serde_json::Value;

/// The key of `GET /tenants/settings` (and `PATCH`) that holds the phone kind.
pub const PHONE_CONSOLIDATED_EXPERIENCE: &str = "phone_consolidated_experience";

/// Whether a tenant is on the consolidated phone experience, from the value of
/// [`PHONE_CONSOLIDATED_EXPERIENCE`] in its settings (`None` when the key is absent). Anything
/// but a boolean reads as absent: consolidated.
pub fn is_consolidated(setting: Option<&Value>) -> bool {
    setting.and_then(Value::as_bool).unwrap_or(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn absent_or_null_means_consolidated() {
        assert!(is_consolidated(Some(&json!(true))));
        assert!(!is_consolidated(Some(&json!(false))));
        assert!(is_consolidated(None));
        assert!(is_consolidated(Some(&Value::Null)));
    }
}
