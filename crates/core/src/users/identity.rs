//! What identifies an authentication method when all that can be compared is what a read
//! returns: reads mask phone numbers and emails and never return a TOTP secret. Pure.
//!
//! The identity is the method's type plus its masked phone number or email (`phone
//! XXXXXXXX4567`, `email chuc****@exam*******`), or, for authenticator apps and security keys,
//! the type plus the name (`totp e2e`; `totp` alone without a name). A live method of a type a
//! file cannot declare (a passkey, a recovery code) is identified by its id, so it matches
//! nothing. The identity is also how plans name a method: it never holds personal data in
//! clear or a secret.

use crate::model::Values;
use crate::render::printable::printable;
use crate::users::masking::{mask_email, mask_phone};
use crate::users::method::{MethodKind, NewMethod};

/// The identity of a method from its type, phone number or email (in clear or masked), name
/// and id.
pub fn identity(
    method_type: &str,
    phone_number: Option<&str>,
    email: Option<&str>,
    name: Option<&str>,
    id: Option<&str>,
) -> String {
    match (method_type, phone_number, email, name, id) {
        ("phone", Some(phone), _, _, _) => format!("phone {}", mask_phone(phone)),
        ("email", _, Some(email), _, _) => format!("email {}", mask_email(email)),
        ("totp" | "webauthn-roaming", _, _, Some(name), _) => {
            format!("{method_type} {}", printable(name))
        }
        ("totp" | "webauthn-roaming", _, _, None, _) => method_type.to_owned(),
        (_, _, _, _, Some(id)) => format!("{method_type} {id}"),
        _ => method_type.to_owned(),
    }
}

/// The identity of a method of the `users:` section or of a live read (fields by config key).
pub fn method_identity(method: &Values) -> String {
    identity(
        method.text("type").unwrap_or(""),
        method.text("phone_number"),
        method.text("email"),
        method.text("name"),
        method.id.as_deref(),
    )
}

/// The identity of a method to create (`mfactl users import`).
pub fn new_method_identity(method: &NewMethod) -> String {
    let (phone, email) = match &method.kind {
        MethodKind::Phone { phone_number, .. } => (Some(phone_number.as_str()), None),
        MethodKind::Email { email } => (None, Some(email.as_str())),
        MethodKind::Totp { .. } | MethodKind::WebAuthnRoaming { .. } => (None, None),
    };
    identity(
        method.method_type(),
        phone,
        email,
        method.name.as_deref(),
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FieldValue;

    fn values(fields: &[(&'static str, &str)]) -> Values {
        Values::of(
            fields
                .iter()
                .map(|(k, v)| (*k, FieldValue::Text((*v).to_owned()))),
        )
    }

    #[test]
    fn clear_and_masked_values_have_one_identity() {
        let desired = values(&[("type", "phone"), ("phone_number", "+15551234567")]);
        let live = values(&[
            ("type", "phone"),
            ("phone_number", "XXXXXXXX4567"),
            ("name", "x"),
        ]);
        assert_eq!(method_identity(&desired), "phone XXXXXXXX4567");
        assert_eq!(method_identity(&desired), method_identity(&live));
        let email = values(&[("type", "email"), ("email", "chuck334@example.com")]);
        assert_eq!(method_identity(&email), "email chuc****@exam*******");
        assert_eq!(
            method_identity(&values(&[("type", "totp"), ("name", "e2e")])),
            "totp e2e"
        );
        assert_eq!(method_identity(&values(&[("type", "totp")])), "totp");
        let mut passkey = values(&[("type", "passkey")]);
        passkey.id = Some("passkey|dev_1".into());
        assert_eq!(method_identity(&passkey), "passkey passkey|dev_1");
    }
}
