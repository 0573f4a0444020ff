//! YAML as Helm 4.3.1 reads and writes it.
//!
//! * Reading ([`from_str`], [`from_str_map`], [`from_str_list`]) is
//!   sigs.k8s.io/yaml's `Unmarshal`: go-yaml v2 (YAML 1.1: `yes`/`on`/`y`
//!   are booleans, also as keys; `017` is octal; anchors, aliases and `<<`
//!   merge keys), only the first document, keys made strings, and every
//!   number a float64 after a JSON round trip. Errors read as Go's.
//! * [`to_string_v2`] is `toYaml` (sigs.k8s.io/yaml `Marshal`: JSON round
//!   trip, then go-yaml v2: natural key order, sequences not indented under
//!   keys, long plain strings folded at 80 columns).
//! * [`to_string_v3`] is `toYamlPretty` (a go-yaml v3 encoder with indent 2
//!   on the value itself: floats stay floats, sequences are indented).

mod block;
mod decode;
mod emit;
mod fast;
mod flow;
mod gosort;
mod node;
mod resolve;
#[doc(hidden)]
pub mod roundtrip;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use rhelm_template::{Error, FuncMap, Function, Type, Value};

use resolve::Flavor;

/// A YAML error; `Display` is the text Go's `err.Error()` gives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError(String);

impl YamlError {
    fn new(msg: impl Into<String>) -> YamlError {
        YamlError(msg.into())
    }

    pub fn message(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for YamlError {}

/// sigs.k8s.io/yaml `Unmarshal` into an `interface{}`: the first document,
/// `Value::Nil` when there is none.
pub fn from_str(src: &str) -> Result<Value, YamlError> {
    decode::unmarshal(src)
}

/// sigs.k8s.io/yaml `YAMLToJSON` of the first document: a Kubernetes object
/// as the API server is sent it (integers stay integers).
pub fn to_json(src: &str) -> Result<serde_json::Value, YamlError> {
    decode::to_json(src)
}

/// `Unmarshal` into a `map[string]interface{}` (values files, `fromYaml`).
/// A document that is empty or `null` gives an empty map.
pub fn from_str_map(src: &str) -> Result<BTreeMap<Arc<str>, Value>, YamlError> {
    match from_str(src)? {
        Value::Map(m) => Ok((*m.entries).clone()),
        Value::Nil => Ok(BTreeMap::new()),
        other => Err(target_error(&other, "map[string]interface {}")),
    }
}

/// `Unmarshal` into a `[]interface{}` (`fromYamlArray`).
pub fn from_str_list(src: &str) -> Result<Vec<Value>, YamlError> {
    match from_str(src)? {
        Value::List(l) => Ok((*l.items).clone()),
        Value::Nil => Ok(Vec::new()),
        other => Err(target_error(&other, "[]interface {}")),
    }
}

fn target_error(v: &Value, target: &str) -> YamlError {
    let kind = match v {
        Value::Bool(_) => "bool",
        Value::Float(_) => "number",
        Value::Str(_) => "string",
        Value::List(_) => "array",
        _ => "object",
    };
    YamlError::new(format!(
        "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {kind} into Go value of type {target}"
    ))
}

/// A values file as Helm's `loader.LoadValues` reads it: split into
/// documents at `---` lines (k8s.io `YAMLReader`), each read with
/// [`from_str_map`], merged left to right (nested maps merge, anything
/// else is replaced). Errors carry Helm's wording, without the
/// `failed to parse <file>: ` prefix the caller adds.
pub fn load_values(src: &str) -> Result<BTreeMap<Arc<str>, Value>, YamlError> {
    let mut values = BTreeMap::new();
    for doc in split_documents(src)? {
        let current = from_str_map(&doc).map_err(|e| YamlError::new(format!("cannot unmarshal yaml document: {e}")))?;
        values = merge_maps(values, current);
    }
    Ok(values)
}

/// k8s.io/apimachinery's `YAMLReader`: documents separated by lines that
/// start with `---`, which may be followed only by blanks or a comment.
/// Empty documents are skipped. A final newline is added first, as Helm does.
pub fn split_documents(src: &str) -> Result<Vec<String>, YamlError> {
    // Most values files have no separator line: one copy instead of one
    // push per line.
    if !src.starts_with("---") && !src.contains("\n---") {
        if src.is_empty() {
            return Ok(Vec::new());
        }
        let mut doc = String::with_capacity(src.len() + 1);
        doc.push_str(src);
        if !doc.ends_with('\n') {
            doc.push('\n');
        }
        return Ok(vec![doc]);
    }
    let mut docs = Vec::new();
    let mut buffer = String::new();
    for line in src.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix("---") {
            let trimmed = rest.trim();
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                return Err(YamlError::new(format!(
                    "error reading yaml document: invalid Yaml document separator: {trimmed}"
                )));
            }
            if !buffer.is_empty() {
                docs.push(std::mem::take(&mut buffer));
            }
            continue;
        }
        buffer.push_str(line);
    }
    if !buffer.is_empty() {
        if !buffer.ends_with('\n') {
            buffer.push('\n');
        }
        docs.push(buffer);
    }
    Ok(docs)
}

/// Helm's `MergeMaps`: `b` wins, nested maps merge recursively.
pub fn merge_maps(a: BTreeMap<Arc<str>, Value>, b: BTreeMap<Arc<str>, Value>) -> BTreeMap<Arc<str>, Value> {
    let mut out = a;
    for (k, v) in b {
        let merged = match (out.remove(&k), v) {
            (Some(Value::Map(old)), Value::Map(new)) if old.elem == rhelm_template::Elem::Any => {
                Value::map(merge_maps((*old.entries).clone(), (*new.entries).clone()))
            }
            (_, v) => v,
        };
        out.insert(k, merged);
    }
    out
}

/// sigs.k8s.io/yaml `Marshal` (Helm's `toYaml` before it trims the final newline).
pub fn to_string_v2(v: &Value) -> Result<String, YamlError> {
    with_stack_for(value_depth(v), || Ok(emit::emit_document(&node::from_value_via_json(v)?, Flavor::V2)))
}

/// A go-yaml v3 `Encoder` with `SetIndent(2)` (Helm's `toYamlPretty` before it trims the final newline).
pub fn to_string_v3(v: &Value) -> Result<String, YamlError> {
    with_stack_for(value_depth(v), || Ok(emit::emit_document(&node::from_value_v3(v)?, Flavor::V3)))
}

/// Runs `f` on a thread with a large stack when `depth` is large. The
/// encoders and decoders recurse once per nesting level, and Go, whose
/// stacks grow, takes documents thousands of levels deep.
pub(crate) fn with_stack_for<T: Send>(depth: usize, f: impl FnOnce() -> T + Send) -> T {
    const INLINE_DEPTH: usize = 64;
    const BIG_STACK: usize = 512 << 20;
    if depth <= INLINE_DEPTH {
        return f();
    }
    let job = std::sync::Mutex::new(Some(f));
    let take = || job.lock().ok().and_then(|mut slot| slot.take()).expect("the job runs once");
    std::thread::scope(|scope| {
        match std::thread::Builder::new().stack_size(BIG_STACK).spawn_scoped(scope, || take()()) {
            Ok(handle) => handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            // No thread to be had: try on this stack.
            Err(_) => take()(),
        }
    })
}

/// The nesting depth of a value, found without recursion.
pub(crate) fn value_depth(v: &Value) -> usize {
    let mut max = 0;
    let mut stack = vec![(v, 1usize)];
    while let Some((v, d)) = stack.pop() {
        max = max.max(d);
        match v {
            Value::List(l) => stack.extend(l.items.iter().map(|i| (i, d + 1))),
            Value::Map(m) => stack.extend(m.entries.values().map(|i| (i, d + 1))),
            _ => {}
        }
    }
    max
}

/// Standard base64 with padding, as Go's `encoding/json` writes `[]byte`.
pub(crate) fn base64_std(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
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

/// Helm's YAML functions, and its JSON ones that replace Sprig's (this runs
/// after Sprig's registrations, so Helm's `fromJson` wins as in Helm).
pub fn register(m: &mut FuncMap) {
    m.insert("toYaml", Function::new(&[Type::Any], None, |a| Ok(trimmed(to_string_v2(&a[0]).unwrap_or_default()))));
    m.insert(
        "mustToYaml",
        Function::new(&[Type::Any], None, |a| to_string_v2(&a[0]).map(trimmed).map_err(|e| Error::msg(e.to_string()))),
    );
    m.insert(
        "toYamlPretty",
        Function::new(&[Type::Any], None, |a| match to_string_v3(&a[0]) {
            Ok(s) => Ok(trimmed(s)),
            // go-yaml v3 panics (rather than failing) on unsupported types;
            // text/template reports the panic as the call's error.
            Err(e) if e.0.starts_with("cannot marshal type") => Err(Error::msg(e.0)),
            Err(_) => Ok(Value::str("")),
        }),
    );
    m.insert(
        "fromYaml",
        Function::new(&[Type::String], None, |a| {
            let src = a[0].as_str().unwrap_or("");
            Ok(Value::map(
                from_str_map(src)
                    .unwrap_or_else(|e| BTreeMap::from([(Arc::from("Error"), Value::string(e.to_string()))])),
            ))
        }),
    );
    m.insert(
        "fromYamlArray",
        Function::new(&[Type::String], None, |a| {
            let src = a[0].as_str().unwrap_or("");
            Ok(Value::list(from_str_list(src).unwrap_or_else(|e| vec![Value::string(e.to_string())])))
        }),
    );
    crate::json::register_helm(m);
}

/// Helm trims exactly one trailing newline.
fn trimmed(s: String) -> Value {
    Value::str(s.strip_suffix('\n').unwrap_or(&s))
}

#[cfg(test)]
mod tests;
