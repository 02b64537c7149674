//! One file per Management API resource mfactl manages, and the per-user endpoints
//! ([`users`]). [`super::registry`] lists them.

mod duo;
mod factors;
mod mfa_session;
mod otp;
mod phone_message_types;
mod phone_provider;
mod phone_templates;
mod phone_twilio;
mod policies;
pub mod prompt_texts;
mod push_apns;
mod push_custom_app;
mod push_fcm;
mod push_fcmv1;
mod push_provider;
mod push_sns;
mod relying_party;
mod tenant_phone_provider;
mod tenant_phone_templates;
pub mod tenant_settings;
pub mod twilio_sender;
pub mod users;
mod webauthn_platform;
mod webauthn_roaming;

pub use duo::DUO;
pub use factors::FACTORS;
pub use mfa_session::MFA_SESSION;
pub use otp::{EMAIL_OTP, PHONE_OTP};
pub use phone_message_types::PHONE_MESSAGE_TYPES;
pub use phone_provider::PHONE_PROVIDER;
pub use phone_templates::PHONE_TEMPLATES;
pub use phone_twilio::PHONE_TWILIO;
pub use policies::POLICIES;
pub use prompt_texts::PROMPT_TEXTS;
pub use push_apns::PUSH_APNS;
pub use push_custom_app::PUSH_CUSTOM_APP;
pub use push_fcm::PUSH_FCM;
pub use push_fcmv1::PUSH_FCMV1;
pub use push_provider::PUSH_PROVIDER;
pub use push_sns::PUSH_SNS;
pub use tenant_phone_provider::TENANT_PHONE_PROVIDER;
pub use tenant_phone_templates::TENANT_PHONE_TEMPLATES;
pub use tenant_settings::TENANT_SETTINGS;
pub use webauthn_platform::WEBAUTHN_PLATFORM;
pub use webauthn_roaming::WEBAUTHN_ROAMING;
