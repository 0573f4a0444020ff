//! Helm's `--set` family of flags, checked against results recorded from Helm 4.3.1
//! (testdata/chart/strvals/golden.json, made by scripts/gen-strvals-golden from cases.yaml).
//!
//! Values are compared through a canonical text that keeps Go types apart (int64 vs float64
//! vs string), the same text the golden chart's "typed" template printed.

use std::collections::BTreeMap;
use std::path::PathBuf;

use rhelm_chart::strvals::{self, SetKind, Values};
use rhelm_template::strconv::quote;
use rhelm_template::Value;

fn golden() -> Vec<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/chart/strvals/golden.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    match strvals::json_unmarshal(&text).expect("golden.json is valid JSON") {
        Value::List(l) => l.items.to_vec(),
        _ => panic!("golden.json is not a list"),
    }
}

fn field<'a>(v: &'a Value, k: &str) -> Option<&'a Value> {
    match v {
        Value::Map(m) => m.entries.get(k),
        _ => None,
    }
}

fn text(v: &Value) -> &str {
    v.as_str().expect("a string")
}

/// The golden chart's "typed" template, in Rust.
fn typed(v: &Value, out: &mut String) {
    match v {
        Value::Map(m) => {
            out.push('{');
            for (k, v) in m.entries.iter() {
                out.push_str(&quote(k));
                out.push(':');
                typed(v, out);
                out.push(',');
            }
            out.push('}');
        }
        Value::List(l) => {
            out.push('[');
            for v in l.items.iter() {
                typed(v, out);
                out.push(',');
            }
            out.push(']');
        }
        Value::Str(s) => out.push_str(&quote(s)),
        other => {
            out.push_str(&other.type_name());
            out.push('(');
            out.push_str(&rhelm_template::fmt::sprintf("%v", std::slice::from_ref(other)));
            out.push(')');
        }
    }
}

/// Runs a case's flags as `values.Options.MergeValues` does.
fn run(case: &Value) -> Result<Values, String> {
    let Some(Value::List(args)) = field(case, "args") else { panic!("args") };
    let mut flags: Vec<(SetKind, &str)> =
        args.items.chunks(2).map(|p| (SetKind::from_flag(text(&p[0])).expect("known flag"), text(&p[1]))).collect();
    flags.sort_by_key(|f| f.0); // stable: Helm applies each kind in order, kinds in this order
    let files: BTreeMap<String, String> = match field(case, "files") {
        Some(Value::Map(m)) => m.entries.iter().map(|(k, v)| (k.to_string(), text(v).to_string())).collect(),
        _ => BTreeMap::new(),
    };
    let mut reader = |path: &str| -> Result<Value, String> {
        files.get(path).map(|c| Value::str(c)).ok_or_else(|| format!("open {path}: no such file or directory"))
    };
    let mut dest = Values::new();
    for (kind, value) in flags {
        strvals::merge_flag(kind, value, &mut dest, Some(&mut reader)).map_err(|e| e.to_string())?;
    }
    Ok(dest)
}

#[test]
fn helm_goldens() {
    let cases = golden();
    let mut failures = Vec::new();
    for case in &cases {
        let name = text(field(case, "name").unwrap());
        let got = run(case);
        let (got, want) = match (got, field(case, "error"), field(case, "typed")) {
            (Ok(v), None, Some(t)) => {
                let mut s = String::new();
                typed(&Value::map(v), &mut s);
                (s, text(t).to_string())
            }
            (Err(e), Some(w), None) => (e, text(w).to_string()),
            (Ok(v), Some(w), _) => (format!("values {v:?}"), format!("error {}", text(w))),
            (Err(e), None, Some(t)) => (format!("error {e}"), format!("values {}", text(t))),
            _ => panic!("{name}: malformed golden entry"),
        };
        if got != want {
            let clip = |s: &str| s.chars().take(400).collect::<String>();
            failures.push(format!("{name}\n   got: {}\n  want: {}", clip(&got), clip(&want)));
        }
    }
    println!("strvals goldens: {}/{} pass", cases.len() - failures.len(), cases.len());
    assert!(cases.len() >= 150, "expected the full golden table");
    assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

/// How deep a value nests, counted without recursion.
fn depth(v: &Value) -> usize {
    let mut stack = vec![(v, 1usize)];
    let mut max = 0;
    while let Some((v, d)) = stack.pop() {
        max = max.max(d);
        match v {
            Value::List(l) => stack.extend(l.items.iter().map(|x| (x, d + 1))),
            Value::Map(m) => stack.extend(m.entries.values().map(|x| (x, d + 1))),
            _ => {}
        }
    }
    max
}

/// Drops a value without recursion (the value model's own Drop recurses, so a 10000-deep
/// value would overflow a test thread's stack; that is not the parser's doing).
fn dismantle(v: Value) {
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::List(l) => {
                if let Ok(items) = std::sync::Arc::try_unwrap(l.items) {
                    stack.extend(items);
                }
            }
            Value::Map(m) => {
                let mut entries = m.entries;
                stack.extend(std::mem::take(entries.make_mut()).into_values());
            }
            _ => {}
        }
    }
}

fn check_depth(m: Values, want: usize) {
    let v = Value::map(m);
    assert_eq!(depth(&v), want);
    dismantle(v);
}

#[test]
fn deep_paths_do_not_overflow_the_stack() {
    // Go's parser recurses on a goroutine stack that grows; ours walks with an explicit
    // stack. Index chains and list-item maps are not limited by MaxNestedNameLevel.
    let n = 20000;
    let mut m = Values::new();
    strvals::parse_into(&format!("a{}=1", "[0]".repeat(n)), &mut m).unwrap();
    check_depth(m, n + 2);
    let mut m = Values::new();
    strvals::parse_into(&format!("{}=1", "x[0].".repeat(n) + "y"), &mut m).unwrap();
    check_depth(m, 2 * n + 2);
    // --set-json: encoding/json's scanner allows 10000 levels and rejects more.
    let mut m = Values::new();
    strvals::parse_json(&format!("a={}1{}", "[".repeat(10000), "]".repeat(10000)), &mut m).unwrap();
    check_depth(m, 10002);
    let mut m = Values::new();
    assert!(strvals::parse_json(&format!("a={}1{}", "[".repeat(10001), "]".repeat(10001)), &mut m).is_err());
}
