//! Shared helpers for the template crate's tests.
#![allow(dead_code)] // each test binary uses only part of it

use std::sync::Arc;

use rhelm_template::{Error, ErrorKind, Value};

/// JSON to values the way Helm decodes them (every number a float64).
pub fn from_json(j: &serde_json::Value) -> Value {
    match j {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap_or(0.0)),
        serde_json::Value::String(s) => Value::str(s),
        serde_json::Value::Array(a) => Value::list(a.iter().map(from_json).collect()),
        serde_json::Value::Object(o) => Value::map(o.iter().map(|(k, v)| (Arc::from(k.as_str()), from_json(v))).collect()),
    }
}

/// The text Helm prints for a template error (pkg/engine: cleanupParseError
/// and reformatExecErrorMsg), so goldens taken from Helm's stderr compare.
pub fn helm_error_text(e: &Error) -> String {
    let message = e.message();
    if e.kind() == ErrorKind::Parse {
        let tokens: Vec<&str> = message.split(": ").collect();
        if tokens.len() == 1 {
            return format!("parse error in ({}): {message}", e.template().unwrap_or(""));
        }
        return format!("parse error at ({}): {}", tokens[1], tokens[tokens.len() - 1]);
    }
    if e.kind() != ErrorKind::Exec {
        return message.to_string();
    }
    // Go's error chain: the ExecError, its message, then any wrapped cause.
    let mut chain = vec![message.to_string(), message.to_string()];
    let mut cause = e.cause();
    while let Some(c) = cause {
        chain.push(c.message().to_string());
        cause = c.cause();
    }
    let mut traces: Vec<[String; 3]> = Vec::new();
    for m in &chain {
        match parse_exec_error(m) {
            Some(t) => {
                if traces.last() != Some(&t) {
                    traces.push(t);
                }
            }
            None => return message.to_string(),
        }
    }
    let mut out = String::new();
    for [location, function, msg] in traces {
        if !location.is_empty() {
            out.push_str(&format!("{location}\n  "));
        }
        if !function.is_empty() {
            out.push_str(&format!("{function}\n    "));
        }
        if !msg.is_empty() {
            out.push_str(&format!("{msg}\n"));
        }
    }
    out.trim().to_string()
}

/// Helm's parseTemplateExecErrorString: [location, executed function, message].
fn parse_exec_error(s: &str) -> Option<[String; 3]> {
    let rest = s.strip_prefix("template: ")?;
    if rest.starts_with("no template ") {
        return Some([String::new(), String::new(), s.to_string()]);
    }
    let cut_chain = |m: &str| match m.find(" template:") {
        Some(i) => m[..i].to_string(),
        None => m.to_string(),
    };
    if let Some((name, after)) = rest.split_once(": executing ") {
        let after = after.strip_prefix('"')?;
        let end = after.find('"')?;
        let function = &after[..end];
        let after_at = after[end + 1..].strip_prefix(" at <")?;
        let (loc, msg) = after_at.split_once(">: ")?;
        return Some([name.to_string(), format!("executing \"{function}\" at <{loc}>:"), cut_chain(msg)]);
    }
    let sep = rest.rfind(": ")?;
    Some([rest[..sep].to_string(), String::new(), cut_chain(&rest[sep + 2..])])
}
