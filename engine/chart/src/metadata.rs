//! Chart.yaml, requirements.yaml and Chart.lock as Helm's `chart.Metadata`,
//! `chart.Dependency` and `chart.Lock` hold them. Parsing and validation
//! live in `load`; this module is the data.

use rhelm_template::Value;

#[derive(Clone, Debug, Default)]
pub struct Metadata {
    pub name: String,
    pub home: String,
    pub sources: Vec<String>,
    pub version: String,
    pub description: String,
    pub keywords: Vec<String>,
    pub maintainers: Vec<Maintainer>,
    pub icon: String,
    /// `apiVersion`; `v1` when Chart.yaml leaves it empty.
    pub api_version: String,
    pub condition: String,
    pub tags: String,
    pub app_version: String,
    pub deprecated: bool,
    /// Sorted, as Go prints and marshals a map.
    pub annotations: std::collections::BTreeMap<String, String>,
    pub kube_version: String,
    pub dependencies: Vec<Dependency>,
    /// `type`: "", `application` or `library`.
    pub chart_type: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Maintainer {
    pub name: String,
    pub email: String,
    pub url: String,
}

#[derive(Clone, Debug, Default)]
pub struct Dependency {
    pub name: String,
    /// A semver range.
    pub version: String,
    pub repository: String,
    pub condition: String,
    pub tags: Vec<String>,
    pub enabled: bool,
    /// Each entry is a string or a `{child, parent}` map, as written.
    pub import_values: Vec<Value>,
    pub alias: String,
}

/// Chart.lock / requirements.lock.
#[derive(Clone, Debug, Default)]
pub struct Lock {
    /// RFC 3339 text as written.
    pub generated: String,
    pub digest: String,
    pub dependencies: Vec<Dependency>,
}
