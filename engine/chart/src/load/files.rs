//! `LoadFiles`: sorting a chart's files into Chart.yaml, values, templates,
//! subcharts and plain files, then loading the subcharts.

use super::chartfile::{self, MetaState};
use super::{archive, gopath, log_line, validate, LoadError};
use crate::chart::{Chart, File};

const V1: &str = "v1";

/// Which of Helm's loaders: `pkg/chart/v2/loader` for apiVersion v1/v2, or
/// `internal/chart/v3/loader`, which knows no `requirements.*` and defaults
/// the apiVersion to v3.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    V2,
    V3,
}

impl Flavor {
    fn pkg(self) -> &'static str {
        match self {
            Flavor::V2 => "v2",
            Flavor::V3 => "v3",
        }
    }
}

pub(crate) fn load_files(files: Vec<File>, notices: &mut Vec<String>) -> Result<Chart, LoadError> {
    load_files_as(files, notices, Flavor::V2)
}

pub(crate) fn load_files_as(files: Vec<File>, notices: &mut Vec<String>, flavor: Flavor) -> Result<Chart, LoadError> {
    let pkg = flavor.pkg();
    let mut c = Chart::default();
    let mut meta: Option<MetaState> = None;

    // Chart.yaml first, wherever it is: the other files depend on its apiVersion.
    for f in &files {
        if f.name == "Chart.yaml" {
            let st = meta.get_or_insert_with(MetaState::default);
            chartfile::decode_metadata(&f.data, st, pkg)
                .map_err(|e| LoadError::new(format!("cannot load Chart.yaml: {e}")))?;
            if st.md.api_version.is_empty() {
                st.md.api_version = if flavor == Flavor::V3 { "v3" } else { V1 }.into();
            }
        }
    }

    // In order of first appearance (the v3 loader's order; v2 walks a Go map).
    let mut subcharts: Vec<(String, Vec<File>)> = Vec::new();
    for f in files {
        c.raw.push(f.clone());
        match f.name.as_str() {
            "Chart.yaml" => c.modtime = f.modtime,
            "Chart.lock" => {
                c.lock = chartfile::decode_lock(&f.data, pkg)
                    .map_err(|e| LoadError::new(format!("cannot load Chart.lock: {e}")))?;
            }
            "values.yaml" if !DEFER_VALUES.get() => {
                c.values = load_values(&f.data).map_err(|e| LoadError::new(format!("cannot load values.yaml: {e}")))?;
            }
            // Decoded by `decode_deferred_values`, from the copy in `raw`.
            "values.yaml" => {}
            "values.schema.json" => {
                c.schema_modtime = f.modtime;
                c.schema = Some(f.data.to_vec());
            }
            "requirements.yaml" if flavor == Flavor::V2 => {
                let st = meta.get_or_insert_with(MetaState::default);
                if st.md.api_version != V1 {
                    notices.push(log_line(
                        "INFO",
                        "Warning: Dependencies are handled in Chart.yaml since apiVersion \"v2\". We recommend migrating dependencies to Chart.yaml.",
                        &[],
                    ));
                }
                chartfile::decode_metadata(&f.data, st, pkg)
                    .map_err(|e| LoadError::new(format!("cannot load requirements.yaml: {e}")))?;
                if st.md.api_version == V1 {
                    c.files.push(f);
                }
            }
            "requirements.lock" if flavor == Flavor::V2 => {
                c.lock = chartfile::decode_lock(&f.data, pkg)
                    .map_err(|e| LoadError::new(format!("cannot load requirements.lock: {e}")))?;
                let st = meta.get_or_insert_with(MetaState::default);
                if st.md.api_version != V1 {
                    notices.push(log_line(
                        "INFO",
                        "Warning: Dependency locking is handled in Chart.lock since apiVersion \"v2\". We recommend migrating to Chart.lock.",
                        &[],
                    ));
                }
                if st.md.api_version == V1 {
                    c.files.push(f);
                }
            }
            n if n.starts_with("templates/") => c.templates.push(f),
            n if n.starts_with("charts/") => {
                if gopath::ext(n) == ".prov" {
                    c.files.push(f);
                    continue;
                }
                let rest = &n["charts/".len()..];
                let cname = rest.split('/').next().unwrap_or("").to_string();
                let name = rest.to_string();
                let file = File { name, data: f.data, modtime: f.modtime };
                match subcharts.iter_mut().find(|(n, _)| *n == cname) {
                    Some((_, list)) => list.push(file),
                    None => subcharts.push((cname, vec![file])),
                }
            }
            _ => c.files.push(f),
        }
    }

    let Some(mut st) = meta else {
        return Err(LoadError::new("Chart.yaml file is missing"));
    };
    validate::validate_state(&mut st).map_err(LoadError::new)?;
    c.metadata = st.md;

    for (n, files) in subcharts {
        if n.starts_with('_') || n.starts_with('.') {
            continue;
        }
        let loaded = if gopath::ext(&n) == ".tgz" {
            let file = &files[0];
            if file.name != n {
                return Err(LoadError::new(format!(
                    "error unpacking subchart tar in {}: expected {}, got {}",
                    c.name(),
                    n,
                    file.name
                )));
            }
            archive::load_archive_files(&file.data)
                .map_err(|e| LoadError::new(e.to_string()))
                .and_then(|files| load_files_as(files, notices, flavor))
        } else {
            let buff: Vec<File> = files
                .into_iter()
                .filter_map(|f| {
                    let (_, rest) = f.name.split_once('/')?;
                    Some(File { name: rest.to_string(), data: f.data, modtime: f.modtime })
                })
                .collect();
            load_files_as(buff, notices, flavor)
        };
        match loaded {
            Ok(sc) => c.dependencies.push(sc),
            Err(e) => {
                return Err(LoadError::new(format!("error unpacking subchart {n} in {}: {e}", c.name())));
            }
        }
    }
    Ok(c)
}

thread_local! {
    /// Set while loading with values.yaml files left undecoded.
    static DEFER_VALUES: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `load` with every chart's values.yaml left undecoded (the chart's
/// values stay empty); [`decode_deferred_values`] decodes them.
pub(crate) fn with_values_deferred<T>(load: impl FnOnce() -> T) -> T {
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            DEFER_VALUES.set(false);
        }
    }
    DEFER_VALUES.set(true);
    let _reset = Reset;
    load()
}

/// Decodes the values.yaml files that [`with_values_deferred`] skipped,
/// in the whole tree. The error is one of them, not necessarily the one a
/// loader decoding as it goes would have met first.
pub(crate) fn decode_deferred_values(chart: &mut Chart) -> Result<(), String> {
    for f in chart.raw.iter().filter(|f| f.name == "values.yaml") {
        chart.values = load_values(&f.data)?;
    }
    chart.dependencies.iter_mut().try_for_each(decode_deferred_values)
}

/// `LoadValues` on raw bytes: bad UTF-8 is reported as go-yaml does, once
/// the document separators have been found acceptable.
fn load_values(data: &[u8]) -> Result<crate::chart::Values, String> {
    match chartfile::utf8(data) {
        Ok(text) => rhelm_functions::yaml::load_values(text).map_err(|e| e.to_string()),
        Err(bad) => {
            rhelm_functions::yaml::split_documents(&crate::utf8::lossy(data)).map_err(|e| e.to_string())?;
            Err(format!("cannot unmarshal yaml document: error converting YAML to JSON: yaml: {bad}"))
        }
    }
}
