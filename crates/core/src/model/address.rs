//! The address of one resource instance: one endpoint, one line in a plan.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

use crate::resource::{Keys, ResourceSpec, registry};

/// A resource of the tenant: its spec, and for keyed resources the key (a factor name; a
/// template type; a prompt and a language; a user id). A change to one item of a collection
/// (a user's authentication method) is addressed by the resource's key and the item's
/// identity: `users["auth0|…"].methods[phone XXXXXXXX4567]`.
///
/// Addresses order as the registry lists their specs, then by key: a closed list's keys in the
/// API's order, free keys (languages) alphabetically. Plans list changes in this order within a
/// stage.
#[derive(Clone)]
pub struct Address {
    spec: &'static ResourceSpec,
    key: Vec<String>,
}

impl Address {
    /// The address of a single resource.
    pub fn of(spec: &'static ResourceSpec) -> Self {
        Address {
            spec,
            key: Vec::new(),
        }
    }

    /// The address of one resource of a keyed spec.
    pub fn keyed<I: IntoIterator<Item = S>, S: Into<String>>(
        spec: &'static ResourceSpec,
        key: I,
    ) -> Self {
        Address {
            spec,
            key: key.into_iter().map(Into::into).collect(),
        }
    }

    pub fn spec(&self) -> &'static ResourceSpec {
        self.spec
    }

    /// The key parts (empty for a single resource).
    pub fn key(&self) -> &[String] {
        &self.key
    }

    /// The first key part, for resources keyed by one name.
    pub fn name(&self) -> Option<&str> {
        self.key.first().map(String::as_str)
    }

    /// Whether this is an address of `spec`.
    pub fn is(&self, spec: &'static ResourceSpec) -> bool {
        std::ptr::eq(self.spec, spec)
    }

    /// The address of one item of this resource's collection, by the item's identity.
    pub fn item(&self, identity: impl Into<String>) -> Self {
        let mut key = self.key.clone();
        key.push(identity.into());
        Address {
            spec: self.spec,
            key,
        }
    }

    /// The resource an item address belongs to (itself for any other address).
    pub fn resource(&self) -> Self {
        match (self.spec.keys, self.key.as_slice()) {
            (Keys::User, [user, _]) => Address::keyed(self.spec, [user.clone()]),
            _ => self.clone(),
        }
    }

    /// The identity of the collection item this address names, if it names one.
    pub fn item_identity(&self) -> Option<&str> {
        match (self.spec.keys, self.key.as_slice()) {
            (Keys::User, [_, item]) => Some(item),
            _ => None,
        }
    }

    /// `template` with `{key}`, `{prompt}` and `{language}` filled from the key, and
    /// `{user_id}` (and a user resource's `{key}`) with the user id percent-encoded.
    pub fn fill(&self, template: &str) -> String {
        let first = self.key.first().map(String::as_str).unwrap_or("");
        let second = self.key.get(1).map(String::as_str).unwrap_or("");
        if self.spec.keys == Keys::User {
            let user = crate::resource::encode(first);
            return template.replace("{user_id}", &user).replace("{key}", &user);
        }
        template
            .replace("{key}", first)
            .replace("{prompt}", first)
            .replace("{language}", second)
    }

    /// Each key part's rank (its enum's API order; unranked parts last), with the part.
    fn ranks(&self) -> impl Iterator<Item = (usize, &str)> {
        self.key.iter().enumerate().map(|(i, part)| {
            let info = match (self.spec.keys, i) {
                (Keys::Fixed(info), 0) => Some(info),
                (Keys::PromptLanguage { prompts, .. }, 0) => Some(prompts),
                (Keys::PromptLanguage { languages, .. }, 1) => Some(languages),
                _ => None,
            };
            let rank = info.and_then(|i| i.rank(part)).unwrap_or(usize::MAX);
            (rank, part.as_str())
        })
    }
}

impl PartialEq for Address {
    fn eq(&self, other: &Self) -> bool {
        self.is(other.spec) && self.key == other.key
    }
}

impl Eq for Address {}

impl Hash for Address {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.spec.address.hash(state);
        self.key.hash(state);
    }
}

impl PartialOrd for Address {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Address {
    /// Where the spec sits in the registry, then each key part's rank: without allocating, as
    /// every map of addresses compares them.
    fn cmp(&self, other: &Self) -> Ordering {
        let position = |a: &Address| {
            if std::ptr::eq(a.spec, other.spec) && std::ptr::eq(self.spec, a.spec) {
                0
            } else {
                registry::position(a.spec)
            }
        };
        position(self)
            .cmp(&position(other))
            .then_with(|| self.ranks().cmp(other.ranks()))
    }
}

/// Dotted for closed keys (`factors.otp`, `prompts.mfa-sms.en`); a user id, free text that
/// holds `|`, in brackets and quotes, and an item of its collection by identity:
/// `users["auth0|…"]`, `users["auth0|…"].methods[phone XXXXXXXX4567]`.
impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.spec.address)?;
        if self.spec.keys == Keys::User {
            let mut parts = self.key.iter();
            if let Some(user) = parts.next() {
                write!(
                    f,
                    "[\"{}\"]",
                    user.replace('\\', "\\\\").replace('"', "\\\"")
                )?;
            }
            let items = self.spec.collection.map_or("items", |c| c.items);
            for item in parts {
                write!(f, ".{items}[{item}]")?;
            }
            return Ok(());
        }
        for part in &self.key {
            write!(f, ".{part}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Address({self})")
    }
}
