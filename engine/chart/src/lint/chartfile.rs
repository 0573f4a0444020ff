//! Chart.yaml rules (Helm's `rules/chartfile.go`).

use rhelm_functions::semver::{Constraints, Version};
use rhelm_template::Value;

use super::support::{Linter, Severity};
use super::urls::{is_email, is_request_url, is_url};
use crate::load::{decode_metadata, parse_yaml, MetaState};
use crate::metadata::Metadata;

const FILE: &str = "Chart.yaml";

pub fn chartfile(linter: &mut Linter) {
    let path = linter.chart_dir.join(FILE);
    let is_dir = std::fs::metadata(&path).map(|m| m.is_dir()).unwrap_or(false);
    linter.rule(Severity::Error, FILE, if is_dir { Err("should be a file, not a directory".into()) } else { Ok(()) });

    let data = match std::fs::read(&path) {
        Ok(d) => d,
        Err(e) => {
            let text = format!("read {}: {}", path.display(), super::errno_text(&e));
            linter.rule(Severity::Error, FILE, Err(format!("unable to parse YAML\n\t{text}")));
            return;
        }
    };
    let mut st = MetaState::default();
    if let Err(e) = decode_metadata(&data, &mut st, "v2") {
        linter.rule(Severity::Error, FILE, Err(format!("unable to parse YAML\n\t{e}")));
        return;
    }
    let raw = parse_yaml(&data).unwrap_or(Value::Nil);
    linter.rule(
        Severity::Warning,
        FILE,
        strict(&raw).map_err(|e| format!("failed to strictly parse chart metadata file\n\t{e}")),
    );

    let md = &st.md;
    linter.rule(Severity::Error, FILE, name(md));
    linter.rule(Severity::Error, FILE, api_version(md));
    linter.rule(Severity::Error, FILE, string_typed(&raw, "version"));
    linter.rule(Severity::Error, FILE, version(md));
    linter.rule(Severity::Error, FILE, string_typed(&raw, "appVersion"));
    linter.rule(Severity::Error, FILE, maintainers(&st));
    linter.rule(Severity::Error, FILE, sources(md));
    linter.rule(Severity::Info, FILE, if md.icon.is_empty() { Err("icon is recommended".into()) } else { Ok(()) });
    linter.rule(Severity::Error, FILE, icon_url(md));
    linter.rule(Severity::Error, FILE, chart_type(md));
    linter.rule(Severity::Error, FILE, dependencies(md));
    let strict_semver = Version::parse_strict(&md.version)
        .map(|_| ())
        .map_err(|_| format!("version '{}' is not a valid SemVerV2", md.version));
    linter.rule(Severity::Warning, FILE, strict_semver);
}

const METADATA_FIELDS: &[&str] = &[
    "name",
    "home",
    "sources",
    "version",
    "description",
    "keywords",
    "maintainers",
    "icon",
    "apiVersion",
    "condition",
    "tags",
    "appVersion",
    "deprecated",
    "annotations",
    "kubeVersion",
    "dependencies",
    "type",
];
const MAINTAINER_FIELDS: &[&str] = &["name", "email", "url"];
const DEPENDENCY_FIELDS: &[&str] =
    &["name", "version", "repository", "condition", "tags", "enabled", "import-values", "alias"];

/// `yaml.UnmarshalStrict` after a lenient decode succeeded: the first key, in
/// encoding/json's (sorted) order, that names no field, even case-insensitively.
fn strict(raw: &Value) -> Result<(), String> {
    let Value::Map(top) = raw else { return Ok(()) };
    for (k, v) in top.entries.iter() {
        let Some(top_field) = field(k, METADATA_FIELDS) else { return Err(unknown(k)) };
        let nested = match top_field {
            "maintainers" => MAINTAINER_FIELDS,
            "dependencies" => DEPENDENCY_FIELDS,
            _ => continue,
        };
        if let Value::List(items) = v {
            for item in items.items.iter() {
                if let Value::Map(m) = item {
                    if let Some(k) = m.entries.keys().find(|k| field(k, nested).is_none()) {
                        return Err(unknown(k));
                    }
                }
            }
        }
    }
    Ok(())
}

fn unknown(key: &str) -> String {
    format!("error unmarshaling JSON: while decoding JSON: json: unknown field {key:?}")
}

fn field(key: &str, fields: &[&'static str]) -> Option<&'static str> {
    fields.iter().find(|f| **f == key).or_else(|| fields.iter().find(|f| f.eq_ignore_ascii_case(key))).copied()
}

/// Go's `%T` of what `yaml.Unmarshal` into `map[string]any` gives a key.
fn string_typed(raw: &Value, key: &str) -> Result<(), String> {
    let Value::Map(m) = raw else { return Ok(()) };
    let Some(v) = m.entries.get(key) else { return Ok(()) };
    let ty = match v {
        Value::Str(_) => return Ok(()),
        Value::Nil => "<nil>",
        Value::Bool(_) => "bool",
        Value::Int(_) | Value::Int64(_) | Value::Uint8(_) | Value::Float(_) => "float64",
        Value::List(_) => "[]interface {}",
        Value::Map(_) => "map[string]interface {}",
        _ => "string",
    };
    Err(format!("{key} should be of type string but it's of type {ty}"))
}

fn name(md: &Metadata) -> Result<(), String> {
    if md.name.is_empty() {
        return Err("name is required".into());
    }
    let base = md.name.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    let base = if base.is_empty() { "/" } else { base };
    if base != md.name {
        return Err(format!("chart name {:?} is invalid", md.name));
    }
    Ok(())
}

fn api_version(md: &Metadata) -> Result<(), String> {
    match md.api_version.as_str() {
        "" => Err("apiVersion is required. The value must be either \"v1\" or \"v2\"".into()),
        "v1" | "v2" => Ok(()),
        other => Err(format!("apiVersion '{other}' is not valid. The value must be either \"v1\" or \"v2\"")),
    }
}

fn version(md: &Metadata) -> Result<(), String> {
    if md.version.is_empty() {
        return Err("version is required".into());
    }
    let v = Version::parse(&md.version).map_err(|_| format!("version '{}' is not a valid SemVer", md.version))?;
    if let Ok(c) = Constraints::parse(">0.0.0-0") {
        let (ok, msgs) = c.validate(&v);
        if let (false, Some(m)) = (ok, msgs.first()) {
            return Err(format!("version {}", m.message()));
        }
    }
    Ok(())
}

fn maintainers(st: &MetaState) -> Result<(), String> {
    for m in &st.md.maintainers {
        // The loader keeps a `null` entry as an empty maintainer; an empty
        // one is taken for it when the file had a null.
        if st.null_maintainer && m.name.is_empty() && m.email.is_empty() && m.url.is_empty() {
            return Err("a maintainer entry is empty".into());
        }
        if m.name.is_empty() {
            return Err("each maintainer requires a name".into());
        }
        if !m.email.is_empty() && !is_email(&m.email) {
            return Err(format!("invalid email '{}' for maintainer '{}'", m.email, m.name));
        }
        if !m.url.is_empty() && !is_url(&m.url) {
            return Err(format!("invalid url '{}' for maintainer '{}'", m.url, m.name));
        }
    }
    if st.null_maintainer {
        return Err("a maintainer entry is empty".into());
    }
    Ok(())
}

fn sources(md: &Metadata) -> Result<(), String> {
    match md.sources.iter().find(|s| s.is_empty() || !is_request_url(s)) {
        Some(s) => Err(format!("invalid source URL '{s}'")),
        None => Ok(()),
    }
}

fn icon_url(md: &Metadata) -> Result<(), String> {
    if !md.icon.is_empty() && !is_request_url(&md.icon) {
        return Err(format!("invalid icon URL '{}'", md.icon));
    }
    Ok(())
}

fn chart_type(md: &Metadata) -> Result<(), String> {
    if !md.chart_type.is_empty() && md.api_version != "v2" {
        return Err(format!(
            "chart type is not valid in apiVersion '{}'. It is valid in apiVersion 'v2'",
            md.api_version
        ));
    }
    Ok(())
}

fn dependencies(md: &Metadata) -> Result<(), String> {
    if !md.dependencies.is_empty() && md.api_version != "v2" {
        return Err(format!(
            "dependencies are not valid in the Chart file with apiVersion '{}'. They are valid in apiVersion 'v2'",
            md.api_version
        ));
    }
    Ok(())
}
