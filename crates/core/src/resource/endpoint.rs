//! What one per-user Management API endpoint is: an HTTP method, a path template and the scope
//! it needs, the same three things a settings resource's [`super::ReadSpec`] and
//! [`super::WriteSpec`] give. The endpoints themselves are listed once, in
//! [`super::specs::users`]; [`super::registry::USER_ENDPOINTS`] registers them beside the
//! settings resources, so that the API client builds its paths from them and the emulator routes
//! and checks scopes with them.
//!
//! These are not settings a config file manages: they are collections keyed by user (and by
//! method, enrollment or provider id) that the `users` and `enrollments` commands call. Their
//! ids are percent-encoded in paths (`auth0|…` → `auth0%7C…`), as the recorded SDK traffic sends
//! them (`tests/fixtures/recordings/user-mfa-interactions.jsonl`); [`EndpointSpec::matches`]
//! decodes them.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use crate::request::HttpMethod;
use crate::resource::registry::{USER_ENDPOINTS, match_template};

/// One per-user endpoint, by Auth0's name for the operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UserEndpoint {
    /// `POST /users`.
    CreateUser,
    /// `GET /users/{id}`.
    GetUser,
    /// `DELETE /users/{id}`.
    DeleteUser,
    /// `GET /users-by-email?email=`.
    UsersByEmail,
    /// `GET /users/{id}/authentication-methods`.
    ListMethods,
    /// `POST /users/{id}/authentication-methods`.
    CreateMethod,
    /// `PUT /users/{id}/authentication-methods` (replace all).
    ReplaceMethods,
    /// `DELETE /users/{id}/authentication-methods` (all).
    DeleteMethods,
    /// `GET /users/{id}/authentication-methods/{method_id}`.
    GetMethod,
    /// `PATCH /users/{id}/authentication-methods/{method_id}`.
    UpdateMethod,
    /// `DELETE /users/{id}/authentication-methods/{method_id}`.
    DeleteMethod,
    /// `GET /users/{id}/enrollments`: the user's Guardian enrollments.
    ListUserEnrollments,
    /// `POST /users/{id}/recovery-code-regeneration`.
    RegenerateRecoveryCode,
    /// `POST /users/{id}/multifactor/actions/invalidate-remember-browser`.
    InvalidateRememberBrowser,
    /// `DELETE /users/{id}/multifactor/{provider}`.
    DeleteMultifactorProvider,
    /// `POST /guardian/enrollments/ticket`.
    CreateEnrollmentTicket,
    /// `GET /guardian/enrollments/{id}`.
    GetEnrollment,
    /// `DELETE /guardian/enrollments/{id}`.
    DeleteEnrollment,
}

/// How to call one per-user endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndpointSpec {
    pub endpoint: UserEndpoint,
    pub method: HttpMethod,
    /// Relative to `/api/v2`; each `{name}` stands for one percent-encoded path segment.
    pub path: &'static str,
    /// The scope the endpoint needs.
    pub scope: &'static str,
}

impl EndpointSpec {
    pub const fn new(
        endpoint: UserEndpoint,
        method: HttpMethod,
        path: &'static str,
        scope: &'static str,
    ) -> Self {
        EndpointSpec {
            endpoint,
            method,
            path,
            scope,
        }
    }

    /// How many `{…}` placeholders the path holds.
    pub fn placeholders(&self) -> usize {
        self.path.matches('{').count()
    }

    /// The path with `params` filled into the placeholders in order, each percent-encoded. A
    /// missing parameter leaves its segment empty.
    pub fn fill(&self, params: &[&str]) -> String {
        let mut params = params.iter();
        self.path
            .split('/')
            .map(|segment| {
                if segment.starts_with('{') {
                    params.next().map(|p| encode(p)).unwrap_or_default()
                } else {
                    segment.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join("/")
    }

    /// [`EndpointSpec::fill`] followed by a query string built from `query` (values encoded).
    pub fn fill_with_query(&self, params: &[&str], query: &[(&str, &str)]) -> String {
        let mut path = self.fill(params);
        for (index, (key, value)) in query.iter().enumerate() {
            path.push(if index == 0 { '?' } else { '&' });
            path.push_str(key);
            path.push('=');
            path.push_str(&encode(value));
        }
        path
    }

    /// The decoded placeholder values when `path` (relative to `/api/v2`, without the query
    /// string, percent-encoded as received) is this endpoint's; `None` otherwise.
    pub fn matches(&self, path: &str) -> Option<Vec<String>> {
        let values = match_template(self.path, path)?;
        Some(values.iter().map(|v| decode(v)).collect())
    }
}

impl UserEndpoint {
    /// This endpoint's spec in [`USER_ENDPOINTS`].
    pub fn spec(self) -> &'static EndpointSpec {
        // Every endpoint is listed exactly once (the registry's tests check); the fallback is
        // never used.
        USER_ENDPOINTS
            .iter()
            .find(|s| s.endpoint == self)
            .unwrap_or(&USER_ENDPOINTS[0])
    }

    /// The scope this endpoint needs.
    pub fn scope(self) -> &'static str {
        self.spec().scope
    }

    /// The HTTP method.
    pub fn method(self) -> HttpMethod {
        self.spec().method
    }
}

/// Characters left as they are in a path segment or query value: RFC 3986's unreserved set.
const ENCODED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `value` percent-encoded for a path segment or a query value (`auth0|1` → `auth0%7C1`).
pub fn encode(value: &str) -> String {
    utf8_percent_encode(value, ENCODED).to_string()
}

/// `value` percent-decoded (invalid UTF-8 is replaced, never an error).
pub fn decode(value: &str) -> String {
    percent_decode_str(value).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_percent_encoded_like_the_recordings() {
        // user-mfa-interactions.jsonl: /api/v2/users/auth0%7C640b…/authentication-methods/email%7Cdev_f0O8…
        assert_eq!(
            UserEndpoint::GetMethod.spec().fill(&[
                "auth0|640b5a0ed3534be8b2db9dd3",
                "email|dev_f0O81fTcftc0kN2v"
            ]),
            "/users/auth0%7C640b5a0ed3534be8b2db9dd3/authentication-methods/email%7Cdev_f0O81fTcftc0kN2v"
        );
        assert_eq!(
            UserEndpoint::UsersByEmail
                .spec()
                .fill_with_query(&[], &[("email", "jo+x@example.com")]),
            "/users-by-email?email=jo%2Bx%40example.com"
        );
        assert_eq!(
            UserEndpoint::ListMethods
                .spec()
                .fill_with_query(&["a/b"], &[("include_totals", "true"), ("per_page", "50")]),
            "/users/a%2Fb/authentication-methods?include_totals=true&per_page=50"
        );
    }

    /// Every variant, each with its own number: the match is exhaustive, so a new endpoint
    /// cannot be left out of this test.
    fn number(endpoint: UserEndpoint) -> usize {
        use UserEndpoint::*;
        match endpoint {
            CreateUser => 0,
            GetUser => 1,
            DeleteUser => 2,
            UsersByEmail => 3,
            ListMethods => 4,
            CreateMethod => 5,
            ReplaceMethods => 6,
            DeleteMethods => 7,
            GetMethod => 8,
            UpdateMethod => 9,
            DeleteMethod => 10,
            ListUserEnrollments => 11,
            RegenerateRecoveryCode => 12,
            InvalidateRememberBrowser => 13,
            DeleteMultifactorProvider => 14,
            CreateEnrollmentTicket => 15,
            GetEnrollment => 16,
            DeleteEnrollment => 17,
        }
    }

    #[test]
    fn every_endpoint_is_listed_once() {
        let mut numbers: Vec<usize> = USER_ENDPOINTS.iter().map(|s| number(s.endpoint)).collect();
        numbers.sort_unstable();
        assert_eq!(numbers, (0..18).collect::<Vec<_>>());
        for spec in USER_ENDPOINTS {
            assert_eq!(spec.endpoint.spec(), spec);
        }
    }

    #[test]
    fn matching_decodes_the_parameters() {
        let spec = UserEndpoint::DeleteMethod.spec();
        assert_eq!(
            spec.matches("/users/auth0%7C1/authentication-methods/phone%7Cdev_x"),
            Some(vec!["auth0|1".to_owned(), "phone|dev_x".to_owned()])
        );
        assert_eq!(
            spec.matches("/users/auth0%7C1/authentication-methods"),
            None
        );
        assert_eq!(
            UserEndpoint::ListUserEnrollments
                .spec()
                .matches("/users//enrollments"),
            None
        );
        assert_eq!(decode("a%ZZb"), "a%ZZb");
    }
}
