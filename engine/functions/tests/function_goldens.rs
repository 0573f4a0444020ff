//! Golden tests for every function family: each testdata/functions/<family>/
//! golden.json was produced by the real Helm 4.3.1 from the cases.yaml beside
//! it (scripts/gen-template-golden --cases …). Set RHELM_GOLDEN_SUITE=<family>
//! to run one family.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use rhelm_functions::helm::error_text;
use rhelm_template::{MissingKey, TemplateSet, Value};

const CASE_NAME: &str = "demo/templates/case.yaml";

fn run_case(template: &str, values: &serde_json::Value) -> Result<String, String> {
    let mut set = TemplateSet::new("gotpl", rhelm_functions::helm_funcs());
    set.set_missing_key(MissingKey::Zero);
    set.parse(CASE_NAME, template).map_err(|e| error_text(&e))?;
    let mut top = BTreeMap::new();
    top.insert(Arc::from("Values"), values_from_json(values));
    set.render(CASE_NAME, &Value::map(top)).map_err(|e| error_text(&e))
}

#[test]
fn function_goldens_match_helm() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/functions");
    let only = std::env::var("RHELM_GOLDEN_SUITE").ok();
    let mut suites: Vec<_> = std::fs::read_dir(&root)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.join("golden.json").exists()).collect())
        .unwrap_or_default();
    suites.sort();
    let (mut total, mut failures) = (0, Vec::new());
    for suite in suites {
        let family = suite.file_name().unwrap().to_string_lossy().into_owned();
        if only.as_deref().is_some_and(|o| o != family) {
            continue;
        }
        let raw = std::fs::read_to_string(suite.join("golden.json")).expect("read golden.json");
        let cases: Vec<serde_json::Value> = serde_json::from_str(&raw).expect("parse golden.json");
        for case in &cases {
            total += 1;
            let name = case["name"].as_str().expect("name");
            let template = case["template"].as_str().expect("template");
            let got = run_case(template, &case["values"]);
            let ok = match (&got, case.get("output"), case.get("error")) {
                (Ok(out), Some(want), _) => Some(out.as_str()) == want.as_str(),
                (Err(err), _, Some(want)) => Some(err.as_str()) == want.as_str(),
                _ => false,
            };
            if !ok {
                let want = case.get("output").or(case.get("error")).cloned().unwrap_or_default();
                failures.push(format!("{family}: {name}\n  template: {template:?}\n  want: {want}\n  got:  {got:?}"));
            }
        }
    }
    println!("{} passed, {} failed", total - failures.len(), failures.len());
    assert!(failures.is_empty(), "{} of {total} cases differ from Helm:\n{}", failures.len(), failures.join("\n"));
}

/// The case's values as Helm holds them, decoded by our encoding/json.
fn values_from_json(values: &serde_json::Value) -> Value {
    rhelm_functions::json::from_str(&values.to_string()).expect("golden values are valid JSON")
}
