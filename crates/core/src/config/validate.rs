//! Raw config → desired state, reporting every problem at once.

use std::collections::{BTreeMap, BTreeSet};

use super::diagnostic::Diagnostic;
use super::flag::Flag;
use super::interpolate::{InterpolationError, interpolate};
use super::located::{Field, Located, Span};
use super::raw::{
    RawApns, RawConfig, RawCustomApp, RawDuo, RawFactors, RawMfaSession, RawOtp, RawPhone,
    RawPhoneTemplates, RawPush, RawSns, RawTenantPhone, RawTenantPhoneProvider,
    RawTenantPhoneTemplate, RawTenantSettings, RawTwilio, RawWebAuthnPlatform, RawWebAuthnRoaming,
};
use super::suggest::closest;
use crate::model::{
    ApnsSettings, CustomApp, DeliveryMethod, DuoSettings, Factor, FcmSettings, FcmV1Settings,
    MessageType, MfaSessionSettings, MfaState, OtpSettings, PhoneProvider, PhoneSettings,
    PhoneTemplateType, PhoneTemplates, Policy, PushProvider, PushSettings, SnsSettings,
    TenantMfaSettings, TenantPhone, TenantPhoneProvider, TenantPhoneProviderName,
    TenantPhoneTemplate, TwilioSettings, UserVerification, WebAuthnPlatformSettings,
    WebAuthnRoamingSettings,
};
use crate::secret::Secret;

/// The config file's content once it is known to be valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesiredConfig {
    /// The tenant domain the file is for, when it says.
    pub tenant: Option<String>,
    /// What the tenant must have.
    pub state: MfaState,
}

/// Looks up an environment variable.
pub type EnvLookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The AWS regions the Guardian SNS endpoint accepts.
const SNS_REGION_PREFIXES: &[&str] = &[
    "us-east",
    "us-west",
    "ap-southeast",
    "ap-northeast",
    "ap-central",
    "eu-west",
    "eu-central",
];

/// Length limits of the API's string fields.
const MAX_NAME: usize = 255;
const MAX_LONG: usize = 1024;
const MAX_TEMPLATE: usize = 1000;

/// Checks a parsed file; returns the desired config when there is no error. With `env` set to
/// `None`, `${VAR}` references are checked for syntax only and the values they stand for are
/// left out (for `validate --no-env` in jobs that hold no secrets).
pub fn validate(
    raw: &RawConfig,
    env: Option<EnvLookup<'_>>,
) -> (Option<DesiredConfig>, Vec<Diagnostic>) {
    let mut check = Checker {
        env,
        diagnostics: Vec::new(),
        missing: Vec::new(),
    };
    let config = check.config(raw);
    check.report_missing_variables();
    let Checker { diagnostics, .. } = check;
    let ok = !diagnostics.iter().any(Diagnostic::is_error);
    (ok.then_some(config), diagnostics)
}

struct Checker<'a> {
    env: Option<EnvLookup<'a>>,
    diagnostics: Vec<Diagnostic>,
    /// Missing variables with the place of their first use.
    missing: Vec<(String, Span)>,
}

impl Checker<'_> {
    fn error(&mut self, message: impl Into<String>, span: Span) -> &mut Diagnostic {
        self.diagnostics
            .push(Diagnostic::error(message, Some(span)));
        self.last()
    }

    fn warning(&mut self, message: impl Into<String>, span: Span) -> &mut Diagnostic {
        self.diagnostics
            .push(Diagnostic::warning(message, Some(span)));
        self.last()
    }

    fn last(&mut self) -> &mut Diagnostic {
        let index = self.diagnostics.len() - 1;
        &mut self.diagnostics[index]
    }

    fn config(&mut self, raw: &RawConfig) -> DesiredConfig {
        if raw.version.value != 1 {
            let version = raw.version.value;
            let d = self.error(
                format!("unsupported config version {version}"),
                raw.version.span,
            );
            d.label = Some("this mfactl reads version 1".into());
            d.help = Some("set `version: 1`".into());
        }
        let tenant = self.tenant(&raw.tenant);
        let policies = raw.policies.get().map(|p| self.policies(p));
        let factors = raw
            .factors
            .value()
            .map(|f| self.factors(f))
            .unwrap_or_default();
        let phone = raw.phone.value().map(|p| self.phone(p)).unwrap_or_default();
        let push = raw.push.value().map(|p| self.push(p)).unwrap_or_default();
        let duo = raw.duo.value().map(|d| self.duo(d, raw.duo.get()));
        let webauthn_roaming = raw.webauthn_roaming.get().map(|w| self.webauthn_roaming(w));
        let webauthn_platform = raw
            .webauthn_platform
            .get()
            .map(|w| self.webauthn_platform(w));
        let email_otp = raw
            .email
            .value()
            .and_then(|e| e.otp.get())
            .map(|o| self.otp(o, "email.otp"));
        let tenant_phone = raw
            .tenant_phone
            .value()
            .map(|t| self.tenant_phone(t))
            .unwrap_or_default();
        let mfa_session = raw.mfa_session.get().map(|m| self.mfa_session(m));
        let tenant_settings = raw.tenant_settings.get().map(|t| self.tenant_settings(t));
        let state = MfaState {
            policies,
            factors,
            phone,
            push,
            duo,
            webauthn_roaming,
            webauthn_platform,
            email_otp,
            tenant_phone,
            mfa_session,
            tenant_settings,
        };
        self.combinations(raw, &state);
        DesiredConfig { tenant, state }
    }

    fn tenant(&mut self, field: &Field<String>) -> Option<String> {
        let located = field.get()?;
        let domain = self.string_at(located, "tenant", MAX_NAME)?;
        if domain.contains("://") || domain.contains('/') {
            self.error("`tenant` must be a domain name, not a URL", located.span)
                .help = Some("write it as `acme-prod.eu.auth0.com`".into());
            return None;
        }
        Some(domain.to_ascii_lowercase())
    }

    fn policies(&mut self, located: &Located<Vec<Located<String>>>) -> BTreeSet<Policy> {
        let mut out = BTreeSet::new();
        for item in &located.value {
            let Some(policy) = self.enum_value(item, "policy", Policy::ALL, Policy::parse) else {
                continue;
            };
            if !out.insert(policy) {
                self.error(format!("policy `{policy}` is listed twice"), item.span);
            } else if out.len() > 1 {
                self.error("at most one policy can be set", item.span).help = Some(
                    "use `[all-applications]` (always) or `[confidence-score]` (Adaptive MFA)"
                        .into(),
                );
            }
        }
        out
    }

    fn factors(&mut self, raw: &RawFactors) -> BTreeMap<Factor, bool> {
        let fields = [
            (Factor::Sms, &raw.sms),
            (Factor::PushNotification, &raw.push_notification),
            (Factor::Otp, &raw.otp),
            (Factor::Email, &raw.email),
            (Factor::Duo, &raw.duo),
            (Factor::WebauthnRoaming, &raw.webauthn_roaming),
            (Factor::WebauthnPlatform, &raw.webauthn_platform),
            (Factor::RecoveryCode, &raw.recovery_code),
        ];
        let mut out = BTreeMap::new();
        for (factor, field) in fields {
            if let Some(enabled) = self.flag(field, &format!("factors.{factor}")) {
                out.insert(factor, enabled);
            }
        }
        out
    }

    fn phone(&mut self, raw: &RawPhone) -> PhoneSettings {
        let message_types = raw.message_types.get().map(|list| {
            let mut out = BTreeSet::new();
            for item in &list.value {
                if let Some(t) =
                    self.enum_value(item, "message type", MessageType::ALL, MessageType::parse)
                    && !out.insert(t)
                {
                    self.error(format!("message type `{t}` is listed twice"), item.span);
                }
            }
            out
        });
        let provider = raw.provider.get().and_then(|p| {
            self.enum_value(
                p,
                "phone provider",
                PhoneProvider::ALL,
                PhoneProvider::parse,
            )
        });
        // Voice calls go out through Twilio only when Twilio is (or may be) the provider.
        let twilio_calls = message_types
            .as_ref()
            .is_some_and(|t| t.contains(&MessageType::Voice))
            && provider.is_none_or(|p| p == PhoneProvider::Twilio);
        PhoneSettings {
            message_types,
            provider,
            twilio: raw.twilio.get().map(|t| self.twilio(t, twilio_calls)),
            templates: raw.templates.get().map(|t| self.templates(t)),
            otp: raw.otp.get().map(|o| self.otp(o, "phone.otp")),
        }
    }

    fn otp(&mut self, located: &Located<RawOtp>, path: &str) -> OtpSettings {
        let raw = &located.value;
        if raw.length.get().is_none() && raw.expiration_time.get().is_none() {
            self.error(format!("`{path}` sets nothing"), located.span)
                .help = Some("set `length` and/or `expiration_time`, or remove the section".into());
        }
        OtpSettings {
            length: self.number(&raw.length, &format!("{path}.length"), 4, 10, "digits"),
            expiration_time: self.number(
                &raw.expiration_time,
                &format!("{path}.expiration_time"),
                30,
                3600,
                "seconds",
            ),
        }
    }

    fn tenant_phone(&mut self, raw: &RawTenantPhone) -> TenantPhone {
        let provider = raw.provider.get().map(|p| self.tenant_phone_provider(p));
        let mut templates = BTreeMap::new();
        if let Some(list) = raw.templates.value() {
            let fields = [
                (PhoneTemplateType::OtpVerify, &list.otp_verify),
                (PhoneTemplateType::OtpEnroll, &list.otp_enroll),
                (PhoneTemplateType::ChangePassword, &list.change_password),
                (PhoneTemplateType::BlockedAccount, &list.blocked_account),
                (PhoneTemplateType::PasswordBreach, &list.password_breach),
            ];
            for (kind, field) in fields {
                if let Some(located) = field.get() {
                    templates.insert(kind, self.tenant_phone_template(kind, located));
                }
            }
        }
        TenantPhone {
            provider,
            templates,
        }
    }

    fn tenant_phone_provider(
        &mut self,
        located: &Located<RawTenantPhoneProvider>,
    ) -> TenantPhoneProvider {
        let raw = &located.value;
        let path = "tenant_phone.provider";
        let name = match raw.name.get() {
            Some(n) => self.enum_value(
                n,
                "phone provider name",
                TenantPhoneProviderName::ALL,
                TenantPhoneProviderName::parse,
            ),
            None => {
                self.missing_key(path, "name", located.span);
                None
            }
        };
        let delivery_methods = match raw.delivery_methods.get() {
            Some(list) => {
                let mut out = BTreeSet::new();
                for item in &list.value {
                    if let Some(m) = self.enum_value(
                        item,
                        "delivery method",
                        DeliveryMethod::ALL,
                        DeliveryMethod::parse,
                    ) && !out.insert(m)
                    {
                        self.error(format!("delivery method `{m}` is listed twice"), item.span);
                    }
                }
                if list.value.is_empty() {
                    self.error(format!("`{path}.delivery_methods` is empty"), list.span)
                        .help = Some("list `text`, `voice` or both".into());
                }
                Some(out)
            }
            None => {
                self.missing_key(path, "delivery_methods", located.span);
                None
            }
        };
        let twilio = name == Some(TenantPhoneProviderName::Twilio);
        let (sid, auth_token, default_from, mssid) = if twilio {
            let sid = self.required_string(&raw.sid, path, "sid", located.span, MAX_NAME);
            let auth_token = self.required_secret(
                &raw.auth_token,
                path,
                "auth_token",
                located.span,
                "TWILIO_AUTH_TOKEN",
            );
            let default_from =
                self.string(&raw.default_from, &format!("{path}.default_from"), MAX_NAME);
            let mssid = self.string(&raw.mssid, &format!("{path}.mssid"), MAX_NAME);
            let voice = delivery_methods
                .as_ref()
                .is_some_and(|m| m.contains(&DeliveryMethod::Voice));
            self.twilio_sender(
                path,
                located.span,
                ("default_from", &raw.default_from, default_from.as_deref()),
                ("mssid", &raw.mssid),
                voice,
            );
            (sid, auth_token, default_from, mssid)
        } else {
            let twilio_only = [
                ("sid", raw.sid.get()),
                ("auth_token", raw.auth_token.get()),
                ("default_from", raw.default_from.get()),
                ("mssid", raw.mssid.get()),
            ];
            for (key, field) in twilio_only {
                if let (Some(at), Some(_)) = (field, name) {
                    self.error(
                        format!("`{path}.{key}` is only for `name: twilio`"),
                        at.span,
                    )
                    .help = Some(
                        "a custom provider sends messages from its Action; remove the key".into(),
                    );
                }
            }
            (None, None, None, None)
        };
        TenantPhoneProvider {
            id: None,
            name,
            disabled: Some(
                self.flag(&raw.disabled, &format!("{path}.disabled"))
                    .unwrap_or(false),
            ),
            sid,
            default_from,
            mssid,
            delivery_methods,
            auth_token,
        }
    }

    fn tenant_phone_template(
        &mut self,
        kind: PhoneTemplateType,
        located: &Located<RawTenantPhoneTemplate>,
    ) -> TenantPhoneTemplate {
        let raw = &located.value;
        let path = format!("tenant_phone.templates.{kind}");
        if raw.disabled.get().is_none()
            && raw.from.get().is_none()
            && raw.text.get().is_none()
            && raw.voice.get().is_none()
        {
            self.error(format!("`{path}` sets nothing"), located.span)
                .help = Some("set `text`, `voice`, `from` or `disabled`, or remove it".into());
        }
        let text = self.string(&raw.text, &format!("{path}.text"), MAX_TEMPLATE);
        let voice = self.string(&raw.voice, &format!("{path}.voice"), MAX_TEMPLATE);
        let needs_code = matches!(
            kind,
            PhoneTemplateType::OtpVerify
                | PhoneTemplateType::OtpEnroll
                | PhoneTemplateType::ChangePassword
        );
        for (key, value, field) in [("text", &text, &raw.text), ("voice", &voice, &raw.voice)] {
            if let (true, Some(body), Some(at)) = (needs_code, value, field.get())
                && !mentions_code(body)
            {
                self.warning(
                    format!("`{path}.{key}` does not contain `{{{{ code }}}}`"),
                    at.span,
                )
                .help = Some("without `{{ code }}` users never see their one-time code".into());
            }
        }
        TenantPhoneTemplate {
            id: None,
            disabled: self.flag(&raw.disabled, &format!("{path}.disabled")),
            from: self.string(&raw.from, &format!("{path}.from"), MAX_NAME),
            text,
            voice,
        }
    }

    fn mfa_session(&mut self, located: &Located<RawMfaSession>) -> MfaSessionSettings {
        let raw = &located.value;
        let settings = MfaSessionSettings {
            display_remember_me_checkbox: self.flag(
                &raw.display_remember_me_checkbox,
                "mfa_session.display_remember_me_checkbox",
            ),
            remember_me_default_value: self.flag(
                &raw.remember_me_default_value,
                "mfa_session.remember_me_default_value",
            ),
            inactivity_timeout: self.number(
                &raw.inactivity_timeout,
                "mfa_session.inactivity_timeout",
                3600,
                2_592_000,
                "seconds",
            ),
            overall_timeout: self.number(
                &raw.overall_timeout,
                "mfa_session.overall_timeout",
                3600,
                7_776_000,
                "seconds",
            ),
        };
        if let (Some(inactive), Some(overall), Some(at)) = (
            settings.inactivity_timeout,
            settings.overall_timeout,
            raw.inactivity_timeout.get(),
        ) && inactive > overall
        {
            self.warning(
                "`mfa_session.inactivity_timeout` is longer than `overall_timeout`, so it never applies",
                at.span,
            );
        }
        if raw.display_remember_me_checkbox.get().is_none()
            && raw.remember_me_default_value.get().is_none()
            && raw.inactivity_timeout.get().is_none()
            && raw.overall_timeout.get().is_none()
        {
            self.error("`mfa_session` sets nothing", located.span);
        }
        settings
    }

    fn tenant_settings(&mut self, located: &Located<RawTenantSettings>) -> TenantMfaSettings {
        let raw = &located.value;
        let settings = TenantMfaSettings {
            customize_mfa_in_postlogin_action: self.flag(
                &raw.customize_mfa_in_postlogin_action,
                "tenant_settings.customize_mfa_in_postlogin_action",
            ),
            mfa_show_factor_list_on_enrollment: self.flag(
                &raw.mfa_show_factor_list_on_enrollment,
                "tenant_settings.mfa_show_factor_list_on_enrollment",
            ),
        };
        if raw.customize_mfa_in_postlogin_action.get().is_none()
            && raw.mfa_show_factor_list_on_enrollment.get().is_none()
        {
            self.error("`tenant_settings` sets nothing", located.span);
        }
        settings
    }

    fn twilio(&mut self, located: &Located<RawTwilio>, voice: bool) -> TwilioSettings {
        let raw = &located.value;
        let path = "phone.twilio";
        let sid = self.required_string(&raw.sid, path, "sid", located.span, MAX_NAME);
        let auth_token = self.required_secret(
            &raw.auth_token,
            path,
            "auth_token",
            located.span,
            "TWILIO_AUTH_TOKEN",
        );
        let from = self.string(&raw.from, "phone.twilio.from", MAX_NAME);
        let messaging_service_sid = self.string(
            &raw.messaging_service_sid,
            "phone.twilio.messaging_service_sid",
            MAX_NAME,
        );
        if let (Some(sid), Some(at)) = (&sid, raw.sid.get())
            && !(sid.starts_with("AC") && sid.len() == 34)
        {
            self.warning(
                "`phone.twilio.sid` does not look like a Twilio account SID",
                at.span,
            )
            .help = Some("account SIDs start with `AC` and have 34 characters".into());
        }
        self.twilio_sender(
            "phone.twilio",
            located.span,
            ("from", &raw.from, from.as_deref()),
            ("messaging_service_sid", &raw.messaging_service_sid),
            voice,
        );
        TwilioSettings {
            sid,
            auth_token,
            from,
            messaging_service_sid,
        }
    }

    /// Twilio sends text messages from one number or one Messaging Service: one of the two
    /// keys, and a number in E.164 form. Voice calls (`voice`) always need the number, since a
    /// Messaging Service sends text only; then both keys may be set (text through the service,
    /// calls from the number). Source: Auth0's "Configure SMS and Voice Notifications for MFA"
    /// ("If you are using Voice, you always need to configure 'From' even if you are using
    /// 'Messaging Services' for SMS").
    fn twilio_sender(
        &mut self,
        section: &str,
        section_span: Span,
        (number_key, number_field, number): (&str, &Field<String>, Option<&str>),
        (service_key, service_field): (&str, &Field<String>),
        voice: bool,
    ) {
        match (number_field.get(), service_field.get()) {
            (None, Some(service)) if voice => {
                self.error(
                    format!(
                        "voice calls need `{section}.{number_key}`: a Twilio Messaging Service sends text messages only"
                    ),
                    service.span,
                )
                .help = Some(format!(
                    "add `{number_key}: \"+15550001111\"` (a Twilio number that can place calls) beside `{service_key}`, or stop offering voice"
                ));
            }
            (Some(_), Some(_)) if voice => {}
            (None, None) => {
                self.error(
                    format!("`{section}` needs `{number_key}` or `{service_key}`"),
                    section_span,
                )
                .help = Some(format!(
                    "Twilio needs a sender: a number (`{number_key}: \"+15550001111\"`) or a Messaging Service (`{service_key}: MG…`)"
                ));
            }
            (Some(_), Some(second)) => {
                self.error(
                    format!("`{section}` sets both `{number_key}` and `{service_key}`"),
                    second.span,
                )
                .help = Some("Twilio sends from one of them: keep one".into());
            }
            _ => {}
        }
        if let (Some(number), Some(at)) = (number, number_field.get())
            && !is_e164(number)
        {
            let shown = self.shown_value(at, number);
            self.warning(
                format!("`{section}.{number_key}` {shown} is not an E.164 phone number"),
                at.span,
            )
            .help =
                Some("write it as `+` then country code and number, e.g. \"+15550001111\"".into());
        }
    }

    fn templates(&mut self, located: &Located<RawPhoneTemplates>) -> PhoneTemplates {
        let raw = &located.value;
        let path = "phone.templates";
        let message = |check: &mut Self, field: &Field<String>, key: &str| {
            let value = check.required_string(field, path, key, located.span, MAX_TEMPLATE);
            if let (Some(text), Some(at)) = (&value, field.get())
                && !text.contains("{{code}}")
            {
                check
                    .warning(
                        format!("`{path}.{key}` does not contain `{{{{code}}}}`"),
                        at.span,
                    )
                    .help = Some("without `{{code}}` users never see their one-time code".into());
            }
            value
        };
        let enrollment_message = message(self, &raw.enrollment_message, "enrollment_message");
        let verification_message = message(self, &raw.verification_message, "verification_message");
        PhoneTemplates {
            enrollment_message,
            verification_message,
        }
    }

    fn push(&mut self, raw: &RawPush) -> PushSettings {
        let provider = raw.provider.get().and_then(|p| {
            self.enum_value(p, "push provider", PushProvider::ALL, PushProvider::parse)
        });
        PushSettings {
            provider,
            sns: raw.sns.get().map(|s| self.sns(s)),
            apns: raw.apns.get().map(|a| self.apns(a)),
            fcm: raw.fcm.get().map(|f| FcmSettings {
                server_key: self.required_secret(
                    &f.value.server_key,
                    "push.fcm",
                    "server_key",
                    f.span,
                    "FCM_SERVER_KEY",
                ),
            }),
            fcmv1: raw.fcmv1.get().map(|f| FcmV1Settings {
                server_credentials: self.required_secret(
                    &f.value.server_credentials,
                    "push.fcmv1",
                    "server_credentials",
                    f.span,
                    "FCM_V1_CREDENTIALS",
                ),
            }),
            custom_app: raw.custom_app.get().map(|c| self.custom_app(c)),
        }
    }

    fn sns(&mut self, located: &Located<RawSns>) -> SnsSettings {
        let raw = &located.value;
        let path = "push.sns";
        let span = located.span;
        let aws_access_key_id = self.required_string(
            &raw.aws_access_key_id,
            path,
            "aws_access_key_id",
            span,
            MAX_NAME,
        );
        let aws_secret_access_key = self.required_secret(
            &raw.aws_secret_access_key,
            path,
            "aws_secret_access_key",
            span,
            "AWS_SECRET_ACCESS_KEY",
        );
        let aws_region = self.required_string(&raw.aws_region, path, "aws_region", span, MAX_NAME);
        if let (Some(region), Some(at)) = (&aws_region, raw.aws_region.get())
            && !is_sns_region(region)
        {
            let shown = self.shown_value(at, region);
            self.error(
                format!("`push.sns.aws_region` {shown} is not a region Guardian can use"),
                at.span,
            )
            .help = Some(format!(
                "use one of the {}-N regions, e.g. us-east-1",
                SNS_REGION_PREFIXES.join("-N, ")
            ));
        }
        let arn = |check: &mut Self, field: &Field<String>, key: &str| {
            let value = check.string(field, &format!("{path}.{key}"), MAX_LONG);
            if let (Some(text), Some(at)) = (&value, field.get())
                && !text.starts_with("arn:aws:sns:")
            {
                check
                    .warning(
                        format!("`{path}.{key}` does not look like an SNS ARN"),
                        at.span,
                    )
                    .help = Some("platform application ARNs start with `arn:aws:sns:`".into());
            }
            value
        };
        let sns_apns_platform_application_arn = arn(
            self,
            &raw.sns_apns_platform_application_arn,
            "sns_apns_platform_application_arn",
        );
        let sns_gcm_platform_application_arn = arn(
            self,
            &raw.sns_gcm_platform_application_arn,
            "sns_gcm_platform_application_arn",
        );
        SnsSettings {
            aws_access_key_id,
            aws_secret_access_key,
            aws_region,
            sns_apns_platform_application_arn,
            sns_gcm_platform_application_arn,
        }
    }

    fn apns(&mut self, located: &Located<RawApns>) -> ApnsSettings {
        let raw = &located.value;
        let path = "push.apns";
        ApnsSettings {
            bundle_id: self.required_string(
                &raw.bundle_id,
                path,
                "bundle_id",
                located.span,
                MAX_NAME,
            ),
            sandbox: Some(
                self.flag(&raw.sandbox, "push.apns.sandbox")
                    .unwrap_or(false),
            ),
            p12: self.required_secret(&raw.p12, path, "p12", located.span, "APNS_P12"),
        }
    }

    fn custom_app(&mut self, located: &Located<RawCustomApp>) -> CustomApp {
        let raw = &located.value;
        let app_name = self.string(&raw.app_name, "push.custom_app.app_name", MAX_NAME);
        let link = |check: &mut Self, field: &Field<String>, key: &str| {
            let path = format!("push.custom_app.{key}");
            let value = check.string(field, &path, MAX_LONG);
            if let (Some(url), Some(at)) = (&value, field.get())
                && !url.starts_with("https://")
            {
                check
                    .error(format!("`{path}` must be an https:// link"), at.span)
                    .help = Some("app store links are served over https".into());
            }
            value
        };
        let apple_app_link = link(self, &raw.apple_app_link, "apple_app_link");
        let google_app_link = link(self, &raw.google_app_link, "google_app_link");
        if raw.app_name.get().is_none()
            && raw.apple_app_link.get().is_none()
            && raw.google_app_link.get().is_none()
        {
            self.error("`push.custom_app` sets nothing", located.span)
                .help = Some(
                "set `app_name`, `apple_app_link` or `google_app_link`, or remove the section"
                    .into(),
            );
        }
        CustomApp {
            app_name,
            apple_app_link,
            google_app_link,
        }
    }

    fn duo(&mut self, raw: &RawDuo, located: Option<&Located<RawDuo>>) -> DuoSettings {
        let span = located.map(|l| l.span).unwrap_or_default();
        let ikey = self.required_string(&raw.ikey, "duo", "ikey", span, MAX_NAME);
        let skey = self.required_secret(&raw.skey, "duo", "skey", span, "DUO_SECRET_KEY");
        let host = self.required_string(&raw.host, "duo", "host", span, MAX_NAME);
        if let (Some(h), Some(at)) = (&host, raw.host.get())
            && (h.contains("://") || h.contains('/'))
        {
            self.error("`duo.host` must be a host name, not a URL", at.span)
                .help = Some("write it as `api-1234abcd.duosecurity.com`".into());
        }
        DuoSettings { ikey, skey, host }
    }

    fn relying_party(
        &mut self,
        path: &str,
        override_field: &Field<Flag>,
        identifier: &Field<String>,
        section: Span,
    ) -> (Option<bool>, Option<String>) {
        let override_rp = self.flag(override_field, &format!("{path}.override_relying_party"));
        let id = self.string(
            identifier,
            &format!("{path}.relying_party_identifier"),
            MAX_NAME,
        );
        match (override_rp, identifier.get()) {
            (Some(true), None) => {
                let at = override_field.get().map_or(section, |l| l.span);
                self.error(
                    format!(
                        "`{path}.override_relying_party: true` needs `relying_party_identifier`"
                    ),
                    at,
                )
                .help =
                    Some("add the domain to use, e.g. `relying_party_identifier: acme.com`".into());
            }
            (Some(false) | None, Some(at)) => {
                self.error(
                    format!("`{path}.relying_party_identifier` is only used with `override_relying_party: true`"),
                    at.span,
                )
                .help = Some("set `override_relying_party: true`, or remove the identifier".into());
            }
            _ => {}
        }
        (override_rp, id)
    }

    fn webauthn_roaming(
        &mut self,
        located: &Located<RawWebAuthnRoaming>,
    ) -> WebAuthnRoamingSettings {
        let raw = &located.value;
        let user_verification = raw.user_verification.get().and_then(|u| {
            self.enum_value(
                u,
                "user verification",
                UserVerification::ALL,
                UserVerification::parse,
            )
        });
        let (override_relying_party, relying_party_identifier) = self.relying_party(
            "webauthn_roaming",
            &raw.override_relying_party,
            &raw.relying_party_identifier,
            located.span,
        );
        WebAuthnRoamingSettings {
            user_verification,
            override_relying_party,
            relying_party_identifier,
        }
    }

    fn webauthn_platform(
        &mut self,
        located: &Located<RawWebAuthnPlatform>,
    ) -> WebAuthnPlatformSettings {
        let raw = &located.value;
        let (override_relying_party, relying_party_identifier) = self.relying_party(
            "webauthn_platform",
            &raw.override_relying_party,
            &raw.relying_party_identifier,
            located.span,
        );
        WebAuthnPlatformSettings {
            override_relying_party,
            relying_party_identifier,
        }
    }

    /// Problems only the whole file shows.
    fn combinations(&mut self, raw: &RawConfig, state: &MfaState) {
        let requires_mfa = state.policies.as_ref().is_some_and(|p| !p.is_empty());
        let listed = &state.factors;
        let none_enabled = !listed.is_empty() && listed.values().all(|on| !on);
        if requires_mfa && none_enabled {
            let span = raw.policies.get().map(|p| p.span).unwrap_or_default();
            if listed.len() == Factor::ALL.len() {
                self.error(
                    "`policies` requires MFA but every factor is disabled: nobody could log in",
                    span,
                )
                .help = Some("enable at least one factor, or set `policies: []`".into());
            } else {
                self.warning(
                    "`policies` requires MFA but every factor this file lists is disabled",
                    span,
                )
                .help = Some(
                    "users can log in only if the tenant has another factor enabled; `plan` checks that"
                        .into(),
                );
            }
        }
        let sms_on = listed.get(&Factor::Sms) == Some(&true);
        if let (true, Some(types), Some(at)) = (
            sms_on,
            state.phone.message_types.as_ref(),
            raw.phone.value().and_then(|p| p.message_types.get()),
        ) && types.is_empty()
        {
            self.error(
                "the sms factor is enabled but `phone.message_types` allows no message type",
                at.span,
            )
            .help = Some("list `sms`, `voice` or both".into());
        }
        self.delivery_covers_message_types(raw, state);
        self.provider_delivers_message_types(raw, state);
        for factor in Factor::ALL {
            let Some(section) = factor.settings_section() else {
                continue;
            };
            let span = section_span(raw, section);
            if let (Some(span), Some(false)) = (span, listed.get(factor).copied()) {
                self.warning(
                    format!("`{section}` is configured but `factors.{factor}` is false"),
                    span,
                )
                .help = Some(if factor == &Factor::Sms {
                    "the settings are unused while the factor is off, and `phone.message_types` is not written until it is on; enable `factors.sms` or remove `phone`".to_string()
                } else {
                    format!(
                        "the settings are applied but unused while the factor is off; enable `factors.{factor}` or remove `{section}`"
                    )
                });
            }
        }
    }

    /// MFA's message types must be deliverable by the legacy phone provider the file selects.
    fn provider_delivers_message_types(&mut self, raw: &RawConfig, state: &MfaState) {
        let (Some(types), Some(provider)) =
            (state.phone.message_types.as_ref(), state.phone.provider)
        else {
            return;
        };
        let phone = raw.phone.value();
        let span = phone
            .and_then(|p| p.message_types.get())
            .map(|l| l.span)
            .or_else(|| phone.and_then(|p| p.provider.get()).map(|l| l.span))
            .unwrap_or_default();
        for message_type in types.iter().filter(|t| !provider.delivers(**t)) {
            self.error(
                format!(
                    "`phone.message_types` allows `{message_type}` but `phone.provider: {provider}` cannot deliver it"
                ),
                span,
            )
            .help = Some(format!(
                "Auth0's own provider sends text messages only: choose `phone.provider: twilio` or `phone-message-hook` for {message_type}, or remove `{message_type}` from `phone.message_types`"
            ));
        }
    }

    /// MFA's message types must be deliverable by the Tenant Phone Settings provider.
    fn delivery_covers_message_types(&mut self, raw: &RawConfig, state: &MfaState) {
        let (Some(types), Some(methods)) = (
            state.phone.message_types.as_ref(),
            state
                .tenant_phone
                .provider
                .as_ref()
                .and_then(|p| p.delivery_methods.as_ref()),
        ) else {
            return;
        };
        let span = raw
            .phone
            .value()
            .and_then(|p| p.message_types.get())
            .map(|l| l.span)
            .unwrap_or_default();
        for message_type in types {
            let needed = match message_type {
                MessageType::Sms => DeliveryMethod::Text,
                MessageType::Voice => DeliveryMethod::Voice,
            };
            if !methods.contains(&needed) {
                self.error(
                    format!(
                        "`phone.message_types` allows `{message_type}` but `tenant_phone.provider.delivery_methods` has no `{needed}`"
                    ),
                    span,
                )
                .help = Some(format!(
                    "add `{needed}` to the provider's `delivery_methods`, or remove `{message_type}` from `phone.message_types`"
                ));
            }
        }
    }

    // ---- value helpers -------------------------------------------------------------------

    fn flag(&mut self, field: &Field<Flag>, path: &str) -> Option<bool> {
        let located = field.get()?;
        match &located.value {
            Flag::Bool(b) => Some(*b),
            Flag::NotBool(found) => {
                let d = self.error(
                    format!("`{path}` must be true or false, found {found}"),
                    located.span,
                );
                d.label = Some("not a boolean".into());
                d.help = Some(
                    "write true or false without quotes; yes/no/on/off are not booleans here"
                        .into(),
                );
                None
            }
        }
    }

    fn number(
        &mut self,
        field: &Field<u64>,
        path: &str,
        min: u64,
        max: u64,
        unit: &str,
    ) -> Option<u64> {
        let located = field.get()?;
        let value = located.value;
        if (min..=max).contains(&value) {
            return Some(value);
        }
        self.error(
            format!("`{path}` is {value} {unit}; it must be between {min} and {max}"),
            located.span,
        )
        .label = Some(format!("{min} to {max}"));
        None
    }

    fn enum_value<E: Copy + std::fmt::Display>(
        &mut self,
        located: &Located<String>,
        what: &str,
        all: &[E],
        parse: fn(&str) -> Option<E>,
    ) -> Option<E> {
        if let Some(value) = parse(&located.value) {
            return Some(value);
        }
        let names: Vec<String> = all.iter().map(ToString::to_string).collect();
        let suggestion = closest(&located.value, names.iter().map(String::as_str));
        let d = self.error(
            format!("`{}` is not a valid {what}", located.value),
            located.span,
        );
        d.label = Some(format!("unknown {what}"));
        d.help = Some(match suggestion {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("expected one of: {}", names.join(", ")),
        });
        None
    }

    /// Resolves `${VAR}` references; records missing variables.
    fn resolve(&mut self, located: &Located<String>, path: &str) -> Option<(String, bool)> {
        let placeholder = |_: &str| Some("-".to_string());
        let lookup: EnvLookup<'_> = self.env.unwrap_or(&placeholder);
        match interpolate(&located.value, lookup) {
            Ok(resolved) if self.env.is_none() && !resolved.variables.is_empty() => None,
            Ok(resolved) => Some((resolved.value, !resolved.variables.is_empty())),
            Err(InterpolationError::Missing(names)) => {
                for name in names {
                    if !self.missing.iter().any(|(n, _)| *n == name) {
                        self.missing.push((name, located.span));
                    }
                }
                None
            }
            Err(InterpolationError::Malformed(reference)) => {
                self.error(
                    format!("`{path}` has a malformed reference `{reference}`"),
                    located.span,
                )
                .help = Some(
                    "write `${NAME}` with letters, digits and `_`; write `$${` for a literal `${`"
                        .into(),
                );
                None
            }
        }
    }

    fn string_at(&mut self, located: &Located<String>, path: &str, max: usize) -> Option<String> {
        let (value, from_env) = self.resolve(located, path)?;
        let chars = value.chars().count();
        let origin = if from_env {
            " (after resolving its variables)"
        } else {
            ""
        };
        if value.trim().is_empty() {
            self.error(format!("`{path}` is empty{origin}"), located.span);
            return None;
        }
        if chars > max {
            self.error(
                format!(
                    "`{path}` is {chars} characters long{origin}; the API allows at most {max}"
                ),
                located.span,
            );
            return None;
        }
        Some(value)
    }

    fn string(&mut self, field: &Field<String>, path: &str, max: usize) -> Option<String> {
        let located = field.get()?;
        self.string_at(located, path, max)
    }

    fn required_string(
        &mut self,
        field: &Field<String>,
        section: &str,
        key: &str,
        section_span: Span,
        max: usize,
    ) -> Option<String> {
        if field.get().is_none() {
            self.missing_key(section, key, section_span);
            return None;
        }
        self.string(field, &format!("{section}.{key}"), max)
    }

    fn required_secret(
        &mut self,
        field: &Field<String>,
        section: &str,
        key: &str,
        section_span: Span,
        variable: &str,
    ) -> Option<Secret> {
        let Some(located) = field.get() else {
            self.missing_key(section, key, section_span);
            return None;
        };
        let path = format!("{section}.{key}");
        let (value, from_env) = self.resolve(located, &path)?;
        if !from_env {
            self.warning(
                format!("`{path}` is a secret written in clear in the file"),
                located.span,
            )
            .help = Some(format!(
                "write `{key}: ${{{variable}}}` and set {variable} in the environment"
            ));
        }
        if value.is_empty() {
            self.error(format!("`{path}` is empty"), located.span);
            return None;
        }
        Some(Secret::new(value))
    }

    fn missing_key(&mut self, section: &str, key: &str, section_span: Span) {
        self.error(format!("`{section}` is missing `{key}`"), section_span)
            .help = Some(format!("add `{key}:` under `{section}`"));
    }

    /// How a value may be quoted in a message: literally when the file wrote it, by its
    /// variables when it came from the environment.
    fn shown_value(&self, located: &Located<String>, resolved: &str) -> String {
        if located.value.contains("${") {
            format!("(from `{}`)", located.value)
        } else {
            format!("`{resolved}`")
        }
    }

    fn report_missing_variables(&mut self) {
        self.missing
            .sort_by_key(|(_, span)| (span.line, span.column));
        let Some((_, first_span)) = self.missing.first().cloned() else {
            return;
        };
        let names: Vec<&str> = self.missing.iter().map(|(n, _)| n.as_str()).collect();
        let places: Vec<String> = self
            .missing
            .iter()
            .map(|(n, s)| format!("{n} (line {})", s.line))
            .collect();
        let noun = if names.len() == 1 {
            "environment variable is"
        } else {
            "environment variables are"
        };
        let message = format!("{} {noun} not set: {}", names.len(), names.join(", "));
        let help = format!(
            "set them before running mfactl; referenced at {}",
            places.join(", ")
        );
        self.diagnostics.push(
            Diagnostic::error(message, Some(first_span))
                .with_label("first reference")
                .with_help(help),
        );
    }
}

/// Where a top-level section of the file starts, when the file has it.
fn section_span(raw: &RawConfig, section: &str) -> Option<Span> {
    match section {
        "phone" => raw.phone.get().map(|l| l.span),
        "push" => raw.push.get().map(|l| l.span),
        "duo" => raw.duo.get().map(|l| l.span),
        "webauthn_roaming" => raw.webauthn_roaming.get().map(|l| l.span),
        "webauthn_platform" => raw.webauthn_platform.get().map(|l| l.span),
        "email" => raw.email.get().map(|l| l.span),
        _ => None,
    }
}

/// Whether a template mentions the one-time code (`{{code}}` or Liquid's `{{ code }}`).
fn mentions_code(text: &str) -> bool {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    compact.contains("{{code}}")
}

fn is_e164(number: &str) -> bool {
    let Some(digits) = number.strip_prefix('+') else {
        return false;
    };
    (2..=15).contains(&digits.len())
        && digits.chars().all(|c| c.is_ascii_digit())
        && !digits.starts_with('0')
}

fn is_sns_region(region: &str) -> bool {
    SNS_REGION_PREFIXES.iter().any(|prefix| {
        region
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_prefix('-'))
            .is_some_and(|n| (1..=2).contains(&n.len()) && n.chars().all(|c| c.is_ascii_digit()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_factor_section_has_a_place_in_the_file() {
        let text = "version: 1\nphone: {}\npush: {}\nduo: {}\nwebauthn_roaming: {}\nwebauthn_platform: {}\nemail: {}\n";
        let raw = super::super::parse::parse(text).unwrap();
        for factor in Factor::ALL {
            if let Some(section) = factor.settings_section() {
                assert!(section_span(&raw, section).is_some(), "{section}");
            }
        }
    }

    /// Every legacy phone provider × sender × message types, and every Tenant Phone Settings
    /// sender × delivery methods: which combinations can deliver what the file offers.
    #[test]
    fn providers_deliver_only_what_they_can() {
        let env = |_: &str| Some("secret-value-123".to_string());
        let valid = |text: &str| {
            let loaded = crate::config::load_str("t.yaml", text, Some(&env));
            let errors: Vec<String> = loaded
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| d.message.clone())
                .collect();
            (loaded.config.is_some(), errors)
        };
        let senders = [
            ("from", "from: \"+15550001111\""),
            ("service", "messaging_service_sid: MG1"),
            (
                "both",
                "from: \"+15550001111\"\n    messaging_service_sid: MG1",
            ),
        ];
        for types in ["[sms]", "[voice]", "[sms, voice]"] {
            let voice = types.contains("voice");
            for provider in ["auth0", "phone-message-hook"] {
                let text = format!(
                    "version: 1\nfactors: {{sms: true}}\nphone:\n  provider: {provider}\n  message_types: {types}\n"
                );
                let expected = !(voice && provider == "auth0");
                assert_eq!(
                    valid(&text).0,
                    expected,
                    "{provider} {types}: {:?}",
                    valid(&text).1
                );
            }
            for (sender, keys) in senders {
                let text = format!(
                    "version: 1\nfactors: {{sms: true}}\nphone:\n  provider: twilio\n  message_types: {types}\n  twilio:\n    sid: AC00000000000000000000000000000000\n    auth_token: ${{T}}\n    {keys}\n"
                );
                let expected = match sender {
                    "from" => true,
                    "service" => !voice,
                    _ => voice,
                };
                assert_eq!(
                    valid(&text).0,
                    expected,
                    "twilio {sender} {types}: {:?}",
                    valid(&text).1
                );
            }
            for (sender, keys) in [
                ("from", "default_from: \"+15550001111\""),
                ("service", "mssid: MG1"),
                ("both", "default_from: \"+15550001111\"\n    mssid: MG1"),
            ] {
                let methods = types.replace("sms", "text");
                let text = format!(
                    "version: 1\ntenant_phone:\n  provider:\n    name: twilio\n    sid: AC1\n    auth_token: ${{T}}\n    {keys}\n    delivery_methods: {methods}\n"
                );
                let expected = match sender {
                    "from" => true,
                    "service" => !voice,
                    _ => voice,
                };
                assert_eq!(
                    valid(&text).0,
                    expected,
                    "tenant phone {sender} {types}: {:?}",
                    valid(&text).1
                );
            }
        }
    }

    #[test]
    fn e164_numbers() {
        assert!(is_e164("+15550001111"));
        assert!(!is_e164("15550001111"));
        assert!(!is_e164("+0123"));
        assert!(!is_e164("+1555-000"));
    }

    #[test]
    fn sns_regions_follow_the_api_pattern() {
        assert!(is_sns_region("us-east-1"));
        assert!(is_sns_region("eu-central-12"));
        assert!(!is_sns_region("sa-east-1"));
        assert!(!is_sns_region("us-east-123"));
        assert!(!is_sns_region("us-east-"));
    }
}
