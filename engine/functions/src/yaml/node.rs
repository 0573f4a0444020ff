//! The values go-yaml works with, and their conversions from template values:
//! through JSON first for `toYaml` (sigs.k8s.io/yaml), directly for
//! `toYamlPretty` (go-yaml v3 on the Go value).

use rhelm_template::Value;

use super::gosort;
use super::resolve::{natural_less_chars, resolve, Flavor, Resolved};
use super::YamlError;
use crate::json;

/// A YAML value as go-yaml decodes into or encodes from `interface{}`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Node {
    Null,
    Bool(bool),
    /// Go `int`/`int64`.
    Int(i64),
    /// Go `uint64` (and `uint8`).
    Uint(u64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Entries in the order they are to be written (or were read).
    Map(Vec<(Node, Node)>),
}

/// What `yaml.Marshal` in sigs.k8s.io/yaml sees: the value after
/// `json.Marshal` and go-yaml v2's `Unmarshal` of that JSON. Numbers become
/// `int`, `uint64` or `float64` by how their JSON text resolves (`1.0`
/// prints as `1`), and map keys are sorted in go-yaml's natural order.
pub(crate) fn from_value_via_json(v: &Value) -> Result<Node, YamlError> {
    let marshal_err = |e: json::JsonError| YamlError::new(format!("error marshaling into JSON: {e}"));
    Ok(match v {
        Value::Nil => Node::Null,
        Value::Bool(b) => Node::Bool(*b),
        Value::Int(i) | Value::Int64(i) => Node::Int(*i),
        Value::Uint8(u) => Node::Int(i64::from(*u)),
        Value::Float(f) => {
            let text = json::format_number(*f).map_err(marshal_err)?;
            match resolve(&text, Flavor::V2) {
                Resolved::Int(i) => Node::Int(i),
                Resolved::Uint(u) => Node::Uint(u),
                _ => Node::Float(*f),
            }
        }
        Value::Complex(..) => {
            return Err(YamlError::new("error marshaling into JSON: json: unsupported type: complex128"))
        }
        Value::Str(s) => Node::Str(s.to_string()),
        Value::Bytes(b) => Node::Str(super::base64_std(b)),
        Value::List(l) => Node::Seq(l.items.iter().map(from_value_via_json).collect::<Result<_, _>>()?),
        Value::Map(m) => {
            let mut entries = m
                .entries
                .iter()
                .map(|(k, v)| Ok((Node::Str(k.to_string()), from_value_via_json(v)?)))
                .collect::<Result<Vec<_>, YamlError>>()?;
            sort_entries(&mut entries, Flavor::V2);
            Node::Map(entries)
        }
        Value::Object(_) => {
            let text = json::to_string(v, true).map_err(marshal_err)?;
            let decoded = json::from_str(&text).map_err(marshal_err)?;
            from_value_via_json(&decoded)?
        }
    })
}

/// What go-yaml v3's encoder sees of a Go value: numbers keep their Go
/// types, `[]byte` is a sequence of numbers, map keys sort in v3's order.
pub(crate) fn from_value_v3(v: &Value) -> Result<Node, YamlError> {
    Ok(match v {
        Value::Nil => Node::Null,
        Value::Bool(b) => Node::Bool(*b),
        Value::Int(i) | Value::Int64(i) => Node::Int(*i),
        Value::Uint8(u) => Node::Uint(u64::from(*u)),
        Value::Float(f) => Node::Float(*f),
        // go-yaml panics with a plain string, which text/template reports.
        Value::Complex(..) => return Err(YamlError::new("cannot marshal type: complex128")),
        Value::Str(s) => Node::Str(s.to_string()),
        Value::Bytes(b) => Node::Seq(b.iter().map(|&x| Node::Uint(u64::from(x))).collect()),
        Value::List(l) => Node::Seq(l.items.iter().map(from_value_v3).collect::<Result<_, _>>()?),
        Value::Map(m) => {
            let mut entries = m
                .entries
                .iter()
                .map(|(k, v)| Ok((Node::Str(k.to_string()), from_value_v3(v)?)))
                .collect::<Result<Vec<_>, YamlError>>()?;
            sort_entries(&mut entries, Flavor::V3);
            Node::Map(entries)
        }
        // Host objects: their text form where Go has a TextMarshaler, else
        // their JSON form (the closest description rhelm has of the struct).
        Value::Object(o) => {
            if o.has_method("MarshalText") {
                let text = o.call_method("MarshalText", &[]).map_err(YamlError::new)?;
                Node::Str(crate::conv::strval(&text))
            } else {
                let text = json::to_string(v, true).map_err(|e| YamlError::new(e.to_string()))?;
                from_value_v3(&json::from_str(&text).map_err(|e| YamlError::new(e.to_string()))?)?
            }
        }
    })
}

/// Sorts string-keyed entries in go-yaml's order (keys split into
/// characters once, not at every comparison).
fn sort_entries(entries: &mut Vec<(Node, Node)>, flavor: Flavor) {
    let mut keyed: Vec<(Vec<char>, (Node, Node))> = std::mem::take(entries)
        .into_iter()
        .map(|e| (if let Node::Str(k) = &e.0 { k.chars().collect() } else { Vec::new() }, e))
        .collect();
    gosort::sort(&mut keyed, &|a: &(Vec<char>, (Node, Node)), b: &(Vec<char>, (Node, Node))| {
        natural_less_chars(&a.0, &b.0, flavor)
    });
    entries.extend(keyed.into_iter().map(|(_, e)| e));
}
