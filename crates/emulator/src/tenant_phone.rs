//! Tenant Phone Settings state: the one phone provider (`/branding/phone/providers`) and the phone
//! notification templates (`/branding/phone/templates`).
//!
//! Records are kept as the API shows them, minus the `tenant` and `channel` fields every answer
//! carries (the endpoints add those). The provider's `credentials` are write-only through the API
//! and kept here in clear for the test hooks.

use serde::{Deserialize, Serialize};

/// The `tenant` field of every Tenant Phone Settings answer.
///
/// Decision: the emulator has no tenant name of its own; answers name this fixed one.
pub const TENANT_NAME: &str = "mfactl-emulator";

/// Tenant Phone Settings: at most one provider, and the notification templates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TenantPhoneState {
    /// `None` until a provider is created (a new tenant has none).
    pub provider: Option<PhoneProviderRecord>,
    /// In creation order; a new tenant has one default template per type.
    pub templates: Vec<PhoneTemplateRecord>,
}

impl Default for TenantPhoneState {
    fn default() -> Self {
        TenantPhoneState {
            provider: None,
            templates: PhoneTemplateType::ALL
                .iter()
                .map(|kind| PhoneTemplateRecord::default_for(*kind))
                .collect(),
        }
    }
}

/// The tenant's phone provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhoneProviderRecord {
    /// `pro_` and 22 random characters.
    pub id: String,
    /// `twilio` or `custom`.
    pub name: String,
    pub disabled: bool,
    pub configuration: PhoneProviderConfiguration,
    /// Write-only through the API.
    #[serde(default)]
    pub credentials: Option<PhoneProviderCredentials>,
    pub created_at: String,
    pub updated_at: String,
}

/// A provider's `configuration`, in the order the API answers with.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PhoneProviderConfiguration {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mssid: Option<String>,
    /// A non-empty subset of `text` and `voice`.
    pub delivery_methods: Vec<String>,
}

/// A provider's `credentials` (Twilio: `auth_token`; custom: none).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PhoneProviderCredentials {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_token: Option<String>,
}

/// The kinds of phone notification template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhoneTemplateType {
    OtpVerify,
    OtpEnroll,
    ChangePassword,
    BlockedAccount,
    PasswordBreach,
}

impl PhoneTemplateType {
    /// Every type, in the order a new tenant lists its default templates.
    pub const ALL: [PhoneTemplateType; 5] = [
        PhoneTemplateType::OtpVerify,
        PhoneTemplateType::OtpEnroll,
        PhoneTemplateType::ChangePassword,
        PhoneTemplateType::BlockedAccount,
        PhoneTemplateType::PasswordBreach,
    ];

    /// The API's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            PhoneTemplateType::OtpVerify => "otp_verify",
            PhoneTemplateType::OtpEnroll => "otp_enroll",
            PhoneTemplateType::ChangePassword => "change_password",
            PhoneTemplateType::BlockedAccount => "blocked_account",
            PhoneTemplateType::PasswordBreach => "password_breach",
        }
    }

    /// The content a new tenant has for this type, and what `PATCH …/reset` restores.
    ///
    /// Decision: Auth0 does not publish its stock texts; these are ours, in Liquid, with
    /// `{{ code }}` in the types that send a code.
    pub fn default_content(self) -> PhoneTemplateContent {
        let (text, voice) = match self {
            PhoneTemplateType::OtpVerify => (
                "{{ code }} is your verification code. Do not share it with anyone.",
                "Your verification code is {{ code }}. Once again, your code is {{ code }}.",
            ),
            PhoneTemplateType::OtpEnroll => (
                "{{ code }} is your enrollment code. Enter it to finish setting up this phone.",
                "Your enrollment code is {{ code }}. Once again, your code is {{ code }}.",
            ),
            PhoneTemplateType::ChangePassword => (
                "{{ code }} is your password change code.",
                "Your password change code is {{ code }}. Once again, your code is {{ code }}.",
            ),
            PhoneTemplateType::BlockedAccount => (
                "Your account was blocked after suspicious login attempts. Contact support to \
                 unblock it.",
                "Your account was blocked after suspicious login attempts. Please contact \
                 support to unblock it.",
            ),
            PhoneTemplateType::PasswordBreach => (
                "Your password appeared in a data breach elsewhere. Please change it now.",
                "Your password appeared in a data breach elsewhere. Please change it now.",
            ),
        };
        PhoneTemplateContent {
            syntax: "liquid".to_owned(),
            body: PhoneTemplateBody {
                text: Some(text.to_owned()),
                voice: Some(voice.to_owned()),
            },
            from: None,
        }
    }

    /// The fixed id of a new tenant's default template of this type (`tem_` and 22 characters,
    /// like generated ids, but stable so a new tenant's state is always the same).
    fn default_id(self) -> &'static str {
        match self {
            PhoneTemplateType::OtpVerify => "tem_DefaultOtpVerify000001",
            PhoneTemplateType::OtpEnroll => "tem_DefaultOtpEnroll000002",
            PhoneTemplateType::ChangePassword => "tem_DefaultChangePass00003",
            PhoneTemplateType::BlockedAccount => "tem_DefaultBlockedAcc00004",
            PhoneTemplateType::PasswordBreach => "tem_DefaultPassBreach00005",
        }
    }
}

/// When a new tenant's default templates were "created".
pub const DEFAULT_TEMPLATE_TIME: &str = "2025-01-01T00:00:00.000Z";

/// A phone notification template. Field order is the order the API answers with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhoneTemplateRecord {
    /// `tem_` and 22 characters.
    pub id: String,
    #[serde(rename = "type")]
    pub kind: PhoneTemplateType,
    pub disabled: bool,
    pub created_at: String,
    pub updated_at: String,
    pub content: PhoneTemplateContent,
}

impl PhoneTemplateRecord {
    /// A new tenant's template of this type.
    pub fn default_for(kind: PhoneTemplateType) -> Self {
        PhoneTemplateRecord {
            id: kind.default_id().to_owned(),
            kind,
            disabled: false,
            created_at: DEFAULT_TEMPLATE_TIME.to_owned(),
            updated_at: DEFAULT_TEMPLATE_TIME.to_owned(),
            content: kind.default_content(),
        }
    }
}

/// A template's `content`; `from` is left out when unset, as the API does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhoneTemplateContent {
    /// Always `liquid`.
    pub syntax: String,
    pub body: PhoneTemplateBody,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
}

/// A template's message bodies.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PhoneTemplateBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voice: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_tenant_has_one_default_template_per_type_and_no_provider() {
        let state = TenantPhoneState::default();
        assert!(state.provider.is_none());
        let kinds: Vec<_> = state.templates.iter().map(|t| t.kind).collect();
        assert_eq!(kinds, PhoneTemplateType::ALL);
        for template in &state.templates {
            assert!(template.id.starts_with("tem_"));
            assert_eq!(template.id.len(), 4 + 22, "{}", template.id);
            assert_eq!(template.content.syntax, "liquid");
        }
        for kind in [PhoneTemplateType::OtpVerify, PhoneTemplateType::OtpEnroll] {
            let content = kind.default_content();
            assert!(content.body.text.unwrap().contains("{{ code }}"));
            assert!(content.body.voice.unwrap().contains("{{ code }}"));
        }
    }

    #[test]
    fn records_round_trip_with_the_api_spelling() {
        let template = PhoneTemplateRecord::default_for(PhoneTemplateType::ChangePassword);
        let value = serde_json::to_value(&template).unwrap();
        assert_eq!(value["type"], "change_password");
        assert!(value["content"].get("from").is_none());
        let back: PhoneTemplateRecord = serde_json::from_value(value).unwrap();
        assert_eq!(back, template);
    }
}
