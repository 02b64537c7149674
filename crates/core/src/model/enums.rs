//! The closed sets of names the Management API uses: factors, policies, providers, message types.
//!
//! Each enum also has an [`EnumInfo`]: its values with a sentence each, which the config
//! validation (allowed values, "did you mean"), the JSON Schema and the resource table read, so a
//! value is spelled once.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The values of one API enum, in the order the API lists them, each with a description.
#[derive(Debug, PartialEq, Eq)]
pub struct EnumInfo {
    /// The name of the enum's JSON Schema definition, e.g. `Policy`.
    pub name: &'static str,
    /// What one value is called in messages, e.g. `policy`, `message type`.
    pub what: &'static str,
    /// A sentence about the enum (the schema definition's description).
    pub doc: &'static str,
    /// `(API spelling, description)` of every value.
    pub values: &'static [(&'static str, &'static str)],
}

impl EnumInfo {
    /// Every value's API spelling, in API order.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.values.iter().map(|(name, _)| *name)
    }

    /// The position of `name` in API order; `None` when it is not a value of this enum.
    pub fn rank(&self, name: &str) -> Option<usize> {
        self.values.iter().position(|(n, _)| *n == name)
    }

    /// The description of one value.
    pub fn doc_of(&self, name: &str) -> Option<&'static str> {
        self.values
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, d)| *d)
    }
}

/// An API enum: its doc (`$doc`, also the schema's and the table's description), values with
/// their API spelling and description, and `ALL`, `INFO`, `as_str`, `parse` and `Display`.
macro_rules! api_enum {
    (
        $(#[$meta:meta])*
        $name:ident ($what:literal, $doc:literal) {
            $( $variant:ident = $text:literal : $vdoc:literal ),+ $(,)?
        }
    ) => {
        #[doc = $doc]
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name {
            $( #[doc = $vdoc] #[serde(rename = $text)] $variant, )+
        }

        impl $name {
            /// Every value, in the order the API lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The values with their descriptions, for validation, the schema and the table.
            pub const INFO: EnumInfo = EnumInfo {
                name: stringify!($name),
                what: $what,
                doc: $doc,
                values: &[$(($text, $vdoc)),+],
            };

            /// The spelling the API and the config file use.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }

            /// Parses the API spelling.
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

api_enum! {
    /// Named as the Management API names it.
    Factor ("factor", "An MFA factor.") {
        Sms = "sms": "SMS and voice codes; configure them under `phone`.",
        PushNotification = "push-notification":
            "Push notifications to Auth0 Guardian or your own app; configure them under `push`.",
        Otp = "otp": "One-time passwords from an authenticator app.",
        Email = "email": "Codes sent by email (only for users with a verified email address).",
        Duo = "duo": "Duo Security; configure it under `duo`.",
        WebauthnRoaming = "webauthn-roaming":
            "WebAuthn with security keys; configure it under `webauthn_roaming`.",
        WebauthnPlatform = "webauthn-platform":
            "WebAuthn with device biometrics; configure it under `webauthn_platform`.",
        RecoveryCode = "recovery-code":
            "Recovery codes users can use when they lose their other factors.",
    }
}

api_enum! {
    Policy ("policy", "When the tenant asks for MFA.") {
        AllApplications = "all-applications": "Every login to every application.",
        ConfidenceScore = "confidence-score":
            "Adaptive MFA: only when the login's confidence is low (needs an entitled plan).",
    }
}

api_enum! {
    MessageType ("message type", "How the phone factor delivers codes.") {
        Sms = "sms": "Text messages.",
        Voice = "voice": "Voice calls.",
    }
}

api_enum! {
    PhoneProvider ("phone provider", "Who sends the phone factor's messages (legacy tenants).") {
        Auth0 = "auth0": "Auth0's own provider.",
        Twilio = "twilio": "Your Twilio account.",
        PhoneMessageHook = "phone-message-hook": "A Send Phone Message hook or action.",
    }
}

impl PhoneProvider {
    /// Whether this provider can deliver codes by `message_type`. Auth0's own provider sends
    /// text messages only (Auth0 docs, "Configure SMS and Voice Notifications for MFA": "You
    /// can't use this provider to send voice messages"); Twilio and a Send Phone Message hook
    /// or action deliver both.
    pub fn delivers(self, message_type: MessageType) -> bool {
        !matches!(
            (self, message_type),
            (PhoneProvider::Auth0, MessageType::Voice)
        )
    }
}

api_enum! {
    PushProvider ("push provider", "Who delivers push notifications.") {
        Guardian = "guardian": "Auth0 Guardian's own delivery.",
        Sns = "sns": "Amazon SNS.",
        Direct = "direct": "Directly through APNs and FCM.",
    }
}

api_enum! {
    UserVerification ("user verification", "WebAuthn user verification requirement for security keys.") {
        Discouraged = "discouraged": "The key need not verify the user.",
        Preferred = "preferred": "The key verifies the user when it can.",
        Required = "required": "The key must verify the user (PIN or biometrics).",
    }
}

api_enum! {
    TenantPhoneProviderName ("phone provider name", "The kind of Tenant Phone Settings provider.") {
        Twilio = "twilio": "Your Twilio account.",
        Custom = "custom": "A custom provider implemented in an Action.",
    }
}

api_enum! {
    DeliveryMethod ("delivery method", "How a Tenant Phone Settings provider delivers messages.") {
        Text = "text": "Text messages.",
        Voice = "voice": "Voice calls.",
    }
}

api_enum! {
    PhoneTemplateType ("template type", "A Tenant Phone Settings message template.") {
        OtpVerify = "otp_verify": "The one-time code sent at each login.",
        OtpEnroll = "otp_enroll": "The one-time code sent while a user enrolls.",
        ChangePassword = "change_password": "A code to change a password.",
        BlockedAccount = "blocked_account": "The notice that an account was blocked.",
        PasswordBreach = "password_breach": "The notice that a breached password was used.",
    }
}

api_enum! {
    /// Read and written at `/prompts/{prompt}/custom-text/{language}`.
    MfaPrompt ("MFA prompt", "An MFA prompt of Universal Login whose texts can be customised.") {
        Mfa = "mfa": "The factor list and the MFA start page.",
        MfaOtp = "mfa-otp": "One-time passwords from an authenticator app.",
        MfaSms = "mfa-sms": "Codes sent by SMS.",
        MfaEmail = "mfa-email": "Codes sent by email.",
        MfaPush = "mfa-push": "Push notifications.",
        MfaVoice = "mfa-voice": "Codes by voice call.",
        MfaPhone = "mfa-phone": "The phone factor's choice of SMS or voice.",
        MfaWebauthn = "mfa-webauthn": "Security keys and device biometrics.",
        MfaRecoveryCode = "mfa-recovery-code": "Recovery codes.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factor_names_follow_the_api_order() {
        let names: Vec<_> = Factor::ALL.iter().map(|f| f.as_str()).collect();
        assert_eq!(
            names,
            [
                "sms",
                "push-notification",
                "otp",
                "email",
                "duo",
                "webauthn-roaming",
                "webauthn-platform",
                "recovery-code"
            ]
        );
        assert_eq!(Factor::parse("recovery-code"), Some(Factor::RecoveryCode));
        assert_eq!(Factor::parse("sms "), None);
        assert_eq!(Factor::INFO.names().count(), Factor::ALL.len());
        assert_eq!(Factor::INFO.rank("otp"), Some(2));
    }
}
