//! The values pipeline against Helm 4.3.1: for each case of
//! testdata/values/cases.yaml (recorded by scripts/gen-values-golden), load
//! the chart, merge the user values, process dependencies, coalesce and
//! validate, then compare what each chart would print for
//! `values: {{ toJson .Values }}` and the warnings/errors with helm's output.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rhelm_chart::values::{self, ValueOptions, ValueReader};
use rhelm_chart::{Chart, Values};
use rhelm_template::{Elem, Value};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/values")
}

/// Reads paths relative to testdata/values, where helm ran.
struct CaseReader(PathBuf);

impl ValueReader for CaseReader {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        std::fs::read(self.0.join(path)).map_err(|_| format!("open {path}: no such file or directory"))
    }
}

fn options(args: &[String]) -> ValueOptions {
    let mut o = ValueOptions::default();
    for pair in args.chunks(2) {
        let v = pair[1].clone();
        match pair[0].as_str() {
            "-f" | "--values" => o.value_files.push(v),
            "--set" => o.values.push(v),
            "--set-string" => o.string_values.push(v),
            "--set-json" => o.json_values.push(v),
            "--set-file" => o.file_values.push(v),
            "--set-literal" => o.literal_values.push(v),
            f => panic!("unknown flag {f}"),
        }
    }
    o
}

/// `# Source: <path>` → the JSON after `values: ` in that document.
fn helm_docs(stdout: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut source = None;
    for line in stdout.lines() {
        if let Some(s) = line.strip_prefix("# Source: ") {
            source = Some(s.to_string());
        } else if let Some(j) = line.strip_prefix("values: ") {
            out.insert(source.take().expect("values line without a source"), j.to_string());
        }
    }
    out
}

fn our_docs(chart: &Chart, vals: &Values, parent: Option<&str>, out: &mut BTreeMap<String, String>) {
    let path = chart.full_path(parent);
    if !chart.is_library() {
        let json = rhelm_functions::json::to_string(&Value::map(vals.clone()), true).expect("json");
        out.insert(format!("{path}/templates/values.yaml"), json);
    }
    for sub in &chart.dependencies {
        let sub_vals = match vals.get(sub.name()) {
            Some(Value::Map(m)) if m.elem == Elem::Any => (*m.entries).clone(),
            _ => Values::new(),
        };
        our_docs(sub, &sub_vals, Some(&path), out);
    }
}

/// Sorted slog lines first, then the rest with runs of `- ` lines sorted,
/// as the golden file records helm's stderr.
fn normalise(lines: Vec<String>) -> Vec<String> {
    let mut slog: Vec<String> = lines.iter().filter(|l| l.starts_with("level=")).cloned().collect();
    slog.sort();
    let mut run: Vec<String> = Vec::new();
    for l in lines.into_iter().filter(|l| !l.starts_with("level=")).map(Some).chain([None]) {
        match l {
            Some(l) if l.starts_with("- ") => run.push(l),
            other => {
                run.sort();
                slog.append(&mut run);
                slog.extend(other);
            }
        }
    }
    slog
}

struct Outcome {
    code: i64,
    docs: BTreeMap<String, String>,
    stderr: Vec<String>,
}

fn error_lines(log: &mut Vec<String>, msg: &str) {
    log.extend(format!("Error: {msg}").split('\n').map(str::to_string));
}

fn run(chart_dir: &str, args: &[String]) -> Outcome {
    let mut log = Vec::new();
    let fail = |mut log: Vec<String>, msg: &str| {
        error_lines(&mut log, msg);
        Outcome { code: 1, docs: BTreeMap::new(), stderr: log }
    };
    let user = match options(args).merge_values(&CaseReader(dir())) {
        Ok(v) => v,
        Err(e) => return fail(log, &e),
    };
    let mut chart = rhelm_chart::load::load(&dir().join(chart_dir)).expect("chart loads");
    match values::process_dependencies(&mut chart, &user) {
        Ok(w) => log.extend(w),
        Err(e) => {
            let msg = format!("chart dependencies processing failed: {e}");
            log.push(
                rhelm_chart::manifest::slog_info("chart dependencies processing failed", &[("error", &e)]).replacen(
                    "level=INFO",
                    "level=ERROR",
                    1,
                ),
            );
            return fail(log, &msg);
        }
    }
    let vals = match values::try_coalesce_values(&chart, &user) {
        Ok((v, w)) => {
            log.extend(w);
            v
        }
        Err((e, w)) => {
            log.extend(w);
            return fail(log, &e);
        }
    };
    if let Err(e) = values::validate_against_schema(&chart, &vals) {
        return fail(log, &e);
    }
    let mut docs = BTreeMap::new();
    our_docs(&chart, &vals, None, &mut docs);
    Outcome { code: 0, docs, stderr: log }
}

#[test]
fn values_match_helm() {
    let golden: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir().join("golden.json")).expect("golden.json")).expect("json");
    let cases = golden.as_array().expect("a list");
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let args: Vec<String> =
            case["args"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_string()).collect();
        let want_code = case["code"].as_i64().unwrap();
        let want_docs = helm_docs(case["stdout"].as_str().unwrap());
        let want_err: Vec<String> =
            case["stderr"].as_array().unwrap().iter().map(|l| l.as_str().unwrap().to_string()).collect();
        let got = run(case["chart"].as_str().unwrap(), &args);
        let mut got_err = normalise(got.stderr);
        // helm's error text ends with "\n" for schema failures: an empty last line.
        if want_err.last().is_some_and(String::is_empty) && got_err.last().is_some_and(|l| !l.is_empty()) {
            got_err.push(String::new());
        }
        let mut problems = Vec::new();
        if got.code != want_code {
            problems.push(format!("exit code {} want {want_code}", got.code));
        }
        if got.docs != want_docs {
            for (k, v) in &want_docs {
                match got.docs.get(k) {
                    Some(g) if g == v => {}
                    g => problems.push(format!("{k}:\n    got  {g:?}\n    want {v:?}")),
                }
            }
            for k in got.docs.keys().filter(|k| !want_docs.contains_key(*k)) {
                problems.push(format!("{k}: rendered but helm did not"));
            }
        }
        if got_err != want_err {
            problems.push(format!("stderr:\n    got  {got_err:#?}\n    want {want_err:#?}"));
        }
        if !problems.is_empty() {
            failures.push(format!("{name} {args:?}:\n  {}", problems.join("\n  ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from helm:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// Helm takes values nested up to 10000 levels (go-yaml's limit); Go's
/// stacks grow, so ours must not overflow on the way.
#[test]
fn deeply_nested_values() {
    let mut v = Value::Float(1.0);
    for _ in 0..9990 {
        let mut m = Values::new();
        m.insert("b".into(), v);
        v = Value::map(m);
    }
    let mut chart = Chart::default();
    chart.metadata.name = "deepc".into();
    chart.values.insert("a".into(), v);
    chart.schema = Some(br#"{"properties": {"a": {"type": "object"}}}"#.to_vec());
    let mut user = Values::new();
    rhelm_chart::strvals::parse_into("a.c=1", &mut user).unwrap();
    let warnings = values::process_dependencies(&mut chart, &user).expect("no dependencies to fail");
    assert!(warnings.is_empty());
    let (vals, warnings) = values::coalesce_values(&chart, &user);
    assert!(warnings.is_empty());
    let Some(Value::Map(a)) = vals.get("a") else { panic!("a is a table") };
    assert!(matches!(a.entries.get("c"), Some(Value::Int64(1))) && a.entries.contains_key("b"));
    values::validate_against_schema(&chart, &vals).expect("a is an object");
    // Dropping a value this deep recurses in rhelm-template's Value (not
    // this crate's concern here); keep the test about the pipeline.
    std::mem::forget((chart, vals));
}
