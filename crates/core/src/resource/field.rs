//! One field of a resource: its config key, its API key, its type and its rules.

use crate::model::EnumInfo;
use crate::plan::FieldKind;

/// What kind of value a field holds, with the limits the API enforces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// Text of 1 to `max` characters.
    Text { max: usize },
    /// `true` or `false` (strict: YAML's `yes`/`on` are errors).
    Bool,
    /// A whole number between `min` and `max` (inclusive), in `unit` (e.g. `seconds`).
    Integer {
        min: u64,
        max: u64,
        unit: &'static str,
    },
    /// One of the enum's values.
    Enum(&'static EnumInfo),
    /// A set of the enum's values (order never matters), with at most `max_items` items.
    Set {
        of: &'static EnumInfo,
        max_items: Option<usize>,
    },
    /// Texts by screen and text id: `{screen: {text_id: text}}` (a prompt's custom texts).
    Texts,
    /// A list of at most `max_items` objects, each with the fields `of` (a user's
    /// authentication methods). Which fields an item takes may hang on another of its fields
    /// ([`FieldSpec::when`]: a phone number only for `type: phone`).
    Items {
        of: &'static [FieldSpec],
        max_items: usize,
    },
}

/// Personal data: shown only masked, the way the Management API masks it in its reads
/// ([`crate::users::masking`]), in every output and log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Personal {
    /// A phone number: `+15551234567` shows as `XXXXXXXX4567`.
    Phone,
    /// An email address: `chuck334@example.com` shows as `chuc****@exam*******`.
    Email,
}

impl Personal {
    /// `value` masked as the API masks it (masking a masked value changes nothing).
    pub fn mask(self, value: &str) -> String {
        match self {
            Personal::Phone => crate::users::masking::mask_phone(value),
            Personal::Email => crate::users::masking::mask_email(value),
        }
    }
}

/// Whether a field holds a secret, and whether the API returns it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Secrecy {
    Plain,
    /// A secret the API returns on reads: compared, never shown (Duo `skey`, Twilio `auth_token`).
    Sensitive,
    /// A secret the API never returns: never compared, sent whenever its resource is written.
    WriteOnly,
}

/// A field's value in a `const` table (only the kinds defaults need).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Constant {
    Bool(bool),
}

/// One field of a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    /// The key in the config file and in plan views.
    pub key: &'static str,
    /// The key in the API's JSON body; dots nest (`configuration.sid`); empty when the body is
    /// the value itself (`/guardian/policies` takes a bare array).
    pub api: &'static str,
    pub ty: FieldType,
    pub secrecy: Secrecy,
    /// Message template text: plans show it with an inline word diff.
    pub template: bool,
    /// The config file must set it when the resource is present (and, with `when`, when that
    /// condition holds).
    pub required: bool,
    /// The field belongs only to configurations where another field of the resource has this
    /// value: `("name", "twilio")` for a Twilio provider's keys.
    pub when: Option<(&'static str, &'static str)>,
    /// The value the API reports when the field was never set; unset compares equal to it, and a
    /// write that leaves it unset sends it.
    pub default: Option<Constant>,
    /// The value a read that lacks the field stands for (`/tenants/settings` leaves out flags
    /// that were never set: they are `false`). Unlike `default`, never sent.
    pub reads_as: Option<Constant>,
    /// For secrets: the environment variable `export` refers to and hints suggest.
    pub env: Option<&'static str>,
    /// A regular expression the JSON Schema gives editors (the validation has its own check).
    pub pattern: Option<&'static str>,
    /// The description shown in the JSON Schema (editors show it on hover).
    pub doc: &'static str,
    /// Personal data, masked wherever it is shown.
    pub personal: Option<Personal>,
    /// A choice of the config file that is never read from or sent to the API (a user's
    /// `manage: exact`).
    pub local: bool,
}

impl FieldSpec {
    const fn new(key: &'static str, ty: FieldType) -> Self {
        FieldSpec {
            key,
            api: key,
            ty,
            secrecy: Secrecy::Plain,
            template: false,
            required: false,
            when: None,
            default: None,
            reads_as: None,
            env: None,
            pattern: None,
            doc: "",
            personal: None,
            local: false,
        }
    }

    /// Text of 1 to `max` characters.
    pub const fn text(key: &'static str, max: usize) -> Self {
        Self::new(key, FieldType::Text { max })
    }

    pub const fn bool(key: &'static str) -> Self {
        Self::new(key, FieldType::Bool)
    }

    pub const fn integer(key: &'static str, min: u64, max: u64, unit: &'static str) -> Self {
        Self::new(key, FieldType::Integer { min, max, unit })
    }

    pub const fn one_of(key: &'static str, values: &'static EnumInfo) -> Self {
        Self::new(key, FieldType::Enum(values))
    }

    pub const fn set_of(key: &'static str, values: &'static EnumInfo) -> Self {
        Self::new(
            key,
            FieldType::Set {
                of: values,
                max_items: None,
            },
        )
    }

    pub const fn texts(key: &'static str) -> Self {
        Self::new(key, FieldType::Texts)
    }

    /// A list of objects with the fields `of`, at most `max_items` of them.
    pub const fn items(key: &'static str, of: &'static [FieldSpec], max_items: usize) -> Self {
        Self::new(key, FieldType::Items { of, max_items })
    }

    /// Personal data, masked wherever it is shown.
    pub const fn personal(mut self, personal: Personal) -> Self {
        self.personal = Some(personal);
        self
    }

    /// A choice of the config file, never read from or sent to the API.
    pub const fn local(mut self) -> Self {
        self.local = true;
        self
    }

    /// The JSON key, when it differs from the config key.
    pub const fn api(mut self, api: &'static str) -> Self {
        self.api = api;
        self
    }

    /// A secret the API returns (compared, never shown), read from `env` by convention.
    pub const fn sensitive(mut self, env: &'static str) -> Self {
        self.secrecy = Secrecy::Sensitive;
        self.env = Some(env);
        self
    }

    /// A secret the API never returns, read from `env` by convention.
    pub const fn write_only(mut self, env: &'static str) -> Self {
        self.secrecy = Secrecy::WriteOnly;
        self.env = Some(env);
        self
    }

    pub const fn template(mut self) -> Self {
        self.template = true;
        self
    }

    pub const fn required(mut self) -> Self {
        self.required = true;
        self
    }

    /// Only for configurations where `key` is `value`.
    pub const fn when(mut self, key: &'static str, value: &'static str) -> Self {
        self.when = Some((key, value));
        self
    }

    pub const fn default(mut self, value: Constant) -> Self {
        self.default = Some(value);
        self
    }

    pub const fn reads_as(mut self, value: Constant) -> Self {
        self.reads_as = Some(value);
        self
    }

    pub const fn max_items(mut self, max: usize) -> Self {
        if let FieldType::Set { of, .. } = self.ty {
            self.ty = FieldType::Set {
                of,
                max_items: Some(max),
            };
        }
        self
    }

    pub const fn pattern(mut self, pattern: &'static str) -> Self {
        self.pattern = Some(pattern);
        self
    }

    pub const fn doc(mut self, doc: &'static str) -> Self {
        self.doc = doc;
        self
    }

    /// Whether the value is a secret.
    pub fn is_secret(&self) -> bool {
        self.secrecy != Secrecy::Plain
    }

    /// Whether the API never returns the value.
    pub fn is_write_only(&self) -> bool {
        self.secrecy == Secrecy::WriteOnly
    }

    /// How plans show the field.
    pub fn kind(&self) -> FieldKind {
        match self.secrecy {
            Secrecy::WriteOnly => FieldKind::WriteOnly,
            Secrecy::Sensitive => FieldKind::Sensitive,
            Secrecy::Plain if self.template => FieldKind::Template,
            Secrecy::Plain => FieldKind::Plain,
        }
    }

    /// The top-level key of the field in the API body (`credentials` for
    /// `credentials.auth_token`).
    pub fn api_top(&self) -> &'static str {
        match self.api.split_once('.') {
            Some((top, _)) => top,
            None => self.api,
        }
    }

    /// The last segment of the API key (`auth_token` for `credentials.auth_token`).
    pub fn api_leaf(&self) -> &'static str {
        match self.api.rsplit_once('.') {
            Some((_, leaf)) => leaf,
            None => self.api,
        }
    }
}
