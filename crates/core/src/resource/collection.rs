//! A resource that is a collection of items, each created, updated and deleted by a request
//! of its own: a user's authentication methods (`POST /users/{id}/authentication-methods`,
//! `PATCH`/`DELETE …/authentication-methods/{method_id}`).
//!
//! The file lists the items it wants; the live read lists the items the tenant has. An item
//! of the file *matches* a live item when both have the same identity, which the spec's
//! [`IdentityHook`] works out from what a read returns (a user's methods come back with their
//! phone numbers and emails masked, so a phone matches by type plus masked number). The plan
//! then creates the items that match nothing, updates the [`CollectionSpec::updatable`] fields
//! of matched items that differ, and, when the file's mode field says so (`manage: exact`),
//! deletes the live items that match nothing in the file. Two items of the file with one
//! identity are refused by validation; one item matching several live items is refused by the
//! plan: neither guesses.

use crate::model::Values;
use crate::resource::EndpointSpec;

/// How the plan names an item, which is also what matching compares: `phone XXXXXXXX4567`,
/// `totp e2e`. Never holds personal data in clear or a secret.
pub type IdentityHook = fn(&Values) -> String;

/// The items of a [`crate::resource::Semantics::Collection`] resource.
#[derive(Debug)]
pub struct CollectionSpec {
    /// The [`crate::resource::FieldType::Items`] field that holds the items (`methods`).
    pub items: &'static str,
    /// The item field that names an item's kind (`type`). Live items of a kind its enum does
    /// not list (a passkey, a recovery code) cannot be written by the file, so they are never
    /// deleted.
    pub kind: &'static str,
    /// The local field that says whether the file lists every item (`manage`), and its value
    /// that does (`exact`): only then are live items the file leaves out deleted.
    pub mode: (&'static str, &'static str),
    /// The identity of an item.
    pub identity: IdentityHook,
    /// Kinds one resource holds at most one item of (`totp`: a user has one authenticator app;
    /// a second `POST` answers 409 "Authentication method already exists", OpenAPI
    /// `CreateUserAuthenticationMethod`). Validation refuses two in the file; the plan refuses
    /// to create one beside a live one it would not delete, and, when it deletes the live one
    /// (`manage: exact`), sends that delete before the create.
    pub single: &'static [&'static str],
    /// Item fields a matched item may differ in; written with [`CollectionSpec::update`].
    pub updatable: &'static [&'static str],
    /// The endpoint that updates one item, by the resource's key and the item's id.
    pub update: EndpointSpec,
    /// The endpoint that deletes one item, by the resource's key and the item's id.
    pub delete: EndpointSpec,
    /// Why deleting an item is dangerous (apply refuses it without `--allow-dangerous`).
    pub delete_reason: &'static str,
}
