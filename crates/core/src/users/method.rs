//! Users' authentication methods and Guardian enrollment tickets as request data: what the
//! command line may ask for, turned into the bodies the Management API takes. Pure.
//!
//! Field names, enums and key order follow Auth0's OpenAPI
//! (`CreateUserAuthenticationMethodRequestContent`, `UpdateUserAuthenticationMethodRequestContent`,
//! `CreateGuardianEnrollmentTicketRequestContent`) and the recorded requests
//! (`{"type":"email","name":"Test","email":"chuck334@example.com"}`).

use serde_json::{Map, Value, json};

use crate::secret::Secret;
use crate::users::masking::{mask_email, mask_phone};

/// `preferred_authentication_method` of a phone method (OpenAPI
/// `PreferredAuthenticationMethodEnum`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhonePreference {
    Sms,
    Voice,
}

impl PhonePreference {
    /// The API's spellings.
    pub const NAMES: &'static [&'static str] = &["sms", "voice"];

    /// The values with a sentence each, for the config file's `preferred:`.
    pub const INFO: crate::model::EnumInfo = crate::model::EnumInfo {
        name: "PhonePreference",
        what: "preferred delivery",
        doc: "How a phone method's codes are delivered.",
        values: &[("sms", "Text messages."), ("voice", "Voice calls.")],
    };

    pub fn as_str(self) -> &'static str {
        match self {
            PhonePreference::Sms => "sms",
            PhonePreference::Voice => "voice",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "sms" => Some(PhonePreference::Sms),
            "voice" => Some(PhonePreference::Voice),
            _ => None,
        }
    }
}

/// The legacy MFA providers `DELETE /users/{id}/multifactor/{provider}` resets (OpenAPI
/// `UserMultifactorProviderEnum`).
pub const MULTIFACTOR_PROVIDERS: &[&str] = &["duo", "google-authenticator"];

/// The factors an enrollment ticket may require (OpenAPI `GuardianEnrollmentFactorEnum`).
pub const TICKET_FACTORS: &[&str] = &[
    "push-notification",
    "phone",
    "email",
    "otp",
    "webauthn-roaming",
    "webauthn-platform",
];

/// Method types `POST /users/{id}/authentication-methods` accepts (OpenAPI
/// `CreatedUserAuthenticationMethodTypeEnum`).
pub const CREATABLE_TYPES: &[&str] = &["phone", "email", "totp", "webauthn-roaming", "passkey"];

/// Method types `PUT /users/{id}/authentication-methods` accepts (OpenAPI
/// `AuthenticationTypeEnum`).
pub const REPLACEABLE_TYPES: &[&str] = &["phone", "email", "totp"];

/// The per-type field a method cannot be created without (OpenAPI descriptions; `passkey` and
/// `webauthn-roaming` need `key_id`, `public_key` and `relying_party_identifier`).
pub fn required_fields(method_type: &str) -> &'static [&'static str] {
    match method_type {
        "phone" => &["phone_number"],
        "email" => &["email"],
        "totp" => &["totp_secret"],
        "webauthn-roaming" | "passkey" => &["key_id", "public_key", "relying_party_identifier"],
        _ => &[],
    }
}

/// What a new authentication method is.
#[derive(Debug, Clone, PartialEq)]
pub enum MethodKind {
    /// SMS or voice codes to a phone number (E.164, e.g. `+15551234567`).
    Phone {
        phone_number: String,
        preferred: PhonePreference,
    },
    /// Codes by email.
    Email { email: String },
    /// An authenticator app, seeded with a base32 secret.
    Totp { secret: Secret },
    /// A WebAuthn security key registered elsewhere.
    WebAuthnRoaming {
        key_id: String,
        /// Base64.
        public_key: String,
        /// A host name, e.g. `acme.eu.auth0.com`.
        relying_party_identifier: String,
    },
}

/// A method to create with `POST /users/{id}/authentication-methods`.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMethod {
    pub kind: MethodKind,
    /// A label for the user to recognise it.
    pub name: Option<String>,
}

impl NewMethod {
    /// The API's `type`.
    pub fn method_type(&self) -> &'static str {
        match self.kind {
            MethodKind::Phone { .. } => "phone",
            MethodKind::Email { .. } => "email",
            MethodKind::Totp { .. } => "totp",
            MethodKind::WebAuthnRoaming { .. } => "webauthn-roaming",
        }
    }

    /// The request body: `type`, `name`, then the type's fields. Holds the TOTP secret in
    /// clear: send it, never show it (the keys are in [`crate::secret::all_secret_keys`]).
    pub fn body(&self) -> Value {
        let mut body = Map::new();
        body.insert("type".into(), json!(self.method_type()));
        if let Some(name) = &self.name {
            body.insert("name".into(), json!(name));
        }
        match &self.kind {
            MethodKind::Phone {
                phone_number,
                preferred,
            } => {
                body.insert("phone_number".into(), json!(phone_number));
                body.insert(
                    "preferred_authentication_method".into(),
                    json!(preferred.as_str()),
                );
            }
            MethodKind::Email { email } => {
                body.insert("email".into(), json!(email));
            }
            MethodKind::Totp { secret } => {
                body.insert("totp_secret".into(), json!(secret.expose()));
            }
            MethodKind::WebAuthnRoaming {
                key_id,
                public_key,
                relying_party_identifier,
            } => {
                body.insert("key_id".into(), json!(key_id));
                body.insert("public_key".into(), json!(public_key));
                body.insert(
                    "relying_party_identifier".into(),
                    json!(relying_party_identifier),
                );
            }
        }
        Value::Object(body)
    }

    /// What it is, for messages, with personal data masked and no secret:
    /// `phone XXXXXXXX4567 (sms)`.
    pub fn describe(&self) -> String {
        match &self.kind {
            MethodKind::Phone {
                phone_number,
                preferred,
            } => format!(
                "phone {} ({})",
                mask_phone(phone_number),
                preferred.as_str()
            ),
            MethodKind::Email { email } => format!("email {}", mask_email(email)),
            MethodKind::Totp { .. } => "authenticator app (TOTP)".to_owned(),
            MethodKind::WebAuthnRoaming {
                relying_party_identifier,
                ..
            } => format!("security key for {relying_party_identifier}"),
        }
    }
}

/// A change to one method with `PATCH /users/{id}/authentication-methods/{method_id}`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MethodUpdate {
    pub name: Option<String>,
    /// Phone methods only.
    pub preferred: Option<PhonePreference>,
}

impl MethodUpdate {
    /// The request body, with only the fields given.
    pub fn body(&self) -> Value {
        let mut body = Map::new();
        if let Some(name) = &self.name {
            body.insert("name".into(), json!(name));
        }
        if let Some(preferred) = self.preferred {
            body.insert(
                "preferred_authentication_method".into(),
                json!(preferred.as_str()),
            );
        }
        Value::Object(body)
    }

    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.preferred.is_none()
    }
}

/// `POST /guardian/enrollments/ticket`: a link for the user to enroll with.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TicketRequest {
    pub user_id: String,
    /// Where Auth0 sends the link instead of the user's own address.
    pub email: Option<String>,
    /// Let Auth0 email the link.
    pub send_mail: bool,
    /// Language of that email, e.g. `fr`.
    pub email_locale: Option<String>,
    /// One of [`TICKET_FACTORS`].
    pub factor: Option<String>,
    /// Let an enrolled user add another factor (Universal Login only).
    pub allow_multiple_enrollments: bool,
}

impl TicketRequest {
    /// The request body in the OpenAPI's key order, with only the options given (`send_mail`
    /// is always sent, so the API never falls back to a default the user did not choose).
    pub fn body(&self) -> Value {
        let mut body = Map::new();
        body.insert("user_id".into(), json!(self.user_id));
        if let Some(email) = &self.email {
            body.insert("email".into(), json!(email));
        }
        body.insert("send_mail".into(), json!(self.send_mail));
        if let Some(locale) = &self.email_locale {
            body.insert("email_locale".into(), json!(locale));
        }
        if let Some(factor) = &self.factor {
            body.insert("factor".into(), json!(factor));
        }
        if self.allow_multiple_enrollments {
            body.insert("allow_multiple_enrollments".into(), json!(true));
        }
        Value::Object(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_have_the_recorded_key_order() {
        let email = NewMethod {
            kind: MethodKind::Email {
                email: "chuck334@example.com".into(),
            },
            name: Some("Test".into()),
        };
        assert_eq!(
            email.body().to_string(),
            r#"{"type":"email","name":"Test","email":"chuck334@example.com"}"#
        );
        let phone = NewMethod {
            kind: MethodKind::Phone {
                phone_number: "+44207183875044".into(),
                preferred: PhonePreference::Sms,
            },
            name: None,
        };
        assert_eq!(
            phone.body().to_string(),
            r#"{"type":"phone","phone_number":"+44207183875044","preferred_authentication_method":"sms"}"#
        );
        assert_eq!(phone.describe(), "phone XXXXXXXXXXX5044 (sms)");
        let totp = NewMethod {
            kind: MethodKind::Totp {
                secret: Secret::new("JBSWY3DPEHPK3PXP"),
            },
            name: None,
        };
        assert!(!totp.describe().contains("JBSWY3DPEHPK3PXP"));
        assert!(!format!("{totp:?}").contains("JBSWY3DPEHPK3PXP"));
    }

    #[test]
    fn updates_and_tickets_send_only_what_was_given() {
        let update = MethodUpdate {
            name: None,
            preferred: Some(PhonePreference::Voice),
        };
        assert_eq!(
            update.body().to_string(),
            r#"{"preferred_authentication_method":"voice"}"#
        );
        assert!(MethodUpdate::default().is_empty());
        let ticket = TicketRequest {
            user_id: "auth0|1".into(),
            factor: Some("otp".into()),
            ..TicketRequest::default()
        };
        assert_eq!(
            ticket.body().to_string(),
            r#"{"user_id":"auth0|1","send_mail":false,"factor":"otp"}"#
        );
    }

    #[test]
    fn enums_round_trip() {
        for name in PhonePreference::NAMES {
            assert_eq!(PhonePreference::parse(name).unwrap().as_str(), *name);
        }
        assert_eq!(PhonePreference::parse("fax"), None);
        assert!(
            PhonePreference::INFO
                .names()
                .eq(PhonePreference::NAMES.iter().copied())
        );
        assert_eq!(required_fields("phone"), ["phone_number"]);
        assert!(required_fields("unknown").is_empty());
    }
}
