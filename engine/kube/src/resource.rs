//! Objects of a manifest, as Helm's `KubeClient.Build` makes them: each
//! document decoded (YAML 1.1, integers kept), `List` kinds flattened, the
//! kind mapped through discovery and the namespace defaulted.

use kube::api::{Api, DynamicObject};
use kube::discovery::ApiResource;
use serde_json::Value;

use crate::connect::Kube;
use crate::error::KubeError;

/// One object to send to the cluster.
#[derive(Debug, Clone)]
pub struct Resource {
    pub api_version: String,
    pub kind: String,
    pub name: String,
    /// `None` for cluster-scoped kinds.
    pub namespace: Option<String>,
    /// The whole object, as sent.
    pub object: Value,
    pub(crate) api: ApiResource,
}

impl Resource {
    /// Helm's `ResourceList` identity: group, version, kind, namespace, name.
    pub fn key(&self) -> String {
        format!(
            "{}/{}/{}/{}/{}",
            self.api.group,
            self.api.version,
            self.kind,
            self.namespace.as_deref().unwrap_or(""),
            self.name
        )
    }

    /// Helm's `kind/name` shorthand as `kubectl` prints it (`ConfigMap/x` → `[ConfigMap] x` in messages).
    pub fn kind_name(&self) -> String {
        format!("{}/{}", self.kind, self.name)
    }

    pub fn group(&self) -> &str {
        &self.api.group
    }

    pub(crate) fn api(&self, kube: &Kube) -> Api<DynamicObject> {
        match &self.namespace {
            Some(ns) => Api::namespaced_with(kube.client.clone(), ns, &self.api),
            None => Api::all_with(kube.client.clone(), &self.api),
        }
    }

    /// An annotation of the object as given.
    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.object.pointer("/metadata/annotations")?.get(key)?.as_str()
    }

    /// Sets a label (creating `metadata.labels` if needed).
    pub fn set_label(&mut self, key: &str, value: &str) {
        set_meta(&mut self.object, "labels", key, value);
    }

    pub fn set_annotation(&mut self, key: &str, value: &str) {
        set_meta(&mut self.object, "annotations", key, value);
    }
}

fn set_meta(obj: &mut Value, field: &str, key: &str, value: &str) {
    let Some(meta) = obj.as_object_mut().and_then(|o| {
        o.entry("metadata").or_insert_with(|| Value::Object(Default::default()));
        o.get_mut("metadata")?.as_object_mut()
    }) else {
        return;
    };
    let entry = meta.entry(field).or_insert_with(|| Value::Object(Default::default()));
    if !entry.is_object() {
        *entry = Value::Object(Default::default());
    }
    if let Some(m) = entry.as_object_mut() {
        m.insert(key.to_string(), Value::String(value.to_string()));
    }
}

impl Kube {
    /// Decodes a manifest into objects, in document order. Namespaced
    /// objects without a namespace get `default_ns`.
    pub fn build(&self, manifest: &str, default_ns: &str) -> Result<Vec<Resource>, KubeError> {
        self.build_validated(manifest, default_ns, false)
    }

    /// [`Kube::build`], with `validate` Helm's `Build(reader, validate)`:
    /// each document is checked against the server's OpenAPI schema
    /// before it is mapped (see `validate.rs`). As in kubectl's builder
    /// (`ContinueOnError`), a document that cannot be mapped does not stop
    /// the build, while the first one that fails validation ends the
    /// stream; the errors are then aggregated (`[a, b]`).
    pub fn build_validated(
        &self,
        manifest: &str,
        default_ns: &str,
        validate: bool,
    ) -> Result<Vec<Resource>, KubeError> {
        let docs = rhelm_functions::yaml::split_documents(manifest).map_err(|e| KubeError::new(e.to_string()))?;
        let mut out = Vec::new();
        let mut errors: Vec<KubeError> = Vec::new();
        for doc in docs {
            let obj = rhelm_functions::yaml::to_json(&doc).map_err(|e| KubeError::new(e.to_string()))?;
            if obj.is_null() || obj.as_object().is_some_and(|o| o.is_empty()) {
                continue;
            }
            if validate && !self.server_validates_fields() {
                // kubectl's verifier reports a schema it cannot download
                // as the validation error itself.
                let failed = match self.openapi() {
                    Ok(api) => crate::validate::validate(&api, &obj),
                    Err(e) => Some(format!("failed to download openapi: {e}")),
                };
                if let Some(failed) = failed {
                    // cli-runtime's `ValidateSchema` wording, less the
                    // `--validate=false` hint Helm's `scrubValidationError`
                    // removes. The source name of Helm's stream is "".
                    errors.push(KubeError::new(format!("error validating \"\": error validating data: {failed}")));
                    break;
                }
            }
            if let Err(e) = self.push_object(obj, default_ns, &mut out) {
                errors.push(e);
            }
        }
        match errors.len() {
            0 => Ok(out),
            1 => Err(errors.remove(0)),
            _ => {
                let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
                Err(KubeError::new(crate::validate::aggregate(&messages)))
            }
        }
    }

    /// Whether the server checks fields itself for every kind, so that
    /// kubectl's verifier never falls back to checking client-side:
    /// `fieldValidation` is GA (always on) from Kubernetes 1.27. For older
    /// servers the OpenAPI paths say it kind by kind; asking the version
    /// first spares modern clusters the download of the whole document.
    fn server_validates_fields(&self) -> bool {
        *self.validates_fields.get_or_init(|| {
            self.server_version().is_ok_and(|v| crate::validate::field_validation_is_ga(&v.major, &v.minor))
        })
    }

    fn push_object(&self, obj: Value, default_ns: &str, out: &mut Vec<Resource>) -> Result<(), KubeError> {
        let api_version = obj.get("apiVersion").and_then(Value::as_str).unwrap_or("").to_string();
        let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("").to_string();
        if kind.is_empty() {
            return Err(KubeError::new(format!(
                // Helm 4.3.1 with validation off (validation on fails
                // earlier, in `validate.rs`): the decoder's error.
                "unable to decode \"\": Object 'Kind' is missing in '{}'",
                compact(&obj)
            )));
        }
        if kind.ends_with("List") {
            if let Some(items) = obj.get("items").and_then(Value::as_array) {
                for item in items.clone() {
                    self.push_object(item, default_ns, out)?;
                }
                return Ok(());
            }
        }
        let name = obj.pointer("/metadata/name").and_then(Value::as_str).unwrap_or("").to_string();
        let given_ns = obj.pointer("/metadata/namespace").and_then(Value::as_str).unwrap_or("").to_string();
        let Some(mapping) = self.mapping(&api_version, &kind)? else {
            return Err(KubeError::new(format!(
                "resource mapping not found for name: {:?} namespace: {:?} from \"\": no matches for kind {:?} in version {:?}\nensure CRDs are installed first",
                name, given_ns, kind, api_version
            )));
        };
        let namespace = if mapping.namespaced {
            Some(if given_ns.is_empty() { default_ns.to_string() } else { given_ns })
        } else {
            None
        };
        let mut object = obj;
        if let (Some(ns), Some(meta)) = (&namespace, object.get_mut("metadata").and_then(Value::as_object_mut)) {
            meta.insert("namespace".into(), Value::String(ns.clone()));
        }
        out.push(Resource { api_version, kind, name, namespace, object, api: mapping.resource });
        Ok(())
    }
}

fn compact(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}
