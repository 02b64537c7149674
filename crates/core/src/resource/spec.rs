//! What one Management API resource is: where it sits in the config file, how it is read and
//! written, with which scopes, in which stage, and its fields. One `static` [`ResourceSpec`] per
//! resource lives in [`crate::resource::specs`]; [`crate::resource::registry`] lists them once.
//!
//! Paths are relative to `/api/v2` and may hold placeholders that an address fills in: `{key}`
//! (the key of a keyed resource, e.g. a factor name), `{prompt}` and `{language}`, and
//! `{user_id}` (a user's id, percent-encoded).

use crate::model::{EnumInfo, Factor, PushProvider};
use crate::plan::Stage;
use crate::request::HttpMethod;
use crate::resource::field::FieldSpec;

/// How the resource appears in the config file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A mapping of fields (`duo: {ikey: …, skey: …}`).
    Object,
    /// The resource's one field, written directly (`policies: [...]`, `phone.provider: twilio`,
    /// `factors.otp: true`).
    Value,
}

/// How many resources one spec describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keys {
    /// One resource.
    Single,
    /// One resource per value of a closed list, written as a mapping under the config path
    /// (`factors: {otp: true}`, `tenant_phone.templates: {otp_verify: {…}}`).
    Fixed(&'static EnumInfo),
    /// One resource per prompt and language, both closed lists, written as
    /// `prompts: {mfa-sms: {en: {…}}}`.
    PromptLanguage {
        prompts: &'static EnumInfo,
        languages: &'static EnumInfo,
    },
    /// One resource per user, keyed by user id (free text, `provider|id`), written as a mapping
    /// under the config path (`users: {"auth0|…": {…}}`) and addressed `users["auth0|…"]`. The
    /// id is percent-encoded where a path holds it (`auth0%7C…`).
    User,
}

/// What a write does to the fields its body leaves out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Semantics {
    /// The write replaces the whole resource: an omitted field reads back `null`, so a field the
    /// file leaves unset is compared with `null` (Twilio, the Tenant Phone provider, prompt
    /// texts).
    Overwrite,
    /// The write changes only the fields it carries: unset fields are neither compared nor sent.
    Merge,
    /// As `Merge` for the comparison, but the endpoint wants every field in each write, so the
    /// live values of the fields the file leaves unset are sent back unchanged.
    MergeResendingAll,
    /// There is no read: the resource can never be compared (FCM keys).
    WriteOnly,
    /// A collection of items the API creates, updates and deletes one at a time (a user's
    /// authentication methods): see [`crate::resource::CollectionSpec`]. Each item the plan
    /// writes is a change of its own.
    Collection,
}

/// How the plan names a change of this resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionRule {
    /// `create` while the resource holds nothing but defaults, `update` afterwards.
    Settings,
    /// An on/off switch (a factor): `enable` or `disable`; shown as enabled/disabled.
    Switch,
    /// A selection (a provider, message types): `create` when the tenant has none, else `update`.
    Selection,
    /// When MFA is required (`policies`): `enable` from none, `disable` to none, else `update`.
    Requirement,
}

/// The stage of a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StageRule {
    Fixed(Stage),
    /// [`Stage::EnableFactors`] when the switch turns on, [`Stage::DisableFactors`] when off.
    BySwitch,
}

/// Where in a GET's answer this resource is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extract {
    /// The whole body.
    Body,
    /// The entry of a list whose `key_field` equals the resource's key; the list is the body
    /// itself (`list: None`) or the array under `list`. `GET /guardian/factors` (by `name`) and
    /// `GET /branding/phone/templates` (by `type`).
    Entry {
        list: Option<&'static str>,
        key_field: &'static str,
    },
    /// The first entry of the array under `list` (the tenant has at most one phone provider).
    First { list: &'static str },
}

/// What a saved plan fingerprints to tell whether the resource changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fingerprint {
    /// The part of the answer [`Extract`] selects.
    Extracted,
    /// Only the resource's fields, by config key (`/tenants/settings` holds much more).
    Fields,
}

/// The read of a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadSpec {
    pub path: &'static str,
    pub scope: &'static str,
    pub extract: Extract,
    pub fingerprint: Fingerprint,
    /// A 404 means "nothing set yet" rather than an error (the phone factor's message types
    /// answer 404 "The phone factor does not exist." until SMS was enabled once).
    pub not_found_is_empty: bool,
    /// The answer comes in pages (`?include_totals=true&page=N&per_page=M`) of an envelope
    /// whose list is under this key (`authenticators`); the read takes every page, and its
    /// answer is the whole list.
    pub paged: Option<&'static str>,
}

impl ReadSpec {
    pub const fn get(path: &'static str, scope: &'static str) -> Self {
        ReadSpec {
            path,
            scope,
            extract: Extract::Body,
            fingerprint: Fingerprint::Extracted,
            not_found_is_empty: false,
            paged: None,
        }
    }

    /// Pages of an envelope whose list is under `list`.
    pub const fn paged(mut self, list: &'static str) -> Self {
        self.paged = Some(list);
        self
    }

    pub const fn extract(mut self, extract: Extract) -> Self {
        self.extract = extract;
        self
    }

    pub const fn fingerprint(mut self, fingerprint: Fingerprint) -> Self {
        self.fingerprint = fingerprint;
        self
    }

    pub const fn not_found_is_empty(mut self) -> Self {
        self.not_found_is_empty = true;
        self
    }
}

/// The write of a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteSpec {
    pub method: HttpMethod,
    pub path: &'static str,
    /// The scope the write needs.
    pub scope: &'static str,
    /// For resources created once and then addressed by id (Tenant Phone Settings): `method`
    /// and `path` create it (POST to the collection), and an existing one is updated with
    /// `PATCH {path}/{id}`, which needs `update_scope`.
    pub by_id: Option<ById>,
}

/// Create-or-patch-by-id writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ById {
    pub update_scope: &'static str,
    /// A body key that carries the resource's key on creation (a template's `type`).
    pub key_field_on_create: Option<&'static str>,
}

impl WriteSpec {
    pub const fn put(path: &'static str, scope: &'static str) -> Self {
        WriteSpec {
            method: HttpMethod::Put,
            path,
            scope,
            by_id: None,
        }
    }

    pub const fn patch(path: &'static str, scope: &'static str) -> Self {
        WriteSpec {
            method: HttpMethod::Patch,
            path,
            scope,
            by_id: None,
        }
    }

    /// POST `collection` to create, `PATCH {collection}/{id}` to update.
    pub const fn create_or_patch(
        collection: &'static str,
        create_scope: &'static str,
        update_scope: &'static str,
        key_field_on_create: Option<&'static str>,
    ) -> Self {
        WriteSpec {
            method: HttpMethod::Post,
            path: collection,
            scope: create_scope,
            by_id: Some(ById {
                update_scope,
                key_field_on_create,
            }),
        }
    }

    /// A POST to the collection `path` (items of a [`Semantics::Collection`] resource).
    pub const fn post(path: &'static str, scope: &'static str) -> Self {
        WriteSpec {
            method: HttpMethod::Post,
            path,
            scope,
            by_id: None,
        }
    }

    /// Every scope a write may need (create and update for create-or-patch resources).
    pub fn scopes(&self) -> impl Iterator<Item = &'static str> {
        std::iter::once(self.scope).chain(self.by_id.map(|b| b.update_scope))
    }
}

/// Which tenants' phone setup a resource belongs to (Auth0 has two).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneScope {
    /// Not phone-related.
    None,
    /// Phone-related on every tenant (message types, phone OTP settings).
    Any,
    /// The legacy Guardian phone provider and templates: refused (403
    /// `legacy_mfa_phone_provider_not_allowed`) by tenants on the consolidated phone experience.
    Legacy,
    /// Tenant Phone Settings: used by MFA only on consolidated tenants.
    TenantPhone,
}

/// What `mfactl export` writes for a resource it read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportRule {
    /// Always, as read.
    Always,
    /// Only when it holds more than the API's defaults (a provider never configured is left out).
    UnlessBlank,
}

/// Checks of one section of the config file beyond each field's own type and limits (a Twilio
/// sender, a relying party, an https link). See [`crate::config::section`].
pub type ValidateHook = fn(&mut crate::config::section::SectionCheck<'_, '_>);

/// One Management API resource, described once.
#[derive(Debug)]
pub struct ResourceSpec {
    /// The plan address (`duo`, `push.sns`, `factors` + `.{key}`).
    pub address: &'static str,
    /// The keys from the file's top level to the resource (`["push", "sns"]`); for keyed
    /// resources, to the mapping of keys (`["factors"]`).
    pub config_path: &'static [&'static str],
    /// The JSON Schema definition name of an object resource (`Duo`).
    pub schema_name: &'static str,
    /// What the config key is for (the schema's description of the key).
    pub doc: &'static str,
    pub shape: Shape,
    pub keys: Keys,
    pub read: Option<ReadSpec>,
    pub write: WriteSpec,
    pub semantics: Semantics,
    pub stage: StageRule,
    pub action: ActionRule,
    pub fields: &'static [FieldSpec],
    /// The factor whose settings these are: a section configured while the file turns its
    /// factor off is worth a warning.
    pub factor: Option<Factor>,
    /// The push provider that uses these credentials: switching to it sends them even when
    /// nothing else changed (they cannot be compared).
    pub push_provider: Option<PushProvider>,
    pub phone: PhoneScope,
    pub export: ExportRule,
    /// Section checks beyond the fields' own.
    pub validate: Option<ValidateHook>,
    /// Tidies a resource read from the tenant before `export` writes it (drops values the API
    /// keeps but the config file must not set).
    pub export_fix: Option<fn(&mut crate::model::Values)>,
    /// A resource whose config section must set at least one field (a section that sets
    /// nothing is an error, not a silent no-op).
    pub needs_a_field: bool,
    /// For [`Semantics::Collection`] resources: the items, how they match, and how each is
    /// written.
    pub collection: Option<&'static crate::resource::CollectionSpec>,
}

impl ResourceSpec {
    /// A spec with the usual rules: a single object resource, read and written at `write`'s
    /// path, merged, in the first stage, exported unless blank.
    pub const fn new(
        address: &'static str,
        config_path: &'static [&'static str],
        read: Option<ReadSpec>,
        write: WriteSpec,
        fields: &'static [FieldSpec],
    ) -> Self {
        ResourceSpec {
            address,
            config_path,
            schema_name: "",
            doc: "",
            shape: Shape::Object,
            keys: Keys::Single,
            read,
            write,
            semantics: Semantics::Merge,
            stage: StageRule::Fixed(Stage::ConfigureProviders),
            action: ActionRule::Settings,
            fields,
            factor: None,
            push_provider: None,
            phone: PhoneScope::None,
            export: ExportRule::UnlessBlank,
            validate: None,
            export_fix: None,
            needs_a_field: false,
            collection: None,
        }
    }

    /// The field with this config key.
    pub fn field(&self, key: &str) -> Option<&'static FieldSpec> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// The one field of a [`Shape::Value`] resource (the first field of any other).
    pub fn value_field(&self) -> Option<&'static FieldSpec> {
        self.fields.first()
    }

    /// Whether the API has no read for this resource, so it can never be compared.
    pub fn is_write_only(&self) -> bool {
        self.read.is_none()
    }

    /// Whether the resource belongs to phone delivery (the tenant's phone kind matters).
    pub fn is_phone_related(&self) -> bool {
        self.phone != PhoneScope::None
    }

    /// The dotted config path of the section (`push.sns`, `factors`).
    pub fn config_key(&self) -> String {
        self.config_path.join(".")
    }
}

/// Specs are `static`s, one per resource: two are the same resource exactly when they are the
/// same static.
impl PartialEq for ResourceSpec {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Eq for ResourceSpec {}
