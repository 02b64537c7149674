//! The per-user Management API calls: users' authentication methods, Guardian enrollments and
//! tickets, recovery codes, remembered browsers, legacy MFA providers, and the user lookups they
//! need. Paths, methods and scopes come from the resource table
//! ([`mfactl_core::resource::registry::USER_ENDPOINTS`]); answers are returned as the API's JSON
//! objects (key order kept), which may hold personal data in clear: show them only through
//! [`mfactl_core::users::masking`].

use serde_json::Value;

use crate::client::Client;
use crate::error::ApiError;
use mfactl_core::request::ApiRequest;
use mfactl_core::resource::UserEndpoint as Endpoint;
use mfactl_core::secret::{Secret, all_secret_keys};
use mfactl_core::users::masking::mask_path;
use mfactl_core::users::method::{MethodUpdate, NewMethod, TicketRequest};
use mfactl_core::users::user_ref::{ResolvedUser, pick_user};

/// Why [`Client::user_by_email`] found no single user.
#[derive(Debug)]
pub enum UserLookup {
    /// The lookup itself failed.
    Api(ApiError),
    /// No user, or several, has the email: what to do, the email masked.
    Pick(String),
}

/// Methods asked for per page (go-auth0 lists with `include_totals=true&per_page=50`, as
/// recorded).
pub const METHODS_PER_PAGE: usize = 50;

/// Pages read at most when listing one user's methods.
pub const MAX_PAGES: usize = 40;

fn invalid(endpoint: Endpoint, path: &str, detail: &str) -> ApiError {
    ApiError::InvalidResponse {
        method: endpoint.method().as_str().to_owned(),
        path: mask_path(path),
        detail: detail.to_owned(),
    }
}

fn into_list(endpoint: Endpoint, path: &str, value: Value) -> Result<Vec<Value>, ApiError> {
    match value {
        Value::Array(items) => Ok(items),
        Value::Null => Ok(Vec::new()),
        _ => Err(invalid(endpoint, path, "expected a list")),
    }
}

impl Client {
    async fn user_call(
        &self,
        endpoint: Endpoint,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Value, ApiError> {
        let mut request = ApiRequest::new(endpoint.method(), path);
        if let Some(body) = body {
            // Secret fields (a TOTP secret) are marked, so every display of the request
            // redacts them.
            let secret_fields: Vec<&'static str> = match body {
                Value::Object(map) => all_secret_keys()
                    .filter(|key| map.contains_key(*key))
                    .collect(),
                _ => Vec::new(),
            };
            request = request
                .with_body(body.clone())
                .with_secret_fields(&secret_fields);
        }
        self.send(&request).await
    }

    /// `GET /users-by-email?email=`: every user with this email (any connection).
    pub async fn users_by_email(&self, email: &str) -> Result<Vec<Value>, ApiError> {
        let endpoint = Endpoint::UsersByEmail;
        let path = endpoint.spec().fill_with_query(&[], &[("email", email)]);
        let value = self.user_call(endpoint, &path, None).await?;
        into_list(endpoint, &path, value)
    }

    /// The one user with `email` (`GET /users-by-email`, then
    /// [`mfactl_core::users::user_ref::pick_user`]): none or several is a [`UserLookup::Pick`]
    /// whose message masks the email and names the candidates' ids.
    pub async fn user_by_email(&self, email: &str) -> Result<ResolvedUser, UserLookup> {
        let found = self.users_by_email(email).await.map_err(UserLookup::Api)?;
        pick_user(email, &found, self.domain()).map_err(UserLookup::Pick)
    }

    /// `GET /users/{id}`.
    pub async fn get_user(&self, user_id: &str) -> Result<Value, ApiError> {
        let endpoint = Endpoint::GetUser;
        self.user_call(endpoint, &endpoint.spec().fill(&[user_id]), None)
            .await
    }

    /// `GET /users/{id}/authentication-methods`, every page (`include_totals=true`, pages of
    /// [`METHODS_PER_PAGE`]). Accepts both answer forms: the `{authenticators, total, start,
    /// limit}` envelope (whose `total` is absent when the list is empty) and a bare array.
    pub async fn list_authentication_methods(&self, user_id: &str) -> Result<Vec<Value>, ApiError> {
        let path = Endpoint::ListMethods.spec().fill(&[user_id]);
        self.get_pages(&path, "authenticators", METHODS_PER_PAGE, MAX_PAGES)
            .await
    }

    /// `GET /users/{id}/authentication-methods/{method_id}`.
    pub async fn get_authentication_method(
        &self,
        user_id: &str,
        method_id: &str,
    ) -> Result<Value, ApiError> {
        let endpoint = Endpoint::GetMethod;
        self.user_call(endpoint, &endpoint.spec().fill(&[user_id, method_id]), None)
            .await
    }

    /// `POST /users/{id}/authentication-methods`; the answer is the created method.
    pub async fn create_authentication_method(
        &self,
        user_id: &str,
        method: &NewMethod,
    ) -> Result<Value, ApiError> {
        let endpoint = Endpoint::CreateMethod;
        self.user_call(
            endpoint,
            &endpoint.spec().fill(&[user_id]),
            Some(&method.body()),
        )
        .await
    }

    /// `PUT /users/{id}/authentication-methods`: replaces every method with `methods` (bodies as
    /// [`NewMethod::body`] builds them); the answer lists the new ones, values in clear.
    pub async fn replace_authentication_methods(
        &self,
        user_id: &str,
        methods: &[NewMethod],
    ) -> Result<Vec<Value>, ApiError> {
        let endpoint = Endpoint::ReplaceMethods;
        let path = endpoint.spec().fill(&[user_id]);
        let body = Value::Array(methods.iter().map(NewMethod::body).collect());
        let value = self.user_call(endpoint, &path, Some(&body)).await?;
        into_list(endpoint, &path, value)
    }

    /// `PATCH /users/{id}/authentication-methods/{method_id}`.
    pub async fn update_authentication_method(
        &self,
        user_id: &str,
        method_id: &str,
        update: &MethodUpdate,
    ) -> Result<Value, ApiError> {
        let endpoint = Endpoint::UpdateMethod;
        self.user_call(
            endpoint,
            &endpoint.spec().fill(&[user_id, method_id]),
            Some(&update.body()),
        )
        .await
    }

    /// `DELETE /users/{id}/authentication-methods/{method_id}`.
    pub async fn delete_authentication_method(
        &self,
        user_id: &str,
        method_id: &str,
    ) -> Result<(), ApiError> {
        let endpoint = Endpoint::DeleteMethod;
        self.user_call(endpoint, &endpoint.spec().fill(&[user_id, method_id]), None)
            .await
            .map(drop)
    }

    /// `DELETE /users/{id}/authentication-methods`: every method of the user.
    pub async fn delete_authentication_methods(&self, user_id: &str) -> Result<(), ApiError> {
        let endpoint = Endpoint::DeleteMethods;
        self.user_call(endpoint, &endpoint.spec().fill(&[user_id]), None)
            .await
            .map(drop)
    }

    /// `GET /users/{id}/enrollments`: the user's Guardian enrollments.
    pub async fn list_user_enrollments(&self, user_id: &str) -> Result<Vec<Value>, ApiError> {
        let endpoint = Endpoint::ListUserEnrollments;
        let path = endpoint.spec().fill(&[user_id]);
        let value = self.user_call(endpoint, &path, None).await?;
        into_list(endpoint, &path, value)
    }

    /// `POST /users/{id}/recovery-code-regeneration` (body `{}`, as go-auth0 sends): the new
    /// recovery code; the previous one stops working.
    pub async fn regenerate_recovery_code(&self, user_id: &str) -> Result<Secret, ApiError> {
        let endpoint = Endpoint::RegenerateRecoveryCode;
        let path = endpoint.spec().fill(&[user_id]);
        let value = self
            .user_call(endpoint, &path, Some(&Value::Object(Default::default())))
            .await?;
        value
            .get("recovery_code")
            .and_then(Value::as_str)
            .map(Secret::new)
            .ok_or_else(|| invalid(endpoint, &path, "no `recovery_code` in the answer"))
    }

    /// `POST /users/{id}/multifactor/actions/invalidate-remember-browser`.
    pub async fn invalidate_remember_browser(&self, user_id: &str) -> Result<(), ApiError> {
        let endpoint = Endpoint::InvalidateRememberBrowser;
        self.user_call(endpoint, &endpoint.spec().fill(&[user_id]), None)
            .await
            .map(drop)
    }

    /// The MFA providers a user is enrolled with: the `multifactor` list of `GET /users/{id}`
    /// (provider names such as `google-authenticator`; Auth0's user profile leaves the field
    /// out when there are none). Errors: the API's, or [`ApiError::InvalidResponse`] when
    /// `multifactor` is not a list of strings.
    pub async fn multifactor_providers(&self, user_id: &str) -> Result<Vec<String>, ApiError> {
        let endpoint = Endpoint::GetUser;
        let path = endpoint.spec().fill(&[user_id]);
        let user = self.user_call(endpoint, &path, None).await?;
        let not_a_list = || invalid(endpoint, &path, "`multifactor` is not a list of names");
        match user.get("multifactor") {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| item.as_str().map(str::to_owned).ok_or_else(not_a_list))
                .collect(),
            Some(_) => Err(not_a_list()),
        }
    }

    /// `DELETE /users/{id}/multifactor/{provider}` (`duo` or `google-authenticator`). The API
    /// answers 204 whether or not the user had the provider (recorded): check
    /// [`Client::multifactor_providers`] first.
    pub async fn delete_multifactor_provider(
        &self,
        user_id: &str,
        provider: &str,
    ) -> Result<(), ApiError> {
        let endpoint = Endpoint::DeleteMultifactorProvider;
        self.user_call(endpoint, &endpoint.spec().fill(&[user_id, provider]), None)
            .await
            .map(drop)
    }

    /// `GET /guardian/enrollments/{id}`.
    pub async fn get_guardian_enrollment(&self, enrollment_id: &str) -> Result<Value, ApiError> {
        let endpoint = Endpoint::GetEnrollment;
        self.user_call(endpoint, &endpoint.spec().fill(&[enrollment_id]), None)
            .await
    }

    /// `DELETE /guardian/enrollments/{id}`.
    pub async fn delete_guardian_enrollment(&self, enrollment_id: &str) -> Result<(), ApiError> {
        let endpoint = Endpoint::DeleteEnrollment;
        self.user_call(endpoint, &endpoint.spec().fill(&[enrollment_id]), None)
            .await
            .map(drop)
    }

    /// `POST /guardian/enrollments/ticket`: `{ticket_id, ticket_url}`.
    pub async fn create_enrollment_ticket(
        &self,
        ticket: &TicketRequest,
    ) -> Result<Value, ApiError> {
        let endpoint = Endpoint::CreateEnrollmentTicket;
        self.user_call(endpoint, &endpoint.spec().fill(&[]), Some(&ticket.body()))
            .await
    }
}
