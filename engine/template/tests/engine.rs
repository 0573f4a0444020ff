//! Engine behaviour that the Helm-generated goldens cannot reach: options Helm
//! never sets, the function registry, host objects, limits and robustness.
//! Where Go's behaviour is asserted, the expectation was checked against Go
//! (through helm) or is quoted from Go's source.

mod support;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use rhelm_template::{
    CallContext, Error, FuncMap, Function, Limits, MissingKey, Object, ObjectKind, TemplateSet, Type, Value,
};

fn values(json: &str) -> Value {
    let mut top = BTreeMap::new();
    top.insert(Arc::from("Values"), support::from_json(&serde_json::from_str(json).unwrap()));
    Value::map(top)
}

fn render_with(set: &mut TemplateSet, text: &str, data: &Value) -> Result<String, Error> {
    set.parse("t", text)?;
    set.render("t", data)
}

fn render(missing: MissingKey, text: &str, json: &str) -> Result<String, String> {
    let mut set = TemplateSet::new("root", FuncMap::new());
    set.set_missing_key(missing);
    render_with(&mut set, text, &values(json)).map_err(|e| e.to_string())
}

#[test]
fn missingkey_error_names_the_key() {
    let err = render(MissingKey::Error, "{{ .Values.a.nope }}", r#"{"a": {}}"#).unwrap_err();
    assert_eq!(err, r#"template: t:1:10: executing "t" at <.Values.a.nope>: map has no entry for key "nope""#);
}

#[test]
fn missingkey_error_on_nil_data() {
    let err = render(MissingKey::Error, "{{ $x := .Values.nope }}", "{}").unwrap_err();
    assert!(err.ends_with(r#"map has no entry for key "nope""#), "{err}");
}

#[test]
fn missingkey_default_chains_through_missing_keys() {
    // Go's default option yields an invalid value, and a field of an invalid value is invalid too.
    assert_eq!(render(MissingKey::Invalid, "{{ .Values.a.b.c }}", "{}").unwrap(), "<no value>");
    // With zero (Helm's choice) the missing key is a nil interface and chaining fails.
    let err = render(MissingKey::Zero, "{{ .Values.a.b.c }}", "{}").unwrap_err();
    assert!(err.ends_with("nil pointer evaluating interface {}.b"), "{err}");
}

#[test]
fn parenthesis_nesting_is_bounded_as_in_go() {
    let nest = |n: usize| format!("{{{{ {}1{} }}}}", "(".repeat(n), ")".repeat(n));
    assert_eq!(render(MissingKey::Zero, &nest(10_000), "{}").unwrap(), "1");
    let err = render(MissingKey::Zero, &nest(10_001), "{}").unwrap_err();
    assert_eq!(err, "template: t:1: max expression depth exceeded");
}

#[test]
fn deeply_nested_blocks_do_not_overflow_the_stack() {
    let n = 50_000;
    let text = format!("{}x{}", "{{if 1}}".repeat(n), "{{end}}".repeat(n));
    assert_eq!(render(MissingKey::Zero, &text, "{}").unwrap(), "x");
    let text = format!("{}x{}", "{{with $.Values}}{{range .l}}".repeat(2000), "{{end}}{{end}}".repeat(2000));
    assert_eq!(render(MissingKey::Zero, &text, r#"{"l":[1]}"#).unwrap(), "x");
}

#[test]
fn unbounded_recursion_stops_at_go_depth_limit() {
    let err =
        render(MissingKey::Zero, r#"{{define "r"}}{{template "r" .}}{{end}}{{template "r" .}}"#, "{}").unwrap_err();
    assert!(err.ends_with("exceeded maximum template depth (100000)"), "{err}");
}

#[test]
fn step_limit_bounds_runaway_templates() {
    let mut set = TemplateSet::new("root", FuncMap::new());
    set.set_limits(Limits { max_depth: 50, max_steps: Some(1000) });
    let err = render_with(&mut set, "{{range 100000}}{{.}}{{end}}", &Value::Nil).unwrap_err().to_string();
    assert!(err.ends_with("exceeded the execution step limit (1000)"), "{err}");
    let mut set = TemplateSet::new("root", FuncMap::new());
    set.set_limits(Limits { max_depth: 50, max_steps: None });
    let err = render_with(&mut set, r#"{{define "r"}}{{template "r"}}{{end}}{{template "r"}}"#, &Value::Nil)
        .unwrap_err()
        .to_string();
    assert!(err.ends_with("exceeded maximum template depth (50)"), "{err}");
}

#[test]
fn execute_unknown_template_is_gos_error() {
    let set = TemplateSet::new("gotpl", FuncMap::new());
    let err = set.render("nope", &Value::Nil).unwrap_err();
    assert_eq!(err.to_string(), r#"template: no template "nope" associated with template "gotpl""#);
}

#[test]
fn later_files_replace_defines_but_empty_ones_do_not() {
    let mut set = TemplateSet::new("root", FuncMap::new());
    set.parse("a", r#"{{define "x"}}first{{end}}"#).unwrap();
    set.parse("b", r#"{{define "x"}}second{{end}}"#).unwrap();
    set.parse("c", r#"{{define "x"}}  {{end}}"#).unwrap();
    set.parse("main", r#"{{template "x"}}"#).unwrap();
    assert_eq!(set.render("main", &Value::Nil).unwrap(), "second");
}

/// Texts big enough that `parse_all` spreads them over threads.
fn many_texts(n: usize) -> Vec<(String, String)> {
    let filler = "{{/* filler */}}".repeat(4096);
    (0..n)
        .map(|i| {
            (
                format!("t{i}"),
                format!(r#"{filler}{{{{define "x"}}}}from {i}{{{{end}}}}{{{{define "d{i}"}}}}{i}{{{{end}}}}"#),
            )
        })
        .collect()
}

#[test]
fn parse_all_adds_trees_in_order_as_parse_does() {
    let texts = many_texts(12);
    let items: Vec<(&str, &str)> = texts.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let mut parallel = TemplateSet::new("root", FuncMap::new());
    parallel.parse_all(&items).unwrap();
    let mut serial = TemplateSet::new("root", FuncMap::new());
    for (n, t) in &items {
        serial.parse(n, t).unwrap();
    }
    for set in [&mut parallel, &mut serial] {
        set.parse("main", r#"{{template "x"}} {{template "d3"}}"#).unwrap();
    }
    assert_eq!(parallel.render("main", &Value::Nil).unwrap(), "from 11 3");
    assert_eq!(serial.render("main", &Value::Nil).unwrap(), "from 11 3");
    let mut names: Vec<&str> = parallel.template_names().collect();
    let mut expected: Vec<&str> = serial.template_names().collect();
    names.sort();
    expected.sort();
    assert_eq!(names, expected);
}

#[test]
fn parse_all_reports_the_first_error_in_order() {
    let mut texts = many_texts(10);
    texts[4].1.push_str("{{ if }}");
    texts[8].1.push_str("{{ end }}");
    let items: Vec<(&str, &str)> = texts.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let mut set = TemplateSet::new("root", FuncMap::new());
    let err = set.parse_all(&items).unwrap_err().to_string();
    let mut one_by_one = TemplateSet::new("root", FuncMap::new());
    let first = items.iter().find_map(|(n, t)| one_by_one.parse(n, t).err()).unwrap().to_string();
    assert_eq!(err, first);
    assert!(err.contains("t4"), "{err}");
}

fn registry() -> FuncMap {
    let mut funcs = FuncMap::new();
    funcs.insert(
        "upper",
        Function::new(&[Type::String], None, |a| Ok(Value::string(a[0].as_str().unwrap_or("").to_uppercase()))),
    );
    funcs.insert("fail", Function::new(&[Type::String], None, |a| Err(Error::msg(a[0].as_str().unwrap_or("")))));
    funcs.insert(
        "include",
        Function::with_context(&[Type::String, Type::Any], None, |ctx: &mut CallContext<'_>, a| {
            ctx.execute_template(a[0].as_str().unwrap_or(""), &a[1]).map(Value::string)
        }),
    );
    funcs
}

#[test]
fn registered_functions_are_checked_like_go_functions() {
    let mut set = TemplateSet::new("root", registry());
    set.set_missing_key(MissingKey::Zero);
    let data = values(r#"{"s": "hi", "n": 1}"#);
    assert_eq!(render_with(&mut set, "{{ upper .Values.s }}{{ .Values.s | upper }}", &data).unwrap(), "HIHI");
    let err = render_with(&mut set, "{{ upper .Values.n }}", &data).unwrap_err().to_string();
    assert!(err.ends_with("wrong type for value; expected string; got float64"), "{err}");
    let err = render_with(&mut set, "{{ upper 3 }}", &data).unwrap_err().to_string();
    assert!(err.ends_with("expected string; found 3"), "{err}");
    let err = render_with(&mut set, "{{ .Values.nope | upper }}", &data).unwrap_err().to_string();
    assert!(err.ends_with("invalid value; expected string"), "{err}");
    let err = render_with(&mut set, "{{ upper .Values.nope }}", &data).unwrap_err().to_string();
    assert!(err.ends_with("wrong type for value; expected string; got interface {}"), "{err}");
    let err = render_with(&mut set, "{{ upper }}", &data).unwrap_err().to_string();
    assert!(err.ends_with("wrong number of args for upper: want 1 got 0"), "{err}");
    let err = render_with(&mut set, r#"{{ fail "boom" }}"#, &data).unwrap_err();
    assert_eq!(err.to_string(), r#"template: t:1:3: executing "t" at <fail "boom">: error calling fail: boom"#);
    assert_eq!(err.cause().map(|c| c.to_string()), Some("boom".to_string()));
}

#[test]
fn functions_can_execute_other_templates() {
    let mut set = TemplateSet::new("root", registry());
    set.parse("helpers", r#"{{define "name"}}{{ .Values.s | upper }}{{end}}"#).unwrap();
    let out = render_with(&mut set, r#"name: {{ include "name" . }}"#, &values(r#"{"s": "app"}"#)).unwrap();
    assert_eq!(out, "name: APP");
    let err = render_with(&mut set, r#"{{ include "missing" . }}"#, &Value::Nil).unwrap_err();
    assert!(
        err.to_string()
            .ends_with(r#"error calling include: template: no template "missing" associated with template "root""#),
        "{err}"
    );
}

#[test]
fn builtins_can_be_overridden_and_lose_their_special_forms() {
    let mut funcs = FuncMap::new();
    funcs.insert("and", Function::new(&[Type::Any, Type::Any], None, |_| Ok(Value::str("mine"))));
    let mut set = TemplateSet::new("root", funcs);
    assert_eq!(render_with(&mut set, "{{ and 0 1 }}", &Value::Nil).unwrap(), "mine");
}

#[derive(Debug)]
struct Version {
    major: i64,
}

impl Object for Version {
    fn type_name(&self) -> Cow<'_, str> {
        Cow::Borrowed("*semver.Version")
    }
    fn kind(&self) -> ObjectKind {
        ObjectKind::Pointer
    }
    fn field(&self, name: &str) -> Option<Value> {
        (name == "Major").then_some(Value::Int64(self.major))
    }
    fn has_method(&self, name: &str) -> bool {
        name == "Bump"
    }
    fn call_method(&self, _name: &str, args: &[Value]) -> Result<Value, String> {
        match args {
            [Value::Int(n)] => Ok(Value::Int64(self.major + n)),
            _ => Err("Bump takes one int".into()),
        }
    }
    fn format(&self, out: &mut String) {
        out.push_str(&format!("{}.0.0", self.major));
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

#[test]
fn host_objects_expose_fields_and_methods() {
    let mut top = BTreeMap::new();
    top.insert(Arc::from("V"), Value::Object(Arc::new(Version { major: 2 })));
    let data = Value::map(top);
    let mut set = TemplateSet::new("root", FuncMap::new());
    let out = render_with(&mut set, r#"{{ .V }} {{ .V.Major }} {{ .V.Bump 3 }} {{ printf "%T" .V }}"#, &data).unwrap();
    assert_eq!(out, "2.0.0 2 5 *semver.Version");
    // Read out of a map[string]interface{}, Go names the interface type.
    let err = render_with(&mut set, "{{ .V.Minor }}", &data).unwrap_err().to_string();
    assert!(err.ends_with("can't evaluate field Minor in type interface {}"), "{err}");
    let err = render_with(&mut set, "{{ $v := .V }}{{ $v.Minor }}", &data).unwrap_err().to_string();
    assert!(err.ends_with("can't evaluate field Minor in type *semver.Version"), "{err}");
}

#[test]
fn one_parsed_set_executes_on_many_threads() {
    let mut set = TemplateSet::new("root", FuncMap::new());
    set.parse("t", "{{ range .Values.l }}{{ . }},{{ end }}").unwrap();
    let set = Arc::new(set);
    let data = values(r#"{"l": [1, 2, 3]}"#);
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let (set, data) = (set.clone(), data.clone());
            std::thread::spawn(move || (0..100).map(|_| set.render("t", &data).unwrap()).collect::<Vec<_>>())
        })
        .collect();
    for h in handles {
        assert!(h.join().unwrap().iter().all(|s| s == "1,2,3,"));
    }
}

#[test]
fn big_templates_parse_and_render_linearly() {
    let line = "{{ .Values.a }}-{{ if .Values.b }}{{ .Values.b }}{{ end }}\n";
    let text = line.repeat(20_000);
    let out = render(MissingKey::Zero, &text, r#"{"a": "x", "b": 2}"#).unwrap();
    assert_eq!(out.len(), "x-2\n".len() * 20_000);
}

/// A precision past Rust's own padding limit (u16::MAX) once panicked in %U;
/// Go pads up to 1e6.
#[test]
fn printf_unicode_takes_gos_largest_precision() {
    let out = render(MissingKey::Zero, r#"{{ printf "%23.0888888U|%#.70000U" 1 65 }}"#, "{}").unwrap();
    let (first, second) = out.split_once('|').unwrap();
    assert_eq!(first.len(), "U+".len() + 888_888);
    assert!(first.starts_with("U+0000") && first.ends_with("0001"));
    assert_eq!(second.len(), "U+".len() + 70_000 + " 'A'".len());
    assert!(second.ends_with("0041 'A'"));
}

/// Inputs the fuzzer found; each once panicked.
#[test]
fn fuzz_regressions_are_errors_not_panics() {
    let inputs: [&[u8]; 1] = [
        // A backslash before a multi-byte character inside a string literal.
        b"{{define \"x\"}}{{ .n | printf \"zzz\x08\0\0\0\0\0\0\0d\0\0\0zzzz\x01\0\0\\\xc2\x83tf \".V $i, $v",
    ];
    for input in inputs {
        let text = std::str::from_utf8(input).unwrap();
        let mut set = TemplateSet::new("root", FuncMap::new());
        assert!(set.parse("t", text).is_err());
    }
}
