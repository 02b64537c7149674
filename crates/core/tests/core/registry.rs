//! Consistency of the resource table: what every layer iterates must be unambiguous and
//! complete. (That every scope the client checks is one the emulator enforces is tested in the
//! emulator's test binary: the core cannot depend on the emulator.)

use std::collections::BTreeSet;

use mfactl_core::config::schema::schema;
use mfactl_core::model::{Address, MfaState, Values};
use mfactl_core::plan::scopes::{required_read_scopes, required_write_scopes};
use mfactl_core::request::HttpMethod;
use mfactl_core::resource::registry::{
    self, RESOURCES, USER_ENDPOINTS, known_key, route, secret_field_keys, user_endpoint,
};
use mfactl_core::resource::{FieldType, Keys, ResourceSpec, Semantics, Shape};
use serde_json::Value;

/// One concrete key of a spec (the first value of each closed list).
fn sample_key(spec: &ResourceSpec) -> Vec<String> {
    match spec.keys {
        Keys::Single => Vec::new(),
        Keys::Fixed(info) => info.names().take(1).map(String::from).collect(),
        Keys::PromptLanguage { prompts, languages } => {
            vec![
                prompts.names().next().unwrap().to_string(),
                languages.names().next().unwrap().to_string(),
            ]
        }
        Keys::User => vec!["auth0|640b5a0ed3534be8b2db9dd3".to_string()],
    }
}

fn sample_address(spec: &'static ResourceSpec) -> Address {
    Address::keyed(spec, sample_key(spec))
}

#[test]
fn addresses_config_keys_and_field_keys_are_unique() {
    let mut addresses = BTreeSet::new();
    let mut config_paths = BTreeSet::new();
    for spec in RESOURCES {
        assert!(
            addresses.insert(spec.address),
            "address {} twice",
            spec.address
        );
        assert!(
            config_paths.insert(spec.config_key()),
            "config key {} twice",
            spec.config_key()
        );
        assert_eq!(
            registry::by_address(spec.address).map(|s| s.address),
            Some(spec.address)
        );
        let mut keys = BTreeSet::new();
        let mut api_keys = BTreeSet::new();
        for field in spec.fields {
            assert!(
                keys.insert(field.key),
                "{}.{} twice",
                spec.address,
                field.key
            );
            assert!(
                api_keys.insert(field.api),
                "{}: API key {:?} twice",
                spec.address,
                field.api
            );
        }
        assert!(!spec.fields.is_empty(), "{} has no field", spec.address);
        if spec.shape == Shape::Value {
            assert_eq!(spec.fields.len(), 1, "{} is one value", spec.address);
        }
    }
    // No config key is the parent of another resource's (a resource inside a resource).
    for a in RESOURCES {
        for b in RESOURCES {
            if a.address != b.address {
                assert!(
                    !b.config_path.starts_with(a.config_path),
                    "{} sits inside {}",
                    b.config_key(),
                    a.config_key()
                );
            }
        }
    }
}

#[test]
fn routes_are_unique_and_lead_back_to_their_resource() {
    let mut reads = BTreeSet::new();
    let mut writes = BTreeSet::new();
    for spec in RESOURCES.iter().copied() {
        let address = sample_address(spec);
        if spec.semantics == Semantics::Collection {
            // A collection's read and write are per-user endpoints, routed as such.
            let read = spec.read.unwrap();
            let (found, _) = user_endpoint(HttpMethod::Get, &address.fill(read.path)).unwrap();
            assert_eq!(found.scope, read.scope, "{}", spec.address);
            let (found, params) =
                user_endpoint(spec.write.method, &address.fill(spec.write.path)).unwrap();
            assert_eq!(found.scope, spec.write.scope, "{}", spec.address);
            assert_eq!(params, address.key(), "{}", spec.address);
            let collection = spec.collection.unwrap();
            for endpoint in [collection.update, collection.delete] {
                let path = endpoint.fill(&["auth0|1", "phone|dev_1"]);
                assert_eq!(user_endpoint(endpoint.method, &path).unwrap().0, &endpoint);
            }
            continue;
        }
        if let Some(read) = spec.read {
            // Keyed resources read from one list share their read path (the factor list).
            let owner = (read.path, spec.address);
            assert!(
                reads.insert(owner),
                "{} is read from {} twice",
                spec.address,
                read.path
            );
            let path = address.fill(read.path);
            let routed = route(&path, true, &known_key)
                .unwrap_or_else(|| panic!("GET {path} routes nowhere"));
            assert_eq!(routed.spec.address, spec.address, "GET {path}");
        }
        let write = (spec.write.method.as_str(), spec.write.path);
        assert!(
            writes.insert(write),
            "{} {} is the write of two resources",
            write.0,
            write.1
        );
        let path = address.fill(spec.write.path);
        let routed = route(&path, false, &known_key)
            .unwrap_or_else(|| panic!("{} {path} routes nowhere", write.0));
        assert_eq!(routed.spec.address, spec.address, "{} {path}", write.0);
        if spec.write.by_id.is_some() {
            let by_id = format!("{path}/rec_1");
            let routed = route(&by_id, false, &known_key).unwrap();
            assert_eq!(
                (routed.spec.address, routed.id.as_deref()),
                (spec.address, Some("rec_1")),
                "PATCH {by_id}"
            );
        }
    }
    // No two resources read from the same path, except the keyed ones of one spec.
    let paths: Vec<&str> = reads.iter().map(|(path, _)| *path).collect();
    let distinct: BTreeSet<&str> = paths.iter().copied().collect();
    assert_eq!(paths.len(), distinct.len(), "{paths:?}");
}

#[test]
fn user_endpoints_are_unique_lead_back_to_themselves_and_never_meet_a_resource() {
    let mut routes = BTreeSet::new();
    for spec in USER_ENDPOINTS {
        assert!(
            routes.insert((spec.method, spec.path)),
            "{} {} is listed twice",
            spec.method,
            spec.path
        );
        // Values that need encoding come back decoded.
        let params: Vec<String> = (0..spec.placeholders())
            .map(|i| format!("auth0|{i} x@y/z"))
            .collect();
        let refs: Vec<&str> = params.iter().map(String::as_str).collect();
        let path = spec.fill(&refs);
        assert!(!path.contains('|') && !path.contains(' '), "{path}");
        let (found, decoded) = user_endpoint(spec.method, &path)
            .unwrap_or_else(|| panic!("{} {path} routes nowhere", spec.method));
        assert_eq!(found.endpoint, spec.endpoint, "{} {path}", spec.method);
        assert_eq!(decoded, params);
        // A settings resource never answers at a per-user path.
        let read = spec.method == HttpMethod::Get;
        assert!(
            route(&path, read, &known_key).is_none(),
            "{} {path} is also a resource's",
            spec.method
        );
    }
    // A per-user endpoint never answers at a settings resource's path (collections, users'
    // methods, are per-user endpoints on purpose).
    for spec in RESOURCES
        .iter()
        .copied()
        .filter(|s| s.semantics != Semantics::Collection)
    {
        let address = sample_address(spec);
        let reads = spec.read.map(|r| (HttpMethod::Get, r.path));
        let writes = [(spec.write.method, spec.write.path)];
        for (method, template) in reads.into_iter().chain(writes) {
            let path = address.fill(template);
            assert!(user_endpoint(method, &path).is_none(), "{method} {path}");
        }
    }
}

/// Follows `$ref`s to the definition.
fn resolve<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let name = reference.trim_start_matches("#/$defs/");
            resolve(root, &root["$defs"][name])
        }
        None => node,
    }
}

/// The schema of one instance of `spec` (one factor, one prompt language).
fn instance_schema<'a>(root: &'a Value, spec: &ResourceSpec) -> Option<&'a Value> {
    let mut node = root;
    for key in spec.config_path {
        node = resolve(root, node).get("properties")?.get(*key)?;
    }
    let node = resolve(root, node);
    let instance = match spec.keys {
        Keys::Single => node,
        Keys::Fixed(info) => {
            let properties = node.get("properties")?;
            for name in info.names() {
                properties.get(name)?;
            }
            properties.get(info.names().next()?)?
        }
        Keys::PromptLanguage { prompts, .. } => {
            let properties = node.get("properties")?;
            for name in prompts.names() {
                properties.get(name)?;
            }
            properties
                .get(prompts.names().next()?)?
                .get("additionalProperties")?
        }
        Keys::User => node.get("additionalProperties")?,
    };
    Some(resolve(root, instance))
}

/// Checks a field's schema against its type.
fn check_field(root: &Value, what: &str, schema: &Value, ty: FieldType) {
    let schema = resolve(root, schema);
    let kind = schema["type"].as_str();
    match ty {
        FieldType::Text { max } => {
            assert_eq!(kind, Some("string"), "{what}");
            if max != usize::MAX {
                assert_eq!(schema["maxLength"], max, "{what}");
            }
        }
        FieldType::Bool => assert_eq!(kind, Some("boolean"), "{what}"),
        FieldType::Integer { min, max, .. } => {
            assert_eq!(kind, Some("integer"), "{what}");
            assert_eq!(
                (&schema["minimum"], &schema["maximum"]),
                (&min.into(), &max.into())
            );
        }
        FieldType::Enum(info) => {
            let listed: Vec<&str> = match (schema.get("enum"), schema.get("oneOf")) {
                (Some(Value::Array(values)), _) => {
                    values.iter().filter_map(Value::as_str).collect()
                }
                (_, Some(Value::Array(values))) => {
                    values.iter().filter_map(|v| v["const"].as_str()).collect()
                }
                _ => panic!("{what}: no enum in {schema}"),
            };
            assert_eq!(listed, info.names().collect::<Vec<_>>(), "{what}");
        }
        FieldType::Set { of, .. } => {
            assert_eq!(kind, Some("array"), "{what}");
            check_field(root, what, &schema["items"], FieldType::Enum(of));
        }
        FieldType::Texts => assert_eq!(kind, Some("object"), "{what}"),
        FieldType::Items { of, max_items } => {
            assert_eq!(kind, Some("array"), "{what}");
            assert_eq!(schema["maxItems"], max_items, "{what}");
            let item = resolve(root, &schema["items"]);
            assert_eq!(item["additionalProperties"], false, "{what}");
            for field in of {
                let entry = item["properties"]
                    .get(field.key)
                    .unwrap_or_else(|| panic!("{what}.{} has no schema entry", field.key));
                assert!(
                    entry["description"].as_str().is_some_and(|d| !d.is_empty()),
                    "{what}.{} has no description",
                    field.key
                );
                check_field(root, &format!("{what}.{}", field.key), entry, field.ty);
            }
        }
    }
}

#[test]
fn every_field_has_a_schema_entry_of_its_type() {
    let root = schema();
    for spec in RESOURCES {
        let instance = instance_schema(&root, spec)
            .unwrap_or_else(|| panic!("{} is not in the schema", spec.config_key()));
        match spec.shape {
            Shape::Value => {
                check_field(&root, spec.address, instance, spec.fields[0].ty);
            }
            Shape::Object => {
                assert_eq!(instance["additionalProperties"], false, "{}", spec.address);
                for field in spec.fields {
                    let what = format!("{}.{}", spec.address, field.key);
                    let entry = instance["properties"]
                        .get(field.key)
                        .unwrap_or_else(|| panic!("{what} has no schema entry"));
                    assert!(
                        entry["description"].as_str().is_some_and(|d| !d.is_empty()),
                        "{what} has no description"
                    );
                    check_field(&root, &what, entry, field.ty);
                    let required = instance["required"]
                        .as_array()
                        .is_some_and(|r| r.iter().any(|k| k == field.key));
                    assert_eq!(required, field.required, "{what}: required");
                }
            }
        }
    }
}

#[test]
fn every_secret_field_names_its_environment_variable() {
    for spec in RESOURCES {
        for field in spec.fields.iter().filter(|f| f.is_secret()) {
            let variable = field
                .env
                .unwrap_or_else(|| panic!("{}.{} has no env variable", spec.address, field.key));
            assert!(
                !variable.is_empty()
                    && variable
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'),
                "{variable}"
            );
        }
        for field in spec.fields.iter().filter(|f| !f.is_secret()) {
            assert!(field.env.is_none(), "{}.{}", spec.address, field.key);
        }
    }
    let keys: Vec<&str> = secret_field_keys().collect();
    let distinct: BTreeSet<&str> = keys.iter().copied().collect();
    assert_eq!(
        keys.len(),
        distinct.len(),
        "secret keys listed twice: {keys:?}"
    );
    for key in [
        "auth_token",
        "skey",
        "aws_secret_access_key",
        "p12",
        "server_key",
    ] {
        assert!(distinct.contains(key), "{key}");
    }
}

#[test]
fn a_state_that_manages_everything_needs_every_scope_of_the_table() {
    let mut everything = MfaState::default();
    for spec in RESOURCES.iter().copied() {
        everything.insert(sample_address(spec), Values::default());
    }
    let needed: BTreeSet<String> = required_read_scopes(&everything)
        .into_iter()
        .chain(required_write_scopes(&everything))
        .collect();
    for spec in RESOURCES {
        for scope in spec
            .read
            .map(|r| r.scope)
            .into_iter()
            .chain(spec.write.scopes())
        {
            assert!(needed.contains(scope), "{scope} of {}", spec.address);
            let (action, object) = scope.split_once(':').unwrap();
            assert!(
                matches!(action, "read" | "update" | "create") && !object.is_empty(),
                "{scope}"
            );
        }
    }
    // The per-user endpoints' scopes have Auth0's form too; only they delete.
    for spec in USER_ENDPOINTS {
        let (action, object) = spec.scope.split_once(':').unwrap();
        assert!(
            matches!(action, "read" | "update" | "create" | "delete") && !object.is_empty(),
            "{} of {:?}",
            spec.scope,
            spec.endpoint
        );
    }
}
