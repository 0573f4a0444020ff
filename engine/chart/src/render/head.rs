//! Decoding a rendered document's head as Helm does: sigs.k8s.io/yaml into
//! `SimpleHead{apiVersion, kind, metadata{name, annotations}}`. Scalars
//! bound for string fields become strings (sigs.k8s.io/yaml converts them
//! using the target type); maps or lists there are JSON type errors.

use std::collections::BTreeMap;

use rhelm_template::Value;

use crate::manifest::Head;

const PREFIX: &str = "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal";

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Bool(_) => "bool",
        Value::Float(_) | Value::Int(_) | Value::Int64(_) => "number",
        Value::Str(_) => "string",
        Value::List(_) => "array",
        _ => "object",
    }
}

/// A scalar as the string sigs.k8s.io/yaml makes of it for a string field;
/// `Err(kind)` for a map or list.
fn scalar_string(v: &Value) -> Result<Option<String>, &'static str> {
    Ok(Some(match v {
        Value::Nil => return Ok(None),
        Value::Str(s) => s.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) | Value::Int64(i) => i.to_string(),
        Value::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", *f as i64)
            } else {
                rhelm_template::strconv::format_float(*f, b'g', -1)
            }
        }
        other => return Err(json_kind(other)),
    }))
}

fn field_error(kind: &str, field: &str, typ: &str) -> String {
    format!("{PREFIX} {kind} into Go struct field .{field} of type {typ}")
}

fn get<'a>(m: &'a rhelm_template::Map, k: &str) -> Option<&'a Value> {
    m.entries.get(k).filter(|v| !v.is_nil())
}

/// The head parser `helm template` uses (errors are Helm's texts, without
/// the `YAML parse error on <file>: ` the sorter adds).
pub fn parse_head(doc: &str) -> Result<Head, String> {
    let v = rhelm_functions::yaml::from_str(doc).map_err(|e| e.to_string())?;
    let m = match &v {
        Value::Nil => return Ok(Head::default()),
        Value::Map(m) => m.clone(),
        other => return Err(format!("{PREFIX} {} into Go value of type util.SimpleHead", json_kind(other))),
    };
    let mut head = Head::default();
    let string_field = |name: &str| -> Result<Option<String>, String> {
        match get(&m, name) {
            None => Ok(None),
            Some(v) => scalar_string(v).map_err(|k| field_error(k, name, "string")),
        }
    };
    head.api_version = string_field("apiVersion")?;
    head.kind = string_field("kind")?;
    match get(&m, "metadata") {
        None => {}
        Some(Value::Map(md)) => {
            match get(md, "annotations") {
                None => {}
                Some(Value::Map(a)) => {
                    let mut out = BTreeMap::new();
                    for (k, v) in a.entries.iter() {
                        let s = scalar_string(v)
                            .map_err(|kind| field_error(kind, &format!("metadata.annotations.{k}"), "string"))?;
                        out.insert(k.to_string(), s.unwrap_or_default());
                    }
                    head.annotations = Some(out);
                }
                Some(other) => {
                    return Err(field_error(json_kind(other), "metadata.annotations", "map[string]string"));
                }
            }
            if let Some(v) = get(md, "name") {
                head.name = scalar_string(v).map_err(|k| field_error(k, "metadata.name", "string"))?;
            }
        }
        Some(other) => return Err(field_error(
            json_kind(other),
            "metadata",
            "struct { Name string \"json:\\\"name\\\"\"; Annotations map[string]string \"json:\\\"annotations\\\"\" }",
        )),
    }
    Ok(head)
}
