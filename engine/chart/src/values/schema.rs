//! `values.schema.json` validation (`ValidateAgainstSchema` in
//! `pkg/chart/common/util/jsonschema.go`).
//!
//! Helm uses santhosh-tekuri/jsonschema/v6; `boon` is the same author's Rust
//! port and words its errors the same way (`at '/port': minimum: got 0,
//! want 1`), which is why it is used here rather than the `jsonschema` crate,
//! whose messages differ. Draft 2020-12 is the default, `$schema` is honoured.
//! `$ref`s to `file:` URLs load; http(s) and urn references do not yet.

use rhelm_template::Value;
use serde_json::Value as Json;

use crate::chart::{Chart, Values};

const SCHEMA_URL: &str = "file:///values.schema.json";

/// Validates the whole chart tree: each chart with a schema against its
/// values, each subchart against `values[<name>]` when that is present and
/// not null. The error is the text Helm prints after `Error: `.
pub fn validate_against_schema(chart: &Chart, values: &Values) -> Result<(), String> {
    match tree_errors(chart, values) {
        None => Ok(()),
        Some(e) => Err(format!("values don't meet the specifications of the schema(s) in the following chart(s):\n{e}")),
    }
}

fn tree_errors(chart: &Chart, values: &Values) -> Option<String> {
    let mut out = String::new();
    if let Some(schema) = &chart.schema {
        if let Err(e) = validate_single_schema(values, schema) {
            out.push_str(&format!("{}:\n{e}", chart.name()));
        }
    }
    for sub in &chart.dependencies {
        match values.get(sub.name()) {
            None | Some(Value::Nil) => {}
            Some(Value::Map(m)) if m.elem == rhelm_template::Elem::Any => {
                if let Some(e) = tree_errors(sub, &m.entries) {
                    out.push_str(&e);
                }
            }
            Some(other) => out.push_str(&format!(
                "{}:\ninvalid type for values: expected object (map), got {}\n",
                sub.name(),
                other.type_name()
            )),
        }
    }
    (!out.is_empty()).then_some(out)
}

/// One schema against one values map (`ValidateAgainstSingleSchema`): the
/// failures, one `- at '<pointer>': <message>` line each, ending in a newline.
pub fn validate_single_schema(values: &Values, schema: &[u8]) -> Result<(), String> {
    let schema_json: Json = match serde_json::from_slice(schema) {
        Ok(j) => j,
        Err(e) => {
            let text = String::from_utf8_lossy(schema);
            return Err(match rhelm_functions::json::from_str(&text) {
                Err(go) => go.message().to_string(),
                Ok(_) => e.to_string(),
            });
        }
    };
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.set_default_draft(boon::Draft::V2020_12);
    compiler.add_resource(SCHEMA_URL, schema_json).map_err(|e| e.to_string())?;
    let index = compiler.compile(SCHEMA_URL, &mut schemas).map_err(|e| e.to_string())?;
    let instance = Json::Object(values.iter().map(|(k, v)| (k.to_string(), to_json(v))).collect());
    match schemas.validate(&instance, index) {
        Ok(()) => Ok(()),
        Err(e) => {
            let text = e.to_string();
            // Helm strips the first line, which names the schema.
            let body = match text.split_once('\n') {
                Some((first, rest)) if first.starts_with("jsonschema validation failed") => rest.to_string(),
                _ => text,
            };
            Err(format!("{body}\n"))
        }
    }
}

/// A value as jsonschema sees Go's: whole floats are integers.
pub fn to_json(v: &Value) -> Json {
    match v {
        Value::Nil | Value::Object(_) | Value::Complex(..) => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) | Value::Int64(i) => Json::from(*i),
        Value::Uint8(u) => Json::from(*u),
        Value::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 9.0e15 {
                Json::from(*f as i64)
            } else {
                serde_json::Number::from_f64(*f).map(Json::Number).unwrap_or(Json::Null)
            }
        }
        Value::Str(s) => Json::String(s.to_string()),
        Value::Bytes(b) => Json::String(String::from_utf8_lossy(b).into_owned()),
        Value::List(l) => Json::Array(l.items.iter().map(to_json).collect()),
        Value::Map(m) => Json::Object(m.entries.iter().map(|(k, v)| (k.to_string(), to_json(v))).collect()),
    }
}
