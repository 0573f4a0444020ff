//! `helm show chart|values|readme|crds|all`: what `action.Show.Run` prints.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rhelm_template::Value;

use crate::chart::Chart;
use crate::metadata::{Dependency, Metadata};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShowFormat {
    All,
    Chart,
    Values,
    Readme,
    Crds,
}

/// Helm's `LocateChart` for a chart given as a local path: the absolute path
/// when it exists, else the error Helm gives before trying repositories
/// (which rhelm does not reach).
pub fn locate_local(name: &str, cwd: &Path) -> Result<PathBuf, String> {
    let name = name.trim();
    let path = Path::new(name);
    if std::fs::metadata(path).is_ok() {
        return Ok(if path.is_absolute() { path.to_path_buf() } else { cwd.join(path) });
    }
    if path.is_absolute() || name.starts_with('.') {
        return Err(format!("path {} not found", go_quote(name)));
    }
    match name.split_once('/') {
        Some((repo, _)) => Err(format!("repo {repo} not found")),
        None => Err(format!("non-absolute URLs should be in form of repo_name/path_to_chart, got: {name}")),
    }
}

/// The text `helm show FORMAT` prints for a loaded chart. `jsonpath`, for
/// `values`, selects one value by a plain `{.a.b}` path.
pub fn show(chart: &Chart, format: ShowFormat, jsonpath: Option<&str>) -> Result<String, String> {
    let mut out = String::new();
    if matches!(format, ShowFormat::Chart | ShowFormat::All) {
        out.push_str(&metadata_yaml(&chart.metadata)?);
        out.push('\n');
    }
    // Helm's values are nil, and nothing is printed, when there is no values.yaml.
    let values_file = chart.raw.iter().find(|f| f.name == "values.yaml");
    if matches!(format, ShowFormat::Values | ShowFormat::All) && values_file.is_some() {
        if format == ShowFormat::All {
            out.push_str("---\n");
        }
        match jsonpath.filter(|p| !p.is_empty()) {
            Some(p) => out.push_str(&select(&chart.values, p)?),
            None => {
                if let Some(f) = values_file {
                    out.push_str(&String::from_utf8_lossy(&f.data));
                    out.push('\n');
                }
            }
        }
    }
    if matches!(format, ShowFormat::Readme | ShowFormat::All) {
        if let Some(readme) = find_readme(chart) {
            if format == ShowFormat::All {
                out.push_str("---\n");
            }
            out.push_str(&String::from_utf8_lossy(&readme.data));
            out.push('\n');
        }
    }
    if matches!(format, ShowFormat::Crds | ShowFormat::All) {
        for (_, crd) in chart.crd_objects(None) {
            if !crd.data.starts_with(b"---") {
                out.push_str("---\n");
            }
            out.push_str(&String::from_utf8_lossy(&crd.data));
            out.push('\n');
        }
    }
    Ok(out)
}

/// The first of the chart's files named readme.md, readme.txt or readme
/// (any case), in file order.
fn find_readme(chart: &Chart) -> Option<&crate::chart::File> {
    chart.files.iter().find(|f| ["readme.md", "readme.txt", "readme"].iter().any(|n| f.name.eq_ignore_ascii_case(n)))
}

/// Chart.yaml as `yaml.Marshal(chart.Metadata)` writes it: the JSON field
/// names, empty fields left out, keys sorted.
pub fn metadata_yaml(m: &Metadata) -> Result<String, String> {
    rhelm_functions::yaml::to_string_v2(&Value::map(metadata_map(m))).map_err(|e| e.to_string())
}

/// Chart.lock as `yaml.Marshal(Lock)` writes it (`generated` re-marshalled
/// as Go writes a time).
pub fn lock_yaml(l: &crate::metadata::Lock) -> Result<String, String> {
    let mut map = BTreeMap::new();
    map.insert(Arc::from("generated"), Value::string(crate::package::normalize_rfc3339(&l.generated)));
    map.insert(Arc::from("digest"), Value::str(&l.digest));
    map.insert(Arc::from("dependencies"), Value::list(l.dependencies.iter().map(dependency_value).collect()));
    rhelm_functions::yaml::to_string_v2(&Value::map(map)).map_err(|e| e.to_string())
}

/// The metadata as Helm's JSON field names give it, empty fields left out:
/// what Chart.yaml, index.yaml entries and OCI configs are made of.
pub fn metadata_map(m: &Metadata) -> BTreeMap<Arc<str>, Value> {
    let mut map = BTreeMap::new();
    put_str(&mut map, "name", &m.name);
    put_str(&mut map, "home", &m.home);
    put_list(&mut map, "sources", &m.sources);
    put_str(&mut map, "version", &m.version);
    put_str(&mut map, "description", &m.description);
    put_list(&mut map, "keywords", &m.keywords);
    if !m.maintainers.is_empty() {
        let list = m
            .maintainers
            .iter()
            .map(|mt| {
                let mut e = BTreeMap::new();
                put_str(&mut e, "name", &mt.name);
                put_str(&mut e, "email", &mt.email);
                put_str(&mut e, "url", &mt.url);
                Value::map(e)
            })
            .collect();
        map.insert(Arc::from("maintainers"), Value::list(list));
    }
    put_str(&mut map, "icon", &m.icon);
    put_str(&mut map, "apiVersion", &m.api_version);
    put_str(&mut map, "condition", &m.condition);
    put_str(&mut map, "tags", &m.tags);
    put_str(&mut map, "appVersion", &m.app_version);
    if m.deprecated {
        map.insert(Arc::from("deprecated"), Value::Bool(true));
    }
    if !m.annotations.is_empty() {
        let a = m.annotations.iter().map(|(k, v)| (Arc::from(k.as_str()), Value::str(v))).collect();
        map.insert(Arc::from("annotations"), Value::map(a));
    }
    put_str(&mut map, "kubeVersion", &m.kube_version);
    if !m.dependencies.is_empty() {
        map.insert(Arc::from("dependencies"), Value::list(m.dependencies.iter().map(dependency_value).collect()));
    }
    put_str(&mut map, "type", &m.chart_type);
    map
}

fn dependency_value(d: &Dependency) -> Value {
    let mut e = BTreeMap::new();
    // name and repository have no omitempty in Helm's struct tags.
    e.insert(Arc::from("name"), Value::str(&d.name));
    put_str(&mut e, "version", &d.version);
    e.insert(Arc::from("repository"), Value::str(&d.repository));
    put_str(&mut e, "condition", &d.condition);
    put_list(&mut e, "tags", &d.tags);
    if d.enabled {
        e.insert(Arc::from("enabled"), Value::Bool(true));
    }
    if !d.import_values.is_empty() {
        e.insert(Arc::from("import-values"), Value::list(d.import_values.clone()));
    }
    put_str(&mut e, "alias", &d.alias);
    Value::map(e)
}

fn put_str(map: &mut BTreeMap<Arc<str>, Value>, key: &str, v: &str) {
    if !v.is_empty() {
        map.insert(Arc::from(key), Value::str(v));
    }
}

fn put_list(map: &mut BTreeMap<Arc<str>, Value>, key: &str, v: &[String]) {
    if !v.is_empty() {
        map.insert(Arc::from(key), Value::list(v.iter().map(|s| Value::str(s)).collect()));
    }
}

/// A plain `{.a.b}` JSONPath over the values; the selected value is printed
/// as kubectl's printer prints a scalar, and maps and lists as JSON.
fn select(values: &crate::chart::Values, template: &str) -> Result<String, String> {
    let unsupported = || format!("rhelm supports only plain {{.a.b}} JSONPath expressions, got {template}");
    let inner = template.strip_prefix('{').and_then(|t| t.strip_suffix('}')).ok_or_else(unsupported)?;
    let path = inner.strip_prefix('.').ok_or_else(unsupported)?;
    if path.chars().any(|c| "[]*@?()'\" ".contains(c)) {
        return Err(unsupported());
    }
    let mut cur = Value::map(values.clone());
    for key in path.split('.').filter(|k| !k.is_empty()) {
        let next = match &cur {
            Value::Map(m) => m.entries.get(key).cloned(),
            _ => None,
        };
        cur = next.ok_or_else(|| format!("{key} is not found"))?;
    }
    match &cur {
        Value::Str(s) => Ok(s.to_string()),
        Value::Map(_) | Value::List(_) => rhelm_functions::json::to_string(&cur, false).map_err(|e| e.to_string()),
        other => Ok(rhelm_template::fmt::sprint(std::slice::from_ref(other))),
    }
}

fn go_quote(s: &str) -> String {
    format!("{s:?}")
}
