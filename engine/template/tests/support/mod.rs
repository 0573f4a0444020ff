//! Shared helpers for the template crate's tests.
#![allow(dead_code)] // each test binary uses only part of it

use std::sync::Arc;

use rhelm_template::Value;

/// JSON to values the way Helm decodes them (every number a float64).
pub fn from_json(j: &serde_json::Value) -> Value {
    match j {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap_or(0.0)),
        serde_json::Value::String(s) => Value::str(s),
        serde_json::Value::Array(a) => Value::list(a.iter().map(from_json).collect()),
        serde_json::Value::Object(o) => {
            Value::map(o.iter().map(|(k, v)| (Arc::from(k.as_str()), from_json(v))).collect())
        }
    }
}
