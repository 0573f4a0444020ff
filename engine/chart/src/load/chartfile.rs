//! Chart.yaml, requirements.yaml and Chart.lock decoded as sigs.k8s.io/yaml
//! decodes them into Helm's Go structs: YAML to JSON (scalars bound for a
//! string field become strings), then encoding/json into the struct: each
//! key fills the field it names, exactly or case-insensitively, keys taken in
//! sorted order (so of `appVersion` and `appversion` the second wins, as in
//! helm); unknown keys are ignored; a type mismatch is remembered, decoding
//! goes on, and the first one is returned.
//!
//! Error texts are those of the Go that Helm 4.3.1 is built with, e.g.
//! `json: cannot unmarshal array into Go struct field .maintainers.0.name of
//! type string` (checked against helm).

use std::sync::Arc;

use rhelm_template::Value;

use crate::metadata::{Dependency, Lock, Maintainer, Metadata};

/// Metadata while it is being built: Go keeps `[]*Maintainer` and
/// `[]*Dependency`, whose `null` entries only validation reports.
#[derive(Clone, Debug, Default)]
pub(crate) struct MetaState {
    pub md: Metadata,
    pub null_maintainer: bool,
    /// Index of the first `null` in `dependencies`.
    pub null_dependency: Option<usize>,
}

/// Reads YAML the sigs.k8s.io way, with its error prefixes.
pub(crate) fn parse_yaml(data: &[u8]) -> Result<Value, String> {
    let text = utf8(data).map_err(|e| format!("error converting YAML to JSON: yaml: {e}"))?;
    rhelm_functions::yaml::from_str(text).map_err(|e| e.to_string())
}

/// The text, or libyaml's complaint about the first bad UTF-8 sequence.
pub(crate) fn utf8(data: &[u8]) -> Result<&str, &'static str> {
    if let Ok(s) = std::str::from_utf8(data) {
        return Ok(s);
    }
    let mut i = 0;
    while i < data.len() {
        let b = data[i];
        let width = match b {
            _ if b & 0x80 == 0 => 1,
            _ if b & 0xE0 == 0xC0 => 2,
            _ if b & 0xF0 == 0xE0 => 3,
            _ if b & 0xF8 == 0xF0 => 4,
            _ => return Err("invalid leading UTF-8 octet"),
        };
        if i + width > data.len() {
            return Err("incomplete UTF-8 octet sequence");
        }
        let mut value = u32::from(b) & [0x7F, 0x1F, 0x0F, 0x07][width - 1];
        for &t in &data[i + 1..i + width] {
            if t & 0xC0 != 0x80 {
                return Err("invalid trailing UTF-8 octet");
            }
            value = (value << 6) | u32::from(t & 0x3F);
        }
        let min = [0, 0x80, 0x800, 0x10000][width - 1];
        if value < min {
            return Err("invalid length of a UTF-8 sequence");
        }
        if (0xD800..=0xDFFF).contains(&value) || value > 0x10FFFF {
            return Err("invalid Unicode character");
        }
        i += width;
    }
    Err("invalid leading UTF-8 octet")
}

/// Decodes a document into `st` (as `yaml.Unmarshal(data, c.Metadata)` does
/// into an existing struct: fields present are overwritten, others kept).
pub(crate) fn decode_metadata(data: &[u8], st: &mut MetaState, pkg: &'static str) -> Result<(), String> {
    let v = parse_yaml(data)?;
    let mut d = Decoder::new(pkg, data);
    match &v {
        Value::Map(m) => d.metadata_fields(&m.entries, st, &mut Vec::new()),
        Value::Nil => {}
        other => d.mismatch(other, &[], &format!("{pkg}.Metadata")),
    }
    d.finish()
}

/// Chart metadata from an already decoded YAML/JSON map, with the same
/// type checks as Chart.yaml (index.yaml entries embed the same struct).
pub fn decode_metadata_value(v: &Value, pkg: &'static str) -> Result<Metadata, String> {
    let mut st = MetaState::default();
    let mut d = Decoder::new(pkg, b"");
    match v {
        Value::Map(m) => d.metadata_fields(&m.entries, &mut st, &mut Vec::new()),
        Value::Nil => {}
        other => d.mismatch(other, &[], &format!("{pkg}.Metadata")),
    }
    d.finish()?;
    Ok(st.md)
}

/// The apiVersion alone, as the top-level loader's `chartBase` reads it.
pub(crate) fn decode_api_version(data: &[u8]) -> Result<String, String> {
    let v = parse_yaml(data)?;
    let mut d = Decoder::new("loader", data);
    let mut api = String::new();
    match &v {
        Value::Map(m) => {
            for (k, val) in m.entries.iter() {
                if field_index(k, &["apiVersion"]).is_some() {
                    d.string(val, &[k.to_string()], &mut api);
                }
            }
        }
        Value::Nil => {}
        other => d.mismatch(other, &[], "loader.chartBase"),
    }
    d.finish()?;
    Ok(api)
}

/// Decodes Chart.lock / requirements.lock. `Ok(None)` for a `null` document
/// (Go sets the `*Lock` back to nil).
pub(crate) fn decode_lock(data: &[u8], pkg: &'static str) -> Result<Option<Lock>, String> {
    let v = parse_yaml(data)?;
    let mut d = Decoder::new(pkg, data);
    let mut lock = Lock::default();
    match &v {
        Value::Nil => return Ok(None),
        Value::Map(m) => {
            const FIELDS: &[&str] = &["generated", "digest", "dependencies"];
            for (k, val) in m.entries.iter() {
                let mut path = vec![k.to_string()];
                match field_index(k, FIELDS) {
                    Some(0) => d.time(val, &path, &mut lock.generated),
                    Some(1) => d.string(val, &path, &mut lock.digest),
                    Some(2) => {
                        let mut nulls = None;
                        d.dependencies(val, &mut path, &mut lock.dependencies, &mut nulls);
                    }
                    _ => {}
                }
            }
        }
        other => d.mismatch(other, &[], &format!("{pkg}.Lock")),
    }
    d.finish()?;
    Ok(Some(lock))
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

/// encoding/json's field lookup: an exact match wins, else the first
/// case-insensitive one.
fn field_index(key: &str, fields: &[&str]) -> Option<usize> {
    fields.iter().position(|f| *f == key).or_else(|| fields.iter().position(|f| fold_eq(f, key)))
}

fn fold_eq(a: &str, b: &str) -> bool {
    a.chars().flat_map(char::to_lowercase).eq(b.chars().flat_map(char::to_lowercase))
}

struct Decoder {
    first_error: Option<String>,
    /// The Go package of the structs, `v2` or `v3`, as type errors name it.
    pkg: &'static str,
    /// The YAML text, where numbers bound for strings find their spelling.
    src: String,
}

impl Decoder {
    fn new(pkg: &'static str, data: &[u8]) -> Decoder {
        Decoder { first_error: None, pkg, src: crate::utf8::lossy(data).into_owned() }
    }
}

impl Decoder {
    fn finish(self) -> Result<(), String> {
        match self.first_error {
            Some(e) => Err(format!("error unmarshaling JSON: while decoding JSON: {e}")),
            None => Ok(()),
        }
    }

    /// Records Go's `UnmarshalTypeError` text; only the first is kept.
    fn mismatch(&mut self, v: &Value, path: &[String], ty: &str) {
        if self.first_error.is_some() {
            return;
        }
        let kind = json_kind(v);
        let place = if path.is_empty() {
            "Go value".to_string()
        } else if path.last().is_some_and(|p| p.starts_with('#')) {
            format!(".{}", display_path(path))
        } else {
            format!("Go struct field .{}", display_path(path))
        };
        self.first_error = Some(format!("json: cannot unmarshal {kind} into {place} of type {ty}"));
    }

    fn metadata_fields(
        &mut self,
        m: &std::collections::BTreeMap<Arc<str>, Value>,
        st: &mut MetaState,
        path: &mut Vec<String>,
    ) {
        for (k, v) in m.iter() {
            let Some(i) = field_index(k, METADATA_FIELDS) else { continue };
            path.push(k.to_string());
            let md = &mut st.md;
            match i {
                0 => self.string(v, path, &mut md.name),
                1 => self.string(v, path, &mut md.home),
                2 => self.strings(v, path, &mut md.sources),
                3 => self.string(v, path, &mut md.version),
                4 => self.string(v, path, &mut md.description),
                5 => self.strings(v, path, &mut md.keywords),
                6 => self.maintainers(v, path, st),
                7 => self.string(v, path, &mut md.icon),
                8 => self.string(v, path, &mut md.api_version),
                9 => self.string(v, path, &mut md.condition),
                10 => self.string(v, path, &mut md.tags),
                11 => self.string(v, path, &mut md.app_version),
                12 => self.boolean(v, path, &mut md.deprecated),
                13 => self.annotations(v, path, &mut md.annotations),
                14 => self.string(v, path, &mut md.kube_version),
                15 => self.dependencies(v, path, &mut st.md.dependencies, &mut st.null_dependency),
                _ => self.string(v, path, &mut md.chart_type),
            }
            path.pop();
        }
    }

    /// A string field: YAML scalars are turned into strings before JSON.
    fn string(&mut self, v: &Value, path: &[String], out: &mut String) {
        match v {
            Value::Nil => {}
            Value::Str(s) => *out = s.to_string(),
            Value::Bool(b) => *out = b.to_string(),
            Value::Float(f) => *out = super::numtext::number_text(&self.src, path.last().map(String::as_str), *f),
            other => self.mismatch(other, path, "string"),
        }
    }

    fn boolean(&mut self, v: &Value, path: &[String], out: &mut bool) {
        match v {
            Value::Nil => {}
            Value::Bool(b) => *out = *b,
            other => self.mismatch(other, path, "bool"),
        }
    }

    fn strings(&mut self, v: &Value, path: &mut Vec<String>, out: &mut Vec<String>) {
        match v {
            Value::Nil => out.clear(),
            Value::List(l) => {
                out.clear();
                for (i, item) in l.items.iter().enumerate() {
                    path.push(format!("#{i}"));
                    let mut s = String::new();
                    self.string(item, path, &mut s);
                    out.push(s);
                    path.pop();
                }
            }
            other => self.mismatch(other, path, "[]string"),
        }
    }

    fn annotations(&mut self, v: &Value, path: &mut Vec<String>, out: &mut std::collections::BTreeMap<String, String>) {
        match v {
            Value::Nil => out.clear(),
            Value::Map(m) => {
                for (k, item) in m.entries.iter() {
                    path.push(k.to_string());
                    let mut s = out.get(&**k).cloned().unwrap_or_default();
                    self.string(item, path, &mut s);
                    out.insert(k.to_string(), s);
                    path.pop();
                }
            }
            other => self.mismatch(other, path, "map[string]string"),
        }
    }

    fn maintainers(&mut self, v: &Value, path: &mut Vec<String>, st: &mut MetaState) {
        match v {
            Value::Nil => {
                st.md.maintainers.clear();
                st.null_maintainer = false;
            }
            Value::List(l) => {
                st.md.maintainers.clear();
                st.null_maintainer = false;
                for (i, item) in l.items.iter().enumerate() {
                    path.push(format!("#{i}"));
                    let mut m = Maintainer::default();
                    match item {
                        Value::Nil => st.null_maintainer = true,
                        Value::Map(fields) => {
                            for (k, fv) in fields.entries.iter() {
                                let Some(fi) = field_index(k, &["name", "email", "url"]) else { continue };
                                path.push(k.to_string());
                                let target = match fi {
                                    0 => &mut m.name,
                                    1 => &mut m.email,
                                    _ => &mut m.url,
                                };
                                self.string(fv, path, target);
                                path.pop();
                            }
                        }
                        other => self.mismatch(other, path, &format!("{}.Maintainer", self.pkg)),
                    }
                    st.md.maintainers.push(m);
                    path.pop();
                }
            }
            other => self.mismatch(other, path, &format!("[]*{}.Maintainer", self.pkg)),
        }
    }

    fn dependencies(
        &mut self,
        v: &Value,
        path: &mut Vec<String>,
        out: &mut Vec<Dependency>,
        nulls: &mut Option<usize>,
    ) {
        match v {
            Value::Nil => {
                out.clear();
                *nulls = None;
            }
            Value::List(l) => {
                out.clear();
                *nulls = None;
                for (i, item) in l.items.iter().enumerate() {
                    path.push(format!("#{i}"));
                    let mut d = Dependency::default();
                    match item {
                        Value::Nil => {
                            nulls.get_or_insert(i);
                        }
                        Value::Map(fields) => self.dependency_fields(&fields.entries, path, &mut d),
                        other => self.mismatch(other, path, &format!("{}.Dependency", self.pkg)),
                    }
                    out.push(d);
                    path.pop();
                }
            }
            other => self.mismatch(other, path, &format!("[]*{}.Dependency", self.pkg)),
        }
    }

    fn dependency_fields(
        &mut self,
        fields: &std::collections::BTreeMap<Arc<str>, Value>,
        path: &mut Vec<String>,
        d: &mut Dependency,
    ) {
        const FIELDS: &[&str] =
            &["name", "version", "repository", "condition", "tags", "enabled", "import-values", "alias"];
        for (k, v) in fields.iter() {
            let Some(i) = field_index(k, FIELDS) else { continue };
            path.push(k.to_string());
            match i {
                0 => self.string(v, path, &mut d.name),
                1 => self.string(v, path, &mut d.version),
                2 => self.string(v, path, &mut d.repository),
                3 => self.string(v, path, &mut d.condition),
                4 => self.strings(v, path, &mut d.tags),
                5 => self.boolean(v, path, &mut d.enabled),
                6 => match v {
                    Value::Nil => d.import_values.clear(),
                    Value::List(l) => d.import_values = l.items.to_vec(),
                    other => self.mismatch(other, path, "[]interface {}"),
                },
                _ => self.string(v, path, &mut d.alias),
            }
            path.pop();
        }
    }

    /// `time.Time` from JSON: an RFC 3339 string, kept as written; `null`
    /// is a no-op.
    fn time(&mut self, v: &Value, path: &[String], out: &mut String) {
        match v {
            Value::Nil => {}
            Value::Str(s) => match super::gotime::check_rfc3339(s) {
                Ok(()) => *out = s.to_string(),
                Err(e) => {
                    self.first_error.get_or_insert(e);
                }
            },
            other => self.mismatch(other, path, "time.Time"),
        }
    }
}

fn display_path(path: &[String]) -> String {
    path.iter().map(|p| p.strip_prefix('#').unwrap_or(p)).collect::<Vec<_>>().join(".")
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Nil => "null",
        Value::Bool(_) => "bool",
        Value::Float(_) | Value::Int(_) | Value::Int64(_) | Value::Uint8(_) => "number",
        Value::Str(_) => "string",
        Value::List(_) => "array",
        _ => "object",
    }
}

/// `strconv.FormatFloat(f, 'g', -1, 32)`.
pub(crate) fn format_float32_g(f: f64) -> String {
    let x = f as f32;
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "+Inf" } else { "-Inf" }.into();
    }
    // The shortest float32 digits, read back as a float64, print with the
    // same digits under Go's shortest float64 'g'.
    let digits: f64 = format!("{x:e}").parse().unwrap_or(f);
    rhelm_template::strconv::format_float(digits, b'g', -1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float32_text() {
        assert_eq!(format_float32_g(1.1), "1.1");
        assert_eq!(format_float32_g(0.1), "0.1");
        assert_eq!(format_float32_g(1e21), "1e+21");
        assert_eq!(format_float32_g(123456.7), "123456.7");
        assert_eq!(format_float32_g(1234567.8), "1.2345678e+06");
    }
}
