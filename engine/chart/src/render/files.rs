//! `.Files`: Helm's `files` type, a `map[string][]byte` of a chart's
//! non-template files with methods (`pkg/engine/files.go`).

use std::any::Any;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use rhelm_template::{Elem, Object, ObjectKind, Type, Value};

use super::glob::Glob;
use crate::chart::File;
use crate::file_data::FileData;

/// A chart's files by name. Immutable, so clones share the data.
#[derive(Debug, Clone, Default)]
pub struct Files {
    map: BTreeMap<Arc<str>, FileData>,
}

impl Files {
    pub fn new(files: &[File]) -> Files {
        Files { map: files.iter().map(|f| (Arc::from(f.name.as_str()), f.data.clone())).collect() }
    }

    pub fn value(self) -> Value {
        Value::Object(Arc::new(self))
    }

    fn get_bytes(&self, name: &str) -> Arc<[u8]> {
        self.map.get(name).map(|d| d.shared().clone()).unwrap_or_else(|| Arc::from(&[][..]))
    }

    /// `Glob`: an invalid pattern matches everything, as Helm falls back to `**`.
    pub fn glob(&self, pattern: &str) -> Files {
        let g = Glob::compile(pattern).or_else(|| Glob::compile("**"));
        let map = self
            .map
            .iter()
            .filter(|(k, _)| g.as_ref().is_some_and(|g| g.is_match(k)))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Files { map }
    }

    /// `AsConfig`/`AsSecrets`: `toYaml` of base name → text. Helm fills a Go
    /// map, so with duplicate base names a random one wins; here the last in
    /// byte order of path does.
    fn as_yaml(&self, encode: impl Fn(&[u8]) -> String) -> String {
        let m: BTreeMap<Arc<str>, Value> =
            self.map.iter().map(|(k, v)| (Arc::from(base_name(k)), Value::string(encode(v)))).collect();
        match rhelm_functions::yaml::to_string_v2(&Value::map(m)) {
            Ok(s) => s.strip_suffix('\n').map(str::to_string).unwrap_or(s),
            Err(_) => String::new(),
        }
    }

    /// `Lines`: a missing or empty file gives `[]`; one final `\n` is dropped.
    fn lines(&self, name: &str) -> Vec<Value> {
        let Some(data) = self.map.get(name).filter(|d| !d.is_empty()) else { return Vec::new() };
        let s = crate::utf8::lossy(data);
        let s = s.strip_suffix('\n').unwrap_or(&s);
        s.split('\n').map(Value::str).collect()
    }

    fn as_map_value(&self) -> Value {
        Value::map(self.map.iter().map(|(k, v)| (k.clone(), Value::Bytes(v.shared().clone()))).collect())
    }
}

/// Go's `path.Base` for the cleaned relative names a chart holds.
fn base_name(p: &str) -> &str {
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return if p.is_empty() { "." } else { "/" };
    }
    t.rsplit('/').next().unwrap_or(t)
}

fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Checks a method's arguments as Go's reflection call does: count, then
/// each a string.
pub(crate) fn string_args<'a>(name: &str, args: &'a [Value], want: usize) -> Result<Vec<&'a str>, String> {
    if args.len() != want {
        return Err(format!("wrong number of args for {name}: want {want} got {}", args.len()));
    }
    args.iter()
        .map(|a| match a {
            Value::Str(s) => Ok(&**s),
            other => Err(format!("wrong type for value; expected string; got {}", other.type_name())),
        })
        .collect()
}

const METHODS: [&str; 7] = ["Get", "GetBytes", "Glob", "AsConfig", "AsSecrets", "Lines", "MarshalJSON"];

impl Object for Files {
    fn type_name(&self) -> Cow<'_, str> {
        Cow::Borrowed("engine.files")
    }

    fn kind(&self) -> ObjectKind {
        ObjectKind::Map
    }

    /// A map key (`.Files.name`); a missing one is a nil `[]byte`.
    fn field(&self, name: &str) -> Option<Value> {
        Some(Value::Bytes(self.get_bytes(name)))
    }

    fn has_method(&self, name: &str) -> bool {
        METHODS.contains(&name)
    }

    fn method_params(&self, name: &str) -> Option<&'static [Type]> {
        Some(match name {
            "AsConfig" | "AsSecrets" | "MarshalJSON" => &[],
            _ => &[Type::String],
        })
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Result<Value, String> {
        let arity = match name {
            "AsConfig" | "AsSecrets" | "MarshalJSON" => 0,
            _ => 1,
        };
        let a = string_args(name, args, arity)?;
        Ok(match name {
            "Get" => Value::string(crate::utf8::lossy(&self.get_bytes(a[0])).into_owned()),
            "GetBytes" => Value::Bytes(self.get_bytes(a[0])),
            "Glob" => self.glob(a[0]).value(),
            "AsConfig" => Value::string(self.as_yaml(|d| crate::utf8::lossy(d).into_owned())),
            "AsSecrets" => Value::string(self.as_yaml(base64)),
            "Lines" => Value::typed_list(Elem::String, self.lines(a[0])),
            // encoding/json writes map[string][]byte with base64 values.
            "MarshalJSON" => {
                Value::string(rhelm_functions::json::to_string(&self.as_map_value(), false).map_err(|e| e.to_string())?)
            }
            _ => return Err(format!("can't call method {name}")),
        })
    }

    fn format(&self, out: &mut String) {
        rhelm_template::fmt::write_value(out, &self.as_map_value());
    }

    fn len(&self) -> Option<usize> {
        Some(self.map.len())
    }

    fn truthy(&self) -> bool {
        !self.map.is_empty()
    }

    fn map_entries(&self) -> Option<Vec<(Arc<str>, Value)>> {
        Some(self.map.iter().map(|(k, v)| (k.clone(), Value::Bytes(v.shared().clone()))).collect())
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
