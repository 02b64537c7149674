//! A tenant's error as the outputs of several tenants show it: a few words for the summary
//! table, and the whole message with advice that names the tenants file's keys (a tenant's
//! credentials come from there, not from the `AUTH0_*` variables the client's messages name).

use crate::api::ApiError;
use crate::api::settings::env_names;
use crate::error::CommandError;
use crate::fleet::TenantError;
use crate::fleet::outcome::first_sentence;
use crate::scrub;

/// `error` of tenant `tenant` (of the tenants file), worded for the outputs of a run.
pub fn tenant_error(tenant: &str, error: &CommandError) -> TenantError {
    let message = for_tenant(&scrub::scrub(&error.to_string()), tenant);
    let summary = match error {
        CommandError::Api(api) => api_summary(api).unwrap_or_else(|| first_sentence(&message)),
        _ => first_sentence(&message),
    };
    TenantError {
        summary: scrub::scrub(&summary),
        message,
    }
}

/// The few words for the errors a tenant of a run most often ends with.
fn api_summary(error: &ApiError) -> Option<String> {
    Some(match error {
        ApiError::TokenRequest {
            status, message, ..
        } => format!("access token refused ({status} {message})"),
        ApiError::Unauthorized { message, .. } => format!("access token rejected (401 {message})"),
        ApiError::MissingScopes { missing, .. } => format!(
            "the token lacks scope(s): {}",
            missing.iter().cloned().collect::<Vec<_>>().join(", ")
        ),
        ApiError::Connection { domain, .. } => {
            format!("unreachable: could not connect to {domain}")
        }
        ApiError::Timeout { domain, .. } => format!("unreachable: no answer from {domain}"),
        ApiError::DeadlineExceeded { domain, .. } => {
            format!("unreachable: no answer from {domain} within the request deadline")
        }
        _ => return None,
    })
}

/// `message` with the environment variables a single-tenant run reads replaced by the keys
/// of the tenant's entry that stand for them.
pub fn for_tenant(message: &str, tenant: &str) -> String {
    let keys = [
        (env_names::API_TOKEN, "api_token"),
        (env_names::ACCESS_TOKEN, "api_token"),
        (env_names::CLIENT_ID, "client_id"),
        (env_names::CLIENT_SECRET, "client_secret"),
        (env_names::AUDIENCE, "audience"),
        (env_names::DOMAIN, "domain"),
    ];
    let mut out = message.to_string();
    for (variable, key) in keys {
        out = out.replace(variable, &format!("`tenants.{tenant}.{key}`"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advice_names_the_tenant_entry_and_the_table_gets_a_few_words() {
        let error = CommandError::from(ApiError::TokenRequest {
            domain: "127.0.0.1:4000".into(),
            status: 401,
            message: "access_denied: Unauthorized".into(),
        });
        let shown = tenant_error("us", &error);
        assert_eq!(
            shown.summary,
            "access token refused (401 access_denied: Unauthorized)"
        );
        assert!(
            shown
                .message
                .contains("Check `tenants.us.client_id` and `tenants.us.client_secret`"),
            "{}",
            shown.message
        );
        assert!(!shown.message.contains("AUTH0_"), "{}", shown.message);
        let other = tenant_error(
            "us",
            &CommandError::Other("plan is stale. Run plan again".into()),
        );
        assert_eq!(other.summary, "plan is stale");
    }
}
