//! How a golden case produced by scripts/gen-template-golden is run and
//! compared: the template is parsed under Helm's case name, executed with
//! `.Values` and missingkey=zero, and errors are worded as Helm prints them.

use std::collections::BTreeMap;
use std::sync::Arc;

use rhelm_functions::helm::error_text;
use rhelm_template::{FuncMap, MissingKey, TemplateSet, Value};

/// The template name Helm gives the case in error mode.
const CASE_NAME: &str = "demo/templates/case.yaml";

fn run_case(funcs: FuncMap, template: &str, values: &serde_json::Value) -> Result<String, String> {
    let mut set = TemplateSet::new("gotpl", funcs);
    set.set_missing_key(MissingKey::Zero);
    set.parse(CASE_NAME, template).map_err(|e| error_text(&e))?;
    let values = rhelm_functions::json::from_str(&values.to_string()).expect("golden values are valid JSON");
    let mut top = BTreeMap::new();
    top.insert(Arc::from("Values"), values);
    set.render(CASE_NAME, &Value::map(top)).map_err(|e| error_text(&e))
}

/// Runs one golden case; `None` when rhelm agrees with Helm, else a report.
pub fn check_case(funcs: FuncMap, case: &serde_json::Value) -> Option<String> {
    let name = case["name"].as_str().expect("name");
    let template = case["template"].as_str().expect("template");
    let got = run_case(funcs, template, &case["values"]);
    let ok = match (&got, case.get("output"), case.get("error")) {
        (Ok(out), Some(want), _) => Some(out.as_str()) == want.as_str(),
        (Err(err), _, Some(want)) => Some(err.as_str()) == want.as_str(),
        _ => false,
    };
    if ok {
        return None;
    }
    let want = case.get("output").or(case.get("error")).cloned().unwrap_or_default();
    Some(format!("{name}\n  template: {template:?}\n  want: {want}\n  got:  {got:?}"))
}
