//! The template engine's conformance suite (it lives here because Helm's
//! error wording does): every case in testdata/template/golden.json was
//! rendered by the real Helm 4.3.1 (Go 1.27 text/template); rhelm must print
//! the same bytes, or fail with the same error text as Helm shows it.
//! Regenerate the goldens with scripts/gen-template-golden.

use std::collections::BTreeMap;
use std::sync::Arc;

use rhelm_functions::helm::error_text as helm_error_text;
use rhelm_template::{FuncMap, MissingKey, TemplateSet, Value};

/// The template name Helm gives the case in error mode.
const CASE_NAME: &str = "demo/templates/case.yaml";

fn run_case(template: &str, values: &serde_json::Value) -> Result<String, String> {
    let mut set = TemplateSet::new("gotpl", FuncMap::new());
    set.set_missing_key(MissingKey::Zero);
    set.parse(CASE_NAME, template).map_err(|e| helm_error_text(&e))?;
    let mut top = BTreeMap::new();
    top.insert(Arc::from("Values"), values_from_json(values));
    set.render(CASE_NAME, &Value::map(top)).map_err(|e| helm_error_text(&e))
}

#[test]
fn golden_cases_match_helm() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/template/golden.json");
    let raw = std::fs::read_to_string(path).expect("read golden.json");
    let cases: Vec<serde_json::Value> = serde_json::from_str(&raw).expect("parse golden.json");
    assert!(cases.len() >= 400, "the suite must hold at least 400 cases, found {}", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
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
            failures.push(format!("{name}\n  template: {template:?}\n  want: {want}\n  got:  {got:?}"));
        }
    }
    let passed = cases.len() - failures.len();
    println!("{passed} passed, {} failed", failures.len());
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from Helm:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// The case's values as Helm holds them, decoded by our encoding/json.
fn values_from_json(values: &serde_json::Value) -> Value {
    rhelm_functions::json::from_str(&values.to_string()).expect("golden values are valid JSON")
}
