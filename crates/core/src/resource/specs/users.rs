//! The per-user endpoints: users, their authentication methods, Guardian enrollments and
//! tickets, recovery codes, remembered browsers and legacy MFA providers. Each is a collection
//! keyed by user (and by method, enrollment or provider id), described by method, path and scope
//! ([`EndpointSpec`]); [`crate::resource::registry`] registers the list.
//!
//! Sources: the scopes of the authentication-method, enrollment, ticket, recovery-code,
//! remember-browser and multifactor endpoints are the `oAuth2ClientCredentials` scopes of Auth0's
//! Management API OpenAPI (`tests/fixtures/recordings/user-mfa-openapi-excerpt.json`);
//! `GET /users/{id}/enrollments` accepts `read:users` (or `read:current_user`, which a
//! machine-to-machine application never has). The `/users` and `/users-by-email` scopes are
//! from Auth0's Management API reference. Paths are the recorded ones
//! (`user-mfa-interactions.jsonl`).

use crate::request::HttpMethod::{Delete, Get, Patch, Post, Put};
use crate::resource::endpoint::{EndpointSpec, UserEndpoint::*};

const USER: &str = "/users/{user_id}";
const METHODS: &str = "/users/{user_id}/authentication-methods";
const METHOD: &str = "/users/{user_id}/authentication-methods/{method_id}";
const ENROLLMENT: &str = "/guardian/enrollments/{enrollment_id}";

/// `GET /users/{id}/authentication-methods`: also the read of the `users` section
/// ([`super::USER_METHODS`]).
pub const LIST_METHODS: EndpointSpec =
    EndpointSpec::new(ListMethods, Get, METHODS, "read:authentication_methods");
/// `POST /users/{id}/authentication-methods`: also how the `users` section creates a method.
pub const CREATE_METHOD: EndpointSpec =
    EndpointSpec::new(CreateMethod, Post, METHODS, "create:authentication_methods");
/// `PATCH /users/{id}/authentication-methods/{method_id}`.
pub const UPDATE_METHOD: EndpointSpec =
    EndpointSpec::new(UpdateMethod, Patch, METHOD, "update:authentication_methods");
/// `DELETE /users/{id}/authentication-methods/{method_id}`.
pub const DELETE_METHOD: EndpointSpec = EndpointSpec::new(
    DeleteMethod,
    Delete,
    METHOD,
    "delete:authentication_methods",
);

/// Every per-user endpoint. A literal segment is listed before a `{…}` that could match it
/// (`/guardian/enrollments/ticket` before `/guardian/enrollments/{enrollment_id}`).
pub static USER_ENDPOINTS: &[EndpointSpec] = &[
    EndpointSpec::new(CreateUser, Post, "/users", "create:users"),
    EndpointSpec::new(GetUser, Get, USER, "read:users"),
    EndpointSpec::new(DeleteUser, Delete, USER, "delete:users"),
    EndpointSpec::new(UsersByEmail, Get, "/users-by-email", "read:users"),
    LIST_METHODS,
    CREATE_METHOD,
    EndpointSpec::new(
        ReplaceMethods,
        Put,
        METHODS,
        "update:authentication_methods",
    ),
    EndpointSpec::new(
        DeleteMethods,
        Delete,
        METHODS,
        "delete:authentication_methods",
    ),
    EndpointSpec::new(GetMethod, Get, METHOD, "read:authentication_methods"),
    UPDATE_METHOD,
    DELETE_METHOD,
    EndpointSpec::new(
        ListUserEnrollments,
        Get,
        "/users/{user_id}/enrollments",
        "read:users",
    ),
    EndpointSpec::new(
        RegenerateRecoveryCode,
        Post,
        "/users/{user_id}/recovery-code-regeneration",
        "update:users",
    ),
    EndpointSpec::new(
        InvalidateRememberBrowser,
        Post,
        "/users/{user_id}/multifactor/actions/invalidate-remember-browser",
        "update:users",
    ),
    EndpointSpec::new(
        DeleteMultifactorProvider,
        Delete,
        "/users/{user_id}/multifactor/{provider}",
        "update:users",
    ),
    EndpointSpec::new(
        CreateEnrollmentTicket,
        Post,
        "/guardian/enrollments/ticket",
        "create:guardian_enrollment_tickets",
    ),
    EndpointSpec::new(GetEnrollment, Get, ENROLLMENT, "read:guardian_enrollments"),
    EndpointSpec::new(
        DeleteEnrollment,
        Delete,
        ENROLLMENT,
        "delete:guardian_enrollments",
    ),
];
