//! `rhelm list|history|status|get` against Helm 4.3.1 on release records
//! held by the memory driver.
//!
//! Each golden in testdata/releases/golden/<case>.json was written by
//! scripts/gen-release-golden from the real Helm run with HELM_DRIVER=memory
//! and HELM_MEMORY_DRIVER_DATA naming the record files of testdata/releases
//! (no cluster needed). We run our binary with the same environment and
//! arguments (cwd testdata/releases) and require identical exit code,
//! stdout and stderr. All cases run; the failure lists every differing case.
//!
//! Only some cases: `RHELM_RELEASE_CASES=list,history cargo test -p rhelm --test release_readonly`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

fn dir() -> PathBuf {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/releases");
    d.canonicalize().unwrap_or(d)
}

struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn run_case(golden: &Value, n: usize) -> Result<(), String> {
    let name = golden["name"].as_str().ok_or("no name")?;
    let args: Vec<&str> = golden["args"].as_array().ok_or("no args")?.iter().filter_map(Value::as_str).collect();
    let scratch = Scratch(std::env::temp_dir().join(format!("rhelm-release-test-{}-{n}", std::process::id())));
    fs::create_dir_all(&scratch.0).map_err(|e| e.to_string())?;
    let s = scratch.0.to_str().ok_or("scratch path")?;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rhelm"));
    cmd.args(&args).current_dir(dir()).stdin(Stdio::null());
    for (k, _) in std::env::vars() {
        if k.starts_with("HELM_") || k == "KUBECONFIG" || k == "TZ" {
            cmd.env_remove(k);
        }
    }
    cmd.env("TZ", "UTC")
        .env("HELM_DRIVER", "memory")
        .env("HELM_MEMORY_DRIVER_DATA", "default.json:more.yaml")
        .env("KUBECONFIG", scratch.0.join("no-kubeconfig"))
        .env("HOME", s)
        .env("HELM_CONFIG_HOME", s)
        .env("HELM_CACHE_HOME", s)
        .env("HELM_DATA_HOME", s)
        .env("NO_COLOR", "1");
    if let Some(env) = golden.get("env").and_then(Value::as_object) {
        for (k, v) in env {
            match v {
                Value::Null => {
                    cmd.env_remove(k);
                }
                Value::String(v) => {
                    cmd.env(k, v);
                }
                other => {
                    cmd.env(k, other.to_string());
                }
            }
        }
    }
    let out = cmd.output().map_err(|e| format!("{name}: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let code = i64::from(out.status.code().unwrap_or(-1));
    let mut diffs = Vec::new();
    if code != golden["exit"].as_i64().unwrap_or(-99) {
        diffs.push(format!("exit {code}, helm {}", golden["exit"]));
    }
    for (what, ours, theirs) in [("stdout", &stdout, &golden["stdout"]), ("stderr", &stderr, &golden["stderr"])] {
        let theirs = theirs.as_str().unwrap_or("");
        if ours.as_ref() != theirs {
            let line = ours.lines().zip(theirs.lines()).position(|(a, b)| a != b);
            let detail = match line {
                Some(i) => format!(
                    "line {}:\n      rhelm: {:?}\n      helm:  {:?}",
                    i + 1,
                    ours.lines().nth(i).unwrap_or(""),
                    theirs.lines().nth(i).unwrap_or("")
                ),
                None => format!("lengths {} vs {} (rhelm {:?})", ours.len(), theirs.len(), ours),
            };
            diffs.push(format!("{what} differs at {detail}"));
        }
    }
    if diffs.is_empty() {
        Ok(())
    } else {
        Err(format!("{name} ({}):\n    {}", args.join(" "), diffs.join("\n    ")))
    }
}

#[test]
fn release_readonly_goldens() {
    let only: Option<Vec<String>> =
        std::env::var("RHELM_RELEASE_CASES").ok().map(|s| s.split(',').map(str::to_owned).collect());
    let mut paths: Vec<PathBuf> = fs::read_dir(dir().join("golden"))
        .expect("testdata/releases/golden (run scripts/gen-release-golden)")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    let mut failures = Vec::new();
    let mut ran = 0;
    for (n, p) in paths.iter().enumerate() {
        let golden: Value = serde_json::from_str(&fs::read_to_string(p).unwrap()).unwrap();
        if let Some(only) = &only {
            if !only.iter().any(|o| golden["name"].as_str() == Some(o)) {
                continue;
            }
        }
        ran += 1;
        if let Err(e) = run_case(&golden, n) {
            failures.push(e);
        }
    }
    assert!(ran > 0, "no release goldens ran");
    assert!(failures.is_empty(), "{} of {ran} release goldens differ:\n{}", failures.len(), failures.join("\n"));
    eprintln!("{ran} release goldens agree with helm");
}
