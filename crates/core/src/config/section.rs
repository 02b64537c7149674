//! The checks of one resource's section of the config file that go beyond each field's own
//! type and limits, as [`crate::resource::ValidateHook`]s see them.

use super::diagnostic::Diagnostic;
use super::located::Span;
use super::node::{Node, NodeValue};
use super::validate::Checker;
use crate::config::report::Report;
use crate::model::{FieldValue, MfaState, Values};
use crate::resource::{FieldType, ResourceSpec};

/// One resource's section while it is checked: its fields as written (with places) and as
/// resolved, and a way to report problems.
pub struct SectionCheck<'c, 'a> {
    pub(super) checker: &'c mut Checker<'a>,
    pub(super) spec: &'static ResourceSpec,
    pub(super) path: String,
    pub(super) key: Vec<String>,
    pub(super) span: Span,
    /// The known keys the file sets, with their nodes, in file order.
    pub(super) nodes: Vec<(&'static str, &'a Node)>,
    /// The values that passed their own checks (`${VAR}`s resolved).
    pub(super) values: Values,
    /// The resources checked before this one (the registry's order), for rules that span
    /// sections (Twilio voice needs the phone message types).
    pub(super) state: &'c MfaState,
}

impl<'a> SectionCheck<'_, 'a> {
    /// The section's dotted path in the file (`phone.twilio`, `tenant_phone.templates.otp_verify`).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Where the section starts.
    pub fn span(&self) -> Span {
        self.span
    }

    /// The key of a keyed resource (`otp_verify` for a template).
    pub fn key_name(&self) -> Option<&str> {
        self.key.first().map(String::as_str)
    }

    fn node(&self, key: &str) -> Option<&'a Node> {
        self.nodes.iter().find(|(k, _)| *k == key).map(|(_, n)| *n)
    }

    /// Whether the file sets `key` in this section (whatever its value).
    pub fn is_present(&self, key: &str) -> bool {
        self.node(key).is_some()
    }

    /// Where `key`'s value is, or the section when the file leaves it out.
    pub fn span_of(&self, key: &str) -> Span {
        self.node(key).map_or(self.span, |n| n.span)
    }

    /// The file's resources checked so far (those before this one in the registry).
    pub fn state(&self) -> &MfaState {
        self.state
    }

    /// This section's values so far.
    pub fn values(&self) -> &Values {
        &self.values
    }

    /// A text value, resolved.
    pub fn text(&self, key: &str) -> Option<&str> {
        self.values.text(key)
    }

    pub fn bool(&self, key: &str) -> Option<bool> {
        self.values.bool(key)
    }

    pub fn number(&self, key: &str) -> Option<u64> {
        self.values.number(key)
    }

    /// Reports an error at `span`; set its `help` on the returned diagnostic.
    pub fn error(&mut self, message: impl Into<String>, span: Span) -> &mut Diagnostic {
        self.checker.error(message, span)
    }

    /// Reports a warning at `span`.
    pub fn warning(&mut self, message: impl Into<String>, span: Span) -> &mut Diagnostic {
        self.checker.warning(message, span)
    }

    /// An error when the file leaves `key` out (a key only some configurations need).
    pub fn require(&mut self, key: &str) {
        if !self.is_present(key) {
            let (path, span) = (self.path.clone(), self.span);
            self.checker.missing_key(&path, key, span);
        }
    }

    /// Drops `key`'s value (a key the section must not have).
    pub fn unset(&mut self, key: &str) {
        self.values.fields.remove(key);
    }

    /// How a value may be quoted in a message: literally when the file wrote it, by its
    /// variables when it came from the environment.
    pub fn shown_value(&self, key: &str, resolved: &str) -> String {
        match self.node(key).map(|n| &n.value) {
            Some(NodeValue::Str(written)) if written.contains("${") => {
                format!("(from `{written}`)")
            }
            _ => format!("`{resolved}`"),
        }
    }

    /// Where `key` is an empty list, when it is one.
    pub fn empty_list(&self, key: &str) -> Option<Span> {
        let node = self.node(key)?;
        node.as_seq()
            .filter(|items| items.is_empty())
            .map(|_| node.span)
    }

    /// The places of a set's valid, distinct items after the first `n`.
    pub fn set_items_after(&self, key: &str, n: usize) -> Vec<Span> {
        let (Some(node), Some(field)) = (self.node(key), self.spec.field(key)) else {
            return Vec::new();
        };
        let FieldType::Set { of, .. } = field.ty else {
            return Vec::new();
        };
        let mut seen: Vec<String> = Vec::new();
        let mut spans = Vec::new();
        for item in node.as_seq().unwrap_or_default() {
            let Some(text) = item.scalar_text(self.checker.source) else {
                continue;
            };
            if of.rank(&text).is_none() || seen.contains(&text) {
                continue;
            }
            seen.push(text);
            if seen.len() > n {
                spans.push(item.span);
            }
        }
        spans
    }

    /// The items of an [`FieldType::Items`] field that passed their own checks (none when
    /// the field is unset).
    pub fn items(&self, key: &str) -> &[Values] {
        self.values.items(key).unwrap_or_default()
    }

    /// Where field `field` of item `index` of the list `key` is; the item, or the list, or the
    /// section when the file leaves it out.
    pub fn item_span(&self, key: &str, index: usize, field: &str) -> Span {
        let Some(list) = self.node(key) else {
            return self.span;
        };
        let Some(item) = list.as_seq().and_then(|items| items.get(index)) else {
            return list.span;
        };
        item.get(field).map_or(item.span, |n| n.span)
    }

    /// The value a hook decided on, for keys the field checks could not settle alone.
    pub fn set(&mut self, key: &'static str, value: FieldValue) {
        self.values.set(key, value);
    }
}
