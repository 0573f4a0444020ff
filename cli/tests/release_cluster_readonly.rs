//! `rhelm list|history|status|get` against helm 4.3.1 on a release helm
//! installed on the test cluster (Secrets driver). Needs the cluster
//! (`scripts/test-cluster up`, kubeconfig in RHELM_TEST_KUBECONFIG) and fails
//! without it.

use std::path::{Path, PathBuf};
use std::process::Command;

fn kubeconfig() -> PathBuf {
    let p = std::env::var("RHELM_TEST_KUBECONFIG").map(PathBuf::from).unwrap_or_else(|_| {
        panic!("no test cluster: run `scripts/test-cluster up` and set RHELM_TEST_KUBECONFIG to the path it prints")
    });
    assert!(p.exists(), "no test cluster: {} does not exist (scripts/test-cluster up)", p.display());
    p
}

fn helm() -> PathBuf {
    let p = std::env::var("HELM").map(PathBuf::from).unwrap_or_else(|_| {
        PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cache/rhelm-oracle/helm")
    });
    assert!(p.exists(), "helm 4.3.1 not found at {} (scripts/get-helm-oracle)", p.display());
    p
}

fn run(bin: &Path, kc: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(bin)
        .args(args)
        .env("KUBECONFIG", kc)
        .env("TZ", "UTC")
        .env_remove("HELM_DRIVER")
        .env_remove("HELM_NAMESPACE")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

struct Cleanup<'a>(&'a Path, &'a Path, String);

impl Drop for Cleanup<'_> {
    fn drop(&mut self) {
        let _ = run(self.0, self.1, &["uninstall", "ro", "-n", &self.2]);
        // kubectl sits next to helm in the oracle cache.
        if let Some(kubectl) = self.0.parent().map(|d| d.join("kubectl")).filter(|k| k.exists()) {
            let _ = Command::new(kubectl)
                .args(["delete", "namespace", &self.2, "--wait=false"])
                .env("KUBECONFIG", self.1)
                .output();
        }
    }
}

#[test]
fn readonly_commands_match_helm_on_a_cluster() {
    let kc = kubeconfig();
    let helm = helm();
    let rhelm = PathBuf::from(env!("CARGO_BIN_EXE_rhelm"));
    let chart = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/release-charts/hello");
    let ns = format!("rhelm-ro-{}", std::process::id());
    let chart = chart.to_str().unwrap();
    let (code, _, err) = run(&helm, &kc, &["install", "ro", chart, "-n", &ns, "--create-namespace", "--labels", "team=x"]);
    assert_eq!(code, 0, "{err}");
    let _cleanup = Cleanup(&helm, &kc, ns.clone());
    let (code, _, err) = run(&helm, &kc, &["upgrade", "ro", chart, "-n", &ns, "--set", "message=bye"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(&helm, &kc, &["rollback", "ro", "1", "-n", &ns]);
    assert_eq!(code, 0, "{err}");

    let cases: Vec<Vec<&str>> = vec![
        vec!["list", "-n", &ns],
        vec!["list", "-n", &ns, "-o", "json"],
        vec!["list", "-n", &ns, "-l", "team=x", "-q"],
        vec!["history", "ro", "-n", &ns],
        vec!["history", "ro", "-n", &ns, "--show-rollback-revision", "-o", "yaml"],
        vec!["status", "ro", "-n", &ns, "-o", "json"],
        vec!["status", "ro", "-n", &ns, "--revision", "2", "-o", "yaml"],
        vec!["get", "all", "ro", "-n", &ns],
        vec!["get", "values", "ro", "-n", &ns, "-a", "--revision", "2"],
        vec!["get", "metadata", "ro", "-n", &ns, "-o", "json"],
        vec!["get", "manifest", "ro", "-n", &ns],
        vec!["get", "hooks", "ro", "-n", &ns],
        vec!["get", "notes", "ro", "-n", &ns],
        vec!["history", "missing", "-n", &ns],
    ];
    let mut failures = Vec::new();
    for args in &cases {
        let theirs = run(&helm, &kc, args);
        let ours = run(&rhelm, &kc, args);
        if ours != theirs {
            failures.push(format!("{}:\n  helm:  {theirs:?}\n  rhelm: {ours:?}", args.join(" ")));
        }
    }
    // `status` lists the live objects as server-side tables: AGE moves on
    // between the two runs, and Helm walks a Go map, so the order of the
    // `==> VERSION/KIND` sections varies; compare the sorted sections.
    let args = ["status", "ro", "-n", &ns];
    let (theirs, ours) = (run(&helm, &kc, &args), run(&rhelm, &kc, &args));
    assert!(theirs.1.contains("RESOURCES:\n==> "), "{}", theirs.1);
    if (theirs.0, normalize_status(&theirs.1), &theirs.2) != (ours.0, normalize_status(&ours.1), &ours.2) {
        failures.push(format!("status ro:\n  helm:  {theirs:?}\n  rhelm: {ours:?}"));
    }
    assert!(failures.is_empty(), "{} of {} differ:\n{}", failures.len(), cases.len() + 1, failures.join("\n"));
}

/// The status text with each table line's trailing AGE cell blanked and the
/// resource sections sorted.
fn normalize_status(s: &str) -> String {
    let lines: Vec<String> = s
        .lines()
        .map(|l| {
            let t = l.trim_end();
            match t.rsplit_once("   ") {
                Some((head, age))
                    if !age.is_empty()
                        && age.trim().chars().all(|c| c.is_ascii_alphanumeric())
                        && age.trim().chars().next().is_some_and(|c| c.is_ascii_digit()) =>
                {
                    format!("{head}   <age>")
                }
                _ => t.to_string(),
            }
        })
        .collect();
    let text = lines.join("\n");
    let (Some(start), Some(end)) = (text.find("RESOURCES:\n"), text.find("TEST SUITE:")) else { return text };
    let mut sections: Vec<&str> = text[start + "RESOURCES:\n".len()..end].split("==> ").collect();
    sections.sort();
    format!("{}{}{}", &text[..start], sections.join("==> "), &text[end..])
}
