//! The Auth0 Management API client.
