//! The template engine's conformance suite (it lives here because Helm's
//! error wording does): every case in testdata/template/golden.json was
//! rendered by the real Helm 4.3.1 (Go 1.27 text/template); rhelm must print
//! the same bytes, or fail with the same error text as Helm shows it.
//! Regenerate the goldens with scripts/gen-template-golden.

mod support;

use rhelm_template::FuncMap;

#[test]
fn golden_cases_match_helm() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/template/golden.json");
    let raw = std::fs::read_to_string(path).expect("read golden.json");
    let cases: Vec<serde_json::Value> = serde_json::from_str(&raw).expect("parse golden.json");
    assert!(cases.len() >= 400, "the suite must hold at least 400 cases, found {}", cases.len());
    let failures: Vec<String> = cases.iter().filter_map(|case| support::check_case(FuncMap::new(), case)).collect();
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
