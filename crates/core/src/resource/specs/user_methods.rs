//! `users."<user id>"`: a user's authentication methods, declared in the file. Read with
//! `GET /users/{id}/authentication-methods` (every page), each missing method created with
//! `POST /users/{id}/authentication-methods`, a matched method's name or preferred delivery
//! changed with `PATCH …/{method_id}`, and, under `manage: exact`, each method the file leaves
//! out deleted with `DELETE …/{method_id}`. Paths and scopes are the per-user endpoints'
//! ([`super::users`]).
//!
//! A method of the file matches a live one by its identity ([`method_identity`]): the type plus
//! the masked phone number or email (reads mask them: `XXXXXXXX4567`), or the type plus the
//! name for authenticator apps and security keys, whose secrets and keys cannot be compared.
//! Field names and the creatable types follow Auth0's OpenAPI
//! (`CreateUserAuthenticationMethodRequestContent`, `tests/fixtures/recordings/user-mfa-openapi-excerpt.json`).

use crate::config::section::SectionCheck;
use crate::model::{EnumInfo, FieldValue, Values};
use crate::plan::Stage;
use crate::resource::specs::users::{CREATE_METHOD, DELETE_METHOD, LIST_METHODS, UPDATE_METHOD};
use crate::resource::{
    ActionRule, CollectionSpec, ExportRule, FieldSpec, Keys, Personal, ReadSpec, ResourceSpec,
    Semantics, StageRule, WriteSpec,
};
use crate::users::checks::{
    check_email, check_phone, check_totp_secret, is_masked_email, is_masked_phone,
};
use crate::users::identity::method_identity;
use crate::users::method::PhonePreference;

/// The most methods one user may list.
pub const MAX_METHODS: usize = 10;

/// The method types a file can declare (the creatable types of the OpenAPI but passkeys, which
/// need a browser ceremony's data).
pub static METHOD_TYPES: EnumInfo = EnumInfo {
    name: "MethodType",
    what: "method type",
    doc: "The kind of authentication method.",
    values: &[
        ("phone", "Codes by SMS or voice call to a phone number."),
        ("email", "Codes by email."),
        ("totp", "An authenticator app, seeded with a base32 secret."),
        ("webauthn-roaming", "A security key registered elsewhere."),
    ],
};

/// `manage:` of a user.
pub static MANAGE: EnumInfo = EnumInfo {
    name: "Manage",
    what: "manage mode",
    doc: "Whether the file lists every method of the user.",
    values: &[
        (
            "additive",
            "Create the methods the file lists; never delete one it leaves out (the default).",
        ),
        (
            "exact",
            "Also delete the user's methods the file leaves out (a dangerous change).",
        ),
    ],
};

/// The fields of one method, by type.
pub static METHOD_FIELDS: &[FieldSpec] = &[
    FieldSpec::one_of("type", &METHOD_TYPES)
        .required()
        .doc("The kind of method: phone, email, totp or webauthn-roaming."),
    FieldSpec::text("name", usize::MAX)
        .doc("A label the user recognises the method by; for totp and webauthn-roaming, what matches it to the live method."),
    FieldSpec::text("phone_number", 30)
        .when("type", "phone")
        .required()
        .personal(Personal::Phone)
        .doc("The phone number in E.164 form (`+15551234567`). Plans show it masked."),
    FieldSpec::one_of("preferred", &PhonePreference::INFO)
        .api("preferred_authentication_method")
        .when("type", "phone")
        .doc("How codes are delivered: sms (Auth0's default) or voice."),
    FieldSpec::text("email", usize::MAX)
        .when("type", "email")
        .required()
        .personal(Personal::Email)
        .doc("The email address codes go to. Plans show it masked."),
    FieldSpec::text("totp_secret", usize::MAX)
        .when("type", "totp")
        .required()
        .write_only("TOTP_SECRET")
        .doc("The authenticator app's secret, un-padded base32 (`${VAR}`). Write-only: never read back, so never compared."),
    FieldSpec::text("key_id", usize::MAX)
        .when("type", "webauthn-roaming")
        .required()
        .doc("The security key's credential id."),
    FieldSpec::text("public_key", usize::MAX)
        .when("type", "webauthn-roaming")
        .required()
        .doc("The security key's public key, base64."),
    FieldSpec::text("relying_party_identifier", 255)
        .when("type", "webauthn-roaming")
        .required()
        .doc("The relying party's host name (`login.example.com`)."),
];

/// How a user's methods match, update, delete, and which types a user holds once.
pub static METHODS_COLLECTION: CollectionSpec = CollectionSpec {
    items: "methods",
    kind: "type",
    mode: ("manage", "exact"),
    identity: method_identity,
    single: &["totp"],
    updatable: &["name", "preferred"],
    update: UPDATE_METHOD,
    delete: DELETE_METHOD,
    delete_reason: "deletes an authentication method the file leaves out (`manage: exact`): \
                    the user can no longer sign in with it",
};

pub static USER_METHODS: ResourceSpec = ResourceSpec {
    schema_name: "UserMethods",
    doc: "Users' authentication methods, by user id (`auth0|…`). Only the users listed are \
          managed; a user's methods are created when missing and, with `manage: exact`, the \
          methods the file leaves out are deleted.",
    keys: Keys::User,
    semantics: Semantics::Collection,
    stage: StageRule::Fixed(Stage::UserMethods),
    action: ActionRule::Settings,
    export: ExportRule::Always,
    validate: Some(validate),
    collection: Some(&METHODS_COLLECTION),
    ..ResourceSpec::new(
        "users",
        &["users"],
        Some(ReadSpec::get(LIST_METHODS.path, LIST_METHODS.scope).paged("authenticators")),
        WriteSpec::post(CREATE_METHOD.path, CREATE_METHOD.scope),
        &[
            FieldSpec::one_of("manage", &MANAGE)
                .local()
                .doc("`additive` (the default): never delete a method the file leaves out; `exact`: delete them."),
            FieldSpec::items("methods", METHOD_FIELDS, MAX_METHODS)
                .api("")
                .required()
                .doc("The user's methods, at most 10."),
        ],
    )
};

/// Per method: E.164 phone numbers, un-padded base32 TOTP secrets, email syntax (a value
/// `export` masked is accepted: it matches the live method but cannot create one); no two
/// methods of one user with the same identity, since both would match the same live method;
/// and at most one method of a kind a user holds once (`totp`).
fn validate(check: &mut SectionCheck<'_, '_>) {
    let path = check.path().to_string();
    let items: Vec<Values> = check.items("methods").to_vec();
    let mut seen: Vec<(String, usize)> = Vec::new();
    let mut singles: Vec<(&str, usize)> = Vec::new();
    for (index, item) in items.iter().enumerate() {
        if let Some(kind) = item
            .text("type")
            .filter(|kind| METHODS_COLLECTION.single.contains(kind))
        {
            if let Some((_, first)) = singles.iter().find(|(k, _)| *k == kind) {
                let span = check.item_span("methods", index, "type");
                check
                    .error(
                        format!(
                            "`{path}.methods[{index}]` is a second {kind} method (the first is `{path}.methods[{first}]`): a user holds one at most"
                        ),
                        span,
                    )
                    .help = Some(format!(
                    "keep one {kind} method for this user: Auth0 refuses a second (409 Authentication method already exists)"
                ));
                continue;
            }
            singles.push((kind, index));
        }
        let at = format!("{path}.methods[{index}]");
        if let Some(phone) = item.text("phone_number")
            && !is_masked_phone(phone)
            && let Err(reason) = check_phone(phone)
        {
            let span = check.item_span("methods", index, "phone_number");
            check
                .error(format!("`{at}.phone_number` {reason}"), span)
                .help = Some(
                "write + then the country code and the number, digits only (`+15551234567`)".into(),
            );
        }
        if let Some(email) = item.text("email")
            && !is_masked_email(email)
            && let Err(reason) = check_email(email)
        {
            let span = check.item_span("methods", index, "email");
            check.error(format!("`{at}.email` {reason}"), span);
        }
        if let Some(FieldValue::Secret(secret)) = item.get("totp_secret")
            && let Err(reason) = check_totp_secret(secret.expose())
        {
            let span = check.item_span("methods", index, "totp_secret");
            check.error(format!("`{at}.totp_secret` {reason}"), span).help =
                Some("authenticator apps take base32 without `=` padding: A-Z and 2-7, e.g. JBSWY3DPEHPK3PXP".into());
        }
        let identity = method_identity(item);
        if let Some((_, first)) = seen.iter().find(|(id, _)| *id == identity) {
            let span = check.item_span("methods", index, "type");
            check
                .error(
                    format!(
                        "`{at}` is the same method as `{path}.methods[{first}]` ({identity}): both would match one live method"
                    ),
                    span,
                )
                .help = Some(match item.text("type") {
                Some("phone") => "remove one: the API returns phone numbers masked to their length and last four digits, so two numbers alike in both read the same and mfactl cannot tell which live one is which; manage the other with `mfactl users methods`".into(),
                Some("email") => "remove one: the API returns email addresses masked (`jane****@exam*******`), so two addresses alike in what the mask keeps read the same and mfactl cannot tell which live one is which; manage the other with `mfactl users methods`".into(),
                _ => "give them different names: security keys and authenticator apps match live ones by type and name".into(),
            });
        } else {
            seen.push((identity, index));
        }
    }
}
