//! The chart model: what a loaded chart holds, as Helm's `chart.Chart`.
//!
//! A chart owns its subcharts. Helm keeps a parent pointer to compute a
//! chart's full path (`par/charts/sub`); we pass the parent path down while
//! walking the tree instead, so the model stays a plain tree.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::SystemTime;

use rhelm_template::Value;

use crate::file_data::FileData;
use crate::metadata::{Lock, Metadata};

/// A values table: the decoded `values.yaml` or a merged set of user values.
pub type Values = BTreeMap<Arc<str>, Value>;

/// One file of a chart, by its path relative to the chart root with `/`
/// separators (`templates/deployment.yaml`, `crds/crd.yaml`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct File {
    pub name: String,
    /// Shared: Helm keeps every file twice (`Raw` and the typed lists) and
    /// once more per parent chart, which here costs a reference each.
    pub data: FileData,
    /// When the file was last modified (file system or tar header). Helm 4
    /// stores it in release records; charts built in memory have none.
    pub modtime: Option<SystemTime>,
}

impl File {
    pub fn new(name: impl Into<String>, data: impl Into<Vec<u8>>) -> File {
        File { name: name.into(), data: FileData::from(data.into()), modtime: None }
    }

    pub fn with_modtime(mut self, modtime: Option<SystemTime>) -> File {
        self.modtime = modtime;
        self
    }
}

#[derive(Clone, Debug, Default)]
pub struct Chart {
    /// Chart.yaml.
    pub metadata: Metadata,
    /// Chart.lock (v2) or requirements.lock (v1).
    pub lock: Option<Lock>,
    /// Files under `templates/`, in load order.
    pub templates: Vec<File>,
    /// The decoded `values.yaml` (empty map when absent).
    pub values: Values,
    /// `values.schema.json`, raw.
    pub schema: Option<Vec<u8>>,
    /// Every other file (`.Files`): README, crds/, .helmignore, and so on.
    pub files: Vec<File>,
    /// Every file as read, including Chart.yaml and values.yaml (for `show`).
    pub raw: Vec<File>,
    /// Chart.yaml's modification time (Helm's `Chart.ModTime`).
    pub modtime: Option<SystemTime>,
    /// values.schema.json's modification time (`Chart.SchemaModTime`).
    pub schema_modtime: Option<SystemTime>,
    /// Subcharts from `charts/`, as loaded. `values::process_dependencies`
    /// rewrites this list (aliases, disabled charts) before rendering.
    pub dependencies: Vec<Chart>,
}

impl Chart {
    /// The chart's name (Chart.yaml `name`, or the alias once applied).
    pub fn name(&self) -> &str {
        &self.metadata.name
    }

    pub fn is_library(&self) -> bool {
        self.metadata.chart_type == "library"
    }

    /// Files under `crds/` with a `.yaml`, `.yml` or `.json` extension
    /// (any case), this chart's first, then each dependency's, recursively.
    /// Each comes with the chart's full path (`par/charts/sub`).
    pub fn crd_objects(&self, parent_path: Option<&str>) -> Vec<(String, &File)> {
        let path = self.full_path(parent_path);
        let mut out = Vec::new();
        for f in &self.files {
            if is_crd_file(&f.name) {
                out.push((format!("{path}/{}", f.name), f));
            }
        }
        for dep in &self.dependencies {
            out.extend(dep.crd_objects(Some(&path)));
        }
        out
    }

    /// `par/charts/sub` for a chart named `sub` below `par`.
    pub fn full_path(&self, parent_path: Option<&str>) -> String {
        match parent_path {
            Some(p) => format!("{p}/charts/{}", self.name()),
            None => self.name().to_string(),
        }
    }
}

fn is_crd_file(name: &str) -> bool {
    let Some(rest) = name.strip_prefix("crds/") else { return false };
    let lower = rest.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml") || lower.ends_with(".json")
}
