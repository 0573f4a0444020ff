//! index.yaml, a chart repository's catalogue (Helm's `pkg/repo/v1`
//! `IndexFile`): loading with Helm's leniency and checks, adding archives,
//! merging, sorting newest first, and writing the bytes Helm writes.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rhelm_chart::metadata::Metadata;
use rhelm_functions::dates::format as gotime;
use rhelm_functions::dates::Time;
use rhelm_functions::semver::{Constraints, Version};
use rhelm_template::Value;

use crate::json_out::J;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexError(pub String);

impl fmt::Display for IndexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for IndexError {}

type Result<T> = std::result::Result<T, IndexError>;

/// One version of a chart in the index: its metadata and where to get it.
#[derive(Debug, Clone, Default)]
pub struct ChartVersion {
    pub metadata: Metadata,
    pub urls: Vec<String>,
    /// RFC 3339 as Go marshals a `time.Time`.
    pub created: String,
    pub removed: bool,
    pub digest: String,
    /// Fields of old indexes Helm still carries: checksum, engine, tillerVersion, url.
    pub deprecated: BTreeMap<String, String>,
}

impl ChartVersion {
    pub fn name(&self) -> &str {
        &self.metadata.name
    }

    pub fn version(&self) -> &str {
        &self.metadata.version
    }
}

#[derive(Debug, Clone)]
pub struct IndexFile {
    pub api_version: String,
    pub generated: String,
    pub entries: BTreeMap<String, Vec<ChartVersion>>,
    pub public_keys: Vec<String>,
    pub annotations: BTreeMap<String, String>,
    /// chartmuseum's `serverInfo`, kept only to be written back.
    pub server_info: Option<Value>,
}

impl Default for IndexFile {
    fn default() -> Self {
        IndexFile::new()
    }
}

/// `time.Now()` as Go marshals it (local zone, nanoseconds).
pub fn now_rfc3339() -> String {
    let mut t = Time::now();
    t.strip_mono();
    gotime::marshal_rfc3339(&t, "Time.MarshalJSON").unwrap_or_default()
}

/// The sha256 of an archive, as index entries and Chart.lock record it.
pub fn digest(data: &[u8]) -> String {
    use sha2::Digest as _;
    let sum = sha2::Sha256::digest(data);
    sum.iter().map(|b| format!("{b:02x}")).collect()
}

impl IndexFile {
    pub fn new() -> IndexFile {
        IndexFile {
            api_version: "v1".into(),
            generated: now_rfc3339(),
            entries: BTreeMap::new(),
            public_keys: Vec::new(),
            annotations: BTreeMap::new(),
            server_info: None,
        }
    }

    /// `LoadIndexFile`: errors read `error loading PATH: ...`.
    pub fn load(path: &Path) -> Result<(IndexFile, Vec<String>)> {
        let data = std::fs::read(path).map_err(|e| IndexError(format!("open {}: {}", path.display(), crate::go_io_error(&e))))?;
        IndexFile::parse(&data, &path.display().to_string())
            .map_err(|e| IndexError(format!("error loading {}: {e}", path.display())))
    }

    /// Parses index bytes (JSON when valid JSON, else YAML). Returns the
    /// index and warnings for entries that were dropped.
    pub fn parse(data: &[u8], source: &str) -> Result<(IndexFile, Vec<String>)> {
        if data.is_empty() {
            return Err(IndexError("empty index.yaml file".into()));
        }
        let doc = decode(data)?;
        let Value::Map(top) = &doc else {
            return Err(IndexError(format!("error unmarshaling JSON: json: cannot unmarshal {} into Go value of type repo.IndexFile", go_kind(&doc))));
        };
        let mut index = IndexFile { generated: String::new(), api_version: String::new(), ..IndexFile::new() };
        let mut warnings = Vec::new();
        for (k, v) in top.entries.iter() {
            match &**k {
                "apiVersion" => index.api_version = string(v, "apiVersion")?,
                "generated" => index.generated = time_text(v, "generated")?,
                "publicKeys" => index.public_keys = strings(v, "publicKeys")?,
                "annotations" => index.annotations = string_map(v, "annotations")?,
                "serverInfo" => index.server_info = Some(v.clone()),
                "entries" => index.entries = entries(v, source, &mut warnings)?,
                other => return Err(IndexError(format!("error unmarshaling JSON: while decoding JSON: json: unknown field \"{other}\""))),
            }
        }
        index.sort_entries();
        if index.api_version.is_empty() {
            return Err(IndexError("no API version specified".into()));
        }
        Ok((index, warnings))
    }

    /// Whether `name` at exactly `version` (or a version matching it as a
    /// constraint) is in the index.
    pub fn has(&self, name: &str, version: &str) -> bool {
        self.get(name, version).is_ok()
    }

    /// Helm's `IndexFile.Get`: the exact version if present, else the first
    /// (newest) version matching `version` as a constraint (`*` when empty).
    pub fn get(&self, name: &str, version: &str) -> Result<&ChartVersion> {
        let vs = self.entries.get(name).ok_or_else(|| IndexError("no chart name found".into()))?;
        if vs.is_empty() {
            return Err(IndexError("no chart version found".into()));
        }
        let constraint = Constraints::parse(if version.is_empty() { "*" } else { version })
            .map_err(|e| IndexError(e.message().to_string()))?;
        if !version.is_empty() {
            if let Some(v) = vs.iter().find(|v| v.version() == version) {
                return Ok(v);
            }
        }
        vs.iter()
            .find(|v| Version::parse(v.version()).is_ok_and(|parsed| constraint.check(&parsed)))
            .ok_or_else(|| IndexError(format!("no chart version found for {name}-{version}")))
    }

    /// `MustAdd`: an entry for `file` under `base_url` (the bare file name
    /// when `base_url` is empty), created now.
    pub fn add(&mut self, meta: &Metadata, file: &str, base_url: &str, digest: &str) -> Result<()> {
        let mut md = meta.clone();
        if md.api_version.is_empty() {
            md.api_version = "v1".into();
        }
        md.validate().map_err(|e| IndexError(format!("validate failed for {file}: {e}")))?;
        let url = if base_url.is_empty() {
            file.to_string()
        } else {
            let base_name = file.rsplit('/').next().unwrap_or(file);
            url_join(base_url, &[base_name])
        };
        let entry = ChartVersion { metadata: md, urls: vec![url], created: now_rfc3339(), digest: digest.to_string(), ..ChartVersion::default() };
        self.entries.entry(entry.metadata.name.clone()).or_default().push(entry);
        Ok(())
    }

    /// `Merge`: takes `other`'s versions that this index lacks.
    pub fn merge(&mut self, other: &IndexFile) {
        for versions in other.entries.values() {
            for cv in versions {
                if !self.has(cv.name(), cv.version()) {
                    self.entries.entry(cv.name().to_string()).or_default().push(cv.clone());
                }
            }
        }
    }

    /// Each chart's versions newest first by semver; unparsable versions last.
    pub fn sort_entries(&mut self) {
        for versions in self.entries.values_mut() {
            versions.sort_by(|a, b| {
                match (Version::parse(a.version()), Version::parse(b.version())) {
                    (Ok(x), Ok(y)) => y.cmp(&x),
                    (Ok(_), Err(_)) => std::cmp::Ordering::Less,
                    (Err(_), Ok(_)) => std::cmp::Ordering::Greater,
                    (Err(_), Err(_)) => std::cmp::Ordering::Equal,
                }
            });
        }
    }

    pub fn touch_generated(&mut self) {
        self.generated = now_rfc3339();
    }

    /// The YAML Helm writes (`sigs.k8s.io/yaml`: sorted keys).
    pub fn to_yaml(&self) -> Result<String> {
        let mut top: BTreeMap<Arc<str>, Value> = BTreeMap::new();
        top.insert(Arc::from("apiVersion"), Value::str(&self.api_version));
        top.insert(Arc::from("generated"), Value::str(&self.generated));
        let entries = self
            .entries
            .iter()
            .map(|(name, vs)| (Arc::from(name.as_str()), Value::list(vs.iter().map(entry_value).collect())))
            .collect();
        top.insert(Arc::from("entries"), Value::map(entries));
        if !self.public_keys.is_empty() {
            top.insert(Arc::from("publicKeys"), Value::list(self.public_keys.iter().map(|k| Value::str(k)).collect()));
        }
        if !self.annotations.is_empty() {
            top.insert(Arc::from("annotations"), string_map_value(&self.annotations));
        }
        if let Some(info) = self.server_info.as_ref().filter(|v| !is_empty_map(v)) {
            top.insert(Arc::from("serverInfo"), info.clone());
        }
        rhelm_functions::yaml::to_string_v2(&Value::map(top)).map_err(|e| IndexError(e.to_string()))
    }

    /// The JSON Helm writes with `--json` (`MarshalIndent`, struct order, no
    /// trailing newline).
    pub fn to_json(&self) -> String {
        let mut fields = Vec::new();
        if let Some(info) = self.server_info.as_ref().filter(|v| !is_empty_map(v)) {
            fields.push(("serverInfo", J::value(info)));
        }
        fields.push(("apiVersion", J::str(&self.api_version)));
        fields.push(("generated", J::str(&self.generated)));
        let entries = self.entries.iter().map(|(n, vs)| (n.clone(), J::List(vs.iter().map(entry_json).collect()))).collect();
        fields.push(("entries", J::Obj(entries)));
        if !self.public_keys.is_empty() {
            fields.push(("publicKeys", J::List(self.public_keys.iter().map(|k| J::str(k)).collect())));
        }
        if !self.annotations.is_empty() {
            fields.push(("annotations", J::string_map(&self.annotations)));
        }
        J::fields(fields).pretty()
    }

    /// Writes YAML (or JSON) atomically with mode 0644.
    pub fn write(&self, path: &Path, json: bool) -> Result<()> {
        let text = if json { self.to_json() } else { self.to_yaml()? };
        crate::atomic_write(path, text.as_bytes(), 0o644).map_err(IndexError)
    }

    pub fn write_yaml(&self, path: &Path) -> Result<()> {
        self.write(path, false)
    }
}

/// `IndexDirectory`: every `*.tgz` in `dir` and one level below, with URLs
/// under `base_url` (relative paths without it). Archives that do not load
/// are left out.
pub fn index_directory(dir: &Path, base_url: &str) -> Result<IndexFile> {
    let mut archives = glob_tgz(dir);
    let mut nested = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        let mut subdirs: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_dir()).collect();
        subdirs.sort();
        for sub in subdirs {
            nested.extend(glob_tgz(&sub));
        }
    }
    archives.extend(nested);
    let mut index = IndexFile::new();
    for arch in archives {
        let rel = arch.strip_prefix(dir).unwrap_or(&arch);
        let fname = rel.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        let parent = rel.parent().map(|p| p.to_string_lossy().into_owned()).unwrap_or_default();
        let parent_url = if base_url.is_empty() {
            parent.clone()
        } else {
            url_join(base_url, &[&parent])
        };
        let Ok(data) = std::fs::read(&arch) else { continue };
        let Ok(chart) = rhelm_chart::load::load_archive(&data) else { continue };
        let hash = digest(&data);
        let file_for_url = if base_url.is_empty() && !parent.is_empty() { format!("{parent}/{fname}") } else { fname.clone() };
        let added = if base_url.is_empty() {
            index.add(&chart.metadata, &file_for_url, "", &hash)
        } else {
            index.add(&chart.metadata, &fname, &parent_url, &hash)
        };
        added.map_err(|e| IndexError(format!("failed adding to {fname} to index: {e}")))?;
    }
    Ok(index)
}

/// Go's `filepath.Glob(dir/*.tgz)`: sorted names, hidden files included.
fn glob_tgz(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut v: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "tgz"))
        .collect();
    v.sort();
    v
}

/// Helm's `urlutil.URLJoin`: the elements appended to the URL's path,
/// joined and cleaned as Go's `path.Join`.
pub fn url_join(base: &str, elems: &[&str]) -> String {
    let (scheme_host, rest) = match base.find("://") {
        Some(i) => {
            let after = &base[i + 3..];
            let cut = after.find(['/', '?', '#']).map(|j| i + 3 + j).unwrap_or(base.len());
            (&base[..cut], &base[cut..])
        }
        None => ("", base),
    };
    let (path, suffix) = match rest.find(['?', '#']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let mut parts = vec![path.to_string()];
    parts.extend(elems.iter().map(|e| e.to_string()));
    let joined = go_path_join(&parts);
    let joined = if !scheme_host.is_empty() && !joined.starts_with('/') && joined != "." {
        format!("/{joined}")
    } else if joined == "." && !scheme_host.is_empty() {
        String::new()
    } else {
        joined
    };
    format!("{scheme_host}{joined}{suffix}")
}

/// Go's `path.Join`: non-empty elements joined by `/`, then cleaned.
fn go_path_join(elems: &[String]) -> String {
    let nonempty: Vec<&str> = elems.iter().map(String::as_str).filter(|e| !e.is_empty()).collect();
    if nonempty.is_empty() {
        return String::new();
    }
    go_path_clean(&nonempty.join("/"))
}

fn go_path_clean(p: &str) -> String {
    let rooted = p.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if out.last().is_some_and(|s| *s != "..") {
                    out.pop();
                } else if !rooted {
                    out.push("..");
                }
            }
            s => out.push(s),
        }
    }
    let body = out.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".into(),
        (false, false) => body,
    }
}

fn decode(data: &[u8]) -> Result<Value> {
    let text = std::str::from_utf8(data).map_err(|_| IndexError("error converting YAML to JSON: yaml: invalid UTF-8".into()))?;
    if serde_json::from_slice::<serde_json::Value>(data).is_ok() {
        return rhelm_functions::json::from_str(text).map_err(|e| IndexError(format!("error unmarshaling JSON: {e}")));
    }
    rhelm_functions::yaml::from_str(text).map_err(|e| IndexError(e.to_string()))
}

fn go_kind(v: &Value) -> &'static str {
    match v {
        Value::List(_) => "array",
        Value::Str(_) => "string",
        Value::Bool(_) => "bool",
        Value::Nil => "null",
        _ => "number",
    }
}

fn type_error(field: &str, v: &Value, want: &str) -> IndexError {
    IndexError(format!("error unmarshaling JSON: json: cannot unmarshal {} into Go struct field IndexFile.{field} of type {want}", go_kind(v)))
}

fn string(v: &Value, field: &str) -> Result<String> {
    match v {
        Value::Str(s) => Ok(s.to_string()),
        Value::Nil => Ok(String::new()),
        other => Err(type_error(field, other, "string")),
    }
}

fn time_text(v: &Value, field: &str) -> Result<String> {
    let s = string(v, field)?;
    if s.is_empty() {
        return Ok(s);
    }
    gotime::parse(gotime::RFC3339, &s)
        .map(|t| gotime::marshal_rfc3339(&t, "Time.MarshalJSON").unwrap_or(s.clone()))
        .map_err(|e| IndexError(format!("error unmarshaling JSON: {e}")))
}

fn strings(v: &Value, field: &str) -> Result<Vec<String>> {
    match v {
        Value::List(l) => l.items.iter().map(|x| string(x, field)).collect(),
        Value::Nil => Ok(Vec::new()),
        other => Err(type_error(field, other, "[]string")),
    }
}

fn string_map(v: &Value, field: &str) -> Result<BTreeMap<String, String>> {
    match v {
        Value::Map(m) => m.entries.iter().map(|(k, x)| Ok((k.to_string(), string(x, field)?))).collect(),
        Value::Nil => Ok(BTreeMap::new()),
        other => Err(type_error(field, other, "map[string]string")),
    }
}

fn entries(v: &Value, source: &str, warnings: &mut Vec<String>) -> Result<BTreeMap<String, Vec<ChartVersion>>> {
    let Value::Map(m) = v else {
        return match v {
            Value::Nil => Ok(BTreeMap::new()),
            other => Err(type_error("entries", other, "map[string]repo.ChartVersions")),
        };
    };
    let mut out = BTreeMap::new();
    for (name, list) in m.entries.iter() {
        let items = match list {
            Value::List(l) => l.items.to_vec(),
            Value::Nil => Vec::new(),
            other => return Err(type_error("entries", other, "repo.ChartVersions")),
        };
        let mut versions = Vec::new();
        for item in items {
            if matches!(item, Value::Nil) {
                warnings.push(format!("skipping loading invalid entry for chart {name:?} from {source}: empty entry"));
                continue;
            }
            let mut cv = chart_version(&item)?;
            if cv.metadata.api_version.is_empty() {
                cv.metadata.api_version = "v1".into();
            }
            match cv.metadata.validate() {
                Err(e) if !e.contains("more than once") => {
                    warnings.push(format!("skipping loading invalid entry for chart {name:?} {:?} from {source}: {e}", cv.version()));
                }
                _ => versions.push(cv),
            }
        }
        out.insert(name.to_string(), versions);
    }
    Ok(out)
}

const VERSION_FIELDS: &[&str] = &["urls", "created", "removed", "digest", "checksum", "engine", "tillerVersion", "url"];

fn chart_version(v: &Value) -> Result<ChartVersion> {
    let Value::Map(m) = v else { return Err(type_error("entries", v, "repo.ChartVersion")) };
    // The metadata is embedded: every other key belongs to it.
    let meta_fields: BTreeMap<Arc<str>, Value> =
        m.entries.iter().filter(|(k, _)| !VERSION_FIELDS.contains(&&***k)).map(|(k, v)| (k.clone(), v.clone())).collect();
    let metadata = rhelm_chart::load::decode_metadata_value(&Value::map(meta_fields), "repo")
        .map_err(|e| IndexError(format!("error unmarshaling JSON: {e}")))?;
    let mut cv = ChartVersion { metadata, ..ChartVersion::default() };
    for (k, x) in m.entries.iter() {
        match &**k {
            "urls" => cv.urls = strings(x, "urls")?,
            "created" => cv.created = time_text(x, "created")?,
            "removed" => cv.removed = matches!(x, Value::Bool(true)),
            "digest" => cv.digest = string(x, "digest")?,
            "checksum" | "engine" | "tillerVersion" | "url" => {
                let s = string(x, k)?;
                if !s.is_empty() {
                    cv.deprecated.insert(k.to_string(), s);
                }
            }
            _ => {}
        }
    }
    if cv.created.is_empty() {
        // Go writes a zero time.Time as this.
        cv.created = "0001-01-01T00:00:00Z".into();
    }
    Ok(cv)
}

fn is_empty_map(v: &Value) -> bool {
    matches!(v, Value::Map(m) if m.entries.is_empty()) || matches!(v, Value::Nil)
}

fn string_map_value(m: &BTreeMap<String, String>) -> Value {
    Value::map(m.iter().map(|(k, v)| (Arc::from(k.as_str()), Value::str(v))).collect())
}

fn entry_value(cv: &ChartVersion) -> Value {
    let mut map = rhelm_chart::show::metadata_map(&cv.metadata);
    map.insert(Arc::from("urls"), Value::list(cv.urls.iter().map(|u| Value::str(u)).collect()));
    map.insert(Arc::from("created"), Value::str(&cv.created));
    if cv.removed {
        map.insert(Arc::from("removed"), Value::Bool(true));
    }
    if !cv.digest.is_empty() {
        map.insert(Arc::from("digest"), Value::str(&cv.digest));
    }
    for (k, v) in &cv.deprecated {
        map.insert(Arc::from(k.as_str()), Value::str(v));
    }
    Value::map(map)
}

fn entry_json(cv: &ChartVersion) -> J {
    let mut fields = crate::json_out::metadata_fields(&cv.metadata);
    fields.push(("urls".into(), J::List(cv.urls.iter().map(|u| J::str(u)).collect())));
    fields.push(("created".into(), J::str(&cv.created)));
    if cv.removed {
        fields.push(("removed".into(), J::Bool(true)));
    }
    if !cv.digest.is_empty() {
        fields.push(("digest".into(), J::str(&cv.digest)));
    }
    for k in ["checksum", "engine", "tillerVersion", "url"] {
        if let Some(v) = cv.deprecated.get(k) {
            fields.push((k.into(), J::str(v)));
        }
    }
    J::Obj(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_join_as_helm() {
        assert_eq!(url_join("https://example.com/charts", &["x-1.0.0.tgz"]), "https://example.com/charts/x-1.0.0.tgz");
        assert_eq!(url_join("https://example.com/charts/", &["sub", "x.tgz"]), "https://example.com/charts/sub/x.tgz");
        assert_eq!(url_join("https://example.com", &["x.tgz"]), "https://example.com/x.tgz");
        assert_eq!(url_join("https://example.com/charts", &[""]), "https://example.com/charts");
        assert_eq!(url_join("http://h:8080/a/?q=1", &["b.tgz"]), "http://h:8080/a/b.tgz?q=1");
    }

    #[test]
    fn versions_sort_newest_first_by_semver() {
        let mut idx = IndexFile::new();
        for v in ["0.2.0-rc.1", "0.10.0", "junk", "0.1.0"] {
            let md = Metadata { name: "c".into(), version: v.into(), api_version: "v2".into(), ..Metadata::default() };
            idx.entries.entry("c".into()).or_default().push(ChartVersion { metadata: md, ..ChartVersion::default() });
        }
        idx.sort_entries();
        let got: Vec<&str> = idx.entries["c"].iter().map(|v| v.version()).collect();
        assert_eq!(got, ["0.10.0", "0.2.0-rc.1", "0.1.0", "junk"]);
        assert_eq!(idx.get("c", "").unwrap().version(), "0.10.0");
        assert_eq!(idx.get("c", "^0.1").unwrap().version(), "0.1.0");
        assert_eq!(idx.get("c", "0.2.0-rc.1").unwrap().version(), "0.2.0-rc.1");
        assert!(idx.get("d", "").is_err());
    }

    #[test]
    fn parse_checks_and_drops_as_helm() {
        assert_eq!(IndexFile::parse(b"", "x").unwrap_err().0, "empty index.yaml file");
        assert_eq!(IndexFile::parse(b"entries: {}\n", "x").unwrap_err().0, "no API version specified");
        let (idx, warnings) = IndexFile::parse(
            b"apiVersion: v1\nentries:\n  a:\n  - name: a\n    version: 1.0.0\n    urls: [a-1.0.0.tgz]\n  - null\n  - name: a\n    version: not-semver\n",
            "x",
        )
        .unwrap();
        assert_eq!(idx.entries["a"].len(), 1);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
    }
}
