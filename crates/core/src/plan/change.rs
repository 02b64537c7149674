//! One change of a plan: one address, one request.

use std::fmt;

use serde_json::Value;

use crate::model::Address;
use crate::plan::stage::Stage;
use crate::request::ApiRequest;

/// What a change does to its resource, as people read it.
///
/// - `Create` (`+`): the resource holds no values yet (a provider never configured, a custom app
///   never set), so every value shown is new.
/// - `Enable` (`+`): a factor is turned on, or MFA policies go from none to some.
/// - `Update` (`~`): existing values change (or write-only values are sent again).
/// - `Disable` (`-`): a factor is turned off, or the policies go to `[]` (MFA off).
/// - `Delete` (`-`): an item of a collection goes (a user's authentication method the file
///   leaves out under `manage: exact`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    Create,
    Enable,
    Update,
    Disable,
    Delete,
}

impl Action {
    /// The machine-readable name used in the JSON plan and saved plans.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Enable => "enable",
            Action::Update => "update",
            Action::Disable => "disable",
            Action::Delete => "delete",
        }
    }

    /// The one-character marker of the human and Markdown plans.
    pub fn marker(self) -> char {
        match self {
            Action::Create | Action::Enable => '+',
            Action::Update => '~',
            Action::Disable | Action::Delete => '-',
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a field's value should be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// An ordinary value.
    Plain,
    /// Message template text: shown with an inline word diff.
    Template,
    /// A secret the API returns on reads, so it is compared, but never shown.
    Sensitive,
    /// A secret the API never returns: not compared, sent whenever the resource is written.
    WriteOnly,
}

impl FieldKind {
    /// Whether the value is a secret (shown as `(sensitive value)`).
    pub fn is_sensitive(self) -> bool {
        matches!(self, FieldKind::Sensitive | FieldKind::WriteOnly)
    }
}

/// One field of a change. Values are in the config file's shape and already redacted: a secret
/// reads [`crate::secret::REDACTED`], an unset value `null`.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldChange {
    /// The config file's key for the field (`screen.text_id` for a prompt's texts); empty for
    /// a resource that is a single value (policies, a factor, message types, a selected
    /// provider).
    pub field: String,
    /// The live value; `null` when unset or unknown.
    pub before: Value,
    /// The value after apply.
    pub after: Value,
    pub kind: FieldKind,
}

/// One resource that apply writes.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub address: Address,
    pub action: Action,
    pub stage: Stage,
    /// The live resource in the config file's shape, secrets redacted; `None` when it cannot be
    /// read (write-only resources) or was not read.
    pub before: Option<Value>,
    /// The resource after apply, in the config file's shape, secrets redacted.
    pub after: Value,
    /// The fields that differ, plus the write-only fields this write sends.
    pub fields: Vec<FieldChange>,
    /// Config keys of the resource whose values are secrets.
    pub sensitive_fields: Vec<&'static str>,
    /// Config keys of the write-only values this write sends without being able to compare.
    pub write_only_fields: Vec<&'static str>,
    /// Why the change is dangerous, when it is; apply refuses it without `--allow-dangerous`.
    pub dangerous: Option<String>,
    /// The exact request apply sends. Its `Debug` and `redacted_body` hide secrets.
    pub request: ApiRequest,
    /// When, within its stage, apply sends it: each wave after the previous one succeeded.
    pub wave: Wave,
}

/// The order of changes within one stage. Most changes are [`Wave::Main`]. A collection item's
/// delete goes [`Wave::Last`], after the creates, so a user given a new method under
/// `manage: exact` holds it before the old one goes; except the delete of an item whose kind
/// a user holds only one of, which a create of that kind replaces: it goes [`Wave::First`], as
/// the create would be refused while it is there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Wave {
    First,
    #[default]
    Main,
    Last,
}

impl Wave {
    /// The waves in the order apply sends them.
    pub const ALL: [Wave; 3] = [Wave::First, Wave::Main, Wave::Last];
}

impl Change {
    /// A change sending `request`, with no field listed yet, not dangerous, in the main wave.
    pub fn new(
        address: &Address,
        action: Action,
        before: Option<Value>,
        after: Value,
        request: ApiRequest,
    ) -> Self {
        Change {
            address: address.clone(),
            action,
            stage: Stage::of(address, true),
            before,
            after,
            fields: Vec::new(),
            sensitive_fields: Vec::new(),
            write_only_fields: Vec::new(),
            dangerous: None,
            request,
            wave: Wave::Main,
        }
    }

    /// Whether apply needs `--allow-dangerous` for this change.
    pub fn is_dangerous(&self) -> bool {
        self.dangerous.is_some()
    }
}
