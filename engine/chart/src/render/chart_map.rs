//! `.Chart`: Helm 4's `MetadataAsMap`, the metadata struct turned into a
//! `map[string]interface{}` by reflection: Go field names as keys, every
//! slice a `[]interface{}` (nil ones empty), structs in slices as maps.

use std::collections::BTreeMap;
use std::sync::Arc;

use rhelm_template::{Elem, Value};

use crate::metadata::{Dependency, Maintainer, Metadata};

type Fields = BTreeMap<Arc<str>, Value>;

fn put(m: &mut Fields, k: &str, v: Value) {
    m.insert(Arc::from(k), v);
}

fn strings(items: &[String]) -> Value {
    Value::list(items.iter().map(|s| Value::str(s)).collect())
}

fn maintainer(m: &Maintainer) -> Value {
    let mut f = Fields::new();
    put(&mut f, "Name", Value::str(&m.name));
    put(&mut f, "Email", Value::str(&m.email));
    put(&mut f, "URL", Value::str(&m.url));
    Value::map(f)
}

fn dependency(d: &Dependency) -> Value {
    let mut f = Fields::new();
    put(&mut f, "Name", Value::str(&d.name));
    put(&mut f, "Version", Value::str(&d.version));
    put(&mut f, "Repository", Value::str(&d.repository));
    put(&mut f, "Condition", Value::str(&d.condition));
    put(&mut f, "Tags", strings(&d.tags));
    put(&mut f, "Enabled", Value::Bool(d.enabled));
    put(&mut f, "ImportValues", Value::list(d.import_values.clone()));
    put(&mut f, "Alias", Value::str(&d.alias));
    Value::map(f)
}

/// The map, without `IsRoot` (the renderer adds it per chart).
pub fn metadata_as_map(md: &Metadata) -> Fields {
    let mut f = Fields::new();
    put(&mut f, "Name", Value::str(&md.name));
    put(&mut f, "Home", Value::str(&md.home));
    put(&mut f, "Sources", strings(&md.sources));
    put(&mut f, "Version", Value::str(&md.version));
    put(&mut f, "Description", Value::str(&md.description));
    put(&mut f, "Keywords", strings(&md.keywords));
    put(&mut f, "Maintainers", Value::list(md.maintainers.iter().map(maintainer).collect()));
    put(&mut f, "Icon", Value::str(&md.icon));
    put(&mut f, "APIVersion", Value::str(&md.api_version));
    put(&mut f, "Condition", Value::str(&md.condition));
    put(&mut f, "Tags", Value::str(&md.tags));
    put(&mut f, "AppVersion", Value::str(&md.app_version));
    put(&mut f, "Deprecated", Value::Bool(md.deprecated));
    // A `map[string]string` (Go keeps the map's own type here).
    let annotations = md.annotations.iter().map(|(k, v)| (Arc::from(k.as_str()), Value::str(v))).collect();
    put(&mut f, "Annotations", Value::typed_map(Elem::String, annotations));
    put(&mut f, "KubeVersion", Value::str(&md.kube_version));
    put(&mut f, "Dependencies", Value::list(md.dependencies.iter().map(dependency).collect()));
    put(&mut f, "Type", Value::str(&md.chart_type));
    f
}
