//! Helm's own functions: include, tpl, required, fail, lookup, getHostByName,
//! and the duration functions of 4.3. Also Helm's wording of template errors.

use rhelm_template::{Error, ErrorKind, FuncMap};

pub fn register(_m: &mut FuncMap) {}

/// The text Helm prints for a template error (`pkg/engine/engine.go`:
/// `cleanupParseError` and `reformatExecErrorMsg`): parse errors keep only the
/// location and the last message; execution errors become a trace of
/// `file:line:col` / `executing "name" at <node>:` / message lines, one per
/// distinct link of Go's error chain, unless a link is not a template error
/// (a function's own error), in which case Go's raw text is kept.
pub fn error_text(e: &Error) -> String {
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
    // Go's chain: the ExecError, the error it wraps (same text), then any cause.
    let mut chain = vec![message, message];
    let mut cause = e.cause();
    while let Some(c) = cause {
        chain.push(c.message());
        cause = c.cause();
    }
    let mut traces: Vec<[String; 3]> = Vec::new();
    for m in chain {
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
            out.push_str(&location);
            out.push_str("\n  ");
        }
        if !function.is_empty() {
            out.push_str(&function);
            out.push_str("\n    ");
        }
        if !msg.is_empty() {
            out.push_str(&msg);
            out.push('\n');
        }
    }
    out.trim().to_string()
}

/// Helm's `parseTemplateExecErrorString`: [location, executed function, message].
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
