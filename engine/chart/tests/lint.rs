//! `lint` on the cases of testdata/lint against what Helm 4.3.1 printed for
//! them (goldens from scripts/gen-lint-golden): stdout byte for byte, and the
//! `Error: ...` line and exit code when a chart fails.

use std::path::{Path, PathBuf};

use rhelm_chart::lint::{lint, LintOptions};
use rhelm_chart::values::{LocalReader, ValueOptions};
use rhelm_template::Value;

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/lint")
}

fn field(v: &Value, key: &str) -> Value {
    match v {
        Value::Map(m) => m.entries.get(key).cloned().unwrap_or(Value::Nil),
        _ => Value::Nil,
    }
}

/// The few flags the cases use, as `helm lint` reads them. Value files are
/// named relative to the case directory, the working directory by then.
fn options(args: &[&str]) -> Result<(Vec<String>, LintOptions), String> {
    let mut opts = LintOptions { namespace: "default".into(), ..LintOptions::default() };
    let mut values = ValueOptions::default();
    let mut paths = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut next = || it.next().map(|s| s.to_string()).ok_or_else(|| format!("{a} needs a value"));
        match *a {
            "--strict" => opts.strict = true,
            "--quiet" => opts.quiet = true,
            "--with-subcharts" => opts.with_subcharts = true,
            "--skip-schema-validation" => opts.skip_schema_validation = true,
            "--kube-version" => opts.kube_version = Some(next()?),
            "--set" => values.values.push(next()?),
            "-f" | "--values" => values.value_files.push(next()?),
            p => paths.push(p.to_string()),
        }
    }
    opts.values = values.merge_values(&LocalReader)?;
    Ok((paths, opts))
}

#[test]
fn lint_matches_helm() {
    let root = data_dir();
    let mut cases: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("args").exists())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    assert!(cases.len() >= 30, "lint cases missing under {}", root.display());
    let mut failures = Vec::new();
    for case in &cases {
        let dir = root.join(case);
        let golden = std::fs::read_to_string(dir.join("golden.json")).unwrap();
        let golden = rhelm_functions::json::from_str(&golden).unwrap();
        let text = |k: &str| match field(&golden, k) {
            Value::Str(s) => s.to_string(),
            _ => String::new(),
        };
        let (want_out, want_err) = (text("stdout"), text("stderr"));
        let args = std::fs::read_to_string(dir.join("args")).unwrap();
        let args: Vec<&str> = args.split_whitespace().collect();
        // Helm ran in the case directory; so do we (this is the only test of this binary).
        std::env::set_current_dir(&dir).unwrap();
        let (stdout, stderr) = match options(&args) {
            Ok((paths, opts)) => {
                let report = lint(&paths, &opts);
                (report.stdout, report.log + &report.error.map(|e| format!("Error: {e}\n")).unwrap_or_default())
            }
            Err(e) => (String::new(), format!("Error: {e}\n")),
        };
        let canon = dir.canonicalize().unwrap().display().to_string();
        let repo = root.join("../..").canonicalize().unwrap().display().to_string();
        let stdout = stdout.replace(&canon, "$CASE").replace(&repo, "$ROOT");
        let stderr = stderr.replace(&canon, "$CASE").replace(&repo, "$ROOT");
        if stdout != want_out || stderr != want_err {
            failures.push(format!(
                "--- {case}\nstdout: {}\nstderr: {}",
                first_difference(&want_out, &stdout),
                first_difference(&want_err, &stderr)
            ));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

/// The first line where `ours` departs from `helm`'s, to keep reports short.
fn first_difference(helm: &str, ours: &str) -> String {
    let (h, o): (Vec<&str>, Vec<&str>) = (helm.lines().collect(), ours.lines().collect());
    for i in 0..h.len().max(o.len()) {
        if h.get(i) != o.get(i) {
            return format!("line {}: helm {:?}, ours {:?}", i + 1, h.get(i), o.get(i));
        }
    }
    if helm == ours {
        "same".into()
    } else {
        "differs in line endings".into()
    }
}
