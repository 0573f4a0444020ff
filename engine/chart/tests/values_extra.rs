//! The values pipeline against Helm 4.3.1, a second set of cases written
//! independently of tests/values.rs.
//!
//! testdata/values-extra/golden.json (scripts/gen-values-extra-golden) holds
//! what `helm template rel CHART ARGS...` printed for each case of
//! testdata/values-extra/cases.yaml; every template of those charts prints
//! `v: {{ toJson .Values }}`. Here the same chart is loaded and run through
//! our merge, ProcessDependencies, coalescing and schema validation, and each
//! chart's scoped values, encoded by our encoding/json, must be what Helm's
//! templates printed. Our warnings and errors must be Helm's stderr lines,
//! compared as sorted lists: Helm's order of warnings and of schema failures
//! follows Go map iteration, which is random.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rhelm_chart::values::{self, LocalReader, ValueOptions};
use rhelm_chart::{Chart, Values};
use rhelm_template::Value;

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/values-extra")
}

fn get<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    match v {
        Value::Map(m) => m.entries.get(key),
        _ => None,
    }
}

fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::Str(s)) => s.to_string(),
        other => panic!("not a string: {other:?}"),
    }
}

struct Outcome {
    exit: i64,
    /// `# Source:` path → the JSON its template printed.
    sources: BTreeMap<String, String>,
    stderr: Vec<String>,
}

fn parse_helm(case: &Value) -> Outcome {
    let exit = match get(case, "exit") {
        Some(Value::Float(f)) => *f as i64,
        other => panic!("exit: {other:?}"),
    };
    let mut sources = BTreeMap::new();
    let stdout = text(get(case, "stdout"));
    let mut current = None;
    for line in stdout.lines() {
        if let Some(p) = line.strip_prefix("# Source: ") {
            current = Some(p.to_string());
        } else if let (Some(json), Some(p)) = (line.strip_prefix("v: "), current.take()) {
            sources.insert(p, json.to_string());
        }
    }
    let mut stderr: Vec<String> = text(get(case, "stderr")).lines().map(str::to_string).collect();
    stderr.sort();
    Outcome { exit, sources, stderr }
}

fn options(args: &[String]) -> (ValueOptions, bool) {
    let mut o = ValueOptions::default();
    let mut skip_schema = false;
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        if flag == "--skip-schema-validation" {
            skip_schema = true;
            continue;
        }
        let value = it.next().expect("flag value").clone();
        match flag.as_str() {
            "-f" | "--values" => o.value_files.push(value),
            "--set" => o.values.push(value),
            "--set-string" => o.string_values.push(value),
            "--set-json" => o.json_values.push(value),
            "--set-file" => o.file_values.push(value),
            "--set-literal" => o.literal_values.push(value),
            other => panic!("unknown flag {other}"),
        }
    }
    (o, skip_schema)
}

/// Each rendered chart's `.Values`, by its template's `# Source:` path.
fn scoped(chart: &Chart, vals: &Values, parent: Option<&str>, out: &mut BTreeMap<String, String>) {
    let path = chart.full_path(parent);
    let json = rhelm_functions::json::to_string(&Value::map(vals.clone()), true).expect("encodable values");
    // Helm renders no template of a library chart.
    for t in chart.templates.iter().filter(|_| !chart.is_library()) {
        out.insert(format!("{path}/{}", t.name), json.clone());
    }
    for sub in &chart.dependencies {
        let sub_vals = match vals.get(sub.name()) {
            Some(Value::Map(m)) => (*m.entries).clone(),
            _ => Values::new(),
        };
        scoped(sub, &sub_vals, Some(&path), out);
    }
}

/// The CLI's reader, with the case's text as standard input.
struct CaseReader(String);

impl values::ValueReader for CaseReader {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        if path.trim() == "-" {
            Ok(self.0.clone().into_bytes())
        } else {
            LocalReader.read(path)
        }
    }
}

fn ours(chart_dir: &str, args: &[String], stdin: String) -> Outcome {
    let fail = |stderr: Vec<String>, e: String| {
        let mut stderr = stderr;
        stderr.extend(format!("Error: {e}\n").lines().map(str::to_string));
        stderr.sort();
        Outcome { exit: 1, sources: BTreeMap::new(), stderr }
    };
    let (opts, skip_schema) = options(args);
    let user = match opts.merge_values(&CaseReader(stdin)) {
        Ok(v) => v,
        Err(e) => return fail(Vec::new(), e),
    };
    let mut chart = rhelm_chart::load::load(Path::new(chart_dir)).expect("test charts load");
    let mut warnings = match values::process_dependencies(&mut chart, &user) {
        Ok(w) => w,
        Err(e) => {
            let line = rhelm_chart::manifest::slog_info("chart dependencies processing failed", &[("error", &e)]);
            let line = line.replacen("level=INFO", "level=ERROR", 1);
            return fail(vec![line], format!("chart dependencies processing failed: {e}"));
        }
    };
    let (vals, w) = values::coalesce_values(&chart, &user);
    warnings.extend(w);
    if !skip_schema {
        let (result, w) = values::validate_against_schema_with_warnings(&chart, &vals);
        warnings.extend(w);
        if let Err(e) = result {
            return fail(warnings, e);
        }
    }
    let mut sources = BTreeMap::new();
    scoped(&chart, &vals, None, &mut sources);
    warnings.sort();
    Outcome { exit: 0, sources, stderr: warnings }
}

#[test]
fn values_match_helm() {
    let dir = data_dir();
    // -f and --set-file paths in cases.yaml are relative to testdata/values,
    // where Helm ran; this is the only test in this binary.
    std::env::set_current_dir(&dir).unwrap();
    let cases = rhelm_functions::yaml::from_str(&std::fs::read_to_string("cases.yaml").unwrap()).unwrap();
    let golden = rhelm_functions::json::from_str(&std::fs::read_to_string("golden.json").unwrap()).unwrap();
    let Value::List(cases) = cases else { panic!("cases.yaml is a list") };
    let mut failures = Vec::new();
    for case in cases.items.iter() {
        let name = text(get(case, "name"));
        let chart = text(get(case, "chart"));
        let args: Vec<String> = match get(case, "args") {
            Some(Value::List(l)) => l.items.iter().map(|a| text(Some(a))).collect(),
            _ => Vec::new(),
        };
        let want = parse_helm(get(&golden, &name).unwrap_or_else(|| panic!("{name} missing from golden.json")));
        let stdin = get(case, "stdin").map(|s| text(Some(s))).unwrap_or_default();
        let got = ours(&chart, &args, stdin);
        let mut diffs = Vec::new();
        if got.exit != want.exit {
            diffs.push(format!("exit: ours {} helm {}", got.exit, want.exit));
        }
        if got.stderr != want.stderr {
            diffs.push(format!("stderr:\n  ours {:#?}\n  helm {:#?}", got.stderr, want.stderr));
        }
        if want.exit == 0 && got.sources != want.sources {
            for (k, v) in &want.sources {
                if got.sources.get(k) != Some(v) {
                    diffs.push(format!("{k}:\n  ours {:?}\n  helm {v}", got.sources.get(k)));
                }
            }
            for k in got.sources.keys().filter(|k| !want.sources.contains_key(*k)) {
                diffs.push(format!("{k}: rendered by us only"));
            }
        }
        if !diffs.is_empty() {
            failures.push(format!("== {name}\n{}", diffs.join("\n")));
        }
    }
    let total = cases.items.len();
    assert!(failures.is_empty(), "{} of {total} cases differ from helm:\n{}", failures.len(), failures.join("\n"));
}

/// For checking real charts by hand: `RHELM_VALUES_EXTRA_CHART=dir cargo test -p
/// rhelm-chart --test values_extra -- --ignored --nocapture` prints each chart's
/// `.Values` as `#path\tjson` lines and the warnings as `#warn\tline`.
#[test]
#[ignore]
fn print_chart_values() {
    let Ok(dir) = std::env::var("RHELM_VALUES_EXTRA_CHART") else { return };
    let args: Vec<String> = std::env::var("RHELM_VALUES_EXTRA_ARGS")
        .map(|a| a.split('\u{1f}').filter(|s| !s.is_empty()).map(str::to_string).collect())
        .unwrap_or_default();
    let out = ours(&dir, &args, String::new());
    for (k, v) in &out.sources {
        println!("#{k}\t{v}");
    }
    for l in &out.stderr {
        println!("#warn\t{l}");
    }
}
