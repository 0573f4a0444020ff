//! Small helpers to write Go structs the way `encoding/json` marshals them
//! (struct field order, omitempty) and to read them back from the decoded
//! `interface{}` tree that rhelm-functions' Go JSON decoder produces.

use std::collections::BTreeMap;
use std::sync::Arc;

use rhelm_functions::json;
use rhelm_template::Value;

/// A JSON object under construction: fields in the order they are added.
pub struct Obj<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> Obj<'a> {
    pub fn new(out: &'a mut String) -> Obj<'a> {
        out.push('{');
        Obj { out, first: true }
    }

    /// Starts a field and returns the buffer to write its value into.
    pub fn key(&mut self, k: &str) -> &mut String {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        json::write_string(self.out, k, true);
        self.out.push(':');
        self.out
    }

    pub fn str(&mut self, k: &str, v: &str) {
        let out = self.key(k);
        json::write_string(out, v, true);
    }

    pub fn str_omitempty(&mut self, k: &str, v: &str) {
        if !v.is_empty() {
            self.str(k, v);
        }
    }

    pub fn int_omitempty(&mut self, k: &str, v: i64) {
        if v != 0 {
            self.key(k).push_str(&v.to_string());
        }
    }

    pub fn raw(&mut self, k: &str, v: &str) {
        self.key(k).push_str(v);
    }

    pub fn strs_omitempty(&mut self, k: &str, v: &[String]) {
        if !v.is_empty() {
            let out = self.key(k);
            write_strs(out, v);
        }
    }

    pub fn end(self) {
        self.out.push('}');
    }
}

pub fn write_strs(out: &mut String, v: &[String]) {
    out.push('[');
    for (i, s) in v.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json::write_string(out, s, true);
    }
    out.push(']');
}

pub fn write_value(out: &mut String, v: &Value) -> Result<(), String> {
    let s = json::to_string(v, true).map_err(|e| e.to_string())?;
    out.push_str(&s);
    Ok(())
}

pub fn write_map(out: &mut String, m: &BTreeMap<Arc<str>, Value>) -> Result<(), String> {
    write_value(out, &Value::map(m.clone()))
}

// ---------------------------------------------------------------------------
// Reading

/// A decoded JSON object (or nothing, for `null` and absent fields).
pub struct Fields<'a>(Option<&'a BTreeMap<Arc<str>, Value>>);

impl<'a> Fields<'a> {
    pub fn of(v: &'a Value, what: &str) -> Result<Fields<'a>, String> {
        match v {
            Value::Map(m) => Ok(Fields(Some(&m.entries))),
            Value::Nil => Ok(Fields(None)),
            other => Err(format!("json: cannot unmarshal {} into Go value of type {what}", kind(other))),
        }
    }

    pub fn get(&self, k: &str) -> Option<&'a Value> {
        self.0.and_then(|m| m.get(k)).filter(|v| !v.is_nil())
    }

    pub fn str(&self, k: &str) -> Result<String, String> {
        match self.get(k) {
            None => Ok(String::new()),
            Some(Value::Str(s)) => Ok(s.to_string()),
            Some(other) => Err(type_err(other, k, "string")),
        }
    }

    pub fn int(&self, k: &str) -> Result<i64, String> {
        match self.get(k) {
            None => Ok(0),
            Some(Value::Float(f)) if f.fract() == 0.0 => Ok(*f as i64),
            Some(Value::Int(i) | Value::Int64(i)) => Ok(*i),
            Some(other) => Err(type_err(other, k, "int")),
        }
    }

    pub fn bool(&self, k: &str) -> Result<bool, String> {
        match self.get(k) {
            None => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(other) => Err(type_err(other, k, "bool")),
        }
    }

    pub fn strs(&self, k: &str) -> Result<Vec<String>, String> {
        match self.get(k) {
            None => Ok(Vec::new()),
            Some(Value::List(l)) => l
                .items
                .iter()
                .map(|v| match v {
                    Value::Str(s) => Ok(s.to_string()),
                    Value::Nil => Ok(String::new()),
                    other => Err(type_err(other, k, "string")),
                })
                .collect(),
            Some(other) => Err(type_err(other, k, "[]string")),
        }
    }

    pub fn list(&self, k: &str) -> Result<Vec<Value>, String> {
        match self.get(k) {
            None => Ok(Vec::new()),
            Some(Value::List(l)) => Ok(l.items.to_vec()),
            Some(other) => Err(type_err(other, k, "slice")),
        }
    }

    pub fn map(&self, k: &str) -> Result<Option<BTreeMap<Arc<str>, Value>>, String> {
        match self.get(k) {
            None => Ok(None),
            Some(Value::Map(m)) => Ok(Some((*m.entries).clone())),
            Some(other) => Err(type_err(other, k, "map[string]interface {}")),
        }
    }

    /// A `[]byte` field: base64 text.
    pub fn bytes(&self, k: &str) -> Result<Option<Vec<u8>>, String> {
        use base64::Engine;
        match self.get(k) {
            None => Ok(None),
            Some(Value::Str(s)) => base64::engine::general_purpose::STANDARD
                .decode(s.as_bytes())
                .map(Some)
                .map_err(|e| format!("illegal base64 data in field {k}: {e}")),
            Some(other) => Err(type_err(other, k, "[]uint8")),
        }
    }

    /// A `time.Time` field; absent, null, the empty string (v4 accepts it)
    /// and Go's zero time all mean no time.
    pub fn time(&self, k: &str) -> Result<Option<crate::time::Time>, String> {
        match self.get(k) {
            None => Ok(None),
            Some(Value::Str(s)) if s.is_empty() => Ok(None),
            Some(Value::Str(s)) => {
                let t = crate::time::parse_rfc3339(s)?;
                Ok(if t.is_zero() { None } else { Some(t) })
            }
            Some(other) => Err(type_err(other, k, "time.Time")),
        }
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Nil => "null",
        Value::Bool(_) => "bool",
        Value::Str(_) | Value::Bytes(_) => "string",
        Value::List(_) => "array",
        Value::Map(_) => "object",
        _ => "number",
    }
}

fn type_err(v: &Value, field: &str, go: &str) -> String {
    format!("json: cannot unmarshal {} into Go struct field .{field} of type {go}", kind(v))
}

pub fn b64(data: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(data)
}
