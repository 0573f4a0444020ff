//! Helm's own functions (`pkg/engine/engine.go` initFunMap and funcs.go):
//! include, tpl, required, fail, lookup, getHostByName. Also Helm's wording
//! of template errors.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rhelm_template::{CallContext, Error, ErrorKind, FuncMap, Function, Overlay, Tree, Type, Value};

/// Parsed tpl texts of one render, by text (parse errors are cached too).
type TplCache = Mutex<HashMap<String, Result<Arc<[Arc<Tree>]>, Error>>>;

/// Helm's limit on nested `include`s of one name.
const RECURSION_MAX: usize = 1000;

/// Markers Helm puts around `required`/`fail` messages so that its error
/// formatter can print them as `execution error at (file:line:col): msg`.
const WARN_START: &str = "HELM_ERR_START";
const WARN_END: &str = "HELM_ERR_END";

/// How Helm's engine is configured for a render.
#[derive(Clone, Copy, Debug, Default)]
pub struct HelmOptions {
    /// `helm lint`: `required` and `fail` do not fail.
    pub lint_mode: bool,
}

thread_local! {
    /// The lines Helm's engine logs through slog while rendering in lint mode
    /// (`required` and `fail` hit). Helm writes them to stderr as they happen;
    /// they are kept per thread so that a caller (lint) can print them in
    /// order with its own log lines and concurrent renders never mix.
    static LINT_LOG: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Takes the log lines the lint-mode `required`/`fail` wrote on this thread.
pub fn take_lint_log() -> Vec<String> {
    LINT_LOG.with(|l| std::mem::take(&mut *l.borrow_mut()))
}

fn lint_log(level: &str, msg: &str, message: &str) {
    let line = format!("level={level} msg={} message={}", slog_value(msg), slog_value(message));
    LINT_LOG.with(|l| l.borrow_mut().push(line));
}

/// slog's TextHandler quoting: empty strings, spaces, `=`, `"` and
/// unprintable or non-ASCII space characters force a Go-quoted string.
fn slog_value(s: &str) -> String {
    let quote = s.is_empty()
        || s.chars()
            .any(|c| c == ' ' || c == '=' || c == '"' || c.is_control() || (!c.is_ascii() && c.is_whitespace()));
    if quote {
        rhelm_template::strconv::quote(s)
    } else {
        s.to_string()
    }
}

/// Registers Helm's functions with default options.
pub fn register(m: &mut FuncMap) {
    register_with(m, HelmOptions::default());
}

/// Registers Helm's functions. Each call makes fresh per-render state (the
/// include recursion counters and the tpl parse cache), so call it once per
/// render, as Helm builds its function map once per render.
pub fn register_with(m: &mut FuncMap, opts: HelmOptions) {
    let included: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
    let inc = included.clone();
    m.insert(
        "include",
        Function::with_context(&[Type::String, Type::Any], None, move |ctx, a| {
            include(ctx, &inc, a[0].as_str().unwrap_or(""), &a[1]).map(Value::string)
        }),
    );
    let cache: Arc<TplCache> = Arc::default();
    m.insert(
        "tpl",
        Function::with_context(&[Type::String, Type::Any], None, move |ctx, a| {
            tpl(ctx, &cache, a[0].as_str().unwrap_or(""), &a[1]).map(Value::string)
        }),
    );
    m.insert(
        "required",
        Function::new(&[Type::String, Type::Any], None, move |a| {
            // Helm words the two cases differently in its lint-mode log.
            let missing = match &a[1] {
                Value::Nil => Some("missing required value"),
                Value::Str(s) if s.is_empty() => Some("missing required values"),
                _ => None,
            };
            match (missing, opts.lint_mode) {
                (None, _) => Ok(a[1].clone()),
                (Some(log), true) => {
                    lint_log("WARN", log, a[0].as_str().unwrap_or(""));
                    Ok(Value::str(""))
                }
                (Some(_), false) => Err(Error::msg(format!("{WARN_START}{}{WARN_END}", a[0].as_str().unwrap_or("")))),
            }
        }),
    );
    m.insert(
        "fail",
        Function::new(&[Type::String], None, move |a| {
            if opts.lint_mode {
                lint_log("INFO", "funcMap fail", a[0].as_str().unwrap_or(""));
                return Ok(Value::str(""));
            }
            Err(Error::msg(format!("{WARN_START}{}{WARN_END}", a[0].as_str().unwrap_or(""))))
        }),
    );
    // Without a cluster (template, lint) lookup finds nothing.
    m.insert(
        "lookup",
        Function::new(&[Type::String, Type::String, Type::String, Type::String], None, |_| Ok(Value::empty_map())),
    );
    // Helm answers "" unless --enable-dns is given.
    m.insert("getHostByName", Function::new(&[Type::String], None, |_| Ok(Value::str(""))));
}

/// Helm's includeFun: execute a named template, counting nesting per name.
fn include(
    ctx: &mut CallContext<'_>,
    included: &Mutex<HashMap<String, usize>>,
    name: &str,
    data: &Value,
) -> Result<String, Error> {
    {
        let mut counts = included.lock().unwrap_or_else(|p| p.into_inner());
        let n = counts.entry(name.to_string()).or_insert(0);
        if *n > RECURSION_MAX {
            return Err(Error::wrap(
                format!("rendering template has a nested reference name: {name}: unable to execute template"),
                Error::msg("unable to execute template"),
            ));
        }
        *n += 1;
    }
    let result = ctx.execute_template(name, data);
    if let Some(n) = included.lock().unwrap_or_else(|p| p.into_inner()).get_mut(name) {
        *n -= 1;
    }
    result
}

/// Helm's tplFun: render `text` as a template that sees (and may add to,
/// for this call only) the templates of the set. Helm clones the whole set
/// per call; here the parsed text is cached and laid over the set, so a
/// chart calling tpl thousands of times stays linear.
fn tpl(ctx: &mut CallContext<'_>, cache: &TplCache, text: &str, vals: &Value) -> Result<String, Error> {
    let name = ctx.set().name().to_string();
    let parsed = {
        let mut cache = cache.lock().unwrap_or_else(|p| p.into_inner());
        cache.entry(text.to_string()).or_insert_with(|| ctx.set().parse_trees(&name, text).map(Arc::from)).clone()
    };
    let quoted = rhelm_template::fmt::quote(text);
    let trees = parsed.map_err(|e| Error::wrap(format!("cannot parse template {quoted}: {e}"), e))?;
    // Go executes the template it has just parsed. When that one is empty
    // (blank text, or only defines) it is not added to the set if a template
    // of the same name is there already, and a lookup by name would find that
    // one: the enclosing tpl's text, when tpl calls are nested, which would
    // then run again and again. Its output is its own blank text.
    if let Some(main) = trees.first().filter(|t| rhelm_template::ast::is_empty_list(&t.root)) {
        let text: String = main
            .root
            .nodes
            .iter()
            .filter_map(|n| match n {
                rhelm_template::ast::Node::Text { text, .. } => Some(&**text),
                _ => None,
            })
            .collect();
        return Ok(text);
    }
    let overlay = Overlay::with_trees(ctx.overlay(), ctx.set(), &trees);
    let out = ctx
        .execute_with_overlay(&overlay, &name, vals)
        .map_err(|e| Error::wrap(format!("error during tpl function execution for {quoted}: {e}"), e))?;
    Ok(drop_no_value(out))
}

/// What Helm does to every template's output, and to `tpl`'s: the text Go
/// prints for a missing value, `<no value>`, is removed wherever it is.
pub fn drop_no_value(out: String) -> String {
    out.replace("<no value>", "")
}

/// The text Helm prints for a template error (`pkg/engine/engine.go`:
/// `cleanupParseError` and `reformatExecErrorMsg`): parse errors keep only the
/// location and the last message; `required`/`fail` messages become
/// `execution error at (file:line:col): msg`; other execution errors become a
/// trace of `file:line:col` / `executing "name" at <node>:` / message lines,
/// one per distinct link of Go's error chain, unless a link is not a template
/// error (a function's own error), in which case Go's raw text is kept.
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
    let tokens: Vec<&str> = message.splitn(3, ": ").collect();
    if tokens.len() != 3 {
        return format!("execution error in ({}): {message}", e.template().unwrap_or(""));
    }
    if let Some(start) = tokens[2].find(WARN_START) {
        if let Some(end) = tokens[2].rfind(WARN_END) {
            if end >= start + WARN_START.len() {
                return format!("execution error at ({}): {}", tokens[1], &tokens[2][start + WARN_START.len()..end]);
            }
        }
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
