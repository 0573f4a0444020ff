//! Golden tests for every function family: each testdata/functions/<family>/
//! golden.json was produced by the real Helm 4.3.1 from the cases.yaml beside
//! it (scripts/gen-template-golden --cases …). Set RHELM_GOLDEN_SUITE=<family>
//! to run one family.

mod support;

use std::path::Path;

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
            if let Some(report) = support::check_case(rhelm_functions::helm_funcs(), case) {
                failures.push(format!("{family}: {report}"));
            }
        }
    }
    println!("{} passed, {} failed", total - failures.len(), failures.len());
    assert!(failures.is_empty(), "{} of {total} cases differ from Helm:\n{}", failures.len(), failures.join("\n"));
}
