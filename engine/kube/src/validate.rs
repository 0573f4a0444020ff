//! Helm's client-side OpenAPI validation: `KubeClient.Build(manifest,
//! true)` hands kubectl's `Validator("Strict")` to the resource builder,
//! which checks each document against the server's OpenAPI v2 schema
//! (kube-openapi's `proto/validation`) — but only for kinds the server
//! cannot validate itself (see [`OpenApi::validates_client_side`]).
//! `--disable-openapi-validation` builds without it.
//!
//! The messages are kube-openapi's, joined as apimachinery's aggregate
//! errors are (`[a, b]`, duplicates once), because Helm prints them as
//! they come.

use serde_json::Value;

use crate::patch::OpenApi;

/// kubectl's `ConjunctiveSchema{schemaValidation, NoDoubleKeySchema}`
/// behind its `paramVerifyingSchema`, for one decoded document: `None`
/// when it passes, else the aggregated message.
///
/// `NoDoubleKeySchema` finds nothing here: the documents of a manifest
/// are YAML, which the builder turns into JSON with the last of repeated
/// keys kept before any schema sees it; the same happens to our decoded
/// documents.
pub(crate) fn validate(api: &OpenApi, obj: &Value) -> Option<String> {
    let errors = match object_kind(obj) {
        Err(errors) => errors,
        Ok((g, v, k)) if !api.validates_client_side(&g, &v, &k) => Vec::new(),
        Ok((g, v, k)) if (g.as_str(), v.as_str(), k.as_str()) == ("", "v1", "List") => list(api, obj),
        Ok((g, v, k)) => resource(api, obj, &g, &v, &k),
    };
    (!errors.is_empty()).then(|| aggregate(&errors))
}

/// `utilerrors.NewAggregate(...).Error()`.
pub(crate) fn aggregate(errors: &[String]) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for e in errors {
        if !seen.contains(&e.as_str()) {
            seen.push(e);
        }
    }
    match seen.len() {
        0 => String::new(),
        1 => seen[0].to_string(),
        _ => format!("[{}]", seen.join(", ")),
    }
}

/// `getObjectKind`.
fn object_kind(obj: &Value) -> Result<(String, String, String), Vec<String>> {
    let Some(fields) = obj.as_object() else {
        return Err(vec!["invalid object to validate".into()]);
    };
    let mut errors = Vec::new();
    let (mut group, mut version) = (String::new(), String::new());
    match fields.get("apiVersion") {
        None | Some(Value::Null) => errors.push("apiVersion not set".to_string()),
        Some(Value::String(s)) => match parse_group_version(s) {
            Ok((g, v)) => (group, version) = (g, v),
            Err(e) => errors.push(e),
        },
        Some(_) => errors.push("apiVersion isn't string type".to_string()),
    }
    let kind = match fields.get("kind") {
        None | Some(Value::Null) => {
            errors.push("kind not set".to_string());
            String::new()
        }
        Some(Value::String(s)) => s.clone(),
        Some(_) => {
            errors.push("kind isn't string type".to_string());
            String::new()
        }
    };
    if errors.is_empty() {
        Ok((group, version, kind))
    } else {
        Err(errors)
    }
}

/// apimachinery's `schema.ParseGroupVersion`.
fn parse_group_version(s: &str) -> Result<(String, String), String> {
    if s.is_empty() || s == "/" {
        return Ok((String::new(), String::new()));
    }
    match s.split('/').collect::<Vec<_>>()[..] {
        [v] => Ok((String::new(), v.to_string())),
        [g, v] => Ok((g.to_string(), v.to_string())),
        _ => Err(format!("unexpected GroupVersion string: {s}")),
    }
}

/// `validateList`: each item of a `v1 List` on its own.
fn list(api: &OpenApi, obj: &Value) -> Vec<String> {
    let Some(items) = obj.get("items").and_then(Value::as_array) else {
        return vec!["invalid object to validate".into()];
    };
    let mut errors = Vec::new();
    for item in items {
        match object_kind(item) {
            Err(e) => errors.extend(e),
            Ok((g, v, k)) => errors.extend(resource(api, item, &g, &v, &k)),
        }
    }
    errors
}

/// `validateResource`: kinds the document does not describe pass.
fn resource(api: &OpenApi, obj: &Value, group: &str, version: &str, kind: &str) -> Vec<String> {
    let Some((name, schema)) = api.kind_definition(group, version, kind) else {
        return Vec::new();
    };
    let mut v = Validator { api, errors: Vec::new() };
    v.visit(kind, obj, schema, name);
    v.errors
}

/// kube-openapi's schema kinds, read from the JSON schema as its
/// `Definitions.ParseSchema` does.
enum Shape<'a> {
    /// An object with `properties`: fields known, some required.
    Kind(&'a Value),
    /// An object without `properties`: values of one schema (or any).
    Map(Option<&'a Value>),
    Array(Option<&'a Value>),
    Primitive(&'a str),
    Arbitrary,
}

fn shape(schema: &Value) -> Shape<'_> {
    let ty = match schema.get("type") {
        Some(Value::String(t)) => Some(t.as_str()),
        Some(Value::Array(ts)) if ts.len() == 1 => ts[0].as_str(),
        Some(Value::Array(ts)) if ts.is_empty() => None,
        // Several types: kube-openapi refuses the document; nothing to check.
        Some(_) => return Shape::Arbitrary,
        None => None,
    };
    let has_properties = schema.get("properties").is_some_and(Value::is_object);
    match ty {
        None if has_properties => Shape::Kind(schema),
        None => Shape::Arbitrary,
        Some("object") if has_properties => Shape::Kind(schema),
        Some("object") => Shape::Map(schema.get("additionalProperties").filter(|a| a.is_object())),
        Some("array") => Shape::Array(match schema.get("items") {
            Some(Value::Array(items)) if items.len() == 1 => Some(&items[0]),
            Some(items @ Value::Object(_)) => Some(items),
            _ => None,
        }),
        Some(t @ ("string" | "number" | "integer" | "boolean")) => Shape::Primitive(t),
        // An unknown primitive type makes kube-openapi refuse the document.
        Some(_) => Shape::Arbitrary,
    }
}

/// The type name kube-openapi's `itemFactory` gives a value. Integral
/// numbers are integers: the builder decodes JSON with apimachinery's
/// `json.Unmarshal`, which turns whole floats into int64.
fn value_kind(v: &Value) -> &'static str {
    match v {
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(n) if n.as_f64().is_some_and(|f| f.fract() == 0.0 && f.is_finite()) => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "map",
        Value::Null => "nil",
    }
}

struct Validator<'a> {
    api: &'a OpenApi,
    errors: Vec<String>,
}

impl<'a> Validator<'a> {
    /// `ValidationError`: where in the object, then what.
    fn error(&mut self, path: &str, what: String) {
        self.errors.push(format!("ValidationError({path}): {what}"));
    }

    fn invalid_type(&mut self, path: &str, schema_path: &str, expected: &str, actual: &str) {
        self.error(path, format!("invalid type for {schema_path}: got {actual:?}, expected {expected:?}"));
    }

    /// Checks `value` (at `path` in the object) against `schema`, whose
    /// own path (a definition name and field names) is `schema_path`.
    fn visit(&mut self, path: &str, value: &Value, schema: &'a Value, schema_path: &str) {
        // A `$ref` passes on to the definition, whose path is its name.
        let (mut schema, mut schema_path) = (schema, schema_path.to_string());
        for _ in 0..32 {
            let Some(r) = schema.get("$ref").and_then(Value::as_str) else { break };
            match r.strip_prefix("#/definitions/").and_then(|n| self.api.definition(n)) {
                Some((name, def)) => (schema, schema_path) = (def, name.to_string()),
                // kube-openapi refuses documents with such a reference.
                None => return,
            }
        }
        let shape = shape(schema);
        match value {
            Value::Object(map) => match shape {
                Shape::Primitive(t) => self.invalid_type(path, &schema_path, t, "map"),
                Shape::Array(_) => self.invalid_type(path, &schema_path, "array", "map"),
                Shape::Map(sub) => {
                    let mut keys: Vec<&String> = map.keys().collect();
                    keys.sort();
                    for key in keys {
                        let sub_path = format!("{path}.{key}");
                        if map[key].is_null() {
                            // Not a ValidationError: itemFactory's own error.
                            self.errors.push(format!("unknown object type \"nil\" in {sub_path}"));
                            continue;
                        }
                        if let Some(sub) = sub {
                            self.visit(&sub_path, &map[key], sub, &schema_path);
                        }
                    }
                }
                Shape::Kind(kind) => {
                    let fields = kind.get("properties").and_then(Value::as_object);
                    let mut keys: Vec<&String> = map.keys().collect();
                    keys.sort();
                    for key in keys {
                        if map[key].is_null() {
                            continue;
                        }
                        match fields.and_then(|f| f.get(key.as_str())) {
                            None => self.error(path, format!("unknown field {key:?} in {schema_path}")),
                            Some(field) => {
                                self.visit(&format!("{path}.{key}"), &map[key], field, &format!("{schema_path}.{key}"))
                            }
                        }
                    }
                    for required in kind.get("required").and_then(Value::as_array).into_iter().flatten() {
                        let Some(required) = required.as_str() else { continue };
                        if map.get(required).is_none_or(Value::is_null) {
                            self.error(path, format!("missing required field {required:?} in {schema_path}"));
                        }
                    }
                }
                Shape::Arbitrary => {}
            },
            Value::Array(items) => match shape {
                Shape::Primitive(t) => self.invalid_type(path, &schema_path, t, "array"),
                Shape::Array(sub) => {
                    for (i, item) in items.iter().enumerate() {
                        let item_path = format!("{path}[{i}]");
                        if item.is_null() {
                            self.error(&item_path, format!("unknown object type \"nil\" in {item_path}"));
                            continue;
                        }
                        if let Some(sub) = sub {
                            self.visit(&item_path, item, sub, &schema_path);
                        }
                    }
                }
                Shape::Map(_) | Shape::Kind(_) => self.invalid_type(path, &schema_path, "map", "array"),
                Shape::Arbitrary => {}
            },
            // Reached only at the root (fields and map values that are
            // null are handled above); kube-openapi's itemFactory refuses it.
            Value::Null => self.errors.push(format!("unknown object type \"nil\" in {path}")),
            _ => {
                let actual = value_kind(value);
                match shape {
                    Shape::Primitive(t) => {
                        // kube-openapi's rule: a string field takes any
                        // scalar, numbers take integers and numbers.
                        let fits = match t {
                            "string" => true,
                            "boolean" => actual == "boolean",
                            _ => actual == "integer" || actual == "number",
                        };
                        if !fits {
                            self.invalid_type(path, &schema_path, t, actual);
                        }
                    }
                    Shape::Array(_) => self.invalid_type(path, &schema_path, "array", actual),
                    Shape::Map(_) | Shape::Kind(_) => self.invalid_type(path, &schema_path, "map", actual),
                    Shape::Arbitrary => {}
                }
            }
        }
    }
}

/// Whether a server of this `/version` takes `fieldValidation` on every
/// kind: GA, and not switchable off, from 1.27. Providers spell the minor
/// `27+`.
pub(crate) fn field_validation_is_ga(major: &str, minor: &str) -> bool {
    let number = |s: &str| s.trim_end_matches('+').parse::<u32>().ok();
    match (number(major), number(minor)) {
        (Some(1), Some(minor)) => minor >= 27,
        (Some(major), Some(_)) => major > 1,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A small document: a Deployment-like kind whose server does not take
    /// `fieldValidation` (Kubernetes 1.20), and a kind whose server does.
    fn api(field_validation: bool) -> OpenApi {
        let params = if field_validation {
            json!([{"name": "dryRun", "in": "query", "type": "string"}, {"$ref": "#/parameters/fieldValidation-x"}])
        } else {
            json!([{"name": "dryRun", "in": "query", "type": "string"}])
        };
        OpenApi::parse(json!({
            "parameters": {"fieldValidation-x": {"name": "fieldValidation", "in": "query", "type": "string"}},
            "paths": {
                "/apis/apps/v1/namespaces/{namespace}/deployments/{name}": {"patch": {
                    "parameters": params,
                    "x-kubernetes-group-version-kind": {"group": "apps", "version": "v1", "kind": "Deployment"}
                }},
                "/api/v1/namespaces/{name}": {"patch": {
                    "parameters": [{"name": "fieldValidation", "in": "query", "type": "string"}],
                    "x-kubernetes-group-version-kind": {"group": "", "version": "v1", "kind": "Namespace"}
                }}
            },
            "definitions": {
                "io.k8s.api.apps.v1.Deployment": {
                    "properties": {
                        "apiVersion": {"type": "string"}, "kind": {"type": "string"},
                        "metadata": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
                        "spec": {"$ref": "#/definitions/io.k8s.api.apps.v1.DeploymentSpec"}
                    },
                    "x-kubernetes-group-version-kind": [{"group": "apps", "version": "v1", "kind": "Deployment"}]
                },
                "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta": {"properties": {
                    "name": {"type": "string"},
                    "labels": {"type": "object", "additionalProperties": {"type": "string"}}
                }},
                "io.k8s.api.apps.v1.DeploymentSpec": {
                    "required": ["selector"],
                    "properties": {
                        "replicas": {"type": "integer", "format": "int32"},
                        "paused": {"type": "boolean"},
                        "selector": {"type": "object"},
                        "containers": {"type": "array", "items": {"$ref": "#/definitions/io.k8s.api.core.v1.Container"}},
                        "tags": {"type": "array", "items": {"type": "string"}}
                    }
                },
                "io.k8s.api.core.v1.Container": {"required": ["name"], "properties": {"name": {"type": "string"}}},
                "io.k8s.api.core.v1.Namespace": {
                    "properties": {
                        "apiVersion": {"type": "string"}, "kind": {"type": "string"},
                        "spec": {"type": "object", "properties": {"finalizers": {"type": "array"}}}
                    },
                    "x-kubernetes-group-version-kind": [{"group": "", "version": "v1", "kind": "Namespace"}]
                }
            }
        }))
    }

    fn deployment(spec: Value) -> Value {
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x"}, "spec": spec})
    }

    #[test]
    fn verifier_reads_the_patch_parameters() {
        let old = api(false);
        assert!(old.validates_client_side("apps", "v1", "Deployment"));
        assert!(!old.validates_client_side("", "v1", "Namespace"));
        assert!(old.validates_client_side("", "v1", "List"));
        // Not in the paths: nothing the server would check for us.
        assert!(old.validates_client_side("example.com", "v1", "Widget"));
        let new = api(true);
        assert!(!new.validates_client_side("apps", "v1", "Deployment"), "via #/parameters/");
        assert_eq!(validate(&new, &deployment(json!({"bogus": 1}))), None, "the server validates");
    }

    #[test]
    fn unknown_missing_and_mistyped_fields() {
        let api = api(false);
        assert_eq!(validate(&api, &deployment(json!({"selector": {}, "replicas": 2}))), None);
        assert_eq!(
            validate(&api, &deployment(json!({"selector": {}, "containers": [{"name": "a", "bogus": true}]}))).unwrap(),
            "ValidationError(Deployment.spec.containers[0]): unknown field \"bogus\" in io.k8s.api.core.v1.Container"
        );
        assert_eq!(
            validate(&api, &deployment(json!({"replicas": "three", "containers": [{}], "paused": 1}))).unwrap(),
            "[ValidationError(Deployment.spec.containers[0]): missing required field \"name\" in io.k8s.api.core.v1.Container, \
             ValidationError(Deployment.spec.paused): invalid type for io.k8s.api.apps.v1.DeploymentSpec.paused: got \"integer\", expected \"boolean\", \
             ValidationError(Deployment.spec.replicas): invalid type for io.k8s.api.apps.v1.DeploymentSpec.replicas: got \"string\", expected \"integer\", \
             ValidationError(Deployment.spec): missing required field \"selector\" in io.k8s.api.apps.v1.DeploymentSpec]"
        );
        // Strings take any scalar; nulls are skipped in objects, refused in lists and maps.
        assert_eq!(
            validate(&api, &deployment(json!({"selector": {}, "tags": [1, null], "replicas": null}))).unwrap(),
            "ValidationError(Deployment.spec.tags[1]): unknown object type \"nil\" in Deployment.spec.tags[1]"
        );
        let labels = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"labels": {"a": null}}});
        assert_eq!(validate(&api, &labels).unwrap(), "unknown object type \"nil\" in Deployment.metadata.labels.a");
        assert_eq!(
            validate(&api, &deployment(json!({"selector": {}, "containers": {"name": "a"}}))).unwrap(),
            "ValidationError(Deployment.spec.containers): invalid type for io.k8s.api.apps.v1.DeploymentSpec.containers: got \"map\", expected \"array\""
        );
        // An inline object keeps its field path as its own.
        let ns = json!({"apiVersion": "v1", "kind": "List", "items": [
            {"apiVersion": "v1", "kind": "Namespace", "spec": {"x": 1}}, {"kind": "Namespace"}
        ]});
        assert_eq!(
            validate(&api, &ns).unwrap(),
            "[ValidationError(Namespace.spec): unknown field \"x\" in io.k8s.api.core.v1.Namespace.spec, apiVersion not set]"
        );
    }

    #[test]
    fn object_kind_errors() {
        let api = api(false);
        assert_eq!(validate(&api, &json!({"metadata": {}})).unwrap(), "[apiVersion not set, kind not set]");
        assert_eq!(
            validate(&api, &json!({"apiVersion": "a/b/c", "kind": 1})).unwrap(),
            "[unexpected GroupVersion string: a/b/c, kind isn't string type]"
        );
        assert_eq!(aggregate(&["a".into(), "a".into()]), "a");
    }

    #[test]
    fn field_validation_is_ga_from_1_27() {
        assert!(!field_validation_is_ga("1", "20"));
        assert!(!field_validation_is_ga("1", "26"));
        assert!(field_validation_is_ga("1", "27"));
        assert!(field_validation_is_ga("1", "31+"));
        assert!(field_validation_is_ga("2", "0"));
        assert!(!field_validation_is_ga("", ""));
    }
}
